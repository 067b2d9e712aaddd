-- What of a response leaves the database, and what a respondent's Back keeps (issue 12, findings 5, 8, 13).

-- The identifier exports and the API show for a response. The response's own id is what the respondent's
-- cookie and pages carry: shown to researchers, it would let whoever reads an export take over an
-- unfinished response. Every existing response gets its own random value.
ALTER TABLE response ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX response_public_id ON response (public_id);

-- How many times the panel code was changed after it was first given. A response may change it only a
-- few times (survey.collect.service.MAX_PANEL_CODE_CHANGES), so that one response cannot serve to try
-- code after code.
ALTER TABLE response ADD COLUMN panel_code_changes smallint NOT NULL DEFAULT 0
    CHECK (panel_code_changes >= 0);

-- What a respondent ticked or typed on a page she left with Back, unchecked: page key -> question key ->
-- the values as sent (never a panel code). Shown again when she comes back to that page; dropped when the
-- page is saved and when the response is finished. The analysis and the exports never read it.
ALTER TABLE response ADD COLUMN drafts jsonb NOT NULL DEFAULT '{}';

-- The pair identifier of a panel campaign: one random value per panel key that a complete pre and a
-- complete post response of one arm share, given when an export or the API first finds them linked.
-- Exports and the API show it instead of the panel key, which never leaves the database: its hash, even
-- keyed, lets whoever can see it and send answers find a code by trying codes.
CREATE TABLE panel_pair (
    campaign_id  bigint NOT NULL REFERENCES campaign (id),
    arm          text NOT NULL CHECK (arm IN ('campaign', 'comparison')),
    panel_key    text NOT NULL,
    pair_id      uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    linked_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, arm, panel_key)
);
