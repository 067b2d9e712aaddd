"""The parts of an imported item other than its text: bounds, constraint, answer key, Likert
scale; and the outcomes sheet."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire.expressions import And, Expr
from survey.questionnaire.model import SCORINGS
from survey.questionnaire.xlsform.common import NO, OUTCOME_COLUMNS, YES, Sheet, key_of
from survey.questionnaire.xlsform.reading import Choices, Reader
from survey.questionnaire.xlsform.translate import constraint_of
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
    xpath_number_text,
)

__all__ = ["Parts", "Question"]


@dataclass
class Question:
    """A survey row that becomes an item, before its conditions are translated.

    ``scope`` names the groups and repeats around it, outermost first: a ``${name}`` it refers to is
    looked up there first, since XLSForm names need only be unique within their group.
    """

    row: int
    raw: list[str]
    name: str
    key: str
    type: str
    scope: tuple[int, ...] = ()
    list_name: str | None = None
    scale: str | None = None
    bounds: dict[str, int | float] = field(default_factory=dict)  # of a range


class Parts(Reader):
    """Item parts and outcomes; :class:`~.importing.Importer` builds on it."""

    refs: dict[str, Ref]
    scales: dict[str, dict[str, Any]]
    scale_lists: dict[str, str]
    outcome_calculates: dict[str, str]
    outcomes: dict[str, dict[str, Any]]

    def refs_at(self, scope: tuple[int, ...]) -> Mapping[str, Ref]:
        raise NotImplementedError

    def likert_scale(self, likert: str, choices: Choices, row: int, key: str) -> str:
        spec = likert.strip()
        scale = choices.name if spec.lower() in YES else spec
        scale_key = key_of(scale)
        if scale_key != scale:
            self.note("survey", row, f'likert scale "{scale}" becomes "{scale_key}"')
        points = len(choices.values)
        # A scale has no partial translation: a missing label is the default language's.
        default = self.languages[0]
        labels = {
            code: [label.get(code) or label.get(default, "") for label in choices.labels]
            for code in self.languages
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
                "xlsform_scale_lists_differ",
                'likert scale "{scale}" is list "{other}" elsewhere but list "{list}" here, and '
                "their choices differ",
                scale=scale_key,
                other=self.scale_lists[scale_key],
                list=choices.name,
            )
        return scale_key

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
            self.error(
                "survey",
                row_number,
                "xlsform_range_not_numbers",
                "range parameters must be numbers",
            )
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

    def constraint(self, sheet: Sheet, q: Question, item: dict[str, Any]) -> None:
        """``constraint`` and ``constraint_message``: bounds, or a rule with its message.

        Each part of a constraint joined by ``and`` becomes ``min``/``max``/``max_length`` where it
        can (``. >= 18``: survey's own messages then name the limits) and the rest a ``constraint``
        with the ``constraint_message``. A constraint made only of bounds but given a message is
        kept whole as a rule instead, so that the author's message is the one shown. A part that
        cannot be translated is dropped with a report line: the answers are then checked against
        the rest only.
        """
        source = sheet.get(q.raw, "constraint")
        message = self.text(sheet, q.row, q.raw, "constraint_message")
        if not source:
            if message is not None:
                self.note("survey", q.row, "constraint_message without a constraint: dropped")
            return
        kind = item["type"]
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
        rules: list[Expr] = []
        dropped: list[str] = []
        refs = self.refs_at(q.scope)
        # With a message, a constraint made only of bounds is kept as a rule, so that the author's
        # message is shown; otherwise the bounds are bounds and the rest the rule.
        as_rules = message is not None and all(self.bound(p, kind, {}) for p in parts)
        for part in parts:
            if not as_rules and self.bound(part, kind, bounds):
                continue
            try:
                if kind in ("panel_code", "consent"):
                    # A panel code is never kept as typed, a consent is yes or no: no rule applies.
                    raise XPathError(f"a {kind} answer takes no rule", 0)
                rules.append(constraint_of(part, q.name, refs))
            except XPathError as exc:
                if as_rules and self.bound(part, kind, bounds):
                    continue
                dropped.append(f"{_xpath_text(part)} ({exc.message})")
        item.update(bounds)
        if rules:
            rule = rules[0] if len(rules) == 1 else And(tuple(rules))
            item["constraint"] = format_expression(rule)
            if message is not None:
                item["constraint_message"] = message
        elif message is not None:
            self.note(
                "survey",
                q.row,
                "constraint_message dropped with the constraint it explains: survey's own "
                "messages name the limits",
            )
        if dropped:
            self.note(
                "survey",
                q.row,
                f'constraint "{source}": {" and ".join(dropped)} not translated: dropped, answers '
                "are not checked against it",
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

    def answer_key(self, sheet: Sheet, q: Question, item: dict[str, Any]) -> None:
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
                    "xlsform_correct_single",
                    'correct "{value}": a select_one has one correct choice '
                    "(use select_multiple for several)",
                    value=correct,
                )
            else:
                self.error(
                    "survey",
                    q.row,
                    "xlsform_correct_needs_choices",
                    "correct needs a select_one or select_multiple",
                )
        if scoring:
            normalised = scoring.lower().replace("-", "_").replace(" ", "_")
            if normalised not in SCORINGS:
                self.error(
                    "survey",
                    q.row,
                    "xlsform_scoring_unknown",
                    'scoring "{value}" is not one of {allowed}',
                    value=scoring,
                    allowed=", ".join(SCORINGS),
                )
            else:
                item["scoring"] = normalised
        if reverse.lower() in YES:
            item["reverse"] = True
        elif reverse.lower() not in NO:
            self.error(
                "survey",
                q.row,
                "xlsform_reverse_not_yes_no",
                'reverse "{value}" is not yes or no',
                value=reverse,
            )

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
                self.error(
                    "outcomes", row_number, "xlsform_outcome_no_name", "an outcome needs a name"
                )
                continue
            if name in rows:
                self.error(
                    "outcomes",
                    row_number,
                    "xlsform_outcome_duplicate",
                    'duplicate outcome "{name}"',
                    name=name,
                )
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
    return "…"
