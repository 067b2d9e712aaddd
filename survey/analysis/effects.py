"""Effect sizes with confidence intervals for pre/post and campaign/comparison designs.

Every function returns an :class:`~survey.analysis.results.Effect`. Direction: the **first** argument is
*after* (post, or the campaign arm), the second *before* (pre, or comparison), so a positive estimate means
improvement. Every function takes ``confidence_level=0.95`` as a keyword.

A p-value never disagrees with its interval: each function's p comes from the test whose inversion is its
interval (a t test and its noncentral-t or t interval with the same statistic and degrees of freedom), or,
where the interval is not the inversion of a standard test (Newcombe's), p is read off the interval itself:
the level at which its nearer limit reaches "no effect". So ``p < 1 - confidence_level`` exactly when the
interval excludes no effect (0; 1 for the odds ratio; ½ for the probability of superiority), which
tests/analysis/test_agreement.py checks on random data for every function here.

How degenerate input is handled, everywhere in this module:

* Input that cannot be analysed at all raises :class:`~survey.errors.InvalidStatistics` with a message
  naming the argument: empty or too-short samples, missing or non-finite values, non-numeric values,
  paired arrays of different lengths, counts that are negative, non-integral or larger than their total,
  a total of zero, a confidence level outside (0, 1).
* Valid data that leaves a quantity undefined (a standard deviation of zero, a zero standard error, a
  Brunner–Munzel variance of zero) gives an ``Effect`` whose undefined fields are NaN, with a note saying
  why. A report can then show the row with its caveat instead of failing as a whole. A spread smaller
  than 1e-12 of the data's largest magnitude counts as zero: at that size it is floating-point rounding.

One module, though long: every estimator here follows one contract (direction, ``confidence_level``,
``Effect`` out, p from the method of its interval) and shares its input checks and interval helpers;
most of its length is numpydoc (each estimator's method, reference and R equivalent), which a referee
reads side by side.
"""

from __future__ import annotations

import math
import operator
import warnings
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import integrate, optimize, special, stats

from survey.analysis.cells import Cells, Clustered
from survey.analysis.results import Effect
from survey.errors import InvalidStatistics

__all__ = [
    "cohens_d",
    "cohens_h",
    "difference_in_differences",
    "difference_in_differences_from_cells",
    "glass_delta",
    "hedges_g",
    "mean_difference",
    "odds_ratio",
    "paired_d",
    "paired_risk_difference",
    "prob_superiority",
    "risk_difference",
    "standardized_difference_in_differences",
    "standardized_difference_in_differences_from_cells",
]

NAN = float("nan")

# Survey scores never come near this; the bound keeps results in raw units finite.
_MAX_ABS = 1e100
# Arithmetic runs on data divided by their largest magnitude. A spread below this (relative to that
# magnitude, about 10^4 units of rounding) counts as none: it is rounding noise, as when differences that
# are all equal come out of floating point a few units apart, and no survey measures that finely.
_TINY_SPREAD = 1e-12
# Counts beyond this cannot be converted to floats exactly and come from no survey.
_MAX_COUNT = 10**15
#: Below this many values in a group, Brunner and Munzel's t approximation can be inaccurate, and
#: Neubert & Brunner (2007) recommend their permutation test instead.
BRUNNER_MUNZEL_MIN_N = 10

# Far out the noncentral t needs other means: scipy.special.nctdtr loses accuracy past |t| of about 1e4
# (and returns NaN near 1e5), so a direct integral takes over. Once t² exceeds _T2_ASYMPTOTIC·sqrt(df) the
# normal part of the statistic is negligible against the chi part (the closed-form limits are then off by
# about 1.5·sqrt(df)/t², under 2e-9 relative) and the closed form is used.
_T_NCTDTR_MAX = 1e4
_T2_ASYMPTOTIC = 1e9


# --------------------------------------------------------------------------------------------- input


def _alpha(confidence_level: float) -> float:
    try:
        level = float(confidence_level)
    except (TypeError, ValueError):
        raise InvalidStatistics(f"confidence_level: {confidence_level!r} is not a number") from None
    if not 0.0 < level < 1.0:
        raise InvalidStatistics(f"confidence_level: {level} is not between 0 and 1")
    return 1.0 - level


