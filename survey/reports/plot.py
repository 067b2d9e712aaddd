"""The forest plot of the report: standardised effects with their intervals, as inline SVG.

Read on a 360 px phone as well as on a laptop and on paper, so the SVG has no ``viewBox`` that would
shrink its text with the screen: text is set in CSS pixels (12–14 px) and only the horizontal positions
are percentages of the plot's width. A row's label has the whole width to itself, wrapped onto as many
lines as it needs (never cut), with the interval drawn below it.

One panel per kind of standardised effect: Hedges' g (or d_z, or the standardised difference of
changes) for averages and scores, Cohen's h for shares. They are different scales, so they never share
an axis. Each panel has ticks, an axis title, a dashed line at zero, and faint guides at ±0.2, ±0.5 and
±0.8 labelled with the names Cohen's conventions give them. The SVG's ``<title>`` and ``<desc>`` state
every estimate and interval in words, for screen readers.

:func:`subgroup_plot` draws one outcome's raw change in each group of people (percentage points for
shares, scale points for averages), everyone first, the groups under the heading of their grouping
item: the same rows, without Cohen's guides, which belong to standardised effects.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from html import escape

from survey.reports.messages import CATALOGUE
from survey.reports.words import CONVENTIONS, decimal

__all__ = [
    "LABEL_CHARACTERS",
    "TITLE_CHARACTERS",
    "PlotPanel",
    "PlotRow",
    "forest_plot",
    "subgroup_plot",
]

#: Characters per line of a row's label: what 13 px text fits in the narrowest plot (a 360 px phone
#: less the page's margins, 328 px) in a wide font (DejaVu Sans, up to 9 px a Cyrillic letter); the
#: browser tests check that no label sticks out.
LABEL_CHARACTERS = 36
#: The same for a panel's title (14 px bold); an axis title (12 px) takes 6 more.
TITLE_CHARACTERS = 30
#: Texts start a little inside the plot: their white halo (see report.css) stays inside it too.
_INSET = "3"
#: The plotted range runs from 6% to 94% of the width: tick and guide labels centred on its ends
#: still fit inside the SVG.
_LEFT, _RIGHT = 6.0, 94.0
#: Zero is kept between these fractions of the range, so that the "← fall" and "rise →" words on
#: either side of it always have room.
_ZERO_MIN, _ZERO_MAX = 0.3, 0.7
#: A guide's word closer than this (in percent of the width) to an edge is aligned to that edge.
_EDGE = 15.0
_STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0)
_MAX_TICKS = 6
_LINE, _GAP = 17, 10


@dataclass(frozen=True)
class PlotRow:
    """One outcome (or group): its label in the reader's language, its estimate and interval.

    ``heading`` is written above the row when it differs from the row before (a grouping item).
    """

    key: str
    label: str
    estimate: float
    ci_low: float
    ci_high: float
    heading: str = ""


@dataclass(frozen=True)
class PlotPanel:
    """The rows of one kind of standardised effect (``effect`` is its name in the report JSON).

    A panel of raw changes (:func:`subgroup_plot`) multiplies its numbers by ``scale`` when written
    (100 for shares, in percentage points), has no Cohen's guides, and its axis title is ``axis``.
    """

    effect: str
    kind: str  # "means" or "shares"
    rows: tuple[PlotRow, ...]
    scale: float = 1.0
    axis: str | None = None


def _axis(rows: tuple[PlotRow, ...]) -> tuple[float, float, list[float]]:
    """The plotted range and its ticks: every interval, zero and the ±0.2 guides inside it."""
    low = min([-0.2, *(r.ci_low for r in rows)])
    high = max([0.2, *(r.ci_high for r in rows)])
    pad = 0.05 * (high - low)
    low, high = low - pad, high + pad
    # Keep zero away from the edges (see _ZERO_MIN): widen the short side.
    span = high - low
    if -low < _ZERO_MIN * span:
        low = -_ZERO_MIN * high / (1 - _ZERO_MIN)
    elif high < (1 - _ZERO_MAX) * span:
        high = -low * (1 - _ZERO_MAX) / _ZERO_MAX
    step = next((s for s in _STEPS if (high - low) / s <= _MAX_TICKS), _STEPS[-1])
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    ticks = [round(i * step, 10) for i in range(first, last + 1)]
    return low, high, ticks


def _text(x: str, y: float, text: str, cls: str, anchor: str = "start") -> str:
    return f'<text class="{cls}" x="{x}" y="{y:g}" text-anchor="{anchor}">{escape(text)}</text>'


def _number(value: float, panel: PlotPanel, lang: str) -> str:
    """A plotted number as the panel writes it: 2 decimals, or whole percentage points."""
    decimals = 0 if panel.scale != 1.0 else 2
    return decimal(value * panel.scale, decimals, lang, sign=True)


def _panel(panel: PlotPanel, lang: str, top: float) -> tuple[list[str], float]:
    """The SVG elements of one panel starting at ``top``, and the panel's height."""
    t = CATALOGUE.bound(lang)
    raw = panel.axis is not None
    name = "" if raw else t(f"effect.{panel.effect}")
    low, high, ticks = _axis(panel.rows)

    def position(value: float) -> float:
        return _LEFT + (value - low) / (high - low) * (_RIGHT - _LEFT)

    def x(value: float) -> str:
        return f"{position(value):.2f}%"

    def anchor(value: float) -> str:
        # A word centred on a guide near an edge would stick out of the plot: it ends (or starts) there.
        where = position(value)
        return "end" if where > 100 - _EDGE else "start" if where < _EDGE else "middle"

    y = top
    parts = []
    guides = []
    if raw:
        y += 8
        body_top = y
    else:
        for line in textwrap.wrap(t(f"plot.panel.{panel.kind}", name=name), TITLE_CHARACTERS):
            y += 18
            parts.append(_text(_INSET, y, line, "panel-title"))
        # Guide labels in three staggered lines (small, medium, large), so that they never overlap.
        guides_top = y + 8
        y = guides_top + 3 * 14 + 6
        body_top = y - 8
        for row, (bound, size) in enumerate(sorted(CONVENTIONS)):
            for value in (-bound, bound):
                if low < value < high:
                    guides.append(value)
                    parts.append(
                        _text(
                            x(value),
                            guides_top + 12 + 14 * row,
                            t(f"size.word.{size}"),
                            "guide-label",
                            anchor(value),
                        )
                    )
    rows = []
    heading = ""
    for r in panel.rows:
        if r.heading and r.heading != heading:
            heading = r.heading
            for line in textwrap.wrap(heading, TITLE_CHARACTERS):
                y += 18
                rows.append(_text(_INSET, y, line, "row-heading"))
        lines = textwrap.wrap(r.label, LABEL_CHARACTERS) or [r.key]
        group = [
            f'<g class="row" data-key="{escape(r.key)}" data-estimate="{r.estimate!r}" '
            f'data-ci-low="{r.ci_low!r}" data-ci-high="{r.ci_high!r}">'
        ]
        for line in lines:
            y += _LINE
            group.append(_text(_INSET, y, line, "label"))
        y += 15
        group.append(
            _text(
                _INSET,
                y,
                t(
                    "plot.row",
                    estimate=_number(r.estimate, panel, lang),
                    low=_number(r.ci_low, panel, lang),
                    high=_number(r.ci_high, panel, lang),
                ),
                "value",
            )
        )
        y += 12
        group += [
            f'<line class="ci" x1="{x(r.ci_low)}" y1="{y:g}" x2="{x(r.ci_high)}" y2="{y:g}"/>',
            f'<circle class="est" cx="{x(r.estimate)}" cy="{y:g}" r="5"/>',
            "</g>",
        ]
        y += _GAP
        rows += group
    body_bottom = y + 4
    for value in guides:
        parts.append(
            f'<line class="guide" x1="{x(value)}" y1="{body_top:g}" x2="{x(value)}" '
            f'y2="{body_bottom:g}"/>'
        )
    parts.append(
        f'<line class="zero" x1="{x(0)}" y1="{body_top:g}" x2="{x(0)}" y2="{body_bottom:g}"/>'
    )
    parts += rows
    y = body_bottom
    parts.append(f'<line class="axis" x1="{_LEFT}%" y1="{y:g}" x2="{_RIGHT}%" y2="{y:g}"/>')
    for value in ticks:
        parts.append(
            f'<line class="tick" x1="{x(value)}" y1="{y:g}" x2="{x(value)}" y2="{y + 5:g}"/>'
        )
        parts.append(
            _text(
                x(value),
                y + 19,
                decimal(value * panel.scale, 1 if (value * panel.scale) % 1 else 0, lang),
                "tick-label",
                "middle",
            )
        )
    # "← fall" ends just left of zero, "rise →" starts just right of it.
    fall, rise = t("plot.fall"), t("plot.rise")
    parts.append(
        f'<text class="direction" x="{x(0)}" y="{y + 36:g}" dx="-6" text-anchor="end">'
        f"{escape(fall)}</text>"
    )
    parts.append(
        f'<text class="direction" x="{x(0)}" y="{y + 36:g}" dx="6" text-anchor="start">'
        f"{escape(rise)}</text>"
    )
    y += 38
    axis = panel.axis if panel.axis is not None else t("plot.axis", name=name)
    for line in textwrap.wrap(axis, TITLE_CHARACTERS + 6):
        y += 16
        parts.append(_text("50%", y, line, "axis-title", "middle"))
    return parts, y + 8 - top


