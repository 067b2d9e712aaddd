-- name: insert_campaign
-- A new campaign of team $6; nothing is returned when its key is taken, and the caller says so.
INSERT INTO campaign (key, questionnaire_id, design, cluster_item, panel_secret, team_id)
SELECT $1, q.id, $3, $4, $5, $6 FROM questionnaire q WHERE q.key = $2
ON CONFLICT (key) DO NOTHING
RETURNING id;

-- name: campaign_by_key
-- A campaign as the console, the command line and the report name it, with its team and the title of
-- its questionnaire's latest version (what people read; the key is what files and commands use).
SELECT c.id, c.key, q.key AS questionnaire, c.design, c.cluster_item, c.created_at,
       c.team_id, t.key AS team, t.name AS team_name,
       (SELECT v.definition -> 'title' FROM questionnaire_version v
        WHERE v.questionnaire_id = q.id ORDER BY v.version DESC LIMIT 1) AS questionnaire_title
FROM campaign c
JOIN questionnaire q ON q.id = c.questionnaire_id
JOIN team t ON t.id = c.team_id
WHERE c.key = $1;

-- name: team_may_use_questionnaire
-- Team $1 and whether its campaigns may use questionnaire $2: one shared with every team, or its own.
-- Nothing is returned for an unknown team.
SELECT t.id AS team_id,
       EXISTS (SELECT 1 FROM questionnaire q WHERE q.key = $2 AND (q.shared OR q.team_id = t.id))
           AS allowed
FROM team t WHERE t.key = $1;

-- name: campaign_secret
-- The HMAC key for panel codes; read only where a panel code is turned into a panel key.
SELECT panel_secret FROM campaign WHERE id = $1;

-- name: list_campaigns
-- Every campaign, oldest first (`survey campaigns list`), or those of the teams $1 (the console's list and
-- the API's, which show only what the caller may read).
SELECT c.id, c.key, q.key AS questionnaire, c.design, c.cluster_item, c.created_at,
       c.team_id, t.key AS team, t.name AS team_name,
       (SELECT v.definition -> 'title' FROM questionnaire_version v
        WHERE v.questionnaire_id = q.id ORDER BY v.version DESC LIMIT 1) AS questionnaire_title
FROM campaign c
JOIN questionnaire q ON q.id = c.questionnaire_id
JOIN team t ON t.id = c.team_id
WHERE $1::bigint[] IS NULL OR c.team_id = ANY($1::bigint[])
ORDER BY c.created_at, c.key;

-- name: insert_wave
-- A new wave; nothing is returned when its key, or its phase and arm in the campaign, are taken (wave_conflict says which).
INSERT INTO wave (campaign_id, key, phase, arm, version_id, token)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: wave_conflict
-- Which of a new wave's unique values is already taken.
SELECT key, phase, arm FROM wave WHERE key = $1 OR (campaign_id = $2 AND phase = $3 AND arm = $4);

-- name: wave_by_key
-- A wave with its campaign and pinned version, as the console and the command line name it.
SELECT w.id, w.key, c.key AS campaign, c.id AS campaign_id, c.team_id, c.design, w.phase, w.arm,
       w.version_id, q.key AS questionnaire, v.version, w.token, w.status, w.opens_at, w.closes_at,
       w.created_at
FROM wave w
JOIN campaign c ON c.id = w.campaign_id
JOIN questionnaire_version v ON v.id = w.version_id
JOIN questionnaire q ON q.id = v.questionnaire_id
WHERE w.key = $1;

-- name: wave_by_token
-- The wave behind a respondent link (the token is the only thing a respondent's address carries).
SELECT w.id, w.key, c.key AS campaign, c.id AS campaign_id, c.team_id, c.design, w.phase, w.arm,
       w.version_id, q.key AS questionnaire, v.version, w.token, w.status, w.opens_at, w.closes_at,
       w.created_at
FROM wave w
JOIN campaign c ON c.id = w.campaign_id
JOIN questionnaire_version v ON v.id = w.version_id
JOIN questionnaire q ON q.id = v.questionnaire_id
WHERE w.token = $1;

-- name: waves_of_campaign
-- Every wave of a campaign, oldest first: the order the console and the report list them in.
SELECT w.id, w.key, c.key AS campaign, c.id AS campaign_id, c.team_id, c.design, w.phase, w.arm,
       w.version_id, q.key AS questionnaire, v.version, w.token, w.status, w.opens_at, w.closes_at,
       w.created_at
FROM wave w
JOIN campaign c ON c.id = w.campaign_id
JOIN questionnaire_version v ON v.id = w.version_id
JOIN questionnaire q ON q.id = v.questionnaire_id
WHERE c.key = $1
ORDER BY w.id;

-- name: list_waves
-- Every wave of every campaign (of the teams $1 when not null), for a list of campaigns: one query,
-- however many campaigns there are.
SELECT w.id, w.key, c.key AS campaign, c.id AS campaign_id, c.team_id, c.design, w.phase, w.arm,
       w.version_id, q.key AS questionnaire, v.version, w.token, w.status, w.opens_at, w.closes_at,
       w.created_at
FROM wave w
JOIN campaign c ON c.id = w.campaign_id
JOIN questionnaire_version v ON v.id = w.version_id
JOIN questionnaire q ON q.id = v.questionnaire_id
WHERE $1::bigint[] IS NULL OR c.team_id = ANY($1::bigint[])
ORDER BY w.id;

-- name: set_wave_status
-- Open or close a wave; nothing is returned for an unknown key.
UPDATE wave SET status = $2 WHERE key = $1 RETURNING id;
