"""What changed between two versions of a questionnaire, and which changes break pre/post comparisons.

An item changed in what a respondent sees or in how it is scored (its fingerprint, see
:mod:`survey.questionnaire.fingerprint`) is a *breaking* change: the analysis leaves it out of pre/post
comparisons. The newer version can declare the change cosmetic with ``equivalent: true`` on the item; then
it is not breaking. A change of type is always breaking (the answers are not even stored the same way),
and a ``note`` never is (it has no answer to compare). Changes outside the fingerprint (``required``,
``show_if``, the section) are listed but never breaking. Moving an item within its section, or shifting it
by adding items before it, is not a change.
"""

from __future__ import annotations

from typing import Any

import msgspec

from survey.questionnaire.fingerprint import fingerprint_parts
from survey.questionnaire.model import Outcome, Questionnaire

__all__ = ["Diff", "ItemChange", "OutcomeChange", "diff", "format_diff"]

# The order in which changed fields are named.
_PART_ORDER = (
    "type",
    "text",
    "hint",
    "choices",
    "scale",
    "correct",
    "scoring",
    "reverse",
    "min",
    "max",
    "max_length",
    "choice_filter",
    "constraint",
    "constraint_message",
    "piped",
)
_TEXT_PARTS = ("text", "hint", "constraint_message")


class ItemChange(msgspec.Struct, frozen=True):
    """An item present in both versions that differs.

    ``fields`` names what differs: ``type``, ``text.<lang>``, ``hint.<lang>``, ``choices``, ``scale``,
    ``correct``, ``scoring``, ``reverse``, ``min``, ``max``, ``max_length`` (all in the fingerprint), and
    ``required``, ``show_if``, ``section`` (outside it). ``breaking`` is true when pre/post comparisons
    must leave the item out; ``equivalent`` when the fingerprint changed but the newer version declared
    the change cosmetic.
    """

    key: str
    fields: list[str]
    breaking: bool
    equivalent: bool = False


class OutcomeChange(msgspec.Struct, frozen=True):
    """An outcome present in both versions that differs; ``fields`` as for items (``label.<lang>``...)."""

    key: str
    fields: list[str]


class Diff(msgspec.Struct, frozen=True):
    """Differences from an older to a newer version.

    Item and outcome keys are listed in questionnaire order (``removed`` in the older version's order).
    ``other`` names changes to the questionnaire itself: ``languages``, ``title.<lang>``,
    ``description.<lang>``, sections added, removed or changed (``section attitudes: show_if``), and
    the analysis block (``analysis.covariates``, ``analysis.subgroups``), which changes what is
    reported, never what is asked.
    """

    added: list[str]
    removed: list[str]
    changed: list[ItemChange]
    outcomes_added: list[str] = []
    outcomes_removed: list[str] = []
    outcomes_changed: list[OutcomeChange] = []
    other: list[str] = []

    @property
    def breaking(self) -> list[str]:
        """Keys of the items whose change is breaking."""
        return [c.key for c in self.changed if c.breaking]

    def __bool__(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.changed
            or self.outcomes_added
            or self.outcomes_removed
            or self.outcomes_changed
            or self.other
        )


def diff(old: Questionnaire, new: Questionnaire) -> Diff:
    """Compare two versions of a questionnaire (normally two versions with the same key).

    Parameters
    ----------
    old, new
        The older and the newer definition; ``equivalent: true`` is read from ``new``.

    Returns
    -------
    Diff
        Added, removed and changed items (with the fields that differ and whether the change is breaking),
        the same for outcomes, and other changes of the questionnaire.
    """
    old_keys = [item.key for item in old.items()]
    new_keys = [item.key for item in new.items()]
    in_old, in_new = set(old_keys), set(new_keys)
    changed = [
        change for key in new_keys if key in in_old and (change := _item_change(old, new, key))
    ]
    return Diff(
        added=[k for k in new_keys if k not in in_old],
        removed=[k for k in old_keys if k not in in_new],
        changed=changed,
        outcomes_added=[k for k in new.outcomes if k not in old.outcomes],
        outcomes_removed=[k for k in old.outcomes if k not in new.outcomes],
        outcomes_changed=[
            OutcomeChange(k, fields)
            for k in new.outcomes
            if k in old.outcomes and (fields := _outcome_fields(old.outcomes[k], new.outcomes[k]))
        ],
        other=_other_changes(old, new),
    )


