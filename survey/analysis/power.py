"""Sample sizes and minimum detectable effects for pre/post campaign surveys.

All tests are two-sided at level ``alpha``. "Per wave" means: for an independent design, the number
of respondents in each wave (pre and post, or each arm); for a paired (panel) design, the number of
respondents answering both waves.

Clustered samples (respondents drawn in villages, schools, ...) are handled with the design effect
``deff = 1 + (cluster_size - 1) * icc`` (Kish 1965; Donner & Klar 2000): the sample size
of a simple random sample is multiplied by deff and rounded up; a minimum detectable effect is
computed for the effective sample size ``n / deff``. ``cluster_size`` is the mean number of
respondents per cluster, ``icc`` the intraclass correlation of the outcome.

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
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import numpy as np
from scipy import optimize, stats

from survey.errors import InvalidStatistics

__all__ = [
    "design_effect",
    "minimum_detectable_effect",
    "n_for_proportions",
    "n_for_smd",
]

# Sample sizes are searched up to this bound; beyond it the design is not a survey any more.
_MAX_N = 10**9


def _ceil(x: float) -> int:
    # 63.000000000001 from rounding in the formula must give 63, not 64.
    return math.ceil(round(x, 9))


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


def _check_alpha_power(alpha: float, power: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise InvalidStatistics(f"alpha: must be between 0 and 1 (exclusive), got {alpha}")
    if not 0.0 < power < 1.0:
        raise InvalidStatistics(f"power: must be between 0 and 1 (exclusive), got {power}")
    if power <= alpha:
        raise InvalidStatistics(
            f"power: must exceed alpha (a test rejects with probability alpha even when there is "
            f"no effect), got power {power}, alpha {alpha}"
        )


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
        The factor by which a simple random sample's size must grow (Donner & Klar 2000).

    Examples
    --------
    >>> design_effect(icc=0.05, cluster_size=21)
    2.0
    """
    icc = _number("icc", icc)
    cluster_size = _number("cluster_size", cluster_size)
    if not 0.0 <= icc <= 1.0:
        raise InvalidStatistics(f"icc: must be in [0, 1], got {icc}")
    if not 1.0 <= cluster_size < math.inf:
        raise InvalidStatistics(f"cluster_size: must be a number of at least 1, got {cluster_size}")
    return 1.0 + (cluster_size - 1.0) * icc


def _check_proportion(name: str, p: float | None) -> float:
    p = _optional_number(name, p)
    if p is None or not 0.0 < p < 1.0:
        raise InvalidStatistics(f"{name}: must be a proportion strictly between 0 and 1, got {p}")
    return float(p)


def _z(alpha: float, power: float) -> tuple[float, float]:
    return float(stats.norm.ppf(1.0 - alpha / 2.0)), float(stats.norm.ppf(power))


def _n_independent_proportions(p1: float, p2: float, z_a: float, z_b: float) -> float:
    """Fleiss, Levin & Paik (2003) sample size per group, without continuity correction.

    The test's null variance uses the pooled proportion, its alternative variance the two
    separate ones.
    """
    p_bar = (p1 + p2) / 2.0
    numerator = z_a * math.sqrt(2.0 * p_bar * (1.0 - p_bar)) + z_b * math.sqrt(
        p1 * (1.0 - p1) + p2 * (1.0 - p2)
    )
    return numerator**2 / (p2 - p1) ** 2


def _n_paired_proportions(discordant: float, diff: float, z_a: float, z_b: float) -> float:
    """Connor (1987) number of pairs for McNemar's test (normal approximation)."""
    numerator = z_a * math.sqrt(discordant) + z_b * math.sqrt(discordant - diff**2)
    return numerator**2 / diff**2


def _check_discordant(p_pre: float, p_post: float, discordant: float | None) -> float:
    """Check that the discordant proportion fits the two marginal proportions."""
    if discordant is None:
        raise InvalidStatistics(
            "discordant: a paired design needs the expected share of respondents whose answer "
            "changes between the waves (either direction), e.g. from a pilot; there is no safe "
            "default"
        )
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
    return float(discordant)


