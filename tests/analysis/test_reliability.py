"""Tests of survey.analysis.reliability against published numbers and slow, obviously correct
computations written out here."""

from __future__ import annotations

import contextlib
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from survey.analysis.reliability import cronbach_alpha, feldt_interval, item_analysis, kr20
from survey.errors import InvalidStatistics

# A small 0/1 test: 8 respondents, 5 items, no missing answers.
BINARY = [
    [1, 1, 1, 0, 1],
    [1, 1, 0, 0, 1],
    [1, 0, 1, 0, 0],
    [1, 1, 1, 1, 1],
    [0, 0, 1, 0, 0],
    [1, 1, 1, 0, 1],
    [1, 0, 0, 0, 1],
    [0, 0, 0, 0, 0],
]


def likert(seed: int, n: int = 60, k: int = 6) -> np.ndarray:
    """Correlated 1-5 answers: a common factor plus noise, rounded and clipped."""
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=(n, 1))
    return np.clip(np.rint(3 + factor + rng.normal(scale=0.9, size=(n, k))), 1, 5)


def slow_alpha(rows: list[list[float]]) -> float:
    """Alpha from the sample covariance matrix, written out with loops (Cronbach 1951):
    alpha = k/(k-1) * (1 - trace(C) / sum of all entries of C)."""
    n, k = len(rows), len(rows[0])
    means = [sum(r[j] for r in rows) / n for j in range(k)]

    def cov(a: int, b: int) -> float:
        return sum((r[a] - means[a]) * (r[b] - means[b]) for r in rows) / (n - 1)

    trace = sum(cov(j, j) for j in range(k))
    everything = sum(cov(a, b) for a in range(k) for b in range(k))
    return k / (k - 1) * (1 - trace / everything)


def hoyt_alpha(x: np.ndarray) -> float:
    """Hoyt's (1941) ANOVA estimate, which equals alpha: 1 - MS_residual / MS_persons from the
    persons x items two-way layout without replication."""
    n, k = x.shape
    grand = x.mean()
    ss_persons = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_items = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((x - grand) ** 2).sum()
    ms_persons = ss_persons / (n - 1)
    ms_residual = (ss_total - ss_persons - ss_items) / ((n - 1) * (k - 1))
    return 1 - ms_residual / ms_persons


# --- Feldt interval ---------------------------------------------------------------------------


def test_feldt_interval_matches_published_r_output() -> None:
    # Chris Evans's R function feldt1.return(0.913, 873, 20, 0.95), printed in the MRC CBU
    # statistics wiki (imaging.mrc-cbu.cam.ac.uk/statswiki/FAQ/cafun): 0.9044024 to 0.9211588.
    low, high = feldt_interval(0.913, 873, 20, confidence_level=0.95)
    assert low == pytest.approx(0.9044024, abs=5e-8)
    assert high == pytest.approx(0.9211588, abs=5e-8)


def test_feldt_interval_is_built_from_the_f_quantiles_the_right_way_round() -> None:
    # Feldt, Woodruff & Salih (1987) p. 95, formulas 6-7, as given in cocron's documentation:
    # L = 1 - (1 - a) F(1 - c/2), U = 1 - (1 - a) F(c/2), F with df n - 1 and (n - 1)(k - 1).
    # Their example: alpha .79, 26 items, 41 examinees, 90% interval.
    low, high = feldt_interval(0.79, 41, 26, confidence_level=0.90)
    f_upper_tail = stats.f.ppf(0.95, 40, 40 * 25)
    f_lower_tail = stats.f.ppf(0.05, 40, 40 * 25)
    assert low == pytest.approx(1 - 0.21 * f_upper_tail, abs=1e-12)
    assert high == pytest.approx(1 - 0.21 * f_lower_tail, abs=1e-12)
    assert low < 0.79 < high


def test_feldt_interval_narrows_with_more_rows_and_widens_with_confidence() -> None:
    small = feldt_interval(0.8, 30, 10)
    large = feldt_interval(0.8, 300, 10)
    assert large[1] - large[0] < small[1] - small[0]
    ninety = feldt_interval(0.8, 30, 10, confidence_level=0.90)
    assert ninety[1] - ninety[0] < small[1] - small[0]


def test_feldt_interval_refuses_fewer_than_two_rows_or_items() -> None:
    with pytest.raises(InvalidStatistics, match="at least 2 rows"):
        feldt_interval(0.8, 1, 10)
    with pytest.raises(InvalidStatistics, match="at least 2 rows"):
        feldt_interval(0.8, 10, 1)


