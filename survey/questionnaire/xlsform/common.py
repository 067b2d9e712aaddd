"""What the XLSForm import and export share: limits, column names, languages, report lines, sheets."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import msgspec

from survey.errors import InvalidDefinition

MAX_WORKBOOK_BYTES: Final = 20_000_000
"""Largest workbook accepted by :func:`import_xlsform`, in bytes."""

EXTRA_COLUMNS: Final = (
    "correct",
    "scoring",
    "likert",
    "reverse",
    "panel_code",
    "equivalent",
    "section",
)
"""Survey-sheet columns of ours; pyxform, KoboToolbox and ODK ignore them."""

LANGUAGE_NAMES: Final[Mapping[str, str]] = {
    "mn": "Mongolian",
    "en": "English",
    "ru": "Russian",
    "zh": "Chinese",
    "kk": "Kazakh",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "ar": "Arabic",
    "de": "German",
    "ja": "Japanese",
    "ko": "Korean",
    "hi": "Hindi",
    "bn": "Bengali",
    "ur": "Urdu",
    "sw": "Swahili",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "id": "Indonesian",
}
"""Language names written in ``label::Name (code)`` columns, and read where a column has no code."""

CODES_BY_NAME: Final = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}

# The same patterns as the loader's: an imported value or language must pass its validation.
CHOICE_VALUE = re.compile(r"[A-Za-z0-9_-]+")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_KEY_LENGTH = 64
LANGUAGE_COLUMN = re.compile(r"(?P<name>.*?)\s*\((?P<code>[^()]+)\)\s*")
SECTION_PATH = re.compile(r"sections\[(\d+)\](?:\.items\[(\d+)\])?\.?(.*)")
NAMED_PATH = re.compile(
    r"(choice_lists|likert_scales|outcomes)\.([A-Za-z0-9_-]+)(?:\[(\d+)\])?\.?(.*)"
)

YES = frozenset({"yes", "true", "true()", "1", "y"})
NO = frozenset({"", "no", "false", "false()", "0", "n"})

# Question types with no equivalent; the value says what became of them.
METADATA = (
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
    "background-geopoint",
)
UNSUPPORTED_TYPES: Final[Mapping[str, str]] = {
    "calculate": "survey computes no fields",
    "hidden": "survey has no hidden fields",
    "geopoint": "survey asks for no locations",
    "geotrace": "survey asks for no locations",
    "geoshape": "survey asks for no locations",
    "image": "survey takes no uploads",
    "audio": "survey takes no uploads",
    "video": "survey takes no uploads",
    "file": "survey takes no uploads",
    "barcode": "survey reads no barcodes",
    "time": "survey has no time-of-day questions",
    "datetime": "survey has no time-of-day questions",
    "rank": "survey has no ranking questions",
    "xml-external": "survey reads no external data files",
    "csv-external": "survey reads no external data files",
    "select_one_from_file": "survey reads no choices from files",
    "select_multiple_from_file": "survey reads no choices from files",
    **dict.fromkeys(METADATA, "survey records no device data"),
}
SIMPLE_TYPES: Final[Mapping[str, str]] = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "note": "note",
    "acknowledge": "consent",
    "trigger": "consent",
}
SELECT = re.compile(
    r"(select_one|select_multiple|select one|select multiple)\s+(\S+)(\s+or_other)?"
)
FILE_SELECT = re.compile(r"(select_one_from_file|select_multiple_from_file)\b.*")

# Columns of the survey sheet this module reads; any other non-empty column is reported.
SURVEY_COLUMNS = frozenset(
    {"type", "name", "label", "hint", "required", "relevant", "constraint", *EXTRA_COLUMNS}
)
SETTINGS_COLUMNS = frozenset(
    {"form_id", "id_string", "form_title", "title", "version", "default_language"}
    | {"title_text", "description", "choice_lists"}
)
CHOICES_COLUMNS = frozenset({"list_name", "list name", "name", "value", "label"})
OUTCOME_COLUMNS = frozenset(
    {"name", "kind", "label", "items", "reverse", "min_answered", "item", "value", "values"}
    | {"calculate"}
)
KNOWN_SHEETS = frozenset({"survey", "choices", "settings", "outcomes"})


# --------------------------------------------------------------------------------------------------
# Report


class ReportLine(msgspec.Struct, frozen=True, kw_only=True):
    """One thing an import or an export could not carry over exactly, and what became of it.

    ``row`` is the spreadsheet's own row number (the header is row 1), or None for a line about a
    whole column or sheet.
    """

    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet} sheet" if self.row is None else f"{self.sheet} sheet, row {self.row}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Internal: the import cannot go on (the errors are already collected)."""


