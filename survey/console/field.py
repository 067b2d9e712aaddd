"""Console pages of field collection (ODK Collect, KoboCollect, Enketo; survey.field):

=================================================  ===============================================
``GET  /console/waves/{key}/field``                the wave's field server address and settings
                                                   code, the enumerators' addresses, how to set up
                                                   a tablet
``POST /console/waves/{key}/field/enumerators``    make an enumerator's address (``name``)
``POST /console/waves/{key}/field/revoke``         withdraw an enumerator's address (``name``)
``GET  /console/waves/{key}/field/settings.svg``   the settings QR code ODK Collect and KoboCollect
``GET  /console/waves/{key}/field/settings.png``   scan (``?enumerator=NAME``: hers)
``GET  /console/waves/{key}/review``               field interviews whose flagged answers wait
``POST /console/waves/{key}/review``               accept or reject them (``response``, ``decision``)
=================================================  ===============================================

Only the roles that hand out links (admins, researchers) see a field address: it is a secret, as good as
a key to the wave. The wave's own address is made the first time its page (or ``survey waves field``)
asks for it; an enumerator's when a researcher names her. A settings code holds the address (see
:func:`survey.field.openrosa.settings_code`), so it is served like the address: only to these roles, and
never cached.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlencode

import asyncpg
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from markupsafe import Markup, escape

from survey.collect.routes import collect_state
from survey.console import service
from survey.console import web as console_web
from survey.console.auth import DESIGNERS, principal
from survey.console.field_messages import APP_MENUS
from survey.console.messages import CATALOGUE
from survey.db import field as field_db
from survey.db.campaigns import Wave
from survey.db.field import FieldKey
from survey.errors import NotFound, RuleBroken
from survey.field import service as field_service
from survey.field.openrosa import settings_code
from survey.field.routes import field_state
from survey.field.xform import XFormUnavailable
from survey.questionnaire.model import Questionnaire
from survey.web import request_pool

__all__ = ["ROUTES", "channel_rows", "review_link"]

#: What the review page may be told after a decision (``?done=``).
_DONE: Final = {"saved": "review.decided", "already": "review.already"}


# -- the field page --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddressView:
    """A field address as the page shows it: whose, the address, its settings code."""

    anchor: str
    who: str
    name: str | None
    """The enumerator's name (None for the wave's own address)."""
    url: str
    settings_svg: str
    settings_png: str
    since: str


@dataclass(frozen=True, slots=True)
class RevokedView:
    name: str
    date: str


@dataclass(frozen=True, slots=True)
class FieldPage:
    key: str
    campaign: str
    title: str
    status: str
    status_label: str
    loopback: str | None
    notice: str
    steps: tuple[Markup, ...]
    wave_address: AddressView
    enumerators: tuple[AddressView, ...]
    revoked: tuple[RevokedView, ...]
    pending: int
    review_href: str
    no_xform: str = ""
    """Why the wave's questionnaire cannot be made into an XForm (then no device can use it)."""
    draft_name: str = ""
    error: str = ""
    message: str = ""


def _settings_href(wave: Wave, kind: str, enumerator: str | None) -> str:
    base = f"/console/waves/{wave.key}/field/settings.{kind}"
    return base if enumerator is None else f"{base}?{urlencode({'enumerator': enumerator})}"


def _with_menus(lang: str, key: str) -> Markup:
    """A set-up step with the app's own menu names as code (they are the app's words, not ours)."""
    menus = {name: Markup("<code>{}</code>").format(label) for name, label in APP_MENUS.items()}
    return escape(CATALOGUE.translate(key, lang)).format(**menus)


def _address_view(
    t: Callable[..., str], wave: Wave, key: FieldKey, base_url: str, n: int
) -> AddressView:
    return AddressView(
        anchor=f"address-{n}",
        who=key.enumerator or t("field.everyone"),
        name=key.enumerator,
        url=key.url(base_url),
        settings_svg=_settings_href(wave, "svg", key.enumerator),
        settings_png=_settings_href(wave, "png", key.enumerator),
        since=t("field.enumerator_since", date=f"{key.created_at:%Y-%m-%d}"),
    )


