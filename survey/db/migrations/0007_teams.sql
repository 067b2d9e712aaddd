-- Teams and sharing, API tokens with a scope and an expiry, password reset links and the first
-- administrator's set-up code (issue 13, items 5 and 6; issue 12, finding 6).
--
-- An upgraded installation keeps working: every existing account, campaign and questionnaire moves into
-- one team, "default"; each account keeps its role there, and an administrator also stays an
-- administrator of the installation (accounts and teams). Questionnaires made so far stay visible to
-- every team, as they were to every account.

-- An organisation (the IOM team, the Save the Children team) whose members share its campaigns.
CREATE TABLE team (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    -- what people call it; without one, the console names the default team in the reader's language and
    -- any other team by its key
    name        text CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO team (key) VALUES ('default');

-- An account's role in a team. The same account may belong to several teams with a different role in
-- each; what it may do to a campaign is decided by its role in the campaign's team alone.
CREATE TABLE team_member (
    team_id     bigint NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    account_id  bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('admin', 'researcher', 'analyst', 'viewer')),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, account_id)
);

CREATE INDEX team_member_account ON team_member (account_id);

INSERT INTO team_member (team_id, account_id, role)
SELECT t.id, a.id, a.role FROM account a CROSS JOIN team t WHERE t.key = 'default';

-- An administrator of the installation manages accounts and teams; it reads no team's campaigns unless it
-- is a member of that team (docs/roles.md says why).
ALTER TABLE account ADD COLUMN installation_admin boolean NOT NULL DEFAULT false;
UPDATE account SET installation_admin = (role = 'admin');
-- The role lives in team_member now: one place, so that it cannot disagree with itself.
ALTER TABLE account DROP COLUMN role;

ALTER TABLE campaign ADD COLUMN team_id bigint REFERENCES team (id);
UPDATE campaign SET team_id = (SELECT id FROM team WHERE key = 'default');
ALTER TABLE campaign ALTER COLUMN team_id SET NOT NULL;
CREATE INDEX campaign_team ON campaign (team_id);

-- A questionnaire belongs to the team that first published it; ``shared`` lets every team of the
-- installation see it and run campaigns on it, otherwise only its own team does.
ALTER TABLE questionnaire ADD COLUMN team_id bigint REFERENCES team (id);
ALTER TABLE questionnaire ADD COLUMN shared boolean NOT NULL DEFAULT true;
UPDATE questionnaire SET team_id = (SELECT id FROM team WHERE key = 'default');
ALTER TABLE questionnaire ALTER COLUMN team_id SET NOT NULL;

-- API tokens: what they may read (scopes) and until when. Tokens made before had neither: they keep
-- both scopes and expire 90 days after the upgrade, so that no script stops at once and none reads for
-- ever.
ALTER TABLE api_token ADD COLUMN scopes text[] NOT NULL DEFAULT '{campaigns,responses}'
    CHECK (cardinality(scopes) > 0 AND scopes <@ '{campaigns,responses}'::text[]);
ALTER TABLE api_token ALTER COLUMN scopes DROP DEFAULT;
ALTER TABLE api_token ADD COLUMN expires_at timestamptz;
UPDATE api_token SET expires_at = greatest(created_at, now()) + interval '90 days';
ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_token ADD CONSTRAINT api_token_expires_after_creation CHECK (expires_at > created_at);
CREATE INDEX api_token_account ON api_token (account_id);

-- One-time links an installation administrator makes for an account that needs a new password. The link
-- carries 32 random bytes; only their SHA-256 is stored, as for sessions.
CREATE TABLE password_reset (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id  bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_by  bigint REFERENCES account (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE INDEX password_reset_account ON password_reset (account_id);

-- The code that guards the set-up page of the first administrator, printed in the server's log when it
-- starts with no administrator; at most one row (a new start replaces it), its SHA-256 only.
CREATE TABLE setup_code (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    code_hash   bytea NOT NULL CHECK (length(code_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    used_at     timestamptz
);
