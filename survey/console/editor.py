"""Console pages of the questionnaire editor: drafts built in the browser, previewed, then published.

=============================================================  =========================================
``GET  /console/drafts/new``                                   a new questionnaire: blank, a copy, a file
``POST /console/drafts``                                       start a blank draft or a copy of a version
``POST /console/drafts/import``                                start a draft from a YAML file or an XLSForm
``GET  /console/drafts/{id}``                                  the editor
``POST /console/drafts/{id}/questionnaire``                    its key, title and description
``POST /console/drafts/{id}/sections``                         add a section
``POST /console/drafts/{id}/sections/{s}``                     change, move or delete a section
``POST /console/drafts/{id}/sections/{s}/items``               add an item to a section
``GET  /console/drafts/{id}/sections/{s}/items/{j}``           one item's form, opened (htmx)
``POST /console/drafts/{id}/sections/{s}/items/{j}``           change, move or delete an item
``POST /console/drafts/{id}/scales``                           add, change or delete a Likert scale
``POST /console/drafts/{id}/calculations``                     add, change or delete a calculated value
``POST /console/drafts/{id}/outcomes``                         add, change or delete an outcome
``POST /console/drafts/{id}/undo``                             undo the last change
``POST /console/drafts/{id}/discard``                          discard the draft
``GET  /console/drafts/{id}/preview``                          the respondent pages, ``?language=``
``GET  /console/drafts/{id}/try``                              the live preview (:mod:`survey.console.answering`)
``GET  /console/drafts/{id}/publish``                          the diff against the latest version
``POST /console/drafts/{id}/publish``                          publish the next version
``GET  /console/drafts/{id}/export.yaml|.xlsx``                the draft as a forms/ file or an XLSForm
=============================================================  =========================================

Every change is one small form. Without JavaScript it is posted, saved, and the browser is sent back to the
editor at the place changed (303). With htmx the same form answers with the editor's fragment
(``console/_editor.html``), the loader's messages beside each place, in one request; an item's save
answers with that item alone and, out of band, what it can change elsewhere (``console/_editor_item.html``).
Items other than the open one are drawn as one-line summaries whose form is fetched when opened. Each form carries the
draft's revision: a change made on a stale one is refused with 409 and the draft as it now is
(:mod:`survey.editor.service`).

One module, though long: its routes share one way of reading an editor form, answering a change (the
fragment for htmx, a 303 back to the place otherwise) and rendering the editor's page context; the rules
themselves are in survey/editor (edits.py, service.py), which imports no litestar.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from survey.console import questionnaires as questionnaires_pages
from survey.console import service
from survey.console import web as console_web
from survey.console.auth import DESIGNERS, principal
from survey.console.messages import CATALOGUE, language_name
from survey.console.problems import ProblemView, problem_views
from survey.console.service import Rejected, text_in
from survey.console.web import Choice, team_name
from survey.db.drafts import Draft
from survey.editor import edits
from survey.editor import service as editor
from survey.editor.service import Stale
from survey.errors import InvalidAnswer, InvalidDefinition, NotFound
from survey.questionnaire.load import load_definition
from survey.questionnaire.model import ITEM_TYPES, SCORINGS, Item, Questionnaire
from survey.questionnaire.xlsform import definition_yaml, export_xlsform
from survey.web import request_pool
from survey.web.inputs import whole_number

__all__ = ["ROUTES"]

#: Longest text a field of the editor takes: a question's wording or a list of scale labels.
MAX_TEXT: Final = 10_000
#: The event an edit's answer raises (``HX-Trigger``) for the live preview to follow the change.
PREVIEW_STALE: Final = "preview-stale"
# The upload of a YAML file or a workbook: the XLSForm page's limit, and room for the envelope.
UPLOAD_BODY_BYTES: Final = questionnaires_pages.UPLOAD_BODY_BYTES


# -- the page's context --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextField:
    """One language of a text: the input's name and id, the language, what it holds."""

    name: str
    id: str
    code: str
    language: str
    value: str


@dataclass(frozen=True, slots=True)
class ChoiceRow:
    number: int
    value: str
    labels: tuple[TextField, ...]
    correct: bool
    properties: str = ""
    """``name = value, ...``: what an item's choice filter compares (an XLSForm's extra columns)."""


@dataclass(frozen=True, slots=True)
class ConditionField:
    """The condition builder: the conditions offered (earlier items and their answers) and what is
    written now."""

    options: tuple[Choice, ...]
    written: str


@dataclass(frozen=True, slots=True)
class ItemView:
    section: int
    number: int
    place: str
    """``s<i>.<j>``: the anchor and the key of its problems."""
    key: str
    type: str
    type_label: str
    summary: str
    texts: tuple[TextField, ...]
    hints: tuple[TextField, ...] | None
    required: bool | None
    condition: ConditionField
    choices: tuple[ChoiceRow, ...] | None
    correct: str
    """``one`` (a radio per choice), ``many`` (a checkbox per choice) or empty."""
    named_list: str | None
    scoring: tuple[Choice, ...] | None
    scales: tuple[Choice, ...] | None
    reverse: bool
    bounds: tuple[tuple[str, str], ...]
    """(name, value) of min and max, for the types that have them."""
    max_length: str | None
    problems: tuple[ProblemView, ...]
    types: tuple[Choice, ...]
    first: bool
    last: bool
    full: bool = True
    """Whether its form is drawn (the open item); the others are a summary line, opened on demand, so that
    the page and each change's answer do not grow with every item's condition builder."""
    constraint: str | None = None
    """The expression an answer must meet (None: the type has none)."""
    constraint_messages: tuple[TextField, ...] | None = None
    choice_filter: str | None = None
    """``property = item`` a line: only the choices whose property equals that earlier answer."""
    with_properties: bool = False
    """Whether each choice shows its properties: once a choice has some or the item filters its choices
    (the loader then says which property is missing), so that other items' rows stay short."""