def n_for_proportions(
    p_pre: float,
    p_post: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    paired: bool = False,
    discordant: float | None = None,
    icc: float = 0.0,
    cluster_size: float = 1,
) -> int:
    """Sample size per wave to detect a change of a proportion from ``p_pre`` to ``p_post``.

    * Independent waves: the classic formula for the two-sample z test with the pooled
      proportion under the null (Fleiss, Levin & Paik 2003, ch. 4, without continuity
      correction): ``n = (z_a * sqrt(2 p q) + z_b * sqrt(p1 q1 + p2 q2))**2 / (p2 - p1)**2``
      with ``p`` the mean of the two proportions (the same formula as statsmodels'
      ``samplesize_proportions_2indep_onetail``).
    * Paired (panel): Connor's (1987) formula for McNemar's test,
      ``n = (z_a * sqrt(psi) + z_b * sqrt(psi - delta**2))**2 / delta**2``, with
      ``delta = p_post - p_pre`` and ``psi = discordant``, the share of respondents whose answer
      differs between the waves (either direction). ``discordant`` is required: it carries the
      whole pre/post correlation, and no default is safe. It must be at least ``|delta|`` and fit
      the margins.

    ``z_a`` is the ``1 - alpha/2`` and ``z_b`` the ``power`` quantile of the standard normal.

    Parameters
    ----------
    p_pre, p_post
        Expected proportions before and after, strictly between 0 and 1 and different.
    alpha
        Two-sided significance level.
    power
        Desired power.
    paired
        Whether the same respondents answer both waves.
    discordant
        Paired designs only: the expected share of respondents changing their answer.
    icc, cluster_size
        Cluster sampling: see :func:`design_effect`.

    Returns
    -------
    int
        Respondents per wave (pairs, for a paired design), times the design effect, rounded up.

    Raises
    ------
    InvalidStatistics
        For proportions outside (0, 1) or equal, alpha or power outside (0, 1), power not above
        alpha, a missing or impossible ``discordant``, or an invalid ``icc``/``cluster_size``.

    Examples
    --------
    >>> n_for_proportions(0.4, 0.6)
    97
    >>> n_for_proportions(0.5, 0.1, paired=True, discordant=0.5)
    23
    """
    alpha, power = _number("alpha", alpha), _number("power", power)
    _check_alpha_power(alpha, power)
    p_pre = _check_proportion("p_pre", p_pre)
    p_post = _check_proportion("p_post", p_post)
    discordant = _optional_number("discordant", discordant)
    if p_pre == p_post:
        raise InvalidStatistics("p_pre, p_post: equal, so there is no change to detect")
    deff = design_effect(icc, cluster_size)
    z_a, z_b = _z(alpha, power)
    if paired:
        psi = _check_discordant(p_pre, p_post, discordant)
        n = _n_paired_proportions(psi, p_post - p_pre, z_a, z_b)
    else:
        if discordant is not None:
            raise InvalidStatistics("discordant: applies to paired designs only")
        n = _n_independent_proportions(p_pre, p_post, z_a, z_b)
    return _ceil(n * deff)


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


def _smd_power_function(paired: bool, alpha: float) -> Callable[[float, float], float]:
    """Power as a function of (effect size, n per wave) for the two t tests."""
    if paired:
        return lambda d, n: _two_sided_t_power(d * math.sqrt(n), n - 1.0, alpha)
    return lambda d, n: _two_sided_t_power(d * math.sqrt(n / 2.0), 2.0 * n - 2.0, alpha)


def _paired_dz(d: float, correlation: float | None) -> float:
    if correlation is None:
        return d
    if not -1.0 < correlation < 1.0:
        raise InvalidStatistics(
            f"correlation: must be strictly between -1 and 1, got {correlation}"
        )
    # SD of the differences is sd * sqrt(2 (1 - r)) when both waves have the same SD.
    return d / math.sqrt(2.0 * (1.0 - correlation))


