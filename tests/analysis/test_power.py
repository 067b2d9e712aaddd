"""Tests of survey.analysis.power against Cohen's tables, published calculators, statsmodels as an
independent implementation, exact power computed here by enumeration, and (marked slow) simulations of
clustered samples analysed as the report analyses them."""

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

from survey.analysis import effects
from survey.analysis.power import (
    design_effect,
    minimum_detectable_effect,
    n_for_proportions,
    n_for_smd,
    power_for_proportions,
    power_for_smd,
)
from survey.errors import InvalidStatistics

# Cohen (1988), Table 2.4.1: n per group for the two-sample t test, two-tailed alpha = .05,
# power = .80 (as reproduced in the MRC CBU statistics wiki, FAQ/dunp, and elsewhere). Cohen
# computed these with an approximation, so the exact noncentral-t answer may be one larger.
COHEN_TABLE_2_4_1 = {0.2: 393, 0.3: 175, 0.4: 99, 0.5: 64, 0.6: 45, 0.7: 33, 0.8: 26, 1.0: 17}


@pytest.mark.parametrize("d, cohen_n", sorted(COHEN_TABLE_2_4_1.items()))
def test_n_for_smd_reproduces_cohens_table(d: float, cohen_n: int) -> None:
    assert cohen_n <= n_for_smd(d).n <= cohen_n + 1


def test_cohens_medium_and_large_effects_exactly() -> None:
    assert n_for_smd(0.5).n == 64
    assert n_for_smd(0.8).n == 26
    assert n_for_smd(-0.5).n == 64  # two-sided: the sign does not matter


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.10])
@pytest.mark.parametrize("power", [0.7, 0.8, 0.9, 0.95])
@pytest.mark.parametrize("d", [0.15, 0.35, 0.6, 1.3])
def test_n_for_smd_agrees_with_statsmodels(alpha: float, power: float, d: float) -> None:
    # statsmodels solves for a continuous n; the smallest whole n with enough power is its ceiling.
    independent = TTestIndPower().solve_power(effect_size=d, alpha=alpha, power=power)
    paired = TTestPower().solve_power(effect_size=d, alpha=alpha, power=power)
    assert n_for_smd(d, alpha=alpha, power=power).n == math.ceil(independent)
    assert n_for_smd(d, alpha=alpha, power=power, design="panel").n == math.ceil(paired)


def test_paired_correlation_converts_d_to_d_z() -> None:
    # d_z = d / sqrt(2 (1 - r)); with r = 0.75 that is d / sqrt(0.5).
    n_direct = TTestPower().solve_power(effect_size=0.3 / math.sqrt(0.5), alpha=0.05, power=0.8)
    assert n_for_smd(0.3, design="panel", correlation=0.75).n == math.ceil(n_direct)
    # r = 0.5 makes d and d_z the same.
    assert n_for_smd(0.3, design="panel", correlation=0.5) == n_for_smd(0.3, design="panel")


def nct_power(ncp: float, df: float, alpha: float = 0.05) -> float:
    """Two-sided power of a t test from scipy's noncentral t, both tails."""
    crit = stats.t.isf(alpha / 2, df)
    return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))


def test_design_effect() -> None:
    # Donner & Klar: deff = 1 + (m - 1) ICC. m = 21, ICC = 0.05 gives deff = 2.
    assert design_effect(icc=0.05, cluster_size=21) == pytest.approx(2.0)
    assert design_effect() == 1.0


