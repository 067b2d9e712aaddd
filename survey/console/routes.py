"""The researchers' console: sign-in, questionnaires, campaigns, waves, monitoring, exports, accounts.

Server-rendered pages; htmx makes some of them smoother (opening a wave swaps its row, monitoring refreshes
itself), and every form also works without JavaScript. Each handler declares who may use it in
``opt={"roles": ...}`` (see :mod:`survey.console.auth` and docs/roles.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import math
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

import asyncpg
import msgspec
import segno
from litestar import Request, Response, Router, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template
from litestar.utils.scope.state import ScopeState

from survey.console import auth, exports
from survey.console.auth import ADMINS, ALL_ROLES, CAMPAIGN_READERS, DESIGNERS
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import console as console_db
from survey.db import questionnaires as questionnaires_db
from survey.db.accounts import ROLES, Principal
from survey.db.campaigns import DESIGNS, Campaign, Wave
from survey.db.console import StatusCounts, WaveProgress
from survey.errors import Conflict, InvalidAnswer, InvalidDefinition, InvalidExpression, NotFound
from survey.questionnaire.diff import diff as diff_versions
from survey.questionnaire.load import MAX_DEFINITION_BYTES, load_definition
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.xlsform import ReportLine, definition_yaml, import_xlsform
from survey.settings import Settings
from survey.web import request_pool
from survey.web.errors import EXCEPTION_HANDLERS
from survey.web.inputs import BIGINT_MAX, form_fields, whole_number
from survey.web.static import static_url

__all__ = ["console_router"]

FILE_CHUNK = 64 * 1024


# -- plumbing --------------------------------------------------------------------------------------


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _user(request: Request) -> Principal | None:
    return request.scope.get("user")  # type: ignore[return-value]


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _htmx_url() -> str | None:
    # htmx is vendored by the respondent pages; the console works without it.
    try:
        return static_url("js/htmx.min.js")
    except FileNotFoundError:
        return None


class Nav(msgspec.Struct, frozen=True, kw_only=True):
    """What the header shows: the account, and the sections its role may open."""

    user: Principal | None
    questionnaires: bool
    campaigns: bool
    admin: bool
    section: str


def _nav(request: Request, section: str) -> Nav:
    user = _user(request)
    role = user.role if user else None
    return Nav(
        user=user,
        questionnaires=role in CAMPAIGN_READERS,
        campaigns=role in ALL_ROLES,
        admin=role in ADMINS,
        section=section,
    )


def _page(
    request: Request,
    name: str,
    page: Any,
    *,
    section: str = "",
    status: int = 200,
    view: Any = None,
) -> Template:
    """Render ``console/<name>`` with its one typed context object ``page``."""
    return Template(
        template_name=f"console/{name}",
        context={
            "page": page,
            "nav": _nav(request, section),
            "htmx": _htmx_url(),
            "lang": "en",
            "view": view,
        },
        status_code=status,
    )


def _fragment(name: str, page: Any, status: int = 200) -> Template:
    return Template(template_name=f"console/{name}", context={"page": page}, status_code=status)


def _may(request: Request, roles: frozenset[str]) -> bool:
    user = _user(request)
    return user is not None and user.role in roles


async def _form(request: Request, **longer: int) -> dict[str, str]:
    # Every field has a length limit, checked before any query (survey/web/inputs.py).
    return await form_fields(request, **longer)


# -- sign-in and sign-out --------------------------------------------------------------------------


class SignInPage(msgspec.Struct, frozen=True, kw_only=True):
    email: str = ""
    next: str = "/console"
    error: str = ""


@get("/sign-in", opt={"roles": "public"}, name="sign_in_page")
async def sign_in_page(request: Request) -> Template:
    """The sign-in form."""
    page = SignInPage(next=auth.safe_next(request.query_params.get("next")))
    return _page(request, "sign_in.html", page)


@post("/sign-in", opt={"roles": "public"})
async def sign_in_submit(request: Request) -> Response:
    """Check the address and password; on success a new session and a redirect to ``next``."""
    form = await _form(request, password=auth.PASSWORD_MAX_LENGTH)
    email = form.get("email", "").strip()
    target = auth.safe_next(form.get("next"))
    settings = _settings(request)
    outcome = await auth.sign_in(
        request_pool(request),
        email,
        form.get("password", ""),
        client=auth.request_client_key(request),
        limits=auth.SignInLimits.from_settings(settings),
    )
    if outcome.account_id is None:
        status = 400 if outcome.refused in ("wrong", "too_long") else 429
        page = SignInPage(email=email, next=target, error=outcome.message("en"))
        response = _page(request, "sign_in.html", page, status=status)
        if outcome.retry_after is not None:
            response.headers["Retry-After"] = str(math.ceil(outcome.retry_after.total_seconds()))
        return response
    async with request_pool(request).acquire() as conn:
        token = await auth.start_session(
            conn, outcome.account_id, request.cookies.get(auth.SESSION_COOKIE)
        )
    return Redirect(
        target,
        status_code=303,
        # A new CSRF token with the new session: the next page sets a fresh one.
        cookies=[
            auth.session_cookie(settings, token),
            Cookie(key="csrftoken", value="", max_age=0),
        ],
    )


@post("/sign-out", opt={"roles": "public"})
async def sign_out(request: Request) -> Response:
    """End the session (on the server: the cookie stops working everywhere) and go to sign-in."""
    async with request_pool(request).acquire() as conn:
        await auth.end_session(conn, request.cookies.get(auth.SESSION_COOKIE))
    return Redirect(
        "/sign-in", status_code=303, cookies=[auth.session_cookie(_settings(request), None)]
    )


# -- questionnaires --------------------------------------------------------------------------------


@get("/console", opt={"roles": ALL_ROLES})
async def console_home(request: Request) -> Response:
    """The console starts at the campaign list."""
    return Redirect("/console/campaigns", status_code=303)


class QuestionnairesPage(msgspec.Struct, frozen=True, kw_only=True):
    questionnaires: list[questionnaires_db.QuestionnaireSummary]
    can_import: bool = False
    """Whether the account may import an XLSForm (and publish it)."""


@get("/console/questionnaires", opt={"roles": CAMPAIGN_READERS})
async def questionnaires_page(request: Request) -> Template:
    """Every published questionnaire with its latest version."""
    async with request_pool(request).acquire() as conn:
        found = await questionnaires_db.list_questionnaires(conn)
    page = QuestionnairesPage(questionnaires=found, can_import=_may(request, DESIGNERS))
    return _page(request, "questionnaires.html", page, section="questionnaires")


class QuestionnairePage(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: dict[str, str]
    languages: list[str]
    versions: list[console_db.VersionInfo]
    n_items: int
    outcomes: list[str]


@get("/console/questionnaires/{key:str}", opt={"roles": CAMPAIGN_READERS})
async def questionnaire_page(request: Request, key: FromPath[str]) -> Template:
    """A questionnaire's versions, with preview and comparison."""
    async with request_pool(request).acquire() as conn:
        latest = await questionnaires_db.get_version(conn, key)
        versions = await console_db.list_versions(conn, key)
    q = latest.definition
    page = QuestionnairePage(
        key=key,
        title=q.title,
        languages=q.languages,
        versions=versions,
        n_items=sum(1 for i in q.items() if i.answerable),
        outcomes=list(q.outcomes),
    )
    return _page(request, "questionnaire.html", page, section="questionnaires")


