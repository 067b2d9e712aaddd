"""Sample sizes, power and minimum detectable effects for pre/post campaign surveys.

Every plan is for the two-sided test the report will run on the data, with the same degrees of
freedom, so that planned power is the power of the analysis (issue 18). "Per wave" means, by
``design``:

* ``"independent"``: different respondents before and after; n respondents in each wave.
* ``"panel"``: the same respondents answer both waves; n pairs.
* ``"comparison"``: a campaign arm and an unexposed comparison arm, each surveyed before and after
  (new respondents each time); n respondents per arm and wave, 4n in all. The effect is the
  difference in differences.

Clustered samples (respondents drawn in villages, schools, aimags) are given by ``icc``, the intraclass
correlation of the outcome, and ``cluster_size`` m, the mean number of respondents a cluster gives to a
wave (to an arm's wave in a comparison design). Their variance is inflated by the design effect
``deff = 1 + (m − 1)·icc`` (Kish 1965; Donner & Klar 2000), and the test has the degrees of freedom of
the clusters, not of the respondents: with G clusters per wave (per arm), 2G − 2 for the independent
and comparison designs, G − 1 for a panel (Donner & Klar 2000, ch. 5, who replace the normal quantiles
by t with these df when clusters are few). Respondents per wave then come in whole clusters: the
smallest G with enough power, and n = ⌈G·m⌉. Multiplying a simple random sample's n by deff while
keeping 2n − 2 df, as this module once did, overstates the power: d = 0.5, ICC 0.05, m = 21 gave 128
per arm, about 6 clusters, whose power with 2G − 2 df is about 0.72.

The cluster-robust analysis of a comparison design (``effects.difference_in_differences`` with
clusters) uses t with (number of clusters − 1) df: 2G − 1 when each of 2G clusters is surveyed at both
waves. Planning with 2G − 2 is one df more cautious.

References
----------
Cohen J. (1988) Statistical Power Analysis for the Behavioral Sciences, 2nd ed. Erlbaum.
Fleiss J.L., Levin B., Paik M.C. (2003) Statistical Methods for Rates and Proportions, 3rd ed.
Wiley, ch. 4.
Connor R.J. (1987) Sample size for testing differences in proportions for the paired-sample
design. Biometrics 43:207-211.
Donner A., Klar N. (2000) Design and Analysis of Cluster Randomization Trials in Health Research.
Arnold.
Kish L. (1965) Survey Sampling. Wiley.

One module, though long: sample size, power and minimum detectable effect are three inversions of
the same power functions, one per design and outcome kind, and must use the same degrees of freedom
as the analysis; kept together they cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import msgspec
import numpy as np
from scipy import optimize, stats

from survey.errors import InvalidStatistics

__all__ = [
    "DESIGNS",
    "SampleSize",
    "degrees_of_freedom",
    "design_effect",
    "minimum_detectable_effect",
    "n_for_proportions",
    "n_for_smd",
    "power_for_proportions",
    "power_for_smd",
]

Design = Literal["independent", "panel", "comparison"]
DESIGNS: tuple[str, ...] = ("independent", "panel", "comparison")

# Sample sizes are searched up to this bound; beyond it the design is not a survey any more.
_MAX_N = 10**9

#: Respondents whose variance one unit of the effect is divided among: the variance of the estimate
#: is k·σ²/n (two waves; one set of differences; four cells).
_VARIANCE_FACTOR = {"independent": 2.0, "panel": 1.0, "comparison": 4.0}


class SampleSize(msgspec.Struct, frozen=True, kw_only=True):
    """A planned sample and what it rests on.

    Attributes
    ----------
    n
        Respondents per wave (pairs for a panel, per arm and wave for a comparison design).
    clusters
        Clusters per wave (per arm and wave) when the sample is clustered, else None.
    df
        Degrees of freedom of the planned t test; None for a normal (z) test.
    power
        The power that n achieves (at least the power asked for).
    design_effect
        1 + (m − 1)·icc; 1 without clusters.
    """

    n: int
    clusters: int | None
    df: float | None
    power: float
    design_effect: float


def _number(name: str, value: object) -> float:
    """A parameter as a float; anything else is a clear InvalidStatistics, not a TypeError."""
    if isinstance(value, bool):
        raise InvalidStatistics(f"{name}: must be a number, got {value!r}")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InvalidStatistics(f"{name}: must be a number, got {value!r}") from exc


def _optional_number(name: str, value: object) -> float | None:
    return None if value is None else _number(name, value)


def _check_alpha(alpha: object) -> float:
    alpha = _number("alpha", alpha)
    if not 0.0 < alpha < 1.0:
        raise InvalidStatistics(f"alpha: must be between 0 and 1 (exclusive), got {alpha}")
    return alpha


def _check_alpha_power(alpha: object, power: object) -> tuple[float, float]:
    alpha, power = _check_alpha(alpha), _number("power", power)
    if not 0.0 < power < 1.0:
        raise InvalidStatistics(f"power: must be between 0 and 1 (exclusive), got {power}")
    if power <= alpha:
        raise InvalidStatistics(
            f"power: must exceed alpha (a test rejects with probability alpha even when there is "
            f"no effect), got power {power}, alpha {alpha}"
        )
    return alpha, power


def _check_design(design: object) -> str:
    if design not in DESIGNS:
        raise InvalidStatistics(f"design: must be one of {', '.join(DESIGNS)}, got {design!r}")
    return str(design)


def design_effect(icc: float = 0.0, cluster_size: float = 1) -> float:
    """Design effect of a cluster sample: ``1 + (cluster_size - 1) * icc``.

    Parameters
    ----------
    icc
        Intraclass correlation of the outcome within clusters, in [0, 1].
    cluster_size
        Mean number of respondents per cluster, at least 1.

    Returns
    -------
    float
        The factor by which clustering multiplies the variance of a mean (Donner & Klar 2000).

    Examples
    --------
    >>> design_effect(icc=0.05, cluster_size=21)
    2.0
    """
    icc = _number("icc", icc)
    cluster_size = _number("cluster_size", cluster_size)
    if not 0.0 <= icc <= 1.0:
        raise InvalidStatistics(f"icc: must be in [0, 1], got {icc}")
    if not 1.0 <= cluster_size <= _MAX_N:
        raise InvalidStatistics(
            f"cluster_size: must be a number from 1 to {_MAX_N:,}, got {cluster_size:g}"
        )
    return 1.0 + (cluster_size - 1.0) * icc


@dataclass(frozen=True)
class _Sampling:
    """The design and the clustering of a plan: the df of its test at n per wave, and its deff."""

    design: str
    deff: float
    cluster_size: float

    @property
    def clustered(self) -> bool:
        return self.cluster_size > 1.0

    def clusters(self, n: float) -> float:
        return n / self.cluster_size

    def t_df(self, n: float) -> float:
        """Degrees of freedom of the t test at n per wave (see the module docstring)."""
        if self.clustered:
            g = self.clusters(n)
            return g - 1.0 if self.design == "panel" else 2.0 * g - 2.0
        return {"independent": 2.0 * n - 2.0, "panel": n - 1.0, "comparison": 4.0 * n - 4.0}[
            self.design
        ]

    def smallest_n(self) -> float:
        """The smallest n for which the test has a degree of freedom: 2 respondents, 2 clusters."""
        return 2.0 * self.cluster_size if self.clustered else 2.0


def _sampling(design: object, icc: object, cluster_size: object) -> _Sampling:
    design = _check_design(design)
    deff = design_effect(icc, cluster_size)  # type: ignore[arg-type]
    return _Sampling(design, deff, float(cluster_size))  # type: ignore[arg-type]


def degrees_of_freedom(
    n: float,
    *,
    design: Design = "independent",
    kind: Literal["smd", "proportion"] = "smd",
    cluster_size: float = 1,
) -> float | None:
    """Degrees of freedom of the test planned for n per wave; None for a normal (z) test.

    2n − 2 (independent), n − 1 (panel), 4n − 4 (comparison) for a standardised difference and for
    a proportion in a comparison design; None for a proportion in an independent or panel design
    (z tests); with clusters (``cluster_size`` > 1) 2G − 2, or G − 1 for a panel, G = n /
    cluster_size, whatever the outcome.

    Examples
    --------
    >>> degrees_of_freedom(168, cluster_size=21)
    14.0
    """
    sampling = _sampling(design, 0.0, cluster_size)
    if kind not in ("smd", "proportion"):
        raise InvalidStatistics(f'kind: must be "smd" or "proportion", got {kind!r}')
    n = _check_n(n, sampling)
    if kind == "proportion" and sampling.design != "comparison" and not sampling.clustered:
        return None
    return sampling.t_df(n)


# -- power -------------------------------------------------------------------------------------------


def _two_sided_t_power(ncp: float, df: float, alpha: float) -> float:
    """Power of the two-sided t test: both rejection tails under the noncentral t."""
    crit = float(stats.t.ppf(1.0 - alpha / 2.0, df))
    upper = float(stats.nct.sf(crit, df, ncp))
    lower = float(stats.nct.cdf(-crit, df, ncp))
    if not (np.isfinite(upper) and np.isfinite(lower)):
        # The noncentral t can return NaN far in its tails; there the normal limit is exact
        # to many digits.
        upper = float(stats.norm.sf(crit - ncp))
        lower = float(stats.norm.cdf(-crit - ncp))
    return upper + lower


def _smd_power(effect: float, n: float, sampling: _Sampling, alpha: float) -> float:
    """Exact power of the t test for a standardised effect (d, or d_z for a panel)."""
    k = _VARIANCE_FACTOR[sampling.design]
    ncp = effect * math.sqrt(n / (k * sampling.deff))
    return _two_sided_t_power(ncp, sampling.t_df(n), alpha)


@dataclass(frozen=True)
class _Proportions:
    """A change of a proportion as a test sees it: the change, its variance per respondent under the
    null (v0) and under the alternative (v1), and whether the analysis refers it to t (df) or z."""

    change: float
    v0: float
    v1: float
    t_test: bool


def _proportion_power(props: _Proportions, n: float, sampling: _Sampling, alpha: float) -> float:
    """Power of the normal-theory test of a change of proportions, with t quantiles where the
    analysis uses t: (|Δ|·√(n/deff) − q_(1−α/2)·√v0) / √v1 is the power's quantile."""
    t_test = props.t_test or sampling.clustered
    distribution = stats.t(sampling.t_df(n)) if t_test else stats.norm()
    quantile = (
        abs(props.change) * math.sqrt(n / sampling.deff)
        - float(distribution.ppf(1.0 - alpha / 2.0)) * math.sqrt(props.v0)
    ) / math.sqrt(props.v1)
    return float(distribution.cdf(quantile))


