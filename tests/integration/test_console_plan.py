"""The planning page (``GET /console/plan``) and the precision so far on a wave's monitoring page.

The planning page's numbers are those of ``survey plan`` (run here through ``survey.cli.main``) and of
survey.analysis.power; every wrong, empty, huge or hostile value gets its message beside its field with
what was typed kept, never a 500. The monitoring page's interval width is recomputed here from the stored
answers with Welch's interval and the t interval of a mean written out with scipy's quantiles.
"""

from __future__ import annotations

import math
import re
from html import unescape
from urllib.parse import urlencode

import asyncpg
import numpy as np
import pytest
from litestar.testing import AsyncTestClient
from scipy import stats

from survey.analysis import power as pw
from survey.cli import main
from survey.console.messages import CATALOGUE
from survey.db import campaigns as campaigns_db
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from survey.reports.messages import CATALOGUE as REPORT
from tests.helpers import (
    HTMX,
    V1,
    V2,
    add_response,
    english_left,
    sign_in_as,
    visible_text,
)

EN = CATALOGUE.bound("en")


def cli_plan(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["plan", *args]) == 0
    return capsys.readouterr().out.splitlines()[0]


async def plan_page(client: AsyncTestClient, **query: str) -> str:
    response = await client.get("/console/plan?" + urlencode({"lang": "en", **query}))
    assert response.status_code == 200, response.text[:500]
    return response.text


def headline(html: str) -> str:
    found = re.search(r'<h2 id="plan-answer">(.*?)</h2>', html)
    assert found, "no answer on the page"
    return unescape(found.group(1))


BASE = {"power": "0.8", "alpha": "0.05", "correlation": "", "icc": "", "cluster_size": ""}

# (query, the same plan's options of survey plan)
SAMPLE_SIZES = [
    ({"design": "independent", "outcome": "smd", "effect": "0.5"}, ["--effect", "0.5"]),
    ({"design": "panel", "outcome": "smd", "effect": "0.3"}, ["--effect", "0.3"]),
    (
        {"design": "panel", "outcome": "smd", "effect": "0.3", "correlation": "0.6"},
        ["--effect", "0.3", "--correlation", "0.6"],
    ),
    ({"design": "comparison", "outcome": "smd", "effect": "0.4"}, ["--effect", "0.4"]),
    (
        {
            "design": "independent",
            "outcome": "smd",
            "effect": "0.5",
            "icc": "0.05",
            "cluster_size": "21",
        },
        ["--effect", "0.5", "--icc", "0.05", "--cluster-size", "21"],
    ),
    (
        {"design": "independent", "outcome": "proportion", "p_pre": "0.4", "p_post": "0.6"},
        ["--p-pre", "0.4", "--p-post", "0.6"],
    ),
    (
        {
            "design": "panel",
            "outcome": "proportion",
            "p_pre": "0.3",
            "p_post": "0.45",
            "correlation": "0.4",
        },
        ["--p-pre", "0.3", "--p-post", "0.45", "--correlation", "0.4"],
    ),
    (
        {
            "design": "comparison",
            "outcome": "proportion",
            "p_pre": "0.3",
            "p_post": "0.45",
            "power": "0.9",
        },
        ["--p-pre", "0.3", "--p-post", "0.45", "--power", "0.9"],
    ),
]


@pytest.mark.parametrize(("query", "options"), SAMPLE_SIZES)
async def test_the_sample_size_equals_survey_plan_and_power_py(
    client: AsyncTestClient, db: asyncpg.Connection, capsys, query: dict, options: list[str]
) -> None:
    await sign_in_as(client, db, "analyst")
    html = await plan_page(client, **{**BASE, "question": "n", **query})
    n = int(re.sub(r"\D", "", headline(html)))
    cli = cli_plan(capsys, "--design", query["design"], "--outcome", query["outcome"], *options)
    assert cli == f"n per wave: {n}"
    # The number counts what the CLI counts: in a comparison design, each group at each wave.
    assert ("per group" in headline(html)) == (query["design"] == "comparison")
    common = {
        "design": query["design"],
        "power": float(query.get("power", BASE["power"])),
        "correlation": float(query["correlation"]) if query.get("correlation") else None,
        "icc": float(query.get("icc") or 0),
        "cluster_size": float(query.get("cluster_size") or 1),
    }
    if query["outcome"] == "smd":
        expected = pw.n_for_smd(float(query["effect"]), **common).n
    else:
        expected = pw.n_for_proportions(float(query["p_pre"]), float(query["p_post"]), **common).n
    assert n == expected
    # The assumptions are written out.
    assert EN(f"plan.assume.design.{query['design']}") in unescape(html)