def test_clustered_plan_has_the_power_of_the_cluster_level_test() -> None:
    # Issue 18: d = 0.5, ICC 0.05, 21 per cluster. Multiplying 64 by deff = 2 gave 128 per arm,
    # about 6 clusters, whose power with 2G - 2 df is about 0.72. The test on G cluster means per
    # arm has noncentrality d * sqrt(G m / (2 deff)) and 2G - 2 df: 7 clusters fall short, 8 do not.
    assert nct_power(0.5 * math.sqrt(6 * 21 / 4), 10) == pytest.approx(0.72, abs=0.01)
    assert (
        nct_power(0.5 * math.sqrt(7 * 21 / 4), 12)
        < 0.8
        < nct_power(0.5 * math.sqrt(8 * 21 / 4), 14)
    )
    plan = n_for_smd(0.5, icc=0.05, cluster_size=21)
    assert (plan.n, plan.clusters, plan.df) == (168, 8, 14.0)
    assert plan.power == pytest.approx(nct_power(0.5 * math.sqrt(8 * 21 / 4), 14), rel=1e-9)
    assert power_for_smd(0.5, 128, icc=0.05, cluster_size=21) == pytest.approx(
        nct_power(0.5 * math.sqrt(128 / 4), 2 * 128 / 21 - 2), rel=1e-9
    )
    # Whole clusters of a fractional mean size: 8 clusters of 10.5 are 84 respondents.
    fractional = n_for_smd(0.5, icc=0.05, cluster_size=10.5)
    assert fractional.n == math.ceil(fractional.clusters * 10.5)
    # A panel's cluster-level test has G - 1 df.
    panel = n_for_smd(0.5, design="panel", icc=0.05, cluster_size=10)
    assert panel.df == panel.clusters - 1
    # Clusters of one are no clusters.
    assert n_for_smd(0.5, icc=0.3, cluster_size=1) == n_for_smd(0.5)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(0.1, 2.0),
    st.floats(0.0, 0.5),
    st.floats(1.0, 50.0),
    st.sampled_from(["independent", "panel", "comparison"]),
)
def test_clustering_never_reduces_the_sample_size(
    d: float, icc: float, cluster_size: float, design: str
) -> None:
    plain = n_for_smd(d, design=design)
    clustered = n_for_smd(d, design=design, icc=icc, cluster_size=cluster_size)
    assert clustered.n >= plain.n
    assert clustered.power >= 0.8 - 1e-12


def test_comparison_design_is_the_difference_of_four_cells() -> None:
    # The DiD of four cells of n has variance 4 sigma^2 / n and the OLS test 4n - 4 df: the smallest
    # n with power 0.8, found here by a plain loop over n.
    n = 2
    while nct_power(0.5 * math.sqrt(n / 4), 4 * n - 4) < 0.8:
        n += 1
    plan = n_for_smd(0.5, design="comparison")
    assert (plan.n, plan.df) == (n, 4.0 * n - 4)
    # Proportions: the campaign arm moves 0.4 -> 0.6, the comparison arm stays at 0.4; the
    # variance per respondent is 0.6*0.4 + 3*0.4*0.6 = 0.96, and n solves the Wald formula with t.
    found = n_for_proportions(0.4, 0.6, design="comparison")
    expected = 2
    while True:
        df = 4 * expected - 4
        quantile = 0.2 * math.sqrt(expected / 0.96) - stats.t.isf(0.025, df)
        if stats.t.cdf(quantile, df) >= 0.8:
            break
        expected += 1
    assert found.n == expected


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
    assert n_for_proportions(p_pre, p_post, alpha=alpha, power=power).n == math.ceil(expected)


def test_n_for_proportions_hand_computation() -> None:
    # 0.4 vs 0.6: p = 0.5, z = 1.959964, z_b = 0.841621;
    # (1.959964 * sqrt(0.5) + 0.841621 * sqrt(0.48))**2 / 0.04 = 96.92, so 97 per wave.
    assert n_for_proportions(0.4, 0.6).n == 97
    assert n_for_proportions(0.6, 0.4).n == 97
    assert n_for_proportions(0.4, 0.6).df is None  # a z test


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
    n = n_for_proportions(p_pre, p_post).n
    assert exact_two_proportion_power(n, p_pre, p_post) == pytest.approx(0.8, abs=0.03)


