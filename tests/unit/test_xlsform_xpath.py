"""Conditions between XLSForm's XPath (``relevant``) and our ``show_if`` language, both ways."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.errors import InvalidDefinition, InvalidExpression
from survey.questionnaire import expressions
from survey.questionnaire.expressions import (
    And,
    Answered,
    Compare,
    Constant,
    Expr,
    In,
    Name,
    Not,
    Or,
    Selected,
)
from survey.questionnaire.load import load_definition
from survey.questionnaire.xlsform import (
    format_expression,
    show_if_to_xpath,
    xpath_to_show_if,
)

TYPES = {
    "consent": "consent",
    "age": "integer",
    "income": "decimal",
    "gender": "choice",
    "signs": "multi",
    "agree": "likert",
    "city": "text",
    "day": "date",
    "note1": "note",
}


@pytest.mark.parametrize(
    ("xpath", "show_if"),
    [
        ("${consent} = 'OK'", "consent == 'yes'"),
        ("${gender} = 'f'", "gender == 'f'"),
        ("'f' = ${gender}", "gender == 'f'"),
        ('${gender} = "f"', "gender == 'f'"),
        ("${gender} = 1", "gender == '1'"),  # XPath compares the text "1" as the number 1
        ("${age} >= 18", "age >= 18"),
        ("18 <= ${age}", "age >= 18"),
        ("${age} > '17'", "age > 17"),
        ("${income} < 2.5", "income < 2.5"),
        ("${age} >= -1", "age >= -1"),
        ("${day} >= date('2024-01-31')", "day >= '2024-01-31'"),
        ("${agree} >= 4", "agree >= 4"),
        ("${agree} = '5'", "agree == 5"),
        ("selected(${signs}, 'debt')", "selected(signs, 'debt')"),
        ("selected(${gender}, 'f')", "selected(gender, 'f')"),
        ("selected(${agree}, '2')", "agree == 2"),
        ("count-selected(${signs}) > 0", "answered(signs)"),
        ("count-selected(${signs}) >= 1", "answered(signs)"),
        ("count-selected(${signs}) = 0", "not answered(signs)"),
        ("string-length(${city}) > 0", "answered(city)"),
        ("string-length(${city}) = 0", "not answered(city)"),
        ("${city} != ''", "answered(city)"),
        ("${city} = ''", "not answered(city)"),
        # XPath's != is true for an unanswered question ('' != 'f'); "not ==" keeps that meaning.
        ("${gender} != 'f'", "not (gender == 'f')"),
        ("${consent} != 'OK'", "not (consent == 'yes')"),
        ("not(${age} = 0)", "not (age == 0)"),
        ("${a} = 'x'", None),  # replaced below: unknown names are errors
        (
            "${consent} = 'OK' and (${age} < 18 or selected(${signs}, 'debt'))",
            "consent == 'yes' and (age < 18 or selected(signs, 'debt'))",
        ),
        ("${age} > 1 and ${age} < 9 and ${age} != 5", "age > 1 and age < 9 and not (age == 5)"),
        ("(${age} > 1 or ${age} < 0) or ${age} = 5", "age > 1 or age < 0 or age == 5"),
        ("true()", None),
        ("not(false())", "not false"),
        # Two unanswered questions are equal in XPath ('' = '').
        ("${age} = ${income}", "age == income or not answered(age) and not answered(income)"),
        ("${age} < ${income}", "age < income"),
    ],
)
def test_relevant_translations(xpath: str, show_if: str | None) -> None:
    if xpath == "${a} = 'x'":
        with pytest.raises(InvalidExpression, match=r"no question is named \$\{a\}"):
            xpath_to_show_if(xpath, TYPES)
        return
    assert xpath_to_show_if(xpath, TYPES) == show_if


@pytest.mark.parametrize(
    ("xpath", "reason", "position"),
    [
        ("${age} + 1 > 18", 'arithmetic ("+")', 7),
        ("${age} * 2 > 18", 'arithmetic ("*")', 7),
        ("today() > date('2024-01-01')", "today() is not supported", 0),
        ("pulldata('f', 'c', 'k', ${city}) = 'x'", "pulldata() is not supported", 0),
        ("jr:choice-name(${gender}, '${gender}') = 'F'", "jr:choice-name() is not supported", 0),
        ("regex(${city}, '^A')", "regex() is not supported", 0),
        ("${signs} = 'debt'", "select_multiple: test a choice with selected(", 9),
        ("${consent} = 'yes'", "only ${consent} = 'OK'", 11),
        ("${gender} < 'm'", "compared as a number in XPath", 10),
        ("${age} = 'old'", "compared here with a text", 7),
        ("${day} > '2024-01-01'", "date('YYYY-MM-DD')", 7),
        ("${age}", "alone is not a condition", 0),
        ("count-selected(${signs}) > 2", "only whether the question is answered", 25),
        ("count-selected(${signs})", "translated only as", 0),
        ("//age > 3", "XPath paths", 0),
        ("${age} > 3 and @id = 2", "XPath paths", 15),
        ("${age} > 3 and", "ends too early", 14),
        ("(${age} > 3", 'unclosed "("', 0),
        ("${age > 3", 'unclosed "${"', 0),
        ("${age} > 'x", "unterminated string", 9),
        ("age > 3", "refer to a question as ${age}", 0),
        ("${note1} = 'x'", "a note, which has no answer", 9),
        ("${agree} = 'x'", '"x" is not a choice', 11),
        ("", "empty", 0),
    ],
)
def test_untranslatable_relevant_is_an_error_with_its_position(
    xpath: str, reason: str, position: int
) -> None:
    with pytest.raises(InvalidExpression) as caught:
        xpath_to_show_if(xpath, TYPES)
    assert reason in caught.value.reason
    assert caught.value.position == position


# The meaning an ODK phone gives a condition, worked out by hand from XPath 1.0 (section 3.4: a
# comparison converts both sides to numbers unless both are strings; an unanswered question is the
# empty string; number('') is NaN and every comparison with NaN is false except !=).
@pytest.mark.parametrize(
    ("xpath", "answers", "odk"),
    [
        ("${gender} != 'f'", {}, True),  # '' != 'f'
        ("${gender} != 'f'", {"gender": "f"}, False),
        ("${gender} = 'f'", {}, False),
        ("${age} != 0", {}, True),  # NaN != 0
        ("${age} >= 18", {}, False),  # NaN >= 18
        ("not(${age} >= 18)", {}, True),
        ("${age} = ${income}", {}, True),  # '' = ''
        ("${age} = ${income}", {"age": 3}, False),
        ("${age} = ${income}", {"age": 3, "income": 3.0}, True),
        ("${age} != ${income}", {}, False),
        ("${consent} != 'OK'", {}, True),
        ("count-selected(${signs}) = 0", {"signs": []}, True),
        ("count-selected(${signs}) = 0", {"signs": ["debt"]}, False),
        ("${city} = ''", {"city": "Darkhan"}, False),
        ("${agree} >= 4", {"agree": 4}, True),
        ("${agree} >= 4", {}, False),
    ],
)
def test_translations_keep_what_the_condition_means_on_an_odk_phone(
    xpath: str, answers: dict[str, Any], odk: bool
) -> None:
    show_if = xpath_to_show_if(xpath, TYPES)
    assert show_if is not None
    assert expressions.evaluate(expressions.parse(show_if), answers) is odk


# --------------------------------------------------------------------------------------------------
# show_if → XPath

FORM = """
key: conditions
languages: [en]
title: {en: Conditions}
sections:
  - key: all
    items:
      - {key: consent, type: consent, text: {en: "Agree?"}}
      - {key: age, type: integer, text: {en: Age}}
      - {key: income, type: decimal, text: {en: Income}}
      - key: gender
        type: choice
        text: {en: Gender}
        choices: [{value: f, label: {en: F}}, {value: m, label: {en: M}}, {value: x, label: {en: X}}]
      - key: signs
        type: multi
        text: {en: Signs}
        choices: [{value: a, label: {en: A}}, {value: b, label: {en: B}}, {value: c, label: {en: C}}]
      - {key: agree, type: likert, scale: agree5, text: {en: Agree}}
      - {key: city, type: text, text: {en: City}}
      - {key: day, type: date, text: {en: Day}}
      - {key: last, type: text, text: {en: Last}}
