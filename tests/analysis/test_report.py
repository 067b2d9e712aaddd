"""Tests of survey.analysis.report: the JSON shape documented in docs/analysis.md, and numbers equal to the effect
functions called directly on scores computed here, respondent by respondent, without the scoring
module."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import msgspec
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.analysis import effects
from survey.analysis.reliability import cronbach_alpha
from survey.analysis.report import WaveData, build_report
from survey.analysis.results import Report
from survey.analysis.scoring import frame_from_answers
from survey.errors import InvalidStatistics
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_definition
from survey.questionnaire.model import Questionnaire
from tests.helpers import holm

DEFINITION = """
key: tiny
languages: [en, mn]
title: {en: Tiny, mn: Жижиг}
choice_lists:
  ynd:
    - {value: "yes", label: {en: "Yes", mn: Тийм}}
    - {value: "no", label: {en: "No", mn: Үгүй}}
    - {value: dk, label: {en: "Don't know", mn: Мэдэхгүй}}
  signs:
    - {value: passport, label: {en: Passport taken, mn: Паспорт}}
    - {value: debt, label: {en: Debt, mn: Өр}}
    - {value: isolation, label: {en: Isolation, mn: Тусгаарлалт}}
    - {value: travel, label: {en: Travel, mn: Аялал}}
likert_scales:
  agree5:
    points: 5
    labels: {en: [SD, D, N, A, SA], mn: ["1", "2", "3", "4", "5"]}
sections:
  - key: intro
    items:
      - key: aimag
        type: choice
        text: {en: "Where?", mn: "Хаана?"}
        choices:
          - {value: north, label: {en: North, mn: Хойд}}
          - {value: south, label: {en: South, mn: Өмнөд}}
          - {value: east, label: {en: East, mn: Зүүн}}
          - {value: west, label: {en: West, mn: Баруун}}
  - key: knowledge
    items:
      - {key: k_offer, type: choice, choices: ynd, correct: "no", text: {en: "Safe?", mn: "Аюулгүй?"}}
      - {key: k_passport, type: choice, choices: ynd, correct: "yes", text: {en: "Keep?", mn: "Хадгал?"}}
      - key: k_signs
        type: multi
        choices: signs
        correct: [passport, debt]
        scoring: partial
        text: {en: "Signs?", mn: "Шинж?"}
      - key: k_all
        type: multi
        choices: signs
        correct: [debt, isolation]
        text: {en: "Main?", mn: "Гол?"}
      - key: k_cond
        type: choice
        choices: ynd
        correct: "no"
        show_if: "k_offer == 'yes'"
        text: {en: "Follow-up", mn: "Дараа"}
  - key: attitudes
    items:
      - {key: a_report, type: likert, scale: agree5, text: {en: Report, mn: Мэдээлнэ}}
      - {key: a_help, type: likert, scale: agree5, reverse: true, text: {en: Not mine, mn: Биш}}
      - {key: a_hotline, type: likert, scale: agree5, text: {en: Hotline, mn: Утас}}
      - {key: q_would, type: choice, choices: ynd, text: {en: "Would you?", mn: "Та?"}}
outcomes:
  knowledge:
    kind: score
    label: {en: Knowledge, mn: Мэдлэг}
    items: [k_offer, k_passport, k_signs, k_all, k_cond]
  confidence:
    kind: scale
    label: {en: Confidence, mn: Итгэл}
    items: [a_report, a_help, a_hotline]
    reverse: [a_help]
  would_report:
    kind: proportion
    label: {en: Would report, mn: Мэдээлнэ}
    item: q_would
    value: "yes"
