-- name: insert_account
INSERT INTO account (email, role, password_hash) VALUES ($1, $2, $3)
ON CONFLICT (email) DO NOTHING
RETURNING id;

-- name: account_by_email
SELECT id, email, role, language, disabled_at, created_at, password_changed_at, last_sign_in_at
FROM account WHERE email = $1;

-- name: account_by_id
SELECT id, email, role, language, disabled_at, created_at, password_changed_at, last_sign_in_at
FROM account WHERE id = $1;

-- name: list_accounts
SELECT id, email, role, language, disabled_at, created_at, password_changed_at, last_sign_in_at
FROM account ORDER BY email;

-- name: account_credentials
-- The password hash of an enabled account, for checking a sign-in.
SELECT id, password_hash FROM account WHERE email = $1 AND disabled_at IS NULL;

-- name: set_password_hash
UPDATE account SET password_hash = $2, password_changed_at = now() WHERE email = $1 RETURNING id;

-- name: rehash_password
-- Store a hash made with newer parameters; only if the password did not change meanwhile.
UPDATE account SET password_hash = $3 WHERE id = $1 AND password_hash = $2;

-- name: set_account_role
UPDATE account SET role = $2 WHERE id = $1 RETURNING id;

-- name: set_account_language
-- The console's interface language of one account (its own choice, from the switch in the header).
UPDATE account SET language = $2 WHERE id = $1 RETURNING id;

-- name: set_account_disabled
UPDATE account SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END
WHERE id = $1 RETURNING id;

-- name: mark_signed_in
UPDATE account SET last_sign_in_at = now() WHERE id = $1;

-- name: insert_session
INSERT INTO account_session (token_hash, account_id) VALUES ($1, $2);

-- name: touch_session
-- The signed-in account of a live session, which counts as seen now. A session ends when revoked, when
-- idle for longer than $2 or older than $3, or when its account is disabled.
UPDATE account_session s SET last_seen_at = now()
FROM account a
WHERE s.token_hash = $1
  AND a.id = s.account_id
  AND s.revoked_at IS NULL
  AND a.disabled_at IS NULL
  AND s.last_seen_at > now() - $2::interval
  AND s.created_at > now() - $3::interval
RETURNING a.id, a.email, a.role, a.language;

-- name: revoke_session
UPDATE account_session SET revoked_at = coalesce(revoked_at, now()) WHERE token_hash = $1;

-- name: revoke_sessions_of
UPDATE account_session SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL;

-- name: delete_old_sessions
-- Sessions past their absolute lifetime are of no use to anyone; keep the table small.
DELETE FROM account_session WHERE created_at < now() - $1::interval;

-- name: insert_sign_in_attempt
-- $2: the keyed hash of the client's address (null when unknown), never the address itself.
INSERT INTO sign_in_attempt (email, client_key) VALUES ($1, $2) RETURNING id;

-- name: finish_sign_in_attempt
UPDATE sign_in_attempt SET outcome = $2 WHERE id = $1;

-- name: failed_sign_ins
-- Attempts that count against the limits within the window $3, with the oldest of each: for the account
-- $1, those since its last successful sign-in and since its password last changed (a new password set by
-- an administrator unlocks it); for the client $2, all of them. Pending attempts count, so that requests
-- arriving together cannot all pass the check before any of them is recorded as failed.
WITH since AS (
    SELECT greatest(
        now() - $3::interval,
        (SELECT max(s.attempted_at) FROM sign_in_attempt s
         WHERE s.email = $1 AND s.outcome = 'succeeded'),
        (SELECT a.password_changed_at FROM account a WHERE a.email = $1)
    ) AS t
),
for_account AS (
    SELECT count(*) AS n, min(a.attempted_at) AS oldest FROM sign_in_attempt a, since
    WHERE a.email = $1 AND a.outcome IN ('pending', 'failed') AND a.attempted_at > since.t
),
for_address AS (
    SELECT count(*) AS n, min(a.attempted_at) AS oldest FROM sign_in_attempt a
    WHERE $2::bytea IS NOT NULL AND a.client_key = $2
      AND a.outcome IN ('pending', 'failed') AND a.attempted_at > now() - $3::interval
)
SELECT for_account.n AS for_account, for_account.oldest AS account_oldest,
       for_address.n AS for_address, for_address.oldest AS address_oldest
FROM for_account, for_address;

-- name: delete_old_sign_in_attempts
DELETE FROM sign_in_attempt WHERE attempted_at < now() - $1::interval;

-- name: forget_sign_in_client_keys
-- A client's hash is needed only while its attempts count against its limit: erased after the window.
UPDATE sign_in_attempt SET client_key = NULL
WHERE client_key IS NOT NULL AND attempted_at < now() - $1::interval;

-- name: insert_api_token
INSERT INTO api_token (token_hash, account_id, name) VALUES ($1, $2, $3) RETURNING id;

-- name: use_api_token
-- The account behind a live API token, with the account's current role.
UPDATE api_token t SET last_used_at = now()
FROM account a
WHERE t.token_hash = $1 AND a.id = t.account_id AND t.revoked_at IS NULL AND a.disabled_at IS NULL
RETURNING a.id, a.email, a.role, a.language, t.id AS token_id;

-- name: revoke_api_tokens_of
UPDATE api_token SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL;

-- name: insert_audit
INSERT INTO audit_log (account_id, actor, action, campaign_id, detail)
VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: finish_audit
UPDATE audit_log SET n_rows = $2, finished_at = now() WHERE id = $1;

-- name: list_audit
-- Newest first, in pages: $1 is the id below which to continue (null: from the newest).
SELECT l.id, l.at, l.actor, l.action, c.key AS campaign, l.detail, l.n_rows, l.finished_at
FROM audit_log l LEFT JOIN campaign c ON c.id = l.campaign_id
WHERE $1::bigint IS NULL OR l.id < $1
ORDER BY l.id DESC
LIMIT $2;
