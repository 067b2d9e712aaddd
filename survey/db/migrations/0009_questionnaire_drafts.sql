-- Questionnaire drafts: a definition being edited in the console's editor (issue 14), before it is
-- published as an immutable version.
--
-- A draft belongs to one team, whose administrators and researchers see and edit it. ``definition`` holds
-- the questionnaire as the msgspec model of survey/questionnaire/model.py encodes it: it decodes into that
-- model whatever its state, and may still break rules the loader checks (a text not yet written), which
-- the editor shows until it is publishable. ``revision`` counts the changes: a write names the revision it
-- was made on, and a stale one is refused, so that two people editing one draft never silently overwrite
-- each other. ``previous`` is the definition before the last change, for undo (one step).
CREATE TABLE questionnaire_draft (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id      bigint NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    definition   jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    previous     jsonb CHECK (previous IS NULL OR jsonb_typeof(previous) = 'object'),
    revision     integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    created_by   bigint REFERENCES account (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   bigint REFERENCES account (id) ON DELETE SET NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX questionnaire_draft_team ON questionnaire_draft (team_id);