def forest_plot(panels: list[PlotPanel], lang: str, level: str) -> str:
    """The plot as an inline SVG element, one panel per kind of standardised effect.

    Parameters
    ----------
    panels
        The panels in the order shown; a panel without rows is left out.
    lang
        The reader's language (texts and numbers).
    level
        The intervals' confidence level as shown, e.g. "95%".
    """
    t = CATALOGUE.bound(lang)
    shown = [panel for panel in panels if panel.rows]
    sentences = [
        t(
            "plot.desc_row",
            label=r.label,
            name=t(f"effect.{panel.effect}"),
            estimate=decimal(r.estimate, 2, lang, sign=True),
            level=level,
            low=decimal(r.ci_low, 2, lang, sign=True),
            high=decimal(r.ci_high, 2, lang, sign=True),
        )
        for panel in shown
        for r in panel.rows
    ]
    desc = " ".join([*sentences, t("plot.desc_guides")]) if sentences else t("plot.empty")
    return _svg(shown, lang, "forest", t("plot.title", level=level), desc)


def _svg(panels: list[PlotPanel], lang: str, name: str, title: str, desc: str) -> str:
    """The panels one under the other in one SVG, labelled by ``title`` and ``desc`` (ids from
    ``name``, unique on the page)."""
    body: list[str] = []
    top = 0.0
    for panel in panels:
        parts, height = _panel(panel, lang, top)
        body += [f'<g class="panel" data-effect="{escape(panel.effect)}">', *parts, "</g>"]
        top += height + 16
    height = max(top, 24.0)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="forest" role="img" width="100%" '
            f'height="{height:g}" aria-labelledby="{name}-title {name}-desc">',
            f'<title id="{name}-title">{escape(title)}</title>',
            f'<desc id="{name}-desc">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def subgroup_plot(panel: PlotPanel, lang: str, level: str, name: str, title: str) -> str:
    """One outcome's raw change in each group (see the module docstring), as inline SVG.

    Parameters
    ----------
    panel
        The rows (everyone, then the groups with their grouping item as ``heading``), ``scale`` and
        ``axis`` set.
    lang
        The reader's language.
    level
        The intervals' confidence level as shown, e.g. "95%".
    name
        A name unique on the page, for the ids that label the SVG.
    title
        What the plot shows, for screen readers.
    """
    t = CATALOGUE.bound(lang)
    sentences = [
        t(
            "plot.desc_group",
            label=f"{r.heading}: {r.label}" if r.heading else r.label,
            estimate=_number(r.estimate, panel, lang),
            level=level,
            low=_number(r.ci_low, panel, lang),
            high=_number(r.ci_high, panel, lang),
        )
        for r in panel.rows
    ]
    desc = " ".join(sentences) if sentences else t("plot.empty_groups")
    return _svg([panel] if panel.rows else [], lang, name, title, desc)
