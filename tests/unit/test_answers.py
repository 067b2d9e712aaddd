"""Reading posted pages and checking answers against a questionnaire; pages and show_if; the catalogue.

Pure code: no database, no web server.
"""

from __future__ import annotations

import re
import string
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey.collect.answers import (
    MAX_FIELDS,
    FieldError,
    Rejected,
    display_values,
    parse_page,
    read_form,
)
from survey.collect.messages import LANGUAGES, MESSAGES, translate
from survey.questionnaire.load import load_definition
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.paging import Plan

FORM = "application/x-www-form-urlencoded"
RID = "0b8e2a8c-51a4-4c0e-9f38-3a2f1f8e8c11"

DEFINITION = """
key: unit
languages: [mn, en]
title: {mn: "Т", en: "T"}
sections:
  - key: start
    items:
      - {key: consent, type: consent, text: {mn: "З", en: "C"}}
      - {key: about_note, type: note, text: {mn: "Н", en: "N"}}
      - {key: age, type: integer, min: 18, max: 27, required: true, text: {mn: "Н", en: "Age"}}
      - {key: height, type: decimal, min: 1, max: 2.5, text: {mn: "Ө", en: "Height"}}
      - {key: born, type: date, min: "1990-01-01", max: "2010-12-31", text: {mn: "Т", en: "Born"}}
      - {key: colour, type: choice, choices: colours, text: {mn: "Ө", en: "Colour"}}
      - {key: likes, type: multi, choices: colours, text: {mn: "Д", en: "Likes"}}
      - {key: agree, type: likert, scale: agree4, text: {mn: "С", en: "Agree"}}
      - {key: note_text, type: text, max_length: 10, text: {mn: "Т", en: "Text"}}
      - {key: code, type: panel_code, text: {mn: "К", en: "Code"}}
  - key: more
    show_if: "consent == 'yes'"
    items:
      - {key: q1, type: choice, choices: colours, text: {mn: "1", en: "1"}}
      - {key: q2, type: choice, choices: colours, show_if: "q1 == 'red'", text: {mn: "2", en: "2"}}
      - {key: q3, type: text, text: {mn: "3", en: "3"}}
      - {key: q4, type: choice, choices: colours, show_if: "age >= 20", text: {mn: "4", en: "4"}}
  - key: long
    items:
"""
DEFINITION += "".join(
    f'      - {{key: l{i}, type: likert, scale: agree4, text: {{mn: "{i}", en: "{i}"}}}}\n'
    for i in range(1, 12)
)
DEFINITION += """
  - key: closing
    show_if: "q1 == 'blue'"
    items:
      - {key: end_note, type: note, text: {mn: "Б", en: "Bye"}}
choice_lists:
  colours:
    - {value: red, label: {mn: "Улаан", en: "Red"}}
    - {value: green, label: {mn: "Ногоон", en: "Green"}}
    - {value: blue, label: {mn: "Цэнхэр", en: "Blue"}}
likert_scales:
  agree4:
    points: 4
    labels: {mn: ["1", "2", "3", "4"], en: ["1", "2", "3", "4"]}
"""


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_definition(DEFINITION)


@pytest.fixture(scope="module")
def plan(q: Questionnaire) -> Plan:
    return Plan(q)


def body(*pairs: tuple[str, str], rid: str = RID) -> bytes:
    from urllib.parse import urlencode

    return urlencode([("_response_id", rid), *pairs]).encode()


def fake_hash(code: str) -> str:
    """Stands in for the HMAC: refuses what has no letter or digit, like the real one."""
    if not any(ch.isalnum() for ch in code):
        raise ValueError("no letter or digit")
    return "hashed:" + code.strip().upper()


def parse(q: Questionnaire, fields: dict[str, list[str]], existing=None, visible=None):
    page_items = q.sections[0].items
    return parse_page(
        q,
        page_items,
        page_items if visible is None else visible,
        fields,
        existing=existing or {},
        hash_panel_code=fake_hash,
    )


# -- reading the body ----------------------------------------------------------------------------


def test_a_form_body_is_read_with_repeated_fields_kept_in_order() -> None:
    form = read_form(body(("_lang", "en"), ("likes", "blue"), ("likes", "red")), FORM)
    assert form.response_id == uuid.UUID(RID)
    assert form.language == "en"
    assert form.fields == {"likes": ["blue", "red"]}
    assert read_form(body(), FORM + "; charset=UTF-8").fields == {}


