"""Tests for survey.analysis.effects.

Expected numbers come from publications (tests/analysis/reference/effect_sizes.json and
effects.json, each case citing its source; README.md there lists them) or from slow, from-scratch
computations written here: bisection on scipy.stats.nct for noncentral-t limits, the Wilson quadratic,
pair counting for the probability of superiority, cell means and hand-built sandwich estimators for
difference in differences.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from survey.analysis import effects as ef
from survey.analysis.results import Effect
from survey.errors import InvalidStatistics

PUBLISHED_REFERENCE = Path(__file__).resolve().parent / "reference/effect_sizes.json"
LOCAL_REFERENCE = Path(__file__).resolve().parent / "reference/effects.json"
Z95 = stats.norm.isf(0.025)


@pytest.fixture(scope="module")
def shared() -> dict:
    return json.loads(PUBLISHED_REFERENCE.read_text())


@pytest.fixture(scope="module")
def local() -> dict:
    return json.loads(LOCAL_REFERENCE.read_text())


# ----------------------------------------------------------------------- independent computations


def nct_limits_bisection(t: float, df: float, level: float = 0.95) -> tuple[float, float]:
    """Noncentrality limits by plain bisection on scipy.stats.nct.sf (moderate |t| only).

    P(T > t | λ) increases with λ: the lower limit has it at α/2, the upper at 1 − α/2.
    """
    alpha = 1 - level
    width = 10 * math.sqrt(1 + t * t / (2 * df)) + 10

    def solve(target: float) -> float:
        low, high = t - width, t + width
        for _ in range(100):
            mid = (low + high) / 2
            if stats.nct.sf(t, df, mid) < target:
                low = mid
            else:
                high = mid
        return (low + high) / 2

    return solve(alpha / 2), solve(1 - alpha / 2)


def wilson_quadratic(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson limits as the roots in p of (k/n − p)² = z²·p(1 − p)/n."""
    phat = k / n
    qa = 1 + z * z / n
    qb = -(2 * phat + z * z / n)
    qc = phat * phat
    root = math.sqrt(max(qb * qb - 4 * qa * qc, 0.0))
    return (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)


def newcombe_independent(
    k_a: int, n_a: int, k_b: int, n_b: int, z: float = Z95
) -> tuple[float, float]:
    """Newcombe (1998) method 10 written out from the paper."""
    p1, p2 = k_a / n_a, k_b / n_b
    l1, u1 = wilson_quadratic(k_a, n_a, z)
    l2, u2 = wilson_quadratic(k_b, n_b, z)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt(
        (u1 - p1) ** 2 + (p2 - l2) ** 2
    )


def newcombe_paired(a: int, b: int, c: int, d: int, z: float = Z95) -> tuple[float, float]:
    """Newcombe (1998b) method 10 from the paper; a both, b first only, c second only, d neither."""
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson_quadratic(a + b, n, z)
    l2, u2 = wilson_quadratic(a + c, n, z)
    denominator = (a + b) * (c + d) * (a + c) * (b + d)
    numerator = a * d - b * c
    if numerator > 0:
        numerator = max(numerator - n / 2, 0)
    phi = numerator / math.sqrt(denominator) if denominator else 0.0
    diff = (b - c) / n
    low = diff - math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    return low, high


def p_where_the_limit_reaches_zero(limits, estimate: float) -> float:
    """2Φ(−z) for the z at which the interval's limit nearer 0 is 0, by plain bisection on z."""
    if estimate == 0:
        return 1.0
    low, high = 0.0, 40.0
    for _ in range(200):
        mid = (low + high) / 2
        lower, upper = limits(mid)
        excludes = lower > 0 if estimate > 0 else upper < 0
        low, high = (mid, high) if excludes else (low, mid)
    return float(2 * stats.norm.sf((low + high) / 2))


def pooled_sd(a: np.ndarray, b: np.ndarray) -> float:
    ss = np.sum((a - a.mean()) ** 2) + np.sum((b - b.mean()) ** 2)
    return math.sqrt(ss / (a.size + b.size - 2))