@dataclass(frozen=True, slots=True)
class SectionView:
    number: int
    place: str
    key: str
    titles: tuple[TextField, ...]
    condition: ConditionField
    items: tuple[ItemView, ...]
    problems: tuple[ProblemView, ...]
    first: bool
    last: bool


@dataclass(frozen=True, slots=True)
class ScaleView:
    key: str
    """Empty for the form of a new scale."""
    place: str
    labels: tuple[TextField, ...]
    problems: tuple[ProblemView, ...]


@dataclass(frozen=True, slots=True)
class CalculationView:
    key: str
    """Empty for the form of a new calculation."""
    place: str
    expression: str
    problems: tuple[ProblemView, ...]


@dataclass(frozen=True, slots=True)
class OutcomeItem:
    key: str
    text: str
    ticked: bool
    reversed: bool
    likert: bool
    """Whether a scale may count it reversed (only Likert items are offered that box)."""


@dataclass(frozen=True, slots=True)
class OutcomeView:
    key: str
    """Empty for the form of a new outcome."""
    place: str
    kinds: tuple[Choice, ...]
    labels: tuple[TextField, ...]
    items: tuple[OutcomeItem, ...]
    proportion_items: tuple[Choice, ...]
    value: str
    problems: tuple[ProblemView, ...]


@dataclass(frozen=True, slots=True)
class EditorPage:
    id: int
    revision: int
    key: str
    title: str
    owner: str
    """The team, who last changed it and when, in a sentence."""
    titles: tuple[TextField, ...]
    descriptions: tuple[TextField, ...]
    sections: tuple[SectionView, ...]
    scales: tuple[ScaleView, ...]
    calculations: tuple[CalculationView, ...]
    outcomes: tuple[OutcomeView, ...]
    problems: tuple[ProblemView, ...]
    """Those of the questionnaire itself."""
    count: int
    """How many problems in all."""
    item_types: tuple[Choice, ...]
    can_undo: bool
    open: str
    """The place just changed, kept open."""
    message: str = ""
    details: tuple[ProblemView, ...] = ()
    """What the refusal in ``message`` is made of, each said as :func:`problem_views` says it."""
    conflict: bool = False
    changed: bool = False
    """An item's answer after its change (console/_editor_item.html): with what it alters elsewhere."""
    outcomes_changed: bool = True
    """Whether that change renamed the item or changed its type, so that all the outcomes' item boxes are
    drawn again (else only the item's own row in each)."""
    open_key: str = ""
    """The key of the item at :attr:`open`."""


def _fields(prefix: str, id_prefix: str, q: Questionnaire, text: dict[str, str] | None) -> tuple:
    return tuple(
        TextField(
            name=f"{prefix}.{code}",
            id=f"{id_prefix}-{code}",
            code=code,
            language=language_name(code),
            value=(text or {}).get(code, ""),
        )
        for code in q.languages
    )


def _condition_field(
    t: Callable[..., str], lang: str, q: Questionnaire, s: int, j: int | None, current: str | None
) -> ConditionField:
    options = [Choice("always", t("editor.always"), current is None)]
    for c in edits.condition_options(q, s, j):
        if c.answer is None and not c.value:
            words = t("editor.if_answered", item=c.item)
        elif c.answer is None:
            # A consent item's answers have no labels in the questionnaire: the console names them.
            words = t("editor.if_answer", item=c.item, answer=t(f"editor.consent.{c.value}"))
        else:
            words = t(
                "editor.if_answer",
                item=c.item,
                answer=text_in(c.answer, lang, q.default_language) or c.value,
            )
        options.append(Choice(c.expression, words, c.expression == current))
    if current is not None and not any(o.selected for o in options):
        options.append(Choice("", t("editor.as_written"), True))
    return ConditionField(options=tuple(options), written=current or "")