@pytest.mark.parametrize(
    ("raw", "content_type", "reason", "status"),
    [
        (body(("age", "1")), "application/json", "why_content_type", 415),
        (body(("age", "1")), "", "why_content_type", 415),
        (b"_response_id=" + RID.encode() + b"&age=%ff", FORM, "why_encoding", 400),
        (b"_response_id=" + RID.encode() + b"&age=\xc3", FORM, "why_encoding", 400),
        (body(*[("f", "1")] * MAX_FIELDS), FORM, "why_too_many_fields", 400),
        (body(("_evil", "1")), FORM, "why_unknown_field", 400),
        (body(("_lang", "en"), ("_lang", "mn")), FORM, "why_repeated_field", 400),
        (b"age=25", FORM, "why_response_id", 400),
        (body(rid="12345"), FORM, "why_response_id", 400),
        (body(rid=RID) + b"&_response_id=" + RID.encode(), FORM, "why_response_id", 400),
        (body(("age", "9" * 10_001)), FORM, "why_field_too_long", 400),
    ],
)
def test_malformed_bodies_are_rejected_with_a_reason(
    raw: bytes, content_type: str, reason: str, status: int
) -> None:
    with pytest.raises(Rejected) as caught:
        read_form(raw, content_type)
    assert caught.value.reason == reason
    assert caught.value.status_code == status
    assert caught.value.message  # an English message from the catalogue


def test_as_many_fields_as_allowed_are_read() -> None:
    form = read_form(body(*[("f", "1")] * (MAX_FIELDS - 1)), FORM)
    assert len(form.fields["f"]) == MAX_FIELDS - 1


# -- checking answers -------------------------------------------------------------------------------


def test_valid_answers_take_their_stored_form(q: Questionnaire) -> None:
    result = parse(
        q,
        {
            "consent": ["yes"],
            "age": [" 2 5 "],
            "height": ["1,62"],
            "born": ["2000-02-29"],
            "colour": ["green"],
            "likes": ["blue", "red", "blue"],
            "agree": ["4"],
            "note_text": ["  a\x00b\r\nc "],
            "code": ["ab 12"],
        },
    )
    assert result.errors == {}
    assert result.values == {
        "consent": "yes",
        "age": 25,
        "height": 1.62,
        "born": "2000-02-29",
        "colour": "green",
        "likes": ["red", "blue"],  # the list's order, each once
        "agree": 4,
        "note_text": "ab\nc",  # control characters out, line ends unified, trimmed
        "code": "hashed:AB 12",
    }
    assert not result.declined


@pytest.mark.parametrize(
    ("key", "typed", "code", "params"),
    [
        ("age", "abc", "err_integer", {}),
        ("age", "25.5", "err_integer", {}),
        ("age", "1e3", "err_integer", {}),
        ("age", "9" * 16, "err_integer", {}),
        ("age", "17", "err_range", {"min": "18", "max": "27"}),
        ("age", "28", "err_range", {"min": "18", "max": "27"}),
        ("height", "NaN", "err_decimal", {}),
        ("height", "inf", "err_decimal", {}),
        ("height", "2.51", "err_range", {"min": "1", "max": "2.5"}),
        ("born", "2000-02-30", "err_date", {}),
        ("born", "17.05.2000", "err_date", {}),
        ("born", "1989-12-31", "err_date_range", {"min": "1990-01-01", "max": "2010-12-31"}),
        ("colour", "purple", "err_choice", {}),
        ("likes", "purple", "err_choice", {}),
        ("agree", "5", "err_choice", {}),
        ("agree", "0", "err_choice", {}),
        ("agree", "٣", "err_choice", {}),  # an Arabic-Indic 3
        ("consent", "maybe", "err_choice", {}),
        ("note_text", "x" * 11, "err_too_long", {"max": 10, "length": 11}),
        ("code", "--", "err_panel_code", {}),
        ("code", "x" * 33, "err_too_long", {"max": 32, "length": 33}),
    ],
)
def test_unacceptable_answers_get_an_error_and_keep_what_was_typed(
    q: Questionnaire, key: str, typed: str, code: str, params: dict
) -> None:
    result = parse(q, {"consent": ["yes"], "age": ["20"], key: [typed]})
    assert result.errors[key] == FieldError(code, params)
    assert key not in result.values
    assert result.raw[key] == [typed]


def test_required_questions_left_empty_are_errors_and_optional_ones_are_not(
    q: Questionnaire,
) -> None:
    result = parse(q, {"age": ["  "], "colour": [""], "likes": []})
    assert result.errors == {
        "consent": FieldError("err_consent"),
        "age": FieldError("err_required"),
    }
    assert result.values["colour"] is None
    assert result.values["likes"] == []  # a multi question shown and left empty


