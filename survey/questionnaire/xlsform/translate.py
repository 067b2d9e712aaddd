"""XPath values as XLSForms write them in ``calculation``, ``constraint`` and ``choice_filter``, and
``${name}`` in labels, translated into our expressions, keys and texts.

:class:`ToExpression` extends the condition translator of :mod:`.xpath` with values: arithmetic
(``+ - * div``), ``if()``, ``coalesce()``, ``concat()``, ``count-selected()`` and comparisons of computed
values. XPath reads an empty answer as ``''``, which is NaN in arithmetic; ours is null, which
arithmetic carries through, so ``${a} + 1`` is empty in ODK and null here, and a comparison with it is
false in both. Anything outside this subset raises :class:`~.xpath.XPathError` naming it, so that the
importer can report exactly what it left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Final

from survey.questionnaire.expressions import (
    Arithmetic,
    Call,
    Compare,
    Constant,
    Expr,
    Name,
    Negative,
    Not,
)
from survey.questionnaire.xlsform.xpath import (
    COMPARISONS,
    Ref,
    ToCondition,
    XBin,
    XCall,
    XDot,
    XLogic,
    XName,
    XNeg,
    XNode,
    XNum,
    XPathError,
    XRef,
    XStr,
    parse_xpath,
)

__all__ = ["ToExpression", "choice_filter_of", "constraint_of", "pipe_names"]

_ARITHMETIC: Final = {"+": "+", "-": "-", "*": "*", "div": "/"}
_VALUE_FUNCTIONS: Final = frozenset({"if", "coalesce", "concat", "count-selected"})
_PIPED: Final = re.compile(r"\$\{\s*([^{}]*?)\s*\}")


def _position(node: XNode) -> int:
    return getattr(node, "position", 0)


class ToExpression(ToCondition):
    """Conditions and values: a ``relevant``, a ``constraint`` or a ``calculation``."""

    def value(self, node: XNode) -> Expr:
        """Our expression for an XPath value (a calculation)."""
        match node:
            case XNum(value=value):
                return Constant(value)
            case XStr(value=value):
                return Constant(value)
            case XNeg(operand=operand):
                return Negative(self.value(operand))
            case XRef():
                ref = self.ref(node)
                if ref.type == "empty":
                    self.notes.append(f"${{{node.name}}} is {ref.skipped}: read as empty")
                    return Constant(None)
                return Name(ref.key)
            case XBin(op=op, left=left, right=right) if op in _ARITHMETIC:
                return Arithmetic(_ARITHMETIC[op], self.value(left), self.value(right))  # type: ignore[arg-type]
            case XBin(op=op, position=position) if op in COMPARISONS:
                return self.condition(node)
            case XBin(op=op, position=position):
                raise XPathError(f'"{op}" is not supported', position)
            case XLogic():
                return self.condition(node)
            case XCall(name=name, args=args, position=position):
                return self.call_value(name, args, position)
            case XDot(position=position):
                raise XPathError('"." names a question only in its own constraint', position)
            case XName(name=name, position=position):
                raise XPathError(
                    f'"{name}" is not a value: refer to a question as ${{{name}}}', position
                )
        raise XPathError("this is not a value", _position(node))

    def call_value(self, name: str, args: tuple[XNode, ...], position: int) -> Expr:
        if name == "if":
            if len(args) != 3:
                raise XPathError("if() takes a condition and two values", position)
            return Call("if", (self.truth(args[0]), self.value(args[1]), self.value(args[2])))
        if name in ("coalesce", "concat"):
            if len(args) < (2 if name == "coalesce" else 1):
                raise XPathError(f"{name}() needs more values", position)
            if len(args) > 50:
                raise XPathError(f"{name}() has more than 50 values", position)
            return Call(name, tuple(self.value(a) for a in args))  # type: ignore[arg-type]
        if name == "count-selected":
            if len(args) != 1 or not isinstance(args[0], XRef):
                raise XPathError("count-selected() takes one question", position)
            ref = self.ref(args[0])
            if ref.type != "multi":
                raise XPathError(
                    f"count-selected() needs a select_multiple; ${{{args[0].name}}} is not one",
                    position,
                )
            return Call("count_selected", (Name(ref.key),))
        return self.call(name, args, position)

    def truth(self, node: XNode) -> Expr:
        """A condition where XPath takes any value as one (the first argument of ``if()``)."""
        try:
            return self.condition(node)
        except XPathError:
            return self.value(node)

    def compare(self, op: str, left: XNode, right: XNode, position: int) -> Expr:
        try:
            return super().compare(op, left, right, position)
        except XPathError:
            if not (_is_computed(left) or _is_computed(right)):
                raise
        ours = Compare("==" if op in ("=", "!=") else op, self.value(left), self.value(right))  # type: ignore[arg-type]
        # XPath's != is true when a side is empty (NaN or ''); not (==) keeps that meaning.
        return Not(ours) if op == "!=" else ours


def _is_computed(node: XNode) -> bool:
    if isinstance(node, XBin):
        return node.op in _ARITHMETIC
    if isinstance(node, XNeg):
        return not isinstance(node.operand, XNum)
    return isinstance(node, XCall) and node.name in _VALUE_FUNCTIONS


def _replace_dot(node: XNode, ref: XRef) -> XNode:
    """The tree with every ``.`` (the answer being checked) replaced by a reference to it."""
    match node:
        case XDot(position=position):
            return replace(ref, position=position)
        case XCall(args=args):
            return replace(node, args=tuple(_replace_dot(a, ref) for a in args))
        case XBin(left=left, right=right):
            return replace(node, left=_replace_dot(left, ref), right=_replace_dot(right, ref))
        case XLogic(operands=operands):
            return replace(node, operands=tuple(_replace_dot(o, ref) for o in operands))
        case XNeg(operand=operand):
            return replace(node, operand=_replace_dot(operand, ref))
    return node


def constraint_of(node: XNode, name: str, refs: Mapping[str, Ref]) -> Expr:
    """Our expression for a parsed constraint (or part of one) on question ``name``."""
    return ToExpression(refs).condition(_replace_dot(node, XRef(name, 0)))


def choice_filter_of(
    source: str, refs: Mapping[str, Ref], columns: set[str]
) -> dict[str, tuple[str, Ref]]:
    """A ``choice_filter`` as property → (question name, its reference).

    The forms translated are ``column = ${q}`` (either way round), ``name = ${q}`` (the choice's own
    name, our property ``value``), ``selected(${q}, name)`` and ``selected(${q}, column)``, joined by
    ``and``; ``columns`` are the choices sheet's column names (lower-case). Raises XPathError for any
    other filter.
    """
    tree = parse_xpath(source, bare_names=True)
    parts = tree.operands if isinstance(tree, XLogic) and tree.op == "and" else (tree,)
    found: dict[str, tuple[str, Ref]] = {}
    for part in parts:
        column: XName | None = None
        question: XRef | None = None
        if isinstance(part, XBin) and part.op == "=":
            pair = (part.left, part.right)
            column = next((p for p in pair if isinstance(p, XName)), None)
            question = next((p for p in pair if isinstance(p, XRef)), None)
        elif isinstance(part, XCall) and part.name == "selected" and len(part.args) == 2:
            question, column = part.args  # type: ignore[assignment]
            if not isinstance(question, XRef) or not isinstance(column, XName):
                question = column = None
        if column is None or question is None:
            raise XPathError(
                "only column = ${question} and selected(${question}, column), joined by and, "
                "are translated",
                _position(part),
            )
        ref = ToCondition(refs).ref(question)
        prop = column.name.lower()
        if prop != "name" and prop not in columns:
            raise XPathError(f'the choices sheet has no column "{column.name}"', column.position)
        found["value" if prop == "name" else prop] = (question.name, ref)
    return found


def pipe_names(text: str, refs: Mapping[str, Ref]) -> tuple[str, list[str]]:
    """A label with each ``${name}`` written ``${key}``, and the names it cannot show.

    A reference to a question that was not imported (or that does not exist) is removed from the
    text, and its name returned, so that the import report can say what the respondent will not see.
    """
    dropped: list[str] = []

    def replace_name(match: re.Match[str]) -> str:
        name = match.group(1)
        ref = refs.get(name)
        if ref is None or ref.type in (None, "note", "empty"):
            dropped.append(name)
            return ""
        return f"${{{ref.key}}}"

    return _PIPED.sub(replace_name, text), dropped
