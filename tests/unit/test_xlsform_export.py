"""XLSForm export: what the workbook holds, pyxform's conversion, and the round trip of the shipped forms."""

from __future__ import annotations

import io
from pathlib import Path

import msgspec
import openpyxl
import pytest

from survey.errors import InvalidDefinition
from survey.questionnaire.fingerprint import definition_hash, item_fingerprints
from survey.questionnaire.load import load_definition, load_file
from survey.questionnaire.xlsform import definition_yaml, export_xlsform, import_xlsform
from tests.helpers import features_workbook, pyxform_converts

FORMS = sorted((Path(__file__).resolve().parents[2] / "forms").glob("*.yaml"))
# Cascading choices from a shipped list, a calculation, piped text and a constraint message.
COMPUTED = Path(__file__).resolve().parent / "data" / "computed.yaml"


def sheets(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Every sheet as rows of {header: value}, read with openpyxl (not the reader under test)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    found = {}
    for sheet in book.worksheets:
        rows = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
        header = rows[0]
        found[sheet.title] = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return found


SMALL = """
key: small-quiz
languages: [mn, en]
title: {mn: Жижиг, en: Small}
sections:
  - key: consent
    items:
      - {key: consent, type: consent, text: {mn: Зөвшөөрөх үү, en: Do you agree}}
  - key: knowledge
    show_if: "consent == 'yes'"
    items:
      - {key: code, type: panel_code, max_length: 12, text: {mn: Код, en: Code}}
      - key: k1
        type: choice
        correct: "no"
        text: {mn: Асуулт 1, en: Question 1}
        choices: [{value: "yes", label: {mn: Тийм, en: "Yes"}}, {value: "no", label: {mn: Үгүй, en: "No"}}]
      - key: k2
        type: multi
        correct: [a, c]
        scoring: partial
        text: {mn: Асуулт 2, en: Question 2}
        choices:
          - {value: a, label: {mn: А, en: A}}
          - {value: b, label: {mn: Б, en: B}}
          - {value: c, label: {mn: В, en: C}}
      - {key: a1, type: likert, scale: agree3, reverse: true, text: {mn: Санал, en: Opinion}}
      - {key: bye, type: note, show_if: "consent == 'no'", text: {mn: Баяртай, en: Goodbye}}
likert_scales:
  agree3: {points: 3, labels: {mn: [Үгүй, Дунд, Тийм], en: [Disagree, Neutral, Agree]}}
outcomes:
  knowledge: {kind: score, items: [k1, k2], label: {mn: Мэдлэг, en: Knowledge}}
"""


def test_the_workbook_holds_the_questionnaire_in_xlsform_terms() -> None:
    data, _ = export_xlsform(load_definition(SMALL), version=4)
    book = sheets(data)
    survey = {row["name"]: row for row in book["survey"] if row["name"]}
    assert survey["consent"]["type"] == "acknowledge"
    assert survey["consent"]["required"] == "yes"
    assert survey["consent"]["label::Mongolian (mn)"] == "Зөвшөөрөх үү"
    assert survey["consent"]["label::English (en)"] == "Do you agree"
    # The section "consent" shares its name with the item: the group is renamed, the key kept.
    assert survey["consent_group"]["type"] == "begin_group"
    assert survey["consent_group"]["section"] == "consent"
    assert survey["knowledge"]["relevant"] == "${consent} = 'OK'"
    assert survey["code"]["type"] == "text"
    assert survey["code"]["panel_code"] == "yes"
    assert survey["code"]["constraint"] == "string-length(.) <= 12"
    assert survey["k1"]["type"] == "select_one k1"
    assert survey["k1"]["correct"] == "no"
    assert (survey["k2"]["type"], survey["k2"]["correct"], survey["k2"]["scoring"]) == (
        "select_multiple k2",
        "a c",
        "partial",
    )
    assert (survey["a1"]["type"], survey["a1"]["likert"], survey["a1"]["reverse"]) == (
        "select_one agree3",
        "agree3",
        "yes",
    )
    agree3 = [row for row in book["choices"] if row["list_name"] == "agree3"]
    assert [(row["name"], row["label::English (en)"]) for row in agree3] == [
        ("1", "Disagree"),
        ("2", "Neutral"),
        ("3", "Agree"),
    ]
    settings = book["settings"][0]
    assert (settings["form_id"], settings["form_title"], settings["version"]) == (
        "small-quiz",
        "Жижиг",
        "4",
    )
    assert settings["default_language"] == "Mongolian (mn)"


def test_a_score_outcome_is_a_calculate_pyxform_accepts() -> None:
    data, _ = export_xlsform(load_definition(SMALL))
    (score,) = [row for row in sheets(data)["survey"] if row["type"] == "calculate"]
    assert score["name"] == "score_knowledge"
    # k1 is right when "no"; k2 (partial) scores the share of its 3 choices classified right, and
    # nothing when unanswered; the outcome is the mean of the two.
    assert score["calculation"] == (
        "(if(${k1} = 'no', 1, 0) + if(count-selected(${k2}) > 0, "
        "(if(selected(${k2}, 'a'), 1, 0) + if(selected(${k2}, 'b'), 0, 1) "
        "+ if(selected(${k2}, 'c'), 1, 0)) div 3, 0)) div 2"
    )
    xform = pyxform_converts(data)
    # pyxform resolved the references to the items' places in the form.
    assert (
        'nodeset="/data/score_knowledge" type="string" calculate="(if( /data/knowledge/k1 ' in xform
    )


def test_the_export_reports_what_odk_treats_differently() -> None:
    _, report = export_xlsform(load_definition(SMALL))
    messages = [(line.sheet, line.message) for line in report]
    assert len(report) == 2, messages
    assert any("panel_code" in m and "HMAC" in m for _, m in messages)
    assert any('consent == "no"' in m and "acknowledge" in m for _, m in messages)


def test_a_condition_xpath_cannot_express_is_an_error_naming_the_row() -> None:
    text = SMALL.replace(
        "{key: bye, type: note, show_if: \"consent == 'no'\"",
        "{key: bye, type: note, show_if: \"answered(k2) and k1 < 'n'\"",
    )
    with pytest.raises(InvalidDefinition, match=r"survey sheet, row 10: k1 < 'n': texts"):
        export_xlsform(load_definition(text))


@pytest.mark.parametrize("path", [*FORMS, COMPUTED], ids=lambda p: p.stem)
def test_shipped_forms_round_trip_through_xlsform(path: Path) -> None:
    original = load_file(path)
    data, report = export_xlsform(original, version=1)
    pyxform_converts(data)
    if original.analysis is not None:
        assert any("analysis block" in line.message for line in report)
    back, _ = import_xlsform(data, source=f"{path.stem}.xlsx")
    assert item_fingerprints(back) == item_fingerprints(original)
    # More than the fingerprints: the whole definition comes back, but for the analysis block,
    # which XLSForm has no place for (the export says so), so publishing it is a no-op once the
    # block is added back.
    assert back.analysis is None
    assert msgspec.structs.replace(back, analysis=original.analysis) == original
    assert definition_hash(msgspec.structs.replace(back, analysis=original.analysis)) == (
        definition_hash(original)
    )


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.stem)
def test_shipped_forms_convert_with_every_item_in_the_xform(path: Path) -> None:
    original = load_file(path)
    xform = pyxform_converts(export_xlsform(original)[0])
    for item in original.items():
        assert f"/{item.key}:label" in xform, item.key


