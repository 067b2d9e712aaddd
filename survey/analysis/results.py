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