def _item_view(
    t: Callable[..., str],
    lang: str,
    q: Questionnaire,
    s: int,
    j: int,
    item: Item,
    found: dict[str, list[ProblemView]],
    last: bool,
    full: bool = True,
) -> ItemView:
    allowed = {name for name, types in edits.FIELD_TYPES.items() if item.type in types}
    place = f"s{s}.{j}"
    if not full:
        return ItemView(
            section=s,
            number=j,
            place=place,
            key=item.key,
            type=item.type,
            type_label=t(f"type.{item.type}"),
            summary=text_in(item.text, lang, q.default_language) or "",
            texts=(),
            hints=None,
            required=None,
            condition=ConditionField((), ""),
            choices=None,
            correct="",
            named_list=None,
            scoring=None,
            scales=None,
            reverse=False,
            bounds=(),
            max_length=None,
            problems=tuple(found.get(place, ())),
            types=(),
            first=False,
            last=False,
            full=False,
        )
    choices = None
    named = item.choices if isinstance(item.choices, str) else None
    if "choices" in allowed:
        try:
            listed = q.choices_for(item) if item.choices is not None else []
        except KeyError:
            listed = []
        correct = item.correct if isinstance(item.correct, list) else [item.correct]
        rows = [
            ChoiceRow(
                n,
                c.value,
                _fields(f"choice.{n}.label", f"i{s}-{j}-c{n}", q, c.label),
                c.value in correct,
                edits.pairs_text(c.properties, ", "),
            )
            for n, c in enumerate(listed)
        ]
        rows += [
            ChoiceRow(n, "", _fields(f"choice.{n}.label", f"i{s}-{j}-c{n}", q, None), False)
            for n in range(len(listed), len(listed) + edits.NEW_CHOICE_ROWS)
        ]
        choices = tuple(rows)
    return ItemView(
        section=s,
        number=j,
        place=place,
        key=item.key,
        type=item.type,
        type_label=t(f"type.{item.type}"),
        summary=text_in(item.text, lang, q.default_language) or "",
        texts=_fields("text", f"i{s}-{j}-text", q, item.text),
        hints=_fields("hint", f"i{s}-{j}-hint", q, item.hint) if "hint" in allowed else None,
        required=item.required if "required" in allowed else None,
        condition=_condition_field(t, lang, q, s, j, item.show_if),
        choices=choices,
        correct="many" if item.type == "multi" else ("one" if item.type == "choice" else ""),
        named_list=named,
        scoring=(
            tuple(Choice(v, t(f"editor.scoring.{v}"), item.scoring == v) for v in ("", *SCORINGS))
            if "scoring" in allowed
            else None
        ),
        scales=(
            tuple(Choice(k, k, item.scale == k) for k in q.likert_scales)
            if "scale" in allowed
            else None
        ),
        reverse=item.reverse,
        bounds=tuple(
            (b, "" if getattr(item, b) is None else str(getattr(item, b)))
            for b in ("min", "max")
            if b in allowed
        ),
        max_length=(
            ("" if item.max_length is None else str(item.max_length))
            if "max_length" in allowed
            else None
        ),
        problems=tuple(found.get(place, ())),
        types=tuple(Choice(k, t(f"type.{k}"), k == item.type) for k in ITEM_TYPES),
        constraint=(item.constraint or "") if "constraint" in allowed else None,
        constraint_messages=(
            _fields("constraint_message", f"i{s}-{j}-cmsg", q, item.constraint_message)
            if "constraint_message" in allowed
            else None
        ),
        choice_filter=(
            edits.pairs_text(item.choice_filter, "\n") if "choice_filter" in allowed else None
        ),
        with_properties=bool(item.choice_filter) or any(row.properties for row in (choices or ())),
        first=s == 0 and j == 0,
        last=last,
    )


def _by_place(t: Callable[..., str], problems: list[str]) -> dict[str, list[ProblemView]]:
    found: dict[str, list[ProblemView]] = {}
    for message, view in zip(problems, problem_views(t, problems), strict=True):
        found.setdefault(edits.place_of(message), []).append(view)
    return found


def _editor_page(
    request: Request, draft: Draft, *, open: str = "", message: str = "", **extra: Any
) -> EditorPage:
    t = console_web.translator(request)
    lang = console_web.language(request)
    q = draft.definition
    problems = edits.problems(q)
    found = _by_place(t, problems)
    n_sections = len(q.sections)
    sections = tuple(
        SectionView(
            number=s,
            place=f"s{s}",
            key=section.key,
            titles=_fields("title", f"s{s}-title", q, section.title),
            condition=_condition_field(t, lang, q, s, None, section.show_if),
            items=tuple(
                _item_view(
                    t,
                    lang,
                    q,
                    s,
                    j,
                    item,
                    found,
                    last=s == n_sections - 1 and j == len(section.items) - 1,
                    full=open == f"s{s}.{j}",
                )
                for j, item in enumerate(section.items)
            ),
            problems=tuple(found.get(f"s{s}", ())),
            first=s == 0,
            last=s == n_sections - 1,
        )
        for s, section in enumerate(q.sections)
    )
    scales = tuple(
        ScaleView(
            key=key,
            place=f"likert_scales.{key}",
            labels=tuple(
                TextField(
                    f"labels.{code}",
                    f"scale-{n}-{code}",
                    code,
                    language_name(code),
                    "\n".join(scale.labels.get(code, [])),
                )
                for code in q.languages
            ),
            problems=tuple(found.get(f"likert_scales.{key}", ())),
        )
        for n, (key, scale) in enumerate(q.likert_scales.items())
    )
    new_scale = ScaleView(
        key="",
        place="likert_scales.",
        labels=tuple(
            TextField(
                f"labels.{code}",
                f"scale-new-{code}",
                code,
                language_name(code),
                CATALOGUE.translate("editor.agree5", code) if code in ("mn", "en") else "",
            )
            for code in q.languages
        ),
        problems=(),
    )
    outcomes = tuple(_outcome_view(t, lang, q, key, found) for key in [*q.outcomes, ""])
    calculations = tuple(
        CalculationView(
            key=key,
            place=f"calculations.{key}",
            expression=expression,
            problems=tuple(found.get(f"calculations.{key}", ())) if key else (),
        )
        for key, expression in [*q.calculations.items(), ("", "")]
    )
    return EditorPage(
        id=draft.id,
        revision=draft.revision,
        key=q.key,
        title=text_in(q.title, lang, q.default_language) or q.key,
        owner=t(
            "editor.owner",
            team=team_name(t, draft.team, draft.team_name),
            who=draft.updated_by or "–",
            when=draft.updated_at.strftime("%Y-%m-%d %H:%M"),
        ),
        titles=_fields("title", "q-title", q, q.title),
        descriptions=_fields("description", "q-description", q, q.description),
        sections=sections,
        scales=(*scales, new_scale),
        calculations=calculations,
        outcomes=outcomes,
        problems=tuple(found.get("", ())),
        count=len(problems),
        item_types=tuple(Choice(k, t(f"type.{k}")) for k in ITEM_TYPES),
        can_undo=draft.can_undo,
        open=open,
        message=message,
        **extra,
    )