# --------------------------------------------------------------------------------------------------
# Reading workbooks


@dataclass
class Sheet:
    """One sheet: its header (column name as written → index) and its non-empty rows."""

    name: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]]
    header_row: int

    @classmethod
    def parse(cls, name: str, cells: list[list[str]]) -> Sheet:
        header_at = next((i for i, row in enumerate(cells) if any(row)), None)
        if header_at is None:
            return cls(name, {}, [], 1)
        columns: dict[str, int] = {}
        for i, title in enumerate(cells[header_at]):
            title = column_name(title)
            if title and title not in columns:
                columns[title] = i
        rows = [(i + 1, row) for i, row in enumerate(cells) if i > header_at and any(row)]
        return cls(name, columns, rows, header_at + 1)

    def get(self, row: list[str], column: str) -> str:
        i = self.columns.get(column)
        return row[i].strip() if i is not None and i < len(row) else ""


def column_name(title: str) -> str:
    """A header as we match it: the part before ``::`` lower-cased, the language part as written."""
    title = title.strip()
    if "::" in title:
        base, _, rest = title.partition("::")
        return f"{base.strip().lower()}::{rest.strip()}"
    return title.lower()


def column_base(column: str) -> str:
    return column.partition("::")[0]


# --------------------------------------------------------------------------------------------------
# Languages


def language_of(spec: str) -> tuple[str | None, str]:
    """The language code of a column's language part, and how it was found ("" when written)."""
    spec = spec.strip()
    match = LANGUAGE_COLUMN.fullmatch(spec)
    if match:
        code = match.group("code").strip()
        primary, _, rest = code.partition("-")
        code = primary.lower() + ("-" + rest if rest else "")
        return (code, "") if LANGUAGE.fullmatch(code) else (None, "")
    if LANGUAGE.fullmatch(spec):
        return spec, ""
    code = CODES_BY_NAME.get(spec.lower())
    if code is not None:
        return code, f'language "{spec}" taken as code "{code}"'
    return None, ""


def language_column(code: str) -> str:
    name = LANGUAGE_NAMES.get(code.partition("-")[0])
    return f"{name} ({code})" if name else code


def workbook_data(
    workbook: bytes | str | os.PathLike[str], source: str | None = None
) -> tuple[bytes, str]:
    """A workbook's bytes (read from its path, if given one) and the name messages use for it.

    Raises
    ------
    InvalidDefinition
        When the file cannot be read, or is larger than :data:`MAX_WORKBOOK_BYTES`.
    """
    if isinstance(workbook, bytes):
        data = workbook
        name = source or "<workbook>"
    else:
        path = Path(workbook)
        name = source or path.name
        try:
            if path.stat().st_size > MAX_WORKBOOK_BYTES:
                raise InvalidDefinition(
                    f"larger than {MAX_WORKBOOK_BYTES // 1_000_000} MB", source=name
                )
            data = path.read_bytes()
        except FileNotFoundError:
            raise InvalidDefinition("file not found", source=name) from None
        except IsADirectoryError:
            raise InvalidDefinition("is a directory, not a file", source=name) from None
        except OSError as exc:
            raise InvalidDefinition(
                f"cannot read the file: {exc.strerror or exc}", source=name
            ) from None
    if len(data) > MAX_WORKBOOK_BYTES:
        raise InvalidDefinition(f"larger than {MAX_WORKBOOK_BYTES // 1_000_000} MB", source=name)
    return data, name


def unique_name(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate
