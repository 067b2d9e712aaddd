"""XLSForm, the spreadsheet format of KoboToolbox and ODK: import into our format, and export from it.

:func:`import_xlsform` reads a workbook (``.xlsx``, ``.xls`` or ``.ods``) and returns a validated
:class:`~survey.questionnaire.model.Questionnaire` with a report: one :class:`ReportLine` per thing
the import could not carry over exactly (a skipped question type, an ignored column, a renamed key),
each naming its sheet and row. The import fails, with :class:`~survey.errors.InvalidDefinition` and
messages naming sheet and row, only where the result would be wrong: a condition (``relevant``) it
cannot translate, a reference to a question it skipped, duplicate names, a missing translation.

:func:`export_xlsform` writes a questionnaire as a workbook that pyxform converts, so that a team can
deploy it on KoboToolbox or ODK Collect. It is designed to come back unchanged through
:func:`import_xlsform`: every item keeps its fingerprint (type, texts, choices, answer key, bounds).

The mapping (``README.md`` documents it for researchers):

=========================  =====================================================================
XLSForm                    survey
=========================  =====================================================================
``text`` ``integer``       ``text`` ``integer`` ``decimal`` ``date`` ``note``, same names
``decimal`` ``date``
``note``
``select_one L``           ``choice`` (with the ``likert`` column: ``likert``, list L as scale)
``select_multiple L``      ``multi``
``acknowledge``            ``consent``; ``${c} = 'OK'`` reads as ``c == 'yes'``
``text`` + ``panel_code``  ``panel_code`` (the HMAC is computed by survey only)
``range``                  ``integer`` or ``decimal`` with ``min``/``max`` from its parameters
``begin_group``            a section (nested groups are flattened, with a report line)
``label::Name (code)``     texts in language ``code``; ``hint::`` likewise
``relevant``               ``show_if``, translated from XPath (never evaluated)
``constraint``             ``min``/``max`` (``. >= 18 and . <= 27``), ``max_length``
                           (``string-length(.) <= 12``)
``correct`` ``scoring``    the answer key of knowledge items
``reverse`` ``equivalent`` item flags
``outcomes`` sheet         ``outcomes``; a score outcome is also exported as a ``calculate``
=========================  =====================================================================

XPath is read by this module's own small tokenizer and parser, and only the subset that has an exact
meaning in our expression language is translated (``=``, ``!=``, comparisons, ``and``, ``or``,
``not()``, ``selected()``, ``count-selected(${q}) > 0``, ``string-length(${q}) > 0``,
``true()``, ``false()``, ``date('...')``). XPath compares an unanswered question as ``''`` where we
compare it as null: each translation keeps the XPath meaning (``${q} != 'a'`` becomes
``not (q == 'a')``, which is true when ``q`` is unanswered, as in ODK).
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import msgspec
import yaml

from survey.errors import InvalidDefinition, InvalidExpression
from survey.questionnaire import expressions
from survey.questionnaire.expressions import (
    And,
    Answered,
    Compare,
    Constant,
    Expr,
    In,
    Name,
    Not,
    Or,
    Selected,
)
from survey.questionnaire.load import load_object
from survey.questionnaire.model import (
    DEFAULT_MAX_LENGTH,
    SCORINGS,
    Item,
    Outcome,
    Questionnaire,
    Text,
)
from survey.questionnaire.workbook import read_workbook

__all__ = [
    "EXTRA_COLUMNS",
    "LANGUAGE_NAMES",
    "MAX_WORKBOOK_BYTES",
    "ReportLine",
    "definition_yaml",
    "export_xlsform",
    "format_expression",
    "import_xlsform",
    "show_if_to_xpath",
    "workbook_data",
    "xpath_to_show_if",
]

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

_CODES_BY_NAME: Final = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}

# The same patterns as the loader's: an imported value or language must pass its validation.
_CHOICE_VALUE = re.compile(r"[A-Za-z0-9_-]+")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_KEY_LENGTH = 64
_LANGUAGE_COLUMN = re.compile(r"(?P<name>.*?)\s*\((?P<code>[^()]+)\)\s*")
_SECTION_PATH = re.compile(r"sections\[(\d+)\](?:\.items\[(\d+)\])?\.?(.*)")
_NAMED_PATH = re.compile(
    r"(choice_lists|likert_scales|outcomes)\.([A-Za-z0-9_-]+)(?:\[(\d+)\])?\.?(.*)"
)

_YES = frozenset({"yes", "true", "true()", "1", "y"})
_NO = frozenset({"", "no", "false", "false()", "0", "n"})

# Question types with no equivalent; the value says what became of them.
_METADATA = (
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
_UNSUPPORTED_TYPES: Final[Mapping[str, str]] = {
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
    **dict.fromkeys(_METADATA, "survey records no device data"),
}
_SIMPLE_TYPES: Final[Mapping[str, str]] = {
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
_SELECT = re.compile(
    r"(select_one|select_multiple|select one|select multiple)\s+(\S+)(\s+or_other)?"
)
_FILE_SELECT = re.compile(r"(select_one_from_file|select_multiple_from_file)\b.*")

# Columns of the survey sheet this module reads; any other non-empty column is reported.
_SURVEY_COLUMNS = frozenset(
    {"type", "name", "label", "hint", "required", "relevant", "constraint", *EXTRA_COLUMNS}
)
_SETTINGS_COLUMNS = frozenset(
    {"form_id", "id_string", "form_title", "title", "version", "default_language"}
    | {"title_text", "description", "choice_lists"}
)
_CHOICES_COLUMNS = frozenset({"list_name", "list name", "name", "value", "label"})
_OUTCOME_COLUMNS = frozenset(
    {"name", "kind", "label", "items", "reverse", "min_answered", "item", "value", "values"}
    | {"calculate"}
)
_KNOWN_SHEETS = frozenset({"survey", "choices", "settings", "outcomes"})


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


class _Failed(Exception):
    """Internal: the import cannot go on (the errors are already collected)."""


# --------------------------------------------------------------------------------------------------
# Reading workbooks


@dataclass
class _Sheet:
    """One sheet: its header (column name as written → index) and its non-empty rows."""

    name: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]]
    header_row: int

    @classmethod
    def parse(cls, name: str, cells: list[list[str]]) -> _Sheet:
        header_at = next((i for i, row in enumerate(cells) if any(row)), None)
        if header_at is None:
            return cls(name, {}, [], 1)
        columns: dict[str, int] = {}
        for i, title in enumerate(cells[header_at]):
            title = _column_name(title)
            if title and title not in columns:
                columns[title] = i
        rows = [(i + 1, row) for i, row in enumerate(cells) if i > header_at and any(row)]
        return cls(name, columns, rows, header_at + 1)

    def get(self, row: list[str], column: str) -> str:
        i = self.columns.get(column)
        return row[i].strip() if i is not None and i < len(row) else ""


def _column_name(title: str) -> str:
    """A header as we match it: the part before ``::`` lower-cased, the language part as written."""
    title = title.strip()
    if "::" in title:
        base, _, rest = title.partition("::")
        return f"{base.strip().lower()}::{rest.strip()}"
    return title.lower()


def _base(column: str) -> str:
    return column.partition("::")[0]


# --------------------------------------------------------------------------------------------------
# XPath: tokenizer and parser for the subset XLSForms use in relevant and constraint


class _XPathError(Exception):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # ref num str name op ( ) , . end
    text: str
    position: int


@dataclass(frozen=True, slots=True)
class _XRef:
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class _XNum:
    value: int | float
    position: int


@dataclass(frozen=True, slots=True)
class _XStr:
    value: str
    position: int


@dataclass(frozen=True, slots=True)
class _XDot:
    position: int


@dataclass(frozen=True, slots=True)
class _XCall:
    name: str
    args: tuple[_XNode, ...]
    position: int


@dataclass(frozen=True, slots=True)
class _XBin:
    """A comparison (``= != < <= > >=``) or an arithmetic operation (``+ - * div mod``)."""

    op: str
    left: _XNode
    right: _XNode
    position: int


@dataclass(frozen=True, slots=True)
class _XLogic:
    op: str  # "and" | "or"
    operands: tuple[_XNode, ...]
    position: int


@dataclass(frozen=True, slots=True)
class _XNeg:
    operand: _XNode
    position: int


_XNode = _XRef | _XNum | _XStr | _XDot | _XCall | _XBin | _XLogic | _XNeg

_XPATH_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
_XPATH_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")
_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
_FLIPPED = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_OURS: Final[Mapping[str, Any]] = {
    "=": "==",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}
_MAX_XPATH_LENGTH = 4000
_MAX_XPATH_DEPTH = 50


def _xpath_tokens(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i, n = 0, len(source)
    while True:
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            tokens.append(_Tok("end", "", n))
            return tokens
        c = source[i]
        if source.startswith("${", i):
            end = source.find("}", i)
            if end < 0:
                raise _XPathError('unclosed "${"', i)
            tokens.append(_Tok("ref", source[i + 2 : end].strip(), i))
            i = end + 1
        elif c in "'\"":
            end = source.find(c, i + 1)
            if end < 0:
                raise _XPathError("unterminated string", i)
            tokens.append(_Tok("str", source[i + 1 : end], i))
            i = end + 1
        elif c.isdigit() or (c == "." and i + 1 < n and source[i + 1].isdigit()):
            match = _XPATH_NUMBER.match(source, i)
            assert match is not None
            tokens.append(_Tok("num", match.group(), i))
            i = match.end()
        elif source.startswith(("!=", "<=", ">="), i):
            tokens.append(_Tok("op", source[i : i + 2], i))
            i += 2
        elif c in "=<>+-*":
            tokens.append(_Tok("op", c, i))
            i += 1
        elif c in "(),":
            tokens.append(_Tok(c, c, i))
            i += 1
        elif source.startswith("..", i) or c in "/@[]|":
            raise _XPathError(
                f'XPath paths ("{c}") are not supported: refer to questions as ${{name}}', i
            )
        elif c == ".":
            tokens.append(_Tok(".", ".", i))
            i += 1
        elif c.isalpha() or c == "_":
            match = _XPATH_NAME.match(source, i)
            assert match is not None
            tokens.append(_Tok("name", match.group(), i))
            i = match.end()
        else:
            raise _XPathError(f'unexpected character "{c}"', i)


class _XPathParser:
    """Recursive descent over XPath 1.0's precedence: or, and, equality, relational, +, *, unary."""

    def __init__(self, source: str) -> None:
        if len(source) > _MAX_XPATH_LENGTH:
            raise _XPathError(f"longer than {_MAX_XPATH_LENGTH} characters", 0)
        self.tokens = _xpath_tokens(source)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        token = self.tokens[self.i]
        if token.kind != "end":
            self.i += 1
        return token

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token.kind == "name" and token.text in words

    def parse(self) -> _XNode:
        if self.peek().kind == "end":
            raise _XPathError("the expression is empty", 0)
        node = self.or_()
        token = self.peek()
        if token.kind != "end":
            raise _XPathError(f'unexpected "{token.text}"', token.position)
        return node

    def or_(self) -> _XNode:
        first = self.peek().position
        operands = [self.and_()]
        while self.at_word("or"):
            self.take()
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else _XLogic("or", tuple(operands), first)

    def and_(self) -> _XNode:
        first = self.peek().position
        operands = [self.equality()]
        while self.at_word("and"):
            self.take()
            operands.append(self.equality())
        return operands[0] if len(operands) == 1 else _XLogic("and", tuple(operands), first)

    def binary(self, operators: tuple[str, ...], words: tuple[str, ...], operand: Any) -> _XNode:
        node = operand()
        while True:
            token = self.peek()
            if (token.kind == "op" and token.text in operators) or (
                token.kind == "name" and token.text in words
            ):
                self.take()
                node = _XBin(token.text, node, operand(), token.position)
            else:
                return node

    def equality(self) -> _XNode:
        return self.binary(("=", "!="), (), self.relational)

    def relational(self) -> _XNode:
        return self.binary(("<", "<=", ">", ">="), (), self.additive)

    def additive(self) -> _XNode:
        return self.binary(("+", "-"), (), self.multiplicative)

    def multiplicative(self) -> _XNode:
        return self.binary(("*",), ("div", "mod"), self.unary)

    def unary(self) -> _XNode:
        token = self.peek()
        if token.kind == "op" and token.text == "-":
            self.take()
            return _XNeg(self.unary(), token.position)
        return self.primary()

    def primary(self) -> _XNode:
        token = self.take()
        if token.kind == "ref":
            return _XRef(token.text, token.position)
        if token.kind == "num":
            text = token.text
            value: int | float = int(text) if text.isdigit() else float(text)
            return _XNum(value, token.position)
        if token.kind == "str":
            return _XStr(token.text, token.position)
        if token.kind == ".":
            return _XDot(token.position)
        if token.kind == "(":
            self.enter(token)
            node = self.or_()
            self.expect(")", token)
            self.depth -= 1
            return node
        if token.kind == "name":
            if self.peek().kind != "(":
                raise _XPathError(
                    f'"{token.text}" is not a value: refer to a question as ${{{token.text}}}',
                    token.position,
                )
            opener = self.take()
            self.enter(opener)
            args: list[_XNode] = []
            if self.peek().kind != ")":
                args.append(self.or_())
                while self.peek().kind == ",":
                    self.take()
                    args.append(self.or_())
            self.expect(")", opener)
            self.depth -= 1
            return _XCall(token.text, tuple(args), token.position)
        if token.kind == "end":
            raise _XPathError("the expression ends too early", token.position)
        raise _XPathError(f'unexpected "{token.text}"', token.position)

    def enter(self, token: _Tok) -> None:
        self.depth += 1
        if self.depth > _MAX_XPATH_DEPTH:
            raise _XPathError("nested too deeply", token.position)

    def expect(self, kind: str, opener: _Tok) -> None:
        token = self.take()
        if token.kind != kind:
            if token.kind == "end":
                raise _XPathError('unclosed "("', opener.position)
            raise _XPathError(f'expected "{kind}" but found "{token.text}"', token.position)


