"""Exports stream: memory stays flat as responses grow, and CSV keeps up with PostgreSQL's own COPY.

Inserts synthetic responses to the shipped trafficking-knowledge questionnaire (``copy_records_to_table``),
then, at 50,000 and at 200,000 complete responses:

* exports the campaign to CSV and times it against ``COPY (SELECT <the same rows>) TO STDOUT`` written to
  a file the same way (the budget in benchmarks/RESULTS.md: at least half of COPY's speed);
* exports it again under ``tracemalloc`` and prints the peak of Python memory (flat: the same at both
  sizes, since rows are read through a server-side cursor, a batch at a time).

It exits with 1 when a budget is missed: CSV under half of COPY's speed at the largest size, or a peak
of memory (CSV, Excel) that grows with the responses.

``--formats csv,xlsx,sav`` adds the peak memory of the Excel export (flat as well) and of the SPSS export,
which grows with the rows: pyreadstat writes from a whole DataFrame.

``--replica`` reads both, the export and ``COPY``, on a streaming replica: an embedded primary and a hot
standby of it made by ``pg_basebackup -R`` (the set-up of tests/integration/test_replica.py, from
tests/helpers.py). The responses are written on the primary; each read takes its connection from
:class:`survey.db.replica.Reads`, as the console's exports do, which waits until the replica has
replayed everything the primary had committed (that wait is left out of the times; replica_lag.py
measures it).

Run: ``python benchmarks/export.py`` (an embedded PostgreSQL in a temporary directory, or
``DATABASE_URL``; the database must be empty or be one this script made).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.helpers: the replica set-up

from survey import exports
from survey.db import campaigns as campaigns_db
from survey.db import questionnaires as questionnaires_db
from survey.db.migrate import migrate
from survey.db.pool import connect, create_pool
from survey.db.queries import sql
from survey.db.replica import Reads
from survey.db.server import start_embedded, with_database
from survey.questionnaire.load import load_file
from survey.questionnaire.model import Item, Questionnaire

REPO = Path(__file__).resolve().parents[1]
FORM = REPO / "forms" / "trafficking-knowledge.yaml"
SIZES = (50_000, 200_000)
SPEED_BUDGET = 0.5  # CSV at least half as fast as COPY of the same rows
# The rows an export reads, in the same order (asyncpg wraps it in COPY (...) TO STDOUT).
COPY_QUERY = """
    SELECT r.public_id, r.version_id, r.language, r.status, r.started_at, r.submitted_at, r.answers
    FROM response r JOIN wave w ON w.id = r.wave_id
    WHERE r.status = 'complete'
    ORDER BY w.id, r.started_at, r.id"""


def answer(q: Questionnaire, item: Item, rng: random.Random) -> object:
    """A plausible answer of the item's type (about 5% left unanswered)."""
    if rng.random() < 0.05:
        return None
    if item.type in ("choice", "multi"):
        values = [c.value for c in q.choices_for(item)]
        if item.type == "choice":
            return rng.choice(values)
        return [v for v in values if rng.random() < 0.4]
    if item.type == "likert":
        return rng.randint(1, q.scale_for(item).points)
    if item.type == "integer":
        low = int(item.min) if item.min is not None else 0  # type: ignore[arg-type]
        high = int(item.max) if item.max is not None else 100  # type: ignore[arg-type]
        return rng.randint(low, high)
    if item.type == "decimal":
        return round(rng.uniform(0, 100), 2)
    if item.type == "consent":
        return "yes"
    if item.type == "date":
        return f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if item.type == "text":
        return rng.choice(
            ["", "ok", "Сайн байна уу", 'a longer comment, with a comma and "quotes"']
        )
    return None  # notes and panel codes store nothing


