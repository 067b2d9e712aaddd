"""The monitoring page of a wave, ``GET /console/waves/{key}``: complete, unfinished and declined responses,
responses started per day, where unfinished responses stopped (each page named by its number and its
section's title, in the reader's language), and the median time to complete; with field collection,
the responses by channel and enumerator and those waiting for review (survey.console.field).

htmx refreshes the figures every 30 seconds: the same handler answers an htmx request with the figures
alone (``console/_progress.html``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from litestar import get
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from survey.console import field, service
from survey.console import web as console_web
from survey.console.auth import CAMPAIGN_READERS, principal
from survey.console.field import ChannelRow
from survey.db import field as field_db
from survey.db.console import WaveProgress
from survey.web import request_pool

__all__ = ["ROUTES", "Bar", "Chart", "day_chart"]

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
) -> WavePage:
    t = console_web.translator(request)
    wave, progress = found.wave, found.progress
    order = {key: (name.number or 0) for key, name in found.pages.items()}
    pages = sorted(progress.pages, key=lambda p: (order.get(p.page, 10**6), p.page))
    return WavePage(
        key=wave.key,
        campaign=wave.campaign,
        title=console_web.wave_title(t, wave),
        questionnaire=wave.questionnaire,
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
    )


@get("/console/waves/{key:str}", opt={"roles": CAMPAIGN_READERS})
async def wave_page(request: HTMXRequest, key: FromPath[str]) -> Template:
    """Collection of one wave: complete and partial responses, per day, drop-off by page, median time.

    htmx refreshes the figures every 30 seconds (the same handler answers with the fragment).
    """
    async with request_pool(request).acquire() as conn:
        found = await service.monitoring(
            conn, principal(request), key, console_web.language(request)
        )
        channels = await field.channel_rows(conn, console_web.translator(request), found.wave)
        pending = await field_db.pending_count(conn, found.wave.id)
    context = _wave_page(request, found, channels, pending)
    if request.htmx:
        return console_web.fragment(request, "_progress.html", context)
    return console_web.page(request, "wave.html", context, section="campaigns")


ROUTES = [wave_page]
