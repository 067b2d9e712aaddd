"""The stored report summaries change the report exactly as the responses do.

Each test brings a campaign's stored summary (table ``report_summary``) into a state (first report, a
response completed since, a new version, a review decision, an erasure, an edit of a counted answer) and
compares :func:`campaign_report` (cells: the summary brought up to date) with the row path on the same
database: :func:`build_report` on every complete response read afresh (:func:`campaign_waves`). Numbers
agree to 1e-9, notes and flags exactly. The warm-up that makes summaries before anyone asks
(:mod:`survey.reports.warm`) is held to the same.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import numpy as np

from survey.analysis.report import build_report
from survey.console.monitoring import outcome_widths
from survey.db import campaigns as campaigns_db
from survey.db import field as field_db
from survey.db import summaries as summaries_db
from survey.db.queries import sql
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from survey.reports.data import campaign_cells, campaign_report, campaign_waves
from survey.reports.warm import keep_reports_warm, warm_campaign, warm_campaigns
from tests.helpers import AQ, add_response, answers_for, assert_same_report, make_campaign


async def rows_report(conn: asyncpg.Connection, key: str):
    campaign, waves = await campaign_waves(conn, key)
    return build_report(key, campaign.design, waves)


async def summaries(conn: asyncpg.Connection, key: str) -> dict[str, tuple[int, bool, int]]:
    """Per wave key: its stored summary's response count, whether it holds cells, its epoch."""
    rows = await conn.fetch(
        "SELECT w.key, s.responses, s.cells IS NOT NULL AS kept, s.epoch "
        "FROM report_summary s JOIN wave w ON w.id = s.wave_id "
        "JOIN campaign c ON c.id = w.campaign_id WHERE c.key = $1",
        key,
    )
    return {r["key"]: (r["responses"], r["kept"], r["epoch"]) for r in rows}


