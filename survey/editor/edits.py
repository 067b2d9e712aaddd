"""The changes the editor makes to a questionnaire definition, one form at a time.

Each change takes a :class:`~survey.questionnaire.model.Questionnaire` and the fields of one form (a flat
mapping of names to the text typed) and returns the changed definition: a new Struct, never a YAML string.
A change keeps what it was given, even when the result breaks a rule of the format (an empty Mongolian
text, a correct answer that is not a choice): a draft is work in progress, and :func:`problems` says what
is still wrong with the loader's own messages, the ones ``survey forms check`` prints. A change refuses
(:class:`Unusable`) only what no draft can hold: a type the format does not have, a section or an item
that is not there.

Fields, as the editor's forms name them: ``text.<lang>`` and ``hint.<lang>`` for texts,
``choice.<n>.value`` and ``choice.<n>.label.<lang>`` for the choices (a row left empty is dropped),
``correct`` (the row number of a choice item's correct answer) or ``choice.<n>.correct`` (a multi item's),
``item.<key>`` and ``reverse.<key>`` for the items of an outcome, ``labels.<lang>`` (one label a line) for
a Likert scale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import msgspec

from survey.errors import InvalidDefinition
from survey.questionnaire.load import FIELD_TYPES, load_object
from survey.questionnaire.model import (
    CONSENT_VALUES,
    ITEM_TYPES,
    SCORINGS,
    Choice,
    Item,
    LikertScale,
    Outcome,
    Questionnaire,
    Section,
    Text,
)

__all__ = [
    "FIELD_TYPES",
    "OUTCOME_KINDS",
    "Condition",
    "Unusable",
    "add_item",
    "add_section",
    "blank",
    "chosen_condition",
    "condition_options",
    "delete_calculation",
    "delete_item",
    "delete_outcome",
    "delete_scale",
    "delete_section",
    "edit_item",
    "edit_questionnaire",
    "edit_section",
    "mark_equivalent",
    "move_item",
    "move_section",
    "place_of",
    "problems",
    "publishable",
    "set_calculation",
    "set_outcome",
    "set_scale",
]

OUTCOME_KINDS: Final = ("score", "scale", "proportion")

#: How many empty choice rows an item's form offers for new choices (more come after saving).
NEW_CHOICE_ROWS: Final = 2

_ITEM_DEFAULTS: Final = {f.name: f.default for f in msgspec.structs.fields(Item)}

_PLACE = re.compile(r"^sections\[(\d+)\](?:\.items\[(\d+)\])?")
_NAMED = re.compile(r"^(outcomes|likert_scales|calculations)\.([^.:\[]+)")


class Unusable(ValueError):
    """A form no draft can take (an unknown type, a section or item that is not there, a key taken); a 400.

    ``code`` names the console's sentence for it (``error.draft_<code>``), filled with ``params``; the
    exception's text is the same in English.
    """

    def __init__(self, code: str, english: str, **params: object) -> None:
        super().__init__(english)
        self.code = code
        self.params = params


# -- what is still wrong -------------------------------------------------------------------------------


def problems(q: Questionnaire) -> list[str]:
    """Every rule the definition breaks, in the words of ``survey forms check``; empty when publishable."""
    try:
        load_object(msgspec.to_builtins(q))
    except InvalidDefinition as exc:
        return exc.errors
    return []


def publishable(q: Questionnaire) -> Questionnaire:
    """The definition as the loader completes it (canonical, as publishing stores it); InvalidDefinition
    when it breaks a rule."""
    return load_object(msgspec.to_builtins(q), source="the draft")


def place_of(message: str) -> str:
    """Where a loader message belongs on the editor page: ``s<i>`` a section, ``s<i>.<j>`` an item,
    ``outcomes.<key>``, ``likert_scales.<key>``, or ``""`` the questionnaire itself."""
    found = _PLACE.match(message)
    if found:
        section, item = found.groups()
        return f"s{section}" if item is None else f"s{section}.{item}"
    named = _NAMED.match(message)
    if named:
        return f"{named.group(1)}.{named.group(2)}"
    return ""


# -- building blocks -------------------------------------------------------------------------------------


def _text(fields: Mapping[str, str], prefix: str, languages: list[str]) -> Text:
    return {lang: fields.get(f"{prefix}.{lang}", "") for lang in languages}


def _optional_text(fields: Mapping[str, str], prefix: str, languages: list[str]) -> Text | None:
    text = _text(fields, prefix, languages)
    return text if any(v.strip() for v in text.values()) else None


def _fresh_key(q: Questionnaire, stem: str, taken: set[str]) -> str:
    n = 1
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


def _section(q: Questionnaire, s: int) -> Section:
    if not 0 <= s < len(q.sections):
        raise Unusable("no_section", f"there is no section {s + 1}", number=s + 1)
    return q.sections[s]


def _item(q: Questionnaire, s: int, j: int) -> Item:
    section = _section(q, s)
    if not 0 <= j < len(section.items):
        raise Unusable(
            "no_item", f"section {s + 1} has no item {j + 1}", section=s + 1, number=j + 1
        )
    return section.items[j]


def _with_section(q: Questionnaire, s: int, section: Section | None) -> Questionnaire:
    sections = list(q.sections)
    if section is None:
        del sections[s]
    else:
        sections[s] = section
    return msgspec.structs.replace(q, sections=sections)


def _with_items(q: Questionnaire, s: int, items: list[Item]) -> Questionnaire:
    return _with_section(q, s, msgspec.structs.replace(_section(q, s), items=items))


def _number(raw: str, item_type: str) -> int | float | str | None:
    """A bound as typed: a number for number items when it reads as one, else the text (which the
    loader then names as wrong), None when empty."""
    text = raw.strip()
    if not text:
        return None
    if item_type == "date":
        return text
    try:
        return int(text)
    except ValueError:
        pass
    if item_type == "decimal":
        try:
            value = float(text)
        except ValueError:
            return text
        return value if value == value and abs(value) != float("inf") else text
    return text


def _whole(raw: str) -> int | str | None:
    text = raw.strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text


# -- the questionnaire ---------------------------------------------------------------------------------


def blank(key: str, title: Text, languages: list[str], section: str = "section1") -> Questionnaire:
    """A new questionnaire with one empty section."""
    return Questionnaire(
        key=key,
        languages=languages,
        title={lang: title.get(lang, "") for lang in languages},
        sections=[Section(key=section, items=[])],
    )


def edit_questionnaire(q: Questionnaire, fields: Mapping[str, str]) -> Questionnaire:
    """The questionnaire's key, title and description."""
    return msgspec.structs.replace(
        q,
        key=fields.get("key", q.key).strip(),
        title=_text(fields, "title", q.languages),
        description=_optional_text(fields, "description", q.languages),
    )