def _parse_xpath(source: str) -> _XNode:
    return _XPathParser(source).parse()


# --------------------------------------------------------------------------------------------------
# XPath → our expression language


@dataclass
class _Ref:
    """What an expression may know of a question named in ``${...}``."""

    key: str
    type: str | None  # our item type; None for a question that was not imported
    skipped: str = ""  # why it was not imported
    values: dict[str, str] = field(default_factory=dict)  # XLSForm choice name → our value
    positions: dict[str, int] = field(default_factory=dict)  # likert: choice name → 1..points


_NUMBER_TYPES = frozenset({"integer", "decimal", "likert"})


def _number(text: str) -> int | float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    integral = value == int(value) and not any(c in text for c in ".eE")
    return int(value) if integral else value


def _xpath_number_text(value: int | float) -> str:
    """A number as XPath and our language both read it: never in exponent notation."""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)), "f")


class _ToCondition:
    """Translate a parsed ``relevant`` into our syntax tree, or explain why it cannot be."""

    def __init__(self, refs: Mapping[str, _Ref]) -> None:
        self.refs = refs

    def ref(self, node: _XRef) -> _Ref:
        ref = self.refs.get(node.name)
        if ref is None:
            raise _XPathError(f"no question is named ${{{node.name}}}", node.position)
        if ref.type is None:
            raise _XPathError(
                f"${{{node.name}}} is {ref.skipped}, which is not imported", node.position
            )
        return ref

    def condition(self, node: _XNode) -> Expr:
        match node:
            case _XLogic(op=op, operands=operands):
                parts = [self.condition(o) for o in operands]
                flat: list[Expr] = []
                kind = And if op == "and" else Or
                for part in parts:
                    flat.extend(part.operands if isinstance(part, kind) else (part,))
                return kind(tuple(flat))
            case _XCall(name=name, args=args, position=position):
                return self.call(name, args, position)
            case _XBin(op=op, left=left, right=right, position=position) if op in _COMPARISONS:
                return self.compare(op, left, right, position)
            case _XBin(op=op, position=position):
                raise _XPathError(f'arithmetic ("{op}") is not supported', position)
            case _XRef(name=name, position=position):
                raise _XPathError(
                    f"${{{name}}} alone is not a condition: compare it, e.g. ${{{name}}} = 'yes'",
                    position,
                )
            case _:
                raise _XPathError("this is a value, not a condition", _position(node))

    def call(self, name: str, args: tuple[_XNode, ...], position: int) -> Expr:
        if name in ("true", "false"):
            if args:
                raise _XPathError(f"{name}() takes no argument", position)
            return Constant(name == "true")
        if name == "not":
            if len(args) != 1:
                raise _XPathError("not() takes one condition", position)
            return Not(self.condition(args[0]))
        if name == "selected":
            if len(args) != 2 or not isinstance(args[0], _XRef):
                raise _XPathError("selected() takes a question and a choice name", position)
            ref = self.ref(args[0])
            wanted = args[1]
            if isinstance(wanted, _XNum):
                wanted = _XStr(_xpath_number_text(wanted.value), wanted.position)
            if not isinstance(wanted, _XStr):
                raise _XPathError(
                    "selected() must name the choice as a quoted value", _position(wanted)
                )
            if ref.type == "likert":
                position_value = ref.positions.get(wanted.value)
                if position_value is None:
                    raise _XPathError(
                        f'"{wanted.value}" is not a choice of ${{{args[0].name}}}', wanted.position
                    )
                return Compare("==", Name(ref.key), Constant(position_value))
            if ref.type not in ("choice", "multi"):
                raise _XPathError(
                    f"selected() needs a select question; ${{{args[0].name}}} is not one",
                    position,
                )
            return Selected(ref.key, ref.values.get(wanted.value, wanted.value))
        if name in ("count-selected", "string-length"):
            raise _XPathError(
                f"{name}() is translated only as {name}(${{q}}) > 0 or {name}(${{q}}) = 0",
                position,
            )
        raise _XPathError(f"the function {name}() is not supported", position)

    def compare(self, op: str, left: _XNode, right: _XNode, position: int) -> Expr:
        if self.literal(left) is not None and self.literal(right) is None:
            left, right, op = right, left, _FLIPPED[op]
        if isinstance(left, _XCall) and left.name in ("count-selected", "string-length"):
            return self.emptiness(op, left, right, position)
        literal_right = self.literal(right)
        if isinstance(left, _XRef) and isinstance(right, _XRef):
            return self.compare_refs(op, left, right, position)
        if isinstance(left, _XRef) and literal_right is not None:
            return self.compare_value(op, left, right, literal_right, position)
        literal_left = self.literal(left)
        if literal_left is not None and literal_right is not None:
            (a, a_kind), (b, b_kind) = literal_left, literal_right
            if (a_kind == "num") != (b_kind == "num"):
                raise _XPathError("compares a number with a text", position)
            return Compare(_OURS[op], Constant(a), Constant(b))
        for side in (left, right):
            if isinstance(side, _XBin | _XNeg):
                op = side.op if isinstance(side, _XBin) else "-"
                raise _XPathError(f'arithmetic ("{op}") is not supported', side.position)
        if isinstance(left, _XCall) or isinstance(right, _XCall):
            call = left if isinstance(left, _XCall) else right
            assert isinstance(call, _XCall)
            raise _XPathError(f"the function {call.name}() is not supported", call.position)
        raise _XPathError("this comparison is not supported", position)

    def literal(self, node: _XNode) -> tuple[str | int | float, str] | None:
        """A literal's value and kind ("str", "num" or "date"), or None for anything else."""
        if isinstance(node, _XStr):
            return node.value, "str"
        if isinstance(node, _XNum):
            return node.value, "num"
        if isinstance(node, _XNeg) and isinstance(node.operand, _XNum):
            return -node.operand.value, "num"
        if (
            isinstance(node, _XCall)
            and node.name == "date"
            and len(node.args) == 1
            and isinstance(node.args[0], _XStr)
            and _DATE.fullmatch(node.args[0].value)
        ):
            return node.args[0].value, "date"
        return None

    def emptiness(self, op: str, call: _XCall, right: _XNode, position: int) -> Expr:
        """``count-selected(${q}) > 0``, ``string-length(${q}) = 0`` and the like."""
        if len(call.args) != 1 or not isinstance(call.args[0], _XRef):
            raise _XPathError(f"{call.name}() is translated only on a question", position)
        ref = self.ref(call.args[0])
        if not isinstance(right, _XNum) or not isinstance(right.value, int):
            raise _XPathError(f"{call.name}() is compared only with 0 or 1 here", position)
        n = right.value
        answered = {(">", 0), (">=", 1), ("!=", 0)}
        unanswered = {("=", 0), ("<", 1), ("<=", 0)}
        if (op, n) in answered:
            return Answered(ref.key)
        if (op, n) in unanswered:
            return Not(Answered(ref.key))
        raise _XPathError(
            f"{call.name}() {op} {n} has no equivalent (only whether the question is answered)",
            position,
        )

    def compare_value(
        self,
        op: str,
        left: _XRef,
        right: _XNode,
        literal: tuple[str | int | float, str],
        position: int,
    ) -> Expr:
        ref = self.ref(left)
        value, kind = literal
        name = f"${{{left.name}}}"
        if kind == "str" and value == "":
            if op == "=":
                return Not(Answered(ref.key))
            if op == "!=":
                return Answered(ref.key)
            raise _XPathError(f"{name} {op} '' has no meaning", position)
        ours: Constant
        if ref.type == "multi":
            raise _XPathError(
                f"{name} is a select_multiple: test a choice with selected({name}, 'value')",
                position,
            )
        if ref.type == "consent":
            if value != "OK" or op not in ("=", "!="):
                raise _XPathError(
                    f"{name} is an acknowledge: only {name} = 'OK' is translated", position
                )
            ours = Constant("yes")
        elif ref.type == "likert":
            if op in ("=", "!="):
                text = _xpath_number_text(value) if _is_number(value) else str(value)
                place = ref.positions.get(text)
                if place is None:
                    raise _XPathError(f'"{text}" is not a choice of {name}', _position(right))
                ours = Constant(place)
            else:
                # XPath orders the choice names as numbers, we order the positions 1..points: the
                # same thing only when the names are 1, 2, 3...
                if any(str(p) != v for v, p in ref.positions.items()):
                    raise _XPathError(
                        f"{name} is ordered by its choice names, which are not 1, 2, 3...",
                        position,
                    )
                number = value if _is_number(value) else _number(str(value))
                if number is None:
                    raise _XPathError(f"{name} is ordered, compared here with a text", position)
                ours = Constant(number)
        elif ref.type in ("integer", "decimal"):
            number = value if isinstance(value, int | float) else _number(str(value))
            if number is None or kind == "date":
                raise _XPathError(f"{name} is a number, compared here with a text", position)
            ours = Constant(number)
        elif ref.type == "date":
            if kind != "date":
                raise _XPathError(f"compare the date {name} with date('YYYY-MM-DD')", position)
            ours = Constant(value)
        elif ref.type in ("choice", "text"):
            if op not in ("=", "!="):
                raise _XPathError(
                    f"{name} is compared as a number in XPath but as a text in survey", position
                )
            text = _xpath_number_text(value) if isinstance(value, int | float) else str(value)
            ours = Constant(ref.values.get(text, text) if ref.type == "choice" else text)
        else:
            raise _XPathError(f"{name} is a {ref.type}, which has no answer to compare", position)
        if op == "!=":
            # XPath: true when unanswered ('' != 'a'); ours: false on null. not (==) keeps XPath's.
            return Not(Compare("==", Name(ref.key), ours))
        return Compare("==" if op == "=" else op, Name(ref.key), ours)  # type: ignore[arg-type]

    @staticmethod
    def numeric(ref: _Ref) -> bool:
        """True for a number question, or a likert one whose choices are named 1..points."""
        if ref.type == "likert":
            return all(str(p) == v for v, p in ref.positions.items())
        return ref.type in ("integer", "decimal")

    def compare_refs(self, op: str, left: _XRef, right: _XRef, position: int) -> Expr:
        a, b = self.ref(left), self.ref(right)
        numeric = self.numeric(a) and self.numeric(b)
        dates = a.type == b.type == "date"
        textual = a.type in ("text", "choice") and b.type in ("text", "choice")
        if op in ("=", "!="):
            if not (numeric or dates or textual):
                raise _XPathError("these two questions cannot be compared", position)
            # XPath: two unanswered questions are equal ('' = ''); ours: null equals nothing.
            equal = Or(
                (
                    Compare("==", Name(a.key), Name(b.key)),
                    And((Not(Answered(a.key)), Not(Answered(b.key)))),
                )
            )
            return Not(equal) if op == "!=" else equal
        if not (numeric or dates):
            raise _XPathError("only numbers and dates can be ordered", position)
        return Compare(op, Name(a.key), Name(b.key))  # type: ignore[arg-type]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _position(node: _XNode) -> int:
    return node.position