likert_scales:
  agree5: {points: 5, labels: {en: [a, b, c, d, e]}}
"""
Q = load_definition(FORM)
FORM_TYPES = {item.key: item.type for item in Q.items()}


@pytest.mark.parametrize(
    ("show_if", "xpath"),
    [
        ("consent == 'yes'", "${consent} = 'OK'"),
        ("consent != 'no'", "${consent} = 'OK'"),
        ("gender == 'f'", "${gender} = 'f'"),
        ("gender != 'f'", "${gender} != 'f' and ${gender} != ''"),
        ("age >= 18 and age <= 27", "${age} >= 18 and ${age} <= 27"),
        ("18 <= age", "${age} >= 18"),
        ("income > 2.5", "${income} > 2.5"),
        ("day >= '2024-01-01'", "${day} >= date('2024-01-01')"),
        ("selected(signs, 'a') or not selected(signs, 'b')",
         "selected(${signs}, 'a') or not(selected(${signs}, 'b'))"),
        ("answered(signs)", "count-selected(${signs}) > 0"),
        ("answered(city)", "${city} != ''"),
        ("gender in ['f', 'x']", "${gender} = 'f' or ${gender} = 'x'"),
        ("gender not in ['f']", "${gender} != '' and not(${gender} = 'f')"),
        ("(age > 1 or age < 0) and city == 'A'", "(${age} > 1 or ${age} < 0) and ${city} = 'A'"),
        ("age", "${age} != '' and ${age} != 0"),
        ("age == 'x'", "false()"),
        ("age == null", "false()"),
        ("agree == 9", "false()"),
        ("agree == 4.0", "${agree} = 4"),
        ("true", "true()"),
        ("age == income", "${age} = ${income} and ${age} != ''"),
    ],
)  # fmt: skip
def test_show_if_translations(show_if: str, xpath: str) -> None:
    assert show_if_to_xpath(show_if, Q) == xpath


@pytest.mark.parametrize(
    "show_if", ["city < 'M'", "gender >= 'f'", "day < 'soon'", "consent > 'a'", "city < last"]
)
def test_show_if_without_an_xpath_equivalent_is_an_error(show_if: str) -> None:
    with pytest.raises(InvalidDefinition):
        show_if_to_xpath(show_if, Q)


# --------------------------------------------------------------------------------------------------
# Both ways: show_if → XPath → show_if keeps its meaning for every respondent


def _values(key: str) -> st.SearchStrategy[Any]:
    kind = FORM_TYPES[key]
    if kind in ("integer", "likert"):
        return st.integers(-1, 6)
    if kind == "decimal":
        return st.sampled_from([-1.5, 0.0, 2.5, 3])
    if kind in ("choice", "multi"):
        return st.sampled_from(["a", "b", "f", "m", "zzz"])
    if kind == "date":
        return st.sampled_from(["2023-12-31", "2024-01-01", "2024-06-30"])
    if kind == "consent":
        return st.sampled_from(["yes", "no"])
    return st.sampled_from(["A", "Darkhan", "f"])


_ORDERABLE = {"age", "income", "agree", "day"}
_KEYS = [key for key in FORM_TYPES if key != "last"]


@st.composite
def _atoms(draw: st.DrawFn) -> Expr:
    key = draw(st.sampled_from(_KEYS))
    kind = FORM_TYPES[key]
    form = draw(st.sampled_from(["compare", "answered", "in", "name", "names", "selected"]))
    if kind == "consent" and form != "answered":
        # An acknowledge has no "no": consent == 'no' is approximated (tested on its own below).
        return draw(
            st.sampled_from(
                [
                    Compare("==", Name(key), Constant("yes")),
                    Compare("!=", Name(key), Constant("no")),
                ]
            )
        )
    if form == "answered":
        return Answered(key)
    if form == "name" and kind != "consent":
        return Name(key)
    if form == "selected" and kind in ("choice", "multi"):
        return Selected(key, draw(st.sampled_from(["a", "b", "f", "zzz"])))
    if form == "in" and kind not in ("consent", "multi"):
        options = draw(st.lists(_values(key), max_size=3))
        return In(Name(key), tuple(options), negated=draw(st.booleans()))
    if form == "names" and kind in ("integer", "decimal", "likert"):
        other = draw(st.sampled_from(["age", "income", "agree"]))
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
        return Compare(op, Name(key), Name(other))
    ops = ["==", "!="] + (["<", "<=", ">", ">="] if key in _ORDERABLE else [])
    value = draw(st.one_of(_values(key), st.sampled_from([None, True, 7])))
    if kind == "date" and not isinstance(value, str):
        ops = ["==", "!="]
    return Compare(draw(st.sampled_from(ops)), Name(key), Constant(value))


_conditions = st.recursive(
    _atoms(),
    lambda inner: st.one_of(
        inner.map(Not),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
    ),
    max_leaves=6,
)


def _answer(key: str) -> st.SearchStrategy[Any]:
    kind = FORM_TYPES[key]
    if kind == "multi":
        # An empty list and an unanswered question are the same thing on a phone.
        return st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True)
    if kind == "choice":
        return st.sampled_from(["f", "m", "x"])
    if kind == "likert":
        return st.integers(1, 5)
    return _values(key)


_answers = st.fixed_dictionaries(
    {}, optional={key: _answer(key) for key in FORM_TYPES if FORM_TYPES[key] != "note"}
)


@settings(max_examples=300, deadline=None)
@given(condition=_conditions, answers=st.lists(_answers, min_size=5, max_size=5))
def test_a_condition_keeps_its_meaning_through_xlsform(
    condition: Expr, answers: list[dict[str, Any]]
) -> None:
    source = format_expression(condition)
    assert expressions.parse(source) == condition
    back = xpath_to_show_if(show_if_to_xpath(source, Q), FORM_TYPES)
    back_tree = expressions.parse(back) if back is not None else Constant(True)
    for answer in answers:
        assert expressions.evaluate(back_tree, answer) == expressions.evaluate(condition, answer), (
            source,
            back,
            answer,
        )


def test_consent_no_is_approximated_and_the_export_says_so() -> None:
    # An acknowledge has no "no": the XPath is true until the respondent acknowledges.
    assert show_if_to_xpath("consent == 'no'", Q) == "not(${consent} = 'OK')"
