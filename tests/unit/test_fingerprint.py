"""Canonical definitions, definition hashes and item fingerprints (survey.questionnaire.fingerprint)."""

from __future__ import annotations

import copy
import hashlib
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from survey.questionnaire.fingerprint import (
    canonical_definition,
    definition_hash,
    item_fingerprint,
    item_fingerprints,
)
from survey.questionnaire.load import load_definition, load_object
from survey.questionnaire.model import Questionnaire

DATA = Path(__file__).parent / "data"
BASE: dict[str, Any] = yaml.safe_load((DATA / "base.yaml").read_text(encoding="utf-8"))


def variant(change: Callable[[dict[str, Any]], object] | None = None) -> Questionnaire:
    d = copy.deepcopy(BASE)
    if change is not None:
        change(d)
    return load_object(d)


def item(d: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for s in d["sections"] for i in s["items"] if i["key"] == key)


def fingerprint(q: Questionnaire, key: str) -> str:
    return item_fingerprint(q, q.item(key))


def reversed_keys(obj: object) -> object:
    """The same data with every mapping's keys in reverse order."""
    if isinstance(obj, dict):
        return {k: reversed_keys(obj[k]) for k in reversed(list(obj))}
    if isinstance(obj, list):
        return [reversed_keys(v) for v in obj]
    return obj


