"""The monitoring page of a wave, ``GET /console/waves/{key}``: complete, unfinished and declined responses,
responses started per day, where unfinished responses stopped (each page named by its number and its
section's title, in the reader's language), and the median time to complete; with field collection,
the responses by channel and enumerator and those waiting for review (survey.console.field).

htmx refreshes the figures every 30 seconds: the same handler answers an htmx request with the figures
alone (``console/_progress.html``).

Below the figures, the precision so far (issue 18): for each declared outcome, the width of the interval
the report will show, read by the report's own data path (:func:`survey.reports.data.campaign_cells`,
the kept summaries brought up to date, then :func:`survey.analysis.report.build_report`; a panel reads its
rows there): for a post wave, of the report's first effect (the raw
difference for the campaign's design: Welch, paired, Newcombe or the difference in differences); for a
pre wave, of the wave's own mean (t interval) or share (Wilson interval, the one Newcombe's intervals are
built from). Beside it, how many more complete responses of this wave would bring it to a target width
set on the page (kept in the query string), assuming every group's current SD holds, the other waves stay
as they are, and the width shrinks with the square root of n: with V = Σ sd²/n over the compared groups,
the width scales with √V. Groups under 5 show no numbers, as on the report. This is read once per page
view, not by the 30-second refresh.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

import asyncpg
from litestar import get
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template
from scipy import stats

from survey.analysis.report import WaveData, build_report
from survey.analysis.results import OutcomeReport
from survey.console import field, service
from survey.console import web as console_web
from survey.console.auth import CAMPAIGN_READERS, principal
from survey.console.field import ChannelRow
from survey.console.planning import VALUE_LENGTH, parse_number
from survey.db import field as field_db
from survey.db.console import WaveProgress
from survey.questionnaire.model import Questionnaire
from survey.reports.data import campaign_cells
from survey.web import request_reads
from survey.web.i18n import LANGUAGES

__all__ = [
    "ROUTES",
    "Bar",
    "Chart",
    "OutcomeWidth",
    "day_chart",
    "more_needed",
    "outcome_widths",
]

#: The chart's height and the width of one day, in SVG user units; the chart is drawn upwards from
#: y = CHART_HEIGHT and stretched to the page's width.
CHART_HEIGHT: Final = 80.0
BAR_STEP: Final = 14.0
#: Room for at least two weeks, so that the first days of a wave are bars, not one block across the page.
CHART_DAYS: Final = 14


@dataclass(frozen=True, slots=True)
class Bar:
    """One day of the chart, in SVG user units."""

    x: float
    day: date
    complete: int
    partial: int
    complete_y: float
    complete_h: float
    partial_y: float
    partial_h: float


@dataclass(frozen=True, slots=True)
class Chart:
    width: float
    height: float
    bar_width: float
    bars: tuple[Bar, ...]
    peak: int


def day_chart(progress: WaveProgress) -> Chart:
    """Stacked bars per day: complete responses at the bottom, unfinished ones above."""
    peak = max((d.complete + d.partial for d in progress.per_day), default=0)
    scale = CHART_HEIGHT / peak if peak else 0.0
    bars = []
    for n, d in enumerate(progress.per_day):
        complete_h = d.complete * scale
        partial_h = d.partial * scale
        bars.append(
            Bar(
                x=n * BAR_STEP,
                day=d.day,
                complete=d.complete,
                partial=d.partial,
                complete_y=CHART_HEIGHT - complete_h,
                complete_h=complete_h,
                partial_y=CHART_HEIGHT - complete_h - partial_h,
                partial_h=partial_h,
            )
        )
    return Chart(
        width=max(len(bars), CHART_DAYS) * BAR_STEP,
        height=CHART_HEIGHT,
        bar_width=BAR_STEP - 3,
        bars=tuple(bars),
        peak=peak,
    )


@dataclass(frozen=True, slots=True)
class PageRow:
    """A page of the questionnaire in the drop-off table."""

    name: str
    reached: int
    stopped: int
    share: str
    """Of the responses that reached the page, the percentage that stopped there."""


@dataclass(frozen=True, slots=True)
class WavePage:
    key: str
    campaign: str
    title: str
    questionnaire: str
    version: int
    status: str
    status_label: str
    complete: int
    partial: int
    declined: int
    median: str
    chart: Chart
    pages: tuple[PageRow, ...]
    checked_at: datetime
    refresh: str
    """The address htmx reloads the figures from."""
    channels: tuple[ChannelRow, ...] = ()
    """Responses by channel (web, field devices by address); empty when all came by the web form."""
    pending: int = 0
    review_href: str | None = None
    """Where the field interviews waiting for review are decided, for the roles that decide."""
    precision: Precision | None = None
    """The interval widths of the declared outcomes so far (page views only, not the refresh)."""


def _duration(t: Callable[..., str], seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return t("duration.hours", hours=hours, minutes=f"{minutes:02d}")
    return t("duration.minutes", minutes=minutes, seconds=f"{secs:02d}")


#: Longest page title shown in the drop-off table: a section known by its first question may be named by a
#: paragraph.
PAGE_TITLE_LENGTH: Final = 80


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PAGE_TITLE_LENGTH else text[: PAGE_TITLE_LENGTH - 1].rstrip() + "…"


def _page_name(t: Callable[..., str], key: str, name: service.PageName | None) -> str:
    if name is None or name.number is None:
        # A page of another version (a wave's responses all use its version, so this stays rare).
        return t("monitor.page_unknown", key=key)
    title = _shorten(name.title) if name.title else t("monitor.page_untitled")
    if name.parts > 1:
        return t(
            "monitor.page_part", number=name.number, title=title, part=name.part, parts=name.parts
        )
    return t("monitor.page", number=name.number, title=title)


def _wave_page(
    request: HTMXRequest,
    found: service.Monitoring,
    channels: tuple[ChannelRow, ...] = (),
    pending: int = 0,
    widths: Precision | None = None,
) -> WavePage:
    t = console_web.translator(request)
    wave, progress = found.wave, found.progress
    order = {key: (name.number or 0) for key, name in found.pages.items()}
    pages = sorted(progress.pages, key=lambda p: (order.get(p.page, 10**6), p.page))
    return WavePage(
        key=wave.key,
        campaign=wave.campaign,
        title=console_web.wave_title(t, wave),
        questionnaire=found.questionnaire_title,
        version=wave.version,
        status=wave.status,
        status_label=t(f"status.{wave.status}"),
        complete=progress.complete,
        partial=progress.partial,
        declined=progress.declined,
        median=_duration(t, progress.median_seconds),
        chart=day_chart(progress),
        pages=tuple(
            PageRow(
                name=_page_name(t, p.page, found.pages.get(p.page)),
                reached=p.reached,
                stopped=p.stopped,
                share=f"{100 * p.stopped / p.reached:.0f} %" if p.reached else "–",
            )
            for p in pages
        ),
        checked_at=datetime.now(UTC),
        refresh=f"/console/waves/{wave.key}",
        channels=channels,
        pending=pending,
        review_href=field.review_link(request, wave, pending),
        precision=widths,
    )


# -- precision so far ---------------------------------------------------------------------------------

#: The smallest group whose numbers are shown, as on the report (reports never show a cell under 5).
MIN_CELL: Final = 5
#: A target width's default, as a share of the outcome's range: a tenth (10 percentage points, ±5, for a
#: share or a knowledge score; 0.4 points on a 5-point scale), a survey's usual margin of error.
DEFAULT_TARGET_SHARE: Final = 0.1


@dataclass(frozen=True, slots=True)
class OutcomeWidth:
    """The interval of one declared outcome as the report will show it, from this wave's view.

    ``width`` is in the outcome's own units (a share or a score as 0–1, a scale in its points); None
    when it cannot be computed yet, or is hidden (``hidden``: a group under :data:`MIN_CELL`).
    ``groups`` holds, for each compared group, its n and its variance (sd²); ``this`` names the group
    this wave's new responses join.
    """

    key: str
    kind: str
    label: Mapping[str, str]
    width: float | None
    hidden: bool
    groups: Mapping[str, tuple[int, float]]
    this: str
    span: float
    """The outcome's range (1 for a share or a score, points − 1 for a scale)."""