async def pending_count(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("SELECT count(*) FROM report_summary_pending")


async def assert_same_as_rows(conn: asyncpg.Connection, key: str = "tip") -> object:
    from_cells = await campaign_report(conn, key)
    assert_same_report(await rows_report(conn, key), from_cells)
    return from_cells


async def assert_same_widths(conn: asyncpg.Connection, key: str) -> None:
    """The monitoring page's precision of every wave (survey.console.monitoring) is the same from the
    summaries as from the rows, to 1e-9."""
    campaign, from_rows = await campaign_waves(conn, key)
    _, from_cells = await campaign_cells(conn, key)
    for wave in from_rows:
        expected = outcome_widths(campaign.design, from_rows, wave.key)
        found = outcome_widths(campaign.design, from_cells, wave.key)
        assert [w.key for w in found] == [w.key for w in expected]
        for got, want in zip(found, expected, strict=True):
            assert (got.width is None) == (want.width is None)
            if want.width is not None:
                assert abs(got.width - want.width) < 1e-9
            assert got.hidden == want.hidden
            assert got.groups.keys() == want.groups.keys()
            for name, (n, variance) in want.groups.items():
                assert got.groups[name][0] == n
                assert abs(got.groups[name][1] - variance) < 1e-9


async def test_the_first_report_makes_the_summaries_and_the_next_reads_them(db) -> None:
    await make_campaign(db)
    assert await summaries(db, "tip") == {}
    report = await assert_same_as_rows(db)
    assert [w.n_complete for w in report.waves] == [80, 90]
    assert await summaries(db, "tip") == {"tip-pre": (80, True, 1), "tip-post": (90, True, 1)}
    assert await pending_count(db) == 0
    # The second report reads the summaries alone: the same report, nothing written.
    stamp = await db.fetchval("SELECT max(updated_at) FROM report_summary")
    assert_same_report(report, await campaign_report(db, "tip"))
    assert await db.fetchval("SELECT max(updated_at) FROM report_summary") == stamp


async def test_responses_completed_since_are_added(db) -> None:
    await make_campaign(db)
    await campaign_report(db, "tip")
    post = (await campaigns_db.waves_of(db, "tip"))[1]
    rng = np.random.default_rng(5)
    for answers in answers_for(rng, 7, 0.9, 2):
        await add_response(db, post, answers)
    # One that finishes later: saved unfinished, then completed (an UPDATE, as the last page does).
    late = await add_response(db, post, answers_for(rng, 1, 0.9, 2)[0], status="in_progress")
    assert await pending_count(db) == 7
    await db.execute(
        "UPDATE response SET status = 'complete', submitted_at = now() WHERE id = $1", late
    )
    assert await pending_count(db) == 8
    report = await assert_same_as_rows(db)
    assert report.waves[1].n_complete == 98
    await assert_same_widths(db, "tip")
    assert await summaries(db, "tip") == {"tip-pre": (80, True, 1), "tip-post": (98, True, 2)}
    assert await pending_count(db) == 0


async def test_a_new_version_makes_the_summaries_anew(db) -> None:
    await publish(db, load_definition(AQ))
    await campaigns_db.create_campaign(db, "ver", questionnaire="aq", design="independent")
    pre = await campaigns_db.add_wave(db, "ver", phase="pre")
    rng = np.random.default_rng(7)
    for answers in answers_for(rng, 30, 0.4, 0):
        await add_response(db, pre, answers)
    await assert_same_as_rows(db, "ver")
    before = await db.fetchval("SELECT inputs FROM report_summary WHERE wave_id = $1", pre.id)
    # Version 2 changes k1's right answer (not comparable with version 1), and the post wave uses it:
    # the pre wave is now scored by version 2's outcomes, so its summary is made anew.
    changed = AQ.replace(
        'correct: "no", choices: yes_no_dk, text: {mn: "А1"',
        'correct: "dk", choices: yes_no_dk, text: {mn: "А1"',
        1,
    )
    await publish(db, load_definition(changed))
    post = await campaigns_db.add_wave(db, "ver", phase="post", version=2)
    for answers in answers_for(rng, 30, 0.6, 1):
        await add_response(db, post, answers)
    report = await assert_same_as_rows(db, "ver")
    assert any(note.startswith("k1: changed between v1 and v2") for note in report.notes)
    after = await db.fetchval("SELECT inputs FROM report_summary WHERE wave_id = $1", pre.id)
    assert after != before
    await assert_same_widths(db, "ver")
    assert await summaries(db, "ver") == {"ver-pre": (30, True, 2), "ver-post": (30, True, 1)}


async def test_a_review_decision_changes_the_report_as_the_rows(db) -> None:
    await make_campaign(db)
    await campaign_report(db, "tip")
    pre = (await campaigns_db.waves_of(db, "tip"))[0]
    rng = np.random.default_rng(9)
    waiting = []
    for answers in answers_for(rng, 3, 0.2, 0):
        response = await add_response(db, pre, answers)
        await db.execute(
            "UPDATE response SET channel = 'field', flags = '{}'::jsonb, review = 'pending' "
            "WHERE id = $1",
            response,
        )
        waiting.append(response)
    # Complete but waiting for review: not in the report, however it is read.
    report = await assert_same_as_rows(db)
    assert report.waves[0].n_complete == 80
    accepted, rejected, _ = waiting
    answers = dict(answers_for(rng, 1, 1.0, 0)[0])
    await field_db.accept_review(db, accepted, answers, None)
    await field_db.reject_review(db, rejected)
    report = await assert_same_as_rows(db)
    assert report.waves[0].n_complete == 82
    assert (await summaries(db, "tip"))["tip-pre"][0] == 82


async def test_an_erasure_or_an_edit_of_a_summarised_response_makes_its_wave_anew(db) -> None:
    await make_campaign(db)
    await campaign_report(db, "tip")
    pre, post = await campaigns_db.waves_of(db, "tip")
    erased = await db.fetchval(
        "SELECT id FROM response WHERE wave_id = $1 AND status = 'complete' LIMIT 1", pre.id
    )
    await db.execute("DELETE FROM response WHERE id = $1", erased)
    edited = await db.fetchval(
        "SELECT id FROM response WHERE wave_id = $1 AND status = 'complete' LIMIT 1", post.id
    )
    await db.execute(
        'UPDATE response SET answers = answers || \'{"k1": "no", "a1": 5}\'::jsonb WHERE id = $1',
        edited,
    )
    # Both summaries are emptied (the epoch moved on): nothing erased stays in a stored summary.
    assert await summaries(db, "tip") == {"tip-pre": (0, False, 2), "tip-post": (0, False, 2)}
    report = await assert_same_as_rows(db)
    assert [w.n_complete for w in report.waves] == [79, 90]
    assert await summaries(db, "tip") == {"tip-pre": (79, True, 3), "tip-post": (90, True, 3)}
    # Saving the same answers again (a re-sent last page) changes nothing.
    await db.execute("UPDATE response SET updated_at = now() WHERE id = $1", edited)
    assert (await summaries(db, "tip"))["tip-post"] == (90, True, 3)


async def test_a_summary_read_before_an_erasure_is_not_stored_after_it(db) -> None:
    await make_campaign(db)
    pre = (await campaigns_db.waves_of(db, "tip"))[0]
    await db.execute("INSERT INTO report_summary (wave_id) VALUES ($1)", pre.id)
    # A report read epoch 0; then a response is erased (epoch 1): its write must be refused.
    erased = await db.fetchval(
        "SELECT id FROM response WHERE wave_id = $1 AND status = 'complete' LIMIT 1", pre.id
    )
    await db.execute("DELETE FROM response WHERE id = $1", erased)
    stored = await summaries_db.save(db, pre.id, 0, "[]", b"stale", 80, [])
    assert stored is False
    assert (await summaries(db, "tip"))["tip-pre"] == (0, False, 1)
    await assert_same_as_rows(db)
    # Two reports that read the same epoch: the first to write wins, the other stores nothing (it may
    # lack responses the first one added and took off the pending list).
    epoch = (await summaries(db, "tip"))["tip-pre"][2]
    assert await summaries_db.save(db, pre.id, epoch, "[]", b"first", 79, []) is True
    assert await summaries_db.save(db, pre.id, epoch, "[]", b"second", 79, []) is False
    assert (
        await db.fetchval("SELECT cells FROM report_summary WHERE wave_id = $1", pre.id) == b"first"
    )


async def test_a_comparison_with_clusters_from_summaries(db) -> None:
    await publish(db, load_definition(AQ))
    await campaigns_db.create_campaign(
        db, "cor", questionnaire="aq", design="comparison", cluster_item="aimag"
    )
    rng = np.random.default_rng(11)
    waves = []
    for phase, arm, skill in (
        ("pre", "campaign", 0.4),
        ("post", "campaign", 0.7),
        ("pre", "comparison", 0.4),
        ("post", "comparison", 0.5),
    ):
        wave = await campaigns_db.add_wave(db, "cor", phase=phase, arm=arm)
        waves.append(wave)
        for answers in answers_for(rng, 40, skill, int(skill > 0.5)):
            await add_response(db, wave, answers)
    await assert_same_as_rows(db, "cor")
    for answers in answers_for(rng, 6, 0.9, 1):
        await add_response(db, waves[1], answers)
    report = await assert_same_as_rows(db, "cor")
    assert report.outcomes[0].effects[0].method == "ols cluster"
    assert await pending_count(db) == 0
    await assert_same_widths(db, "cor")


async def test_a_panel_reads_its_rows(db) -> None:
    with_code = AQ.replace("key: aq\n", "key: pq\n", 1).replace(
        "    items:\n",
        '    items:\n      - {key: code, type: panel_code, text: {mn: "Код", en: "Code"}}\n',
        1,
    )
    await publish(db, load_definition(with_code))
    await campaigns_db.create_campaign(db, "pan", questionnaire="pq", design="panel")
    rng = np.random.default_rng(13)
    for phase in ("pre", "post"):
        wave = await campaigns_db.add_wave(db, "pan", phase=phase)
        for i, answers in enumerate(answers_for(rng, 12, 0.5, 0)):
            await add_response(db, wave, answers, panel_key=f"p{i}")
    await assert_same_as_rows(db, "pan")
    assert await summaries(db, "pan") == {}


async def test_on_a_server_that_takes_no_writes_the_report_reads_every_response(db) -> None:
    await make_campaign(db)
    await db.execute("SET default_transaction_read_only = on")
    try:
        report = await assert_same_as_rows(db)
    finally:
        await db.execute("SET default_transaction_read_only = off")
    assert [w.n_complete for w in report.waves] == [80, 90]
    assert await summaries(db, "tip") == {}


async def test_an_unreadable_summary_is_made_anew(db) -> None:
    await make_campaign(db)
    await campaign_report(db, "tip")
    await db.execute("UPDATE report_summary SET cells = '\\x00ff'::bytea")
    await assert_same_as_rows(db)
    assert await summaries(db, "tip") == {"tip-pre": (80, True, 2), "tip-post": (90, True, 2)}


# -- made ready before anyone asks (survey.reports.warm) --------------------------------------------------


async def test_the_warm_up_makes_a_campaigns_summaries_before_its_first_report(db, pool) -> None:
    await make_campaign(db)
    assert await warm_campaigns(pool) == ["tip"]
    assert await summaries(db, "tip") == {"tip-pre": (80, True, 1), "tip-post": (90, True, 1)}
    assert await pending_count(db) == 0
    # The report then reads the summaries alone, and says what the rows say.
    stamp = await db.fetchval("SELECT max(updated_at) FROM report_summary")
    await assert_same_as_rows(db)
    assert await db.fetchval("SELECT max(updated_at) FROM report_summary") == stamp
    # Up to date: a later pass leaves the campaign alone.
    assert await warm_campaigns(pool) == []


async def test_the_warm_up_takes_the_campaigns_far_behind_or_emptied(db, pool) -> None:
    await make_campaign(db)
    await campaign_report(db, "tip")
    post = (await campaigns_db.waves_of(db, "tip"))[1]
    rng = np.random.default_rng(17)
    for answers in answers_for(rng, 3, 0.9, 2):
        await add_response(db, post, answers)
    assert await warm_campaigns(pool, far_behind=4) == []
    await add_response(db, post, answers_for(rng, 1, 0.9, 2)[0])
    assert await warm_campaigns(pool, far_behind=4) == ["tip"]
    assert await pending_count(db) == 0
    # An erasure empties the wave's summary: the next pass makes it anew.
    await db.execute(
        "DELETE FROM response WHERE id = (SELECT id FROM response WHERE wave_id = $1 "
        "AND status = 'complete' LIMIT 1)",
        post.id,
    )
    assert (await summaries(db, "tip"))["tip-post"][1] is False
    assert await warm_campaigns(pool) == ["tip"]
    assert await summaries(db, "tip") == {"tip-pre": (80, True, 1), "tip-post": (93, True, 4)}
    await assert_same_as_rows(db)


async def test_at_start_the_warm_up_remakes_what_another_release_kept(db, pool) -> None:
    # A release that changed the scoring: the stored summaries' inputs are no longer the report's.
    await make_campaign(db)
    await campaign_report(db, "tip")
    await db.execute("UPDATE report_summary SET inputs = 'made by an earlier release'")
    assert await warm_campaigns(pool) == []
    assert await warm_campaigns(pool, everything=True) == ["tip"]
    assert (
        await db.fetchval(
            "SELECT count(*) FROM report_summary WHERE inputs = 'made by an earlier release'"
        )
        == 0
    )
    await assert_same_as_rows(db)


async def test_two_processes_do_not_warm_one_campaign_at_once(db, pool) -> None:
    await make_campaign(db)
    async with db.transaction():
        assert await db.fetchval(sql("report_warm_lock"), "tip")
        assert await warm_campaign(pool, "tip") is False
        assert await summaries(db, "tip") == {}
    assert await warm_campaign(pool, "tip") is True


async def test_panels_are_not_warmed(db, pool) -> None:
    with_code = AQ.replace("key: aq\n", "key: pq\n", 1).replace(
        "    items:\n",
        '    items:\n      - {key: code, type: panel_code, text: {mn: "Код", en: "Code"}}\n',
        1,
    )
    await publish(db, load_definition(with_code))
    await campaigns_db.create_campaign(db, "pan", questionnaire="pq", design="panel")
    wave = await campaigns_db.add_wave(db, "pan", phase="pre")
    await add_response(db, wave, {"k1": "no"}, panel_key="p1")
    assert await warm_campaigns(pool, everything=True) == []


async def test_the_server_keeps_reports_warm_while_it_runs(db, pool) -> None:
    await make_campaign(db)
    task = asyncio.create_task(keep_reports_warm(pool, every=0.05, first_after=0))
    try:
        async with asyncio.timeout(30):
            while await summaries(db, "tip") != {
                "tip-pre": (80, True, 1),
                "tip-post": (90, True, 1),
            }:
                await asyncio.sleep(0.05)
        post = (await campaigns_db.waves_of(db, "tip"))[1]
        await db.execute(
            "DELETE FROM response WHERE wave_id = $1 AND status = 'complete' "
            "AND id = (SELECT min(id::text)::uuid FROM response WHERE wave_id = $1 "
            "AND status = 'complete')",
            post.id,
        )
        async with asyncio.timeout(30):
            while (await summaries(db, "tip"))["tip-post"][:2] != (89, True):
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await assert_same_as_rows(db)


async def test_the_precision_of_a_first_wave_alone_from_summaries(db) -> None:
    # Early in collection a comparison has its campaign arm's first wave only: the monitoring page
    # still shows its width, the same from the summaries as from the rows.
    await publish(db, load_definition(AQ))
    await campaigns_db.create_campaign(db, "one", questionnaire="aq", design="comparison")
    wave = await campaigns_db.add_wave(db, "one", phase="pre", arm="campaign")
    for answers in answers_for(np.random.default_rng(3), 12, 0.5, 0):
        await add_response(db, wave, answers)
    await assert_same_widths(db, "one")
    campaign, waves = await campaign_cells(db, "one")
    widths = outcome_widths(campaign.design, waves, "one-pre")
    assert widths and all(w.width is not None and w.groups["campaign_pre"][0] == 12 for w in widths)
