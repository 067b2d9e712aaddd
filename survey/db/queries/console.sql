-- name: wave_status_counts
-- Responses of one wave by status.
SELECT status, count(*) AS n FROM response WHERE wave_id = $1 GROUP BY status;

-- name: campaign_status_counts
-- Responses of every wave of a campaign by status (waves without responses have no rows).
SELECT w.key AS wave, r.status, count(*) AS n
FROM wave w JOIN response r ON r.wave_id = w.id
WHERE w.campaign_id = $1
GROUP BY w.key, r.status;

-- name: all_status_counts
-- Responses of every wave of the campaigns of teams $1 by status (waves without responses have no rows):
-- the counts of the campaign list in one query, instead of one per campaign.
SELECT w.key AS wave, r.status, count(*) AS n
FROM wave w
JOIN campaign c ON c.id = w.campaign_id
JOIN response r ON r.wave_id = w.id
WHERE c.team_id = ANY($1::bigint[])
GROUP BY w.key, r.status;

-- name: wave_per_day
-- Responses started per day (UTC), by what became of them.
SELECT (started_at AT TIME ZONE 'UTC')::date AS day,
       count(*) FILTER (WHERE status = 'complete') AS complete,
       count(*) FILTER (WHERE status = 'in_progress') AS partial,
       count(*) FILTER (WHERE status = 'declined') AS declined
FROM response WHERE wave_id = $1
GROUP BY day ORDER BY day;

-- name: wave_pages
-- For every page: how many responses saved it, and how many unfinished responses stopped right after it
-- (it is the last page they saved). Pages are ordered by where they usually come in ``pages``.
SELECT p.page,
       count(DISTINCT r.id) AS reached,
       count(DISTINCT r.id) FILTER (
           WHERE r.status = 'in_progress' AND r.pages[cardinality(r.pages)] = p.page) AS stopped,
       avg(p.n)::float8 AS position
FROM response r CROSS JOIN LATERAL unnest(r.pages) WITH ORDINALITY AS p(page, n)
WHERE r.wave_id = $1
GROUP BY p.page
ORDER BY position, p.page;

-- name: wave_median_seconds
-- Median time from start to final submit of the complete web responses (a field interview is stored
-- when it arrives: its device does not say how long it took).
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM submitted_at - started_at))::float8
FROM response
WHERE wave_id = $1 AND status = 'complete' AND submitted_at IS NOT NULL AND channel = 'web';

-- name: export_count
-- How many responses an export will write (the waves $1 with the statuses $2), for its audit entry and
-- progress, counted in the export's own snapshot.
SELECT count(*) FROM response WHERE wave_id = ANY($1::bigint[]) AND status = ANY($2::text[]);