def _outcome_view(
    t: Callable[..., str],
    lang: str,
    q: Questionnaire,
    key: str,
    found: dict[str, list[ProblemView]],
) -> OutcomeView:
    outcome = q.outcomes.get(key)
    kind = outcome.kind if outcome is not None else "score"
    ticked = set(outcome.items or []) if outcome is not None else set()
    reverse = set(outcome.reverse or []) if outcome is not None else set()
    answerable = [i for i in q.items() if i.answerable and i.key]
    return OutcomeView(
        key=key,
        place=f"outcomes.{key}",
        kinds=tuple(Choice(k, t(f"editor.kind.{k}"), k == kind) for k in edits.OUTCOME_KINDS),
        labels=_fields("label", f"o-{key or 'new'}-label", q, outcome.label if outcome else None),
        items=tuple(
            OutcomeItem(
                i.key,
                text_in(i.text, lang, q.default_language) or "",
                i.key in ticked,
                i.key in reverse,
                i.type == "likert",
            )
            for i in answerable
        ),
        proportion_items=tuple(
            Choice(i.key, i.key, outcome is not None and outcome.item == i.key) for i in answerable
        ),
        value=(", ".join(outcome.value) if isinstance(outcome.value, list) else outcome.value or "")
        if outcome is not None
        else "",
        problems=tuple(found.get(f"outcomes.{key}", ())) if key else (),
    )


# -- rendering a change --------------------------------------------------------------------------------


def _render(request: HTMXRequest, context: EditorPage, status: int = 200) -> Template:
    if request.htmx:
        answer = console_web.fragment(request, "_editor.html", context, status=status)
        # A refusal's message stands at the editor's top, often far above the form that was sent:
        # brought into view, or the researcher sees nothing happen.
        swap = "outerHTML show:top" if context.message else "outerHTML"
        if request.htmx.target not in (None, "editor"):
            # A form of one item asked for that item back; this change (a move, a refusal, a stale
            # revision) needs the whole editor instead.
            answer.headers.update({"HX-Retarget": "#editor", "HX-Reswap": swap})
        elif context.message:
            answer.headers["HX-Reswap"] = swap
        return answer
    return console_web.page(
        request, "editor.html", context, section="questionnaires", status=status
    )


def _item_answer(
    request: HTMXRequest, draft: Draft, place: str, *, changed: bool, outcomes_changed: bool = True
) -> Template:
    """One item's form alone (console/_editor_item.html): opened, or saved (``changed``), with what the
    change alters elsewhere swapped out of band."""
    s, j = (int(n) for n in place[1:].split("."))
    context = _editor_page(
        request,
        draft,
        open=place,
        changed=changed,
        outcomes_changed=outcomes_changed,
        open_key=draft.definition.sections[s].items[j].key,
    )
    return console_web.fragment(request, "_editor_item.html", context)


async def _answer(
    request: HTMXRequest,
    draft_id: int,
    outcome: Draft | Stale | Rejected,
    place: str,
    *,
    before: Item | None = None,
) -> Response:
    if isinstance(outcome, Draft):
        if request.htmx and place and request.htmx.target == place:
            answer = _item_answer(
                request,
                outcome,
                place,
                changed=True,
                outcomes_changed=_renamed(outcome, place, before),
            )
            answer.headers["HX-Trigger"] = PREVIEW_STALE
            return answer
        if request.htmx:
            answer = _render(request, _editor_page(request, outcome, open=place))
            # The live preview beside the editor (console.js) sends its page again.
            answer.headers["HX-Trigger"] = PREVIEW_STALE
            return answer
        # Without JavaScript the browser comes back to the place changed, opened.
        where = f"?{urlencode({'open': place})}#{place}" if place else ""
        return Redirect(f"/console/drafts/{draft_id}{where}", status_code=303)
    t = console_web.translator(request)
    if isinstance(outcome, Stale):
        if outcome.draft is None:
            raise NotFound(f"draft {draft_id} was discarded")
        message = t("editor.stale", who=outcome.draft.updated_by or "–")
        context = _editor_page(request, outcome.draft, message=message, conflict=True)
        return _render(request, context, 409)
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    context = _editor_page(
        request,
        draft,
        open=place,
        message=console_web.refusal(request, outcome),
        details=problem_views(console_web.translator(request), outcome.details),
    )
    return _render(request, context, outcome.status)


async def _form(request: Request) -> dict[str, str]:
    """The editor's form fields, texts allowed up to :data:`MAX_TEXT` characters."""
    form = await request.form()
    longer = {
        name: MAX_TEXT
        for name in form
        if name.startswith(
            ("text.", "hint.", "description.", "labels.", "title.", "constraint_message.")
        )
        or (name.startswith("choice.") and ".label." in name)
    }
    return await console_web.read_form(request, **longer)


def _revision(form: dict[str, str]) -> int | None:
    """The revision the form was drawn on; None when it names none (refused once the draft is found, so
    that a draft of another team answers 404 whatever the form)."""
    try:
        return whole_number(form.get("revision"), "revision")
    except InvalidAnswer:
        return None


async def _change(
    request: HTMXRequest, draft_id: int, edit: editor.Edit, place: str, form: dict[str, str]
) -> Response:
    revision = _revision(form)
    seen: list[Item] = []

    def noting(q: Questionnaire) -> Questionnaire:
        # The item as it was, to tell whether the change renamed or reworded it.
        if place.count(".") == 1 and place.startswith("s"):
            s, j = (int(n) for n in place[1:].split("."))
            if s < len(q.sections) and j < len(q.sections[s].items):
                seen.append(q.sections[s].items[j])
        return edit(q)

    async with request_pool(request).acquire() as conn:
        outcome = await editor.change(conn, principal(request), draft_id, revision, noting)
    return await _answer(request, draft_id, outcome, place, before=seen[-1] if seen else None)


