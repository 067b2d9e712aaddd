-- name: questionnaire_lock
-- Create the questionnaire row if needed (owned by team $2, shared with every team when $3) and lock it,
-- so concurrent publishers number versions in turn. Its id and owner; nothing for an unknown team.
WITH inserted AS (
    INSERT INTO questionnaire (key, team_id, shared)
    SELECT $1, t.id, $3 FROM team t WHERE t.key = $2
    ON CONFLICT (key) DO NOTHING
    RETURNING id, team_id
)
SELECT id, team_id FROM inserted
UNION ALL
SELECT id, team_id FROM questionnaire WHERE key = $1;

-- name: questionnaire_lock_row
-- Lock a questionnaire already known by id, for the same reason as questionnaire_lock.
SELECT id FROM questionnaire WHERE id = $1 FOR UPDATE;

-- name: version_by_hash
-- Publishing the same definition twice finds its existing version here instead of making a new one.
SELECT version FROM questionnaire_version WHERE questionnaire_id = $1 AND sha256 = $2;

-- name: latest_version_row
-- The newest version of a questionnaire: what a new wave pins when no version is named.
SELECT v.id, q.key, v.version, v.sha256, v.definition, v.fingerprints, v.comparability, v.published_at,
       q.team_id, t.key AS team, t.name AS team_name, q.shared
FROM questionnaire_version v
JOIN questionnaire q ON q.id = v.questionnaire_id
JOIN team t ON t.id = q.team_id
WHERE q.key = $1
ORDER BY v.version DESC
LIMIT 1;

-- name: version_row
-- One version by its number, as `survey forms show KEY --version N` and the console name it.
SELECT v.id, q.key, v.version, v.sha256, v.definition, v.fingerprints, v.comparability, v.published_at,
       q.team_id, t.key AS team, t.name AS team_name, q.shared
FROM questionnaire_version v
JOIN questionnaire q ON q.id = v.questionnaire_id
JOIN team t ON t.id = q.team_id
WHERE q.key = $1 AND v.version = $2;

-- name: version_row_by_id
-- One version by id: the version a wave pins, or the one a response started on.
SELECT v.id, q.key, v.version, v.sha256, v.definition, v.fingerprints, v.comparability, v.published_at,
       q.team_id, t.key AS team, t.name AS team_name, q.shared
FROM questionnaire_version v
JOIN questionnaire q ON q.id = v.questionnaire_id
JOIN team t ON t.id = q.team_id
WHERE v.id = $1;

-- name: insert_version
-- A new immutable version (a trigger refuses any later UPDATE or DELETE of the row).
INSERT INTO questionnaire_version
    (questionnaire_id, version, sha256, definition, fingerprints, comparability)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: list_questionnaires
-- One row per questionnaire with its latest version and its team: every questionnaire, or (when $1 is not
-- null) those the teams $1 may see, shared with every team or their own.
SELECT q.key, v.version AS latest_version, v.sha256, v.published_at,
       v.definition -> 'title' AS title,
       (SELECT count(*) FROM questionnaire_version c WHERE c.questionnaire_id = q.id) AS n_versions,
       q.team_id, t.key AS team, t.name AS team_name, q.shared
FROM questionnaire q
JOIN team t ON t.id = q.team_id
JOIN LATERAL (
    SELECT version, sha256, published_at, definition FROM questionnaire_version
    WHERE questionnaire_id = q.id ORDER BY version DESC LIMIT 1
) v ON true
WHERE $1::bigint[] IS NULL OR q.shared OR q.team_id = ANY($1::bigint[])
ORDER BY q.key;

-- name: set_questionnaire_shared
-- Share a questionnaire with every team ($2 true) or keep it to its own; no row for an unknown key.
UPDATE questionnaire SET shared = $2 WHERE key = $1 RETURNING id;

-- name: questionnaire_users
-- The teams, other than the questionnaire's own, whose campaigns use questionnaire $1.
SELECT DISTINCT t.key
FROM campaign c JOIN questionnaire q ON q.id = c.questionnaire_id JOIN team t ON t.id = c.team_id
WHERE q.key = $1 AND c.team_id <> q.team_id
ORDER BY t.key;

-- name: list_versions
-- Every version of a questionnaire, oldest first, for the console's version list and diff.
SELECT v.version, v.sha256, v.published_at
FROM questionnaire_version v JOIN questionnaire q ON q.id = v.questionnaire_id
WHERE q.key = $1
ORDER BY v.version;
