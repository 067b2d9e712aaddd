"""Canonical form and hashes of a questionnaire definition, and the fingerprint of each item.

The definition hash identifies a published version: publishing the same definition twice gives the same
hash, whatever the key order, Unicode normalisation or surrounding whitespace of the file's texts (the
loader normalises those, see :mod:`survey.questionnaire.load`).

An item's fingerprint identifies what a respondent sees and how the answer is scored, so that a pre and a
post wave answered on different versions are compared only on items whose fingerprints match.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from survey.questionnaire.computed import piped_references
from survey.questionnaire.expressions import names, parse
from survey.questionnaire.model import Item, Questionnaire

__all__ = [
    "canonical_definition",
    "definition_hash",
    "fingerprint_parts",
    "item_fingerprint",
    "item_fingerprints",
]


def canonical_definition(q: Questionnaire) -> bytes:
    """The canonical JSON of a definition: keys sorted, defaults omitted, no insignificant whitespace.

    ``q`` should come from the loader, which has already normalised its texts (NFC, stripped) and made
    the implied defaults explicit; ``msgspec.json.decode(canonical_definition(q), type=Questionnaire)``
    then equals ``q``.
    """
    return msgspec.json.encode(msgspec.to_builtins(q), order="sorted")


def definition_hash(q: Questionnaire) -> str:
    """SHA-256 (hex) of :func:`canonical_definition`."""
    return hashlib.sha256(canonical_definition(q)).hexdigest()


def fingerprint_parts(q: Questionnaire, item: Item) -> dict[str, Any]:
    """What enters an item's fingerprint, as a mapping of part name to value.

    The parts are: ``type``, ``text`` and ``hint`` (every language), ``choices`` (the resolved list, in
    order, each as ``[value, labels]``: renaming a shared choice list changes nothing, changing one of
    its labels changes every item using it), ``scale`` (for likert items the scale's ``points`` and
    ``labels``, not its name), ``correct``, ``scoring``, ``reverse`` (only when true), ``min``, ``max``,
    ``max_length``, ``choice_filter``, ``constraint`` and ``constraint_message`` (which answers are
    offered and accepted, and what the respondent reads when one is not), and ``piped``: the
    calculations a text shows with ``${key}``, resolved down to their expressions, since changing one
    changes what the respondent reads. A choice's ``properties`` join its ``[value, labels]`` when it
    has some. Absent parts are left out.

    Not included, because they change neither what is asked nor how it is scored: ``key`` (the item's
    identity, compared separately), ``required``, ``show_if``, ``equivalent``, the section and the
    position.
    """
    parts: dict[str, Any] = {"type": item.type, "text": item.text}
    if item.hint is not None:
        parts["hint"] = item.hint
    if item.choices is not None:
        parts["choices"] = [
            [c.value, c.label, c.properties] if c.properties else [c.value, c.label]
            for c in q.choices_for(item)
        ]
    if item.scale is not None:
        scale = q.scale_for(item)
        parts["scale"] = {"points": scale.points, "labels": scale.labels}
    for name in (
        "correct",
        "scoring",
        "min",
        "max",
        "max_length",
        "choice_filter",
        "constraint",
        "constraint_message",
    ):
        value = getattr(item, name)
        if value is not None:
            parts[name] = value
    if item.reverse:
        parts["reverse"] = True
    piped = piped_references(item.text) | piped_references(item.hint)
    calculations = _calculations_behind(q, piped)
    if calculations:
        parts["piped"] = calculations
    return parts


def _calculations_behind(q: Questionnaire, keys: set[str]) -> dict[str, str]:
    """The calculations among ``keys`` and every calculation they are computed from."""
    found: dict[str, str] = {}
    pending = [k for k in keys if k in q.calculations]
    while pending:
        key = pending.pop()
        if key in found:
            continue
        found[key] = q.calculations[key]
        pending += [k for k in names(parse(q.calculations[key])) if k in q.calculations]
    return found


def item_fingerprint(q: Questionnaire, item: Item) -> str:
    """SHA-256 (hex) of the item's :func:`fingerprint_parts`, encoded as JSON with sorted keys.

    Two items have the same fingerprint exactly when a respondent sees the same question, with the same
    texts, hint, choices (values and labels in every language, in the same order), Likert points and
    labels, and their answers are scored the same way (correct answer, scoring, reverse coding, bounds,
    maximum length). ``required``, ``show_if``, ``equivalent``, the section and the position do not
    enter it.
    """
    encoded = msgspec.json.encode(fingerprint_parts(q, item), order="sorted")
    return hashlib.sha256(encoded).hexdigest()


def item_fingerprints(q: Questionnaire) -> dict[str, str]:
    """The fingerprint of every answerable item (notes have no answer to compare), by item key."""
    return {item.key: item_fingerprint(q, item) for item in q.items() if item.answerable}