def _check_proportion(name: str, p: object) -> float:
    value = _optional_number(name, p)
    if value is None or not 0.0 < value < 1.0:
        raise InvalidStatistics(
            f"{name}: must be a proportion strictly between 0 and 1, got {value}"
        )
    return value


def _discordant_from_correlation(p_pre: float, p_post: float, correlation: float) -> float:
    """The share of respondents changing their answer, from the phi correlation of the two answers.

    Both right is p_pre·p_post + φ·√(p_pre·q_pre·p_post·q_post); the rest follows from the margins.
    """
    if not -1.0 <= correlation <= 1.0:
        raise InvalidStatistics(f"correlation: must be between -1 and 1, got {correlation}")
    both = p_pre * p_post + correlation * math.sqrt(p_pre * (1 - p_pre) * p_post * (1 - p_post))
    tolerance = 1e-12
    if both < max(0.0, p_pre + p_post - 1.0) - tolerance or both > min(p_pre, p_post) + tolerance:
        raise InvalidStatistics(
            f"correlation: {correlation} does not fit p_pre = {p_pre} and p_post = {p_post} "
            f"(it implies a negative share of respondents in a cell of the pre x post table)"
        )
    return p_pre + p_post - 2.0 * both


def _check_discordant(p_pre: float, p_post: float, discordant: float) -> float:
    """Check that the discordant proportion fits the two marginal proportions."""
    if not 0.0 < discordant <= 1.0:
        raise InvalidStatistics(f"discordant: must be in (0, 1], got {discordant}")
    diff = p_post - p_pre
    # Cells of the pre x post table implied by the margins and the discordant share.
    gained = (discordant + diff) / 2.0  # wrong before, right after
    lost = (discordant - diff) / 2.0  # right before, wrong after
    tolerance = 1e-12
    if lost < -tolerance or gained < -tolerance:
        raise InvalidStatistics(
            f"discordant: {discordant} is smaller than the change |p_post - p_pre| = {abs(diff):g};"
            f" at least that share of respondents must change their answer"
        )
    if lost > p_pre + tolerance or gained > 1.0 - p_pre + tolerance:
        raise InvalidStatistics(
            f"discordant: {discordant} does not fit p_pre = {p_pre} and p_post = {p_post}"
            f" (it implies a negative share answering the same way at both waves)"
        )
    return discordant


