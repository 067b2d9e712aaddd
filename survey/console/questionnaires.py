"""Console pages of questionnaires:

===================================================  ==============================================
``GET  /console/questionnaires``                     every published questionnaire
``GET  /console/questionnaires/{key}``               its versions, with preview and comparison
``GET  /console/questionnaires/{key}/versions/{n}``  version n page by page as respondents see it, in
                                                     the questionnaire language ``?language=``
``GET  /console/questionnaires/{key}/diff``          versions ``?a=`` and ``?b=`` compared item by item
``GET  /console/xlsform``                            the form to upload an XLSForm
``POST /console/xlsform``                            import it: its report and the questionnaire
``POST /console/questionnaires/{key}/sharing``       share it with every team, or keep it to its own
``POST /console/xlsform/publish``                    publish what was previewed
===================================================  ==============================================

A questionnaire belongs to the team that first published it, and is either shared with every team of the
installation or kept to its own: the lists show what the account's teams may see, and a questionnaire kept
to another team answers 404.

The preview shows respondent fields with the respondent stylesheet inside a shadow root of each page
(``console/preview.html``), so that no rule of either stylesheet reaches the other's elements.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.utils.scope.state import ScopeState

from survey.console import auth, service
from survey.console import web as console_web
from survey.console.auth import CAMPAIGN_READERS, DESIGNERS, principal
from survey.console.messages import CATALOGUE, language_name
from survey.console.problems import ProblemView, problem_views
from survey.console.service import Rejected, text_in
from survey.console.web import team_name
from survey.db.questionnaires import PublishResult
from survey.editor import service as editor_service
from survey.errors import NotFound
from survey.questionnaire.computed import untranslated
from survey.questionnaire.load import MAX_DEFINITION_BYTES
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.xlsform import ReportLine
from survey.web import request_pool
from survey.web.errors import EXCEPTION_HANDLERS

__all__ = ["MAX_UPLOAD_BYTES", "ROUTES"]

MAX_UPLOAD_BYTES: Final = 5_000_000
"""Largest workbook the console accepts, in bytes (an XLSForm is rarely over a few hundred kB)."""
# Room for the multipart envelope around the file: the boundaries, the headers, the CSRF field.
UPLOAD_BODY_BYTES: Final = MAX_UPLOAD_BYTES + 64 * 1024
# A form-encoded definition may take three bytes (%XX) per byte of its UTF-8 text.
PUBLISH_BODY_BYTES: Final = 3 * MAX_DEFINITION_BYTES + 64 * 1024


# -- the list and one questionnaire -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionnaireRow:
    key: str
    title: str
    latest: int
    versions: int
    published_at: datetime
    sharing: str
    """Whose it is, in words: shared with every team, or kept to one."""


@dataclass(frozen=True, slots=True)
class DraftRow:
    id: int
    key: str
    title: str
    team: str
    changed: str
    """When and by whom it was last changed."""


@dataclass(frozen=True, slots=True)
class QuestionnairesPage:
    questionnaires: tuple[QuestionnaireRow, ...]
    can_import: bool
    """Whether the account may import an XLSForm (and publish it), and edit questionnaires."""
    drafts: tuple[DraftRow, ...] = ()
    """The drafts of the account's teams where it edits questionnaires (survey.console.editor)."""


@get("/console/questionnaires", opt={"roles": CAMPAIGN_READERS})
async def questionnaires_page(request: Request) -> Template:
    """Every published questionnaire with its latest version."""
    lang = console_web.language(request)
    t = console_web.translator(request)
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        found = await service.questionnaires(conn, who)
        drafts = await editor_service.drafts(conn, who)
    context = QuestionnairesPage(
        questionnaires=tuple(
            QuestionnaireRow(
                key=q.key,
                title=text_in(q.title, lang, lang) or q.key,
                latest=q.latest_version,
                versions=q.n_versions,
                published_at=q.published_at,
                sharing=_sharing(t, q.shared, team_name(t, q.team, q.team_name)),
            )
            for q in found
        ),
        can_import=console_web.may(request, DESIGNERS),
        drafts=tuple(
            DraftRow(
                id=d.id,
                key=d.key or "–",
                title=text_in(d.title, lang, lang) or "",
                team=team_name(t, d.team, d.team_name),
                changed=f"{d.updated_at:%Y-%m-%d %H:%M} · {d.updated_by or '–'}",
            )
            for d in drafts
        ),
    )
    return console_web.page(request, "questionnaires.html", context, section="questionnaires")


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    label: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class VersionRow:
    version: int
    published_at: datetime
    sha256: str
    previews: tuple[Link, ...]
    """One preview per language of the questionnaire."""