# --- Cronbach's alpha -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_matches_the_covariance_matrix_formula(seed: int) -> None:
    x = likert(seed)
    effect = cronbach_alpha(x)
    assert effect.estimate == pytest.approx(slow_alpha(x.tolist()), rel=1e-12)


@pytest.mark.parametrize("seed", [4, 5])
def test_alpha_matches_hoyt_anova(seed: int) -> None:
    x = likert(seed, n=40, k=8)
    assert cronbach_alpha(x).estimate == pytest.approx(hoyt_alpha(x), rel=1e-12)


def test_alpha_result_carries_interval_sizes_and_method() -> None:
    x = likert(6, n=50, k=7)
    effect = cronbach_alpha(x, confidence_level=0.90)
    low, high = feldt_interval(slow_alpha(x.tolist()), 50, 7, confidence_level=0.90)
    assert (effect.ci_low, effect.ci_high) == pytest.approx((low, high), rel=1e-12)
    assert effect.n == (50, 7)
    assert effect.confidence_level == 0.90
    assert effect.method == "Feldt"
    assert effect.name == "cronbach_alpha"
    assert effect.p_value is None


def test_alpha_drops_rows_with_a_missing_answer() -> None:
    x = likert(7, n=30, k=5)
    holed = x.copy()
    holed[3, 1] = np.nan
    holed[10, 4] = np.nan
    holed[10, 0] = np.nan
    holed[25, 2] = np.nan
    kept = np.delete(x, [3, 10, 25], axis=0)
    effect = cronbach_alpha(holed)
    assert effect.n == (27, 5)
    assert effect.estimate == pytest.approx(slow_alpha(kept.tolist()), rel=1e-12)
    assert any("3 of 30 rows dropped" in note for note in effect.notes)


def test_alpha_of_uncorrelated_items_is_near_zero_and_can_be_negative() -> None:
    # Negatively related items give a negative alpha; the function reports it as it is.
    x = np.array([[1, 5], [2, 4], [3, 3], [4, 1], [5, 2]], dtype=float)
    effect = cronbach_alpha(x)
    assert effect.estimate == pytest.approx(slow_alpha(x.tolist()))
    assert effect.estimate < 0
    assert effect.ci_low < effect.estimate < effect.ci_high


# --- KR-20 ------------------------------------------------------------------------------------


def test_kr20_matches_a_hand_computation_in_exact_fractions() -> None:
    # Kuder & Richardson (1937) formula 20: k/(k-1) * (1 - sum p q / var(X)), var(X) with
    # divisor n, the same as p q. Computed here in exact rational arithmetic.
    n, k = len(BINARY), len(BINARY[0])
    p = [Fraction(sum(row[j] for row in BINARY), n) for j in range(k)]
    sum_pq = sum(pj * (1 - pj) for pj in p)
    totals = [sum(row) for row in BINARY]
    mean_total = Fraction(sum(totals), n)
    var_total = sum((t - mean_total) ** 2 for t in totals) / n
    expected = Fraction(k, k - 1) * (1 - sum_pq / var_total)
    # By hand: p = 6/8, 4/8, 5/8, 1/8, 5/8, so sum p q = (12 + 16 + 15 + 7 + 15) / 64 = 65/64;
    # totals 4, 3, 2, 5, 1, 4, 2, 0: mean 21/8, var = 75/8 - (21/8)**2 = 159/64.
    assert expected == Fraction(5, 4) * (1 - Fraction(65, 64) / Fraction(159, 64))
    effect = kr20(BINARY)
    assert effect.estimate == pytest.approx(float(expected), rel=1e-12)
    assert effect.name == "kr20"
    assert effect.n == (8, 5)


def test_kr20_equals_alpha_on_binary_items() -> None:
    rng = np.random.default_rng(8)
    ability = rng.normal(size=(80, 1))
    x = (ability + rng.normal(size=(80, 10)) > 0).astype(float)
    assert kr20(x).estimate == pytest.approx(cronbach_alpha(x).estimate, rel=1e-12)


def test_kr20_refuses_items_not_scored_zero_one() -> None:
    with pytest.raises(InvalidStatistics, match="0 or 1"):
        kr20([[1, 0, 2], [0, 1, 1]])
    with pytest.raises(InvalidStatistics, match="0 or 1"):
        kr20([[1, 0, 0.5], [0, 1, 1]])


def test_kr20_accepts_missing_answers_and_drops_the_rows() -> None:
    x = np.array(BINARY, dtype=float)
    x[2, 3] = np.nan
    effect = kr20(x)
    assert effect.n == (7, 5)
    assert effect.estimate == pytest.approx(slow_alpha(np.delete(x, 2, axis=0).tolist()))