"""

V1 = load_definition(DEFINITION)
#: The same questionnaire with an analysis block: the aimag describes who answered, and effects are
#: also given per aimag.
ANALYSED = load_definition(DEFINITION + "analysis: {covariates: [aimag], subgroups: [aimag]}\n")
KNOWLEDGE = ("k_offer", "k_passport", "k_signs", "k_all", "k_cond")
LIKERT = ("a_report", "a_help", "a_hotline")
SIGNS = ("passport", "debt", "isolation", "travel")
AIMAGS = ("north", "south", "east", "west")

# The example of docs/analysis.md, "The report's JSON": the core of the report that scripts rely on.
ANALYSIS_DOC = Path(__file__).resolve().parents[2] / "docs" / "analysis.md"


def documented_example() -> dict:
    text = ANALYSIS_DOC.read_text(encoding="utf-8")
    section = text.split("### The report's JSON", 1)[1]
    return json.loads(section.split("```json", 1)[1].split("```", 1)[0])


# -- synthetic answers and a slow, respondent-by-respondent scorer -------------------------------------


def make_answers(
    rng: np.random.Generator, n: int, skill: float = 0.5, attitude: float = 0.0
) -> list[dict[str, object]]:
    """Answers of n complete respondents: knowledge right with probability ``skill``; Likert answers
    from a common factor shifted by ``attitude`` (so the three items correlate)."""
    out = []
    for _ in range(n):
        a: dict[str, object] = {"aimag": AIMAGS[rng.integers(4)]}
        for key, right in (("k_offer", "no"), ("k_passport", "yes")):
            if rng.random() < 0.9:
                a[key] = right if rng.random() < skill else ["yes", "no", "dk"][rng.integers(3)]
        if a.get("k_offer") == "yes" and rng.random() < 0.8:
            a["k_cond"] = "no" if rng.random() < skill else "dk"
        for key, wanted in (("k_signs", {"passport", "debt"}), ("k_all", {"debt", "isolation"})):
            if rng.random() < 0.9:
                a[key] = [s for s in SIGNS if (s in wanted) == (rng.random() < skill)]
        factor = rng.normal(attitude, 1.0)
        for key in LIKERT:
            if rng.random() < 0.9:
                x = 3 + factor + rng.normal(0, 0.7)
                value = int(np.clip(np.rint(x), 1, 5))
                a[key] = 6 - value if key == "a_help" else value
        if rng.random() < 0.95:
            a["q_would"] = "yes" if rng.random() < 0.4 + 0.2 * skill else "no"
        out.append(a)
    return out


def slow_item(q: Questionnaire, key: str, a: dict[str, object], binary: bool) -> float:
    """One knowledge item for one complete respondent; NaN when not administered."""
    item = q.item(key)
    if key not in a:
        # Skipped: wrong when shown (k_cond only after k_offer "yes"), NaN when hidden.
        hidden = key == "k_cond" and a.get("k_offer") != "yes"
        return math.nan if hidden else 0.0
    if item.type == "choice":
        return float(a[key] == item.correct)
    picked, wanted = set(a[key]), set(item.correct)
    if item.scoring == "partial" and not binary:
        return sum((s in picked) == (s in wanted) for s in SIGNS) / len(SIGNS)
    if item.scoring == "corrected" and not binary:
        right, wrong = len(picked & wanted), len(picked - wanted)
        return max(0.0, right / len(wanted) - wrong / (len(SIGNS) - len(wanted)))
    return float(picked == wanted)


def slow_scores(
    q: Questionnaire, answers: Sequence[dict[str, object]], knowledge: Sequence[str] = KNOWLEDGE
) -> dict[str, np.ndarray]:
    """Every outcome and item, respondent by respondent, from the rules in the format docs."""
    out: dict[str, list[float]] = {k: [] for k in ("knowledge", "confidence", "would_report")}
    for key in (*KNOWLEDGE, *LIKERT):
        out[key] = []
    for a in answers:
        items = [slow_item(q, k, a, binary=False) for k in knowledge]
        items = [x for x in items if not math.isnan(x)]
        out["knowledge"].append(sum(items) / len(items) if items else math.nan)
        likert = [float(6 - a[k] if k == "a_help" else a[k]) for k in LIKERT if k in a]
        out["confidence"].append(sum(likert) / len(likert) if len(likert) >= 2 else math.nan)
        out["would_report"].append(float(a["q_would"] == "yes") if "q_would" in a else math.nan)
        for k in KNOWLEDGE:
            out[k].append(slow_item(q, k, a, binary=True))
        for k in LIKERT:
            out[k].append(float(6 - a[k] if k == "a_help" else a[k]) if k in a else math.nan)
    return {k: np.array(v, dtype=float) for k, v in out.items()}


def dropna(x: np.ndarray) -> np.ndarray:
    return x[~np.isnan(x)]


def wave(
    key: str,
    phase: str,
    answers: list[dict[str, object]],
    *,
    arm: str = "campaign",
    q: Questionnaire = V1,
    version: int = 1,
    comparability: dict[str, str] | None = None,
    panel_key: Sequence[object] | None = None,
    cluster: Sequence[object] | None = None,
) -> WaveData:
    return WaveData(
        key=key,
        phase=phase,
        arm=arm,
        version=version,
        definition=q,
        comparability=item_fingerprints(q) if comparability is None else comparability,
        frame=frame_from_answers(q, answers),
        panel_key=panel_key,
        cluster=cluster,
    )


def by_key(report: Report) -> dict[str, object]:
    return {o.key: o for o in (*report.outcomes, *report.items)}


def effect(entry: object, name: str, group: str | None = None) -> object:
    found = [e for e in entry.effects if e.name == name and e.group == group]
    assert len(found) == 1, f"{name} ({group}) not among {[e.name for e in entry.effects]}"
    return found[0]


def assert_effect(entry: object, expected: effects.Effect) -> None:
    got = effect(entry, expected.name)
    assert got.method == expected.method
    for field in ("estimate", "ci_low", "ci_high", "p_value"):
        assert getattr(got, field) == pytest.approx(getattr(expected, field), rel=1e-12, abs=1e-14)


def bh(p: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg (1995) written out: m/i times the i-th smallest, running minimum from the top."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i], reverse=True)
    out = [0.0] * m
    running = 1.0
    for back, i in enumerate(order):
        running = min(running, m / (m - back) * p[i])
        out[i] = running
    return out


@pytest.fixture(scope="module")
def independent() -> tuple[Report, list[dict[str, object]], list[dict[str, object]]]:
    rng = np.random.default_rng(20240601)
    pre = make_answers(rng, 80, skill=0.45, attitude=0.0)
    post = make_answers(rng, 95, skill=0.65, attitude=0.5)
    report = build_report(
        "trafficking-2024", "independent", [wave("w-pre", "pre", pre), wave("w-post", "post", post)]
    )
    return report, pre, post


# -- shape --------------------------------------------------------------------------------------------


def test_json_shape_matches_the_documented_example(independent) -> None:
    report, _, _ = independent
    example = documented_example()
    got = msgspec.json.decode(msgspec.json.encode(report))
    # Exactly the documented core's keys, plus those the report adds beside them (issue 18: the
    # campaign's balance, each outcome's adjusted and subgroup effects).
    assert set(got) == set(example) | {"items", "flags", "notes", "coded_notes", "balance"}
    assert {"campaign": got["campaign"], "design": got["design"]} == {
        "campaign": "trafficking-2024",
        "design": "independent",
    }
    assert got["confidence_level"] == 0.95
    for w in got["waves"]:
        assert set(w) == set(example["waves"][0])
    template = example["outcomes"][0]
    assert [o["key"] for o in got["outcomes"]] == ["knowledge", "confidence", "would_report"]
    for entry in got["outcomes"] + got["items"]:
        assert set(entry) == set(template) | {
            "reverse",
            "raw_groups",
            "coded_notes",
            "adjusted",
            "adjusted_for",
            "adjusted_reason",
            "subgroups",
            "interaction_p",
            "interaction_p_adjusted",
        }
        assert set(entry["groups"]) == set(template["groups"])
        for group in entry["groups"].values():
            assert set(group) == set(template["groups"]["pre"])
        for e in entry["effects"]:
            # Beyond the core, each effect carries its own p (issue 18: p agrees with its interval),
            # and the group it is computed within, if any.
            assert set(e) == set(template["effects"][0]) | {"p_value", "group"}
    knowledge = got["outcomes"][0]
    assert [e["name"] for e in knowledge["effects"]] == ["mean_difference", "hedges_g"]
    assert knowledge["label"] == {"en": "Knowledge", "mn": "Мэдлэг"}
    assert {o["kind"] for o in got["items"]} == {"item", "likert"}
    # The JSON decodes back into the same Struct.
    assert msgspec.json.decode(msgspec.json.encode(report), type=Report) == report


# -- independent design ---------------------------------------------------------------------------------


def test_independent_numbers_equal_the_effect_functions(independent) -> None:
    report, pre_answers, post_answers = independent
    entries = by_key(report)
    pre, post = slow_scores(V1, pre_answers), slow_scores(V1, post_answers)
    assert [w.n_complete for w in report.waves] == [80, 95]
    for key in ("knowledge", "confidence", "a_report", "a_help", "a_hotline"):
        a, b = dropna(post[key]), dropna(pre[key])
        entry = entries[key]
        assert entry.groups["pre"].n == b.size and entry.groups["post"].n == a.size
        assert entry.groups["post"].mean == pytest.approx(float(np.mean(a)), rel=1e-12)
        assert entry.groups["post"].sd == pytest.approx(float(np.std(a, ddof=1)), rel=1e-12)
        welch = effects.mean_difference(a, b)
        assert_effect(entry, welch)
        assert_effect(entry, effects.hedges_g(a, b, equal_var=False))
        assert entry.p_value == pytest.approx(welch.p_value, rel=1e-12)
    for key in ("would_report", *KNOWLEDGE):
        a, b = dropna(post[key]), dropna(pre[key])
        k_a, k_b = int(a.sum()), int(b.sum())
        entry = entries[key]
        assert entry.groups["post"].mean == pytest.approx(k_a / a.size, rel=1e-12)
        rd = effects.risk_difference(k_a, a.size, k_b, b.size)
        assert_effect(entry, rd)
        assert_effect(entry, effects.cohens_h(k_a, a.size, k_b, b.size))
        assert entry.p_value == pytest.approx(rd.p_value, rel=1e-12)
    # The reversed item is reported reversed, with a note.
    assert any("reverse-coded" in note for note in entries["a_help"].notes)
    assert any("partial-credit" in note for note in entries["k_signs"].notes)


def test_a_corrected_item_scores_the_outcome_and_is_a_proportion_alone() -> None:
    corrected = load_definition(DEFINITION.replace("scoring: partial", "scoring: corrected"))
    assert corrected.item("k_signs").scoring == "corrected"
    rng = np.random.default_rng(20261805)
    pre, post = make_answers(rng, 60, skill=0.4), make_answers(rng, 70, skill=0.7)
    report = build_report(
        "c",
        "independent",
        [wave("a", "pre", pre, q=corrected), wave("b", "post", post, q=corrected)],
    )
    entries = by_key(report)
    a = dropna(slow_scores(corrected, post)["knowledge"])
    b = dropna(slow_scores(corrected, pre)["knowledge"])
    assert_effect(entries["knowledge"], effects.mean_difference(a, b))
    assert any("guessing-corrected" in note for note in entries["k_signs"].notes)
    assert entries["k_signs"].kind == "item"


def test_where_skips_decide_the_conclusion_the_report_says_so() -> None:
    """k_passport: half of the 60 before are right; after, 24 of 60 answer it, all rightly, and 36
    skip it. Counted as wrong, the 36 skips make 24/60 = 40% (no clear change from 50%); counted as
    not answered, 24/24 = 100% (a rise). Every other question is answered by everyone, the same way
    before and after, so only k_passport and the knowledge score can differ."""
    base = {"k_offer": "no", "k_signs": ["passport"], "k_all": ["debt"], "q_would": "yes"}
    pre = [{**base, "k_passport": "yes" if i % 2 else "no"} for i in range(60)]
    post = [{**base, "k_passport": "yes"} if i < 24 else dict(base) for i in range(60)]
    report = build_report("s", "independent", [wave("a", "pre", pre), wave("b", "post", post)])
    entries = by_key(report)
    item = entries["k_passport"]
    raw = effect(item, "risk_difference")
    primary = effects.risk_difference(24, 60, 30, 60)
    assert (raw.estimate, raw.ci_low, raw.ci_high) == pytest.approx(
        (primary.estimate, primary.ci_low, primary.ci_high), rel=1e-12
    )
    assert raw.ci_low < 0 < raw.ci_high
    other = effects.risk_difference(24, 24, 30, 60)
    assert other.ci_low > 0
    note = next(n for n in item.coded_notes if n.code == "skipped_reading")
    assert note.params["verdict"] == "unclear" and note.params["alternative"] == "rose"
    assert [note.params[k] for k in ("estimate", "ci_low", "ci_high")] == pytest.approx(
        [other.estimate, other.ci_low, other.ci_high], rel=1e-12
    )
    flagged = {f.subject for f in report.flags if f.code == "skipped_reading"}
    assert "k_passport" in flagged
    # Items nobody skipped get no such note.
    for key in ("k_offer", "k_signs", "k_all"):
        assert all(n.code != "skipped_reading" for n in entries[key].coded_notes), key
        assert key not in flagged
    # The knowledge score: k_offer 1, k_signs 3/4 (partial credit: passport picked, debt missed),
    # k_all 0 for everyone, k_passport as above (k_cond hidden, k_offer being "no"). Before: 2.75/4
    # or 1.75/4. After, skips as wrong: 2.75/4 or 1.75/4; as missing: 2.75/4 or 1.75/3.
    knowledge = entries["knowledge"]
    b = np.array([(2.75 if i % 2 else 1.75) / 4 for i in range(60)])
    a_wrong = np.array([2.75 / 4 if i < 24 else 1.75 / 4 for i in range(60)])
    a_missing = np.array([2.75 / 4 if i < 24 else 1.75 / 3 for i in range(60)])
    assert_effect(knowledge, effects.mean_difference(a_wrong, b))
    mine = effects.mean_difference(a_wrong, b)
    theirs = effects.mean_difference(a_missing, b)
    # −0.025 points, an interval around zero; as missing +0.067, an interval above it.
    assert mine.ci_low < 0 < mine.ci_high and theirs.ci_low > 0
    note = next(n for n in knowledge.coded_notes if n.code == "skipped_reading")
    assert note.params["estimate"] == pytest.approx(theirs.estimate, rel=1e-12)
    assert {"k_passport", "knowledge"} <= flagged


def test_reverse_coded_item_keeps_its_answers_as_given() -> None:
    """A reverse-coded item is analysed as 6 - answer; ``raw_groups`` are the answers as typed, in
    the direction of the item's own wording, here averaged straight from the answer dicts."""
    rng = np.random.default_rng(31)
    pre, post = make_answers(rng, 60), make_answers(rng, 70, attitude=0.8)
    cases = {
        "independent": [wave("a", "pre", pre), wave("b", "post", post)],
        "comparison": [
            wave("a", "pre", pre),
            wave("b", "post", post),
            wave("c", "pre", post, arm="comparison"),
            wave("d", "post", pre, arm="comparison"),
        ],
    }
    as_given = {
        name: float(np.mean([a["a_help"] for a in answers if "a_help" in a]))
        for name, answers in (("pre", pre), ("post", post))
    }
    for design, waves in cases.items():
        entries = by_key(build_report("c", design, waves))
        item = entries["a_help"]
        assert item.reverse is True
        first, second = (
            ("pre", "post") if design == "independent" else ("campaign_pre", "campaign_post")
        )
        assert item.raw_groups[first].mean == pytest.approx(as_given["pre"], rel=1e-12)
        assert item.raw_groups[second].mean == pytest.approx(as_given["post"], rel=1e-12)
        assert item.raw_groups[first].sd == item.groups[first].sd
        # The score stays reversed: higher is better.
        assert item.groups[first].mean == pytest.approx(6 - as_given["pre"], rel=1e-12)
        for key in ("a_report", "a_hotline", "confidence", "k_offer"):
            assert entries[key].reverse is False and entries[key].raw_groups == {}
    # A panel's within-person change reverses its sign.
    codes = [f"p{i}" for i in range(60)]
    panel = by_key(
        build_report(
            "c",
            "panel",
            [wave("a", "pre", pre, panel_key=codes), wave("b", "post", post[:60], panel_key=codes)],
        )
    )["a_help"]
    pairs = [
        (a["a_help"], b["a_help"])
        for a, b in zip(pre, post[:60], strict=True)
        if "a_help" in a and "a_help" in b
    ]
    assert panel.raw_groups["change"].mean == pytest.approx(
        float(np.mean([after - before for before, after in pairs])), rel=1e-12
    )
    assert panel.raw_groups["change"].mean == pytest.approx(-panel.groups["change"].mean)


