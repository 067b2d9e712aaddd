"""Reading an XLSForm's settings, languages, texts and choice lists, as pyxform reads them.

The importer (:mod:`.importing`) builds on :class:`Reader`, which holds what every step shares: the
report, the errors, the form's languages and its choice lists. Languages come from ``label::Name
(code)`` columns, ``label::Name`` and ``label:Name`` (a known name is given its code, an unknown one
``und-…``), ``label::EN``, or a plain ``label`` (in the settings' ``default_language``, the
``--language`` given, or else guessed from the script and reported). A text missing in one language
falls back to the default language, as KoboToolbox shows it; each such place is reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire.load import Problem, problem
from survey.questionnaire.model import Text
from survey.questionnaire.xlsform.common import (
    CHOICE_VALUE,
    LANGUAGE,
    MAX_KEY_LENGTH,
    SETTINGS_COLUMNS,
    YES,
    ImportFailed,
    ReportLine,
    Sheet,
    column_base,
    language_column,
    language_of,
    unknown_language_code,
)

__all__ = ["Choices", "Reader", "choice_dicts"]

# Columns of the choices sheet that are not choice properties (a choice_filter reads the others).
_CHOICE_OWN_COLUMNS = frozenset({"list_name", "name", "label", "image", "audio", "video"})
_TRANSLATED = ("label", "hint", "constraint_message")


@dataclass
class Choices:
    """One list of the choices sheet.

    ``value_map`` (raw name → value) and ``taken`` (values) grow with the lists, so that checking a
    row for duplicates takes the same time in a list of 40,000 choices as in one of 4. ``extra``
    holds each choice's other columns (lower-case name → value), which a ``choice_filter`` reads.
    """

    name: str
    rows: list[int] = field(default_factory=list)
    raw_values: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    extra: list[dict[str, str]] = field(default_factory=list)
    value_map: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    first_rows: dict[str, int] = field(default_factory=dict)
    """Raw name → the row it was first given on."""

    def add(self, row: int, raw: str, value: str, label: Text, extra: dict[str, str]) -> None:
        self.rows.append(row)
        self.raw_values.append(raw)
        self.values.append(value)
        self.labels.append(label)
        self.extra.append(extra)
        self.value_map.setdefault(raw, value)
        self.taken.add(value)
        self.first_rows.setdefault(raw, row)


class Reader:
    """What every step of an import shares, and the reading of settings, languages and choices."""

    def __init__(self, sheets: dict[str, list[list[str]]], source: str, language: str | None):
        self.cells = sheets
        self.source = source
        self.language = language
        self.errors: list[Problem] = []
        self.report: list[ReportLine] = []
        self.ignored: dict[tuple[str, str], list[int]] = {}  # (sheet, column) → rows
        self.fallbacks: dict[tuple[str, str, str], list[int]] = {}  # (sheet, column, lang) → rows
        self.languages: list[str] = []
        self.lists: dict[str, Choices] = {}
        self.settings_row: dict[str, str] = {}
        self.settings_at: int | None = None

    # -- messages

    def error(self, sheet: str, row: int | None, code: str, english: str, **params: object) -> None:
        """Record the problem ``code`` (:data:`XLSFORM_PROBLEM_CODES`) at a sheet and row: its line reads as
        a report line does, and its ``sheet`` and ``row`` let a page say where in its own words."""
        where = f"{sheet} sheet" if row is None else f"{sheet} sheet, row {row}"
        self.errors.append(problem(where, code, english, sheet=sheet, row=row, **params))

    def note(self, sheet: str, row: int | None, message: str) -> None:
        self.report.append(ReportLine(sheet=sheet, row=row, message=message))

    def fail_if_errors(self) -> None:
        if self.errors:
            raise ImportFailed

    def ignore_columns(
        self, sheet: Sheet, row_number: int, row: list[str], known: frozenset[str]
    ) -> None:
        for column in sheet.columns:
            if column_base(column) not in known and sheet.get(row, column):
                self.ignored.setdefault((sheet.name, column), []).append(row_number)

    def report_ignored(self) -> None:
        for (sheet, column), rows in self.ignored.items():
            self.note(sheet, None, f'column "{column}" not supported: ignored (rows {_rows(rows)})')
        default = self.languages[0] if self.languages else ""
        for (sheet, column, _code), rows in self.fallbacks.items():
            self.note(
                sheet,
                None,
                f'column "{column}" has no text on rows {_rows(rows, limit=40)}: shown in '
                f"{language_column(default)} there (a partial translation; survey forms check "
                "lists each place)",
            )

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

    def language_code(self, sheet: Sheet, column: str, spec: str, taken: list[str]) -> str:
        """The code of a column's language, reporting how it was found when it was not written."""
        code, how = language_of(spec)
        if code is None:
            code = unknown_language_code(spec, taken)
            how = f'language "{spec}" has no code we know: taken as "{code}"'
        if how:
            self.note(sheet.name, sheet.header_row, f'column "{column}": {how}')
        return code

    def read_languages(self, survey: Sheet, choices: Sheet, outcomes: Sheet) -> None:
        translated: list[str] = []
        self.column_codes: dict[str, str] = {}  # language part as written → code
        for column in survey.columns:
            base, _, spec = column.partition("::")
            if base != "label" or not spec:
                continue
            code = self.language_code(survey, column, spec, translated)
            if code in translated:
                self.error(
                    "survey",
                    survey.header_row,
                    "xlsform_label_twice",
                    'two label columns for language "{language}"',
                    language=code,
                )
                continue
            translated.append(code)
            self.column_codes[spec] = code
        default = self.settings_row.get("default_language", "")
        default_code = None
        if default and default.lower() != "default":
            default_code = self.column_codes.get(default) or language_of(default)[0]
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
            code = self.language or default_code or self.guess_language(survey)
            if not LANGUAGE.fullmatch(code):
                self.error(
                    "survey",
                    None,
                    "xlsform_language_invalid",
                    '"{value}" is not a language code such as "en"',
                    value=code,
                )
                return
            self.languages = [code]
        else:
            self.error("survey", survey.header_row, "xlsform_no_label_column", "no label column")
            return
        self.check_plain_columns((survey, choices, outcomes))
        for sheet in (survey, choices, outcomes):
            for column in sheet.columns:
                base, _, spec = column.partition("::")
                if (
                    base in _TRANSLATED
                    and spec
                    and self.code_of(spec) not in self.languages
                    and not (base == "label" and sheet is survey)
                ):
                    self.note(
                        sheet.name,
                        sheet.header_row,
                        f'column "{column}": not a language of the survey labels: ignored',
                    )

    def guess_language(self, survey: Sheet) -> str:
        """The language of a form whose labels name none: from their script, reported."""
        text = " ".join(survey.get(row, "label") for _, row in survey.rows[:200])
        letters = [c for c in text if c.isalpha()]
        cyrillic = sum(1 for c in letters if "CYRILLIC" in unicodedata.name(c, ""))
        arabic = sum(1 for c in letters if "ARABIC" in unicodedata.name(c, ""))
        if letters and cyrillic > len(letters) / 2:
            code = "mn" if re.search("[өүӨҮ]", text) else "ru"
        elif letters and arabic > len(letters) / 2:
            code = "ar"
        else:
            code = "en"
        self.note(
            "survey",
            survey.header_row,
            f"the labels name no language: taken as {language_column(code)} (name it in the "
            'settings sheet, default_language, e.g. "English (en)", or with --language)',
        )
        return code

    def code_of(self, spec: str) -> str | None:
        return self.column_codes.get(spec) or language_of(spec)[0]

    def text(self, sheet: Sheet, row_number: int, row: list[str], base: str) -> Text | None:
        """The texts of ``base`` (label, hint...) in every language; None when all are empty.

        ``base::Name (code)`` columns when the sheet has any, else a plain ``base`` column when the
        form has one language. A language left empty falls back to the default one (reported); when
        the default language itself is empty, the first language with a text stands in for it.
        """
        columns: dict[str, str] = {}
        if self.translated_columns(sheet, base):
            for column in sheet.columns:
                b, _, spec = column.partition("::")
                code = self.code_of(spec) if b == base and spec else None
                if code in self.languages and code not in columns:
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
        default = self.languages[0]
        if default not in found:
            stand_in = next(code for code in self.languages if code in found)
            found = {default: found[stand_in], **found}
            column = columns.get(default, f"{base}::{language_column(default)}")
            self.note(
                sheet.name,
                row_number,
                f'no text in column "{column}": the {language_column(stand_in)} text is used',
            )
        for code in self.languages[1:]:
            if code not in found:
                column = columns.get(code, f"{base}::{language_column(code)}")
                self.fallbacks.setdefault((sheet.name, column, code), []).append(row_number)
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
                        self.error(
                            sheet.name,
                            sheet.header_row,
                            "xlsform_label_no_language",
                            'column "label" has no language, but the form is in {languages}: '
                            "use label::Name (code) columns",
                            languages=", ".join(self.languages),
                        )
                    else:
                        self.note(sheet.name, sheet.header_row, message + "; ignored")

    def settings_text(self, base: str) -> Text | None:
        """A text of the settings sheet: ``base::Name (code)`` columns, or a plain ``base``."""
        found: Text = {}
        for column, value in self.settings_row.items():
            b, _, spec = column.partition("::")
            if b == base and spec and value:
                code = self.code_of(spec)
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
        if self.languages[0] not in found:
            found = {self.languages[0]: next(iter(found.values())), **found}
        return found

    # -- choices

    def read_choices(self, sheet: Sheet) -> None:
        list_column = "list_name"
        value_column = "name"
        if sheet.rows and (list_column not in sheet.columns or value_column not in sheet.columns):
            self.error(
                "choices",
                sheet.header_row,
                "xlsform_choices_header",
                'the header needs "list_name" and "name"',
            )
            return
        duplicates_allowed = self.settings_row.get("allow_choice_duplicates", "").lower() in YES
        extra_columns = [c for c in sheet.columns if "::" not in c and c not in _CHOICE_OWN_COLUMNS]
        for row_number, row in sheet.rows:
            list_name = sheet.get(row, list_column)
            raw = sheet.get(row, value_column)
            if not list_name or not raw:
                # pyxform reads no choice from such a row either.
                self.note("choices", row_number, "no list_name or no name: row ignored")
                continue
            choices = self.lists.setdefault(list_name, Choices(list_name))
            if raw in choices.first_rows and not duplicates_allowed:
                first = choices.first_rows[raw]
                self.error(
                    "choices",
                    row_number,
                    "xlsform_choice_duplicate",
                    'duplicate choice "{value}" in list "{list}" (first at row {first}; '
                    "settings allow_choice_duplicates allows it)",
                    value=raw,
                    list=list_name,
                    first=first,
                )
                continue
            value = raw if CHOICE_VALUE.fullmatch(raw) else re.sub(r"[^A-Za-z0-9_-]+", "_", raw)
            value = value[:MAX_KEY_LENGTH] or "_"
            if value in choices.taken:
                if raw in choices.first_rows:  # a duplicate the settings allow
                    value = _unique_value(value, choices.taken)
                    self.note(
                        "choices",
                        row_number,
                        f'choice "{raw}" is in list "{list_name}" twice: this one is stored as '
                        f'"{value}" (a condition naming "{raw}" means the first)',
                    )
                else:
                    self.error(
                        "choices",
                        row_number,
                        "xlsform_choice_collides",
                        'choice "{value}" would become "{stored}", which list "{list}" already has',
                        value=raw,
                        stored=value,
                        list=list_name,
                    )
                    continue
            elif value != raw:
                self.note("choices", row_number, f'choice "{raw}" becomes "{value}"')
            label = self.text(sheet, row_number, row, "label")
            if label is None:
                self.error(
                    "choices",
                    row_number,
                    "xlsform_choice_no_label",
                    'choice "{value}" has no label',
                    value=raw,
                )
                label = {}
            extra = {c: v for c in extra_columns if (v := sheet.get(row, c))}
            choices.add(row_number, raw, value, label, extra)


def _unique_value(value: str, taken: set[str]) -> str:
    n = 2
    while f"{value[: MAX_KEY_LENGTH - 4]}_{n}" in taken:
        n += 1
    return f"{value[: MAX_KEY_LENGTH - 4]}_{n}"


def _rows(rows: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f", … ({len(rows)} rows)" if len(rows) > limit else "")


def choice_dicts(
    choices: Choices, properties: dict[str, tuple[str, dict[str, str]]]
) -> list[dict[str, Any]]:
    """A list's choices as the definition writes them.

    ``properties`` maps each property a ``choice_filter`` reads to its column of the choices sheet
    and the value map of the question it is compared with (a choice name renamed on import is
    renamed in the property too, so that they still match).
    """
    found = []
    for value, label, extra in zip(choices.values, choices.labels, choices.extra, strict=True):
        choice: dict[str, Any] = {"value": value, "label": label}
        own = {
            prop: values.get(extra[column], extra[column])
            for prop, (column, values) in properties.items()
            if prop != "value" and extra.get(column)
        }
        if own:
            choice["properties"] = own
        found.append(choice)
    return found
