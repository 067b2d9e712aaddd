"""Reports and exports read on a real streaming replica (``DATABASE_REPLICA_URL``), never a stale one.

The replica is a hot standby of an embedded primary made by ``pg_basebackup -R`` (tests/helpers.py:
streaming_replica). Writes go to the primary; a read through the replica must already see them.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.cli import main
from survey.console.auth import SESSION_COOKIE
from survey.db import campaigns as campaigns_db
from survey.db.pool import connect, create_pool
from survey.db.replica import Reads
from survey.exports import export_to_path
from survey.reports.data import campaign_report
from survey.settings import Settings
from tests.helpers import (
    FORMS,
    N_POST,
    N_PRE,
    StreamingReplica,
    add_response,
    make_account,
    make_campaign,
    make_study,
    new_session,
    new_token,
    set_cookie,
    visible_text,
)

pytestmark = pytest.mark.slow

ANSWERS = {"k1": "no", "k2": "yes", "k3": "no", "k4": "dk", "a1": 3, "a2": 3, "a3": 3,
           "would": "yes", "aimag": "ub"}  # fmt: skip


@pytest.fixture
async def primary(replica: StreamingReplica) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(replica.primary_url)
    try:
        yield conn
    finally:
        await conn.close()


async def _response_scans(url: str) -> int:
    """Scans of the response table that this server has counted (its own statistics, not replicated)."""
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
            "WHERE relname = 'response'"
        )
    finally:
        await conn.close()


async def _scans_after(url: str, before: int, seconds: float = 15) -> int:
    """The replica's count once it has grown past ``before`` (a server process writes its statistics
    when it ends or goes idle, a moment after the query); ``before`` when it has not."""
    deadline = time.monotonic() + seconds
    while True:
        found = await _response_scans(url)
        if found > before or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.2)


def _settings(replica: StreamingReplica, tmp_path: Path, **changes: object) -> Settings:
    return Settings(
        database_url=replica.primary_url,
        replica_url=replica.replica_url,
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-not-for-production",
        base_url="http://testserver",
        forms_dir=FORMS,
        **changes,
    )


async def test_the_report_page_and_the_api_read_a_fresh_write_on_the_replica(
    replica: StreamingReplica, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    await make_campaign(primary, "fresh")
    viewer = await make_account(primary, "viewer", "fresh-viewer@example.org")
    token = await new_token(primary, viewer)
    session = await new_session(primary, viewer)
    researcher = await make_account(primary, "researcher", "fresh-researcher@example.org")
    before = await _response_scans(replica.replica_url)
    settings = _settings(replica, tmp_path)
    async with AsyncTestClient(create_app(settings, database_url=replica.primary_url)) as client:
        # Written on the primary just before the read: the replica must have it when it answers.
        post = await campaigns_db.get_wave(primary, "fresh-post")
        await add_response(primary, post, ANSWERS)
        effects = await client.get(
            "/api/v1/campaigns/fresh/effects", headers={"authorization": f"Bearer {token}"}
        )
        assert effects.status_code == 200, effects.text[:300]
        waves = {w["key"]: w["n_complete"] for w in effects.json()["waves"]}
        assert waves == {"fresh-pre": N_PRE, "fresh-post": N_POST + 1}

        await add_response(primary, post, ANSWERS)
        set_cookie(client, SESSION_COOKIE, session)
        page = await client.get("/campaigns/fresh/report?lang=en")
        assert page.status_code == 200
        assert str(N_POST + 2) in page.text

        # The wave's monitoring page only reads (counts, drop-off, precision): the replica too.
        await add_response(primary, post, ANSWERS)
        set_cookie(client, SESSION_COOKIE, await new_session(primary, researcher))
        figures = await client.get("/console/waves/fresh-post?lang=en")
        assert figures.status_code == 200
        assert str(N_POST + 3) in visible_text(figures.text)
    # The replica's own statistics count the reads of responses: they went there.
    assert await _scans_after(replica.replica_url, before) > before


async def _kept(primary: asyncpg.Connection, campaign: str) -> tuple[list[int | None], int]:
    """Per wave, the responses its stored summary holds (None: no cells stored), and what is pending."""
    kept = await primary.fetch(
        "SELECT s.responses, s.cells IS NOT NULL AS stored FROM report_summary s "
        "JOIN wave w ON w.id = s.wave_id JOIN campaign c ON c.id = w.campaign_id "
        "WHERE c.key = $1 ORDER BY w.phase DESC",
        campaign,
    )
    pending = await primary.fetchval(
        "SELECT count(*) FROM report_summary_pending p JOIN wave w ON w.id = p.wave_id "
        "JOIN campaign c ON c.id = w.campaign_id WHERE c.key = $1",
        campaign,
    )
    return [r["responses"] if r["stored"] else None for r in kept], pending


async def test_a_report_on_the_replica_keeps_its_summaries_on_the_primary(
    replica: StreamingReplica, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    # A replica cannot store the report's summaries: without the primary's help every report read
    # there would read and score every response again.
    await make_campaign(primary, "kept")
    token = await new_token(primary, await make_account(primary, "viewer", "kept@example.org"))
    post = await campaigns_db.get_wave(primary, "kept-post")
    before = await _response_scans(replica.replica_url)
    settings = _settings(replica, tmp_path)
    async with AsyncTestClient(create_app(settings, database_url=replica.primary_url)) as client:

        async def effects() -> dict:
            answer = await client.get(
                "/api/v1/campaigns/kept/effects", headers={"authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 200, answer.text[:300]
            return answer.json()

        await effects()
        assert await _kept(primary, "kept") == ([N_PRE, N_POST], 0)
        # A new response: the next report on the replica adds it to what is kept, as the primary would.
        await add_response(primary, post, ANSWERS)
        assert (await _kept(primary, "kept"))[1] == 1
        on_replica = await effects()
        assert await _kept(primary, "kept") == ([N_PRE, N_POST + 1], 0)
    assert await _scans_after(replica.replica_url, before) > before
    on_primary = msgspec.to_builtins(await campaign_report(primary, "kept"))
    assert json.loads(json.dumps(on_primary)) == on_replica


def test_survey_analyze_reads_on_the_replica(
    replica: StreamingReplica,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    async def campaign_with_a_fresh_response() -> int:
        primary = await connect(replica.primary_url)
        try:
            await make_campaign(primary, "cli")
            post = await campaigns_db.get_wave(primary, "cli-post")
            await add_response(primary, post, ANSWERS)
        finally:
            await primary.close()
        return await _response_scans(replica.replica_url)

    before = asyncio.run(campaign_with_a_fresh_response())
    monkeypatch.setenv("DATABASE_URL", replica.primary_url)
    monkeypatch.setenv("DATABASE_REPLICA_URL", replica.replica_url)
    monkeypatch.setenv("SURVEY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SURVEY_LOG_LEVEL", "WARNING")
    assert main(["analyze", "cli", "--format", "json"]) == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert {w["key"]: w["n_complete"] for w in report["waves"]}["cli-post"] == N_POST + 1
    assert "read on the primary" not in out.err
    assert asyncio.run(_scans_after(replica.replica_url, before)) > before


async def test_a_panel_export_on_the_replica_has_the_pairs_linked_on_the_primary(
    replica: StreamingReplica, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    study = await make_study(primary, key="pan", design="panel")
    for wave in (study.pre, study.post):
        await add_response(primary, wave, {"consent": "yes"}, panel_key="a" * 64)
    primary_pool = await create_pool(replica.primary_url, max_size=2)
    replica_pool = await create_pool(replica.replica_url, max_size=2)
    try:
        reads = Reads(primary_pool, replica_pool)
        async with primary_pool.acquire() as conn:
            result = await export_to_path(
                conn, "pan", "csv", tmp_path / "pan.csv", actor="test", reads=reads
            )
    finally:
        await primary_pool.close()
        await replica_pool.close()
    header, *rows = list(csv.reader(io.StringIO((tmp_path / "pan.csv").read_text())))
    pair = header.index("pair_id")
    assert result.rows == 2 and rows[0][pair] and rows[0][pair] == rows[1][pair]
    # The audit entry is on the primary (the replica cannot write), finished with the row count.
    assert (
        await primary.fetchval("SELECT n_rows FROM audit_log WHERE id = $1", result.audit_id) == 2
    )


async def test_a_replica_that_has_not_caught_up_hands_the_read_to_the_primary(
    replica: StreamingReplica, primary: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    await make_campaign(primary, "lag")
    standby = await connect(replica.replica_url)
    primary_pool = await create_pool(replica.primary_url, max_size=2)
    replica_pool = await create_pool(replica.replica_url, max_size=2)
    try:
        await standby.execute("SELECT pg_wal_replay_pause()")
        post = await campaigns_db.get_wave(primary, "lag-post")
        await add_response(primary, post, ANSWERS)
        reads = Reads(primary_pool, replica_pool, max_wait=0.3)
        with caplog.at_level(logging.WARNING, logger="survey.db.replica"):
            async with reads.connection() as conn:
                assert not await conn.fetchval("SELECT pg_is_in_recovery()")
                report = await campaign_report(conn, "lag")
        assert report.waves[-1].n_complete == N_POST + 1
        assert "read on the primary, not the replica" in caplog.text
        assert "bytes of log behind" in caplog.text
        # Passed over for a while: the next read does not wait for the replica again.
        started = time.monotonic()
        async with reads.connection() as conn:
            assert not await conn.fetchval("SELECT pg_is_in_recovery()")
        assert time.monotonic() - started < 0.3

        await standby.execute("SELECT pg_wal_replay_resume()")
        async with Reads(primary_pool, replica_pool, max_wait=5).connection() as conn:
            assert await conn.fetchval("SELECT pg_is_in_recovery()")
            report = await campaign_report(conn, "lag")
        assert report.waves[-1].n_complete == N_POST + 1
    finally:
        await standby.execute("SELECT pg_wal_replay_resume()")
        await standby.close()
        await primary_pool.close()
        await replica_pool.close()


async def test_an_unreachable_replica_leaves_reports_and_exports_on_the_primary(
    settings: Settings, db: asyncpg.Connection, tmp_path: Path
) -> None:
    await make_campaign(db, "down")
    viewer = await make_account(db, "analyst", "down@example.org")
    token = await new_token(db, viewer)
    nowhere = tmp_path / "no-server"
    nowhere.mkdir()
    down = msgspec.structs.replace(
        settings, replica_url=f"postgresql://postgres:@/survey?host={nowhere}"
    )
    async with AsyncTestClient(create_app(down, database_url=down.database_url)) as client:
        effects = await client.get(
            "/api/v1/campaigns/down/effects", headers={"authorization": f"Bearer {token}"}
        )
        assert effects.status_code == 200
        assert {w["n_complete"] for w in effects.json()["waves"]} == {N_PRE, N_POST}


async def test_an_export_takes_no_second_connection_of_the_primary(
    database_url: str, db: asyncpg.Connection, tmp_path: Path
) -> None:
    """Without a replica (or when it falls back) an export reads on the connection it holds for its
    audit entry: a pool of one connection is enough, as it was before there were replicas."""
    await make_campaign(db, "one")
    pool = await create_pool(database_url, min_size=1, max_size=1, acquire_timeout=1)
    try:
        async with pool.acquire() as conn:
            result = await export_to_path(
                conn, "one", "csv", tmp_path / "one.csv", actor="test", reads=Reads(pool)
            )
    finally:
        await pool.close()
    assert result.rows == N_PRE + N_POST