class PreviewScreen(msgspec.Struct, frozen=True, kw_only=True):
    """One respondent page: its fields as the respondent pages build them, and notes for researchers."""

    number: int
    key: str
    title: str | None
    show_if: str | None
    fields: list[Any]
    """``survey.collect.views.FieldView`` of every item, laid out by ``collect/_field.html``."""
    notes: dict[str, str]
    """Item key → type, correct answer and ``show_if``, shown under the question in the preview."""


class PreviewPage(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    version: int
    language: str
    languages: list[str]
    title: str
    intro: str | None
    screens: list[PreviewScreen]


def _preview(q: Questionnaire, version: int, language: str) -> PreviewPage:
    """Every page of the version as the respondent pages render it (same pagination, same fields), with
    every question shown whatever its ``show_if`` (which the notes state)."""
    from survey.collect.paging import plan_for
    from survey.collect.views import _field as respondent_field

    def t(text: dict[str, str] | None) -> str | None:
        return None if not text else text.get(language) or text.get(q.default_language)

    screens = []
    for page in plan_for(q).pages:
        notes = {}
        for item in page.items:
            parts = [item.type]
            if item.correct is not None:
                correct = item.correct if isinstance(item.correct, list) else [item.correct]
                parts.append("correct: " + ", ".join(correct))
            if item.show_if:
                parts.append(f"shown if {item.show_if}")
            notes[item.key] = " · ".join(parts)
        screens.append(
            PreviewScreen(
                number=page.number,
                key=page.key,
                title=t(page.section.title),
                show_if=page.section.show_if,
                fields=[
                    respondent_field(q, item, language, [], None, False) for item in page.items
                ],
                notes=notes,
            )
        )
    return PreviewPage(
        key=q.key,
        version=version,
        language=language,
        languages=q.languages,
        title=t(q.title) or q.key,
        intro=t(q.description),
        screens=screens,
    )


@get("/console/questionnaires/{key:str}/versions/{version:int}", opt={"roles": CAMPAIGN_READERS})
async def preview_page(request: Request, key: FromPath[str], version: FromPath[int]) -> Template:
    """A version as respondents see it, page by page, in the language asked for (``?lang=``)."""
    from survey.collect.views import build_page

    async with request_pool(request).acquire() as conn:
        found = await questionnaires_db.get_version(conn, key, version)
    q = found.definition
    language = request.query_params.get("lang") or q.default_language
    if language not in q.languages:
        raise NotFound(
            f'questionnaire "{key}" has no "{language}" text (it has {", ".join(q.languages)})'
        )
    page = _preview(q, found.version, language)
    # The respondent templates take their interface strings from ``view``.
    return _page(
        request, "preview.html", page, section="questionnaires", view=build_page(lang=language, q=q)
    )


class DiffRow(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    change: str
    fields: list[str]
    breaking: bool


class DiffPage(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    a: int
    b: int
    versions: list[int]
    rows: list[DiffRow]
    other: list[str]


@get("/console/questionnaires/{key:str}/diff", opt={"roles": CAMPAIGN_READERS})
async def diff_page(request: Request, key: FromPath[str]) -> Template:
    """Items added, removed and changed between versions ``?a=`` and ``?b=``, breaking or not."""
    async with request_pool(request).acquire() as conn:
        versions = [v.version for v in await console_db.list_versions(conn, key)]
        if not versions:
            raise NotFound(f'no questionnaire "{key}" has been published')
        a = whole_number(request.query_params.get("a"), "a")
        b = whole_number(request.query_params.get("b"), "b")
        a = max(1, versions[-1] - 1) if a is None else a
        b = versions[-1] if b is None else b
        old = await questionnaires_db.get_version(conn, key, a)
        new = await questionnaires_db.get_version(conn, key, b)
    d = diff_versions(old.definition, new.definition)
    rows = [DiffRow(key=k, change="added", fields=[], breaking=False) for k in d.added]
    rows += [DiffRow(key=k, change="removed", fields=[], breaking=True) for k in d.removed]
    rows += [
        DiffRow(
            key=c.key,
            change="equivalent" if c.equivalent else "changed",
            fields=c.fields,
            breaking=c.breaking,
        )
        for c in d.changed
    ]
    rows += [DiffRow(key=f"outcome {k}", change="added", fields=[], breaking=False)
             for k in d.outcomes_added]  # fmt: skip
    rows += [DiffRow(key=f"outcome {k}", change="removed", fields=[], breaking=False)
             for k in d.outcomes_removed]  # fmt: skip
    rows += [DiffRow(key=f"outcome {c.key}", change="changed", fields=c.fields, breaking=False)
             for c in d.outcomes_changed]  # fmt: skip
    page = DiffPage(key=key, a=a, b=b, versions=versions, rows=rows, other=d.other)
    return _page(request, "diff.html", page, section="questionnaires")


# -- XLSForm import --------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5_000_000
"""Largest workbook the console accepts, in bytes (an XLSForm is rarely over a few hundred kB)."""
# Room for the multipart envelope around the file: the boundaries, the headers, the CSRF field.
UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024
# A form-encoded definition may take three bytes (%XX) per byte of its UTF-8 text.
PUBLISH_BODY_BYTES = 3 * MAX_DEFINITION_BYTES + 64 * 1024


class ItemSummary(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    type: str
    text: str


class SectionSummary(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: str | None
    items: list[ItemSummary]


class ImportedForm(msgspec.Struct, frozen=True, kw_only=True):
    """The questionnaire an upload became, as the preview shows it."""

    key: str
    title: dict[str, str]
    languages: list[str]
    sections: list[SectionSummary]
    n_items: int
    """Questions that take an answer (notes excluded)."""
    definition: str
    """The YAML text, shown in the preview and carried by the publish form."""


class XlsformPage(msgspec.Struct, frozen=True, kw_only=True):
    max_mb: int = MAX_UPLOAD_BYTES // 1_000_000
    source: str = ""
    language: str = ""
    errors: list[str] = []
    report: list[ReportLine] = []
    form: ImportedForm | None = None
    """The preview of an upload, with its Publish button."""
    published: questionnaires_db.PublishResult | None = None


def _imported(q: Questionnaire, definition: str) -> ImportedForm:
    def t(text: dict[str, str] | None) -> str | None:
        return None if not text else text.get(q.default_language) or next(iter(text.values()))

    sections = [
        SectionSummary(
            key=s.key,
            title=t(s.title),
            items=[ItemSummary(key=i.key, type=i.type, text=t(i.text) or "") for i in s.items],
        )
        for s in q.sections
    ]
    return ImportedForm(
        key=q.key,
        title=q.title,
        languages=q.languages,
        sections=sections,
        n_items=sum(1 for i in q.items() if i.answerable),
        definition=definition,
    )


def _xlsform(request: Request, page: XlsformPage, status: int = 200) -> Template:
    return _page(request, "xlsform.html", page, section="questionnaires", status=status)


def _problems(exc: InvalidDefinition | InvalidExpression) -> list[str]:
    if isinstance(exc, InvalidExpression):
        return [exc.message]
    return [f"{exc.source}: {e}" if exc.source else e for e in exc.errors]


def _too_large(request: Request, exc: RequestEntityTooLarge) -> Response:
    # The body went over the route's limit before the handler saw it (the CSRF check reads the form).
    message = f"the upload is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB"
    return _xlsform(request, XlsformPage(errors=[message]), status=413)


def _close_uploads(request: Request) -> None:
    """Close the temporary files of the request's parsed multipart form, if any.

    litestar leaves them to the garbage collector (with a ResourceWarning), also when the request is
    refused after its form was read: the CSRF check reads it before the guard decides.
    """
    form = ScopeState.from_scope(request.scope).form
    if not isinstance(form, dict):
        return
    for value in form.values():
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, UploadFile):
                part.file.close()


def _closing(handler: Any) -> Any:
    def handle(request: Request, exc: Exception) -> Response:
        _close_uploads(request)
        return handler(request, exc)

    return handle


# The app's own error pages, each closing the upload first (a refusal, a sign-in, a body too large).
UPLOAD_ERROR_HANDLERS: dict[Any, Any] = {
    kind: _closing(handler)
    for kind, handler in {
        **EXCEPTION_HANDLERS,
        auth.SignInRequired: auth.sign_in_required_handler,
        RequestEntityTooLarge: _too_large,
    }.items()
}


@get("/console/xlsform", opt={"roles": DESIGNERS})
async def xlsform_page(request: Request) -> Template:
    """The form to upload an XLSForm (KoboToolbox, ODK) and preview what it becomes."""
    return _xlsform(request, XlsformPage())


@post(
    "/console/xlsform",
    opt={"roles": DESIGNERS},
    status_code=200,
    request_max_body_size=UPLOAD_BODY_BYTES,
    exception_handlers=UPLOAD_ERROR_HANDLERS,
)
async def xlsform_upload(request: Request) -> Template:
    """Import an uploaded workbook: the import's report and the questionnaire, nothing published yet."""
    try:
        return await _import_upload(request)
    finally:
        _close_uploads(request)


async def _import_upload(request: Request) -> Template:
    form = await request.form()
    raw_language = form.get("language")
    language = raw_language.strip() if isinstance(raw_language, str) else ""
    upload = form.get("workbook")
    if not isinstance(upload, UploadFile) or not upload.filename:
        page = XlsformPage(language=language, errors=["choose a workbook (.xlsx) to upload"])
        return _xlsform(request, page, status=400)
    # Only the file's own name: browsers on Windows once sent the whole path.
    source = upload.filename.replace("\\", "/").rsplit("/", 1)[-1] or "workbook.xlsx"
    data = await upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        message = f"{source} is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB"
        return _xlsform(request, XlsformPage(source=source, errors=[message]), status=413)
    if not data:
        page = XlsformPage(source=source, language=language, errors=[f"{source} is empty"])
        return _xlsform(request, page, status=400)
    try:
        # Reading a workbook is CPU work of up to a second: kept off the event loop.
        q, report = await asyncio.to_thread(
            import_xlsform, data, source=source, language=language or None
        )
    except (InvalidDefinition, InvalidExpression) as exc:
        page = XlsformPage(source=source, language=language, errors=_problems(exc))
        return _xlsform(request, page, status=400)
    comments = [f"Imported from {source} in the console.", *(str(line) for line in report)]
    page = XlsformPage(
        source=source,
        language=language,
        report=report,
        form=_imported(q, definition_yaml(q, comments)),
    )
    return _xlsform(request, page)


@post(
    "/console/xlsform/publish",
    opt={"roles": DESIGNERS},
    status_code=200,
    request_max_body_size=PUBLISH_BODY_BYTES,
)
async def xlsform_publish(request: Request) -> Template:
    """Publish the previewed questionnaire: version N+1, or the existing version when it is unchanged.

    The definition comes back from the browser, so it is validated again like any file would be.
    """
    form = await _form(request, definition=PUBLISH_BODY_BYTES)
    text = form.get("definition", "")
    if not text.strip():
        page = XlsformPage(errors=["nothing to publish: upload a workbook first"])
        return _xlsform(request, page, status=400)
    try:
        q = await asyncio.to_thread(load_definition, text, source="the previewed definition")
    except InvalidDefinition as exc:
        return _xlsform(request, XlsformPage(errors=_problems(exc)), status=400)
    async with request_pool(request).acquire() as conn:
        result = await questionnaires_db.publish(conn, q)
    page = XlsformPage(form=_imported(q, text), published=result)
    return _xlsform(request, page)


# -- campaigns -------------------------------------------------------------------------------------


class WaveRow(msgspec.Struct, frozen=True, kw_only=True):
    wave: Wave
    counts: StatusCounts
    link: str | None
    """The respondent link, for the roles that hand it out."""
    can_run: bool


class CampaignSummary(msgspec.Struct, frozen=True, kw_only=True):
    campaign: Campaign
    waves: list[WaveRow]


class CampaignsPage(msgspec.Struct, frozen=True, kw_only=True):
    campaigns: list[CampaignSummary]
    can_create: bool
    can_open: bool


def _wave_rows(
    request: Request, waves: list[Wave], counts: dict[str, StatusCounts]
) -> list[WaveRow]:
    can_run = _may(request, DESIGNERS)
    base = _settings(request).base_url
    return [
        WaveRow(
            wave=w,
            counts=counts.get(w.key, StatusCounts()),
            link=w.link(base) if can_run else None,
            can_run=can_run,
        )
        for w in waves
    ]


@get("/console/campaigns", opt={"roles": ALL_ROLES})
async def campaigns_page(request: Request) -> Template:
    """Every campaign, its waves and how many responses each has."""
    summaries = []
    async with request_pool(request).acquire() as conn:
        for campaign in await campaigns_db.list_campaigns(conn):
            waves = await campaigns_db.waves_of(conn, campaign.key)
            counts = await console_db.campaign_counts(conn, campaign.id)
            summaries.append(
                CampaignSummary(campaign=campaign, waves=_wave_rows(request, waves, counts))
            )
    page = CampaignsPage(
        campaigns=summaries,
        can_create=_may(request, DESIGNERS),
        can_open=_may(request, CAMPAIGN_READERS),
    )
    return _page(request, "campaigns.html", page, section="campaigns")


class NewCampaignPage(msgspec.Struct, frozen=True, kw_only=True):
    questionnaires: list[str]
    designs: tuple[str, ...] = DESIGNS
    key: str = ""
    questionnaire: str = ""
    design: str = "independent"
    cluster: str = ""
    error: str = ""


async def _new_campaign_page(
    request: Request, conn: asyncpg.Connection, status: int = 200, **values: str
) -> Template:
    keys = [q.key for q in await questionnaires_db.list_questionnaires(conn)]
    page = NewCampaignPage(questionnaires=keys, **values)
    return _page(request, "campaign_new.html", page, section="campaigns", status=status)


@get("/console/campaigns/new", opt={"roles": DESIGNERS})
async def new_campaign_page(request: Request) -> Template:
    """The form to create a campaign."""
    async with request_pool(request).acquire() as conn:
        return await _new_campaign_page(request, conn)


@post("/console/campaigns", opt={"roles": DESIGNERS})
async def create_campaign(request: Request) -> Response:
    """Create a campaign; the form comes back with the message when something is wrong."""
    form = await _form(request)
    values = {
        "key": form.get("key", "").strip(),
        "questionnaire": form.get("questionnaire", "").strip(),
        "design": form.get("design", "").strip(),
        "cluster": form.get("cluster", "").strip(),
    }
    async with request_pool(request).acquire() as conn:
        try:
            if not values["key"]:
                raise InvalidAnswer("a campaign needs a key (lower-case letters, digits, - and _)")
            campaign = await campaigns_db.create_campaign(
                conn,
                values["key"],
                questionnaire=values["questionnaire"],
                design=values["design"],
                cluster_item=values["cluster"] or None,
            )
        except (InvalidAnswer, Conflict, NotFound) as exc:
            return await _new_campaign_page(
                request, conn, exc.status_code, error=exc.message, **values
            )
        except asyncpg.CheckViolationError:
            message = "a campaign key has lower-case letters, digits, - and _, starting with a letter or digit"
            return await _new_campaign_page(request, conn, 400, error=message, **values)
    return Redirect(f"/console/campaigns/{campaign.key}", status_code=303)


class CampaignPage(msgspec.Struct, frozen=True, kw_only=True):
    campaign: Campaign
    waves: list[WaveRow]
    versions: list[int]
    languages: list[str]
    can_run: bool
    formats: list[tuple[str, str]]
    error: str = ""


EXPORT_FORMATS = [
    ("csv", "CSV (UTF-8)"),
    ("xlsx", "Excel (.xlsx, with codebook)"),
    ("sav", "SPSS (.sav, labelled)"),
    ("codebook-csv", "Codebook (CSV)"),
    ("codebook-json", "Codebook (JSON)"),
]


async def _campaign_page(
    request: Request, conn: asyncpg.Connection, key: str, *, error: str = "", status: int = 200
) -> Template:
    campaign = await campaigns_db.get_campaign(conn, key)
    waves = await campaigns_db.waves_of(conn, key)
    counts = await console_db.campaign_counts(conn, campaign.id)
    versions = await console_db.list_versions(conn, campaign.questionnaire)
    latest = await questionnaires_db.get_version(conn, campaign.questionnaire)
    page = CampaignPage(
        campaign=campaign,
        waves=_wave_rows(request, waves, counts),
        versions=[v.version for v in versions],
        languages=latest.definition.languages,
        can_run=_may(request, DESIGNERS),
        formats=EXPORT_FORMATS,
        error=error,
    )
    return _page(request, "campaign.html", page, section="campaigns", status=status)


@get("/console/campaigns/{key:str}", opt={"roles": CAMPAIGN_READERS})
async def campaign_page(request: Request, key: FromPath[str]) -> Template:
    """A campaign: its waves (open, close, link, QR code, monitoring) and its exports."""
    async with request_pool(request).acquire() as conn:
        return await _campaign_page(request, conn, key)


@post("/console/campaigns/{key:str}/waves", opt={"roles": DESIGNERS})
async def add_wave(request: Request, key: FromPath[str]) -> Response:
    """Add a pre or post wave (in the campaign or the comparison arm), pinned to a version."""
    form = await _form(request)
    async with request_pool(request).acquire() as conn:
        try:
            await campaigns_db.add_wave(
                conn,
                key,
                phase=form.get("phase", ""),
                arm=form.get("arm", "campaign") or "campaign",
                version=whole_number(form.get("version"), "version"),
                key=form.get("wave_key", "").strip() or None,
            )
        except (InvalidAnswer, Conflict) as exc:
            return await _campaign_page(
                request, conn, key, error=exc.message, status=exc.status_code
            )
        except asyncpg.CheckViolationError:
            message = "a wave key has lower-case letters, digits, - and _"
            return await _campaign_page(request, conn, key, error=message, status=400)
    return Redirect(f"/console/campaigns/{key}", status_code=303)


async def _set_status(request: Request, key: str, status: str) -> Response:
    async with request_pool(request).acquire() as conn:
        wave = await campaigns_db.set_wave_status(conn, key, status)
        if not _is_htmx(request):
            return Redirect(f"/console/campaigns/{wave.campaign}", status_code=303)
        counts = await console_db.campaign_counts(conn, wave.campaign_id)
    row = _wave_rows(request, [wave], counts)[0]
    return _fragment("_wave_row.html", row)


@post("/console/waves/{key:str}/open", opt={"roles": DESIGNERS})
async def open_wave(request: Request, key: FromPath[str]) -> Response:
    """Open a wave: its link starts accepting answers."""
    return await _set_status(request, key, "open")


@post("/console/waves/{key:str}/close", opt={"roles": DESIGNERS})
async def close_wave(request: Request, key: FromPath[str]) -> Response:
    """Close a wave: its link stops accepting answers."""
    return await _set_status(request, key, "closed")


async def _qr(request: Request, key: str, kind: str) -> Response:
    async with request_pool(request).acquire() as conn:
        wave = await campaigns_db.get_wave(conn, key)
    code = segno.make(wave.link(_settings(request).base_url), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=8, border=4, title=wave.key)
        media_type = "image/svg+xml"
    else:
        code.save(buffer, kind="png", scale=10, border=4)
        media_type = "image/png"
    return Response(
        buffer.getvalue(),
        media_type=media_type,
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


# -- monitoring ------------------------------------------------------------------------------------


class Bar(msgspec.Struct, frozen=True, kw_only=True):
    """One day of the chart, in SVG user units (the chart is drawn upwards from y = HEIGHT)."""

    x: float
    day: date
    complete: int
    partial: int
    complete_y: float
    complete_h: float
    partial_y: float
    partial_h: float


class Chart(msgspec.Struct, frozen=True, kw_only=True):
    width: float
    height: float
    bar_width: float
    bars: list[Bar]
    peak: int


CHART_HEIGHT = 80.0
BAR_STEP = 14.0


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
        width=max(len(bars), 1) * BAR_STEP,
        height=CHART_HEIGHT,
        bar_width=BAR_STEP - 3,
        bars=bars,
        peak=peak,
    )


class WavePage(msgspec.Struct, frozen=True, kw_only=True):
    wave: Wave
    progress: WaveProgress
    chart: Chart
    median: str
    checked_at: datetime


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


@get("/console/waves/{key:str}", opt={"roles": CAMPAIGN_READERS})
async def wave_page(request: Request, key: FromPath[str]) -> Template:
    """Collection of one wave: complete and partial responses, per day, drop-off by page, median time.

    htmx refreshes the figures every 30 seconds (the same handler answers with the fragment).
    """
    async with request_pool(request).acquire() as conn:
        wave = await campaigns_db.get_wave(conn, key)
        progress = await console_db.wave_progress(conn, wave.id)
    page = WavePage(
        wave=wave,
        progress=progress,
        chart=day_chart(progress),
        median=_duration(progress.median_seconds),
        checked_at=datetime.now(UTC),
    )
    if _is_htmx(request):
        return _fragment("_progress.html", page)
    return _page(request, "wave.html", page, section="campaigns")


# -- exports ---------------------------------------------------------------------------------------


def _download_name(plan: exports.ExportPlan, fmt: str) -> str:
    return f"{plan.file_stem()}-{datetime.now(UTC):%Y%m%d}{exports.FORMATS[fmt][0]}"


async def _file_chunks(path: str) -> AsyncIterator[bytes]:
    # Opened, then unlinked at once: the file disappears when the download ends or is abandoned.
    f = open(path, "rb")  # noqa: SIM115 (closed in the finally below, after the last chunk)
    os.unlink(path)
    try:
        while chunk := await asyncio.to_thread(f.read, FILE_CHUNK):
            yield chunk
    finally:
        f.close()


@post("/console/campaigns/{key:str}/export", opt={"roles": CAMPAIGN_READERS}, status_code=200)
async def export_campaign(request: Request, key: FromPath[str]) -> Response:
    """Download the campaign's responses (or one wave's) as CSV, Excel, SPSS or the codebook.

    Recorded in the audit log. A POST with the CSRF token, so no other site can make a signed-in browser
    start (and log) an export.
    """
    form = await _form(request)
    fmt = form.get("format", "csv")
    if fmt not in exports.FORMATS:
        raise InvalidAnswer(f'format must be one of {", ".join(exports.FORMATS)}, not "{fmt}"')
    user = auth.principal(request)
    pool = request_pool(request)
    async with pool.acquire() as conn:
        plan = await exports.plan_export(
            conn,
            key,
            wave=form.get("wave") or None,
            include_partial=form.get("include_partial") in ("on", "true", "1"),
            language=form.get("language") or None,
        )
        audit_id = await exports.audit_export(
            conn, plan, fmt, actor=user.email, account_id=user.account_id
        )
        name = _download_name(plan, fmt)
        media_type = exports.FORMATS[fmt][1]
        headers = {"content-disposition": f'attachment; filename="{name}"'}
        if fmt in ("codebook-csv", "codebook-json"):
            body = (
                exports.codebook_csv(plan) if fmt == "codebook-csv" else exports.codebook_json(plan)
            )
            await accounts_db.finish_audit(conn, audit_id, 0)
            return Response(body, media_type=media_type, headers=headers)
        if fmt in ("xlsx", "sav"):
            fd, path = tempfile.mkstemp(suffix=exports.FORMATS[fmt][0])
            os.close(fd)
            try:
                rows = await exports.write_export(conn, plan, fmt, path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                raise
            await accounts_db.finish_audit(conn, audit_id, rows)
            return Stream(_file_chunks(path), media_type=media_type, headers=headers)

    async def csv_body() -> AsyncIterator[bytes]:
        delivered: list[int] = []
        async with pool.acquire() as conn:
            async for chunk in exports.csv_chunks(conn, plan, delivered=delivered):
                yield chunk
            await accounts_db.finish_audit(conn, audit_id, delivered[0])

    return Stream(csv_body(), media_type=media_type, headers=headers)


# -- accounts and audit log (admins) ---------------------------------------------------------------


class UsersPage(msgspec.Struct, frozen=True, kw_only=True):
    accounts: list[accounts_db.Account]
    roles: tuple[str, ...]
    me: int
    email: str = ""
    role: str = "researcher"
    error: str = ""
    created: str = ""


async def _users_page(
    request: Request, conn: asyncpg.Connection, status: int = 200, **values: str
) -> Template:
    page = UsersPage(
        accounts=await accounts_db.list_accounts(conn),
        roles=ROLES,
        me=auth.principal(request).account_id,
        **values,
    )
    return _page(request, "users.html", page, section="users", status=status)


@get("/console/users", opt={"roles": ADMINS})
async def users_page(request: Request) -> Template:
    """Accounts: who may sign in, with which role."""
    async with request_pool(request).acquire() as conn:
        return await _users_page(request, conn, created=request.query_params.get("created", ""))


@post("/console/users", opt={"roles": ADMINS})
async def create_user(request: Request) -> Response:
    """Create an account with a first password (the person changes it with the administrator's help)."""
    form = await _form(request)
    email = form.get("email", "").strip()
    role = form.get("role", "")
    async with request_pool(request).acquire() as conn:
        try:
            password_hash = await asyncio.to_thread(
                auth.hash_password, form.get("password", ""), email=email
            )
            account = await accounts_db.create_account(
                conn, email, role=role, password_hash=password_hash
            )
        except (InvalidAnswer, Conflict) as exc:
            return await _users_page(
                request, conn, exc.status_code, email=email, role=role, error=exc.message
            )
    return Redirect("/console/users?" + urlencode({"created": account.email}), status_code=303)


async def _set_disabled(request: Request, account_id: int, disabled: bool) -> Response:
    if disabled and account_id == auth.principal(request).account_id:
        raise InvalidAnswer("you cannot disable your own account")
    async with request_pool(request).acquire() as conn:
        await accounts_db.set_disabled(conn, account_id, disabled)
    return Redirect("/console/users", status_code=303)


@post("/console/users/{account_id:int}/disable", opt={"roles": ADMINS})
async def disable_user(request: Request, account_id: FromPath[int]) -> Response:
    """Disable an account: its sessions end and its API tokens stop working."""
    return await _set_disabled(request, account_id, True)


@post("/console/users/{account_id:int}/enable", opt={"roles": ADMINS})
async def enable_user(request: Request, account_id: FromPath[int]) -> Response:
    """Enable a disabled account again (its old sessions and tokens stay revoked)."""
    return await _set_disabled(request, account_id, False)


class AuditPage(msgspec.Struct, frozen=True, kw_only=True):
    entries: list[accounts_db.AuditEntry]
    older: int | None


AUDIT_PAGE = 100


@get("/console/audit", opt={"roles": ADMINS})
async def audit_page(request: Request) -> Template:
    """Exports and API reads of raw responses, newest first."""
    before = whole_number(request.query_params.get("before"), "before", maximum=BIGINT_MAX)
    async with request_pool(request).acquire() as conn:
        entries = await accounts_db.list_audit(conn, before=before, limit=AUDIT_PAGE)
    older = entries[-1].id if len(entries) == AUDIT_PAGE else None
    return _page(request, "audit.html", AuditPage(entries=entries, older=older), section="audit")


def console_router() -> Router:
    """Every console page, sign-in and sign-out (none of them in the API's OpenAPI document)."""
    return Router(
        path="/",
        route_handlers=[
            sign_in_page,
            sign_in_submit,
            sign_out,
            console_home,
            questionnaires_page,
            questionnaire_page,
            preview_page,
            diff_page,
            xlsform_page,
            xlsform_upload,
            xlsform_publish,
            campaigns_page,
            new_campaign_page,
            create_campaign,
            campaign_page,
            add_wave,
            open_wave,
            close_wave,
            wave_qr_svg,
            wave_qr_png,
            wave_page,
            export_campaign,
            users_page,
            create_user,
            disable_user,
            enable_user,
            audit_page,
        ],
        include_in_schema=False,
    )