def test_an_imported_form_round_trips_too() -> None:
    imported, _ = import_xlsform(features_workbook())
    again, _ = import_xlsform(export_xlsform(imported)[0])
    assert again == imported


@pytest.mark.parametrize("path", FORMS[:2], ids=lambda p: p.stem)
def test_the_yaml_written_for_an_import_loads_back_equal(path: Path) -> None:
    original = load_file(path)
    text = definition_yaml(original, ["Imported from x.xlsx", "survey sheet, row 2: something"])
    assert text.startswith("# Imported from x.xlsx\n# survey sheet, row 2: something\nkey: ")
    assert load_definition(text) == original


def test_the_new_features_are_written_as_odk_reads_them() -> None:
    data, report = export_xlsform(load_file(COMPUTED))
    assert report == []
    rows = {row["name"]: row for row in sheets(data)["survey"]}
    assert rows["soum"]["choice_filter"] == "aimag = ${aimag}"
    assert rows["children"]["constraint"] == ". >= 0 and ${children} <= ${adults} * 10"
    assert rows["children"]["constraint_message::English (en)"].startswith("The number of")
    assert rows["household_size"]["type"] == "calculate"
    assert rows["household_size"]["calculation"] == "${adults} + coalesce(${children}, 0)"
    assert rows["size_note"]["label::English (en)"].startswith(
        "Your household has ${household_size}"
    )
    soums = [row for row in sheets(data)["choices"] if row["list_name"] == "mn_soum"]
    assert len(soums) == 339 and soums[0]["aimag"] == "11"
    xform = pyxform_converts(data)
    # pyxform made the filter an itemset predicate and the calculation a bind over the answers.
    assert "instance('mn_soum')/root/item[aimag =  /data/place/aimag ]" in xform
    assert 'calculate=" /data/household/adults  + coalesce( /data/household/children , 0)"' in xform


def test_a_partial_translation_round_trips() -> None:
    text = COMPUTED.read_text(encoding="utf-8").replace(
        ', en: "How many adults live in your household?"', ""
    )
    original = load_definition(text)
    assert "en" not in original.item("adults").text
    data, _ = export_xlsform(original)
    pyxform_converts(data)
    back, report = import_xlsform(data, source="computed.xlsx")
    assert back == original
    assert any("no text on rows" in line.message and "English" in line.message for line in report)
