"""Result types shared by the analysis modules."""

from __future__ import annotations

import msgspec


class Effect(msgspec.Struct, frozen=True, kw_only=True):
    """One estimate with its confidence interval.

    Direction: the first argument of the function that made it is *after* (post, or the campaign arm),
    the second *before* (pre, or comparison); a positive estimate means improvement.
    ``n`` holds the group sizes used; ``p_value`` is given where a test is standard, else None;
    ``notes`` explains a NaN or a correction applied (e.g. 0.5 added to zero cells).
    """

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    confidence_level: float
    method: str
    n: tuple[int, ...]
    p_value: float | None = None
    notes: tuple[str, ...] = ()


class ItemStats(msgspec.Struct, frozen=True, kw_only=True):
    """Classical item statistics for one item (see ``reliability.item_analysis``).

    ``difficulty`` is the mean item score (the share correct for a 0/1 item);
    ``item_rest_correlation`` the Pearson correlation of the item with the sum of the other items
    (point-biserial for a 0/1 item); ``alpha_if_deleted`` Cronbach's alpha of the other items.
    ``flags`` holds any of ``"too_easy"``, ``"too_hard"``, ``"low_discrimination"``.
    """

    key: str
    n: int
    difficulty: float
    item_rest_correlation: float
    alpha_if_deleted: float
    binary: bool
    flags: tuple[str, ...] = ()


class ItemAnalysis(msgspec.Struct, frozen=True, kw_only=True):
    """Item analysis of one scale or test: per-item statistics and the scale's alpha.

    ``n_used`` rows had every item answered and were analysed; ``n_dropped`` rows were left out
    (listwise deletion). The thresholds used for the flags are kept beside the results.
    """

    items: tuple[ItemStats, ...]
    alpha: Effect
    n_used: int
    n_dropped: int
    too_easy: float
    too_hard: float
    min_discrimination: float
    notes: tuple[str, ...] = ()
