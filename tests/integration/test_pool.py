"""The pool hands connections back without asyncpg's reset statement, and still never leaks a transaction."""

from __future__ import annotations

import asyncpg

from survey.db.pool import create_pool


async def test_a_released_connection_runs_no_reset_statement(
    database_url: str, db: asyncpg.Connection
):
    # pg_stat_activity.query is the last statement the backend ran: with asyncpg's default reset it would
    # be "SELECT pg_advisory_unlock_all(); CLOSE ALL; ...", one more round trip on every request.
    pool = await create_pool(database_url, max_size=1)
    try:
        async with pool.acquire() as conn:
            pid = await conn.fetchval("SELECT pg_backend_pid()")
        last = await db.fetchval("SELECT query FROM pg_stat_activity WHERE pid = $1", pid)
        assert last == "SELECT pg_backend_pid()"
    finally:
        await pool.close()


async def test_a_transaction_left_open_is_rolled_back_when_the_connection_goes_back(
    database_url: str, db: asyncpg.Connection
):
    await db.execute("CREATE TABLE pool_probe (n int)")
    pool = await create_pool(database_url, max_size=1)
    try:
        async with pool.acquire() as conn:
            await conn.execute("BEGIN")
            await conn.execute("INSERT INTO pool_probe VALUES (1)")
        async with pool.acquire() as conn:  # the same connection: the pool holds one
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT count(*) FROM pool_probe") == 0
            await conn.execute("INSERT INTO pool_probe VALUES (2)")
        assert await db.fetchval("SELECT array_agg(n) FROM pool_probe") == [2]
    finally:
        await pool.close()
