"""Time of a campaign's full report at 100,000 and 1,000,000 responses, database read included.

    python benchmarks/report.py [--responses 100000,1000000] [--repeat 15] [--new 1000]
                                [--database-url URL | --replica] [--who]

For each size, an independent campaign on the questionnaire of ``benchmarks/analysis.py`` (20 items: 10
knowledge, 9 Likert with 3 reversed, one yes/no; about 3% of every item unanswered) with half the
responses in the pre wave and half in the post wave, made in PostgreSQL with ``generate_series`` (a
million responses in a few minutes; the triggers of the summaries run as for responses completed one by
one). Then :func:`survey.reports.data.campaign_report` is timed, everything included (the campaign, its
versions, the stored summaries and the responses completed since, scoring those, the statistics):

- **cold**: the first report, with no stored summary: every response is read and scored once (in batches
  of 50,000) and the summaries are stored;
- **report**: the report with the summaries up to date (median of ``--repeat``): the figure the budget is
  about, what a program lead opening the report page waits for;
- **+new**: the report after ``--new`` more responses completed since the last one (median of 3 rounds).

With ``--who`` the campaign's questionnaire also asks a region of 5, an education of 4 and an age, and
declares an analysis block of two covariates (education, age in three bands) and one grouping item
(region): the report then adds, for each of its three outcomes, the adjusted effect (OLS with HC2 errors,
or the logistic average marginal effect), the covariates' balance and the five regions' effects with
their interaction test, all fitted on the cells of each stratum of those answers. Its databases are
``report_bench_who_<n>``.

Budget (../shared/DESIGN.md, issue "National scale"): the report in at most 0.5 s at 100,000 and at most
1 s at 1,000,000 responses, and the larger campaign at most 2x the time of the smaller (the ratio of the
two medians, measured in one run). Exits 1 when a budget is missed. Without ``--database-url`` (or
``$DATABASE_URL``) an embedded server runs in a temporary directory; with one, a database per size is
created on that server (``report_bench_<n>``) and reused when it is already filled.

``--replica`` reads every report on a streaming replica: for each size an embedded primary and a hot
standby of it made by ``pg_basebackup -R`` (the set-up of tests/integration/test_replica.py, from
tests/helpers.py). The responses are written on the primary; each report takes its connection from
:class:`survey.db.replica.Reads`, as the report page does, which waits until the replica has replayed
everything the primary had committed (that wait is left out of the times; replica_lag.py measures it),
and stores the summaries it makes through the primary.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.helpers: the replica set-up

import msgspec
from analysis import definition, who_definition

from survey.db import campaigns as campaigns_db
from survey.db.migrate import migrate
from survey.db.pool import connect, create_pool
from survey.db.queries import sql
from survey.db.questionnaires import publish
from survey.db.replica import Reads
from survey.db.server import start_embedded, with_database
from survey.reports.data import Primary, campaign_report

BUDGET_SMALL, BUDGET_LARGE, BUDGET_RATIO = 0.5, 1.0, 2.0

# Volatile functions, so that every row draws its own answers (a subquery would be evaluated once).
FUNCTIONS = [
    """
    CREATE FUNCTION pg_temp.bench_choice(skill float8) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
        SELECT CASE WHEN random() < 0.03 THEN NULL
                    WHEN random() < skill THEN to_jsonb('no'::text)
                    ELSE to_jsonb((ARRAY['yes', 'no', 'dk'])[1 + floor(random() * 3)::int]) END
    $$
    """,
    """
    CREATE FUNCTION pg_temp.bench_multi(skill float8) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
        SELECT CASE WHEN random() < 0.03 THEN NULL ELSE coalesce(
            (SELECT jsonb_agg(s)
             FROM unnest(ARRAY['passport', 'debt', 'isolation', 'travel', 'wages']) AS s
             WHERE (random() < skill) = (s IN ('passport', 'debt', 'isolation'))),
            '[]'::jsonb) END
    $$
    """,
    """
    CREATE FUNCTION pg_temp.bench_likert(factor float8) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
        SELECT CASE WHEN random() < 0.03 THEN NULL ELSE
            to_jsonb(greatest(1, least(5, round(3 + factor + (random() - 0.5) * 2)))::int) END
    $$
    """,
]

# $1 wave id, $2 version id, $3 skill (share of right answers), $4 attitude, $5 number of responses,
# $6 whether to add the three questions about the respondent of --who.
INSERT = """
INSERT INTO response (id, wave_id, version_id, language, status, answers, submitted_at)
SELECT gen_random_uuid(), $1, $2, 'en', 'complete',
       jsonb_strip_nulls(jsonb_build_object(
           'k0', pg_temp.bench_choice($3), 'k1', pg_temp.bench_choice($3),
           'k2', pg_temp.bench_choice($3), 'k3', pg_temp.bench_choice($3),
           'k4', pg_temp.bench_choice($3), 'k5', pg_temp.bench_choice($3),
           'k6', pg_temp.bench_choice($3),
           'm0', pg_temp.bench_multi($3), 'm1', pg_temp.bench_multi($3), 'm2', pg_temp.bench_multi($3),
           'a0', pg_temp.bench_likert(f), 'a1', pg_temp.bench_likert(f), 'a2', pg_temp.bench_likert(-f),
           'a3', pg_temp.bench_likert(f), 'a4', pg_temp.bench_likert(f), 'a5', pg_temp.bench_likert(-f),
           'a6', pg_temp.bench_likert(f), 'a7', pg_temp.bench_likert(f), 'a8', pg_temp.bench_likert(-f),
           'q_would', CASE WHEN random() < 0.03 THEN NULL
                           WHEN random() < 0.3 + 0.4 * $3 THEN '"yes"'::jsonb
                           ELSE '"no"'::jsonb END))
       || CASE WHEN $6 THEN jsonb_build_object(
                'region', 'r' || floor(random() * 5)::int,
                'education', 'e' || floor(random() * 4)::int,
                'age', 18 + floor(random() * 43)::int)
               ELSE '{}'::jsonb END,
       now()