def _proportions(
    design: str,
    p_pre: float,
    p_post: float,
    discordant: float | None,
    correlation: float | None,
) -> _Proportions:
    """The test of each design for a change of a proportion from p_pre to p_post.

    * independent: the pooled two-sample z test (Fleiss, Levin & Paik 2003): v0 = 2·p̄(1 − p̄),
      v1 = p_pre·q_pre + p_post·q_post.
    * panel: McNemar's test (Connor 1987): v0 = ψ, v1 = ψ − Δ², ψ the discordant share.
    * comparison: the OLS difference in differences with the comparison arm staying at p_pre (no
      secular trend), a t test with the same variance under null and alternative:
      v = p_post·q_post + 3·p_pre·q_pre.
    """
    if design != "panel" and (discordant is not None or correlation is not None):
        name = "discordant" if discordant is not None else "correlation"
        raise InvalidStatistics(f"{name}: applies to panel designs only")
    change = p_post - p_pre
    if design == "independent":
        mean = (p_pre + p_post) / 2.0
        return _Proportions(
            change,
            2.0 * mean * (1.0 - mean),
            p_pre * (1 - p_pre) + p_post * (1 - p_post),
            t_test=False,
        )
    if design == "comparison":
        v = p_post * (1 - p_post) + 3.0 * p_pre * (1 - p_pre)
        return _Proportions(change, v, v, t_test=True)
    if discordant is not None and correlation is not None:
        raise InvalidStatistics("discordant, correlation: give one of them, not both")
    if discordant is None and correlation is None:
        raise InvalidStatistics(
            "discordant: a panel design needs the expected share of respondents whose answer "
            "changes between the waves (either direction), or the correlation of their pre and "
            "post answers, e.g. from a pilot; there is no safe default"
        )
    if correlation is not None:
        psi = _discordant_from_correlation(p_pre, p_post, correlation)
    else:
        psi = discordant  # type: ignore[assignment]
    psi = _check_discordant(p_pre, p_post, psi)
    # ψ = |Δ| (every change in one direction) leaves no variance under the alternative: the power
    # is then a step, which a tiny positive variance reproduces without dividing by zero.
    return _Proportions(change, psi, max(psi - change * change, 1e-300), t_test=False)


