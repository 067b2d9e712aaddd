"""The ``show_if`` expression language: tokenizer, parser and evaluator.

Expressions come from questionnaire files written by researchers, so they are parsed by this
module's own recursive-descent parser and never handed to ``eval`` or to Python's ``ast`` module.
Parsing yields an immutable tree of :class:`Expr` nodes; :func:`evaluate` walks the tree against a
respondent's answers.

Grammar, from the lowest precedence to the highest::

    expression := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum
                      | "in" list | "not" "in" list ]   # at most one: a < b < c is an error
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := literal | NAME | call | "(" expression ")"
    call       := "selected" "(" NAME "," STRING ")" | "answered" "(" NAME ")"
                | "count_selected" "(" NAME ")"
                | "if" "(" expression "," expression "," expression ")"
                | "coalesce" "(" expression ("," expression)+ ")"
                | "concat" "(" expression ("," expression)* ")"
    list       := "[" [literal ("," literal)*] "]"
    literal    := NUMBER | STRING | "true" | "false" | "null"

``NAME`` is an item key (``[a-z][a-z0-9_]*``, case-sensitive, not a keyword); ``NUMBER`` is an
integer or a decimal with an optional leading ``-``; ``STRING`` is single- or double-quoted, where a
backslash escapes the quote characters and itself.

Evaluation never raises: an unanswered item is null, and every comparison involving null is false
(``!=`` too); comparing values of different kinds (a number with a string, say) gives ``==`` false,
``!=`` true and every ordering false.

Arithmetic and the value functions serve calculated values (``calculations`` of a questionnaire, read
with :func:`calculate`): ``+ - * /`` take numbers (a string made only of a number, such as a choice
value ``"3"``, counts as that number) and give null when an operand is null or not a number, or on a
division by zero; ``if(c, a, b)`` is ``a`` when ``c`` is true, else ``b``; ``coalesce(a, b, ...)`` the
first answered operand; ``concat(...)`` the operands written as text, null as nothing;
``count_selected(q)`` how many choices a multi answer holds (0 when unanswered).

One module, though long: tokenizer, parser, evaluator and the checks the loader runs on a tree all
walk the same node classes; kept together, a new operator is added in one file, with its test in
tests/unit/test_expressions.py.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, Final, Literal, cast

from survey.errors import InvalidExpression

__all__ = [
    "FUNCTIONS",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "And",
    "Answered",
    "Arithmetic",
    "Call",
    "Compare",
    "CompareOp",
    "Constant",
    "ConstantValue",
    "Expr",
    "In",
    "Name",
    "Negative",
    "Not",
    "Or",
    "Selected",
    "calculate",
    "compile_expression",
    "evaluate",
    "names",
    "parse",
]

#: Longest accepted source, in characters; definitions may be hostile, and this bounds the work of a
#: parse.
MAX_LENGTH: Final = 2000
#: Deepest accepted nesting of parentheses and ``not``; keeps the recursive parser and evaluator far
#: from Python's recursion limit.
MAX_DEPTH: Final = 50
#: Reserved words; none of them can be an item key.
KEYWORDS: Final = frozenset({"and", "or", "not", "in", "true", "false", "null"})
#: The functions an expression may call.
FUNCTIONS: Final = frozenset({"selected", "answered", "count_selected", "if", "coalesce", "concat"})
#: The largest number arithmetic keeps exact; beyond it a result is a float, so that a hostile chain
#: of products cannot build an integer of thousands of digits.
_EXACT_LIMIT: Final = 2**53

CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
ConstantValue = str | int | float | bool | None


# --------------------------------------------------------------------------------------------------
# Syntax tree


class Expr:
    """Base class of the immutable syntax-tree nodes returned by :func:`parse`."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Constant(Expr):
    """A literal: number, string, ``true``, ``false`` or ``null`` (``None``)."""

    value: ConstantValue


