"""The respondent routes, all under ``/r/{token}`` (the wave's link):

=====================================  ==============================================================
``GET  /r/{token}``                    welcome: the first page with the survey's description, or, for
                                       a browser that has a response here, where it stopped
``GET  /r/{token}/p/{n}``              page *n* with its saved answers, or its draft (only pages
                                       already reached)
``POST /r/{token}/p/{n}``              save page *n*; then the next page, or the thank-you page; sent
                                       with Back: keep page *n* as a draft, then the page before
``GET  /r/{token}/done``               thank-you page (complete, or declined)
``POST /r/{token}/restart``            forget this browser's finished response, to let someone else
                                       answer on a shared phone
=====================================  ==============================================================

Every page works without JavaScript (POST, 303 redirect, GET). With htmx, the same handlers answer an
htmx request with only the form area (``#form-area``) and an ``HX-Push-Url`` header instead of a
redirect. The only cookie holds the response id; it is HttpOnly, SameSite=Strict and scoped to the
wave's path, and every POST must carry the same id in the form (double submit), which is what stands
against cross-site request forgery here.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Final

import asyncpg
from litestar import MediaType, Request, Router, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_413_REQUEST_ENTITY_TOO_LARGE
from markupsafe import Markup

from survey.collect import service
from survey.collect.answers import FieldError, PostedForm, Rejected, read_form
from survey.collect.messages import LANGUAGES, translate
from survey.collect.service import CollectState, Pinned, pick_language
from survey.collect.views import MessageView, PageView, build_form, build_page
from survey.db import responses as responses_db
from survey.db.campaigns import Wave
from survey.db.responses import Response as SurveyResponse
from survey.db.responses import Visit
from survey.web import request_pool

__all__ = ["BODY_LIMIT", "COOKIE", "PUBLIC", "collect_router", "collect_state"]

#: Who may use these routes: anyone with the link.
PUBLIC: Final = {"roles": "public"}
#: The largest page a respondent may send. The longest page of answers is a few kilobytes; a typed
#: text answer is at most a few thousand characters.
BODY_LIMIT: Final = 64 * 1024
#: The response cookie: the response id, nothing else.
COOKIE: Final = "survey_response"
#: How long a browser remembers its response, so that the link resumes it (the length of a long wave).
COOKIE_MAX_AGE: Final = 120 * 24 * 3600
#: Link tokens are 24 characters; anything much longer is not one, and is not looked up.
MAX_TOKEN_LENGTH: Final = 64

# No referrer (the link token is in every URL), no caching (pages hold answers), a strict
# Content-Security-Policy: set for every page of the application in one place, survey/web/security.py.


# -- plumbing -----------------------------------------------------------------------------------------


@asynccontextmanager
async def _connection(request: HTMXRequest) -> AsyncIterator[asyncpg.Connection]:
    pool = request_pool(request)
    async with pool.acquire() as conn:
        yield conn


def collect_state(request: Request) -> CollectState:
    """The application's respondent state (versions, panel secrets, the rate limiter), which the field
    endpoints and the console's field pages share. One per application (not per module), so that two
    apps in one process (tests) share nothing."""
    state = request.app.state.get("collect")
    if state is None:
        state = request.app.state["collect"] = CollectState()
    return state


async def _visit(conn: asyncpg.Connection, request: HTMXRequest, token: str) -> Visit | None:
    """The link's wave and the response the cookie names in it, in one round trip; None: no wave."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return await responses_db.wave_with_response(conn, token, _cookie_id(request))


def _cookie_id(request: HTMXRequest) -> uuid.UUID | None:
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _secure(request: HTMXRequest) -> bool:
    return request.app.state.settings.base_url.startswith("https://")