# -- sections ------------------------------------------------------------------------------------------


def add_section(q: Questionnaire) -> Questionnaire:
    """A new empty section at the end."""
    key = _fresh_key(q, "section", {s.key for s in q.sections})
    return msgspec.structs.replace(q, sections=[*q.sections, Section(key=key, items=[])])


def edit_section(q: Questionnaire, s: int, fields: Mapping[str, str]) -> Questionnaire:
    """A section's key, title and condition."""
    section = _section(q, s)
    changed = msgspec.structs.replace(
        section,
        key=fields.get("key", section.key).strip(),
        title=_optional_text(fields, "title", q.languages),
        show_if=chosen_condition(fields, section.show_if),
    )
    return _with_section(q, s, changed)


def delete_section(q: Questionnaire, s: int) -> Questionnaire:
    _section(q, s)
    return _with_section(q, s, None)


def move_section(q: Questionnaire, s: int, step: int) -> Questionnaire:
    """Move a section one place up (``step`` -1) or down (+1); at either end nothing moves."""
    _section(q, s)
    target = s + step
    if not 0 <= target < len(q.sections):
        return q
    sections = list(q.sections)
    sections[s], sections[target] = sections[target], sections[s]
    return msgspec.structs.replace(q, sections=sections)


# -- items ---------------------------------------------------------------------------------------------


def add_item(q: Questionnaire, s: int, item_type: str) -> Questionnaire:
    """A new item of ``item_type`` at the end of section ``s``, with a fresh key and empty texts."""
    if item_type not in ITEM_TYPES:
        raise Unusable("no_item_type", f'there is no item type "{item_type}"', type=item_type)
    section = _section(q, s)
    empty = {lang: "" for lang in q.languages}
    key = _fresh_key(q, "q", {i.key for i in q.items()})
    item = Item(key=key, type=item_type, text=empty)  # type: ignore[arg-type]
    if item_type == "likert" and q.likert_scales:
        item = msgspec.structs.replace(item, scale=next(iter(q.likert_scales)))
    return _with_items(q, s, [*section.items, item])


