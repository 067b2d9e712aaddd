"""The researchers' console pages, end to end on a real database."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import asyncpg
import pytest
import segno
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.console.messages import CATALOGUE
from survey.console.monitoring import day_chart
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import teams as teams_db
from survey.db.console import DayCount, WaveProgress
from tests.helpers import (
    HTMX,
    PASSWORD,
    T0,
    Study,
    add_response,
    new_session,
    publish_versions,
    sign_in_as,
    text_of,
)
from tests.helpers import (
    post_console_form as post_form,
)

MN = CATALOGUE.bound("mn")
EN = CATALOGUE.bound("en")


# -- pages -----------------------------------------------------------------------------------------


async def test_every_console_page_renders(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
):
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    await sign_in_as(client, db, "admin")
    # New accounts read the console in Mongolian.
    pages = {
        "/console/campaigns": ["tip", MN("design.independent"), "/campaigns/tip/report"],
        "/console/campaigns/new": [MN("new_campaign.title"), "Туршилтын асуулга (tq)"],
        "/console/campaigns/tip": ["tip-pre", "tip-post", MN("campaign.export"), study.pre.token],
        "/console/questionnaires": ["tq", "Туршилтын асуулга"],
        "/console/questionnaires/tq": [
            MN("version.number", version=1),
            MN("version.number", version=2),
            MN("questionnaire.compare"),
        ],
        "/console/questionnaires/tq/versions/2?language=en": ["Is the 108 hotline free?"],
        "/console/questionnaires/tq/diff?a=1&b=2": ["k_hotline", "k_signs"],
        "/console/waves/tip-pre": [MN("counts.complete"), MN("monitor.drop_off")],
        "/console/users": ["admin@example.org", MN("users.new")],
        "/console/audit": [MN("audit.title")],
        "/console/xlsform": [MN("xlsform.title")],
    }
    for path, expected in pages.items():
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert '<html lang="mn">' in response.text
        # The console's own stylesheet only: the respondent one styled the console's pages once.
        assert "css/console.css" in response.text, path
        outside_previews = re.sub(
            r"<template shadowrootmode.*?</template>", "", response.text, flags=re.S
        )
        assert "css/survey.css" not in outside_previews, path
        for fragment in expected:
            assert fragment in unescape(response.text), (path, fragment)
    home = await client.get("/console", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/console/campaigns"


async def test_preview_shows_the_version_in_either_language(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher")
    base = "/console/questionnaires/tq/versions"
    mn = text_of((await client.get(f"{base}/1?language=mn")).text)
    en = text_of((await client.get(f"{base}/1?language=en")).text)
    # Texts, choice labels (from a shared list) and Likert labels of the asked language only.
    for text in ("Сайхан санал аюулгүй юу?", "Мэдэхгүй", "Улаанбаатар", "Бүрэн тийм"):
        assert text in mn and text not in en
    for text in ("Is a too-good job offer safe?", "Don't know", "Ulaanbaatar", "Strongly agree"):
        assert text in en and text not in mn
    # Version 1 has no hotline question; version 2 has it.
    assert "108" not in en
    assert "108" in (await client.get(f"{base}/2?language=en")).text
    missing = await client.get(f"{base}/1?language=fr")
    assert missing.status_code == 404
    # The interface language is the account's (or ?lang=), whatever the questionnaire language shown.
    assert MN("preview.language") in text_of((await client.get(f"{base}/1?language=en")).text)
    english = text_of((await client.get(f"{base}/1?language=mn&lang=en")).text)
    assert EN("preview.language") in english and "Сайхан санал аюулгүй юу?" in english


async def test_diff_marks_breaking_changes(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
):
    await sign_in_as(client, db, "analyst")
    html = unescape((await client.get("/console/questionnaires/tq/diff?a=1&b=2")).text)
    rows = {
        m.group(2): m.group(1)
        for m in re.finditer(r'<tr class="([^"]*)">\s*<th [^>]*><code>([^<]+)</code>', html)
    }
    assert rows["k_hotline"] == "added"
    assert "breaking" in rows["k_signs"]  # a new choice changes what respondents see
    assert MN("diff.outcome", key="hotline") in rows
    assert "k_offer" not in rows  # unchanged
    # What differs, in words: a new choice is a change of the choices.
    k_signs = re.search(r"<code>k_signs</code></th>(.*?)</tr>", html, re.S)
    assert (
        k_signs
        and MN("field.choices") in k_signs.group(1)
        and MN("diff.breaks") in k_signs.group(1)
    )
    bad = await client.get("/console/questionnaires/tq/diff?a=x&b=2")
    assert bad.status_code == 400 and MN("error.versions_not_numbers") in unescape(bad.text)


async def test_create_a_campaign_and_its_waves_with_forms(
    client: AsyncTestClient, db: asyncpg.Connection
):
    await publish_versions(db)
    await sign_in_as(client, db, "researcher")
    created = await post_form(
        client,
        "/console/campaigns",
        {"key": "ethics-2027", "questionnaire": "tq", "design": "comparison", "cluster": "aimag"},
    )
    assert (
        created.status_code == 303
        and created.headers["location"] == "/console/campaigns/ethics-2027"
    )
    campaign = await campaigns_db.get_campaign(db, "ethics-2027")
    assert (campaign.design, campaign.cluster_item) == ("comparison", "aimag")

    for phase, arm in (("pre", "campaign"), ("post", "campaign"), ("pre", "comparison")):
        added = await post_form(
            client,
            "/console/campaigns/ethics-2027/waves",
            {"phase": phase, "arm": arm, "version": "1"},
        )
        assert added.status_code == 303
    waves = await campaigns_db.waves_of(db, "ethics-2027")
    assert [(w.key, w.phase, w.arm, w.version) for w in waves] == [
        ("ethics-2027-pre", "pre", "campaign", 1),
        ("ethics-2027-post", "post", "campaign", 1),
        ("ethics-2027-pre-comparison", "pre", "comparison", 1),
    ]

    # Mistakes come back on the form, with what was typed and a clear message.
    def refused(response, status: int, message: str) -> bool:
        return response.status_code == status and message in unescape(response.text)

    bad_design = await post_form(
        client, "/console/campaigns", {"key": "other", "questionnaire": "tq", "design": "cohort"}
    )
    assert refused(bad_design, 400, MN("error.design_unknown"))
    duplicate = await post_form(
        client,
        "/console/campaigns",
        {"key": "ethics-2027", "questionnaire": "tq", "design": "independent"},
    )
    assert refused(duplicate, 409, MN("error.campaign_exists", key="ethics-2027"))
    bad_key = await post_form(
        client,
        "/console/campaigns",
        {"key": "Bad Key!", "questionnaire": "tq", "design": "independent"},
    )
    assert refused(bad_key, 400, MN("error.campaign_key_format"))
    assert 'value="Bad Key!"' in bad_key.text  # what was typed is kept
    for draft, reason, params in (
        ({"key": ""}, "campaign_key_missing", {}),
        ({"key": "new"}, "campaign_key_reserved", {"key": "new"}),
        (
            {"key": "x1", "questionnaire": "nope"},
            "questionnaire_unknown",
            {"questionnaire": "nope"},
        ),
        (
            {"key": "x2", "cluster": "province"},
            "cluster_unknown",
            {"cluster": "province", "questionnaire": "tq"},
        ),
        ({"key": "x3", "design": "panel", "questionnaire": "tq"}, None, {}),
    ):
        form = {"questionnaire": "tq", "design": "independent", **draft}
        response = await post_form(client, "/console/campaigns", form)
        if reason is None:
            assert response.status_code == 303  # tq has a panel code item
        else:
            assert refused(response, 400, MN(f"error.{reason}", **params)), (
                draft,
                response.text[-900:],
            )
    twice = await post_form(client, "/console/campaigns/ethics-2027/waves", {"phase": "pre"})
    assert refused(twice, 409, MN("error.wave_key_taken", key="ethics-2027-pre"))
    for form, reason in (
        ({"phase": "pre", "wave_key": "other-pre"}, "wave_phase_taken"),
        ({"phase": "later"}, "phase_unknown"),
        ({"phase": "post", "version": "two"}, "version_not_number"),
        ({"phase": "post", "version": "9"}, "version_unknown"),
        ({"phase": "post", "wave_key": "Not a key"}, "wave_key_format"),
    ):
        response = await post_form(client, "/console/campaigns/ethics-2027/waves", form)
        assert response.status_code in (400, 409), form
        assert MN(f"error.{reason}") in unescape(response.text), (form, response.text[-900:])
        assert len(await campaigns_db.waves_of(db, "ethics-2027")) == 3  # nothing was added
    single = await post_form(
        client, "/console/campaigns/x3/waves", {"phase": "pre", "arm": "comparison"}
    )
    assert refused(single, 400, MN("error.comparison_arm"))


async def test_open_and_close_a_wave(client: AsyncTestClient, db: asyncpg.Connection, study: Study):
    await sign_in_as(client, db, "researcher")
    opened = await post_form(client, "/console/waves/tip-pre/open")
    assert opened.status_code == 303 and opened.headers["location"] == "/console/campaigns/tip"
    assert (await campaigns_db.get_wave(db, "tip-pre")).status == "open"
    # From htmx, the same handler answers with the wave's row, now offering to close it.
    closed = await post_form(client, "/console/waves/tip-pre/close", headers=HTMX)
    assert closed.status_code == 200
    assert re.match(r'<article class="wave-card closed" id="wave-tip-pre"', closed.text.lstrip())
    assert "/console/waves/tip-pre/open" in closed.text and "<html" not in closed.text
    assert MN("status.closed") in closed.text
    assert (await campaigns_db.get_wave(db, "tip-pre")).status == "closed"
    missing = await post_form(client, "/console/waves/nope/open")
    assert missing.status_code == 404


async def test_qr_codes_carry_the_wave_link(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
):
    await sign_in_as(client, db, "researcher")
    link = f"http://testserver/r/{study.pre.token}"
    svg = await client.get("/console/waves/tip-pre/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert 'filename="tip-pre-qr.svg"' in svg.headers["content-disposition"]
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="svg", scale=8, border=4, title="tip-pre")
    assert svg.content == expected.getvalue()
    png = await client.get("/console/waves/tip-pre/qr.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    # The link itself is on the campaign page for those who hand it out.
    assert link in (await client.get("/console/campaigns/tip")).text


async def test_monitoring_counts_days_drop_off_and_median(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    day2 = T0 + timedelta(days=1)
    for minutes in (10, 20, 30):  # median 20 minutes
        await add_response(db, study.pre, {"consent": "yes"}, minutes=minutes)
    await add_response(db, study.pre, {"consent": "yes"}, started_at=day2, minutes=40)
    # Unfinished: two stopped after "about", one after "knowledge"; and one declined.
    for pages in (("consent", "about"), ("consent", "about"), ("consent", "about", "knowledge")):
        await add_response(db, study.pre, {}, status="in_progress", started_at=day2, pages=pages)
    await add_response(db, study.pre, {"consent": "no"}, status="declined", pages=("consent",))
    await add_response(db, study.post, {"consent": "yes"})  # another wave: not counted

    await sign_in_as(client, db, "analyst")
    html = unescape((await client.get("/console/waves/tip-pre")).text)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))
    assert figures[MN("counts.complete")] == "4"
    assert figures[MN("counts.partial")] == "3"
    assert figures[MN("counts.declined")] == "1"
    # The median of 10, 20, 30 and 40 minutes.
    assert figures[MN("monitor.median")] == MN("duration.minutes", minutes=25, seconds="00")
    # Two days: two stacked bars each.
    assert html.count('<rect class="complete"') == 2 and html.count('<rect class="partial"') == 2
    pages = re.search(r'<table class="pages">.*?</table>', html, re.S)
    assert pages is not None
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+)',
        pages.group(0),
    )
    # Pages by number and name (these sections have no title: their first question names them), in the
    # account's language; 2 of the 7 that reached "about" stopped there.
    assert rows == [
        ("1. Зөвшөөрч байна уу?", "8", "0"),
        ("2. Нас?", "7", "2"),
        ("3. Сайхан санал аюулгүй юу?", "5", "1"),
        ("4. Тусламж хүснэ", "4", "0"),
    ]
    assert "2 <small>(29 %)</small>" in html
    english = unescape((await client.get("/console/waves/tip-pre?lang=en")).text)
    assert "3. Is a too-good job offer safe?" in english
    assert EN("duration.minutes", minutes=25, seconds="00") == "25 min 00 s"
    assert "25 min 00 s" in english
    # htmx refreshes only the figures.
    fragment = await client.get("/console/waves/tip-pre", headers=HTMX)
    assert fragment.text.startswith('<div id="progress"') and "<html" not in fragment.text


def test_the_day_chart_is_proportional() -> None:
    progress = WaveProgress(
        complete=9,
        partial=3,
        declined=0,
        per_day=[
            DayCount(day=T0.date(), complete=2, partial=2, declined=0),
            DayCount(day=T0.date() + timedelta(days=1), complete=7, partial=1, declined=0),
        ],
        pages=[],
        median_seconds=None,
    )
    chart = day_chart(progress)
    assert chart.peak == 8
    first, second = chart.bars
    # Heights in proportion to the counts; the tallest day fills the chart exactly.
    assert second.complete_h + second.partial_h == pytest.approx(chart.height)
    assert first.complete_h == pytest.approx(chart.height * 2 / 8)
    assert first.partial_y + first.partial_h == pytest.approx(first.complete_y)
    assert second.x > first.x


async def test_roles_see_only_what_they_may(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
):
    await sign_in_as(client, db, "viewer")
    listing = (await client.get("/console/campaigns")).text
    # A viewer's campaign leads to its report (the campaign page is not for viewers).
    assert 'href="/campaigns/tip/report">tip</a>' in listing
    assert 'href="/console/campaigns/tip"' not in listing
    assert (
        "/console/campaigns/new" not in listing and 'href="/console/questionnaires"' not in listing
    )
    await sign_in_as(client, db, "analyst")
    listing = (await client.get("/console/campaigns")).text
    assert 'href="/console/campaigns/tip">tip</a>' in listing and "/campaigns/tip/report" in listing
    detail = unescape((await client.get("/console/campaigns/tip")).text)
    # Analysts read campaigns and export, but neither run waves nor hand out links.
    assert MN("campaign.export") in detail and 'href="/campaigns/tip/report"' in detail
    assert study.pre.token not in detail and "qr.svg" not in detail
    assert "/console/waves/tip-pre/open" not in detail and MN("campaign.add_wave") not in detail


async def test_admins_manage_accounts(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    admin = await sign_in_as(client, db, "admin")
    created = await post_form(
        client,
        "/console/users",
        {"email": "New@Example.org", "role": "analyst", "password": PASSWORD},
    )
    assert created.status_code == 303
    account = await accounts_db.get_account_by_email(db, "new@example.org")
    # Put in the default team (the form's team unless another is chosen), as an analyst there.
    assert [(m.team, m.role) for m in await teams_db.memberships_of(db, account.id)] == [
        ("default", "analyst")
    ]
    assert not account.installation_admin
    short = await post_form(
        client, "/console/users", {"email": "b@example.org", "role": "analyst", "password": "short"}
    )
    assert short.status_code == 400
    assert MN("error.password_short", min=auth.PASSWORD_MIN_LENGTH) in unescape(short.text)
    assert await accounts_db.find_account(db, "b@example.org") is None

    # Disabling ends the account's sessions at once.
    session = await new_session(db, account)
    assert await accounts_db.session_principal(
        db, auth.hash_token(session), idle=auth.SESSION_IDLE, absolute=auth.SESSION_ABSOLUTE
    )
    disabled = await post_form(client, f"/console/users/{account.id}/disable")
    assert disabled.status_code == 303
    assert not await accounts_db.session_principal(
        db, auth.hash_token(session), idle=auth.SESSION_IDLE, absolute=auth.SESSION_ABSOLUTE
    )
    myself = await post_form(client, f"/console/users/{admin.id}/disable")
    assert myself.status_code == 400 and MN("error.disable_self") in unescape(myself.text)
    assert (await accounts_db.get_account(db, admin.id)).disabled_at is None
