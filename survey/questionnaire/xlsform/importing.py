"""XLSForm → questionnaire: the importer."""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import yaml

from survey.errors import InvalidDefinition
from survey.questionnaire import expressions
from survey.questionnaire.expressions import (
    And,
    Expr,
)
from survey.questionnaire.load import load_object
from survey.questionnaire.model import (
    SCORINGS,
    Questionnaire,
    Text,
)
from survey.questionnaire.workbook import read_workbook
from survey.questionnaire.xlsform.common import (
    CHOICE_VALUE,
    CHOICES_COLUMNS,
    FILE_SELECT,
    KNOWN_SHEETS,
    LANGUAGE,
    MAX_KEY_LENGTH,
    NAMED_PATH,
    NO,
    OUTCOME_COLUMNS,
    SECTION_PATH,
    SELECT,
    SETTINGS_COLUMNS,
    SIMPLE_TYPES,
    SURVEY_COLUMNS,
    UNSUPPORTED_TYPES,
    YES,
    ImportFailed,
    ReportLine,
    Sheet,
    column_base,
    language_column,
    language_of,
    unique_name,
    workbook_data,
)
from survey.questionnaire.xlsform.xpath import (
    FLIPPED,
    Ref,
    ToCondition,
    XBin,
    XCall,
    XDot,
    XLogic,
    XNeg,
    XNode,
    XNum,
    XPathError,
    XRef,
    XStr,
    format_expression,
    number_of,
    parse_xpath,
    xpath_condition,
    xpath_number_text,
)

# --------------------------------------------------------------------------------------------------
# Import


@dataclass
class _Choices:
    """One list of the choices sheet.

    ``value_map`` (raw name → value) and ``taken`` (values) grow with the lists, so that checking a
    row for duplicates takes the same time in a list of 40,000 choices as in one of 4.
    """

    name: str
    rows: list[int] = field(default_factory=list)
    raw_values: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    value_map: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    first_rows: dict[str, int] = field(default_factory=dict)
    """Raw name → the row it was first given on."""

    def add(self, row: int, raw: str, value: str, label: Text) -> None:
        self.rows.append(row)
        self.raw_values.append(raw)
        self.values.append(value)
        self.labels.append(label)
        self.value_map[raw] = value
        self.taken.add(value)
        self.first_rows[raw] = row


@dataclass
class _Question:
    """A survey row that becomes an item, before its conditions are translated."""

    row: int
    raw: list[str]
    name: str
    key: str
    type: str
    list_name: str | None = None
    scale: str | None = None
    bounds: dict[str, int | float] = field(default_factory=dict)  # of a range


@dataclass
class _Group:
    row: int
    name: str
    key: str
    title: Text | None
    relevant: str
    condition: Expr | None = None


@dataclass
class _SectionDraft:
    key: str
    title: Text | None
    groups: tuple[_Group, ...]
    row: int
    items: list[dict[str, Any]] = field(default_factory=list)
    item_rows: list[int] = field(default_factory=list)


class _Importer:
    def __init__(self, sheets: dict[str, list[list[str]]], source: str, language: str | None):
        self.cells = sheets
        self.source = source
        self.language = language
        self.errors: list[str] = []
        self.report: list[ReportLine] = []
        self.ignored: dict[tuple[str, str], list[int]] = {}  # (sheet, column) → rows
        self.languages: list[str] = []
        self.refs: dict[str, Ref] = {}
        self.lists: dict[str, _Choices] = {}
        self.scales: dict[str, dict[str, Any]] = {}
        self.scale_lists: dict[str, str] = {}  # scale name → list name
        self.outcome_calculates: dict[str, str] = {}  # calculate name → outcome
        self.sections: list[_SectionDraft] = []
        self.settings_row: dict[str, str] = {}
        self.settings_at: int | None = None
        self.list_by_key: dict[str, str] = {}  # choice_lists key → XLSForm list name
        self.outcomes: dict[str, dict[str, Any]] = {}

    # -- messages

    def error(self, sheet: str, row: int | None, message: str) -> None:
        self.errors.append(str(ReportLine(sheet=sheet, row=row, message=message)))

    def note(self, sheet: str, row: int | None, message: str) -> None:
        self.report.append(ReportLine(sheet=sheet, row=row, message=message))

    def fail_if_errors(self) -> None:
        if self.errors:
            raise ImportFailed

    # -- the whole import

    def run(self) -> Questionnaire:
        if "survey" not in self.cells:
            found = ", ".join(self.cells) or "none"
            self.error("survey", None, f'no sheet named "survey" (the sheets are: {found})')
            raise ImportFailed
        survey = Sheet.parse("survey", self.cells["survey"])
        if "type" not in survey.columns or "name" not in survey.columns:
            missing = [c for c in ("type", "name") if c not in survey.columns]
            self.error(
                "survey",
                survey.header_row,
                "the header row has no " + " and no ".join(f'"{c}" column' for c in missing),
            )
            raise ImportFailed
        choices = Sheet.parse("choices", self.cells.get("choices", []))
        settings = Sheet.parse("settings", self.cells.get("settings", []))
        outcomes = Sheet.parse("outcomes", self.cells.get("outcomes", []))
        for name in self.cells:
            if name not in KNOWN_SHEETS and any(any(row) for row in self.cells[name]):
                self.note(name, None, "sheet not supported: ignored")
        self.read_settings(settings)
        self.read_languages(survey, choices, outcomes)
        self.fail_if_errors()
        self.read_choices(choices)
        self.read_outcome_names(outcomes)
        questions = self.read_survey(survey)
        self.fail_if_errors()
        self.build_sections(survey, questions)
        outcome_map = self.read_outcomes(outcomes)
        self.fail_if_errors()
        self.report_ignored()
        return self.validate(outcome_map)

    # -- settings and languages

    def read_settings(self, sheet: Sheet) -> None:
        if not sheet.rows:
            return
        row_number, row = sheet.rows[0]
        self.settings_row = {column: sheet.get(row, column) for column in sheet.columns}
        self.settings_at = row_number
        for column, value in self.settings_row.items():
            if value and column_base(column) not in SETTINGS_COLUMNS:
                self.note("settings", row_number, f'column "{column}" not supported: ignored')
        for extra, _ in sheet.rows[1:]:
            self.note("settings", extra, "only the first row of settings is read: ignored")

    def read_languages(self, survey: Sheet, choices: Sheet, outcomes: Sheet) -> None:
        translated: list[str] = []
        for column in survey.columns:
            base, _, spec = column.partition("::")
            if base != "label" or not spec:
                continue
            code, how = language_of(spec)
            if code is None:
                self.error(
                    "survey",
                    survey.header_row,
                    f'column "{column}": no language code; write it as label::Name (code), '
                    "e.g. label::English (en)",
                )
            elif code in translated:
                self.error("survey", survey.header_row, f'two label columns for language "{code}"')
            else:
                translated.append(code)
                if how:
                    self.note("survey", survey.header_row, f'column "{column}": {how}')
        default = self.settings_row.get("default_language", "")
        default_code = language_of(default)[0] if default and default != "default" else None
        if translated:
            if "label" in survey.columns:
                self.note(
                    "survey",
                    survey.header_row,
                    'column "label" (no language) ignored: the form has labels in '
                    + ", ".join(translated),
                )
            if default_code in translated:
                translated.remove(default_code)
                translated.insert(0, default_code)
            self.languages = translated
        elif "label" in survey.columns:
            code = self.language or default_code
            if code is None:
                self.error(
                    "survey",
                    survey.header_row,
                    "the labels have no language: name it in the settings sheet (default_language, "
                    'e.g. "English (en)") or with --language',
                )
                return
            if not LANGUAGE.fullmatch(code):
                self.error("survey", None, f'"{code}" is not a language code such as "en"')
                return
            self.languages = [code]
        else:
            self.error("survey", survey.header_row, "no label column")
            return
        self.check_plain_columns((survey, choices, outcomes))
        for sheet in (survey, choices, outcomes):
            for column in sheet.columns:
                base, _, spec = column.partition("::")
                if base in ("label", "hint") and spec:
                    code, _ = language_of(spec)
                    if code not in self.languages and not (base == "label" and sheet is survey):
                        self.note(
                            sheet.name,
                            sheet.header_row,
                            f'column "{column}": not a language of the survey labels: ignored',
                        )

    def text(self, sheet: Sheet, row_number: int, row: list[str], base: str) -> Text | None:
        """The texts of ``base`` (label, hint) in every language; None when all are empty.

        ``base::Name (code)`` columns when the sheet has any, else a plain ``base`` column when the
        form has one language.
        """
        columns: dict[str, str] = {}
        if self.translated_columns(sheet, base):
            for column in sheet.columns:
                b, _, spec = column.partition("::")
                code = language_of(spec)[0] if b == base and spec else None
                if code in self.languages:
                    columns[code] = column
        elif base in sheet.columns and len(self.languages) == 1:
            columns[self.languages[0]] = base
        found: Text = {}
        for code in self.languages:
            value = sheet.get(row, columns[code]) if code in columns else ""
            if value:
                found[code] = value
        if not found:
            return None
        for code in self.languages:
            if code not in found:
                column = columns.get(code, f"{base}::{language_column(code)}")
                self.error(sheet.name, row_number, f'no text in column "{column}"')
        return found

    def translated_columns(self, sheet: Sheet, base: str) -> bool:
        return any(c.partition("::")[0] == base and "::" in c for c in sheet.columns)

    def check_plain_columns(self, sheets: Sequence[Sheet]) -> None:
        """Report (or refuse) plain text columns that :meth:`text` cannot give a language."""
        for sheet in sheets:
            for base in ("label", "hint"):
                if base not in sheet.columns or (sheet.name == "survey" and base == "label"):
                    continue
                if self.translated_columns(sheet, base):
                    self.note(
                        sheet.name,
                        sheet.header_row,
                        f'column "{base}" (no language) ignored: the sheet has {base}::… columns',
                    )
                elif len(self.languages) > 1:
                    message = (
                        f'column "{base}" has no language, but the form is in '
                        f"{', '.join(self.languages)}: use {base}::Name (code) columns"
                    )
                    if base == "label":
                        self.error(sheet.name, sheet.header_row, message)
                    else:
                        self.note(sheet.name, sheet.header_row, message + "; ignored")

    # -- choices

    def read_choices(self, sheet: Sheet) -> None:
        list_column = "list_name" if "list_name" in sheet.columns else "list name"
        value_column = "name" if "name" in sheet.columns else "value"
        if sheet.rows and (list_column not in sheet.columns or value_column not in sheet.columns):
            self.error("choices", sheet.header_row, 'the header needs "list_name" and "name"')
            return
        for row_number, row in sheet.rows:
            list_name = sheet.get(row, list_column)
            raw = sheet.get(row, value_column)
            if not list_name or not raw:
                self.error("choices", row_number, "a choice needs a list_name and a name")
                continue
            choices = self.lists.setdefault(list_name, _Choices(list_name))
            if raw in choices.first_rows:
                first = choices.first_rows[raw]
                self.error(
                    "choices",
                    row_number,
                    f'duplicate choice "{raw}" in list "{list_name}" (first at row {first})',
                )
                continue
            value = raw if CHOICE_VALUE.fullmatch(raw) else re.sub(r"[^A-Za-z0-9_-]+", "_", raw)
            value = value[:MAX_KEY_LENGTH] or "_"
            if value in choices.taken:
                self.error(
                    "choices",
                    row_number,
                    f'choice "{raw}" would become "{value}", which list "{list_name}" already has',
                )
                continue
            if value != raw:
                self.note("choices", row_number, f'choice "{raw}" becomes "{value}"')
            label = self.text(sheet, row_number, row, "label")
            if label is None:
                self.error("choices", row_number, f'choice "{raw}" has no label')
                label = {}
            choices.add(row_number, raw, value, label)
            self.ignore_columns(sheet, row_number, row, CHOICES_COLUMNS)

    def ignore_columns(
        self, sheet: Sheet, row_number: int, row: list[str], known: frozenset[str]
    ) -> None:
        for column in sheet.columns:
            if column_base(column) not in known and sheet.get(row, column):
                self.ignored.setdefault((sheet.name, column), []).append(row_number)

    def report_ignored(self) -> None:
        for (sheet, column), rows in self.ignored.items():
            shown = ", ".join(str(r) for r in rows[:12]) + (", ..." if len(rows) > 12 else "")
            self.note(sheet, None, f'column "{column}" not supported: ignored (rows {shown})')

    # -- survey rows

    def key_for(self, raw: str, taken: dict[str, str], row: int, what: str) -> str:
        """The item key for an XLSForm name (reported when it differs); two names, one key: error."""
        key = _key(raw)
        if key in taken and taken[key] != raw:
            self.error(
                "survey",
                row,
                f'{what} "{raw}" would become "{key}", the key of "{taken[key]}" too',
            )
        taken[key] = raw
        if key != raw:
            self.note("survey", row, f'{what} "{raw}" becomes "{key}"')
        return key

    def read_survey(self, sheet: Sheet) -> list[tuple[str, Any]]:
        """Pass one: every row's kind, name and key, so that conditions may name any question."""
        events: list[tuple[str, Any]] = []
        names: dict[str, int] = {}
        keys: dict[str, str] = {}
        skipping: list[tuple[int, str]] = []  # open repeats (and groups inside them)
        skipped_names: list[str] = []
        depth = 0
        for row_number, row in sheet.rows:
            kind = " ".join(sheet.get(row, "type").lower().split())
            name = sheet.get(row, "name")
            if name:
                if name in names:
                    self.error(
                        "survey",
                        row_number,
                        f'duplicate name "{name}" (first at row {names[name]})',
                    )
                    continue
                names[name] = row_number
            if skipping:
                if kind in ("begin_repeat", "begin repeat", "begin_group", "begin group"):
                    skipping.append((row_number, name))
                elif kind in ("end_repeat", "end repeat", "end_group", "end group"):
                    start, repeat_name = skipping.pop()
                    if not skipping:
                        count = len(skipped_names)
                        self.note(
                            "survey",
                            start,
                            f'repeat "{repeat_name}" (rows {start}-{row_number}) skipped with its '
                            f"{count} question{'s' if count != 1 else ''}: survey asks each "
                            "question once",
                        )
                        for skipped in skipped_names:
                            self.refs[skipped] = Ref(skipped, None, "inside a repeat")
                        skipped_names = []
                elif name:
                    skipped_names.append(name)
                continue
            if not kind:
                self.note("survey", row_number, "no type: row ignored")
                continue
            if kind in ("begin_repeat", "begin repeat"):
                skipping.append((row_number, name))
                if name:
                    self.refs[name] = Ref(name, None, "a repeat")
                continue
            if kind in ("begin_group", "begin group"):
                if not name:
                    self.error("survey", row_number, "a group needs a name")
                    continue
                section = sheet.get(row, "section") or name
                key = _key(section)  # made unique with the sections, later
                if key != section:
                    self.note("survey", row_number, f'group "{section}" becomes section "{key}"')
                depth += 1
                events.append(("begin", (row_number, row, name, key)))
                self.refs[name] = Ref(name, None, "a group")
                continue
            if kind in ("end_group", "end group"):
                if depth == 0:
                    self.error("survey", row_number, "end_group without a begin_group")
                    continue
                depth -= 1
                events.append(("end", row_number))
                continue
            if kind in ("end_repeat", "end repeat"):
                self.error("survey", row_number, "end_repeat without a begin_repeat")
                continue
            question = self.question(sheet, row_number, row, kind, name, keys)
            if question is not None:
                events.append(("item", question))
        if skipping:
            self.error("survey", skipping[0][0], "begin_repeat without an end_repeat")
        if depth:
            self.error("survey", None, f"{depth} begin_group without an end_group")
        return events

    def question(
        self,
        sheet: Sheet,
        row_number: int,
        row: list[str],
        kind: str,
        name: str,
        keys: dict[str, str],
    ) -> _Question | None:
        list_name: str | None = None
        select = SELECT.fullmatch(kind)
        appearance = sheet.get(row, "appearance")
        if "search(" in appearance.replace(" ", ""):
            self.skip(row_number, name, "survey reads no choices from files (search())", kind)
            return None
        if select:
            ours = "choice" if select.group(1) in ("select_one", "select one") else "multi"
            list_name = select.group(2)
            if select.group(3):
                self.note(
                    "survey",
                    row_number,
                    'or_other: the "other" choice and its text box are not imported',
                )
        elif FILE_SELECT.fullmatch(kind) or kind.split(" ", 1)[0] in UNSUPPORTED_TYPES:
            base = kind.split(" ", 1)[0]
            if base == "calculate" and name in self.outcome_calculates:
                self.note(
                    "survey",
                    row_number,
                    f'calculate "{name}" is outcome "{self.outcome_calculates[name]}" '
                    "(outcomes sheet): survey computes it from the outcome's items",
                )
                self.refs[name] = Ref(name, None, "the score of an outcome")
                return None
            self.skip(row_number, name, UNSUPPORTED_TYPES[base], base)
            return None
        elif kind == "range":
            ranged = self.range_bounds(sheet, row_number, row)
            if ranged is None:
                return None
            ours, bounds = ranged
        elif kind in SIMPLE_TYPES:
            ours = SIMPLE_TYPES[kind]
            if ours == "text" and sheet.get(row, "panel_code").lower() in YES:
                ours = "panel_code"
        else:
            self.error("survey", row_number, f'unknown question type "{kind}"')
            return None
        if not name:
            self.error("survey", row_number, f"a {kind} question needs a name")
            return None
        key = self.key_for(name, keys, row_number, "name")
        question = _Question(row_number, row, name, key, ours, list_name)
        if kind == "range":
            question.bounds = bounds
        if list_name is not None:
            choices = self.lists.get(list_name)
            if choices is None:
                self.error("survey", row_number, f'no list "{list_name}" in the choices sheet')
                return None
            likert = sheet.get(row, "likert")
            if likert:
                if ours != "choice":
                    self.error("survey", row_number, "the likert column needs a select_one")
                    return None
                question.type = "likert"
                question.scale = self.likert_scale(likert, choices, row_number, key)
        self.refs[name] = Ref(
            key,
            question.type,
            values=self.lists[list_name].value_map if list_name else {},
            positions=(
                {v: i + 1 for i, v in enumerate(self.lists[list_name].raw_values)}
                if question.type == "likert" and list_name
                else {}
            ),
        )
        return question

    def skip(self, row: int, name: str, why: str, kind: str) -> None:
        self.note("survey", row, f'{kind} "{name}" skipped: {why}')
        if name:
            self.refs[name] = Ref(name, None, f"a {kind.split()[0]} question")

    def likert_scale(self, likert: str, choices: _Choices, row: int, key: str) -> str:
        spec = likert.strip()
        scale = choices.name if spec.lower() in YES else spec
        scale_key = _key(scale)
        if scale_key != scale:
            self.note("survey", row, f'likert scale "{scale}" becomes "{scale_key}"')
        points = len(choices.values)
        labels = {
            code: [label.get(code, "") for label in choices.labels] for code in self.languages
        }
        definition = {"points": points, "labels": labels}
        known = self.scales.get(scale_key)
        if known is None:
            self.scales[scale_key] = definition
            self.scale_lists[scale_key] = choices.name
            if choices.raw_values != [str(i) for i in range(1, points + 1)]:
                self.note(
                    "choices",
                    choices.rows[0] if choices.rows else None,
                    f'list "{choices.name}" is likert scale "{scale_key}": its choices '
                    f"{', '.join(choices.raw_values)} are stored as 1 to {points}",
                )
        elif known != definition:
            self.error(
                "survey",
                row,
                f'likert scale "{scale_key}" is list "{self.scale_lists[scale_key]}" elsewhere but '
                f'list "{choices.name}" here, and their choices differ',
            )
        return scale_key

    # -- conditions

    def condition(self, sheet: Sheet, row: int, source: str) -> Expr | None:
        try:
            return xpath_condition(source, self.refs)
        except XPathError as exc:
            self.error(
                sheet.name,
                row,
                f'relevant "{source}": {exc.message} (at position {exc.position}); '
                "a condition cannot be dropped without showing questions that do not apply",
            )
            return None

    # -- sections and items

    def build_sections(self, sheet: Sheet, events: list[tuple[str, Any]]) -> None:
        stack: list[_Group] = []
        current: _SectionDraft | None = None
        section_keys: set[str] = set()
        ungrouped = 0

        def unique(key: str) -> str:
            candidate, n = key, 2
            while candidate in section_keys:
                candidate, n = f"{key}_{n}", n + 1
            section_keys.add(candidate)
            return candidate

        for event, payload in events:
            if event == "begin":
                row_number, row, name, key = payload
                if stack:
                    self.note(
                        "survey",
                        row_number,
                        f'group "{name}" is inside group "{stack[-1].name}": it becomes a section '
                        "of its own (survey has no nested sections), shown only when both "
                        "groups' conditions hold",
                    )
                relevant = sheet.get(row, "relevant")
                group = _Group(row_number, name, key, self.text(sheet, row_number, row, "label"),
                               relevant)  # fmt: skip
                if relevant:
                    group.condition = self.condition(sheet, row_number, relevant)
                self.ignore_columns(
                    sheet, row_number, row, frozenset({"appearance"}) | SURVEY_COLUMNS
                )
                stack.append(group)
                current = None
            elif event == "end":
                stack.pop()
                current = None
            else:
                question: _Question = payload
                groups = tuple(stack)
                if current is None or current.groups != groups:
                    if groups:
                        innermost = groups[-1]
                        key = unique(innermost.key)
                        if key != innermost.key:
                            self.note(
                                "survey",
                                question.row,
                                f'group "{innermost.name}" goes on after a nested group: '
                                f'its questions from here on form section "{key}"',
                            )
                        draft = _SectionDraft(key, innermost.title, groups, innermost.row)
                    else:
                        ungrouped += 1
                        draft = _SectionDraft(
                            unique(f"section_{ungrouped}"), None, (), question.row
                        )
                    self.sections.append(draft)
                    current = draft
                item = self.item(sheet, question)
                if item is not None:
                    current.items.append(item)
                    current.item_rows.append(question.row)
        for draft in self.sections:
            if not draft.items and draft.groups:
                self.note(
                    "survey", draft.row, f'group "{draft.groups[-1].name}" has no question: dropped'
                )
        self.sections = [s for s in self.sections if s.items]

    def item(self, sheet: Sheet, q: _Question) -> dict[str, Any] | None:
        row = q.raw
        item: dict[str, Any] = {"key": q.key, "type": q.type}
        text = self.text(sheet, q.row, row, "label")
        if text is None:
            self.error("survey", q.row, f'"{q.name}" has no label')
            return None
        if any("${" in t for t in text.values()):
            self.note(
                "survey",
                q.row,
                "the label shows answers (${...}): survey shows it as written",
            )
        item["text"] = text
        hint = self.text(sheet, q.row, row, "hint")
        if hint is not None:
            if q.type == "note":
                self.note("survey", q.row, "a note's hint is not supported: dropped")
            else:
                item["hint"] = hint
        required = sheet.get(row, "required")
        if required.lower() in YES:
            if q.type == "note":
                self.note("survey", q.row, "required on a note has no meaning: ignored")
            elif q.type != "consent":
                item["required"] = True
        elif required.lower() not in NO:
            self.note(
                "survey",
                q.row,
                f'required "{required}" is a condition, not supported: the question is optional',
            )
        relevant = sheet.get(row, "relevant")
        if relevant:
            condition = self.condition(sheet, q.row, relevant)
            if condition is not None:
                item["show_if"] = format_expression(condition)
        item.update(q.bounds)
        if q.list_name is not None and q.type != "likert":
            item["choices"] = q.list_name  # replaced by the list's key or inline choices later
        if q.type == "likert":
            item["scale"] = q.scale
        self.constraint(sheet, q, item)
        self.answer_key(sheet, q, item)
        if sheet.get(row, "equivalent").lower() in YES:
            item["equivalent"] = True
        if sheet.get(row, "choice_filter"):
            self.note(
                "survey",
                q.row,
                "choice_filter not supported: every choice of the list is shown",
            )
        known = SURVEY_COLUMNS | {"choice_filter"} | ({"parameters"} if q.bounds else set())
        self.ignore_columns(sheet, q.row, row, frozenset(known))
        return item

    def range_bounds(
        self, sheet: Sheet, row_number: int, row: list[str]
    ) -> tuple[str, dict[str, int | float]] | None:
        """A range question as an integer or decimal item with the range's start and end."""
        parameters = dict(
            part.split("=", 1)
            for part in sheet.get(row, "parameters").replace(";", " ").split()
            if "=" in part
        )
        start, end, step = (
            number_of(parameters.get(name, default))
            for name, default in (("start", "1"), ("end", "10"), ("step", "1"))
        )
        if start is None or end is None or step is None:
            self.error("survey", row_number, "range parameters must be numbers")
            return None
        integral = all(isinstance(v, int) for v in (start, end, step))
        kind = "integer" if integral else "decimal"
        low, high = (start, end) if start <= end else (end, start)
        if kind == "decimal":
            low, high = float(low), float(high)
        self.note(
            "survey",
            row_number,
            f"range becomes {'an' if integral else 'a'} {kind} question from {low} to {high}"
            + (f" (the step {step} is not kept)" if step != 1 else ""),
        )
        return kind, {"min": low, "max": high}

    def constraint(self, sheet: Sheet, q: _Question, item: dict[str, Any]) -> None:
        source = sheet.get(q.raw, "constraint")
        if not source:
            return
        kind = item["type"]
        dropped: list[str] = []
        try:
            tree = parse_xpath(source)
        except XPathError as exc:
            self.note(
                "survey",
                q.row,
                f'constraint "{source}" not translated ({exc.message}): dropped, answers are not '
                "checked against it",
            )
            return
        parts = tree.operands if isinstance(tree, XLogic) and tree.op == "and" else (tree,)
        bounds: dict[str, Any] = {}
        for part in parts:
            if not self.bound(part, kind, bounds):
                dropped.append(_xpath_text(part))
        for name, value in bounds.items():
            item[name] = value
        if dropped:
            self.note(
                "survey",
                q.row,
                f'constraint "{source}": {" and ".join(dropped)} not translated: dropped, '
                "answers are not checked against it",
            )

    def bound(self, node: XNode, kind: str, bounds: dict[str, Any]) -> bool:
        if not isinstance(node, XBin) or node.op not in ("<", "<=", ">", ">="):
            return False
        left, op, right = node.left, node.op, node.right
        if not isinstance(left, XDot | XCall):
            left, right, op = right, left, FLIPPED[op]
        literal = ToCondition({}).literal(right)
        if literal is None:
            return False
        value, literal_kind = literal
        if isinstance(left, XCall):
            if (
                left.name != "string-length"
                or len(left.args) != 1
                or not isinstance(left.args[0], XDot)
                or kind not in ("text", "panel_code")
                or not isinstance(value, int)
                or op not in ("<", "<=")
            ):
                return False
            bounds["max_length"] = value - 1 if op == "<" else value
            return True
        if not isinstance(left, XDot):
            return False
        name = "min" if op in (">", ">=") else "max"
        strict = op in ("<", ">")
        if kind == "date":
            if literal_kind != "date" or strict:
                return False
            chosen: Any = value
        elif kind in ("integer", "decimal"):
            if literal_kind != "num":
                return False
            if kind == "integer":
                assert isinstance(value, int | float)
                number = value
                if name == "min":
                    chosen = math.floor(number) + 1 if strict else math.ceil(number)
                else:
                    chosen = math.ceil(number) - 1 if strict else math.floor(number)
            elif strict:
                return False
            else:
                chosen = float(value)
        else:
            return False
        if name in bounds:
            chosen = max(bounds[name], chosen) if name == "min" else min(bounds[name], chosen)
        bounds[name] = chosen
        return True

    def answer_key(self, sheet: Sheet, q: _Question, item: dict[str, Any]) -> None:
        correct = sheet.get(q.raw, "correct")
        scoring = sheet.get(q.raw, "scoring")
        reverse = sheet.get(q.raw, "reverse")
        values = self.lists[q.list_name].value_map if q.list_name else {}
        if correct:
            given = [values.get(v, v) for v in correct.split()]
            if q.type == "multi":
                item["correct"] = given
            elif q.type == "choice" and len(given) == 1:
                item["correct"] = given[0]
            elif q.type == "choice":
                self.error(
                    "survey",
                    q.row,
                    f'correct "{correct}": a select_one has one correct choice '
                    "(use select_multiple for several)",
                )
            else:
                self.error("survey", q.row, "correct needs a select_one or select_multiple")
        if scoring:
            normalised = scoring.lower().replace("-", "_").replace(" ", "_")
            if normalised not in SCORINGS:
                self.error(
                    "survey",
                    q.row,
                    f'scoring "{scoring}" is not one of {", ".join(SCORINGS)}',
                )
            else:
                item["scoring"] = normalised
        if reverse.lower() in YES:
            item["reverse"] = True
        elif reverse.lower() not in NO:
            self.error("survey", q.row, f'reverse "{reverse}" is not yes or no')

    # -- outcomes

    def read_outcome_names(self, sheet: Sheet) -> None:
        for _, row in sheet.rows:
            calculate = sheet.get(row, "calculate")
            if calculate:
                self.outcome_calculates[calculate] = sheet.get(row, "name")

    def read_outcomes(self, sheet: Sheet) -> dict[str, int]:
        """Outcomes from the optional outcomes sheet; returns outcome name → row."""
        rows: dict[str, int] = {}
        keys = {ref_name: ref.key for ref_name, ref in self.refs.items() if ref.type is not None}
        for row_number, row in sheet.rows:
            name = sheet.get(row, "name")
            if not name:
                self.error("outcomes", row_number, "an outcome needs a name")
                continue
            if name in rows:
                self.error("outcomes", row_number, f'duplicate outcome "{name}"')
                continue
            rows[name] = row_number
            outcome: dict[str, Any] = {"kind": sheet.get(row, "kind")}
            label = self.text(sheet, row_number, row, "label")
            if label is not None:
                outcome["label"] = label
            for column in ("items", "reverse"):
                if sheet.get(row, column):
                    outcome[column] = [
                        self.item_key(keys, v) for v in sheet.get(row, column).split()
                    ]
            if sheet.get(row, "min_answered"):
                share = number_of(sheet.get(row, "min_answered"))
                outcome["min_answered"] = (
                    share if share is not None else sheet.get(row, "min_answered")
                )
            item_name = sheet.get(row, "item")
            if item_name:
                outcome["item"] = self.item_key(keys, item_name)
                ref = self.refs.get(item_name)
                values = ref.values if ref is not None else {}
                if sheet.get(row, "value"):
                    outcome["value"] = values.get(sheet.get(row, "value"), sheet.get(row, "value"))
                if sheet.get(row, "values"):
                    outcome["value"] = [values.get(v, v) for v in sheet.get(row, "values").split()]
            self.ignore_columns(sheet, row_number, row, OUTCOME_COLUMNS)
            self.outcomes[name] = outcome
        return rows

    def item_key(self, keys: Mapping[str, str], name: str) -> str:
        return keys.get(name, name)

    # -- the definition

    def definition(self) -> dict[str, Any]:
        settings = self.settings_row
        raw_key = settings.get("form_id") or settings.get("id_string") or ""
        row = self.settings_at
        if not raw_key:
            raw_key = Path(self.source).stem
            self.note(
                "settings", row, f'no form_id: the key is taken from the file name "{raw_key}"'
            )
        key = re.sub(r"[^a-z0-9_-]+", "-", raw_key.lower()).strip("-_") or "form"
        if not key[0].isalpha():
            key = f"form-{key}"
        key = key[:MAX_KEY_LENGTH]
        if key != raw_key:
            self.note("settings", row, f'form_id "{raw_key}" becomes the key "{key}"')
        title = self.settings_text("title_text") or {}
        if not title:
            plain = settings.get("form_title") or settings.get("title") or ""
            if not plain:
                plain = raw_key
                self.note("settings", row, "no form_title: the form_id is used as the title")
            elif len(self.languages) > 1:
                self.note(
                    "settings",
                    row,
                    "form_title is used for every language (add title_text::Name (code) columns "
                    "to translate it)",
                )
            title = dict.fromkeys(self.languages, plain)
        if settings.get("version"):
            self.note(
                "settings",
                row,
                f'version "{settings["version"]}" not kept: survey numbers the versions it publishes',
            )
        definition: dict[str, Any] = {"key": key, "languages": self.languages, "title": title}
        description = self.settings_text("description")
        if description:
            definition["description"] = description
        use_count: dict[str, int] = {}
        for draft in self.sections:
            for item in draft.items:
                if isinstance(item.get("choices"), str):
                    use_count[item["choices"]] = use_count.get(item["choices"], 0) + 1
        choice_lists: dict[str, list[dict[str, Any]]] = {}
        list_keys: dict[str, str] = {}
        taken: set[str] = set()
        # Which lists are shared choice_lists: those the settings' choice_lists cell names (as
        # export_xlsform writes it), else those used by several questions. Any other list is the
        # choices of the one question using it.
        named = self.settings_row.get("choice_lists")
        shared = set(named.split()) if named is not None else None
        scale_lists = set(self.scale_lists.values())
        for list_name, choices in self.lists.items():
            count = use_count.get(list_name, 0)
            is_shared = count > 1 or (shared is not None and list_name in shared)
            if count == 0 and not is_shared and list_name not in scale_lists:
                self.note(
                    "choices",
                    choices.rows[0] if choices.rows else None,
                    f'list "{list_name}" is used by no question: not imported',
                )
            if not is_shared:
                continue
            list_key = unique_name(_key(list_name), taken)
            taken.add(list_key)
            list_keys[list_name] = list_key
            self.list_by_key[list_key] = list_name
            choice_lists[list_key] = _choice_dicts(choices)
        sections = []
        for draft in self.sections:
            section: dict[str, Any] = {"key": draft.key}
            if draft.title:
                section["title"] = draft.title
            conditions: list[Expr] = []
            for group in draft.groups:
                if isinstance(group.condition, And):
                    conditions.extend(group.condition.operands)
                elif group.condition is not None:
                    conditions.append(group.condition)
            if conditions:
                tree = conditions[0] if len(conditions) == 1 else And(tuple(conditions))
                section["show_if"] = format_expression(tree)
            for item in draft.items:
                list_name = item.get("choices")
                if isinstance(list_name, str):
                    if list_name in list_keys:
                        item["choices"] = list_keys[list_name]
                    else:
                        item["choices"] = _choice_dicts(self.lists[list_name])
            section["items"] = draft.items
            sections.append(section)
        definition["sections"] = sections
        if choice_lists:
            definition["choice_lists"] = choice_lists
        if self.scales:
            definition["likert_scales"] = self.scales
        if self.outcomes:
            definition["outcomes"] = self.outcomes
        return definition

    def settings_text(self, base: str) -> Text | None:
        """A text of the settings sheet: ``base::Name (code)`` columns, or a plain ``base``."""
        found: Text = {}
        for column, value in self.settings_row.items():
            b, _, spec = column.partition("::")
            if b == base and spec and value:
                code = language_of(spec)[0]
                if code in self.languages:
                    found[code] = value
        plain = self.settings_row.get(base, "")
        if not found and plain:
            if len(self.languages) > 1:
                self.note(
                    "settings",
                    self.settings_at,
                    f"{base} is used for every language (add {base}::Name (code) columns to "
                    "translate it)",
                )
            return dict.fromkeys(self.languages, plain)
        if not found:
            return None
        for code in self.languages:
            if code not in found:
                self.error("settings", self.settings_at, f'no "{code}" text in the {base} columns')
        return found

    def validate(self, outcome_rows: dict[str, int]) -> Questionnaire:
        definition = self.definition()
        self.fail_if_errors()
        try:
            return load_object(definition, source=self.source)
        except InvalidDefinition as exc:
            for message in exc.errors:
                self.errors.append(self.locate(message, outcome_rows))
            raise ImportFailed from None

    def locate(self, message: str, outcome_rows: dict[str, int]) -> str:
        """Turn a loader message about ``sections[1].items[2].correct`` into one naming a row."""
        path, sep, rest = message.partition(": ")
        if not sep:
            return message
        match = SECTION_PATH.fullmatch(path)
        if match:
            s, i, tail = int(match.group(1)), match.group(2), match.group(3)
            if s < len(self.sections):
                draft = self.sections[s]
                if i is not None and int(i) < len(draft.item_rows):
                    where = f"survey sheet, row {draft.item_rows[int(i)]}"
                else:
                    where = f"survey sheet, row {draft.row}"
                return f"{where}: {tail + ': ' if tail else ''}{rest}"
        match = NAMED_PATH.fullmatch(path)
        if match:
            what, name, index, tail = match.groups()
            if what == "outcomes" and name in outcome_rows:
                return (
                    f"outcomes sheet, row {outcome_rows[name]}: {tail + ': ' if tail else ''}{rest}"
                )
            if what == "likert_scales":
                list_name = self.scale_lists.get(name, name)
            else:
                list_name = self.list_by_key.get(name, name)
            choices = self.lists.get(list_name)
            if choices is not None and choices.rows:
                row = choices.rows[int(index)] if index is not None else choices.rows[0]
                return f'choices sheet, row {row} (list "{list_name}"): {tail + ": " if tail else ""}{rest}'
        if path in ("key", "title", "languages", "description") or path.startswith("title"):
            return f"settings sheet: {path}: {rest}"
        return message