def test_every_note_has_a_code_with_its_numbers() -> None:
    """Pages translate notes from codes and parameters, never from the English text."""
    rng = np.random.default_rng(11)
    pre, post = make_answers(rng, 44, skill=0.4), make_answers(rng, 20, skill=0.7)
    pre_codes: list[object] = [f"p{i}" for i in range(40)] + ["p3", "p7", None, ""]
    post_codes: list[object] = [f"p{i}" for i in range(0, 40, 2)]
    report = build_report(
        "c",
        "panel",
        [wave("a", "pre", pre, panel_key=pre_codes), wave("b", "post", post, panel_key=post_codes)],
    )
    assert tuple(n.text for n in report.coded_notes) == report.notes
    for entry in (*report.outcomes, *report.items):
        assert tuple(n.text for n in entry.coded_notes) == entry.notes
    coded = {n.code: n.params for n in report.coded_notes}
    assert coded["panel_duplicates"] == {"wave": "a", "count": 2}
    assert coded["panel_without_key"] == {"wave": "a", "count": 2}
    assert coded["panel_matched"]["matched"] == 20 and coded["panel_matched"]["pre"] == 44
    # 40 distinct pre keys, 20 of them found after: half lost.
    assert coded["panel_matched"]["attrition"] == pytest.approx(0.5)
    assert coded["p_adjusted"] == {"method": "holm"}
    knowledge = by_key(report)["knowledge"]
    small = next(n for n in knowledge.coded_notes if n.code == "small_sample")
    assert small.params == {"groups": ["matched pairs"], "sizes": [20], "threshold": 30}
    # 20 of the smaller wave's 20 matched: no low match rate; the small sample is flagged with the
    # same numbers as its note.
    flags = {f.code: f for f in report.flags if f.subject in (None, "knowledge")}
    assert "low_match_rate" not in flags
    assert flags["small_sample"].params == small.params
    assert by_key(report)["a_help"].coded_notes[0].code == "reverse_coded"
    assert by_key(report)["k_signs"].coded_notes[0].code == "partial_credit"


