"""The loader's problems carry a code and parameters, so that the editor says them in its reader's language,
while ``survey forms check`` prints the same English lines as ever (the string of each problem)."""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest

from survey.console.messages import CATALOGUE
from survey.errors import InvalidDefinition
from survey.questionnaire.load import PROBLEM_CODES, Problem, load_definition

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


def test_every_code_the_loader_uses_is_listed_and_worded_in_both_languages() -> None:
    tree = ast.parse(
        (Path(__file__).resolve().parents[2] / "survey/questionnaire/load.py").read_text()
    )
    used = {
        node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "problem"
        and isinstance(node.args[1], ast.Constant)
    }
    assert used == set(PROBLEM_CODES)
    for code in PROBLEM_CODES:
        assert f"problem.{code}" in CATALOGUE, code
        said = CATALOGUE.translate(f"problem.{code}", "mn", **dict.fromkeys(_fields(code), "x"))
        assert re.search("[а-яөүё]", said), (code, said)


def _fields(code: str) -> set[str]:
    english = CATALOGUE.translate(f"problem.{code}", "en", **_Any())
    return set(re.findall(r"\{(\w+)\}", english))


class _Any(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