DETECTABLE = [
    ({"design": "independent", "outcome": "smd", "n": "64"}, ["--n", "64"]),
    (
        {"design": "panel", "outcome": "smd", "n": "120", "correlation": "0.5"},
        ["--n", "120", "--correlation", "0.5"],
    ),
    (
        {"design": "comparison", "outcome": "smd", "n": "300", "icc": "0.02", "cluster_size": "20"},
        ["--n", "300", "--icc", "0.02", "--cluster-size", "20"],
    ),
    (
        {"design": "independent", "outcome": "proportion", "n": "400", "p_pre": "0.35"},
        ["--n", "400", "--p-pre", "0.35"],
    ),
    (
        {
            "design": "panel",
            "outcome": "proportion",
            "n": "200",
            "p_pre": "0.4",
            "correlation": "0.3",
        },
        ["--n", "200", "--p-pre", "0.4", "--correlation", "0.3"],
    ),
]


@pytest.mark.parametrize(("query", "options"), DETECTABLE)
async def test_the_detectable_effect_equals_survey_plan(
    client: AsyncTestClient, db: asyncpg.Connection, capsys, query: dict, options: list[str]
) -> None:
    await sign_in_as(client, db, "researcher")
    html = await plan_page(client, **{**BASE, "question": "detect", **query})
    cli = cli_plan(
        capsys, "--design", query["design"], "--outcome", query["outcome"], "--detect", *options
    )
    effect = float(cli.rsplit(" ", 1)[1])
    shown = headline(html)
    if query["outcome"] == "smd":
        assert f"d = {effect:.3f}" in shown
    else:
        # A rise in percentage points: the CLI's difference of proportions, times 100.
        assert f"{100 * effect:.1f} percentage points" in shown


async def test_a_first_visit_shows_a_worked_plan_and_the_link_shares_it(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "admin")
    html = (await client.get("/console/plan?lang=en")).text
    n = pw.n_for_smd(0.3).n
    assert headline(html) == EN("plan.result.n", n=f"{n:,}")
    link = unescape(re.search(r'<a href="(/console/plan\?[^"]+)">', html).group(1))
    assert headline((await client.get(link + "&lang=en")).text) == headline(html)