def n_for_smd(
    d: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    paired: bool = False,
    correlation: float | None = None,
    icc: float = 0.0,
    cluster_size: float = 1,
) -> int:
    """Sample size per wave to detect a standardised mean difference with a t test.

    Exact power from the noncentral t distribution (Cohen 1988, ch. 2), with n searched upward
    from the normal approximation to the smallest n that reaches the power:

    * Independent waves: Student's two-sample t test, df ``2n - 2``, noncentrality
      ``d * sqrt(n / 2)``, for Cohen's d (difference over the pooled SD).
    * Paired: the one-sample t test of the differences, df ``n - 1``, noncentrality
      ``d_z * sqrt(n)``. ``d`` is d_z (difference over the SD of the differences) unless
      ``correlation`` (the pre/post correlation r) is given; then ``d`` is standardised by the
      SD of one wave and ``d_z = d / sqrt(2 (1 - r))`` (equal SDs assumed).

    Parameters
    ----------
    d
        The effect size; its sign is ignored (two-sided test).
    alpha
        Two-sided significance level.
    power
        Desired power.
    paired
        Whether the same respondents answer both waves.
    correlation
        Paired designs only: the pre/post correlation, to convert ``d`` to d_z.
    icc, cluster_size
        Cluster sampling: see :func:`design_effect`.

    Returns
    -------
    int
        Respondents per wave (pairs, for a paired design), times the design effect, rounded up.

    Raises
    ------
    InvalidStatistics
        For ``d`` zero or not finite, alpha or power outside (0, 1), power not above alpha, a
        correlation outside (-1, 1) or given for independent waves, or an invalid
        ``icc``/``cluster_size``.

    Examples
    --------
    Cohen's (1988) medium effect: 64 per group. The same in statsmodels is
    ``TTestIndPower().solve_power(effect_size=0.5, alpha=0.05, power=0.8)`` (63.77, rounded up);
    in R, ``pwr::pwr.t.test(d = 0.5, power = 0.8)``.

    >>> n_for_smd(0.5)
    64
    >>> n_for_smd(0.5, paired=True)
    34
    """
    alpha, power, d = _number("alpha", alpha), _number("power", power), _number("d", d)
    correlation = _optional_number("correlation", correlation)
    _check_alpha_power(alpha, power)
    if not math.isfinite(d) or d == 0.0:
        raise InvalidStatistics(f"d: must be a finite, non-zero effect size, got {d}")
    deff = design_effect(icc, cluster_size)
    if paired:
        effect = abs(_paired_dz(d, correlation))
    else:
        if correlation is not None:
            raise InvalidStatistics("correlation: applies to paired designs only")
        effect = abs(d)
    power_at = _smd_power_function(paired, alpha)
    z_a, z_b = _z(alpha, power)
    groups = 1.0 if paired else 2.0
    # The normal approximation is a close lower bound; step down in case it is not, then up.
    normal_n = groups * ((z_a + z_b) / effect) ** 2
    if not normal_n <= _MAX_N:
        raise InvalidStatistics(f"d: {d} is too small; more than {_MAX_N} respondents needed")
    n = max(2, math.floor(normal_n))
    while n > 2 and power_at(effect, n - 1) >= power:
        n -= 1
    while power_at(effect, n) < power:
        n += 1
    return _ceil(n * deff)


def _solve_increasing(f: Callable[[float], float], low: float, high: float, *, what: str) -> float:
    """Root of f between low and high, where f(low) < 0 <= f(high)."""
    try:
        return float(optimize.brentq(f, low, high, xtol=1e-12, rtol=1e-12))
    except ValueError as exc:  # no sign change: brentq's only ValueError here
        raise InvalidStatistics(f"{what}: no solution ({exc})") from exc