def standardized(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std(ddof=1)


def lakens() -> tuple[np.ndarray, np.ndarray]:
    movie_1 = np.array([9, 7, 8, 9, 8, 9, 9, 10, 9, 9], dtype=float)
    movie_2 = np.array([9, 6, 7, 8, 7, 9, 8, 8, 8, 7], dtype=float)
    return movie_1, movie_2


def assert_close(actual: float, expected: float, tol: float, what: str = "") -> None:
    assert abs(actual - expected) <= tol, f"{what}: got {actual}, expected {expected} ± {tol}"


def has_nan(effect: Effect) -> bool:
    values = [effect.estimate, effect.ci_low, effect.ci_high]
    if effect.p_value is not None:
        values.append(effect.p_value)
    return any(math.isnan(v) for v in values)


# ------------------------------------------------------------------- published: shared reference


def test_lakens_independent(shared: dict) -> None:
    """Lakens (2013) movie example, independent groups: t, d_s with its CI, g_s."""
    case = shared["lakens_2013_movies"]
    tol = case["precision"]
    a, b = np.array(case["movie_1"], float), np.array(case["movie_2"], float)
    expected = case["independent"]
    d = ef.cohens_d(a, b)
    assert_close(d.estimate, expected["d_s"], tol, "d_s")
    assert_close(d.ci_low, expected["d_s_ci95"][0], tol, "d_s lower")
    assert_close(d.ci_high, expected["d_s_ci95"][1], tol, "d_s upper")
    # The p-value is the Student t test: recover its t at the published df.
    assert_close(stats.t.isf(d.p_value / 2, expected["df"]), expected["t"], tol, "t")
    g = ef.hedges_g(a, b)
    assert_close(g.estimate, expected["g_s"], tol, "g_s")


def test_lakens_paired(shared: dict) -> None:
    """Lakens (2013) movie example, paired: t(9), d_z and the d_av interval.

    The published d_av interval [0.42, 1.80] is Algina & Keselman's for the root-mean-square standardiser
    (d_rms), which reproduces it at rounding; d_av by the same method differs by under one unit of the
    published precision (upper limit 1.8085), see paired_d's docstring.
    """
    case = shared["lakens_2013_movies"]
    tol = case["precision"]
    a, b = np.array(case["movie_1"], float), np.array(case["movie_2"], float)
    expected = case["paired"]
    dz = ef.paired_d(a, b, "z")
    assert_close(dz.estimate, expected["d_z"], tol / 2, "d_z")
    assert_close(stats.t.isf(dz.p_value / 2, expected["df"]), expected["t"], tol / 2, "t")
    rms = ef.paired_d(a, b, "rms")
    assert round(rms.ci_low, 2) == expected["d_av_ci95"][0]
    assert round(rms.ci_high, 2) == expected["d_av_ci95"][1]
    av = ef.paired_d(a, b, "av")
    assert_close(av.ci_low, expected["d_av_ci95"][0], tol, "d_av lower")
    assert_close(av.ci_high, expected["d_av_ci95"][1], tol, "d_av upper")


def test_newcombe_independent(shared: dict) -> None:
    """Newcombe (1998) Table II, method 10, including 5/56 − 0/29."""
    ref = shared["newcombe_1998_independent"]
    for case in ref["cases"]:
        e = ef.risk_difference(case["k_a"], case["n_a"], case["k_b"], case["n_b"])
        assert_close(e.ci_low, case["ci95"][0], ref["precision"] / 2, f"{case} lower")
        assert_close(e.ci_high, case["ci95"][1], ref["precision"] / 2, f"{case} upper")
        assert e.estimate == pytest.approx(case["k_a"] / case["n_a"] - case["k_b"] / case["n_b"])


def test_newcombe_paired(shared: dict) -> None:
    """Newcombe (1998b) Table III, method 10.

    The reference lists cells as [both, first only, second only, neither] with difference first − second;
    with first = after that is table [[a1b1, a1b0], [a0b1, a0b0]] = [[both, first only], [second only,
    neither]].
    """
    ref = shared["newcombe_1998_paired"]
    for case in ref["cases"]:
        both, first_only, second_only, neither = case["cells"]
        e = ef.paired_risk_difference([[both, first_only], [second_only, neither]])
        n = sum(case["cells"])
        assert e.estimate == pytest.approx((first_only - second_only) / n)
        assert e.n == (n,)
        assert_close(e.ci_low, case["ci95"][0], ref["precision"] / 2, f"{case} lower")
        assert_close(e.ci_high, case["ci95"][1], ref["precision"] / 2, f"{case} upper")


# ---------------------------------------------------------------- published: local reference file


def test_wilson_oracle_matches_newcombe_single_proportion(local: dict) -> None:
    """Our test oracle for Wilson limits reproduces Newcombe (1998, Stat Med 17:857) Table I."""
    ref = local["wilson_single_proportion"]
    for case in ref["cases"]:
        low, high = wilson_quadratic(case["k"], case["n"])
        assert_close(low, case["ci95"][0], ref["precision"] / 2, f"{case} lower")
        assert_close(high, case["ci95"][1], ref["precision"] / 2, f"{case} upper")


def test_brunner_munzel_pain_example(local: dict) -> None:
    """Brunner & Munzel (2000) pain scores, as in scipy's and lawstat's documentation."""
    ref = local["brunner_munzel_2000_pain"]
    x1, x2 = ref["x1"], ref["x2"]
    # lawstat estimates P(X1 < X2) + ½P(X1 = X2): that is our P(A > B) + ½P(A = B) with A = x2.
    e = ef.prob_superiority(x2, x1)
    tol = ref["precision"] / 2
    assert_close(e.estimate, ref["estimate"], tol, "estimate")
    assert_close(e.ci_low, ref["ci95"][0], tol, "lower")
    assert_close(e.ci_high, ref["ci95"][1], tol, "upper")
    assert e.p_value == pytest.approx(ref["p_value"], rel=1e-9)
    # The interval's standard error is the one behind the published statistic.
    se = (e.ci_high - e.estimate) / stats.t.isf(0.025, _bm_df(x2, x1))
    assert (e.estimate - 0.5) / se == pytest.approx(ref["statistic"], rel=1e-9)


def test_hedges_j_closed_forms(local: dict) -> None:
    """g/d is the exact J(df), checked where J has a closed form (df = n_a + n_b − 2)."""
    ref = local["hedges_j_closed_form"]
    for case in ref["cases"]:
        df = case["df"]
        a, b = np.array([0.0, 1.0]), np.array([5.0, 2.0, 4.0, 7.0][:df])
        ratio = ef.hedges_g(a, b).estimate / ef.cohens_d(a, b).estimate
        assert_close(ratio, case["j"], ref["precision"], f"J({df})")


# --------------------------------------------------------------- slow independent computations


SAMPLES = [
    (np.array([3.1, 4.5, 2.2, 5.0, 4.4]), np.array([2.0, 2.5, 3.9, 1.1, 2.8, 3.3])),
    (np.array([1.0, 2.0, 2.0, 3.0, 5.0, 4.0, 4.0]), np.array([2.0, 3.0, 3.0, 4.0])),
    (np.array([10.0, 12.5, 9.0]), np.array([11.0, 15.0, 13.5, 14.0, 12.0])),
    (np.random.default_rng(7).normal(0.3, 1.0, 40), np.random.default_rng(8).normal(0.0, 1.5, 25)),
]


@pytest.mark.parametrize(("a", "b"), SAMPLES)
def test_cohens_d_and_hedges_g_match_bisection(a: np.ndarray, b: np.ndarray) -> None:
    d = (a.mean() - b.mean()) / pooled_sd(a, b)
    scale = math.sqrt(1 / a.size + 1 / b.size)
    df = a.size + b.size - 2
    low, high = nct_limits_bisection(d / scale, df)
    e = ef.cohens_d(a, b)
    assert e.estimate == pytest.approx(d, rel=1e-12)
    assert e.ci_low == pytest.approx(low * scale, abs=1e-7)
    assert e.ci_high == pytest.approx(high * scale, abs=1e-7)
    assert e.p_value == pytest.approx(stats.ttest_ind(a, b).pvalue, rel=1e-9)
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    g = ef.hedges_g(a, b)
    assert (g.estimate, g.ci_low, g.ci_high) == pytest.approx(
        (d * j, low * scale * j, high * scale * j), abs=1e-7
    )


@pytest.mark.parametrize(("a", "b"), SAMPLES)
def test_glass_delta_matches_algina_keselman_penfield(a: np.ndarray, b: np.ndarray) -> None:
    sd_a, sd_b = a.std(ddof=1), b.std(ddof=1)
    delta = (a.mean() - b.mean()) / sd_b
    scale = math.sqrt(1 / b.size + sd_a**2 / (sd_b**2 * a.size))
    low, high = nct_limits_bisection(delta / scale, b.size - 1)
    e = ef.glass_delta(a, b)
    assert e.estimate == pytest.approx(delta, rel=1e-12)
    assert (e.ci_low, e.ci_high) == pytest.approx((low * scale, high * scale), abs=1e-7)
    # The test this interval inverts: Welch's statistic against t with n_b - 1 df.
    welch = stats.ttest_ind(a, b, equal_var=False).statistic
    assert welch == pytest.approx(delta / scale, rel=1e-12)
    assert e.p_value == pytest.approx(2 * stats.t.sf(abs(welch), b.size - 1), rel=1e-9)


@pytest.mark.parametrize(("a", "b"), SAMPLES)
def test_welch_type_d_and_g_match_bisection(a: np.ndarray, b: np.ndarray) -> None:
    # Algina, Keselman & Penfield's (2006) construction on Welch's statistic, written out here.
    var_a, var_b = a.var(ddof=1), b.var(ddof=1)
    se = math.sqrt(var_a / a.size + var_b / b.size)
    df = (var_a / a.size + var_b / b.size) ** 2 / (
        (var_a / a.size) ** 2 / (a.size - 1) + (var_b / b.size) ** 2 / (b.size - 1)
    )
    sp = pooled_sd(a, b)
    low, high = nct_limits_bisection((a.mean() - b.mean()) / se, df)
    e = ef.cohens_d(a, b, equal_var=False)
    assert e.method == "noncentral t (welch)"
    assert e.estimate == pytest.approx((a.mean() - b.mean()) / sp, rel=1e-12)
    assert (e.ci_low, e.ci_high) == pytest.approx((low * se / sp, high * se / sp), abs=1e-7)
    assert e.p_value == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue, rel=1e-9)
    n_df = a.size + b.size - 2
    j = math.gamma(n_df / 2) / (math.sqrt(n_df / 2) * math.gamma((n_df - 1) / 2))
    g = ef.hedges_g(a, b, equal_var=False)
    assert (g.estimate, g.ci_low, g.ci_high) == pytest.approx(
        (e.estimate * j, e.ci_low * j, e.ci_high * j), rel=1e-12
    )
    assert g.p_value == e.p_value