async def _field_page(
    request: Request,
    key: str,
    *,
    draft_name: str = "",
    error: str = "",
    message: str = "",
) -> FieldPage:
    t = console_web.translator(request)
    async with request_pool(request).acquire() as conn:
        wave = await service.wave_for(conn, principal(request), key, DESIGNERS)
        await field_db.ensure_key(conn, wave.id, None)
        keys = await field_db.keys_of_wave(conn, wave.id)
        pending = await field_db.pending_count(conn, wave.id)
        pinned = await collect_state(request).pinned(conn, wave.version_id)
    try:
        await field_state(request).xform(wave, pinned)
        no_xform = ""
    except XFormUnavailable as exc:
        no_xform = str(exc)
    base_url = console_web.settings(request).base_url
    in_use = [k for k in keys if k.revoked_at is None]
    own = next(k for k in in_use if k.enumerator is None)
    notice = ""
    if wave.status == "closed":
        notice = t("field.closed")
    elif wave.status != "open":
        notice = t("field.not_open")
    return FieldPage(
        key=wave.key,
        campaign=wave.campaign,
        title=console_web.wave_title(t, wave),
        status=wave.status,
        status_label=t(f"status.{wave.status}"),
        loopback=base_url if service.is_loopback(base_url) else None,
        notice=notice,
        steps=tuple(
            _with_menus(console_web.language(request), step)
            for step in (
                "field.step_project",
                "field.step_scan",
                "field.step_download",
                "field.step_send",
            )
        ),
        wave_address=_address_view(t, wave, own, base_url, 0),
        enumerators=tuple(
            _address_view(t, wave, k, base_url, n)
            for n, k in enumerate((k for k in in_use if k.enumerator is not None), start=1)
        ),
        revoked=tuple(
            RevokedView(name=k.enumerator or t("field.everyone"), date=f"{k.revoked_at:%Y-%m-%d}")
            for k in keys
            if k.revoked_at is not None
        ),
        pending=pending,
        review_href=f"/console/waves/{wave.key}/review",
        no_xform=no_xform,
        draft_name=draft_name,
        error=error,
        message=message,
    )


@get("/console/waves/{key:str}/field", opt={"roles": DESIGNERS})
async def field_page(request: Request, key: FromPath[str]) -> Template:
    """The wave's field server address and settings code, and the enumerators' addresses."""
    context = await _field_page(request, key)
    return console_web.page(request, "field.html", context, section="campaigns")


def _refused(request: Request, exc: RuleBroken | NotFound, name: str) -> str:
    if isinstance(exc, RuleBroken):
        return CATALOGUE.translate(
            f"error.{exc.reason}", console_web.language(request), **exc.params
        )
    return CATALOGUE.translate("error.enumerator_unknown", console_web.language(request), name=name)


@post("/console/waves/{key:str}/field/enumerators", opt={"roles": DESIGNERS})
async def add_enumerator(request: Request, key: FromPath[str]) -> Response:
    """Make an enumerator's own address (or keep the one she has)."""
    name = (await console_web.read_form(request)).get("name", "")
    async with request_pool(request).acquire() as conn:
        wave = await service.wave_for(conn, principal(request), key, DESIGNERS)
        try:
            await field_db.ensure_key(conn, wave.id, name)
        except RuleBroken as exc:
            error = _refused(request, exc, name)
        else:
            return Redirect(f"/console/waves/{wave.key}/field", status_code=303)
    context = await _field_page(request, key, draft_name=name[:200], error=error)
    return console_web.page(request, "field.html", context, section="campaigns", status=400)


