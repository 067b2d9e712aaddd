"""The researchers' console pages, end to end on a real database.

The helpers at the top (a questionnaire published in two versions, a campaign whose pre and post waves
use different versions, responses inserted through SQL) are still imported by the other
``test_console_*``, ``test_auth*``, ``test_exports*``, ``test_api*`` and ``test_route_matrix`` modules;
signed-in accounts, API tokens and forms with their CSRF token are in ``tests/helpers.py``.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import asyncpg
import pytest
import segno
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import auth
from survey.console.routes import day_chart
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db.campaigns import Campaign, Wave
from survey.db.console import DayCount, WaveProgress
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from survey.settings import Settings
from tests.helpers import (  # noqa: F401 (imported from here by other test modules until they move)
    HOST,
    PASSWORD,
    csrf_token,
    make_account,
    new_session,
    new_token,
    password_hash,
    set_cookie,
    sign_in_as,
)
from tests.helpers import post_console_form as post_form

# -- a questionnaire in two versions ---------------------------------------------------------------

V1 = """
key: tq
languages: [mn, en]
title: {mn: "Туршилтын асуулга", en: "A test questionnaire"}
sections:
  - key: consent
    items:
      - {key: consent, type: consent, text: {mn: "Зөвшөөрч байна уу?", en: "Do you agree?"}}
  - key: about
    show_if: "consent == 'yes'"
    items:
      - {key: age, type: integer, min: 18, max: 27, text: {mn: "Нас?", en: "Your age?"}}
      - {key: aimag, type: choice, choices: aimags, text: {mn: "Аймаг", en: "Province"}}
      - {key: visit, type: date, text: {mn: "Огноо", en: "Date of the visit"}}
      - {key: code, type: panel_code, text: {mn: "Код", en: "Your code"}}
  - key: knowledge
    items:
      - key: k_offer
        type: choice
        correct: "no"
        choices: yes_no_dk
        text: {mn: "Сайхан санал аюулгүй юу?", en: "Is a too-good job offer safe?"}
      - key: k_signs
        type: multi
        correct: [passport, debt]
        scoring: partial
        text: {mn: "Аюулын дохио?", en: "Which are warning signs?"}
        choices:
          - {value: passport, label: {mn: "Паспорт", en: "Keeping the passport"}}
          - {value: debt, label: {mn: "Өр", en: "Imposing a debt"}}
          - {value: contract, label: {mn: "Гэрээ", en: "Giving a contract"}}
  - key: attitudes
    items:
      - {key: a_help, type: likert, scale: agree5, text: {mn: "Тусламж хүснэ", en: "I can ask for help"}}
      - key: a_shame
        type: likert
        scale: agree5
        reverse: true
        text: {mn: "Ичмээр", en: "Asking for help is shameful"}
      - {key: comment, type: text, text: {mn: "Сэтгэгдэл", en: "Anything else?"}}
choice_lists:
  aimags:
    - {value: ub, label: {mn: "Улаанбаатар", en: "Ulaanbaatar"}}
    - {value: darkhan, label: {mn: "Дархан", en: "Darkhan"}}
  yes_no_dk:
    - {value: "yes", label: {mn: "Тийм", en: "Yes"}}
    - {value: "no", label: {mn: "Үгүй", en: "No"}}
    - {value: dk, label: {mn: "Мэдэхгүй", en: "Don't know"}}
likert_scales:
  agree5:
    points: 5
    labels:
      mn: ["Огт үгүй", "Үгүй", "Дунд", "Тийм", "Бүрэн тийм"]
      en: ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
outcomes:
  knowledge: {kind: score, label: {mn: "Мэдлэг", en: "Knowledge"}, items: [k_offer, k_signs]}
  help_seeking: {kind: scale, label: {mn: "Тусламж", en: "Help seeking"}, items: [a_help, a_shame]}
"""

# Version 2: a new knowledge item in the middle, a new choice for k_signs (a breaking change), and an
# outcome counting who would report.
V2 = (
    V1.replace(
        "      - key: k_signs\n",
        """      - key: k_hotline
        type: choice
        correct: "yes"
        choices: yes_no_dk
        text: {mn: "Утас 108 үнэгүй юу?", en: "Is the 108 hotline free?"}
      - key: k_signs
