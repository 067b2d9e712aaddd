"""The questionnaire Structs and their convenience methods (survey.questionnaire.model)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
import yaml

from survey.questionnaire.load import load_file
from survey.questionnaire.model import Choice, Item, Questionnaire

DATA = Path(__file__).parent / "data"
RAW = yaml.safe_load((DATA / "base.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_file(DATA / "base.yaml")


def test_items_come_in_questionnaire_order(q: Questionnaire) -> None:
    expected = [item["key"] for section in RAW["sections"] for item in section["items"]]
    assert [item.key for item in q.items()] == expected


def test_item_by_key(q: Questionnaire) -> None:
    for section in RAW["sections"]:
        for raw in section["items"]:
            found = q.item(raw["key"])
            assert (found.key, found.type) == (raw["key"], raw["type"])
            assert q.section_of(raw["key"]).key == section["key"]


def test_unknown_item_is_a_key_error(q: Questionnaire) -> None:
    with pytest.raises(KeyError, match="k_nothing"):
        q.item("k_nothing")
    with pytest.raises(KeyError, match="k_nothing"):
        q.section_of("k_nothing")


def test_choices_for_resolves_named_lists(q: Questionnaire) -> None:
    named = q.choices_for(q.item("k_job_offer"))
    assert [(c.value, c.label["en"]) for c in named] == [
        (c["value"], c["label"]["en"]) for c in RAW["choice_lists"]["yes_no_dk"]
    ]
    inline = q.choices_for(q.item("k_letters"))
    assert [c.value for c in inline] == ["a", "b", "d"]
    assert all(isinstance(c, Choice) for c in named + inline)


@pytest.mark.parametrize("key", ["age", "consent", "a_report", "intro"])
def test_choices_for_an_item_without_choices_is_a_value_error(q: Questionnaire, key: str) -> None:
    with pytest.raises(ValueError, match=key):
        q.choices_for(q.item(key))


def test_scale_for(q: Questionnaire) -> None:
    scale = q.scale_for(q.item("a_four"))
    assert scale.points == 4
    assert scale.labels["en"] == RAW["likert_scales"]["agree4"]["labels"]["en"]
    with pytest.raises(ValueError, match="k_job_offer"):
        q.scale_for(q.item("k_job_offer"))


def test_knowledge_and_answerable(q: Questionnaire) -> None:
    knowledge = {item.key for item in q.items() if item.is_knowledge}
    assert knowledge == {"k_job_offer", "k_signs", "k_letters"}
    assert [item.key for item in q.items() if not item.answerable] == ["intro"]


def test_default_language_is_the_first(q: Questionnaire) -> None:
    assert q.default_language == "mn"
    other = msgspec.structs.replace(q, languages=["en", "mn"])
    assert other.default_language == "en"


def test_structs_are_frozen(q: Questionnaire) -> None:
    with pytest.raises(AttributeError):
        q.key = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        q.item("age").required = True  # type: ignore[misc]


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="requird"):
        msgspec.convert({"key": "a", "type": "text", "text": {}, "requird": True}, Item)


def test_defaults_are_omitted_when_encoding() -> None:
    item = Item(key="age", type="integer", text={"en": "Age"})
    assert msgspec.to_builtins(item) == {"key": "age", "type": "integer", "text": {"en": "Age"}}


def test_round_trip_through_builtins(q: Questionnaire) -> None:
    again = msgspec.convert(msgspec.to_builtins(q), Questionnaire)
    assert again == q
    assert again.item("k_signs") == q.item("k_signs")
