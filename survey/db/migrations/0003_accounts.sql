-- Researcher accounts, their sessions and API tokens, sign-in attempts (for rate limiting) and the audit log.

CREATE TABLE account (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- stored lower-cased, so that sign-in and uniqueness ignore case
    email                text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
    role                 text NOT NULL CHECK (role IN ('admin', 'researcher', 'analyst', 'viewer')),
    -- argon2id, in the PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash)
    password_hash        text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled_at          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at      timestamptz
);

-- Server-side sessions. The cookie carries 32 random bytes; only their SHA-256 is stored, so a copy of the
-- database does not let anyone sign in.
CREATE TABLE account_session (
    token_hash    bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id    bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

CREATE INDEX account_session_account ON account_session (account_id);

-- Personal API tokens, shown once when created; stored as SHA-256 like sessions.
CREATE TABLE api_token (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    account_id    bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name          text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- Every sign-in attempt, so that the rate limit holds across all application processes. An attempt is
-- 'pending' while its password is being checked (it already counts against the limit), then 'failed',
-- 'succeeded', or 'refused' (not checked because the limit was reached; those do not count).
CREATE TABLE sign_in_attempt (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL,
    outcome       text NOT NULL DEFAULT 'pending'
                  CHECK (outcome IN ('pending', 'failed', 'succeeded', 'refused')),
    attempted_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sign_in_attempt_email ON sign_in_attempt (email, attempted_at);
CREATE INDEX sign_in_attempt_time ON sign_in_attempt (attempted_at);

-- What was done with raw responses (exports, API reads) and by whom; readable by admins in the console.
CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    -- null for the command line, which runs with the database's own credentials
    account_id    bigint REFERENCES account (id) ON DELETE SET NULL,
    actor         text NOT NULL,
    action        text NOT NULL,
    campaign_id   bigint REFERENCES campaign (id),
    detail        jsonb NOT NULL DEFAULT '{}',
    -- rows delivered, set when the export finished (null: still running, or interrupted)
    n_rows        bigint,
    finished_at   timestamptz
);

CREATE INDEX audit_log_at ON audit_log (at DESC);
