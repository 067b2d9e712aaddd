"""The regressions of the adjusted effects and the interaction tests, fitted on distinct rows with counts.

A report from cells (survey.analysis.cells) fits them on one row per cell, its count a frequency weight.
The reference here is statsmodels on the *expanded* rows (each distinct row repeated its count): ``OLS``
with ``cov_type="HC2"``, ``"HC1"`` and ``"cluster"``, and ``Logit`` with ``cov_type="HC0"`` and its
``get_margeff(at="overall", dummy=True)`` (the average marginal effect and its delta-method standard
error), so that a mistake in a weighted formula (a leverage, a meat, an n that counts cells instead of
respondents) shows as a difference from a computation that knows nothing of weights.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from survey.analysis.adjustment import (
    Adjusted,
    Covariate,
    adjusted_mean_difference,
    adjusted_risk_difference,
    covariate_balance,
    design_matrix,
    least_squares,
    numeric_difference,
)
from survey.analysis.cells import Cells
from survey.analysis.subgroups import interaction_test
from survey.errors import InvalidStatistics
from tests.helpers import assert_same_report

EDUCATION = ("primary", "secondary", "university")


def distinct_rows(seed: int, m: int = 80) -> dict[str, np.ndarray]:
    """m distinct rows (wave, education with "no answer", an age with missing values, a group, a
    cluster, a score of few values and a 0/1 answer), each with a count from 1 to 40 (some alone)."""
    rng = np.random.default_rng(seed)
    post = rng.integers(0, 2, m).astype(float)
    education = rng.integers(-1, 3, m)
    age = rng.choice(np.array([19.0, 24.0, 31.0, 45.0, math.nan]), m)
    group = rng.integers(0, 3, m)
    score = np.clip(rng.integers(0, 6, m) + post + (education == 2), 0, 6).astype(float)
    right = (rng.random(m) < 0.35 + 0.25 * post + 0.1 * (education == 2)).astype(float)
    counts = rng.integers(1, 41, m)
    counts[:3] = 1
    return {
        "post": post,
        "education": education,
        "age": age,
        "group": group,
        "arm": rng.integers(0, 2, m).astype(float),
        "cluster": rng.integers(0, 9, m),
        "score": score,
        "right": right,
        "counts": counts,
    }


def covariates(data: dict[str, np.ndarray], rows: np.ndarray | None = None) -> list[Covariate]:
    pick = slice(None) if rows is None else rows
    return [
        Covariate("education", data["education"][pick], EDUCATION),
        Covariate("age", data["age"][pick]),
    ]


def expanded(data: dict[str, np.ndarray]) -> np.ndarray:
    """The index of each respondent's distinct row: row i repeated counts[i] times."""
    return np.repeat(np.arange(data["counts"].size), data["counts"])


