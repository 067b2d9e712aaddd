"""Internal consistency and classical item analysis.

Rows are respondents and columns are items; NaN marks a missing answer. Every function here uses
listwise deletion: a row with any missing answer is left out, so that the alpha of the scale, each
item's statistics and each alpha-if-deleted all rest on the same respondents.

Degenerate input
----------------
* Input that is not a 2-D numeric matrix, has an infinite value, or has fewer than 2 items raises
  :class:`~survey.errors.InvalidStatistics` (the caller asked for something that has no meaning).
* Input of the right shape whose *data* cannot support the statistic (fewer than 2 complete rows,
  zero variance of the total score) gives NaN with a note saying why, so that a report over many
  waves can show the gap instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from survey.analysis.cells import Moments
from survey.analysis.results import Effect, ItemAnalysis, ItemStats
from survey.errors import InvalidStatistics

__all__ = [
    "cronbach_alpha",
    "cronbach_alpha_from_moments",
    "feldt_interval",
    "item_analysis",
    "kr20",
]

# A total-score variance below this share of the squared score scale is rounding noise, not spread.
_RELATIVE_ZERO_VARIANCE = 1e-24


def _as_matrix(matrix: ArrayLike, *, min_items: int = 2) -> np.ndarray:
    """Convert to a float matrix and reject what no reliability statistic can use."""
    try:
        x = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidStatistics(f"matrix: not numeric ({exc})") from exc
    if x.ndim != 2:
        raise InvalidStatistics(
            f"matrix: expected 2 dimensions (rows respondents, columns items), got {x.ndim}"
        )
    if x.shape[1] < min_items:
        raise InvalidStatistics(
            f"matrix: reliability needs at least {min_items} items (columns), got {x.shape[1]}"
        )
    if np.isinf(x).any():
        raise InvalidStatistics("matrix: infinite values; use NaN to mark a missing answer")
    return x


def _complete_rows(x: np.ndarray) -> tuple[np.ndarray, int]:
    """Listwise deletion: keep the rows without a missing answer; say how many were dropped."""
    keep = ~np.isnan(x).any(axis=1)
    return x[keep], int(x.shape[0] - keep.sum())


def _is_zero_variance(values: np.ndarray, variance: float) -> bool:
    scale = max(1.0, float(np.max(np.abs(values)))) if values.size else 1.0
    return not variance > _RELATIVE_ZERO_VARIANCE * scale * scale


def _alpha(x: np.ndarray) -> float:
    """Coefficient alpha of a complete matrix, NaN where the data cannot support it.

    Population (ddof=0) variances throughout: the ratio of item to total variance does not depend
    on the divisor as long as it is the same for both, and ddof=0 makes KR-20 the same number.
    """
    n, k = x.shape
    if n < 2 or k < 2:
        return float("nan")
    totals = x.sum(axis=1)
    total_var = float(totals.var())
    if _is_zero_variance(totals, total_var):
        return float("nan")
    item_var = float(x.var(axis=0).sum())
    return k / (k - 1) * (1.0 - item_var / total_var)


def _check_confidence_level(confidence_level: float) -> None:
    if not 0.0 < confidence_level < 1.0:
        raise InvalidStatistics(
            f"confidence_level: must be between 0 and 1 (exclusive), got {confidence_level}"
        )


def feldt_interval(
    alpha: float, n_rows: int, n_items: int, *, confidence_level: float = 0.95
) -> tuple[float, float]:
    """Feldt's confidence interval for coefficient alpha.

    Under Feldt's (1965) model, ``(1 - alpha_population) / (1 - alpha_hat)`` follows an F
    distribution with ``n - 1`` and ``(n - 1)(k - 1)`` degrees of freedom, which gives

    ``lower = 1 - (1 - alpha_hat) * F(1 - g/2)`` and ``upper = 1 - (1 - alpha_hat) * F(g/2)``

    where ``g = 1 - confidence_level`` and ``F(q)`` is the q quantile of that F distribution
    (Feldt, Woodruff & Salih 1987, p. 95, formulas 6 and 7). The interval assumes parallel items
    (compound symmetry) and normal errors; it is too narrow when item variances differ a lot.

    Parameters
    ----------
    alpha
        The estimated coefficient alpha (or KR-20).
    n_rows
        Number of respondents the estimate used (at least 2).
    n_items
        Number of items (at least 2).
    confidence_level
        Two-sided confidence level.

    Returns
    -------
    tuple of float
        ``(lower, upper)``; NaN when ``alpha`` is NaN.

    References
    ----------
    Feldt L.S. (1965) The approximate sampling distribution of Kuder-Richardson reliability
    coefficient twenty. Psychometrika 30:357-370.
    Feldt L.S., Woodruff D.J., Salih F.A. (1987) Statistical inference for coefficient alpha.
    Applied Psychological Measurement 11:93-103.

    Examples
    --------
    The R equivalent is ``cocron::cronbach.alpha.CI(alpha, n, items, conf.level)``.

    >>> low, high = feldt_interval(0.913, 873, 20)
    >>> round(low, 4), round(high, 4)
    (0.9044, 0.9212)
    """
    _check_confidence_level(confidence_level)
    if n_rows < 2 or n_items < 2:
        raise InvalidStatistics(
            f"Feldt interval needs at least 2 rows and 2 items, got {n_rows} rows, {n_items} items"
        )
    if not np.isfinite(alpha):
        return float("nan"), float("nan")
    gamma = 1.0 - confidence_level
    df1 = n_rows - 1
    df2 = (n_rows - 1) * (n_items - 1)
    f_high = float(stats.f.ppf(1.0 - gamma / 2.0, df1, df2))
    f_low = float(stats.f.ppf(gamma / 2.0, df1, df2))
    return 1.0 - (1.0 - alpha) * f_high, 1.0 - (1.0 - alpha) * f_low


def _reliability_effect(
    x: np.ndarray, *, name: str, confidence_level: float, binary: bool
) -> Effect:
    complete, _ = _complete_rows(x)
    n, k = complete.shape
    return _effect(
        name,
        n,
        k,
        x.shape[0],
        _alpha(complete) if n >= 2 else float("nan"),
        confidence_level,
        binary,
    )


def _effect(
    name: str, n: int, k: int, rows: int, estimate: float, confidence_level: float, binary: bool
) -> Effect:
    """The reliability Effect of an estimate on ``n`` complete rows of ``rows``, ``k`` items."""
    notes = [f"listwise deletion: {rows - n} of {rows} rows dropped for a missing answer"]
    if n < 2:
        notes.append(f"{name} needs at least 2 complete rows, got {n}")
        estimate = low = high = float("nan")
    else:
        if np.isnan(estimate):
            what = "score" if binary else "total score"
            notes.append(f"{name} undefined: the {what} has no variance in the complete rows")
        low, high = feldt_interval(estimate, n, k, confidence_level=confidence_level)
    return Effect(
        name=name,
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        method="Feldt",
        n=(n, k),
        p_value=None,
        notes=tuple(notes),
    )


def cronbach_alpha_from_moments(moments: Moments, *, confidence_level: float = 0.95) -> Effect:
    """Cronbach's alpha and Feldt's interval from the moments of the complete rows.

    The same Effect as :func:`cronbach_alpha` of the matrix the moments summarise
    (:class:`~survey.analysis.cells.Moments`): the item and total variances are
    ``(sum of squares − sum² / n) / n``, exact for the integer answers of Likert items.

    Parameters
    ----------
    moments
        Rows, complete rows, column sums, cross-product sums and the largest row total.
    confidence_level
        Two-sided confidence level of the interval.
    """
    _check_confidence_level(confidence_level)
    sums = np.asarray(moments.sums, dtype=float)
    cross = np.asarray(moments.cross, dtype=float).reshape(sums.size, sums.size)
    k, n = int(sums.size), moments.n
    if k < 2:
        raise InvalidStatistics(f"matrix: reliability needs at least 2 items (columns), got {k}")
    estimate = float("nan")
    if n >= 2:
        total_var = (float(cross.sum()) - float(sums.sum()) ** 2 / n) / n
        scale = max(1.0, moments.max_abs_total)
        if total_var > _RELATIVE_ZERO_VARIANCE * scale * scale:
            item_var = float((np.diag(cross) - sums * sums / n).sum()) / n
            estimate = k / (k - 1) * (1.0 - item_var / total_var)
    return _effect("cronbach_alpha", n, k, moments.rows, estimate, confidence_level, False)


def cronbach_alpha(matrix: ArrayLike, *, confidence_level: float = 0.95) -> Effect:
    """Cronbach's coefficient alpha with Feldt's confidence interval.

    ``alpha = k / (k - 1) * (1 - sum(item variances) / variance(total score))`` (Cronbach 1951),
    computed on the rows with every item answered.

    Parameters
    ----------
    matrix
        Rows respondents, columns items; NaN marks a missing answer.
    confidence_level
        Two-sided confidence level of the interval.

    Returns
    -------
    Effect
        ``name="cronbach_alpha"``, ``method="Feldt"``, ``n=(rows_used, k_items)``; the notes
        say how many rows were dropped, and why the estimate is NaN when it is (fewer than 2
        complete rows, or no variance in the total score).

    Raises
    ------
    InvalidStatistics
        If the matrix is not 2-D numeric, has infinite values or fewer than 2 items, or if
        ``confidence_level`` is not in (0, 1).

    References
    ----------
    Cronbach L.J. (1951) Coefficient alpha and the internal structure of tests. Psychometrika
    16:297-334. For the interval see :func:`feldt_interval`.

    Examples
    --------
    The R equivalent is ``psych::alpha(x)`` (its "Feldt" line), after ``na.omit(x)``.

    >>> effect = cronbach_alpha([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]])
    >>> round(effect.estimate, 3), effect.n
    (0.982, (4, 3))
    """
    _check_confidence_level(confidence_level)
    x = _as_matrix(matrix)
    return _reliability_effect(
        x, name="cronbach_alpha", confidence_level=confidence_level, binary=False
    )


def kr20(matrix: ArrayLike, *, confidence_level: float = 0.95) -> Effect:
    """Kuder-Richardson formula 20 for items scored 0/1, with Feldt's confidence interval.

    ``KR-20 = k / (k - 1) * (1 - sum(p_i * q_i) / var(total score))`` where ``p_i`` is the share
    answering item i correctly and ``q_i = 1 - p_i`` (Kuder & Richardson 1937, formula 20). As in
    the original, the total-score variance is the population variance (divisor n), the same divisor
    as ``p_i q_i``; with that, KR-20 equals Cronbach's alpha of the same 0/1 matrix. (Some
    textbooks divide the total variance by n - 1, which mixes divisors and gives a slightly
    larger value.)

    Parameters
    ----------
    matrix
        Rows respondents, columns items scored 0 or 1; NaN marks a missing answer (the row is
        dropped).
    confidence_level
        Two-sided confidence level of the interval.

    Returns
    -------
    Effect
        ``name="kr20"``, ``method="Feldt"``, ``n=(rows_used, k_items)``; notes as for
        :func:`cronbach_alpha`. Feldt (1965) derived the interval for exactly this coefficient.

    Raises
    ------
    InvalidStatistics
        If any answered value is not 0 or 1, or for the reasons listed in :func:`cronbach_alpha`.

    References
    ----------
    Kuder G.F., Richardson M.W. (1937) The theory of the estimation of test reliability.
    Psychometrika 2:151-160.
    """
    _check_confidence_level(confidence_level)
    x = _as_matrix(matrix)
    answered = x[~np.isnan(x)]
    bad = answered[(answered != 0.0) & (answered != 1.0)]
    if bad.size:
        raise InvalidStatistics(
            f"matrix: KR-20 needs items scored 0 or 1, found {bad.size} other value(s), "
            f"e.g. {bad[0]:g}"
        )
    return _reliability_effect(x, name="kr20", confidence_level=confidence_level, binary=True)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation, NaN when either variable has no variance."""
    a_c = a - a.mean()
    b_c = b - b.mean()
    ss_a = float(a_c @ a_c)
    ss_b = float(b_c @ b_c)
    if _is_zero_variance(a, ss_a / a.size) or _is_zero_variance(b, ss_b / b.size):
        return float("nan")
    r = float(a_c @ b_c) / np.sqrt(ss_a * ss_b)
    # Rounding can push a perfect correlation a hair past 1.
    return float(np.clip(r, -1.0, 1.0))