def minimum_detectable_effect(
    n: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    paired: bool = False,
    icc: float = 0.0,
    cluster_size: float = 1,
    kind: Literal["smd", "proportion"] = "smd",
    p_pre: float | None = None,
    discordant: float | None = None,
    correlation: float | None = None,
) -> float:
    """Smallest effect that ``n`` respondents per wave detect with the given power.

    The inverse of :func:`n_for_smd` and :func:`n_for_proportions`, with the same methods,
    solved numerically for the effective sample size ``n / deff``:

    * ``kind="smd"``: Cohen's d (independent waves), or d_z (paired; or d standardised by one
      wave's SD when ``correlation`` is given), from the noncentral t.
    * ``kind="proportion"``: the smallest *increase* ``p_post - p_pre`` from the given ``p_pre``
      (Fleiss, Levin & Paik 2003 for independent waves; Connor 1987 for paired waves, which needs
      ``discordant``).

    Parameters
    ----------
    n
        Respondents per wave (pairs, for a paired design), including any cluster sampling.
    alpha
        Two-sided significance level.
    power
        Desired power.
    paired
        Whether the same respondents answer both waves.
    icc, cluster_size
        Cluster sampling: see :func:`design_effect`.
    kind
        ``"smd"`` or ``"proportion"``.
    p_pre
        ``kind="proportion"`` only: the proportion before, strictly between 0 and 1.
    discordant
        Paired proportions only: the expected share of respondents changing their answer.
    correlation
        Paired smd only: the pre/post correlation (see :func:`n_for_smd`).

    Returns
    -------
    float
        The minimum detectable effect, positive: an effect size for ``"smd"``, a difference of
        proportions for ``"proportion"``.

    Raises
    ------
    InvalidStatistics
        For invalid parameters, an effective n below 2, or an n too small to detect any
        increase from ``p_pre`` (or any that fits ``discordant``).

    Examples
    --------
    >>> round(minimum_detectable_effect(64), 2)
    0.5
    """
    alpha, power, n = _number("alpha", alpha), _number("power", power), _number("n", n)
    discordant = _optional_number("discordant", discordant)
    correlation = _optional_number("correlation", correlation)
    _check_alpha_power(alpha, power)
    if not 0 < n <= _MAX_N:
        raise InvalidStatistics(f"n: must be a positive number up to {_MAX_N}, got {n}")
    deff = design_effect(icc, cluster_size)
    n_eff = n / deff
    if n_eff < 2.0:
        raise InvalidStatistics(
            f"n: {n} respondents per wave give an effective sample size of {n_eff:.3g} after the"
            f" design effect {deff:.3g}; at least 2 are needed"
        )
    if kind == "smd":
        if p_pre is not None or discordant is not None:
            raise InvalidStatistics('p_pre, discordant: apply to kind="proportion" only')
        if correlation is not None and not paired:
            raise InvalidStatistics("correlation: applies to paired designs only")
        # d_z per unit of the effect size asked for (1 for d_z itself): see n_for_smd.
        dz_per_d = _paired_dz(1.0, correlation) if paired else 1.0
        power_at = _smd_power_function(paired, alpha)
        high = 1.0
        # Power tends to 1 as the effect grows for any n_eff >= 2; 60 doublings is far beyond.
        for _ in range(60):
            if power_at(high, n_eff) >= power:
                break
            high *= 2.0
        effect = _solve_increasing(
            lambda e: power_at(e, n_eff) - power, 0.0, high, what="minimum detectable effect"
        )
        return effect / dz_per_d
    if kind != "proportion":
        raise InvalidStatistics(f'kind: must be "smd" or "proportion", got {kind!r}')
    if correlation is not None:
        raise InvalidStatistics('correlation: applies to kind="smd" only')
    p_pre = _check_proportion("p_pre", p_pre)
    z_a, z_b = _z(alpha, power)
    if paired:
        if discordant is None or not 0.0 < discordant <= 1.0:
            # No change fits an invalid discordant share: this raises, with the full message.
            _check_discordant(p_pre, p_pre, discordant)
        psi = float(discordant)
        # The needed n falls as the change grows; the largest change psi allows is psi itself.
        if _n_paired_proportions(psi, psi, z_a, z_b) > n_eff:
            raise InvalidStatistics(
                f"n: {n} pairs cannot detect any change with discordant = {psi} at this power"
            )
        diff = _solve_increasing(
            lambda x: n_eff - _n_paired_proportions(psi, x, z_a, z_b),
            1e-12,
            psi,
            what="minimum detectable effect",
        )
        # The change must also fit the margins.
        _check_discordant(p_pre, p_pre + diff, psi)
        return diff
    if discordant is not None:
        raise InvalidStatistics("discordant: applies to paired designs only")
    top = 1.0 - 1e-12
    if _n_independent_proportions(p_pre, top, z_a, z_b) > n_eff:
        raise InvalidStatistics(
            f"n: {n} per wave cannot detect any increase from p_pre = {p_pre} at this power"
        )
    p_post = _solve_increasing(
        lambda p: n_eff - _n_independent_proportions(p_pre, p, z_a, z_b),
        p_pre + 1e-12,
        top,
        what="minimum detectable effect",
    )
    return p_post - p_pre