def test_declining_is_noted(q: Questionnaire) -> None:
    result = parse(q, {"consent": ["no"]})
    assert result.declined
    assert result.values["consent"] == "no"


def test_fields_of_hidden_questions_are_ignored(q: Questionnaire) -> None:
    shown = [item for item in q.sections[0].items if item.key != "colour"]
    result = parse(q, {"consent": ["yes"], "age": ["20"], "colour": ["red"]}, visible=shown)
    assert "colour" not in result.values and "colour" not in result.errors


@pytest.mark.parametrize("name", ["q1", "nonexistent", "about_note", "AGE"])
def test_a_field_no_question_of_the_page_has_is_rejected(q: Questionnaire, name: str) -> None:
    with pytest.raises(Rejected) as caught:
        parse(q, {"consent": ["yes"], name: ["1"]})
    assert caught.value.reason == "why_unknown_field"


def test_a_one_answer_question_sent_twice_is_rejected(q: Questionnaire) -> None:
    with pytest.raises(Rejected) as caught:
        parse(q, {"colour": ["red", "green"]})
    assert caught.value.reason == "why_repeated_field"


def test_a_panel_code_left_empty_keeps_the_saved_one_and_is_never_shown(q: Questionnaire) -> None:
    kept = parse(q, {"consent": ["yes"], "age": ["20"], "code": [""]}, existing={"code": "h1"})
    assert kept.values["code"] == "h1"
    assert "code" not in kept.raw  # the typed code is not echoed when accepted
    typed = parse(q, {"consent": ["yes"], "age": ["20"], "code": ["zz9"]}, existing={"code": "h1"})
    assert typed.values["code"] == "hashed:ZZ9"
    assert display_values(q.item("code"), "h1") == []


@pytest.mark.parametrize(
    ("key", "stored", "shown"),
    [
        ("age", 25, ["25"]),
        ("height", 2.0, ["2"]),
        ("height", 1.62, ["1.62"]),
        ("likes", ["red", "blue"], ["red", "blue"]),
        ("agree", 3, ["3"]),
        ("colour", None, []),
    ],
)
def test_saved_answers_are_shown_as_typed_values(
    q: Questionnaire, key: str, stored: object, shown: list[str]
) -> None:
    assert display_values(q.item(key), stored) == shown


@given(
    st.dictionaries(
        st.sampled_from(
            ["age", "height", "born", "colour", "likes", "agree", "note_text", "consent"]
        ),
        st.lists(st.text(max_size=30), min_size=1, max_size=3),
    )
)
def test_any_values_give_answers_or_errors_never_an_exception(fields) -> None:
    q = load_definition(DEFINITION)
    try:
        result = parse(q, fields)
    except Rejected as exc:
        assert exc.reason == "why_repeated_field"
        return
    for key in result.values:
        assert key not in result.errors
    assert set(result.values) | set(result.errors) <= {i.key for i in q.sections[0].items}


# -- pages and show_if ---------------------------------------------------------------------------


def test_pages_split_long_sections_evenly_and_break_before_a_question_depending_on_the_page(
    plan: Plan,
) -> None:
    layout = [(page.key, [item.key for item in page.items]) for page in plan.pages]
    assert layout == [
        # 9 questions: 5 + 4 rather than 8 + 1; the note stays with the question after it.
        ("start", ["consent", "about_note", "age", "height", "born", "colour"]),
        ("start.2", ["likes", "agree", "note_text", "code"]),
        ("more", ["q1"]),  # q2 depends on q1: a new page
        ("more.2", ["q2", "q3", "q4"]),  # q4 depends on age, from an earlier page: no break
        ("long", ["l1", "l2", "l3", "l4", "l5", "l6"]),  # 11 questions: 6 + 5, not 8 + 3
        ("long.2", ["l7", "l8", "l9", "l10", "l11"]),
        ("closing", ["end_note"]),
    ]
    assert [page.number for page in plan.pages] == list(range(1, 8))


def test_notes_do_not_count_as_questions(plan: Plan) -> None:
    assert len(plan.pages[0].questions) == 5
    assert len(plan.pages[0].items) == 6


def test_visibility_follows_the_saved_answers(plan: Plan) -> None:
    more, more2 = plan.page_by_key("more"), plan.page_by_key("more.2")
    assert more is not None and more2 is not None
    assert not plan.page_visible(more, {"consent": "no"})
    assert [i.key for i in plan.visible_items(more2, {"consent": "yes", "q1": "red"})] == [
        "q2",
        "q3",
    ]
    shown = plan.visible_items(more2, {"consent": "yes", "q1": "red", "age": 21})
    assert [i.key for i in shown] == ["q2", "q3", "q4"]
    assert [p.key for p in plan.visible_pages({"consent": "no"})] == [
        "start",
        "start.2",
        "long",
        "long.2",
    ]
    closing = plan.page_by_key("closing")
    assert closing is not None and plan.page_visible(closing, {"q1": "blue"})  # a page of notes