def _checked_proportions(
    design: str, p_pre: object, p_post: object, discordant: object, correlation: object
) -> _Proportions:
    """:func:`_proportions` on parameters as the caller gave them, each checked."""
    return _proportions(
        design,
        _check_proportion("p_pre", p_pre),
        _check_proportion("p_post", p_post),
        _optional_number("discordant", discordant),
        _optional_number("correlation", correlation),
    )


def _paired_dz(d: float, correlation: float | None) -> float:
    if correlation is None:
        return d
    if not -1.0 < correlation < 1.0:
        raise InvalidStatistics(
            f"correlation: must be strictly between -1 and 1, got {correlation}"
        )
    # SD of the differences is sd * sqrt(2 (1 - r)) when both waves have the same SD.
    return d / math.sqrt(2.0 * (1.0 - correlation))


def _smd_effect(design: str, d: float, correlation: float | None) -> float:
    """The effect the t test sees: d, or d_z for a panel."""
    if design == "panel":
        return _paired_dz(d, correlation)
    if correlation is not None:
        raise InvalidStatistics("correlation: applies to panel designs only")
    return d


def _check_n(n: object, sampling: _Sampling) -> float:
    n = _number("n", n)
    if not 0 < n <= _MAX_N:
        raise InvalidStatistics(f"n: must be a positive number up to {_MAX_N:,}, got {n:g}")
    if n < sampling.smallest_n():
        what = (
            f"{n:g} respondents in clusters of {sampling.cluster_size:g} are fewer than 2 clusters"
            if sampling.clustered
            else f"{n:g} is fewer than 2 respondents"
        )
        raise InvalidStatistics(f"n: {what}; the test needs at least 2")
    return n


