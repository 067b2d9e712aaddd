"""Composition-adjusted effects and covariate balance (survey.analysis.adjustment, and the report's
``adjusted`` and ``balance``), each checked against an independent statsmodels fit written here with
its formula interface (patsy builds the dummies; statsmodels' own marginal effects give the average
marginal effect), or a formula written out from its publication."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from survey.analysis import effects
from survey.analysis.adjustment import (
    Covariate,
    adjusted_mean_difference,
    adjusted_risk_difference,
    categorical_difference,
    covariate_balance,
    design_matrix,
    numeric_difference,
)
from survey.analysis.report import WaveData, build_report
from survey.analysis.scoring import frame_from_answers
from survey.errors import InvalidStatistics
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_definition

EDUCATION = ("basic", "secondary", "higher")


def sample(seed: int, n: int = 400) -> pd.DataFrame:
    """Respondents whose education shifts between the waves and raises the outcome: the crude change
    is larger than the change among people of the same education."""
    rng = np.random.default_rng(seed)
    post = np.repeat([0, 1], n // 2)
    edu = np.where(
        post == 1, rng.choice(3, n, p=[0.15, 0.35, 0.5]), rng.choice(3, n, p=[0.45, 0.35, 0.2])
    )
    edu[rng.random(n) < 0.05] = -1  # not answered: a category of its own
    age = rng.integers(18, 28, n).astype(float)
    age[rng.random(n) < 0.04] = np.nan
    y = 0.35 + 0.12 * (edu == 2) - 0.05 * (edu == 0) + 0.1 * post + rng.normal(0, 0.15 + 0.1 * post)
    p = np.clip(0.3 + 0.15 * post + 0.2 * (edu == 2), 0, 1)
    hit = (rng.random(n) < p).astype(float)
    return pd.DataFrame({"y": y, "hit": hit, "post": post, "edu": edu, "age": age})


def covariates(frame: pd.DataFrame) -> list[Covariate]:
    return [
        Covariate("education", frame["edu"].to_numpy(), EDUCATION),
        Covariate("age", frame["age"].to_numpy()),
    ]


def as_formula_data(frame: pd.DataFrame) -> pd.DataFrame:
    """The respondents with an age (the numeric covariate), education as a category label."""
    out = frame.dropna(subset=["age"]).copy()
    out["edu"] = out["edu"].map({-1: "none", 0: "basic", 1: "secondary", 2: "higher"})
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_adjusted_mean_difference_is_the_ols_coefficient_with_hc2(seed: int) -> None:
    frame = sample(seed)
    found = adjusted_mean_difference(
        frame["y"].to_numpy(), frame["post"].to_numpy(), covariates(frame)
    )
    data = as_formula_data(frame)
    fit = smf.ols("y ~ post + C(edu) + age", data).fit(cov_type="HC2", use_t=True)
    low, high = fit.conf_int(0.05).loc["post"]
    e = found.effect
    assert (e.estimate, e.ci_low, e.ci_high, e.p_value) == pytest.approx(
        (fit.params["post"], low, high, fit.pvalues["post"]), rel=1e-9
    )
    assert found.dropped == int(frame["age"].isna().sum())
    assert e.n == (int(data["post"].sum()), int((data["post"] == 0).sum()))
    assert found.covariates == ("education", "age")
    # The crude difference is larger: the after wave has more of the better educated.
    assert data.loc[data.post == 1, "y"].mean() - data.loc[data.post == 0, "y"].mean() > e.estimate


def test_without_covariates_it_is_the_difference_of_means_with_welchs_error() -> None:
    """HC2 with the wave alone is Welch's variance (Imbens & Kolesár 2016): only the degrees of
    freedom differ (n − 2 here, Welch–Satterthwaite for Welch's interval)."""
    frame = sample(4)
    y, post = frame["y"].to_numpy(), frame["post"].to_numpy()
    e = adjusted_mean_difference(y, post).effect
    a, b = y[post == 1], y[post == 0]
    welch = effects.mean_difference(a, b)
    assert e.estimate == pytest.approx(welch.estimate, rel=1e-12)
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    assert (e.ci_high - e.ci_low) / 2 == pytest.approx(stats.t.isf(0.025, y.size - 2) * se)


@pytest.mark.parametrize("seed", [5, 6])
def test_adjusted_risk_difference_is_statsmodels_average_marginal_effect(seed: int) -> None:
    frame = sample(seed)
    found = adjusted_risk_difference(
        frame["hit"].to_numpy(), frame["post"].to_numpy(), covariates(frame)
    )
    data = as_formula_data(frame)
    fit = smf.logit("hit ~ post + C(edu) + age", data).fit(disp=0, cov_type="HC0")
    margins = fit.get_margeff(at="overall", dummy=True).summary_frame().loc["post"]
    e = found.effect
    assert e.estimate == pytest.approx(margins["dy/dx"], rel=1e-7)
    se = margins["Std. Err."]
    assert (e.ci_low, e.ci_high) == pytest.approx(
        (e.estimate - stats.norm.isf(0.025) * se, e.estimate + stats.norm.isf(0.025) * se),
        rel=1e-6,
    )
    assert e.p_value == pytest.approx(margins["Pr(>|z|)"], rel=1e-6)
    assert e.method == "logistic ame adjusted" and e.name == "risk_difference"


def test_a_rare_category_counts_with_the_most_frequent_one() -> None:
    """Fewer than 5 respondents in a category: counted with the reference (the most frequent
    category), so that no respondent carries a leverage of 1 into the robust variance."""
    frame = sample(7)
    frame.loc[frame.index[:3], "edu"] = 2  # make sure "higher" is common...
    rare = frame.index[frame["edu"] == 0][:-3]
    frame.loc[rare, "edu"] = 1  # ...and "basic" rare: 3 respondents left
    assert (frame["edu"] == 0).sum() == 3
    found = adjusted_mean_difference(
        frame["y"].to_numpy(), frame["post"].to_numpy(), covariates(frame)
    )
    data = as_formula_data(frame)
    counts = data["edu"].value_counts()
    reference = counts.index[0]
    data["edu"] = data["edu"].where(data["edu"] != "basic", reference)
    fit = smf.ols("y ~ post + C(edu) + age", data).fit(cov_type="HC2", use_t=True)
    assert found.effect.estimate == pytest.approx(fit.params["post"], rel=1e-9)
    assert found.effect.ci_low == pytest.approx(fit.conf_int(0.05).loc["post"].iloc[0], rel=1e-9)
    columns, _, _ = design_matrix(covariates(frame))
    assert columns.shape[1] == 3  # two education categories besides the reference, and age


def test_a_covariate_that_only_repeats_the_wave_is_dropped() -> None:
    frame = sample(8)
    y, post = frame["y"].to_numpy(), frame["post"].to_numpy()
    echo = Covariate("echo", post.astype(np.int64), ("before", "after"))
    assert adjusted_mean_difference(y, post, [echo]).effect.estimate == pytest.approx(
        adjusted_mean_difference(y, post).effect.estimate, rel=1e-12
    )


def test_what_cannot_be_adjusted_says_why() -> None:
    y, post = np.array([0, 1, 0, 1, 1, 1.0]), np.array([0, 0, 0, 1, 1, 1])
    group = Covariate("g", np.array([0, 0, 0, 1, 1, 1]), ("a", "b"))
    everyone = np.ones(6)
    with pytest.raises(InvalidStatistics, match="same answer"):
        adjusted_risk_difference(everyone, post, [group])
    with pytest.raises(InvalidStatistics, match="0/1"):
        adjusted_risk_difference(y + 0.5, post)
    with pytest.raises(InvalidStatistics, match="two respondents"):
        adjusted_mean_difference(y[:4], np.array([0, 0, 0, 1]))
    with pytest.raises(InvalidStatistics, match="missing"):
        adjusted_mean_difference(np.array([np.nan, 1, 2, 3]), np.array([0, 0, 1, 1]))
    # Everyone after answered yes: the logistic model separates.
    separated = np.array([0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1.0])
    wave = np.repeat([0, 1], 6)
    with pytest.raises(InvalidStatistics, match=r"cannot be fitted|did not converge"):
        adjusted_risk_difference(separated, wave)


# -- balance ---------------------------------------------------------------------------------------


def test_standardised_differences_of_a_number_and_of_two_categories() -> None:
    """Austin (2009), Statistics in Medicine 28:3083, equations (1) and (2)."""
    a, b = np.array([20.0, 22, 25, 27, 23]), np.array([19.0, 21, 20, 24])
    expected = (a.mean() - b.mean()) / math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    assert numeric_difference(a, b) == pytest.approx(expected, rel=1e-12)
    p1, p0 = 30 / 100, 45 / 120
    binary = abs(p1 - p0) / math.sqrt((p1 * (1 - p1) + p0 * (1 - p0)) / 2)
    assert categorical_difference(np.array([30, 70]), np.array([45, 75])) == pytest.approx(binary)


def test_the_multivariate_difference_does_not_depend_on_the_category_left_out() -> None:
    """Yang & Dalton (2012): the d of K categories uses K − 1 of them; any K − 1 give the same d.
    Written out here with the first category left out instead of the last."""
    after, before = np.array([20.0, 50, 30, 5]), np.array([40.0, 35, 20, 10])
    p1, p0 = (after / after.sum())[1:], (before / before.sum())[1:]
    s = (np.diag(p1) - np.outer(p1, p1) + np.diag(p0) - np.outer(p0, p0)) / 2
    expected = math.sqrt((p1 - p0) @ np.linalg.inv(s) @ (p1 - p0))
    assert categorical_difference(after, before) == pytest.approx(expected, rel=1e-10)
    # A category found in neither wave changes nothing.
    assert categorical_difference(np.r_[after, 0], np.r_[before, 0]) == pytest.approx(expected)
    assert categorical_difference(np.array([10, 0]), np.array([4, 0])) == 0.0


def test_covariate_balance_counts_the_not_answered_last() -> None:
    after = Covariate("edu", np.array([0, 1, 1, 2, -1, 2]), EDUCATION)
    before = Covariate("edu", np.array([0, 0, 1, -1, -1]), EDUCATION)
    a, b, d = covariate_balance(after, before)
    assert a.tolist() == [1, 2, 2, 1] and b.tolist() == [2, 1, 0, 2]
    assert d == pytest.approx(categorical_difference(a, b))


# -- in the report ---------------------------------------------------------------------------------

FORM = """
key: comp
languages: [en, mn]
title: {en: Composition, mn: Бүрэлдэхүүн}
sections:
  - key: you
    items:
      - key: education
        type: choice
        text: {en: Education, mn: Боловсрол}
        choices:
          - {value: basic, label: {en: Basic, mn: Суурь}}
          - {value: secondary, label: {en: Secondary, mn: Бүрэн дунд}}
          - {value: higher, label: {en: Higher, mn: Дээд}}
      - {key: age, type: integer, min: 18, max: 27, text: {en: Age, mn: Нас}}
  - key: knowledge
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
        text: {en: "Would you?", mn: "Тэгэх үү?"}
        choices: [{value: "yes", label: {en: "Yes", mn: Тийм}}, {value: "no", label: {en: "No", mn: Үгүй}}]
outcomes:
  knowledge: {kind: score, label: {en: Knowledge, mn: Мэдлэг}, items: [k1, k2]}
  would: {kind: proportion, label: {en: Would, mn: Тэгнэ}, item: q, value: "yes"}
analysis:
  covariates: [education, {item: age, bands: [22]}]
"""
Q = load_definition(FORM)


def answers(frame: pd.DataFrame, rng: np.random.Generator) -> list[dict[str, object]]:
    out = []
    for row in frame.itertuples():
        a: dict[str, object] = {}
        if row.edu >= 0:
            a["education"] = EDUCATION[int(row.edu)]
        if not math.isnan(row.age):
            a["age"] = int(row.age)
        right = 0.3 + 0.25 * (row.edu == 2) + 0.15 * row.post
        a["k1"] = "a" if rng.random() < right else "b"
        a["k2"] = "b" if rng.random() < right else "a"
        a["q"] = "yes" if row.hit else "no"
        out.append(a)
    return out


def waves(seed: int, *, ages: bool = False) -> tuple[list[WaveData], pd.DataFrame]:
    """The two waves of 150 respondents each; with ``ages``, everyone gave an age (no category of the
    balance table is then under 5)."""
    frame = sample(seed, 300)
    if ages:
        frame["age"] = frame["age"].fillna(20.0)
    given = answers(frame, np.random.default_rng(seed))
    frame["knowledge"] = [(a["k1"] == "a") / 2 + (a["k2"] == "b") / 2 for a in given]
    made = []
    for phase, post in (("pre", 0), ("post", 1)):
        rows = [a for a, p in zip(given, frame["post"], strict=True) if p == post]
        made.append(
            WaveData(
                key=phase,
                phase=phase,
                arm="campaign",
                version=1,
                definition=Q,
                comparability=item_fingerprints(Q),
                frame=frame_from_answers(Q, rows),
            )
        )
    return made, frame


def test_the_report_adjusts_each_outcome_for_the_declared_covariates() -> None:
    made, frame = waves(11)
    report = build_report("c", "independent", made)
    data = frame.copy()
    data["edu"] = data["edu"].map({-1: "none", 0: "basic", 1: "secondary", 2: "higher"})
    # Age in bands 18–21 and 22–27, "none" for no answer: bands are categories.
    data["band"] = np.where(data["age"].isna(), "none", np.where(data["age"] < 22, "young", "old"))
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    fit = smf.ols("knowledge ~ post + C(edu) + C(band)", data).fit(cov_type="HC2", use_t=True)
    low, high = fit.conf_int(0.05).loc["post"]
    a = knowledge.adjusted
    assert a is not None and a.name == "mean_difference" and a.method == "ols hc2 adjusted"
    assert (a.estimate, a.ci_low, a.ci_high, a.p_value) == pytest.approx(
        (fit.params["post"], low, high, fit.pvalues["post"]), rel=1e-9
    )
    assert knowledge.adjusted_for == ("education", "age") and knowledge.adjusted_reason is None
    would = next(o for o in report.outcomes if o.key == "would")
    logit = smf.logit("hit ~ post + C(edu) + C(band)", data).fit(disp=0, cov_type="HC0")
    ame = logit.get_margeff(at="overall", dummy=True).summary_frame().loc["post", "dy/dx"]
    assert would.adjusted is not None and would.adjusted.estimate == pytest.approx(ame, rel=1e-7)
    # Items have no adjusted effect, and say why.
    for item in report.items:
        assert item.adjusted is None and item.adjusted_reason.code == "adjusted_outcomes_only"


def test_the_balance_table_shows_each_covariate_before_and_after() -> None:
    made, frame = waves(12, ages=True)
    report = build_report("c", "independent", made)
    education, age = report.balance
    assert (education.key, education.kind, age.key, age.kind) == (
        "education",
        "categorical",
        "age",
        "categorical",
    )
    for phase, post in (("pre", 0), ("post", 1)):
        wave = frame[frame["post"] == post]
        shown = {level.value: level for level in education.groups[phase].levels}
        for code, value in enumerate(EDUCATION):
            expected = int((wave["edu"] == code).sum())
            assert shown[value].n == expected
            assert shown[value].share == pytest.approx(expected / len(wave))
        assert shown[None].n == int((wave["edu"] == -1).sum())
        assert education.groups[phase].n == len(wave)
        bands = {level.value: level.n for level in age.groups[phase].levels}
        assert bands["18–21"] == int((wave["age"] < 22).sum())
        assert bands["22–27"] == int((wave["age"] >= 22).sum())
    counts = {
        post: [int((frame[frame.post == post]["edu"] == c).sum()) for c in (0, 1, 2, -1)]
        for post in (0, 1)
    }
    assert education.standardized_difference == pytest.approx(
        categorical_difference(np.array(counts[1]), np.array(counts[0]))
    )
    assert education.label == {"en": "Education", "mn": "Боловсрол"}


def test_a_numeric_covariate_is_summarised_by_its_mean() -> None:
    numeric = load_definition(FORM.replace("{item: age, bands: [22]}", "age"))
    made, frame = waves(13)
    made = [
        WaveData(
            **{**w.__dict__, "definition": numeric, "comparability": item_fingerprints(numeric)}
        )
        for w in made
    ]
    report = build_report("c", "independent", made)
    age = next(b for b in report.balance if b.key == "age")
    assert age.kind == "numeric"
    pre, post = (frame[frame.post == p]["age"].dropna().to_numpy() for p in (0, 1))
    assert age.groups["pre"].mean == pytest.approx(pre.mean())
    assert age.groups["post"].sd == pytest.approx(post.std(ddof=1))
    assert age.standardized_difference == pytest.approx(numeric_difference(post, pre))
    knowledge = next(o for o in report.outcomes if o.key == "knowledge")
    dropped = next(n for n in knowledge.coded_notes if n.code == "adjusted_dropped")
    assert dropped.params == {"count": int(frame["age"].isna().sum())}


def test_small_categories_are_hidden_with_one_more_so_that_no_subtraction_finds_them() -> None:
    made, frame = waves(14)
    # Three "basic" respondents before: their count and share are hidden, and so is the smallest
    # other category of that wave (else the wave's total minus the others would give it away).
    pre = frame[frame.post == 0]
    keep_basic = pre.index[pre["edu"] == 0][:3]
    others = pre.index[(pre["edu"] == 0) & ~pre.index.isin(keep_basic)]
    frame.loc[others, "edu"] = 1
    given = answers(frame, np.random.default_rng(14))
    rows = [a for a, p in zip(given, frame["post"], strict=True) if p == 0]
    made[0] = WaveData(**{**made[0].__dict__, "frame": frame_from_answers(Q, rows)})
    report = build_report("c", "independent", made)
    education = report.balance[0]
    before = {level.value: level for level in education.groups["pre"].levels}
    assert before["basic"].n is None and before["basic"].share is None
    # The one to hide with it: the category whose smallest count (before or after) is the smallest.
    codes = {"secondary": 1, "higher": 2, None: -1}
    smallest = {}
    for value, code in codes.items():
        cells = [int((frame[frame.post == p]["edu"] == code).sum()) for p in (0, 1)]
        smallest[value] = min(c for c in cells if c > 0)
    partner = min(smallest, key=smallest.__getitem__)
    after = {level.value: level.n for level in education.groups["post"].levels}
    assert before[partner].n is None and after[partner] is None
    for value in codes:
        if value != partner:
            assert before[value].n is not None and after[value] is not None, value
    assert after["basic"] is not None  # many after: only its count before is hidden


def test_other_designs_and_forms_without_covariates_say_why_there_is_no_adjusted_effect() -> None:
    made, _ = waves(15)
    plain = load_definition(FORM.split("analysis:")[0])
    bare = [
        WaveData(**{**w.__dict__, "definition": plain, "comparability": item_fingerprints(plain)})
        for w in made
    ]
    report = build_report("c", "independent", bare)
    assert report.balance == ()
    for outcome in report.outcomes:
        assert outcome.adjusted is None
        assert outcome.adjusted_reason.code == "adjusted_no_covariates"
    keys = [f"p{i}" for i in range(150)]
    panel = build_report(
        "c",
        "panel",
        [
            WaveData(**{**made[0].__dict__, "panel_key": keys}),
            WaveData(**{**made[1].__dict__, "panel_key": keys}),
        ],
    )
    assert panel.balance == ()
    for outcome in panel.outcomes:
        assert outcome.adjusted_reason.code == "adjusted_design"
        assert outcome.adjusted_reason.params == {"design": "panel"}