def test_clusters_are_counted_once_for_the_report() -> None:
    rng = np.random.default_rng(5)
    waves, _ = comparison_waves(rng, clusters=True)
    report = build_report("c", "comparison", waves)
    labels = {label for w in waves for label in w.cluster}
    clusters = next(n for n in report.coded_notes if n.code == "clusters")
    assert clusters.params == {"count": len(labels), "few": len(labels) < 20}


def test_holm_within_families(independent) -> None:
    report, _, _ = independent
    for kind in ("item", "likert"):
        family = [o for o in report.items if o.kind == kind]
        assert len(family) == (5 if kind == "item" else 3)
        expected = holm([o.p_value for o in family])
        assert [o.p_adjusted for o in family] == pytest.approx(expected, rel=1e-12)
    outcomes = list(report.outcomes)
    assert [o.p_adjusted for o in outcomes] == pytest.approx(
        holm([o.p_value for o in outcomes]), rel=1e-12
    )


def test_benjamini_hochberg_on_request(independent) -> None:
    report, pre, post = independent
    bh_report = build_report(
        "c", "independent", [wave("a", "pre", pre), wave("b", "post", post)], adjust="bh"
    )
    family = [o for o in bh_report.items if o.kind == "item"]
    assert [o.p_adjusted for o in family] == pytest.approx(
        bh([o.p_value for o in family]), rel=1e-12
    )
    # Same raw p-values as the Holm report.
    assert [o.p_value for o in family] == [o.p_value for o in report.items if o.kind == "item"]


