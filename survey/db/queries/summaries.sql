-- name: report_summary_ensure
-- A summary row for each of these waves, empty where there was none, so that a report reads an epoch for
-- every wave (the one it must still find when it writes its summary back).
INSERT INTO report_summary (wave_id)
SELECT unnest($1::bigint[])
ON CONFLICT (wave_id) DO NOTHING;

-- name: report_summary_read
-- The stored summaries of these waves: their epoch, the scoring inputs they were made with and their
-- cells (NULL when none is kept, or since a summarised response changed).
SELECT wave_id, epoch, inputs, cells
FROM report_summary
WHERE wave_id = ANY($1::bigint[]);

-- name: report_summary_pending
-- The responses counted since the wave's summary was made: their ids (to delete once added) and, where
-- the response is still counted, its answers as JSON text and its answer to the cluster item ($2).
SELECT p.response_id,
       r.answers::text AS answers,
       CASE WHEN $2::text IS NULL THEN NULL ELSE r.answers ->> $2::text END AS cluster
FROM report_summary_pending p
LEFT JOIN response r
       ON r.id = p.response_id AND r.wave_id = p.wave_id
      AND r.status = 'complete' AND r.review IS DISTINCT FROM 'pending'
WHERE p.wave_id = $1;

-- name: report_summary_pending_ids
-- The ids waiting to be added to a wave's summary, when the summary is made anew from every response
-- (they are all in it, so they are deleted with the write).
SELECT response_id FROM report_summary_pending WHERE wave_id = $1;

-- name: report_summary_save
-- Store a wave's summary, only if nothing changed it since it was read (same epoch): neither a change to a
-- summarised response nor another report's write (which may hold responses completed after this read).
UPDATE report_summary
SET cells = $3, inputs = $4, responses = $5, epoch = epoch + 1, updated_at = now()
WHERE wave_id = $1 AND epoch = $2;

-- name: report_summary_consume
-- The pending responses now in the wave's summary.
DELETE FROM report_summary_pending
WHERE wave_id = $1 AND response_id = ANY($2::uuid[]);

-- name: analysis_counted_rows
-- Every counted response of a wave (complete, and not waiting for a review, as in
-- analysis_complete_responses), one row each, for a summary made anew: read in batches through a cursor so
-- that memory stays flat at a million responses. Their order does not matter to a summary.
SELECT answers::text AS answers,
       CASE WHEN $2::text IS NULL THEN NULL ELSE answers ->> $2::text END AS cluster
FROM response
WHERE wave_id = $1 AND status = 'complete' AND review IS DISTINCT FROM 'pending';

-- name: report_summary_pending_vacuum
-- After a report added many pending responses at once (the first report of a large campaign), their
-- deleted rows would make every later report scan them until autovacuum comes by: measured at 1,000,000
-- responses, the report took 0.8 s instead of 0.06 s in between. Run outside a transaction.
VACUUM report_summary_pending;

-- name: report_campaigns_to_warm
-- The campaigns whose next report would read many responses, for the warm-up that reads them before a
-- reader asks (survey.reports.warm): a wave with at least $1 responses counted since its summary, or
-- with a counted response and no summary (never made, or emptied by a change); with $2, every campaign
-- with a counted response (after a start: a release may have changed the scoring, which only a report
-- can tell). Panels are matched on rows and keep no summary.
SELECT c.key
FROM campaign c
JOIN wave w ON w.campaign_id = c.id
LEFT JOIN report_summary s ON s.wave_id = w.id
WHERE c.design <> 'panel'
  AND (
      ((s.cells IS NULL OR $2::boolean)
       AND EXISTS (SELECT 1 FROM response r
                   WHERE r.wave_id = w.id AND r.status = 'complete'
                     AND r.review IS DISTINCT FROM 'pending'))
      OR (SELECT count(*)
          FROM (SELECT 1 FROM report_summary_pending p WHERE p.wave_id = w.id LIMIT $1) AS few) >= $1
  )
GROUP BY c.key
ORDER BY c.key;

-- name: report_warm_lock
-- Whether this process may warm campaign $1's report now: a lock held until the transaction ends, so
-- that two server processes do not both read a million responses for the same summaries. Reports
-- themselves never take it.
SELECT pg_try_advisory_xact_lock(hashtext('report_summary'), hashtext($1::text));
