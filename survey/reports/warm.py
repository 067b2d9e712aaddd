"""Reports made ready before anyone asks: the summaries a report would otherwise make in a web request.

A report costs its summaries' read plus the responses counted since (``survey.reports.data``), except
when a summary must be made from every response: the first report of a campaign, after a release that
changed the scoring, after a review decision or an erasure emptied one, or when many responses came in
since the last report. At a million responses that is about twenty seconds, which a program lead opening
the report should not wait. Each server process runs :func:`keep_reports_warm`: once at start for every
campaign (only a report can tell whether a release changed the scoring), then every
``report_warmup`` seconds for the campaigns whose summaries are missing or far behind. A transaction
lock per campaign keeps two processes from doing the same campaign at once; a report asked for
meanwhile is still right (it makes what it lacks itself, and the summaries' epochs decide which write
is kept).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

import asyncpg

from survey.db import summaries as summaries_db
from survey.db.queries import sql
from survey.errors import SurveyError
from survey.reports.data import campaign_cells

__all__ = ["FAR_BEHIND", "keep_reports_warm", "warm_campaign", "warm_campaigns"]

logger = logging.getLogger(__name__)

#: Responses counted since a wave's summary from which the next report is worth making ready ahead:
#: fewer cost a report well under a tenth of a second (benchmarks/report.py).
FAR_BEHIND: Final = 1000

#: Seconds after a process starts before its first pass, so that starting serves requests first.
START_DELAY: Final = 5.0


async def warm_campaign(pool: asyncpg.Pool, key: str) -> bool:
    """Bring campaign ``key``'s summaries up to date; False when another process is doing it now.

    The summaries are read and written in one repeatable-read transaction, the snapshot a report reads
    in, under a transaction lock that only warm-ups take.
    """
    async with pool.acquire() as conn:
        async with conn.transaction(isolation="repeatable_read"):
            if not await conn.fetchval(sql("report_warm_lock"), key):
                return False
            await campaign_cells(conn, key)
        # Inside the transaction the report could not vacuum the pending responses it took in.
        await summaries_db.vacuum_pending(conn)
    return True


async def warm_campaigns(
    pool: asyncpg.Pool, *, everything: bool = False, far_behind: int = FAR_BEHIND
) -> list[str]:
    """Warm the campaigns whose summaries are missing or ``far_behind`` responses behind (every
    campaign with a counted response with ``everything``); the keys of those this process warmed."""
    async with pool.acquire() as conn:
        found = await conn.fetch(sql("report_campaigns_to_warm"), far_behind, everything)
    keys = [row["key"] for row in found]
    warmed = []
    for key in keys:
        try:
            if await warm_campaign(pool, key):
                warmed.append(key)
        except asyncpg.SerializationError:
            # A report stored the same summaries meanwhile: nothing is left to do.
            logger.info("report of %s was made ready by a reader meanwhile", key)
        except SurveyError as exc:  # the campaign was deleted, or the database is busy
            logger.info("report of %s not made ready: %s", key, exc)
    return warmed


async def keep_reports_warm(
    pool: asyncpg.Pool, every: float, *, first_after: float = START_DELAY
) -> None:
    """Run :func:`warm_campaigns` ``first_after`` seconds after start for every campaign, then every
    ``every`` seconds (as long as the application runs)."""
    await asyncio.sleep(first_after)
    everything = True
    while True:
        try:
            warmed = await warm_campaigns(pool, everything=everything)
            if warmed:
                logger.info("reports made ready: %s", ", ".join(warmed))
            everything = False
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, SurveyError) as exc:
            logger.warning("could not make reports ready: %s", exc)
        await asyncio.sleep(every)