def test_glass_delta_uses_the_second_groups_sd() -> None:
    a, b = np.array([1.0, 5.0, 9.0]), np.array([0.0, 1.0, 2.0])
    assert ef.glass_delta(a, b).estimate == pytest.approx((5.0 - 1.0) / 1.0)


@pytest.mark.parametrize("level", [0.95, 0.90])
def test_paired_d_matches_bisection(level: float) -> None:
    after, before = lakens()
    diff = after - before
    n = diff.size
    t = diff.mean() / (diff.std(ddof=1) / math.sqrt(n))
    low, high = nct_limits_bisection(t, n - 1, level)
    dz = ef.paired_d(after, before, "z", confidence_level=level)
    assert dz.confidence_level == level
    assert (dz.ci_low, dz.ci_high) == pytest.approx(
        (low / math.sqrt(n), high / math.sqrt(n)), abs=1e-7
    )
    s_av = (after.std(ddof=1) + before.std(ddof=1)) / 2
    factor = diff.std(ddof=1) / (math.sqrt(n) * s_av)
    av = ef.paired_d(after, before, "av", confidence_level=level)
    assert av.estimate == pytest.approx(diff.mean() / s_av)
    assert (av.ci_low, av.ci_high) == pytest.approx((low * factor, high * factor), abs=1e-7)
    assert av.p_value == pytest.approx(stats.ttest_rel(after, before).pvalue, rel=1e-9)


@pytest.mark.parametrize(("a", "b"), SAMPLES)
def test_welch_mean_difference_matches_scipy(a: np.ndarray, b: np.ndarray) -> None:
    result = stats.ttest_ind(a, b, equal_var=False)
    ci = result.confidence_interval(0.95)
    e = ef.mean_difference(a, b)
    assert e.method == "welch"
    assert e.estimate == pytest.approx(a.mean() - b.mean())
    assert (e.ci_low, e.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert e.p_value == pytest.approx(result.pvalue, rel=1e-10)


def test_paired_mean_difference_matches_scipy() -> None:
    after, before = lakens()
    result = stats.ttest_rel(after, before)
    ci = result.confidence_interval(0.90)
    e = ef.mean_difference(after, before, paired=True, confidence_level=0.90)
    assert (e.method, e.n) == ("paired t", (10,))
    assert (e.estimate, e.ci_low, e.ci_high) == pytest.approx((1.0, ci.low, ci.high), rel=1e-10)


@pytest.mark.parametrize(
    ("k_a", "n_a", "k_b", "n_b"),
    [
        (0, 10, 0, 20),
        (0, 10, 0, 10),
        (10, 10, 0, 20),
        (10, 10, 0, 10),
        (0, 15, 15, 15),
        (3, 3, 3, 3),
        (1, 2, 0, 1),
        (37, 120, 52, 130),
    ],
)
def test_risk_difference_matches_wilson_from_scratch(
    k_a: int, n_a: int, k_b: int, n_b: int
) -> None:
    low, high = newcombe_independent(k_a, n_a, k_b, n_b)
    e = ef.risk_difference(k_a, n_a, k_b, n_b)
    assert (e.ci_low, e.ci_high) == pytest.approx((low, high), abs=1e-12)
    assert -1 <= e.ci_low <= e.estimate <= e.ci_high <= 1
    expected_p = p_where_the_limit_reaches_zero(
        lambda z: newcombe_independent(k_a, n_a, k_b, n_b, z), e.estimate
    )
    assert e.p_value == pytest.approx(expected_p, rel=1e-9, abs=1e-300)


@given(
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 40),
)
@settings(max_examples=60, deadline=None)
def test_paired_risk_difference_matches_formula(a: int, b: int, c: int, d: int) -> None:
    if a + b + c + d == 0:
        with pytest.raises(InvalidStatistics):
            ef.paired_risk_difference([[a, b], [c, d]])
        return
    low, high = newcombe_paired(a, b, c, d)
    e = ef.paired_risk_difference([[a, b], [c, d]])
    assert (e.ci_low, e.ci_high) == pytest.approx((low, high), abs=1e-12)
    assert -1 <= e.ci_low <= e.estimate <= e.ci_high <= 1
    expected_p = p_where_the_limit_reaches_zero(
        lambda z: newcombe_paired(a, b, c, d, z), e.estimate
    )
    assert e.p_value == pytest.approx(expected_p, rel=1e-9, abs=1e-300)


