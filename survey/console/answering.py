"""The editor's live preview: a draft answered as a respondent would meet it, with nothing stored.

============================================  ==================================================================
``GET  /console/drafts/{id}/try``             the draft's first page (or ``?page=``) in ``?language=``
``POST /console/drafts/{id}/try``             answer a page: Next, Back, another page (``_goto``) or language
============================================  ==================================================================

The page is the respondent's own: the same view code (:func:`survey.collect.views.build_form`), template
(``collect/fragment.html``), stylesheet, paging and ``show_if`` (:class:`survey.questionnaire.paging.Plan`),
and answers read by the same rules (:func:`survey.collect.answers.parse_page`). So a researcher answers
"yes" and the question shown only after a "yes" appears, and a wrong number gets the respondent's message.

Nothing is written: the answers given so far travel in the form's own hidden fields (``carried.<key>``, as
they were typed) and every request reads them again against the draft as it is now. A change in the
editor between two pages (a key renamed, a type changed) therefore never meets an answer stored under the
old rules; an answer the draft no longer accepts is simply not counted.

This is the one page of the site that may be framed, and only by the site itself
(:data:`survey.web.security.FRAMED_BY_SELF`): the editor shows it in an ``<iframe>`` at phone width beside
the questionnaire, which also keeps the respondent stylesheet out of the console page. Declarative shadow
roots, the other way to isolate it, do not attach when htmx swaps content in. With ``?framed=1`` the page
leaves out its way back to the editor; on its own (a phone, or without JavaScript) it has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Template
from litestar.utils.scope.state import ScopeState

from survey.collect.answers import FieldError, Rejected, parse_page
from survey.collect.messages import translate
from survey.collect.panel import panel_key
from survey.collect.views import FormView, MessageView, PageView, build_form, build_page
from survey.console import web as console_web
from survey.console.auth import DESIGNERS, principal
from survey.console.editor import MAX_TEXT
from survey.console.messages import language_name
from survey.console.problems import ProblemView, problem_views
from survey.editor import edits
from survey.editor import service as editor
from survey.errors import InvalidAnswer, InvalidDefinition
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.paging import Page, Plan, plan_for
from survey.web import request_pool
from survey.web.csrf import FIELD as CSRF_FIELD
from survey.web.inputs import whole_number
from survey.web.security import FRAMED_BY_SELF

__all__ = ["ROUTES", "Raw", "Trial", "answers_before", "try_page"]

#: The id of the respondent form, so that the page picker and the language buttons outside it send it.
FORM_ID: Final = "preview-form"
#: Carried answers are fields named ``carried.<item key>``: a dot is never part of an item key.
CARRIED: Final = "carried."
#: Most fields a preview form may send: every answer of a long questionnaire, multi-choice ones several
#: times, with room to spare; more is not a form of ours.
MAX_FIELDS: Final = 5_000
#: The panel code typed in the preview goes through the respondents' normalisation and HMAC (so that a
#: code with nothing left in it is refused as it would be), under a key that is not any campaign's.
PREVIEW_PANEL_SECRET: Final = b"survey preview: no campaign"

Raw = dict[str, list[str]]
"""Answers as typed, by item key: what the form carries from page to page."""


# -- the rules: which page comes next, with which answers --------------------------------------------


@dataclass(frozen=True, slots=True)
class Trial:
    """Where a try of the draft stands after a request: the page to show (None once past the last), the
    answers as typed, those of this page refused, and whether consent was declined."""

    page: Page | None
    raw: Raw
    errors: Mapping[str, FieldError]
    declined: bool = False


def _hash_code(typed: str) -> str:
    return panel_key(typed, PREVIEW_PANEL_SECRET)


def _read(
    q: Questionnaire, plan: Plan, page: Page, raw: Raw, existing: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, FieldError], bool]:
    """The answers of ``page`` as the respondent pages read them: (values, errors, consent declined)."""
    visible = plan.visible_items(page, existing)
    fields = {
        item.key: raw[item.key] if item.type == "multi" else raw[item.key][:1]
        for item in visible
        if item.answerable and item.key in raw
    }
    try:
        parsed = parse_page(
            q, page.items, visible, fields, existing=existing, hash_panel_code=_hash_code
        )
    except Rejected:  # unreachable with the fields chosen above; an answer then counts as not given
        return {}, {}, False
    return parsed.values, parsed.errors, parsed.declined


def answers_before(q: Questionnaire, plan: Plan, raw: Raw, page: Page | None) -> dict[str, object]:
    """The answers of the pages before ``page`` (of all pages when None), read page by page in order, as
    a respondent would have saved them: a hidden page's answers are not read, a refused one is left out."""
    answers: dict[str, object] = {}
    for each in plan.pages:
        if page is not None and each.number >= page.number:
            break
        values, _, _ = _read(q, plan, each, raw, answers)
        answers.update(values)
    return answers


