-- name: insert_account
-- A new account (its first team membership is inserted beside it); nothing returned when the address is
-- taken.
INSERT INTO account (email, installation_admin, password_hash) VALUES ($1, $2, $3)
ON CONFLICT (email) DO NOTHING
RETURNING id;

-- name: team_id_by_key
-- The team an account is created into (by its key, as the command line and the console name it).
SELECT id FROM team WHERE key = $1;

-- name: insert_first_membership
-- A new account's first role, in the team it was created for: an account belongs to no team only
-- between these two statements, inside one transaction.
INSERT INTO team_member (team_id, account_id, role) VALUES ($1, $2, $3);

-- name: account_by_email
-- An account by its address (normalised by the caller), for the console's pages about accounts.
SELECT id, email, installation_admin, language, disabled_at, created_at, password_changed_at,
       last_sign_in_at
FROM account WHERE email = $1;

-- name: account_by_id
-- An account by its id (the console's account pages name accounts by id, never by address).
SELECT id, email, installation_admin, language, disabled_at, created_at, password_changed_at,
       last_sign_in_at
FROM account WHERE id = $1;

-- name: list_accounts
-- Every account, alphabetically: the installation administrator's accounts page.
SELECT id, email, installation_admin, language, disabled_at, created_at, password_changed_at,
       last_sign_in_at
FROM account ORDER BY email;

-- name: account_credentials
-- The password hash of an enabled account, for checking a sign-in.
SELECT id, password_hash FROM account WHERE email = $1 AND disabled_at IS NULL;

-- name: set_password_hash
-- A new password, by address (set-password on the command line, one's own change): the caller ends the
-- account's other sessions and tokens in the same transaction.
UPDATE account SET password_hash = $2, password_changed_at = now() WHERE email = $1 RETURNING id;

-- name: set_password_hash_of
-- A new password, by account id: the one a reset link sets, within finish_password_reset's transaction.
UPDATE account SET password_hash = $2, password_changed_at = now() WHERE id = $1;

-- name: lock_password
-- A password reset: the old password stops working at once ($2 is the hash of a secret nobody keeps).
UPDATE account SET password_hash = $2, password_changed_at = now() WHERE id = $1 RETURNING id;

-- name: rehash_password
-- Store a hash made with newer parameters; only if the password did not change meanwhile.
UPDATE account SET password_hash = $3 WHERE id = $1 AND password_hash = $2;

-- name: set_installation_admin
-- Make an account an installation administrator, or no longer one; no row when there is no such
-- account.
UPDATE account SET installation_admin = $2 WHERE id = $1 RETURNING id;

-- name: installation_admin_exists
-- Whether the installation has an enabled administrator (until it has, the set-up page is open).
SELECT EXISTS (SELECT 1 FROM account WHERE installation_admin AND disabled_at IS NULL);

-- name: any_account
-- Whether the installation has any account yet: without one, the first visit offers the set-up page.
SELECT EXISTS (SELECT 1 FROM account);

-- name: set_account_language
-- The console's interface language of one account (its own choice, from the switch in the header).
UPDATE account SET language = $2 WHERE id = $1 RETURNING id;

-- name: set_account_disabled
-- Disable ($2 true: keeping the first time it was disabled) or enable an account; no row when there
-- is no such account.
UPDATE account SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END
WHERE id = $1 RETURNING id;

-- name: mark_signed_in
-- When the account last signed in, shown on the accounts page so that unused accounts can be found.
UPDATE account SET last_sign_in_at = now() WHERE id = $1;

-- name: insert_session
-- A new server-side session; only the hash of its token is kept, so a stolen table opens nothing.
INSERT INTO account_session (token_hash, account_id) VALUES ($1, $2);

-- name: touch_session
-- The signed-in account of a live session, which counts as seen now, with its teams and its role in
-- each (read with the session, in one round trip). A session ends when revoked, when idle for longer
-- than $2 or older than $3, or when its account is disabled.
UPDATE account_session s SET last_seen_at = now()
FROM account a
WHERE s.token_hash = $1
  AND a.id = s.account_id
  AND s.revoked_at IS NULL
  AND a.disabled_at IS NULL
  AND s.last_seen_at > now() - $2::interval
  AND s.created_at > now() - $3::interval
RETURNING a.id, a.email, a.installation_admin, a.language,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('team_id', t.id, 'team', t.key, 'name', t.name,
                                                  'role', m.role) ORDER BY t.key), '[]'::jsonb)
     FROM team_member m JOIN team t ON t.id = m.team_id WHERE m.account_id = a.id) AS teams;

-- name: revoke_session
-- End one session (sign-out); signing out twice is not an error.
UPDATE account_session SET revoked_at = coalesce(revoked_at, now()) WHERE token_hash = $1;

-- name: revoke_sessions_of
-- End every session of an account (disabled, password changed or reset).
UPDATE account_session SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL;

-- name: revoke_other_sessions_of
-- Every live session of the account but the one whose hash is $2 (null: all of them).
UPDATE account_session SET revoked_at = now()
WHERE account_id = $1 AND revoked_at IS NULL AND token_hash IS DISTINCT FROM $2::bytea;

-- name: delete_old_sessions
-- Sessions past their absolute lifetime are of no use to anyone; keep the table small.
DELETE FROM account_session WHERE created_at < now() - $1::interval;

