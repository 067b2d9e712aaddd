"""Time of a 100,000-response campaign's report, database read included.

    python benchmarks/report.py [--responses 100000] [--repeat 3] [--database-url URL]

Builds an independent campaign on the questionnaire of ``benchmarks/analysis.py`` (20 items: 10 knowledge,
9 Likert, one yes/no) with half the responses in the pre wave and half in the post wave, then times
:func:`survey.reports.data.campaign_report`: reading the complete responses from PostgreSQL, parsing them
into columns and computing the whole report. Budget (benchmarks/RESULTS.md): at most 0.5 s (it was 2 s).
Without ``--database-url`` (or ``$DATABASE_URL``) an embedded server runs in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import msgspec
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis import definition, synthetic_answers

from survey.db import campaigns as campaigns_db
from survey.db.migrate import migrate
from survey.db.pool import connect
from survey.db.questionnaires import publish
from survey.db.server import start_embedded, with_database
from survey.reports.data import campaign_report

BUDGET_SECONDS = 2.0


async def fill(conn: asyncpg.Connection, n: int, seed: int) -> None:
    """Publish the questionnaire, create the campaign and insert n complete responses."""
    await publish(conn, definition())
    await campaigns_db.create_campaign(conn, "bench", questionnaire="bench", design="independent")
    rng = np.random.default_rng(seed)
    for phase, skill, attitude in (("pre", 0.5, 0.0), ("post", 0.6, 0.3)):
        wave = await campaigns_db.add_wave(conn, "bench", phase=phase)
        answers = synthetic_answers(n // 2, rng, skill, attitude)
        encoded = [msgspec.json.encode(a).decode() for a in answers]
        await conn.execute(
            "INSERT INTO response (id, wave_id, version_id, language, status, answers, submitted_at) "
            "SELECT gen_random_uuid(), $1, $2, 'en', 'complete', a::jsonb, now() "
            "FROM unnest($3::text[]) AS a",
            wave.id,
            wave.version_id,
            encoded,
        )
    await conn.execute("ANALYZE response")


async def run(url: str, n: int, repeat: int, seed: int) -> float:
    conn = await connect(url)
    try:
        await migrate(conn)
        if not await conn.fetchval("SELECT count(*) FROM campaign WHERE key = 'bench'"):
            sys.stderr.write(f"inserting {n:,} responses...\n")
            await fill(conn, n, seed)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            report = await campaign_report(conn, "bench")
            times.append(time.perf_counter() - started)
    finally:
        await conn.close()
    total = sum(w.n_complete for w in report.waves)
    best, median = min(times), statistics.median(times)
    verdict = "within" if median <= BUDGET_SECONDS else "OVER"
    print(
        f"report of {total:,} responses ({len(report.outcomes)} outcomes, {len(report.items)} items), "
        f"database read included: median {median:.3f} s, best {best:.3f} s over {repeat} runs "
        f"({verdict} the {BUDGET_SECONDS:g} s budget)"
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="default: $DATABASE_URL or embedded")
    args = parser.parse_args()
    url = args.database_url or os.environ.get("DATABASE_URL")
    if url:
        median = asyncio.run(run(url, args.responses, args.repeat, args.seed))
        return 0 if median <= BUDGET_SECONDS else 1
    with tempfile.TemporaryDirectory() as data:
        server = start_embedded(Path(data), cleanup_mode="delete")
        try:
            base = server.get_uri("postgres")
            asyncio.run(_create(base))
            url = with_database(base, "report_bench")
            median = asyncio.run(run(url, args.responses, args.repeat, args.seed))
        finally:
            server.cleanup()
    return 0 if median <= BUDGET_SECONDS else 1


async def _create(base: str) -> None:
    conn = await asyncpg.connect(base)
    try:
        await conn.execute('CREATE DATABASE "report_bench"')
    finally:
        await conn.close()


if __name__ == "__main__":
    sys.exit(main())