def _xpath_condition(source: str, refs: Mapping[str, _Ref]) -> Expr | None:
    """Our syntax tree for an XPath condition; None when it is always true. Raises _XPathError."""
    tree = _ToCondition(refs).condition(_parse_xpath(source))
    return None if tree == Constant(True) else tree


def xpath_to_show_if(source: str, types: Mapping[str, str]) -> str | None:
    """Translate an XLSForm ``relevant`` into a ``show_if`` expression.

    Parameters
    ----------
    source
        The XPath expression, e.g. ``${consent} = 'OK' and ${age} >= 18``.
    types
        The item type (ours: ``choice``, ``integer``, ...) of each question the expression may name,
        by name. Choice values are kept as written; a likert question's choices are taken to be
        named ``1``, ``2``... (up to 11, the most points a scale may have).

    Returns
    -------
    str or None
        The expression, e.g. ``consent == 'yes' and age >= 18``; None for a condition that is
        always true (``true()``).

    Raises
    ------
    InvalidExpression
        When the expression cannot be translated exactly, with the reason and the position in
        ``source``.
    """
    refs = {
        name: _Ref(
            key=name,
            type=kind,
            positions={str(i): i for i in range(1, 12)} if kind == "likert" else {},
        )
        for name, kind in types.items()
    }
    try:
        tree = _xpath_condition(source, refs)
    except _XPathError as exc:
        raise InvalidExpression(exc.message, exc.position, source) from None
    return None if tree is None else format_expression(tree)