def _choices(fields: Mapping[str, str], languages: list[str]) -> list[tuple[int, Choice]]:
    """The choice rows of an item's form that are not empty, with their row numbers."""
    rows = sorted(
        {int(m.group(1)) for name in fields if (m := re.fullmatch(r"choice\.(\d{1,3})\..+", name))}
    )
    found = []
    for n in rows:
        value = fields.get(f"choice.{n}.value", "").strip()
        label = _text(fields, f"choice.{n}.label", languages)
        if value or any(v.strip() for v in label.values()):
            properties = _pairs(fields.get(f"choice.{n}.properties", ""), ",")
            found.append((n, Choice(value=value, label=label, properties=properties)))
    return found


def _pairs(written: str, separator: str) -> dict[str, str] | None:
    """``name = value`` pairs, one per ``separator`` (a choice's properties, an item's choice filter).
    A pair without "=" is kept with an empty value, so that the loader names it rather than it being
    dropped unseen."""
    found = {}
    for part in written.split(separator):
        if part.strip():
            name, _, value = part.partition("=")
            found[name.strip()] = value.strip()
    return found or None


def pairs_text(pairs: Mapping[str, str] | None, separator: str) -> str:
    """The text of :func:`_pairs`: what the editor's field shows for a choice's properties or a filter."""
    return separator.join(f"{name} = {value}" for name, value in (pairs or {}).items())


def chosen_condition(fields: Mapping[str, str], current: str | None) -> str | None:
    """``show_if`` from the condition builder: the condition chosen in the list, unless the written one
    was changed (then what was written); ``always`` removes it."""
    written = fields.get("show_if", current or "").strip()
    if written != (fields.get("show_if_was", current or "")).strip():
        return written or None
    chosen = fields.get("condition", "")
    if chosen == "always":
        return None
    return chosen.strip() or written or None


def edit_item(q: Questionnaire, s: int, j: int, fields: Mapping[str, str]) -> Questionnaire:
    """Everything about one item its form shows; a change of type clears what the new type cannot have."""
    item = _item(q, s, j)
    item_type = fields.get("type", item.type)
    if item_type not in ITEM_TYPES:
        raise Unusable("no_item_type", f'there is no item type "{item_type}"', type=item_type)
    values: dict[str, Any] = {
        "key": fields.get("key", item.key).strip(),
        "text": _text(fields, "text", q.languages),
        "show_if": chosen_condition(fields, item.show_if),
    }
    allowed = {name for name, types in FIELD_TYPES.items() if item.type in types}
    if "hint" in allowed:
        values["hint"] = _optional_text(fields, "hint", q.languages)
    if "required" in allowed:
        values["required"] = fields.get("required") == "on"
    if "choices" in allowed:
        values.update(_choice_values(q, item, fields))
    if "scoring" in allowed:
        scoring = fields.get("scoring", "")
        values["scoring"] = scoring if scoring in SCORINGS else None
    if "scale" in allowed:
        values["scale"] = fields.get("scale", "").strip() or None
        values["reverse"] = fields.get("reverse") == "on"
    for bound in ("min", "max"):
        if bound in allowed:
            values[bound] = _number(fields.get(bound, ""), item.type)
    if "max_length" in allowed:
        values["max_length"] = _whole(fields.get("max_length", ""))
    if "constraint" in allowed:
        values["constraint"] = fields.get("constraint", item.constraint or "").strip() or None
        values["constraint_message"] = _optional_text(fields, "constraint_message", q.languages)
    if "choice_filter" in allowed:
        written = fields.get("choice_filter")
        if written is not None:
            values["choice_filter"] = _pairs(written, "\n")
    if item_type != item.type:
        # What the new type cannot have goes; the rest (key, texts, condition) stays.
        values["type"] = item_type
        values.update(
            (name, _ITEM_DEFAULTS[name])
            for name, types in FIELD_TYPES.items()
            if item_type not in types
        )
        if item_type == "likert" and values.get("scale") is None and q.likert_scales:
            values["scale"] = next(iter(q.likert_scales))
    changed = msgspec.structs.replace(item, **values)
    return _with_items(q, s, _replaced(q.sections[s].items, j, changed))


def _choice_values(q: Questionnaire, item: Item, fields: Mapping[str, str]) -> dict[str, Any]:
    rows = _choices(fields, q.languages)
    try:
        before = {c.value: c for c in q.choices_for(item)} if item.choices is not None else {}
    except KeyError:  # a named list that is not there: nothing to keep
        before = {}
    # A form without a row's properties field (sent by hand) keeps that choice's properties.
    rows = [
        (n, c)
        if f"choice.{n}.properties" in fields or c.value not in before
        else (n, msgspec.structs.replace(c, properties=before[c.value].properties))
        for n, c in rows
    ]
    choices = [c for _, c in rows]
    if item.type == "multi":
        picked = [c.value for n, c in rows if fields.get(f"choice.{n}.correct") == "on"]
        correct: str | list[str] | None = picked or None
    else:
        chosen = fields.get("correct", "")
        correct = next((c.value for n, c in rows if str(n) == chosen), None)
    # A named choice list the form sent back unchanged stays named: the definition (and its hash) stay
    # as they were, and other items sharing the list are untouched.
    if isinstance(item.choices, str) and q.choice_lists.get(item.choices) == choices:
        return {"choices": item.choices, "correct": correct}
    return {"choices": choices or None, "correct": correct}