def _renamed(draft: Draft, place: str, before: Item | None) -> bool:
    """Whether the item at ``place`` has another key or type than before the change (its row in the
    outcomes then changes its name, or comes or goes: a note has none)."""
    s, j = (int(n) for n in place[1:].split("."))
    after = draft.definition.sections[s].items[j]
    return before is None or (before.key, before.type) != (after.key, after.type)


def _step(action: str) -> int:
    return -1 if action == "up" else 1


# -- new drafts ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewPage:
    teams: tuple[Choice, ...]
    published: tuple[Choice, ...]
    """The published questionnaires the account may copy (key, its title)."""
    key: str = ""
    titles: tuple[TextField, ...] = ()
    error: str = ""
    details: tuple[ProblemView, ...] = ()
    max_mb: int = questionnaires_pages.MAX_UPLOAD_BYTES // 1_000_000


async def _new_page(
    request: Request,
    *,
    error: str = "",
    details: tuple[str, ...] = (),
    status: int = 200,
    form: dict[str, str] | None = None,
) -> Template:
    t = console_web.translator(request)
    lang = console_web.language(request)
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        found = await service.questionnaires(conn, who)
    form = form or {}
    blank = edits.blank("", {}, ["mn", "en"])
    context = NewPage(
        teams=tuple(
            Choice(m.team, team_name(t, m.team, m.name), m.team == form.get("team"))
            for m in service.designer_teams(who)
        ),
        published=tuple(
            Choice(
                q.key,
                f"{q.key} · {text_in(q.title, lang, lang) or ''}",
                q.key == form.get("source"),
            )
            for q in found
        ),
        key=form.get("key", ""),
        titles=_fields(
            "title", "new-title", blank, {c: form.get(f"title.{c}", "") for c in ("mn", "en")}
        ),
        error=error,
        details=problem_views(t, details),
    )
    return console_web.page(
        request, "draft_new.html", context, section="questionnaires", status=status
    )


@get("/console/drafts/new", opt={"roles": DESIGNERS})
async def new_draft_page(request: Request) -> Template:
    """Start a questionnaire: blank, a copy of a published one, or from a YAML file or an XLSForm."""
    return await _new_page(request)


@post("/console/drafts", opt={"roles": DESIGNERS})
async def create_draft(request: Request) -> Response:
    """A blank draft (``how=blank``: key and title) or a copy of a published version (``how=copy``:
    ``source``, and a new ``key`` when it should become another questionnaire)."""
    form = await _form(request)
    who = principal(request)
    how = form.get("how", "blank")
    key = form.get("key", "").strip()
    async with request_pool(request).acquire() as conn:
        if how == "copy":
            source = form.get("source", "").strip()
            if not source:
                outcome: int | Rejected = Rejected("draft_source_missing")
            else:
                found = await service.questionnaire_for(conn, who, source)
                definition = found.definition
                if key and key != definition.key:
                    definition = edits.edit_questionnaire(
                        definition,
                        {"key": key, **_texts_of(definition)},
                    )
                outcome = await editor.start_draft(conn, who, form.get("team", ""), definition)
        else:
            title = {c: form.get(f"title.{c}", "") for c in ("mn", "en")}
            outcome = await editor.start_draft(
                conn, who, form.get("team", ""), edits.blank(key, title, ["mn", "en"])
            )
    if isinstance(outcome, Rejected):
        return await _new_page(
            request, error=console_web.refusal(request, outcome), status=outcome.status, form=form
        )
    return Redirect(f"/console/drafts/{outcome}", status_code=303)


def _texts_of(q: Questionnaire) -> dict[str, str]:
    texts = {f"title.{c}": v for c, v in q.title.items()}
    texts.update({f"description.{c}": v for c, v in (q.description or {}).items()})
    return texts


@post(
    "/console/drafts/import",
    opt={"roles": DESIGNERS},
    request_max_body_size=UPLOAD_BODY_BYTES,
    exception_handlers=questionnaires_pages.UPLOAD_ERROR_HANDLERS,
)
async def import_draft(request: Request) -> Response:
    """A draft from an uploaded ``forms/`` YAML file or an XLSForm workbook, through the same loader and
    importer as ``survey forms check`` and ``survey forms import-xlsform``."""
    try:
        form = await request.form()
        upload = form.get("file")
        team = form.get("team")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _new_page(
                request, error=console_web.refusal(request, Rejected("upload_missing")), status=400
            )
        source = upload.filename.replace("\\", "/").rsplit("/", 1)[-1] or "upload"
        data = await upload.read()
    finally:
        questionnaires_pages.close_uploads(request)
    outcome = await _imported(data, source)
    if isinstance(outcome, Rejected):
        return await _new_page(
            request,
            error=console_web.refusal(request, outcome),
            details=outcome.details,
            status=outcome.status,
        )
    async with request_pool(request).acquire() as conn:
        started = await editor.start_draft(
            conn, principal(request), team if isinstance(team, str) else "", outcome
        )
    if isinstance(started, Rejected):
        return await _new_page(
            request, error=console_web.refusal(request, started), status=started.status
        )
    return Redirect(f"/console/drafts/{started}", status_code=303)


