-- name: response_by_id
-- A response by its id, with everything the respondent flow needs to resume it.
SELECT id, wave_id, version_id, language, status, answers, pages, panel_key, panel_code_changes,
       drafts, started_at, updated_at, submitted_at
FROM response WHERE id = $1;

-- name: response_lock
-- The response, locked until the end of the transaction, so that two sends of the same page (a double
-- tap, a re-send after a dropped connection) are applied one after the other, never interleaved.
SELECT id, wave_id, version_id, language, status, answers, pages, panel_key, panel_code_changes,
       drafts, started_at, updated_at, submitted_at
FROM response WHERE id = $1
FOR UPDATE;

-- name: response_insert
-- A new response with the id from the form; a second insert of the same id does nothing and returns no
-- row (the caller then locks and reads the existing one).
INSERT INTO response (id, wave_id, version_id, language)
VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO NOTHING
RETURNING id, wave_id, version_id, language, status, answers, pages, panel_key, panel_code_changes,
          drafts, started_at, updated_at, submitted_at;

-- name: response_save
-- Store a page's outcome. Only a response still in progress changes: a completed or declined one is
-- final, and a late re-send must not reopen it. The saved page's draft ($8, its key) is dropped, and a
-- finished response keeps no draft at all.
UPDATE response
SET answers = $2, pages = $3, panel_key = $4, language = $5, status = $6, panel_code_changes = $7,
    drafts = CASE WHEN $6 = 'in_progress' THEN drafts - $8::text ELSE '{}' END,
    updated_at = now(),
    submitted_at = CASE WHEN $6 = 'in_progress' THEN NULL ELSE now() END
WHERE id = $1 AND status = 'in_progress'
RETURNING id, wave_id, version_id, language, status, answers, pages, panel_key, panel_code_changes,
          drafts, started_at, updated_at, submitted_at;

-- name: response_keep_draft
-- What was on page $2 when the respondent left it with Back ($3: question key -> values as sent), kept
-- unchecked as that page's draft. The answers and the saved pages stay as they are; only a response in
-- progress keeps drafts.
UPDATE response
SET drafts = jsonb_set(drafts, ARRAY[$2::text], $3::jsonb), updated_at = now()
WHERE id = $1 AND status = 'in_progress'
RETURNING id, wave_id, version_id, language, status, answers, pages, panel_key, panel_code_changes,
          drafts, started_at, updated_at, submitted_at;

-- name: response_set_language
-- The language a respondent switched to, kept for the rest of the response (a finished response keeps
-- the language it was answered in).
UPDATE response SET language = $2, updated_at = now()
WHERE id = $1 AND status = 'in_progress' AND language <> $2;

-- name: response_recent_starts
-- How many responses the wave started in the last $2 seconds, counting no further than $3.
SELECT count(*) FROM (
    SELECT 1 FROM response
    WHERE wave_id = $1 AND started_at > now() - make_interval(secs => $2)
    LIMIT $3
) recent;

-- name: wave_with_response
-- A respondent request's first and usually only read: the wave of the link (the columns of
-- wave_by_token in campaigns.sql) and, when the browser's cookie names a response of that wave, the response, with its
-- row version (xmin, which changes with every update of the row) for response_save_unchanged. One
-- round trip instead of two.
SELECT w.id, w.key, c.key AS campaign, c.id AS campaign_id, c.team_id, c.design, w.phase, w.arm,
       w.version_id, q.key AS questionnaire, v.version, w.token, w.status, w.opens_at, w.closes_at,
       w.created_at,
       r.id AS r_id, r.wave_id AS r_wave_id, r.version_id AS r_version_id, r.language AS r_language,
       r.status AS r_status, r.answers AS r_answers, r.pages AS r_pages, r.panel_key AS r_panel_key,
       r.panel_code_changes AS r_panel_code_changes, r.drafts AS r_drafts,
       r.started_at AS r_started_at, r.updated_at AS r_updated_at,
       r.submitted_at AS r_submitted_at, r.xmin::text AS r_row_version
FROM wave w
JOIN campaign c ON c.id = w.campaign_id
JOIN questionnaire_version v ON v.id = w.version_id
JOIN questionnaire q ON q.id = v.questionnaire_id
LEFT JOIN response r ON r.id = $2 AND r.wave_id = w.id
WHERE w.token = $1;

-- name: response_save_unchanged
-- response_save without a lock held: it applies only if the row is still the version the page was
-- decided on ($9, its xmin when read); otherwise it changes nothing and returns no row, and the caller
-- decides again under the row lock. Under READ COMMITTED a concurrent update makes this one wait and
-- then re-check the condition against the newest row, so two sends can never both apply to one version.
UPDATE response
SET answers = $2, pages = $3, panel_key = $4, language = $5, status = $6, panel_code_changes = $7,
    drafts = CASE WHEN $6 = 'in_progress' THEN drafts - $8::text ELSE '{}' END,
    updated_at = now(),
    submitted_at = CASE WHEN $6 = 'in_progress' THEN NULL ELSE now() END
WHERE id = $1 AND status = 'in_progress' AND xmin = $9::text::xid
RETURNING id, wave_id, version_id, language, status, answers, pages, panel_key, panel_code_changes,
          drafts, started_at, updated_at, submitted_at, xmin::text AS row_version;

-- name: response_set_times
-- The demo's collection, spread over days (survey.demo): responses $1 started at $2 and were last saved
-- at $3, which is also when a complete one was sent. The demo writes every response in one transaction,
-- at one instant; a real collection takes weeks. Neither the report nor its summaries read these times.
UPDATE response r
SET started_at = t.started, updated_at = t.saved,
    submitted_at = CASE WHEN r.submitted_at IS NULL THEN NULL ELSE t.saved END
FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS t(id, started, saved)
WHERE r.id = t.id;