def _sharing(t: Callable[..., str], shared: bool, team: str) -> str:
    return t("questionnaire.shared", team=team) if shared else t("questionnaire.kept", team=team)


@dataclass(frozen=True, slots=True)
class UntranslatedRow:
    """A text of the latest version shown in the default language for want of a translation."""

    place: str
    """Which text: the item (or list, outcome...) and the part, e.g. ``adults · question``."""
    language: str
    shown: str
    """The default-language text respondents of that language read instead."""


@dataclass(frozen=True, slots=True)
class QuestionnairePage:
    key: str
    title: str
    facts: str
    """Questions, languages and outcomes in one sentence."""
    sharing: str
    """Whose it is and who may use it, in a sentence."""
    shared: bool
    can_share: bool
    """Whether the account may share it or keep it to its team (its team's administrators and
    researchers)."""
    versions: tuple[VersionRow, ...]
    """Newest first."""
    numbers: tuple[int, ...]
    """Every version number, oldest first (for the comparison form)."""
    error: str = ""
    untranslated: tuple[UntranslatedRow, ...] = ()
    default_language: str = ""


_PLACE = re.compile(r"sections\[(\d+)\](?:\.items\[(\d+)\])?(?:\.choices\[(\d+)\])?\.(\w+)")


def _place(t: Callable[..., str], q: Questionnaire, place: str) -> str:
    """Where a text is, as a translator looks for it: the item key and which of its texts."""
    match = _PLACE.fullmatch(place)
    if match is None:
        return place.replace(".label", "").replace(".", " · ")
    s, i, c, part = match.groups()
    section = q.sections[int(s)]
    if i is None:
        return f"{section.key} · {t('untranslated.part.title')}"
    item = section.items[int(i)]
    if c is not None:
        choice = q.choices_for(item)[int(c)]
        return f"{item.key} · {t('untranslated.part.choice', value=choice.value)}"
    return f"{item.key} · {t(f'untranslated.part.{part}')}"


def _questionnaire_page(
    t: Callable[..., str],
    lang: str,
    latest: Questionnaire,
    versions: list[Any],
    *,
    sharing: str,
    shared: bool,
    can_share: bool,
) -> QuestionnairePage:
    outcomes = [
        text_in(o.label, lang, latest.default_language) or key for key, o in latest.outcomes.items()
    ]
    facts = t(
        "questionnaire.facts",
        questions=sum(1 for i in latest.items() if i.answerable),
        languages=", ".join(language_name(code) for code in latest.languages),
    )
    if outcomes:
        facts += " " + t("questionnaire.outcomes", outcomes=", ".join(outcomes))
    base = f"/console/questionnaires/{latest.key}"
    return QuestionnairePage(
        key=latest.key,
        title=text_in(latest.title, lang, latest.default_language) or latest.key,
        facts=facts,
        sharing=sharing,
        shared=shared,
        can_share=can_share,
        versions=tuple(
            VersionRow(
                version=v.version,
                published_at=v.published_at,
                sha256=v.sha256,
                previews=tuple(
                    Link(f"{base}/versions/{v.version}?language={code}", language_name(code))
                    for code in latest.languages
                ),
            )
            for v in reversed(versions)
        ),
        numbers=tuple(v.version for v in versions),
        untranslated=tuple(
            UntranslatedRow(_place(t, latest, u.place), language_name(u.language), u.text)
            for u in untranslated(latest)
        ),
        default_language=language_name(latest.default_language),
    )


async def _questionnaire(
    request: Request, key: str, *, error: str = "", status: int = 200
) -> Template:
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        latest, versions = await service.questionnaire_versions(conn, who, key)
    t = console_web.translator(request)
    context = _questionnaire_page(
        t,
        console_web.language(request),
        latest.definition,
        versions,
        sharing=_sharing(t, latest.shared, team_name(t, latest.team, latest.team_name)),
        shared=latest.shared,
        can_share=who.role_in(latest.team_id) in DESIGNERS,
    )
    context = dataclasses.replace(context, error=error)
    return console_web.page(
        request, "questionnaire.html", context, section="questionnaires", status=status
    )