FROM (SELECT $4::float8 + (random() + random() + random() - 1.5) * 2 AS f
      FROM generate_series(1, $5)) AS people
"""

PHASES = (("pre", 0.5, 0.0), ("post", 0.6, 0.3))
BATCH = 100_000


async def add_responses(
    conn: asyncpg.Connection, n: int, *, progress: bool, who: bool = False
) -> None:
    """n more complete responses, half in each wave (with ``who``, each with a region, an education
    and an age)."""
    for statement in FUNCTIONS:
        await conn.execute(statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    for wave in await campaigns_db.waves_of(conn, "bench"):
        skill, attitude = next((s, a) for p, s, a in PHASES if p == wave.phase)
        left = n // 2
        while left > 0:
            size = min(BATCH, left)
            await conn.execute(INSERT, wave.id, wave.version_id, skill, attitude, size, who)
            left -= size
            if progress:
                sys.stderr.write(f"  {wave.key}: {n // 2 - left:,} of {n // 2:,}\n")


def bench_definition(who: bool):
    """The benchmark questionnaire; with ``who``, with two covariates and one grouping item."""
    if not who:
        return definition()
    q = who_definition()
    assert q.analysis is not None
    return msgspec.structs.replace(
        q, analysis=msgspec.structs.replace(q.analysis, subgroups=["region"])
    )


async def fill(conn: asyncpg.Connection, n: int, who: bool) -> None:
    """Publish the questionnaire, create the campaign and its two waves, insert n responses."""
    await publish(conn, bench_definition(who))
    await campaigns_db.create_campaign(conn, "bench", questionnaire="bench", design="independent")
    for phase, _, _ in PHASES:
        await campaigns_db.add_wave(conn, "bench", phase=phase)
    await add_responses(conn, n, progress=True, who=who)
    await conn.execute("ANALYZE response")


Reader = Callable[[], AbstractAsyncContextManager[tuple[asyncpg.Connection, Primary | None]]]
"""Where a report reads: the primary itself, or a replica once current (with the way to the primary)."""


def on_primary(conn: asyncpg.Connection) -> Reader:
    @asynccontextmanager
    async def reading() -> AsyncIterator[tuple[asyncpg.Connection, Primary | None]]:
        yield conn, None

    return reading


def on_replica(reads: Reads) -> Reader:
    @asynccontextmanager
    async def reading() -> AsyncIterator[tuple[asyncpg.Connection, Primary | None]]:
        async with reads.connection() as conn:
            if not await conn.fetchval(sql("in_recovery")):
                sys.exit(
                    "the replica did not catch up with the primary: the read went to the primary"
                )
            yield conn, reads.primary_connection

    return reading


async def timed(read: Reader) -> tuple[float, object]:
    async with read() as (conn, primary):
        started = time.perf_counter()
        report = await campaign_report(conn, "bench", primary=primary)
        return time.perf_counter() - started, report


async def measure(
    url: str, n: int, repeat: int, new: int, who: bool, replica_url: str | None = None
) -> dict[str, float]:
    conn = await connect(url)
    replica_pool = await create_pool(replica_url, max_size=1) if replica_url else None
    try:
        await migrate(conn)
        if not await conn.fetchval("SELECT count(*) FROM campaign WHERE key = 'bench'"):
            sys.stderr.write(f"inserting {n:,} responses...\n")
            started = time.perf_counter()
            await fill(conn, n, who)
            sys.stderr.write(f"  done in {time.perf_counter() - started:.0f} s\n")
        read = (
            on_primary(conn)
            if replica_pool is None
            else on_replica(Reads(conn, replica_pool, max_wait=300))
        )
        # Cold: no stored summary (as after an erasure, or before the first report).
        await conn.execute("UPDATE report_summary SET cells = NULL, inputs = NULL")
        cold, report = await timed(read)
        warm = [(await timed(read))[0] for _ in range(repeat)]
        added = []
        for _ in range(3):
            await add_responses(conn, new, progress=False, who=who)
            added.append((await timed(read))[0])
        total = sum(w.n_complete for w in report.waves)  # type: ignore[attr-defined]
    finally:
        if replica_pool is not None:
            await replica_pool.close()
        await conn.close()
    return {
        "responses": total,
        "cold": cold,
        "report": statistics.median(warm),
        "best": min(warm),
        "new": statistics.median(added),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", default="100000,1000000", help="sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--new", type=int, default=1000, help="responses added before +new")
    parser.add_argument("--database-url", default=None, help="default: $DATABASE_URL or embedded")
    parser.add_argument(
        "--replica", action="store_true", help="read on a streaming replica of an embedded primary"
    )
    parser.add_argument(
        "--who", action="store_true", help="an analysis block: two covariates, one grouping item"
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.responses.split(",")]
    url = args.database_url or os.environ.get("DATABASE_URL")
    if args.replica:
        if url:
            sys.exit("--replica starts its own primary and replica: leave out --database-url")
        from tests.helpers import streaming_replica

        results = []
        for n in sizes:
            with streaming_replica(
                f"report_bench_who_{n}" if args.who else f"report_bench_{n}"
            ) as replica:
                results.append(
                    asyncio.run(
                        measure(
                            replica.primary_url,
                            n,
                            args.repeat,
                            args.new,
                            args.who,
                            replica.replica_url,
                        )
                    )
                )
        print("read on a streaming replica")
    elif url:
        results = asyncio.run(run(url, sizes, args.repeat, args.new, args.who))
    else:
        with tempfile.TemporaryDirectory() as data:
            server = start_embedded(Path(data), cleanup_mode="delete")
            try:
                results = asyncio.run(
                    run(server.get_uri("postgres"), sizes, args.repeat, args.new, args.who)
                )
            finally:
                server.cleanup()
    return report(results, args.repeat, args.new, args.who)


async def run(
    base: str, sizes: list[int], repeat: int, new: int, who: bool
) -> list[dict[str, float]]:
    results = []
    for n in sizes:
        name = f"report_bench_who_{n}" if who else f"report_bench_{n}"
        conn = await asyncpg.connect(base)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                # A database name is an identifier, not a value: quoted by PostgreSQL's own function.
                quoted = await conn.fetchval("SELECT quote_ident($1)", name)
                await conn.execute("CREATE DATABASE " + quoted)
        finally:
            await conn.close()
        results.append(await measure(with_database(base, name), n, repeat, new, who))
    return results


def report(results: list[dict[str, float]], repeat: int, new: int, who: bool) -> int:
    load = os.getloadavg()
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; report = median of {repeat} runs"
        + ("; with the analysis block (--who)" if who else "")
    )
    print(
        f"{'responses':>11} {'cold s':>8} {'report s':>9} {'best s':>7} {'+' + str(new) + ' new s':>11}"
    )
    for r in results:
        print(
            f"{r['responses']:>11,} {r['cold']:>8.3f} {r['report']:>9.3f} {r['best']:>7.3f} "
            f"{r['new']:>11.3f}"
        )
    missed = []
    small, large = results[0], results[-1]
    if small["report"] > BUDGET_SMALL:
        missed.append(f"{small['responses']:,}: {small['report']:.3f} s > {BUDGET_SMALL} s")
    if len(results) > 1:
        if large["report"] > BUDGET_LARGE:
            missed.append(f"{large['responses']:,}: {large['report']:.3f} s > {BUDGET_LARGE} s")
        ratio = large["report"] / small["report"]
        print(
            f"ratio {large['responses']:,} / {small['responses']:,}: {ratio:.2f} "
            f"(budget {BUDGET_RATIO:g})"
        )
        if ratio > BUDGET_RATIO:
            missed.append(f"ratio {ratio:.2f} > {BUDGET_RATIO:g}")
    if missed:
        print("OVER budget: " + "; ".join(missed))
        return 1
    print("within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
