"""Calculated values, piped text, cascading choices, constraints and partial translations.

The definition format (survey.questionnaire.load), what is worked out from answers
(survey.questionnaire.computed) and the fingerprints and diffs that follow from them.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from survey.errors import InvalidDefinition
from survey.questionnaire.computed import (
    constraint_holds,
    item_dependencies,
    offered_choices,
    pipe,
    untranslated,
    with_calculations,
)
from survey.questionnaire.diff import diff, format_diff
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_object, shipped_choice_lists

DATA = Path(__file__).parent / "data"
RAW: dict[str, Any] = yaml.safe_load((DATA / "computed.yaml").read_text(encoding="utf-8"))


def load(data: dict[str, Any] | None = None):
    return load_object(copy.deepcopy(data if data is not None else RAW))


def errors(change: dict[str, Any] | None = None, **calculations: str) -> list[str]:
    """The loader's errors for the fixture with ``change`` merged into the item it names."""
    data = copy.deepcopy(RAW)
    for key, fields in (change or {}).items():
        target = next(i for s in data["sections"] for i in s["items"] if i["key"] == key)
        for name, value in fields.items():
            if value is None:
                target.pop(name, None)
            else:
                target[name] = value
    data["calculations"].update(calculations)
    try:
        load_object(data)
    except InvalidDefinition as exc:
        return exc.errors
    return []


Q = load()


# --------------------------------------------------------------------------------------------------
# The shipped aimag → soum lists


def test_the_shipped_lists_hold_every_aimag_and_soum_of_the_statistics_office() -> None:
    lists = shipped_choice_lists()
    aimags = {c["value"] for c in lists["mn_aimag"]}
    soums = lists["mn_soum"]
    # 21 aimags and the capital; 330 soums and the capital's 9 districts (National Statistics Office).
    assert len(aimags) == 22
    assert len(soums) == 339
    assert sum(1 for s in soums if s["properties"]["aimag"] == "11") == 9
    assert {s["properties"]["aimag"] for s in soums} == aimags
    assert len({s["value"] for s in soums}) == 339
    # Each soum's code starts with its aimag's code, as in the office's classification.
    assert all(s["value"].startswith(s["properties"]["aimag"]) for s in soums)


def test_a_shipped_list_named_in_choices_is_copied_into_the_definition() -> None:
    assert len(Q.choice_lists["mn_soum"]) == 339
    battsengel = next(c for c in Q.choice_lists["mn_soum"] if c.label["mn"] == "Батцэнгэл")
    assert battsengel.label["en"] == "Battsengel"
    assert battsengel.properties == {"aimag": "65"}


# --------------------------------------------------------------------------------------------------
# What is worked out from answers


def test_cascading_choices_offer_the_soums_of_the_aimag_answered() -> None:
    soum = Q.item("soum")
    arkhangai = [c.label["mn"] for c in offered_choices(Q, soum, {"aimag": "65"})]
    assert len(arkhangai) == 19
    assert "Батцэнгэл" in arkhangai and "Баянгол" not in arkhangai
    assert offered_choices(Q, soum, {}) == []  # nothing before the aimag is answered, as in ODK


def test_a_multi_answer_offers_each_choice_it_holds() -> None:
    data = copy.deepcopy(RAW)
    data["sections"][0]["items"][0]["type"] = "multi"
    q = load(data)
    offered = offered_choices(q, q.item("soum"), {"aimag": ["65", "11"]})
    assert len(offered) == 19 + 9


def test_a_calculated_value_is_computed_from_the_answers() -> None:
    answers = with_calculations(Q, {"adults": 2, "children": 5})
    assert answers["household_size"] == 7
    assert with_calculations(Q, {"adults": 2})["household_size"] == 2
    assert with_calculations(Q, {})["household_size"] is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("mn", "Танай өрх 7 хүнтэй. Баг, хороо: 3-р баг."),
        ("en", "Your household has 7 people. Bag or khoroo: 3-р баг."),
    ],
)
def test_piped_text_shows_the_calculated_value(language: str, expected: str) -> None:
    text = Q.item("size_note").text[language]
    answers = {"adults": 2, "children": 5, "place_name": "3-р баг"}
    assert pipe(Q, text, answers, language) == expected


def test_piped_text_shows_a_choice_by_its_label_in_the_page_language() -> None:
    item = Q.item("large_help")
    answers = {"soum": "6504"}
    assert pipe(Q, item.text["mn"], answers, "mn").startswith("Батцэнгэл сум, дүүрэгт")
    assert pipe(Q, item.text["en"], answers, "en").endswith("in Battsengel?")
    assert pipe(Q, item.text["en"], {}, "en") == "Is there help for large households in ?"


def test_piped_text_is_plain_text_for_the_template_to_escape() -> None:
    data = copy.deepcopy(RAW)
    q = load(data)
    shown = pipe(q, q.item("size_note").text["en"], {"place_name": "<b>x</b>"}, "en")
    assert shown.endswith("khoroo: <b>x</b>.")  # as typed; the page template escapes it


def test_the_constraint_is_checked_with_the_answer_given() -> None:
    children = Q.item("children")
    assert constraint_holds(Q, children, {"adults": 2, "children": 20})
    assert not constraint_holds(Q, children, {"adults": 2, "children": 21})
    assert constraint_holds(Q, children, {"adults": 2})  # unanswered: required decides


def test_an_item_depends_on_what_its_condition_choices_and_text_name() -> None:
    assert item_dependencies(Q, Q.item("soum")) == {"aimag"}
    # The calculation is replaced by the answers it is computed from.
    assert item_dependencies(Q, Q.item("size_note")) == {"adults", "children", "place_name"}
    assert item_dependencies(Q, Q.item("large_help")) == {"adults", "children", "soum"}