def test_odds_ratio_woolf_by_hand() -> None:
    e = ef.odds_ratio(30, 50, 20, 60)
    log_or = math.log((30 * 40) / (20 * 20))
    se = math.sqrt(1 / 30 + 1 / 20 + 1 / 20 + 1 / 40)
    assert e.estimate == pytest.approx(math.exp(log_or))
    assert (e.ci_low, e.ci_high) == pytest.approx(
        (math.exp(log_or - Z95 * se), math.exp(log_or + Z95 * se))
    )
    assert e.notes == ()


def test_cohens_h_by_hand() -> None:
    e = ef.cohens_h(30, 50, 20, 60)
    h = 2 * math.asin(math.sqrt(0.6)) - 2 * math.asin(math.sqrt(1 / 3))
    se = math.sqrt(1 / 50 + 1 / 60)
    assert (e.estimate, e.ci_low, e.ci_high) == pytest.approx((h, h - Z95 * se, h + Z95 * se))
    assert e.p_value == pytest.approx(2 * stats.norm.sf(h / se))


def _bm_df(a: list | np.ndarray, b: list | np.ndarray) -> float:
    """Brunner–Munzel variance pieces from ranks, as in their paper (not from placements)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    ranks = stats.rankdata(np.concatenate([a, b]))
    r_a, r_b = ranks[: a.size], ranks[a.size :]
    s_a = np.sum((r_a - stats.rankdata(a) - r_a.mean() + (a.size + 1) / 2) ** 2) / (a.size - 1)
    s_b = np.sum((r_b - stats.rankdata(b) - r_b.mean() + (b.size + 1) / 2) ** 2) / (b.size - 1)
    v_a, v_b = s_a / (a.size * b.size**2), s_b / (b.size * a.size**2)
    return (v_a + v_b) ** 2 / (v_a**2 / (a.size - 1) + v_b**2 / (b.size - 1))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 2, 2, 3, 3, 3, 4, 5], [1, 1, 2, 2, 3, 4]),
        ([5, 4, 4, 3, 5, 2, 1, 5, 4], [3, 3, 2, 2, 1, 4, 3, 2]),
        *SAMPLES,
    ],
)
def test_prob_superiority_counts_pairs_and_uses_rank_variance(a: list, b: list) -> None:
    a, b = np.asarray(a, float), np.asarray(b, float)
    wins = (a[:, None] > b[None, :]).mean() + 0.5 * (a[:, None] == b[None, :]).mean()
    ranks = stats.rankdata(np.concatenate([a, b]))
    r_a, r_b = ranks[: a.size], ranks[a.size :]
    s_a = np.sum((r_a - stats.rankdata(a) - r_a.mean() + (a.size + 1) / 2) ** 2) / (a.size - 1)
    s_b = np.sum((r_b - stats.rankdata(b) - r_b.mean() + (b.size + 1) / 2) ** 2) / (b.size - 1)
    se = math.sqrt(s_a / (a.size * b.size**2) + s_b / (b.size * a.size**2))
    half = stats.t.isf(0.025, _bm_df(a, b)) * se
    e = ef.prob_superiority(a, b)
    assert e.estimate == pytest.approx(wins, abs=1e-12)
    assert (e.ci_low, e.ci_high) == pytest.approx(
        (max(0.0, wins - half), min(1.0, wins + half)), abs=1e-10
    )
    assert e.p_value == pytest.approx(stats.brunnermunzel(a, b).pvalue, rel=1e-9)


def test_prob_superiority_warns_below_ten_per_group() -> None:
    """Neubert & Brunner (2007): under about ten per group the Brunner-Munzel t approximation can be
    inaccurate; the docstring's warning travels with the effect."""
    few, enough = [1, 2, 2, 3, 4, 4, 5, 3, 2], [1, 2, 3, 3, 4, 5, 2, 3, 4, 1]
    assert any("permutation" in note for note in ef.prob_superiority(few, enough).notes)
    assert any("permutation" in note for note in ef.prob_superiority(enough, few).notes)
    assert not any("permutation" in n for n in ef.prob_superiority(enough, enough[::-1]).notes)


# ------------------------------------------------------------------ difference in differences