""",
    )
    .replace(
        '          - {value: contract, label: {mn: "Гэрээ", en: "Giving a contract"}}\n',
        '          - {value: contract, label: {mn: "Гэрээ", en: "Giving a contract"}}\n'
        '          - {value: isolation, label: {mn: "Тусгаарлах", en: "Isolating them"}}\n',
    )
    .replace(
        "  help_seeking:",
        '  hotline: {kind: proportion, label: {mn: "Утас", en: "Knows the hotline"}, item: k_hotline, '
        'value: "yes"}\n  help_seeking:',
    )
)

HTMX = {"HX-Request": "true"}


@dataclass
class Study:
    """A campaign whose pre wave uses version 1 and post wave version 2."""

    campaign: Campaign
    pre: Wave
    post: Wave
    v1_id: int
    v2_id: int


async def publish_versions(db: asyncpg.Connection) -> tuple[int, int]:
    """Publish V1 then V2; return their version ids."""
    await publish(db, load_definition(V1))
    await publish(db, load_definition(V2))
    rows = await db.fetch(
        "SELECT v.id FROM questionnaire_version v JOIN questionnaire q ON q.id = v.questionnaire_id "
        "WHERE q.key = 'tq' ORDER BY v.version"
    )
    return rows[0]["id"], rows[1]["id"]


async def make_study(
    db: asyncpg.Connection, *, key: str = "tip", design: str = "independent"
) -> Study:
    v1_id, v2_id = await publish_versions(db)
    campaign = await campaigns_db.create_campaign(db, key, questionnaire="tq", design=design)
    pre = await campaigns_db.add_wave(db, key, phase="pre", version=1)
    post = await campaigns_db.add_wave(db, key, phase="post", version=2)
    return Study(campaign=campaign, pre=pre, post=post, v1_id=v1_id, v2_id=v2_id)


T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


async def add_response(
    db: asyncpg.Connection,
    wave: Wave,
    answers: Mapping[str, Any],
    *,
    status: str = "complete",
    language: str = "en",
    started_at: datetime = T0,
    minutes: float = 10,
    pages: Sequence[str] = ("consent", "about", "knowledge", "attitudes"),
    panel_key: str | None = None,
    version_id: int | None = None,
) -> uuid.UUID:
    """Insert a response as the respondent pages store it (answers keyed by item key)."""
    response_id = uuid.uuid4()
    submitted = started_at + timedelta(minutes=minutes) if status == "complete" else None
    await db.execute(
        "INSERT INTO response (id, wave_id, version_id, language, status, answers, pages, panel_key, "
        "started_at, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
        response_id,
        wave.id,
        version_id or wave.version_id,
        language,
        status,
        dict(answers),
        list(pages),
        panel_key,
        started_at,
        submitted,
    )
    return response_id


# -- accounts and clients --------------------------------------------------------------------------


@pytest.fixture(name="client")
async def client_fixture(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    """A test client of the whole application, on this test's database."""
    app = create_app(settings, database_url=settings.database_url)
    async with AsyncTestClient(app) as test_client:
        # Redirects are part of what is tested (sign-in, post-redirect-get).
        test_client.follow_redirects = False
        yield test_client


@pytest.fixture(name="study")
async def study_fixture(db: asyncpg.Connection) -> Study:
    return await make_study(db)