def _replaced(items: list[Item], j: int, item: Item) -> list[Item]:
    return [*items[:j], item, *items[j + 1 :]]


def delete_item(q: Questionnaire, s: int, j: int) -> Questionnaire:
    _item(q, s, j)
    items = list(q.sections[s].items)
    del items[j]
    return _with_items(q, s, items)


def move_item(q: Questionnaire, s: int, j: int, step: int) -> Questionnaire:
    """Move an item one place up (``step`` -1) or down (+1): past the first or last item of its section
    it moves to the end of the section before, or the start of the section after."""
    item = _item(q, s, j)
    items = list(q.sections[s].items)
    target = j + step
    if 0 <= target < len(items):
        items[j], items[target] = items[target], items[j]
        return _with_items(q, s, items)
    neighbour = s + step
    if not 0 <= neighbour < len(q.sections):
        return q
    del items[j]
    q = _with_items(q, s, items)
    others = list(q.sections[neighbour].items)
    others = [*others, item] if step < 0 else [item, *others]
    return _with_items(q, neighbour, others)


def mark_equivalent(q: Questionnaire, decided: Mapping[str, bool]) -> Questionnaire:
    """Set ``equivalent`` on the items named in ``decided`` (a changed wording declared cosmetic, or not)."""
    return msgspec.structs.replace(
        q,
        sections=[
            msgspec.structs.replace(
                section,
                items=[
                    msgspec.structs.replace(i, equivalent=decided[i.key]) if i.key in decided else i
                    for i in section.items
                ],
            )
            for section in q.sections
        ],
    )


# -- conditions ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition the builder offers: the expression, and the item and answer it reads."""

    expression: str
    item: str
    answer: Text | None
    """The answer's label in every language; None for "answered" and for a consent item's answers
    (which the questionnaire does not label)."""
    value: str
    """The answer's value; empty for "answered"."""


def condition_options(q: Questionnaire, s: int, j: int | None) -> list[Condition]:
    """The conditions on the answers of the items before item ``j`` of section ``s`` (before the section
    itself when ``j`` is None): each choice of a choice, consent or multi item, each point of a Likert
    item, and "was answered" for every answerable item but a panel code."""
    earlier: list[Item] = []
    for index, section in enumerate(q.sections):
        if index == s:
            earlier += section.items[: j or 0] if j is not None else []
            break
        earlier += section.items
    options = []
    for item in earlier:
        # A panel code's answer is never kept, so no condition can read it (the loader says so too).
        if not item.answerable or not item.key or item.type == "panel_code":
            continue
        if item.type == "consent":
            for value in CONSENT_VALUES:
                options.append(Condition(f"{item.key} == '{value}'", item.key, None, value))
        elif item.type in ("choice", "multi"):
            try:
                choices = q.choices_for(item)
            except (ValueError, KeyError):
                choices = []
            for c in choices:
                if not c.value or "'" in c.value:
                    continue
                expression = (
                    f"selected({item.key}, '{c.value}')"
                    if item.type == "multi"
                    else f"{item.key} == '{c.value}'"
                )
                options.append(Condition(expression, item.key, c.label, c.value))
        elif item.type == "likert" and item.scale in q.likert_scales:
            scale = q.likert_scales[item.scale]
            for point in range(1, scale.points + 1):
                labels = {
                    lang: texts[point - 1] if point <= len(texts) else str(point)
                    for lang, texts in scale.labels.items()
                }
                options.append(Condition(f"{item.key} == {point}", item.key, labels, str(point)))
        options.append(Condition(f"answered({item.key})", item.key, None, ""))
    return options


V = TypeVar("V")


def _put(entries: Mapping[str, V], old: str | None, key: str, value: V) -> dict[str, V]:
    """``entries`` with ``value`` under ``key``: in the place of ``old`` (renamed when the key changed), or
    last when ``old`` is None (a new entry)."""
    put = {
        (key if name == old else name): (value if name == old else v) for name, v in entries.items()
    }
    if old is None:
        put[key] = value
    return put


# -- Likert scales and outcomes ------------------------------------------------------------------------