@post("/console/waves/{key:str}/field/revoke", opt={"roles": DESIGNERS})
async def revoke_enumerator(request: Request, key: FromPath[str]) -> Response:
    """Withdraw an enumerator's address: her tablet can no longer download or send."""
    name = (await console_web.read_form(request)).get("name", "")
    async with request_pool(request).acquire() as conn:
        wave = await service.wave_for(conn, principal(request), key, DESIGNERS)
        try:
            if not await field_db.revoke_key(conn, wave.id, name):
                raise NotFound(name)
        except (RuleBroken, NotFound) as exc:
            error = _refused(request, exc, name)
        else:
            return Redirect(f"/console/waves/{wave.key}/field", status_code=303)
    context = await _field_page(request, key, error=error)
    return console_web.page(request, "field.html", context, section="campaigns", status=400)


async def _settings(request: Request, key: str, kind: Literal["svg", "png"]) -> Response:
    enumerator = request.query_params.get("enumerator")
    async with request_pool(request).acquire() as conn:
        wave = await service.wave_for(conn, principal(request), key, DESIGNERS)
        if enumerator is None:
            found: FieldKey | None = await field_db.ensure_key(conn, wave.id, None)
        else:
            found = await field_db.key_in_use(conn, wave.id, enumerator)
    if found is None:
        raise NotFound(f'wave {wave.key} has no field address in use for "{enumerator}"')
    url = found.url(console_web.settings(request).base_url)
    project = wave.key if found.enumerator is None else f"{wave.key} · {found.enumerator}"
    body = service.qr_code(settings_code(url, project), kind, title=project)
    return Response(
        body,
        media_type="image/svg+xml" if kind == "svg" else "image/png",
        headers={
            # The code holds the address, a secret: no cache keeps it.
            "cache-control": "no-store",
            "content-disposition": f'attachment; filename="{wave.key}-field-settings.{kind}"',
        },
    )


@get("/console/waves/{key:str}/field/settings.svg", opt={"roles": DESIGNERS})
async def settings_svg(request: Request, key: FromPath[str]) -> Response:
    """The settings QR code of ODK Collect and KoboCollect for this wave (SVG, for print)."""
    return await _settings(request, key, "svg")


@get("/console/waves/{key:str}/field/settings.png", opt={"roles": DESIGNERS})
async def settings_png(request: Request, key: FromPath[str]) -> Response:
    """The settings QR code of ODK Collect and KoboCollect for this wave (PNG)."""
    return await _settings(request, key, "png")


# -- the review page ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlagView:
    key: str
    question: str
    sent: str
    why: str
    acceptable: bool


@dataclass(frozen=True, slots=True)
class ReviewCard:
    public_id: str
    received: str
    enumerator: str | None
    flags: tuple[FlagView, ...]


@dataclass(frozen=True, slots=True)
class ReviewPage:
    key: str
    campaign: str
    title: str
    field_href: str
    cards: tuple[ReviewCard, ...]
    more: int
    """How many more wait beyond those listed."""
    message: str = ""


def _flag_view(
    t: Callable[..., str], q: Questionnaire, lang: str, key: str, flag: dict
) -> FlagView:
    try:
        item = q.item(key)
        question = service.text_in(item.text, lang, q.default_language) or key
    except KeyError:  # (an item of the pinned version always: the flags were made from it)
        question = key
    if flag.get("sent") is None:
        sent = t("review.code_hidden")
    else:
        sent = flag["sent"] or t("review.empty")
    reason = f"review.reason.{flag.get('reason')}"
    params = flag.get("params") or {}
    why = t(reason, **params) if reason in CATALOGUE else str(flag.get("reason"))
    return FlagView(
        key=key, question=question, sent=sent, why=why, acceptable=flag.get("value") is not None
    )