def item_analysis(
    matrix: ArrayLike,
    *,
    item_keys: Sequence[str] | None = None,
    too_easy: float = 0.9,
    too_hard: float = 0.2,
    min_discrimination: float = 0.2,
    confidence_level: float = 0.95,
) -> ItemAnalysis:
    """Classical item analysis: difficulty, corrected item-rest correlation, alpha if deleted.

    For each item, on the rows with every item answered:

    * ``difficulty``: the mean item score; for a 0/1 item, the share answering correctly
      (the classical p-value of the item).
    * ``item_rest_correlation``: Pearson correlation of the item with the sum of the *other*
      items (the "corrected" item-total correlation, R ``psych::alpha``'s ``r.drop``); for a 0/1
      item this is the point-biserial correlation. NaN when the item or the rest has no variance.
    * ``alpha_if_deleted``: Cronbach's alpha of the other items (NaN with only 2 items, since
      alpha needs at least 2).

    Flags, with the thresholds as keyword arguments:

    * ``"too_easy"`` when difficulty > ``too_easy`` and ``"too_hard"`` when difficulty <
      ``too_hard``. These rules of thumb (0.90 and 0.20 by default) are common cut-offs in
      classical test theory for 0/1 items; they are applied only to items whose scores lie in
      [0, 1] (0/1 or partial credit), since a mean on another scale is not a difficulty.
    * ``"low_discrimination"`` when the item-rest correlation is below ``min_discrimination``
      or undefined (an item without variance discriminates nothing). The default 0.20 follows
      Ebel & Frisbie (1991), who call discrimination below 0.20 poor (items to revise or
      discard), 0.20-0.29 marginal, 0.30-0.39 reasonably good and 0.40 or more very good.

    Parameters
    ----------
    matrix
        Rows respondents, columns items; NaN marks a missing answer (the row is dropped).
    item_keys
        Names of the items, one per column; ``item_1``, ``item_2``, ... by default.
    too_easy, too_hard
        Difficulty thresholds, with ``0 <= too_hard < too_easy <= 1``.
    min_discrimination
        Item-rest correlation below which an item is flagged, in [-1, 1].
    confidence_level
        Confidence level of the scale's alpha interval.

    Returns
    -------
    ItemAnalysis
        The per-item statistics in column order, the scale's alpha (see :func:`cronbach_alpha`)
        and the thresholds used. With fewer than 2 complete rows the statistics are NaN, no item
        is flagged, and a note says so.

    Raises
    ------
    InvalidStatistics
        For a matrix :func:`cronbach_alpha` refuses, ``item_keys`` of the wrong length or with
        duplicates, or thresholds out of range.

    References
    ----------
    Ebel R.L., Frisbie D.A. (1991) Essentials of Educational Measurement, 5th ed., Prentice Hall.
    Crocker L., Algina J. (1986) Introduction to Classical and Modern Test Theory, Holt, Rinehart
    and Winston.

    Examples
    --------
    The R equivalent is ``psych::alpha(x)``: ``item.stats$mean``, ``item.stats$r.drop`` and
    ``alpha.drop$raw_alpha``.
    """
    _check_confidence_level(confidence_level)
    if not 0.0 <= too_hard < too_easy <= 1.0:
        raise InvalidStatistics(
            f"too_hard, too_easy: need 0 <= too_hard < too_easy <= 1, got {too_hard}, {too_easy}"
        )
    if not -1.0 <= min_discrimination <= 1.0:
        raise InvalidStatistics(f"min_discrimination: must be in [-1, 1], got {min_discrimination}")
    x = _as_matrix(matrix)
    k = x.shape[1]
    if item_keys is None:
        keys = [f"item_{j + 1}" for j in range(k)]
    else:
        keys = [str(key) for key in item_keys]
        if len(keys) != k:
            raise InvalidStatistics(f"item_keys: {len(keys)} names for {k} items (columns)")
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        if duplicated:
            raise InvalidStatistics(f"item_keys: duplicated name(s) {', '.join(duplicated)}")

    alpha = cronbach_alpha(x, confidence_level=confidence_level)
    complete, dropped = _complete_rows(x)
    n = complete.shape[0]
    notes: list[str] = []
    if n < 2:
        notes.append(f"item statistics need at least 2 complete rows, got {n}")
    totals = complete.sum(axis=1)

    items = []
    for j, key in enumerate(keys):
        column = complete[:, j]
        binary = bool(n > 0 and np.isin(column, (0.0, 1.0)).all())
        if n < 2:
            difficulty = float(column.mean()) if n else float("nan")
            r_rest = alpha_deleted = float("nan")
        else:
            difficulty = float(column.mean())
            r_rest = _correlation(column, totals - column)
            alpha_deleted = _alpha(np.delete(complete, j, axis=1))
        flags: list[str] = []
        if n >= 2:
            on_unit_scale = bool(column.min() >= 0.0 and column.max() <= 1.0)
            if on_unit_scale and difficulty > too_easy:
                flags.append("too_easy")
            if on_unit_scale and difficulty < too_hard:
                flags.append("too_hard")
            if not r_rest >= min_discrimination:
                flags.append("low_discrimination")
        items.append(
            ItemStats(
                key=key,
                n=n,
                difficulty=difficulty,
                item_rest_correlation=r_rest,
                alpha_if_deleted=alpha_deleted,
                binary=binary,
                flags=tuple(flags),
            )
        )
    if k == 2:
        notes.append("alpha if deleted is undefined with 2 items (1 item left)")
    return ItemAnalysis(
        items=tuple(items),
        alpha=alpha,
        n_used=n,
        n_dropped=dropped,
        too_easy=too_easy,
        too_hard=too_hard,
        min_discrimination=min_discrimination,
        notes=tuple(notes),
    )