# --- degenerate input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "matrix, message",
    [
        ([1, 2, 3], "2 dimensions"),
        ([[[1, 2], [3, 4]]], "2 dimensions"),
        ([[1], [2], [3]], "at least 2 items"),
        ([[1, 2], [2, "x"]], "not numeric"),
        ([[1, 2], [2, math.inf]], "infinite"),
    ],
)
def test_structurally_invalid_matrices_raise(matrix: object, message: str) -> None:
    with pytest.raises(InvalidStatistics, match=message):
        cronbach_alpha(matrix)  # type: ignore[arg-type]


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, math.nan])
def test_confidence_level_out_of_range_raises(level: float) -> None:
    with pytest.raises(InvalidStatistics, match="confidence_level"):
        cronbach_alpha(likert(9), confidence_level=level)


def test_fewer_than_two_complete_rows_gives_nan_with_a_note() -> None:
    effect = cronbach_alpha([[1, 2, 3], [2, np.nan, 4], [np.nan, 1, 1]])
    assert math.isnan(effect.estimate) and math.isnan(effect.ci_low) and math.isnan(effect.ci_high)
    assert effect.n == (1, 3)
    assert any("at least 2 complete rows" in note for note in effect.notes)


def test_zero_total_variance_gives_nan_with_a_note() -> None:
    effect = cronbach_alpha([[3, 3, 3], [3, 3, 3], [3, 3, 3]])
    assert math.isnan(effect.estimate)
    assert any("no variance" in note for note in effect.notes)
    # Items that vary but cancel out in the total: alpha would be minus infinity.
    effect = cronbach_alpha([[1, 4], [2, 3], [3, 2], [4, 1]])
    assert math.isnan(effect.estimate)
    assert any("no variance" in note for note in effect.notes)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5),
        elements=st.one_of(
            st.sampled_from([0.0, 1.0, math.nan, math.inf]),
            st.floats(-10, 10, allow_nan=False),
        ),
    )
)
def test_any_array_either_works_or_raises_invalid_statistics(x: np.ndarray) -> None:
    for function in (cronbach_alpha, kr20, item_analysis):
        with contextlib.suppress(InvalidStatistics):
            function(x)


# --- properties -------------------------------------------------------------------------------

likert_matrices = hnp.arrays(
    np.float64,
    st.tuples(st.integers(3, 25), st.integers(2, 6)),
    elements=st.integers(1, 5).map(float),
)


@settings(max_examples=60, deadline=None)
@given(likert_matrices)
def test_alpha_never_exceeds_one_and_the_interval_holds_the_estimate(x: np.ndarray) -> None:
    effect = cronbach_alpha(x)
    if math.isnan(effect.estimate):
        return
    assert effect.estimate <= 1 + 1e-12
    assert effect.ci_low <= effect.estimate + 1e-12
    assert effect.estimate <= effect.ci_high + 1e-12


@settings(max_examples=60, deadline=None)
@given(likert_matrices, st.integers(0, 5), st.integers(-10, 10))
def test_adding_a_constant_to_an_item_leaves_alpha_unchanged(
    x: np.ndarray, column: int, shift: int
) -> None:
    shifted = x.copy()
    shifted[:, column % x.shape[1]] += shift
    before, after = cronbach_alpha(x).estimate, cronbach_alpha(shifted).estimate
    assert before == pytest.approx(after, rel=1e-9, abs=1e-9, nan_ok=True)


@settings(max_examples=40, deadline=None)
@given(likert_matrices, st.randoms(use_true_random=False))
def test_alpha_ignores_the_order_of_items_and_rows(x: np.ndarray, random: object) -> None:
    columns = list(range(x.shape[1]))
    rows = list(range(x.shape[0]))
    random.shuffle(columns)  # type: ignore[attr-defined]
    random.shuffle(rows)  # type: ignore[attr-defined]
    before = cronbach_alpha(x).estimate
    after = cronbach_alpha(x[np.ix_(rows, columns)]).estimate
    assert before == pytest.approx(after, rel=1e-9, abs=1e-9, nan_ok=True)


# --- item analysis ----------------------------------------------------------------------------