def text_of(html: str) -> str:
    """The visible text of a page, tags removed and spaces collapsed (enough for assertions)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# -- pages -----------------------------------------------------------------------------------------


async def test_every_console_page_renders(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
):
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    await sign_in_as(client, db, "admin")
    pages = {
        "/console/campaigns": ["tip", "independent"],
        "/console/campaigns/new": ["New campaign", "tq"],
        "/console/campaigns/tip": ["tip-pre", "tip-post", "Export", study.pre.token],
        "/console/questionnaires": ["tq", "A test questionnaire"],
        "/console/questionnaires/tq": ["v1", "v2", "Compare versions"],
        "/console/questionnaires/tq/versions/2?lang=en": ["Is the 108 hotline free?"],
        "/console/questionnaires/tq/diff?a=1&b=2": ["k_hotline", "k_signs"],
        "/console/waves/tip-pre": ["Complete", "Drop-off by page"],
        "/console/users": ["admin@example.org", "New account"],
        "/console/audit": ["Audit log"],
    }
    for path, expected in pages.items():
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert "console.css" in response.text
        for fragment in expected:
            assert fragment in response.text, (path, fragment)
    home = await client.get("/console", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/console/campaigns"


async def test_preview_shows_the_version_in_either_language(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher")
    mn = text_of((await client.get("/console/questionnaires/tq/versions/1?lang=mn")).text)
    en = text_of((await client.get("/console/questionnaires/tq/versions/1?lang=en")).text)
    # Texts, choice labels (from a shared list) and Likert labels of the asked language only.
    for text in ("Сайхан санал аюулгүй юу?", "Мэдэхгүй", "Улаанбаатар", "Бүрэн тийм"):
        assert text in mn and text not in en
    for text in ("Is a too-good job offer safe?", "Don't know", "Ulaanbaatar", "Strongly agree"):
        assert text in en and text not in mn
    # Version 1 has no hotline question; version 2 has it.
    assert "108" not in en
    assert "108" in (await client.get("/console/questionnaires/tq/versions/2?lang=en")).text
    missing = await client.get("/console/questionnaires/tq/versions/1?lang=fr")
    assert missing.status_code == 404


async def test_diff_marks_breaking_changes(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
):
    await sign_in_as(client, db, "analyst")
    html = (await client.get("/console/questionnaires/tq/diff?a=1&b=2")).text
    rows = {
        m.group(2): m.group(1)
        for m in re.finditer(r'<tr class="([^"]*)">\s*<td><code>([^<]+)</code>', html)
    }
    assert rows["k_hotline"] == "added"
    assert "breaking" in rows["k_signs"]  # a new choice changes what respondents see
    assert "outcome hotline" in rows
    assert "k_offer" not in rows  # unchanged
    bad = await client.get("/console/questionnaires/tq/diff?a=x&b=2")
    assert bad.status_code == 400


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
    bad_design = await post_form(
        client, "/console/campaigns", {"key": "other", "questionnaire": "tq", "design": "cohort"}
    )
    assert bad_design.status_code == 400 and "design must be one of" in bad_design.text
    duplicate = await post_form(
        client,
        "/console/campaigns",
        {"key": "ethics-2027", "questionnaire": "tq", "design": "independent"},
    )
    assert duplicate.status_code == 409 and "already exists" in duplicate.text
    bad_key = await post_form(
        client,
        "/console/campaigns",
        {"key": "Bad Key!", "questionnaire": "tq", "design": "independent"},
    )
    assert bad_key.status_code == 400 and 'value="Bad Key!"' in bad_key.text
    twice = await post_form(client, "/console/campaigns/ethics-2027/waves", {"phase": "pre"})
    assert twice.status_code == 409 and 'wave "ethics-2027-pre" already exists' in unescape(
        twice.text
    )


async def test_open_and_close_a_wave(client: AsyncTestClient, db: asyncpg.Connection, study: Study):
    await sign_in_as(client, db, "researcher")
    opened = await post_form(client, "/console/waves/tip-pre/open")
    assert opened.status_code == 303 and opened.headers["location"] == "/console/campaigns/tip"
    assert (await campaigns_db.get_wave(db, "tip-pre")).status == "open"
    # From htmx, the same handler answers with the wave's row, now offering to close it.
    closed = await post_form(client, "/console/waves/tip-pre/close", headers=HTMX)
    assert closed.status_code == 200
    assert closed.text.lstrip().startswith('<tr id="wave-tip-pre">')
    assert "/console/waves/tip-pre/open" in closed.text and "<html" not in closed.text
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
    html = (await client.get("/console/waves/tip-pre")).text
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))
    assert figures["Complete"] == "4" and figures["Partial"] == "3" and figures["Declined"] == "1"
    assert figures["Median time to complete"] == "25 min 00 s"  # median of 10, 20, 30, 40
    # Two days: two stacked bars each.
    assert html.count('<rect class="complete"') == 2 and html.count('<rect class="partial"') == 2
    rows = re.findall(
        r'<tr><td><code>([^<]+)</code></td><td class="num">(\d+)</td><td class="num">(\d+)</td>',
        html,
    )
    assert rows == [
        ("consent", "8", "0"),
        ("about", "7", "2"),
        ("knowledge", "5", "1"),
        ("attitudes", "4", "0"),
    ]
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
    assert "tip" in listing and 'href="/console/campaigns/tip"' not in listing
    assert "New campaign" not in listing and "Questionnaires" not in listing
    await sign_in_as(client, db, "analyst")
    detail = (await client.get("/console/campaigns/tip")).text
    # Analysts read campaigns and export, but neither run waves nor hand out links.
    assert "Export" in detail and study.pre.token not in detail and "qr.svg" not in detail
    assert "/console/waves/tip-pre/open" not in detail and "Add a wave" not in detail


async def test_admins_manage_accounts(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    admin = await sign_in_as(client, db, "admin")
    created = await post_form(
        client,
        "/console/users",
        {"email": "New@Example.org", "role": "analyst", "password": PASSWORD},
    )
    assert created.status_code == 303
    account = await accounts_db.get_account_by_email(db, "new@example.org")
    assert account.role == "analyst"
    short = await post_form(
        client, "/console/users", {"email": "b@example.org", "role": "analyst", "password": "short"}
    )
    assert short.status_code == 400 and "at least 10 characters" in short.text
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
    assert myself.status_code == 400
    assert (await accounts_db.get_account(db, admin.id)).disabled_at is None
