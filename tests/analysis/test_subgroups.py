"""Subgroup effects (the report's ``subgroups`` and ``interaction_p``): each group's effect equals the
effect function on that group's respondents alone, Holm across the groups is written out here, and the
interaction test equals a Wald test of a statsmodels fit written with its formula interface."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from survey.analysis import effects
from survey.analysis.report import WaveData, build_report
from survey.analysis.scoring import frame_from_answers
from survey.analysis.subgroups import interaction_test
from survey.errors import InvalidStatistics
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_definition
from tests.helpers import holm

FORM = """
key: groups
languages: [en, mn]
title: {en: Groups, mn: Бүлгүүд}
sections:
  - key: you
    items:
      - key: region
        type: choice
        text: {en: Region, mn: Бүс}
        choices:
          - {value: west, label: {en: West, mn: Баруун}}
          - {value: centre, label: {en: Centre, mn: Төв}}
          - {value: east, label: {en: East, mn: Зүүн}}
          - {value: north, label: {en: North, mn: Хойд}}
      - {key: age, type: integer, min: 18, max: 40, text: {en: Age, mn: Нас}}
  - key: main
    items:
      - key: k1
        type: choice
        correct: a
        text: {en: K1, mn: А1}
        choices: [{value: a, label: {en: A, mn: А}}, {value: b, label: {en: B, mn: Б}}]
      - key: k2
        type: choice
        correct: b
        text: {en: K2, mn: А2}
        choices: [{value: a, label: {en: A, mn: А}}, {value: b, label: {en: B, mn: Б}}]
      - key: q
        type: choice
        text: {en: Q, mn: Асуулт}
        choices: [{value: "yes", label: {en: "Yes", mn: Тийм}}, {value: "no", label: {en: "No", mn: Үгүй}}]
outcomes:
  knowledge: {kind: score, label: {en: Knowledge, mn: Мэдлэг}, items: [k1, k2]}
  would: {kind: proportion, label: {en: Would, mn: Тэгнэ}, item: q, value: "yes"}
analysis:
  subgroups: [region, {item: age, bands: [25, 30]}]
