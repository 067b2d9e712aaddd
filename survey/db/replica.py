"""Heavy reads on a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``), never a stale answer.

The campaign report (its page, the API's effects, ``survey analyze``) and the exports read every
response of a campaign; the respondents' pages, the console's forms and sign-in write, and read what
they wrote. :class:`Reads` gives the first kind a connection to the replica when one is configured, and
everything else keeps using the primary's pool.

Lag. A read goes to the replica only once the replica has replayed the primary's write-ahead log up
to where it was flushed when the read began (``pg_current_wal_flush_lsn()``), so it sees every
transaction committed before the request, exactly as the same read on the primary would: no page has
to say how old its numbers are, and a researcher who closes a wave and opens the report sees it
closed. A replica under normal load is milliseconds behind, so the wait is short; if it has not caught
up within ``SURVEY_REPLICA_MAX_WAIT`` seconds, or cannot be reached, or is not a standby at all (after
a fail-over, say), the read is made on the primary and logged, and the replica is passed over for
:data:`PASS_OVER_SECONDS`, so that a replica that is down or far behind costs one request the wait,
not every request. Waiting on the replica holds no connection of the primary's pool.

The application stays stateless: which server answers is decided per read from the servers' own log
positions; nothing is pinned to a session or a process, and the pass-over is a hint each process keeps
for itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

import asyncpg

from survey.db.pool import Pool, create_pool
from survey.db.queries import sql

logger = logging.getLogger(__name__)

#: Seconds the replica is passed over after it could not be reached or did not catch up in time:
#: long enough that a replica that is down costs one request in many the wait, short enough that it
#: takes its share back soon after it recovers.
PASS_OVER_SECONDS = 30.0

#: Seconds between two looks at the replica's replay position while a read waits for it.
POLL_SECONDS = 0.01

# What a replica that is down, restarting or unreachable raises on connecting or on the first query.
_UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class Reads:
    """Where a heavy read-only query runs: the replica when it is current, else the primary.

    ``primary`` is the server's pool, or the one connection of a command (``survey analyze``).
    """

    def __init__(
        self,
        primary: Pool | asyncpg.Connection,
        replica: Pool | None = None,
        *,
        max_wait: float = 1.0,
    ) -> None:
        self.primary = primary
        self.replica = replica
        self.max_wait = max_wait
        self._passed_over_until = 0.0

    def _on_primary(
        self, held: asyncpg.Connection | None
    ) -> AbstractAsyncContextManager[asyncpg.Connection]:
        if held is not None:
            return nullcontext(held)
        if isinstance(self.primary, asyncpg.Connection):
            return nullcontext(self.primary)
        return self.primary.acquire()

    def primary_connection(self) -> AbstractAsyncContextManager[asyncpg.Connection]:
        """A connection to the primary, for the little a heavy read writes back: the report's summaries,
        which a replica cannot store (docs/scaling.md)."""
        return self._on_primary(None)

    @asynccontextmanager
    async def connection(
        self, *, held: asyncpg.Connection | None = None
    ) -> AsyncIterator[asyncpg.Connection]:
        """A connection for a read-only query: to the replica once it has replayed everything the
        primary had committed when this was called, otherwise to the primary.

        ``held``: a connection to the primary that the caller holds already (an export keeps one for
        its audit entry), used for the primary's part instead of a second one from its pool, which a
        pool busy with such callers might not have.
        """
        if self.replica is None or time.monotonic() < self._passed_over_until:
            async with self._on_primary(held) as conn:
                yield conn
            return
        async with self._on_primary(held) as conn:
            position = await conn.fetchval(sql("primary_wal_position"))
        replica = await self._current_replica(self.replica, position)
        if replica is not None:
            try:
                yield replica
            finally:
                await self.replica.release(replica)
            return
        async with self._on_primary(held) as conn:
            yield conn

    async def _current_replica(self, pool: Pool, position: str) -> asyncpg.Connection | None:
        """A connection of the replica's pool once it has replayed ``position``; None when it cannot be
        had within the wait (a full pool included: the primary takes the read then)."""
        try:
            # asyncpg's own acquire: a full pool is one more reason to read on the primary, not a 503.
            conn = await asyncpg.Pool.acquire(pool, timeout=self.max_wait)
        except _UNREACHABLE as exc:
            self._pass_over(f"it did not answer ({type(exc).__name__}: {exc})")
            return None
        if await self._caught_up(conn, position):
            return conn
        await pool.release(conn)
        return None

    async def _caught_up(self, conn: asyncpg.Connection, position: str) -> bool:
        """Whether the replica reached ``position`` within ``max_wait``; if not, why, in the log."""
        deadline = time.monotonic() + self.max_wait
        try:
            while True:
                caught_up = await conn.fetchval(sql("replica_caught_up"), position)
                if caught_up is None:
                    return self._pass_over("it is not a standby in recovery")
                if caught_up:
                    return True
                if time.monotonic() >= deadline:
                    lag = await conn.fetchrow(sql("replica_lag"), position)
                    return self._pass_over(
                        f"it was still {lag['bytes_behind']:,.0f} bytes of log behind after "
                        f"{self.max_wait:g} s"
                    )
                await asyncio.sleep(POLL_SECONDS)
        except _UNREACHABLE as exc:
            return self._pass_over(f"it did not answer ({type(exc).__name__}: {exc})")

    def _pass_over(self, reason: str) -> bool:
        self._passed_over_until = time.monotonic() + PASS_OVER_SECONDS
        logger.warning(
            "read on the primary, not the replica: %s; the replica is passed over for %g s",
            reason,
            PASS_OVER_SECONDS,
        )
        return False


@asynccontextmanager
async def open_reads(
    primary: Pool | asyncpg.Connection,
    replica_url: str | None,
    *,
    pool_size: int = 10,
    max_wait: float = 1.0,
    query_timeout: float = 60.0,
) -> AsyncIterator[Reads]:
    """:class:`Reads` on ``primary`` and, when ``replica_url`` is set, a pool on the replica.

    The replica's pool opens no connection before the first read (min_size 0), so that the server and
    the commands start, and work on the primary, while the replica is down.
    """
    if not replica_url:
        yield Reads(primary)
        return
    replica = await create_pool(
        replica_url, min_size=0, max_size=pool_size, query_timeout=query_timeout
    )
    try:
        yield Reads(primary, replica, max_wait=max_wait)
    finally:
        await replica.close()