def power_for_smd(
    d: float,
    n: float,
    *,
    design: Design = "independent",
    alpha: float = 0.05,
    correlation: float | None = None,
    icc: float = 0.0,
    cluster_size: float = 1,
) -> float:
    """Power of the two-sided t test for a standardised mean difference with n per wave.

    Exact, from the noncentral t (Cohen 1988, ch. 2). With k = 2 (independent), 1 (panel) or 4
    (comparison), the noncentrality is effect·√(n / (k·deff)) and the df are 2n − 2, n − 1 or 4n − 4,
    or 2G − 2 (G − 1 for a panel) with G = n / cluster_size clusters. The effect is Cohen's d (the
    difference, or difference in differences, over the SD of one group), except for a panel: d_z (the
    mean change over the SD of the changes), or d over one wave's SD when ``correlation`` r is given,
    d_z = d / √(2(1 − r)) (equal SDs assumed).

    Parameters
    ----------
    d
        The effect size; its sign does not matter (two-sided test).
    n
        Respondents per wave (pairs; per arm and wave).
    design
        ``"independent"``, ``"panel"`` or ``"comparison"``.
    alpha
        Two-sided significance level.
    correlation
        Panel designs only: the pre/post correlation, to state ``d`` in one wave's SD.
    icc, cluster_size
        Cluster sampling: see the module docstring and :func:`design_effect`.

    Returns
    -------
    float
        The probability that the test rejects at level alpha.

    Examples
    --------
    >>> round(power_for_smd(0.5, 64), 3)
    0.801
    >>> round(power_for_smd(0.5, 6 * 21, icc=0.05, cluster_size=21), 2)
    0.72
    """
    alpha = _check_alpha(alpha)
    sampling = _sampling(design, icc, cluster_size)
    d = _number("d", d)
    if not math.isfinite(d):
        raise InvalidStatistics(f"d: must be a finite effect size, got {d}")
    effect = _smd_effect(sampling.design, d, _optional_number("correlation", correlation))
    return _smd_power(abs(effect), _check_n(n, sampling), sampling, alpha)


def power_for_proportions(
    p_pre: float,
    p_post: float,
    n: float,
    *,
    design: Design = "independent",
    alpha: float = 0.05,
    discordant: float | None = None,
    correlation: float | None = None,
    icc: float = 0.0,
    cluster_size: float = 1,
) -> float:
    """Power of the test of a change of a proportion from ``p_pre`` to ``p_post`` with n per wave.

    The normal-theory power of each design's test (see :func:`n_for_proportions`): with v0 and v1
    the variance per respondent of the change under the null and the alternative, power is
    F((|Δ|·√(n/deff) − q·√v0) / √v1), F and its (1 − α/2) quantile q normal, or t with the design's
    degrees of freedom for a comparison design and for any clustered sample (Donner & Klar 2000).

    Parameters
    ----------
    p_pre, p_post
        Expected proportions before and after (the campaign arm's, for a comparison design, whose
        comparison arm is assumed to stay at p_pre), strictly between 0 and 1.
    n
        Respondents per wave (pairs; per arm and wave).
    design
        ``"independent"``, ``"panel"`` or ``"comparison"``.
    alpha
        Two-sided significance level.
    discordant, correlation
        Panel designs only, one of them: the expected share of respondents whose answer changes, or
        the (phi) correlation of a respondent's pre and post answers.
    icc, cluster_size
        Cluster sampling: see the module docstring.

    Returns
    -------
    float
        The probability that the test rejects at level alpha.
    """
    alpha = _check_alpha(alpha)
    sampling = _sampling(design, icc, cluster_size)
    props = _checked_proportions(sampling.design, p_pre, p_post, discordant, correlation)
    return _proportion_power(props, _check_n(n, sampling), sampling, alpha)


# -- sample sizes ------------------------------------------------------------------------------------


# Power reached up to rounding: a formula whose exact answer is 63 may give 0.7999999999999 there.
_POWER_TOLERANCE = 1e-12


def _plan(
    power_at: Callable[[float], float],
    sampling: _Sampling,
    target: float,
    start: float,
    *,
    t_test: bool,
    what: str,
) -> SampleSize:
    """The smallest n per wave (whole clusters when clustered) whose power reaches the target.

    ``start`` is the normal approximation, close to the answer; the search steps down and up from it.
    Power grows with n, so the first n with enough power is the answer.
    """
    unit = sampling.cluster_size if sampling.clustered else 1.0
    low = math.ceil(round(sampling.smallest_n() / unit, 9))
    too_many = f"{what}: more than {_MAX_N:,} respondents per wave would be needed"
    if not start <= _MAX_N:
        raise InvalidStatistics(too_many)
    enough = target - _POWER_TOLERANCE
    count = max(low, math.floor(start / unit))
    while count > low and power_at((count - 1) * unit) >= enough:
        count -= 1
    while power_at(count * unit) < enough:
        count += 1
        if count * unit > _MAX_N:
            raise InvalidStatistics(too_many)
    n = count * unit
    return SampleSize(
        # A whole number of respondents: 7 clusters of 10.5 need 74.
        n=math.ceil(round(n, 9)),
        clusters=count if sampling.clustered else None,
        df=sampling.t_df(n) if t_test or sampling.clustered else None,
        power=power_at(n),
        design_effect=sampling.deff,
    )