async def _imported(data: bytes, source: str) -> Questionnaire | Rejected:
    if source.lower().endswith((".yaml", ".yml")):
        if not data:
            return Rejected("upload_empty", params={"name": source})
        try:
            return await asyncio.to_thread(load_definition, data, source=source)
        except InvalidDefinition as exc:
            # The file is named in the refusal; each problem keeps its code, to be said in the
            # reader's language.
            return Rejected("import_failed", params={"name": source}, details=tuple(exc.errors))
    outcome = await service.import_workbook(
        data, source=source, language=None, max_bytes=questionnaires_pages.MAX_UPLOAD_BYTES
    )
    return outcome if isinstance(outcome, Rejected) else outcome.questionnaire


# -- the editor ----------------------------------------------------------------------------------------


@get("/console/drafts/{draft_id:int}", opt={"roles": DESIGNERS})
async def editor_page(request: HTMXRequest, draft_id: FromPath[int]) -> Template:
    """The draft in the editor, with what still keeps it from being published beside each place; the
    place ``?open=`` (where a change without JavaScript comes back to) opened."""
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    opened = request.query_params.get("open", "")[:40]
    return _render(request, _editor_page(request, draft, open=opened))


@get(
    "/console/drafts/{draft_id:int}/sections/{section:int}/items/{item:int}",
    opt={"roles": DESIGNERS},
)
async def item_form(
    request: HTMXRequest, draft_id: FromPath[int], section: FromPath[int], item: FromPath[int]
) -> Response:
    """One item's form, fetched when its summary is opened (htmx); without htmx, the editor with the item
    open."""
    place = f"s{section}.{item}"
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    sections = draft.definition.sections
    if section >= len(sections) or item >= len(sections[section].items):
        raise NotFound(f"draft {draft_id} has no item {item} in section {section}")
    if not request.htmx:
        return Redirect(f"/console/drafts/{draft_id}?{urlencode({'open': place})}#{place}")
    return _item_answer(request, draft, place, changed=False)


#: What a condition builder's id looks like (``i2-3-cond``, ``s1-cond``): sent back by the page, checked.
_FIELD_ID: Final = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_CONDITION_PLACE: Final = re.compile(r"^s(\d{1,4})(?:\.(\d{1,4}))?$")


@dataclass(frozen=True, slots=True)
class ConditionAnswer:
    id: int
    place: str
    field: str
    condition: ConditionField


