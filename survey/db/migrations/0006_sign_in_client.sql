-- Sign-in throttling per client address, instead of one limit over all accounts (which let anyone lock
-- everybody out). An attempt carries a keyed hash of its client's address, never the address itself; the
-- application erases it once the attempt is older than the throttling window.
ALTER TABLE sign_in_attempt ADD COLUMN client_key bytea CHECK (length(client_key) = 32);

CREATE INDEX sign_in_attempt_client ON sign_in_attempt (client_key, attempted_at)
    WHERE client_key IS NOT NULL;