def n_for_smd(
    d: float,
    *,
    design: Design = "independent",
    alpha: float = 0.05,
    power: float = 0.8,
    correlation: float | None = None,
    icc: float = 0.0,
    cluster_size: float = 1,
) -> SampleSize:
    """Respondents per wave to detect a standardised mean difference with a t test.

    The smallest n whose exact power (:func:`power_for_smd`) reaches ``power``:

    * ``"independent"``: Student's two-sample t test, df 2n − 2, for Cohen's d (the difference over
      the pooled SD). Reproduces Cohen's (1988) Table 2.4.1 and statsmodels' ``TTestIndPower``.
    * ``"panel"``: the paired t test, df n − 1, for d_z, or for d over one wave's SD when
      ``correlation`` is given (statsmodels' ``TTestPower`` on d_z).
    * ``"comparison"``: the difference in differences of four independent cells of n, df 4n − 4, for d
      the difference in differences over the SD of one cell.
    * Clustered (``cluster_size`` > 1): whole clusters, with the variance times the design effect and
      2G − 2 df (G − 1 for a panel); see the module docstring.

    Parameters
    ----------
    d
        The effect size; its sign is ignored (two-sided test).
    design
        ``"independent"``, ``"panel"`` or ``"comparison"``.
    alpha
        Two-sided significance level.
    power
        Desired power.
    correlation
        Panel designs only: the pre/post correlation, to state ``d`` in one wave's SD.
    icc, cluster_size
        Cluster sampling: see the module docstring and :func:`design_effect`.

    Returns
    -------
    SampleSize
        ``n`` per wave (pairs; per arm and wave), with the clusters, df and achieved power.

    Raises
    ------
    InvalidStatistics
        For ``d`` zero or not finite, alpha or power outside (0, 1), power not above alpha, an unknown
        design, a correlation outside (−1, 1) or given for another design than a panel, or an invalid
        ``icc``/``cluster_size``.

    Examples
    --------
    Cohen's (1988) medium effect: 64 per group. The same in statsmodels is
    ``TTestIndPower().solve_power(effect_size=0.5, alpha=0.05, power=0.8)`` (63.77, rounded up);
    in R, ``pwr::pwr.t.test(d = 0.5, power = 0.8)``.

    >>> n_for_smd(0.5).n
    64
    >>> n_for_smd(0.5, design="panel").n
    34
    >>> plan = n_for_smd(0.5, icc=0.05, cluster_size=21)
    >>> plan.n, plan.clusters, plan.df
    (168, 8, 14.0)
    """
    alpha, power = _check_alpha_power(alpha, power)
    sampling = _sampling(design, icc, cluster_size)
    d = _number("d", d)
    if not math.isfinite(d) or d == 0.0:
        raise InvalidStatistics(f"d: must be a finite, non-zero effect size, got {d}")
    effect = abs(_smd_effect(sampling.design, d, _optional_number("correlation", correlation)))
    z = float(stats.norm.ppf(1.0 - alpha / 2.0) + stats.norm.ppf(power))
    # The normal approximation is a close lower bound; _plan steps down in case it is not, then up.
    # (Products, not powers: a tiny effect gives infinity, which _plan refuses, not an OverflowError.)
    start = _VARIANCE_FACTOR[sampling.design] * sampling.deff * (z / effect) * (z / effect)
    return _plan(
        lambda n: _smd_power(effect, n, sampling, alpha),
        sampling,
        power,
        start,
        t_test=True,
        what=f"d: {d:g}",
    )