def _response_cookie(request: HTMXRequest, token: str, response_id: uuid.UUID) -> Cookie:
    return Cookie(
        key=COOKIE,
        value=str(response_id),
        path=f"/r/{token}",
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def _cookies_for(request: HTMXRequest, token: str, response: SurveyResponse | None) -> list[Cookie]:
    if response is None or _cookie_id(request) == response.id:
        return []
    return [_response_cookie(request, token, response.id)]


def _wants_fragment(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _render(
    request: HTMXRequest,
    view: PageView,
    *,
    status: int = 200,
    push_url: str | None = None,
    cookies: Sequence[Cookie] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    fragment = _wants_fragment(request)
    all_headers = dict(headers or {})
    if fragment and push_url:
        all_headers["HX-Push-Url"] = push_url
    template_name = "collect/fragment.html" if fragment else "collect/page.html"
    if view.form is None:
        return Template(
            template_name=template_name,
            context={"view": view, "lang": view.lang},
            status_code=status,
            cookies=list(cookies),
            headers=all_headers,
        )
    return Response(
        content=_rendered_forms(request).html(request, template_name, view),
        media_type=MediaType.HTML,
        status_code=status,
        cookies=list(cookies),
        headers=all_headers,
    )


class _RenderedForms:
    """The HTML of form pages, kept by everything they show but the response id.

    A respondent's next page is, most often, the same page with the same empty fields as every other
    respondent's: only the hidden response id differs. Rendering it is the largest part of a page save's
    work, so each worker keeps the last pages it rendered (a bounded number, least recently used out),
    with a mark where the response id goes. The key is the whole view (questionnaire texts, language,
    values shown, errors, progress), so a page is only ever reused for a view that would render the same.
    """

    #: Stands for the response id in a kept page. It is markup (written as it is): text from a
    #: respondent is escaped, so it can never produce it.
    MARK: Final = Markup("<survey-response-id>")

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[tuple[object, ...], str] = OrderedDict()

    def html(self, request: HTMXRequest, template_name: str, view: PageView) -> str:
        form = view.form
        assert form is not None
        marked = replace(form, response_id=self.MARK)
        # Every field of the view, whatever fields it gains, but ``t``: the catalogue's lookup in
        # ``lang``, made anew for each request.
        key = (
            template_name,
            *(
                marked if f.name == "form" else getattr(view, f.name)
                for f in fields(view)
                if f.name != "t"
            ),
        )
        page = self.pages.get(key)
        if page is None:
            template = request.app.template_engine.get_template(template_name)
            page = template.render(view=replace(view, form=marked), lang=view.lang)
            self.pages[key] = page
            if len(self.pages) > self.size:
                self.pages.popitem(last=False)
        else:
            self.pages.move_to_end(key)
        return page.replace(self.MARK, form.response_id)


#: Pages per worker: every page of a few dozen questionnaires in two languages; at most a few megabytes.
_RENDERED_PAGES: Final = 512


def _rendered_forms(request: Request) -> _RenderedForms:
    # One per application, as collect_state, so that two apps in one process (tests) share nothing.
    found = request.app.state.get("rendered_forms")
    if found is None:
        found = request.app.state["rendered_forms"] = _RenderedForms(size=_RENDERED_PAGES)
    return found


def _redirect(url: str, cookies: Sequence[Cookie] = ()) -> Redirect:
    return Redirect(url, status_code=HTTP_303_SEE_OTHER, cookies=list(cookies))


def _now() -> datetime:
    return datetime.now(UTC)


def _interface_language(requested: str | None) -> str:
    """The language of a page that belongs to no questionnaire (an unknown link): Mongolian first."""
    return requested if requested in LANGUAGES else LANGUAGES[0]


def _message(
    request: HTMXRequest,
    lang: str,
    pinned: Pinned | None,
    message: MessageView,
    *,
    status: int,
    push_url: str | None = None,
    cookies: Sequence[Cookie] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    view = build_page(lang=lang, q=pinned.questionnaire if pinned else None, message=message)
    return _render(
        request, view, status=status, push_url=push_url, cookies=cookies, headers=headers
    )


def _unknown(request: HTMXRequest, lang: str | None) -> Response:
    language = _interface_language(lang)
    message = MessageView(
        title=translate("unknown_title", language),
        paragraphs=(translate("unknown_body", language),),
        alert=True,
    )
    return _message(request, language, None, message, status=404)


def _closed(request: HTMXRequest, wave: Wave, pinned: Pinned, lang: str) -> Response:
    """The page of a wave that accepts no answers: closed (410), or not open yet (403)."""
    now = _now()
    ended = wave.status == "closed" or (wave.closes_at is not None and now >= wave.closes_at)
    if ended:
        message = MessageView(
            title=translate("closed_title", lang),
            paragraphs=(translate("closed_body", lang),),
            alert=True,
        )
        return _message(request, lang, pinned, message, status=410)
    paragraphs = [translate("not_open_body", lang)]
    if wave.status == "open" and wave.opens_at is not None and now < wave.opens_at:
        paragraphs.append(translate("opens_at", lang, when=f"{wave.opens_at:%Y-%m-%d}"))
    message = MessageView(
        title=translate("not_open_title", lang), paragraphs=tuple(paragraphs), alert=True
    )
    return _message(request, lang, pinned, message, status=403)


def _done(
    request: HTMXRequest,
    token: str,
    pinned: Pinned | None,
    response: SurveyResponse | None,
    lang: str,
    *,
    push: bool = False,
    cookies: Sequence[Cookie] = (),
) -> Response:
    if response is not None and response.status == "declined":
        body = translate("thanks_declined", lang)
    elif response is not None and response.status == "complete":
        body = translate("thanks_complete", lang)
    else:
        body = translate("thanks_generic", lang)
    finished = response is not None and response.finished
    message = MessageView(
        title=translate("thanks_title", lang),
        paragraphs=(body,),
        restart_action=f"/r/{token}/restart" if finished else None,
        restart_response_id=str(response.id) if finished and response else None,
    )
    return _message(
        request,
        lang,
        pinned,
        message,
        status=200,
        push_url=f"/r/{token}/done" if push else None,
        cookies=cookies,
    )


def _refusal(
    request: HTMXRequest,
    token: str,
    pinned: Pinned | None,
    lang: str,
    key: str,
    status: int,
    *,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    paragraphs = [translate(f"{key}_body", lang)]
    if detail:
        paragraphs.append(detail)
    link = f"/r/{token}/done" if key == "conflict" else f"/r/{token}"
    message = MessageView(
        title=translate(f"{key}_title", lang),
        paragraphs=tuple(paragraphs),
        link=link,
        link_label=translate("retry", lang),
        alert=True,
    )
    return _message(request, lang, pinned, message, status=status, headers=headers)


def _page_url(token: str, number: int) -> str:
    return f"/r/{token}/p/{number}"


def _form_page(
    request: HTMXRequest,
    token: str,
    pinned: Pinned,
    page_number: int,
    lang: str,
    response_id: uuid.UUID,
    answers: Mapping[str, object],
    *,
    typed: Mapping[str, Sequence[str]] | None = None,
    errors: Mapping[str, FieldError] | None = None,
    intro: bool = False,
    status: int = 200,
    push: bool = False,
    cookies: Sequence[Cookie] = (),
) -> Response:
    page = pinned.plan.page(page_number)
    assert page is not None
    form = build_form(
        q=pinned.questionnaire,
        plan=pinned.plan,
        page=page,
        lang=lang,
        token=token,
        response_id=str(response_id),
        answers=answers,
        typed=typed,
        errors=errors,
        intro=intro,
    )
    view = build_page(lang=lang, q=pinned.questionnaire, form=form)
    return _render(
        request,
        view,
        status=status,
        push_url=_page_url(token, page_number) if push else None,
        cookies=cookies,
    )


def _resume_url(pinned: Pinned, token: str, response: SurveyResponse) -> str:
    plan = pinned.plan
    page = plan.resume_page(response.pages, response.answers)
    if page is None:
        visible = plan.visible_pages(response.answers)
        if not visible:
            return f"/r/{token}/done"
        page = visible[-1]
    return _page_url(token, page.number)


# -- handlers -----------------------------------------------------------------------------------------


@get("/{token:str}", opt=PUBLIC, name="collect:welcome")
async def welcome(
    request: HTMXRequest, token: FromPath[str], lang: FromQuery[str | None] = None
) -> Response:
    """The first page, with the survey's description; or where this browser's response stopped."""
    async with _connection(request) as conn:
        visit = await _visit(conn, request, token)
        if visit is None:
            return _unknown(request, lang)
        state = collect_state(request)
        wave, response = visit.wave, visit.response
        pinned = await state.pinned(conn, response.version_id if response else wave.version_id)
        chosen = pick_language(pinned.questionnaire, lang)
        language = chosen or (
            response.language if response else pinned.questionnaire.default_language
        )
        if response is not None and response.finished:
            return _done(request, token, pinned, response, language)
        if not wave.accepts_answers(_now()):
            return _closed(request, wave, pinned, language)
        if response is not None:
            if chosen:
                await responses_db.set_language(conn, response.id, chosen)
            return _redirect(_resume_url(pinned, token, response))
        first = pinned.plan.first_page()
        if first is None:
            return _done(request, token, pinned, None, language)
        return _form_page(
            request, token, pinned, first.number, language, uuid.uuid4(), {}, intro=True
        )


@get("/{token:str}/p/{number:int}", opt=PUBLIC, name="collect:page")
async def show_page(
    request: HTMXRequest,
    token: FromPath[str],
    number: FromPath[int],
    lang: FromQuery[str | None] = None,
) -> Response:
    """A page already reached, with its saved answers (the Back button lands here)."""
    async with _connection(request) as conn:
        visit = await _visit(conn, request, token)
        if visit is None:
            return _unknown(request, lang)
        state = collect_state(request)
        wave, response = visit.wave, visit.response
        if response is None:
            return _redirect(f"/r/{token}" + (f"?lang={lang}" if lang in LANGUAGES else ""))
        pinned = await state.pinned(conn, response.version_id)
        chosen = pick_language(pinned.questionnaire, lang)
        language = chosen or response.language
        if response.finished:
            return _redirect(f"/r/{token}/done")
        if not wave.accepts_answers(_now()):
            return _closed(request, wave, pinned, language)
        if chosen and chosen != response.language:
            await responses_db.set_language(conn, response.id, chosen)
        plan = pinned.plan
        page = plan.page(number)
        resume = plan.resume_page(response.pages, response.answers)
        if (
            page is None
            or not plan.page_visible(page, response.answers)
            or (resume is not None and page.number > resume.number)
        ):
            return _redirect(_resume_url(pinned, token, response))
        first = plan.first_page()
        return _form_page(
            request,
            token,
            pinned,
            page.number,
            language,
            response.id,
            response.answers,
            typed=response.drafts.get(page.key),
            intro=first is not None and page.number == first.number,
        )


@post(
    "/{token:str}/p/{number:int}",
    opt=PUBLIC,
    name="collect:save",
    request_max_body_size=BODY_LIMIT,
)
async def save_page(request: HTMXRequest, token: FromPath[str], number: FromPath[int]) -> Response:
    """Save a page; go on to the next page, or to the thank-you page after the last one."""
    # The body first: no database connection is held while the client is still sending.
    try:
        body: bytes | None = await request.body()
    except HTTPException as exc:
        if exc.status_code != HTTP_413_REQUEST_ENTITY_TOO_LARGE:
            raise
        body = None
    async with _connection(request) as conn:
        visit = await _visit(conn, request, token)
        if visit is None:
            return _unknown(request, None)
        state = collect_state(request)
        cookie_id = _cookie_id(request)
        wave, known = visit.wave, visit.response
        pinned = await state.pinned(conn, known.version_id if known else wave.version_id)
        lang = known.language if known else pinned.questionnaire.default_language
        if body is None:
            return _refusal(request, token, pinned, lang, "too_large", 413)
        if not wave.accepts_answers(_now()) and not (known is not None and known.finished):
            return _closed(request, wave, pinned, lang)
        try:
            form = read_form(body, request.headers.get("content-type", ""))
            lang = pick_language(pinned.questionnaire, form.language) or lang
            outcome = await service.save_page(
                conn,
                state,
                wave=wave,
                form=form,
                cookie_id=cookie_id,
                number=number,
                visit=visit,
            )
        except Rejected as exc:
            detail = translate(exc.reason, lang, **exc.params)
            return _refusal(
                request, token, pinned, lang, "bad_request", exc.status_code, detail=detail
            )
        return await _answer(request, conn, state, wave, form, outcome, lang)


async def _answer(
    request: HTMXRequest,
    conn: asyncpg.Connection,
    state: CollectState,
    wave: Wave,
    form: PostedForm,
    outcome: service.Outcome,
    lang: str,
) -> Response:
    """Turn the outcome of a sent page into the page shown next."""
    fragment = _wants_fragment(request)
    token = wave.token
    match outcome:
        case service.GoTo(response=response, page=page):
            pinned = await state.pinned(conn, response.version_id)
            cookies = _cookies_for(request, token, response)
            if not fragment:
                return _redirect(_page_url(token, page.number), cookies)
            first = pinned.plan.first_page()
            return _form_page(
                request,
                token,
                pinned,
                page.number,
                response.language,
                response.id,
                response.answers,
                typed=response.drafts.get(page.key),
                intro=first is not None and page.number == first.number,
                push=True,
                cookies=cookies,
            )
        case service.Finished(response=response):
            pinned = await state.pinned(conn, response.version_id)
            cookies = _cookies_for(request, token, response)
            if not fragment:
                return _redirect(f"/r/{token}/done", cookies)
            return _done(
                request, token, pinned, response, response.language, push=True, cookies=cookies
            )
        case service.Resume(response=response):
            pinned = await state.pinned(conn, response.version_id)
            if response.finished:
                if not fragment:
                    return _redirect(f"/r/{token}/done")
                return _done(request, token, pinned, response, response.language, push=True)
            url = _resume_url(pinned, token, response)
            if not fragment:
                return _redirect(url)
            return Response(content=b"", status_code=200, headers={"HX-Redirect": url})
        case service.Invalid(page=page, answers=sent, response=response):
            pinned = await state.pinned(conn, response.version_id if response else wave.version_id)
            first = pinned.plan.first_page()
            return _form_page(
                request,
                token,
                pinned,
                page.number,
                lang,
                form.response_id,
                response.answers if response else {},
                typed=sent.raw,
                errors=sent.errors,
                intro=first is not None and page.number == first.number,
                status=422,
                cookies=_cookies_for(request, token, response),
            )
        case service.Refused(reason="busy"):
            pinned = await state.pinned(conn, wave.version_id)
            return _refusal(
                request, token, pinned, lang, "busy", 429, headers={"Retry-After": "60"}
            )
        case service.Refused(reason="conflict", response=response):
            pinned = await state.pinned(conn, response.version_id) if response else None
            return _refusal(request, token, pinned, lang, "conflict", 409)
        case _:
            pinned = await state.pinned(conn, wave.version_id)
            return _refusal(request, token, pinned, lang, "forbidden", 403)


@get("/{token:str}/done", opt=PUBLIC, name="collect:done")
async def done(
    request: HTMXRequest, token: FromPath[str], lang: FromQuery[str | None] = None
) -> Response:
    """The thank-you page. Without a finished response of this browser it only says thank you."""
    async with _connection(request) as conn:
        visit = await _visit(conn, request, token)
        if visit is None:
            return _unknown(request, lang)
        state = collect_state(request)
        wave, response = visit.wave, visit.response
        if response is not None and not response.finished:
            return _redirect(f"/r/{token}")
        pinned = await state.pinned(conn, response.version_id if response else wave.version_id)
        language = pick_language(pinned.questionnaire, lang) or (
            response.language if response else pinned.questionnaire.default_language
        )
        return _done(request, token, pinned, response, language)


@post("/{token:str}/restart", opt=PUBLIC, name="collect:restart", request_max_body_size=4096)
async def restart(request: HTMXRequest, token: FromPath[str]) -> Response:
    """Forget this browser's finished response, so that another person can answer on this device."""
    # The body first: no database connection is held while the client is still sending.
    try:
        form: PostedForm | None = read_form(
            await request.body(), request.headers.get("content-type", "")
        )
    except (Rejected, HTTPException):
        form = None
    async with _connection(request) as conn:
        visit = await _visit(conn, request, token)
        if visit is None:
            return _unknown(request, None)
        state = collect_state(request)
        wave = visit.wave
        pinned = await state.pinned(conn, wave.version_id)
        lang = pinned.questionnaire.default_language
        cookie_id = _cookie_id(request)
        if form is None:
            return _refusal(request, token, pinned, lang, "bad_request", 400)
        response = visit.response
        if response is None or form.response_id != cookie_id or not response.finished:
            return _refusal(request, token, pinned, lang, "forbidden", 403)
        forget = Cookie(
            key=COOKIE,
            value="",
            path=f"/r/{token}",
            max_age=0,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
        return _redirect(f"/r/{token}?lang={response.language}", [forget])


def collect_router() -> Router:
    """The respondent routes, mounted at ``/r``."""
    return Router(
        path="/r",
        route_handlers=[welcome, show_page, save_page, done, restart],
        opt=PUBLIC,
        # Web pages, not API operations: kept out of /schema/openapi.json.
        include_in_schema=False,
    )
