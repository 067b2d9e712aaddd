"""Adjusted p-values for a family of tests (Holm; Benjamini-Hochberg)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from survey.errors import InvalidStatistics

__all__ = ["adjust_pvalues"]


def adjust_pvalues(p_values: ArrayLike, method: Literal["holm", "bh"] = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple testing.

    * ``"holm"`` (default): Holm's (1979) step-down procedure, which controls the family-wise
      error rate under any dependence. With the m p-values sorted, ``p_(1) <= ... <= p_(m)``, the
      adjusted value is ``max over j <= i of min(1, (m - j + 1) * p_(j))``.
    * ``"bh"``: Benjamini & Hochberg's (1995) step-up procedure, which controls the false
      discovery rate for independent or positively dependent tests. The adjusted value is
      ``min over j >= i of min(1, m / j * p_(j))``.

    Rejecting the hypotheses whose adjusted p-value is at most a level q is the same as running
    the procedure at level q.

    Parameters
    ----------
    p_values
        The raw p-values of one family, any shape. NaN (or None) marks a test that was not done:
        it stays NaN and does not count in the family size m.
    method
        ``"holm"`` or ``"bh"``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, float, in the input's order and shape; each at least its raw value
        and at most 1.

    Raises
    ------
    InvalidStatistics
        If a p-value is not a number in [0, 1], or the method is unknown.

    References
    ----------
    Holm S. (1979) A simple sequentially rejective multiple test procedure. Scandinavian Journal
    of Statistics 6:65-70.
    Benjamini Y., Hochberg Y. (1995) Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. JRSS B 57:289-300.

    Examples
    --------
    The R equivalent is ``p.adjust(p, method = "holm")`` or ``p.adjust(p, method = "BH")``.

    >>> adjust_pvalues([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, float("nan"), 0.04], method="bh").tolist()
    [0.02, nan, 0.04]
    """
    if method not in ("holm", "bh"):
        raise InvalidStatistics(f'method: must be "holm" or "bh", got {method!r}')
    try:
        p = np.asarray(p_values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidStatistics(f"p_values: not numeric ({exc})") from exc
    flat = p.ravel()
    present = ~np.isnan(flat)
    outside = flat[present & ((flat < 0.0) | (flat > 1.0))]
    if outside.size:
        raise InvalidStatistics(
            f"p_values: must lie in [0, 1], found {outside.size} outside, e.g. {outside[0]:g}"
        )
    adjusted = np.full(flat.shape, np.nan)
    index = np.flatnonzero(present)
    m = index.size
    if m == 0:
        return adjusted.reshape(p.shape)
    # A stable sort keeps tied p-values in input order; ties get equal adjusted values anyway.
    order = index[np.argsort(flat[index], kind="stable")]
    ranked = flat[order]
    rank = np.arange(1, m + 1)
    if method == "holm":
        scaled = np.minimum(1.0, (m - rank + 1) * ranked)
        # Step-down: an adjusted p-value may not be smaller than any before it.
        monotone = np.maximum.accumulate(scaled)
    else:
        scaled = np.minimum(1.0, m / rank * ranked)
        # Step-up: an adjusted p-value may not be larger than any after it.
        monotone = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted[order] = monotone
    return adjusted.reshape(p.shape)
