"""The XLSForm ``scoring`` column: every scoring rule goes out and comes back, a wrong value is refused
naming its row, and the exported score ``calculate`` of a ``corrected`` item is the rule's formula."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pyxform.xls2xform import convert

from survey.errors import InvalidDefinition
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_definition
from survey.questionnaire.xlsform import export_xlsform, import_xlsform

QUIZ = """
key: quiz
languages: [en]
title: {en: Quiz}
sections:
  - key: knowledge
    items:
      - key: signs
        type: multi
        correct: [a, c]
        scoring: SCORING
        text: {en: "Which are signs?"}
        choices:
          - {value: a, label: {en: A}}
          - {value: b, label: {en: B}}
          - {value: c, label: {en: C}}
outcomes:
  knowledge: {kind: score, label: {en: Knowledge}, items: [signs]}
"""


def quiz(scoring: str):
    return load_definition(QUIZ.replace("SCORING", scoring))


def with_cell(data: bytes, column: str, value: str) -> bytes:
    """The workbook with the survey sheet's ``column`` of the item row set to ``value``."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["survey"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("name")].value == "signs")
    row[header.index(column)].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def survey_row(data: bytes, name: str) -> dict[str, object]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book["survey"].values)
    return next(dict(zip(rows[0], row, strict=False)) for row in rows[1:] if row[1] == name)


@pytest.mark.parametrize("scoring", ["all_or_nothing", "partial", "corrected"])
def test_each_scoring_rule_goes_out_and_comes_back(scoring: str) -> None:
    definition = quiz(scoring)
    data, _ = export_xlsform(definition)
    assert survey_row(data, "signs")["scoring"] == scoring
    back, _ = import_xlsform(data, source="quiz.xlsx")
    assert back.item("signs").scoring == scoring
    assert item_fingerprints(back) == item_fingerprints(definition)


@pytest.mark.parametrize("spelling", ["Corrected", " corrected ", "CORRECTED"])
def test_the_scoring_column_is_read_as_people_write_it(spelling: str) -> None:
    data, _ = export_xlsform(quiz("partial"))
    back, _ = import_xlsform(with_cell(data, "scoring", spelling), source="quiz.xlsx")
    assert back.item("signs").scoring == "corrected"


@pytest.mark.parametrize("wrong", ["guess", "right-minus-wrong", "1", "'; DROP TABLE x; --"])
def test_an_unknown_scoring_is_refused_naming_the_row(wrong: str) -> None:
    data, _ = export_xlsform(quiz("partial"))
    with pytest.raises(InvalidDefinition) as caught:
        import_xlsform(with_cell(data, "scoring", wrong), source="quiz.xlsx")
    assert any(
        error.startswith("survey sheet, row")
        and "is not one of all_or_nothing, partial, corrected" in error
        for error in caught.value.errors
    ), caught.value.errors


def test_a_corrected_item_exports_its_formula_as_the_score() -> None:
    data, _ = export_xlsform(quiz("corrected"))
    score = survey_row(data, "score_knowledge")
    # Correct a and c (C = 2), wrong b (K - C = 1): max(0, R/2 - W/1), the difference written twice
    # because XPath 1.0 has no max of two numbers.
    difference = (
        "(if(selected(${signs}, 'a'), 1, 0) + if(selected(${signs}, 'c'), 1, 0)) div 2"
        " - (if(selected(${signs}, 'b'), 1, 0)) div 1"
    )
    assert score["calculation"] == f"(if({difference} > 0, {difference}, 0)) div 1"
    xform = convert(xlsform=data, validate=False, file_type=".xlsx").xform
    assert 'nodeset="/data/score_knowledge"' in xform
