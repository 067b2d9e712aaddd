-- Questionnaires, their immutable versions, campaigns, waves and responses.

CREATE TABLE questionnaire (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE questionnaire_version (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    questionnaire_id  bigint NOT NULL REFERENCES questionnaire (id),
    version           integer NOT NULL CHECK (version >= 1),
    sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    definition        jsonb NOT NULL,
    -- item key -> fingerprint of what the respondent sees and how it is scored
    fingerprints      jsonb NOT NULL,
    -- item key -> fingerprint it is compared under: its own, or an earlier version's when marked equivalent
    comparability     jsonb NOT NULL,
    published_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (questionnaire_id, version),
    UNIQUE (questionnaire_id, sha256)
);

-- Published versions are immutable: responses and analyses refer to them by number.
CREATE FUNCTION reject_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published questionnaire versions are immutable'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER questionnaire_version_immutable
    BEFORE UPDATE OR DELETE ON questionnaire_version
    FOR EACH ROW EXECUTE FUNCTION reject_version_change();

CREATE TRIGGER questionnaire_version_no_truncate
    BEFORE TRUNCATE ON questionnaire_version
    FOR EACH STATEMENT EXECUTE FUNCTION reject_version_change();

CREATE TABLE campaign (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key               text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    questionnaire_id  bigint NOT NULL REFERENCES questionnaire (id),
    design            text NOT NULL CHECK (design IN ('independent', 'panel', 'comparison')),
    cluster_item      text,
    -- key of the HMAC that turns panel codes into pseudonymous panel keys; never leaves the database
    panel_secret      bytea NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wave (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id   bigint NOT NULL REFERENCES campaign (id),
    key           text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,80}$'),
    phase         text NOT NULL CHECK (phase IN ('pre', 'post')),
    arm           text NOT NULL CHECK (arm IN ('campaign', 'comparison')),
    version_id    bigint NOT NULL REFERENCES questionnaire_version (id),
    token         text NOT NULL UNIQUE,
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    opens_at      timestamptz,
    closes_at     timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, phase, arm)
);

CREATE TABLE response (
    id            uuid PRIMARY KEY,
    wave_id       bigint NOT NULL REFERENCES wave (id),
    -- the version the response started on; it is validated against this one even if a newer one appears
    version_id    bigint NOT NULL REFERENCES questionnaire_version (id),
    language      text NOT NULL,
    status        text NOT NULL DEFAULT 'in_progress'
                  CHECK (status IN ('in_progress', 'complete', 'declined')),
    answers       jsonb NOT NULL DEFAULT '{}',
    -- page keys saved so far, in order, for resume and drop-off
    pages         text[] NOT NULL DEFAULT '{}',
    panel_key     text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    submitted_at  timestamptz
);

CREATE INDEX response_wave_status ON response (wave_id, status);
CREATE INDEX response_panel_key ON response (panel_key) WHERE panel_key IS NOT NULL;
