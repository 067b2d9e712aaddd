"""XPath as XLSForms write it in ``relevant`` and ``constraint``: read, and translated into our expressions."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from survey.errors import InvalidExpression
from survey.questionnaire import expressions
from survey.questionnaire.expressions import (
    And,
    Answered,
    Arithmetic,
    Call,
    Compare,
    Constant,
    Expr,
    In,
    Name,
    Negative,
    Not,
    Or,
    Selected,
)
from survey.questionnaire.xlsform.common import DATE

# --------------------------------------------------------------------------------------------------
# XPath: tokenizer and parser for the subset XLSForms use in relevant and constraint


class XPathError(Exception):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ref num str name op ( ) , . end
    text: str
    position: int


@dataclass(frozen=True, slots=True)
class XRef:
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class XNum:
    value: int | float
    position: int


@dataclass(frozen=True, slots=True)
class XStr:
    value: str
    position: int


@dataclass(frozen=True, slots=True)
class XDot:
    position: int


@dataclass(frozen=True, slots=True)
class XCall:
    name: str
    args: tuple[XNode, ...]
    position: int


@dataclass(frozen=True, slots=True)
class XBin:
    """A comparison (``= != < <= > >=``) or an arithmetic operation (``+ - * div mod``)."""

    op: str
    left: XNode
    right: XNode
    position: int


@dataclass(frozen=True, slots=True)
class XLogic:
    op: str  # "and" | "or"
    operands: tuple[XNode, ...]
    position: int


@dataclass(frozen=True, slots=True)
class XNeg:
    operand: XNode
    position: int


@dataclass(frozen=True, slots=True)
class XName:
    """A bare name, read only in a ``choice_filter``: a column of the choices sheet (``aimag``)."""

    name: str
    position: int


XNode = XRef | XNum | XStr | XDot | XCall | XBin | XLogic | XNeg | XName

# pyxform reads curly quotes typed by a word processor as straight ones; so do we.
_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

_XPATH_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
_RELATIVE_PATH = re.compile(
    r"(?:\.\./|\./|/)(?:(?:\.\.|[A-Za-z_][A-Za-z0-9_.-]*)/)*(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
    r"(?![A-Za-z0-9_(/\[])"
)
_XPATH_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
FLIPPED = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
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


def _xpath_tokens(source: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(source)
    while True:
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            tokens.append(Token("end", "", n))
            return tokens
        c = source[i]
        if source.startswith("${", i):
            end = source.find("}", i)
            if end < 0:
                raise XPathError('unclosed "${"', i)
            tokens.append(Token("ref", source[i + 2 : end].strip(), i))
            i = end + 1
        elif c in "'\"":
            end = source.find(c, i + 1)
            if end < 0:
                raise XPathError("unterminated string", i)
            tokens.append(Token("str", source[i + 1 : end], i))
            i = end + 1
        elif c.isdigit() or (c == "." and i + 1 < n and source[i + 1].isdigit()):
            match = _XPATH_NUMBER.match(source, i)
            assert match is not None
            tokens.append(Token("num", match.group(), i))
            i = match.end()
        elif source.startswith(("!=", "<=", ">="), i):
            tokens.append(Token("op", source[i : i + 2], i))
            i += 2
        elif c in "=<>+-*":
            tokens.append(Token("op", c, i))
            i += 1
        elif c in "(),":
            tokens.append(Token(c, c, i))
            i += 1
        elif (path := _RELATIVE_PATH.match(source, i)) is not None:
            # ../name, ./name and /data/group/name name a question by its place in the form;
            # XLSForm names are unique within a group, and the importer looks the last step up
            # from the referring row's group outwards, as ODK resolves it.
            tokens.append(Token("ref", path.group("name"), i))
            i = path.end()
        elif source.startswith("..", i) or c in "/@[]|":
            raise XPathError(
                f'XPath paths ("{c}") are not supported: refer to questions as ${{name}}', i
            )
        elif c == ".":
            tokens.append(Token(".", ".", i))
            i += 1
        elif c.isalpha() or c == "_":
            match = _XPATH_NAME.match(source, i)
            assert match is not None
            tokens.append(Token("name", match.group(), i))
            i = match.end()
        else:
            raise XPathError(f'unexpected character "{c}"', i)


class _XPathParser:
    """Recursive descent over XPath 1.0's precedence: or, and, equality, relational, +, *, unary."""

    def __init__(self, source: str, *, bare_names: bool = False) -> None:
        self.bare_names = bare_names
        if len(source) > _MAX_XPATH_LENGTH:
            raise XPathError(f"longer than {_MAX_XPATH_LENGTH} characters", 0)
        self.tokens = _xpath_tokens(source)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        if token.kind != "end":
            self.i += 1
        return token

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token.kind == "name" and token.text in words

    def parse(self) -> XNode:
        if self.peek().kind == "end":
            raise XPathError("the expression is empty", 0)
        node = self.or_()
        token = self.peek()
        if token.kind != "end":
            raise XPathError(f'unexpected "{token.text}"', token.position)
        return node

    def or_(self) -> XNode:
        first = self.peek().position
        operands = [self.and_()]
        while self.at_word("or"):
            self.take()
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else XLogic("or", tuple(operands), first)

    def and_(self) -> XNode:
        first = self.peek().position
        operands = [self.equality()]
        while self.at_word("and"):
            self.take()
            operands.append(self.equality())
        return operands[0] if len(operands) == 1 else XLogic("and", tuple(operands), first)

    def binary(self, operators: tuple[str, ...], words: tuple[str, ...], operand: Any) -> XNode:
        node = operand()
        while True:
            token = self.peek()
            if (token.kind == "op" and token.text in operators) or (
                token.kind == "name" and token.text in words
            ):
                self.take()
                node = XBin(token.text, node, operand(), token.position)
            else:
                return node

    def equality(self) -> XNode:
        return self.binary(("=", "!="), (), self.relational)

    def relational(self) -> XNode:
        return self.binary(("<", "<=", ">", ">="), (), self.additive)

    def additive(self) -> XNode:
        return self.binary(("+", "-"), (), self.multiplicative)

    def multiplicative(self) -> XNode:
        return self.binary(("*",), ("div", "mod"), self.unary)

    def unary(self) -> XNode:
        token = self.peek()
        if token.kind == "op" and token.text == "-":
            self.take()
            return XNeg(self.unary(), token.position)
        return self.primary()

    def primary(self) -> XNode:
        token = self.take()
        if token.kind == "ref":
            return XRef(token.text, token.position)
        if token.kind == "num":
            text = token.text
            value: int | float = int(text) if text.isdigit() else float(text)
            return XNum(value, token.position)
        if token.kind == "str":
            return XStr(token.text, token.position)
        if token.kind == ".":
            return XDot(token.position)
        if token.kind == "(":
            self.enter(token)
            node = self.or_()
            self.expect(")", token)
            self.depth -= 1
            return node
        if token.kind == "name":
            if self.peek().kind != "(" and self.bare_names:
                return XName(token.text, token.position)
            if self.peek().kind != "(":
                raise XPathError(
                    f'"{token.text}" is not a value: refer to a question as ${{{token.text}}}',
                    token.position,
                )
            opener = self.take()
            self.enter(opener)
            args: list[XNode] = []
            if self.peek().kind != ")":
                args.append(self.or_())
                while self.peek().kind == ",":
                    self.take()
                    args.append(self.or_())
            self.expect(")", opener)
            self.depth -= 1
            return XCall(token.text, tuple(args), token.position)
        if token.kind == "end":
            raise XPathError("the expression ends too early", token.position)
        raise XPathError(f'unexpected "{token.text}"', token.position)

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > _MAX_XPATH_DEPTH:
            raise XPathError("nested too deeply", token.position)

    def expect(self, kind: str, opener: Token) -> None:
        token = self.take()
        if token.kind != kind:
            if token.kind == "end":
                raise XPathError('unclosed "("', opener.position)
            raise XPathError(f'expected "{kind}" but found "{token.text}"', token.position)