@get("/console/drafts/{draft_id:int}/condition", opt={"roles": DESIGNERS})
async def condition_list(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """The condition builder of an open item or section (``?place=s1.2``), offering the conditions of the
    draft as it is now; what is picked and written in it (sent along) stays. An open form fetches it
    after every change of the draft (htmx); 204 when the place is gone (moved or deleted meanwhile)."""
    query = request.query_params
    place, field = query.get("place", ""), query.get("field", "")
    found = _CONDITION_PLACE.match(place)
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    if not request.htmx:
        where = f"?{urlencode({'open': place})}#{place}" if found else ""
        return Redirect(f"/console/drafts/{draft_id}{where}")
    if found is None or not _FIELD_ID.match(field):
        raise InvalidAnswer("place and field name an item or a section of the draft")
    q = draft.definition
    s, j = int(found.group(1)), None if found.group(2) is None else int(found.group(2))
    if s >= len(q.sections) or (j is not None and j >= len(q.sections[s].items)):
        return Response(content=b"", status_code=204)
    saved = q.sections[s].show_if if j is None else q.sections[s].items[j].show_if
    sent = {
        name: query.get(name, "")[:MAX_TEXT] for name in ("condition", "show_if", "show_if_was")
    }
    current = edits.chosen_condition(sent, saved) if "show_if" in query else saved
    t = console_web.translator(request)
    builder = _condition_field(t, console_web.language(request), q, s, j, current)
    return console_web.fragment(
        request, "_editor_condition.html", ConditionAnswer(draft_id, place, field, builder)
    )


@post("/console/drafts/{draft_id:int}/questionnaire", opt={"roles": DESIGNERS})
async def edit_questionnaire(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """Change the questionnaire's key, title and description."""
    form = await _form(request)
    return await _change(
        request, draft_id, lambda q: edits.edit_questionnaire(q, form), "texts", form
    )


@post("/console/drafts/{draft_id:int}/sections", opt={"roles": DESIGNERS})
async def add_section(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """Add an empty section at the end."""
    form = await _form(request)
    return await _change(request, draft_id, edits.add_section, "sections-end", form)


@post("/console/drafts/{draft_id:int}/sections/{section:int}", opt={"roles": DESIGNERS})
async def edit_section(
    request: HTMXRequest, draft_id: FromPath[int], section: FromPath[int]
) -> Response:
    """Save (``action=save``), move (``up``, ``down``) or delete (``delete``) a section."""
    form = await _form(request)
    action = form.get("action", "save")
    if action in ("up", "down"):
        edit: editor.Edit = lambda q: edits.move_section(q, section, _step(action))  # noqa: E731
        place = f"s{max(0, section + _step(action))}"
    elif action == "delete":
        edit, place = (lambda q: edits.delete_section(q, section)), ""
    else:
        edit, place = (lambda q: edits.edit_section(q, section, form)), f"s{section}"
    return await _change(request, draft_id, edit, place, form)


@post("/console/drafts/{draft_id:int}/sections/{section:int}/items", opt={"roles": DESIGNERS})
async def add_item(
    request: HTMXRequest, draft_id: FromPath[int], section: FromPath[int]
) -> Response:
    """Add an item of the chosen ``type`` at the end of the section."""
    form = await _form(request)
    item_type = form.get("type", "")

    def edit(q: Questionnaire) -> Questionnaire:
        return edits.add_item(q, section, item_type)

    place = f"s{section}.new"
    async with request_pool(request).acquire() as conn:
        outcome = await editor.change(conn, principal(request), draft_id, _revision(form), edit)
    if isinstance(outcome, Draft) and section < len(outcome.definition.sections):
        place = f"s{section}.{len(outcome.definition.sections[section].items) - 1}"
    return await _answer(request, draft_id, outcome, place)


@post(
    "/console/drafts/{draft_id:int}/sections/{section:int}/items/{item:int}",
    opt={"roles": DESIGNERS},
)
async def edit_item(
    request: HTMXRequest, draft_id: FromPath[int], section: FromPath[int], item: FromPath[int]
) -> Response:
    """Save (``action=save``), move (``up``, ``down``) or delete (``delete``) an item."""
    form = await _form(request)
    action = form.get("action", "save")
    if action in ("up", "down"):
        edit: editor.Edit = lambda q: edits.move_item(q, section, item, _step(action))  # noqa: E731
        place = ""
    elif action == "delete":
        edit, place = (lambda q: edits.delete_item(q, section, item)), f"s{section}"
    else:
        edit, place = (lambda q: edits.edit_item(q, section, item, form)), f"s{section}.{item}"
    return await _change(request, draft_id, edit, place, form)


@post("/console/drafts/{draft_id:int}/scales", opt={"roles": DESIGNERS})
async def edit_scale(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """Add a Likert scale (no ``old``), change the scale ``old``, or delete it (``action=delete``)."""
    form = await _form(request)
    old = form.get("old") or None
    if form.get("action") == "delete" and old is not None:
        edit: editor.Edit = lambda q: edits.delete_scale(q, old)  # noqa: E731
    else:
        edit = lambda q: edits.set_scale(q, old, form)  # noqa: E731
    return await _change(request, draft_id, edit, "scales", form)


@post("/console/drafts/{draft_id:int}/calculations", opt={"roles": DESIGNERS})
async def edit_calculation(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """Add a calculated value (no ``old``), change the calculation ``old``, or delete it
    (``action=delete``)."""
    form = await _form(request)
    old = form.get("old") or None
    if form.get("action") == "delete" and old is not None:
        edit: editor.Edit = lambda q: edits.delete_calculation(q, old)  # noqa: E731
    else:
        edit = lambda q: edits.set_calculation(q, old, form)  # noqa: E731
    return await _change(request, draft_id, edit, "calculations", form)


@post("/console/drafts/{draft_id:int}/outcomes", opt={"roles": DESIGNERS})
async def edit_outcome(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """Add an outcome (no ``old``), change the outcome ``old``, or delete it (``action=delete``)."""
    form = await _form(request)
    old = form.get("old") or None
    if form.get("action") == "delete" and old is not None:
        edit: editor.Edit = lambda q: edits.delete_outcome(q, old)  # noqa: E731
    else:
        edit = lambda q: edits.set_outcome(q, old, form)  # noqa: E731
    return await _change(request, draft_id, edit, "outcomes", form)


@post("/console/drafts/{draft_id:int}/undo", opt={"roles": DESIGNERS})
async def undo(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """Put back the draft as it was before its last change."""
    form = await _form(request)
    async with request_pool(request).acquire() as conn:
        outcome = await editor.undo(conn, principal(request), draft_id, _revision(form))
    return await _answer(request, draft_id, outcome, "")


@post("/console/drafts/{draft_id:int}/discard", opt={"roles": DESIGNERS})
async def discard(request: HTMXRequest, draft_id: FromPath[int]) -> Response:
    """Delete the draft (published versions stay as they are)."""
    form = await _form(request)
    async with request_pool(request).acquire() as conn:
        stale = await editor.discard(conn, principal(request), draft_id, _revision(form))
    if stale is None:
        return Redirect("/console/questionnaires", status_code=303)
    return await _answer(request, draft_id, stale, "")


# -- preview, publish, export --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProblemsPage:
    """What a page shows in place of the preview or the publish form while the draft breaks rules."""

    id: int
    key: str
    heading: str
    problems: tuple[ProblemView, ...]


def _blocked(request: Request, draft: Draft, heading: str, problems: list[str]) -> Template:
    said = problem_views(console_web.translator(request), problems)
    context = ProblemsPage(draft.id, draft.definition.key, heading, said)
    return console_web.page(
        request, "draft_problems.html", context, section="questionnaires", status=409
    )


@get("/console/drafts/{draft_id:int}/preview", opt={"roles": DESIGNERS})
async def preview(request: Request, draft_id: FromPath[int]) -> Template:
    """The draft page by page as respondents will see it, in the language ``?language=``."""
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    t = console_web.translator(request)
    try:
        q = edits.publishable(draft.definition)
    except InvalidDefinition as exc:
        return _blocked(request, draft, t("editor.preview_blocked"), exc.errors)
    language = request.query_params.get("language") or q.default_language
    if language not in q.languages:
        raise NotFound(f'the draft has no "{language}" text (it has {", ".join(q.languages)})')
    context = questionnaires_pages.preview_of(
        t, q, language, base=f"/console/drafts/{draft.id}/preview", draft=draft.id
    )
    return console_web.page(request, "preview.html", context, section="questionnaires")


@dataclass(frozen=True, slots=True)
class PublishRow:
    row: Any
    """A row of the console's diff table (:class:`survey.console.questionnaires.DiffRow`)."""
    decidable: bool
    """A changed item whose change may be marked equivalent."""
    equivalent: bool
    effect: str
    """What the change does to pre/post comparisons, in a sentence."""


@dataclass(frozen=True, slots=True)
class PublishPage:
    id: int
    revision: int
    key: str
    previous: int | None
    rows: tuple[PublishRow, ...]
    other: tuple[str, ...]
    new: bool
    foreign: bool
    error: str = ""
    details: tuple[ProblemView, ...] = ()


async def _publish_page(
    request: Request,
    draft: Draft,
    *,
    error: str = "",
    details: tuple[str, ...] = (),
    status: int = 200,
) -> Template:
    t = console_web.translator(request)
    async with request_pool(request).acquire() as conn:
        found = await editor.verdict(conn, principal(request), draft)
    if found.problems:
        return _blocked(request, draft, t("editor.publish_blocked"), list(found.problems))
    rows: list[PublishRow] = []
    other: tuple[str, ...] = ()
    if found.diff is not None and found.previous is not None:
        comparison = service.Comparison(
            key=draft.definition.key,
            a=found.previous.version,
            b=found.previous.version + 1,
            versions=(),
            diff=found.diff,
        )
        table = questionnaires_pages.diff_rows(t, comparison)
        decidable = {c.key: c for c in found.diff.changed if c.breaking or c.equivalent}
        for row in table.rows:
            change = decidable.get(row.key)
            if change is None:
                effect = ""
            elif change.equivalent:
                effect = t("publish.equivalent_effect", key=row.key)
            else:
                effect = t("publish.breaking_effect", key=row.key)
            if row.change == "removed":
                effect = t("publish.removed_effect", key=row.key)
            rows.append(
                PublishRow(row, change is not None, bool(change and change.equivalent), effect)
            )
        other = table.other
    context = PublishPage(
        id=draft.id,
        revision=draft.revision,
        key=draft.definition.key,
        previous=found.previous.version if found.previous else None,
        rows=tuple(rows),
        other=other,
        new=found.previous is None,
        foreign=found.foreign,
        error=error,
        details=problem_views(t, details),
    )
    return console_web.page(
        request, "draft_publish.html", context, section="questionnaires", status=status
    )


@get("/console/drafts/{draft_id:int}/publish", opt={"roles": DESIGNERS})
async def publish_page(request: Request, draft_id: FromPath[int]) -> Template:
    """What publishing would change: each item's change, breaking or not, and what that does to pre/post
    comparisons, with a box to mark a change equivalent."""
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    return await _publish_page(request, draft)


@post("/console/drafts/{draft_id:int}/publish", opt={"roles": DESIGNERS})
async def publish(request: Request, draft_id: FromPath[int]) -> Response:
    """Publish the draft as the next version, with the changes ticked marked equivalent; the draft stays
    for the version after."""
    form = await _form(request)
    revision = _revision(form)
    listed = [name[len("listed.") :] for name in form if name.startswith("listed.")]
    decided = {key: form.get(f"equivalent.{key}") == "on" for key in listed}
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        ready = await editor.ready_to_publish(conn, who, draft_id, revision, decided)
        if isinstance(ready, tuple):
            draft, definition = ready
            outcome = await service.publish_definition(
                conn,
                who,
                definition_yaml(definition),
                team=draft.team,
                shared=form.get("shared") == "on",
            )
        else:
            outcome = ready
        current = await editor.draft_for(conn, who, draft_id)
    t = console_web.translator(request)
    if isinstance(outcome, Stale):
        return await _publish_page(
            request, current, error=t("editor.stale", who=current.updated_by or "–"), status=409
        )
    if isinstance(outcome, Rejected):
        return await _publish_page(
            request,
            current,
            error=console_web.refusal(request, outcome),
            details=outcome.details,
            status=outcome.status,
        )
    _, result = outcome
    return Redirect(f"/console/questionnaires/{result.key}", status_code=303)


@get("/console/drafts/{draft_id:int}/export.yaml", opt={"roles": DESIGNERS})
async def export_yaml(request: Request, draft_id: FromPath[int]) -> Response:
    """The draft as a ``forms/KEY.yaml`` file (as the loader completes it when it is publishable; as it
    stands otherwise, for fixing by hand)."""
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    try:
        q = edits.publishable(draft.definition)
    except InvalidDefinition:
        q = draft.definition
    key = q.key or f"draft-{draft.id}"
    return Response(
        definition_yaml(q).encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{_file_name(key)}.yaml"'},
    )


@get("/console/drafts/{draft_id:int}/export.xlsx", opt={"roles": DESIGNERS})
async def export_xlsx(request: Request, draft_id: FromPath[int]) -> Response:
    """The draft as an XLSForm workbook, once it is publishable."""
    async with request_pool(request).acquire() as conn:
        draft = await editor.draft_for(conn, principal(request), draft_id)
    try:
        q = edits.publishable(draft.definition)
    except InvalidDefinition as exc:
        t = console_web.translator(request)
        return _blocked(request, draft, t("editor.export_blocked"), exc.errors)
    data, _ = await asyncio.to_thread(export_xlsform, q)
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": f'attachment; filename="{_file_name(q.key)}.xlsx"'},
    )


def _file_name(key: str) -> str:
    # A key the loader accepts is already safe in a header; a draft's may not be yet.
    return "".join(c for c in key if c.isascii() and (c.isalnum() or c in "-_")) or "draft"


ROUTES = [
    new_draft_page,
    create_draft,
    import_draft,
    editor_page,
    item_form,
    condition_list,
    edit_questionnaire,
    add_section,
    edit_section,
    add_item,
    edit_item,
    edit_scale,
    edit_calculation,
    edit_outcome,
    undo,
    discard,
    preview,
    publish_page,
    publish,
    export_yaml,
    export_xlsx,
]
