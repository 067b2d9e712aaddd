"""Console pages of campaigns and their waves:

========================================  ===========================================================
``GET  /console``                         to the campaign list (where every role lands after sign-in)
``GET  /console/campaigns``               every campaign, its waves, counts and a link to its report
``GET  /console/campaigns/new``           the form to create a campaign
``POST /console/campaigns``               create it (the form comes back with the reason if not)
``GET  /console/campaigns/{key}``         a campaign: its waves as cards (link, copy, QR code, open and
                                          close), adding a wave, exports, its report
``POST /console/campaigns/{key}/waves``   add a wave
``POST /console/waves/{key}/open|close``  open or close a wave (htmx swaps its card)
``GET  /console/waves/{key}/qr.svg|png``  the wave's link as a QR code
========================================  ===========================================================

A campaign belongs to a team: the list shows the campaigns of the account's teams, each as its role in
that team allows (a viewer's lead to their reports: program leads may not open a campaign's page); the
other pages check the account's role in the campaign's team (:mod:`survey.console.service`), and answer
404 to anyone outside it. A new campaign is made in one of the teams where the account is an
administrator or a researcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from survey.console import service
from survey.console import web as console_web
from survey.console.auth import ALL_ROLES, CAMPAIGN_READERS, DESIGNERS, SIGNED_IN, principal
from survey.console.messages import language_name
from survey.console.service import CampaignDraft, Rejected, WaveCounts, WaveDraft, text_in
from survey.console.web import Choice, team_name
from survey.db.campaigns import DESIGNS, Campaign, default_wave_key
from survey.db.questionnaires import QuestionnaireSummary
from survey.web import request_pool

__all__ = ["ROUTES"]

#: Who may read a campaign's report (``survey.reports``): every signed-in role.
REPORT_READERS = ALL_ROLES


def _report_href(key: str) -> str:
    return f"/campaigns/{key}/report"


# -- what the pages show ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WaveTag:
    """A wave in the campaign list: its phase (and arm) and status in words."""

    label: str
    status: str
    status_label: str


@dataclass(frozen=True, slots=True)
class CampaignRow:
    key: str
    href: str
    """The campaign's page, or its report for a role that may not open the page."""
    team: str
    """The team's name."""
    design: str
    questionnaire: str
    waves: tuple[WaveTag, ...]
    complete: int
    partial: int
    report_href: str


@dataclass(frozen=True, slots=True)
class CampaignsPage:
    campaigns: tuple[CampaignRow, ...]
    can_create: bool
    show_team: bool
    """Whether the account is in several teams (then each campaign says whose it is)."""
    no_team: bool
    """Whether the account is in no team at all (it sees no campaign, and the page says why)."""


@dataclass(frozen=True, slots=True)
class WaveCard:
    """One wave on its campaign's page."""

    key: str
    title: str
    """Phase and arm in words: "Before the campaign", "After, comparison group"."""
    version: int
    status: str
    status_label: str
    complete: int
    partial: int
    declined: int
    monitor_href: str
    link: str | None
    """The respondent link, for the roles that hand it out."""
    qr_svg: str | None
    qr_png: str | None
    action: Literal["open", "close"] | None
    """What the account may do to the wave now, if anything."""
    field_href: str | None = None
    """Its field collection page (survey.console.field), for the roles that hand out links."""


@dataclass(frozen=True, slots=True)
class CampaignPage:
    key: str
    team: str
    """The team's name."""
    team_key: str
    design: str
    questionnaire: str
    cluster: str | None
    report_href: str
    waves: tuple[WaveCard, ...]
    can_run: bool
    loopback: str | None
    """The public base URL when it is a loopback address (respondents could not open the links)."""
    phases: tuple[Choice, ...]
    arms: tuple[Choice, ...]
    """Empty unless the design has a comparison group."""
    versions: tuple[Choice, ...]
    wave_key_example: str
    formats: tuple[Choice, ...]
    languages: tuple[Choice, ...]
    draft: WaveDraft
    error: str = ""


@dataclass(frozen=True, slots=True)
class NewCampaignPage:
    teams: tuple[Choice, ...]
    """The teams the campaign may belong to: those where the account is an administrator or a
    researcher."""
    questionnaires: tuple[Choice, ...]
    designs: tuple[tuple[Choice, str], ...]
    """Each design with a sentence saying what it is."""
    draft: CampaignDraft
    error: str = ""


#: Export formats in the order the form offers them (their names are in the catalogue, ``format.<key>``).
EXPORT_FORMATS = ("csv", "xlsx", "sav", "codebook-csv", "codebook-json")


def _wave_card(request: Request, w: WaveCounts, *, can_run: bool) -> WaveCard:
    """A wave's card; ``can_run`` when the account's role in the campaign's team lets it run waves."""
    t = console_web.translator(request)
    base = f"/console/waves/{w.wave.key}"
    action: Literal["open", "close"] | None = None
    if can_run:
        action = "close" if w.wave.status == "open" else "open"
    return WaveCard(
        key=w.wave.key,
        title=console_web.wave_title(t, w.wave),
        version=w.wave.version,
        status=w.wave.status,
        status_label=t(f"status.{w.wave.status}"),
        complete=w.counts.complete,
        partial=w.counts.partial,
        declined=w.counts.declined,
        monitor_href=base,
        link=w.wave.link(console_web.settings(request).base_url) if can_run else None,
        qr_svg=f"{base}/qr.svg" if can_run else None,
        qr_png=f"{base}/qr.png" if can_run else None,
        action=action,
        field_href=f"{base}/field" if can_run else None,
    )