def synthetic(q: Questionnaire, waves: list[tuple[int, int]], n: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    items = [i for i in q.items() if i.answerable and i.type != "panel_code"]
    pages = [s.key for s in q.sections]
    start = datetime(2027, 3, 1, tzinfo=UTC)
    records = []
    for k in range(n):
        wave_id, version_id = waves[k % len(waves)]
        answers = {}
        for item in items:
            value = answer(q, item, rng)
            if value is not None:
                answers[item.key] = value
        started = start + timedelta(seconds=rng.randint(0, 30 * 86400))
        records.append(
            (
                uuid.uuid4(),
                wave_id,
                version_id,
                rng.choice(["mn", "en"]),
                "complete",
                answers,
                pages,
                started,
                started + timedelta(seconds=rng.randint(180, 1800)),
            )
        )
    return records


async def insert(conn: asyncpg.Connection, records: list[tuple]) -> None:
    # COPY sends binary rows: jsonb's binary form is a version byte, then the text.
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda value: b"\x01" + msgspec.json.encode(value),
        decoder=lambda data: msgspec.json.decode(data[1:]),
        schema="pg_catalog",
        format="binary",
    )
    await conn.copy_records_to_table(
        "response",
        records=records,
        columns=["id", "wave_id", "version_id", "language", "status", "answers", "pages",
                 "started_at", "submitted_at"],
    )  # fmt: skip
    await conn.execute("ANALYZE response")


Opener = Callable[[], AbstractAsyncContextManager[asyncpg.Connection]]
"""Where a timed read gets its connection: a fresh one to the database, or one of the replica's."""


def fresh(url: str) -> Opener:
    @asynccontextmanager
    async def opened() -> AsyncIterator[asyncpg.Connection]:
        conn = await connect(url)
        try:
            yield conn
        finally:
            await conn.close()

    return opened


def on_replica(reads: Reads) -> Opener:
    @asynccontextmanager
    async def opened() -> AsyncIterator[asyncpg.Connection]:
        async with reads.connection() as conn:
            if not await conn.fetchval(sql("in_recovery")):
                sys.exit(
                    "the replica did not catch up with the primary: the read went to the primary"
                )
            yield conn

    return opened


async def export_once(
    open_: Opener, fmt: str, path: Path, traced: bool
) -> tuple[float, int, float]:
    """(seconds, rows, peak MiB of Python memory or 0) of one export on a connection of ``open_``."""
    async with open_() as conn:
        if traced:
            tracemalloc.start()
            tracemalloc.reset_peak()
        started = time.perf_counter()
        plan = await exports.plan_export(conn, "bench")
        rows = await exports.write_export(conn, plan, fmt, path)
        seconds = time.perf_counter() - started
        peak = 0.0
        if traced:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        return seconds, rows, peak


async def copy_once(open_: Opener, path: Path) -> float:
    async with open_() as conn:
        started = time.perf_counter()
        with open(path, "wb") as f:
            await conn.copy_from_query(COPY_QUERY, output=f, format="csv", header=True)
        return time.perf_counter() - started


async def run(
    url: str, formats: list[str], sizes: tuple[int, ...], replica_url: str | None = None
) -> bool:
    """Print the table; whether the budgets are met (speed at the largest size, flat memory).

    With ``replica_url``, the responses are written on ``url`` and read on the replica."""
    conn = await connect(url)
    try:
        await migrate(conn)
        if await conn.fetchval("SELECT count(*) FROM response"):
            sys.exit("the database already has responses: use an empty one")
        q = load_file(FORM)
        await questionnaires_db.publish(conn, q)
        await campaigns_db.create_campaign(conn, "bench", questionnaire=q.key, design="independent")
        waves = []
        for phase in ("pre", "post"):
            wave = await campaigns_db.add_wave(conn, "bench", phase=phase)
            waves.append((wave.id, wave.version_id))
    finally:
        await conn.close()

    n_items = sum(1 for i in q.items() if i.answerable)
    where = "read on a streaming replica" if replica_url else "read on the primary"
    print(
        f"questionnaire {q.key}: {n_items} questions; CSV vs COPY (best of 3), peak Python memory; "
        + where
    )
    primary = await connect(url)
    replica_pool = await create_pool(replica_url, max_size=1) if replica_url else None
    try:
        opener = (
            fresh(url)
            if replica_pool is None
            else on_replica(Reads(primary, replica_pool, max_wait=120))
        )
        return await _measure(q, waves, url, opener, formats, sizes)
    finally:
        if replica_pool is not None:
            await replica_pool.close()
        await primary.close()