# --------------------------------------------------------------------------------------------------
# Our syntax tree → our source text


def _constant_text(value: expressions.ConstantValue) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _xpath_number_text(value)
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def format_expression(expr: Expr) -> str:
    """Write a syntax tree as ``show_if`` source; :func:`expressions.parse` reads it back equal."""
    match expr:
        case Or(operands=operands):
            return " or ".join(
                f"({format_expression(o)})" if isinstance(o, Or) else format_expression(o)
                for o in operands
            )
        case And(operands=operands):
            return " and ".join(
                f"({format_expression(o)})" if isinstance(o, And | Or) else format_expression(o)
                for o in operands
            )
        case Not(operand=operand):
            inner = format_expression(operand)
            if isinstance(operand, Not | Selected | Answered | Name | Constant):
                return f"not {inner}"
            return f"not ({inner})"
        case Compare(op=op, left=left, right=right):
            return f"{_operand_text(left)} {op} {_operand_text(right)}"
        case In(operand=operand, options=options, negated=negated):
            listed = ", ".join(_constant_text(o) for o in options)
            return f"{_operand_text(operand)} {'not in' if negated else 'in'} [{listed}]"
        case Selected(key=key, value=value):
            return f"selected({key}, {_constant_text(value)})"
        case Answered(key=key):
            return f"answered({key})"
        case Name(key=key):
            return key
        case Constant(value=value):
            return _constant_text(value)
    raise TypeError(f"not an expression node: {expr!r}")


def _operand_text(expr: Expr) -> str:
    if isinstance(expr, Name | Constant | Selected | Answered):
        return format_expression(expr)
    return f"({format_expression(expr)})"


# --------------------------------------------------------------------------------------------------
# Languages


def _language_of(spec: str) -> tuple[str | None, str]:
    """The language code of a column's language part, and how it was found ("" when written)."""
    spec = spec.strip()
    match = _LANGUAGE_COLUMN.fullmatch(spec)
    if match:
        code = match.group("code").strip()
        primary, _, rest = code.partition("-")
        code = primary.lower() + ("-" + rest if rest else "")
        return (code, "") if _LANGUAGE.fullmatch(code) else (None, "")
    if _LANGUAGE.fullmatch(spec):
        return spec, ""
    code = _CODES_BY_NAME.get(spec.lower())
    if code is not None:
        return code, f'language "{spec}" taken as code "{code}"'
    return None, ""


