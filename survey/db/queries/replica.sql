-- name: primary_wal_position
-- On the primary: how far its write-ahead log is flushed. Every transaction committed before this read
-- lies at or before it, and a standby receives the log up to it (a walsender sends only flushed WAL).
SELECT pg_current_wal_flush_lsn()::text;

-- name: replica_caught_up
-- On the replica: whether it has replayed the primary's log up to $1 (NULL when the server is not a
-- standby in recovery, so nothing says how current it is).
SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn;

-- name: replica_lag
-- On the replica, for the figures in docs/scaling.md: bytes of the primary's log position $1 not yet
-- replayed, and seconds since the last transaction it replayed was committed on the primary.
SELECT pg_wal_lsn_diff($1::text::pg_lsn, pg_last_wal_replay_lsn()) AS bytes_behind,
       extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS seconds_since_replay;

-- name: in_recovery
-- Whether this server is a standby replaying the primary's log (and so cannot write).
SELECT pg_is_in_recovery();