def test_reliability_per_wave(independent) -> None:
    report, pre_answers, post_answers = independent
    entry = by_key(report)["confidence"]
    for group, answers in (("pre", pre_answers), ("post", post_answers)):
        s = slow_scores(V1, answers)
        matrix = np.column_stack([s[k] for k in LIKERT])
        expected = cronbach_alpha(matrix)
        got = effect(entry, "cronbach_alpha", group)
        assert got.estimate == pytest.approx(expected.estimate, rel=1e-12)
        assert got.ci_low == pytest.approx(expected.ci_low, rel=1e-12)


def test_low_reliability_is_flagged() -> None:
    rng = np.random.default_rng(3)

    def noise(n: int) -> list[dict[str, object]]:
        # Three unrelated items: alpha near 0.
        return [{k: int(rng.integers(1, 6)) for k in LIKERT} for _ in range(n)]

    report = build_report(
        "c", "independent", [wave("a", "pre", noise(60)), wave("b", "post", noise(60))]
    )
    codes = {(f.code, f.subject) for f in report.flags}
    assert ("low_reliability", "confidence") in codes
    good = build_report(
        "c",
        "independent",
        [
            wave("a", "pre", make_answers(rng, 60)),
            wave("b", "post", make_answers(rng, 60, attitude=0.3)),
        ],
    )
    assert ("low_reliability", "confidence") not in {(f.code, f.subject) for f in good.flags}


# -- panel design ---------------------------------------------------------------------------------------


def test_panel_matching_with_duplicates_and_unmatched_codes() -> None:
    rng = np.random.default_rng(11)
    pre = make_answers(rng, 44, skill=0.4)
    post = make_answers(rng, 42, skill=0.7, attitude=0.6)
    pre_codes: list[object] = [f"p{i}" for i in range(40)] + ["p3", "p7", None, ""]
    # p3 and p7 answered the pre wave twice: the later answers (rows 40 and 41) are kept.
    post_codes: list[object] = [f"p{i}" for i in range(0, 40, 2)] + [f"x{i}" for i in range(20)]
    post_codes += ["p0", "p38"]  # p0 and p38 twice after: rows 40 and 41 are kept
    report = build_report(
        "c",
        "panel",
        [
            wave("a", "pre", pre, panel_key=pre_codes),
            wave("b", "post", post, panel_key=post_codes),
        ],
    )
    # The expected pairs, found with plain dicts (a later assignment replaces an earlier one).
    last_pre = {c: i for i, c in enumerate(pre_codes) if c}
    last_post = {c: i for i, c in enumerate(post_codes) if c}
    pairs = [(last_pre[c], last_post[c]) for c in sorted(last_pre) if c in last_post]
    assert len(pairs) == 20
    s_pre, s_post = slow_scores(V1, pre), slow_scores(V1, post)
    entries = by_key(report)
    for key in ("knowledge", "confidence", "a_report"):
        before = np.array([s_pre[key][i] for i, _ in pairs])
        after = np.array([s_post[key][j] for _, j in pairs])
        both = ~np.isnan(before) & ~np.isnan(after)
        before, after = before[both], after[both]
        entry = entries[key]
        assert entry.groups["change"].n == before.size
        assert entry.groups["change"].mean == pytest.approx(float(np.mean(after - before)))
        paired = effects.mean_difference(after, before, paired=True)
        assert_effect(entry, paired)
        assert_effect(entry, effects.paired_d(after, before, "z"))
        assert_effect(entry, effects.paired_d(after, before, "av"))
        assert entry.p_value == pytest.approx(paired.p_value, rel=1e-12)
    for key in ("would_report", "k_offer"):
        before = np.array([s_pre[key][i] for i, _ in pairs])
        after = np.array([s_post[key][j] for _, j in pairs])
        both = ~np.isnan(before) & ~np.isnan(after)
        a, b = after[both] == 1, before[both] == 1
        table = [[int(sum(a & b)), int(sum(a & ~b))], [int(sum(~a & b)), int(sum(~a & ~b))]]
        assert_effect(entries[key], effects.paired_risk_difference(table))
    # 20 matched of min(44, 42) = 42: 48%, below 0.7.
    assert "low_match_rate" in {f.code for f in report.flags}
    assert "duplicate_panel_keys" in {f.code for f in report.flags}
    text = " | ".join(report.notes)
    assert "wave a: 2 response(s) repeat a panel key" in text
    assert "wave b: 2 response(s) repeat a panel key" in text
    assert "wave a: 2 complete response(s) without a panel key" in text
    assert "20 respondents matched" in text