def try_page(
    q: Questionnaire,
    plan: Plan,
    page: Page,
    carried: Raw,
    posted: Raw,
    *,
    action: str,
    goto: int | None = None,
) -> Trial:
    """The step a respondent's button takes from ``page``.

    ``action`` is ``next`` (the page is checked; its errors keep it, else the next page shown with these
    answers, or None after the last), ``back`` (the page before, what was typed kept unchecked, as the
    respondents' Back does) or ``goto`` (page ``goto`` of the picker, or the same page again after a
    change in the editor). ``posted`` are the page's own fields: any other field is dropped, since a key
    changed in the editor between two pages must not break the try.
    """
    on_page = {item.key for item in page.items if item.answerable}
    raw = {key: values for key, values in carried.items() if key not in on_page}
    raw.update({key: posted.get(key, []) for key in on_page})
    if action == "goto":
        target = plan.page(goto or page.number) or plan.pages[-1]
        return Trial(target, raw, {})
    existing = answers_before(q, plan, raw, page)
    if action == "back":
        return Trial(plan.previous_page(page, existing) or page, raw, {})
    values, errors, declined = _read(q, plan, page, raw, existing)
    if errors:
        return Trial(page, raw, errors)
    if declined:
        return Trial(None, raw, {}, declined=True)
    return Trial(plan.next_page(page, {**existing, **values}), raw, {})


# -- the page ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageButton:
    number: int
    label: str
    current: bool


@dataclass(frozen=True, slots=True)
class LanguageButton:
    code: str
    name: str
    current: bool


@dataclass(frozen=True, slots=True)
class TryPage:
    """The preview bar (in the console's language) around the respondent's page (in ``language``)."""

    draft: int
    key: str
    language: str
    framed: bool
    pages: tuple[PageButton, ...]
    languages: tuple[LanguageButton, ...]
    restart: str
    """The address of a fresh start, in the same language."""
    view: PageView | None
    """The respondent's page; None while the draft breaks a rule."""
    hidden_page: bool = False
    """The page picked shows nothing with the answers given so far (its condition hides it)."""
    problems: tuple[ProblemView, ...] = ()


def _address(draft: int, **query: str) -> str:
    return f"/console/drafts/{draft}/try?{urlencode({k: v for k, v in query.items() if v})}"


def _render(
    request: Request,
    draft: int,
    q: Questionnaire,
    language: str,
    framed: bool,
    trial: Trial,
    *,
    status: int = 200,
) -> Template:
    t = console_web.translator(request)
    plan = plan_for(q)
    view: PageView
    hidden_page = False
    if trial.page is None:
        message = MessageView(
            title=translate("thanks_title", language),
            paragraphs=(
                translate("thanks_declined" if trial.declined else "thanks_complete", language),
            ),
        )
        view = build_page(lang=language, q=q, message=message)
    else:
        page = trial.page
        answers = answers_before(q, plan, trial.raw, page)
        on_page = {item.key for item in page.items}
        form = build_form(
            q=q,
            plan=plan,
            page=page,
            lang=language,
            token="",
            response_id="preview",
            answers=answers,
            typed={key: trial.raw[key] for key in on_page if key in trial.raw},
            errors=trial.errors,
            intro=page.number == 1,
        )
        hidden_page = not plan.visible_items(page, answers)
        form = _preview_form(request, draft, form, page, framed, trial.raw, on_page)
        view = replace(build_page(lang=language, q=q, form=form), languages=())
    context = TryPage(
        draft=draft,
        key=q.key,
        language=language,
        framed=framed,
        pages=tuple(
            PageButton(
                p.number,
                t("preview.page", number=p.number),
                trial.page is not None and p.number == trial.page.number,
            )
            for p in plan.pages
        ),
        languages=tuple(LanguageButton(c, language_name(c), c == language) for c in q.languages),
        restart=_address(
            draft,
            language=language,
            framed="1" if framed else "",
            lang=console_web.language(request),
        ),
        view=view,
        hidden_page=hidden_page,
    )
    return _framable(console_web.page(request, "try.html", context, status=status))