-- name: insert_sign_in_attempt
-- $2: the keyed hash of the client's address (null when unknown), never the address itself.
INSERT INTO sign_in_attempt (email, client_key) VALUES ($1, $2) RETURNING id;

-- name: finish_sign_in_attempt
-- What came of an attempt recorded as pending before the limits were counted (failed, succeeded,
-- refused): failures are what the limits count.
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
-- Forget attempts older than the longest window any limit looks at: the table stays small.
DELETE FROM sign_in_attempt WHERE attempted_at < now() - $1::interval;

-- name: forget_sign_in_client_keys
-- A client's hash is needed only while its attempts count against its limit: erased after the window.
UPDATE sign_in_attempt SET client_key = NULL
WHERE client_key IS NOT NULL AND attempted_at < now() - $1::interval;

-- name: insert_api_token
-- A new token living $5 from now (the database's now, as created_at).
WITH made AS (
    INSERT INTO api_token (token_hash, account_id, name, scopes, expires_at)
    VALUES ($1, $2, $3, $4, now() + $5::interval)
    RETURNING id, account_id, name, scopes, created_at, expires_at, last_used_at, revoked_at
)
SELECT m.id, a.email, m.name, m.scopes, m.created_at, m.expires_at, m.last_used_at, m.revoked_at
FROM made m JOIN account a ON a.id = m.account_id;

-- name: use_api_token
-- The account behind a live API token (not revoked, not expired, its owner enabled), with the account's
-- current teams and roles, and the token's scopes.
UPDATE api_token t SET last_used_at = now()
FROM account a
WHERE t.token_hash = $1 AND a.id = t.account_id AND t.revoked_at IS NULL AND t.expires_at > now()
  AND a.disabled_at IS NULL
RETURNING a.id, a.email, a.installation_admin, a.language, t.id AS token_id, t.scopes,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('team_id', tm.id, 'team', tm.key, 'name', tm.name,
                                                  'role', m.role) ORDER BY tm.key), '[]'::jsonb)
     FROM team_member m JOIN team tm ON tm.id = m.team_id WHERE m.account_id = a.id) AS teams;

-- name: list_api_tokens
-- The tokens of account $1 (every account's when null), newest first.
SELECT t.id, a.email, t.name, t.scopes, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
FROM api_token t JOIN account a ON a.id = t.account_id
WHERE $1::bigint IS NULL OR t.account_id = $1
ORDER BY t.created_at DESC, t.id DESC;

-- name: revoke_api_token
-- Revoke one token (of account $2 only, when not null); a token revoked earlier keeps its time.
UPDATE api_token t SET revoked_at = coalesce(t.revoked_at, now())
FROM account a
WHERE t.id = $1 AND a.id = t.account_id AND ($2::bigint IS NULL OR t.account_id = $2)
RETURNING t.id, a.email, t.name, t.scopes, t.created_at, t.expires_at, t.last_used_at, t.revoked_at;

-- name: revoke_api_tokens_of
-- End every API token of an account (password changed or reset, account disabled).
UPDATE api_token SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL;

-- name: revoke_password_resets_of
-- Unused reset links of an account end when its password changes (or a new link is made).
UPDATE password_reset SET used_at = now() WHERE account_id = $1 AND used_at IS NULL;

-- name: insert_password_reset
-- A one-time reset link: the hash of its secret, whose account, who made it and until when.
INSERT INTO password_reset (token_hash, account_id, created_by, expires_at) VALUES ($1, $2, $3, $4);

-- name: password_reset_by_hash
-- A live reset link: unused, not expired, its account enabled.
SELECT r.account_id, a.email, r.expires_at, a.language
FROM password_reset r JOIN account a ON a.id = r.account_id
WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now() AND a.disabled_at IS NULL;

-- name: use_password_reset
-- Use a live reset link once; nothing is returned for a used, expired or unknown one.
UPDATE password_reset r SET used_at = now()
FROM account a
WHERE r.token_hash = $1 AND a.id = r.account_id
  AND r.used_at IS NULL AND r.expires_at > now() AND a.disabled_at IS NULL
RETURNING r.account_id, a.email, r.expires_at, a.language;

-- name: replace_setup_code
-- The first administrator's set-up code (its hash): one row only; a new server start replaces it and
-- makes it usable again.
INSERT INTO setup_code (code_hash) VALUES ($1)
ON CONFLICT (singleton) DO UPDATE SET code_hash = excluded.code_hash, created_at = now(), used_at = NULL;

-- name: use_setup_code
-- Mark the set-up code used when $1 is its hash and it is unused (the row is locked until the caller's
-- transaction ends, so that two uses at once cannot both pass).
UPDATE setup_code SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL RETURNING true;

-- name: insert_audit
-- An audit entry, begun before the work it records (an export, an API read), so that a failed export
-- is still on record; finish_audit adds its row count.
INSERT INTO audit_log (account_id, actor, action, campaign_id, detail)
VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: finish_audit
-- How many rows the audited export or read gave, and when it finished.
UPDATE audit_log SET n_rows = $2, finished_at = now() WHERE id = $1;

-- name: list_audit
-- Newest first, in pages: $1 is the id below which to continue (null: from the newest).
SELECT l.id, l.at, l.actor, l.action, c.key AS campaign, l.detail, l.n_rows, l.finished_at
FROM audit_log l LEFT JOIN campaign c ON c.id = l.campaign_id
WHERE $1::bigint IS NULL OR l.id < $1
ORDER BY l.id DESC
LIMIT $2;