@dataclass(frozen=True, slots=True)
class Name(Expr):
    """A reference to the answer of item ``key``.

    ``position`` is the offset of the key in the source (``-1`` when built by hand); it lets a
    validator point at a reference to an item that is not asked before, and it takes no part in
    equality.
    """

    key: str
    position: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """Boolean negation of ``operand``'s truth value."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class And(Expr):
    """True when every operand is true; evaluated left to right, stopping at the first false one."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or(Expr):
    """True when any operand is true; evaluated left to right, stopping at the first true one."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """``left op right``; false whenever either side is null."""

    op: CompareOp
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class In(Expr):
    """``operand in [options]`` (``not in`` when ``negated``); false when the operand is null."""

    operand: Expr
    options: tuple[ConstantValue, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Selected(Expr):
    """``selected(key, 'value')``: the answer is a list holding ``value``, or equals it."""

    key: str
    value: str
    position: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Answered(Expr):
    """``answered(key)``: the answer is present, not null, not ``''``, not an empty list."""

    key: str
    position: int = field(default=-1, compare=False)


@dataclass(frozen=True, slots=True)
class Arithmetic(Expr):
    """``left op right`` for ``+ - * /``; null when either side is not a number."""

    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Negative(Expr):
    """``-operand``."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """``if``, ``coalesce``, ``concat`` or ``count_selected`` with its arguments.

    ``count_selected`` has one argument, a :class:`Name`.
    """

    function: Literal["if", "coalesce", "concat", "count_selected"]
    arguments: tuple[Expr, ...]
    position: int = field(default=-1, compare=False)


# --------------------------------------------------------------------------------------------------
# Tokenizer

_EOF: Final = "end"
_NAME: Final = "name"
_KEYWORD: Final = "keyword"
_NUMBER: Final = "number"
_STRING: Final = "string"
_OP: Final = "op"
_ARITHMETIC: Final = "arithmetic"
_PUNCT: Final = "punct"

_LOWER: Final = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS: Final = frozenset("0123456789")
_NAME_CHARS: Final = _LOWER | _DIGITS | {"_"}
# Upper-case letters are read as part of a word so that "Age" is reported as one bad name, not as
# "A" + "ge".
_WORD_CHARS: Final = _NAME_CHARS | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WHITESPACE: Final = frozenset(" \t\r\n")
_PUNCTUATION: Final = frozenset("()[],")
_ESCAPABLE: Final = frozenset("'\"\\")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    position: int
    value: ConstantValue = None


def _shorten(text: str) -> str:
    """Cut long source text quoted in a message, so that the message stays one readable line."""
    return text if len(text) <= 24 else text[:20] + "..."


def _describe(token: _Token) -> str:
    """Name a token in an error message."""
    if token.kind == _EOF:
        return "the end of the expression"
    if token.kind == _STRING:
        return _shorten(token.text)  # its text carries its own quotes
    return f'"{_shorten(token.text)}"'


def _tokenize(source: str) -> Iterator[_Token]:
    """Yield the tokens of ``source`` lazily, so that the leftmost error is the one reported."""
    n = len(source)
    i = 0
    while True:
        while i < n and source[i] in _WHITESPACE:
            i += 1
        if i >= n:
            yield _Token(_EOF, "", n)
            return
        start = i
        c = source[i]
        if c in _WORD_CHARS and c not in _DIGITS:
            while i < n and source[i] in _WORD_CHARS:
                i += 1
            word = source[start:i]
            if word in KEYWORDS:
                yield _Token(_KEYWORD, word, start)
            elif word[0] in _LOWER and all(ch in _NAME_CHARS for ch in word):
                yield _Token(_NAME, word, start)
            elif word.lower() in KEYWORDS:
                raise InvalidExpression(
                    f'unknown word "{word}" (did you mean "{word.lower()}"?)', start
                )
            else:
                raise InvalidExpression(
                    f'invalid item key "{_shorten(word)}": keys are lower-case letters, '
                    'digits and "_", starting with a letter',
                    start,
                )
        elif c in _DIGITS or (c == "-" and i + 1 < n and source[i + 1] in _DIGITS):
            i += 1
            while i < n and source[i] in _DIGITS:
                i += 1
            is_decimal = False
            if i < n and source[i] == ".":
                if i + 1 < n and source[i + 1] in _DIGITS:
                    is_decimal = True
                    i += 1
                    while i < n and source[i] in _DIGITS:
                        i += 1
                else:
                    raise InvalidExpression(
                        f'incomplete number "{_shorten(source[start : i + 1])}": '
                        'expected a digit after "."',
                        start,
                    )
            # "18abc" or "1.2.3" is one mistyped token, better reported whole than as two valid-
            # looking ones.
            if i < n and (source[i] in _WORD_CHARS or source[i] == "."):
                end = i
                while end < n and (source[end] in _WORD_CHARS or source[end] == "."):
                    end += 1
                raise InvalidExpression(f'invalid number "{_shorten(source[start:end])}"', start)
            text = source[start:i]
            value: int | float = float(text) if is_decimal else int(text)
            yield _Token(_NUMBER, text, start, value)
        elif c in "+-*/":
            i += 1
            yield _Token(_ARITHMETIC, c, start)
        elif c in "'\"":
            token = _string(source, start)
            i = start + len(token.text)
            yield token
        elif source.startswith(("==", "!=", "<=", ">="), i):
            i += 2
            yield _Token(_OP, source[start:i], start)
        elif c in "<>":
            i += 1
            yield _Token(_OP, c, start)
        elif c == "=":
            raise InvalidExpression('unexpected "=" (to compare, write "==")', start)
        elif c == "!":
            raise InvalidExpression('unexpected "!" (write "!=" or "not")', start)
        elif c in _PUNCTUATION:
            i += 1
            yield _Token(_PUNCT, c, start)
        elif c in "&|":
            word = "and" if c == "&" else "or"
            raise InvalidExpression(f'unexpected "{c}" (write "{word}")', start)
        else:
            raise InvalidExpression(f'unexpected character "{c}"', start)


def _string(source: str, start: int) -> _Token:
    """Read the quoted string starting at ``start``."""
    quote = source[start]
    n = len(source)
    i = start + 1
    chars: list[str] = []
    while True:
        if i >= n:
            raise InvalidExpression("unterminated string", start)
        ch = source[i]
        if ch == "\\":
            if i + 1 >= n:
                raise InvalidExpression("unterminated string", start)
            escaped = source[i + 1]
            if escaped not in _ESCAPABLE:
                raise InvalidExpression(
                    f'unknown escape "\\{escaped}" in a string '
                    "(only \\\\, \\' and \\\" are allowed)",
                    i,
                )
            chars.append(escaped)
            i += 2
        elif ch == quote:
            return _Token(_STRING, source[start : i + 1], start, "".join(chars))
        else:
            chars.append(ch)
            i += 1


# --------------------------------------------------------------------------------------------------
# Parser


class _Parser:
    """Recursive-descent parser over a lazily read token stream, looking up to two tokens ahead."""

    def __init__(self, source: str) -> None:
        self._tokens = _tokenize(source)
        self._ahead: list[_Token] = []
        self._previous: _Token | None = None
        self._depth = 0

    # -- token stream

    def _peek(self, distance: int = 0) -> _Token:
        while len(self._ahead) <= distance:
            if self._ahead and self._ahead[-1].kind == _EOF:
                return self._ahead[-1]
            self._ahead.append(next(self._tokens))
        return self._ahead[distance]

    def _advance(self) -> _Token:
        token = self._peek()
        if token.kind != _EOF:
            self._ahead.pop(0)
        self._previous = token
        return token

    def _at(self, kind: str, text: str, distance: int = 0) -> bool:
        token = self._peek(distance)
        return token.kind == kind and token.text == text

    def _at_not_in(self) -> bool:
        return self._at(_KEYWORD, "not") and self._at(_KEYWORD, "in", 1)

    # -- errors

    def _expected(self, what: str) -> InvalidExpression:
        """Error for a missing ``what``: at the next token, or at the previous one at the end."""
        token = self._peek()
        previous = self._previous
        if previous is None:
            return InvalidExpression(f"unexpected {_describe(token)}", token.position)
        after = f"after {_describe(previous)}"
        if token.kind == _EOF:
            return InvalidExpression(f"expected {what} {after}", previous.position)
        return InvalidExpression(
            f"expected {what} {after} but found {_describe(token)}", token.position
        )

    def _close(self, opener: _Token, closer: str, what: str) -> None:
        """Consume ``closer``, matching ``opener``; ``what`` names what could have come instead."""
        if self._at(_PUNCT, closer):
            self._advance()
            return
        if self._peek().kind == _EOF:
            raise InvalidExpression(f'unclosed "{opener.text}"', opener.position)
        raise self._expected(what)

    def _enter(self, token: _Token) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise InvalidExpression(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                token.position,
            )

    # -- grammar

    def parse(self) -> Expr:
        if self._peek().kind == _EOF:
            raise InvalidExpression("the expression is empty", 0)
        expr = self._or()
        token = self._peek()
        if token.kind != _EOF:
            raise InvalidExpression(f"unexpected {_describe(token)}", token.position)
        return expr

    def _or(self) -> Expr:
        operands = [self._and()]
        while self._at(_KEYWORD, "or"):
            self._advance()
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Expr:
        operands = [self._not()]
        while self._at(_KEYWORD, "and"):
            self._advance()
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _not(self) -> Expr:
        if self._at(_KEYWORD, "not"):
            self._enter(self._advance())
            operand = self._not()
            self._depth -= 1
            return Not(operand)
        return self._comparison()

    def _comparison(self) -> Expr:
        left = self._sum()
        token = self._peek()
        node: Expr
        if token.kind == _OP:
            self._advance()
            node = Compare(cast(CompareOp, token.text), left, self._sum())
        elif self._at(_KEYWORD, "in"):
            self._advance()
            node = In(left, self._list())
        elif self._at_not_in():
            self._advance()
            self._advance()
            node = In(left, self._list(), negated=True)
        else:
            return left
        token = self._peek()
        if token.kind == _OP or self._at(_KEYWORD, "in") or self._at_not_in():
            raise InvalidExpression(
                f"unexpected {_describe(token)}: comparisons cannot be chained, "
                'join them with "and"',
                token.position,
            )
        return node

    def _sum(self) -> Expr:
        left = self._product()
        while True:
            token = self._peek()
            if token.kind == _ARITHMETIC and token.text in "+-":
                self._advance()
                left = Arithmetic(cast(Any, token.text), left, self._product())
            elif token.kind == _NUMBER and token.text.startswith("-"):
                # "age -1": the tokenizer read "-1" as a number; here it is a subtraction.
                self._advance()
                left = Arithmetic("-", left, Constant(-cast(float, token.value)))
            else:
                return left

    def _product(self) -> Expr:
        left = self._unary()
        while (token := self._peek()).kind == _ARITHMETIC and token.text in "*/":
            self._advance()
            left = Arithmetic(cast(Any, token.text), left, self._unary())
        return left

    def _unary(self) -> Expr:
        token = self._peek()
        if token.kind == _ARITHMETIC and token.text == "-":
            self._enter(self._advance())
            operand = self._unary()
            self._depth -= 1
            return Negative(operand)
        return self._primary()

    def _primary(self) -> Expr:
        token = self._peek()
        if token.kind in (_NUMBER, _STRING) or (
            token.kind == _KEYWORD and token.text in ("true", "false", "null")
        ):
            return Constant(self._literal())
        if token.kind == _NAME:
            if self._at(_PUNCT, "(", 1):
                return self._call()
            self._advance()
            return Name(token.text, token.position)
        if self._at(_PUNCT, "("):
            self._enter(self._advance())
            inner = self._or()
            self._close(token, ")", '")"')
            self._depth -= 1
            return inner
        if self._at(_PUNCT, "["):
            raise InvalidExpression('a list is allowed only after "in" or "not in"', token.position)
        raise self._expected("a value")

    def _literal(self) -> ConstantValue:
        token = self._advance()
        if token.kind == _KEYWORD:
            return {"true": True, "false": False, "null": None}[token.text]
        return token.value

    def _list(self) -> tuple[ConstantValue, ...]:
        if not self._at(_PUNCT, "["):
            raise self._expected("a list like ['a', 'b']")
        opener = self._advance()
        options: list[ConstantValue] = []
        if self._at(_PUNCT, "]"):
            self._advance()
            return ()
        while True:
            token = self._peek()
            if token.kind in (_NUMBER, _STRING) or (
                token.kind == _KEYWORD and token.text in ("true", "false", "null")
            ):
                options.append(self._literal())
            elif token.kind == _EOF:
                raise InvalidExpression(f'unclosed "{opener.text}"', opener.position)
            else:
                raise self._expected("a quoted value, a number, true, false or null")
            if self._at(_PUNCT, ","):
                self._advance()
                continue
            self._close(opener, "]", '"," or "]"')
            return tuple(options)

    def _call(self) -> Expr:
        function = self._advance()
        if function.text not in FUNCTIONS:
            raise InvalidExpression(f'unknown function "{function.text}"', function.position)
        if function.text == "count_selected":
            opener = self._advance()
            usage = "count_selected(item)"
            item = self._argument(opener, usage, _NAME, "an item key")
            self._argument(opener, usage, _PUNCT, '")"', ")")
            return Call("count_selected", (Name(item.text, item.position),), function.position)
        if function.text in ("if", "coalesce", "concat"):
            return self._value_call(function)
        usage = "selected(item, 'value')" if function.text == "selected" else "answered(item)"
        opener = self._advance()
        item = self._argument(opener, usage, _NAME, "an item key")
        if function.text == "answered":
            self._argument(opener, usage, _PUNCT, '")"', ")")
            return Answered(item.text, item.position)
        self._argument(opener, usage, _PUNCT, '","', ",")
        value = self._argument(opener, usage, _STRING, "a quoted value")
        self._argument(opener, usage, _PUNCT, '")"', ")")
        return Selected(item.text, cast(str, value.value), item.position)

    def _value_call(self, function: _Token) -> Expr:
        """``if``, ``coalesce`` or ``concat``: expressions separated by commas."""
        opener = self._advance()
        self._enter(opener)
        arguments: list[Expr] = []
        if not self._at(_PUNCT, ")"):
            while True:
                arguments.append(self._or())
                if not self._at(_PUNCT, ","):
                    break
                self._advance()
        self._close(opener, ")", '"," or ")"')
        self._depth -= 1
        name = function.text
        wanted = {"if": (3, 3), "coalesce": (2, 50), "concat": (1, 50)}[name]
        if not wanted[0] <= len(arguments) <= wanted[1]:
            usage = {
                "if": "if(condition, value, otherwise)",
                "coalesce": "coalesce(value, otherwise, ...)",
                "concat": "concat(value, ...)",
            }[name]
            raise InvalidExpression(
                f"{name}() takes {_count(wanted)}, not {len(arguments)}: {usage}",
                function.position,
            )
        return Call(cast(Any, name), tuple(arguments), function.position)

    def _argument(
        self, opener: _Token, usage: str, kind: str, what: str, text: str | None = None
    ) -> _Token:
        """Consume the next token of a function call, which must be of ``kind`` (and ``text``)."""
        token = self._peek()
        if token.kind == kind and (text is None or token.text == text):
            return self._advance()
        if token.kind == _EOF:
            raise InvalidExpression(f'unclosed "{opener.text}"', opener.position)
        raise InvalidExpression(
            f"expected {what} in {usage} but found {_describe(token)}", token.position
        )


def _count(wanted: tuple[int, int]) -> str:
    low, high = wanted
    if low == high:
        return f"{low} arguments"
    return f"at least {low} argument{'s' if low > 1 else ''}"


def parse(source: str) -> Expr:
    """Parse a ``show_if`` expression.

    Parameters
    ----------
    source
        The expression text, at most :data:`MAX_LENGTH` characters.

    Returns
    -------
    Expr
        The syntax tree, immutable and comparable with ``==`` (source positions take no part in
        equality).

    Raises
    ------
    InvalidExpression
        For any input that is not a valid expression (including input longer than
        :data:`MAX_LENGTH` or nested deeper than :data:`MAX_DEPTH`); ``position`` is the 0-based
        offset of the offending token, or of the token left waiting for more when the input ends too
        early.

    Examples
    --------
    >>> parse("consent == 'yes' and age >= 18")  # doctest: +NORMALIZE_WHITESPACE
    And(operands=(Compare(op='==', left=Name(key='consent', position=0),
                          right=Constant(value='yes')),
                  Compare(op='>=', left=Name(key='age', position=21),
                          right=Constant(value=18))))
    """
    if not isinstance(source, str):
        raise InvalidExpression("the expression must be text", 0)
    if len(source) > MAX_LENGTH:
        raise InvalidExpression(
            f"the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH
        )
    return _Parser(source).parse()


def names(expr: Expr) -> set[str]:
    """Return the item keys ``expr`` refers to, those inside ``selected()``/``answered()`` too."""
    found: set[str] = set()
    pending = [expr]
    while pending:
        node = pending.pop()
        match node:
            case Name(key=key) | Selected(key=key) | Answered(key=key):
                found.add(key)
            case Not(operand=operand) | In(operand=operand) | Negative(operand=operand):
                pending.append(operand)
            case Call(arguments=arguments):
                pending.extend(arguments)
            case Arithmetic(left=left, right=right):
                pending.append(left)
                pending.append(right)
            case And(operands=operands) | Or(operands=operands):
                pending.extend(operands)
            case Compare(left=left, right=right):
                pending.append(left)
                pending.append(right)
    return found


# --------------------------------------------------------------------------------------------------
# Evaluation


class _Opaque:
    """An answer of a type the language does not know: answered and truthy, equal to nothing."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<opaque answer>"