def _campaign_page(
    request: Request,
    detail: service.CampaignDetail,
    *,
    error: str = "",
    draft: WaveDraft | None = None,
) -> CampaignPage:
    t = console_web.translator(request)
    campaign = detail.campaign
    can_run = detail.role in DESIGNERS
    draft = draft or WaveDraft(phase="post" if detail.waves else "pre")
    base_url = console_web.settings(request).base_url
    latest = detail.versions[-1] if detail.versions else None
    chosen_version = draft.version or str(latest)
    return CampaignPage(
        key=campaign.key,
        team=team_name(t, campaign.team, campaign.team_name),
        team_key=campaign.team,
        design=t(f"design.{campaign.design}"),
        questionnaire=_questionnaire_title(campaign, console_web.language(request)),
        cluster=campaign.cluster_item,
        report_href=_report_href(campaign.key),
        waves=tuple(_wave_card(request, w, can_run=can_run) for w in detail.waves),
        can_run=can_run,
        loopback=base_url if can_run and service.is_loopback(base_url) else None,
        phases=tuple(Choice(p, t(f"phase.{p}"), p == draft.phase) for p in ("pre", "post")),
        arms=tuple(Choice(a, t(f"arm.{a}"), a == draft.arm) for a in ("campaign", "comparison"))
        if campaign.design == "comparison"
        else (),
        versions=tuple(
            Choice(
                str(v),
                t("version.latest", version=v) if v == latest else t("version.number", version=v),
                str(v) == chosen_version,
            )
            for v in reversed(detail.versions)
        ),
        wave_key_example=default_wave_key(campaign.key, draft.phase or "pre", draft.arm),
        formats=tuple(Choice(f, t(f"format.{f}")) for f in EXPORT_FORMATS),
        languages=tuple(Choice(code, language_name(code)) for code in detail.languages),
        error=error,
        draft=draft,
    )


def _campaign_row(request: Request, overview: service.CampaignOverview) -> CampaignRow:
    t = console_web.translator(request)
    key = overview.campaign.key
    opens_page = overview.role in CAMPAIGN_READERS
    return CampaignRow(
        key=key,
        href=f"/console/campaigns/{key}" if opens_page else _report_href(key),
        team=team_name(t, overview.campaign.team, overview.campaign.team_name),
        design=t(f"design.{overview.campaign.design}"),
        questionnaire=_questionnaire_title(overview.campaign, console_web.language(request)),
        waves=tuple(
            WaveTag(console_web.wave_title(t, w.wave), w.wave.status, t(f"status.{w.wave.status}"))
            for w in overview.waves
        ),
        complete=overview.complete,
        partial=overview.partial,
        report_href=_report_href(key),
    )


# -- routes -------------------------------------------------------------------------------------------


@get("/console", opt={"roles": SIGNED_IN})
async def console_home(request: Request) -> Response:
    """The console starts at the campaign list."""
    return Redirect("/console/campaigns", status_code=303)


@get("/console/campaigns", opt={"roles": SIGNED_IN})
async def campaigns_page(request: Request) -> Template:
    """The campaigns of the account's teams, their waves and how many responses each has, each with a
    link to its report."""
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        found = await service.campaigns_overview(conn, who)
    context = CampaignsPage(
        campaigns=tuple(_campaign_row(request, c) for c in found),
        can_create=console_web.may(request, DESIGNERS),
        show_team=len(who.teams_as(ALL_ROLES)) > 1,
        no_team=not who.teams,
    )
    return console_web.page(request, "campaigns.html", context, section="campaigns")


def _questionnaire_title(campaign: Campaign, lang: str) -> str:
    """What people call a campaign's questionnaire: its title in ``lang`` (or its default language), its
    key only when it has no title."""
    return text_in(campaign.questionnaire_title, lang, lang) or campaign.questionnaire


def _titled(q: QuestionnaireSummary, lang: str) -> str:
    """``Title (key)``: the key is what the command line and the files use, the title what people read."""
    title = text_in(q.title, lang, lang)
    return f"{title} ({q.key})" if title else q.key


async def _new_campaign(
    request: Request, draft: CampaignDraft, *, error: str = "", status: int = 200
) -> Template:
    t = console_web.translator(request)
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        found = await service.questionnaires(conn, who, DESIGNERS)
    teams = service.designer_teams(who)
    chosen = draft.team or (teams[0].team if teams else "")
    context = NewCampaignPage(
        teams=tuple(Choice(m.team, team_name(t, m.team, m.name), m.team == chosen) for m in teams),
        questionnaires=tuple(
            Choice(q.key, _titled(q, console_web.language(request)), q.key == draft.questionnaire)
            for q in found
        ),
        designs=tuple(
            (Choice(d, t(f"design.{d}"), d == draft.design), t(f"design.{d}.hint")) for d in DESIGNS
        ),
        draft=draft,
        error=error,
    )
    return console_web.page(
        request, "campaign_new.html", context, section="campaigns", status=status
    )