def parse_xpath(source: str, *, bare_names: bool = False) -> XNode:
    """Parse XPath as XLSForms write it; ``bare_names`` reads ``aimag`` as a choices-sheet column."""
    return _XPathParser(straight_quotes(source), bare_names=bare_names).parse()


def straight_quotes(source: str) -> str:
    """``source`` with curly quotes made straight, as pyxform reads them."""
    return source.translate(_SMART_QUOTES)


# --------------------------------------------------------------------------------------------------
# XPath → our expression language


@dataclass
class Ref:
    """What an expression may know of a question named in ``${...}``."""

    key: str
    type: str | None  # our item type; None for a question that was not imported
    skipped: str = ""  # why it was not imported
    values: dict[str, str] = field(default_factory=dict)  # XLSForm choice name → our value
    positions: dict[str, int] = field(default_factory=dict)  # likert: choice name → 1..points


NUMBER_TYPES = frozenset({"integer", "decimal", "likert"})


def number_of(text: str) -> int | float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    integral = value == int(value) and not any(c in text for c in ".eE")
    return int(value) if integral else value


def xpath_number_text(value: int | float) -> str:
    """A number as XPath and our language both read it: never in exponent notation."""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)), "f")


class ToCondition:
    """Translate a parsed ``relevant`` into our syntax tree, or explain why it cannot be."""

    def __init__(self, refs: Mapping[str, Ref]) -> None:
        self.refs = refs
        self.notes: list[str] = []
        """What the translation read differently from the form, for the import report."""

    def ref(self, node: XRef) -> Ref:
        ref = self.refs.get(node.name)
        if ref is None:
            raise XPathError(f"no question is named ${{{node.name}}}", node.position)
        if ref.type is None:
            raise XPathError(
                f"${{{node.name}}} is {ref.skipped}, which is not imported", node.position
            )
        return ref

    def condition(self, node: XNode) -> Expr:
        match node:
            case XLogic(op=op, operands=operands):
                parts = [self.condition(o) for o in operands]
                flat: list[Expr] = []
                kind = And if op == "and" else Or
                for part in parts:
                    flat.extend(part.operands if isinstance(part, kind) else (part,))
                return kind(tuple(flat))
            case XCall(name=name, args=args, position=position):
                return self.call(name, args, position)
            case XBin(op=op, left=left, right=right, position=position) if op in COMPARISONS:
                return self.compare(op, left, right, position)
            case XBin(op=op, position=position):
                raise XPathError(f'arithmetic ("{op}") is not supported', position)
            case XRef(name=name, position=position):
                raise XPathError(
                    f"${{{name}}} alone is not a condition: compare it, e.g. ${{{name}}} = 'yes'",
                    position,
                )
            case _:
                raise XPathError("this is a value, not a condition", _position(node))

    def call(self, name: str, args: tuple[XNode, ...], position: int) -> Expr:
        if name in ("true", "false"):
            if args:
                raise XPathError(f"{name}() takes no argument", position)
            return Constant(name == "true")
        if name == "not":
            if len(args) != 1:
                raise XPathError("not() takes one condition", position)
            return Not(self.condition(args[0]))
        if name == "selected":
            if len(args) != 2 or not isinstance(args[0], XRef):
                raise XPathError("selected() takes a question and a choice name", position)
            ref = self.ref(args[0])
            wanted = args[1]
            if isinstance(wanted, XNum):
                wanted = XStr(xpath_number_text(wanted.value), wanted.position)
            if not isinstance(wanted, XStr):
                raise XPathError(
                    "selected() must name the choice as a quoted value", _position(wanted)
                )
            if ref.type == "likert":
                position_value = ref.positions.get(wanted.value)
                if position_value is None:
                    raise XPathError(
                        f'"{wanted.value}" is not a choice of ${{{args[0].name}}}', wanted.position
                    )
                return Compare("==", Name(ref.key), Constant(position_value))
            if ref.type == "empty":
                self.notes.append(f"${{{args[0].name}}} is {ref.skipped}: read as empty")
                return Constant(False)
            if ref.type not in ("choice", "multi"):
                raise XPathError(
                    f"selected() needs a select question; ${{{args[0].name}}} is not one",
                    position,
                )
            if ref.values and wanted.value not in ref.values:
                self.notes.append(
                    f'${{{args[0].name}}} has no choice "{wanted.value}": selected() is false'
                )
                return Constant(False)
            return Selected(ref.key, ref.values.get(wanted.value, wanted.value))
        if name in ("count-selected", "string-length"):
            raise XPathError(
                f"{name}() is translated only as {name}(${{q}}) > 0 or {name}(${{q}}) = 0",
                position,
            )
        raise XPathError(f"the function {name}() is not supported", position)

    def compare(self, op: str, left: XNode, right: XNode, position: int) -> Expr:
        if self.literal(left) is not None and self.literal(right) is None:
            left, right, op = right, left, FLIPPED[op]
        if isinstance(left, XCall) and left.name in ("count-selected", "string-length"):
            return self.emptiness(op, left, right, position)
        literal_right = self.literal(right)
        if isinstance(left, XRef) and isinstance(right, XRef):
            return self.compare_refs(op, left, right, position)
        if isinstance(left, XRef) and literal_right is not None:
            return self.compare_value(op, left, right, literal_right, position)
        literal_left = self.literal(left)
        if literal_left is not None and literal_right is not None:
            (a, a_kind), (b, b_kind) = literal_left, literal_right
            if (a_kind == "num") != (b_kind == "num"):
                raise XPathError("compares a number with a text", position)
            return Compare(_OURS[op], Constant(a), Constant(b))
        for side in (left, right):
            if isinstance(side, XBin | XNeg):
                op = side.op if isinstance(side, XBin) else "-"
                raise XPathError(f'arithmetic ("{op}") is not supported', side.position)
        if isinstance(left, XCall) or isinstance(right, XCall):
            call = left if isinstance(left, XCall) else right
            assert isinstance(call, XCall)
            raise XPathError(f"the function {call.name}() is not supported", call.position)
        raise XPathError("this comparison is not supported", position)

    def literal(self, node: XNode) -> tuple[str | int | float, str] | None:
        """A literal's value and kind ("str", "num" or "date"), or None for anything else."""
        if isinstance(node, XStr):
            return node.value, "str"
        if isinstance(node, XNum):
            return node.value, "num"
        if isinstance(node, XNeg) and isinstance(node.operand, XNum):
            return -node.operand.value, "num"
        if (
            isinstance(node, XCall)
            and node.name == "date"
            and len(node.args) == 1
            and isinstance(node.args[0], XStr)
            and DATE.fullmatch(node.args[0].value)
        ):
            return node.args[0].value, "date"
        return None

    def emptiness(self, op: str, call: XCall, right: XNode, position: int) -> Expr:
        """``count-selected(${q}) > 0``, ``string-length(${q}) = 0`` and the like."""
        if len(call.args) != 1 or not isinstance(call.args[0], XRef):
            raise XPathError(f"{call.name}() is translated only on a question", position)
        ref = self.ref(call.args[0])
        if ref.type == "empty":
            self.notes.append(f"${{{call.args[0].name}}} is {ref.skipped}: read as empty")
            return Constant(
                (op, right.value if isinstance(right, XNum) else None)
                in {("=", 0), ("<", 1), ("<=", 0)}
            )
        if not isinstance(right, XNum) or not isinstance(right.value, int):
            raise XPathError(f"{call.name}() is compared only with 0 or 1 here", position)
        n = right.value
        answered = {(">", 0), (">=", 1), ("!=", 0)}
        unanswered = {("=", 0), ("<", 1), ("<=", 0)}
        if (op, n) in answered:
            return Answered(ref.key)
        if (op, n) in unanswered:
            return Not(Answered(ref.key))
        raise XPathError(
            f"{call.name}() {op} {n} has no equivalent (only whether the question is answered)",
            position,
        )

    def compare_value(
        self,
        op: str,
        left: XRef,
        right: XNode,
        literal: tuple[str | int | float, str],
        position: int,
    ) -> Expr:
        ref = self.ref(left)
        value, kind = literal
        name = f"${{{left.name}}}"
        if ref.type == "empty":
            # A value survey never records (a username, a device id) is '' as on a device that
            # has none: the comparison's XPath result with '' is kept.
            self.notes.append(f"{name} is {ref.skipped}: read as empty")
            if op in ("=", "!="):
                return Constant((str(value) == "" and kind == "str") == (op == "="))
            return Constant(False)
        if kind == "str" and value == "":
            if op == "=":
                return Not(Answered(ref.key))
            if op == "!=":
                return Answered(ref.key)
            raise XPathError(f"{name} {op} '' has no meaning", position)
        ours: Constant
        if ref.type == "multi":
            raise XPathError(
                f"{name} is a select_multiple: test a choice with selected({name}, 'value')",
                position,
            )
        if ref.type == "consent":
            if value != "OK" or op not in ("=", "!="):
                raise XPathError(
                    f"{name} is an acknowledge: only {name} = 'OK' is translated", position
                )
            ours = Constant("yes")
        elif ref.type == "likert":
            if op in ("=", "!="):
                text = xpath_number_text(value) if is_number(value) else str(value)
                place = ref.positions.get(text)
                if place is None:
                    raise XPathError(f'"{text}" is not a choice of {name}', _position(right))
                ours = Constant(place)
            else:
                # XPath orders the choice names as numbers, we order the positions 1..points: the
                # same thing only when the names are 1, 2, 3...
                if any(str(p) != v for v, p in ref.positions.items()):
                    raise XPathError(
                        f"{name} is ordered by its choice names, which are not 1, 2, 3...",
                        position,
                    )
                number = value if is_number(value) else number_of(str(value))
                if number is None:
                    raise XPathError(f"{name} is ordered, compared here with a text", position)
                ours = Constant(number)
        elif ref.type in ("integer", "decimal"):
            number = value if isinstance(value, int | float) else number_of(str(value))
            if number is None or kind == "date":
                raise XPathError(f"{name} is a number, compared here with a text", position)
            ours = Constant(number)
        elif ref.type == "date":
            if kind != "date":
                raise XPathError(f"compare the date {name} with date('YYYY-MM-DD')", position)
            ours = Constant(value)
        elif ref.type == "calculate":
            # A calculated value is a number or a text, as its expression makes it.
            ours = Constant(value if kind == "num" else str(value))
            if op not in ("=", "!=") and kind != "num":
                raise XPathError(f"{name} is ordered here against a text", position)
        elif ref.type in ("choice", "text"):
            if op not in ("=", "!="):
                raise XPathError(
                    f"{name} is compared as a number in XPath but as a text in survey", position
                )
            text = xpath_number_text(value) if isinstance(value, int | float) else str(value)
            if ref.type == "choice" and ref.values and text not in ref.values:
                # No answer can equal it (a typo in the form): XPath's result is kept.
                self.notes.append(
                    f"{name} has no choice \"{text}\": {name} {op} '{text}' is {op == '!='}"
                )
                return Constant(op == "!=")
            ours = Constant(ref.values.get(text, text) if ref.type == "choice" else text)
        else:
            raise XPathError(f"{name} is a {ref.type}, which has no answer to compare", position)
        if op == "!=":
            # XPath: true when unanswered ('' != 'a'); ours: false on null. not (==) keeps XPath's.
            return Not(Compare("==", Name(ref.key), ours))
        return Compare("==" if op == "=" else op, Name(ref.key), ours)  # type: ignore[arg-type]

    @staticmethod
    def numeric(ref: Ref) -> bool:
        """True for a number question, or a likert one whose choices are named 1..points."""
        if ref.type == "likert":
            return all(str(p) == v for v, p in ref.positions.items())
        return ref.type in ("integer", "decimal", "calculate")

    def compare_refs(self, op: str, left: XRef, right: XRef, position: int) -> Expr:
        a, b = self.ref(left), self.ref(right)
        if "empty" in (a.type, b.type):
            raise XPathError("compares with a value survey never records", position)
        numeric = self.numeric(a) and self.numeric(b)
        dates = a.type == b.type == "date"
        textual = a.type in ("text", "choice") and b.type in ("text", "choice")
        if "calculate" in (a.type, b.type):
            # A calculated value compares as whatever it is; the other side is read as it is.
            numeric = textual = dates = True
        if op in ("=", "!="):
            if not (numeric or dates or textual):
                raise XPathError("these two questions cannot be compared", position)
            # XPath: two unanswered questions are equal ('' = ''); ours: null equals nothing.
            equal = Or(
                (
                    Compare("==", Name(a.key), Name(b.key)),
                    And((Not(Answered(a.key)), Not(Answered(b.key)))),
                )
            )
            return Not(equal) if op == "!=" else equal
        if not (numeric or dates):
            raise XPathError("only numbers and dates can be ordered", position)
        return Compare(op, Name(a.key), Name(b.key))  # type: ignore[arg-type]


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _position(node: XNode) -> int:
    return node.position


