-- Report summaries: each wave's complete responses collapsed to cells with counts (survey.analysis.cells),
-- so that the campaign report costs the summary's read plus the responses completed since, not a read
-- and scoring of every response (docs/scaling.md, "The report at national scale").
--
-- ``cells`` is what survey.analysis.cells.encode wrote (MessagePack), made with the scoring inputs named
-- by ``inputs`` (the campaign's design, cluster item and every wave's version): a report whose inputs
-- differ makes them again. ``epoch`` moves on with every change to the row: a response already summarised
-- that changes or is deleted (a review decision, an erasure) empties the summary and adds one, and so does
-- every write of a summary. A report writes its summary back only if the epoch is still the one it read,
-- so that a summary computed before an erasure, or older than another report's, is never stored after it.
CREATE TABLE report_summary (
    wave_id     bigint PRIMARY KEY REFERENCES wave (id) ON DELETE CASCADE,
    epoch       bigint NOT NULL DEFAULT 0,
    inputs      text,
    cells       bytea,
    responses   integer NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The responses that became counted (complete, and not waiting for a review) since their wave's summary
-- was made: the next report adds them and deletes these rows. No foreign key to the response: an erased
-- response leaves its row here, and the summary it would join is emptied by the erasure anyway.
CREATE TABLE report_summary_pending (
    wave_id      bigint NOT NULL REFERENCES wave (id) ON DELETE CASCADE,
    response_id  uuid NOT NULL,
    PRIMARY KEY (wave_id, response_id)
);

CREATE FUNCTION report_summary_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_summary_pending (wave_id, response_id)
    VALUES (NEW.wave_id, NEW.id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE FUNCTION report_summary_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_summary (wave_id, epoch) VALUES (OLD.wave_id, 1)
    ON CONFLICT (wave_id) DO UPDATE
        SET epoch = report_summary.epoch + 1, cells = NULL, inputs = NULL, responses = 0,
            updated_at = now();
    IF TG_OP = 'UPDATE' AND NEW.wave_id <> OLD.wave_id THEN
        INSERT INTO report_summary (wave_id, epoch) VALUES (NEW.wave_id, 1)
        ON CONFLICT (wave_id) DO UPDATE
            SET epoch = report_summary.epoch + 1, cells = NULL, inputs = NULL, responses = 0,
                updated_at = now();
    END IF;
    RETURN NULL;
END;
$$;

-- A response is counted by the report when complete and not waiting for a review (the condition of
-- the query analysis_complete_responses). The WHEN clauses keep the triggers off the page saves of
-- unfinished responses, which are nearly all the writes.
CREATE TRIGGER response_counted_insert AFTER INSERT ON response
    FOR EACH ROW WHEN (NEW.status = 'complete' AND NEW.review IS DISTINCT FROM 'pending')
    EXECUTE FUNCTION report_summary_counted();

CREATE TRIGGER response_counted_update AFTER UPDATE ON response
    FOR EACH ROW WHEN (
        NEW.status = 'complete' AND NEW.review IS DISTINCT FROM 'pending'
        AND NOT (OLD.status = 'complete' AND OLD.review IS DISTINCT FROM 'pending'))
    EXECUTE FUNCTION report_summary_counted();

CREATE TRIGGER response_summarised_update AFTER UPDATE ON response
    FOR EACH ROW WHEN (
        OLD.status = 'complete' AND OLD.review IS DISTINCT FROM 'pending'
        AND (OLD.answers, OLD.wave_id, OLD.status, OLD.review)
            IS DISTINCT FROM (NEW.answers, NEW.wave_id, NEW.status, NEW.review))
    EXECUTE FUNCTION report_summary_stale();

CREATE TRIGGER response_summarised_delete AFTER DELETE ON response
    FOR EACH ROW WHEN (OLD.status = 'complete' AND OLD.review IS DISTINCT FROM 'pending')
    EXECUTE FUNCTION report_summary_stale();
