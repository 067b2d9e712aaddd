"""How the report puts a number and a change into words, in the reader's language.

One rule decides every verb of the report, for outcomes and items alike (:func:`direction`, the
analysis' own, :func:`survey.analysis.report.direction`, so that its notes and the page agree): a change
"rose" or "fell" only when its whole interval lies above or below zero. An interval that includes zero,
even at its very edge, says "no clear change" and gives the interval, because the answers cannot tell a
rise from a fall. Nothing is called "significant".

Numbers follow the reader's language: Mongolian writes a decimal comma and groups thousands with a
space, English a decimal point and commas. Signs are a real minus (−) and an explicit plus, so that a
change never reads as a level.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.analysis.report import Direction, direction
from survey.reports.formats import PERCENT_KINDS
from survey.reports.messages import CATALOGUE

__all__ = [
    "Change",
    "Direction",
    "change_sentence",
    "count",
    "decimal",
    "direction",
    "level_text",
    "percent",
    "signed",
    "size_key",
    "unit",
]

#: The smallest standardised effect Cohen (1988) calls small, medium and large.
CONVENTIONS: tuple[tuple[float, str], ...] = ((0.8, "large"), (0.5, "medium"), (0.2, "small"))

_MINUS = "\N{MINUS SIGN}"
#: A number's decimals are increased up to this many when rounding would show a non-zero bound as
#: zero ("+0.00" for 0.004 would read as "no change" beside a "rose").
_MAX_DECIMALS = 4


def decimal(value: float, decimals: int, lang: str, *, sign: bool = False) -> str:
    """``value`` with ``decimals`` decimals in ``lang``'s notation; ``sign`` adds + (or a minus).

    When rounding would show a non-zero value as zero, more decimals are shown (up to 4), so that
    "+0.004" is not read as "+0.00".
    """
    while decimals < _MAX_DECIMALS and value != 0 and round(abs(value), decimals) == 0:
        decimals += 1
    text = f"{abs(value):,.{decimals}f}"
    if lang == "mn":
        text = text.replace(",", "\N{NO-BREAK SPACE}").replace(".", ",")
    if round(abs(value), decimals) == 0:
        return text
    if value < 0:
        return _MINUS + text
    return "+" + text if sign else text


def count(n: int, lang: str) -> str:
    """A whole number of people in ``lang``'s notation (1,234 or 1 234)."""
    return decimal(float(n), 0, lang)


def percent(share: float, lang: str) -> str:
    """A share (0 to 1) as a whole percentage: 0.46 → "46%"."""
    return decimal(100 * share, 0, lang) + "%"


def level_text(value: float | None, kind: str, lang: str) -> str:
    """A level (a mean or a share) of an outcome of ``kind``; "–" when there is none."""
    if value is None:
        return "–"
    return percent(value, lang) if kind in PERCENT_KINDS else decimal(value, 2, lang)


def signed(value: float | None, kind: str, lang: str) -> str:
    """A change of an outcome of ``kind``: percentage points for shares, 2 decimals for means."""
    if value is None:
        return "–"
    if kind in PERCENT_KINDS:
        return decimal(100 * value, 0, lang, sign=True)
    return decimal(value, 2, lang, sign=True)


def size_key(value: float) -> str:
    """Cohen's (1988) conventional name of a standardised effect's size: small, medium, large or
    below (smaller than small)."""
    size = abs(value)
    return next((name for bound, name in CONVENTIONS if size >= bound), "below")


@dataclass(frozen=True)
class Change:
    """A change to put into words: its levels before and after, its estimate and its interval.

    ``kind`` is the outcome's (score, scale, proportion, item, likert); ``points`` the number of
    answer points of a scale or Likert item. ``comparison`` marks an estimate that is a difference
    in differences (the campaign group's change minus the comparison group's).
    """

    kind: str
    before: float | None
    after: float | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    points: int | None = None
    comparison: bool = False


def unit(kind: str, points: int | None, lang: str) -> str:
    """The unit of a change of an outcome of ``kind``: percentage points for shares, else points of
    the answer scale (with its range when ``points`` is known)."""
    t = CATALOGUE.bound(lang)
    if kind in PERCENT_KINDS:
        return t("unit.percent")
    return t("unit.scale", points=points) if points else t("unit.scale_plain")


def _measure_and_unit(change: Change, lang: str) -> tuple[str, str]:
    t = CATALOGUE.bound(lang)
    measure = t(f"measure.{change.kind}") if change.kind in PERCENT_KINDS else t("measure.scale")
    return measure, unit(change.kind, change.points, lang)


def change_sentence(change: Change, lang: str, level: str) -> str:
    """The sentence that says what happened to a change, with its interval (see :func:`direction`).

    Parameters
    ----------
    change
        The levels, estimate and interval.
    lang
        The reader's language.
    level
        The intervals' confidence level as shown, e.g. "95%".
    """
    t = CATALOGUE.bound(lang)
    if change.estimate is None or (
        not change.comparison and (change.before is None or change.after is None)
    ):
        return t("change.none")
    measure, unit_text = _measure_and_unit(change, lang)
    verb = direction(change.ci_low, change.ci_high)
    numbers = {
        "diff": signed(change.estimate, change.kind, lang),
        "unit": unit_text,
        "level": level,
        "low": signed(change.ci_low, change.kind, lang),
        "high": signed(change.ci_high, change.kind, lang),
    }
    if change.comparison:
        key = "did.no_interval" if verb == "none" else f"did.{verb}"
        return t(key, **numbers)
    levels = {
        "before": level_text(change.before, change.kind, lang),
        "after": level_text(change.after, change.kind, lang),
        "measure": measure,
    }
    key = "change.no_interval" if verb == "none" else f"change.{verb}"
    return t(key, **numbers, **levels)
