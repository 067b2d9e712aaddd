"""Questionnaire → XLSForm: the exporter, and our expressions written as XPath."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from survey.errors import InvalidDefinition
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
from survey.questionnaire.model import (
    DEFAULT_MAX_LENGTH,
    Choice,
    Item,
    Outcome,
    Questionnaire,
    Text,
)
from survey.questionnaire.xlsform.common import (
    DATE,
    EXTRA_COLUMNS,
    ReportLine,
    language_column,
    unique_name,
)
from survey.questionnaire.xlsform.xpath import (
    NUMBER_TYPES,
    format_expression,
    is_number,
    xpath_number_text,
)

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
        if key in self.q.calculations:
            return "calc"
        item = self.item(key)
        if item.type == "multi":
            return "list"
        if item.type in NUMBER_TYPES:
            return "number"
        if item.type == "date":
            return "date"
        return "string"

    def answered(self, key: str) -> str:
        if key in self.q.calculations:
            return f"${{{key}}} != ''"
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
            case Compare(op=op, left=left, right=right) if self.computed(left, right):
                xop = "=" if op == "==" else op
                return f"{self.value(left)[0]} {xop} {self.value(right)[0]}", 3
            case Compare(op=op, left=left, right=right):
                return self.compare(op, left, right)
            case Call(function="if", arguments=(condition, then, otherwise)):
                return self.value(Call("if", (condition, then, otherwise)))[0], 3
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
                if kind == "calc":
                    return f"${{{key}}} != '' and ${{{key}}} != 0", 2
                if kind == "number" and self.item(key).type != "likert":  # likert is never 0
                    return f"${{{key}}} != '' and ${{{key}}} != 0", 2
                return self.answered(key), 3
            case Constant(value=value):
                return ("true()" if expressions.evaluate(expr, {}) else "false()"), 3
        raise InvalidDefinition(f"cannot write {format_expression(expr)} in XLSForm")

    def computed(self, left: Expr, right: Expr) -> bool:
        """Whether a comparison has a calculated value or a computation on one side."""
        return any(
            not isinstance(side, Name | Constant)
            or (isinstance(side, Name) and side.key in self.q.calculations)
            for side in (left, right)
        )

    def value(self, expr: Expr) -> tuple[str, int]:
        """XPath for a value (a calculation): levels 4 for + and -, 5 for * and div, 6 for atoms."""
        match expr:
            case Name(key=key):
                return f"${{{key}}}", 6
            case Constant(value=value):
                if value is None:
                    return "''", 6
                if value is True or value is False:
                    return ("true()" if value else "false()"), 6
                if isinstance(value, int | float):
                    text = xpath_number_text(value)
                    return (text, 6) if value >= 0 else (f"({text})", 6)
                return _xpath_string(value), 6
            case Negative(operand=operand):
                text, level = self.value(operand)
                return f"-{text if level >= 6 else f'({text})'}", 6
            case Arithmetic(op=op, left=left, right=right):
                level = 4 if op in "+-" else 5
                a, a_level = self.value(left)
                b, b_level = self.value(right)
                a = a if a_level >= level else f"({a})"
                b = b if b_level > level else f"({b})"
                return f"{a} {'div' if op == '/' else op} {b}", level
            case Call(function="count_selected", arguments=(Name(key=key),)):
                return f"count-selected(${{{key}}})", 6
            case Call(function="coalesce", arguments=arguments):
                # XPath's coalesce() takes two values: nest them.
                text = self.value(arguments[-1])[0]
                for argument in reversed(arguments[:-1]):
                    text = f"coalesce({self.value(argument)[0]}, {text})"
                return text, 6
            case Call(function=function, arguments=arguments):
                written = ", ".join(
                    self.write(a)[0] if i == 0 and function == "if" else self.value(a)[0]
                    for i, a in enumerate(arguments)
                )
                return f"{function}({written})", 6
        text, level = self.write(expr)
        return (text, 6) if level >= 3 else (f"({text})", 6)

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
            "number" if is_number(value) else "string" if isinstance(value, str) else "bool"
        )
        if kind == "date" and isinstance(value, str):
            if not DATE.fullmatch(value) and op not in ("==", "!="):
                raise self.unwritable(op, left, right, "a date is ordered only against a date")
            literal = f"date({_xpath_string(value)})" if DATE.fullmatch(value) else None
            value_kind = "date" if literal else "string"
        elif item.type == "likert" and op in ("==", "!="):
            # Its choices are named 1..points: any other value is never an answer.
            points = self.q.scale_for(item).points
            whole = value_kind == "number" and value == int(value)  # type: ignore[arg-type]
            literal = str(int(value)) if whole and 1 <= value <= points else None  # type: ignore[arg-type, operator]
        elif value_kind == "number":
            literal = xpath_number_text(value)  # type: ignore[arg-type]
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
        self.columns = {code: language_column(code) for code in q.languages}

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
            *self.label_columns("constraint_message"),
            "choice_filter",
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
                section.key
                if section.key not in taken
                else unique_name(f"{section.key}_group", taken)
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
                values[col["constraint"]] = self.constraint(item, len(survey) + 1)
                put(values, "constraint_message", item.constraint_message)
                if item.choice_filter:
                    values[col["choice_filter"]] = self.choice_filter(item)
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
        for key, source in q.calculations.items():
            values = row(type="calculate", name=key)
            tree = expressions.parse(source)
            # if(condition, value, null) is a calculate with a relevant, as the import reads it.
            if (
                isinstance(tree, Call)
                and tree.function == "if"
                and tree.arguments[2] == Constant(None)
            ):
                values[col["relevant"]] = _ToXPath(q, self.report, len(survey) + 1).write(
                    tree.arguments[0]
                )[0]
                tree = tree.arguments[1]
            values[col["calculation"]] = _ToXPath(q, self.report, len(survey) + 1).value(tree)[0]
            survey.append(values)
        outcome_calculates: dict[str, str] = {}
        for name, outcome in q.outcomes.items():
            if outcome.kind != "score":
                continue
            calculate = unique_name(f"score_{name}", taken)
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
                found[("item", item.key)] = unique_name(item.key, taken)
                taken.add(found[("item", item.key)])
        for name in self.q.likert_scales:
            found[("scale", name)] = unique_name(name, taken)
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

    def choice_filter(self, item: Item) -> str:
        parts = []
        for prop, key in (item.choice_filter or {}).items():
            column = "name" if prop == "value" else prop
            if key not in self.q.calculations and self.q.item(key).type == "multi":
                parts.append(f"selected(${{{key}}}, {column})")
            else:
                parts.append(f"{column} = ${{{key}}}")
        return " and ".join(parts)

    def constraint(self, item: Item, row: int) -> str:
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
                parts.append(f". {op} {xpath_number_text(value)}")
        if item.constraint:
            # The item names itself by ${key}, not ".", so that the import reads the rule back as a
            # rule rather than as bounds.
            rule, level = _ToXPath(self.q, self.report, row).write(
                expressions.parse(item.constraint)
            )
            parts.append(rule if level >= 2 or not parts else f"({rule})")
        return " and ".join(parts)

    def choices(self, list_names: dict[tuple[str, str], str]) -> list[list[str]]:
        # Choice properties are columns of the choices sheet, which a choice_filter reads.
        properties = list(
            dict.fromkeys(
                prop
                for item in self.q.items()
                if item.choices is not None
                for choice in self.q.choices_for(item)
                for prop in (choice.properties or {})
            )
        )
        rows = [["list_name", "name", *self.label_columns("label"), *properties]]

        def choice_row(list_name: str, choice: Choice) -> list[str]:
            own = choice.properties or {}
            return [list_name, choice.value, *self.texts(choice.label)] + [
                own.get(p, "") for p in properties
            ]

        for name, choices in self.q.choice_lists.items():
            for choice in choices:
                rows.append(choice_row(list_names[("list", name)], choice))
        for item in self.q.items():
            if isinstance(item.choices, list):
                for choice in item.choices:
                    rows.append(choice_row(list_names[("item", item.key)], choice))
        for name, scale in self.q.likert_scales.items():
            for i in range(scale.points):
                labels = [scale.labels[code][i] for code in self.languages]
                rows.append(
                    [list_names[("scale", name)], str(i + 1), *labels] + [""] * len(properties)
                )
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