def _span(definition: Questionnaire, outcome_items: Sequence[str] | None, kind: str) -> float:
    if kind != "scale" or not outcome_items:
        return 1.0
    scale = definition.item(outcome_items[0]).scale
    points = definition.likert_scales[scale].points if scale in definition.likert_scales else 5
    return float(points - 1)


def _single_interval(kind: str, n: int, mean: float, sd: float, level: float) -> float | None:
    """The width of one wave's interval: Wilson for a share, t for a mean."""
    if n < 2:
        return None
    if kind == "proportion":
        low, high = stats.binomtest(round(mean * n), n).proportion_ci(level, method="wilson")
        return float(high - low)
    return 2.0 * float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * sd / math.sqrt(n)


def outcome_widths(design: str, waves: Sequence[WaveData], wave_key: str) -> list[OutcomeWidth]:
    """The interval width of each declared outcome, for the wave ``wave_key`` of a campaign.

    A post wave: the width of the report's first effect of the outcome (``build_report`` on all the
    campaign's waves). A pre wave: the width of the wave's own mean or share, from its group in that
    report (in a panel, whose groups are matched pairs: from the wave read as the only wave of an
    independent design).
    """
    wave = next(w for w in waves if w.key == wave_key)
    level = 0.95
    if wave.phase == "post":
        report = build_report("monitoring", design, waves, confidence_level=level)
        if design == "panel":
            names, this = ("change",), "change"
        elif design == "comparison":
            names = ("campaign_pre", "campaign_post", "comparison_pre", "comparison_post")
            this = f"{wave.arm}_post"
        else:
            names, this = ("pre", "post"), "post"
    elif design == "panel":
        # A panel's groups are its matched pairs: the wave alone, read as an independent design.
        alone = dataclasses.replace(wave, phase="pre", arm="campaign")
        report = build_report("monitoring", "independent", [alone], confidence_level=level)
        names, this = ("pre",), "pre"
    else:
        # The wave's own group in the campaign's report: scored as the report scores it (by the newest
        # version, when the waves' versions differ), from the same summaries.
        report = build_report("monitoring", design, waves, confidence_level=level)
        this = f"{wave.arm}_pre" if design == "comparison" else "pre"
        names = (this,)
    definition = next(w for w in waves if w.key == wave_key).definition
    out = []
    for outcome in report.outcomes:
        if outcome.key not in definition.outcomes:
            continue
        declared = definition.outcomes[outcome.key]
        groups = {name: outcome.groups.get(name) for name in names}
        hidden = any(g is None or g.n is None for g in groups.values())
        sizes = {
            name: (g.n, g.sd * g.sd)
            for name, g in groups.items()
            if g is not None and g.n and g.sd is not None
        }
        width = None if hidden else _width(outcome, wave.phase, groups[this], level)
        out.append(
            OutcomeWidth(
                key=outcome.key,
                kind=outcome.kind,
                label=outcome.label,
                width=width,
                hidden=hidden,
                groups=sizes if len(sizes) == len(names) else {},
                this=this,
                span=_span(definition, declared.items, outcome.kind),
            )
        )
    return out


