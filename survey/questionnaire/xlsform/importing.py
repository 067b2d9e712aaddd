"""XLSForm → questionnaire: the importer.

It reads the survey sheet in two passes. The first gives every row its kind, name, key and scope (the
groups and repeats around it), so that a condition may name any question; the second builds sections
and items and translates their XPath. Names need only be unique within their group, as in XLSForm: a
name used again in another group gets its group's key as a prefix (reported), and a ``${name}`` is
looked up in the referring row's own group first. Calculations are translated once every name is
known, in the order they depend on each other.

The result goes through the loader like any definition. Where the loader refuses something optional
(a piped ``${name}``, a constraint, a choice filter, a calculation), that part is dropped with a
report line and the import goes on; where dropping would change which questions are asked (a
condition), the form is refused with the loader's message, located on its sheet and row.

One module, though long: its two passes share one state (the rows' scopes and renamed keys) that
the translation of every XPath expression needs; the reading of cells, the XPath translation and the
export are their own modules of this package.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from survey.errors import InvalidDefinition
from survey.questionnaire.computed import PIPED
from survey.questionnaire.expressions import And, Call, Constant, Expr, names, parse
from survey.questionnaire.load import Problem, load_object
from survey.questionnaire.model import Questionnaire, Text
from survey.questionnaire.workbook import read_workbook
from survey.questionnaire.xlsform.common import (
    FILE_SELECT,
    KNOWN_SHEETS,
    MAX_KEY_LENGTH,
    METADATA,
    NAMED_PATH,
    NO,
    SECTION_PATH,
    SELECT,
    SELECT_ONE,
    SIMPLE_TYPES,
    SURVEY_COLUMNS,
    TYPE_ALIASES,
    UNSUPPORTED_TYPES,
    YES,
    ImportFailed,
    ReportLine,
    Sheet,
    key_of,
    unique_name,
    workbook_data,
)
from survey.questionnaire.xlsform.parts import Parts, Question
from survey.questionnaire.xlsform.reading import choice_dicts
from survey.questionnaire.xlsform.translate import ToExpression, choice_filter_of, pipe_names
from survey.questionnaire.xlsform.xpath import Ref, XPathError, format_expression, parse_xpath

__all__ = ["import_xlsform"]

_BEGIN: Final = ("begin_group", "begin_repeat")
_END: Final = ("end_group", "end_repeat")
# Survey columns read besides SURVEY_COLUMNS: reading them reports nothing.
_ALSO_READ: Final = frozenset({"calculation", "choice_filter", "constraint_message"})
_OPTIONAL = re.compile(r"sections\[(\d+)\]\.items\[(\d+)\]\.(text|hint|constraint|choice_filter)\b")
_CALCULATION = re.compile(r"calculations\.([a-z][a-z0-9_]*)")


@dataclass
class _Group:
    row: int
    name: str
    key: str
    title: Text | None
    relevant: str
    scope: tuple[int, ...]
    condition: Expr | None = None


@dataclass
class _SectionDraft:
    key: str
    title: Text | None
    groups: tuple[_Group, ...]
    row: int
    items: list[dict[str, Any]] = field(default_factory=list)
    item_rows: list[int] = field(default_factory=list)


@dataclass
class _Calculation:
    row: int
    name: str
    key: str
    source: str
    relevant: str
    scope: tuple[int, ...]
    groups: tuple[_Group, ...]


class Importer(Parts):
    def __init__(self, sheets: dict[str, list[list[str]]], source: str, language: str | None):
        super().__init__(sheets, source, language)
        self.refs: dict[str, Ref] = {}  # the first question of each name, whatever its group
        self.scoped: dict[int, dict[str, Ref]] = {}  # group or repeat id → its names
        self.scales: dict[str, dict[str, Any]] = {}
        self.scale_lists: dict[str, str] = {}  # scale name → list name
        self.outcome_calculates: dict[str, str] = {}  # calculate name → outcome
        self.sections: list[_SectionDraft] = []
        self.list_by_key: dict[str, str] = {}  # choice_lists key → XLSForm list name
        self.outcomes: dict[str, dict[str, Any]] = {}
        self.calculation_rows: list[_Calculation] = []
        self.calculations: dict[str, str] = {}  # key → our expression
        self.calculation_at: dict[str, int] = {}  # key → row
        self.filters: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}  # list → properties
        self.keys: dict[str, str] = {}  # key → the name it was made from

    # -- the whole import

    def run(self) -> Questionnaire:
        if "survey" not in self.cells:
            found = ", ".join(self.cells) or "none"
            self.error(
                "survey",
                None,
                "xlsform_no_survey_sheet",
                'no sheet named "survey" (the sheets are: {sheets})',
                sheets=found,
            )
            raise ImportFailed
        survey = Sheet.parse("survey", self.cells["survey"])
        if "type" not in survey.columns or "name" not in survey.columns:
            missing = [c for c in ("type", "name") if c not in survey.columns]
            self.error(
                "survey",
                survey.header_row,
                "xlsform_header_missing",
                "the header row has no " + " and no ".join(f'"{c}" column' for c in missing),
                columns=", ".join(missing),
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
        self.read_calculations()
        self.build_sections(survey, questions)
        outcome_map = self.read_outcomes(outcomes)
        self.fail_if_errors()
        return self.validate(outcome_map)

    # -- names, keys and scopes

    def refs_at(self, scope: tuple[int, ...]) -> Mapping[str, Ref]:
        """The names a row in ``scope`` may refer to: its own groups' first, innermost first."""
        return ChainMap(*(self.scoped.get(g, {}) for g in reversed(scope)), self.refs)

    def register(
        self, name: str, ref: Ref, scope: tuple[int, ...], *, replacing: Ref | None = None
    ) -> None:
        self.scoped.setdefault(scope[-1] if scope else -1, {})[name] = ref
        if replacing is not None and self.refs.get(name) is replacing:
            self.refs[name] = ref
        self.refs.setdefault(name, ref)

    def key_for(self, raw: str, row: int, what: str, groups: list[tuple[int, str, str]]) -> str:
        """The key for an XLSForm name, unique in the whole questionnaire (each change reported)."""
        key = key_of(raw)
        if key in self.keys and groups:
            # The same name in another group: the group's key tells them apart.
            key = key_of(f"{groups[-1][2]}_{raw}")
            self.note(
                "survey",
                row,
                f'{what} "{raw}" is used in another group too: here it becomes "{key}" (the '
                "conditions naming it here are rewritten)",
            )
        elif key != raw:
            self.note("survey", row, f'{what} "{raw}" becomes "{key}"')
        if key in self.keys:
            unique = unique_name(key, set(self.keys))
            self.note(
                "survey", row, f'{what} "{raw}" would become "{key}", taken: it becomes "{unique}"'
            )
            key = unique
        self.keys[key] = raw
        return key

    # -- survey rows

    def read_survey(self, sheet: Sheet) -> list[tuple[str, Any]]:
        """Pass one: every row's kind, name, key and scope, so that conditions may name any question."""
        events: list[tuple[str, Any]] = []
        # Open groups and repeats: (id, name, key); a name is unique within its nearest one.
        groups: list[tuple[int, str, str]] = []
        seen: dict[int, dict[str, int]] = {-1: {}}
        skipping: list[tuple[int, str]] = []  # open repeats (and groups inside them): row, name
        skipped_names: list[str] = []
        depth = 0
        for row_number, row in sheet.rows:
            written = " ".join(sheet.get(row, "type").split())
            kind = TYPE_ALIASES.get(written.lower(), written.lower())
            if kind.startswith(("begin loop ", "begin_loop")):
                kind = "begin_repeat"  # begin loop over L: a repeat over a list's choices
            elif kind in ("end loop", "end_loop"):
                kind = "end_repeat"
            name = sheet.get(row, "name")
            scope = tuple(g[0] for g in groups)
            if name and kind not in _END:
                # pyxform ignores a name on an end row; elsewhere a name is unique in its group.
                here = seen.setdefault(scope[-1] if scope else -1, {})
                if name in here:
                    self.error(
                        "survey",
                        row_number,
                        "xlsform_name_duplicate",
                        'duplicate name "{name}" in the same group (first at row {first})',
                        name=name,
                        first=here[name],
                    )
                    continue
                here[name] = row_number
            if kind in _BEGIN:
                groups.append((row_number, name, key_of(name or f"group_{row_number}")))
                seen[row_number] = {}
            if skipping:
                if kind in _BEGIN:
                    skipping.append((row_number, name))
                elif kind in _END:
                    start, repeat = skipping.pop()
                    groups.pop() if groups else None
                    if not skipping:
                        count = len(skipped_names)
                        self.note(
                            "survey",
                            start,
                            f'repeat "{repeat}" (rows {start}-{row_number}) skipped with its '
                            f"{count} question{'s' if count != 1 else ''}: survey asks each "
                            "question once",
                        )
                        skipped_names = []
                elif name:
                    skipped_names.append(name)
                    self.register(name, Ref(name, None, "inside a repeat"), scope)
                continue
            if not kind:
                self.note("survey", row_number, "no type: row ignored")
                continue
            if kind == "begin_repeat":
                skipping.append((row_number, name))
                if name:
                    self.register(name, Ref(name, None, "a repeat"), scope)
                continue
            if kind == "begin_group":
                if not name:
                    self.error(
                        "survey", row_number, "xlsform_group_no_name", "a group needs a name"
                    )
                    groups.pop()
                    continue
                section = sheet.get(row, "section") or name
                key = key_of(section)  # made unique with the sections, later
                if key != section:
                    self.note("survey", row_number, f'group "{section}" becomes section "{key}"')
                depth += 1
                events.append(("begin", (row_number, row, name, key, (*scope, row_number))))
                self.register(name, Ref(name, None, "a group"), scope)
                continue
            if kind in _END:
                if kind == "end_repeat" or depth == 0:
                    self.error(
                        "survey",
                        row_number,
                        "xlsform_end_without_begin",
                        "{kind} without a begin",
                        kind=kind,
                    )
                    continue
                depth -= 1
                groups.pop()
                events.append(("end", row_number))
                continue
            question = self.question(sheet, row_number, row, written, kind, name, groups)
            if question is not None:
                events.append(("item", question))
        if skipping:
            self.error(
                "survey",
                skipping[0][0],
                "xlsform_repeat_not_ended",
                "begin_repeat without an end_repeat",
            )
        if depth:
            self.error(
                "survey",
                None,
                "xlsform_group_not_ended",
                "{count} begin_group without an end_group",
                count=depth,
            )
        return events

    def question(
        self,
        sheet: Sheet,
        row_number: int,
        row: list[str],
        written: str,
        kind: str,
        name: str,
        groups: list[tuple[int, str, str]],
    ) -> Question | None:
        scope = tuple(g[0] for g in groups)
        list_name: str | None = None
        select = SELECT.fullmatch(written)
        appearance = sheet.get(row, "appearance")
        base = kind.split(" ", 1)[0]
        if "search(" in appearance.replace(" ", ""):
            self.skip(
                row_number, name, "survey reads no choices from files (search())", kind, scope
            )
            return None
        if select and not FILE_SELECT.fullmatch(kind):
            ours = "choice" if select["kind"].lower() in SELECT_ONE else "multi"
            list_name = select["list"]  # as written: pyxform's list names are case-sensitive
            if select["other"]:
                self.note(
                    "survey",
                    row_number,
                    'or_other: the "other" choice and its text box are not imported',
                )
        elif base == "calculate":
            if name in self.outcome_calculates:
                self.note(
                    "survey",
                    row_number,
                    f'calculate "{name}" is outcome "{self.outcome_calculates[name]}" '
                    "(outcomes sheet): survey computes it from the outcome's items",
                )
                self.register(name, Ref(name, None, "the score of an outcome"), scope)
                return None
            return self.calculation(sheet, row_number, row, name, groups)
        elif FILE_SELECT.fullmatch(kind) or base in UNSUPPORTED_TYPES:
            self.skip(row_number, name, UNSUPPORTED_TYPES.get(base, "survey reads no files"),
                      base, scope)  # fmt: skip
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
            self.error(
                "survey",
                row_number,
                "xlsform_type_unknown",
                'unknown question type "{type_written}"',
                type_written=written,
            )
            return None
        if not name and ours == "note":
            name = f"note_row_{row_number}"  # pyxform takes a note without a name, too
            self.note("survey", row_number, f'a note without a name: named "{name}"')
        if not name:
            self.error(
                "survey",
                row_number,
                "xlsform_question_no_name",
                'a "{type_written}" question needs a name',
                type_written=written,
            )
            return None
        key = self.key_for(name, row_number, "name", groups)
        question = Question(row_number, row, name, key, ours, scope, list_name)
        if kind == "range":
            question.bounds = bounds
        if list_name is not None:
            choices = self.lists.get(list_name)
            if choices is None:
                self.error(
                    "survey",
                    row_number,
                    "xlsform_list_missing",
                    'no list "{list}" in the choices sheet',
                    list=list_name,
                )
                return None
            likert = sheet.get(row, "likert")
            if likert:
                if ours != "choice":
                    self.error(
                        "survey",
                        row_number,
                        "xlsform_likert_not_select_one",
                        "the likert column needs a select_one",
                    )
                    return None
                question.type = "likert"
                question.scale = self.likert_scale(likert, choices, row_number, key)
        self.register(
            name,
            Ref(
                key,
                question.type,
                values=self.lists[list_name].value_map if list_name else {},
                positions=(
                    {v: i + 1 for i, v in enumerate(self.lists[list_name].raw_values)}
                    if question.type == "likert" and list_name
                    else {}
                ),
            ),
            scope,
        )
        return question

    def skip(self, row: int, name: str, why: str, kind: str, scope: tuple[int, ...]) -> None:
        self.note("survey", row, f'{kind} "{name}" skipped: {why}')
        if name and kind in METADATA:
            # Conditions may read it: as on a device that records none, it is empty.
            self.register(name, Ref(name, "empty", f"a {kind} value survey never records"), scope)
        elif name:
            self.register(name, Ref(name, None, f"a {kind.split()[0]} question"), scope)

    # -- calculations

    def calculation(
        self,
        sheet: Sheet,
        row_number: int,
        row: list[str],
        name: str,
        groups: list[tuple[int, str, str]],
    ) -> None:
        source = sheet.get(row, "calculation")
        if not name or not source:
            self.note(
                "survey", row_number, "a calculate row needs a name and a calculation: skipped"
            )
            if name:
                self.register(name, Ref(name, None, "a calculate row without a calculation"),
                              tuple(g[0] for g in groups))  # fmt: skip
            return None
        scope = tuple(g[0] for g in groups)
        key = self.key_for(name, row_number, "calculate", groups)
        self.calculation_rows.append(
            _Calculation(row_number, name, key, source, sheet.get(row, "relevant"), scope, ())
        )
        self.register(name, Ref(key, "calculate"), scope)
        return None

    def read_calculations(self) -> None:
        """Translate every calculation; one that cannot be is skipped, and so are those using it."""
        pending = list(self.calculation_rows)
        translated: dict[str, Expr] = {}
        while pending:
            failed = False
            for calc in list(pending):
                translator = ToExpression(self.refs_at(calc.scope))
                try:
                    expr = translator.value(parse_xpath(calc.source))
                    if calc.relevant:
                        condition = translator.condition(parse_xpath(calc.relevant))
                        expr = Call("if", (condition, expr, Constant(None)))
                    for note in dict.fromkeys(translator.notes):
                        self.note("survey", calc.row, f'calculate "{calc.name}": {note}')
                except XPathError as exc:
                    self.note(
                        "survey",
                        calc.row,
                        f'calculate "{calc.name}" skipped: "{calc.source}": {exc.message} (at '
                        f"position {exc.position})",
                    )
                    self.register(
                        calc.name,
                        Ref(calc.name, None, f"a calculation not translated ({exc.message})"),
                        calc.scope,
                        replacing=self.refs_at(calc.scope).get(calc.name),
                    )
                    pending.remove(calc)
                    failed = True
                    continue
                translated[calc.key] = expr
                self.calculation_at[calc.key] = calc.row
                pending.remove(calc)
            if not failed:
                break
            # A calculation using a skipped one must be translated again, to be skipped too.
            pending = [c for c in self.calculation_rows if c.key in translated]
            dependents = [c for c in pending if self._uses_skipped(translated[c.key])]
            if not dependents:
                break
            for calc in dependents:
                del translated[calc.key]
            pending = dependents
        self.calculations = _in_dependency_order(translated)

    def _uses_skipped(self, expr: Expr) -> bool:
        known = set(self.keys)
        skipped = {ref.key for ref in self.refs.values() if ref.type is None}
        return bool(names(expr) & skipped - known)

    # -- conditions

    def condition(self, sheet: Sheet, row: int, source: str, scope: tuple[int, ...]) -> Expr | None:
        translator = ToExpression(self.refs_at(scope))
        try:
            tree = translator.condition(parse_xpath(source))
            for note in dict.fromkeys(translator.notes):
                self.note(sheet.name, row, f'relevant "{source}": {note}')
            return None if tree == Constant(True) else tree
        except XPathError as exc:
            self.error(
                sheet.name,
                row,
                "xlsform_relevant_untranslatable",
                'relevant "{source}": {reason} (at position {position}); '
                "a condition cannot be dropped without showing questions that do not apply",
                source=source,
                reason=exc.message,
                position=exc.position,
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
                row_number, row, name, key, scope = payload
                if stack:
                    self.note(
                        "survey",
                        row_number,
                        f'group "{name}" is inside group "{stack[-1].name}": it becomes a section '
                        "of its own (survey has no nested sections), shown only when both "
                        "groups' conditions hold",
                    )
                relevant = sheet.get(row, "relevant")
                title = self.text(sheet, row_number, row, "label")
                group = _Group(row_number, name, key, title, relevant, scope)
                if relevant:
                    group.condition = self.condition(sheet, row_number, relevant, scope[:-1])
                self.ignore_columns(
                    sheet, row_number, row, SURVEY_COLUMNS | _ALSO_READ | {"appearance"}
                )
                stack.append(group)
                current = None
            elif event == "end":
                stack.pop()
                current = None
            else:
                question: Question = payload
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

    def piped(self, text: Text | None, q: Question, what: str) -> Text | None:
        if text is None:
            return None
        refs = self.refs_at(q.scope)
        out: Text = {}
        for code, value in text.items():
            out[code], dropped = pipe_names(value, refs)
            for name in dict.fromkeys(dropped):
                why = refs[name].skipped if name in refs else "not a question of the form"
                self.note(
                    "survey",
                    q.row,
                    f"the {what} shows ${{{name}}}, which is {why}: shown as nothing",
                )
        return out

    def item(self, sheet: Sheet, q: Question) -> dict[str, Any] | None:
        row = q.raw
        item: dict[str, Any] = {"key": q.key, "type": q.type}
        text = self.piped(self.text(sheet, q.row, row, "label"), q, "label")
        if text is None:
            self.error("survey", q.row, "xlsform_no_label", '"{name}" has no label', name=q.name)
            return None
        item["text"] = text
        hint = self.piped(self.text(sheet, q.row, row, "hint"), q, "hint")
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
            condition = self.condition(sheet, q.row, relevant, q.scope)
            if condition is not None:
                item["show_if"] = format_expression(condition)
        item.update(q.bounds)
        if q.list_name is not None and q.type != "likert":
            item["choices"] = q.list_name  # replaced by the list's key or inline choices later
        if q.type == "likert":
            item["scale"] = q.scale
        if q.type == "note":
            if sheet.get(row, "constraint"):
                self.note("survey", q.row, "a constraint on a note has no meaning: dropped")
        else:
            self.constraint(sheet, q, item)
        self.answer_key(sheet, q, item)
        if sheet.get(row, "equivalent").lower() in YES:
            item["equivalent"] = True
        self.choice_filter(sheet, q, item)
        known = SURVEY_COLUMNS | _ALSO_READ | ({"parameters"} if q.bounds else set())
        self.ignore_columns(sheet, q.row, row, frozenset(known))
        return item

    def choice_filter(self, sheet: Sheet, q: Question, item: dict[str, Any]) -> None:
        source = sheet.get(q.raw, "choice_filter")
        if not source:
            return
        if q.list_name is None or q.type == "likert":
            self.note("survey", q.row, "choice_filter on a question without a choice list: ignored")
            return
        columns = {c for c in Sheet.parse("choices", self.cells.get("choices", [])).columns}
        try:
            found = choice_filter_of(source, self.refs_at(q.scope), columns)
        except XPathError as exc:
            self.note(
                "survey",
                q.row,
                f'choice_filter "{source}" not translated ({exc.message}): every choice of the '
                "list is shown",
            )
            return
        ours: dict[str, str] = {}
        properties = self.filters.setdefault(q.list_name, {})
        for column, (_, ref) in found.items():
            prop = "value" if column == "value" else key_of(column)
            ours[prop] = ref.key
            if prop != "value":
                properties[prop] = (column, ref.values)
        item["choice_filter"] = ours

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
            # The choices sheet's other columns matter only to a choice_filter that reads them.
            read = {column for column, _ in self.filters.get(list_name, {}).values()}
            for row_number, extra in zip(choices.rows, choices.extra, strict=True):
                for column in extra.keys() - read:
                    self.ignored.setdefault(("choices", column), []).append(row_number)
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
            list_key = unique_name(key_of(list_name), taken)
            taken.add(list_key)
            list_keys[list_name] = list_key
            self.list_by_key[list_key] = list_name
            choice_lists[list_key] = choice_dicts(choices, self.filters.get(list_name, {}))
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
                        item["choices"] = choice_dicts(
                            self.lists[list_name], self.filters.get(list_name, {})
                        )
            section["items"] = draft.items
            sections.append(section)
        definition["sections"] = sections
        if choice_lists:
            definition["choice_lists"] = choice_lists
        if self.scales:
            definition["likert_scales"] = self.scales
        if self.outcomes:
            definition["outcomes"] = self.outcomes
        if self.calculations:
            definition["calculations"] = dict(self.calculations)
        return definition

    def validate(self, outcome_rows: dict[str, int]) -> Questionnaire:
        definition = self.definition()
        self.fail_if_errors()
        self.report_ignored()
        for _ in range(6):
            try:
                return load_object(definition, source=self.source)
            except InvalidDefinition as exc:
                if not self.drop_optional(definition, exc.errors):
                    for message in exc.errors:
                        self.errors.append(self.locate(message, outcome_rows))
                    raise ImportFailed from None
        raise ImportFailed

    def drop_optional(self, definition: dict[str, Any], errors: list[str]) -> bool:
        """Drop what the loader refused that a form can do without (each reported); False if any
        refused part cannot be dropped without changing which questions are asked."""
        for message in errors:
            path = message.partition(": ")[0]
            if not (_OPTIONAL.match(path) or _CALCULATION.fullmatch(path)):
                return False
        for message in errors:
            path, _, why = message.partition(": ")
            calculation = _CALCULATION.fullmatch(path)
            if calculation:
                key = calculation.group(1)
                definition.get("calculations", {}).pop(key, None)
                self.note(
                    "survey", self.calculation_at.get(key), f'calculate "{key}" skipped: {why}'
                )
                continue
            match = _OPTIONAL.match(path)
            assert match is not None
            s, i, part = int(match.group(1)), int(match.group(2)), match.group(3)
            item = definition["sections"][s]["items"][i]
            row = self.sections[s].item_rows[i]
            if part in ("text", "hint"):
                item[part] = {code: PIPED.sub("", t) for code, t in item[part].items()}
                self.note("survey", row, f"the {part} cannot show what it names ({why}): shown "
                          "without it")  # fmt: skip
            elif part == "constraint":
                item.pop("constraint", None)
                item.pop("constraint_message", None)
                self.note("survey", row, f"constraint dropped ({why}): answers are not checked "
                          "against it")  # fmt: skip
            else:
                item.pop("choice_filter", None)
                self.note("survey", row, f"choice_filter dropped ({why}): every choice is shown")
        return True

    def locate(self, found: Problem, outcome_rows: dict[str, int]) -> Problem:
        """The loader's problem about ``sections[1].items[2].correct`` said at the sheet and row it came
        from (``sheet``, ``row`` and the ``field`` of the definition added to its parameters)."""
        path = found.path
        match = SECTION_PATH.fullmatch(path)
        if match:
            s, i, tail = int(match.group(1)), match.group(2), match.group(3)
            if s < len(self.sections):
                draft = self.sections[s]
                if i is not None and int(i) < len(draft.item_rows):
                    row = draft.item_rows[int(i)]
                else:
                    row = draft.row
                return _at_row(found, "survey", row, tail)
        calculation = _CALCULATION.fullmatch(path)
        if calculation and calculation.group(1) in self.calculation_at:
            return _at_row(found, "survey", self.calculation_at[calculation.group(1)], None)
        match = NAMED_PATH.fullmatch(path)
        if match:
            what, name, index, tail = match.groups()
            if what == "outcomes" and name in outcome_rows:
                return _at_row(found, "outcomes", outcome_rows[name], tail)
            if what == "likert_scales":
                list_name = self.scale_lists.get(name, name)
            else:
                list_name = self.list_by_key.get(name, name)
            choices = self.lists.get(list_name)
            if choices is not None and choices.rows:
                row = choices.rows[int(index)] if index is not None else choices.rows[0]
                return _at_row(found, "choices", row, tail, list_name)
        if path in ("key", "title", "languages", "description") or path.startswith("title"):
            return found.moved(f"settings sheet: {path}", sheet="settings", row=None, field=path)
        return found


def _at_row(
    found: Problem, sheet: str, row: int, tail: str | None, list_name: str | None = None
) -> Problem:
    """``found`` said at a row of a sheet, as the import's own problems are."""
    where = f"{sheet} sheet, row {row}" + (f' (list "{list_name}")' if list_name else "")
    return found.moved(
        f"{where}: {tail}" if tail else where,
        sheet=sheet,
        row=row,
        field=tail or None,
        list=list_name,
    )


def _in_dependency_order(translated: dict[str, Expr]) -> dict[str, str]:
    """Calculations ordered so that each comes after those it uses (XLSForm allows any order)."""
    done: dict[str, str] = {}
    pending = dict(translated)
    while pending:
        ready = [k for k, e in pending.items() if not (names(e) & set(pending) - {k})]
        if not ready:  # a cycle, which ODK refuses too: the loader names it
            ready = list(pending)
        for key in ready:
            done[key] = format_expression(pending.pop(key))
    # The expressions read back equal: the loader parses exactly what format_expression writes.
    assert all(parse(source) is not None for source in done.values())
    return done


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
        settings sheet does not name one in ``default_language``; without either, the language is
        guessed from the labels' script and reported.

    Returns
    -------
    tuple of (Questionnaire, list of ReportLine)
        The questionnaire, canonical as the loader returns it, and one line for everything the
        import changed or left out, in sheet order.

    Raises
    ------
    InvalidDefinition
        Every problem that would make the result wrong, each naming its sheet and row: not a
        workbook, no survey sheet, a name twice in one group, an untranslatable ``relevant``, a
        condition naming a skipped question, and whatever the loader rejects.
    """
    data, name = workbook_data(workbook, source)
    try:
        sheets = read_workbook(data)
    except InvalidDefinition as exc:
        raise InvalidDefinition(exc.errors, source=name) from None
    importer = Importer(sheets, name, language)
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
