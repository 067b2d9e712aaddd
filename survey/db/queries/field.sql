-- name: field_address_by_token
-- The field address a device calls (its token is the only credential a device has) with its wave (the
-- columns of wave_by_token), revoked or not: a revoked address is told so, not taken for a wrong one.
SELECT k.id AS key_id, k.enumerator, k.token AS key_token, k.created_at AS key_created_at,
       k.revoked_at AS key_revoked_at,
       w.id, w.key, c.key AS campaign, c.id AS campaign_id, c.team_id, c.design, w.phase, w.arm,
       w.version_id, q.key AS questionnaire, v.version, w.token, w.status, w.opens_at, w.closes_at,
       w.created_at
FROM field_key k
JOIN wave w ON w.id = k.wave_id
JOIN campaign c ON c.id = w.campaign_id
JOIN questionnaire_version v ON v.id = w.version_id
JOIN questionnaire q ON q.id = v.questionnaire_id
WHERE k.token = $1;

-- name: field_key_insert
-- A new address for wave $1 and enumerator $2 (null: the wave's own), unless one is in use already (the
-- partial unique index field_key_in_use): then nothing is inserted and field_key_in_use returns it.
INSERT INTO field_key (wave_id, enumerator, token)
VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING
RETURNING id, enumerator, token, created_at, revoked_at;

-- name: field_key_in_use
-- The address in use of wave $1 for enumerator $2 (null: the wave's own).
SELECT id, enumerator, token, created_at, revoked_at
FROM field_key
WHERE wave_id = $1 AND enumerator IS NOT DISTINCT FROM $2 AND revoked_at IS NULL;

-- name: field_keys_of_wave
-- Every address of a wave, the wave's own first, then the enumerators' by name; revoked ones after those
-- in use, newest first.
SELECT id, enumerator, token, created_at, revoked_at
FROM field_key
WHERE wave_id = $1
ORDER BY revoked_at IS NOT NULL, revoked_at DESC, enumerator IS NOT NULL, enumerator, id;

-- name: field_key_revoke
-- Withdraw enumerator $2's address of wave $1; nothing is returned when none is in use.
UPDATE field_key SET revoked_at = now()
WHERE wave_id = $1 AND enumerator = $2 AND revoked_at IS NULL
RETURNING id;

-- name: field_instance_get
-- An instance the wave received, by its instanceID: the response it belongs to, the hash of its body, and
-- whether an edit replaced it since. Locked until the end of the transaction, so that two sends of one
-- edit are applied one after the other.
SELECT response_id, body_sha256, superseded_at
FROM field_instance
WHERE wave_id = $1 AND instance_id = $2
FOR UPDATE;

-- name: field_instance_deprecated_by
-- The response of an edit that named instance $2 as the one it replaces (the edit came first).
SELECT response_id FROM field_instance
WHERE wave_id = $1 AND deprecates = $2
ORDER BY received_at
LIMIT 1;

-- name: field_instance_insert
-- Record an instance; nothing is returned when the wave has it already (sent twice at once), and the
-- caller's transaction is rolled back and the instance looked up again.
INSERT INTO field_instance (wave_id, instance_id, response_id, body_sha256, deprecates, key_id,
                            superseded_at)
VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::boolean THEN now() END)
ON CONFLICT DO NOTHING
RETURNING instance_id;

-- name: field_instance_supersede
-- An edit replaced this instance's answers.
UPDATE field_instance SET superseded_at = now()
WHERE wave_id = $1 AND instance_id = $2 AND superseded_at IS NULL;

-- name: field_response_insert
-- A finished interview from a field device ($5: complete, or declined): its answers checked against the
-- wave's version, the answers that broke a rule kept apart in flags (and its review pending then).
INSERT INTO response (id, wave_id, version_id, language, status, answers, pages, panel_key, channel,
                      enumerator, flags, review, submitted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'field', $9, $10,
        CASE WHEN $10::jsonb IS NULL THEN NULL ELSE 'pending' END, now())
RETURNING public_id;

-- name: field_response_replace
-- An edit of an interview (an instance with a deprecatedID): its answers, flags and review start again
-- from the new instance.
UPDATE response
SET answers = $2, pages = $3, panel_key = $4, flags = $5,
    review = CASE WHEN $5::jsonb IS NULL THEN NULL ELSE 'pending' END,
    updated_at = now()
WHERE id = $1 AND channel = 'field'
RETURNING public_id;

-- name: field_reviews_pending
-- The wave's field responses whose flagged answers wait for a researcher, oldest first.
SELECT public_id, enumerator, submitted_at, answers, flags
FROM response
WHERE wave_id = $1 AND review = 'pending'
ORDER BY submitted_at, public_id
LIMIT $2;

-- name: field_review_count
-- How many field interviews of a wave wait for a researcher's review (shown on the wave's card).
SELECT count(*) FROM response WHERE wave_id = $1 AND review = 'pending';

-- name: field_review_get
-- One response waiting for review, locked until the decision is stored.
SELECT id, public_id, answers, flags
FROM response
WHERE wave_id = $1 AND public_id = $2 AND review = 'pending'
FOR UPDATE;

-- name: field_review_accept
-- Accept the flagged answers: those that have a value join the answers.
UPDATE response
SET answers = $2, panel_key = $3, review = 'accepted', updated_at = now()
WHERE id = $1 AND review = 'pending';

-- name: field_review_reject
-- Reject the flagged answers: they stay out of the answers for good (kept in flags, for the record).
UPDATE response
SET review = 'rejected', updated_at = now()
WHERE id = $1 AND review = 'pending';

-- name: field_channel_counts
-- A wave's responses by channel, enumerator and status, with how many of each wait for review.
SELECT channel, enumerator, status, count(*) AS n,
       count(*) FILTER (WHERE review = 'pending') AS pending
FROM response
WHERE wave_id = $1
GROUP BY channel, enumerator, status
ORDER BY channel DESC, enumerator NULLS FIRST, status;
