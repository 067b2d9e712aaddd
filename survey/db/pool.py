"""Connection pool with msgspec-backed JSON codecs, and a bounded wait for a connection.

The pool is the server's scarcest resource: every request that needs the database takes one of its few
connections. No request may hold one while it waits on a client (bodies are read before, see
``survey/web/limits.py``), and a request that finds the pool busy waits at most ``pool_timeout``
seconds, then gets 503 (:class:`DatabaseBusy`) instead of queueing for as long as its client waits.

A connection goes back to the pool without asyncpg's reset statement (:func:`keep_session`): that
statement (unlock advisory locks, close cursors, unlisten, reset settings) is one more round trip to
PostgreSQL on every request, for session state this application never leaves behind.
"""

from __future__ import annotations

from types import TracebackType

import asyncpg
import msgspec

from survey.errors import SurveyError

_encoder = msgspec.json.Encoder()


class DatabaseBusy(SurveyError):
    """The server is busy just now. Please try again in a moment."""

    status_code = 503


def _encode_json(value: object) -> str:
    return _encoder.encode(value).decode()


async def init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name, encoder=_encode_json, decoder=msgspec.json.decode, schema="pg_catalog"
        )


async def keep_session(conn: asyncpg.Connection) -> None:
    """What a connection needs before it goes back to the pool, beyond what asyncpg always does: nothing.

    asyncpg always rolls back an open transaction and drops listeners on release. Its default reset
    statement undoes session state that nothing here creates: settings are changed only for a
    transaction (``set_config(..., true)``), cursors live inside transactions, nothing listens, and the
    one session advisory lock (the migrations') is released in a ``finally``.
    ``tests/unit/test_session_state.py`` holds the code to that; a session-level ``SET``, advisory lock,
    ``LISTEN`` or held cursor added anywhere fails it.
    """


class _Acquired:
    """``async with pool.acquire() as conn``: DatabaseBusy instead of a TimeoutError when none is free."""

    __slots__ = ("_context", "_timeout")

    def __init__(self, context: asyncpg.pool.PoolAcquireContext, timeout: float | None) -> None:
        self._context = context
        self._timeout = timeout

    async def __aenter__(self) -> asyncpg.Connection:
        try:
            return await self._context.__aenter__()
        except TimeoutError:
            raise DatabaseBusy(
                f"No database connection was free within {self._timeout:g} seconds: "
                "the server is busy just now. Please try again in a moment."
            ) from None

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._context.__aexit__(kind, error, traceback)


class Pool(asyncpg.Pool):
    """An asyncpg pool whose ``acquire()`` waits at most ``acquire_timeout`` seconds by default."""

    def __init__(self, *args: object, acquire_timeout: float | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> _Acquired:  # type: ignore[override]
        wait = timeout if timeout is not None else self.acquire_timeout
        return _Acquired(super().acquire(timeout=wait), wait)


async def create_pool(
    url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    acquire_timeout: float | None = None,
    query_timeout: float = 60.0,
) -> Pool:
    """A started pool of ``max_size`` connections (the ``pool_size`` setting for the server)."""
    pool = Pool(
        url,
        min_size=min_size,
        max_size=max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        connect=None,
        setup=None,
        init=init_connection,
        reset=keep_session,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        command_timeout=query_timeout,
        acquire_timeout=acquire_timeout,
    )
    await pool
    return pool


async def connect(url: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(url)
    await init_connection(conn)
    return conn
