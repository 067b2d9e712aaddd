"""The loader's problems carry a code and parameters, so that the console says each in its reader's
language, while ``survey forms check`` prints the same English lines as ever (the string of each problem).

Every rule has a code: the code at each call that reports a problem is listed in ``PROBLEM_CODES`` and
worded in the console catalogue in Mongolian and English with no placeholder the call does not give
(read from the code itself, so a rule added without a sentence fails here); and a small broken
questionnaire per code makes the loader report it, said by the console's one helper in both languages.
"""

from __future__ import annotations

import ast
import copy
import functools
import pickle
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from survey.console.messages import CATALOGUE
from survey.console.problems import problem_views
from survey.errors import InvalidDefinition
from survey.questionnaire.load import (
    MAX_DEFINITION_BYTES,
    PROBLEM_CODES,
    Problem,
    _translate,
    load_definition,
    load_file,
    load_object,
)
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.xlsform.common import XLSFORM_PROBLEM_CODES

ROOT = Path(__file__).resolve().parents[2]
#: Every code a problem may carry: the loader's and the XLSForm importer's.
CODES = PROBLEM_CODES | XLSFORM_PROBLEM_CODES

BROKEN = """
key: broken
languages: [mn, en]
title: {mn: "", en: "Broken"}
sections:
  - key: one
    items:
      - key: q1
        type: choice
        text: {mn: "Асуулт", en: "Question"}
        choices: [{value: "a", label: {mn: "А", en: "A"}}, {value: "a", label: {mn: "Б", en: "B"}}]
        correct: "z"
      - {key: q2, type: integer, min: 10, max: 5, show_if: "later == 1", text: {mn: "Тоо", en: "N"}}
      - {key: later, type: integer, text: {mn: "Дараа", en: "Later"}}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(InvalidDefinition) as caught:
        load_definition(text)
    return caught.value.errors


def test_each_problem_is_its_english_line_with_a_code_and_parameters() -> None:
    found = {str(p): p for p in problems_of(BROKEN)}
    # The lines as `survey forms check` has always printed them (written out here by hand).
    expected = {
        'title: empty "mn" text': ("text_empty", {"language": "mn"}),
        'sections[0].items[0].choices[1].value: duplicate choice value "a" (first at '
        "sections[0].items[0].choices[0])": (
            "choice_duplicate",
            {"value": "a", "first": "sections[0].items[0].choices[0]"},
        ),
        'sections[0].items[0].correct: "z" is not one of the choices a, a': (
            "not_a_choice",
            {"value": "z", "choices": "a, a"},
        ),
        "sections[0].items[1].min: 10 is greater than max 5": (
            "min_above_max",
            {"min": "10", "max": "5"},
        ),
        'sections[0].items[1].show_if: "later" at position 0 does not come before this item': (
            "not_before",
            {"key": "later", "at": " at position 0", "where": "this item"},
        ),
    }
    assert set(found) == set(expected), sorted(found)
    for line, (code, params) in expected.items():
        problem = found[line]
        assert isinstance(problem, Problem)
        assert (problem.code, problem.params) == (code, params)
        assert line.startswith(problem.path + ": ")


def test_a_problem_stays_whole_through_pickling() -> None:
    problem = problems_of(BROKEN)[0]
    again = pickle.loads(pickle.dumps(problem))
    assert isinstance(again, Problem) and again == problem
    assert (again.path, again.code, again.params) == (problem.path, problem.code, problem.params)


# -- every call that reports a problem, read from the source ------------------------------------------

#: The functions whose call reports a problem, and the position of the code among their arguments (the
#: XLSForm importer's ``error(sheet, row, code, ...)`` in its own package).
_REPORTERS = {"problem": 1, "_Refused": 0, "error": 2}
_IMPORTER = "survey/questionnaire/xlsform/"
#: Parameters every problem made by ``_Refused`` gets where it is relayed (its line and column).
_RELAYED = {"line", "column"}


@functools.cache
def _calls() -> list[tuple[str, int, str | None, set[str] | None]]:
    """(module, line, code or None when not a literal, keyword names or None when ``**`` is passed)
    for every call of a reporter anywhere in survey/."""
    found = []
    for path in sorted((ROOT / "survey").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in _REPORTERS or len(node.args) <= _REPORTERS[name]:
                continue
            module = str(path.relative_to(ROOT))
            if name == "error" and not module.startswith(_IMPORTER):
                continue
            argument = node.args[_REPORTERS[name]]
            code = argument.value if isinstance(argument, ast.Constant) else None
            names = {k.arg for k in node.keywords if k.arg is not None}
            spread = any(k.arg is None for k in node.keywords)
            if name == "_Refused":
                names |= _RELAYED
            found.append((module, node.lineno, code, None if spread else names))
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_call_that_reports_a_problem_names_a_listed_code() -> None:
    calls = _calls()
    loader = {code for module, _, code, _ in calls if module.endswith("/load.py") and code}
    elsewhere = {code for module, _, code, _ in calls if not module.endswith("/load.py") and code}
    assert loader == set(PROBLEM_CODES)
    # The importer's own codes (its reading of workbooks and its child process too), and the loader's
    # where the console says an expression's error.
    assert elsewhere - PROBLEM_CODES == set(XLSFORM_PROBLEM_CODES)
    assert {code for _, _, code, _ in calls if code} <= CODES
    # Three calls pass on a code written elsewhere: the validator's method and the importer's (their
    # callers name the code), and the relay of a YAML refusal (whose own call names it).
    relayed = sorted(module for module, _, code, _ in calls if code is None)
    assert relayed == [*["survey/questionnaire/load.py"] * 2, f"{_IMPORTER}reading.py"], relayed
    # Nothing makes a Problem but the loader's own function (so nothing makes one without a code).
    for path in sorted((ROOT / "survey").rglob("*.py")):
        made = [
            node.lineno
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem"
        ]
        if path.name != "load.py":
            assert not made, (path, made)
        else:
            assert len(made) == 3, made  # problem(), Problem.moved and the unpickling of one


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_worded_in_both_languages_with_only_the_parameters_given(code: str) -> None:
    key = f"problem.{code}"
    assert key in CATALOGUE, key
    mn, en = CATALOGUE.messages[key]["mn"], CATALOGUE.messages[key]["en"]
    assert re.search("[а-яөүё]", mn, flags=re.IGNORECASE), mn
    assert not re.search("[а-яөүё]", en, flags=re.IGNORECASE), en
    # A whole sentence: a capital (or a quoted name, a number, a function) first and a full stop last.
    for text in (mn, en):
        assert text.rstrip(")").endswith((".", "?")), text
    # No case ending glued to a placeholder ("{n}-р", "{key}-ийн").
    assert not re.search(r"\}-?[а-яөүё]", mn), mn
    for module, line, called, names in _calls():
        if called == code and names is not None:
            assert _fields(mn) | _fields(en) <= names, (module, line, names)


# -- every code, made by a small broken questionnaire ---------------------------------------------------

TEXT = {"mn": "Бичвэр", "en": "Text"}
DELETE = object()

BASE: dict[str, Any] = {
    "key": "mini",
    "languages": ["mn", "en"],
    "title": {"mn": "Жижиг", "en": "Mini"},
    "sections": [
        {
            "key": "one",
            "items": [
                {"key": "age", "type": "integer", "min": 15, "max": 80, "text": TEXT},
                {
                    "key": "aimag",
                    "type": "choice",
                    "choices": [{"value": "a", "label": TEXT}, {"value": "b", "label": TEXT}],
                    "text": TEXT,
                },
                {
                    "key": "signs",
                    "type": "multi",
                    "choices": [{"value": "x", "label": TEXT}, {"value": "y", "label": TEXT}],
                    "correct": ["x"],
                    "text": TEXT,
                },
                {"key": "intro", "type": "note", "text": TEXT},
                {"key": "code", "type": "panel_code", "text": TEXT},
                {"key": "agree", "type": "likert", "scale": "agree3", "text": TEXT},
                {"key": "rev", "type": "likert", "scale": "agree3", "reverse": True, "text": TEXT},
                {"key": "when", "type": "date", "text": TEXT},
            ],
        }
    ],
    "likert_scales": {
        "agree3": {"points": 3, "labels": {"mn": ["1", "2", "3"], "en": ["a", "b", "c"]}},
        "agree4": {"points": 4, "labels": {"mn": ["1", "2", "3", "4"], "en": ["a", "b", "c", "d"]}},
    },
    "outcomes": {
        "knowledge": {"kind": "score", "label": TEXT, "items": ["signs"]},
        "attitude": {
            "kind": "scale",
            "label": TEXT,
            "items": ["agree", "rev"],
            "reverse": ["rev"],
        },
        "share": {"kind": "proportion", "label": TEXT, "item": "aimag", "value": "a"},
    },
}
ITEMS = "sections.0.items"


def changed(**changes: object) -> dict[str, Any]:
    """BASE with each dotted path (``__`` for a dot) set to its value, deleted (DELETE) or, ending in
    ``+``, appended to."""
    d = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        *parents, last = dotted.replace("__", ".").split(".")
        node: Any = d
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if last == "+":
            node.append(value)
        elif value is DELETE:
            del node[int(last) if isinstance(node, list) else last]
        else:
            node[int(last) if isinstance(node, list) else last] = value
    return d


def item_change(i: int, field: str, value: object) -> dict[str, Any]:
    return changed(**{f"{ITEMS}__{i}__{field}".replace(".", "__"): value})


def _item(key: str, kind: str, **fields: object) -> dict[str, object]:
    return {"key": key, "type": kind, "text": TEXT, **fields}


def _show_if(condition: str) -> dict[str, Any]:
    return item_change(7, "show_if", condition)


def _calculations(calculations: dict[str, str], **more: object) -> dict[str, Any]:
    return changed(calculations=calculations, **more)


def _analysis(kind: str, entries: list[object], **more: object) -> dict[str, Any]:
    return changed(**{f"analysis__{kind}": entries}, **more)


def _yaml_file(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


Made = Callable[[Path], list[str]]


def _object(data: object) -> Made:
    return lambda _: _errors(lambda: load_object(data))


def _text(text: str | bytes) -> Made:
    return lambda _: _errors(lambda: load_definition(text))


def _file(path: Callable[[Path], Path]) -> Made:
    return lambda tmp: _errors(lambda: load_file(path(tmp)))


def _errors(load: Callable[[], Questionnaire]) -> list[str]:
    with pytest.raises(InvalidDefinition) as caught:
        load()
    return caught.value.errors


_LAUGHS = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
)

CASES: dict[str, Made] = {
    # reading the file and its YAML
    "file_not_found": _file(lambda tmp: tmp / "nothing.yaml"),
    "file_is_directory": _file(lambda tmp: tmp),
    # Another process's memory: refused to every user, the administrator included.
    "file_permission": _file(lambda _: Path("/proc/1/mem")),
    "file_unreadable": _file(lambda tmp: _yaml_file(tmp, "plain.yaml", "x") / "under.yaml"),
    "key_not_file_name": _file(lambda tmp: _yaml_file(tmp, "other.yaml", "key: mini\n")),
    "definition_too_large": _text("#" * (MAX_DEFINITION_BYTES + 1)),
    "not_utf8": _text(b"key: \xff\n"),
    "yaml_syntax": _text("a: b: c\n"),
    "yaml_invalid": _text("a: \x07\n"),
    "yaml_too_deep": _text("a: " + "[" * 5000 + "]" * 5000),
    "yaml_duplicate_key": _text("key: a\nkey: b\n"),
    "yaml_not_integer": _text("a: !!int x\n"),
    "yaml_not_number": _text("a: !!float x\n"),
    "yaml_tag": _text("a: !!timestamp nonsense\n"),
    # the shape of the definition
    "definition_empty": _text(""),
    "definition_not_mapping": _text("- a\n"),
    "too_many_values": _text(_LAUGHS),
    "nested_too_deep": _text("a: &x [*x]\n"),
    "key_not_string": _text("1: x\n"),
    "key_nul": _object({"a\x00": 1}),
    "value_nul": _object(changed(key="a\x00")),
    "lone_surrogate": _object(changed(key="\ud800")),
    "value_unsupported": _object(changed(key=b"bytes")),
    "field_unknown": _object(changed(zzzzzz=1)),
    "field_unknown_close": _object(changed(titel=TEXT)),
    "field_missing": _object(changed(title=DELETE)),
    "expected_type_got": _object(item_change(0, "required", 1.5)),
    "expected_text_quotes": _object(changed(key=5)),
    "not_one_of": _object(item_change(0, "type", "slider")),
    # keys, languages, texts
    "key_invalid": _object(changed(key="Bad Key")),
    "too_long": _object(changed(key="a" * 65)),
    "reserved_word": _object(item_change(7, "key", "and")),
    "languages_empty": _object(changed(languages=[])),
    "language_invalid": _object(changed(languages=["mn", "EN!"])),
    "language_unknown": _object(changed(title__fr="Mini")),
    "text_missing": _object(changed(title={"en": "Mini"})),
    "text_empty": _object(changed(title={"mn": " ", "en": "Mini"})),
    # choices and scales
    "choices_empty": _object(item_change(1, "choices", [])),
    "choice_value_invalid": _object(changed(**{f"{ITEMS}.1.choices.0.value": "a b"})),
    "choice_duplicate": _object(changed(**{f"{ITEMS}.1.choices.1.value": "a"})),
    "choice_list_unknown": _object(item_change(1, "choices", "no_list")),
    "labels_count": _object(changed(**{"likert_scales.agree3.labels.en": ["a", "b"]})),
    "label_empty": _object(changed(**{"likert_scales.agree3.labels.en": ["a", "", "c"]})),
    "labels_missing": _object(changed(**{"likert_scales.agree3.labels.en": DELETE})),
    "property_name_invalid": _object(changed(**{f"{ITEMS}.1.choices.0.properties": {"Bad": "x"}})),
    "property_empty": _object(changed(**{f"{ITEMS}.1.choices.0.properties": {"region": " "}})),
    "property_too_long": _object(
        changed(**{f"{ITEMS}.1.choices.0.properties": {"region": "x" * 201}})
    ),
    # sections and items
    "item_duplicate": _object(item_change(7, "key", "age")),
    "sections_empty": _object(changed(sections=[], outcomes={})),
    "section_duplicate": _object(
        changed(**{"sections.+": {"key": "one", "items": [_item("z", "text")]}})
    ),
    "items_empty": _object(changed(**{"sections.+": {"key": "two", "items": []}})),
    "panel_code_twice": _object(changed(**{f"{ITEMS}.+": _item("code2", "panel_code")})),
    "not_allowed": _object(item_change(0, "scale", "agree3")),
    "scale_missing": _object(item_change(5, "scale", DELETE)),
    "scale_unknown": _object(item_change(5, "scale", "agree9")),
    "out_of_range": _object(changed(**{"likert_scales.agree3.points": 20})),
    "choices_missing": _object(item_change(1, "choices", DELETE)),
    "scoring_without_correct": _object(
        changed(**{f"{ITEMS}.2.correct": DELETE, f"{ITEMS}.2.scoring": "partial"})
    ),
    "correct_empty": _object(item_change(2, "correct", [])),
    "correct_not_single": _object(item_change(1, "correct", ["a"])),
    "correct_not_list": _object(item_change(2, "correct", "x")),
    "listed_twice": _object(item_change(2, "correct", ["x", "x"])),
    "not_a_choice": _object(item_change(1, "correct", "z")),
    "expected_integer": _object(item_change(0, "min", 1.5)),
    "expected_number": _object(changed(**{f"{ITEMS}.+": _item("dec", "decimal", min="abc")})),
    "expected_date": _object(item_change(7, "min", "yesterday")),
    "not_finite": _object(changed(**{f"{ITEMS}.+": _item("dec", "decimal", min=float("inf"))})),
    "bound_too_large": _object(item_change(0, "max", 10**16)),
    "min_above_max": _object(item_change(0, "min", 90)),
    # conditions, calculations, constraints, filters, piped texts
    "expression_syntax": _object(_show_if("age >")),
    "unknown_item": _object(_show_if("nobody == 1")),
    "not_before": _object(item_change(0, "show_if", "aimag == 'a'")),
    "note_no_answer": _object(_show_if("answered(intro)")),
    "panel_code_never_kept": _object(_show_if("answered(code)")),
    "multi_needs_selected": _object(_show_if("signs == 'x'")),
    "compared_not_a_choice": _object(_show_if("aimag == 'zz'")),
    "selected_not_choice": _object(_show_if("selected(age, 'a')")),
    "selected_calculation": _object(
        _calculations({"older": "age + 1"}, **{f"{ITEMS}.7.show_if": "selected(older, 'a')"})
    ),
    "computed_not_before": _object(
        _calculations({"later": "when"}, **{f"{ITEMS}.0.show_if": "later == 1"})
    ),
    "calculation_is_item": _object(_calculations({"age": "1"})),
    "calculation_reserved": _object(_calculations({"selected": "1"})),
    "calculation_not_before": _object(_calculations({"c1": "c2 + 1", "c2": "1"})),
    "no_answer_to_compute": _object(_calculations({"c1": "intro"})),
    "message_without_constraint": _object(item_change(0, "constraint_message", TEXT)),
    "filter_empty": _object(item_change(1, "choice_filter", {})),
    "property_unknown": _object(item_change(1, "choice_filter", {"region": "age"})),
    "piped_not_key": _object(changed(**{f"{ITEMS}.7.text.en": "When ${Bad Key}?"})),
    # outcomes
    "not_knowledge": _object(changed(**{"outcomes.knowledge.items": ["aimag"]})),
    "scale_needs_likert": _object(changed(**{"outcomes.attitude.items": ["agree", "rev", "age"]})),
    "scales_differ": _object(
        changed(
            **{
                f"{ITEMS}.+": _item("four", "likert", scale="agree4"),
                "outcomes.attitude.items": ["agree", "rev", "four"],
            }
        )
    ),
    "min_answered_range": _object(changed(**{"outcomes.attitude.min_answered": 2})),
    "outcome_items_empty": _object(changed(**{"outcomes.knowledge.items": []})),
    "reverse_not_in_outcome": _object(changed(**{"outcomes.attitude.reverse": ["rev", "age"]})),
    "reverse_not_marked": _object(changed(**{"outcomes.attitude.reverse": ["rev", "agree"]})),
    "reverse_not_listed": _object(changed(**{"outcomes.attitude.reverse": []})),
    "proportion_item_missing": _object(changed(**{"outcomes.share.item": DELETE})),
    "proportion_item_type": _object(changed(**{"outcomes.share.item": "age"})),
    "proportion_value_missing": _object(changed(**{"outcomes.share.value": DELETE})),
    "proportion_values_empty": _object(changed(**{"outcomes.share.value": []})),
    "not_used_by_kind": _object(changed(**{"outcomes.share.items": ["aimag"]})),
    # the analysis block
    "too_many_variables": _object(_analysis("subgroups", ["aimag"] * 6)),
    "covariate_type": _object(_analysis("covariates", ["when"])),
    "subgroup_type": _object(_analysis("subgroups", ["when"])),
    "variable_knowledge": _object(
        _analysis("covariates", ["aimag"], **{f"{ITEMS}.1.correct": "a"})
    ),
    "variable_outcome": _object(_analysis("covariates", ["aimag"])),
    "subgroup_needs_bands": _object(_analysis("subgroups", ["age"])),
    "bands_not_integer": _object(
        _analysis("subgroups", [{"item": "aimag", "bands": [1]}], **{"outcomes.share": DELETE})
    ),
    "bands_empty": _object(_analysis("subgroups", [{"item": "age", "bands": []}])),
    "too_many_bands": _object(
        _analysis("subgroups", [{"item": "age", "bands": list(range(16, 28))}])
    ),
    "bands_order": _object(_analysis("subgroups", [{"item": "age", "bands": [30, 20]}])),
    "band_below_min": _object(_analysis("subgroups", [{"item": "age", "bands": [10]}])),
    "band_above_max": _object(_analysis("subgroups", [{"item": "age", "bands": [90]}])),
}

#: Codes no questionnaire can bring about today, each kept for a rule beneath the loader's own, and why.
GUARDS = {
    # msgspec messages the model's types do not produce (a fixed-length array, say).
    "structure_invalid": lambda _: [_translate("Expected `array` of length 2, got 1", list, "a")],
    # The expression parser refuses deep nesting itself (MAX_DEPTH) before Python's stack would.
    "expression_too_deep": None,
}


def test_the_cases_cover_every_code() -> None:
    assert set(CASES) | set(GUARDS) == set(PROBLEM_CODES)
    assert not set(CASES) & set(GUARDS)


@pytest.mark.parametrize("code", [*sorted(CASES), "structure_invalid"])
def test_each_code_is_reported_and_said_in_both_languages(code: str, tmp_path: Path) -> None:
    made = CASES.get(code) or GUARDS[code]
    assert made is not None
    errors = made(tmp_path)
    assert code in [getattr(e, "code", "") for e in errors], [str(e) for e in errors]
    for error in errors:
        assert isinstance(error, Problem) and error.code in PROBLEM_CODES, error
    mn = problem_views(CATALOGUE.bound("mn"), errors)
    en = problem_views(CATALOGUE.bound("en"), errors)
    for error, said_mn, said_en in zip(errors, mn, en, strict=True):
        assert said_mn.where == said_en.where == error.path
        assert re.search("[а-яөүё]", said_mn.text, flags=re.IGNORECASE), said_mn
        # The loader's English line is the command line's; each page says its own sentence.
        english = str(error)[len(error.path) + 2 :] if error.path else str(error)
        assert english not in said_mn.text, english
        assert said_en.text != english and said_en.text.endswith((".", "?")), said_en
