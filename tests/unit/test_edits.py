"""The editor's changes to a definition (survey.editor.edits): pure, Structs in and out, checked against the
loader."""

from __future__ import annotations

import pytest

from survey.editor import edits
from survey.questionnaire.load import load_definition
from tests.helpers import V1

Q = load_definition(V1)


def keys(q) -> list[list[str]]:
    return [[i.key for i in s.items] for s in q.sections]


def test_an_item_moves_within_and_across_sections() -> None:
    before = keys(Q)
    down = edits.move_item(Q, 1, 0, +1)
    assert keys(down)[1][:2] == [before[1][1], before[1][0]]
    # The first item of a section moving up goes to the end of the section before.
    up = edits.move_item(Q, 1, 0, -1)
    assert keys(up)[0] == [*before[0], before[1][0]] and keys(up)[1] == before[1][1:]
    # At the very start nothing moves.
    assert edits.move_item(Q, 0, 0, -1) == Q
    last = len(Q.sections) - 1
    assert edits.move_item(Q, last, len(Q.sections[last].items) - 1, +1) == Q


def test_sections_move_and_go() -> None:
    moved = edits.move_section(Q, 0, +1)
    assert [s.key for s in moved.sections][:2] == [Q.sections[1].key, Q.sections[0].key]
    assert [s.key for s in edits.delete_section(Q, 0).sections] == [s.key for s in Q.sections[1:]]
    with pytest.raises(edits.Unusable):
        edits.delete_section(Q, len(Q.sections))


def test_a_change_of_type_clears_what_the_new_type_cannot_have() -> None:
    s, j = 2, 1  # k_signs: multi with choices, correct answers and partial scoring
    assert Q.sections[s].items[j].key == "k_signs"
    fields = {"key": "k_signs", "type": "integer", "text.mn": "Тоо?", "text.en": "How many?"}
    item = edits.edit_item(Q, s, j, fields).sections[s].items[j]
    assert item.type == "integer" and item.text == {"mn": "Тоо?", "en": "How many?"}
    assert item.choices is None and item.correct is None and item.scoring is None


def test_a_typed_bound_stays_as_typed_and_the_loader_names_it() -> None:
    s, j = 1, 0  # age: integer 18..27
    fields = {"key": "age", "type": "integer", "text.mn": "Нас?", "text.en": "Age?", "min": "abc"}
    q = edits.edit_item(Q, s, j, fields)
    assert q.sections[s].items[j].min == "abc"
    assert 'sections[1].items[0].min: expected an integer, got "abc"' in edits.problems(q)
    fields["min"] = "16"
    assert edits.edit_item(Q, s, j, fields).sections[s].items[j].min == 16


def test_the_condition_builder_offers_only_earlier_items_and_their_answers() -> None:
    s, j = 2, 1  # k_signs, after consent, age, aimag, visit, code, k_offer
    offered = [c.expression for c in edits.condition_options(Q, s, j)]
    assert "consent == 'yes'" in offered and "k_offer == 'dk'" in offered
    assert "aimag == 'darkhan'" in offered and "answered(age)" in offered
    assert not any("k_signs" in e or "a_help" in e for e in offered)
    assert edits.condition_options(Q, 0, 0) == []
    # For a section: everything in the sections before it.
    assert "answered(k_signs)" in [c.expression for c in edits.condition_options(Q, 3, None)]


def test_what_the_builder_offers_passes_the_loader() -> None:
    for option in edits.condition_options(Q, 3, 0):
        fields = {
            "key": "a_help",
            "type": "likert",
            "text.mn": "Тусламж хүснэ",
            "text.en": "I can ask for help",
            "scale": "agree5",
            "condition": option.expression,
        }
        q = edits.edit_item(Q, 3, 0, fields)
        assert q.sections[3].items[0].show_if == option.expression
        assert edits.problems(q) == [], option.expression


def test_a_written_condition_wins_only_when_it_was_changed() -> None:
    base = {"key": "age", "type": "integer", "text.mn": "Нас?", "text.en": "Age?"}
    chosen = {**base, "condition": "consent == 'no'", "show_if": "", "show_if_was": ""}
    assert edits.edit_item(Q, 1, 0, chosen).sections[1].items[0].show_if == "consent == 'no'"
    written = {**chosen, "show_if": "answered(consent)"}
    assert edits.edit_item(Q, 1, 0, written).sections[1].items[0].show_if == "answered(consent)"
    always = {**base, "condition": "always"}
    assert edits.edit_item(Q, 1, 0, always).sections[1].items[0].show_if is None


def test_a_renamed_scale_takes_its_items_along() -> None:
    fields = {"key": "agree", "labels.mn": "Үгүй\nТийм", "labels.en": "No\nYes"}
    q = edits.set_scale(Q, "agree5", fields)
    assert list(q.likert_scales) == ["agree"] and q.likert_scales["agree"].points == 2
    assert {i.scale for i in q.items() if i.type == "likert"} == {"agree"}
    assert edits.problems(q) == []


def test_an_outcome_is_made_from_ticked_items() -> None:
    fields = {
        "key": "attitude",
        "kind": "scale",
        "label.mn": "Хандлага",
        "label.en": "Attitude",
        "item.a_help": "on",
        "item.a_shame": "on",
        "reverse.a_shame": "on",
        "reverse.a_help": "",
    }
    q = edits.set_outcome(Q, None, fields)
    made = q.outcomes["attitude"]
    assert made.items == ["a_help", "a_shame"] and made.reverse == ["a_shame"]
    assert edits.problems(q) == []
    with pytest.raises(edits.Unusable):
        edits.set_outcome(Q, None, {**fields, "key": "knowledge"})


def test_marking_equivalent_touches_only_the_items_named() -> None:
    q = edits.mark_equivalent(Q, {"k_offer": True, "age": False})
    assert q.item("k_offer").equivalent and not q.item("age").equivalent
    assert [i for i in q.items() if i.equivalent] == [q.item("k_offer")]


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("sections[2].items[3].correct: x", "s2.3"),
        ("sections[1].show_if: x", "s1"),
        ("outcomes.knowledge.items: x", "outcomes.knowledge"),
        ("likert_scales.agree5.labels: x", "likert_scales.agree5"),
        ('title: missing "mn" text', ""),
    ],
)
def test_each_loader_message_finds_its_place(message: str, place: str) -> None:
    assert edits.place_of(message) == place


def test_a_blank_questionnaire_says_what_it_lacks() -> None:
    q = edits.blank("quiz", {"mn": "Сорил", "en": "Quiz"}, ["mn", "en"])
    assert edits.problems(q) == ["sections[0].items: at least one item is required"]
    q = edits.add_item(q, 0, "consent")
    q = edits.edit_item(q, 0, 0, {"key": "consent", "text.mn": "Тийм үү?", "text.en": "Agree?"})
    assert edits.problems(q) == []
    assert edits.publishable(q).item("consent").required  # completed by the loader
