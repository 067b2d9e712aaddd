"""Who answered before and after: covariate balance, and effects adjusted for the difference.

With independent samples, different people answer before and after. If the after wave holds more
university graduates, knowledge "rises" without any campaign. The questionnaire names the items that
describe who answered (``analysis.covariates``); this module compares their distribution between the waves
(:func:`covariate_balance`) and estimates each outcome's change among people of the same description
(:func:`adjusted_mean_difference`, :func:`adjusted_risk_difference`).

Covariates
----------
A :class:`Covariate` holds one covariate's values for a set of respondents: integer codes of its
categories (a choice item, or an integer item's bands), ``-1`` for no answer; or numbers, NaN for no
answer. In a model (:func:`design_matrix`) a categorical covariate is one 0/1 column per category but
its most frequent one (the reference), "not answered" being a category of its own (the missing-indicator
method, sound for a categorical covariate); a category with fewer than ``min_level`` (5) respondents is
counted with the reference, so that no respondent alone in a category gets the whole weight of a
robust variance (a leverage of 1). A numeric covariate is one column, and respondents without it are
left out of the adjusted estimate. Columns that add nothing (a number that does not vary, a category
that another determines) are dropped before fitting.

Methods
-------
* Means (``score``, ``scale``): ordinary least squares of the outcome on the wave (0 before, 1 after)
  and the covariates; the adjusted difference is the wave's coefficient, with HC2 standard errors and t
  with the residual degrees of freedom (solved by its normal equations; the tests refit with
  statsmodels). HC2 is the heteroskedasticity-robust variance Imbens & Kolesár
  (2016) recommend for small samples; without covariates it is exactly Welch's variance of the
  difference of two means, so the adjusted and the crude interval differ only by what the covariates do.
* Shares (``proportion``): the average marginal effect of the wave in a logistic regression on the same
  columns (g-computation: each respondent's predicted probability as if after minus as if before, averaged
  over everyone who answered), with a delta-method standard error from the robust (HC0 sandwich)
  covariance of the coefficients and a normal interval (Norton, Dowd & Maciejewski 2019). The model is
  fitted by Newton–Raphson here (statsmodels' general fitter costs ten times as much on 100,000 rows;
  the tests refit it with statsmodels). It is a
  difference of proportions like the crude risk difference, on the same scale. Reweighting the after
  wave to the before wave's composition would estimate much the same, but needs its own model for the
  weights and a variance that accounts for them, and becomes unstable where a category is rare in one
  wave; the marginal effect has a standard variance and needs only the one model.

Both p-values come from the test whose inversion is the interval (t or z on the same estimate and
standard error), as everywhere in the analysis.

Rows or cells
-------------
Every function here takes the respondents either as rows or as distinct rows with their ``counts``
(frequency weights: the report's cells, :mod:`survey.analysis.cells`), and computes the same numbers
from both, with one code path: rows are distinct rows that each count once. Within a cell every
respondent has the same covariates and the same outcome, so the same fitted value, residual and
leverage; the fits use the weighted cross-products X'WX and X'Wy, the robust "meat" adds each distinct
row's term times its count, and every n, degree of freedom and small-sample factor counts respondents
(the sum of the counts), never cells. The cost is then that of the distinct rows, whatever the number
of respondents (tests/analysis/test_weighted_fits.py refits on the expanded rows with statsmodels).

Balance
-------
A numeric covariate's standardised difference is Cohen's d between the waves, after minus before over the
root mean of the two variances (Austin 2009); a categorical one's is Yang & Dalton's (2012) multivariate
d, √((p₁ − p₀)ᵀ S⁻¹ (p₁ − p₀)) over the shares of all categories but one, S the mean of the two waves'
multinomial covariances, which for two categories is the same d of a proportion, unsigned. 0.1 is the
usual mark of imbalance (Austin 2009; Normand et al. 2001).

References
----------
Austin P.C. (2009) Balance diagnostics for comparing the distribution of baseline covariates between
treatment groups in propensity-score matched samples. Statistics in Medicine 28(25):3083–3107.
Imbens G.W. & Kolesár M. (2016) Robust standard errors in small samples: some practical advice. Review
of Economics and Statistics 98(4):701–712.
Norton E.C., Dowd B.E. & Maciejewski M.L. (2019) Marginal effects: quantifying the effect of changes in
risk factors in logistic regression models. JAMA 321(13):1304–1305.
Peduzzi P. et al. (1996) A simulation study of the number of events per variable in logistic regression
analysis. Journal of Clinical Epidemiology 49(12):1373–1379.
Yang D. & Dalton J.E. (2012) A unified approach to measuring the effect size between two groups using
SAS. SAS Global Forum 2012, paper 335.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
import numpy as np
from scipy import special

from survey.analysis.cells import Cells
from survey.analysis.effects import _alpha, _t_crit, _t_pvalue, _z_crit
from survey.analysis.results import Effect
from survey.errors import InvalidStatistics

__all__ = [
    "MIN_PER_PARAMETER",
    "Adjusted",
    "Covariate",
    "adjusted_mean_difference",
    "adjusted_risk_difference",
    "categorical_difference",
    "covariate_balance",
    "design_matrix",
    "least_squares",
    "numeric_difference",
]

#: Fewer respondents (or, for a share, fewer of the rarer answer) than this per parameter of the
#: adjusted model, and its estimate may be unstable: the rule of thumb of ten events per variable
#: (Peduzzi et al. 1996), applied to both models.
MIN_PER_PARAMETER = 10
#: A category with fewer respondents than this is counted with the reference category.
MIN_LEVEL = 5


@dataclass(frozen=True)
class Covariate:
    """One covariate's values for a set of respondents.

    Attributes
    ----------
    key
        The item's key.
    values
        Categorical: int codes into ``levels``, -1 for no answer. Numeric: floats, NaN for no answer.
    levels
        The categories' values in code order; None for a numeric covariate.
    """

    key: str
    values: np.ndarray
    levels: tuple[str, ...] | None = None

    @property
    def categorical(self) -> bool:
        return self.levels is not None

    def take(self, rows: np.ndarray) -> Covariate:
        """The same covariate for a subset (or reordering) of the respondents."""
        return Covariate(self.key, self.values[rows], self.levels)


@dataclass(frozen=True)
class Adjusted:
    """An adjusted effect and what it rests on.

    ``columns`` is the number of parameters of the model (intercept and wave included), ``dropped``
    the respondents left out for lack of a numeric covariate, ``per_parameter`` the respondents (for a
    share: the rarer answer's count) per parameter, ``covariates`` the keys of the covariates in the
    model.
    """

    effect: Effect
    columns: int
    dropped: int
    per_parameter: float
    covariates: tuple[str, ...]


def _concatenate(parts: Sequence[Covariate]) -> Covariate:
    first = parts[0]
    return Covariate(first.key, np.concatenate([p.values for p in parts]), first.levels)


def design_matrix(
    covariates: Sequence[Covariate],
    *,
    counts: np.ndarray | None = None,
    min_level: int = MIN_LEVEL,
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """The covariates' columns for a regression, and the rows that have every numeric covariate.

    Parameters
    ----------
    covariates
        The covariates, each with one value per respondent (or per distinct row, with ``counts``).
    counts
        How many respondents each row stands for (default: one each).
    min_level
        A category with fewer respondents (among the rows kept) is counted with the reference.

    Returns
    -------
    columns : numpy.ndarray
        ``(rows kept, k)``: a 0/1 column per category of each categorical covariate but its most
        frequent, a column per numeric covariate.
    keep : numpy.ndarray
        Boolean, per respondent: True where every numeric covariate is answered.
    used : tuple of str
        The keys of the covariates that gave at least one column.
    """
    if not covariates:
        return np.empty((0, 0)), np.empty(0, dtype=bool), ()
    n = covariates[0].values.size
    weights = frequency_weights(counts, n)
    keep = np.ones(n, dtype=bool)
    for covariate in covariates:
        if covariate.values.size != n:
            raise InvalidStatistics(
                f"covariate {covariate.key}: {covariate.values.size} values for {n}"
            )
        if not covariate.categorical:
            keep &= ~np.isnan(covariate.values)
    columns: list[np.ndarray] = []
    used: list[str] = []
    kept_weights = weights[keep]
    for covariate in covariates:
        values = covariate.values[keep]
        if covariate.categorical:
            codes = values.astype(np.int64)
            found, inverse = np.unique(codes, return_inverse=True)
            sizes = np.bincount(inverse.reshape(-1), weights=kept_weights, minlength=found.size)
            reference = found[np.argmax(sizes)] if found.size else -1
            block = [
                (codes == level).astype(float)
                for level, size in zip(found, sizes, strict=True)
                if level != reference and size > 0 and size >= min_level
            ]
        else:
            counted = values[kept_weights > 0]
            block = [values.astype(float)] if counted.size and np.ptp(counted) > 0 else []
        if block:
            columns += block
            used.append(covariate.key)
    matrix = np.column_stack(columns) if columns else np.empty((int(keep.sum()), 0))
    return matrix, keep, tuple(used)


def frequency_weights(counts: np.ndarray | None, size: int) -> np.ndarray:
    """The counts of ``size`` distinct rows as floats, checked; ones when None (plain rows)."""
    if counts is None:
        return np.ones(size)
    weights = np.asarray(counts, dtype=float)
    if weights.shape != (size,):
        raise InvalidStatistics(f"counts: one per row, {weights.size} for {size}")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0) or np.any(weights % 1 != 0):
        raise InvalidStatistics("counts: whole numbers of respondents, none negative")
    return weights


def least_squares(
    design: np.ndarray, y: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ordinary least squares of the rows that each distinct row of ``design`` and ``y`` stands for.

    Estimator: β = (X'WX)⁻¹X'Wy, W the diagonal of ``weights`` (frequency weights: a distinct row
    repeated its count gives the same normal equations), solved by the normal equations of a design of
    full column rank (with a report's few columns many times faster than a general solver).

    Returns
    -------
    beta : numpy.ndarray
        The coefficients.
    inverse : numpy.ndarray
        (X'WX)⁻¹.
    residual : numpy.ndarray
        y − Xβ per distinct row: the residual of each respondent it stands for.
    leverage : numpy.ndarray
        x'(X'WX)⁻¹x per distinct row: the leverage (hat value) of each respondent it stands for.

    Raises
    ------
    numpy.linalg.LinAlgError
        When X'WX is singular.
    """
    weighted = design.T * weights
    inverse = np.linalg.inv(weighted @ design)
    beta = inverse @ (weighted @ y)
    residual = y - design @ beta
    leverage = np.sum((design @ inverse) * design, axis=1)
    return beta, inverse, residual, leverage


def _independent(design: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The columns of ``design`` kept in order, each only when the ones before do not determine it.

    The first two (intercept and wave) come first, so a covariate that only repeats the wave is the
    one dropped.
    """
    gram = (design.T * weights) @ design
    scale = np.sqrt(np.diag(gram))
    scale[scale == 0] = 1.0
    gram = gram / np.outer(scale, scale)  # the columns scaled to length 1
    kept: list[int] = []
    for j in range(design.shape[1]):
        trial = [*kept, j]
        block = gram[np.ix_(trial, trial)]
        if np.linalg.matrix_rank(block, tol=1e-9 * len(trial)) == len(trial):
            kept.append(j)
    return np.array(kept, dtype=np.int64)


def _model(
    y: np.ndarray, post: np.ndarray, covariates: Sequence[Covariate], counts: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, tuple[str, ...]]:
    """Check the input and build the model: outcome, design (intercept, wave, covariates) and
    weights of the rows kept, respondents dropped, covariates used."""
    y = np.asarray(y, dtype=float)
    post = np.asarray(post, dtype=float)
    if y.ndim != 1 or post.shape != y.shape:
        raise InvalidStatistics("y and post: one value per respondent each")
    weights = frequency_weights(counts, y.size)
    if not np.all(np.isfinite(y)):
        raise InvalidStatistics("y: contains missing or non-finite values; drop them first")
    if not np.all((post == 0) | (post == 1)):
        raise InvalidStatistics("post: must be 0/1 (or False/True)")
    for covariate in covariates:
        if covariate.values.shape != y.shape:
            raise InvalidStatistics(
                f"covariate {covariate.key}: {covariate.values.size} values for {y.size}"
            )
    if covariates:
        columns, keep, used = design_matrix(covariates, counts=weights)
    else:
        columns, keep, used = np.empty((y.size, 0)), np.ones(y.size, dtype=bool), ()
    dropped = int(weights[~keep].sum())
    y, post, weights = y[keep], post[keep], weights[keep]
    for wave in (0, 1):
        if weights[post == wave].sum() < 2:
            raise InvalidStatistics("adjusted effect: each wave needs at least two respondents")
    design = np.column_stack([np.ones(y.size), post, columns])
    kept = _independent(design, weights)
    if kept[:2].tolist() != [0, 1]:
        raise InvalidStatistics("adjusted effect: the wave is not separable from the intercept")
    return y, design[:, kept], weights, dropped, used


def _wave_sizes(design: np.ndarray, weights: np.ndarray) -> tuple[int, int]:
    """Respondents after and before (the wave's column is the design's second)."""
    after = int(weights[design[:, 1] == 1].sum())
    return after, int(weights.sum()) - after


def adjusted_mean_difference(
    y: np.ndarray,
    post: np.ndarray,
    covariates: Sequence[Covariate] = (),
    *,
    counts: np.ndarray | None = None,
    confidence_level: float = 0.95,
) -> Adjusted:
    """The difference of means after minus before, adjusted for covariates by OLS with HC2 errors.

    Estimator: the coefficient of the wave in the OLS regression of ``y`` on an intercept, the wave
    and the covariates' columns (:func:`design_matrix`).

    Interval and p: HC2 heteroskedasticity-robust standard error (MacKinnon & White 1985; Imbens &
    Kolesár 2016), Σ n_c e_c² (a'x_c)² / (1 − h_c) over the distinct rows c (a the wave's row of
    (X'WX)⁻¹, h_c = x_c'(X'WX)⁻¹x_c), and t with the residual degrees of freedom n − k, n the
    respondents. Without covariates the estimate is the difference of the means and its standard
    error Welch's.

    Parameters
    ----------
    y : numpy.ndarray
        The outcome, one value per respondent (no NaN).
    post : numpy.ndarray of 0/1
        1 for a respondent of the after wave.
    covariates : sequence of Covariate
        Each with one value per respondent.
    counts : numpy.ndarray, optional
        How many respondents each row stands for (frequency weights); one each by default.
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Adjusted
        ``effect.name="mean_difference"``, ``method="ols hc2 adjusted"``, ``n=(after, before)`` of
        the respondents used.

    Raises
    ------
    InvalidStatistics
        Lengths that differ, missing outcomes, a non-binary wave, or fewer than two respondents in a
        wave once respondents without a numeric covariate are left out.

    Examples
    --------
    In R: ``fit <- lm(y ~ post + education + age)`` then
    ``lmtest::coeftest(fit, sandwich::vcovHC(fit, type = "HC2"))["post", ]``.
    """
    alpha = _alpha(confidence_level)
    y_, design, weights, dropped, used = _model(y, post, covariates, counts)
    beta, inverse, residual, leverage = least_squares(design, y_, weights)
    # HC2: each squared residual over 1 − its leverage (MacKinnon & White 1985), once per respondent.
    scaled = weights * residual**2 / np.clip(1 - leverage, 1e-12, None)
    estimate = float(beta[1])
    row = inverse[1]
    variance = float(np.sum(scaled * (design @ row) ** 2))
    respondents = float(weights.sum())
    df = respondents - design.shape[1]
    n = _wave_sizes(design, weights)
    columns = design.shape[1]
    notes: list[str] = []
    if not (variance > 0 and math.isfinite(variance)) or df < 1:
        notes.append("the robust standard error is zero or undefined: the interval is undefined")
        low = high = p = math.nan
    else:
        se = math.sqrt(variance)
        half = _t_crit(alpha, df) * se
        low, high, p = estimate - half, estimate + half, _t_pvalue(estimate / se, df)
    effect = Effect(
        name="mean_difference",
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        confidence_level=1 - alpha,
        method="ols hc2 adjusted",
        n=n,
        p_value=p,
        notes=tuple(notes),
    )
    return _adjusted(effect, respondents, "respondents", columns, dropped, used)


def _adjusted(
    effect: Effect, count: float, what: str, columns: int, dropped: int, used: tuple[str, ...]
) -> Adjusted:
    """The result, with a note when ``count`` (respondents, or the rarer answer) is under
    :data:`MIN_PER_PARAMETER` per parameter of the model."""
    per = count / columns
    if per < MIN_PER_PARAMETER:
        note = (
            f"{per:.1f} {what} per parameter of the adjusted model (under {MIN_PER_PARAMETER}): "
            "the adjusted estimate may be unstable"
        )
        effect = Effect(**{**msgspec.structs.asdict(effect), "notes": (*effect.notes, note)})
    return Adjusted(effect, columns, dropped, per, used)


def adjusted_risk_difference(
    y: np.ndarray,
    post: np.ndarray,
    covariates: Sequence[Covariate] = (),
    *,
    counts: np.ndarray | None = None,
    confidence_level: float = 0.95,
) -> Adjusted:
    """The difference of proportions after minus before, adjusted for covariates: the average
    marginal effect of the wave in a logistic regression.

    Estimator: fit logit P(y = 1) = Xβ by maximum likelihood, X the intercept, the wave and the
    covariates' columns; predict every respondent's probability with the wave set to after (p₁ᵢ) and
    to before (p₀ᵢ); the effect is the mean of p₁ᵢ − p₀ᵢ (g-computation over the respondents used).

    Interval and p: delta method, the gradient of that mean with respect to β (the mean of
    p₁ᵢ(1 − p₁ᵢ)x₁ᵢ − p₀ᵢ(1 − p₀ᵢ)x₀ᵢ) around the robust HC0 (sandwich) covariance of β̂; normal
    interval, clipped to [−1, 1] with a note, and the z test of the same estimate and standard error.

    Parameters
    ----------
    y : numpy.ndarray of 0/1
        The outcome, one value per respondent.
    post : numpy.ndarray of 0/1
        1 for a respondent of the after wave.
    covariates : sequence of Covariate
        Each with one value per respondent.
    counts : numpy.ndarray, optional
        How many respondents each row stands for (frequency weights); one each by default. The fit
        weights each distinct row's likelihood, score and robust meat by its count, and the marginal
        effect and its gradient are averages over the respondents (weighted by the counts).
    confidence_level : float
        Coverage of the interval.

    Returns
    -------
    Adjusted
        ``effect.name="risk_difference"``, ``method="logistic ame adjusted"``, ``n=(after, before)``.

    Raises
    ------
    InvalidStatistics
        As :func:`adjusted_mean_difference`, a ``y`` that is not 0/1, or a model that cannot be fitted:
        every answer the same, a wave or category where everyone gave the same answer (separation), or
        no convergence.

    Examples
    --------
    In R: ``fit <- glm(y ~ post + education, family = binomial)`` then
    ``marginaleffects::avg_comparisons(fit, variables = "post", vcov = "HC0")``. In Python:
    statsmodels' ``Logit(...).fit(cov_type="HC0").get_margeff(at="overall", dummy=True)``.
    """
    alpha = _alpha(confidence_level)
    y_, design, weights, dropped, used = _model(y, post, covariates, counts)
    if not np.all((y_ == 0) | (y_ == 1)):
        raise InvalidStatistics("y: must be 0/1 for an adjusted risk difference")
    counted = y_[weights > 0]
    if counted.size == 0 or np.ptp(counted) == 0:
        raise InvalidStatistics("adjusted effect: everyone gave the same answer")
    beta, covariance = _logistic(y_, design, weights)
    after, before = design.copy(), design.copy()
    after[:, 1], before[:, 1] = 1.0, 0.0
    p1, p0 = special.expit(after @ beta), special.expit(before @ beta)
    respondents = float(weights.sum())
    estimate = float(weights @ (p1 - p0)) / respondents
    gradient = (
        weights @ ((p1 * (1 - p1))[:, None] * after - (p0 * (1 - p0))[:, None] * before)
    ) / respondents
    variance = float(gradient @ covariance @ gradient)
    n = _wave_sizes(design, weights)
    columns = design.shape[1]
    notes: list[str] = []
    if not (variance > 0 and math.isfinite(variance)):
        notes.append("the standard error is zero or undefined: the interval is undefined")
        low = high = p = math.nan
    else:
        se = math.sqrt(variance)
        half = _z_crit(alpha) * se
        low, high = estimate - half, estimate + half
        p = float(2 * special.ndtr(-abs(estimate) / se))
        if low < -1 or high > 1:
            low, high = max(low, -1.0), min(high, 1.0)
            notes.append("interval clipped to [-1, 1]")
    effect = Effect(
        name="risk_difference",
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        confidence_level=1 - alpha,
        method="logistic ame adjusted",
        n=n,
        p_value=p,
        notes=tuple(notes),
    )
    ones = float(weights @ y_)
    rarer = min(ones, respondents - ones)
    return _adjusted(effect, rarer, "of the rarer answer", columns, dropped, used)


#: A coefficient beyond this (an odds ratio of e^15, over three million) only comes from separation:
#: a category of people who all gave the same answer, where the maximum likelihood is at infinity.
_SEPARATED = 15.0


def _logistic(
    y: np.ndarray, design: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The maximum-likelihood logistic coefficients and their robust (HC0 sandwich) covariance.

    Newton–Raphson from the intercept at the mean's logit, the design of full column rank (see
    :func:`_model`), each distinct row's terms times its count ``weights``; the robust covariance is
    H⁻¹ (Σ nᵢ (yᵢ − pᵢ)² xᵢxᵢᵀ) H⁻¹, H = Σ nᵢ pᵢ(1 − pᵢ) xᵢxᵢᵀ the information at the solution
    (statsmodels' ``Logit(...).fit(cov_type="HC0")`` on the expanded rows, which the tests refit).

    Raises
    ------
    InvalidStatistics
        When it does not converge or a coefficient runs off (separation).
    """
    beta = np.zeros(design.shape[1])
    mean = float(weights @ y) / float(weights.sum())
    beta[0] = math.log(mean / (1 - mean))
    for _ in range(100):
        p = special.expit(design @ beta)
        information = (design.T * (weights * p * (1 - p))) @ design
        try:
            step = np.linalg.solve(information, design.T @ (weights * (y - p)))
        except np.linalg.LinAlgError:
            step = np.full_like(beta, np.nan)
        beta = beta + step
        if not np.all(np.isfinite(beta)) or np.max(np.abs(beta[1:]), initial=0.0) > _SEPARATED:
            break
        if np.max(np.abs(step)) <= 1e-10 * (1 + np.max(np.abs(beta))):
            p = special.expit(design @ beta)
            information = (design.T * (weights * p * (1 - p))) @ design
            try:
                inverse = np.linalg.inv(information)
            except np.linalg.LinAlgError:
                break
            meat = (design.T * (weights * (y - p) ** 2)) @ design
            return beta, inverse @ meat @ inverse
    raise InvalidStatistics(
        "adjusted effect: the logistic model cannot be fitted (a group where everyone gave the same "
        "answer, or no convergence)"
    )


# -- balance ---------------------------------------------------------------------------------------


def numeric_difference(after: np.ndarray | Cells, before: np.ndarray | Cells) -> float:
    """Cohen's d between two waves of a numeric covariate: (mean after − mean before) / √((s₁² + s₀²)/2)
    (Austin 2009). NaN when a wave has fewer than two values or neither varies.

    Each wave is its values, or :class:`~survey.analysis.cells.Cells` (values with counts).
    """
    a, b = _as_cells(after), _as_cells(before)
    if a.size < 2 or b.size < 2:
        return math.nan
    spread = math.sqrt((a.std(ddof=1) ** 2 + b.std(ddof=1) ** 2) / 2)
    if spread == 0:
        return 0.0 if a.mean() == b.mean() else math.nan
    return (a.mean() - b.mean()) / spread


def _as_cells(x: np.ndarray | Cells) -> Cells:
    if isinstance(x, Cells):
        return x
    values = np.asarray(x, dtype=float)
    return Cells(values, np.ones(values.size, dtype=np.int64))


def categorical_difference(after: np.ndarray, before: np.ndarray) -> float:
    """Yang & Dalton's (2012) standardised difference of two waves' category shares.

    √((p₁ − p₀)ᵀ S⁻¹ (p₁ − p₀)) over all categories but the last, S = (S₁ + S₀)/2 with
    Sₖ = diag(pₖ) − pₖpₖᵀ; categories found in neither wave are left out first. For two categories it
    is |p₁ − p₀| / √((p₁q₁ + p₀q₀)/2). NaN for an empty wave, 0 for a single category.

    Parameters
    ----------
    after, before : numpy.ndarray
        Counts per category, in the same order.
    """
    a, b = np.asarray(after, dtype=float), np.asarray(before, dtype=float)
    if a.sum() == 0 or b.sum() == 0:
        return math.nan
    present = (a + b) > 0
    p1, p0 = (a / a.sum())[present], (b / b.sum())[present]
    if p1.size < 2:
        return 0.0
    p1, p0 = p1[:-1], p0[:-1]
    covariance = (np.diag(p1) - np.outer(p1, p1) + np.diag(p0) - np.outer(p0, p0)) / 2
    gap = p1 - p0
    value = float(gap @ np.linalg.pinv(covariance) @ gap)
    return math.sqrt(max(value, 0.0))


def covariate_balance(
    after: Covariate,
    before: Covariate,
    *,
    after_counts: np.ndarray | None = None,
    before_counts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """The two waves' counts per category (the last for "not answered") and the standardised difference.

    For a numeric covariate the counts are empty and the difference is :func:`numeric_difference` of
    the answered values. ``after_counts`` and ``before_counts``: how many respondents each value
    stands for (one each by default).
    """
    waves = (
        (after, frequency_weights(after_counts, after.values.size)),
        (before, frequency_weights(before_counts, before.values.size)),
    )
    if not after.categorical or after.levels is None:
        a, b = (Cells(c.values[~np.isnan(c.values)], w[~np.isnan(c.values)]) for c, w in waves)
        return np.empty(0), np.empty(0), numeric_difference(a, b)
    size = len(after.levels) + 1

    def counts(covariate: Covariate, weights: np.ndarray) -> np.ndarray:
        codes = covariate.values.astype(np.int64)
        codes = np.where(codes < 0, size - 1, codes)
        tally = np.bincount(codes, weights=weights, minlength=size)[:size]
        return np.rint(tally).astype(np.int64)

    a, b = (counts(c, w) for c, w in waves)
    return a, b, categorical_difference(a, b)