async def test_htmx_gets_the_form_and_answer_alone(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    response = await client.get(
        "/console/plan?lang=en&"
        + urlencode(
            {**BASE, "question": "n", "design": "independent", "outcome": "smd", "effect": "0.5"}
        ),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="planner"' in response.text
    assert "64" in headline(response.text)


def error_beside(html: str, field: str) -> str:
    found = re.search(rf'<p id="plan-{field}-error" class="field-error">(.*?)</p>', html)
    assert found, f"no message beside {field}"
    return unescape(found.group(1))


def value_of(html: str, field: str) -> str:
    found = re.search(rf'<input id="plan-{field}" name="{field}" value="([^"]*)"', html)
    assert found, field
    return unescape(found.group(1))


@pytest.mark.parametrize(
    ("query", "field", "key"),
    [
        ({"effect": ""}, "effect", "plan.error.empty"),
        ({"effect": "abc"}, "effect", "plan.error.not_number"),
        ({"effect": "0"}, "effect", "plan.error.effect"),
        ({"effect": "nan"}, "effect", "plan.error.not_number"),
        ({"effect": "inf"}, "effect", "plan.error.not_number"),
        ({"effect": "1e-9"}, "effect", "plan.error.too_many"),
        ({"effect": "9" * 300}, "effect", "plan.error.too_long"),
        ({"effect": "<script>alert(1)</script>"}, "effect", "plan.error.not_number"),
        ({"power": "1.5"}, "power", "plan.error.power"),
        ({"power": "0.04"}, "power", "plan.error.power_alpha"),
        ({"alpha": "-1"}, "alpha", "plan.error.alpha"),
        ({"icc": "0.05"}, "cluster_size", "plan.error.cluster_pair"),
        ({"icc": "2", "cluster_size": "10"}, "icc", "plan.error.icc"),
        ({"icc": "0.1", "cluster_size": "1"}, "cluster_size", "plan.error.cluster_size"),
        (
            {"design": "panel", "outcome": "proportion", "p_pre": "0.4", "p_post": "0.5"},
            "correlation",
            "plan.error.correlation_needed",
        ),
        (
            {
                "design": "panel",
                "outcome": "proportion",
                "p_pre": "0.1",
                "p_post": "0.9",
                "correlation": "0.99",
            },
            "correlation",
            "plan.error.correlation_fit",
        ),
        ({"design": "panel", "correlation": "1"}, "correlation", "plan.error.correlation"),
        (
            {"outcome": "proportion", "p_pre": "40", "p_post": "0.5"},
            "p_pre",
            "plan.error.proportion",
        ),
        (
            {"outcome": "proportion", "p_pre": "0.5", "p_post": "0.5"},
            "p_post",
            "plan.error.same_proportions",
        ),
        ({"question": "detect", "n": "2.5"}, "n", "plan.error.n"),
        ({"question": "detect", "n": "1"}, "n", "plan.error.n"),
        (
            {"question": "detect", "n": "3", "icc": "0.1", "cluster_size": "2"},
            "n",
            "plan.error.n_clusters",
        ),
        (
            {"question": "detect", "outcome": "proportion", "n": "3", "p_pre": "0.999"},
            "n",
            "plan.error.n_too_small",
        ),
    ],
)
async def test_every_wrong_value_is_told_beside_its_field(
    client: AsyncTestClient, db: asyncpg.Connection, query: dict, field: str, key: str
) -> None:
    await sign_in_as(client, db, "analyst")
    full = {
        **BASE,
        "question": "n",
        "design": "independent",
        "outcome": "smd",
        "effect": "0.3",
        **query,
    }
    html = await plan_page(client, **full)
    assert error_beside(html, field) == EN(key, length=40)
    assert 'id="plan-answer"' not in html
    assert 'aria-invalid="true"' in html
    # What was typed is kept (cut to a number's length when huge), escaped.
    assert value_of(html, field) == full.get(field, "").strip()[:40]
    assert "<script>" not in html


@pytest.mark.parametrize(
    "query", [{"design": "<b>x</b>"}, {"question": "nope"}, {"outcome": "ratio"}]
)
async def test_an_unknown_choice_is_told_and_the_form_still_shows(
    client: AsyncTestClient, db: asyncpg.Connection, query: dict
) -> None:
    await sign_in_as(client, db, "researcher")
    html = await plan_page(
        client,
        **{
            **BASE,
            "effect": "0.3",
            "question": "n",
            "design": "independent",
            "outcome": "smd",
            **query,
        },
    )
    name = next(iter(query))
    assert re.search(rf'<p id="plan-{name}-error" class="field-error">', html)
    assert "<b>x</b>" not in html


async def test_the_mongolian_page_has_no_english_left(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    for query in (
        {},
        {
            **BASE,
            "question": "detect",
            "design": "panel",
            "outcome": "proportion",
            "n": "200",
            "p_pre": "0.4",
            "correlation": "0.3",
        },
        {
            **BASE,
            "question": "n",
            "design": "comparison",
            "outcome": "smd",
            "effect": "abc",
            "icc": "0.05",
        },
        {
            **BASE,
            "question": "n",
            "design": "independent",
            "outcome": "smd",
            "effect": "0.4",
            "icc": "0.05",
            "cluster_size": "20",
        },
    ):
        html = (await client.get("/console/plan?" + urlencode(query))).text
        assert english_left(html, CATALOGUE) == [], query


async def test_the_navigation_and_the_new_campaign_page_link_to_it(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    html = (await client.get("/console/campaigns/new?lang=en")).text
    assert html.count('href="/console/plan"') == 3  # the wide bar, the phone menu, the form's hint


# -- the page explaining the methods -------------------------------------------------------------------


async def test_the_plan_links_to_the_methods_page_and_names_no_file(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    for lang, link in (("mn", "/console/help/methods"), ("en", "/console/help/methods?lang=en")):
        html = (
            await client.get("/console/plan?" + urlencode({"lang": lang} if lang == "en" else {}))
        ).text
        assert "docs/analysis.md" not in html and ".md" not in visible_text(html)
        said = CATALOGUE.translate("plan.methods_link", lang)
        assert f'<a href="{link}">{said}</a>' in unescape(html)
        shown = await client.get(link)
        assert shown.status_code == 200
        assert f'<html lang="{lang}">' in shown.text


async def test_the_methods_page_explains_each_method_in_the_readers_language(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "analyst")
    mn = (await client.get("/console/help/methods")).text
    en = (await client.get("/console/help/methods?lang=en")).text
    # Every word of the console's and of the report's catalogues is Mongolian on the Mongolian page.
    assert english_left(mn, CATALOGUE) == []
    assert english_left(mn, REPORT) == []
    # What the plan assumes, the size of a change, the interval, clusters, several outcomes: the
    # report's own explanations of its terms, and the console's of the rest.
    for key in ("help.plan", "help.effect", "help.clusters", "help.outcomes"):
        assert CATALOGUE.translate(key, "mn") in visible_text(mn), key
        assert CATALOGUE.translate(key, "en") in visible_text(en), key
    for key in ("term.standardised.body", "term.percentage_points.body"):
        assert REPORT.translate(key, "mn") in visible_text(mn), key
        assert REPORT.translate(key, "en") in visible_text(en), key
    assert REPORT.translate("term.interval.body", "en", level="95%") in visible_text(en)
    assert REPORT.translate("term.interval.body", "mn", level="95%") in visible_text(mn)
    assert CATALOGUE.translate("help.outcomes.families", "mn") in visible_text(mn)
    # The design effect as the planning functions compute it (survey.analysis.power.design_effect).
    assert "1 + (m − 1) × ICC" in visible_text(mn) and "1 + (m − 1) × ICC" in visible_text(en)
    # No file name, no internal name; each topic can be linked to.
    for html in (mn, en):
        assert ".md" not in visible_text(html) and "survey.analysis" not in html
        for anchor in ("plan", "effect", "interval", "clusters", "outcomes"):
            assert f'id="{anchor}"' in html


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("analyst", 200), ("admin", 200)])
async def test_who_may_read_the_methods(
    client: AsyncTestClient, db: asyncpg.Connection, role: str, status: int
) -> None:
    anonymous = await client.get("/console/help/methods")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/sign-in")
    await sign_in_as(client, db, role)
    assert (await client.get("/console/help/methods")).status_code == status
    # A language the console does not have is no error: the account's language is used.
    assert (await client.get("/console/help/methods?lang=xx")).status_code == status


# -- the precision so far on the monitoring page --------------------------------------------------------


async def same_version_study(db: asyncpg.Connection, design: str = "independent") -> tuple:
    await publish(db, load_definition(V1))
    campaign = await campaigns_db.create_campaign(db, "prec", questionnaire="tq", design=design)
    pre = await campaigns_db.add_wave(db, "prec", phase="pre", version=1)
    post = await campaigns_db.add_wave(db, "prec", phase="post", version=1)
    return campaign, pre, post


def answers(a_help: int, a_shame: int, right: bool) -> dict:
    return {
        "consent": "yes",
        "k_offer": "no" if right else "yes",
        "k_signs": ["passport", "debt"] if right else ["contract"],
        "a_help": a_help,
        "a_shame": a_shame,
    }


def width_row(html: str, name: str) -> tuple[str, str]:
    """The width now and the responses needed, as the outcome's card shows them."""
    for card in html.split('<div class="width-card">')[1:]:
        if f"<h3>{name}</h3>" in card:
            width = re.search(r"<dd data-width>(.*?)</dd>", card).group(1)
            more = re.search(r"<dd data-more>(.*?)</dd>", card).group(1)
            return unescape(width), unescape(more)
    raise AssertionError(f"no card {name}")


async def test_a_post_wave_shows_the_welch_width_and_how_many_more(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    _, pre, post = await same_version_study(db)
    rng = np.random.default_rng(7)
    pre_help, post_help = [], []
    for wave, store, shift in ((pre, pre_help, 0), (post, post_help, 1)):
        for _ in range(12 if wave is pre else 9):
            h, s = int(rng.integers(1, 4)) + shift, int(rng.integers(1, 6))
            store.append((h + 6 - s) / 2)  # the scale: a_shame is reversed on 5 points
            await add_response(db, wave, answers(h, s, bool(rng.integers(0, 2))))
    await sign_in_as(client, db, "analyst")
    html = (await client.get(f"/console/waves/{post.key}?lang=en&target-help_seeking=0.5")).text
    # Welch's interval of the difference, written out.
    a, b = np.array(post_help), np.array(pre_help)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    width = 2 * stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    cells = width_row(html, "Help seeking")
    assert cells[0] == EN("monitor.width.scale", value=f"{width:.2f}")
    # More responses of the post wave: width ∝ √(sd_pre²/n_pre + sd_post²/n_post), the pre wave fixed.
    wanted = (va + vb) * (0.5 / width) ** 2
    n_post = a.var(ddof=1) / (wanted - vb)
    expected = math.ceil(n_post - a.size) if wanted > vb else None
    assert cells[1] == (
        f"{expected:,}" if expected is not None else EN("monitor.width.unreachable")
    )
    assert 'value="0.5"' in html
    # The refresh every 30 seconds carries the figures only.
    fragment = (await client.get(f"/console/waves/{post.key}?lang=en", headers=HTMX)).text
    assert EN("monitor.width.title") not in fragment


async def test_a_pre_wave_shows_the_width_of_its_mean_and_a_small_wave_no_numbers(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    _, pre, post = await same_version_study(db)
    scores = []
    for k in range(20):
        right = k % 3 != 0
        scores.append(1.0 if right else 0.0)  # k_offer right and k_signs both correct, or neither
        await add_response(db, pre, answers(3, 3, right))
    for _ in range(3):
        await add_response(db, post, answers(4, 2, True))
    await sign_in_as(client, db, "researcher")
    html = (await client.get(f"/console/waves/{pre.key}?lang=en")).text
    x = np.array(scores)
    width = 2 * stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    cells = width_row(html, "Knowledge")
    assert cells[0] == EN("monitor.width.points", value=f"{100 * width:.1f}")
    # The default target: 10 percentage points; n·(w/t)² − n more.
    assert 'name="target-knowledge" value="10"' in html
    assert cells[1] == f"{math.ceil(x.size * (width / 0.1) ** 2 - x.size):,}"
    # The post wave has 3 complete responses: no numbers.
    post_html = (await client.get(f"/console/waves/{post.key}?lang=en")).text
    assert width_row(post_html, "Knowledge")[1] == EN("monitor.width.hidden")
    assert width_row(post_html, "Knowledge")[0] == "–"


@pytest.mark.parametrize("target", ["abc", "-1", "0", "9" * 500, "<script>"])
async def test_a_wrong_target_is_told_and_the_default_used(
    client: AsyncTestClient, db: asyncpg.Connection, target: str
) -> None:
    _, pre, _ = await same_version_study(db)
    for k in range(8):
        await add_response(db, pre, answers(k % 5 + 1, 3, k % 2 == 0))
    await sign_in_as(client, db, "admin")
    response = await client.get(
        f"/console/waves/{pre.key}?" + urlencode({"lang": "en", "target-knowledge": target})
    )
    assert response.status_code == 200
    assert EN("monitor.width.target_error") in unescape(response.text)
    assert "<script>" not in response.text


async def test_the_monitoring_page_in_mongolian_has_no_english_left(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    _, pre, post = await same_version_study(db)
    for k in range(10):
        await add_response(db, pre, answers(k % 5 + 1, 2, k % 2 == 0))
        await add_response(db, post, answers(k % 4 + 2, 1, k % 3 != 0))
    await sign_in_as(client, db, "researcher")
    for wave in (pre, post):
        html = (await client.get(f"/console/waves/{wave.key}?target-knowledge=x")).text
        assert english_left(html, CATALOGUE) == []


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("analyst", 200), ("admin", 200)])
async def test_who_may_plan(
    client: AsyncTestClient, db: asyncpg.Connection, role: str, status: int
) -> None:
    anonymous = await client.get("/console/plan")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/sign-in")
    await sign_in_as(client, db, role)
    assert (await client.get("/console/plan")).status_code == status


def wilson(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson's score interval of k of n, written out (Wilson 1927)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


async def test_a_share_shows_the_width_of_newcombes_interval(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await publish(db, load_definition(V1))
    await publish(db, load_definition(V2))
    await campaigns_db.create_campaign(db, "share", questionnaire="tq", design="independent")
    pre = await campaigns_db.add_wave(db, "share", phase="pre", version=2)
    post = await campaigns_db.add_wave(db, "share", phase="post", version=2)
    counts = {pre: (7, 25), post: (15, 22)}  # (knowing the hotline, complete responses)
    for wave, (k, n) in counts.items():
        for j in range(n):
            await add_response(db, wave, {"consent": "yes", "k_hotline": "yes" if j < k else "no"})
    await sign_in_as(client, db, "researcher")
    html = (await client.get(f"/console/waves/{post.key}?lang=en")).text
    # Newcombe's hybrid score interval (method 10) of p_post − p_pre.
    z = stats.norm.ppf(0.975)
    (k1, n1), (k2, n2) = counts[post], counts[pre]
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    width, _ = width_row(html, "Knows the hotline")
    assert width == EN("monitor.width.points", value=f"{100 * (high - low):.1f}")