def _width(outcome: OutcomeReport, phase: str, group: object, level: float) -> float | None:
    if phase == "post":
        first = next((e for e in outcome.effects if e.group is None), None)
        if first is None or first.ci_low is None or first.ci_high is None:
            return None
        return first.ci_high - first.ci_low
    if group is None or group.n is None or group.mean is None or group.sd is None:  # type: ignore[attr-defined]
        return None
    return _single_interval(outcome.kind, group.n, group.mean, group.sd, level)  # type: ignore[attr-defined]


def more_needed(found: OutcomeWidth, target: float) -> int | None:
    """More complete responses of this wave for the width to reach ``target``: 0 when it has; None when
    it cannot be reached by this wave alone (the other waves' share of the variance is already too
    large) or cannot be estimated (no spread yet).

    The width scales with √V, V = Σ sd²/n over the compared groups, each group's sd held fixed and
    only this wave's n growing (in a panel, the pairs).
    """
    if found.width is None or not found.groups or target <= 0:
        return None
    if found.width <= target:
        return 0
    n_this, v_this = found.groups[found.this]
    total = sum(v / n for n, v in found.groups.values())
    if v_this <= 0 or total <= 0:
        return None
    wanted = total * (target / found.width) ** 2
    rest = total - v_this / n_this
    if wanted <= rest:
        return None
    return max(0, math.ceil(v_this / (wanted - rest) - n_this - 1e-9))