def padded_nfd(obj: object, parent: str = "") -> object:
    """The same data with every human-readable text decomposed (NFD) and padded with whitespace."""
    if isinstance(obj, dict):
        return {
            k: padded_nfd(v, k if k in ("text", "title", "label", "labels") else parent)
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [padded_nfd(v, parent) for v in obj]
    if isinstance(obj, str) and parent:
        return f" \t{unicodedata.normalize('NFD', obj)}\n "
    return obj


# --------------------------------------------------------------------------------------------------
# Canonical definition and hash


def test_canonical_json_has_sorted_keys_and_no_whitespace() -> None:
    canonical = canonical_definition(variant())

    def sorted_everywhere(obj: object) -> bool:
        if isinstance(obj, dict):
            return list(obj) == sorted(obj) and all(sorted_everywhere(v) for v in obj.values())
        if isinstance(obj, list):
            return all(sorted_everywhere(v) for v in obj)
        return True

    decoded = json.loads(canonical)
    assert sorted_everywhere(decoded)
    # The standard library's compact, sorted encoding of the same data is byte-identical.
    again = json.dumps(decoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical == again.encode("utf-8")


def test_canonical_json_decodes_to_the_same_definition() -> None:
    q = variant()
    assert msgspec.json.decode(canonical_definition(q), type=Questionnaire) == q


def test_hash_is_the_sha256_of_the_canonical_json() -> None:
    q = variant()
    digest = definition_hash(q)
    assert len(digest) == 64 and set(digest) <= set("0123456789abcdef")
    assert digest == hashlib.sha256(canonical_definition(q)).hexdigest()


def test_hash_ignores_key_order() -> None:
    source = yaml.safe_dump(BASE, allow_unicode=True, sort_keys=True)
    shuffled = yaml.safe_dump(reversed_keys(BASE), allow_unicode=True, sort_keys=False)
    assert source != shuffled
    assert definition_hash(load_definition(source)) == definition_hash(load_definition(shuffled))


def test_hash_ignores_unicode_normalisation_and_surrounding_whitespace() -> None:
    messy = padded_nfd(BASE)
    assert messy != BASE
    assert definition_hash(load_object(messy)) == definition_hash(variant())


def test_hash_ignores_explicit_defaults() -> None:
    def explicit(d: dict[str, Any]) -> None:
        item(d, "comments")["max_length"] = 500
        item(d, "age")["required"] = False
        d["outcomes"]["confidence"]["min_answered"] = 0.5

    assert definition_hash(variant(explicit)) == definition_hash(variant())


def test_hash_changes_when_a_label_changes() -> None:
    def relabel(d: dict[str, Any]) -> None:
        d["choice_lists"]["signs"][1]["label"]["en"] = "Debt bondage"

    assert definition_hash(variant(relabel)) != definition_hash(variant())


def test_hash_changes_when_required_changes() -> None:
    # The version is a different file, even though no item fingerprint changes.
    assert definition_hash(variant(lambda d: item(d, "age").update(required=True))) != (
        definition_hash(variant())
    )


# --------------------------------------------------------------------------------------------------
# Item fingerprints


def test_every_answerable_item_has_a_distinct_fingerprint() -> None:
    q = variant()
    fingerprints = item_fingerprints(q)
    assert list(fingerprints) == [i.key for i in q.items() if i.type != "note"]
    assert len(set(fingerprints.values())) == len(fingerprints)
    assert all(len(f) == 64 for f in fingerprints.values())


def messy_copy(d: dict[str, Any]) -> None:
    """Rewrite ``d`` in place with its keys reversed and its texts decomposed and padded."""
    messy = padded_nfd(reversed_keys(d))
    d.clear()
    d.update(messy)  # type: ignore[arg-type]


UNCHANGED: list[tuple[str, str, Callable[[dict[str, Any]], object]]] = [
    ("required", "age", lambda d: item(d, "age").update(required=True)),
    ("show_if", "aimag", lambda d: item(d, "aimag").update(show_if="age >= 18")),
    ("equivalent", "age", lambda d: item(d, "age").update(equivalent=True)),
    (
        "moved to another section",
        "aimag",
        lambda d: d["sections"][3]["items"].insert(0, d["sections"][1]["items"].pop(1)),
    ),
    ("position", "aimag", lambda d: d["sections"][1]["items"].reverse()),
    (
        "choice list renamed",
        "aimag",
        lambda d: (
            d["choice_lists"].update(provinces=d["choice_lists"].pop("aimags")),
            item(d, "aimag").update(choices="provinces"),
        ),
    ),
    (
        "choice list inlined",
        "aimag",
        lambda d: item(d, "aimag").update(choices=copy.deepcopy(d["choice_lists"]["aimags"])),
    ),
    (
        "Likert scale renamed",
        "a_report",
        lambda d: (
            d["likert_scales"].update(agree=d["likert_scales"].pop("agree5")),
            item(d, "a_report").update(scale="agree"),
            item(d, "a_help").update(scale="agree"),
        ),
    ),
    ("key order, NFC and spacing", "k_signs", messy_copy),
    ("another item's text", "aimag", lambda d: item(d, "age")["text"].update(en="Your age")),
]


@pytest.mark.parametrize(
    ("key", "change"), [c[1:] for c in UNCHANGED], ids=[c[0] for c in UNCHANGED]
)
def test_fingerprint_ignores_what_the_respondent_does_not_see(
    key: str, change: Callable[[dict[str, Any]], object]
) -> None:
    assert fingerprint(variant(change), key) == fingerprint(variant(), key)


CHANGED: list[tuple[str, str, Callable[[dict[str, Any]], object]]] = [
    ("type", "k_hotline", lambda d: item(d, "k_hotline").update(type="choice")),
    ("text", "age", lambda d: item(d, "age")["text"].update(mn="Таны нас")),
    ("hint added", "age", lambda d: item(d, "age").update(hint={"mn": "жил", "en": "years"})),
    (
        "shared choice label",
        "k_signs",
        lambda d: d["choice_lists"]["signs"][2]["label"].update(en="A contract"),
    ),
    ("choice order", "k_letters", lambda d: item(d, "k_letters")["choices"].reverse()),
    (
        "choice added",
        "aimag",
        lambda d: d["choice_lists"]["aimags"].append(
            {"value": "uvs", "label": {"mn": "Увс", "en": "Uvs"}}
        ),
    ),
    ("correct", "k_letters", lambda d: item(d, "k_letters").update(correct="b")),
    ("scoring", "k_signs", lambda d: item(d, "k_signs").update(scoring="all_or_nothing")),
    ("reverse", "a_four", lambda d: item(d, "a_four").update(reverse=True)),
    ("scale label", "a_report", lambda d: d["likert_scales"]["agree5"]["labels"]["en"].reverse()),
    ("other scale", "a_four", lambda d: item(d, "a_four").update(scale="agree5")),
    ("min", "age", lambda d: item(d, "age").update(min=16)),
    ("max", "arrived", lambda d: item(d, "arrived").update(max="2030-01-01")),
    ("max_length", "comments", lambda d: item(d, "comments").update(max_length=200)),
]


@pytest.mark.parametrize(("key", "change"), [c[1:] for c in CHANGED], ids=[c[0] for c in CHANGED])
def test_fingerprint_changes_with_what_the_respondent_sees(
    key: str, change: Callable[[dict[str, Any]], object]
) -> None:
    assert fingerprint(variant(change), key) != fingerprint(variant(), key)


def test_shared_choice_label_changes_every_item_using_it() -> None:
    before = item_fingerprints(variant())
    after = item_fingerprints(
        variant(lambda d: d["choice_lists"]["yes_no_dk"][2]["label"].update(mn="Мэдэхгүй байна"))
    )
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"k_job_offer", "q_would_report"}