def test_panel_good_match_is_not_flagged() -> None:
    rng = np.random.default_rng(12)
    pre, post = make_answers(rng, 40), make_answers(rng, 40, skill=0.6)
    codes = [f"c{i}" for i in range(40)]
    report = build_report(
        "c",
        "panel",
        [wave("a", "pre", pre, panel_key=codes), wave("b", "post", post, panel_key=codes[::-1])],
    )
    assert "low_match_rate" not in {f.code for f in report.flags}
    knowledge = by_key(report)["knowledge"]
    assert knowledge.groups["change"].n == 40
    assert [e.name for e in knowledge.effects] == ["mean_difference", "d_z", "d_av"]


# -- comparison design ----------------------------------------------------------------------------------


def comparison_waves(rng: np.random.Generator, clusters: bool) -> tuple[list[WaveData], dict]:
    groups = {
        ("pre", "campaign"): make_answers(rng, 50, skill=0.45),
        ("post", "campaign"): make_answers(rng, 55, skill=0.7, attitude=0.5),
        ("pre", "comparison"): make_answers(rng, 45, skill=0.45),
        ("post", "comparison"): make_answers(rng, 50, skill=0.5, attitude=0.1),
    }
    waves = []
    for (phase, arm), answers in groups.items():
        labels = [f"school-{rng.integers(12)}" for _ in answers] if clusters else None
        waves.append(wave(f"{arm}-{phase}", phase, answers, arm=arm, cluster=labels))
    return waves, groups


@pytest.mark.parametrize("clusters", [False, True])
def test_comparison_numbers_equal_difference_in_differences(clusters: bool) -> None:
    rng = np.random.default_rng(5)
    waves, groups = comparison_waves(rng, clusters)
    report = build_report("c", "comparison", waves)
    entries = by_key(report)
    for key in ("knowledge", "confidence", "would_report", "k_passport"):
        ys, posts, treated, labels = [], [], [], []
        for w in waves:
            s = slow_scores(V1, groups[(w.phase, w.arm)])[key]
            keep = ~np.isnan(s)
            ys.append(s[keep])
            posts.append(np.full(keep.sum(), w.phase == "post", dtype=float))
            treated.append(np.full(keep.sum(), w.arm == "campaign", dtype=float))
            if clusters:
                labels.append(np.asarray(w.cluster, dtype=object)[keep])
        y, post, arm = np.concatenate(ys), np.concatenate(posts), np.concatenate(treated)
        cluster = np.concatenate(labels).astype(str) if clusters else None
        did = effects.difference_in_differences(y, post, arm, cluster)
        assert_effect(entries[key], did)
        assert entries[key].p_value == pytest.approx(did.p_value, rel=1e-10)
        standardized = [e.name for e in entries[key].effects].count(
            "standardized_difference_in_differences"
        )
        if key in ("knowledge", "confidence"):
            assert_effect(
                entries[key], effects.standardized_difference_in_differences(y, post, arm, cluster)
            )
        else:
            assert standardized == 0
        assert set(entries[key].groups) == {
            "campaign_pre",
            "campaign_post",
            "comparison_pre",
            "comparison_post",
        }


def test_comparison_clusters_from_an_item() -> None:
    rng = np.random.default_rng(6)
    waves, groups = comparison_waves(rng, clusters=False)
    report = build_report("c", "comparison", waves, cluster_item="aimag")
    ys, posts, treated, labels = [], [], [], []
    for w in waves:
        answers = groups[(w.phase, w.arm)]
        s = slow_scores(V1, answers)["knowledge"]
        ys.append(s)
        posts.append(np.full(s.size, w.phase == "post", dtype=float))
        treated.append(np.full(s.size, w.arm == "campaign", dtype=float))
        labels.append(np.array([a["aimag"] for a in answers]))
    expected = effects.difference_in_differences(
        np.concatenate(ys), np.concatenate(posts), np.concatenate(treated), np.concatenate(labels)
    )
    got = effect(by_key(report)["knowledge"], "difference_in_differences")
    assert got.method == "ols cluster"
    assert got.ci_low == pytest.approx(expected.ci_low, rel=1e-10)


# -- comparability --------------------------------------------------------------------------------------


# Rewordings of one item's English text: each changes the item's fingerprint.
REWORDED = {
    "k_offer": ('text: {en: "Safe?", mn: "Аюулгүй?"}', 'text: {en: "Is it safe?", mn: "Аюулгүй?"}'),
    "q_would": (
        'text: {en: "Would you?", mn: "Та?"}',
        'text: {en: "Would you report?", mn: "Та?"}',
    ),
}