def test_paired_proportions_match_the_published_calculator() -> None:
    # powerandsamplesize.com, "Compare Paired Proportions: McNemar's Z-test, 2-Sided" (Connor
    # 1987, p. 209): p01 = 0.45, p10 = 0.05, alpha = 0.05, power = 0.80 gives n = 23.
    # Discordant share 0.50 and change -0.40; margins 0.5 -> 0.1 (or 0.6 -> 0.2) fit them.
    assert n_for_proportions(0.5, 0.1, design="panel", discordant=0.5).n == 23
    assert n_for_proportions(0.6, 0.2, design="panel", discordant=0.5).n == 23
    # The same calculator's one-sided example at power 0.90 is also 23; two-sided at alpha 0.10
    # is the same test.
    assert (
        n_for_proportions(0.5, 0.1, design="panel", discordant=0.5, alpha=0.10, power=0.9).n == 23
    )


def test_panel_correlation_gives_the_discordant_share() -> None:
    # phi = 0.5 between answers at 0.4 and 0.5: both right 0.2 + 0.5 sqrt(0.24 * 0.25) = 0.32247,
    # so 0.4 + 0.5 - 2 * 0.32247 = 0.25505 of the respondents change their answer.
    both = 0.4 * 0.5 + 0.5 * math.sqrt(0.4 * 0.6 * 0.5 * 0.5)
    discordant = 0.4 + 0.5 - 2 * both
    assert n_for_proportions(0.4, 0.5, design="panel", correlation=0.5) == n_for_proportions(
        0.4, 0.5, design="panel", discordant=discordant
    )


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
    n = n_for_proportions(p_pre, p_post, design="panel", discordant=discordant).n
    diff = p_post - p_pre
    power = exact_mcnemar_power(n, (discordant + diff) / 2, (discordant - diff) / 2)
    assert power == pytest.approx(0.8, abs=0.04)


def test_pairing_helps_when_few_answers_change() -> None:
    independent = n_for_proportions(0.4, 0.5).n
    assert n_for_proportions(0.4, 0.5, design="panel", discordant=0.2).n < independent


# --- minimum detectable effect ----------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 50, 200, 1000])
def test_mde_smd_agrees_with_statsmodels(n: int) -> None:
    independent = minimum_detectable_effect(n)
    paired = minimum_detectable_effect(n, design="panel")
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


def test_mde_in_clusters_uses_their_degrees_of_freedom() -> None:
    # 200 respondents in clusters of 11 with ICC 0.1 (deff 2): G = 200/11 clusters, 2G - 2 df.
    clustered = minimum_detectable_effect(200, icc=0.1, cluster_size=11)
    df = 2 * 200 / 11 - 2
    assert nct_power(clustered * math.sqrt(200 / (2 * 2)), df) == pytest.approx(0.8, abs=1e-9)
    # Fewer df than 100 independent respondents: a larger effect is needed.
    assert clustered > minimum_detectable_effect(100)


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 2000), st.sampled_from(["independent", "panel", "comparison"]))
def test_mde_and_n_for_smd_are_inverses(n: int, design: str) -> None:
    d = minimum_detectable_effect(n, design=design)
    assert n_for_smd(d * (1 + 1e-6), design=design).n <= n
    assert n_for_smd(d * (1 - 1e-3), design=design).n > n


@settings(max_examples=30, deadline=None)
@given(st.integers(20, 5000), st.floats(0.05, 0.8), st.sampled_from(["independent", "comparison"]))
def test_mde_and_n_for_proportions_are_inverses(n: int, p_pre: float, design: str) -> None:
    try:
        diff = minimum_detectable_effect(n, design=design, kind="proportion", p_pre=p_pre)
    except InvalidStatistics:
        return  # n too small for any increase from p_pre: checked separately
    assert 0 < diff < 1 - p_pre
    assert n_for_proportions(p_pre, p_pre + diff * (1 + 1e-6), design=design).n <= n
    assert n_for_proportions(p_pre, p_pre + diff * (1 - 1e-3), design=design).n > n


def test_mde_panel_proportion_with_a_correlation() -> None:
    diff = minimum_detectable_effect(
        200, design="panel", kind="proportion", p_pre=0.4, correlation=0.5
    )
    power = power_for_proportions(0.4, 0.4 + diff, 200, design="panel", correlation=0.5)
    assert power == pytest.approx(0.8, abs=1e-9)