# --------------------------------------------------------------------------------------------------
# Validation: each mistake named at its place


@pytest.mark.parametrize(
    ("change", "calculations", "expected"),
    [
        (
            {"soum": {"choice_filter": {"district": "aimag"}}},
            {},
            'sections[0].items[1].choice_filter.district: no choice has the property "district" '
            "(defined: aimag)",
        ),
        (
            {"soum": {"choice_filter": {"aimag": "adults"}}},
            {},
            'sections[0].items[1].choice_filter.aimag: "adults" does not come before this item',
        ),
        (
            {"adults": {"choice_filter": {"aimag": "aimag"}}},
            {},
            "sections[1].items[0].choice_filter: not allowed on integer items (only on choice, multi)",
        ),
        (
            {"children": {"constraint": "children <= grown_ups"}},
            {},
            'sections[1].items[1].constraint: unknown item "grown_ups" at position 12',
        ),
        (
            {"children": {"constraint": None}},
            {},
            "sections[1].items[1].constraint_message: needs a constraint to explain",
        ),
        (
            {"children": {"constraint_message": {"en": "Too many."}}},
            {},
            'sections[1].items[1].constraint_message: missing "mn" text (the default language)',
        ),
        (
            {"size_note": {"text": {"mn": "${household}", "en": "x"}}},
            {},
            'sections[2].items[0].text.mn: unknown item "household"',
        ),
        (
            {"size_note": {"text": {"mn": "${Household Size}", "en": "x"}}},
            {},
            'sections[2].items[0].text.mn: "${Household Size}" does not name an item: write ${key} '
            "with an item key",
        ),
        (
            {"adults": {"hint": {"mn": "${children} хүүхэд", "en": "x"}}},
            {},
            'sections[1].items[0].hint.mn: "children" does not come before this item',
        ),
        (
            {"adults": {"show_if": "household_size > 2"}},
            {},
            'sections[1].items[0].show_if: "household_size" at position 0 is computed from items '
            "that do not come before this item",
        ),
        (
            None,
            {"total": "household_size + "},
            'calculations.total: expected a value after "+" at position 15',
        ),
        (
            None,
            {"adults": "1"},
            'calculations.adults: "adults" is also the key of an item (at sections[1].items[0])',
        ),
        (
            None,
            {"first": "second + 1", "second": "1"},
            'calculations.first: "second" at position 0 is not a calculation before this one',
        ),
        (
            None,
            {"note_value": "size_note"},
            'calculations.note_value: "size_note" at position 0 '
            "is a note item, which has no answer to compute with",
        ),
    ],
)
def test_one_mistake_one_message(
    change: dict[str, Any] | None, calculations: dict[str, str], expected: str
) -> None:
    assert errors(change, **calculations) == [expected]


def test_a_calculation_may_use_the_calculations_before_it() -> None:
    assert errors(None, doubled="household_size * 2", note_text="concat(doubled, ' people')") == []


# --------------------------------------------------------------------------------------------------
# Partial translations


def test_a_missing_translation_falls_back_and_is_listed() -> None:
    data = copy.deepcopy(RAW)
    del data["sections"][1]["items"][0]["text"]["en"]
    del data["sections"][1]["items"][1]["constraint_message"]["en"]
    q = load(data)
    missing = untranslated(q)
    assert [(m.place, m.language) for m in missing] == [
        ("sections[1].items[0].text", "en"),
        ("sections[1].items[1].constraint_message", "en"),
    ]
    assert missing[0].text == "Танай өрхөд хэдэн насанд хүрэгч амьдардаг вэ?"
    assert untranslated(Q) == []


# --------------------------------------------------------------------------------------------------
# Fingerprints and diffs: what the respondent sees or what is accepted changes the fingerprint


def changed_fingerprints(change: dict[str, Any] | None = None, **calculations: str) -> set[str]:
    data = copy.deepcopy(RAW)
    for key, fields in (change or {}).items():
        target = next(i for s in data["sections"] for i in s["items"] if i["key"] == key)
        target.update(fields)
    data["calculations"].update(calculations)
    after = item_fingerprints(load(data))
    before = item_fingerprints(Q)
    return {key for key in before if before[key] != after.get(key)}


def test_fingerprints_follow_filters_constraints_messages_and_piped_calculations() -> None:
    assert changed_fingerprints({"soum": {"choice_filter": {"value": "aimag"}}}) == {"soum"}
    assert changed_fingerprints({"children": {"constraint": "children <= adults * 8"}}) == {
        "children"
    }
    message = {"mn": "Хэтэрхий олон байна.", "en": "Too many."}
    assert changed_fingerprints({"children": {"constraint_message": message}}) == {"children"}
    # large_help pipes no calculation: only the note that shows household_size changes, and a note
    # has no fingerprint; an item showing it would.
    assert changed_fingerprints(household_size="adults + 2 * coalesce(children, 0)") == set()
    data = copy.deepcopy(RAW)
    data["sections"][2]["items"][1]["hint"] = {"mn": "${household_size} хүн", "en": "x"}
    before = item_fingerprints(load(data))["large_help"]
    data["calculations"]["household_size"] = "adults"
    assert item_fingerprints(load(data))["large_help"] != before


def test_the_diff_names_the_new_parts() -> None:
    data = copy.deepcopy(RAW)
    data["sections"][1]["items"][1]["constraint"] = "children <= adults * 8"
    data["calculations"]["household_size"] = "adults"
    text = format_diff(diff(Q, load(data)))
    assert "~ children  constraint  BREAKING" in text
    assert "~ questionnaire  calculations.household_size" in text