def _language_column(code: str) -> str:
    name = LANGUAGE_NAMES.get(code.partition("-")[0])
    return f"{name} ({code})" if name else code


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
        self.refs: dict[str, _Ref] = {}
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
            raise _Failed

    # -- the whole import

    def run(self) -> Questionnaire:
        if "survey" not in self.cells:
            found = ", ".join(self.cells) or "none"
            self.error("survey", None, f'no sheet named "survey" (the sheets are: {found})')
            raise _Failed
        survey = _Sheet.parse("survey", self.cells["survey"])
        if "type" not in survey.columns or "name" not in survey.columns:
            missing = [c for c in ("type", "name") if c not in survey.columns]
            self.error(
                "survey",
                survey.header_row,
                "the header row has no " + " and no ".join(f'"{c}" column' for c in missing),
            )
            raise _Failed
        choices = _Sheet.parse("choices", self.cells.get("choices", []))
        settings = _Sheet.parse("settings", self.cells.get("settings", []))
        outcomes = _Sheet.parse("outcomes", self.cells.get("outcomes", []))
        for name in self.cells:
            if name not in _KNOWN_SHEETS and any(any(row) for row in self.cells[name]):
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

    def read_settings(self, sheet: _Sheet) -> None:
        if not sheet.rows:
            return
        row_number, row = sheet.rows[0]
        self.settings_row = {column: sheet.get(row, column) for column in sheet.columns}
        self.settings_at = row_number
        for column, value in self.settings_row.items():
            if value and _base(column) not in _SETTINGS_COLUMNS:
                self.note("settings", row_number, f'column "{column}" not supported: ignored')
        for extra, _ in sheet.rows[1:]:
            self.note("settings", extra, "only the first row of settings is read: ignored")

    def read_languages(self, survey: _Sheet, choices: _Sheet, outcomes: _Sheet) -> None:
        translated: list[str] = []
        for column in survey.columns:
            base, _, spec = column.partition("::")
            if base != "label" or not spec:
                continue
            code, how = _language_of(spec)
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
        default_code = _language_of(default)[0] if default and default != "default" else None
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
            if not _LANGUAGE.fullmatch(code):
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
                    code, _ = _language_of(spec)
                    if code not in self.languages and not (base == "label" and sheet is survey):
                        self.note(
                            sheet.name,
                            sheet.header_row,
                            f'column "{column}": not a language of the survey labels: ignored',
                        )

    def text(self, sheet: _Sheet, row_number: int, row: list[str], base: str) -> Text | None:
        """The texts of ``base`` (label, hint) in every language; None when all are empty.

        ``base::Name (code)`` columns when the sheet has any, else a plain ``base`` column when the
        form has one language.
        """
        columns: dict[str, str] = {}
        if self.translated_columns(sheet, base):
            for column in sheet.columns:
                b, _, spec = column.partition("::")
                code = _language_of(spec)[0] if b == base and spec else None
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
                column = columns.get(code, f"{base}::{_language_column(code)}")
                self.error(sheet.name, row_number, f'no text in column "{column}"')
        return found

    def translated_columns(self, sheet: _Sheet, base: str) -> bool:
        return any(c.partition("::")[0] == base and "::" in c for c in sheet.columns)

    def check_plain_columns(self, sheets: Sequence[_Sheet]) -> None:
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

    def read_choices(self, sheet: _Sheet) -> None:
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
            value = raw if _CHOICE_VALUE.fullmatch(raw) else re.sub(r"[^A-Za-z0-9_-]+", "_", raw)
            value = value[:_MAX_KEY_LENGTH] or "_"
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
            self.ignore_columns(sheet, row_number, row, _CHOICES_COLUMNS)

    def ignore_columns(
        self, sheet: _Sheet, row_number: int, row: list[str], known: frozenset[str]
    ) -> None:
        for column in sheet.columns:
            if _base(column) not in known and sheet.get(row, column):
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

    def read_survey(self, sheet: _Sheet) -> list[tuple[str, Any]]:
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
                            self.refs[skipped] = _Ref(skipped, None, "inside a repeat")
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
                    self.refs[name] = _Ref(name, None, "a repeat")
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
                self.refs[name] = _Ref(name, None, "a group")
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
        sheet: _Sheet,
        row_number: int,
        row: list[str],
        kind: str,
        name: str,
        keys: dict[str, str],
    ) -> _Question | None:
        list_name: str | None = None
        select = _SELECT.fullmatch(kind)
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
        elif _FILE_SELECT.fullmatch(kind) or kind.split(" ", 1)[0] in _UNSUPPORTED_TYPES:
            base = kind.split(" ", 1)[0]
            if base == "calculate" and name in self.outcome_calculates:
                self.note(
                    "survey",
                    row_number,
                    f'calculate "{name}" is outcome "{self.outcome_calculates[name]}" '
                    "(outcomes sheet): survey computes it from the outcome's items",
                )
                self.refs[name] = _Ref(name, None, "the score of an outcome")
                return None
            self.skip(row_number, name, _UNSUPPORTED_TYPES[base], base)
            return None
        elif kind == "range":
            ranged = self.range_bounds(sheet, row_number, row)
            if ranged is None:
                return None
            ours, bounds = ranged
        elif kind in _SIMPLE_TYPES:
            ours = _SIMPLE_TYPES[kind]
            if ours == "text" and sheet.get(row, "panel_code").lower() in _YES:
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
        self.refs[name] = _Ref(
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
            self.refs[name] = _Ref(name, None, f"a {kind.split()[0]} question")

    def likert_scale(self, likert: str, choices: _Choices, row: int, key: str) -> str:
        spec = likert.strip()
        scale = choices.name if spec.lower() in _YES else spec
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

    def condition(self, sheet: _Sheet, row: int, source: str) -> Expr | None:
        try:
            return _xpath_condition(source, self.refs)
        except _XPathError as exc:
            self.error(
                sheet.name,
                row,
                f'relevant "{source}": {exc.message} (at position {exc.position}); '
                "a condition cannot be dropped without showing questions that do not apply",
            )
            return None

    # -- sections and items

    def build_sections(self, sheet: _Sheet, events: list[tuple[str, Any]]) -> None:
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
                    sheet, row_number, row, frozenset({"appearance"}) | _SURVEY_COLUMNS
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

    def item(self, sheet: _Sheet, q: _Question) -> dict[str, Any] | None:
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
        if required.lower() in _YES:
            if q.type == "note":
                self.note("survey", q.row, "required on a note has no meaning: ignored")
            elif q.type != "consent":
                item["required"] = True
        elif required.lower() not in _NO:
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
        if sheet.get(row, "equivalent").lower() in _YES:
            item["equivalent"] = True
        if sheet.get(row, "choice_filter"):
            self.note(
                "survey",
                q.row,
                "choice_filter not supported: every choice of the list is shown",
            )
        known = _SURVEY_COLUMNS | {"choice_filter"} | ({"parameters"} if q.bounds else set())
        self.ignore_columns(sheet, q.row, row, frozenset(known))
        return item

    def range_bounds(
        self, sheet: _Sheet, row_number: int, row: list[str]
    ) -> tuple[str, dict[str, int | float]] | None:
        """A range question as an integer or decimal item with the range's start and end."""
        parameters = dict(
            part.split("=", 1)
            for part in sheet.get(row, "parameters").replace(";", " ").split()
            if "=" in part
        )
        start, end, step = (
            _number(parameters.get(name, default))
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

    def constraint(self, sheet: _Sheet, q: _Question, item: dict[str, Any]) -> None:
        source = sheet.get(q.raw, "constraint")
        if not source:
            return
        kind = item["type"]
        dropped: list[str] = []
        try:
            tree = _parse_xpath(source)
        except _XPathError as exc:
            self.note(
                "survey",
                q.row,
                f'constraint "{source}" not translated ({exc.message}): dropped, answers are not '
                "checked against it",
            )
            return
        parts = tree.operands if isinstance(tree, _XLogic) and tree.op == "and" else (tree,)
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

    def bound(self, node: _XNode, kind: str, bounds: dict[str, Any]) -> bool:
        if not isinstance(node, _XBin) or node.op not in ("<", "<=", ">", ">="):
            return False
        left, op, right = node.left, node.op, node.right
        if not isinstance(left, _XDot | _XCall):
            left, right, op = right, left, _FLIPPED[op]
        literal = _ToCondition({}).literal(right)
        if literal is None:
            return False
        value, literal_kind = literal
        if isinstance(left, _XCall):
            if (
                left.name != "string-length"
                or len(left.args) != 1
                or not isinstance(left.args[0], _XDot)
                or kind not in ("text", "panel_code")
                or not isinstance(value, int)
                or op not in ("<", "<=")
            ):
                return False
            bounds["max_length"] = value - 1 if op == "<" else value
            return True
        if not isinstance(left, _XDot):
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

    def answer_key(self, sheet: _Sheet, q: _Question, item: dict[str, Any]) -> None:
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
        if reverse.lower() in _YES:
            item["reverse"] = True
        elif reverse.lower() not in _NO:
            self.error("survey", q.row, f'reverse "{reverse}" is not yes or no')

    # -- outcomes

    def read_outcome_names(self, sheet: _Sheet) -> None:
        for _, row in sheet.rows:
            calculate = sheet.get(row, "calculate")
            if calculate:
                self.outcome_calculates[calculate] = sheet.get(row, "name")

    def read_outcomes(self, sheet: _Sheet) -> dict[str, int]:
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
                share = _number(sheet.get(row, "min_answered"))
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
            self.ignore_columns(sheet, row_number, row, _OUTCOME_COLUMNS)
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
        key = key[:_MAX_KEY_LENGTH]
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
            list_key = _unique(_key(list_name), taken)
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
                code = _language_of(spec)[0]
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
            raise _Failed from None

    def locate(self, message: str, outcome_rows: dict[str, int]) -> str:
        """Turn a loader message about ``sections[1].items[2].correct`` into one naming a row."""
        path, sep, rest = message.partition(": ")
        if not sep:
            return message
        match = _SECTION_PATH.fullmatch(path)
        if match:
            s, i, tail = int(match.group(1)), match.group(2), match.group(3)
            if s < len(self.sections):
                draft = self.sections[s]
                if i is not None and int(i) < len(draft.item_rows):
                    where = f"survey sheet, row {draft.item_rows[int(i)]}"
                else:
                    where = f"survey sheet, row {draft.row}"
                return f"{where}: {tail + ': ' if tail else ''}{rest}"
        match = _NAMED_PATH.fullmatch(path)
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
    return key[:_MAX_KEY_LENGTH]


def _choice_dicts(choices: _Choices) -> list[dict[str, Any]]:
    return [
        {"value": value, "label": label}
        for value, label in zip(choices.values, choices.labels, strict=True)
    ]


def _xpath_text(node: _XNode) -> str:
    """XPath source for a parsed node, to quote part of a constraint in a report line."""
    match node:
        case _XRef(name=name):
            return f"${{{name}}}"
        case _XNum(value=value):
            return _xpath_number_text(value)
        case _XStr(value=value):
            return f"'{value}'" if "'" not in value else f'"{value}"'
        case _XDot():
            return "."
        case _XNeg(operand=operand):
            return f"-{_xpath_text(operand)}"
        case _XCall(name=name, args=args):
            return f"{name}({', '.join(_xpath_text(a) for a in args)})"
        case _XBin(op=op, left=left, right=right):
            return f"{_xpath_text(left)} {op} {_xpath_text(right)}"
        case _XLogic(op=op, operands=operands):
            return "(" + f" {op} ".join(_xpath_text(o) for o in operands) + ")"
    raise TypeError(node)


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
    except _Failed:
        raise InvalidDefinition(importer.errors, source=name) from None
    order = {"settings": 0, "survey": 1, "choices": 2, "outcomes": 3}
    report = sorted(
        importer.report,
        key=lambda line: (order.get(line.sheet, 4), line.row is None, line.row or 0),
    )
    return questionnaire, report


# --------------------------------------------------------------------------------------------------
# Our expression language → XPath


class _ToXPath:
    """Write a ``show_if`` tree as an XPath condition with the same meaning in ODK.

    Results are (text, level): 1 for ``or``, 2 for ``and``, 3 for anything that binds tighter, so
    that operands are parenthesised only where XPath needs it.
    """

    def __init__(self, q: Questionnaire, report: list[ReportLine], row: int) -> None:
        self.q = q
        self.report = report
        self.row = row

    def item(self, key: str) -> Item:
        return self.q.item(key)

    def kind(self, key: str) -> str:
        item = self.item(key)
        if item.type == "multi":
            return "list"
        if item.type in _NUMBER_TYPES:
            return "number"
        if item.type == "date":
            return "date"
        return "string"

    def answered(self, key: str) -> str:
        if self.item(key).type == "multi":
            return f"count-selected(${{{key}}}) > 0"
        return f"${{{key}}} != ''"

    def write(self, expr: Expr) -> tuple[str, int]:
        match expr:
            case Or(operands=operands):
                return " or ".join(self.write(o)[0] for o in operands), 1
            case And(operands=operands):
                parts = []
                for operand in operands:
                    text, level = self.write(operand)
                    parts.append(f"({text})" if level < 2 else text)
                return " and ".join(parts), 2
            case Not(operand=operand):
                return f"not({self.write(operand)[0]})", 3
            case Selected(key=key, value=value):
                return f"selected(${{{key}}}, {_xpath_string(value)})", 3
            case Answered(key=key):
                return self.answered(key), 3
            case Compare(op=op, left=left, right=right):
                return self.compare(op, left, right)
            case In(operand=operand, options=options, negated=negated):
                equal = Or(tuple(Compare("==", operand, Constant(o)) for o in options))
                if not options:
                    equal_text, level = "false()", 3
                else:
                    equal_text, level = self.write(equal)
                if not negated:
                    return equal_text, level
                if isinstance(operand, Name):
                    return f"{self.answered(operand.key)} and not({equal_text})", 2
                return f"not({equal_text})", 3
            case Name(key=key):
                kind = self.kind(key)
                if kind == "number" and self.item(key).type != "likert":  # likert is never 0
                    return f"${{{key}}} != '' and ${{{key}}} != 0", 2
                return self.answered(key), 3
            case Constant(value=value):
                return ("true()" if expressions.evaluate(expr, {}) else "false()"), 3
        raise InvalidDefinition(f"cannot write {format_expression(expr)} in XLSForm")

    def compare(self, op: str, left: Expr, right: Expr) -> tuple[str, int]:
        if isinstance(right, Name) and not isinstance(left, Name):
            left, right = right, left
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        if not isinstance(left, Name | Constant) or not isinstance(right, Name | Constant):
            raise InvalidDefinition(
                f"{format_expression(Compare(op, left, right))}: only an item or a value can be "  # type: ignore[arg-type]
                "compared in XLSForm"
            )
        if isinstance(left, Constant) and isinstance(right, Constant):
            value = expressions.evaluate(Compare(op, left, right), {})  # type: ignore[arg-type]
            return ("true()" if value else "false()"), 3
        assert isinstance(left, Name)
        if isinstance(right, Constant) and right.value is None:
            return "false()", 3  # every comparison with null is false
        ref = f"${{{left.key}}}"
        kind = self.kind(left.key)
        if isinstance(right, Name):
            other = f"${{{right.key}}}"
            if self.kind(right.key) != kind or kind == "list":
                return ("false()", 3) if op != "!=" else self.both_answered(left.key, right.key)
            if op == "==":
                return f"{ref} = {other} and {self.answered(left.key)}", 2
            if op == "!=":
                both = self.both_answered(left.key, right.key)[0]
                return f"{ref} != {other} and {both}", 2
            if kind == "string":
                raise self.unwritable(op, left, right, "texts cannot be ordered in XPath")
            return f"{ref} {op} {other}", 3
        value = right.value
        item = self.item(left.key)
        if item.type == "consent":
            return self.consent(op, left.key, value)
        value_kind = (
            "number" if _is_number(value) else "string" if isinstance(value, str) else "bool"
        )
        if kind == "date" and isinstance(value, str):
            if not _DATE.fullmatch(value) and op not in ("==", "!="):
                raise self.unwritable(op, left, right, "a date is ordered only against a date")
            literal = f"date({_xpath_string(value)})" if _DATE.fullmatch(value) else None
            value_kind = "date" if literal else "string"
        elif item.type == "likert" and op in ("==", "!="):
            # Its choices are named 1..points: any other value is never an answer.
            points = self.q.scale_for(item).points
            whole = value_kind == "number" and value == int(value)  # type: ignore[arg-type]
            literal = str(int(value)) if whole and 1 <= value <= points else None  # type: ignore[arg-type, operator]
        elif value_kind == "number":
            literal = _xpath_number_text(value)  # type: ignore[arg-type]
        elif value_kind == "string":
            literal = _xpath_string(value)  # type: ignore[arg-type]
        else:
            literal = None
        if value_kind != kind or literal is None:
            # Values of different kinds are never equal, and unordered.
            if op == "!=":
                return self.answered(left.key), 3
            return "false()", 3
        if op == "==":
            return f"{ref} = {literal}", 3
        if op == "!=":
            return f"{ref} != {literal} and {self.answered(left.key)}", 2
        if kind == "string":
            raise self.unwritable(op, left, right, "texts cannot be ordered in XPath")
        return f"{ref} {op} {literal}", 3

    def both_answered(self, a: str, b: str) -> tuple[str, int]:
        return f"{self.answered(a)} and {self.answered(b)}", 2

    def consent(self, op: str, key: str, value: object) -> tuple[str, int]:
        ref = f"${{{key}}}"
        if op not in ("==", "!="):
            raise InvalidDefinition(
                f"survey sheet, row {self.row}: {key} is a consent item, compared only with == "
                "or !="
            )
        if value not in ("yes", "no"):
            return ("false()", 3) if op != "!=" else (f"{ref} = 'OK'", 3)
        if (op, value) in (("==", "yes"), ("!=", "no")):
            return f"{ref} = 'OK'", 3
        self.report.append(
            ReportLine(
                sheet="survey",
                row=self.row,
                message=f'{key} == "no" becomes not({ref} = \'OK\'): an acknowledge has no "no", '
                "so this is true until the respondent acknowledges",
            )
        )
        return f"not({ref} = 'OK')", 3

    def unwritable(self, op: str, left: Expr, right: Expr, why: str) -> InvalidDefinition:
        return InvalidDefinition(
            f"survey sheet, row {self.row}: {format_expression(Compare(op, left, right))}: {why}"  # type: ignore[arg-type]
        )


def _xpath_string(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise InvalidDefinition(
        f"the value {value!r} has both kinds of quote, which XPath cannot write"
    )


def show_if_to_xpath(source: str, q: Questionnaire) -> str:
    """Translate a ``show_if`` expression of ``q`` into an XLSForm ``relevant``.

    Unanswered items compare as null in survey and as ``''`` in XPath; the translation keeps
    survey's meaning (``a != 'x'`` becomes ``${a} != 'x' and ${a} != ''``).

    Raises
    ------
    InvalidExpression
        When ``source`` is not a valid expression.
    InvalidDefinition
        When it has no XPath equivalent (ordering texts, say).
    """
    return _ToXPath(q, [], 0).write(expressions.parse(source))[0]


# --------------------------------------------------------------------------------------------------
# Export


def _score_term(q: Questionnaire, item: Item) -> str:
    """XPath giving an item's score, 0 to 1; unanswered counts as wrong."""
    ref = f"${{{item.key}}}"
    if item.type == "choice":
        return f"if({ref} = {_xpath_string(str(item.correct))}, 1, 0)"
    correct = set(item.correct or [])
    choices = [c.value for c in q.choices_for(item)]
    if item.scoring == "partial":
        terms = [
            f"if(selected({ref}, {_xpath_string(v)}), {1 if v in correct else 0}, "
            f"{0 if v in correct else 1})"
            for v in choices
        ]
        return f"if(count-selected({ref}) > 0, ({' + '.join(terms)}) div {len(choices)}, 0)"
    if item.scoring == "corrected":
        # max(0, R/C − W/(K − C)); XPath 1.0 has no max of two numbers, so the difference twice.
        def share(values: list[str]) -> str:
            hits = " + ".join(f"if(selected({ref}, {_xpath_string(v)}), 1, 0)" for v in values)
            return f"({hits}) div {len(values)}"

        right = [v for v in choices if v in correct]
        wrong = [v for v in choices if v not in correct]
        difference = share(right) + (f" - {share(wrong)}" if wrong else "")
        return f"if({difference} > 0, {difference}, 0)"
    tests = [
        f"selected({ref}, {_xpath_string(v)})" if v in correct
        else f"not(selected({ref}, {_xpath_string(v)}))"
        for v in choices
    ]  # fmt: skip
    return f"if({' and '.join(tests)}, 1, 0)"


def _score_calculation(q: Questionnaire, outcome: Outcome) -> str:
    items = [q.item(key) for key in outcome.items or []]
    terms = " + ".join(_score_term(q, item) for item in items)
    return f"({terms}) div {len(items)}"


class _Exporter:
    def __init__(self, q: Questionnaire, version: str | None) -> None:
        self.q = q
        self.version = version
        self.report: list[ReportLine] = []
        if q.analysis is not None:
            # XLSForm has no place for it (KoboToolbox and ODK never analyse): said, not carried.
            self.report.append(
                ReportLine(
                    sheet="settings",
                    row=None,
                    message="the analysis block (covariates, subgroups) is not carried over: "
                    "add it to the YAML again after an import",
                )
            )
        self.languages = q.languages
        self.columns = {code: _language_column(code) for code in q.languages}

    def label_columns(self, base: str) -> list[str]:
        return [f"{base}::{self.columns[code]}" for code in self.languages]

    def texts(self, text: Text | None) -> list[str]:
        return [(text or {}).get(code, "") for code in self.languages]

    def run(self) -> bytes:
        q = self.q
        names: set[str] = {item.key for item in q.items()}
        list_names = self.list_names(names)
        survey_header = [
            "type",
            "name",
            *self.label_columns("label"),
            *self.label_columns("hint"),
            "required",
            "relevant",
            "constraint",
            "appearance",
            "calculation",
            *EXTRA_COLUMNS,
        ]
        col = {name: i for i, name in enumerate(survey_header)}
        survey: list[list[str]] = [survey_header]

        def row(**cells: str) -> list[str]:
            out = [""] * len(survey_header)
            for name, value in cells.items():
                out[col[name]] = value
            return out

        def put(values: list[str], base: str, text: Text | None) -> None:
            for column, value in zip(self.label_columns(base), self.texts(text), strict=True):
                values[col[column]] = value

        taken = set(names)
        for section in q.sections:
            group = (
                section.key if section.key not in taken else _unique(f"{section.key}_group", taken)
            )
            taken.add(group)
            begin = row(type="begin_group", name=group, appearance="field-list")
            if group != section.key:
                begin[col["section"]] = section.key
            put(begin, "label", section.title)
            if section.show_if:
                begin[col["relevant"]] = self.relevant(section.show_if, len(survey) + 1)
            survey.append(begin)
            for item in section.items:
                values = row(name=item.key, type=self.item_type(item, list_names))
                put(values, "label", item.text)
                put(values, "hint", item.hint)
                if item.required or item.type == "consent":
                    values[col["required"]] = "yes"
                if item.show_if:
                    values[col["relevant"]] = self.relevant(item.show_if, len(survey) + 1)
                values[col["constraint"]] = self.constraint(item)
                if item.correct is not None:
                    values[col["correct"]] = (
                        item.correct if isinstance(item.correct, str) else " ".join(item.correct)
                    )
                if item.scoring is not None:
                    values[col["scoring"]] = item.scoring
                if item.type == "likert":
                    values[col["likert"]] = item.scale or ""
                if item.reverse:
                    values[col["reverse"]] = "yes"
                if item.equivalent:
                    values[col["equivalent"]] = "yes"
                if item.type == "panel_code":
                    values[col["panel_code"]] = "yes"
                    self.report.append(
                        ReportLine(
                            sheet="survey",
                            row=len(survey) + 1,
                            message=f'panel_code "{item.key}" is a text question in XLSForm: '
                            "KoboToolbox and ODK store the code as typed; only survey keeps it as "
                            "a keyed hash (HMAC)",
                        )
                    )
                survey.append(values)
            survey.append(row(type="end_group"))
        outcome_calculates: dict[str, str] = {}
        for name, outcome in q.outcomes.items():
            if outcome.kind != "score":
                continue
            calculate = _unique(f"score_{name}", taken)
            taken.add(calculate)
            outcome_calculates[name] = calculate
            values = row(
                type="calculate", name=calculate, calculation=_score_calculation(q, outcome)
            )
            put(values, "label", outcome.label)
            survey.append(values)
        sheets = {
            "survey": survey,
            "choices": self.choices(list_names),
            "settings": self.settings(list_names),
        }
        if q.outcomes:
            sheets["outcomes"] = self.outcomes(outcome_calculates)
        return _write_workbook(sheets)

    def list_names(self, names: set[str]) -> dict[tuple[str, str], str]:
        """XLSForm list name of every list: ("list", name), ("item", key), ("scale", name)."""
        found: dict[tuple[str, str], str] = {}
        taken: set[str] = set()
        for name in self.q.choice_lists:
            found[("list", name)] = name
            taken.add(name)
        for item in self.q.items():
            if isinstance(item.choices, list):
                found[("item", item.key)] = _unique(item.key, taken)
                taken.add(found[("item", item.key)])
        for name in self.q.likert_scales:
            found[("scale", name)] = _unique(name, taken)
            taken.add(found[("scale", name)])
        return found

    def item_type(self, item: Item, list_names: dict[tuple[str, str], str]) -> str:
        if item.type in ("choice", "multi"):
            select = "select_one" if item.type == "choice" else "select_multiple"
            name = (
                list_names[("list", item.choices)]
                if isinstance(item.choices, str)
                else list_names[("item", item.key)]
            )
            return f"{select} {name}"
        if item.type == "likert":
            return f"select_one {list_names[('scale', item.scale or '')]}"
        return {"consent": "acknowledge", "panel_code": "text"}.get(item.type, item.type)

    def relevant(self, show_if: str, row: int) -> str:
        return _ToXPath(self.q, self.report, row).write(expressions.parse(show_if))[0]

    def constraint(self, item: Item) -> str:
        parts = []
        if item.type in DEFAULT_MAX_LENGTH:
            limit = item.max_length or DEFAULT_MAX_LENGTH[item.type]
            parts.append(f"string-length(.) <= {limit}")
        for bound, op in (("min", ">="), ("max", "<=")):
            value = getattr(item, bound)
            if value is None:
                continue
            if item.type == "date":
                parts.append(f". {op} date({_xpath_string(str(value))})")
            else:
                parts.append(f". {op} {_xpath_number_text(value)}")
        return " and ".join(parts)

    def choices(self, list_names: dict[tuple[str, str], str]) -> list[list[str]]:
        rows = [["list_name", "name", *self.label_columns("label")]]
        for name, choices in self.q.choice_lists.items():
            for choice in choices:
                rows.append([list_names[("list", name)], choice.value, *self.texts(choice.label)])
        for item in self.q.items():
            if isinstance(item.choices, list):
                for choice in item.choices:
                    rows.append(
                        [list_names[("item", item.key)], choice.value, *self.texts(choice.label)]
                    )
        for name, scale in self.q.likert_scales.items():
            for i in range(scale.points):
                labels = [scale.labels[code][i] for code in self.languages]
                rows.append([list_names[("scale", name)], str(i + 1), *labels])
        return rows

    def settings(self, list_names: dict[tuple[str, str], str]) -> list[list[str]]:
        q = self.q
        header = ["form_id", "form_title", "default_language"]
        values = [q.key, q.title[q.default_language], self.columns[q.default_language]]
        if self.version is not None:
            header.append("version")
            values.append(self.version)
        if len(self.languages) > 1:
            header += [f"title_text::{self.columns[code]}" for code in self.languages]
            values += self.texts(q.title)
        if q.description:
            header += [f"description::{self.columns[code]}" for code in self.languages]
            values += self.texts(q.description)
        if q.choice_lists:
            # Tells import_xlsform which lists are shared, even one used by a single item.
            header.append("choice_lists")
            values.append(" ".join(list_names[("list", name)] for name in q.choice_lists))
        return [header, values]

    def outcomes(self, calculates: dict[str, str]) -> list[list[str]]:
        header = [
            "name",
            "kind",
            *self.label_columns("label"),
            "items",
            "reverse",
            "min_answered",
            "item",
            "value",
            "values",
            "calculate",
        ]
        rows = [header]
        for name, outcome in self.q.outcomes.items():
            value = outcome.value
            rows.append(
                [
                    name,
                    outcome.kind,
                    *self.texts(outcome.label),
                    " ".join(outcome.items or []),
                    " ".join(outcome.reverse or []),
                    repr(outcome.min_answered) if outcome.kind == "scale" else "",
                    outcome.item or "",
                    value if isinstance(value, str) else "",
                    " ".join(value) if isinstance(value, list) else "",
                    calculates.get(name, ""),
                ]
            )
        return rows


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def _write_workbook(sheets: Mapping[str, Sequence[Sequence[str]]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    # Every cell is written as text: a label starting with "=" must not become a formula, and a choice
    # named "1" must stay the text "1".
    workbook = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value != "":
                    sheet.write_string(r, c, value, bold if r == 0 else None)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def export_xlsform(
    q: Questionnaire, *, version: int | str | None = None
) -> tuple[bytes, list[ReportLine]]:
    """Write a questionnaire as an XLSForm workbook (``.xlsx``).

    Parameters
    ----------
    q
        The questionnaire, as the loader or the database returns it.
    version
        Written as the settings sheet's ``version`` (ODK tells form versions apart by it).

    Returns
    -------
    tuple of (bytes, list of ReportLine)
        The workbook, and one line for each thing ODK or KoboToolbox will treat differently from
        survey (a panel code stored as typed, ``consent == 'no'``).

    Raises
    ------
    InvalidDefinition
        When a ``show_if`` has no XPath equivalent (texts compared with ``<``), naming its row.

    Notes
    -----
    Sections become groups shown as one page (``field-list``); a group takes the section's key as
    name, unless an item has that key too (then ``KEY_group``, with the key in the ``section``
    column). Inline choices become a list named after the item, Likert scales a list of choices
    ``1``..``points`` named after the scale (the ``likert`` column names it). A ``consent`` item is
    an ``acknowledge``. Each ``score`` outcome is also a ``calculate`` field, ``score_NAME``, with
    the share of its items answered correctly (unanswered counts as wrong); the ``outcomes`` sheet
    carries every outcome for the way back.
    """
    exporter = _Exporter(q, None if version is None else str(version))
    return exporter.run(), exporter.report


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