def xpath_condition(source: str, refs: Mapping[str, Ref]) -> Expr | None:
    """Our syntax tree for an XPath condition; None when it is always true. Raises XPathError."""
    tree = ToCondition(refs).condition(parse_xpath(source))
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
        name: Ref(
            key=name,
            type=kind,
            positions={str(i): i for i in range(1, 12)} if kind == "likert" else {},
        )
        for name, kind in types.items()
    }
    try:
        tree = xpath_condition(source, refs)
    except XPathError as exc:
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
        return xpath_number_text(value)
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
        case Arithmetic(op=op, left=left, right=right):
            own = _precedence(expr)
            a = format_expression(left)
            b = format_expression(right)
            a = a if _precedence(left) >= own else f"({a})"
            b = b if _precedence(right) > own else f"({b})"
            return f"{a} {op} {b}"
        case Negative(operand=operand):
            inner = format_expression(operand)
            return f"-{inner}" if _precedence(operand) >= 6 else f"-({inner})"
        case Call(function=function, arguments=arguments):
            return f"{function}({', '.join(format_expression(a) for a in arguments)})"
    raise TypeError(f"not an expression node: {expr!r}")


def _precedence(expr: Expr) -> int:
    """How tightly a value binds: 4 for + and -, 5 for * and /, 6 for a negation, 7 for atoms."""
    if isinstance(expr, Arithmetic):
        return 4 if expr.op in "+-" else 5
    if isinstance(expr, Negative):
        return 6
    if isinstance(expr, Name | Constant | Selected | Answered | Call):
        return 7
    return 0


def _operand_text(expr: Expr) -> str:
    """An operand of a comparison: a sum needs no parentheses there, a condition does."""
    if _precedence(expr) >= 4:
        return format_expression(expr)
    return f"({format_expression(expr)})"
