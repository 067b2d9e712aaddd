"""Reading a posted page: the form body, then each answer checked against the pinned version.

Pure functions, no database and no web framework. Two kinds of problems are told apart:

- the request itself is malformed (not a web form, not UTF-8, too many fields, a field no page of this
  questionnaire has, a single answer sent twice, no valid response id): :class:`Rejected`, a 4xx with a
  message, since no honest browser sends it and nothing in it is kept;
- an answer is not acceptable (empty but required, not a number, out of range, not one of the choices,
  too long): a :class:`FieldError` beside that field, the page shown again with everything typed kept.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qsl

from survey.collect.messages import translate
from survey.errors import InvalidAnswer
from survey.questionnaire.computed import constraint_holds, offered_choices
from survey.questionnaire.model import CONSENT_VALUES, DEFAULT_MAX_LENGTH, Item, Questionnaire
from survey.questionnaire.paging import is_answered

__all__ = [
    "MAX_FIELDS",
    "MAX_VALUE_LENGTH",
    "FieldError",
    "PageAnswers",
    "PostedForm",
    "Rejected",
    "check_fields",
    "display_values",
    "parse_page",
    "read_form",
]

#: The most fields a posted page may have; a page of a long multi-choice list needs far fewer.
MAX_FIELDS: Final = 500
#: The longest single field value, in characters (a text answer is capped lower by ``max_length``).
MAX_VALUE_LENGTH: Final = 10_000
#: Digits kept for integers and decimals: beyond this a number is not an answer anyone types, and
#: larger integers could not be stored in JSON portably.
_MAX_DIGITS: Final = 15

_INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,10})?|\.[0-9]{1,10})")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Spaces people put in numbers ("1 000"), including the no-break and thin spaces phones insert.
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
# Control characters other than tab and newline are never typed; NUL cannot even be stored in jsonb.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

FORM_CONTENT_TYPE: Final = "application/x-www-form-urlencoded"


class Rejected(InvalidAnswer):
    """The posted form cannot be read.

    ``reason`` is a key of the message catalogue (``why_*``) and ``params`` its placeholders, so the page
    explains it in the respondent's language; the English text is the exception's message.
    """

    def __init__(self, reason: str, status_code: int = 400, **params: object) -> None:
        self.reason = reason
        self.params = params
        self.status_code = status_code
        super().__init__(translate(reason, "en", **params))


@dataclass(frozen=True, slots=True)
class FieldError:
    """Why one answer was not accepted: a message key of the catalogue (``err_*``) and its placeholders.

    ``text`` is the questionnaire's own message, by language, when it has one (a constraint's
    ``constraint_message``, with every language already filled in).
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    text: Mapping[str, str] | None = None

    def message(self, language: str) -> str:
        if self.text and self.text.get(language):
            return self.text[language]
        return translate(self.code, language, **self.params)


@dataclass(frozen=True, slots=True)
class PostedForm:
    """A posted page, read but not yet checked against the questionnaire.

    ``fields`` holds every field that is not one of the form's own (``_response_id``, ``_lang``,
    ``_back``), by name, with all its values in the order sent. ``back`` is True when the page was sent
    with its Back button: kept as a draft, not saved.
    """

    response_id: uuid.UUID
    language: str | None
    fields: dict[str, list[str]]
    back: bool = False


@dataclass(frozen=True, slots=True)
class PageAnswers:
    """The answers of one page, checked.

    ``values`` maps each visible question of the page to its stored form (None when left empty);
    ``errors`` maps item keys to what is wrong; ``raw`` is what was typed, to show it again.
    ``declined`` is True when a consent question on the page was answered "no".
    """

    values: dict[str, object]
    errors: dict[str, FieldError]
    raw: dict[str, list[str]]
    declined: bool = False


def read_form(body: bytes, content_type: str) -> PostedForm:
    """Read an ``application/x-www-form-urlencoded`` body.

    Raises
    ------
    Rejected
        415 when the body is not a URL-encoded form; 400 when it is not UTF-8, has more than
        :data:`MAX_FIELDS` fields, a value longer than :data:`MAX_VALUE_LENGTH`, an unknown field whose
        name starts with ``_``, a repeated ``_response_id``, ``_lang`` or ``_back``, or no valid
        response id.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != FORM_CONTENT_TYPE:
        raise Rejected("why_content_type", 415)
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError:
        raise Rejected("why_encoding") from None
    except ValueError:  # parse_qsl's only other error: more than max_num_fields fields
        raise Rejected("why_too_many_fields", max=MAX_FIELDS) from None
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        if len(value) > MAX_VALUE_LENGTH or len(name) > 200:
            raise Rejected("why_field_too_long")
        fields.setdefault(name, []).append(value)
    own = {name: fields.pop(name) for name in ("_response_id", "_lang", "_back") if name in fields}
    for name in fields:
        if name.startswith("_"):
            raise Rejected("why_unknown_field", name=name)
    ids = own.get("_response_id", [])
    if len(ids) != 1:
        raise Rejected("why_response_id")
    try:
        response_id = uuid.UUID(ids[0])
    except ValueError:
        raise Rejected("why_response_id") from None
    languages = own.get("_lang", [])
    for name in ("_lang", "_back"):
        if len(own.get(name, [])) > 1:
            raise Rejected("why_repeated_field", name=name)
    return PostedForm(response_id, languages[0] if languages else None, fields, "_back" in own)


def _show_number(value: object) -> str:
    """A bound as people write it: ``1`` rather than ``1.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bounds_error(item: Item, number: float) -> FieldError | None:
    low, high = item.min, item.max
    too_low = low is not None and number < low  # type: ignore[operator]
    too_high = high is not None and number > high  # type: ignore[operator]
    if not (too_low or too_high):
        return None
    if low is not None and high is not None:
        return FieldError("err_range", {"min": _show_number(low), "max": _show_number(high)})
    if low is not None:
        return FieldError("err_min", {"min": _show_number(low)})
    return FieldError("err_max", {"max": _show_number(high)})


def _date_error(item: Item, day: datetime.date) -> FieldError | None:
    low = datetime.date.fromisoformat(str(item.min)) if item.min is not None else None
    high = datetime.date.fromisoformat(str(item.max)) if item.max is not None else None
    if not ((low is not None and day < low) or (high is not None and day > high)):
        return None
    if low is not None and high is not None:
        return FieldError("err_date_range", {"min": item.min, "max": item.max})
    if low is not None:
        return FieldError("err_date_min", {"min": item.min})
    return FieldError("err_date_max", {"max": item.max})


def _parse_one(
    q: Questionnaire,
    item: Item,
    values: Sequence[str],
    existing: object,
    hash_panel_code: Callable[[str], str],
    existing_answers: Mapping[str, object],
) -> tuple[object, FieldError | None]:
    """The stored form of one answer (None when empty) and what is wrong with it, if anything.

    ``existing_answers`` (the answers of earlier pages) decide the choices a filtered list offers.
    """
    kind = item.type
    if kind == "multi":
        allowed = [choice.value for choice in offered_choices(q, item, existing_answers)]
        picked = {value for value in values if value != ""}
        if not picked <= set(allowed):
            return None, FieldError("err_choice")
        # A multi question that was shown and left empty is an answer ("none of these"): partial
        # scoring credits the unselected wrong options, so it is stored as [] rather than missing.
        return [value for value in allowed if value in picked], None

    raw = values[0] if values else ""
    if kind == "text":
        text = _CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
        limit = item.max_length or DEFAULT_MAX_LENGTH["text"]
        if len(text) > limit:
            return None, FieldError("err_too_long", {"max": limit, "length": len(text)})
        return (text or None), None
    if kind == "panel_code":
        code = _CONTROL.sub("", raw).strip()
        if not code:
            # The code is never stored, so a page shown again cannot show it; left empty, the code
            # saved before stays.
            return (existing if is_answered(existing) else None), None
        limit = item.max_length or DEFAULT_MAX_LENGTH["panel_code"]
        if len(code) > limit:
            return None, FieldError("err_too_long", {"max": limit, "length": len(code)})
        try:
            return hash_panel_code(code), None
        except ValueError:
            return None, FieldError("err_panel_code")

    value = unicodedata.normalize("NFKC", raw).strip()
    if value == "":
        return None, None
    if kind == "choice":
        if value not in {choice.value for choice in offered_choices(q, item, existing_answers)}:
            return None, FieldError("err_choice")
        return value, None
    if kind == "consent":
        return (value, None) if value in CONSENT_VALUES else (None, FieldError("err_choice"))
    if kind == "likert":
        points = q.scale_for(item).points
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= points:
            return None, FieldError("err_choice")
        return int(value), None
    if kind == "integer":
        number_text = _NUMBER_SPACES.sub("", value)
        if not _INTEGER.fullmatch(number_text):
            return None, FieldError("err_integer")
        number = int(number_text)
        return (None, error) if (error := _bounds_error(item, number)) else (number, None)
    if kind == "decimal":
        number_text = _NUMBER_SPACES.sub("", value).replace(",", ".")
        if not _DECIMAL.fullmatch(number_text):
            return None, FieldError("err_decimal")
        decimal = float(number_text)
        return (None, error) if (error := _bounds_error(item, decimal)) else (decimal, None)
    if kind == "date":
        try:
            day = datetime.date.fromisoformat(value) if _DATE.fullmatch(value) else None
        except ValueError:
            day = None
        if day is None:
            return None, FieldError("err_date")
        return (None, error) if (error := _date_error(item, day)) else (day.isoformat(), None)
    raise ValueError(f"item type {kind!r} has no answer")  # note: never asked for


def parse_page(
    q: Questionnaire,
    page_items: Sequence[Item],
    visible: Sequence[Item],
    fields: Mapping[str, Sequence[str]],
    *,
    existing: Mapping[str, object],
    hash_panel_code: Callable[[str], str],
) -> PageAnswers:
    """Check the answers posted for one page.

    Parameters
    ----------
    q
        The pinned questionnaire version.
    page_items
        Every item of the page; a field naming anything else is refused.
    visible
        The items shown on the page (decided from the saved answers of earlier pages); fields of the
        page's hidden items are ignored, so a hidden question never gets an answer.
    fields
        The posted fields (:attr:`PostedForm.fields`).
    existing
        The answers saved before: they keep a panel code left empty, decide the choices a filtered
        list offers, and are read by constraints with the page's own answers.
    hash_panel_code
        Turns a typed panel code into its stored HMAC; raises ValueError when nothing of it remains after
        normalisation. The typed code goes nowhere else.

    Raises
    ------
    Rejected
        For a field that is not a question of this page, or several values for a one-answer question.
    """
    check_fields(page_items, fields)
    answers: dict[str, object] = {}
    errors: dict[str, FieldError] = {}
    raw: dict[str, list[str]] = {}
    declined = False
    for item in visible:
        if not item.answerable:
            continue
        posted = list(fields.get(item.key, ()))
        if item.type != "panel_code":  # the typed code is shown again only when it is refused
            raw[item.key] = posted
        value, error = _parse_one(
            q, item, posted, existing.get(item.key), hash_panel_code, existing
        )
        if error is None and item.required and not is_answered(value):
            error = FieldError("err_consent" if item.type == "consent" else "err_required")
        if error is not None:
            errors[item.key] = error
            if item.type == "panel_code":
                raw[item.key] = posted
            continue
        answers[item.key] = value
        if item.type == "consent" and value == "no":
            declined = True
    for item in visible:
        # Checked once every answer of the page is read: a constraint may name an item above it.
        if item.key in answers and not constraint_holds(q, item, {**existing, **answers}):
            errors[item.key] = _constraint_error(q, item)
            del answers[item.key]
    return PageAnswers(answers, errors, raw, declined)


def _constraint_error(q: Questionnaire, item: Item) -> FieldError:
    message = item.constraint_message
    if message is None:
        return FieldError("err_constraint")
    default = message.get(q.default_language, "")
    return FieldError(
        "err_constraint", text={lang: message.get(lang) or default for lang in q.languages}
    )


def check_fields(page_items: Sequence[Item], fields: Mapping[str, Sequence[str]]) -> None:
    """Refuse a posted page whose fields are not its questions'.

    Raises
    ------
    Rejected
        For a field that is not a question of this page, or several values for a one-answer question.
    """
    on_page = {item.key: item for item in page_items if item.answerable}
    for name, values in fields.items():
        item = on_page.get(name)
        if item is None:
            raise Rejected("why_unknown_field", name=name[:60])
        if item.type != "multi" and len(values) > 1:
            raise Rejected("why_repeated_field", name=name)


def display_values(item: Item, value: object) -> list[str]:
    """A stored answer as the form fields show it (a panel code never: only its HMAC is stored)."""
    if value is None or item.type == "panel_code":
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, float):
        return [repr(value).removesuffix(".0") if value.is_integer() else repr(value)]
    return [str(value)]