def set_scale(q: Questionnaire, old: str | None, fields: Mapping[str, str]) -> Questionnaire:
    """Add a Likert scale (``old`` None) or change one: its key and its labels, one a line per language
    (the number of points is the number of lines). Items on a renamed scale follow it."""
    if old is not None and old not in q.likert_scales:
        raise Unusable("no_scale", f'there is no Likert scale "{old}"', key=old)
    key = fields.get("key", old or "").strip()
    if key != old and key in q.likert_scales:
        raise Unusable("scale_taken", f'there is already a Likert scale "{key}"', key=key)
    labels = {
        lang: [
            line.strip() for line in fields.get(f"labels.{lang}", "").splitlines() if line.strip()
        ]
        for lang in q.languages
    }
    points = max((len(v) for v in labels.values()), default=0)
    scale = LikertScale(points=points, labels=labels)
    scales = _put(q.likert_scales, old, key, scale)
    q = msgspec.structs.replace(q, likert_scales=scales)
    if old is None or old == key:
        return q
    return msgspec.structs.replace(
        q,
        sections=[
            msgspec.structs.replace(
                section,
                items=[
                    msgspec.structs.replace(i, scale=key) if i.scale == old else i
                    for i in section.items
                ],
            )
            for section in q.sections
        ],
    )


def set_calculation(q: Questionnaire, old: str | None, fields: Mapping[str, str]) -> Questionnaire:
    """Add a calculated value (``old`` None) or change one: its key and its expression (checked by the
    loader like any other, as ``survey forms check`` does)."""
    if old is not None and old not in q.calculations:
        raise Unusable("no_calculation", f'there is no calculation "{old}"', key=old)
    key = fields.get("key", old or "").strip()
    if key != old and key in q.calculations:
        raise Unusable("calculation_taken", f'there is already a calculation "{key}"', key=key)
    expression = fields.get("expression", "").strip()
    calculations = _put(q.calculations, old, key, expression)
    return msgspec.structs.replace(q, calculations=calculations)


def delete_calculation(q: Questionnaire, key: str) -> Questionnaire:
    if key not in q.calculations:
        raise Unusable("no_calculation", f'there is no calculation "{key}"', key=key)
    return msgspec.structs.replace(
        q, calculations={k: v for k, v in q.calculations.items() if k != key}
    )


def delete_scale(q: Questionnaire, key: str) -> Questionnaire:
    if key not in q.likert_scales:
        raise Unusable("no_scale", f'there is no Likert scale "{key}"', key=key)
    return msgspec.structs.replace(
        q, likert_scales={k: v for k, v in q.likert_scales.items() if k != key}
    )


def set_outcome(q: Questionnaire, old: str | None, fields: Mapping[str, str]) -> Questionnaire:
    """Add an outcome (``old`` None) or change one: key, kind, label, and its items ticked in the form
    (``item.<key>``; ``reverse.<key>`` for a scale's reverse-coded items; ``item`` and ``value`` for a
    proportion)."""
    if old is not None and old not in q.outcomes:
        raise Unusable("no_outcome", f'there is no outcome "{old}"', key=old)
    kind = fields.get("kind", "score")
    if kind not in OUTCOME_KINDS:
        raise Unusable("no_outcome_kind", f'there is no outcome kind "{kind}"', kind=kind)
    key = fields.get("key", old or "").strip()
    if key != old and key in q.outcomes:
        raise Unusable("outcome_taken", f'there is already an outcome "{key}"', key=key)
    label = _text(fields, "label", q.languages)
    keys = [i.key for i in q.items()]
    if kind == "proportion":
        value = fields.get("value", "").strip()
        outcome = Outcome(
            kind="proportion",
            label=label,
            item=fields.get("item", "").strip() or None,
            value=value or None,
        )
    else:
        ticked = [k for k in keys if fields.get(f"item.{k}") == "on"]
        reverse = (
            [k for k in ticked if fields.get(f"reverse.{k}") == "on"] if kind == "scale" else []
        )
        previous = q.outcomes.get(old or "")
        outcome = Outcome(
            kind=kind,  # type: ignore[arg-type]
            label=label,
            items=ticked,
            reverse=reverse or None,
            min_answered=previous.min_answered if previous is not None else 0.5,
        )
    outcomes = _put(q.outcomes, old, key, outcome)
    return msgspec.structs.replace(q, outcomes=outcomes)


def delete_outcome(q: Questionnaire, key: str) -> Questionnaire:
    if key not in q.outcomes:
        raise Unusable("no_outcome", f'there is no outcome "{key}"', key=key)
    return msgspec.structs.replace(q, outcomes={k: v for k, v in q.outcomes.items() if k != key})
