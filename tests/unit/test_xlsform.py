"""XLSForm import: hand-made workbooks covering every mapped and every unsupported feature.

The workbooks are written by the tests themselves (xlsxwriter), never committed as binaries. Each one is
also converted by pyxform, ODK's own XLSForm converter, to show that it is a genuine XLSForm and not one
shaped to suit our reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from survey.errors import InvalidDefinition
from survey.questionnaire.load import load_definition
from survey.questionnaire.xlsform import ReportLine, import_xlsform
from tests.helpers import (
    Cell,
    basic,
    features_workbook,
    pyxform_converts,
    table,
    workbook,
)


def lines(report: Sequence[ReportLine]) -> list[str]:
    return [str(line) for line in report]


def find(report: Sequence[ReportLine], sheet: str, row: int | None, *words: str) -> ReportLine:
    """The one report line of that sheet and row containing every word."""
    found = [
        line
        for line in report
        if line.sheet == sheet and line.row == row and all(w in line.message for w in words)
    ]
    assert len(found) == 1, f"{sheet} row {row} {words}: {lines(report)}"
    return found[0]


# --------------------------------------------------------------------------------------------------
# Every mapped feature

FEATURES_EXPECTED = """
key: safe-migration-2024
languages: [mn, en]
title: {mn: Safe migration, en: Safe migration}
description: {mn: Богино судалгаа, en: A short survey}
sections:
  - key: section_1
    items:
      - {key: intro, type: note, text: {mn: Тавтай морил, en: Welcome}}
      - {key: consent, type: consent, text: {mn: "Зөвшөөрч байна уу?", en: "Do you agree?"}}
  - key: about
    title: {mn: Таны тухай, en: About you}
    show_if: "consent == 'yes'"
    items:
      - {key: age, type: integer, required: true, min: 18, max: 27,
         text: {mn: "Та хэдэн настай вэ?", en: "How old are you?"}, hint: {mn: 18-27 нас, en: From 18 to 27}}
      - {key: has_job, type: choice, choices: yn, required: true,
         text: {mn: "Та ажилладаг уу?", en: "Do you work?"}}
      - {key: income, type: decimal, min: 0.0, show_if: "has_job == 'yes'",
         text: {mn: "Сарын орлого?", en: "Monthly income?"}}
      - {key: start_date, type: date, min: "2000-01-01", max: "2030-12-31",
         show_if: "selected(has_job, 'yes')", text: {mn: "Хэзээнээс?", en: "Since when?"}}
      - {key: city, type: text, max_length: 80, text: {mn: "Хот?", en: "City?"}}
      - {key: children, type: integer, min: 0, max: 10,
         text: {mn: "Хэдэн хүүхэдтэй вэ?", en: "How many children?"}}
  - key: knowledge
    title: {mn: Мэдлэг, en: Knowledge}
    show_if: "consent == 'yes' and age >= 18"
    items:
      - {key: k_offer, type: choice, choices: yn, correct: "no",
         text: {mn: "Хэт сайн санал аюулгүй юу?", en: "Is a too-good offer safe?"}}
      - key: k_signs
        type: multi
        correct: [passport, debt]
        scoring: partial
        show_if: "not (k_offer == 'yes') or not answered(k_offer)"
        text: {mn: "Анхааруулах дохио?", en: "Warning signs?"}
        choices:
          - {value: passport, label: {mn: Паспорт, en: Passport kept}}
          - {value: contract, label: {mn: Гэрээ, en: A contract}}
          - {value: debt, label: {mn: Өр, en: Growing debt}}
  - key: attitudes
    title: {mn: Хандлага, en: Attitudes}
    show_if: "consent == 'yes' and age >= 18 and age < 60"
    items:
      - {key: a_report, type: likert, scale: agree5, text: {mn: Би мэдээлнэ, en: I would report it}}
      - {key: a_shame, type: likert, scale: agree5, reverse: true,
         show_if: "a_report >= 4 or not (a_report == 2)", text: {mn: Би ичнэ, en: I would be ashamed}}
  - key: knowledge_2
    title: {mn: Мэдлэг, en: Knowledge}
    show_if: "consent == 'yes' and age >= 18"
    items:
      - {key: k_contract, type: choice, choices: yn, correct: "yes", equivalent: true,
         show_if: "not (k_offer == 'dk')", text: {mn: "Гэрээ хэрэгтэй юу?", en: "Is a contract needed?"}}
  - key: section_2
    items:
      - {key: comments, type: text, show_if: "answered(k_signs) and consent == 'yes'",
         text: {mn: "Өөр юу байна?", en: "Anything else?"}}
