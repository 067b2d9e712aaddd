"""``GET /campaigns/{key}/report``: who may see it, its words in Mongolian and in English, sentences true
to their intervals, reverse-coded statements shown as answered, small-cell suppression, the forest plot.

The demo campaigns (``survey.demo``) give the three designs, reverse-coded statements and scales; their
expected numbers are computed here from the CSV export (``survey export``), not from the analysis.
"""

from __future__ import annotations

import asyncio
import csv
import math
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import asyncpg
import numpy as np
import pytest
from litestar.testing import AsyncTestClient

from survey.cli import main
from survey.console import auth
from survey.db import campaigns as campaigns_db
from survey.demo import DEMO_CAMPAIGNS, run_demo
from survey.reports.data import campaign_report, report_source
from survey.reports.messages import CATALOGUE
from survey.settings import Settings
from survey.web.i18n import Catalogue
from tests.helpers import (
    FORMS,
    add_response,
    answers_for,
    english_left,
    make_campaign,
    make_composed,
    sign_in_as,
    visible_text,
)

SVG = "{http://www.w3.org/2000/svg}"
#: The English catalogue read backwards: its Mongolian texts, to find any left on an English page.
MONGOLIAN = Catalogue(
    {key: {"mn": t["en"], "en": t["mn"]} for key, t in CATALOGUE.messages.items()}
)
#: Names from the code and the JSON that must never reach a reader.
INTERNAL = re.compile(
    r"\b\w+_\w+\b|cronbach_alpha|p_adjusted|Holm within|not marked equivalent|interval ignores|"
    r"\bnan\b|\bNone\b|significant",
    re.IGNORECASE,
)


def rows_of(html: str, table: str) -> dict[str, dict[str, str]]:
    """The cells of a report table by row key and column name, as the page shows them."""
    out = {}
    for key, body in re.findall(rf'<tr id="row-{table}-([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        cells = re.findall(r'<td[^>]*data-column="([^"]*)"[^>]*>(.*?)</td>', body, re.S)
        out[key] = {unescape(c): visible_text(v).strip() for c, v in cells}
        out[key]["_head"] = visible_text(re.search(r"<th[^>]*>(.*?)</th>", body, re.S).group(1))
    return out


def number(text: str) -> float:
    """A number as the English page writes it ("−0.09", "+15", "46%", "1,234")."""
    return float(text.replace("\N{MINUS SIGN}", "-").replace(",", "").rstrip("%"))


