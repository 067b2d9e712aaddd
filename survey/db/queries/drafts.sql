-- name: draft_insert
-- A new draft of team $1 by account $3, at revision 1.
INSERT INTO questionnaire_draft (team_id, definition, created_by, updated_by)
VALUES ($1, $2, $3, $3)
RETURNING id;

-- name: draft_row
-- One draft with its team and the e-mail addresses of who made it and who changed it last.
SELECT d.id, d.team_id, t.key AS team, t.name AS team_name, d.definition, d.previous IS NOT NULL AS can_undo,
       d.revision, d.created_at, d.updated_at, c.email AS created_by, u.email AS updated_by
FROM questionnaire_draft d
JOIN team t ON t.id = d.team_id
LEFT JOIN account c ON c.id = d.created_by
LEFT JOIN account u ON u.id = d.updated_by
WHERE d.id = $1;

-- name: draft_previous
-- The definition before the last change of a draft, for undo.
SELECT previous FROM questionnaire_draft WHERE id = $1;

-- name: draft_update
-- Save a change made on revision $3: nothing is written (and no row returned) when the draft has moved on
-- since, so that a second writer never overwrites the first without seeing it. $4 is what undo restores.
UPDATE questionnaire_draft
SET definition = $2, previous = $4, revision = revision + 1, updated_by = $5, updated_at = now()
WHERE id = $1 AND revision = $3
RETURNING revision;

-- name: draft_delete
-- Discard a draft (made on revision $2; a stale revision discards nothing).
DELETE FROM questionnaire_draft WHERE id = $1 AND revision = $2 RETURNING id;

-- name: draft_list
-- The drafts of teams $1, most recently changed first, for the questionnaire list.
SELECT d.id, d.team_id, t.key AS team, t.name AS team_name, d.definition ->> 'key' AS key,
       d.definition -> 'title' AS title, d.revision, d.updated_at, u.email AS updated_by
FROM questionnaire_draft d
JOIN team t ON t.id = d.team_id
LEFT JOIN account u ON u.id = d.updated_by
WHERE d.team_id = ANY($1::bigint[])
ORDER BY d.updated_at DESC, d.id DESC;
