"""What a questionnaire works out from the answers, and which of its texts are not translated.

Calculated values, piped text, filtered choices and constraints are all decided here, from the stored
answers, so that the respondent flow (``survey.collect``), the XLSForm export and the loader agree on one
meaning:

- a calculated value (``Questionnaire.calculations``) is computed whenever it is read, never stored, by
  :class:`WithCalculations`, which shows the answers and the calculated values as one mapping;
- ``${key}`` in an item's text or hint is replaced by the earlier answer, as the respondent saw it (a
  choice's label in the page's language), or by the calculated value (:func:`pipe`); templates escape
  the result like any other text;
- ``choice_filter`` keeps the choices whose property matches an earlier answer (:func:`offered_choices`);
- ``constraint`` is checked against the answer being given with the answers before it
  (:func:`constraint_holds`).

A text may lack a translation in any language but the default one; :func:`untranslated` lists each
place, so that the import report, ``survey forms check`` and the console can show a translator where.
Everything here is pure and never raises on any answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from survey.questionnaire import expressions
from survey.questionnaire.model import Choice, Item, Questionnaire, Text

__all__ = [
    "PIPED",
    "Untranslated",
    "WithCalculations",
    "answer_text",
    "constraint_holds",
    "item_dependencies",
    "offered_choices",
    "pipe",
    "piped_references",
    "requirements",
    "untranslated",
    "with_calculations",
]

#: A piped reference in a text: ``${key}``. What stands between the braces is checked by the loader.
PIPED: Final = re.compile(r"\$\{([^{}]{0,80})\}")


@lru_cache(maxsize=4096)
def _tree(source: str) -> expressions.Expr:
    return expressions.parse(source)


# --------------------------------------------------------------------------------------------------
# Calculated values


class WithCalculations(Mapping[str, object]):
    """The answers, and every calculated value computed from them on first reading.

    A calculation refers only to items and to calculations before it (the loader checks this), so
    reading one never loops. Built once per request or per evaluation; the answers are not copied.
    """

    __slots__ = ("_answers", "_computed", "_q")

    def __init__(self, q: Questionnaire, answers: Mapping[str, object]) -> None:
        self._q = q
        self._answers = answers
        self._computed: dict[str, object] = {}

    def __getitem__(self, key: str) -> object:
        source = self._q.calculations.get(key)
        if source is None:
            return self._answers[key]
        if key not in self._computed:
            self._computed[key] = expressions.calculate(_tree(source), self)
        return self._computed[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._answers
        yield from (key for key in self._q.calculations if key not in self._answers)

    def __len__(self) -> int:
        return len(self._answers) + sum(1 for k in self._q.calculations if k not in self._answers)


def with_calculations(q: Questionnaire, answers: Mapping[str, object]) -> Mapping[str, object]:
    """``answers`` with ``q``'s calculated values readable beside them (``answers`` itself if none)."""
    if not q.calculations or isinstance(answers, WithCalculations):
        return answers
    return WithCalculations(q, answers)


def requirements(q: Questionnaire, keys: set[str]) -> set[str]:
    """``keys`` with every calculation among them replaced by the item keys it is computed from."""
    found: set[str] = set()
    pending = list(keys)
    seen: set[str] = set()
    while pending:
        key = pending.pop()
        if key in seen:
            continue
        seen.add(key)
        source = q.calculations.get(key)
        if source is None:
            found.add(key)
        else:
            pending.extend(expressions.names(_tree(source)))
    return found


def piped_references(texts: Text | None) -> set[str]:
    """The keys a text pipes with ``${key}``, in any language."""
    if not texts:
        return set()
    return {m.group(1).strip() for text in texts.values() for m in PIPED.finditer(text)}


def item_dependencies(q: Questionnaire, item: Item) -> set[str]:
    """The items whose answers decide how ``item`` is shown: its condition, choices and piped text.

    A page is cut before an item that depends on an item of the same page (see
    :mod:`survey.collect.paging`), so that without JavaScript everything shown is decided by earlier
    pages. The constraint is not among them: it is checked when the page is sent.
    """
    keys = piped_references(item.text) | piped_references(item.hint)
    if item.show_if:
        keys |= expressions.names(_tree(item.show_if))
    if item.choice_filter:
        keys |= set(item.choice_filter.values())
    return requirements(q, keys)


# --------------------------------------------------------------------------------------------------
# Piping, filtered choices, constraints


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value) if isinstance(value, int) else f"{value:.6g}"


