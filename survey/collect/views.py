"""The typed context of every respondent template: one :class:`PageView` per page rendered.

Templates only lay out what is decided here: which control each question gets, its label, hint, error,
the ids that tie them together (``aria-describedby``), and every interface string, already translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from survey.collect.answers import FieldError, display_values
from survey.collect.messages import language_name, translate
from survey.questionnaire.computed import offered_choices, pipe
from survey.questionnaire.model import Item, Questionnaire
from survey.questionnaire.paging import Page, Plan

__all__ = [
    "RADIO_LIMIT",
    "FieldView",
    "FormView",
    "LanguageLink",
    "MessageView",
    "Option",
    "PageView",
    "build_form",
    "build_page",
]

#: A one-answer question with more choices than this is a drop-down list rather than radio buttons:
#: 21 aimags and the capital as radio buttons would fill four phone screens.
RADIO_LIMIT = 12

#: htmx settings (read by htmx from a <meta> tag): keep no page snapshots in the browser's storage (they
#: would hold answers on a shared phone; going back reloads the page from the server instead), inject no
#: inline style, and swap error answers (4xx) into the page too, so that messages reach the respondent.
HTMX_CONFIG = (
    '{"historyCacheSize":0,"refreshOnHistoryMiss":true,"includeIndicatorStyles":false,'
    '"allowEval":false,"responseHandling":[{"code":"204","swap":false},'
    '{"code":"[234]..","swap":true},{"code":".*","swap":false,"error":true}]}'
)


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True, slots=True)
class FieldView:
    """One question (or note) as the template lays it out.

    ``control`` is ``radio``, ``checkbox``, ``select``, ``input``, ``textarea`` or ``note``; ``target``
    is the id the error summary links to (the input, or the first option of a group).
    """

    key: str
    control: str
    label: str
    hint: str | None
    required: bool
    error: str | None
    target: str
    options: tuple[Option, ...] = ()
    value: str = ""
    input_type: str = "text"
    inputmode: str | None = None
    maxlength: int | None = None
    minimum: str | None = None
    maximum: str | None = None
    code_saved: bool = False
    horizontal: bool = False

    @property
    def hint_id(self) -> str:
        return f"q-{self.key}-hint"

    @property
    def error_id(self) -> str:
        return f"q-{self.key}-error"

    @property
    def describedby(self) -> str:
        ids = []
        if self.hint or self.code_saved:
            ids.append(self.hint_id)
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def group(self) -> bool:
        """True for a fieldset of radio buttons or checkboxes."""
        return self.control in ("radio", "checkbox")


@dataclass(frozen=True, slots=True)
class ErrorLink:
    target: str
    label: str
    message: str


@dataclass(frozen=True, slots=True)
class FormView:
    """The form area of a page: swapped as a whole by htmx."""

    action: str
    response_id: str
    language: str
    section_title: str | None
    current: int
    total: int
    fields: tuple[FieldView, ...]
    errors: tuple[ErrorLink, ...]
    back: bool
    """Whether the page has a Back button: it sends the page as a draft, then shows the page before."""
    last: bool
    intro: str | None = None
    privacy: bool = False
    form_id: str = ""
    """An id for the form, so that buttons outside it can send it (the console's preview page picker)."""
    hidden: tuple[tuple[str, str], ...] = ()
    """More hidden fields (name, value) the form carries: the console's preview carries the answers of
    the other pages in them, since it stores nothing."""


@dataclass(frozen=True, slots=True)
class MessageView:
    """An end or refusal page: a title and a few paragraphs, optionally a link or a restart button."""

    title: str
    paragraphs: tuple[str, ...]
    link: str | None = None
    link_label: str | None = None
    restart_action: str | None = None
    restart_response_id: str | None = None
    alert: bool = False


@dataclass(frozen=True, slots=True)
class LanguageLink:
    code: str
    name: str
    current: bool


@dataclass(frozen=True, slots=True)
class PageView:
    """The one context object of every respondent template."""

    lang: str
    title: str
    languages: tuple[LanguageLink, ...] = ()
    form: FormView | None = None
    message: MessageView | None = None
    htmx_config: str = HTMX_CONFIG
    t: Callable[..., str] = field(default=translate)

    @property
    def document_title(self) -> str:
        heading = self.message.title if self.message else None
        return f"{heading} · {self.title}" if heading and self.title else (heading or self.title)


def _text(texts: Mapping[str, str] | None, lang: str, default: str) -> str | None:
    if texts is None:
        return None
    return texts.get(lang) or texts.get(default) or next(iter(texts.values()), None)


def _field(
    q: Questionnaire,
    item: Item,
    lang: str,
    values: Sequence[str],
    error: FieldError | None,
    code_saved: bool,
    answers: Mapping[str, object] | None = None,
) -> FieldView:
    """One question as the template lays it out.

    With ``answers`` (the respondent's), ``${key}`` in its texts shows those answers and a filtered
    list offers the matching choices; without (the console's preview), texts are shown as written and
    every choice is offered, so that a researcher sees what the respondent may see.
    """

    def t(key: str) -> str:
        return translate(key, lang)

    # ${key} shows an answer from an earlier page (paging keeps it so) or a calculated value.
    label = _text(item.text, lang, q.default_language) or item.key
    hint = _text(item.hint, lang, q.default_language)
    if answers is not None:
        label = pipe(q, label, answers, lang)
        hint = pipe(q, hint, answers, lang) if hint else hint
    message = error.message(lang) if error else None
    base = {
        "key": item.key,
        "label": label,
        "hint": hint,
        "required": item.required,
        "error": message,
    }
    chosen = set(values)
    if item.type == "note":
        return FieldView(control="note", target=f"q-{item.key}", **base)
    if item.type in ("choice", "multi", "likert", "consent"):
        if item.type == "likert":
            scale = q.scale_for(item)
            labels = scale.labels.get(lang) or scale.labels[q.default_language]
            pairs = [(str(i), text) for i, text in enumerate(labels, start=1)]
        elif item.type == "consent":
            pairs = [("yes", t("consent_yes")), ("no", t("consent_no"))]
        else:
            pairs = [
                (c.value, _text(c.label, lang, q.default_language) or c.value)
                for c in (
                    offered_choices(q, item, answers)
                    if answers is not None
                    else q.choices_for(item)
                )
            ]
        options = tuple(
            Option(value, text, f"q-{item.key}-{i}", value in chosen)
            for i, (value, text) in enumerate(pairs)
        )
        if item.type == "multi":
            hint = hint or t("multi_hint")
            base["hint"] = hint
            return FieldView(control="checkbox", target=options[0].id, options=options, **base)
        if item.type == "choice" and len(options) > RADIO_LIMIT:
            return FieldView(control="select", target=f"q-{item.key}", options=options, **base)
        return FieldView(
            control="radio",
            target=options[0].id,
            options=options,
            horizontal=item.type == "likert" and len(options) <= 5,
            **base,
        )
    value = values[0] if values else ""
    if item.type == "text" and (item.max_length or 500) > 120:
        return FieldView(
            control="textarea",
            target=f"q-{item.key}",
            value=value,
            maxlength=item.max_length,
            **base,
        )
    extra: dict[str, object] = {}
    if item.type == "integer":
        extra = {"inputmode": "numeric"}
    elif item.type == "decimal":
        extra = {"inputmode": "decimal"}
    elif item.type == "date":
        extra = {
            "input_type": "date",
            "minimum": str(item.min) if item.min is not None else None,
            "maximum": str(item.max) if item.max is not None else None,
        }
        if not hint:
            base["hint"] = t("date_hint")
    elif item.type in ("text", "panel_code"):
        extra = {"maxlength": item.max_length}
    return FieldView(
        control="input",
        target=f"q-{item.key}",
        value=value,
        code_saved=code_saved,
        **base,
        **extra,  # type: ignore[arg-type]
    )


def build_form(
    *,
    q: Questionnaire,
    plan: Plan,
    page: Page,
    lang: str,
    token: str,
    response_id: str,
    answers: Mapping[str, object],
    typed: Mapping[str, Sequence[str]] | None = None,
    errors: Mapping[str, FieldError] | None = None,
    intro: bool = False,
) -> FormView:
    """The form area of ``page``, showing ``typed`` values where given, else the saved ``answers``."""
    typed = typed or {}
    errors = errors or {}
    fields = []
    for item in plan.visible_items(page, answers):
        if item.key in typed:
            values = list(typed[item.key])
        else:
            values = display_values(item, answers.get(item.key))
        code_saved = item.type == "panel_code" and isinstance(answers.get(item.key), str)
        fields.append(_field(q, item, lang, values, errors.get(item.key), code_saved, answers))
    current, total, last = plan.progress(page, answers)
    previous = plan.previous_page(page, answers)
    base = f"/r/{token}"
    return FormView(
        action=f"{base}/p/{page.number}",
        response_id=response_id,
        language=lang,
        section_title=_text(page.section.title, lang, q.default_language),
        current=current,
        total=total,
        fields=tuple(fields),
        errors=tuple(ErrorLink(f.target, f.label, f.error) for f in fields if f.error),
        back=previous is not None,
        last=last,
        intro=_text(q.description, lang, q.default_language) if intro else None,
        privacy=intro,
    )


def build_page(
    *,
    lang: str,
    q: Questionnaire | None,
    form: FormView | None = None,
    message: MessageView | None = None,
) -> PageView:
    """The page around a form or a message, with the questionnaire's title and language links."""
    languages: tuple[LanguageLink, ...] = ()
    title = ""
    if q is not None:
        title = _text(q.title, lang, q.default_language) or ""
        codes = q.languages
    else:
        codes = ["mn", "en"]
    if len(codes) > 1:
        languages = tuple(LanguageLink(c, language_name(c), c == lang) for c in codes)
    return PageView(
        lang=lang,
        title=title,
        languages=languages,
        form=form,
        message=message,
        t=lambda key, **params: translate(key, lang, **params),
    )