-- name: export_rows
-- One wave's responses for an export, read through a server-side cursor. The answers come as text, decoded
-- a batch at a time (faster than the connection's per-value codec at hundreds of thousands of rows). A
-- response shows its public id (never its own id, which the respondent's cookie holds) and, when it is
-- complete and linked to a response of the other phase, its pair id (never the panel key).
SELECT r.public_id, r.version_id, r.language, r.status, p.pair_id::text, r.started_at, r.submitted_at,
       r.channel, r.enumerator, r.review, r.answers::text
FROM response r
JOIN wave w ON w.id = r.wave_id
LEFT JOIN panel_pair p
       ON r.status = 'complete' AND p.campaign_id = w.campaign_id AND p.arm = w.arm
      AND p.panel_key = r.panel_key
WHERE r.wave_id = $1 AND r.status = ANY($2::text[])
ORDER BY r.started_at, r.id;

-- name: export_texts
-- One wave's responses for a CSV export: per row the version id, the answers as jsonb's own text (decoded
-- in Python a batch at a time, into the version's columns) and one text array of the other cells, an
-- empty string where there is none: the public id (as export_rows), wave key $3, phase $4, arm $5,
-- version number, language, started and submitted (UTC, ISO 8601 to the second), status, channel,
-- enumerator, review, then the pair id when $6 (as export_rows). A JSON number keeps the text jsonb
-- gives it, the same as ->> would.
SELECT r.version_id, r.answers::text,
       array_replace(
           ARRAY[r.public_id::text, $3::text, $4::text, $5::text, r.version::text, r.language,
                 to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
                 to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
                 r.status, r.channel, r.enumerator, r.review]
           || CASE WHEN $6::boolean THEN ARRAY[r.pair_id::text] ELSE '{}'::text[] END,
           NULL, '')
-- The rows are sorted first and turned into text as they leave the sort (OFFSET 0 keeps the subquery
-- apart, and nothing above it reorders): a cursor's first FETCH then costs the sort only, and every later
-- batch is read while the caller writes the one before.
FROM (
    SELECT r.version_id, r.public_id, v.version, r.language, r.started_at, r.submitted_at, r.status,
           r.channel, r.enumerator, r.review, p.pair_id, r.answers
    FROM response r
    JOIN questionnaire_version v ON v.id = r.version_id
    JOIN wave w ON w.id = r.wave_id
    LEFT JOIN panel_pair p
           ON $6::boolean AND r.status = 'complete' AND p.campaign_id = w.campaign_id AND p.arm = w.arm
          AND p.panel_key = r.panel_key
    WHERE r.wave_id = $1 AND r.status = ANY($2::text[])
    ORDER BY r.started_at, r.id
    OFFSET 0
) AS r;

-- name: api_responses
-- A page of a campaign's responses, in public id order after the cursor $4 (null: from the start). As in
-- the exports, a response shows its public id and its pair id, never its own id or its panel key; and
-- its answers leave out those to panel code questions (each holds a keyed hash of a code), whose keys
-- are read once per version from its definition.
WITH page AS (
    SELECT r.public_id, r.version_id, w.key AS wave, w.phase, w.arm, w.campaign_id, r.language,
           r.status, r.panel_key, r.started_at, r.submitted_at, r.answers
    FROM response r
    JOIN wave w ON w.id = r.wave_id
    WHERE w.campaign_id = $1
      AND ($2::text IS NULL OR w.key = $2)
      AND r.status = ANY($3::text[])
      AND ($4::uuid IS NULL OR r.public_id > $4)
    ORDER BY r.public_id
    LIMIT $5
), codes AS (
    SELECT v.id, v.version,
           ARRAY(SELECT jsonb_path_query(v.definition,
                                         '$.sections[*].items[*] ? (@.type == "panel_code").key')
                        #>> '{}') AS keys
    FROM questionnaire_version v
    WHERE v.id IN (SELECT DISTINCT version_id FROM page)
)
SELECT g.public_id AS id, g.wave, g.phase, g.arm, c.version, g.language, g.status, p.pair_id,
       g.started_at, g.submitted_at, g.answers - c.keys AS answers
FROM page g
JOIN codes c ON c.id = g.version_id
LEFT JOIN panel_pair p
       ON g.status = 'complete' AND p.campaign_id = g.campaign_id AND p.arm = g.arm
      AND p.panel_key = g.panel_key
ORDER BY g.public_id;

-- name: panel_pairs_link
-- Give a pair id to every panel key that a complete pre and a complete post response of one arm of
-- campaign $1 share and that has none yet; a pair id, once given, stays. Run before an export or an API
-- page reads the pairs (not inside their read-only snapshot), so that the pair id is assigned when the
-- second response of a pair is first seen, whichever reads it.
INSERT INTO panel_pair (campaign_id, arm, panel_key)
SELECT w.campaign_id, w.arm, r.panel_key
FROM response r
JOIN wave w ON w.id = r.wave_id
WHERE w.campaign_id = $1 AND r.status = 'complete' AND r.panel_key IS NOT NULL
GROUP BY w.campaign_id, w.arm, r.panel_key
HAVING count(DISTINCT w.phase) = 2
ON CONFLICT DO NOTHING;

-- name: export_versions
-- The questionnaire versions the responses of these waves were answered on (normally each wave's own).
SELECT DISTINCT version_id FROM response WHERE wave_id = ANY($1::bigint[]);