async def test_served_to_every_role_in_mongolian_unless_english_is_asked(
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
        assert '<html lang="mn">' in page.text
        text = visible_text(page.text)
        assert "tip: юу өөрчлөгдсөн бэ" in text and "Мэдлэг" in text
        assert "report.css" in page.text
        # The switch, as on the respondent pages: the current language marked, the other a link.
        assert '<span aria-current="true" lang="mn">Монгол</span>' in page.text
        assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in page.text
        english = await client.get("/campaigns/tip/report?lang=en")
        assert '<html lang="en">' in english.text
        assert "tip: what changed" in visible_text(english.text)
        assert '<a href="?lang=mn" lang="mn" hreflang="mn">Монгол</a>' in english.text
        # The way back to the campaign list.
        assert 'href="/console/campaigns"' in page.text
    assert (await client.get("/campaigns/nope/report")).status_code == 404
    assert (await client.get("/campaigns/%3Cscript%3E/report")).status_code == 404
    for asked in ("xx", "<script>", "en" * 500):
        odd = await client.get("/campaigns/tip/report", params={"lang": asked})
        assert odd.status_code == 200 and '<html lang="mn">' in odd.text
    # A query string longer than any page needs is refused before the report is read (docs/security.md).
    huge = await client.get("/campaigns/tip/report", params={"lang": "en" * 5000})
    assert huge.status_code == 414


async def test_a_campaign_without_answers_says_so(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await make_campaign(db, key="big")  # publishes the questionnaire
    await campaigns_db.create_campaign(db, "fresh", questionnaire="aq", design="independent")
    await sign_in_as(client, db, "viewer")
    expected = {
        "mn": ["Энэ кампанит ажилд харьцуулах хариулт хараахан алга.", "Кампанит ажлын өмнө: энэ"],
        "en": ["This campaign has no answers to compare yet.", "Before the campaign: this survey"],
    }
    for lang, words in expected.items():
        page = await client.get(f"/campaigns/fresh/report?lang={lang}")
        assert page.status_code == 200
        text = visible_text(page.text)
        for sentence in words:
            assert sentence in text, (lang, sentence)
    # A pre wave alone: every outcome says that no estimate can be shown, and why.
    await campaigns_db.add_wave(db, "fresh", phase="pre")
    text = visible_text((await client.get("/campaigns/fresh/report?lang=en")).text)
    assert "After the campaign: this survey round is missing" in text
    assert "No estimate can be shown" in text


async def test_headline_sentence_matches_the_numbers(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await make_campaign(db)
    report = await campaign_report(db, "tip")
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    diff = knowledge.effects[0]
    pre, post = knowledge.groups["pre"], knowledge.groups["post"]
    assert diff.ci_low > 0  # the synthetic campaign raises knowledge clearly
    await sign_in_as(client, db, "viewer")
    text = visible_text((await client.get("/campaigns/tip/report?lang=en")).text)
    expected = (
        f"Rose from {100 * pre.mean:.0f}% to {100 * post.mean:.0f}% correct: a change of "
        f"+{100 * diff.estimate:.0f} percentage points, with a 95% interval from "
        f"+{100 * diff.ci_low:.0f} to +{100 * diff.ci_high:.0f}."
    )
    assert expected in text
    assert f"People who answered: {pre.n} before, {post.n} after." in text
    assert "By Cohen's conventions the estimate is" in text or "below what Cohen's" in text
    assert "significant" not in text.lower()


async def test_no_cell_under_five_is_shown(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    await make_campaign(db, key="big")
    # A campaign whose post wave has 3 complete responses.
    await campaigns_db.create_campaign(db, "tiny", questionnaire="aq", design="independent")
    pre = await campaigns_db.add_wave(db, "tiny", phase="pre")
    post = await campaigns_db.add_wave(db, "tiny", phase="post")
    rng = np.random.default_rng(5)
    for answers in answers_for(rng, 40, 0.5, 0):
        await add_response(db, pre, answers)
    for answers in answers_for(rng, 3, 1.0, 1):  # all three right: a shown mean would be 100%
        await add_response(db, post, answers)
    await sign_in_as(client, db, "viewer")
    html = (await client.get("/campaigns/tiny/report?lang=en")).text
    text = visible_text(html)
    assert "fewer than 5" in text
    assert "100%" not in text
    assert "No estimate can be shown" in text
    assert "A group has fewer than 5 people" in text
    for table in ("outcomes", "knowledge", "attitude"):
        rows = rows_of(html, table)
        assert rows, table
        for key, cells in rows.items():
            people_before, people_after = cells["People (before · after)"].split(" · ")
            assert people_after == "fewer than 5", key
            assert (cells["After"], cells["Change"]) == ("fewer than 5", "–"), key
            assert people_before == "40" or int(people_before) <= 40


def _percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1])


async def test_forest_plot(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    await make_campaign(db)
    report = await campaign_report(db, "tip")
    await sign_in_as(client, db, "analyst")
    html = (await client.get("/campaigns/tip/report?lang=en")).text
    found = re.search(r"<svg .*?</svg>", html, flags=re.S)
    assert found, "no inline SVG"
    svg = ET.fromstring(found.group(0))
    assert svg.get("role") == "img" and "viewBox" not in svg.attrib
    assert svg.get("aria-labelledby") == "forest-title forest-desc"
    assert svg.find(f"{SVG}title").text == "Standardised effects with their 95% intervals"
    desc = svg.find(f"{SVG}desc").text
    std_of = {}
    for o in report.outcomes:
        std = next(e for e in o.effects if e.name in ("hedges_g", "cohens_h"))
        std_of[o.key] = std
    panels = svg.findall(f"{SVG}g[@class='panel']")
    # Means (g) and shares (h) are different scales: one panel each, never one axis.
    assert [p.get("data-effect") for p in panels] == ["hedges_g", "cohens_h"]
    for panel in panels:
        rows = panel.findall(f"{SVG}g[@class='row']")
        assert {std_of[r.get("data-key")].name for r in rows} == {panel.get("data-effect")}
        points = []
        for row in rows:
            std = std_of[row.get("data-key")]
            line = row.find(f"{SVG}line[@class='ci']")
            dot = row.find(f"{SVG}circle[@class='est']")
            x1, x2 = _percent(line.get("x1")), _percent(line.get("x2"))
            cx = _percent(dot.get("cx"))
            assert x1 <= cx <= x2
            assert float(line.get("y1")) == float(line.get("y2")) == float(dot.get("cy"))
            points += [(std.ci_low, x1), (std.estimate, cx), (std.ci_high, x2)]
            assert f"{std.estimate:+.2f}".replace("-", "\N{MINUS SIGN}") in desc
            # The full label, on as many lines as it needs.
            lines = [t.text for t in row.findall(f"{SVG}text[@class='label']")]
            assert (
                " ".join(lines)
                == next(o for o in report.outcomes if o.key == row.get("data-key")).label["en"]
            )
        # One linear scale per panel: every drawn x maps back to its number.
        (v0, p0), (v1, p1) = min(points), max(points)
        slope = (p1 - p0) / (v1 - v0)
        for value, position in points:
            assert position == pytest.approx(p0 + slope * (value - v0), abs=0.02)
        zero = panel.find(f"{SVG}line[@class='zero']")
        assert _percent(zero.get("x1")) == pytest.approx(p0 - slope * v0, abs=0.02)
        # Faint guides at the conventional sizes inside the range, each labelled by its name.
        guides = [_percent(g.get("x1")) for g in panel.findall(f"{SVG}line[@class='guide']")]
        expected = [p0 + slope * (v - v0) for v in (-0.8, -0.5, -0.2, 0.2, 0.5, 0.8)]
        assert sorted(guides) == pytest.approx([x for x in expected if 6 < x < 94], abs=0.02)
        words = {t.text for t in panel.findall(f"{SVG}text[@class='guide-label']")}
        assert words and words <= {"small", "medium", "large"}
        # Ticks with numbers at their place, and a title on the axis.
        ticks = panel.findall(f"{SVG}text[@class='tick-label']")
        assert len(ticks) >= 3
        for tick in ticks:
            value = float(tick.text.replace("\N{MINUS SIGN}", "-"))
            assert _percent(tick.get("x")) == pytest.approx(p0 + slope * (value - v0), abs=0.02)
        title = panel.find(f"{SVG}text[@class='axis-title']").text
        assert title in ("Standardised effect (Hedges' g)", "Standardised effect (Cohen's h)")
    # Largest effect at the top of each panel.
    for panel in panels:
        estimates = [float(r.get("data-estimate")) for r in panel.findall(f"{SVG}g[@class='row']")]
        assert estimates == sorted(estimates, reverse=True)


# -- the demo campaigns ---------------------------------------------------------------------------------


async def _demo(db: asyncpg.Connection) -> None:
    result = await run_demo(db, forms=FORMS, respondents=40)
    assert result.created == [spec.key for spec in DEMO_CAMPAIGNS]


async def test_demo_reports_speak_to_people_in_both_languages(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await _demo(db)
    await sign_in_as(client, db, "viewer")
    for spec in DEMO_CAMPAIGNS:
        source = await report_source(db, spec.key)
        definition = source.definition
        for lang in ("mn", "en"):
            html = (await client.get(f"/campaigns/{spec.key}/report?lang={lang}")).text
            text = visible_text(html)
            where = (spec.key, lang)
            # Nothing of the other language's interface is left on the page.
            left = english_left(html, CATALOGUE) if lang == "mn" else english_left(html, MONGOLIAN)
            assert left == [], where
            # No internal name, developer note or JSON value.
            assert not INTERNAL.findall(text), (where, INTERNAL.findall(text))
            # Questionnaire texts in the page's language.
            for outcome in definition.outcomes.values():
                assert outcome.label[lang] in text, (where, outcome.label[lang])
            for item in source.report.items:
                assert definition.item(item.key).text[lang] in text, (where, item.key)
            assert definition.title[lang] in text
            # Every statistical term explained on the page, in the page's language.
            for term in ("interval", "standardised", "conventions", "p"):
                assert f'<details id="term-{term}">' in html, (where, term)
            assert CATALOGUE.translate("term.p.body", lang, method="").split(" ")[0] in text
            # Each verb is the one the interval allows (computed here from the JSON).
            for table, entries in (
                ("outcomes", source.report.outcomes),
                ("knowledge", source.report.items),
            ):
                rows = rows_of(html, table)
                for entry in entries:
                    if entry.key not in rows or not entry.comparable:
                        continue
                    raw = entry.effects[0]
                    if raw.ci_low is None or entry.reverse:
                        continue
                    verdict = "rose" if raw.ci_low > 0 else "fell" if raw.ci_high < 0 else "unclear"
                    assert (
                        CATALOGUE.translate(f"verdict.{verdict}", lang) in rows[entry.key]["_head"]
                    )


async def test_reverse_coded_rows_show_the_answers_as_given(
    client: AsyncTestClient, db: asyncpg.Connection, cli_env: Settings, tmp_path: Path
) -> None:
    """Issue 11: an attitude statement such as "I would be too ashamed to ask for help" is shown with
    the means of its answers as people gave them (as in the CSV export), not the reversed score."""
    await _demo(db)
    await sign_in_as(client, db, "viewer")
    checked = 0
    for spec in DEMO_CAMPAIGNS:
        out = tmp_path / f"{spec.key}.csv"
        assert (
            await asyncio.to_thread(main, ["export", spec.key, "--format", "csv", "-o", str(out)])
            == 0
        )
        with out.open(newline="", encoding="utf-8") as f:
            exported = list(csv.DictReader(f))
        source = await report_source(db, spec.key)
        definition = source.definition
        reversed_keys = [i.key for i in definition.items() if i.type == "likert" and i.reverse]
        assert reversed_keys, spec.key
        html = (await client.get(f"/campaigns/{spec.key}/report?lang=en")).text
        rows = rows_of(html, "attitude")
        for key in reversed_keys:
            means = _csv_means(exported, key, spec.design)
            row = rows[key]
            columns = {
                "independent": ("Before", "After"),
                "panel": ("Before", "After"),
                "comparison": (
                    "Campaign group, before",
                    "Campaign group, after",
                    "Comparison group, before",
                    "Comparison group, after",
                ),
            }[spec.design]
            for column, mean in zip(columns, means, strict=True):
                assert row[column] == f"{mean:.2f}", (spec.key, key, column)
            item = next(i for i in source.report.items if i.key == key)
            assert item.reverse
            assert [g.mean for g in item.raw_groups.values()][: len(means)] == pytest.approx(
                list(means), rel=1e-12
            )
            # The change is the answers' own: its sign follows the means shown.
            if spec.design != "comparison":
                change = number(row["Change"])
                assert (
                    math.copysign(1, change) == math.copysign(1, means[1] - means[0]) or change == 0
                )
            assert (
                "Reverse-coded statement: it counts reversed in the scale, so a fall is good."
                in row["_head"]
            )
            checked += 1
        # Each scale names its reversed statements, by their wording.
        for key, outcome in definition.outcomes.items():
            if outcome.kind == "scale" and outcome.reverse:
                card = re.search(rf'<article [^>]*id="outcome-{key}">(.*?)</article>', html, re.S)
                text = visible_text(card.group(1))
                assert "Counted reversed in this scale" in text
                for item_key in outcome.reverse:
                    assert definition.item(item_key).text["en"] in text
                # One full stop: none after a quoted statement that ends its own sentence.
                assert not re.search(r"[.?!][”»]\.", text), text
    assert checked >= 8


def _csv_means(rows: list[dict[str, str]], key: str, design: str) -> tuple[float, ...]:
    """The mean answer to ``key`` in each compared group, from the export's cells."""

    def mean(values: list[str]) -> float:
        answered = [float(v) for v in values if v != ""]
        return sum(answered) / len(answered)

    if design == "comparison":
        return tuple(
            mean([r[key] for r in rows if (r["arm"], r["phase"]) == (arm, phase)])
            for arm in ("campaign", "comparison")
            for phase in ("pre", "post")
        )
    if design == "independent":
        return tuple(
            mean([r[key] for r in rows if r["phase"] == phase]) for phase in ("pre", "post")
        )
    # Panel: the same people, matched by their pair id (the last answers of a pair in a wave), and
    # only those who answered the statement both times.
    last = {
        phase: {r["pair_id"]: r for r in rows if r["phase"] == phase and r["pair_id"]}
        for phase in ("pre", "post")
    }
    pairs = [
        (last["pre"][k][key], last["post"][k][key])
        for k in last["pre"]
        if k in last["post"] and last["pre"][k][key] != "" and last["post"][k][key] != ""
    ]
    return mean([b for b, _ in pairs]), mean([a for _, a in pairs])


async def test_a_conclusion_that_rests_on_skipped_questions_is_named(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    """Item 3 of issue 18: k2 is answered right by half of 60 before; after, 24 of 60 answer it, all
    rightly, and 36 skip it. Skips counted as wrong: 40%, no clear change; counted as not answered:
    100%, a rise. The page names the question in its caveats, and its row says what the other
    reading gives, in each language."""
    await make_campaign(db, key="big")  # publishes the questionnaire
    await campaigns_db.create_campaign(db, "skips", questionnaire="aq", design="independent")
    pre = await campaigns_db.add_wave(db, "skips", phase="pre")
    post = await campaigns_db.add_wave(db, "skips", phase="post")
    base = {"aimag": "ub", "k1": "no", "k3": "no", "k4": "dk", "a1": 3, "a2": 3, "a3": 3}
    for i in range(60):
        await add_response(db, pre, {**base, "k2": "yes" if i % 2 else "no", "would": "yes"})
        after = {**base, "k2": "yes"} if i < 24 else dict(base)
        await add_response(db, post, {**after, "would": "yes"})
    await sign_in_as(client, db, "viewer")
    expected = {
        "en": (
            "Counted as not answered rather than as wrong, skipped questions change the conclusion "
            "to “Rose”: a change of +50 percentage points",
            "Counting skipped questions as not answered, rather than as wrong, changes the "
            "conclusion for: Knowledge; Q2.",
        ),
        "mn": (
            "Алгассан асуултыг буруу хариулт биш, хариулаагүй гэж тооцвол дүгнэлт «Өссөн» болж "
            "өөрчлөгдөнө: өөрчлөлт нь +50 нэгж хувь",
            "Алгассан асуултыг буруу хариулт биш, хариулаагүй гэж тооцвол дараах үр дүнгийн "
            "дүгнэлт өөр гарна: Мэдлэг; А2.",
        ),
    }
    for lang, (row_note, caveat) in expected.items():
        html = (await client.get(f"/campaigns/skips/report?lang={lang}")).text
        rows = rows_of(html, "knowledge")
        assert row_note in rows["k2"]["_head"], (lang, rows["k2"]["_head"])
        assert caveat in visible_text(html), lang
        for key in ("k1", "k3", "k4"):
            assert row_note.split(":")[0] not in rows[key]["_head"], (lang, key)
        term = "Skipped questions" if lang == "en" else "Алгассан асуулт"
        assert f'<details id="term-skipped"><summary>{term}</summary>' in html


async def test_few_clusters_are_named_in_words(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    """Item 6 of issue 18: the cluster-robust difference in differences warns under 20 clusters
    (Cameron & Miller 2015); the page says so in each language. Three aimags here."""
    await make_campaign(db, key="big")  # publishes the questionnaire
    await campaigns_db.create_campaign(
        db, "few", questionnaire="aq", design="comparison", cluster_item="aimag"
    )
    rng = np.random.default_rng(8)
    for arm in ("campaign", "comparison"):
        for phase in ("pre", "post"):
            wave = await campaigns_db.add_wave(db, "few", phase=phase, arm=arm)
            gain = phase == "post" and arm == "campaign"
            for answers in answers_for(rng, 30, 0.6 if gain else 0.45, int(gain)):
                await add_response(db, wave, answers)
    await sign_in_as(client, db, "viewer")
    expected = {
        "en": "People are grouped by the question “Province” (3 groups); the intervals allow for "
        "people in the same group answering alike. With fewer than 20 groups, such intervals can "
        "be too narrow.",
        "mn": "Хариулагчдыг «Аймаг» асуултаар бүлэглэсэн (бүлгийн тоо 3); нэг бүлгийн хүмүүс ижил "
        "төстэй хариулах хандлагыг итгэх завсарт тооцсон. Бүлгийн тоо 20 хүрэхгүй үед ийм итгэх "
        "завсар хэт нарийн гарч болно.",
    }
    for lang, sentence in expected.items():
        text = visible_text((await client.get(f"/campaigns/few/report?lang={lang}")).text)
        assert sentence in text, lang


async def test_adjusted_group_and_balance_numbers_on_the_page(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    """Issue 18, items 7 and 8: the card's change taking into account who answered, each group's
    change and whether they differ, and who answered before and after, as the JSON has them."""
    await make_composed(db)
    report = await campaign_report(db, "mix")
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    adjusted = knowledge.adjusted
    assert adjusted is not None and adjusted.ci_low > 0
    await sign_in_as(client, db, "viewer")
    pages = {
        lang: (await client.get(f"/campaigns/mix/report?lang={lang}")).text for lang in ("en", "mn")
    }
    en, mn = pages["en"], pages["mn"]

    def pp(value: float) -> str:
        return f"{100 * value:+.0f}".replace("-", "\N{MINUS SIGN}")

    card = visible_text(re.search(r'id="outcome-knowledge".*?</article>', en, re.S).group(0))
    assert (
        f"Taking into account who answered: rose by {pp(adjusted.estimate)} percentage points "
        f"(95% interval {pp(adjusted.ci_low)} to {pp(adjusted.ci_high)})."
    ) in card
    card = visible_text(re.search(r'id="outcome-knowledge".*?</article>', mn, re.S).group(0))
    assert (
        f"Хариулагчдын бүрэлдэхүүнийг тооцвол: {pp(adjusted.estimate)} нэгж хувь буюу өссөн" in card
    )
    # Each aimag's change, in the table under the knowledge plot.
    rows = rows_of(en, "groups-knowledge")
    for sub in knowledge.subgroups:
        cells = rows[f"aimag-{sub.value}"]
        assert cells["Change"] == pp(sub.effect.estimate)
        assert cells["95% interval"] == f"{pp(sub.effect.ci_low)} to {pp(sub.effect.ci_high)}"
        assert cells["People (before · after)"] == (
            f"{sub.groups['pre'].n} · {sub.groups['post'].n}"
        )
        assert cells["_head"].startswith(f"Province: {sub.label['en']}")
    # Whether the change differs between aimags: the adjusted interaction p decides and is shown.
    p = knowledge.interaction_p_adjusted["aimag"]
    verdict = "the change differs" if p < 0.05 else "the answers cannot tell"
    assert f"“Province”: {verdict}" in visible_text(en)
    assert f"adjusted p = {p:.3f})" in visible_text(en) or p < 0.001
    # Who answered: each education's count and share, before and after.
    (education,) = report.balance
    rows = rows_of(en, "balance-education")
    for level in education.groups["pre"].levels:
        after = next(x for x in education.groups["post"].levels if x.value == level.value)
        cells = rows[level.value or "none"]
        assert cells["Before"] == f"{level.n} ({100 * level.share:.0f}%)"
        assert cells["After"] == f"{after.n} ({100 * after.share:.0f}%)"
    d = education.standardized_difference
    assert f"Standardised difference {d:.2f}: the two rounds' people differ noticeably" in (
        visible_text(en)
    )
    assert "Хэн хариулсан бэ: өмнө ба дараа" in visible_text(mn)
    assert english_left(mn, CATALOGUE) == []
    assert english_left(en, MONGOLIAN) == []
    for html in pages.values():
        assert not INTERNAL.findall(visible_text(html)), INTERNAL.findall(visible_text(html))
