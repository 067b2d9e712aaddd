"""How far a streaming replica trails the primary while respondents write, and what a report waits for it.

    python benchmarks/replica_lag.py [--writers 8] [--seconds 20] [--responses 2000]

Starts an embedded primary and a hot standby of it made by ``pg_basebackup -R`` (the set-up of
tests/integration/test_replica.py, from tests/helpers.py), fills a campaign with ``--responses``
complete responses, then for ``--seconds`` runs ``--writers`` connections that each write as a
respondent's pages do (a response inserted, then saved page by page, one transaction per save) as fast
as the primary takes them. Meanwhile it measures, ten times a second, the replica's lag as a report
meets it: the seconds from reading the primary's flushed log position to the replica having replayed
it (what :class:`survey.db.replica.Reads` waits for), and every two seconds a full report read through
:class:`~survey.db.replica.Reads` (wait included). Prints the writes per second, the lag's median,
95th percentile and maximum, and the report times. No budget: the figures go to docs/scaling.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.helpers: the replica set-up

from survey.db import campaigns as campaigns_db
from survey.db.pool import connect, create_pool
from survey.db.queries import sql
from survey.db.replica import Reads
from survey.reports.data import campaign_report
from tests.helpers import add_response, make_campaign, streaming_replica

PAGES = (
    {"aimag": "ub"},
    {"k1": "no", "k2": "yes", "k3": "no", "k4": "dk"},
    {"a1": 3, "a2": 4, "a3": 2, "would": "yes"},
)


async def respondent(url: str, wave_id: int, version_id: int, until: float) -> int:
    """Write responses as the pages do until ``until``; returns the saves made."""
    conn = await connect(url)
    saves = 0
    try:
        while time.monotonic() < until:
            response_id = uuid.uuid4()
            await conn.execute(
                "INSERT INTO response (id, wave_id, version_id, language) VALUES ($1, $2, $3, 'en')",
                response_id,
                wave_id,
                version_id,
            )
            answers: dict[str, object] = {}
            for number, page in enumerate(PAGES, start=1):
                answers.update(page)
                await conn.execute(
                    "UPDATE response SET answers = $2, status = $3, updated_at = now(), "
                    "submitted_at = CASE WHEN $3 = 'complete' THEN now() END WHERE id = $1",
                    response_id,
                    answers,
                    "complete" if number == len(PAGES) else "in_progress",
                )
                saves += 1
            saves += 1
    finally:
        await conn.close()
    return saves


async def lag_samples(primary_url: str, replica_url: str, until: float) -> list[float]:
    """Seconds from the primary's flushed position to the replica having replayed it, 10 per second."""
    primary = await connect(primary_url)
    replica = await connect(replica_url)
    samples = []
    try:
        while time.monotonic() < until:
            started = time.monotonic()
            position = await primary.fetchval(sql("primary_wal_position"))
            while not await replica.fetchval(sql("replica_caught_up"), position):
                await asyncio.sleep(0.001)
            samples.append(time.monotonic() - started)
            await asyncio.sleep(max(0.0, 0.1 - (time.monotonic() - started)))
    finally:
        await primary.close()
        await replica.close()
    return samples


async def report_times(reads: Reads, key: str, until: float) -> list[tuple[float, bool]]:
    """Seconds of a full report read through ``reads``, and whether the replica served it."""
    found = []
    while time.monotonic() < until:
        started = time.monotonic()
        async with reads.connection() as conn:
            on_replica = await conn.fetchval(sql("in_recovery"))
            await campaign_report(conn, key)
        found.append((time.monotonic() - started, bool(on_replica)))
        await asyncio.sleep(2)
    return found


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {statistics.median(ordered) * 1000:.1f} ms, 95th percentile {p95 * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.1f} ms ({len(ordered)} samples)"
    )


async def run(args: argparse.Namespace, primary_url: str, replica_url: str) -> None:
    conn = await connect(primary_url)
    try:
        await make_campaign(conn, "lag")
        post = await campaigns_db.get_wave(conn, "lag-post")
        for _ in range(max(0, args.responses - 170)):  # make_campaign writes 170 complete
            await add_response(conn, post, {**PAGES[0], **PAGES[1], **PAGES[2]})
    finally:
        await conn.close()
    primary_pool = await create_pool(primary_url, max_size=2)
    replica_pool = await create_pool(replica_url, max_size=2)
    reads = Reads(primary_pool, replica_pool, max_wait=5)
    try:
        idle = await lag_samples(primary_url, replica_url, time.monotonic() + 3)
        until = time.monotonic() + args.seconds
        started = time.monotonic()
        work = [
            respondent(primary_url, post.id, post.version_id, until) for _ in range(args.writers)
        ]
        *saves, lag, reports = await asyncio.gather(
            *work,
            lag_samples(primary_url, replica_url, until),
            report_times(reads, "lag", until),
        )
        elapsed = time.monotonic() - started
    finally:
        await primary_pool.close()
        await replica_pool.close()
    print(f"idle primary: replica lag {ms(idle)}")
    print(
        f"{args.writers} writers for {elapsed:.0f} s: {sum(saves) / elapsed:,.0f} writes/s "
        f"(a response inserted and saved page by page, one transaction each)"
    )
    print(f"under that load: replica lag {ms(lag)}")
    on_replica = sum(1 for _, replica in reports if replica)
    print(
        f"full report through Reads ({args.responses:,}+ responses, wait included): "
        f"{ms([t for t, _ in reports])}; {on_replica} of {len(reports)} read on the replica"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--responses", type=int, default=2000)
    args = parser.parse_args()
    with streaming_replica("survey") as pair:
        asyncio.run(run(args, pair.primary_url, pair.replica_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