_OPAQUE: Final = _Opaque()

# A value as the evaluator sees it: null, bool, number, str, a tuple of such scalars (a multi
# answer), or _OPAQUE. Answers are converted to these exact built-in types first, so that no
# comparison ever calls an operator of a caller's class, which could raise or answer something that
# is not a bool.
_Value = None | bool | int | float | str | tuple[object, ...] | _Opaque

_ORDERINGS: Final[dict[str, Callable[[object, object], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _scalar(value: object) -> _Value:
    """Convert one answer value (not a list) to the evaluator's types; see :data:`_Value`."""
    if value is None or value is True or value is False:
        return value
    kind = type(value)  # type(), not isinstance(): a proxy object can pretend to be a str
    if issubclass(kind, str):
        return str.__str__(value)  # type: ignore[arg-type]
    if issubclass(kind, int):
        return int.__int__(value)  # type: ignore[arg-type]
    if issubclass(kind, float):
        return float.__float__(value)  # type: ignore[arg-type]
    if issubclass(kind, (Decimal, Fraction)):
        # The database may hand decimals over as Decimal; float() is exact enough for show_if
        # thresholds.
        try:
            return float(value)  # type: ignore[arg-type]
        except (ValueError, ArithmeticError):  # signalling NaN, a Fraction too large for a float
            return _OPAQUE
    return _OPAQUE


def _normalise(value: object) -> _Value:
    """Convert a stored answer to the evaluator's types; lists become tuples of scalars."""
    if issubclass(type(value), (list, tuple)):
        # Nested lists are not answers any item type produces; they become opaque rather than being
        # walked, so a list that contains itself cannot send the evaluator into endless recursion.
        return tuple(
            _OPAQUE if issubclass(type(v), (list, tuple)) else _scalar(v)
            for v in value  # type: ignore[attr-defined]
        )
    return _scalar(value)


def _kind(value: _Value) -> str:
    if value is True or value is False:
        return "bool"
    if type(value) is int or type(value) is float:
        return "number"
    if type(value) is str:
        return "string"
    if type(value) is tuple:
        return "list"
    return "opaque"


def _equal(a: _Value, b: _Value) -> bool:
    """Equality within one kind of value; values of different kinds are never equal."""
    kind = _kind(a)
    if kind != _kind(b) or kind == "opaque":
        return a is None and b is None
    if kind == "list":
        assert isinstance(a, tuple) and isinstance(b, tuple)
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _compare(op: str, a: _Value, b: _Value) -> bool:
    if a is None or b is None:
        return False
    if op == "==":
        return _equal(a, b)
    if op == "!=":
        return not _equal(a, b)
    kind = _kind(a)
    if kind != _kind(b) or kind not in ("number", "string"):
        return False
    return _ORDERINGS[op](a, b)


def _truthy(value: _Value) -> bool:
    if value is None or value is False:
        return False
    if value is True or value is _OPAQUE:
        return True
    if type(value) is int or type(value) is float:
        return value != 0
    return len(value) > 0  # type: ignore[arg-type]


def _is_answered(value: _Value) -> bool:
    return not (value is None or value == "" or value == ())


def _value(expr: Expr, answers: Mapping[str, object]) -> _Value:
    """The value of an operand: an answer, a constant, a computed value or the truth of a test."""
    kind = type(expr)
    if kind is Name:
        return _normalise(answers.get(expr.key))  # type: ignore[attr-defined]
    if kind is Constant:
        return expr.value  # type: ignore[attr-defined]
    if kind is Arithmetic:
        return _arithmetic(expr, answers)  # type: ignore[arg-type]
    if kind is Negative:
        number = _number(_value(expr.operand, answers))  # type: ignore[attr-defined]
        return None if number is None else -number
    if kind is Call:
        return _call_value(expr, answers)  # type: ignore[arg-type]
    return _truth(expr, answers)


def _number(value: _Value) -> int | float | None:
    """A value as a number for arithmetic: numbers, and strings made of one number; else None."""
    if type(value) is int or type(value) is float:
        return value  # type: ignore[return-value]
    if type(value) is str:
        text = value.strip()  # type: ignore[union-attr]
        try:
            return int(text) if text.lstrip("+-").isdigit() and len(text) <= 16 else float(text)
        except ValueError:
            return None
    return None


def _arithmetic(expr: Arithmetic, answers: Mapping[str, object]) -> _Value:
    a = _number(_value(expr.left, answers))
    b = _number(_value(expr.right, answers))
    if a is None or b is None:
        return None
    try:
        if expr.op == "+":
            result: int | float = a + b
        elif expr.op == "-":
            result = a - b
        elif expr.op == "*":
            result = a * b
        else:
            result = a / b
    except (ZeroDivisionError, OverflowError):
        return None
    if isinstance(result, float) and not math.isfinite(result):
        return None
    if isinstance(result, int) and abs(result) > _EXACT_LIMIT:
        try:
            return float(result)
        except OverflowError:
            return None
    return result


def _text(value: _Value) -> str:
    """A value as ``concat`` writes it: numbers as people write them, a list joined by spaces."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is float:
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)  # type: ignore[union-attr]
    if type(value) is tuple:
        return " ".join(_text(v) for v in value)  # type: ignore[union-attr,arg-type]
    if value is _OPAQUE:
        return ""
    return str(value)


def _call_value(expr: Call, answers: Mapping[str, object]) -> _Value:
    arguments = expr.arguments
    if expr.function == "if":
        chosen = arguments[1] if _truth(arguments[0], answers) else arguments[2]
        return _value(chosen, answers)
    if expr.function == "coalesce":
        for argument in arguments:
            value = _value(argument, answers)
            if _is_answered(value):
                return value
        return None
    if expr.function == "concat":
        return "".join(_text(_value(argument, answers)) for argument in arguments)
    answer = _value(arguments[0], answers)  # count_selected
    if type(answer) is tuple:
        return len(answer)  # type: ignore[arg-type]
    return 1 if type(answer) is str and answer else 0


def _truth(expr: Expr, answers: Mapping[str, object]) -> bool:
    match expr:
        case And(operands=operands):
            return all(_truth(operand, answers) for operand in operands)
        case Or(operands=operands):
            return any(_truth(operand, answers) for operand in operands)
        case Not(operand=operand):
            return not _truth(operand, answers)
        case Compare(op=op, left=left, right=right):
            return _compare(op, _value(left, answers), _value(right, answers))
        case In(operand=operand, options=options, negated=negated):
            value = _value(operand, answers)
            if value is None:
                return False
            return any(_equal(value, option) for option in options) != negated
        case Selected(key=key, value=wanted):
            answer = _normalise(answers.get(key))
            if type(answer) is tuple:
                return any(type(v) is str and v == wanted for v in answer)
            return type(answer) is str and answer == wanted
        case Answered(key=key):
            return _is_answered(_normalise(answers.get(key)))
        case Call(function="if", arguments=(condition, then, otherwise)):
            return _truth(then if _truth(condition, answers) else otherwise, answers)
        case _:
            return _truthy(_value(expr, answers))


def evaluate(expr: Expr, answers: Mapping[str, object]) -> bool:
    """Evaluate a parsed expression against one respondent's answers.

    Parameters
    ----------
    expr
        A tree from :func:`parse`.
    answers
        Item key to stored answer (``str``, ``int``, ``float``, ``list[str]`` for a multi); a
        missing key or ``None`` means unanswered (null).

    Returns
    -------
    bool
        The truth of the expression. Every comparison involving null is false, ``!=`` included;
        values of different kinds are unequal and unordered (``==`` false, ``!=`` true, ``<``
        false); ``true`` and ``false`` are not numbers. A bare name is true when answered with
        something other than false, 0, ``''`` or an empty list. Never raises, whatever the answers
        hold.
    """
    return _truth(expr, answers)


def calculate(expr: Expr, answers: Mapping[str, object]) -> bool | int | float | str | None:
    """The value of an expression (a calculated value), where :func:`evaluate` gives its truth.

    Returns
    -------
    None, bool, int, float or str
        Null when an operand of arithmetic is null or not a number, or on a division by zero; a list
        (a multi answer named alone) is written as its values joined by spaces. Never raises.
    """
    value = _value(expr, answers)
    if type(value) is tuple:
        return _text(value)
    if value is _OPAQUE:
        return None
    return value  # type: ignore[return-value]


@lru_cache(maxsize=1024)
def compile_expression(source: str) -> Callable[[Mapping[str, object]], bool]:
    """Parse ``source`` once (the result is cached) and return a predicate over answers.

    Raises
    ------
    InvalidExpression
        As :func:`parse` does; failures are not cached.
    """
    expr = parse(source)

    def predicate(answers: Mapping[str, object]) -> bool:
        return _truth(expr, answers)

    return predicate