def test_mde_paired_proportion_inverts_the_published_example() -> None:
    # 23 pairs detect a change of 0.40 with discordant 0.5 (see the calculator example above);
    # 22 pairs (22.01 needed) fall just short.
    assert minimum_detectable_effect(
        23, kind="proportion", p_pre=0.1, design="panel", discordant=0.5
    ) == pytest.approx(0.40, abs=0.01)
    assert (
        minimum_detectable_effect(22, kind="proportion", p_pre=0.1, design="panel", discordant=0.5)
        > 0.40
    )


def test_mde_paired_smd_with_correlation() -> None:
    d_z = minimum_detectable_effect(50, design="panel")
    d = minimum_detectable_effect(50, design="panel", correlation=0.9)
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
        (lambda: n_for_smd(1e-9), "more than 1,000,000,000 respondents"),
        (lambda: n_for_smd("big"), "d: must be a number"),
        (lambda: n_for_smd(0.5, design="cohort"), "design: must be one of"),
        (lambda: n_for_smd(0.5, correlation=0.5), "correlation: applies to panel"),
        (lambda: n_for_smd(0.5, design="comparison", correlation=0.5), "correlation: applies"),
        (lambda: n_for_smd(0.5, design="panel", correlation=1.0), "correlation"),
        (lambda: n_for_smd(0.5, icc=-0.1, cluster_size=10), "icc"),
        (lambda: n_for_smd(0.5, icc=0.1, cluster_size=0.5), "cluster_size"),
        (lambda: n_for_proportions(0.0, 0.5), "p_pre"),
        (lambda: n_for_proportions(0.5, 1.0), "p_post"),
        (lambda: n_for_proportions(0.5, 0.5), "no change"),
        (lambda: n_for_proportions(0.4, 0.6, discordant=0.3), "panel designs only"),
        (lambda: n_for_proportions(0.4, 0.6, correlation=0.3), "panel designs only"),
        (lambda: n_for_proportions(0.4, 0.6, design="panel"), "discordant: a panel design"),
        (
            lambda: n_for_proportions(0.4, 0.6, design="panel", discordant=0.3, correlation=0.2),
            "not both",
        ),
        (lambda: n_for_proportions(0.4, 0.6, design="panel", discordant=0.1), "smaller than"),
        (lambda: n_for_proportions(0.1, 0.2, design="panel", discordant=0.9), "does not fit"),
        (lambda: n_for_proportions(0.1, 0.9, design="panel", correlation=0.9), "does not fit"),
        (lambda: minimum_detectable_effect(0), "n: must be a positive"),
        (lambda: minimum_detectable_effect(30, icc=0.5, cluster_size=20), "fewer than 2 clusters"),
        (lambda: minimum_detectable_effect(1), "fewer than 2 respondents"),
        (lambda: minimum_detectable_effect(50, kind="odds"), "kind"),
        (lambda: minimum_detectable_effect(50, kind="proportion"), "p_pre"),
        (lambda: minimum_detectable_effect(50, p_pre=0.3), "proportion"),
        (
            lambda: minimum_detectable_effect(50, kind="proportion", p_pre=0.3, design="panel"),
            "discordant",
        ),
        (lambda: power_for_smd(0.5, 10, alpha=2), "alpha"),
        (lambda: power_for_proportions(0.5, 0.6, 0), "n: must be a positive"),
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
designs = st.sampled_from(["independent", "panel", "comparison"])