"""
Q = load_definition(FORM)
REGIONS = ("west", "centre", "east", "north")
#: The true gain in the share right, by region: the campaign worked in the east.
GAIN = {"west": 0.05, "centre": 0.05, "east": 0.35, "north": 0.05}


def people(
    rng: np.random.Generator, n: int, gain: float, regions: Sequence[str] = REGIONS
) -> list[dict[str, object]]:
    out = []
    for _ in range(n):
        region = str(rng.choice(regions))
        right = 0.4 + gain * GAIN[region] / 0.35
        out.append(
            {
                "region": region,
                "age": int(rng.integers(18, 41)),
                "k1": "a" if rng.random() < right else "b",
                "k2": "b" if rng.random() < right else "a",
                "q": "yes" if rng.random() < right else "no",
            }
        )
    return out


def wave(key: str, phase: str, answers: list[dict[str, object]], **extra: object) -> WaveData:
    return WaveData(
        key=key,
        phase=phase,
        arm=str(extra.pop("arm", "campaign")),
        version=1,
        definition=Q,
        comparability=item_fingerprints(Q),
        frame=frame_from_answers(Q, answers),
        **extra,  # type: ignore[arg-type]
    )


def score(a: dict[str, object]) -> float:
    return ((a.get("k1") == "a") + (a.get("k2") == "b")) / 2


def test_interaction_test_is_the_wald_test_of_group_specific_effects() -> None:
    rng = np.random.default_rng(3)
    n = 500
    g = rng.integers(0, 4, n)
    post, arm = rng.integers(0, 2, n), rng.integers(0, 2, n)
    y = 0.2 * post + 0.3 * post * (g == 2) + 0.2 * post * arm * (g == 1) + rng.normal(0, 1 + g / 3)
    cluster = rng.integers(0, 12, n)
    data = pd.DataFrame({"y": y, "g": g.astype(str), "post": post, "arm": arm, "c": cluster})
    contrasts = ", ".join(f"C(g)[0]:post = C(g)[{k}]:post" for k in (1, 2, 3))
    fit = smf.ols("y ~ 0 + C(g) + C(g):post", data).fit(cov_type="HC2", use_t=True)
    expected = fit.wald_test(contrasts, use_f=True, scalar=True)
    found = interaction_test(y, g, [post])
    assert found.statistic == pytest.approx(float(expected.statistic), rel=1e-9)
    assert found.p_value == pytest.approx(float(expected.pvalue), rel=1e-9)
    assert found.df == (3.0, float(expected.df_denom)) and found.groups == 4
    # A panel's changes: equal group means.
    fit = smf.ols("y ~ 0 + C(g)", data).fit(cov_type="HC2", use_t=True)
    means = ", ".join(f"C(g)[0] = C(g)[{k}]" for k in (1, 2, 3))
    assert interaction_test(y, g).p_value == pytest.approx(
        float(fit.wald_test(means, use_f=True, scalar=True).pvalue), rel=1e-9
    )
    # A comparison design, by region and clustered.
    formula = "y ~ 0 + C(g) + C(g):post + C(g):arm + C(g):post:arm"
    did = ", ".join(f"C(g)[0]:post:arm = C(g)[{k}]:post:arm" for k in (1, 2, 3))
    for cluster_kwds in (None, {"groups": cluster}):
        cov = "HC1" if cluster_kwds is None else "cluster"
        fit = smf.ols(formula, data).fit(cov_type=cov, cov_kwds=cluster_kwds, use_t=True)
        expected = fit.wald_test(did, use_f=True, scalar=True)
        found = interaction_test(
            y,
            g,
            [post, arm, post * arm],
            cluster=None if cluster_kwds is None else cluster,
            cov_type="HC1",
        )
        assert found.p_value == pytest.approx(float(expected.pvalue), rel=1e-8), cov
        assert found.df[1] == pytest.approx(float(expected.df_denom)), cov
    assert found.clusters == 12


def test_interaction_test_refuses_what_it_cannot_test() -> None:
    with pytest.raises(InvalidStatistics, match="two groups"):
        interaction_test(np.arange(6.0), np.zeros(6), [np.array([0, 1] * 3)])
    with pytest.raises(InvalidStatistics, match="no variance"):
        # Every group's changes are the same: the effects have no variance.
        interaction_test(np.ones(6), np.array([0, 0, 0, 1, 1, 1]))


def test_independent_subgroups_equal_the_effects_of_each_group_alone() -> None:
    rng = np.random.default_rng(20270101)
    pre, post = people(rng, 400, 0.0), people(rng, 400, 0.35)
    report = build_report("c", "independent", [wave("a", "pre", pre), wave("b", "post", post)])
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    by_region = [s for s in knowledge.subgroups if s.group == "region"]
    assert [s.value for s in by_region] == list(REGIONS)
    raw = []
    for entry in by_region:
        a = np.array([score(x) for x in post if x["region"] == entry.value])
        b = np.array([score(x) for x in pre if x["region"] == entry.value])
        expected = effects.mean_difference(a, b)
        e = entry.effect
        assert e.name == expected.name
        assert (e.estimate, e.ci_low, e.ci_high, e.p_value) == pytest.approx(
            (expected.estimate, expected.ci_low, expected.ci_high, expected.p_value), rel=1e-12
        )
        assert entry.groups["pre"].n == b.size and entry.groups["post"].n == a.size
        assert entry.label == {"en": entry.value.title(), "mn": entry.label["mn"]}
        raw.append(expected.p_value)
    assert [s.p_adjusted for s in by_region] == pytest.approx(holm(raw), rel=1e-12)
    # The interaction: does the change differ between regions? (It does: the east gained most.)
    rows = [
        {"y": score(x), "post": p, "g": x["region"]} for p, xs in ((0, pre), (1, post)) for x in xs
    ]
    data = pd.DataFrame(rows)
    fit = smf.ols("y ~ 0 + C(g) + C(g):post", data).fit(cov_type="HC2", use_t=True)
    levels = sorted(set(data["g"]))
    contrasts = ", ".join(f"C(g)[{levels[0]}]:post = C(g)[{g}]:post" for g in levels[1:])
    expected = float(fit.wald_test(contrasts, use_f=True, scalar=True).pvalue)
    assert knowledge.interaction_p["region"] == pytest.approx(expected, rel=1e-9)
    assert knowledge.interaction_p["region"] < 0.001
    # Every interaction test of the report (2 outcomes × 2 grouping items) is one family for Holm.
    tests = [(o.key, item) for o in report.outcomes for item in o.interaction_p]
    raw = [next(o for o in report.outcomes if o.key == k).interaction_p[i] for k, i in tests]
    found = [
        next(o for o in report.outcomes if o.key == k).interaction_p_adjusted[i] for k, i in tests
    ]
    assert len(tests) == 4 and found == pytest.approx(holm(raw), rel=1e-12)
    # Age bands of an integer item: 18–24, 25–29, 30–40.
    bands = [s for s in knowledge.subgroups if s.group == "age"]
    assert [s.value for s in bands] == ["18–24", "25–29", "30–40"]
    young = [x for x in post if int(x["age"]) < 25]
    assert bands[0].groups["post"].n == len(young)
    assert bands[0].label == {"en": "18–24", "mn": "18–24"}


def test_a_share_is_compared_by_its_risk_difference_in_each_group() -> None:
    rng = np.random.default_rng(20270102)
    pre, post = people(rng, 300, 0.0), people(rng, 300, 0.35)
    report = build_report("c", "independent", [wave("a", "pre", pre), wave("b", "post", post)])
    would = next(o for o in report.outcomes if o.key == "would")
    for entry in (s for s in would.subgroups if s.group == "region"):
        k_a = sum(x["q"] == "yes" for x in post if x["region"] == entry.value)
        n_a = sum(x["region"] == entry.value for x in post)
        k_b = sum(x["q"] == "yes" for x in pre if x["region"] == entry.value)
        n_b = sum(x["region"] == entry.value for x in pre)
        expected = effects.risk_difference(k_a, n_a, k_b, n_b)
        assert entry.effect.name == "risk_difference"
        assert entry.effect.estimate == pytest.approx(expected.estimate, rel=1e-12)
        assert entry.effect.ci_low == pytest.approx(expected.ci_low, rel=1e-12)
    rows = [
        {"y": float(x["q"] == "yes"), "post": p, "g": x["region"]}
        for p, xs in ((0, pre), (1, post))
        for x in xs
    ]
    fit = smf.ols("y ~ 0 + C(g) + C(g):post", pd.DataFrame(rows)).fit(cov_type="HC2", use_t=True)
    levels = sorted(REGIONS)
    contrasts = ", ".join(f"C(g)[{levels[0]}]:post = C(g)[{g}]:post" for g in levels[1:])
    expected = float(fit.wald_test(contrasts, use_f=True, scalar=True).pvalue)
    assert would.interaction_p["region"] == pytest.approx(expected, rel=1e-9)


def test_a_panel_is_broken_down_by_each_persons_answer_before() -> None:
    rng = np.random.default_rng(20270103)
    pre = people(rng, 300, 0.0)
    post = []
    for person in pre:
        again = dict(person)
        right = 0.4 + GAIN[str(person["region"])]
        again["k1"] = "a" if rng.random() < right else "b"
        again["k2"] = "b" if rng.random() < right else "a"
        if rng.random() < 0.1:
            again["region"] = "north"  # moved: the group is the answer before
        post.append(again)
    keys = [f"p{i}" for i in range(300)]
    report = build_report(
        "c",
        "panel",
        [wave("a", "pre", pre, panel_key=keys), wave("b", "post", post, panel_key=keys)],
    )
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    changes: dict[str, list[float]] = {}
    for region in REGIONS:
        mine = [i for i, x in enumerate(pre) if x["region"] == region]
        after = np.array([score(post[i]) for i in mine])
        before = np.array([score(pre[i]) for i in mine])
        expected = effects.mean_difference(after, before, True)
        entry = next(s for s in knowledge.subgroups if s.value == region)
        assert entry.effect.estimate == pytest.approx(expected.estimate, rel=1e-12)
        assert entry.effect.ci_high == pytest.approx(expected.ci_high, rel=1e-12)
        assert entry.groups["pre"].n == len(mine)
        changes[region] = list(after - before)
    data = pd.DataFrame(
        [{"y": c, "g": region} for region, values in changes.items() for c in values]
    )
    fit = smf.ols("y ~ 0 + C(g)", data).fit(cov_type="HC2", use_t=True)
    levels = sorted(REGIONS)
    contrasts = ", ".join(f"C(g)[{levels[0]}] = C(g)[{g}]" for g in levels[1:])
    expected = float(fit.wald_test(contrasts, use_f=True, scalar=True).pvalue)
    assert knowledge.interaction_p["region"] == pytest.approx(expected, rel=1e-9)


def test_a_comparison_design_is_broken_down_with_its_clusters() -> None:
    rng = np.random.default_rng(20270104)
    waves, rows = [], []
    for arm in ("campaign", "comparison"):
        for phase in ("pre", "post"):
            gain = 0.35 if (arm, phase) == ("campaign", "post") else 0.0
            answers = people(rng, 240, gain)
            clusters = [f"s{int(rng.integers(0, 30))}" for _ in answers]
            waves.append(wave(f"{arm}-{phase}", phase, answers, arm=arm, cluster=clusters))
            rows += [
                {
                    "y": score(x),
                    "post": int(phase == "post"),
                    "arm": int(arm == "campaign"),
                    "g": x["region"],
                    "c": c,
                }
                for x, c in zip(answers, clusters, strict=True)
            ]
    report = build_report("c", "comparison", waves)
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    data = pd.DataFrame(rows)
    for entry in (s for s in knowledge.subgroups if s.group == "region"):
        mine = data[data["g"] == entry.value]
        expected = effects.difference_in_differences(
            mine["y"], mine["post"], mine["arm"], mine["c"].to_numpy()
        )
        assert entry.effect.name == "difference_in_differences"
        assert entry.effect.estimate == pytest.approx(expected.estimate, rel=1e-9)
        assert entry.effect.ci_low == pytest.approx(expected.ci_low, rel=1e-9)
    _, codes = np.unique(data["c"], return_inverse=True)
    fit = smf.ols("y ~ 0 + C(g) + C(g):post + C(g):arm + C(g):post:arm", data).fit(
        cov_type="cluster", cov_kwds={"groups": codes}, use_t=True
    )
    levels = sorted(REGIONS)
    contrasts = ", ".join(f"C(g)[{levels[0]}]:post:arm = C(g)[{g}]:post:arm" for g in levels[1:])
    expected = float(fit.wald_test(contrasts, use_f=True, scalar=True).pvalue)
    assert knowledge.interaction_p["region"] == pytest.approx(expected, rel=1e-8)


def test_groups_under_five_are_hidden_with_one_more_and_left_out_of_the_tests() -> None:
    """North has 3 respondents after: no number of them is shown, nor any of the smallest other
    region (else the totals minus the others would give north's away). The Holm adjustment and the
    interaction test use the regions shown with an estimate."""
    rng = np.random.default_rng(20270105)
    pre = people(rng, 300, 0.0)
    post = people(rng, 297, 0.35, regions=("west", "centre", "east"))
    post += [dict(p, region="north") for p in people(rng, 3, 0.35)]
    report = build_report("c", "independent", [wave("a", "pre", pre), wave("b", "post", post)])
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    entries = {s.value: s for s in knowledge.subgroups if s.group == "region"}
    north = entries["north"]
    assert north.effect.estimate is None and north.groups["post"].n is None
    assert north.p_adjusted is None
    # Its 77 respondents before are many enough to show, as the whole report shows them.
    assert north.groups["pre"].n == sum(x["region"] == "north" for x in pre)
    assert any(n.code == "too_few" for n in north.coded_notes)
    sizes = {
        r: min(
            sum(x["region"] == r for x in pre),
            sum(x["region"] == r for x in post),
        )
        for r in ("west", "centre", "east")
    }
    partner = min(sizes, key=sizes.__getitem__)
    hidden = entries[partner]
    assert hidden.effect.estimate is None and hidden.groups["post"].n is None
    assert [n.code for n in hidden.coded_notes] == ["hidden_with"]
    shown = [r for r in ("west", "centre", "east") if r != partner]
    p = []
    for region in ("west", "centre", "east"):
        a = np.array([score(x) for x in post if x["region"] == region])
        b = np.array([score(x) for x in pre if x["region"] == region])
        p.append(effects.mean_difference(a, b).p_value)
    # The hidden partner's p is not counted: Holm over the two shown.
    expected = holm([p[i] for i, r in enumerate(("west", "centre", "east")) if r in shown])
    assert [entries[r].p_adjusted for r in shown] == pytest.approx(expected, rel=1e-12)
    rows = [
        {"y": score(x), "post": t, "g": x["region"]}
        for t, xs in ((0, pre), (1, post))
        for x in xs
        if x["region"] != "north"
    ]
    fit = smf.ols("y ~ 0 + C(g) + C(g):post", pd.DataFrame(rows)).fit(cov_type="HC2", use_t=True)
    contrasts = "C(g)[centre]:post = C(g)[east]:post, C(g)[centre]:post = C(g)[west]:post"
    expected_p = float(fit.wald_test(contrasts, use_f=True, scalar=True).pvalue)
    assert knowledge.interaction_p["region"] == pytest.approx(expected_p, rel=1e-9)
    assert not math.isnan(knowledge.interaction_p["region"])