@get("/console/waves/{key:str}/review", opt={"roles": DESIGNERS})
async def review_page(request: Request, key: FromPath[str]) -> Template:
    """The wave's field interviews whose flagged answers wait for a researcher, oldest first."""
    t = console_web.translator(request)
    lang = console_web.language(request)
    async with request_pool(request).acquire() as conn:
        wave = await service.wave_for(conn, principal(request), key, DESIGNERS)
        waiting = await field_db.pending_reviews(conn, wave.id, field_service.REVIEW_PAGE)
        total = await field_db.pending_count(conn, wave.id)
        q = (await collect_state(request).pinned(conn, wave.version_id)).questionnaire
    done = _DONE.get(request.query_params.get("done", ""))
    context = ReviewPage(
        key=wave.key,
        campaign=wave.campaign,
        title=console_web.wave_title(t, wave),
        field_href=f"/console/waves/{wave.key}/field",
        cards=tuple(
            ReviewCard(
                public_id=str(r.public_id),
                received=f"{r.submitted_at:%Y-%m-%d %H:%M}" if r.submitted_at else "–",
                enumerator=r.enumerator,
                flags=tuple(_flag_view(t, q, lang, k, flag) for k, flag in r.flags.items()),
            )
            for r in waiting
        ),
        more=max(0, total - len(waiting)),
        message=t(done) if done else "",
    )
    return console_web.page(request, "review.html", context, section="campaigns")


@post("/console/waves/{key:str}/review", opt={"roles": DESIGNERS})
async def review_decide(request: Request, key: FromPath[str]) -> Response:
    """Accept or reject one interview's flagged answers; back to the list."""
    form = await console_web.read_form(request)
    decision = form.get("decision", "")
    try:
        public_id = uuid.UUID(form.get("response", ""))
    except ValueError:
        public_id = None
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        wave = await service.wave_for(conn, who, key, DESIGNERS)
        if public_id is None or decision not in ("accept", "reject"):
            raise NotFound(
                CATALOGUE.translate("error.review_unknown", console_web.language(request))
            )
        decided = await field_service.decide(
            conn,
            collect_state(request),
            wave,
            public_id,
            decision,  # type: ignore[arg-type]
            actor=who.email,
            account_id=who.account_id,
        )
    done = "already" if decided.already else "saved"
    return Redirect(f"/console/waves/{wave.key}/review?done={done}", status_code=303)


# -- hooks of the monitoring page ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelRow:
    """One line of the monitoring page's table by channel."""

    label: str
    complete: int
    pending: int
    indent: bool = False


def _row(label: str, counts: list[field_db.ChannelCount], *, indent: bool = False) -> ChannelRow:
    return ChannelRow(
        label=label,
        complete=sum(c.n for c in counts if c.status == "complete"),
        pending=sum(c.pending for c in counts),
        indent=indent,
    )


async def channel_rows(
    conn: asyncpg.Connection, t: Callable[..., str], wave: Wave
) -> tuple[ChannelRow, ...]:
    """The wave's responses by channel (web, field) and, under field, by address (the wave's own, then
    each enumerator's); empty when every response came through the web form."""
    counts = await field_db.channel_counts(conn, wave.id)
    field = [c for c in counts if c.channel == "field"]
    if not field:
        return ()
    rows = [
        _row(t("monitor.channel.web"), [c for c in counts if c.channel == "web"]),
        _row(t("monitor.channel.field"), field),
    ]
    for who in sorted({c.enumerator for c in field}, key=lambda w: (w is not None, w or "")):
        label = t("monitor.channel.field_wave") if who is None else who
        rows.append(_row(label, [c for c in field if c.enumerator == who], indent=True))
    return tuple(rows)


def review_link(request: Request, wave: Wave, pending: int) -> str | None:
    """Where the monitoring page sends a researcher to review waiting interviews, if any wait and she may."""
    if pending and console_web.may(request, DESIGNERS):
        return f"/console/waves/{wave.key}/review"
    return None


ROUTES = [
    field_page,
    add_enumerator,
    revoke_enumerator,
    settings_svg,
    settings_png,
    review_page,
    review_decide,
]
