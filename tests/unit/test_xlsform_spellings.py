"""XLSForm import: every spelling pyxform reads, and the features forms in the field use.

Each workbook is written here and also converted by pyxform, to show that ODK reads it the same way:
older type names, language columns without codes or with one colon, list names in their case, names
reused in another group, partial translations, calculations, cascading choices, piped labels and
constraint messages.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from survey.errors import InvalidDefinition
from survey.questionnaire.computed import offered_choices, untranslated, with_calculations
from survey.questionnaire.xlsform import ReportLine, import_xlsform
from tests.helpers import Cell, pyxform_converts, table, workbook


def book(*rows: Mapping[str, Cell], header: list[str], choices=None, settings=None) -> bytes:
    sheets: dict[str, list[list[Cell]]] = {"survey": table(header, *rows)}
    if choices is not None:
        sheets["choices"] = choices
    if settings is not None:
        sheets["settings"] = settings
    data = workbook(sheets)
    pyxform_converts(data)  # a genuine XLSForm, as ODK reads it
    return data


def workbook_of(*rows: Mapping[str, Cell], header: list[str]) -> bytes:
    return workbook({"survey": table(header, *rows)})


def lines(report: list[ReportLine]) -> list[str]:
    return [str(line) for line in report]


def test_older_type_spellings_and_list_names_in_their_case() -> None:
    data = book(
        {"type": "select one from Surveyor", "name": "who", "label": "Who asks?"},
        {"type": "select all that apply from Topics", "name": "topics", "label": "Topics"},
        {"type": "gps", "name": "where", "label": "Where?"},
        {"type": "photo", "name": "pic", "label": "Photo"},
        {"type": "imei", "name": "device"},
        {"type": "begin group", "name": "g", "label": "G"},
        {"type": "integer", "name": "n", "label": "N"},
        {"type": "end group", "name": "g"},  # pyxform ignores a name on an end row
        header=["type", "name", "label"],
        choices=table(
            ["list_name", "name", "label"],
            {"list_name": "Surveyor", "name": "ana", "label": "Ana"},
            {"list_name": "Topics", "name": "water", "label": "Water"},
        ),
        settings=table(["default_language"], {"default_language": "English (en)"}),
    )
    q, report = import_xlsform(data, source="spellings.xlsx")
    assert q.item("who").type == "choice" and q.choices_for(q.item("who"))[0].value == "ana"
    assert q.item("topics").type == "multi"
    assert [s.key for s in q.sections] == ["section_1", "g"]
    text = "\n".join(lines(report))
    assert 'gps "where" skipped: survey asks for no locations' in text
    assert 'photo "pic" skipped: survey takes no uploads' in text
    assert 'imei "device" skipped: survey records no device data' in text


@pytest.mark.parametrize(
    ("column", "code", "said"),
    [
        ("label::English (en)", "en", None),
        ("label::English", "en", 'language "English" taken as code "en"'),
        ("label:English", "en", 'language "English" taken as code "en"'),
        ("label::EN", "en", 'language "EN" taken as code "en"'),
        ("label::Amharic", "am", 'language "Amharic" taken as code "am"'),
        ("label::العربية", "ar", 'language "العربية" taken as code "ar"'),
        ("label::Klingon", "und-klingon", 'language "Klingon" has no code we know'),
    ],
)
def test_language_columns_with_or_without_a_code(column: str, code: str, said: str | None) -> None:
    data = book({"type": "text", "name": "q", column: "Q"}, header=["type", "name", column])
    q, report = import_xlsform(data, source="languages.xlsx")
    assert q.languages == [code]
    if said:
        assert any(said in line.message for line in report), lines(report)


def test_a_plain_label_is_taken_in_the_language_its_script_shows() -> None:
    data = book(
        {"type": "text", "name": "q", "label": "Та хэдэн настай вэ? Өөрийнхөө насыг бичнэ үү."},
        header=["type", "name", "label"],
    )
    q, report = import_xlsform(data, source="plain.xlsx")
    assert q.languages == ["mn"]
    assert any("taken as Mongolian (mn)" in line.message for line in report), lines(report)


def test_bind_columns_and_curly_quotes_are_read_as_pyxform_reads_them() -> None:
    data = book(
        {"type": "select_one yn", "name": "ok", "label::English (en)": "OK?"},
        {
            "type": "integer",
            "name": "age",
            "label::English (en)": "Age",
            "bind::relevant": "${ok} = \u2018yes\u2019",
            "bind::constraint": ". >= 18",
            "bind::jr:constraintMsg::English (en)": "Adults only",
        },
        header=[
            "type",
            "name",
            "label::English (en)",
            "bind::relevant",
            "bind::constraint",
            "bind::jr:constraintMsg::English (en)",
        ],
        choices=table(
            ["list_name", "name", "label::English (en)"],
            {"list_name": "yn", "name": "yes", "label::English (en)": "Yes"},
            {"list_name": "yn", "name": "no", "label::English (en)": "No"},
        ),
    )
    q, _ = import_xlsform(data, source="bind.xlsx")
    age = q.item("age")
    assert age.show_if == "ok == 'yes'"
    assert age.constraint == "age >= 18"  # kept as a rule, since it has the author's message
    assert age.constraint_message == {"en": "Adults only"}


def test_a_name_reused_in_another_group_is_renamed_and_conditions_follow() -> None:
    # pyxform 4.5 refuses a ${name} naming a reused name; the older pyxform KoboToolbox ran took the
    # one in the referring row's group, and so does the import: not converted by pyxform here.
    header = ["type", "name", "label", "relevant"]
    data = workbook_of(
        {"type": "begin_group", "name": "mother", "label": "Mother"},
        {"type": "integer", "name": "age", "label": "Mother's age"},
        {"type": "text", "name": "job", "label": "Job", "relevant": "${age} > 15"},
        {"type": "end_group"},
        {"type": "begin_group", "name": "father", "label": "Father"},
        {"type": "integer", "name": "age", "label": "Father's age"},
        {"type": "text", "name": "job", "label": "Job", "relevant": "${age} > 16"},
        {"type": "end_group"},
        header=header,
    )
    q, report = import_xlsform(data, source="scoped.xlsx")
    assert [i.key for i in q.items()] == ["age", "job", "father_age", "father_job"]
    assert q.item("job").show_if == "age > 15"
    assert q.item("father_job").show_if == "father_age > 16"
    assert any('"age" is used in another group too: here it becomes "father_age"' in line.message
               for line in report)  # fmt: skip


def test_a_name_inside_a_skipped_repeat_does_not_collide_with_one_outside() -> None:
    data = book(
        {"type": "begin_repeat", "name": "members", "label": "Members"},
        {"type": "text", "name": "name", "label": "Member's name"},
        {"type": "end_repeat"},
        {"type": "text", "name": "name", "label": "Your name"},
        header=["type", "name", "label"],
    )
    q, _ = import_xlsform(data, source="repeat.xlsx")
    assert [i.key for i in q.items()] == ["name"]


def test_the_same_name_twice_in_one_group_is_refused_as_pyxform_refuses_it() -> None:
    data = workbook(
        {
            "survey": table(
                ["type", "name", "label"],
                {"type": "text", "name": "q", "label": "One"},
                {"type": "text", "name": "q", "label": "Two"},
            )
        }
    )
    with pytest.raises(InvalidDefinition) as caught:
        import_xlsform(data)
    assert caught.value.errors == [
        'survey sheet, row 3: duplicate name "q" in the same group (first at row 2)'
    ]


def test_a_partial_translation_falls_back_to_the_default_language() -> None:
    en, mn = "label::English (en)", "label::Mongolian (mn)"
    data = book(
        {"type": "text", "name": "q1", en: "Your name", mn: "Таны нэр"},
        {"type": "text", "name": "q2", en: "Your town"},
        header=["type", "name", en, mn],
        settings=table(["default_language"], {"default_language": "English (en)"}),
    )
    q, report = import_xlsform(data, source="partial.xlsx")
    assert q.item("q2").text == {"en": "Your town"}
    assert [(u.place, u.language) for u in untranslated(q)] == [("sections[0].items[1].text", "mn")]
    assert any(
        'column "label::Mongolian (mn)" has no text on rows 3: shown in English (en)'
        in line.message
        for line in report
    ), lines(report)


def test_calculations_conditions_and_piped_labels() -> None:
    header = ["type", "name", "label", "relevant", "calculation", "constraint",
              "constraint_message"]  # fmt: skip
    data = book(
        {"type": "integer", "name": "adults", "label": "Adults"},
        {"type": "integer", "name": "children", "label": "Children",
         "constraint": ". <= ${adults} * 10", "constraint_message": "Too many children"},
        {"type": "calculate", "name": "size", "calculation": "${adults} + ${children}"},
        {"type": "calculate", "name": "big", "calculation": "if(${size} > 5, 'yes', 'no')",
         "relevant": "${adults} > 0"},
        {"type": "note", "name": "say", "label": "Your household has ${size} people."},
        {"type": "text", "name": "help", "label": "What help?", "relevant": "${big} = 'yes'"},
        {"type": "username", "name": "user"},
        {"type": "text", "name": "extra", "label": "Extra", "relevant": "${user} != 'test'"},
        header=header,
    )  # fmt: skip
    q, report = import_xlsform(data, source="calc.xlsx")
    assert q.calculations == {
        "size": "adults + children",
        "big": "if(adults > 0, if(size > 5, 'yes', 'no'), null)",
    }
    assert q.item("say").text == {"en": "Your household has ${size} people."}
    assert q.item("help").show_if == "big == 'yes'"
    assert q.item("children").constraint == "children <= adults * 10"
    values = with_calculations(q, {"adults": 2, "children": 4})
    assert values["size"] == 6 and values["big"] == "yes"
    # A username is never recorded: read as empty, '' != 'test' holds, as on a device without one.
    assert q.item("extra").show_if is None
    assert any("${user} is a username value survey never records: read as empty" in line.message
               for line in report)  # fmt: skip


def test_cascading_choices_by_column_and_by_selected() -> None:
    header = ["type", "name", "label", "choice_filter"]
    choices = table(
        ["list_name", "name", "label", "state"],
        {"list_name": "states", "name": "tx", "label": "Texas"},
        {"list_name": "states", "name": "wa", "label": "Washington"},
        {"list_name": "cities", "name": "austin", "label": "Austin", "state": "tx"},
        {"list_name": "cities", "name": "seattle", "label": "Seattle", "state": "wa"},
    )
    data = book(
        {"type": "select_one states", "name": "state", "label": "State"},
        {"type": "select_one cities", "name": "city", "label": "City",
         "choice_filter": "state=${state}"},
        {"type": "select_multiple cities", "name": "visited", "label": "Visited"},
        {"type": "select_one cities", "name": "best", "label": "Best of those",
         "choice_filter": "selected(${visited}, name)"},
        header=header,
        choices=choices,
    )  # fmt: skip
    q, _ = import_xlsform(data, source="cascade.xlsx")
    city, best = q.item("city"), q.item("best")
    assert city.choice_filter == {"state": "state"}
    assert [c.value for c in offered_choices(q, city, {"state": "wa"})] == ["seattle"]
    assert best.choice_filter == {"value": "visited"}
    assert [c.value for c in offered_choices(q, best, {"visited": ["austin"]})] == ["austin"]


def test_a_choice_filter_outside_the_translated_forms_shows_every_choice() -> None:
    data = book(
        {"type": "select_one yn", "name": "a", "label": "A"},
        {"type": "select_one yn", "name": "b", "label": "B",
         "choice_filter": "name != ${a} or name = 'no'"},
        header=["type", "name", "label", "choice_filter"],
        choices=table(
            ["list_name", "name", "label"],
            {"list_name": "yn", "name": "yes", "label": "Yes"},
            {"list_name": "yn", "name": "no", "label": "No"},
        ),
    )  # fmt: skip
    q, report = import_xlsform(data, source="filter.xlsx")
    assert q.item("b").choice_filter is None
    assert any("not translated" in line.message and "every choice" in line.message
               for line in report)  # fmt: skip