def n_for_proportions(
    p_pre: float,
    p_post: float,
    *,
    design: Design = "independent",
    alpha: float = 0.05,
    power: float = 0.8,
    discordant: float | None = None,
    correlation: float | None = None,
    icc: float = 0.0,
    cluster_size: float = 1,
) -> SampleSize:
    """Respondents per wave to detect a change of a proportion from ``p_pre`` to ``p_post``.

    The smallest n whose power (:func:`power_for_proportions`) reaches ``power``:

    * ``"independent"``: the pooled two-sample z test without continuity correction (Fleiss, Levin &
      Paik 2003, ch. 4): n = (z_a·√(2p̄q̄) + z_b·√(p_pre·q_pre + p_post·q_post))² / Δ², the formula of
      statsmodels' ``samplesize_proportions_2indep_onetail`` and G*Power's z test for two proportions.
    * ``"panel"``: McNemar's test (Connor 1987): n = (z_a·√ψ + z_b·√(ψ − Δ²))² / Δ², ψ the share of
      respondents whose answer changes (``discordant``), or ψ from the phi ``correlation`` of the pre
      and post answers. One of them is required: it carries the whole pre/post dependence, and no
      default is safe.
    * ``"comparison"``: the difference in differences with the comparison arm staying at p_pre, a t
      test with df 4n − 4 (as the OLS analysis), variance p_post·q_post + 3·p_pre·q_pre per respondent.
    * Clustered: whole clusters, variance times the design effect, and t with 2G − 2 df (G − 1 for a
      panel) in place of z (Donner & Klar 2000, ch. 5).

    Parameters
    ----------
    p_pre, p_post
        Expected proportions before and after, strictly between 0 and 1 and different.
    design
        ``"independent"``, ``"panel"`` or ``"comparison"``.
    alpha
        Two-sided significance level.
    power
        Desired power.
    discordant, correlation
        Panel designs only, one of them (see above).
    icc, cluster_size
        Cluster sampling: see the module docstring.

    Returns
    -------
    SampleSize
        ``n`` per wave (pairs; per arm and wave), with the clusters, df (None for a z test) and achieved
        power.

    Raises
    ------
    InvalidStatistics
        For proportions outside (0, 1) or equal, alpha or power outside (0, 1), power not above
        alpha, a missing or impossible ``discordant``/``correlation``, or an invalid
        ``icc``/``cluster_size``.

    Examples
    --------
    >>> n_for_proportions(0.4, 0.6).n
    97
    >>> n_for_proportions(0.5, 0.1, design="panel", discordant=0.5).n
    23
    """
    alpha, power = _check_alpha_power(alpha, power)
    sampling = _sampling(design, icc, cluster_size)
    props = _checked_proportions(sampling.design, p_pre, p_post, discordant, correlation)
    if props.change == 0:
        raise InvalidStatistics("p_pre, p_post: equal, so there is no change to detect")
    z_a, z_b = float(stats.norm.ppf(1.0 - alpha / 2.0)), float(stats.norm.ppf(power))
    root = (z_a * math.sqrt(props.v0) + z_b * math.sqrt(props.v1)) / props.change
    start = sampling.deff * root * root
    return _plan(
        lambda n: _proportion_power(props, n, sampling, alpha),
        sampling,
        power,
        start,
        t_test=props.t_test,
        what=f"p_pre, p_post: a change of {p_post - p_pre:g}",
    )


# -- minimum detectable effects ----------------------------------------------------------------------


def _solve_increasing(f: Callable[[float], float], low: float, high: float, *, what: str) -> float:
    """Root of f between low and high, where f(low) < 0 <= f(high)."""
    try:
        return float(optimize.brentq(f, low, high, xtol=1e-12, rtol=1e-12))
    except ValueError as exc:  # no sign change: brentq's only ValueError here
        raise InvalidStatistics(f"{what}: no solution ({exc})") from exc


def _largest_fitting_p_post(p_pre: float, fits: Callable[[float], bool]) -> float:
    """The largest p_post above p_pre for which ``fits`` holds, the set being an interval from p_pre."""
    top = 1.0 - 1e-12
    if fits(top):
        return top
    low, high = p_pre, top
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if fits(mid) else (low, mid)
    return low