def _preview_form(
    request: Request,
    draft: int,
    form: FormView,
    page: Page,
    framed: bool,
    raw: Raw,
    on_page: set[str],
) -> FormView:
    hidden = [(CSRF_FIELD, ScopeState.from_scope(request.scope).csrf_token or "")]
    hidden.append(("_page", str(page.number)))
    if framed:
        hidden.append(("_framed", "1"))
    hidden += [
        (CARRIED + key, value)
        for key, values in raw.items()
        if key not in on_page
        for value in values
    ]
    # The bar's language (the console's) goes along, as the editor beside it chose it.
    return replace(
        form,
        action=f"/console/drafts/{draft}/try?{urlencode({'lang': console_web.language(request)})}",
        form_id=FORM_ID,
        hidden=tuple(hidden),
    )


def _blocked(
    request: Request, draft: int, q: Questionnaire, framed: bool, problems: list[str]
) -> Template:
    context = TryPage(
        draft=draft,
        key=q.key,
        language="",
        framed=framed,
        pages=(),
        languages=(),
        restart=_address(draft, framed="1" if framed else ""),
        view=None,
        problems=problem_views(console_web.translator(request), problems),
    )
    return _framable(console_web.page(request, "try.html", context, status=409))


def _framable(template: Template) -> Template:
    template.headers.update(FRAMED_BY_SELF)
    return template


def _language(q: Questionnaire, asked: str | None) -> str:
    # A language the draft no longer has (removed in the editor while the preview showed it) falls back
    # to the draft's first, rather than leaving the preview beside the editor on an error.
    return asked if asked in q.languages else q.default_language


async def _draft(request: Request, draft_id: int, framed: bool) -> Questionnaire | Template:
    """The draft as the loader completes it, or the page saying what keeps it from being previewed."""
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    try:
        return edits.publishable(draft.definition)
    except InvalidDefinition as exc:
        return _blocked(request, draft_id, draft.definition, framed, exc.errors)


@get("/console/drafts/{draft_id:int}/try", opt={"roles": DESIGNERS})
async def try_draft(request: Request, draft_id: FromPath[int]) -> Template:
    """The draft's first page (or page ``?page=``) as a respondent meets it, in ``?language=``; nothing
    answered here is stored. ``?framed=1`` when shown inside the editor."""
    framed = request.query_params.get("framed") == "1"
    q = await _draft(request, draft_id, framed)
    if isinstance(q, Template):
        return q
    plan = plan_for(q)
    number = _number(request.query_params.get("page"), "page") or 1
    page = plan.page(number) or plan.pages[-1]
    language = _language(q, request.query_params.get("language"))
    return _render(request, draft_id, q, language, framed, Trial(page, {}, {}))


@post("/console/drafts/{draft_id:int}/try", opt={"roles": DESIGNERS})
async def answer_draft(request: Request, draft_id: FromPath[int]) -> Template:
    """A page of the preview answered: ``_back``, ``_goto`` (a page number), ``_switch`` (a language) or,
    with none of them, Next. The answers of the other pages come back in ``carried.<key>``."""
    form = await request.form()
    pairs = list(form.multi_items())
    if len(pairs) > MAX_FIELDS:
        raise InvalidAnswer(f"the preview form sent more than {MAX_FIELDS} fields")
    carried: Raw = {}
    posted: Raw = {}
    own: dict[str, str] = {}
    for name, value in pairs:
        if not isinstance(value, str):
            raise InvalidAnswer(f'the preview form sent a file in "{name[:60]}"')
        if len(value) > MAX_TEXT:
            raise InvalidAnswer(f'"{name[:60]}" is longer than {MAX_TEXT} characters')
        if name.startswith(CARRIED):
            carried.setdefault(name[len(CARRIED) :], []).append(value)
        elif name.startswith("_"):
            own[name] = value
        else:
            posted.setdefault(name, []).append(value)
    framed = own.get("_framed") == "1"
    q = await _draft(request, draft_id, framed)
    if isinstance(q, Template):
        return q
    plan = plan_for(q)
    page = plan.page(_number(own.get("_page"), "_page") or 1) or plan.pages[-1]
    language = _language(q, own.get("_switch") or own.get("_lang"))
    if "_switch" in own:
        trial = try_page(q, plan, page, carried, posted, action="goto", goto=page.number)
    elif "_goto" in own:
        goto = _number(own["_goto"], "_goto")
        trial = try_page(q, plan, page, carried, posted, action="goto", goto=goto)
    else:
        action = "back" if "_back" in own else "next"
        trial = try_page(q, plan, page, carried, posted, action=action)
    status = 422 if trial.errors else 200
    return _render(request, draft_id, q, language, framed, trial, status=status)


def _number(raw: str | None, name: str) -> int | None:
    return whole_number(raw, name, maximum=10_000)


ROUTES = [try_draft, answer_draft]