def design_of_rows(data: dict[str, np.ndarray], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expanded rows' design (intercept, wave, covariates' columns) and the rows kept."""
    columns, keep, _ = design_matrix(covariates(data, rows))
    post = data["post"][rows][keep]
    return np.column_stack([np.ones(post.size), post, columns]), keep


def weighted_and_expanded(
    data: dict[str, np.ndarray], method: Callable[..., Adjusted], outcome: str
) -> tuple[Adjusted, np.ndarray, np.ndarray, np.ndarray]:
    """The adjusted effect fitted on the distinct rows with counts; the expanded rows' index, design
    and outcome (the rows the model keeps) for the reference fit."""
    found = method(data[outcome], data["post"], covariates(data), counts=data["counts"])
    rows = expanded(data)
    design, keep = design_of_rows(data, rows)
    return found, rows, design, data[outcome][rows][keep]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weighted_ols_hc2_is_statsmodels_on_the_expanded_rows(seed: int) -> None:
    data = distinct_rows(seed)
    found, rows, design, y = weighted_and_expanded(data, adjusted_mean_difference, "score")
    # Independent computation: statsmodels OLS with HC2 on every respondent's row.
    fit = sm.OLS(y, design).fit(cov_type="HC2", use_t=True)
    low, high = fit.conf_int(alpha=0.05)[1]
    effect = found.effect
    assert effect.estimate == pytest.approx(fit.params[1], rel=1e-9)
    assert effect.ci_low == pytest.approx(low, rel=1e-9)
    assert effect.ci_high == pytest.approx(high, rel=1e-9)
    assert effect.p_value == pytest.approx(fit.pvalues[1], rel=1e-9)
    assert effect.n == (int(design[:, 1].sum()), int((design[:, 1] == 0).sum()))
    assert found.columns == design.shape[1]
    assert found.dropped == rows.size - y.size > 0
    # And the row path (every count 1) gives the same Adjusted, notes included.
    by_rows = adjusted_mean_difference(
        data["score"][rows], data["post"][rows], covariates(data, rows)
    )
    assert_same_report(by_rows.effect, found.effect)
    assert (by_rows.columns, by_rows.dropped, by_rows.covariates) == (
        found.columns,
        found.dropped,
        found.covariates,
    )
    assert by_rows.per_parameter == pytest.approx(found.per_parameter, rel=1e-12)


def test_the_leverage_of_a_distinct_row_is_that_of_each_of_its_respondents() -> None:
    data = distinct_rows(4)
    rows = expanded(data)
    design, keep = design_of_rows(data, rows)
    y = data["score"][rows][keep]
    # The respondents as distinct rows (design row and score) with their counts.
    distinct, back = np.unique(np.column_stack([design, y]), axis=0, return_inverse=True)
    back = back.reshape(-1)
    weights = np.bincount(back).astype(float)
    assert distinct.shape[0] < y.size / 5
    _, _, residual, leverage = least_squares(distinct[:, :-1], distinct[:, -1], weights)
    # Independent computation: statsmodels' hat values and residuals of the expanded rows.
    fit = sm.OLS(y, design).fit()
    assert np.allclose(leverage[back], fit.get_influence().hat_matrix_diag, rtol=1e-9, atol=0)
    assert np.allclose(residual[back], fit.resid, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_weighted_logistic_ame_is_statsmodels_on_the_expanded_rows(seed: int) -> None:
    data = distinct_rows(seed)
    found, rows, design, y = weighted_and_expanded(data, adjusted_risk_difference, "right")
    # Independent computation: statsmodels Logit with the HC0 sandwich on every respondent's row,
    # and its average marginal effect of the wave (a discrete change, averaged over everyone).
    fit = sm.Logit(y, design).fit(cov_type="HC0", disp=0, tol=1e-12, maxiter=200)
    margins = fit.get_margeff(at="overall", dummy=True)
    estimate, se = float(margins.margeff[0]), float(margins.margeff_se[0])
    z = stats.norm.isf(0.025)
    effect = found.effect
    assert effect.estimate == pytest.approx(estimate, rel=1e-7)
    assert effect.ci_low == pytest.approx(estimate - z * se, rel=1e-7)
    assert effect.ci_high == pytest.approx(estimate + z * se, rel=1e-7)
    assert effect.p_value == pytest.approx(2 * stats.norm.sf(abs(estimate) / se), rel=1e-6)
    # The coefficients are those of statsmodels' GLM with frequency weights on the distinct rows.
    columns, kept, _ = design_matrix(covariates(data), counts=data["counts"])
    cells = np.column_stack([np.ones(int(kept.sum())), data["post"][kept], columns])
    glm = sm.GLM(
        data["right"][kept],
        cells,
        family=sm.families.Binomial(),
        freq_weights=data["counts"][kept],
    ).fit(tol=1e-12)
    assert np.allclose(glm.params, fit.params, rtol=1e-7)
    # The row path (every count 1) gives the same effect to 1e-9.
    by_rows = adjusted_risk_difference(
        data["right"][rows], data["post"][rows], covariates(data, rows)
    )
    assert_same_report(by_rows.effect, found.effect)
    assert by_rows.per_parameter == pytest.approx(found.per_parameter, rel=1e-12)


def frame_of_rows(data: dict[str, np.ndarray]) -> pd.DataFrame:
    rows = expanded(data)
    return pd.DataFrame(
        {
            "y": data["score"][rows],
            "g": data["group"][rows].astype(str),
            "post": data["post"][rows],
            "arm": data["arm"][rows],
            "c": data["cluster"][rows],
        }
    )


def test_weighted_interaction_test_hc2_is_statsmodels_on_the_expanded_rows() -> None:
    data = distinct_rows(6)
    found = interaction_test(data["score"], data["group"], [data["post"]], counts=data["counts"])
    contrasts = ", ".join(f"C(g)[0]:post = C(g)[{k}]:post" for k in (1, 2))
    # Independent computation: statsmodels OLS with a wave coefficient per group, HC2, Wald F.
    fit = smf.ols("y ~ 0 + C(g) + C(g):post", frame_of_rows(data)).fit(cov_type="HC2", use_t=True)
    expected = fit.wald_test(contrasts, use_f=True, scalar=True)
    assert found.statistic == pytest.approx(float(expected.statistic), rel=1e-9)
    assert found.p_value == pytest.approx(float(expected.pvalue), rel=1e-9)
    assert found.df == (2.0, float(expected.df_denom))


@pytest.mark.parametrize("clustered", [False, True])
def test_weighted_interaction_test_of_a_comparison_design_is_statsmodels_on_the_expanded_rows(
    clustered: bool,
) -> None:
    data = distinct_rows(7, m=160)
    terms = [data["post"], data["arm"], data["post"] * data["arm"]]
    found = interaction_test(
        data["score"],
        data["group"],
        terms,
        cluster=data["cluster"] if clustered else None,
        cov_type="HC1",
        counts=data["counts"],
    )
    frame = frame_of_rows(data)
    formula = "y ~ 0 + C(g) + C(g):post + C(g):arm + C(g):post:arm"
    did = ", ".join(f"C(g)[0]:post:arm = C(g)[{k}]:post:arm" for k in (1, 2))
    # Independent computation: statsmodels OLS, HC1 or cluster-robust (CR1), Wald F.
    if clustered:
        fit = smf.ols(formula, frame).fit(
            cov_type="cluster", cov_kwds={"groups": frame["c"]}, use_t=True
        )
    else:
        fit = smf.ols(formula, frame).fit(cov_type="HC1", use_t=True)
    expected = fit.wald_test(did, use_f=True, scalar=True)
    assert found.statistic == pytest.approx(float(expected.statistic), rel=1e-9)
    assert found.p_value == pytest.approx(float(expected.pvalue), rel=1e-8)
    assert found.df[1] == pytest.approx(float(expected.df_denom))


def test_balance_from_counts_is_the_balance_of_the_expanded_rows() -> None:
    data = distinct_rows(8)
    rows = expanded(data)
    after, before = data["post"] == 1, data["post"] == 0
    for covariate in covariates(data):
        found = covariate_balance(
            covariate.take(np.flatnonzero(after)),
            covariate.take(np.flatnonzero(before)),
            after_counts=data["counts"][after],
            before_counts=data["counts"][before],
        )
        row_after, row_before = rows[after[rows]], rows[before[rows]]
        expected = covariate_balance(covariate.take(row_after), covariate.take(row_before))
        assert np.array_equal(found[0], expected[0]) and np.array_equal(found[1], expected[1])
        assert found[2] == pytest.approx(expected[2], rel=1e-12)
    # Cohen's d of a numeric covariate, written out on the expanded rows (Austin 2009).
    age_after = data["age"][rows[after[rows]]]
    age_before = data["age"][rows[before[rows]]]
    a, b = age_after[~np.isnan(age_after)], age_before[~np.isnan(age_before)]
    d = (a.mean() - b.mean()) / math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    known_after = after & ~np.isnan(data["age"])
    known_before = before & ~np.isnan(data["age"])
    assert numeric_difference(
        Cells(data["age"][known_after], data["counts"][known_after]),
        Cells(data["age"][known_before], data["counts"][known_before]),
    ) == pytest.approx(d, rel=1e-12)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (np.array([1, 2, 3]), "one per row"),
        (np.array([1, 2, -1, 4, 5, 6]), "none negative"),
        (np.array([1, 2, 1.5, 4, 5, 6]), "whole numbers"),
        (np.array([1, 2, math.nan, 4, 5, 6]), "whole numbers"),
    ],
)
def test_counts_that_are_not_respondents_are_refused(counts: np.ndarray, message: str) -> None:
    y, post = np.array([1.0, 2, 3, 4, 5, 6]), np.array([0, 0, 0, 1, 1, 1])
    with pytest.raises(InvalidStatistics, match=message):
        adjusted_mean_difference(y, post, counts=counts)
    with pytest.raises(InvalidStatistics, match=message):
        interaction_test(y, np.array([0, 1] * 3), [post], counts=counts)


def test_a_wave_of_one_respondent_counted_twice_is_not_two_respondents() -> None:
    # Two distinct rows in the before wave are two respondents; one row counted 2 is also two, and
    # one row counted 1 is one: the check counts respondents, not cells.
    y, post = np.array([1.0, 2, 3, 4]), np.array([0, 1, 1, 1])
    with pytest.raises(InvalidStatistics, match="at least two respondents"):
        adjusted_mean_difference(y, post, counts=np.array([1, 1, 1, 1]))
    found = adjusted_mean_difference(y, post, counts=np.array([2, 1, 1, 1]))
    assert found.effect.n == (3, 2)