def format_diff(d: Diff) -> str:
    """The diff as text for the command line, one line per change.

    ``+ key`` added, ``- key`` removed, ``~ key  field, field`` changed, followed by ``BREAKING`` or
    ``equivalent`` when the fingerprint changed. Outcomes read ``+ outcome key`` and so on, changes to the
    questionnaire itself ``~ questionnaire  title.en``. An empty diff is ``no changes``.
    """
    lines = [f"+ {key}" for key in d.added]
    lines += [f"- {key}" for key in d.removed]
    for change in d.changed:
        verdict = "  BREAKING" if change.breaking else "  equivalent" if change.equivalent else ""
        lines.append(f"~ {change.key}  {', '.join(change.fields)}{verdict}")
    lines += [f"+ outcome {key}" for key in d.outcomes_added]
    lines += [f"- outcome {key}" for key in d.outcomes_removed]
    lines += [f"~ outcome {c.key}  {', '.join(c.fields)}" for c in d.outcomes_changed]
    if d.other:
        lines.append(f"~ questionnaire  {', '.join(d.other)}")
    return "\n".join(lines) if lines else "no changes"


def _item_change(old: Questionnaire, new: Questionnaire, key: str) -> ItemChange | None:
    old_item, new_item = old.item(key), new.item(key)
    old_parts, new_parts = fingerprint_parts(old, old_item), fingerprint_parts(new, new_item)
    fields: list[str] = []
    for part in _PART_ORDER:
        a, b = old_parts.get(part), new_parts.get(part)
        if a == b:
            continue
        if part in _TEXT_PARTS and a is not None and b is not None:
            fields += _text_fields(part, a, b)
        else:
            fields.append(part)
    fingerprint_changed = bool(fields)
    if old_item.required != new_item.required:
        fields.append("required")
    if old_item.show_if != new_item.show_if:
        fields.append("show_if")
    if old.section_of(key).key != new.section_of(key).key:
        fields.append("section")
    if not fields:
        return None
    answerable = old_item.answerable and new_item.answerable
    type_changed = old_item.type != new_item.type
    breaking = fingerprint_changed and (type_changed or (answerable and not new_item.equivalent))
    equivalent = fingerprint_changed and not breaking and new_item.equivalent
    return ItemChange(key, fields, breaking, equivalent)


def _text_fields(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    languages = list(new) + [lang for lang in old if lang not in new]
    return [f"{name}.{lang}" for lang in languages if old.get(lang) != new.get(lang)]


def _outcome_fields(old: Outcome, new: Outcome) -> list[str]:
    fields: list[str] = []
    for field in msgspec.structs.fields(Outcome):
        a, b = getattr(old, field.name), getattr(new, field.name)
        if a == b:
            continue
        if field.name == "label":
            fields += _text_fields("label", a, b)
        else:
            fields.append(field.name)
    return fields


def _other_changes(old: Questionnaire, new: Questionnaire) -> list[str]:
    other: list[str] = []
    if old.key != new.key:
        other.append("key")
    if old.languages != new.languages:
        other.append("languages")
    other += _text_fields("title", old.title, new.title)
    if old.description != new.description:
        if old.description is None or new.description is None:
            other.append("description")
        else:
            other += _text_fields("description", old.description, new.description)
    old_sections = {s.key: s for s in old.sections}
    new_sections = {s.key: s for s in new.sections}
    for key, section in new_sections.items():
        if key not in old_sections:
            other.append(f"section {key} added")
            continue
        before = old_sections[key]
        fields = []
        if before.title != section.title:
            if before.title is None or section.title is None:
                fields.append("title")
            else:
                fields += _text_fields("title", before.title, section.title)
        if before.show_if != section.show_if:
            fields.append("show_if")
        if fields:
            other.append(f"section {key}: {', '.join(fields)}")
    other += [f"section {key} removed" for key in old_sections if key not in new_sections]
    for key in [*new.calculations, *(k for k in old.calculations if k not in new.calculations)]:
        if old.calculations.get(key) != new.calculations.get(key):
            other.append(f"calculations.{key}")
    if [k for k in old_sections if k in new_sections] != [
        k for k in new_sections if k in old_sections
    ]:
        other.append("section order")
    for kind in ("covariates", "subgroups"):
        before = getattr(old.analysis, kind) if old.analysis else []
        after = getattr(new.analysis, kind) if new.analysis else []
        if before != after:
            other.append(f"analysis.{kind}")
    return other
