"""Tests of survey.analysis.power against Cohen's tables, published calculators, statsmodels as an
independent implementation, and exact power computed here by enumeration."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import gammaln
from statsmodels.stats.power import TTestIndPower, TTestPower
from statsmodels.stats.proportion import samplesize_proportions_2indep_onetail

from survey.analysis.power import (
    design_effect,
    minimum_detectable_effect,
    n_for_proportions,
    n_for_smd,
)
from survey.errors import InvalidStatistics

# Cohen (1988), Table 2.4.1: n per group for the two-sample t test, two-tailed alpha = .05,
# power = .80 (as reproduced in the MRC CBU statistics wiki, FAQ/dunp, and elsewhere). Cohen
# computed these with an approximation, so the exact noncentral-t answer may be one larger.
COHEN_TABLE_2_4_1 = {0.2: 393, 0.3: 175, 0.4: 99, 0.5: 64, 0.6: 45, 0.7: 33, 0.8: 26, 1.0: 17}


@pytest.mark.parametrize("d, cohen_n", sorted(COHEN_TABLE_2_4_1.items()))
def test_n_for_smd_reproduces_cohens_table(d: float, cohen_n: int) -> None:
    assert cohen_n <= n_for_smd(d) <= cohen_n + 1


def test_cohens_medium_and_large_effects_exactly() -> None:
    assert n_for_smd(0.5) == 64
    assert n_for_smd(0.8) == 26
    assert n_for_smd(-0.5) == 64  # two-sided: the sign does not matter


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.10])
@pytest.mark.parametrize("power", [0.7, 0.8, 0.9, 0.95])
@pytest.mark.parametrize("d", [0.15, 0.35, 0.6, 1.3])
def test_n_for_smd_agrees_with_statsmodels(alpha: float, power: float, d: float) -> None:
    # statsmodels solves for a continuous n; the smallest whole n with enough power is its ceiling.
    independent = TTestIndPower().solve_power(effect_size=d, alpha=alpha, power=power)
    paired = TTestPower().solve_power(effect_size=d, alpha=alpha, power=power)
    assert n_for_smd(d, alpha=alpha, power=power) == math.ceil(independent)
    assert n_for_smd(d, alpha=alpha, power=power, paired=True) == math.ceil(paired)


def test_paired_correlation_converts_d_to_d_z() -> None:
    # d_z = d / sqrt(2 (1 - r)); with r = 0.75 that is d / sqrt(0.5).
    n_direct = TTestPower().solve_power(effect_size=0.3 / math.sqrt(0.5), alpha=0.05, power=0.8)
    assert n_for_smd(0.3, paired=True, correlation=0.75) == math.ceil(n_direct)
    # r = 0.5 makes d and d_z the same.
    assert n_for_smd(0.3, paired=True, correlation=0.5) == n_for_smd(0.3, paired=True)


def test_design_effect_multiplies_and_rounds_up() -> None:
    # Donner & Klar: deff = 1 + (m - 1) ICC. m = 21, ICC = 0.05 gives deff = 2.
    assert design_effect(icc=0.05, cluster_size=21) == pytest.approx(2.0)
    assert n_for_smd(0.5, icc=0.05, cluster_size=21) == 2 * 64
    # deff = 1 + 9 * 0.02 = 1.18; 64 * 1.18 = 75.52, rounded up.
    assert n_for_smd(0.5, icc=0.02, cluster_size=10) == 76
    # The formula's unrounded 96.92 per wave times 1.18 is 114.37.
    assert n_for_proportions(0.4, 0.6, icc=0.02, cluster_size=10) == 115
    # No clustering, whatever the ICC, when clusters have one respondent.
    assert n_for_smd(0.5, icc=0.3, cluster_size=1) == 64


@settings(max_examples=40, deadline=None)
@given(
    st.floats(0.1, 2.0),
    st.floats(0.0, 0.5),
    st.floats(1.0, 50.0),
    st.booleans(),
)
def test_clustering_never_reduces_the_sample_size(
    d: float, icc: float, cluster_size: float, paired: bool
) -> None:
    plain = n_for_smd(d, paired=paired)
    clustered = n_for_smd(d, paired=paired, icc=icc, cluster_size=cluster_size)
    assert clustered >= plain
    assert clustered == math.ceil(round(plain * (1 + (cluster_size - 1) * icc), 9))


# --- proportions ------------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.01, 0.05])
@pytest.mark.parametrize("power", [0.8, 0.9])
@pytest.mark.parametrize("p_pre, p_post", [(0.4, 0.6), (0.2, 0.3), (0.7, 0.55), (0.05, 0.15)])
def test_n_for_proportions_agrees_with_statsmodels(
    alpha: float, power: float, p_pre: float, p_post: float
) -> None:
    # statsmodels: pooled variance under the null, separate variances under the alternative.
    expected = samplesize_proportions_2indep_onetail(
        diff=p_post - p_pre, prop2=p_pre, power=power, alpha=alpha
    )
    assert n_for_proportions(p_pre, p_post, alpha=alpha, power=power) == math.ceil(expected)


def test_n_for_proportions_hand_computation() -> None:
    # 0.4 vs 0.6: p = 0.5, z = 1.959964, z_b = 0.841621;
    # (1.959964 * sqrt(0.5) + 0.841621 * sqrt(0.48))**2 / 0.04 = 96.92, so 97 per wave.
    assert n_for_proportions(0.4, 0.6) == 97
    assert n_for_proportions(0.6, 0.4) == 97


def exact_two_proportion_power(n: int, p1: float, p2: float, alpha: float = 0.05) -> float:
    """Power of the pooled two-sample z test without continuity correction, summed over every
    outcome (x1, x2) of two binomial samples of size n."""
    x = np.arange(n + 1)
    x1, x2 = x[:, None], x[None, :]
    pooled = (x1 + x2) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * 2 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (x2 - x1) / n / se, 0.0)
    reject = np.abs(z) > stats.norm.ppf(1 - alpha / 2)
    probability = np.outer(stats.binom.pmf(x, n, p1), stats.binom.pmf(x, n, p2))
    return float(probability[reject].sum())


@pytest.mark.parametrize("p_pre, p_post", [(0.4, 0.6), (0.2, 0.3), (0.7, 0.55)])
def test_independent_formula_gives_about_the_promised_exact_power(
    p_pre: float, p_post: float
) -> None:
    n = n_for_proportions(p_pre, p_post)
    assert exact_two_proportion_power(n, p_pre, p_post) == pytest.approx(0.8, abs=0.03)


def test_paired_proportions_match_the_published_calculator() -> None:
    # powerandsamplesize.com, "Compare Paired Proportions: McNemar's Z-test, 2-Sided" (Connor
    # 1987, p. 209): p01 = 0.45, p10 = 0.05, alpha = 0.05, power = 0.80 gives n = 23.
    # Discordant share 0.50 and change -0.40; margins 0.5 -> 0.1 (or 0.6 -> 0.2) fit them.
    assert n_for_proportions(0.5, 0.1, paired=True, discordant=0.5) == 23
    assert n_for_proportions(0.6, 0.2, paired=True, discordant=0.5) == 23
    # The same calculator's one-sided example at power 0.90 is also 23; two-sided at alpha 0.10
    # is the same test.
    assert n_for_proportions(0.5, 0.1, paired=True, discordant=0.5, alpha=0.10, power=0.9) == 23


def exact_mcnemar_power(n: int, gained: float, lost: float, alpha: float = 0.05) -> float:
    """Power of McNemar's chi-square test (no continuity correction), summed over every
    trinomial outcome (b changed up, c changed down, the rest unchanged) of n pairs."""
    b = np.arange(n + 1)[:, None]
    c = np.arange(n + 1)[None, :]
    possible = b + c <= n
    rest = np.where(possible, n - b - c, 0)
    log_p = (
        gammaln(n + 1)
        - gammaln(b + 1)
        - gammaln(c + 1)
        - gammaln(rest + 1)
        + b * np.log(gained)
        + c * np.log(lost)
        + rest * np.log(1 - gained - lost)
    )
    chi2 = np.where(b + c > 0, (b - c) ** 2 / np.maximum(b + c, 1), 0.0)
    reject = possible & (chi2 > stats.chi2.ppf(1 - alpha, 1))
    return float(np.exp(log_p[reject]).sum())


@pytest.mark.parametrize(
    "p_pre, p_post, discordant", [(0.3, 0.4, 0.3), (0.6, 0.75, 0.25), (0.5, 0.45, 0.2)]
)
def test_paired_formula_gives_about_the_promised_exact_power(
    p_pre: float, p_post: float, discordant: float
) -> None:
    n = n_for_proportions(p_pre, p_post, paired=True, discordant=discordant)
    diff = p_post - p_pre
    power = exact_mcnemar_power(n, (discordant + diff) / 2, (discordant - diff) / 2)
    assert power == pytest.approx(0.8, abs=0.04)


def test_pairing_helps_when_few_answers_change() -> None:
    independent = n_for_proportions(0.4, 0.5)
    assert n_for_proportions(0.4, 0.5, paired=True, discordant=0.2) < independent


# --- minimum detectable effect ----------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 50, 200, 1000])
def test_mde_smd_agrees_with_statsmodels(n: int) -> None:
    independent = minimum_detectable_effect(n)
    paired = minimum_detectable_effect(n, paired=True)
    # statsmodels' power at our answer is the power asked for ...
    power_independent = TTestIndPower().power(effect_size=independent, nobs1=n, alpha=0.05)
    power_paired = TTestPower().power(effect_size=paired, nobs=n, alpha=0.05)
    assert power_independent == pytest.approx(0.8, abs=1e-9)
    assert power_paired == pytest.approx(0.8, abs=1e-9)
    # ... and its own root finder, which stops at a looser tolerance, lands close by.
    solved = TTestIndPower().solve_power(nobs1=n, alpha=0.05, power=0.8)
    assert independent == pytest.approx(solved, rel=1e-4)
    assert paired == pytest.approx(
        TTestPower().solve_power(nobs=n, alpha=0.05, power=0.8), rel=1e-4
    )


def test_mde_uses_the_effective_sample_size() -> None:
    # deff = 2: 200 clustered respondents are worth 100 independent ones.
    clustered = minimum_detectable_effect(200, icc=0.1, cluster_size=11)
    assert clustered == pytest.approx(minimum_detectable_effect(100), rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 2000), st.booleans())
def test_mde_and_n_for_smd_are_inverses(n: int, paired: bool) -> None:
    d = minimum_detectable_effect(n, paired=paired)
    assert n_for_smd(d * (1 + 1e-6), paired=paired) <= n
    assert n_for_smd(d * (1 - 1e-3), paired=paired) > n


@settings(max_examples=30, deadline=None)
@given(st.integers(20, 5000), st.floats(0.05, 0.8))
def test_mde_and_n_for_proportions_are_inverses(n: int, p_pre: float) -> None:
    try:
        diff = minimum_detectable_effect(n, kind="proportion", p_pre=p_pre)
    except InvalidStatistics:
        return  # n too small for any increase from p_pre: checked separately
    assert 0 < diff < 1 - p_pre
    assert n_for_proportions(p_pre, p_pre + diff * (1 + 1e-6)) <= n
    assert n_for_proportions(p_pre, p_pre + diff * (1 - 1e-3)) > n


def test_mde_paired_proportion_inverts_the_published_example() -> None:
    # 23 pairs detect a change of 0.40 with discordant 0.5 (see the calculator example above);
    # 22 pairs (22.01 needed) fall just short.
    assert minimum_detectable_effect(
        23, kind="proportion", p_pre=0.1, paired=True, discordant=0.5
    ) == pytest.approx(0.40, abs=0.01)
    assert (
        minimum_detectable_effect(22, kind="proportion", p_pre=0.1, paired=True, discordant=0.5)
        > 0.40
    )


def test_mde_paired_smd_with_correlation() -> None:
    d_z = minimum_detectable_effect(50, paired=True)
    d = minimum_detectable_effect(50, paired=True, correlation=0.9)
    assert d == pytest.approx(d_z * math.sqrt(2 * (1 - 0.9)), rel=1e-9)


def test_mde_proportion_with_too_few_respondents_raises() -> None:
    with pytest.raises(InvalidStatistics, match="cannot detect"):
        minimum_detectable_effect(3, kind="proportion", p_pre=0.9)


# --- invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: n_for_smd(0.5, power=0.0), "power"),
        (lambda: n_for_smd(0.5, power=1.0), "power"),
        (lambda: n_for_smd(0.5, power=0.04), "power: must exceed alpha"),
        (lambda: n_for_smd(0.5, alpha=1.0), "alpha"),
        (lambda: n_for_smd(0.5, alpha=0.0), "alpha"),
        (lambda: n_for_smd(0.0), "d: must be a finite, non-zero"),
        (lambda: n_for_smd(math.nan), "d: must be a finite, non-zero"),
        (lambda: n_for_smd(1e-9), "too small"),
        (lambda: n_for_smd("big"), "d: must be a number"),
        (lambda: n_for_smd(0.5, correlation=0.5), "correlation: applies to paired"),
        (lambda: n_for_smd(0.5, paired=True, correlation=1.0), "correlation"),
        (lambda: n_for_smd(0.5, icc=-0.1, cluster_size=10), "icc"),
        (lambda: n_for_smd(0.5, icc=0.1, cluster_size=0.5), "cluster_size"),
        (lambda: n_for_proportions(0.0, 0.5), "p_pre"),
        (lambda: n_for_proportions(0.5, 1.0), "p_post"),
        (lambda: n_for_proportions(0.5, 0.5), "no change"),
        (lambda: n_for_proportions(0.4, 0.6, discordant=0.3), "paired designs only"),
        (lambda: n_for_proportions(0.4, 0.6, paired=True), "discordant: a paired design"),
        (lambda: n_for_proportions(0.4, 0.6, paired=True, discordant=0.1), "smaller than"),
        (lambda: n_for_proportions(0.1, 0.2, paired=True, discordant=0.9), "does not fit"),
        (lambda: minimum_detectable_effect(0), "n: must be a positive"),
        (lambda: minimum_detectable_effect(10, icc=0.5, cluster_size=20), "effective sample"),
        (lambda: minimum_detectable_effect(50, kind="odds"), "kind"),
        (lambda: minimum_detectable_effect(50, kind="proportion"), "p_pre"),
        (lambda: minimum_detectable_effect(50, p_pre=0.3), "proportion"),
        (lambda: minimum_detectable_effect(50, kind="proportion", p_pre=0.3, paired=True), "disc"),
    ],
)
def test_invalid_input_raises_invalid_statistics(call: object, message: str) -> None:
    with pytest.raises(InvalidStatistics, match=message):
        call()  # type: ignore[operator]


anything = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 5),
    st.sampled_from([0.0, 1.0, 0.5, -1.0, 1e-300]),
)


@settings(max_examples=80, deadline=None)
@given(anything, anything, anything, anything, anything, st.booleans())
def test_any_numbers_either_work_or_raise_invalid_statistics(
    a: object, b: object, c: object, icc: object, cluster: object, paired: bool
) -> None:
    calls = [
        lambda: n_for_smd(a, alpha=b, power=c, paired=paired, icc=icc, cluster_size=cluster),
        lambda: n_for_proportions(a, b, paired=paired, discordant=c, icc=icc),
        lambda: minimum_detectable_effect(
            a, power=b, paired=paired, kind="proportion", p_pre=c, discordant=icc
        ),
        lambda: minimum_detectable_effect(a, alpha=b, paired=paired, correlation=c),
    ]
    for call in calls:
        try:
            result = call()
        except InvalidStatistics:
            continue
        assert math.isfinite(result) and result > 0