def _did_data(seed: int = 3, clusters: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 160
    treated = np.repeat([1, 0], n // 2)
    post = np.tile([0, 1], n // 2)
    cluster = np.arange(n) % clusters + 100 * treated if clusters else None
    shock = rng.normal(0, 0.7, 1000)[cluster] if clusters else 0.0
    y = 2 + 0.3 * post + 0.5 * treated + 0.8 * post * treated + shock
    y = y + rng.normal(0, 1 + treated, n)  # unequal variances: HC1 matters
    return {"y": y, "post": post, "treated": treated, "cluster": cluster}


def _cell(data: dict[str, np.ndarray], treated: int, post: int) -> np.ndarray:
    return (data["treated"] == treated) & (data["post"] == post)


def hand_hc1(data: dict[str, np.ndarray]) -> tuple[float, float]:
    """The DiD as the difference of the four cell means, and its HC1 standard error: HC0 for a
    saturated cell-means model is Σ_cells Σ e²/n_c² on the ±1 contrast; HC1 scales it by N/(N−4)."""
    y = data["y"]
    means = {(t, p): y[_cell(data, t, p)].mean() for t in (0, 1) for p in (0, 1)}
    did = (means[1, 1] - means[1, 0]) - (means[0, 1] - means[0, 0])
    hc0 = sum(
        np.sum((y[_cell(data, t, p)] - means[t, p]) ** 2) / np.sum(_cell(data, t, p)) ** 2
        for t in (0, 1)
        for p in (0, 1)
    )
    return did, math.sqrt(hc0 * y.size / (y.size - 4))


def test_did_estimate_is_the_difference_of_cell_means_with_hc1() -> None:
    data = _did_data()
    y = data["y"]
    expected, se = hand_hc1(data)
    half = stats.t.isf(0.025, y.size - 4) * se
    e = ef.difference_in_differences(y, data["post"], data["treated"])
    assert e.method == "ols hc1"
    assert e.n == (40, 40, 40, 40)
    assert e.estimate == pytest.approx(expected, rel=1e-10)
    assert (e.ci_low, e.ci_high) == pytest.approx((expected - half, expected + half), rel=1e-9)
    assert e.p_value == pytest.approx(2 * stats.t.sf(abs(expected) / se, y.size - 4), rel=1e-8)


def test_did_cluster_robust_uses_t_with_g_minus_1_df() -> None:
    data = _did_data(clusters=6)
    y, post, treated, cluster = data["y"], data["post"], data["treated"], data["cluster"]
    x = np.column_stack([np.ones_like(y), post, treated, post * treated])
    beta = np.linalg.solve(x.T @ x, x.T @ y)
    resid = y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    labels = np.unique(cluster)
    meat = sum(
        np.outer(x[cluster == g].T @ resid[cluster == g], x[cluster == g].T @ resid[cluster == g])
        for g in labels
    )
    groups, n, k = labels.size, y.size, 4
    factor = groups / (groups - 1) * (n - 1) / (n - k)
    se = math.sqrt(factor * (bread @ meat @ bread)[3, 3])
    half = stats.t.isf(0.025, groups - 1) * se
    e = ef.difference_in_differences(y, post, treated, cluster=cluster)
    assert groups == 12
    assert e.method == "ols cluster"
    assert e.estimate == pytest.approx(beta[3], rel=1e-10)
    assert (e.ci_low, e.ci_high) == pytest.approx((beta[3] - half, beta[3] + half), rel=1e-9)
    assert e.p_value == pytest.approx(2 * stats.t.sf(abs(beta[3]) / se, groups - 1), rel=1e-8)
    assert any("fewer than 20 clusters" in note for note in e.notes)


def test_did_accepts_string_cluster_labels() -> None:
    data = _did_data(clusters=6)
    labels = np.array([f"site-{c}" for c in data["cluster"]])
    by_number = ef.difference_in_differences(
        data["y"], data["post"], data["treated"], data["cluster"]
    )
    by_name = ef.difference_in_differences(data["y"], data["post"], data["treated"], labels)
    assert (by_name.ci_low, by_name.ci_high) == pytest.approx((by_number.ci_low, by_number.ci_high))


def test_standardized_did_is_morris_g_with_a_fieller_interval() -> None:
    data = _did_data()
    y = data["y"]
    pre_t, pre_c = y[_cell(data, 1, 0)], y[_cell(data, 0, 0)]
    s = pooled_sd(pre_t, pre_c)
    df = pre_t.size + pre_c.size - 2
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    # c4 = E(s)/sigma for df degrees of freedom; Var(s)/sigma^2 = 1 - c4^2.
    c4 = math.sqrt(2 / df) * math.gamma((df + 1) / 2) / math.gamma(df / 2)
    did, se = hand_hc1(data)
    t = stats.t.isf(0.025, y.size - 4)
    # Fieller (1954): the delta with (D - delta s)^2 = t^2 (se^2 + delta^2 s^2 (1 - c4^2)).
    roots = np.sort(
        np.roots([s * s * (1 - t * t * (1 - c4 * c4)), -2 * did * s, did * did - t * t * se * se])
    )
    raw = ef.difference_in_differences(y, data["post"], data["treated"])
    e = ef.standardized_difference_in_differences(y, data["post"], data["treated"])
    assert e.method == "ols hc1 / pooled pre sd (fieller)"
    assert (e.estimate, e.ci_low, e.ci_high) == pytest.approx(
        (j * did / s, j * roots[0], j * roots[1]), rel=1e-9
    )
    assert e.p_value == raw.p_value
    # Wider than the raw interval over s, which ignored the uncertainty of s.
    assert e.ci_high - e.ci_low > j * (raw.ci_high - raw.ci_low) / s


def test_standardized_did_with_clusters_uses_their_t() -> None:
    data = _did_data(clusters=6)
    y, post, treated, cluster = data["y"], data["post"], data["treated"], data["cluster"]
    raw = ef.difference_in_differences(y, post, treated, cluster)
    e = ef.standardized_difference_in_differences(y, post, treated, cluster)
    t = stats.t.isf(0.025, 12 - 1)
    se = (raw.ci_high - raw.ci_low) / (2 * t)
    pre_t, pre_c = y[_cell(data, 1, 0)], y[_cell(data, 0, 0)]
    s = pooled_sd(pre_t, pre_c)
    df = pre_t.size + pre_c.size - 2
    c4 = math.sqrt(2 / df) * math.gamma((df + 1) / 2) / math.gamma(df / 2)
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    for limit in (e.ci_low / j, e.ci_high / j):
        assert (raw.estimate - limit * s) ** 2 == pytest.approx(
            t * t * (se * se + limit * limit * s * s * (1 - c4 * c4)), rel=1e-9
        )
    assert e.p_value == raw.p_value


def test_standardized_did_unbounded_with_too_few_pre_observations() -> None:
    # Two pre observations per arm: df 2, Var(s)/sigma^2 = 1 - pi/4 = 0.21, and at 99.9% t^2 times
    # that exceeds 1: no finite interval exists.
    rng = np.random.default_rng(4)
    post = np.array([0, 0, 1, 1, 1, 0, 0, 1, 1, 1])
    treated = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    y = rng.normal(0, 1, post.size) + post * treated
    e = ef.standardized_difference_in_differences(y, post, treated, confidence_level=0.999)
    assert math.isnan(e.ci_low) and math.isnan(e.ci_high)
    assert math.isfinite(e.estimate) and math.isfinite(e.p_value)
    assert any("unbounded" in note for note in e.notes)


# ------------------------------------------------------------------------- zero cells, separation


def test_risk_difference_zero_and_full_cells() -> None:
    both_zero = ef.risk_difference(0, 10, 0, 20)
    assert both_zero.estimate == 0
    assert both_zero.ci_low < 0 < both_zero.ci_high
    assert both_zero.p_value == 1.0
    separated = ef.risk_difference(10, 10, 0, 10)
    assert separated.estimate == 1.0
    assert separated.ci_high == 1.0
    assert 0.5 < separated.ci_low < 1.0
    assert ef.risk_difference(0, 10, 10, 10).ci_low == -1.0


def test_odds_ratio_zero_cell_adds_half_with_a_note() -> None:
    e = ef.odds_ratio(10, 10, 0, 10)  # perfect separation
    assert e.estimate == pytest.approx((10.5 * 10.5) / (0.5 * 0.5))
    assert math.isfinite(e.ci_low) and math.isfinite(e.ci_high)
    assert e.ci_low > 1
    assert any("0.5 added" in note for note in e.notes)
    none = ef.odds_ratio(0, 10, 0, 10)
    assert none.estimate == pytest.approx(1.0)
    assert none.ci_low < 1 < none.ci_high


def test_cohens_h_at_the_extremes() -> None:
    e = ef.cohens_h(10, 10, 0, 10)
    assert e.estimate == pytest.approx(math.pi)
    assert e.ci_high == pytest.approx(math.pi)
    assert e.notes
    flat = ef.cohens_h(0, 10, 0, 30)
    assert flat.estimate == 0 and flat.ci_low < 0 < flat.ci_high


# --------------------------------------------------------------------------------- known traps


def test_d_interval_is_noncentral_t_not_normal_approximation() -> None:
    """pingouin's interval d ± z·sqrt((n1+n2)/(n1·n2) + d²/(2(n1+n2))) is visibly off for n = 10."""
    a, b = lakens()
    e = ef.cohens_d(a, b)
    n1, n2 = a.size, b.size
    normal_se = math.sqrt((n1 + n2) / (n1 * n2) + e.estimate**2 / (2 * (n1 + n2)))
    normal = (e.estimate - Z95 * normal_se, e.estimate + Z95 * normal_se)
    scale = math.sqrt(1 / n1 + 1 / n2)
    low, high = nct_limits_bisection(e.estimate / scale, n1 + n2 - 2)
    assert (e.ci_low, e.ci_high) == pytest.approx((low * scale, high * scale), abs=1e-7)
    assert abs(e.ci_low - normal[0]) > 0.01


def test_paired_d_uses_n_minus_1_df() -> None:
    after, before = lakens()
    diff = after - before
    n = diff.size
    t = diff.mean() / (diff.std(ddof=1) / math.sqrt(n))
    right = nct_limits_bisection(t, n - 1)
    wrong = nct_limits_bisection(t, 2 * n - 2)
    e = ef.paired_d(after, before, "z")
    assert e.ci_high == pytest.approx(right[1] / math.sqrt(n), abs=1e-7)
    assert abs(e.ci_high - wrong[1] / math.sqrt(n)) > 0.05


def test_risk_difference_is_newcombe_not_statsmodels_score(shared: dict) -> None:
    """statsmodels' Miettinen–Nurminen 'score' interval differs from Newcombe's published values."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    case = shared["newcombe_1998_independent"]["cases"][0]
    args = (case["k_a"], case["n_a"], case["k_b"], case["n_b"])
    _, mn_high = confint_proportions_2indep(*args, method="score")
    e = ef.risk_difference(*args)
    assert_close(e.ci_high, case["ci95"][1], 0.00005, "Newcombe upper")
    assert abs(e.ci_high - mn_high) > 0.005


def test_far_tail_d_is_finite_without_scipy_stats_nct(monkeypatch: pytest.MonkeyPatch) -> None:
    """d = 8 with 50 per group (t = 40): limits must not depend on scipy.stats.nct, which returned NaN
    in the far tails in some scipy versions. The reference is computed before nct is sabotaged."""
    rng = np.random.default_rng(11)
    a, b = standardized(rng.normal(size=50)) + 8.0, standardized(rng.normal(size=50))
    scale = math.sqrt(2 / 50)
    low, high = nct_limits_bisection(8.0 / scale, 98)

    def nan(*args: object, **kwargs: object) -> float:
        return float("nan")

    for method in ("cdf", "sf", "ppf", "isf", "pdf", "logcdf", "logsf"):
        monkeypatch.setattr(stats.nct, method, nan)
    e = ef.cohens_d(a, b)
    assert e.estimate == pytest.approx(8.0)
    assert (e.ci_low, e.ci_high) == pytest.approx((low * scale, high * scale), abs=1e-6)


def test_extreme_t_gives_finite_limits_around_the_estimate() -> None:
    """Beyond where scipy.special.nctdtr works (t near 1e5 and 1e7) the limits stay finite and ordered."""
    base = standardized(np.random.default_rng(5).normal(size=50))
    for spread in (1e-4, 1e-7):
        e = ef.cohens_d(base * spread + 1.0, base * spread)
        assert math.isfinite(e.ci_low) and math.isfinite(e.ci_high)
        assert e.ci_low < e.estimate < e.ci_high
        # The chi part dominates: relative half-width about z/sqrt(2·df).
        assert (e.ci_high - e.ci_low) / e.estimate == pytest.approx(
            2 * Z95 / math.sqrt(196), rel=0.05
        )


# ------------------------------------------------------------------------------- degenerate input


INVALID = [
    (ef.cohens_d, ([], [1, 2])),
    (ef.cohens_d, ([1], [1, 2])),
    (ef.cohens_d, ([1, float("nan")], [1, 2])),
    (ef.hedges_g, ([1, float("inf")], [1, 2])),
    (ef.glass_delta, (["a", "b"], [1, 2])),
    (ef.cohens_d, ([[1, 2], [3, 4]], [1, 2])),
    (ef.mean_difference, ([1, 2, 3], [1, 2], True)),
    (ef.paired_d, ([1, 2, 3], [1, 2])),
    (ef.paired_d, ([1, 2, 3], [1, 2, 4], "x")),
    (ef.prob_superiority, ([1], [1, 2, 3])),
    (ef.risk_difference, (1, 0, 1, 2)),
    (ef.risk_difference, (3, 2, 1, 2)),
    (ef.risk_difference, (-1, 2, 1, 2)),
    (ef.odds_ratio, (1.5, 2, 1, 2)),
    (ef.cohens_h, (1, float("nan"), 1, 2)),
    (ef.paired_risk_difference, ([[0, 0], [0, 0]],)),
    (ef.paired_risk_difference, ([[1, -1], [0, 2]],)),
    (ef.paired_risk_difference, ([[1, 2, 3], [0, 2, 1]],)),
    (ef.difference_in_differences, ([1, 2, 3, 4, 5], [0, 0, 1, 1, 1], [1, 1, 1, 1, 1])),
    (ef.difference_in_differences, ([1, 2, 3, 4, 5], [0, 2, 1, 0, 1], [0, 1, 0, 1, 1])),
    (ef.difference_in_differences, ([1, 2, 3, 4, 5], [0, 1, 1, 0], [0, 1, 0, 1, 1])),
    (
        ef.difference_in_differences,
        ([1, 2, 3, 4, 5, 6], [0, 1, 1, 0, 0, 1], [0, 0, 1, 1, 0, 1], [1] * 6),
    ),
]


@pytest.mark.parametrize(("function", "args"), INVALID)
def test_invalid_input_raises_invalid_statistics(function, args) -> None:
    with pytest.raises(InvalidStatistics):
        function(*args)


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 95, float("nan")])
def test_confidence_level_must_be_a_probability(level: float) -> None:
    with pytest.raises(InvalidStatistics, match="confidence_level"):
        ef.cohens_d([1, 2, 3], [2, 3, 4], confidence_level=level)


UNDEFINED = [
    (ef.cohens_d, ([2, 2, 2], [2, 2])),
    (ef.hedges_g, ([3, 3, 3], [1, 1])),
    (ef.glass_delta, ([1, 2, 3], [4, 4, 4])),
    (ef.paired_d, ([2, 3, 4], [1, 2, 3], "z")),
    (ef.paired_d, ([2, 3, 4], [1, 2, 3], "av")),
    (ef.paired_d, ([5, 5, 5], [5, 5, 5], "av")),
    (ef.mean_difference, ([1, 1, 1], [2, 2])),
    (ef.mean_difference, ([2, 3, 4], [1, 2, 3], True)),
    (ef.prob_superiority, ([1, 1, 1], [1, 1])),
    (ef.prob_superiority, ([5, 6, 7], [1, 2])),
    (ef.difference_in_differences, ([1, 1, 2, 2, 3, 3, 4, 4], [0, 0, 1, 1] * 2, [0] * 4 + [1] * 4)),
    (
        ef.standardized_difference_in_differences,
        ([1, 1, 2, 3, 1, 1, 2, 2], [0, 0, 1, 1] * 2, [0] * 4 + [1] * 4),
    ),
]


@pytest.mark.parametrize(("function", "args"), UNDEFINED)
def test_undefined_quantities_are_nan_with_a_note(function, args) -> None:
    e = function(*args)
    assert has_nan(e)
    assert e.notes


def test_constant_shift_gives_d_av_without_interval() -> None:
    e = ef.paired_d([2, 4, 9], [1, 3, 8], "av")
    assert e.estimate == pytest.approx(1 / 3.605551275463989)
    assert math.isnan(e.ci_low) and e.notes


# ------------------------------------------------------------------------------ property tests


scores = st.lists(st.integers(0, 20), min_size=2, max_size=25).map(lambda v: np.array(v, float))
real_scores = st.lists(
    st.floats(-50, 50, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3)),
    min_size=2,
    max_size=25,
).map(np.array)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_flipped(e: Effect, swapped: Effect) -> None:
    if has_nan(e):
        assert has_nan(swapped)
        return
    assert swapped.estimate == pytest.approx(-e.estimate, abs=1e-9)
    assert swapped.ci_low == pytest.approx(-e.ci_high, abs=1e-7)
    assert swapped.ci_high == pytest.approx(-e.ci_low, abs=1e-7)


def assert_contains(e: Effect) -> None:
    if not has_nan(e):
        assert e.ci_low <= e.estimate + 1e-12
        assert e.estimate <= e.ci_high + 1e-12
    else:
        assert e.notes


@given(scores, scores)
@PROPERTY
def test_swapping_groups_flips_continuous_effects(a: np.ndarray, b: np.ndarray) -> None:
    for function in (ef.cohens_d, ef.hedges_g, ef.mean_difference):
        assert_flipped(function(a, b), function(b, a))
    e, swapped = ef.prob_superiority(a, b), ef.prob_superiority(b, a)
    assert swapped.estimate == pytest.approx(1 - e.estimate)
    if not has_nan(e):
        assert (swapped.ci_low, swapped.ci_high) == pytest.approx((1 - e.ci_high, 1 - e.ci_low))


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=2, max_size=20))
@PROPERTY
def test_swapping_paired_arms_flips_sign(pairs: list[tuple[int, int]]) -> None:
    after, before = np.array(pairs, float).T
    for standardizer in ("z", "av", "rms"):
        assert_flipped(
            ef.paired_d(after, before, standardizer), ef.paired_d(before, after, standardizer)
        )
    assert_flipped(
        ef.mean_difference(after, before, paired=True),
        ef.mean_difference(before, after, paired=True),
    )


@given(real_scores, real_scores)
@PROPERTY
def test_intervals_contain_the_estimate(a: np.ndarray, b: np.ndarray) -> None:
    for function in (
        ef.cohens_d,
        ef.hedges_g,
        ef.glass_delta,
        ef.mean_difference,
        ef.prob_superiority,
    ):
        assert_contains(function(a, b))
    if a.size == b.size:
        for standardizer in ("z", "av", "rms"):
            assert_contains(ef.paired_d(a, b, standardizer))


@given(real_scores, real_scores, st.floats(-1e3, 1e3), st.floats(0.01, 100))
@PROPERTY
def test_d_is_invariant_to_shift_and_scale(
    a: np.ndarray, b: np.ndarray, shift: float, factor: float
) -> None:
    for function in (ef.cohens_d, ef.glass_delta):
        e = function(a, b)
        moved = function(a * factor + shift, b * factor + shift)
        if has_nan(e) or abs(e.estimate) > 1e6:
            continue  # spreads at rounding level: invariance holds only up to that rounding
        assert moved.estimate == pytest.approx(e.estimate, rel=1e-6, abs=1e-9)
        assert moved.ci_low == pytest.approx(e.ci_low, rel=1e-6, abs=1e-9)
        assert moved.ci_high == pytest.approx(e.ci_high, rel=1e-6, abs=1e-9)


counts = st.integers(1, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@given(counts, counts)
@PROPERTY
def test_proportion_effects_flip_and_stay_in_range(
    first: tuple[int, int], second: tuple[int, int]
) -> None:
    args, swapped = (*first, *second), (*second, *first)
    rd = ef.risk_difference(*args)
    assert -1 <= rd.ci_low <= rd.estimate <= rd.ci_high <= 1
    assert_flipped(rd, ef.risk_difference(*swapped))
    assert (rd.ci_low, rd.ci_high) == pytest.approx(newcombe_independent(*args), abs=1e-12)
    h = ef.cohens_h(*args)
    assert -math.pi <= h.ci_low <= h.estimate <= h.ci_high <= math.pi
    assert_flipped(h, ef.cohens_h(*swapped))
    odds = ef.odds_ratio(*args)
    assert 0 < odds.ci_low <= odds.estimate <= odds.ci_high
    inverse = ef.odds_ratio(*swapped)
    assert inverse.estimate == pytest.approx(1 / odds.estimate)
    assert (inverse.ci_low, inverse.ci_high) == pytest.approx((1 / odds.ci_high, 1 / odds.ci_low))


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
@PROPERTY
def test_paired_risk_difference_flips_when_transposed(a: int, b: int, c: int, d: int) -> None:
    if a + b + c + d == 0:
        return
    assert_flipped(
        ef.paired_risk_difference([[a, b], [c, d]]), ef.paired_risk_difference([[a, c], [b, d]])
    )


@given(st.integers(0, 10_000))
@settings(max_examples=10, deadline=None)
def test_did_flips_when_arms_are_swapped(seed: int) -> None:
    data = _did_data(seed)
    e = ef.difference_in_differences(data["y"], data["post"], data["treated"])
    assert_flipped(e, ef.difference_in_differences(data["y"], data["post"], 1 - data["treated"]))
    assert_contains(e)


anything = st.one_of(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    st.lists(st.integers(-3, 3), max_size=4),
    st.lists(st.sampled_from([0.0, 1.0, 1.0 + 1e-15, -0.0, 1e-300, 5e-324]), max_size=4),
)
small_int = st.one_of(st.integers(-2, 6), st.floats(-2, 6), st.just(float("nan")))


def _only_clean_failures(call) -> None:
    try:
        e = call()
    except InvalidStatistics:
        return
    assert isinstance(e, Effect)
    if has_nan(e):
        assert e.notes


@given(anything, anything)
@settings(max_examples=80, deadline=None)
def test_degenerate_samples_fail_cleanly(a: list, b: list) -> None:
    for function in (
        ef.cohens_d,
        ef.hedges_g,
        ef.glass_delta,
        ef.mean_difference,
        ef.prob_superiority,
    ):
        _only_clean_failures(lambda f=function: f(a, b))
    _only_clean_failures(lambda: ef.mean_difference(a, b, paired=True))
    for standardizer in ("z", "av", "rms"):
        _only_clean_failures(lambda s=standardizer: ef.paired_d(a, b, s))


@given(small_int, small_int, small_int, small_int)
@settings(max_examples=80, deadline=None)
def test_degenerate_counts_fail_cleanly(k_a: float, n_a: float, k_b: float, n_b: float) -> None:
    for function in (ef.risk_difference, ef.odds_ratio, ef.cohens_h):
        _only_clean_failures(lambda f=function: f(k_a, n_a, k_b, n_b))
    _only_clean_failures(lambda: ef.paired_risk_difference([[k_a, n_a], [k_b, n_b]]))


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1), st.integers(0, 1)), max_size=10))
@settings(max_examples=60, deadline=None)
def test_degenerate_did_fails_cleanly(rows: list[tuple[int, int, int]]) -> None:
    y = [r[0] for r in rows]
    post = [r[1] for r in rows]
    treated = [r[2] for r in rows]
    _only_clean_failures(lambda: ef.difference_in_differences(y, post, treated))
    _only_clean_failures(lambda: ef.standardized_difference_in_differences(y, post, treated))
    _only_clean_failures(lambda: ef.difference_in_differences(y, post, treated, [i % 2 for i in y]))


def test_standardized_did_reuses_a_given_raw_fit_with_identical_results() -> None:
    rng = np.random.default_rng(11)
    n = 400
    post = rng.integers(0, 2, n)
    treated = rng.integers(0, 2, n)
    cluster = rng.integers(0, 12, n)
    y = 0.4 * post * treated + rng.normal(size=n)
    raw = ef.difference_in_differences(y, post, treated, cluster)
    fresh = ef.standardized_difference_in_differences(y, post, treated, cluster)
    reused = ef.standardized_difference_in_differences(y, post, treated, cluster, raw=raw)
    assert reused == fresh
