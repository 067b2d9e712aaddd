"""The report from cells (survey.analysis.cells) is the report from rows, to 1e-9, for every design.

The reference is the row path: :func:`build_report` on each wave's frame, the path the report has
always taken. Random campaigns of the designs that cells serve (independent samples; a campaign and a
comparison arm, with and without clusters), with and without an analysis block (categorical, banded and
numeric covariates, one or two grouping items, clustered by a grouping item or by another), knowledge items with the skip rule (a ``show_if`` item), partial and
guessing-corrected scoring, Likert items with a reversed one, a proportion, incomplete responses, tiny
and empty waves, and a second version that changes an item, are reported both ways and compared field
by field. A panel is matched on rows and has no cells.
"""

from __future__ import annotations

import math

import msgspec
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.analysis.cells import Cells, Moments, combine, decode, encode
from survey.analysis.reliability import cronbach_alpha, cronbach_alpha_from_moments
from survey.analysis.report import WaveData, build_report, collapse_waves
from survey.analysis.scoring import frame_from_answers
from survey.errors import InvalidStatistics
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_definition
from survey.questionnaire.model import Questionnaire
from tests.helpers import assert_same_report

FORM = """
key: cells
languages: [en, mn]
title: {en: Cells, mn: Нүд}
choice_lists:
  ynd:
    - {value: "yes", label: {en: "Yes", mn: Тийм}}
    - {value: "no", label: {en: "No", mn: Үгүй}}
    - {value: dk, label: {en: "Don't know", mn: Мэдэхгүй}}
  signs:
    - {value: passport, label: {en: Passport, mn: Паспорт}}
    - {value: debt, label: {en: Debt, mn: Өр}}
    - {value: isolation, label: {en: Isolation, mn: Тусгаарлалт}}
    - {value: travel, label: {en: Travel, mn: Аялал}}
likert_scales:
  agree5:
    points: 5
    labels: {en: [SD, D, N, A, SA], mn: ["1", "2", "3", "4", "5"]}
sections:
  - key: about
    items:
      - key: aimag
        type: choice
        text: {en: "Where?", mn: "Хаана?"}
        choices:
          - {value: north, label: {en: North, mn: Хойд}}
          - {value: south, label: {en: South, mn: Өмнөд}}
          - {value: east, label: {en: East, mn: Зүүн}}
      - {key: age, type: integer, min: 18, max: 30, text: {en: "Age?", mn: "Нас?"}}
      - key: school
        type: choice
        text: {en: "School?", mn: "Сургууль?"}
        choices:
          - {value: s1, label: {en: S1, mn: С1}}
          - {value: s2, label: {en: S2, mn: С2}}
          - {value: s3, label: {en: S3, mn: С3}}
          - {value: s4, label: {en: S4, mn: С4}}
  - key: knowledge
    items:
      - {key: k_offer, type: choice, choices: ynd, correct: "no", text: {en: "Safe?", mn: "Аюулгүй?"}}
      - {key: k_keep, type: choice, choices: ynd, correct: "yes", text: {en: "Keep?", mn: "Хадгал?"}}
      - key: k_signs
        type: multi
        choices: signs
        correct: [passport, debt]
        scoring: partial
        text: {en: "Signs?", mn: "Шинж?"}
      - key: k_guess
        type: multi
        choices: signs
        correct: [debt, isolation]
        scoring: corrected
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
    items: [k_offer, k_keep, k_signs, k_guess, k_cond]
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

ANALYSIS = {
    "plain": "",
    "analysed": "analysis: {covariates: [aimag, {item: age, bands: [22, 26]}], subgroups: [aimag]}\n",
    "numeric_age": "analysis: {covariates: [age], subgroups: [aimag]}\n",
    # Every kind at once: a categorical and a numeric covariate, two grouping items (one banded).
    "every": "analysis: {covariates: [aimag, age], subgroups: [aimag, {item: age, bands: [24]}]}\n",
}
FORMS = {name: load_definition(FORM + block) for name, block in ANALYSIS.items()}
# A newer version whose k_keep has another correct answer: not comparable with the first.
CHANGED = {
    name: load_definition(
        FORM.replace('correct: "yes", text: {en: "Keep?"', 'correct: "no", text: {en: "Keep?"')
        + block
    )
    for name, block in ANALYSIS.items()
}
PLAIN = FORMS["plain"]
AIMAGS = ("north", "south", "east")
SIGNS = ("passport", "debt", "isolation", "travel")
ROLES = {
    "independent": (("pre", "campaign"), ("post", "campaign")),
    "comparison": (
        ("pre", "campaign"),
        ("post", "campaign"),
        ("pre", "comparison"),
        ("post", "comparison"),
    ),
}


def answers(rng: np.random.Generator, n: int, skill: float, attitude: float) -> list[dict]:
    """n respondents; every answer may be missing, so that the skip rule and listwise deletion act."""
    out = []
    for _ in range(n):
        a: dict[str, object] = {}
        if rng.random() < 0.9:
            a["aimag"] = AIMAGS[rng.integers(3)]
        if rng.random() < 0.85:
            a["age"] = int(rng.integers(18, 31))
        if rng.random() < 0.95:
            a["school"] = f"s{rng.integers(1, 5)}"
        for key, right in (("k_offer", "no"), ("k_keep", "yes")):
            if rng.random() < 0.85:
                a[key] = right if rng.random() < skill else ["yes", "no", "dk"][rng.integers(3)]
        if a.get("k_offer") == "yes" and rng.random() < 0.7:
            a["k_cond"] = "no" if rng.random() < skill else "dk"
        for key in ("k_signs", "k_guess"):
            if rng.random() < 0.85:
                a[key] = [s for s in SIGNS if rng.random() < 0.5]
        factor = rng.normal(attitude, 1.0)
        for key in ("a_report", "a_help", "a_hotline"):
            if rng.random() < 0.85:
                a[key] = int(np.clip(np.rint(3 + factor + rng.normal(0, 0.8)), 1, 5))
        if rng.random() < 0.9:
            a["q_would"] = "yes" if rng.random() < 0.3 + 0.4 * skill else "no"
        out.append(a)
    return out


def row_wave(
    key: str,
    phase: str,
    arm: str,
    q: Questionnaire,
    version: int,
    responses: list[dict],
    complete: list[bool],
) -> WaveData:
    return WaveData(
        key=key,
        phase=phase,
        arm=arm,
        version=version,
        definition=q,
        comparability=item_fingerprints(q),
        frame=frame_from_answers(q, responses, complete=complete),
    )


def cell_wave(wave: WaveData, cells: object) -> WaveData:
    return WaveData(
        key=wave.key,
        phase=wave.phase,
        arm=wave.arm,
        version=wave.version,
        definition=wave.definition,
        comparability=wave.comparability,
        frame=None,
        cells=cells,  # type: ignore[arg-type]
    )


def as_json(report: object) -> object:
    return msgspec.to_builtins(report)


campaigns = st.fixed_dictionaries(
    {
        "design": st.sampled_from(["independent", "comparison"]),
        "form": st.sampled_from(["plain", "analysed", "numeric_age", "every"]),
        "clustered": st.booleans(),
        "cluster_item": st.sampled_from(["aimag", "school"]),
        "changed": st.booleans(),
        "sizes": st.lists(
            st.one_of(st.integers(0, 6), st.integers(20, 120)), min_size=4, max_size=4
        ),
        "skills": st.lists(st.floats(0.2, 0.9), min_size=4, max_size=4),
        "seed": st.integers(0, 2**32 - 1),
        "split": st.floats(0.0, 1.0),
    }
)


def campaign(draw: dict) -> tuple[str, str | None, list[WaveData], list[tuple[list, list]]]:
    rng = np.random.default_rng(draw["seed"])
    design = draw["design"]
    q = FORMS[draw["form"]]
    waves, raw = [], []
    for i, (phase, arm) in enumerate(ROLES[design]):
        n = draw["sizes"][i]
        responses = answers(rng, n, draw["skills"][i], 0.4 * draw["skills"][i])
        complete = [bool(rng.random() < 0.9) for _ in range(n)]
        newer = draw["changed"] and phase == "post"
        version_q = CHANGED[draw["form"]] if newer else q
        waves.append(
            row_wave(
                f"{phase}-{arm}", phase, arm, version_q, 2 if newer else 1, responses, complete
            )
        )
        raw.append((responses, complete))
    cluster = draw["cluster_item"] if design == "comparison" and draw["clustered"] else None
    return design, cluster, waves, raw


def both_reports(design: str, cluster: str | None, waves: list[WaveData]) -> tuple[object, object]:
    """The report from the rows, and from the cells read back from the bytes the summary table keeps."""
    rows = build_report("c", design, waves, cluster_item=cluster)
    cells = collapse_waves(design, waves, cluster_item=cluster)
    stored = {key: decode(encode(value)) for key, value in cells.items()}
    from_cells = build_report(
        "c", design, [cell_wave(w, stored[w.key]) for w in waves], cluster_item=cluster
    )
    return as_json(rows), as_json(from_cells)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(campaigns)
def test_the_report_from_cells_is_the_report_from_rows(draw: dict) -> None:
    design, cluster, waves, _ = campaign(draw)
    assert_same_report(*both_reports(design, cluster, waves))


@pytest.mark.parametrize(
    ("design", "cluster"), [("independent", None), ("comparison", None), ("comparison", "school")]
)
def test_adjusted_and_subgroup_effects_from_cells_are_those_from_rows(
    design: str, cluster: str | None
) -> None:
    # Large enough waves that every adjusted effect, balance row, group effect and interaction test
    # has a number, so that the comparison cannot pass on nulls.
    draw = {
        "design": design,
        "form": "every",
        "clustered": cluster is not None,
        "cluster_item": cluster or "aimag",
        "changed": False,
        "sizes": [400, 400, 400, 400],
        "skills": [0.4, 0.7, 0.5, 0.55],
        "seed": 17,
        "split": 0.5,
    }
    _, _, waves, _ = campaign(draw)
    rows, from_cells = both_reports(design, cluster, waves)
    assert_same_report(rows, from_cells)
    outcomes = rows["outcomes"]  # type: ignore[index]
    assert len(outcomes) == 3
    for outcome in outcomes:
        assert len(outcome["subgroups"]) == 3 + 2
        assert all(s["effect"]["estimate"] is not None for s in outcome["subgroups"])
        assert all(p is not None for p in outcome["interaction_p"].values())
        assert len(outcome["interaction_p"]) == 2
        if design == "independent":
            assert outcome["adjusted"]["estimate"] is not None
            assert list(outcome["adjusted_for"]) == ["aimag", "age"]
    if design == "independent":
        assert [b["key"] for b in rows["balance"]] == ["aimag", "age"]  # type: ignore[index]


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(campaigns)
def test_cells_of_parts_add_up_to_the_cells_of_the_whole(draw: dict) -> None:
    design, cluster, waves, raw = campaign(draw)
    whole = build_report("c", design, waves, cluster_item=cluster)
    first, second = [], []
    for wave, (responses, complete) in zip(waves, raw, strict=True):
        cut = round(draw["split"] * len(responses))
        for part, rows in ((first, slice(None, cut)), (second, slice(cut, None))):
            part.append(
                row_wave(
                    wave.key,
                    wave.phase,
                    wave.arm,
                    wave.definition,
                    wave.version,
                    responses[rows],
                    complete[rows],
                )
            )
    a = collapse_waves(design, first, cluster_item=cluster)
    b = collapse_waves(design, second, cluster_item=cluster)
    added = [cell_wave(w, combine([a[w.key], b[w.key]])) for w in waves]
    assert_same_report(
        as_json(whole), as_json(build_report("c", design, added, cluster_item=cluster))
    )


def test_a_panel_needs_rows() -> None:
    rng = np.random.default_rng(1)
    waves = [
        row_wave("pre", "pre", "campaign", PLAIN, 1, answers(rng, 10, 0.5, 0), [True] * 10),
        row_wave("post", "post", "campaign", PLAIN, 1, answers(rng, 10, 0.5, 0), [True] * 10),
    ]
    with pytest.raises(InvalidStatistics, match="panel"):
        collapse_waves("panel", waves)


@given(
    st.lists(
        st.lists(st.one_of(st.integers(1, 5), st.none()), min_size=3, max_size=3),
        min_size=0,
        max_size=40,
    )
)
def test_alpha_from_moments_is_alpha_of_the_rows(matrix: list[list[int | None]]) -> None:
    x = np.array([[math.nan if v is None else v for v in row] for row in matrix], dtype=float)
    x = x.reshape(-1, 3)
    assert_same_report(
        as_json(cronbach_alpha(x)), as_json(cronbach_alpha_from_moments(Moments.of(x)))
    )


@given(st.lists(st.one_of(st.integers(-3, 3).map(float), st.just(math.nan)), max_size=60))
def test_cells_hold_the_sample(values: list[float]) -> None:
    x = np.array(values, dtype=float)
    cells = Cells.of(x)
    assert np.array_equal(np.sort(cells.rows()), np.sort(x), equal_nan=True)
    present = x[~np.isnan(x)]
    assert cells.present().size == present.size
    if present.size > 1:
        assert math.isclose(cells.present().mean(), float(present.mean()), abs_tol=1e-12)
        assert math.isclose(cells.present().std(ddof=1), float(present.std(ddof=1)), abs_tol=1e-12)