@settings(max_examples=80, deadline=None)
@given(anything, anything, anything, anything, anything, designs)
def test_any_numbers_either_work_or_raise_invalid_statistics(
    a: object, b: object, c: object, icc: object, cluster: object, design: str
) -> None:
    calls = [
        lambda: n_for_smd(a, alpha=b, power=c, design=design, icc=icc, cluster_size=cluster).n,
        lambda: n_for_proportions(a, b, design=design, discordant=c, icc=icc).n,
        lambda: minimum_detectable_effect(
            a, power=b, design=design, kind="proportion", p_pre=c, discordant=icc
        ),
        lambda: minimum_detectable_effect(a, alpha=b, design=design, correlation=c),
        lambda: power_for_smd(a, b, design=design, alpha=c, icc=icc, cluster_size=cluster),
    ]
    for call in calls:
        try:
            result = call()
        except InvalidStatistics:
            continue
        assert math.isfinite(result) and result > 0


# --- simulations (slow): planned power is the power of the analysis -------------------------------


def clustered_scores(
    rng: np.random.Generator, clusters: int, size: int, icc: float, shift: float
) -> tuple[np.ndarray, np.ndarray]:
    """Scores of ``clusters`` clusters of ``size`` with total variance 1 and this ICC, and labels."""
    effects_ = rng.normal(0, math.sqrt(icc), clusters)
    labels = np.repeat(np.arange(clusters), size)
    return shift + effects_[labels] + rng.normal(0, math.sqrt(1 - icc), clusters * size), labels


@pytest.mark.slow
def test_simulated_power_of_clustered_independent_waves() -> None:
    # d = 0.5, ICC 0.05, 21 per cluster; analysed by the t test on cluster means (2G - 2 df). The
    # plan (8 clusters per wave) reaches the power it promises; the old plan (128 per arm, 6 whole
    # clusters) reaches about 0.72, as the issue says.
    rng = np.random.default_rng(20261802)
    reps = 4000
    plan = n_for_smd(0.5, icc=0.05, cluster_size=21)
    old = power_for_smd(0.5, 6 * 21, icc=0.05, cluster_size=21)
    assert plan.clusters == 8 and old == pytest.approx(0.72, abs=0.01)
    for clusters, promised in ((plan.clusters, plan.power), (6, old)):
        rejected = 0
        for _ in range(reps):
            after, _ = clustered_scores(rng, clusters, 21, 0.05, 0.5)
            before, _ = clustered_scores(rng, clusters, 21, 0.05, 0.0)
            means_after = after.reshape(clusters, 21).mean(axis=1)
            means_before = before.reshape(clusters, 21).mean(axis=1)
            rejected += stats.ttest_ind(means_after, means_before).pvalue < 0.05
        # Monte Carlo standard error sqrt(0.8 * 0.2 / 4000) = 0.0063.
        assert rejected / reps == pytest.approx(promised, abs=0.02)


@pytest.mark.slow
def test_simulated_power_of_a_clustered_comparison_design() -> None:
    # The comparison design as the report analyses it: difference in differences, cluster-robust with
    # t(G - 1) over the arms' clusters (each surveyed before and after with new respondents, the
    # cluster effect drawn afresh at each wave, as the plan assumes).
    plan = n_for_smd(0.5, design="comparison", icc=0.05, cluster_size=21)
    g = plan.clusters
    rng = np.random.default_rng(20261803)
    reps = 1500
    rejected = 0
    for _ in range(reps):
        ys, posts, treats, labels = [], [], [], []
        for treated, post in ((1, 1), (1, 0), (0, 1), (0, 0)):
            y, cluster = clustered_scores(rng, g, 21, 0.05, 0.5 * treated * post)
            ys.append(y)
            posts.append(np.full(y.size, post))
            treats.append(np.full(y.size, treated))
            labels.append(cluster + 1000 * treated)  # the same aimags before and after
        e = effects.difference_in_differences(
            np.concatenate(ys),
            np.concatenate(posts),
            np.concatenate(treats),
            np.concatenate(labels),
        )
        rejected += e.p_value < 0.05
    # The analysis has 2G - 1 df, the plan 2G - 2: the simulated power is at least the promised one,
    # within Monte Carlo error (sqrt(0.8 * 0.2 / 1500) = 0.010).
    assert rejected / reps >= plan.power - 0.03
    assert rejected / reps == pytest.approx(plan.power, abs=0.04)
