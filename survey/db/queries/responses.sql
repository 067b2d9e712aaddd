-- name: response_by_id
SELECT id, wave_id, version_id, language, status, answers, pages, panel_key,
       started_at, updated_at, submitted_at
FROM response WHERE id = $1;

-- name: response_lock
-- The response, locked until the end of the transaction, so that two sends of the same page (a double
-- tap, a re-send after a dropped connection) are applied one after the other, never interleaved.
SELECT id, wave_id, version_id, language, status, answers, pages, panel_key,
       started_at, updated_at, submitted_at
FROM response WHERE id = $1
FOR UPDATE;

-- name: response_insert
-- A new response with the id from the form; a second insert of the same id does nothing and returns no
-- row (the caller then locks and reads the existing one).
INSERT INTO response (id, wave_id, version_id, language)
VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO NOTHING
RETURNING id, wave_id, version_id, language, status, answers, pages, panel_key,
          started_at, updated_at, submitted_at;

-- name: response_save
-- Store a page's outcome. Only a response still in progress changes: a completed or declined one is
-- final, and a late re-send must not reopen it.
UPDATE response
SET answers = $2, pages = $3, panel_key = $4, language = $5, status = $6,
    updated_at = now(),
    submitted_at = CASE WHEN $6 = 'in_progress' THEN NULL ELSE now() END
WHERE id = $1 AND status = 'in_progress'
RETURNING id, wave_id, version_id, language, status, answers, pages, panel_key,
          started_at, updated_at, submitted_at;

-- name: response_set_language
UPDATE response SET language = $2, updated_at = now()
WHERE id = $1 AND status = 'in_progress' AND language <> $2;

-- name: response_recent_starts
-- How many responses the wave started in the last $2 seconds, counting no further than $3.
SELECT count(*) FROM (
    SELECT 1 FROM response
    WHERE wave_id = $1 AND started_at > now() - make_interval(secs => $2)
    LIMIT $3
) recent;

-- name: responses_of_wave
SELECT id, wave_id, version_id, language, status, answers, pages, panel_key,
       started_at, updated_at, submitted_at
FROM response WHERE wave_id = $1
ORDER BY started_at, id;