def _sample(x: ArrayLike | Cells, name: str, min_n: int = 2) -> np.ndarray | Cells:
    """The values of a sample as floats, checked; a sample given as cells stays cells."""
    if isinstance(x, Cells):
        return _cells_sample(x, name, min_n)
    raw = np.asarray(x)
    if raw.dtype.kind not in "biufO":
        raise InvalidStatistics(f"{name}: expected numbers, got values of type {raw.dtype}")
    try:
        arr = raw.astype(float)
    except (TypeError, ValueError):
        raise InvalidStatistics(f"{name}: expected numbers") from None
    if arr.ndim != 1:
        raise InvalidStatistics(f"{name}: expected a one-dimensional array, got shape {arr.shape}")
    if arr.size < min_n:
        raise InvalidStatistics(f"{name}: needs at least {min_n} values, got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise InvalidStatistics(f"{name}: contains missing or non-finite values; drop them first")
    if np.max(np.abs(arr)) > _MAX_ABS:
        raise InvalidStatistics(f"{name}: values larger than {_MAX_ABS:g} in magnitude")
    return arr


def _cells_sample(x: Cells, name: str, min_n: int) -> Cells:
    if x.size < min_n:
        raise InvalidStatistics(f"{name}: needs at least {min_n} values, got {x.size}")
    if not np.all(np.isfinite(x.values)):
        raise InvalidStatistics(f"{name}: contains missing or non-finite values; drop them first")
    if x.max_abs() > _MAX_ABS:
        raise InvalidStatistics(f"{name}: values larger than {_MAX_ABS:g} in magnitude")
    return x


def _size(x: np.ndarray | Cells) -> int:
    return x.size if isinstance(x, Cells) else int(x.size)


def _mean(x: np.ndarray | Cells) -> float:
    return x.mean() if isinstance(x, Cells) else float(np.mean(x))


def _count(value: object, name: str) -> int:
    if isinstance(value, float | np.floating):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise InvalidStatistics(f"{name}: {value!r} is not a whole number")
        count = int(value)
    else:
        try:
            count = operator.index(value)  # type: ignore[arg-type]
        except TypeError:
            raise InvalidStatistics(f"{name}: {value!r} is not a whole number") from None
    if abs(count) > _MAX_COUNT:
        raise InvalidStatistics(f"{name}: {count} is too large a count")
    return count


def _proportion(k: object, n: object, k_name: str, n_name: str) -> tuple[int, int]:
    k_, n_ = _count(k, k_name), _count(n, n_name)
    if n_ <= 0:
        raise InvalidStatistics(f"{n_name}: the group size must be positive, got {n_}")
    if k_ < 0:
        raise InvalidStatistics(f"{k_name}: a count cannot be negative, got {k_}")
    if k_ > n_:
        raise InvalidStatistics(f"{k_name}: {k_} is larger than {n_name} = {n_}")
    return k_, n_


def _scaled(*arrays: np.ndarray | Cells) -> tuple[float, list[np.ndarray | Cells]]:
    """Divide the arrays by their largest magnitude, so that later squares neither overflow nor underflow.

    Standardised effects and t statistics do not change; raw-unit results are multiplied back.
    """
    scale = max(x.max_abs() if isinstance(x, Cells) else float(np.max(np.abs(x))) for x in arrays)
    if scale == 0:
        scale = 1.0
    return scale, [x / scale for x in arrays]


def _sd(x: np.ndarray | Cells) -> float:
    """Sample SD of scaled data, with spreads that are only rounding noise reported as exactly zero."""
    # The mean of identical values is not always exactly that value in floating point, so np.std alone
    # would report a tiny spurious spread and the standardised effect would explode.
    if isinstance(x, Cells):
        return 0.0 if x.ptp() <= _TINY_SPREAD else x.std(ddof=1)
    if np.ptp(x) <= _TINY_SPREAD:
        return 0.0
    return float(np.std(x, ddof=1))


def _t_crit(alpha: float, df: float) -> float:
    return float(stats.t.isf(alpha / 2, df))


def _t_pvalue(t: float, df: float) -> float:
    return float(2 * stats.t.sf(abs(t), df))


def _z_crit(alpha: float) -> float:
    return float(special.ndtri(1 - alpha / 2))


# 2·Φ(−40) is about 7e-350, below the smallest double: beyond it a p-value is 0 in floating point.
_Z_MAX = 40.0


def _p_from_interval(
    limits: Callable[[float], tuple[float, float]], estimate: float, null: float = 0.0
) -> float:
    """The two-sided p-value of the test that an interval family inverts.

    ``limits(z)`` gives the interval whose normal critical value is z (confidence level 1 − 2Φ(−z)); the
    intervals must widen as z grows, which Wilson-based intervals do. p is 2Φ(−z*), z* being the
    critical value at which the limit nearer ``null`` reaches it: the interval at level 1 − α excludes
    ``null`` exactly when p < α. This is the duality of tests and confidence sets (Lehmann & Romano 2005,
    Testing Statistical Hypotheses, 3rd ed., §3.5), read as Birnbaum's (1961) confidence curve.
    """
    if estimate == null:
        return 1.0
    if estimate > null:

        def gap(z: float) -> float:
            return limits(z)[0] - null
    else:

        def gap(z: float) -> float:
            return null - limits(z)[1]

    if gap(_Z_MAX) > 0:
        return 0.0
    z = float(optimize.brentq(gap, 0.0, _Z_MAX, xtol=1e-13, rtol=1e-15, maxiter=500))
    return float(2 * special.ndtr(-z))


# ------------------------------------------------------------------------------- noncentral t


def _nct_cdf_integral(t: float, df: float, ncp: float) -> float:
    """P(T <= t) for T = (Z + ncp) / sqrt(V / df) by one-dimensional integration over Z.

    For t > 0 the event is Z + ncp <= t·sqrt(V/df): always true when Z + ncp <= 0, and otherwise
    V >= df·((Z + ncp)/t)², a chi-square tail. For the large |t| where it is used the integrand is smooth,
    so quadrature stays accurate where series for the noncentral t lose precision. (For |t| well below 1
    the chi-square step becomes too sharp for it; those never reach here.)
    """
    if t < 0:
        return 1.0 - _nct_cdf_integral(-t, df, -ncp)
    if t == 0:
        return float(special.ndtr(-ncp))

    def integrand(z: float) -> float:
        u = (z + ncp) / t
        return float(stats.norm.pdf(z) * special.chdtrc(df, df * u * u))

    lower = max(-ncp, -40.0)
    if lower >= 40.0:
        return float(special.ndtr(-ncp))
    with warnings.catch_warnings():
        # A rare "roundoff" report from QUADPACK here concerns digits far below what we use.
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(integrand, lower, 40.0, limit=200, epsabs=1e-14, epsrel=1e-11)
    return float(special.ndtr(-ncp)) + value


def _nct_cdf(t: float, df: float, ncp: float) -> float:
    if abs(t) <= _T_NCTDTR_MAX:
        value = float(special.nctdtr(df, ncp, t))
        if math.isfinite(value):
            return value
    return _nct_cdf_integral(t, df, ncp)


def _ncp_for_cdf(t: float, df: float, p: float) -> float:
    """The noncentrality λ with P(T_df,λ <= t) = p, by bracketing and Brent's method.

    P(T <= t) decreases in λ, so we start from the normal approximation and widen the bracket until
    the sign changes. scipy.special.nctdtrinc is not used: it can run without end for |t| near 1e6.
    """

    def gap(ncp: float) -> float:
        return _nct_cdf(t, df, ncp) - p

    spread = math.sqrt(1.0 + t * t / (2.0 * df))
    guess = t - float(special.ndtri(p)) * spread
    low, high = guess - spread, guess + spread
    step = spread
    for _ in range(200):
        if gap(low) > 0:
            break
        low -= step
        step *= 2
    step = spread
    for _ in range(200):
        if gap(high) < 0:
            break
        high += step
        step *= 2
    return float(optimize.brentq(gap, low, high, xtol=1e-12, rtol=1e-12, maxiter=500))


def _ncp_interval(t: float, df: float, alpha: float) -> tuple[float, float]:
    """Confidence limits for the noncentrality parameter of a t statistic (Steiger & Fouladi 1997)."""
    if not math.isfinite(t):
        raise InvalidStatistics(
            "the spread of the data is too small relative to the difference to standardise it"
        )
    if t * t > _T2_ASYMPTOTIC * math.sqrt(df):
        # T ≈ λ / sqrt(V/df) when |λ| dwarfs the unit-variance normal part, so λ = t·sqrt(V/df) and the
        # limits come from the chi-square quantiles.
        small = math.sqrt(float(stats.chi2.ppf(alpha / 2, df)) / df)
        large = math.sqrt(float(stats.chi2.isf(alpha / 2, df)) / df)
        return (t * small, t * large) if t > 0 else (t * large, t * small)
    return _ncp_for_cdf(t, df, 1 - alpha / 2), _ncp_for_cdf(t, df, alpha / 2)


def _hedges_j(df: float) -> float:
    """Hedges' (1981) exact bias correction J(df) = Γ(df/2) / (√(df/2) · Γ((df−1)/2))."""
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


# ------------------------------------------------------------------------------- standardised means


def _pooled(a: np.ndarray | Cells, b: np.ndarray | Cells) -> tuple[float, float, float, int]:
    """Mean difference, pooled SD, Student t and its df."""
    n_a, n_b = _size(a), _size(b)
    df = n_a + n_b - 2
    diff = _mean(a) - _mean(b)
    sd = math.sqrt(((n_a - 1) * _sd(a) ** 2 + (n_b - 1) * _sd(b) ** 2) / df)
    t = diff / (sd * math.sqrt(1 / n_a + 1 / n_b)) if sd > 0 else NAN
    return diff, sd, t, df


def _zero_sd_effect(name: str, method: str, level: float, n: tuple[int, ...], why: str) -> Effect:
    return Effect(
        name=name,
        estimate=NAN,
        ci_low=NAN,
        ci_high=NAN,
        confidence_level=level,
        method=method,
        n=n,
        p_value=NAN,
        notes=(why,),
    )


def cohens_d(
    a: ArrayLike | Cells,
    b: ArrayLike | Cells,
    *,
    equal_var: bool = True,
    confidence_level: float = 0.95,
) -> Effect:
    """Cohen's d for two independent groups, with a noncentral-t confidence interval.

    Estimator: d = (mean(a) − mean(b)) / s_p, with s_p the pooled standard deviation
    sqrt(((n_a−1)s_a² + (n_b−1)s_b²) / (n_a+n_b−2)) (Cohen 1988).

    Interval, ``equal_var=True`` (the default): the Student t statistic t = d / sqrt(1/n_a + 1/n_b)
    follows a noncentral t with n_a+n_b−2 degrees of freedom; its noncentrality limits are found by
    inverting the noncentral t distribution function and rescaled by sqrt(1/n_a + 1/n_b) (Steiger &
    Fouladi 1997; Cumming & Finch 2001, Educational and Psychological Measurement 61:532). This is not
    the normal approximation used by pingouin, which is too narrow in small samples. The p-value is the
    pooled-variance t test.

    Interval, ``equal_var=False``: the same construction on Welch's statistic
    t_W = (mean(a) − mean(b)) / sqrt(s_a²/n_a + s_b²/n_b), noncentral t with the Welch–Satterthwaite
    degrees of freedom, its limits mapped to d by sqrt(s_a²/n_a + s_b²/n_b) / s_p with that ratio treated
    as known (the approximation of Algina, Keselman & Penfield 2006, used by :func:`glass_delta` too).
    The p-value is Welch's t test. When the group variances may differ this is the interval to use: with
    n = 12 (SD 2.5) against n = 40 (SD 1) the equal-variance interval covers the true d only about 80%
    of the time, this one about 95% (docs/analysis.md), and it excludes 0 exactly when Welch's test rejects.

    Parameters
    ----------
    a, b : array_like or Cells
        Scores after (campaign arm) and before (comparison), at least two each, all finite; or their
        :class:`~survey.analysis.cells.Cells` (values with counts), with the same result.
    equal_var : bool
        Whether to assume equal variances (Student) or not (Welch); the scipy name.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="cohens_d"``, ``method`` ``"noncentral t"`` or ``"noncentral t (welch)"``,
        ``n=(n_a, n_b)``. When both groups have zero variance, d is undefined: estimate, limits and p are
        NaN and a note says so.

    Raises
    ------
    InvalidStatistics
        A group with fewer than two values, or non-finite values.

    References
    ----------
    Cohen J. (1988) Statistical Power Analysis for the Behavioral Sciences, 2nd ed. Erlbaum.
    Steiger J.H. & Fouladi R.T. (1997) Noncentrality interval estimation and the evaluation of statistical
    models. In Harlow, Mulaik & Steiger (eds), What If There Were No Significance Tests? Erlbaum.
    Algina J., Keselman H.J. & Penfield R.D. (2006) Confidence intervals for an effect size when variances
    are not equal. Journal of Modern Applied Statistical Methods 5(1):2–13.

    Examples
    --------
    The same as R ``effectsize::cohens_d(a, b)`` or ``MBESS::ci.smd(ncp = t, n.1 = n_a, n.2 = n_b)``.
    With ``equal_var=False``, the interval is R's ``MBESS::conf.limits.nct(t_W, df_W)`` times
    ``sqrt(var(a)/n_a + var(b)/n_b) / s_p``.
    """
    alpha = _alpha(confidence_level)
    _, (a_, b_) = _scaled(_sample(a, "a"), _sample(b, "b"))
    n = (_size(a_), _size(b_))
    method = "noncentral t" if equal_var else "noncentral t (welch)"
    diff, sd, t, df = _pooled(a_, b_)
    if sd == 0:
        return _zero_sd_effect(
            "cohens_d", method, 1 - alpha, n, "both groups have zero variance: d is undefined"
        )
    if equal_var:
        scale = math.sqrt(1 / n[0] + 1 / n[1])
    else:
        se, df, t = _welch(a_, b_)
        scale = se / sd
    low, high = _ncp_interval(t, df, alpha)
    return Effect(
        name="cohens_d",
        estimate=diff / sd,
        ci_low=low * scale,
        ci_high=high * scale,
        confidence_level=1 - alpha,
        method=method,
        n=n,
        p_value=_t_pvalue(t, df),
    )


def hedges_g(
    a: ArrayLike | Cells,
    b: ArrayLike | Cells,
    *,
    equal_var: bool = True,
    confidence_level: float = 0.95,
) -> Effect:
    """Hedges' g: Cohen's d with the exact small-sample bias correction, noncentral-t interval.

    Estimator: g = J(df) · d with df = n_a+n_b−2 and the exact correction
    J(df) = Γ(df/2) / (√(df/2) · Γ((df−1)/2)) (Hedges 1981), not the approximation 1 − 3/(4df−1).

    Interval: the noncentral-t limits of :func:`cohens_d` (Student's, or with ``equal_var=False``
    Welch's), each multiplied by J(df). The p-value is the t test of the same kind, so the interval
    excludes 0 exactly when it is below 1 − confidence_level. The campaign report uses
    ``equal_var=False``, beside the Welch mean difference.

    Parameters
    ----------
    a, b : array_like
        Scores after (campaign arm) and before (comparison), at least two each.
    equal_var : bool
        Whether to assume equal variances (Student) or not (Welch); see :func:`cohens_d`.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="hedges_g"``, ``method`` as for :func:`cohens_d`, ``n=(n_a, n_b)``; NaN with a note when
        both groups have zero variance.

    References
    ----------
    Hedges L.V. (1981) Distribution theory for Glass's estimator of effect size and related estimators.
    Journal of Educational Statistics 6(2):107–128.

    Examples
    --------
    The same as R ``effectsize::hedges_g(a, b)``.
    """
    d = cohens_d(a, b, equal_var=equal_var, confidence_level=confidence_level)
    j = _hedges_j(d.n[0] + d.n[1] - 2)
    return Effect(
        name="hedges_g",
        estimate=d.estimate * j,
        ci_low=d.ci_low * j,
        ci_high=d.ci_high * j,
        confidence_level=d.confidence_level,
        method=d.method,
        n=d.n,
        p_value=d.p_value,
        notes=d.notes,
    )


def _welch(a: np.ndarray | Cells, b: np.ndarray | Cells) -> tuple[float, float, float]:
    """Standard error, Welch–Satterthwaite df and t for mean(a) − mean(b); se 0 gives NaN df and t."""
    sd_a, sd_b = _sd(a), _sd(b)
    n_a, n_b = _size(a), _size(b)
    va, vb = sd_a * sd_a / n_a, sd_b * sd_b / n_b
    se = math.sqrt(va + vb)
    if se == 0:
        return 0.0, NAN, NAN
    df = (va + vb) * (va + vb) / (va * va / (n_a - 1) + vb * vb / (n_b - 1))
    return se, df, (_mean(a) - _mean(b)) / se


def glass_delta(a: ArrayLike, b: ArrayLike, *, confidence_level: float = 0.95) -> Effect:
    """Glass's Δ: the mean difference in units of the comparison group's standard deviation.

    Estimator: Δ = (mean(a) − mean(b)) / s_b, where ``b`` is the before / comparison / control group
    (Glass 1976). Use it when the campaign is expected to change the spread as well as the mean.

    Interval: the approximate noncentral-t method of Algina, Keselman & Penfield (2006). With the
    variance ratio treated as known, t' = Δ / sqrt(1/n_b + s_a²/(s_b²·n_a)) is noncentral t with n_b − 1
    degrees of freedom (s_b is independent of both means); its noncentrality limits are rescaled by the
    same square root. Plugging in the sample variance ratio is the approximation: coverage is close to
    nominal when n_b is not tiny. t' is Welch's statistic, and the p-value is the test this interval
    inverts: t' against the central t with n_b − 1 degrees of freedom (more cautious than Welch's
    Satterthwaite degrees of freedom whenever those exceed n_b − 1), so that p and interval agree.

    Parameters
    ----------
    a, b : array_like
        Scores after (campaign arm) and before (comparison; its SD is the standardiser), two or more each.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="glass_delta"``, ``method="noncentral t (Algina-Keselman-Penfield)"``, ``n=(n_a, n_b)``;
        NaN with a note when ``b`` has zero variance.

    References
    ----------
    Glass G.V. (1976) Primary, secondary, and meta-analysis of research. Educational Researcher 5(10):3–8.
    Algina J., Keselman H.J. & Penfield R.D. (2006) Confidence intervals for an effect size when variances
    are not equal. Journal of Modern Applied Statistical Methods 5(1):2–13.

    Examples
    --------
    The estimate is R ``(mean(a) - mean(b)) / sd(b)``; Delacre's ``deffectsize::glass_CI`` (with
    ``unbiased = FALSE``) implements the same interval approximation.
    """
    alpha = _alpha(confidence_level)
    _, (a_, b_) = _scaled(_sample(a, "a"), _sample(b, "b"))
    n = (a_.size, b_.size)
    method = "noncentral t (Algina-Keselman-Penfield)"
    sd_a, sd_b = _sd(a_), _sd(b_)
    if sd_b == 0:
        return _zero_sd_effect(
            "glass_delta", method, 1 - alpha, n, "b has zero variance: Glass's delta is undefined"
        )
    delta = float(np.mean(a_) - np.mean(b_)) / sd_b
    ratio = sd_a / sd_b
    scale = math.sqrt(1 / n[1] + ratio * ratio / n[0])
    t = delta / scale
    low, high = _ncp_interval(t, n[1] - 1, alpha)
    return Effect(
        name="glass_delta",
        estimate=delta,
        ci_low=low * scale,
        ci_high=high * scale,
        confidence_level=1 - alpha,
        method=method,
        n=n,
        p_value=_t_pvalue(t, n[1] - 1),
    )


def _pairs(after: ArrayLike, before: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a_, b_ = _sample(after, "after"), _sample(before, "before")
    if a_.size != b_.size:
        raise InvalidStatistics(
            f"after and before must be paired: {a_.size} values after, {b_.size} before"
        )
    return a_, b_


def _scaled_pair(a: np.ndarray, b: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    scale, (a_, b_) = _scaled(a, b)
    return scale, a_, b_


def paired_d(
    after: ArrayLike,
    before: ArrayLike,
    standardizer: Literal["z", "av", "rms"] = "z",
    *,
    confidence_level: float = 0.95,
) -> Effect:
    """Standardised mean change for paired (panel) data: d_z, d_av or d_rms.

    Estimators, with D = after − before over n pairs:

    * ``"z"``: d_z = mean(D) / s_D (Cohen 1988).
    * ``"av"``: d_av = mean(D) / ((s_after + s_before) / 2), comparable with a between-subjects d
      (Cumming 2012; Lakens 2013, eq. 10).
    * ``"rms"``: d_rms = mean(D) / sqrt((s_after² + s_before²) / 2), the effect defined by Algina &
      Keselman (2003) for dependent means.

    Intervals: all three rest on the paired t statistic t = mean(D)·√n / s_D, noncentral t with n − 1
    degrees of freedom (not 2n − 2). Its noncentrality limits λ are mapped to the effect scale by the same
    factor that maps t to the estimate: λ/√n for d_z, and λ·s_D / (√n·s) for the others, s being the
    chosen standardiser (Algina & Keselman 2003, eqs 7–9, with the variances estimated). The mapping
    treats the ratio s_D/s as known, which is the approximation; it guarantees the interval contains
    the estimate.

    Lakens (2013) reports d_av = 1.13, 95% CI [0.42, 1.80] for his movie example: that interval is
    Algina & Keselman's for d_rms (we give [0.4207, 1.8040]); for d_av the same method gives
    [0.4218, 1.8085], the two standardisers differing by 0.2% there.

    Parameters
    ----------
    after, before : array_like
        Paired scores of the same respondents, equal lengths, at least two pairs.
    standardizer : {"z", "av", "rms"}
        Which standard deviation the mean change is divided by.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name`` is ``"d_z"``, ``"d_av"`` or ``"d_rms"``; ``method`` ``"noncentral t"`` (d_z) or
        ``"noncentral t (Algina-Keselman)"``; ``n=(n_pairs,)``; p is the paired t test. When the
        standardiser is zero the estimate is NaN; when the differences have zero variance (every
        respondent moved by the same amount) d_av and d_rms are given but the interval and p are NaN.
        Each case carries a note.

    References
    ----------
    Algina J. & Keselman H.J. (2003) Approximate confidence intervals for effect sizes. Educational and
    Psychological Measurement 63(4):537–553.
    Lakens D. (2013) Calculating and reporting effect sizes to facilitate cumulative science: a practical
    primer for t-tests and ANOVAs. Frontiers in Psychology 4:863.
    Cumming G. (2012) Understanding the New Statistics. Routledge.

    Examples
    --------
    The d_z estimate is R ``effectsize::repeated_measures_d(after, before, method = "z",
    adjust = FALSE)``; d_rms with its interval is ``itns::cohensd_rm(after, before)`` (the companion
    package of Cumming & Calin-Jageman's textbook).
    """
    alpha = _alpha(confidence_level)
    if standardizer not in ("z", "av", "rms"):
        raise InvalidStatistics(f'standardizer: {standardizer!r} is not one of "z", "av", "rms"')
    _, a_, b_ = _scaled_pair(*_pairs(after, before))
    n = a_.size
    diff = a_ - b_
    mean_d, sd_d = float(np.mean(diff)), _sd(diff)
    name = f"d_{standardizer}"
    method = "noncentral t" if standardizer == "z" else "noncentral t (Algina-Keselman)"
    if standardizer == "z":
        sd = sd_d
    elif standardizer == "av":
        sd = (_sd(a_) + _sd(b_)) / 2
    else:
        sd = math.sqrt((_sd(a_) ** 2 + _sd(b_) ** 2) / 2)
    if sd == 0:
        return _zero_sd_effect(
            name, method, 1 - alpha, (n,), f"the standardiser of {name} is zero: it is undefined"
        )
    if sd_d == 0:
        return Effect(
            name=name,
            estimate=mean_d / sd,
            ci_low=NAN,
            ci_high=NAN,
            confidence_level=1 - alpha,
            method=method,
            n=(n,),
            p_value=NAN,
            notes=("every pair changed by the same amount: the paired t interval is undefined",),
        )
    t = mean_d * math.sqrt(n) / sd_d
    low, high = _ncp_interval(t, n - 1, alpha)
    scale = sd_d / (math.sqrt(n) * sd)
    return Effect(
        name=name,
        estimate=mean_d / sd,
        ci_low=low * scale,
        ci_high=high * scale,
        confidence_level=1 - alpha,
        method=method,
        n=(n,),
        p_value=_t_pvalue(t, n - 1),
    )


def mean_difference(
    a: ArrayLike | Cells,
    b: ArrayLike | Cells,
    paired: bool = False,
    *,
    confidence_level: float = 0.95,
) -> Effect:
    """Raw mean difference mean(a) − mean(b) with a Welch or paired t interval.

    Independent groups (``paired=False``): Welch's interval, se = sqrt(s_a²/n_a + s_b²/n_b) with the
    Welch–Satterthwaite degrees of freedom, and Welch's t test for p (Welch 1947). Paired
    (``paired=True``): the one-sample t interval and test on the differences a − b, df n − 1.

    Parameters
    ----------
    a, b : array_like or Cells
        Scores after and before; equal lengths when paired. At least two values each. Independent
        groups may be given as :class:`~survey.analysis.cells.Cells` (values with counts): the result
        is that of the expanded rows.
    paired : bool
        Whether ``a[i]`` and ``b[i]`` come from the same respondent.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="mean_difference"``, ``method`` ``"welch"`` or ``"paired t"``, ``n=(n_a, n_b)`` or
        ``(n_pairs,)``. With a zero standard error (no spread in either group, or identical differences)
        the estimate is given but the interval and p are NaN, with a note.

    References
    ----------
    Welch B.L. (1947) The generalization of "Student's" problem when several different population
    variances are involved. Biometrika 34(1/2):28–35.

    Examples
    --------
    The same as R ``t.test(a, b)`` (Welch is R's default) and ``t.test(a, b, paired = TRUE)``.
    """
    alpha = _alpha(confidence_level)
    # The estimate in raw units; the standard error from scaled data (see _scaled), then rescaled.
    if paired:
        a_, b_ = _pairs(a, b)
        n: tuple[int, ...] = (a_.size,)
        estimate = float(np.mean(a_ - b_))
        scale, a_, b_ = _scaled_pair(a_, b_)
        se = scale * _sd(a_ - b_) / math.sqrt(a_.size)
        df = float(a_.size - 1)
        method = "paired t"
    else:
        a_, b_ = _sample(a, "a"), _sample(b, "b")
        n = (_size(a_), _size(b_))
        estimate = _mean(a_) - _mean(b_)
        scale, (a_, b_) = _scaled(a_, b_)
        se, df, _ = _welch(a_, b_)
        se *= scale
        method = "welch"
    if se == 0:
        return Effect(
            name="mean_difference",
            estimate=estimate,
            ci_low=NAN,
            ci_high=NAN,
            confidence_level=1 - alpha,
            method=method,
            n=n,
            p_value=NAN,
            notes=("the standard error is zero (no variation): the interval is undefined",),
        )
    half = _t_crit(alpha, df) * se
    return Effect(
        name="mean_difference",
        estimate=estimate,
        ci_low=estimate - half,
        ci_high=estimate + half,
        confidence_level=1 - alpha,
        method=method,
        n=n,
        p_value=_t_pvalue(estimate / se, df),
    )


# ------------------------------------------------------------------------------------- proportions


def _wilson(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson (1927) score interval for k/n, without continuity correction."""
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    # At k = 0 and k = n the limits are exactly 0 and 1; rounding must not push them past.
    low = 0.0 if k == 0 else max(0.0, (centre - half) / denom)
    high = 1.0 if k == n else min(1.0, (centre + half) / denom)
    return low, high


def risk_difference(
    k_a: int, n_a: int, k_b: int, n_b: int, *, confidence_level: float = 0.95
) -> Effect:
    """Difference of two independent proportions, k_a/n_a − k_b/n_b, Newcombe hybrid score interval.

    Interval: Newcombe's (1998) method 10. With Wilson score limits (l_a, u_a) and (l_b, u_b) for each
    proportion, the limits are d − sqrt((p_a − l_a)² + (u_b − p_b)²) and
    d + sqrt((u_a − p_a)² + (p_b − l_b)²). It stays inside [−1, 1] and behaves at 0/n and n/n. It is not
    the Miettinen–Nurminen score interval (statsmodels' ``confint_proportions_2indep(method="score")``).

    The p-value is the one this interval inverts: with z* the normal critical value at which the
    interval's limit nearer 0 reaches 0, p = 2Φ(−z*) (:func:`_p_from_interval`), so p < 1 −
    confidence_level exactly when the interval excludes 0. The pooled z test (Pearson's chi-square) is
    not used because it can disagree with the interval: for 3/11 against 0/14 it gives p = 0.037 while
    the 95% interval is [−0.005, 0.566]; the p read from the interval is 0.054. A difference of exactly
    0 (including both groups all 0 or all 1) has p = 1.

    Parameters
    ----------
    k_a, n_a : int
        Successes and group size after (campaign arm); 0 <= k_a <= n_a, n_a >= 1.
    k_b, n_b : int
        Successes and group size before (comparison).
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="risk_difference"``, ``method="newcombe hybrid score"``, ``n=(n_a, n_b)``.

    References
    ----------
    Newcombe R.G. (1998) Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Statistics in Medicine 17(8):873–890.
    Wilson E.B. (1927) Probable inference, the law of succession, and statistical inference. Journal of
    the American Statistical Association 22(158):209–212.

    Examples
    --------
    The same as R ``DescTools::BinomDiffCI(k_a, n_a, k_b, n_b, method = "score")``.
    """
    alpha = _alpha(confidence_level)
    k_a, n_a = _proportion(k_a, n_a, "k_a", "n_a")
    k_b, n_b = _proportion(k_b, n_b, "k_b", "n_b")
    diff = k_a / n_a - k_b / n_b

    def limits(z: float) -> tuple[float, float]:
        return _newcombe(k_a, n_a, k_b, n_b, z)

    low, high = limits(_z_crit(alpha))
    return Effect(
        name="risk_difference",
        estimate=diff,
        ci_low=max(-1.0, low),
        ci_high=min(1.0, high),
        confidence_level=1 - alpha,
        method="newcombe hybrid score",
        n=(n_a, n_b),
        p_value=_p_from_interval(limits, diff),
    )


def _newcombe(k_a: int, n_a: int, k_b: int, n_b: int, z: float) -> tuple[float, float]:
    """Newcombe's (1998) hybrid score limits for k_a/n_a − k_b/n_b at normal critical value z."""
    p_a, p_b = k_a / n_a, k_b / n_b
    l_a, u_a = _wilson(k_a, n_a, z)
    l_b, u_b = _wilson(k_b, n_b, z)
    diff = p_a - p_b
    return diff - math.hypot(p_a - l_a, u_b - p_b), diff + math.hypot(u_a - p_a, p_b - l_b)


def paired_risk_difference(
    table: Sequence[Sequence[int]] | ArrayLike, *, confidence_level: float = 0.95
) -> Effect:
    """Difference of two paired proportions (after − before), Newcombe's paired score interval.

    ``table`` is ``[[a1b1, a1b0], [a0b1, a0b0]]``: rows after positive / negative, columns before
    positive / negative, so ``a1b0`` counts respondents positive after but not before. With n the total,
    the estimate is p_after − p_before = (a1b0 − a0b1) / n.

    Interval: Newcombe (1998b) method 10. Wilson limits (l1, u1) for p_after and (l2, u2) for p_before
    are combined with the correlation φ of the 2×2 table:
    L = d − sqrt((p1−l1)² − 2φ(p1−l1)(u2−p2) + (u2−p2)²),
    U = d + sqrt((u1−p1)² − 2φ(u1−p1)(p2−l2) + (p2−l2)²).
    φ = (AD − BC)/sqrt(product of the four margins) with A = a1b1, B = a1b0, C = a0b1, D = a0b0; when
    AD > BC the numerator is truncated to max(AD − BC − n/2, 0), and φ = 0 when a margin is empty.

    The p-value is the one this interval inverts, as for :func:`risk_difference`: 2Φ(−z*) with z* the
    normal critical value at which the limit nearer 0 reaches 0, so p < 1 − confidence_level exactly
    when the interval excludes 0. McNemar's exact test is not used because it can disagree with the
    interval: for the table [[0, 0], [5, 15]] it gives p = 0.0625 while the 95% interval is
    [−0.469, −0.038]; the p read from the interval is 0.025. With no discordant pairs the difference is 0
    and p is 1.

    Parameters
    ----------
    table : 2×2 array_like of int
        Counts as above, non-negative, total at least 1.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="paired_risk_difference"``, ``method="newcombe paired score"``, ``n=(n_pairs,)``.

    References
    ----------
    Newcombe R.G. (1998b) Improved confidence intervals for the difference between binomial proportions
    based on paired data. Statistics in Medicine 17(22):2635–2650.
    McNemar Q. (1947) Note on the sampling error of the difference between correlated proportions or
    percentages. Psychometrika 12(2):153–157.

    Examples
    --------
    R ``misty::ci.prop.diff(after, before, method = "newcombe", paired = TRUE)`` computes a Newcombe
    paired interval from the 0/1 responses.
    """
    alpha = _alpha(confidence_level)
    raw = np.asarray(table, dtype=object)
    if raw.shape != (2, 2):
        raise InvalidStatistics(f"table: expected a 2×2 table of counts, got shape {raw.shape}")
    names = (("a1b1", "a1b0"), ("a0b1", "a0b0"))
    cells = [
        [_count(raw[i, j], f"table[{i}][{j}] ({names[i][j]})") for j in (0, 1)] for i in (0, 1)
    ]
    (both, after_only), (before_only, neither) = cells
    for i in (0, 1):
        for j in (0, 1):
            if cells[i][j] < 0:
                raise InvalidStatistics(
                    f"table[{i}][{j}] ({names[i][j]}): a count cannot be negative"
                )
    n = both + after_only + before_only + neither
    if n == 0:
        raise InvalidStatistics("table: all counts are zero")
    d = (after_only - before_only) / n

    def limits(z: float) -> tuple[float, float]:
        return _newcombe_paired(both, after_only, before_only, neither, z)

    low, high = limits(_z_crit(alpha))
    return Effect(
        name="paired_risk_difference",
        estimate=d,
        ci_low=max(-1.0, low),
        ci_high=min(1.0, high),
        confidence_level=1 - alpha,
        method="newcombe paired score",
        n=(n,),
        p_value=_p_from_interval(limits, d),
    )


def _newcombe_paired(
    both: int, after_only: int, before_only: int, neither: int, z: float
) -> tuple[float, float]:
    """Newcombe's (1998b) method 10 limits for the paired difference at normal critical value z."""
    n = both + after_only + before_only + neither
    p1, p2 = (both + after_only) / n, (both + before_only) / n
    l1, u1 = _wilson(both + after_only, n, z)
    l2, u2 = _wilson(both + before_only, n, z)
    margins = (
        float(both + after_only)
        * float(before_only + neither)
        * float(both + before_only)
        * float(after_only + neither)
    )
    cross = float(both) * float(neither) - float(after_only) * float(before_only)
    if cross > 0:
        cross = max(cross - n / 2, 0.0)
    phi = cross / math.sqrt(margins) if margins > 0 else 0.0
    d = (after_only - before_only) / n
    dl1, du2 = p1 - l1, u2 - p2
    du1, dl2 = u1 - p1, p2 - l2
    low = d - math.sqrt(max(0.0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2))
    high = d + math.sqrt(max(0.0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2))
    return low, high


def odds_ratio(k_a: int, n_a: int, k_b: int, n_b: int, *, confidence_level: float = 0.95) -> Effect:
    """Odds ratio (k_a/(n_a−k_a)) / (k_b/(n_b−k_b)) with Woolf's logit interval.

    Interval: exp(log OR ± z·sqrt(1/a + 1/b + 1/c + 1/d)) over the four cells (Woolf 1955). When any cell
    is zero, 0.5 is added to all four (Haldane 1956; Anscombe 1956) for both the estimate and the
    interval, and a note says so: the estimate is then finite even under perfect separation, but it is the
    corrected one. The p-value is the Wald z test of log OR = 0, consistent with the interval.

    Parameters
    ----------
    k_a, n_a : int
        Successes and group size after (campaign arm).
    k_b, n_b : int
        Successes and group size before (comparison).
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="odds_ratio"``, ``method="woolf logit"``, ``n=(n_a, n_b)``.

    References
    ----------
    Woolf B. (1955) On estimating the relation between blood group and disease. Annals of Human Genetics
    19(4):251–253.
    Haldane J.B.S. (1956) The estimation and significance of the logarithm of a ratio of frequencies.
    Annals of Human Genetics 20(4):309–311.

    Examples
    --------
    In R, with ``cells <- c(k_a, n_a - k_a, k_b, n_b - k_b)`` (plus 0.5 if any is zero):
    ``exp(log(cells[1] * cells[4] / (cells[2] * cells[3])) + c(-1, 1) * qnorm(0.975) *
    sqrt(sum(1 / cells)))``.
    """
    alpha = _alpha(confidence_level)
    k_a, n_a = _proportion(k_a, n_a, "k_a", "n_a")
    k_b, n_b = _proportion(k_b, n_b, "k_b", "n_b")
    cells = [float(k_a), float(n_a - k_a), float(k_b), float(n_b - k_b)]
    notes: tuple[str, ...] = ()
    if min(cells) == 0:
        cells = [c + 0.5 for c in cells]
        notes = ("a cell was zero: 0.5 added to all four cells (Haldane-Anscombe)",)
    a, b, c, d = cells
    log_or = math.log(a) + math.log(d) - math.log(b) - math.log(c)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    half = _z_crit(alpha) * se
    return Effect(
        name="odds_ratio",
        estimate=math.exp(log_or),
        ci_low=math.exp(log_or - half),
        ci_high=math.exp(log_or + half),
        confidence_level=1 - alpha,
        method="woolf logit",
        n=(n_a, n_b),
        p_value=float(2 * special.ndtr(-abs(log_or) / se)),
        notes=notes,
    )


def cohens_h(k_a: int, n_a: int, k_b: int, n_b: int, *, confidence_level: float = 0.95) -> Effect:
    """Cohen's h = 2·asin(√p_a) − 2·asin(√p_b), with a normal interval.

    Interval: h ± z·sqrt(1/n_a + 1/n_b), the arcsine transform having variance 1/n per group (Cohen 1988,
    ch. 6). The interval is clipped to [−π, π], the range of h, with a note when that happens. The
    p-value is the matching z test.

    Parameters
    ----------
    k_a, n_a : int
        Successes and group size after (campaign arm).
    k_b, n_b : int
        Successes and group size before (comparison).
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="cohens_h"``, ``method="normal"``, ``n=(n_a, n_b)``.

    References
    ----------
    Cohen J. (1988) Statistical Power Analysis for the Behavioral Sciences, 2nd ed., chapter 6. Erlbaum.

    Examples
    --------
    The estimate is R ``pwr::ES.h(k_a / n_a, k_b / n_b)``.
    """
    alpha = _alpha(confidence_level)
    k_a, n_a = _proportion(k_a, n_a, "k_a", "n_a")
    k_b, n_b = _proportion(k_b, n_b, "k_b", "n_b")
    h = 2 * math.asin(math.sqrt(k_a / n_a)) - 2 * math.asin(math.sqrt(k_b / n_b))
    se = math.sqrt(1 / n_a + 1 / n_b)
    half = _z_crit(alpha) * se
    low, high = h - half, h + half
    notes: tuple[str, ...] = ()
    if low < -math.pi or high > math.pi:
        low, high = max(low, -math.pi), min(high, math.pi)
        notes = ("interval clipped to the range of h, [-pi, pi]",)
    return Effect(
        name="cohens_h",
        estimate=h,
        ci_low=low,
        ci_high=high,
        confidence_level=1 - alpha,
        method="normal",
        n=(n_a, n_b),
        p_value=float(2 * special.ndtr(-abs(h) / se)),
        notes=notes,
    )


# --------------------------------------------------------------------------------- ordinal / ranks


def prob_superiority(a: ArrayLike, b: ArrayLike, *, confidence_level: float = 0.95) -> Effect:
    """Probability of superiority P(A > B) + ½·P(A = B), with a Brunner–Munzel interval.

    Estimator: the proportion of all (a_i, b_j) pairs with a_i > b_j, ties counting one half (Vargha &
    Delaney's A; the area under the ROC curve). 0.5 means no difference.

    Interval: Brunner & Munzel (2000). Each a_i's placement P_i is the share of b below it (ties
    half), each b_j's Q_j the share of a above it; the variance of the estimate is
    var(P)/n_a + var(Q)/n_b, the same as Brunner and Munzel's rank form, and the interval is
    estimate ± t·se with their Satterthwaite degrees of freedom. It is clipped to [0, 1], with a note when
    that happens. p is Brunner and Munzel's test of ½, (estimate − ½)/se against the same t, so the
    interval excludes ½ exactly when p < 1 − confidence_level (it equals ``scipy.stats.brunnermunzel``).

    When that variance is zero (complete separation, or every value tied) the statistic is undefined:
    the estimate is given (0, ½ or 1) but the interval and p are NaN, with a note. For small samples
    (fewer than :data:`BRUNNER_MUNZEL_MIN_N`, ten, in a group) the t approximation can be
    inaccurate, and Neubert & Brunner (2007) recommend a permutation version instead: the effect
    then carries a note saying so.

    Parameters
    ----------
    a, b : array_like
        Scores after (campaign arm) and before (comparison), at least two each; ordinal codes are fine.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="prob_superiority"``, ``method="brunner-munzel"``, ``n=(n_a, n_b)``.

    References
    ----------
    Brunner E. & Munzel U. (2000) The nonparametric Behrens-Fisher problem: asymptotic theory and a
    small-sample approximation. Biometrical Journal 42(1):17–25.
    Neubert K. & Brunner E. (2007) A studentized permutation test for the non-parametric
    Behrens-Fisher problem. Computational Statistics & Data Analysis 51(10):5192–5204.
    Vargha A. & Delaney H.D. (2000) A critique and improvement of the CL common language effect size
    statistics of McGraw and Wong. Journal of Educational and Behavioral Statistics 25(2):101–132.

    Examples
    --------
    R ``brunnermunzel::brunnermunzel.test(b, a)`` reports the same estimate (its P(X < Y) + ½P(X = Y)
    with the groups in that order) and interval.
    """
    alpha = _alpha(confidence_level)
    a_, b_ = _sample(a, "a"), _sample(b, "b")
    n = (a_.size, b_.size)
    b_sorted, a_sorted = np.sort(b_), np.sort(a_)
    # searchsorted left/right give the counts strictly below and at-or-below: their mean counts ties as ½.
    place_a = (np.searchsorted(b_sorted, a_, "left") + np.searchsorted(b_sorted, a_, "right")) / (
        2 * n[1]
    )
    place_b = 1 - (
        np.searchsorted(a_sorted, b_, "left") + np.searchsorted(a_sorted, b_, "right")
    ) / (2 * n[0])
    estimate = float(np.mean(place_a))
    var_a = (float(np.var(place_a, ddof=1)) if np.ptp(place_a) > 0 else 0.0) / n[0]
    var_b = (float(np.var(place_b, ddof=1)) if np.ptp(place_b) > 0 else 0.0) / n[1]
    variance = var_a + var_b
    if variance == 0:
        why = (
            "every value is tied"
            if estimate == 0.5
            else "the groups do not overlap (complete separation)"
        )
        return Effect(
            name="prob_superiority",
            estimate=estimate,
            ci_low=NAN,
            ci_high=NAN,
            confidence_level=1 - alpha,
            method="brunner-munzel",
            n=n,
            p_value=NAN,
            notes=(f"{why}: the Brunner-Munzel variance is zero and the interval undefined",),
        )
    df = variance**2 / (var_a**2 / (n[0] - 1) + var_b**2 / (n[1] - 1))
    se = math.sqrt(variance)
    half = _t_crit(alpha, df) * se
    low, high = estimate - half, estimate + half
    notes: tuple[str, ...] = ()
    if low < 0 or high > 1:
        low, high = max(low, 0.0), min(high, 1.0)
        notes = ("interval clipped to [0, 1]",)
    if min(n) < BRUNNER_MUNZEL_MIN_N:
        notes += (
            f"fewer than {BRUNNER_MUNZEL_MIN_N} in a group: the Brunner-Munzel t approximation may "
            "be inaccurate (Neubert & Brunner 2007 recommend a permutation test)",
        )
    p_value = _t_pvalue((estimate - 0.5) / se, df)
    return Effect(
        name="prob_superiority",
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        confidence_level=1 - alpha,
        method="brunner-munzel",
        n=n,
        p_value=p_value,
        notes=notes,
    )


# ------------------------------------------------------------------------ difference in differences


def _binary(x: ArrayLike, name: str, size: int) -> np.ndarray:
    arr = _sample(x, name, min_n=1)
    if arr.size != size:
        raise InvalidStatistics(f"{name}: has {arr.size} values, y has {size}")
    if not np.all((arr == 0) | (arr == 1)):
        raise InvalidStatistics(f"{name}: must be 0/1 (or False/True)")
    return arr


def _did_inputs(
    y: ArrayLike, post: ArrayLike, treated: ArrayLike, cluster: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, tuple[int, int, int, int]]:
    y_ = _sample(y, "y", min_n=5)
    post_ = _binary(post, "post", y_.size)
    treated_ = _binary(treated, "treated", y_.size)
    cells = (
        int(np.sum((treated_ == 1) & (post_ == 1))),
        int(np.sum((treated_ == 1) & (post_ == 0))),
        int(np.sum((treated_ == 0) & (post_ == 1))),
        int(np.sum((treated_ == 0) & (post_ == 0))),
    )
    labels = ("campaign post", "campaign pre", "comparison post", "comparison pre")
    empty = [label for label, count in zip(labels, cells, strict=True) if count == 0]
    if empty:
        raise InvalidStatistics(
            f"difference in differences needs every cell; empty: {', '.join(empty)}"
        )
    codes = None
    if cluster is not None:
        raw = np.asarray(cluster)
        if raw.ndim != 1 or raw.size != y_.size:
            raise InvalidStatistics(f"cluster: expected {y_.size} labels, got shape {raw.shape}")
        if raw.dtype.kind == "f" and not np.all(np.isfinite(raw)):
            raise InvalidStatistics("cluster: contains missing labels")
        try:
            _, codes = np.unique(raw, return_inverse=True)
        except TypeError:
            raise InvalidStatistics("cluster: labels must be all numbers or all strings") from None
        if np.unique(codes).size < 2:
            raise InvalidStatistics("cluster: cluster-robust errors need at least two clusters")
    return y_, post_, treated_, codes, cells


def difference_in_differences(
    y: ArrayLike,
    post: ArrayLike,
    treated: ArrayLike,
    cluster: ArrayLike | None = None,
    *,
    confidence_level: float = 0.95,
) -> Effect:
    """Difference in differences (post − pre)_campaign − (post − pre)_comparison by OLS.

    Estimator: the interaction coefficient of the OLS regression y ~ 1 + post + treated + post:treated,
    which equals the difference of the four cell means.

    Interval and p: without clusters, heteroskedasticity-robust HC1 standard errors (White 1980 with the
    n/(n−k) factor of MacKinnon & White 1985) and Student t with n − 4 df, as Stata's
    ``regress, vce(robust)``. With ``cluster``, the cluster-robust (CR1) covariance and t with G − 1
    degrees of freedom, G the number of clusters (statsmodels ``cov_type="cluster"``, ``use_t=True``),
    as recommended when campaigns are delivered to whole sites (Bertrand, Duflo & Mullainathan 2004;
    Cameron & Miller 2015). With fewer than 20 clusters a note warns that the interval may be too narrow.

    Parameters
    ----------
    y : array_like
        Outcome per observation.
    post : array_like of 0/1
        1 for observations after the campaign.
    treated : array_like of 0/1
        1 for the campaign arm, 0 for the comparison arm.
    cluster : array_like, optional
        Cluster label per observation (numbers or strings), e.g. site or school.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Effect
        ``name="difference_in_differences"``, ``method`` ``"ols hc1"`` or ``"ols cluster"``,
        ``n=(campaign post, campaign pre, comparison post, comparison pre)``. When the standard error is
        zero (every cell constant, say) the estimate is given and the interval and p are NaN, with a note.

    Raises
    ------
    InvalidStatistics
        Fewer than five observations, an empty cell, non-binary ``post``/``treated``, lengths that
        differ, or fewer than two clusters.

    References
    ----------
    Angrist J.D. & Pischke J.-S. (2009) Mostly Harmless Econometrics, ch. 5. Princeton University Press.
    MacKinnon J.G. & White H. (1985) Some heteroskedasticity-consistent covariance matrix estimators with
    improved finite sample properties. Journal of Econometrics 29(3):305–325.
    Cameron A.C. & Miller D.L. (2015) A practitioner's guide to cluster-robust inference. Journal of
    Human Resources 50(2):317–372.

    Examples
    --------
    In R: ``fit <- lm(y ~ post * treated)`` then ``lmtest::coeftest(fit, sandwich::vcovHC(fit, type =
    "HC1"))``, or with ``vcov = sandwich::vcovCL(fit, cluster = ~cluster)`` and ``df = G - 1``.
    """
    # Imported here so that importing the effect functions stays fast; statsmodels takes over a second.
    from statsmodels.regression.linear_model import OLS

    alpha = _alpha(confidence_level)
    y_, post_, treated_, codes, cells = _did_inputs(y, post, treated, cluster)
    design = np.column_stack([np.ones_like(y_), post_, treated_, post_ * treated_])
    model = OLS(y_, design)
    notes: list[str] = []
    if codes is None:
        fit = model.fit(cov_type="HC1", use_t=True)
        method = "ols hc1"
    else:
        groups = int(codes.max()) + 1
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
        method = "ols cluster"
        notes.append(f"{groups} clusters; t with {groups - 1} df")
        if groups < 20:
            notes.append("fewer than 20 clusters: cluster-robust intervals may be too narrow")
    estimate = float(fit.params[3])
    # statsmodels sets the inference df to G − 1 for cluster-robust errors with use_t; n − 4 otherwise.
    df = float(fit.df_resid_inference if codes is not None else fit.df_resid)
    # Read the one variance we need: with few or tiny cells other diagonal entries can come out a
    # rounding error below zero, and statsmodels' bse/conf_int would take their square roots too.
    variance = float(np.asarray(fit.cov_params())[3, 3])
    noise = _TINY_SPREAD * float(np.max(np.abs(y_)))
    cell_constant = all(
        np.ptp(y_[(treated_ == t) & (post_ == p)]) <= noise for t in (0, 1) for p in (0, 1)
    )
    return _did_effect(estimate, variance, df, cell_constant, noise, method, cells, notes, alpha)


def _did_effect(
    estimate: float,
    variance: float,
    df: float,
    cell_constant: bool,
    noise: float,
    method: str,
    cells: tuple[int, int, int, int],
    notes: list[str],
    alpha: float,
) -> Effect:
    se = math.sqrt(variance) if variance > 0 else 0.0
    if cell_constant or se <= noise:
        notes.append("the standard error is zero (no variation left): the interval is undefined")
        return Effect(
            name="difference_in_differences",
            estimate=estimate,
            ci_low=NAN,
            ci_high=NAN,
            confidence_level=1 - alpha,
            method=method,
            n=cells,
            p_value=NAN,
            notes=tuple(notes),
        )
    half = _t_crit(alpha, df) * se
    return Effect(
        name="difference_in_differences",
        estimate=estimate,
        ci_low=estimate - half,
        ci_high=estimate + half,
        confidence_level=1 - alpha,
        method=method,
        n=cells,
        p_value=_t_pvalue(estimate / se, df),
        notes=tuple(notes),
    )


def difference_in_differences_from_cells(
    groups: Sequence[Clustered], *, confidence_level: float = 0.95
) -> Effect:
    """:func:`difference_in_differences` of samples given as cells, with their cluster codes.

    The model is saturated (four cell means), so the OLS estimate is the difference of the mean
    differences and the interaction's robust variance has a closed form: with weights w = (1, −1, −1,
    1), cell sizes n_g and residuals e = y − mean of its cell, HC1 is n/(n−4) · Σ_g Σ e² / n_g², and the
    cluster-robust CR1 is G/(G−1) · (n−1)/(n−4) · Σ_c (Σ_g w_g Σ_{i in c, g} e_i / n_g)², the same
    numbers as statsmodels' ``cov_type="HC1"`` and ``"cluster"`` on the rows.

    Parameters
    ----------
    groups
        Campaign post, campaign pre, comparison post, comparison pre, as
        :class:`~survey.analysis.cells.Clustered` without missing values; their ``labels`` are integer
        cluster codes (all None for no clusters).
    confidence_level
        Coverage of the interval.
    """
    alpha = _alpha(confidence_level)
    cells = tuple(g.size for g in groups)
    n = sum(cells)
    if n < 5:
        raise InvalidStatistics(f"y: needs at least 5 values, got {n}")
    values = np.concatenate([g.values for g in groups])
    if not np.all(np.isfinite(values)):
        raise InvalidStatistics("y: contains missing or non-finite values; drop them first")
    labels = ("campaign post", "campaign pre", "comparison post", "comparison pre")
    empty = [label for label, count in zip(labels, cells, strict=True) if count == 0]
    if empty:
        raise InvalidStatistics(
            f"difference in differences needs every cell; empty: {', '.join(empty)}"
        )
    clustered = groups[0].labels is not None
    notes: list[str] = []
    means = [float(np.dot(g.values, g.counts)) / g.size for g in groups]
    weights = (1.0, -1.0, -1.0, 1.0)
    estimate = means[0] - means[1] - means[2] + means[3]
    if not clustered:
        squares = sum(
            float(np.dot(g.counts, (g.values - m) ** 2)) / (g.size * g.size)
            for g, m in zip(groups, means, strict=True)
        )
        variance = n / (n - 4) * squares
        df, method = float(n - 4), "ols hc1"
    else:
        codes = np.concatenate([np.asarray(g.labels, dtype=np.int64) for g in groups])
        clusters = np.unique(codes)
        if clusters.size < 2:
            raise InvalidStatistics("cluster: cluster-robust errors need at least two clusters")
        score = np.zeros(int(codes.max()) + 1)
        for g, m, w in zip(groups, means, weights, strict=True):
            score += np.bincount(
                np.asarray(g.labels, dtype=np.int64),
                weights=w * g.counts * (g.values - m) / g.size,
                minlength=score.size,
            )
        count = int(clusters.size)
        variance = count / (count - 1) * (n - 1) / (n - 4) * float(np.dot(score, score))
        df, method = float(count - 1), "ols cluster"
        notes.append(f"{count} clusters; t with {count - 1} df")
        if count < 20:
            notes.append("fewer than 20 clusters: cluster-robust intervals may be too narrow")
    noise = _TINY_SPREAD * float(np.max(np.abs(values)))
    cell_constant = all(float(g.values.max() - g.values.min()) <= noise for g in groups)
    return _did_effect(estimate, variance, df, cell_constant, noise, method, cells, notes, alpha)


def standardized_difference_in_differences(
    y: ArrayLike,
    post: ArrayLike,
    treated: ArrayLike,
    cluster: ArrayLike | None = None,
    *,
    confidence_level: float = 0.95,
    raw: Effect | None = None,
) -> Effect:
    """Difference in differences in units of the pooled pre-campaign standard deviation.

    Estimator: g_DiD = J(df) · D / s, with D the raw :func:`difference_in_differences`, s the pooled
    within-arm SD of the pre observations, sqrt((SS_campaign,pre + SS_comparison,pre) / df) with
    df = n_campaign,pre + n_comparison,pre − 2, so that arm differences at baseline do not inflate it
    (Morris 2008, d_ppc2), and J(df) the exact small-sample factor of :func:`hedges_g` (Morris's c_P is
    its approximation 1 − 3/(4df − 1)), so that this is a g like those of the other designs.

    Interval: Fieller's (1954) interval for the ratio D/σ. D and s are independent (under normality a
    sample's mean and variance are), so for a candidate effect δ the quantity D − δ·s has mean 0 and
    variance se² + δ²·Var(s), with se the raw standard error (HC1 or cluster-robust) and
    Var(s) = σ²·(1 − c4²), c4 = E(s)/σ = √(2/df)·Γ((df+1)/2)/Γ(df/2). The interval is every δ with
    (D − δs)² <= t²·(se² + δ²s²(1 − c4²)), t the raw test's critical value (df n − 4, or G − 1 with
    clusters), and its limits are multiplied by J like the estimate. At δ = 0 the statistic is the raw
    t, so the interval excludes 0 exactly when the raw test rejects, and p is the raw p. Dividing the raw
    interval by s, which ignores the uncertainty of s, covered 0.944 at δ = 1 and 0.935 at δ = 1.5 with
    20 per cell; this interval covers 0.95 (docs/analysis.md, tests/analysis/test_coverage.py).

    When t²(1 − c4²) >= 1 (very few pre observations for the confidence level asked) the set of δ is
    unbounded: the limits are NaN, with a note, and the estimate and p are still given.

    Parameters
    ----------
    y, post, treated, cluster, confidence_level
        As for :func:`difference_in_differences`.
    raw : Effect, optional
        The result of :func:`difference_in_differences` on the same data and confidence level, when
        the caller already has it: the regression is then not fitted a second time.

    Returns
    -------
    Effect
        ``name="standardized_difference_in_differences"``, ``method`` the raw method plus
        ``" / pooled pre sd (fieller)"``, ``n`` as for the raw estimate. NaN with a note when the pooled
        pre SD is zero.

    Raises
    ------
    InvalidStatistics
        As :func:`difference_in_differences`, and fewer than four pre observations (the small-sample
        factor needs df >= 2).

    References
    ----------
    Morris S.B. (2008) Estimating effect sizes from pretest-posttest-control group designs.
    Organizational Research Methods 11(2):364–386.
    Fieller E.C. (1954) Some problems in interval estimation. Journal of the Royal Statistical Society
    B 16(2):175–185.
    Hedges L.V. (1981) Distribution theory for Glass's estimator of effect size and related estimators.
    Journal of Educational Statistics 6(2):107–128.
    """
    if raw is None or raw.name != "difference_in_differences":
        raw = difference_in_differences(
            y, post, treated, cluster, confidence_level=confidence_level
        )
    y_, post_, treated_, codes, cells = _did_inputs(y, post, treated, cluster)
    pre_t, pre_c = y_[(post_ == 0) & (treated_ == 1)], y_[(post_ == 0) & (treated_ == 0)]
    # The raw test's df, as difference_in_differences uses them; its interval is D ± t·se.
    df_raw = y_.size - 4 if codes is None else int(codes.max())
    return _standardized_did(raw, pre_t, pre_c, cells, df_raw)


def standardized_difference_in_differences_from_cells(
    groups: Sequence[Clustered], *, confidence_level: float = 0.95, raw: Effect | None = None
) -> Effect:
    """:func:`standardized_difference_in_differences` of samples given as cells (see
    :func:`difference_in_differences_from_cells` for ``groups``)."""
    if raw is None or raw.name != "difference_in_differences":
        raw = difference_in_differences_from_cells(groups, confidence_level=confidence_level)
    clustered = groups[0].labels is not None
    n = sum(g.size for g in groups)
    if clustered:
        df_raw = int(np.unique(np.concatenate([g.labels for g in groups])).size) - 1
    else:
        df_raw = n - 4
    pre_t, pre_c = (Cells(g.values, g.counts) for g in (groups[1], groups[3]))
    cells = tuple(g.size for g in groups)
    return _standardized_did(raw, pre_t, pre_c, cells, df_raw)  # type: ignore[arg-type]


def _standardized_did(
    raw: Effect,
    pre_t: np.ndarray | Cells,
    pre_c: np.ndarray | Cells,
    cells: tuple[int, int, int, int],
    df_raw: int,
) -> Effect:
    df = _size(pre_t) + _size(pre_c) - 2
    method = raw.method + " / pooled pre sd (fieller)"
    if df < 2:
        raise InvalidStatistics(
            "standardised difference in differences needs at least four pre observations"
        )
    scale, (pre_t, pre_c) = _scaled(pre_t, pre_c)
    ss = sum((_size(s) - 1) * _sd(s) ** 2 for s in (pre_t, pre_c) if _size(s) > 1)
    sd = scale * math.sqrt(ss / df)
    if sd == 0:
        return _zero_sd_effect(
            "standardized_difference_in_differences",
            method,
            raw.confidence_level,
            cells,
            "the pre observations have zero variance: the standardised effect is undefined",
        )
    j = _hedges_j(df)
    estimate = raw.estimate / sd
    t = _t_crit(1 - raw.confidence_level, df_raw)
    se = (raw.ci_high - raw.ci_low) / (2 * t) / sd
    c4 = math.sqrt(2 / df) * math.exp(special.gammaln((df + 1) / 2) - special.gammaln(df / 2))
    var_s = 1 - c4 * c4
    k = 1 - t * t * var_s
    notes = list(raw.notes)
    if math.isnan(se):
        low = high = NAN
    elif k <= 0:
        low = high = NAN
        notes.append(
            "too few pre observations for this confidence level: the interval is unbounded"
        )
    else:
        root = t * math.sqrt(se * se * k + var_s * estimate * estimate)
        low, high = (estimate - root) / k, (estimate + root) / k
    return Effect(
        name="standardized_difference_in_differences",
        estimate=j * estimate,
        ci_low=j * low,
        ci_high=j * high,
        confidence_level=raw.confidence_level,
        method=method,
        n=cells,
        p_value=raw.p_value,
        notes=tuple(notes),
    )