def test_item_statistics_match_independent_computations() -> None:
    x = np.array(BINARY, dtype=float)
    result = item_analysis(x, item_keys=["q1", "q2", "q3", "q4", "q5"])
    assert [item.key for item in result.items] == ["q1", "q2", "q3", "q4", "q5"]
    for j, item in enumerate(result.items):
        column = [row[j] for row in BINARY]
        rest = [sum(row) - row[j] for row in BINARY]
        # Share correct, counted.
        assert item.difficulty == pytest.approx(column.count(1) / len(column))
        # Point-biserial of the item with the rest score, by scipy.
        assert item.item_rest_correlation == pytest.approx(
            stats.pointbiserialr(column, rest).statistic, rel=1e-10
        )
        others = [[v for i, v in enumerate(row) if i != j] for row in BINARY]
        assert item.alpha_if_deleted == pytest.approx(slow_alpha(others), rel=1e-10)
        assert item.binary
        assert item.n == 8
    assert result.alpha.estimate == pytest.approx(slow_alpha(BINARY))
    assert result.n_used == 8 and result.n_dropped == 0


def test_item_rest_correlation_of_scale_items_matches_pearson() -> None:
    x = likert(10, n=45, k=5)
    result = item_analysis(x)
    assert [item.key for item in result.items] == [f"item_{j}" for j in range(1, 6)]
    for j, item in enumerate(result.items):
        rest = x.sum(axis=1) - x[:, j]
        assert item.item_rest_correlation == pytest.approx(
            stats.pearsonr(x[:, j], rest).statistic, rel=1e-10
        )
        assert item.difficulty == pytest.approx(sum(x[:, j]) / 45)
        assert not item.binary
        # Mean scores of a 1-5 scale are not difficulties: no easy/hard flags.
        assert "too_easy" not in item.flags and "too_hard" not in item.flags


def test_flags_follow_the_thresholds() -> None:
    rng = np.random.default_rng(11)
    ability = rng.normal(size=200)
    good = np.column_stack([(ability + rng.normal(size=200) > 0) for _ in range(4)])
    easy = (ability + rng.normal(size=200) > -2.0)[:, None]  # nearly everyone right
    hard = (ability + rng.normal(size=200) > 2.3)[:, None]  # nearly everyone wrong
    reversed_item = (ability + rng.normal(size=200) < 0)[:, None]  # keyed the wrong way
    x = np.hstack([good, easy, hard, reversed_item]).astype(float)
    result = item_analysis(x, item_keys=["g1", "g2", "g3", "g4", "easy", "hard", "reversed"])
    flags = {item.key: item.flags for item in result.items}
    share = {item.key: x[:, j].mean() for j, item in enumerate(result.items)}
    assert share["easy"] > 0.9 and share["hard"] < 0.2  # the construction worked
    assert "too_easy" in flags["easy"]
    assert "too_hard" in flags["hard"]
    assert "low_discrimination" in flags["reversed"]
    for key in ("g1", "g2", "g3", "g4"):
        assert flags[key] == ()
    # Moving a threshold moves the flag.
    relaxed = item_analysis(x, too_easy=0.99, too_hard=0.01, min_discrimination=-1.0)
    assert all(item.flags == () for item in relaxed.items)


def test_an_item_without_variance_is_flagged_and_has_nan_correlation() -> None:
    x = np.array(BINARY, dtype=float)
    x[:, 0] = 1.0
    item = item_analysis(x).items[0]
    assert math.isnan(item.item_rest_correlation)
    assert set(item.flags) == {"too_easy", "low_discrimination"}


def test_item_analysis_with_two_items_has_no_alpha_if_deleted() -> None:
    result = item_analysis([[1, 1], [0, 1], [1, 0], [0, 0], [1, 1]])
    assert all(math.isnan(item.alpha_if_deleted) for item in result.items)
    assert any("2 items" in note for note in result.notes)


def test_item_analysis_drops_incomplete_rows() -> None:
    x = likert(12, n=20, k=4)
    x[5, 2] = np.nan
    result = item_analysis(x)
    assert (result.n_used, result.n_dropped) == (19, 1)
    assert result.items[0].difficulty == pytest.approx(np.delete(x, 5, axis=0)[:, 0].mean())


def test_item_analysis_with_too_few_rows_is_nan_without_flags() -> None:
    result = item_analysis([[1, 0, 1], [np.nan, 1, 1]])
    assert result.n_used == 1
    assert all(math.isnan(item.item_rest_correlation) for item in result.items)
    assert all(item.flags == () for item in result.items)
    assert result.notes


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"item_keys": ["a", "b"]}, "2 names for 3 items"),
        ({"item_keys": ["a", "b", "a"]}, "duplicated"),
        ({"too_easy": 0.2, "too_hard": 0.5}, "too_hard"),
        ({"too_easy": 1.5}, "too_hard"),
        ({"min_discrimination": 2.0}, "min_discrimination"),
    ],
)
def test_item_analysis_refuses_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidStatistics, match=message):
        item_analysis([[1, 0, 1], [0, 1, 1], [1, 1, 1]], **kwargs)