async def _measure(
    q: Questionnaire,
    waves: list[tuple[int, int]],
    url: str,
    opener: Opener,
    formats: list[str],
    sizes: tuple[int, ...],
) -> bool:
    header = (
        f"{'responses':>10} {'csv s':>7} {'rows/s':>9} {'COPY s':>7} {'rows/s':>9} {'csv/COPY':>8}"
    )
    print(header + "".join(f" {'peak ' + f + ' MiB':>15}" for f in formats))
    inserted = 0
    ratios: list[float] = []
    peaks_by_size: list[list[float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for size in sizes:
            conn = await connect(url)
            try:
                await insert(conn, synthetic(q, waves, size - inserted, seed=size))
            finally:
                await conn.close()
            inserted = size
            csv_seconds = min(
                [(await export_once(opener, "csv", out / "a.csv", False))[0] for _ in range(3)]
            )
            copy_seconds = min([await copy_once(opener, out / "copy.csv") for _ in range(3)])
            peaks = []
            for fmt in formats:
                _, rows, peak = await export_once(opener, fmt, out / f"a.{fmt}", True)
                assert rows == size, (rows, size)
                peaks.append(peak)
            ratios.append(copy_seconds / csv_seconds)
            peaks_by_size.append(peaks)
            print(
                f"{size:>10,} {csv_seconds:>7.2f} {size / csv_seconds:>9,.0f} {copy_seconds:>7.2f} "
                f"{size / copy_seconds:>9,.0f} {copy_seconds / csv_seconds:>8.2f}"
                + "".join(f" {p:>15.1f}" for p in peaks)
            )
    speed = ratios[-1] >= SPEED_BUDGET
    # Flat: the largest size peaks no higher than the smallest, give or take a tenth and 1 MiB of noise.
    # The SPSS file is built from a whole DataFrame and grows with the rows, so it is shown, not judged.
    flat = all(
        big <= small * 1.1 + 1
        for fmt, small, big in zip(formats, peaks_by_size[0], peaks_by_size[-1], strict=True)
        if fmt != "sav"
    )
    print(
        f"budgets: CSV at {ratios[-1]:.2f} of COPY's speed at {sizes[-1]:,} responses (>= "
        f"{SPEED_BUDGET}): {'met' if speed else 'MISSED'}; peak memory flat from {sizes[0]:,} to "
        f"{sizes[-1]:,}: {'met' if flat else 'MISSED'}; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    return speed and flat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", default="csv", help="csv,xlsx,sav: whose peak memory to show")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--database-url", default=None, help="default: $DATABASE_URL or embedded")
    parser.add_argument(
        "--replica", action="store_true", help="read on a streaming replica of an embedded primary"
    )
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    sizes = tuple(sorted(int(s) for s in args.sizes.split(",")))
    url = args.database_url or os.environ.get("DATABASE_URL")
    if args.replica:
        if url:
            sys.exit("--replica starts its own primary and replica: leave out --database-url")
        from tests.helpers import streaming_replica

        with streaming_replica("export_bench") as replica:
            ok = asyncio.run(run(replica.primary_url, formats, sizes, replica.replica_url))
        return 0 if ok else 1
    if url:
        return 0 if asyncio.run(run(url, formats, sizes)) else 1
    with tempfile.TemporaryDirectory() as data:
        server = start_embedded(Path(data), cleanup_mode="delete")
        try:
            base = server.get_uri("postgres")
            return 0 if asyncio.run(_create_and_run(base, formats, sizes)) else 1
        finally:
            server.cleanup()


async def _create_and_run(base: str, formats: list[str], sizes: tuple[int, ...]) -> bool:
    conn = await asyncpg.connect(base)
    try:
        await conn.execute('CREATE DATABASE "export_bench"')
    finally:
        await conn.close()
    return await run(with_database(base, "export_bench"), formats, sizes)


if __name__ == "__main__":
    sys.exit(main())