@dataclass(frozen=True, slots=True)
class WidthRow:
    key: str
    name: str
    field: str
    """The query parameter of its target."""
    target: str
    """The target as typed (or the default), in the row's display units."""
    error: str | None
    width: str | None
    more: str
    unit: str


@dataclass(frozen=True, slots=True)
class Precision:
    lead: str
    rows: tuple[WidthRow, ...]
    action: str
    lang: str | None = None
    """``?lang=`` of the address, carried by the targets' form."""


def _shown(t: Callable[..., str], kind: str, value: float) -> str:
    if kind == "scale":
        return t("monitor.width.scale", value=f"{value:.2f}")
    return t("monitor.width.points", value=f"{100 * value:.1f}")


def precision(
    t: Callable[..., str],
    language: str,
    wave: WaveData,
    found: Sequence[OutcomeWidth],
    query: Mapping[str, str],
    action: str,
) -> Precision:
    """The table of interval widths, with each outcome's target read from ``target-<key>``."""
    rows = []
    for f in found:
        name = f"target-{f.key}"
        factor = 1.0 if f.kind == "scale" else 100.0
        default = DEFAULT_TARGET_SHARE * f.span
        typed = (query.get(name) or "").strip()
        error = None
        value = parse_number(typed) if typed and len(typed) <= VALUE_LENGTH else None
        if typed and (value is None or value <= 0):
            error = t("monitor.width.target_error")
        target = default if value is None or value <= 0 else value / factor
        if f.hidden:
            width, more = None, t("monitor.width.hidden")
        elif f.width is None:
            width, more = None, t("monitor.width.none")
        else:
            width = _shown(t, f.kind, f.width)
            needed = more_needed(f, target)
            if needed == 0:
                more = t("monitor.width.reached")
            elif needed is None:
                more = t("monitor.width.unreachable" if f.groups else "monitor.width.none")
            else:
                more = f"{needed:,}"
        label = service.text_in(f.label, language, wave.definition.default_language) or f.key
        rows.append(
            WidthRow(
                key=f.key,
                name=label,
                field=name,
                target=typed[:VALUE_LENGTH] if typed else f"{default * factor:g}",
                error=error,
                width=width,
                more=more,
                unit=t(
                    "monitor.width.scale" if f.kind == "scale" else "monitor.width.points", value=""
                ).strip(),
            )
        )
    lead = t("monitor.width.lead_post" if wave.phase == "post" else "monitor.width.lead_pre")
    lang = query.get("lang")
    return Precision(
        lead=lead, rows=tuple(rows), action=action, lang=lang if lang in LANGUAGES else None
    )


async def _precision(
    conn: asyncpg.Connection, request: HTMXRequest, wave_key: str, campaign: str
) -> Precision:
    reads = request_reads(request)
    campaign_row, waves = await campaign_cells(conn, campaign, primary=reads.primary_connection)
    wave = next(w for w in waves if w.key == wave_key)
    found = outcome_widths(campaign_row.design, waves, wave_key)
    return precision(
        console_web.translator(request),
        console_web.language(request),
        wave,
        found,
        request.query_params,
        f"/console/waves/{wave_key}",
    )


@get("/console/waves/{key:str}", opt={"roles": CAMPAIGN_READERS})
async def wave_page(request: HTMXRequest, key: FromPath[str]) -> Template:
    """Collection of one wave: complete and partial responses, per day, drop-off by page, median time.

    htmx refreshes the figures every 30 seconds (the same handler answers with the fragment).
    """
    # Reads only (counts, drop-off, the report's precision): on the replica when one is current.
    async with request_reads(request).connection() as conn:
        found = await service.monitoring(
            conn, principal(request), key, console_web.language(request)
        )
        channels = await field.channel_rows(conn, console_web.translator(request), found.wave)
        pending = await field_db.pending_count(conn, found.wave.id)
        # The refresh every 30 seconds asks for the figures only; the report's read is for a page view.
        widths = (
            None
            if request.htmx
            else await _precision(conn, request, found.wave.key, found.wave.campaign)
        )
    context = _wave_page(request, found, channels, pending, widths)
    if request.htmx:
        return console_web.fragment(request, "_progress.html", context)
    return console_web.page(request, "wave.html", context, section="campaigns")


ROUTES = [wave_page]