def changed_version(
    equivalent: bool, item: str = "k_offer"
) -> tuple[Questionnaire, dict[str, str]]:
    """Version 2: the text of one item reworded, optionally marked ``equivalent: true``."""
    old, new = REWORDED[item]
    assert DEFINITION.count(old) == 1
    text = DEFINITION.replace(old, new + (", equivalent: true" if equivalent else ""))
    v2 = load_definition(text)
    fingerprints = item_fingerprints(v2)
    assert fingerprints[item] != item_fingerprints(V1)[item]
    comparability = dict(fingerprints)
    if equivalent:
        # What publishing does for an item marked equivalent: it keeps the previous version's key.
        comparability[item] = item_fingerprints(V1)[item]
    return v2, comparability


def test_changed_item_is_left_out_with_its_reason() -> None:
    rng = np.random.default_rng(8)
    pre, post = make_answers(rng, 60), make_answers(rng, 60, skill=0.7)
    v2, comparability = changed_version(equivalent=False)
    report = build_report(
        "c",
        "independent",
        [
            wave("a", "pre", pre),
            wave("b", "post", post, q=v2, version=2, comparability=comparability),
        ],
    )
    assert "k_offer: changed between v1 and v2 (not marked equivalent)" in report.notes
    assert "k_offer" not in {o.key for o in report.items}
    assert {"k_passport", "k_signs", "k_all", "k_cond"} <= {o.key for o in report.items}
    assert ("incomparable_items", None) in {(f.code, f.subject) for f in report.flags}
    knowledge = by_key(report)["knowledge"]
    assert knowledge.comparable
    assert any(n.startswith("computed on 4 of 5 items; left out: k_offer") for n in knowledge.notes)
    rest = [k for k in KNOWLEDGE if k != "k_offer"]
    a = dropna(slow_scores(v2, post, knowledge=rest)["knowledge"])
    b = dropna(slow_scores(V1, pre, knowledge=rest)["knowledge"])
    assert_effect(knowledge, effects.mean_difference(a, b))


def test_outcome_without_comparable_items() -> None:
    rng = np.random.default_rng(9)
    v2, comparability = changed_version(equivalent=False, item="q_would")
    report = build_report(
        "c",
        "independent",
        [
            wave("a", "pre", make_answers(rng, 40)),
            wave("b", "post", make_answers(rng, 40), q=v2, version=2, comparability=comparability),
        ],
    )
    would = by_key(report)["would_report"]
    assert would.comparable is False
    assert would.effects == () and would.p_value is None and would.p_adjusted is None
    assert "q_would: changed between v1 and v2 (not marked equivalent)" in would.notes[0]


def test_equivalent_item_is_kept() -> None:
    rng = np.random.default_rng(10)
    pre, post = make_answers(rng, 60), make_answers(rng, 60, skill=0.7)
    v2, comparability = changed_version(equivalent=True)
    assert v2.item("k_offer").equivalent
    report = build_report(
        "c",
        "independent",
        [
            wave("a", "pre", pre),
            wave("b", "post", post, q=v2, version=2, comparability=comparability),
        ],
    )
    assert "k_offer" in {o.key for o in report.items}
    assert not any(n.startswith("k_offer") for n in report.notes)
    assert "incomparable_items" not in {f.code for f in report.flags}
    a = dropna(slow_scores(v2, post)["knowledge"])
    b = dropna(slow_scores(V1, pre)["knowledge"])
    assert_effect(by_key(report)["knowledge"], effects.mean_difference(a, b))


# -- small samples and degenerate data ------------------------------------------------------------------


def test_small_cells_are_suppressed() -> None:
    rng = np.random.default_rng(13)
    report = build_report(
        "c",
        "independent",
        [wave("a", "pre", make_answers(rng, 40)), wave("b", "post", make_answers(rng, 3))],
    )
    assert report.waves[1].n_complete == 3
    for entry in (*report.outcomes, *report.items):
        assert entry.groups["post"].n is None
        assert entry.groups["post"].mean is None and entry.groups["post"].sd is None
        assert entry.groups["pre"].n is not None
        compared = [e for e in entry.effects if not e.name.startswith("cronbach_alpha")]
        assert compared and all(e.estimate is None and e.ci_low is None for e in compared)
        assert entry.p_value is None and entry.p_adjusted is None
        assert any("fewer than 5 respondents" in n for n in entry.notes)
    assert ("small_cell", "knowledge") in {(f.code, f.subject) for f in report.flags}
    # Nothing about the 3 respondents' answers is in the JSON: no mean, no sd, no estimate, no
    # alpha (the pre wave's alpha is shown).
    alphas = [e.group for e in by_key(report)["confidence"].effects if e.name == "cronbach_alpha"]
    assert "pre" in alphas and "post" not in alphas


def test_small_samples_are_flagged_but_shown() -> None:
    rng = np.random.default_rng(14)
    report = build_report(
        "c",
        "independent",
        [wave("a", "pre", make_answers(rng, 40)), wave("b", "post", make_answers(rng, 12))],
    )
    knowledge = by_key(report)["knowledge"]
    assert knowledge.groups["post"].n == 12
    assert all(e.estimate is not None for e in knowledge.effects)
    assert any(n.startswith("small sample (post n = 12") for n in knowledge.notes)
    assert ("small_sample", "knowledge") in {(f.code, f.subject) for f in report.flags}


def test_empty_and_missing_waves() -> None:
    rng = np.random.default_rng(15)
    report = build_report(
        "c", "independent", [wave("a", "pre", make_answers(rng, 30)), wave("b", "post", [])]
    )
    knowledge = by_key(report)["knowledge"]
    assert knowledge.groups["post"].n == 0 and knowledge.groups["post"].mean is None
    assert all(e.estimate is None for e in knowledge.effects)
    assert "post: no respondents; no estimate" in knowledge.notes
    only_pre = build_report("c", "independent", [wave("a", "pre", make_answers(rng, 30))])
    assert "missing_wave" in {f.code for f in only_pre.flags}
    assert all(e.estimate is None for e in by_key(only_pre)["knowledge"].effects)
    nothing = build_report("c", "comparison", [])
    assert nothing.outcomes == () and nothing.waves == ()