@get("/console/questionnaires/{key:str}", opt={"roles": CAMPAIGN_READERS})
async def questionnaire_page(request: Request, key: FromPath[str]) -> Template:
    """A questionnaire's versions, with preview and comparison; whose it is, and who may use it."""
    return await _questionnaire(request, key)


@post("/console/questionnaires/{key:str}/sharing", opt={"roles": DESIGNERS})
async def share_questionnaire(request: Request, key: FromPath[str]) -> Response:
    """Share the questionnaire with every team (``shared=on``), or keep it to its own team (not while
    campaigns of other teams use it): for its team's administrators and researchers."""
    form = await console_web.read_form(request)
    async with request_pool(request).acquire() as conn:
        refused = await service.set_questionnaire_shared(
            conn, principal(request), key, form.get("shared") == "on"
        )
    if refused is None:
        return Redirect(f"/console/questionnaires/{key}", status_code=303)
    error = console_web.refusal(request, refused)
    return await _questionnaire(request, key, error=error, status=refused.status)


# -- preview ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviewNote:
    """What researchers read under a question of the preview: its type in words, its correct answer
    and when it is shown (both as written in the questionnaire)."""

    key: str
    type: str
    correct: str | None
    condition: str | None


@dataclass(frozen=True, slots=True)
class PreviewScreen:
    """One respondent page: its fields as the respondent pages build them, and notes for researchers."""

    number: int
    title: str | None
    condition: str | None
    """When the page is shown, if not always."""
    fields: tuple[Any, ...]
    """``survey.collect.views.FieldView`` of every item, laid out by ``collect/_field.html``."""
    notes: dict[str, PreviewNote]
    """Item key → the note shown under the question."""


@dataclass(frozen=True, slots=True)
class PreviewPage:
    key: str
    version: int
    """The version shown; 0 for a draft."""
    language: str
    """The questionnaire language shown."""
    languages: tuple[Link, ...]
    title: str
    intro: str | None
    screens: tuple[PreviewScreen, ...]
    view: Any
    """The respondent templates' own context (``survey.collect.views.PageView``): their strings."""
    draft: int | None = None
    """The draft shown, when it is one (the editor's preview)."""


def preview_of(
    t: Callable[..., str],
    q: Questionnaire,
    language: str,
    *,
    base: str,
    version: int = 0,
    draft: int | None = None,
) -> PreviewPage:
    """Every page of a version (or of a draft, :mod:`survey.console.editor`) as the respondent pages render
    it (same pagination, same fields), with every question shown whatever its ``show_if`` (which the
    notes state); ``base`` is the page's address, to which ``?language=`` is added."""
    from survey.collect.views import _field as respondent_field
    from survey.collect.views import build_page
    from survey.questionnaire.paging import plan_for

    screens = []
    for page in plan_for(q).pages:
        notes = {}
        for item in page.items:
            correct = None
            if item.correct is not None:
                correct = ", ".join(
                    item.correct if isinstance(item.correct, list) else [item.correct]
                )
            notes[item.key] = PreviewNote(
                key=item.key, type=t(f"type.{item.type}"), correct=correct, condition=item.show_if
            )
        screens.append(
            PreviewScreen(
                number=page.number,
                title=text_in(page.section.title, language, q.default_language),
                condition=page.section.show_if,
                fields=tuple(
                    respondent_field(q, item, language, [], None, False) for item in page.items
                ),
                notes=notes,
            )
        )
    return PreviewPage(
        key=q.key,
        version=version,
        language=language,
        languages=tuple(
            Link(f"{base}?language={c}", language_name(c), c == language) for c in q.languages
        ),
        title=text_in(q.title, language, q.default_language) or q.key,
        intro=text_in(q.description, language, q.default_language),
        screens=tuple(screens),
        view=build_page(lang=language, q=q),
        draft=draft,
    )


@get("/console/questionnaires/{key:str}/versions/{version:int}", opt={"roles": CAMPAIGN_READERS})
async def preview_page(request: Request, key: FromPath[str], version: FromPath[int]) -> Template:
    """A version as respondents see it, page by page, in the questionnaire language ``?language=``."""
    async with request_pool(request).acquire() as conn:
        found = await service.questionnaire_for(conn, principal(request), key, version)
    q = found.definition
    language = request.query_params.get("language") or q.default_language
    if language not in q.languages:
        raise NotFound(
            f'questionnaire "{key}" has no "{language}" text (it has {", ".join(q.languages)})'
        )
    context = preview_of(
        console_web.translator(request),
        q,
        language,
        base=f"/console/questionnaires/{key}/versions/{found.version}",
        version=found.version,
    )
    return console_web.page(request, "preview.html", context, section="questionnaires")


# -- comparing versions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiffRow:
    key: str
    change: str
    """``added``, ``removed``, ``changed`` or ``equivalent`` (a CSS class)."""
    change_label: str
    fields: str
    verdict: str
    breaking: bool


@dataclass(frozen=True, slots=True)
class DiffPage:
    key: str
    a: int
    b: int
    versions: tuple[int, ...]
    rows: tuple[DiffRow, ...]
    other: tuple[str, ...]
    error: str = ""


def _field_names(t: Callable[..., str], fields: list[str]) -> str:
    names = []
    for name in fields:
        base, _, code = name.partition(".")
        key = f"field.{base}" + (".in" if code else "")
        # A field the catalogue has no words for (a newer part of the format) is named as stored.
        names.append(t(key, language=language_name(code)) if key in CATALOGUE else name)
    return ", ".join(names)


def diff_rows(t: Callable[..., str], comparison: service.Comparison) -> DiffPage:
    """The comparison as the diff table shows it (the editor's publish page shows the same rows)."""
    d = comparison.diff
    rows: list[DiffRow] = []

    def row(key: str, change: str, fields: list[str], breaking: bool) -> DiffRow:
        if breaking:
            verdict = t("diff.breaks")
        elif change == "added":
            verdict = t("diff.new")
        else:
            verdict = t("diff.kept")
        return DiffRow(
            key=key,
            change=change,
            change_label=t(f"diff.{change}"),
            fields=_field_names(t, fields),
            verdict=verdict,
            breaking=breaking,
        )

    rows += [row(k, "added", [], False) for k in d.added]
    rows += [row(k, "removed", [], True) for k in d.removed]
    rows += [
        row(c.key, "equivalent" if c.equivalent else "changed", c.fields, c.breaking)
        for c in d.changed
    ]
    rows += [row(t("diff.outcome", key=k), "added", [], False) for k in d.outcomes_added]
    rows += [row(t("diff.outcome", key=k), "removed", [], False) for k in d.outcomes_removed]
    rows += [
        row(t("diff.outcome", key=c.key), "changed", c.fields, False) for c in d.outcomes_changed
    ]
    return DiffPage(
        key=comparison.key,
        a=comparison.a,
        b=comparison.b,
        versions=comparison.versions,
        rows=tuple(rows),
        other=tuple(d.other),
    )


@get("/console/questionnaires/{key:str}/diff", opt={"roles": CAMPAIGN_READERS})
async def diff_page(request: Request, key: FromPath[str]) -> Template:
    """Items added, removed and changed between versions ``?a=`` and ``?b=``, breaking or not."""
    query = request.query_params
    async with request_pool(request).acquire() as conn:
        found = await service.compare_versions(
            conn, principal(request), key, query.get("a"), query.get("b")
        )
    t = console_web.translator(request)
    if isinstance(found, Rejected):
        context = DiffPage(
            key=key,
            a=0,
            b=0,
            versions=(),
            rows=(),
            other=(),
            error=console_web.refusal(request, found),
        )
        return console_web.page(
            request, "diff.html", context, section="questionnaires", status=found.status
        )
    return console_web.page(request, "diff.html", diff_rows(t, found), section="questionnaires")


# -- XLSForm import -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionSummary:
    key: str
    title: str | None
    items: tuple[tuple[str, str, str], ...]
    """(key, type in words, text) of each item."""


@dataclass(frozen=True, slots=True)
class ImportedForm:
    """The questionnaire an upload became, as the preview shows it."""

    key: str
    titles: tuple[tuple[str, str], ...]
    """(language, title) in each of its languages."""
    facts: str
    sections: tuple[SectionSummary, ...]
    definition: str
    """The YAML text, shown in the preview and carried by the publish form."""


@dataclass(frozen=True, slots=True)
class XlsformPage:
    max_mb: int = MAX_UPLOAD_BYTES // 1_000_000
    source: str = ""
    language: str = ""
    error: str = ""
    details: tuple[ProblemView, ...] = ()
    """Why the workbook was refused, each said as :func:`problem_views` says it."""
    report: tuple[ReportLine, ...] = ()
    form: ImportedForm | None = None
    """The preview of an upload, with its Publish button."""
    published: PublishResult | None = None
    teams: tuple[tuple[str, str], ...] = ()
    """(key, name) of the teams a new questionnaire may belong to: where the account is an
    administrator or a researcher."""


def _imported(t: Callable[..., str], q: Questionnaire, definition: str) -> ImportedForm:
    def text(texts: dict[str, str] | None) -> str | None:
        return text_in(texts, q.default_language, q.default_language)

    return ImportedForm(
        key=q.key,
        titles=tuple((code, q.title.get(code, "")) for code in q.languages),
        facts=t(
            "xlsform.facts",
            questions=sum(1 for i in q.items() if i.answerable),
            sections=len(q.sections),
            languages=", ".join(language_name(code) for code in q.languages),
        ),
        sections=tuple(
            SectionSummary(
                key=s.key,
                title=text(s.title),
                items=tuple((i.key, t(f"type.{i.type}"), text(i.text) or "") for i in s.items),
            )
            for s in q.sections
        ),
        definition=definition,
    )


def _xlsform(request: Request, context: XlsformPage, status: int = 200) -> Template:
    t = console_web.translator(request)
    # The error page of a body too large is made before the guard has looked for the account.
    who = console_web.user(request)
    teams = tuple(
        (m.team, team_name(t, m.team, m.name)) for m in (service.designer_teams(who) if who else ())
    )
    return console_web.page(
        request,
        "xlsform.html",
        dataclasses.replace(context, teams=teams),
        section="questionnaires",
        status=status,
    )


def _refused(request: Request, rejected: Rejected, **values: str) -> Template:
    context = XlsformPage(
        error=console_web.refusal(request, rejected),
        details=problem_views(console_web.translator(request), rejected.details),
        **values,
    )
    return _xlsform(request, context, rejected.status)


def _too_large(request: Request, exc: RequestEntityTooLarge) -> Response:
    # The body went over the route's limit before the handler saw it (the CSRF check reads the form).
    refusal = Rejected(
        "upload_too_large", 413, {"name": "", "megabytes": MAX_UPLOAD_BYTES // 1_000_000}
    )
    return _refused(request, refusal)


def close_uploads(request: Request) -> None:
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
        close_uploads(request)
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
        close_uploads(request)


async def _import_upload(request: Request) -> Template:
    form = await request.form()
    raw_language = form.get("language")
    language = raw_language.strip() if isinstance(raw_language, str) else ""
    upload = form.get("workbook")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _refused(request, Rejected("upload_missing"), language=language)
    # Only the file's own name: browsers on Windows once sent the whole path.
    source = upload.filename.replace("\\", "/").rsplit("/", 1)[-1] or "workbook.xlsx"
    outcome = await service.import_workbook(
        await upload.read(), source=source, language=language or None, max_bytes=MAX_UPLOAD_BYTES
    )
    if isinstance(outcome, Rejected):
        return _refused(request, outcome, source=source, language=language)
    t = console_web.translator(request)
    context = XlsformPage(
        source=source,
        language=language,
        report=outcome.report,
        form=_imported(t, outcome.questionnaire, outcome.definition),
    )
    return _xlsform(request, context)


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
    form = await console_web.read_form(request, definition=MAX_DEFINITION_BYTES)
    text = form.get("definition", "")
    async with request_pool(request).acquire() as conn:
        outcome = await service.publish_definition(
            conn,
            principal(request),
            text,
            team=form.get("team", "").strip(),
            shared=form.get("shared") == "on",
        )
    if isinstance(outcome, Rejected):
        return _refused(request, outcome)
    q, result = outcome
    context = XlsformPage(
        form=_imported(console_web.translator(request), q, text), published=result
    )
    return _xlsform(request, context)


ROUTES = [
    questionnaires_page,
    questionnaire_page,
    preview_page,
    diff_page,
    share_questionnaire,
    xlsform_page,
    xlsform_upload,
    xlsform_publish,
]
