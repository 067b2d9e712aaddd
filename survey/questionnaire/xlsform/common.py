"""What the XLSForm import and export share: limits, column names, languages, report lines, sheets."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import msgspec

from survey.errors import InvalidDefinition
from survey.questionnaire import expressions

MAX_WORKBOOK_BYTES: Final = 20_000_000
"""Largest workbook accepted by :func:`import_xlsform`, in bytes."""

#: The codes of the problems that stop an import, beside the loader's own
#: (:data:`survey.questionnaire.load.PROBLEM_CODES`); survey/console/problem_messages.py words each.
XLSFORM_PROBLEM_CODES: Final = frozenset(
    {
        "xlsform_no_survey_sheet",  # sheets
        "xlsform_header_missing",  # columns
        "xlsform_name_duplicate",  # name, first
        "xlsform_group_no_name",
        "xlsform_end_without_begin",  # kind
        "xlsform_repeat_not_ended",
        "xlsform_group_not_ended",  # count
        "xlsform_type_unknown",  # type_written
        "xlsform_question_no_name",  # type_written
        "xlsform_list_missing",  # list
        "xlsform_likert_not_select_one",
        "xlsform_relevant_untranslatable",  # source, reason, position
        "xlsform_no_label",  # name
        "xlsform_scale_lists_differ",  # scale, other, list
        "xlsform_range_not_numbers",
        "xlsform_correct_single",  # value
        "xlsform_correct_needs_choices",
        "xlsform_scoring_unknown",  # value, allowed
        "xlsform_reverse_not_yes_no",  # value
        "xlsform_outcome_no_name",
        "xlsform_outcome_duplicate",  # name
        "xlsform_label_twice",  # language
        "xlsform_language_invalid",  # value
        "xlsform_no_label_column",
        "xlsform_label_no_language",  # languages
        "xlsform_choices_header",
        "xlsform_choice_duplicate",  # value, list, first
        "xlsform_choice_collides",  # value, stored, list
        "xlsform_choice_no_label",  # value
        # Reading the workbook (survey.questionnaire.workbook) and the bounded child process
        # (survey.questionnaire.isolated); a workbook built to harm is refused in English.
        "workbook_unreadable",  # detail
        "workbook_xlsb",
        "workbook_encrypted",  # part
        "import_busy",
        "import_too_slow",  # seconds
        "import_too_large",  # megabytes
        "import_crashed",
    }
)

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

# Names a form may give a language column without its code (label::Amharic, label::العربية), in
# English and as the language names itself; the ISO 639-1 code, or 639-3 where there is no 639-1 one.
_MORE_NAMES: Final[Mapping[str, str]] = {
    "afrikaans": "af", "albanian": "sq", "amharic": "am", "አማርኛ": "am", "armenian": "hy",
    "azerbaijani": "az", "bambara": "bm", "bosnian": "bs", "burmese": "my", "myanmar": "my",
    "chichewa": "ny", "chinyanja": "ny", "croatian": "hr", "czech": "cs", "dari": "prs",
    "dutch": "nl", "ewe": "ee", "farsi": "fa", "persian": "fa", "فارسی": "fa", "filipino": "fil",
    "fula": "ff", "fulfulde": "ff", "georgian": "ka", "greek": "el", "guarani": "gn",
    "gujarati": "gu", "haitian creole": "ht", "hausa": "ha", "hebrew": "he", "hungarian": "hu",
    "igbo": "ig", "italian": "it", "kannada": "kn", "khmer": "km", "kinyarwanda": "rw",
    "kirundi": "rn", "kurdish": "ku", "kyrgyz": "ky", "lao": "lo", "lingala": "ln",
    "luganda": "lg", "malagasy": "mg", "malay": "ms", "malayalam": "ml", "marathi": "mr",
    "nepali": "ne", "oromo": "om", "afaan oromo": "om", "pashto": "ps", "polish": "pl",
    "punjabi": "pa", "quechua": "qu", "romanian": "ro", "serbian": "sr", "shona": "sn",
    "sinhala": "si", "somali": "so", "tagalog": "tl", "tajik": "tg", "tamil": "ta", "telugu": "te",
    "tetun": "tet", "thai": "th", "tibetan": "bo", "tigrinya": "ti", "ትግርኛ": "ti", "turkmen": "tk",
    "twi": "tw", "uyghur": "ug", "uzbek": "uz", "wolof": "wo", "xhosa": "xh", "yoruba": "yo",
    "zulu": "zu", "العربية": "ar", "عربي": "ar", "français": "fr", "francais": "fr",
    "español": "es", "espanol": "es", "português": "pt", "portugues": "pt", "русский": "ru",
    "монгол": "mn", "монгол хэл": "mn", "中文": "zh", "kiswahili": "sw", "हिन्दी": "hi",
    "বাংলা": "bn", "اردو": "ur", "türkçe": "tr", "қазақ": "kk", "deutsch": "de",
    "indonesia": "id", "bahasa indonesia": "id", "tiếng việt": "vi", "українська": "uk",
}  # fmt: skip
CODES_BY_NAME: Final = {
    **_MORE_NAMES,
    **{name.lower(): code for code, name in LANGUAGE_NAMES.items()},
}

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
    "imei",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
    "background-geopoint",
    "uri:deviceid",
    "uri:subscriberid",
    "uri:simserial",
    "uri:phonenumber",
    "uri:username",
    "uri:email",
)
UNSUPPORTED_TYPES: Final[Mapping[str, str]] = {
    "hidden": "survey has no hidden fields",
    "geopoint": "survey asks for no locations",
    "gps": "survey asks for no locations",
    "location": "survey asks for no locations",
    "geotrace": "survey asks for no locations",
    "geoshape": "survey asks for no locations",
    "image": "survey takes no uploads",
    "photo": "survey takes no uploads",
    "audio": "survey takes no uploads",
    "video": "survey takes no uploads",
    "file": "survey takes no uploads",
    "barcode": "survey reads no barcodes",
    "time": "survey has no time-of-day questions",
    "datetime": "survey has no time-of-day questions",
    "rank": "survey has no ranking questions",
    "osm": "survey has no map questions",
    "xml-external": "survey reads no external data files",
    "csv-external": "survey reads no external data files",
    "select_one_external": "survey reads no choices from external files",
    "select_one_from_file": "survey reads no choices from files",
    "select_multiple_from_file": "survey reads no choices from files",
    **dict.fromkeys(METADATA, "survey records no device data"),
}
# pyxform's other names for a type (its aliases module), as the importer reads them.
TYPE_ALIASES: Final[Mapping[str, str]] = {
    "add image prompt": "image",
    "add photo prompt": "image",
    "add audio prompt": "audio",
    "add video prompt": "video",
    "add file prompt": "file",
    "add date prompt": "date",
    "add text prompt": "text",
    "add integer prompt": "integer",
    "add decimal prompt": "decimal",
    "add note prompt": "note",
    "begin loop": "begin_repeat",
    "end loop": "end_repeat",
    "begin lgroup": "begin_repeat",
    "end lgroup": "end_repeat",
    "begin looped group": "begin_repeat",
    "end looped group": "end_repeat",
    "begin repeat": "begin_repeat",
    "end repeat": "end_repeat",
    "begin group": "begin_group",
    "end group": "end_group",
    "select one from file": "select_one_from_file",
    "select multiple from file": "select_multiple_from_file",
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
# select_one L, select_multiple L and the older spellings pyxform reads; "or_other" after the list.
SELECT = re.compile(
    r"(?P<kind>select_one|select one|select1|select one from|add select one prompt using"
    r"|select_multiple|select multiple|select all that apply|select all that apply from"
    r"|add select multiple prompt using)\s+(?P<list>\S+)(?P<other>\s+or_other|\s+or specify other)?",
    re.IGNORECASE,
)
SELECT_ONE = frozenset(
    {"select_one", "select one", "select1", "select one from", "add select one prompt using"}
)
FILE_SELECT = re.compile(r"(select_one_from_file|select_multiple_from_file)\b.*")

# Columns of the survey sheet this module reads; any other non-empty column is reported.
SURVEY_COLUMNS = frozenset(
    {"type", "name", "label", "hint", "required", "relevant", "constraint", *EXTRA_COLUMNS}
)
SETTINGS_COLUMNS = frozenset(
    {"form_id", "id_string", "form_title", "title", "version", "default_language"}
    | {"title_text", "description", "choice_lists", "allow_choice_duplicates"}
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
        header = cells[header_at]
        # As pyxform: a sheet whose headers use "::" anywhere is split on "::" only; otherwise a
        # single ":" separates a column from its language (label:English).
        double = any("::" in title for title in header)
        aliases = HEADER_ALIASES.get(name, {})
        columns: dict[str, int] = {}
        for i, title in enumerate(header):
            title = column_name(title, double=double, aliases=aliases)
            if title and title not in columns:
                columns[title] = i
        rows = [(i + 1, row) for i, row in enumerate(cells) if i > header_at and any(row)]
        return cls(name, columns, rows, header_at + 1)

    def get(self, row: list[str], column: str) -> str:
        i = self.columns.get(column)
        return row[i].strip() if i is not None and i < len(row) else ""


# The other spellings pyxform reads for a column, by sheet (its aliases module), after the header is
# put in snake_case; bind::x and bind:x columns are x.
HEADER_ALIASES: Final[Mapping[str, Mapping[str, str]]] = {
    "survey": {
        "relevance": "relevant",
        "constraining_message": "constraint_message",
        "jr:constraintmsg": "constraint_message",
        "calculate": "calculation",
        "caption": "label",
        "jr:requiredmsg": "required_message",
        "requiredmsg": "required_message",
        "readonly": "read_only",
        "value": "name",
        "tag": "name",
        "command": "type",
    },
    "choices": {"list name": "list_name", "value": "name", "caption": "label"},
    "settings": {"set_form_title": "form_title", "set_form_id": "form_id"},
}


def column_name(
    title: str, *, double: bool = True, aliases: Mapping[str, str] | None = None
) -> str:
    """A header as we match it: ``base`` or ``base::language``.

    The base is in snake_case and de-aliased as pyxform does (``Relevance`` → ``relevant``,
    ``bind::relevant`` → ``relevant``); the language part is kept as written. With ``double`` false
    (no ``::`` in the sheet's header), ``label:English`` is ``label::English``.
    """
    title = title.strip()
    if not title:
        return ""
    if double or "::" in title:
        parts = [part.strip() for part in title.split("::")]
    else:
        parts = [part.strip() for part in title.split(":")]
        while "jr" in parts[:-1]:  # jr:constraintMsg is one name, not a column and a language
            at = parts.index("jr")
            parts[at : at + 2] = [f"jr:{parts[at + 1]}"]
    if parts[0].lower() in ("bind", "body", "control") and len(parts) > 1:
        parts = parts[1:]
    base = "_".join(parts[0].split()).lower()
    base = (aliases or {}).get(base, base)
    if len(parts) > 1:
        return f"{base}::{'::'.join(parts[1:])}"
    return base


def column_base(column: str) -> str:
    return column.partition("::")[0]


# --------------------------------------------------------------------------------------------------
# Languages


def language_of(spec: str) -> tuple[str | None, str]:
    """The language code of a column's language part, and how it was found ("" when written).

    ``English (en)`` and ``en`` are written codes; ``EN`` is read as ``en``, and a name without a
    code (``English``, ``Amharic``, ``العربية``) as the code of that name, with a sentence saying so.
    None for a name that is not known.
    """
    spec = spec.strip()
    match = LANGUAGE_COLUMN.fullmatch(spec)
    if match:
        code = match.group("code").strip()
        primary, _, rest = code.partition("-")
        code = primary.lower() + ("-" + rest if rest else "")
        if LANGUAGE.fullmatch(code):
            return code, ""
        spec = match.group("name").strip() or spec
    if LANGUAGE.fullmatch(spec):
        return spec, ""
    code = CODES_BY_NAME.get(spec.casefold())
    if code is not None:
        return code, f'language "{spec}" taken as code "{code}"'
    lowered = spec.lower()
    if LANGUAGE.fullmatch(lowered):
        return lowered, f'language "{spec}" taken as code "{lowered}"'
    return None, ""


def unknown_language_code(spec: str, taken: Sequence[str]) -> str:
    """A code for a language whose name we do not know: ``und`` (undetermined) and the name's letters."""
    letters = re.sub(r"[^a-z0-9]", "", spec.lower())[:8]
    base = f"und-{letters}" if len(letters) >= 2 else "und"
    code, n = base, 2
    while code in taken:
        code, n = f"und-{letters[:6]}{n}" if len(letters) >= 2 else f"und-x{n}", n + 1
    return code


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


def key_of(raw: str) -> str:
    """A valid key (lower-case letters, digits and "_", starting with a letter) for a name."""
    key = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "q"
    if not key[0].isalpha():
        key = f"q_{key}"
    if key in expressions.KEYWORDS or key in expressions.FUNCTIONS:
        key = f"{key}_"
    return key[:MAX_KEY_LENGTH]