def answer_text(q: Questionnaire, key: str, value: object, language: str) -> str:
    """An answer or calculated value as a respondent reads it: a choice by its label, a number plainly.

    ``value`` is the stored answer (or the calculated value) of ``key``; unanswered is ``""``.
    """
    if value is None or value == "" or value == []:
        return ""
    try:
        item = None if key in q.calculations else q.item(key)
    except KeyError:
        item = None
    if item is not None and item.type in ("choice", "multi"):
        labels = {c.value: c.label for c in q.choices_for(item)}
        values = value if isinstance(value, list) else [value]
        return ", ".join(_in(labels.get(str(v)), language, q) or str(v) for v in values)
    if item is not None and item.type == "likert" and isinstance(value, int):
        scale = q.scale_for(item)
        labels_in = scale.labels.get(language) or scale.labels[q.default_language]
        return labels_in[value - 1] if 1 <= value <= len(labels_in) else str(value)
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return _number_text(value)
    return str(value)


def _in(text: Text | None, language: str, q: Questionnaire) -> str | None:
    if text is None:
        return None
    return text.get(language) or text.get(q.default_language)


def pipe(q: Questionnaire, text: str, answers: Mapping[str, object], language: str) -> str:
    """``text`` with each ``${key}`` replaced by that answer or calculated value (``""`` if none).

    The result is plain text: the page template escapes it, so an answer cannot inject markup.
    """
    if "${" not in text:
        return text
    values = with_calculations(q, answers)

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).strip()
        return answer_text(q, key, values.get(key), language)

    return PIPED.sub(replace, text)


def _as_property(value: object) -> str | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _number_text(value)
    return str(value)


def _matches(choice: Choice, prop: str, answer: object) -> bool:
    own = choice.value if prop == "value" else (choice.properties or {}).get(prop)
    if own is None:
        return False
    if isinstance(answer, list):
        return own in {_as_property(v) for v in answer}
    return own == _as_property(answer)


def offered_choices(q: Questionnaire, item: Item, answers: Mapping[str, object]) -> list[Choice]:
    """The choices of a choice or multi item offered with these answers (all without a filter).

    With a ``choice_filter``, a choice is offered when, for each property, its value equals the
    answer of the item named (or is one of them, for a multi answer); an unanswered item offers
    nothing, as in ODK.
    """
    choices = q.choices_for(item)
    if not item.choice_filter:
        return choices
    values = with_calculations(q, answers)
    wanted = [(prop, values.get(key)) for prop, key in item.choice_filter.items()]
    return [c for c in choices if all(_matches(c, prop, answer) for prop, answer in wanted)]


def constraint_holds(q: Questionnaire, item: Item, answers: Mapping[str, object]) -> bool:
    """Whether the item's constraint holds for ``answers`` (which include the answer being checked).

    An item without a constraint, or left unanswered, always passes: ``required`` says whether an
    answer is needed.
    """
    if item.constraint is None:
        return True
    value = answers.get(item.key)
    if value is None or value == "" or value == []:
        return True
    return expressions.evaluate(_tree(item.constraint), with_calculations(q, answers))


# --------------------------------------------------------------------------------------------------
# Untranslated texts


@dataclass(frozen=True, slots=True)
class Untranslated:
    """A text shown in the default language because it has no translation in ``language``."""

    place: str
    """Where, written as the loader writes places: ``sections[1].items[0].text``."""
    language: str
    text: str
    """The default-language text shown instead."""


def untranslated(q: Questionnaire) -> list[Untranslated]:
    """Every text without a translation in one of the declared languages, in questionnaire order."""
    found: list[Untranslated] = []
    default = q.default_language

    def check(place: str, text: Text | None) -> None:
        if text is None:
            return
        for language in q.languages[1:]:
            if not text.get(language):
                found.append(Untranslated(place, language, text.get(default, "")))

    def check_choices(place: str, choices: list[Choice]) -> None:
        for i, choice in enumerate(choices):
            check(f"{place}[{i}].label", choice.label)

    check("title", q.title)
    check("description", q.description)
    for name, choices in q.choice_lists.items():
        check_choices(f"choice_lists.{name}", choices)
    for s, section in enumerate(q.sections):
        check(f"sections[{s}].title", section.title)
        for i, item in enumerate(section.items):
            here = f"sections[{s}].items[{i}]"
            check(f"{here}.text", item.text)
            check(f"{here}.hint", item.hint)
            check(f"{here}.constraint_message", item.constraint_message)
            if isinstance(item.choices, list):
                check_choices(f"{here}.choices", item.choices)
    for name, outcome in q.outcomes.items():
        check(f"outcomes.{name}.label", outcome.label)
    return found