choice_lists:
  yn:
    - {value: "yes", label: {mn: Тийм, en: "Yes"}}
    - {value: "no", label: {mn: Үгүй, en: "No"}}
    - {value: dk, label: {mn: Мэдэхгүй, en: Don't know}}
likert_scales:
  agree5:
    points: 3
    labels: {mn: [Үгүй, Аль нь ч биш, Тийм], en: [Disagree, Neutral, Agree]}
"""


def test_every_mapped_feature_is_imported_as_expected() -> None:
    got, _ = import_xlsform(features_workbook(), source="features.xlsx")
    assert got == load_definition(FEATURES_EXPECTED)


def test_the_features_workbook_says_what_it_changed() -> None:
    _, report = import_xlsform(features_workbook(), source="features.xlsx")
    find(report, "settings", 2, '"Safe Migration 2024" becomes the key "safe-migration-2024"')
    find(report, "settings", 2, "form_title is used for every language")
    find(report, "settings", 2, 'version "2024-05" not kept')
    find(report, "survey", 10, "range becomes an integer question from 0 to 10")
    find(report, "survey", 15, 'group "attitudes" is inside group "knowledge"')
    find(report, "survey", 19, 'section "knowledge_2"')
    # Nothing else: every other row maps exactly.
    assert len(report) == 6, lines(report)


def test_the_features_workbook_is_a_genuine_xlsform() -> None:
    xform = pyxform_converts(features_workbook())
    assert "<h:title>Safe migration</h:title>" in xform
    assert "relevant=\" /data/knowledge/k_offer  != 'dk'\"" in xform


# --------------------------------------------------------------------------------------------------
# Every unsupported feature: each is reported with its sheet and row, and what became of it

UNSUPPORTED_SURVEY = [
    "type", "name", "label", "required", "relevant", "constraint", "appearance", "calculation",
    "choice_filter", "constraint_message", "default", "media::image",
]  # fmt: skip


def unsupported_workbook() -> bytes:
    survey = table(
        UNSUPPORTED_SURVEY,
        {"type": "start", "name": "started"},  # row 2
        {"type": "deviceid", "name": "device"},
        {"type": "begin_group", "name": "main", "label": "Main"},
        {"type": "text", "name": "q_name", "label": "Your first name"},  # row 5
        {"type": "begin_repeat", "name": "children", "label": "Children"},
        {"type": "text", "name": "child_name", "label": "Child's name"},
        {"type": "integer", "name": "child_age", "label": "Child's age"},
        {"type": "end_repeat"},
        {
            "type": "calculate",
            "name": "price",  # row 10
            "calculation": "pulldata('prices', 'price', 'name', ${q_name})",
        },
        {"type": "geopoint", "name": "location", "label": "Where are you?"},
        {"type": "geotrace", "name": "route", "label": "Your route"},
        {"type": "geoshape", "name": "field", "label": "Your field"},
        {"type": "image", "name": "photo", "label": "A photo"},
        {"type": "audio", "name": "voice", "label": "Say something"},  # row 15
        {"type": "video", "name": "clip", "label": "A video"},
        {"type": "file", "name": "document", "label": "A document"},
        {"type": "barcode", "name": "code", "label": "Scan the code"},
        {"type": "select_one_from_file villages.csv", "name": "village", "label": "Village"},
        {
            "type": "select_one search_list",
            "name": "q_search",
            "label": "Search",  # row 20
            "appearance": "search('regions')",
        },
        {"type": "select_one region", "name": "q_region", "label": "Region", "required": "yes"},
        {
            "type": "select_one district",
            "name": "q_district",
            "label": "District",
            "choice_filter": "region=${q_region}",
        },
        {"type": "select_one yn or_other", "name": "q_other", "label": "Anything to add?"},
        {
            "type": "integer",
            "name": "q_count",
            "label": "How many?",
            "default": 3,
            "constraint": ". < 100 and . != 13",
            "constraint_message": "Too many",
            "appearance": "numbers",
        },
        {
            "type": "note",
            "name": "n_look",
            "label": "Look at this",  # row 25
            "media::image": "picture.png",
        },
        {"type": "time", "name": "t_when", "label": "What time is it?"},
        {
            "type": "text",
            "name": "q_because",
            "label": "Why ${q_count}?",
            "required": "${q_count} > 10",
            "relevant": "${q_count} > 5",
        },
        {"type": "end_group"},
    )
    choices = table(
        ["list_name", "name", "label", "region"],
        {"list_name": "yn", "name": "yes", "label": "Yes"},
        {"list_name": "yn", "name": "no", "label": "No"},
        {"list_name": "region", "name": "north", "label": "North"},  # row 4
        {"list_name": "region", "name": "south", "label": "South"},
        {"list_name": "district", "name": "d1", "label": "District 1", "region": "north"},
        {"list_name": "district", "name": "d2", "label": "District 2", "region": "south"},
        {"list_name": "unused", "name": "x", "label": "X"},  # row 8
        {"list_name": "search_list", "name": "name", "label": "label"},
    )
    settings = table(
        ["form_id", "form_title", "default_language", "instance_name"],
        {"form_id": "unsupported", "form_title": "Everything else",
         "default_language": "English (en)", "instance_name": "concat(${q_name}, '')"},
    )  # fmt: skip
    extra = [["anything"], ["a sheet of notes"]]
    return workbook({"survey": survey, "choices": choices, "settings": settings, "notes": extra})


UNSUPPORTED_EXPECTED = """
key: unsupported
languages: [en]
title: {en: Everything else}
sections:
  - key: main
    title: {en: Main}
    items:
      - {key: q_name, type: text, text: {en: Your first name}}
      - key: q_region
        type: choice
        required: true
        text: {en: Region}
        choices: [{value: north, label: {en: North}}, {value: south, label: {en: South}}]
      - key: q_district
        type: choice
        text: {en: District}
        choices:
          - {value: d1, label: {en: District 1}, properties: {region: north}}
          - {value: d2, label: {en: District 2}, properties: {region: south}}
        choice_filter: {region: q_region}
      - key: q_other
        type: choice
        text: {en: "Anything to add?"}
        choices: [{value: "yes", label: {en: "Yes"}}, {value: "no", label: {en: "No"}}]
      - key: q_count
        type: integer
        max: 99
        text: {en: "How many?"}
        constraint: "not (q_count == 13)"
        constraint_message: {en: Too many}
      - {key: n_look, type: note, text: {en: Look at this}}
      - {key: q_because, type: text, show_if: "q_count > 5", text: {en: "Why ${q_count}?"}}
"""


def test_unsupported_features_leave_the_rest_as_expected() -> None:
    got, _ = import_xlsform(unsupported_workbook(), source="unsupported.xlsx")
    assert got == load_definition(UNSUPPORTED_EXPECTED)


@pytest.mark.parametrize(
    ("sheet", "row", "words"),
    [
        ("survey", 2, ('start "started" skipped', "no device data")),
        ("survey", 3, ('deviceid "device" skipped',)),
        ("survey", 6, ('repeat "children" (rows 6-9) skipped with its 2 questions',)),
        ("survey", 10, ('calculate "price" skipped', "pulldata() is not supported")),
        ("survey", 11, ('geopoint "location" skipped',)),
        ("survey", 12, ('geotrace "route" skipped',)),
        ("survey", 13, ('geoshape "field" skipped',)),
        ("survey", 14, ('image "photo" skipped',)),
        ("survey", 15, ('audio "voice" skipped',)),
        ("survey", 16, ('video "clip" skipped',)),
        ("survey", 17, ('file "document" skipped',)),
        ("survey", 18, ('barcode "code" skipped',)),
        ("survey", 19, ('"village" skipped', "no choices from files")),
        ("survey", 20, ('"q_search" skipped', "search()")),
        ("survey", 23, ("or_other", "not imported")),
        ("survey", 26, ('time "t_when" skipped',)),
        ("survey", 27, ('required "${q_count} > 10"', "optional")),
        ("survey", None, ('column "default"', "ignored (rows 24)")),
        ("survey", None, ('column "media::image"', "ignored (rows 25)")),
        ("survey", None, ('column "appearance"', "ignored (rows 24)")),
        ("choices", 8, ('list "unused" is used by no question',)),
        ("choices", 9, ('list "search_list" is used by no question',)),
        ("settings", 2, ('column "instance_name" not supported',)),
        ("notes", None, ("sheet not supported",)),
    ],
)
def test_each_unsupported_feature_is_reported(
    sheet: str, row: int | None, words: tuple[str, ...]
) -> None:
    _, report = import_xlsform(unsupported_workbook(), source="unsupported.xlsx")
    find(report, sheet, row, *words)


def test_nothing_unsupported_goes_unreported() -> None:
    _, report = import_xlsform(unsupported_workbook(), source="unsupported.xlsx")
    # One line per case listed above; a line more or less means something is reported twice, or
    # a case above is not the only one of its row.
    assert len(report) == 24, "\n".join(lines(report))


def test_the_unsupported_workbook_is_a_genuine_xlsform() -> None:
    xform = pyxform_converts(unsupported_workbook())
    assert "<h:title>Everything else</h:title>" in xform


# --------------------------------------------------------------------------------------------------
# Bad files: a clear message naming the sheet and row, never a traceback


def errors_of(data: bytes, **options: str) -> list[str]:
    with pytest.raises(InvalidDefinition) as caught:
        import_xlsform(data, source="bad.xlsx", **options)
    assert caught.value.source == "bad.xlsx"
    return caught.value.errors


YN = [
    {"list_name": "yn", "name": "yes", "label::English (en)": "Yes"},
    {"list_name": "yn", "name": "no", "label::English (en)": "No"},
]
EN_ONLY = "label::English (en)"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"this is a text file, not a workbook", "not a readable workbook (.xlsx, .xls or .ods)"),
        (b"", "not a readable workbook"),
        (b"PK\x03\x04 a broken zip archive", "not a readable workbook"),
        (
            workbook({"Sheet1": [["type", "name", "label"], ["text", "q", "Q"]]}),
            'survey sheet: no sheet named "survey" (the sheets are: sheet1)',
        ),
        (
            workbook({"survey": [["kind", "label"], ["text", "Q"]]}),
            'survey sheet, row 1: the header row has no "type" column and no "name" column',
        ),
        (
            basic(
                {"type": "text", "name": "q", EN_ONLY: "One"},
                {"type": "text", "name": "q", EN_ONLY: "Two"},
            ),
            'survey sheet, row 3: duplicate name "q" in the same group (first at row 2)',
        ),
        (
            basic(
                {"type": "integer", "name": "age", EN_ONLY: "Age"},
                {"type": "text", "name": "why", EN_ONLY: "Why?", "relevant": "${age} mod 2 = 0"},
            ),
            'survey sheet, row 3: relevant "${age} mod 2 = 0": arithmetic ("mod") is not supported',
        ),
        (
            basic(
                {"type": "text", "name": "city", EN_ONLY: "City"},
                {
                    "type": "text",
                    "name": "why",
                    EN_ONLY: "Why?",
                    "relevant": "pulldata('towns', 'size', 'name', ${city}) > 3",
                },
            ),
            "survey sheet, row 3: relevant \"pulldata('towns', 'size', 'name', ${city}) > 3\": "
            "the function pulldata() is not supported",
        ),
        (
            basic(
                {"type": "geopoint", "name": "where", EN_ONLY: "Where?"},
                {"type": "text", "name": "why", EN_ONLY: "Why?", "relevant": "${where} != ''"},
            ),
            "survey sheet, row 3: relevant \"${where} != ''\": ${where} is a geopoint question, "
            "which is not imported",
        ),
        (
            basic({"type": "text", "name": "q", EN_ONLY: "Q", "relevant": "${nothing} = 'x'"}),
            "survey sheet, row 2: relevant \"${nothing} = 'x'\": no question is named ${nothing}",
        ),
        (
            basic(
                {"type": "text", "name": "first", EN_ONLY: "First", "relevant": "${later} = 'x'"},
                {"type": "text", "name": "later", EN_ONLY: "Later"},
            ),
            'survey sheet, row 2: show_if: "later" at position 0 does not come before this item',
        ),
        (
            basic({"type": "select_one colours", "name": "q", EN_ONLY: "Q"}),
            'survey sheet, row 2: no list "colours" in the choices sheet',
        ),
        (
            basic(
                {"type": "select_one yn", "name": "q", EN_ONLY: "Q", "correct": "maybe"}, choices=YN
            ),
            'survey sheet, row 2: correct: "maybe" is not one of the choices yes, no',
        ),
        (
            basic({"type": "text", "name": "q"}),
            'survey sheet, row 2: "q" has no label',
        ),
        (
            basic({"type": "multiple_choice", "name": "q", EN_ONLY: "Q"}),
            'survey sheet, row 2: unknown question type "multiple_choice"',
        ),
        (
            basic(
                {"type": "begin_group", "name": "g"}, {"type": "text", "name": "q", EN_ONLY: "Q"}
            ),
            "survey sheet: 1 begin_group without an end_group",
        ),
    ],
)
def test_a_bad_file_gives_a_clear_message(data: bytes, expected: str) -> None:
    errors = errors_of(data)
    assert any(error.startswith(expected) for error in errors), errors


def test_every_problem_is_reported_at_once() -> None:
    data = basic(
        {"type": "text", "name": "q", EN_ONLY: "One"},
        {"type": "text", "name": "q", EN_ONLY: "Two"},
        {"type": "select_one nowhere", "name": "r", EN_ONLY: "R"},
    )
    assert errors_of(data) == [
        'survey sheet, row 3: duplicate name "q" in the same group (first at row 2)',
        'survey sheet, row 4: no list "nowhere" in the choices sheet',
    ]


def test_a_missing_file_is_one_clear_error(tmp_path) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        import_xlsform(tmp_path / "nothing.xlsx")
    assert caught.value.errors == ["file not found"]
    assert caught.value.source == "nothing.xlsx"


# --------------------------------------------------------------------------------------------------
# Languages, names and values


def plain(settings: Mapping[str, Cell] | None = None) -> bytes:
    sheets = {
        "survey": table(["type", "name", "label"], {"type": "text", "name": "q", "label": "Q"})
    }
    if settings:
        sheets["settings"] = table(list(settings), settings)
    return workbook(sheets)


def test_a_plain_label_takes_its_language_from_the_settings() -> None:
    got, _ = import_xlsform(plain({"form_id": "f", "default_language": "Mongolian (mn)"}))
    assert got.languages == ["mn"]
    assert got.item("q").text == {"mn": "Q"}


def test_a_plain_label_takes_its_language_from_the_option() -> None:
    got, report = import_xlsform(plain(), source="my form.xlsx", language="en")
    assert got.languages == ["en"]
    assert got.key == "my-form"  # no form_id: from the file name
    find(report, "settings", None, 'no form_id: the key is taken from the file name "my form"')


def test_language_columns_without_a_code_are_read_by_name_and_reported() -> None:
    data = workbook(
        {
            "survey": table(
                ["type", "name", "label", "label::English", "label::mn", "hint::French (fr)"],
                {"type": "text", "name": "q", "label": "plain", "label::English": "Q",
                 "label::mn": "А", "hint::French (fr)": "indice"},
            ),
            "settings": table(["form_id"], {"form_id": "langs"}),
        }
    )  # fmt: skip
    got, report = import_xlsform(data)
    assert got.languages == ["en", "mn"]
    assert got.item("q").text == {"en": "Q", "mn": "А"}
    assert got.item("q").hint is None
    find(report, "survey", 1, 'column "label::English": language "English" taken as code "en"')
    find(report, "survey", 1, 'column "label" (no language) ignored')
    find(report, "survey", 1, 'column "hint::French (fr)": not a language of the survey labels')


def test_names_and_choice_values_are_made_valid_and_references_follow() -> None:
    data = basic(
        {"type": "select_one yn", "name": "Has-Job", EN_ONLY: "Work?"},
        {"type": "text", "name": "why", EN_ONLY: "Why?",
         "relevant": "${Has-Job} = 'n/a' or selected(${Has-Job}, 'n/a')"},
        choices=[*YN, {"list_name": "yn", "name": "n/a", EN_ONLY: "Not applicable"}],
    )  # fmt: skip
    got, report = import_xlsform(data, source="names.xlsx")
    assert [c.value for c in got.choices_for(got.item("has_job"))] == ["yes", "no", "n_a"]
    assert got.item("why").show_if == "has_job == 'n_a' or selected(has_job, 'n_a')"
    find(report, "survey", 2, 'name "Has-Job" becomes "has_job"')
    find(report, "choices", 4, 'choice "n/a" becomes "n_a"')


def test_a_likert_list_with_named_choices_is_stored_as_positions() -> None:
    agree = [
        {"list_name": "agree", "name": name, EN_ONLY: name.upper()}
        for name in ("sd", "d", "a", "sa")
    ]
    data = workbook(
        {
            "survey": table(
                ["type", "name", EN_ONLY, "likert", "relevant"],
                {"type": "select_one agree", "name": "a1", EN_ONLY: "One", "likert": "yes"},
                {"type": "text", "name": "why", EN_ONLY: "Why?", "relevant": "${a1} = 'sa'"},
            ),
            "choices": table(["list_name", "name", EN_ONLY], *agree),
        }
    )
    got, report = import_xlsform(data, source="likert.xlsx")
    assert got.item("a1").scale == "agree"
    assert got.likert_scales["agree"].labels == {"en": ["SD", "D", "A", "SA"]}
    assert got.item("why").show_if == "a1 == 4"
    find(report, "choices", 2, "its choices sd, d, a, sa are stored as 1 to 4")


def test_the_outcomes_sheet_becomes_outcomes() -> None:
    data = workbook(
        {
            "survey": table(
                ["type", "name", EN_ONLY, "correct"],
                {"type": "select_one yn", "name": "k1", EN_ONLY: "K1", "correct": "no"},
                {"type": "select_one yn", "name": "k2", EN_ONLY: "K2", "correct": "yes"},
            ),
            "choices": table(["list_name", "name", EN_ONLY], *YN),
            "outcomes": table(
                ["name", "kind", EN_ONLY, "items", "item", "value"],
                {"name": "knowledge", "kind": "score", EN_ONLY: "Knowledge", "items": "k1 k2"},
                {"name": "says_yes", "kind": "proportion", EN_ONLY: "Yes to K1", "item": "k1",
                 "value": "yes"},
            ),
        }
    )  # fmt: skip
    got, _ = import_xlsform(data, source="outcomes.xlsx")
    assert (
        got.outcomes
        == load_definition(
            """
        key: outcomes
        languages: [en]
        title: {en: outcomes}
        sections:
          - key: s
            items:
              - {key: k1, type: choice, choices: yn, correct: "no", text: {en: K1}}
              - {key: k2, type: choice, choices: yn, correct: "yes", text: {en: K2}}
        choice_lists:
          yn: [{value: "yes", label: {en: "Yes"}}, {value: "no", label: {en: "No"}}]
        outcomes:
          knowledge: {kind: score, label: {en: Knowledge}, items: [k1, k2]}
          says_yes: {kind: proportion, label: {en: Yes to K1}, item: k1, value: "yes"}
        """
        ).outcomes
    )


def test_a_bad_outcome_names_its_row() -> None:
    data = workbook(
        {
            "survey": table(["type", "name", EN_ONLY], {"type": "text", "name": "t", EN_ONLY: "T"}),
            "outcomes": table(
                ["name", "kind", EN_ONLY, "items"],
                {"name": "knowledge", "kind": "score", EN_ONLY: "Knowledge", "items": "t"},
            ),
        }
    )
    assert errors_of(data) == [
        'outcomes sheet, row 2: items[0]: "t" is not a knowledge item (it has no "correct")'
    ]


def test_plain_text_columns_are_used_only_where_their_language_is_known() -> None:
    one_language = workbook(
        {
            "survey": table(
                ["type", "name", EN_ONLY, "hint"],
                {"type": "text", "name": "q", EN_ONLY: "Q", "hint": "A hint"},
            )
        }
    )
    got, _ = import_xlsform(one_language, source="one.xlsx")
    assert got.item("q").hint == {"en": "A hint"}

    two = ["type", "name", EN_ONLY, "label::Mongolian (mn)", "hint"]
    two_languages = workbook(
        {
            "survey": table(
                two,
                {"type": "select_one yn", "name": "q", EN_ONLY: "Q",
                 "label::Mongolian (mn)": "А", "hint": "A hint"},
            ),
            "choices": table(["list_name", "name", "label"], {"list_name": "yn", "name": "y",
                                                              "label": "Yes"}),
        }
    )  # fmt: skip
    assert errors_of(two_languages) == [
        'choices sheet, row 1: column "label" has no language, but the form is in en, mn: use '
        "label::Name (code) columns"
    ]