def _key(raw: str) -> str:
    """A valid key (lower-case letters, digits and "_", starting with a letter) for a name."""
    key = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "q"
    if not key[0].isalpha():
        key = f"q_{key}"
    if key in expressions.KEYWORDS:
        key = f"{key}_"
    return key[:MAX_KEY_LENGTH]


def _choice_dicts(choices: _Choices) -> list[dict[str, Any]]:
    return [
        {"value": value, "label": label}
        for value, label in zip(choices.values, choices.labels, strict=True)
    ]


def _xpath_text(node: XNode) -> str:
    """XPath source for a parsed node, to quote part of a constraint in a report line."""
    match node:
        case XRef(name=name):
            return f"${{{name}}}"
        case XNum(value=value):
            return xpath_number_text(value)
        case XStr(value=value):
            return f"'{value}'" if "'" not in value else f'"{value}"'
        case XDot():
            return "."
        case XNeg(operand=operand):
            return f"-{_xpath_text(operand)}"
        case XCall(name=name, args=args):
            return f"{name}({', '.join(_xpath_text(a) for a in args)})"
        case XBin(op=op, left=left, right=right):
            return f"{_xpath_text(left)} {op} {_xpath_text(right)}"
        case XLogic(op=op, operands=operands):
            return "(" + f" {op} ".join(_xpath_text(o) for o in operands) + ")"
    raise TypeError(node)


def import_xlsform(
    workbook: bytes | str | os.PathLike[str],
    *,
    source: str | None = None,
    language: str | None = None,
) -> tuple[Questionnaire, list[ReportLine]]:
    """Read an XLSForm workbook as a validated questionnaire.

    Parameters
    ----------
    workbook
        The workbook's bytes, or the path of an ``.xlsx``, ``.xls`` or ``.ods`` file.
    source
        Name used in error messages and, when the settings sheet has no ``form_id``, for the key;
        defaults to the path's name.
    language
        Language code of a form whose labels have no language (a plain ``label`` column), when its
        settings sheet does not name one in ``default_language``.

    Returns
    -------
    tuple of (Questionnaire, list of ReportLine)
        The questionnaire, canonical as the loader returns it, and one line for everything the
        import changed or left out, in sheet order.

    Raises
    ------
    InvalidDefinition
        Every problem that would make the result wrong, each naming its sheet and row: not a
        workbook, no survey sheet, duplicate names, an untranslatable ``relevant``, a reference to a
        skipped question, a missing translation, and whatever the loader rejects.
    """
    data, name = workbook_data(workbook, source)
    try:
        sheets = read_workbook(data)
    except InvalidDefinition as exc:
        raise InvalidDefinition(exc.errors, source=name) from None
    importer = _Importer(sheets, name, language)
    try:
        questionnaire = importer.run()
    except ImportFailed:
        raise InvalidDefinition(importer.errors, source=name) from None
    order = {"settings": 0, "survey": 1, "choices": 2, "outcomes": 3}
    report = sorted(
        importer.report,
        key=lambda line: (order.get(line.sheet, 4), line.row is None, line.row or 0),
    )
    return questionnaire, report


# --------------------------------------------------------------------------------------------------
# YAML


def definition_yaml(q: Questionnaire, comments: Sequence[str] = ()) -> str:
    """A questionnaire as a ``forms/KEY.yaml`` file, with ``comments`` as ``#`` lines on top.

    The fields come in the order the format documents them (key, languages, title, description,
    sections, ...), and :func:`survey.questionnaire.load.load_definition` reads the text back equal
    to ``q``.
    """
    data = msgspec.to_builtins(q)
    order = ["key", "languages", "title", "description", "sections"]
    ordered = {name: data[name] for name in order if name in data}
    ordered.update((name, value) for name, value in data.items() if name not in ordered)
    header = "".join(f"# {line}\n" if line else "#\n" for line in _comment_lines(comments))
    body = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return header + body


class _Dumper(yaml.SafeDumper):
    """Lists of plain values on one line (``languages: [mn, en]``), as the shipped forms write them."""

    def represent_list(self, data: Any) -> yaml.Node:
        flow = all(isinstance(v, str | int | float) for v in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _Dumper.represent_list)


def _comment_lines(comments: Sequence[str]) -> Iterator[str]:
    for comment in comments:
        for line in comment.splitlines() or [""]:
            yield unicodedata.normalize("NFC", line).rstrip()