def test_zero_variance_gives_null_with_a_note() -> None:
    same = [
        {
            "k_offer": "no",
            "k_passport": "yes",
            "k_signs": ["passport", "debt"],
            "k_all": ["debt", "isolation"],
            "a_report": 4,
            "a_help": 2,
            "a_hotline": 4,
            "q_would": "yes",
        }
    ] * 20
    report = build_report("c", "independent", [wave("a", "pre", same), wave("b", "post", same)])
    knowledge = by_key(report)["knowledge"]
    assert knowledge.groups["pre"].sd == 0.0
    assert effect(knowledge, "mean_difference").estimate == 0.0
    assert effect(knowledge, "hedges_g").estimate is None
    assert any(n.startswith("hedges_g: both groups have zero variance") for n in knowledge.notes)
    would = by_key(report)["would_report"]
    assert effect(would, "risk_difference").estimate == 0.0
    json.loads(msgspec.json.encode(report))  # no NaN sneaks into the JSON


def test_invalid_arguments() -> None:
    w = wave("a", "pre", [])
    with pytest.raises(InvalidStatistics, match="design"):
        build_report("c", "before-after", [w])
    with pytest.raises(InvalidStatistics, match="both are the pre wave"):
        build_report("c", "independent", [w, wave("b", "pre", [])])
    with pytest.raises(InvalidStatistics, match="adjust"):
        build_report("c", "independent", [w], adjust="bonferroni")
    with pytest.raises(InvalidStatistics, match="panel_key has 1 values for 0 responses"):
        build_report("c", "panel", [wave("a", "pre", [], panel_key=["x"])])


# -- property: never raises on random small data --------------------------------------------------------

ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "aimag": st.sampled_from(AIMAGS),
        "k_offer": st.sampled_from(["yes", "no", "dk"]),
        "k_passport": st.sampled_from(["yes", "no", "dk"]),
        "k_cond": st.sampled_from(["yes", "no", "dk"]),
        "k_signs": st.lists(st.sampled_from(SIGNS), unique=True),
        "k_all": st.lists(st.sampled_from(SIGNS), unique=True),
        "a_report": st.integers(1, 5),
        "a_help": st.integers(1, 5),
        "a_hotline": st.integers(1, 5),
        "q_would": st.sampled_from(["yes", "no", "dk"]),
    },
)
WAVE = st.lists(st.tuples(ANSWER, st.sampled_from(["c1", "c2", "c3", None])), max_size=9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    design=st.sampled_from(["independent", "panel", "comparison"]),
    data=st.lists(WAVE, min_size=4, max_size=4),
    present=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_report_never_raises(design: str, data: list, present: list[bool]) -> None:
    roles = [
        ("pre", "campaign"),
        ("post", "campaign"),
        ("pre", "comparison"),
        ("post", "comparison"),
    ]
    waves = []
    for (phase, arm), rows, here in zip(roles, data, present, strict=True):
        if not here:
            continue
        codes = [code for _, code in rows]
        waves.append(
            wave(
                f"{arm}-{phase}",
                phase,
                [a for a, _ in rows],
                arm=arm,
                q=ANALYSED,
                panel_key=codes,
                cluster=codes,
            )
        )
    report = build_report("c", design, waves, min_cell=2, small_n=5)
    decoded = msgspec.json.decode(msgspec.json.encode(report))
    assert set(decoded) == {
        "campaign",
        "design",
        "confidence_level",
        "waves",
        "outcomes",
        "items",
        "flags",
        "notes",
        "coded_notes",
        "balance",
    }
    for entry in (*report.outcomes, *report.items):
        for sub in entry.subgroups:
            if sub.effect.estimate is not None and sub.effect.ci_low is not None:
                assert sub.effect.ci_low <= sub.effect.estimate + 1e-9
        if entry.adjusted is not None and entry.adjusted.ci_low is not None:
            assert entry.adjusted.ci_low <= entry.adjusted.estimate + 1e-9
        if entry.p_value is not None:
            assert 0.0 <= entry.p_value <= 1.0
            assert entry.p_adjusted is not None and entry.p_adjusted >= entry.p_value - 1e-15
        for e in entry.effects:
            if e.estimate is not None and e.ci_low is not None and e.ci_high is not None:
                assert e.ci_low <= e.estimate + 1e-9 and e.estimate <= e.ci_high + 1e-9


def test_only_complete_responses_are_analysed() -> None:
    rng = np.random.default_rng(16)
    pre, post = make_answers(rng, 40), make_answers(rng, 50, skill=0.7)
    unfinished = make_answers(rng, 10, skill=1.0)
    frame = frame_from_answers(V1, post + unfinished, complete=[True] * 50 + [False] * 10)
    post_wave = WaveData(
        key="b",
        phase="post",
        arm="campaign",
        version=1,
        definition=V1,
        comparability=item_fingerprints(V1),
        frame=frame,
    )
    report = build_report("c", "independent", [wave("a", "pre", pre), post_wave])
    assert report.waves[1].n_complete == 50
    a = dropna(slow_scores(V1, post)["knowledge"])
    b = dropna(slow_scores(V1, pre)["knowledge"])
    assert_effect(by_key(report)["knowledge"], effects.hedges_g(a, b, equal_var=False))
