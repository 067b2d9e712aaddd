"""``GET /campaigns/{key}/report``: who may see it, small-cell suppression, and the forest plot."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import asyncpg
import numpy as np
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.db import campaigns as campaigns_db
from survey.reports.data import campaign_report
from tests.integration.test_analyze import answers_for, make_campaign
from tests.integration.test_console import (
    add_response,
    client_fixture,  # noqa: F401 (the client fixture)
    sign_in_as,
    text_of,
)

SVG = "{http://www.w3.org/2000/svg}"


async def test_served_to_every_role_and_anonymous_sent_to_sign_in(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await make_campaign(db)
    anonymous = await client.get("/campaigns/tip/report")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/sign-in?next=/campaigns/tip/report"
    for role in auth.ROLES:
        client.cookies.clear()
        await sign_in_as(client, db, role)
        page = await client.get("/campaigns/tip/report")
        assert page.status_code == 200, (role, page.text[:300])
        text = text_of(page.text)
        assert "Knowledge rose from" in text and "Мэдлэг" in text
        assert "report.css" in page.text
    assert (await client.get("/campaigns/nope/report")).status_code == 404


async def test_headline_sentence_matches_the_numbers(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await make_campaign(db)
    report = await campaign_report(db, "tip")
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    diff = knowledge.effects[0]
    pre, post = knowledge.groups["pre"].mean, knowledge.groups["post"].mean
    await sign_in_as(client, db, "viewer")
    text = text_of((await client.get("/campaigns/tip/report")).text)
    expected = (
        f"Knowledge rose from {100 * pre:.0f}% to {100 * post:.0f}% correct, "
        f"{100 * diff.estimate:+.0f} points, 95% CI {100 * diff.ci_low:+.0f} to "
        f"{100 * diff.ci_high:+.0f}."
    )
    assert expected in text
    assert "significant" not in text.lower()
    assert "Cohen's conventions" in text
    # The sample sizes behind every effect.
    assert f"pre: n = {knowledge.groups['pre'].n}" in text
    assert f"post: n = {knowledge.groups['post'].n}" in text


async def test_no_cell_under_five_is_shown(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    await make_campaign(db, key="big")
    # A campaign whose post wave has 3 complete responses.
    await campaigns_db.create_campaign(db, "tiny", questionnaire="aq", design="independent")
    pre = await campaigns_db.add_wave(db, "tiny", phase="pre")
    post = await campaigns_db.add_wave(db, "tiny", phase="post")
    rng = np.random.default_rng(5)
    for answers in answers_for(rng, 40, 0.5, 0):
        await add_response(db, pre, answers)
    few = answers_for(rng, 3, 1.0, 1)  # all three right: a shown mean would be 100%
    for answers in few:
        await add_response(db, post, answers)
    await sign_in_as(client, db, "viewer")
    html = (await client.get("/campaigns/tiny/report")).text
    text = text_of(html)
    assert "fewer than 5" in text
    assert "100%" not in text
    assert "no estimate can be shown" in text
    # Every family row of the post group hides its numbers.
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, flags=re.S)
    assert rows
    for row in rows:
        cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        n_after, after, difference = cells[1], cells[3], cells[4]
        assert (n_after, after, difference) == ("fewer than 5", "–", "–"), row


async def test_forest_plot(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    await make_campaign(db)
    report = await campaign_report(db, "tip")
    await sign_in_as(client, db, "analyst")
    html = (await client.get("/campaigns/tip/report")).text
    found = re.search(r"<svg .*?</svg>", html, flags=re.S)
    assert found, "no inline SVG"
    svg = ET.fromstring(found.group(0))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.strip()
    desc = svg.find(f"{SVG}desc").text
    rows = svg.findall(f"{SVG}g[@class='row']")
    assert {r.get("data-key") for r in rows} == {o.key for o in report.outcomes}
    zero = svg.find(f"{SVG}line[@class='zero']")
    assert zero is not None
    by_key = {o.key: o for o in report.outcomes}
    positions = []
    for row in rows:
        line = row.find(f"{SVG}line[@class='ci']")
        dot = row.find(f"{SVG}circle[@class='est']")
        x1, x2, cx = float(line.get("x1")), float(line.get("x2")), float(dot.get("cx"))
        assert x1 <= cx <= x2, row.get("data-key")
        assert float(line.get("y1")) == float(line.get("y2")) == float(dot.get("cy"))
        std = next(
            e for e in by_key[row.get("data-key")].effects if e.name in ("hedges_g", "cohens_h")
        )
        positions.append((float(dot.get("cy")), std, x1, cx, x2))
        assert f"{std.estimate:+.2f}" in desc
    # One linear scale for all rows: every drawn x maps back to its number.
    positions.sort()
    (_, e0, *_), (_, e1, *_) = positions[0], positions[-1]
    slope = (positions[-1][3] - positions[0][3]) / (e1.estimate - e0.estimate)
    for _, std, x1, cx, x2 in positions:
        assert abs((x1 - cx) - slope * (std.ci_low - std.estimate)) < 0.05
        assert abs((x2 - cx) - slope * (std.ci_high - std.estimate)) < 0.05
    zero_x = positions[0][3] - slope * positions[0][1].estimate
    assert abs(float(zero.get("x1")) - zero_x) < 0.05
    # Ordered: largest effect at the top.
    estimates = [p[1].estimate for p in positions]
    assert estimates == sorted(estimates, reverse=True)
