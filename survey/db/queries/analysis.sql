-- name: analysis_complete_responses
-- The complete responses of one wave in submission order: their answers as one JSON array (decoded in one
-- call, many times faster than a JSON value per row; survey.db.analysis decodes only the items the report
-- needs, straight into columns), their panel keys, and the answer to the campaign's cluster item ($2,
-- NULL for none) as text. The array is joined with string_agg rather than built by json_agg, which
-- measured slower for the same text (each jsonb value is already valid JSON). A field interview whose
-- flagged answers wait for a researcher's review is left out until she accepts or rejects them.
SELECT coalesce('[' || string_agg(answers::text, ',' ORDER BY submitted_at, id) || ']', '[]') AS answers,
       coalesce(array_agg(panel_key ORDER BY submitted_at, id), '{}') AS panel_keys,
       coalesce(array_agg(CASE WHEN $2::text IS NULL THEN NULL ELSE answers ->> $2::text END
                          ORDER BY submitted_at, id), '{}') AS clusters
FROM response
WHERE wave_id = $1 AND status = 'complete' AND review IS DISTINCT FROM 'pending';
