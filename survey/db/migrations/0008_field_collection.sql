-- Field collection (issue 15): ODK Collect, KoboCollect and Enketo send interviews straight into a wave
-- through the OpenRosa endpoints of survey.field.

-- The secret server addresses of a wave's field collection: one for the wave itself (enumerator null) and
-- one per enumerator the researcher names. The token is the whole credential of a device (devices have no
-- cookie and no account), so it is long and random, shown only to the wave's researchers, and never
-- logged in full. Revoking keeps the row (the responses it delivered keep their enumerator); a revoked
-- address answers no request.
CREATE TABLE field_key (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wave_id     bigint NOT NULL REFERENCES wave (id),
    enumerator  text CHECK (enumerator IS NULL OR length(enumerator) BETWEEN 1 AND 60),
    token       text NOT NULL UNIQUE CHECK (length(token) >= 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- At most one address in use per wave and enumerator (and one for the wave itself).
CREATE UNIQUE INDEX field_key_in_use ON field_key (wave_id, coalesce(enumerator, ''))
    WHERE revoked_at IS NULL;

-- How a response arrived: the respondent's own web form, or a field device. A field response names the
-- enumerator whose address delivered it (null for the wave's own address and for web responses).
ALTER TABLE response ADD COLUMN channel text NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'field'));
ALTER TABLE response ADD COLUMN enumerator text;

-- Answers of a field response that break a rule the device should have enforced (a number out of its
-- range, a required question left empty): item key -> {"reason": message key, "params": {...}, "sent":
-- the text as sent (never a panel code), "value": the answer it would be without the broken rule, or
-- null}. They are not among the answers, and the response stays out of the analysis while its review is
-- 'pending'; a researcher accepts them (they become answers) or rejects them (they stay out for good).
ALTER TABLE response ADD COLUMN flags jsonb;
ALTER TABLE response ADD COLUMN review text CHECK (review IN ('pending', 'accepted', 'rejected'));
ALTER TABLE response ADD CONSTRAINT response_review_has_flags
    CHECK ((review IS NULL) = (flags IS NULL));
CREATE INDEX response_review_pending ON response (wave_id) WHERE review = 'pending';

-- Every OpenRosa instance a wave received, by its instanceID: what makes a re-sent instance change nothing
-- (the same body) or be refused (another body), and what an edit (an instance with a deprecatedID) replaces.
-- ``superseded_at`` is set when an edit replaced this instance's answers; ``deprecates`` is the instanceID
-- an edit named, also when that instance has not arrived (yet).
CREATE TABLE field_instance (
    wave_id        bigint NOT NULL REFERENCES wave (id),
    instance_id    text NOT NULL CHECK (length(instance_id) BETWEEN 1 AND 200),
    response_id    uuid NOT NULL REFERENCES response (id),
    body_sha256    bytea NOT NULL CHECK (length(body_sha256) = 32),
    deprecates     text,
    key_id         bigint NOT NULL REFERENCES field_key (id),
    received_at    timestamptz NOT NULL DEFAULT now(),
    superseded_at  timestamptz,
    PRIMARY KEY (wave_id, instance_id)
);

CREATE INDEX field_instance_response ON field_instance (response_id);
CREATE INDEX field_instance_deprecates ON field_instance (wave_id, deprecates)
    WHERE deprecates IS NOT NULL;