@get("/console/campaigns/new", opt={"roles": DESIGNERS})
async def new_campaign_page(request: Request) -> Template:
    """The form to create a campaign."""
    return await _new_campaign(request, CampaignDraft())


@post("/console/campaigns", opt={"roles": DESIGNERS})
async def create_campaign(request: Request) -> Response:
    """Create a campaign; the form comes back with the reason when something is wrong."""
    form = await console_web.read_form(request)
    draft = CampaignDraft(
        key=form.get("key", "").strip(),
        questionnaire=form.get("questionnaire", "").strip(),
        design=form.get("design", "").strip(),
        cluster=form.get("cluster", "").strip(),
        team=form.get("team", "").strip(),
    )
    async with request_pool(request).acquire() as conn:
        outcome = await service.create_campaign(conn, principal(request), draft)
    if isinstance(outcome, Rejected):
        message = console_web.refusal(request, outcome)
        return await _new_campaign(request, draft, error=message, status=outcome.status)
    return Redirect(f"/console/campaigns/{outcome.key}", status_code=303)


@get("/console/campaigns/{key:str}", opt={"roles": CAMPAIGN_READERS})
async def campaign_page(request: Request, key: FromPath[str]) -> Template:
    """A campaign: its waves (open, close, link, QR code, monitoring), exports and its report."""
    async with request_pool(request).acquire() as conn:
        detail = await service.campaign_detail(conn, principal(request), key)
    context = _campaign_page(request, detail)
    return console_web.page(request, "campaign.html", context, section="campaigns")


@post("/console/campaigns/{key:str}/waves", opt={"roles": DESIGNERS})
async def add_wave(request: Request, key: FromPath[str]) -> Response:
    """Add a pre or post wave (in the campaign or the comparison arm), pinned to a version."""
    form = await console_web.read_form(request)
    draft = WaveDraft(
        phase=form.get("phase", ""),
        arm=form.get("arm", "campaign") or "campaign",
        version=form.get("version", "").strip(),
        key=form.get("wave_key", "").strip(),
    )
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        outcome = await service.add_wave(conn, who, key, draft)
        if not isinstance(outcome, Rejected):
            return Redirect(f"/console/campaigns/{key}", status_code=303)
        detail = await service.campaign_detail(conn, who, key)
    context = _campaign_page(
        request, detail, error=console_web.refusal(request, outcome), draft=draft
    )
    return console_web.page(
        request, "campaign.html", context, section="campaigns", status=outcome.status
    )


async def _set_status(
    request: HTMXRequest, key: str, status: Literal["open", "closed"]
) -> Response:
    async with request_pool(request).acquire() as conn:
        found = await service.set_wave_status(conn, principal(request), key, status)
    if not request.htmx:
        return Redirect(f"/console/campaigns/{found.wave.campaign}", status_code=303)
    # Only an administrator or a researcher of the campaign's team got here.
    return console_web.fragment(request, "_wave.html", _wave_card(request, found, can_run=True))


@post("/console/waves/{key:str}/open", opt={"roles": DESIGNERS})
async def open_wave(request: HTMXRequest, key: FromPath[str]) -> Response:
    """Open a wave: its link starts accepting answers."""
    return await _set_status(request, key, "open")


@post("/console/waves/{key:str}/close", opt={"roles": DESIGNERS})
async def close_wave(request: HTMXRequest, key: FromPath[str]) -> Response:
    """Close a wave: its link stops accepting answers."""
    return await _set_status(request, key, "closed")


async def _qr(request: Request, key: str, kind: Literal["svg", "png"]) -> Response:
    async with request_pool(request).acquire() as conn:
        wave = await service.wave_for(conn, principal(request), key, DESIGNERS)
    body = service.qr_code(wave.link(console_web.settings(request).base_url), kind, title=wave.key)
    return Response(
        body,
        media_type="image/svg+xml" if kind == "svg" else "image/png",
        # Shown on the campaign page (an <img> ignores the header) and saved by its download links.
        headers={"content-disposition": f'attachment; filename="{wave.key}-qr.{kind}"'},
    )


@get("/console/waves/{key:str}/qr.svg", opt={"roles": DESIGNERS})
async def wave_qr_svg(request: Request, key: FromPath[str]) -> Response:
    """The wave's link as a QR code, SVG (for print)."""
    return await _qr(request, key, "svg")


@get("/console/waves/{key:str}/qr.png", opt={"roles": DESIGNERS})
async def wave_qr_png(request: Request, key: FromPath[str]) -> Response:
    """The wave's link as a QR code, PNG."""
    return await _qr(request, key, "png")


ROUTES = [
    console_home,
    campaigns_page,
    new_campaign_page,
    create_campaign,
    campaign_page,
    add_wave,
    open_wave,
    close_wave,
    wave_qr_svg,
    wave_qr_png,
]
