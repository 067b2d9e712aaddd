"""Differences between questionnaire versions (survey.questionnaire.diff)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from survey.questionnaire.diff import Diff, ItemChange, OutcomeChange, diff, format_diff
from survey.questionnaire.load import load_object
from survey.questionnaire.model import Questionnaire

DATA = Path(__file__).parent / "data"
BASE: dict[str, Any] = yaml.safe_load((DATA / "base.yaml").read_text(encoding="utf-8"))
OLD = load_object(BASE)


def variant(*changes: Callable[[dict[str, Any]], object]) -> Questionnaire:
    d = copy.deepcopy(BASE)
    for change in changes:
        change(d)
    return load_object(d)


def item(d: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for s in d["sections"] for i in s["items"] if i["key"] == key)


def test_identical_versions_have_no_difference() -> None:
    d = diff(OLD, variant())
    assert d == Diff(added=[], removed=[], changed=[])
    assert not d
    assert format_diff(d) == "no changes"


def test_one_changed_label_is_one_breaking_change() -> None:
    new = variant(lambda d: item(d, "k_letters")["choices"][1]["label"].update(en="Bee"))
    d = diff(OLD, new)
    assert d.changed == [ItemChange("k_letters", ["choices"], breaking=True)]
    assert (d.added, d.removed, d.breaking) == ([], [], ["k_letters"])
    assert format_diff(d) == "~ k_letters  choices  BREAKING"


def test_equivalent_change_is_not_breaking() -> None:
    new = variant(
        lambda d: item(d, "k_letters")["choices"][1]["label"].update(en="Bee"),
        lambda d: item(d, "k_letters").update(equivalent=True),
    )
    d = diff(OLD, new)
    assert d.changed == [ItemChange("k_letters", ["choices"], breaking=False, equivalent=True)]
    assert d.breaking == []
    assert format_diff(d) == "~ k_letters  choices  equivalent"


def test_text_change_names_the_language() -> None:
    d = diff(OLD, variant(lambda d: item(d, "k_job_offer")["text"].update(en="A job offer")))
    assert d.changed == [ItemChange("k_job_offer", ["text.en"], breaking=True)]
    assert format_diff(d) == "~ k_job_offer  text.en  BREAKING"


def test_shared_choice_list_change_touches_every_item_using_it() -> None:
    d = diff(
        OLD,
        variant(lambda d: d["choice_lists"]["yes_no_dk"][2]["label"].update(mn="Мэдэхгүй байна")),
    )
    assert [(c.key, c.fields, c.breaking) for c in d.changed] == [
        ("k_job_offer", ["choices"], True),
        ("q_would_report", ["choices"], True),
    ]


def test_changes_outside_the_fingerprint_are_listed_but_not_breaking() -> None:
    new = variant(
        lambda d: item(d, "age").update(required=True),
        lambda d: item(d, "aimag").update(show_if="age >= 18"),
        # comments moves from the last section to the first
        lambda d: d["sections"][0]["items"].append(d["sections"][3]["items"].pop()),
    )
    d = diff(OLD, new)
    assert d.changed == [
        ItemChange("comments", ["section"], breaking=False),
        ItemChange("age", ["required"], breaking=False),
        ItemChange("aimag", ["show_if"], breaking=False),
    ]
    assert d.breaking == []


def test_reordering_items_within_a_section_is_no_change() -> None:
    assert not diff(OLD, variant(lambda d: d["sections"][1]["items"].reverse()))


def test_several_fields_of_one_item() -> None:
    new = variant(
        lambda d: item(d, "age").update(min=16, required=True),
        lambda d: item(d, "age")["text"].update(mn="Нас?", en="Age?"),
    )
    d = diff(OLD, new)
    assert d.changed == [ItemChange("age", ["text.mn", "text.en", "min", "required"], True)]
    assert format_diff(d) == "~ age  text.mn, text.en, min, required  BREAKING"


def test_type_change_is_breaking_even_when_declared_equivalent() -> None:
    d = diff(OLD, variant(lambda d: item(d, "k_hotline").update(type="choice", equivalent=True)))
    assert d.changed == [ItemChange("k_hotline", ["type"], breaking=True)]


def test_note_change_is_never_breaking() -> None:
    d = diff(OLD, variant(lambda d: item(d, "intro")["text"].update(en="Welcome")))
    assert d.changed == [ItemChange("intro", ["text.en"], breaking=False)]


def test_added_and_removed_items() -> None:
    def swap(d: dict[str, Any]) -> None:
        items = d["sections"][2]["items"]
        items.remove(item(d, "k_hotline"))
        items.append({"key": "k_new", "type": "text", "text": {"mn": "Шинэ", "en": "New"}})

    d = diff(OLD, variant(swap))
    assert (d.added, d.removed, d.changed) == (["k_new"], ["k_hotline"], [])
    assert format_diff(d) == "+ k_new\n- k_hotline"


def test_outcome_changes() -> None:
    def change(d: dict[str, Any]) -> None:
        del d["outcomes"]["would_report"]
        d["outcomes"]["knowledge"]["items"].remove("k_letters")
        d["outcomes"]["knowledge"]["label"]["en"] = "What they know"
        d["outcomes"]["consented"] = {
            "kind": "proportion",
            "label": {"mn": "Зөвшөөрсөн", "en": "Consented"},
            "item": "consent",
            "value": "yes",
        }

    d = diff(OLD, variant(change))
    assert (d.added, d.removed, d.changed) == ([], [], [])
    assert d.outcomes_added == ["consented"]
    assert d.outcomes_removed == ["would_report"]
    assert d.outcomes_changed == [OutcomeChange("knowledge", ["label.en", "items"])]
    assert format_diff(d).splitlines() == [
        "+ outcome consented",
        "- outcome would_report",
        "~ outcome knowledge  label.en, items",
    ]


def test_questionnaire_level_changes() -> None:
    def change(d: dict[str, Any]) -> None:
        d["title"]["en"] = "The base"
        d["sections"][3]["show_if"] = "consent == 'yes' and age > 17"
        d["sections"].insert(
            1,
            {
                "key": "extra",
                "items": [{"key": "x_new", "type": "text", "text": {"mn": "Шинэ", "en": "New"}}],
            },
        )

    d = diff(OLD, variant(change))
    assert d.added == ["x_new"]
    assert d.other == ["title.en", "section extra added", "section attitudes: show_if"]
    assert format_diff(d).splitlines()[-1] == (
        "~ questionnaire  title.en, section extra added, section attitudes: show_if"
    )


def test_the_analysis_block_is_listed_and_never_breaks_a_comparison() -> None:
    with_block = variant(lambda d: d.__setitem__("analysis", {"covariates": ["aimag"]}))
    d = diff(OLD, with_block)
    assert d.other == ["analysis.covariates"] and d.breaking == [] and not d.changed
    assert format_diff(d) == "~ questionnaire  analysis.covariates"
    regrouped = variant(
        lambda d: d.__setitem__(
            "analysis", {"covariates": ["aimag"], "subgroups": [{"item": "age", "bands": [30]}]}
        )
    )
    assert diff(with_block, regrouped).other == ["analysis.subgroups"]
    assert diff(with_block, OLD).other == ["analysis.covariates"]


def test_diff_is_serialisable() -> None:
    import msgspec

    d = diff(OLD, variant(lambda d: item(d, "age").update(required=True)))
    assert msgspec.json.decode(msgspec.json.encode(d), type=Diff) == d