def test_answers_to_questions_that_become_hidden_are_cleared(plan: Plan) -> None:
    answers = {"consent": "yes", "age": 21, "q1": "red", "q2": "green", "q3": "x", "q4": "blue"}
    assert plan.clear_hidden(answers) == answers
    assert plan.clear_hidden({**answers, "q1": "blue"}) == {
        "consent": "yes",
        "age": 21,
        "q1": "blue",
        "q3": "x",
        "q4": "blue",
    }
    # Declining hides the whole section: every answer in it goes.
    assert plan.clear_hidden({**answers, "consent": "no"}) == {"consent": "no", "age": 21}


def test_saved_pages_resume_and_neighbours(plan: Plan) -> None:
    answers = {"consent": "yes", "age": 21, "q1": "blue"}
    saved = plan.saved_pages(["start", "start.2", "more"], answers)
    assert saved == ["start", "start.2", "more"]
    resume = plan.resume_page(saved, answers)
    assert resume is not None and resume.key == "more.2"
    # A required question on a saved page that is unanswered unsaves the page.
    assert plan.saved_pages(["start", "more"], {"consent": "yes"}) == ["more"]
    first = plan.first_page()
    assert first is not None and first.key == "start"
    assert plan.previous_page(first, answers) is None
    long_page = plan.page_by_key("long")
    assert long_page is not None
    previous = plan.previous_page(long_page, {"consent": "no"})
    assert previous is not None and previous.key == "start.2"  # 'more' is hidden
    last = plan.page_by_key("long.2")
    assert last is not None
    assert plan.next_page(last, {"q1": "red"}) is None
    following = plan.next_page(last, {"q1": "blue"})
    assert following is not None and following.key == "closing"


def test_progress_counts_the_pages_that_may_still_come(plan: Plan) -> None:
    first = plan.first_page()
    assert first is not None
    # Nothing answered: every page may come (they depend on consent and q1, not answered yet).
    assert plan.progress(first, {}) == (1, 7, False)
    # Declined: the 'more' pages are out; 'closing' depends on q1, unanswered, so it still counts.
    assert plan.progress(first, {"consent": "no"}) == (1, 5, False)
    long2 = plan.page_by_key("long.2")
    assert long2 is not None
    assert plan.progress(long2, {"consent": "yes", "q1": "red"}) == (6, 6, True)
    assert plan.progress(long2, {"consent": "yes", "q1": "blue"}) == (6, 7, False)


# -- the message catalogue ---------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        for language in LANGUAGES:
            assert texts[language].strip(), (key, language)
        assert _placeholders(texts["mn"]) == _placeholders(texts["en"]), key


def test_mongolian_messages_are_written_in_cyrillic() -> None:
    for key, texts in MESSAGES.items():
        if key.startswith("language_name"):
            continue
        letters = [ch for ch in re.sub(r"\{\w+\}", "", texts["mn"]) if ch.isalpha()]
        latin = [ch for ch in letters if ch.isascii()]
        # Latin only for what is Latin in Mongolian text too (IP, UTF-8, YYYY-style examples).
        assert len(latin) <= 8, (key, texts["mn"])


def test_every_message_the_templates_and_code_use_is_in_the_catalogue() -> None:
    root = Path(__file__).resolve().parents[2] / "survey"
    sources = [
        *root.joinpath("templates", "collect").glob("*.html"),
        *root.joinpath("collect").glob("*.py"),
    ]
    used: set[str] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*['"]([a-z_.]+)['"]""", text))
        used |= set(re.findall(r"""translate\(\s*['"]([a-z_.]+)['"]""", text))
        used |= set(re.findall(r"""(?:Rejected|FieldError)\(\s*['"]([a-z_]+)['"]""", text))
    assert len(used) > 30
    assert used <= set(MESSAGES), used - set(MESSAGES)
    for prefix in ("closed", "not_open", "unknown", "forbidden", "conflict", "busy", "too_large"):
        assert f"{prefix}_title" in MESSAGES and f"{prefix}_body" in MESSAGES


def test_a_language_outside_the_catalogue_falls_back_to_english() -> None:
    assert translate("next", "ru") == MESSAGES["next"]["en"]
    assert translate("progress", "mn", current=2, total=7) == "Хуудас 2 / 7"