def minimum_detectable_effect(
    n: float,
    *,
    design: Design = "independent",
    kind: Literal["smd", "proportion"] = "smd",
    alpha: float = 0.05,
    power: float = 0.8,
    p_pre: float | None = None,
    discordant: float | None = None,
    correlation: float | None = None,
    icc: float = 0.0,
    cluster_size: float = 1,
) -> float:
    """Smallest effect that ``n`` respondents per wave detect with the given power.

    The inverse of :func:`n_for_smd` and :func:`n_for_proportions`, with the same tests and degrees
    of freedom, solved numerically (clustered: G = n / cluster_size clusters, not rounded):

    * ``kind="smd"``: Cohen's d (independent, comparison), or d_z (panel; d over one wave's SD when
      ``correlation`` is given).
    * ``kind="proportion"``: the smallest *increase* ``p_post − p_pre`` from the given ``p_pre``.

    Parameters
    ----------
    n
        Respondents per wave (pairs; per arm and wave), including any cluster sampling.
    design
        ``"independent"``, ``"panel"`` or ``"comparison"``.
    kind
        ``"smd"`` or ``"proportion"``.
    alpha
        Two-sided significance level.
    power
        Desired power.
    p_pre
        ``kind="proportion"`` only: the proportion before, strictly between 0 and 1.
    discordant, correlation
        Panel designs: see :func:`n_for_proportions` and :func:`n_for_smd`.
    icc, cluster_size
        Cluster sampling: see the module docstring.

    Returns
    -------
    float
        The minimum detectable effect, positive: an effect size for ``"smd"``, a difference of
        proportions for ``"proportion"``.

    Raises
    ------
    InvalidStatistics
        For invalid parameters, fewer than 2 respondents (2 clusters), or an n too small to detect
        any increase from ``p_pre`` (or any that fits ``discordant``/``correlation``).

    Examples
    --------
    >>> round(minimum_detectable_effect(64), 2)
    0.5
    """
    alpha, power = _check_alpha_power(alpha, power)
    sampling = _sampling(design, icc, cluster_size)
    n = _check_n(n, sampling)
    discordant = _optional_number("discordant", discordant)
    correlation = _optional_number("correlation", correlation)
    what = "minimum detectable effect"
    if kind == "smd":
        if p_pre is not None or discordant is not None:
            raise InvalidStatistics('p_pre, discordant: apply to kind="proportion" only')
        # d_z per unit of the effect size asked for (1 for d and d_z themselves).
        per_unit = _smd_effect(sampling.design, 1.0, correlation)

        def gap(effect: float) -> float:
            return _smd_power(effect, n, sampling, alpha) - power

        high = 1.0
        # Power tends to 1 as the effect grows for any n with a degree of freedom.
        for _ in range(60):
            if gap(high) >= 0:
                break
            high *= 2.0
        return _solve_increasing(gap, 0.0, high, what=what) / per_unit
    if kind != "proportion":
        raise InvalidStatistics(f'kind: must be "smd" or "proportion", got {kind!r}')
    p_pre = _check_proportion("p_pre", p_pre)
    if sampling.design == "panel" and discordant is not None and correlation is None:
        if not 0 < discordant <= 1:
            _check_discordant(p_pre, p_pre, discordant)  # raises, with the full message
        psi = discordant
        # McNemar's power depends on the change and ψ only; whether the change fits the margins
        # is checked on the answer. The change cannot exceed ψ.
        top = min(1.0 - 1e-12, p_pre + psi)

        def gap_discordant(p_post: float) -> float:
            change = p_post - p_pre
            props = _Proportions(change, psi, max(psi - change * change, 1e-300), t_test=False)
            return _proportion_power(props, n, sampling, alpha) - power

        if gap_discordant(top) < 0:
            raise InvalidStatistics(
                f"n: {n:g} pairs cannot detect any change with discordant = {psi:g} at this power"
            )
        p_post = _solve_increasing(gap_discordant, p_pre + 1e-12, top, what=what)
        _check_discordant(p_pre, p_post, psi)
        return p_post - p_pre
    if sampling.design == "panel":

        def fits(p_post: float) -> bool:
            try:
                _proportions("panel", p_pre, p_post, discordant, correlation)
            except InvalidStatistics:
                return False
            return True

        if not fits(p_pre + 1e-9):
            _proportions("panel", p_pre, p_pre + 1e-9, discordant, correlation)  # raises, clearly
        top = _largest_fitting_p_post(p_pre, fits)
    else:
        _proportions(sampling.design, p_pre, p_pre, discordant, correlation)  # checks the options
        top = 1.0 - 1e-12

    def gap_p(p_post: float) -> float:
        props = _proportions(sampling.design, p_pre, p_post, discordant, correlation)
        return _proportion_power(props, n, sampling, alpha) - power

    if gap_p(top) < 0:
        raise InvalidStatistics(
            f"n: {n:g} per wave cannot detect any increase from p_pre = {p_pre} at this power"
            + (" with this discordant share or correlation" if sampling.design == "panel" else "")
        )
    return _solve_increasing(gap_p, p_pre + 1e-12, top, what=what) - p_pre
