"""Load questionnaire definitions from YAML and validate them.

Loading runs in four steps, and every step reports *every* problem it finds, each naming its exact place
(``sections[2].items[3].correct: "c" is not one of the choices a, b, d``):

1. YAML parsing (one error with its line and column: nothing else can be checked in a broken file);
2. structural decoding into the Structs of :mod:`survey.questionnaire.model` (wrong types, unknown or
   missing fields);
3. normalisation of texts (Unicode NFC, stripped);
4. semantic validation (languages, references, expressions, outcomes...).

A valid definition is then completed with the defaults the format implies (``consent`` items are required,
``max_length`` of text and panel_code items, ``scoring`` of multi knowledge items, ``correct`` of a multi
item in choice order), so that the returned Struct is canonical: two files that mean the same thing give
equal Structs.

The YAML dialect is YAML 1.2's: only ``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay
strings, so ``value: no`` is the string "no") and dates stay strings (``min: 2024-01-01``). Duplicate keys in
a mapping are errors rather than silently keeping the last one.

One module, though long: validation is one pass over one definition, and each rule must see the
others' results (an outcome's items must exist, be of the right type and be asked before the condition
that names them); the rules read top to bottom in the order of the format's documentation
(docs/questionnaire-format.md), which is how they are reviewed.

Each problem of every step is a :class:`Problem`: the English line ``survey forms check`` prints (it is that
string), with a ``code`` and ``params`` from which a page says it in its reader's language, as the
report's notes do (:class:`survey.analysis.results.Note`). The codes are listed in
:data:`PROBLEM_CODES`: :func:`problem` is the only way a rule reports.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
import math
import os
import re
import typing
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

import msgspec
import yaml

from survey.errors import InvalidDefinition, InvalidExpression
from survey.questionnaire import expressions
from survey.questionnaire.computed import PIPED
from survey.questionnaire.model import (
    CONSENT_VALUES,
    DEFAULT_MAX_LENGTH,
    ITEM_TYPES,
    Analysis,
    Choice,
    Item,
    LikertScale,
    Outcome,
    Questionnaire,
    Text,
    Variable,
)

__all__ = [
    "FIELD_TYPES",
    "MAX_DEFINITION_BYTES",
    "PROBLEM_CODES",
    "Problem",
    "check_files",
    "load_definition",
    "load_file",
    "load_object",
    "problem",
]

MAX_DEFINITION_BYTES = 1_000_000
"""Largest definition accepted, in bytes of UTF-8."""

#: The code of every problem the loader reports, each with its parameters (the English template beside
#: each call says the sentence; survey/console/messages.py has ``problem.<code>`` in Mongolian and
#: English). tests/unit/test_loader_problems.py holds that every rule has one and that each is worded.
PROBLEM_CODES: Final = frozenset(
    {
        "key_invalid",  # key, what, allowed
        "too_long",  # value, max
        "text_missing",  # language
        "text_empty",  # language
        "choices_empty",
        "choice_value_invalid",  # value
        "choice_duplicate",  # value, first
        "labels_count",  # count, points
        "label_empty",
        "labels_missing",  # language
        "item_duplicate",  # key, first
        "sections_empty",
        "section_duplicate",  # key, first
        "items_empty",
        "panel_code_twice",  # first
        "reserved_word",  # key
        "not_allowed",  # type, allowed
        "scale_missing",
        "scale_unknown",  # name, defined
        "out_of_range",  # min, max, value
        "choices_missing",  # type
        "scoring_without_correct",
        "correct_empty",
        "listed_twice",  # value
        "not_a_choice",  # value, choices
        "expected_integer",  # value
        "expected_number",  # value
        "expected_date",  # value
        "min_above_max",  # min, max
        "expression_syntax",  # reason, position
        "unknown_item",  # key, at
        "not_before",  # key, at, where
        "note_no_answer",  # key, at
        "panel_code_never_kept",  # key, at
        "not_knowledge",  # key
        "scale_needs_likert",  # key, a_type, type
        "outcome_items_empty",  # kind
        "reverse_not_in_outcome",  # key
        "reverse_not_marked",  # key
        "reverse_not_listed",  # key
        "proportion_item_missing",
        "proportion_value_missing",
        "not_used_by_kind",  # kind
        "message_without_constraint",
        "filter_empty",  # example
        "property_unknown",  # name, defined
        "computed_not_before",  # key, at, where
        "property_empty",
        # Reading the file and its YAML
        "file_not_found",
        "file_is_directory",
        "file_permission",
        "file_unreadable",  # reason
        "key_not_file_name",  # key, name
        "definition_too_large",  # max
        "not_utf8",  # byte
        "yaml_syntax",  # reason; line, column when known
        "yaml_invalid",  # reason
        "yaml_too_deep",
        "yaml_duplicate_key",  # key; line, column
        "yaml_not_integer",  # value; line, column
        "yaml_not_number",  # value; line, column
        "yaml_tag",  # tag; line, column
        # Structure
        "definition_empty",
        "definition_not_mapping",  # kind
        "too_many_values",  # max
        "nested_too_deep",  # max
        "key_not_string",  # key
        "key_nul",
        "value_nul",
        "lone_surrogate",
        "value_unsupported",  # name (of the Python type)
        "field_unknown",  # name
        "field_unknown_close",  # name, close
        "field_missing",  # name
        "expected_type_got",  # expected, got
        "expected_text_quotes",  # expected, got
        "not_one_of",  # value, allowed
        "structure_invalid",  # reason
        # Languages, choices, bounds
        "languages_empty",
        "language_invalid",  # value
        "language_unknown",  # value, declared
        "choice_list_unknown",  # name, defined
        "correct_not_single",
        "correct_not_list",  # value
        "not_finite",  # value
        "bound_too_large",  # bound
        # Expressions, calculations, piped texts, properties
        "expression_too_deep",
        "selected_calculation",  # key, at
        "selected_not_choice",  # key, at, a_type, type
        "calculation_is_item",  # key, first
        "calculation_reserved",  # key
        "calculation_not_before",  # key, at
        "no_answer_to_compute",  # key, at, a_type, type
        "piped_not_key",  # text
        "property_name_invalid",  # name
        "property_too_long",  # max
        "multi_needs_selected",  # key, at
        "compared_not_a_choice",  # key, at, value, choices
        # Outcomes and the analysis block
        "scales_differ",  # key, scale, other, other_scale
        "min_answered_range",  # value
        "proportion_item_type",  # key, a_type, type
        "proportion_values_empty",
        "too_many_variables",  # max, count
        "covariate_type",  # key, a_type, type
        "subgroup_type",  # key, a_type, type
        "variable_knowledge",  # key
        "variable_outcome",  # key, outcome
        "subgroup_needs_bands",  # key, example
        "bands_not_integer",  # key, a_type, type
        "bands_empty",
        "too_many_bands",  # max, count
        "bands_order",  # value, previous
        "band_below_min",  # value, min
        "band_above_max",  # value, max
    }
)


class Problem(str):
    """One rule a definition breaks: the line ``survey forms check`` prints (``path: English``) is the
    string itself, so that every caller of the loader reads it as before; ``path``, ``code`` and
    ``params`` let a page say it in its reader's language."""

    path: str
    code: str
    params: dict[str, object]

    def __new__(
        cls, path: str, code: str, english: str, params: dict[str, object] | None = None
    ) -> Problem:
        problem = super().__new__(cls, _at(path, english))
        problem.path = path
        problem.code = code
        problem.params = dict(params or {})
        return problem

    def moved(self, path: str, **params: object) -> Problem:
        """The same problem said at another place (an importer's sheet and row), ``params`` added."""
        english = str(self)[len(self.path) + 2 :] if self.path else str(self)
        return Problem(path, self.code, english, {**self.params, **params})

    @classmethod
    def rebuilt(cls, path: str, code: str, line: str, params: dict[str, object]) -> Problem:
        """A problem again from its parts (``path``, ``code``, the whole ``line``, ``params``), as a
        process that sent it across as data had it."""
        return _problem(path, code, line, params)

    def __reduce__(self) -> tuple[object, ...]:
        # Kept whole through pickling (a process pool, a cache): not turned back into a bare string.
        return (_problem, (self.path, self.code, str(self), self.params))


def _problem(path: str, code: str, line: str, params: dict[str, object]) -> Problem:
    english = line[len(path) + 2 :] if path else line
    return Problem(path, code, english, params)


def problem(path: str, code: str, english: str, **params: object) -> Problem:
    """The problem ``code`` (one of :data:`PROBLEM_CODES`) at ``path``; ``english`` is a template over
    ``params`` that gives the line ``survey forms check`` prints. The only way a rule reports: a rule
    without a code cannot be written, so every page can say every problem in its reader's language."""
    return Problem(path, code, english.format(**params), params)


# Bounds on the decoded YAML. Aliases (*name) can make a small file expand enormously, and even
# refer to themselves; walking with these limits stops that before msgspec expands it.
_MAX_NODES = 200_000
_MAX_DEPTH = 32

_QUESTIONNAIRE_KEY = re.compile(r"[a-z][a-z0-9_-]*")
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_CHOICE_VALUE = re.compile(r"[A-Za-z0-9_-]+")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_MAX_KEY_LENGTH = 64
_MAX_TEXT_LENGTH = 10_000  # largest max_length an item may declare
_MAX_PROPERTY_LENGTH = 200  # a choice property is a short code to filter by, not a text
# Numeric bounds stay where a float64 still holds every integer (2**53 is about 9e15), so answers
# compare exactly wherever they are read.
_MAX_BOUND = 10**15

_POINTS = (2, 11)

# The analysis block. Every grouping item adds a row per group to each outcome's plot, and every
# covariate parameters to each adjusted model: more would make the report long and the models thin.
_MAX_COVARIATES = 10
_MAX_SUBGROUPS = 5
_MAX_BANDS = 10
# What each list of the analysis block takes, and how to say it.
_ANALYSIS_TYPES: dict[str, tuple[frozenset[str], str]] = {
    "covariates": (
        frozenset({"choice", "integer", "decimal"}),
        "a covariate is a choice, integer or decimal item",
    ),
    "subgroups": (
        frozenset({"choice", "integer"}),
        "a grouping item is a choice item, or an integer item with bands",
    ),
}

#: Which item types may carry each optional field (the format's item table); the editor offers an item the
#: inputs of its type from it.
FIELD_TYPES: dict[str, frozenset[str]] = {
    "hint": frozenset(
        {"choice", "multi", "likert", "integer", "decimal", "text", "date", "consent", "panel_code"}
    ),
    "required": frozenset(
        {"choice", "multi", "likert", "integer", "decimal", "text", "date", "consent", "panel_code"}
    ),
    "choices": frozenset({"choice", "multi"}),
    "correct": frozenset({"choice", "multi"}),
    "scoring": frozenset({"multi"}),
    "scale": frozenset({"likert"}),
    "reverse": frozenset({"likert"}),
    "min": frozenset({"integer", "decimal", "date"}),
    "max": frozenset({"integer", "decimal", "date"}),
    "max_length": frozenset({"text", "panel_code"}),
    "choice_filter": frozenset({"choice", "multi"}),
    "constraint": frozenset({"choice", "multi", "likert", "integer", "decimal", "text", "date"}),
    "constraint_message": frozenset(
        {"choice", "multi", "likert", "integer", "decimal", "text", "date"}
    ),
}


# --------------------------------------------------------------------------------------------------
# Public API


def load_definition(text: str | bytes, *, source: str = "<string>") -> Questionnaire:
    """Parse, validate and normalise one questionnaire definition written in YAML.

    Parameters
    ----------
    text
        The YAML document, as text or UTF-8 bytes, at most :data:`MAX_DEFINITION_BYTES` long.
    source
        Where it comes from (a file name), used as the prefix of error messages.

    Returns
    -------
    Questionnaire
        The definition, canonical: texts NFC-normalised and stripped, implied defaults made explicit.

    Raises
    ------
    InvalidDefinition
        With every problem found (``errors``), each naming its place, and ``source``. No other exception
        escapes for any input.
    """
    definition, errors = _load_text(text)
    if errors or definition is None:
        raise InvalidDefinition(errors, source=source)
    return definition


def load_object(data: object, *, source: str = "<object>") -> Questionnaire:
    """Validate and normalise a definition already decoded into Python builtins (e.g. from JSON).

    Same checks and result as :func:`load_definition`, without the YAML step.
    """
    definition, errors = _load_builtins(data)
    if errors or definition is None:
        raise InvalidDefinition(errors, source=source)
    return definition


def load_file(path: str | os.PathLike[str]) -> Questionnaire:
    """Load ``forms/<key>.yaml``: like :func:`load_definition`, and the file name must match the key.

    Raises
    ------
    InvalidDefinition
        With ``source`` the path as given; a missing or unreadable file is one clear error, never an
        ``OSError``.
    """
    source = os.fspath(path)
    definition, errors = _load_path(source)
    if errors or definition is None:
        raise InvalidDefinition(errors, source=source)
    return definition


def check_files(paths: Iterable[str | os.PathLike[str]]) -> dict[str, list[str]]:
    """Every error of every file, by path as given (an empty list for a valid file)."""
    return {os.fspath(p): _load_path(os.fspath(p))[1] for p in paths}


# --------------------------------------------------------------------------------------------------
# Reading and parsing


def _load_path(source: str) -> tuple[Questionnaire | None, list[Problem]]:
    try:
        with open(source, "rb") as f:
            data = f.read(MAX_DEFINITION_BYTES + 1)
    except FileNotFoundError:
        return None, [problem("", "file_not_found", "file not found")]
    except IsADirectoryError:
        return None, [problem("", "file_is_directory", "is a directory, not a file")]
    except PermissionError:
        return None, [problem("", "file_permission", "cannot read the file: permission denied")]
    except OSError as exc:
        return None, [
            problem(
                "", "file_unreadable", "cannot read the file: {reason}", reason=exc.strerror or exc
            )
        ]
    definition, errors = _load_text(data)
    stem = Path(source).stem
    key = definition.key if definition is not None else _raw_key(data)
    if key is not None and key != stem:
        errors.append(
            problem(
                "key",
                "key_not_file_name",
                '"{key}" does not match the file name "{name}" '
                "(rename the file {key}.yaml or change the key)",
                key=key,
                name=Path(source).name,
            )
        )
    return (definition if not errors else None), errors


def _raw_key(data: bytes) -> str | None:
    """The ``key`` of a definition that failed to load, to check the file name anyway."""
    obj, errors = _parse_yaml(data)
    if not errors and isinstance(obj, dict) and isinstance(obj.get("key"), str):
        return obj["key"]
    return None


def _load_text(text: str | bytes) -> tuple[Questionnaire | None, list[Problem]]:
    obj, errors = _parse_yaml(text)
    if errors:
        return None, errors
    return _load_builtins(obj)


def _load_builtins(obj: object) -> tuple[Questionnaire | None, list[Problem]]:
    if obj is None:
        return None, [problem("", "definition_empty", "the definition is empty")]
    if not isinstance(obj, dict):
        return None, [
            problem(
                "",
                "definition_not_mapping",
                "the definition must be a mapping (key: value lines), not {kind}",
                kind=_kind(obj),
            )
        ]
    errors = _check_shape(obj)
    if errors:
        return None, errors
    obj = _with_shipped_lists(obj)
    try:
        decoded = msgspec.convert(obj, Questionnaire)
    except msgspec.ValidationError:
        return None, _structural_errors(obj, Questionnaire, "")
    definition = _normalise_texts(decoded)
    errors = _Validator(definition).run()
    if errors:
        return None, errors
    return _complete(definition), []


class _Refused(yaml.constructor.ConstructorError):
    """A value our YAML dialect refuses, with the code and parameters of the problem it makes."""

    def __init__(self, code: str, english: str, mark: yaml.Mark, **params: object) -> None:
        super().__init__(None, None, english.format(**params), mark)
        self.code = code
        self.params = params


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, no implicit timestamps, and errors on duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, _ in node.value:
                if (
                    isinstance(key_node, yaml.ScalarNode)
                    and key_node.tag != "tag:yaml.org,2002:merge"
                ):
                    marker = (key_node.tag, key_node.value)
                    if marker in seen:
                        raise _Refused(
                            "yaml_duplicate_key",
                            'duplicate key "{key}"',
                            key_node.start_mark,
                            key=key_node.value,
                        )
                    seen.add(marker)
        return super().construct_mapping(node, deep=deep)


# YAML 1.2 core schema scalars instead of PyYAML's YAML 1.1 ones, which read `no` as false, `012` as
# octal 10, `1:30` as 90, `1.0e7` as a string and `2024-01-01` as a date.
_YAML_TAG = "tag:yaml.org,2002:"
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in {_YAML_TAG + t for t in ("bool", "int", "float", "timestamp")}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _YAML_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _YAML_TAG + "int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    _YAML_TAG + "float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    try:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    except ValueError:
        raise _Refused(
            "yaml_not_integer", '"{value}" is not an integer', node.start_mark, value=text
        ) from None


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node))
    special = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
    if text.lower() in special:
        return special[text.lower()]
    try:
        return float(text)
    except ValueError:
        raise _Refused(
            "yaml_not_number", '"{value}" is not a number', node.start_mark, value=text
        ) from None


def _refuse(loader: _Loader, node: yaml.Node) -> None:
    raise _Refused(
        "yaml_tag", "the YAML tag {tag} is not supported here", node.start_mark, tag=node.tag
    )


_Loader.add_constructor(_YAML_TAG + "int", _construct_int)
_Loader.add_constructor(_YAML_TAG + "float", _construct_float)
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _Loader.add_constructor(_YAML_TAG + _tag, _refuse)


def _parse_yaml(text: str | bytes) -> tuple[object, list[Problem]]:
    if isinstance(text, bytes):
        if len(text) > MAX_DEFINITION_BYTES:
            return None, [_too_large()]
        try:
            text = text.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, [
                problem("", "not_utf8", "not valid UTF-8 text (byte {byte})", byte=exc.start)
            ]
    elif len(text) > MAX_DEFINITION_BYTES or len(text.encode("utf-8", "replace")) > (
        MAX_DEFINITION_BYTES
    ):
        return None, [_too_large()]
    try:
        return yaml.load(text, Loader=_Loader), []
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_problem(exc)]
    except yaml.YAMLError as exc:
        return None, [problem("", "yaml_invalid", "not valid YAML: {reason}", reason=exc)]
    except RecursionError:
        return None, [problem("", "yaml_too_deep", "the YAML is nested too deeply")]
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's own constructors can fail this way on explicit tags (e.g. a malformed
        # !!timestamp); the file is hostile input, so this is a user error, not a crash.
        return None, [problem("", "yaml_invalid", "not valid YAML: {reason}", reason=exc)]


def _too_large() -> Problem:
    return problem(
        "",
        "definition_too_large",
        "the definition is larger than {max} bytes",
        max=MAX_DEFINITION_BYTES,
    )


def _yaml_problem(exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML error at its line and column (counted from 1, as editors show them)."""
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "not valid YAML"
    if exc.context and exc.problem:
        context_mark = exc.context_mark
        at = f" at line {context_mark.line + 1}" if context_mark else ""
        message += f" ({exc.context}{at})"
    if mark is None:
        return problem("", "yaml_invalid", "{reason}", reason=message)
    place = {"line": mark.line + 1, "column": mark.column + 1}
    english = "line {line}, column {column}: " + message.replace("{", "{{").replace("}", "}}")
    if isinstance(exc, _Refused):
        # The code of the value refused, said where it is (its call names the code).
        return problem("", exc.code, english, **place, **exc.params)
    return problem("", "yaml_syntax", english, **place, reason=message)


# --------------------------------------------------------------------------------------------------
# Structure


def _check_shape(obj: object) -> list[Problem]:
    """Refuse values YAML can produce but a definition never holds, and bound size and depth."""
    count = 0
    stack: list[tuple[object, tuple[str | int, ...]]] = [(obj, ())]
    while stack:
        node, where = stack.pop()
        count += 1
        if count > _MAX_NODES:
            return [
                problem(
                    "",
                    "too_many_values",
                    "the definition is too large (more than {max} values, aliases expanded)",
                    max=_MAX_NODES,
                )
            ]
        if len(where) > _MAX_DEPTH:
            return [
                problem(
                    f"{_path_of(where[:3])}...",
                    "nested_too_deep",
                    "nested more than {max} levels deep",
                    max=_MAX_DEPTH,
                )
            ]
        if isinstance(node, dict):
            for k, v in node.items():
                if not isinstance(k, str):
                    return [
                        problem(
                            _path_of(where) or "the definition",
                            "key_not_string",
                            "key {key} is not a string",
                            key=repr(k),
                        )
                    ]
                if "\x00" in k:
                    return [
                        problem(
                            _path_of(where) or "the definition",
                            "key_nul",
                            "a key contains a NUL character",
                        )
                    ]
                stack.append((v, (*where, k)))
        elif isinstance(node, list):
            stack.extend((v, (*where, i)) for i, v in enumerate(node))
        elif isinstance(node, str):
            if "\x00" in node:
                # PostgreSQL cannot store NUL in text or jsonb.
                return [
                    problem(
                        _path_of(where) or "the definition",
                        "value_nul",
                        "contains a NUL character",
                    )
                ]
            if not node.isascii():
                try:
                    node.encode("utf-8")
                except UnicodeEncodeError:
                    return [
                        problem(
                            _path_of(where),
                            "lone_surrogate",
                            "contains an invalid character (a lone surrogate)",
                        )
                    ]
        elif node is not None and not isinstance(node, str | int | float | bool):
            return [
                problem(
                    _path_of(where),
                    "value_unsupported",
                    "unsupported value of type {name}",
                    name=type(node).__name__,
                )
            ]
    return []


def _path_of(parts: Iterable[str | int]) -> str:
    path = ""
    for part in parts:
        path = _index(path, part) if isinstance(part, int) else _child(path, part)
    return path


def _child(path: str, name: str) -> str:
    """Path of field ``name`` under ``path``: ``a.b``, or ``a["odd name"]`` when it is not a plain name."""
    if _PLAIN_NAME.fullmatch(name):
        return f"{path}.{name}" if path else name
    return f"{path}[{json.dumps(name, ensure_ascii=False)}]"


def _index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def _structural_errors(obj: object, tp: Any, path: str) -> list[Problem]:
    """Every structural error under ``obj`` decoded as ``tp``, each with its path.

    msgspec stops at the first error; descending into Structs, lists and dicts and converting each part
    on its own finds all of them.
    """
    try:
        msgspec.convert(obj, tp)
        return []
    except msgspec.ValidationError as exc:
        leaf = str(exc)
    errors: list[Problem] = []
    target = _container_for(obj, tp)
    # _container_for only ever pairs a Struct or dict type with a dict, and a list type with a list.
    if isinstance(obj, dict) and isinstance(target, type) and issubclass(target, msgspec.Struct):
        fields = {f.encode_name: f for f in msgspec.structs.fields(target)}
        for name, value in obj.items():
            if name in fields:
                errors += _structural_errors(value, fields[name].type, _child(path, name))
            elif close := difflib.get_close_matches(name, list(fields), n=1):
                errors.append(
                    problem(
                        path,
                        "field_unknown_close",
                        'unknown field "{name}" (did you mean "{close}"?)',
                        name=name,
                        close=close[0],
                    )
                )
            else:
                errors.append(problem(path, "field_unknown", 'unknown field "{name}"', name=name))
        errors += [
            problem(path, "field_missing", 'missing required field "{name}"', name=name)
            for name, f in fields.items()
            if f.required and name not in obj
        ]
    elif isinstance(obj, list) and typing.get_origin(target) is list:
        (element,) = typing.get_args(target)
        for i, value in enumerate(obj):
            errors += _structural_errors(value, element, _index(path, i))
    elif isinstance(obj, dict) and typing.get_origin(target) is dict:
        _, element = typing.get_args(target)
        for name, value in obj.items():
            errors += _structural_errors(value, element, _child(path, name))
    return errors or [_translate(leaf, tp, path)]


def _container_for(obj: object, tp: Any) -> Any:
    """The Struct, list or dict type within ``tp`` (possibly a union) that ``obj`` should decode as."""
    candidates = (
        typing.get_args(tp) if typing.get_origin(tp) in (typing.Union, _UnionType) else (tp,)
    )
    for candidate in candidates:
        origin = typing.get_origin(candidate)
        if isinstance(obj, list) and origin is list:
            return candidate
        if isinstance(obj, dict) and (
            origin is dict
            or (isinstance(candidate, type) and issubclass(candidate, msgspec.Struct))
        ):
            return candidate
    return None


_UnionType = type(int | str)

_TYPE_WORDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "null": "nothing",
    "array": "a list",
    "object": "a mapping",
    "bytes": "binary data",
}
_EXPECTED = re.compile(r"Expected `([^`]*)`(?:, got `([^`]*)`)?")
_LOCATION = re.compile(r" - at (?:`key` in )?`\$([^`]*)`$")


def _translate(message: str, tp: Any, path: str) -> Problem:
    """Turn a msgspec error (``Expected `str`, got `int` - at `$[0]```) into our style.

    The types are named in the parameters by msgspec's own words (``str``, ``int``, ``array``...),
    joined by ``|``, so that a page can say each in its language.
    """
    location = _LOCATION.search(message)
    if location:
        message = message[: location.start()]
        path = (path + location.group(1)).removeprefix(".")
    expected = _EXPECTED.fullmatch(message)
    if expected:
        wanted = [w.strip() for w in expected.group(1).split("|")]
        text = "expected " + " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        got = expected.group(2)
        if not got:
            return problem(path, "structure_invalid", "{reason}", reason=text)
        text += f", got {_TYPE_WORDS.get(got, got)}"
        if "str" in wanted and got in ("int", "float", "bool"):
            text += " (put it in quotes)"
            return problem(path, "expected_text_quotes", text, expected="|".join(wanted), got=got)
        return problem(path, "expected_type_got", text, expected="|".join(wanted), got=got)
    enum = re.fullmatch(r"Invalid enum value (.*)", message)
    allowed = _literal_values(tp)
    if enum and allowed:
        return problem(
            path,
            "not_one_of",
            '"{value}" is not one of {allowed}',
            value=enum.group(1).strip("'"),
            allowed=", ".join(allowed),
        )
    return problem(
        path,
        "structure_invalid",
        "{reason}",
        reason=message[:1].lower() + message[1:],
    )


def _literal_values(tp: Any) -> tuple[str, ...]:
    if typing.get_origin(tp) is typing.Literal:
        return typing.get_args(tp)
    for arg in typing.get_args(tp):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return ()


def _at(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def _kind(obj: object) -> str:
    if isinstance(obj, list):
        return "a list"
    if isinstance(obj, str):
        return "a string"
    if isinstance(obj, bool):
        return "a boolean"
    if isinstance(obj, int | float):
        return "a number"
    return f"a {type(obj).__name__}"


# --------------------------------------------------------------------------------------------------
# Normalisation


SHIPPED_LISTS = Path(__file__).with_name("lists")
"""Reusable choice lists shipped with survey (``mn_aimag``, ``mn_soum``): YAML files of named lists."""


@functools.cache
def shipped_choice_lists() -> dict[str, list[Any]]:
    """Every shipped reusable choice list by name, as its YAML gives it."""
    found: dict[str, list[Any]] = {}
    for path in sorted(SHIPPED_LISTS.glob("*.yaml")):
        found.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _with_shipped_lists(obj: dict[str, Any]) -> dict[str, Any]:
    """The definition with each shipped list it names in ``choices`` copied into its ``choice_lists``.

    The copy makes a published version self-contained: a later change to the shipped list changes no
    version already published, only the next one published.
    """
    own = obj.get("choice_lists")
    if own is not None and not isinstance(own, dict):
        return obj
    wanted: list[str] = []
    sections = obj.get("sections")
    for section in sections if isinstance(sections, list) else []:
        items = section.get("items") if isinstance(section, dict) else None
        for item in items if isinstance(items, list) else []:
            choices = item.get("choices") if isinstance(item, dict) else None
            if isinstance(choices, str) and choices not in (own or {}) and choices not in wanted:
                wanted.append(choices)
    shipped = shipped_choice_lists()
    added = {name: shipped[name] for name in wanted if name in shipped}
    if not added:
        return obj
    return {**obj, "choice_lists": {**(own or {}), **added}}


def _text(text: Text) -> Text:
    return {lang: unicodedata.normalize("NFC", value).strip() for lang, value in text.items()}


def _maybe_text(text: Text | None) -> Text | None:
    return None if text is None else _text(text)


def _choices(choices: list[Choice]) -> list[Choice]:
    return [msgspec.structs.replace(c, label=_text(c.label)) for c in choices]


def _normalise_texts(q: Questionnaire) -> Questionnaire:
    """The same definition with every human-readable text NFC-normalised and stripped."""
    sections = [
        msgspec.structs.replace(
            s,
            title=_maybe_text(s.title),
            items=[
                msgspec.structs.replace(
                    item,
                    text=_text(item.text),
                    hint=_maybe_text(item.hint),
                    constraint_message=_maybe_text(item.constraint_message),
                    choices=_choices(item.choices)
                    if isinstance(item.choices, list)
                    else item.choices,
                )
                for item in s.items
            ],
        )
        for s in q.sections
    ]
    scales = {
        name: msgspec.structs.replace(
            scale,
            labels={
                lang: [unicodedata.normalize("NFC", label).strip() for label in labels]
                for lang, labels in scale.labels.items()
            },
        )
        for name, scale in q.likert_scales.items()
    }
    return msgspec.structs.replace(
        q,
        title=_text(q.title),
        description=_maybe_text(q.description),
        sections=sections,
        choice_lists={name: _choices(c) for name, c in q.choice_lists.items()},
        likert_scales=scales,
        outcomes={
            name: msgspec.structs.replace(o, label=_text(o.label)) for name, o in q.outcomes.items()
        },
    )


_S = typing.TypeVar("_S", bound=msgspec.Struct)


def _complete(q: Questionnaire) -> Questionnaire:
    """Make the defaults the format implies explicit, so that equal meaning gives equal Structs."""

    def item_done(item: Item) -> Item:
        changes: dict[str, Any] = {}
        if item.type == "consent":
            changes["required"] = True
        if item.type == "decimal":
            # 0 and 0.0 mean the same bound; one spelling keeps the canonical form canonical.
            for bound in ("min", "max"):
                value = getattr(item, bound)
                if isinstance(value, int):
                    changes[bound] = float(value)
        if item.type in DEFAULT_MAX_LENGTH and item.max_length is None:
            changes["max_length"] = DEFAULT_MAX_LENGTH[item.type]
        if item.type == "multi" and isinstance(item.correct, list):
            # The correct answers are a set; keep them in the order of the choices.
            order = [c.value for c in q.choices_for(item)]
            changes["correct"] = sorted(item.correct, key=order.index)
            if item.scoring is None:
                changes["scoring"] = "all_or_nothing"
        return msgspec.structs.replace(item, **changes) if changes else item

    sections = [
        msgspec.structs.replace(s, items=[item_done(i) for i in s.items]) for s in q.sections
    ]
    outcomes = {name: _default_objects(o) for name, o in q.outcomes.items()}
    return msgspec.structs.replace(
        q, sections=sections, outcomes=outcomes, analysis=_analysis_done(q.analysis)
    )


def _analysis_done(analysis: Analysis | None) -> Analysis | None:
    """The analysis block in one spelling: an entry without bands as its key, an empty block as none."""
    if analysis is None or not (analysis.covariates or analysis.subgroups):
        return None

    def entries(found: list[str | Variable]) -> list[str | Variable]:
        return [e.item if isinstance(e, Variable) and e.bands is None else e for e in found]

    return Analysis(covariates=entries(analysis.covariates), subgroups=entries(analysis.subgroups))


def _default_objects(struct: _S) -> _S:
    """``struct`` with every value equal to its field's default replaced by the default object itself.

    msgspec's ``omit_defaults`` compares by identity: a ``min_answered: 0.5`` read from a file is another
    float object than the default 0.5, and would be written out, giving another canonical form.
    """
    same = {
        f.name: f.default
        for f in msgspec.structs.fields(struct)
        if f.default is not msgspec.NODEFAULT
        and type(getattr(struct, f.name)) is type(f.default)
        and getattr(struct, f.name) == f.default
    }
    return msgspec.structs.replace(struct, **same) if same else struct


# --------------------------------------------------------------------------------------------------
# Semantic validation


class _Validator:
    """Collects every semantic problem of a structurally valid, text-normalised definition."""

    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.errors: list[Problem] = []
        self.languages: list[str] = []
        # With the languages themselves in error, every text would be in error too: check them not.
        self.languages_valid = True
        # Item key → (path, item, position in questionnaire order), first occurrence only.
        self.items: dict[str, tuple[str, Item, int]] = {}
        # Calculation key → the position of the last item it is computed from (-1: from none).
        self.calculations: dict[str, int] = {}

    def problem(self, path: str, code: str, english: str, **params: object) -> None:
        """Record the problem ``code`` at ``path`` (see :func:`problem`)."""
        self.errors.append(problem(path, code, english, **params))

    def not_a_choice(self, path: str, value: str, values: list[str]) -> None:
        self.problem(
            path,
            "not_a_choice",
            '"{value}" is not one of the choices {choices}',
            value=value,
            choices=", ".join(values),
        )

    def run(self) -> list[Problem]:
        q = self.q
        self.check_key("key", q.key, _QUESTIONNAIRE_KEY, 'lower-case letters, digits, "-" and "_"')
        self.check_languages()
        self.check_text("title", q.title)
        if q.description is not None:
            self.check_text("description", q.description)
        for name, choices in q.choice_lists.items():
            path = _child("choice_lists", name)
            self.check_key(path, name, _KEY, 'lower-case letters, digits and "_"', what="name")
            self.check_choices(path, choices)
        for name, scale in q.likert_scales.items():
            self.check_scale(_child("likert_scales", name), name, scale)
        self.index_items()
        self.check_calculations()
        self.check_sections()
        for name, outcome in q.outcomes.items():
            self.check_outcome(_child("outcomes", name), name, outcome)
        if q.analysis is not None and q.sections:
            for kind in ("covariates", "subgroups"):
                self.check_variables(kind, getattr(q.analysis, kind))
        return self.errors

    # -- keys, languages, texts

    def check_key(
        self, path: str, key: str, pattern: re.Pattern[str], allowed: str, what: str = "key"
    ) -> bool:
        if not pattern.fullmatch(key):
            self.problem(
                path,
                "key_invalid",
                '"{key}" is not a valid {what} ({allowed}, starting with a letter)',
                key=key,
                what=what,
                allowed=allowed,
            )
            return False
        if len(key) > _MAX_KEY_LENGTH:
            self.problem(
                path,
                "too_long",
                '"{value}" is longer than {max} characters',
                value=key,
                max=_MAX_KEY_LENGTH,
            )
            return False
        return True

    def check_languages(self) -> None:
        if not self.q.languages:
            self.problem("languages", "languages_empty", "at least one language is required")
            self.languages_valid = False
        for i, lang in enumerate(self.q.languages):
            if not _LANGUAGE.fullmatch(lang):
                self.problem(
                    f"languages[{i}]",
                    "language_invalid",
                    '"{value}" is not a language code such as "mn" or "en"',
                    value=lang,
                )
                self.languages_valid = False
            elif lang in self.languages:
                self.problem(
                    f"languages[{i}]", "listed_twice", '"{value}" is listed twice', value=lang
                )
            else:
                self.languages.append(lang)

    def check_text(self, path: str, text: Text) -> None:
        if not self.languages_valid:
            return
        for lang in text:
            if lang not in self.languages:
                self.language_unknown(path, lang)
        for lang in self.languages:
            if lang not in text:
                # Only the default language is needed: another one falls back to it (listed by
                # survey.questionnaire.computed.untranslated, warned by `survey forms check`).
                if lang == self.languages[0]:
                    self.problem(
                        path,
                        "text_missing",
                        'missing "{language}" text (the default language)',
                        language=lang,
                    )
            elif not text[lang]:
                self.problem(path, "text_empty", 'empty "{language}" text', language=lang)

    def language_unknown(self, path: str, lang: str) -> None:
        self.problem(
            path,
            "language_unknown",
            'unknown language "{value}" (declared: {declared})',
            value=lang,
            declared=", ".join(self.languages),
        )

    # -- choices and scales

    def check_choices(self, path: str, choices: list[Choice]) -> None:
        if not choices:
            self.problem(path, "choices_empty", "at least one choice is required")
        first: dict[str, str] = {}
        for i, choice in enumerate(choices):
            here = _index(path, i)
            if not _CHOICE_VALUE.fullmatch(choice.value):
                self.problem(
                    f"{here}.value",
                    "choice_value_invalid",
                    '"{value}" is not a valid choice value (letters, digits, "_" and "-")',
                    value=choice.value,
                )
            elif len(choice.value) > _MAX_KEY_LENGTH:
                self.problem(
                    f"{here}.value",
                    "too_long",
                    '"{value}" is longer than {max} characters',
                    value=choice.value,
                    max=_MAX_KEY_LENGTH,
                )
            if choice.value in first:
                self.problem(
                    f"{here}.value",
                    "choice_duplicate",
                    'duplicate choice value "{value}" (first at {first})',
                    value=choice.value,
                    first=first[choice.value],
                )
            else:
                first[choice.value] = here
            self.check_text(f"{here}.label", choice.label)
            if choice.properties is not None:
                self.check_properties(f"{here}.properties", choice.properties)

    def check_scale(self, path: str, name: str, scale: LikertScale) -> None:
        self.check_key(path, name, _KEY, 'lower-case letters, digits and "_"', what="name")
        low, high = _POINTS
        points_valid = low <= scale.points <= high
        if not points_valid:
            self.problem(
                f"{path}.points",
                "out_of_range",
                "must be from {min} to {max}, not {value}",
                min=low,
                max=high,
                value=scale.points,
            )
        labels_path = f"{path}.labels"
        if not self.languages_valid:
            return
        for lang, labels in scale.labels.items():
            if lang not in self.languages:
                self.language_unknown(labels_path, lang)
                continue
            here = _child(labels_path, lang)
            if points_valid and len(labels) != scale.points:
                self.problem(
                    here,
                    "labels_count",
                    "{count} labels for {points} points",
                    count=len(labels),
                    points=scale.points,
                )
            for i, label in enumerate(labels):
                if not label:
                    self.problem(_index(here, i), "label_empty", "empty label")
        for lang in self.languages:
            if lang not in scale.labels:
                self.problem(
                    labels_path, "labels_missing", 'missing "{language}" labels', language=lang
                )

    # -- sections and items

    def index_items(self) -> None:
        position = 0
        for s, section in enumerate(self.q.sections):
            for i, item in enumerate(section.items):
                path = f"sections[{s}].items[{i}]"
                if item.key in self.items:
                    first = self.items[item.key][0]
                    self.problem(
                        f"{path}.key",
                        "item_duplicate",
                        'duplicate item key "{key}" (first at {first})',
                        key=item.key,
                        first=first,
                    )
                else:
                    self.items[item.key] = (path, item, position)
                position += 1

    def check_sections(self) -> None:
        if not self.q.sections:
            self.problem("sections", "sections_empty", "at least one section is required")
        first_section: dict[str, str] = {}
        first_panel_code: str | None = None
        position = 0
        for s, section in enumerate(self.q.sections):
            path = f"sections[{s}]"
            if self.check_key(
                f"{path}.key", section.key, _KEY, 'lower-case letters, digits and "_"'
            ):
                if section.key in first_section:
                    self.problem(
                        f"{path}.key",
                        "section_duplicate",
                        'duplicate section key "{key}" (first at {first})',
                        key=section.key,
                        first=first_section[section.key],
                    )
                else:
                    first_section[section.key] = path
            if section.title is not None:
                self.check_text(f"{path}.title", section.title)
            if section.show_if is not None:
                self.check_expression(f"{path}.show_if", section.show_if, position, "this section")
            if not section.items:
                self.problem(f"{path}.items", "items_empty", "at least one item is required")
            for i, item in enumerate(section.items):
                item_path = f"{path}.items[{i}]"
                self.check_item(item_path, item, position)
                if item.type == "panel_code":
                    if first_panel_code is None:
                        first_panel_code = item_path
                    else:
                        self.problem(
                            f"{item_path}.type",
                            "panel_code_twice",
                            "only one panel_code item is allowed (the first is {first})",
                            first=first_panel_code,
                        )
                position += 1

    def check_item(self, path: str, item: Item, position: int) -> None:
        if self.check_key(f"{path}.key", item.key, _KEY, 'lower-case letters, digits and "_"') and (
            item.key in expressions.KEYWORDS
        ):
            self.problem(
                f"{path}.key",
                "reserved_word",
                '"{key}" is a reserved word of show_if expressions',
                key=item.key,
            )
        self.check_text(f"{path}.text", item.text)
        if item.hint is not None and item.type != "note":
            self.check_text(f"{path}.hint", item.hint)
        if item.show_if is not None:
            self.check_expression(f"{path}.show_if", item.show_if, position, "this item")
        self.check_computed(path, item, position)
        present = {
            "hint": item.hint is not None,
            "required": item.required,
            "choices": item.choices is not None,
            "correct": item.correct is not None,
            "scoring": item.scoring is not None,
            "scale": item.scale is not None,
            "reverse": item.reverse,
            "min": item.min is not None,
            "max": item.max is not None,
            "max_length": item.max_length is not None,
            "choice_filter": item.choice_filter is not None,
            "constraint": item.constraint is not None,
            "constraint_message": item.constraint_message is not None,
        }
        for name, is_present in present.items():
            types = FIELD_TYPES[name]
            if is_present and item.type not in types:
                allowed = ", ".join(t for t in ITEM_TYPES if t in types)
                self.problem(
                    f"{path}.{name}",
                    "not_allowed",
                    "not allowed on {type} items (only on {allowed})",
                    type=item.type,
                    allowed=allowed,
                )
        if item.type in ("choice", "multi"):
            self.check_item_choices(path, item)
        elif item.type == "likert":
            if item.scale is None:
                self.problem(
                    f"{path}.scale", "scale_missing", "missing (a likert item needs a scale)"
                )
            elif item.scale not in self.q.likert_scales:
                self.problem(
                    f"{path}.scale",
                    "scale_unknown",
                    'unknown Likert scale "{name}"{defined}',
                    name=item.scale,
                    defined=_defined(self.q.likert_scales),
                )
        elif item.type in ("integer", "decimal", "date"):
            self.check_bounds(path, item)
        elif (
            item.type in DEFAULT_MAX_LENGTH
            and item.max_length is not None
            and not 1 <= item.max_length <= _MAX_TEXT_LENGTH
        ):
            self.problem(
                f"{path}.max_length",
                "out_of_range",
                "must be from {min} to {max}, not {value}",
                min=1,
                max=_MAX_TEXT_LENGTH,
                value=item.max_length,
            )

    def check_item_choices(self, path: str, item: Item) -> None:
        if item.choices is None:
            self.problem(
                f"{path}.choices",
                "choices_missing",
                "missing (a {type} item needs choices)",
                type=item.type,
            )
            values = None
        elif isinstance(item.choices, str):
            if item.choices in self.q.choice_lists:
                values = [c.value for c in self.q.choice_lists[item.choices]]
            else:
                self.problem(
                    f"{path}.choices",
                    "choice_list_unknown",
                    'unknown choice list "{name}"{defined}',
                    name=item.choices,
                    defined=_defined(self.q.choice_lists),
                )
                values = None
        else:
            self.check_choices(f"{path}.choices", item.choices)
            values = [c.value for c in item.choices]
        if item.scoring is not None and item.type == "multi" and item.correct is None:
            self.problem(
                f"{path}.scoring",
                "scoring_without_correct",
                'only a knowledge item (with "correct") has a scoring',
            )
        if item.correct is None:
            return
        if item.type == "choice":
            if isinstance(item.correct, list):
                self.problem(
                    f"{path}.correct",
                    "correct_not_single",
                    "a choice item has one correct value, not a list (use type multi for several)",
                )
            elif values is not None and item.correct not in values:
                self.not_a_choice(f"{path}.correct", item.correct, values)
        else:
            if not isinstance(item.correct, list):
                self.problem(
                    f"{path}.correct",
                    "correct_not_list",
                    'a multi item needs a list of correct values, e.g. ["{value}"]',
                    value=item.correct,
                )
                return
            if not item.correct:
                self.problem(
                    f"{path}.correct", "correct_empty", "at least one correct value is required"
                )
            seen: set[str] = set()
            for i, value in enumerate(item.correct):
                here = f"{path}.correct[{i}]"
                if value in seen:
                    self.problem(here, "listed_twice", '"{value}" is listed twice', value=value)
                elif values is not None and value not in values:
                    self.not_a_choice(here, value, values)
                seen.add(value)

    def check_bounds(self, path: str, item: Item) -> None:
        bounds: dict[str, float | datetime.date] = {}
        for name in ("min", "max"):
            value = getattr(item, name)
            if value is None:
                continue
            here = f"{path}.{name}"
            if item.type == "date":
                parsed = _parse_date(value)
                if parsed is None:
                    self.problem(
                        here,
                        "expected_date",
                        "expected a date written YYYY-MM-DD, got {value}",
                        value=_show(value),
                    )
                else:
                    bounds[name] = parsed
            elif item.type == "integer" and not isinstance(value, int):
                self.problem(
                    here, "expected_integer", "expected an integer, got {value}", value=_show(value)
                )
            elif isinstance(value, str):
                self.problem(
                    here, "expected_number", "expected a number, got {value}", value=_show(value)
                )
            elif isinstance(value, float) and not math.isfinite(value):
                self.problem(
                    here, "not_finite", "expected a finite number, got {value}", value=value
                )
            elif abs(value) > _MAX_BOUND:
                self.problem(
                    here,
                    "bound_too_large",
                    "must be from -{bound} to {bound}",
                    bound=f"{_MAX_BOUND:.0e}",
                )
            else:
                bounds[name] = value
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:  # type: ignore[operator]
            self.problem(
                f"{path}.min",
                "min_above_max",
                "{min} is greater than max {max}",
                min=_show(item.min),
                max=_show(item.max),
            )

    def check_expression(self, path: str, source: str, position: int, where: str) -> None:
        try:
            tree = expressions.parse(source)
        except InvalidExpression as exc:
            self.problem(
                path,
                "expression_syntax",
                "{reason} at position {position}",
                reason=exc.reason,
                position=exc.position,
            )
            return
        except RecursionError:
            self.problem(path, "expression_too_deep", "the expression is nested too deeply")
            return
        nodes = _nodes(tree)
        references = [n for n in nodes if isinstance(n, _REFERENCE)]
        usable: set[str] = set()
        for node in sorted(references, key=lambda n: n.position):
            key = node.key
            at = _position(node)
            if key not in self.items and key in self.calculations:
                if self.calculations[key] >= position:
                    self.problem(
                        path,
                        "computed_not_before",
                        '"{key}"{at} is computed from items that do not come before {where}',
                        key=key,
                        at=at,
                        where=where,
                    )
                elif isinstance(node, expressions.Selected):
                    self.problem(
                        path,
                        "selected_calculation",
                        '"{key}"{at} is a calculation, not a choice or multi item',
                        key=key,
                        at=at,
                    )
                continue
            if key not in self.items:
                self.problem(path, "unknown_item", 'unknown item "{key}"{at}', key=key, at=at)
                continue
            _, item, item_position = self.items[key]
            if item_position >= position:
                self.problem(
                    path,
                    "not_before",
                    '"{key}"{at} does not come before {where}',
                    key=key,
                    at=at,
                    where=where,
                )
            elif item.type == "note":
                self.problem(
                    path,
                    "note_no_answer",
                    '"{key}"{at} is a note, which has no answer',
                    key=key,
                    at=at,
                )
            elif item.type == "panel_code":
                self.problem(
                    path,
                    "panel_code_never_kept",
                    '"{key}"{at} is a panel_code item, whose answer is never kept',
                    key=key,
                    at=at,
                )
            elif isinstance(node, expressions.Selected):
                if item.type not in ("choice", "multi"):
                    self.problem(
                        path,
                        "selected_not_choice",
                        'selected() needs a choice or multi item, "{key}"{at} is {a_type} item',
                        key=key,
                        at=at,
                        a_type=_a(item.type),
                        type=item.type,
                    )
                else:
                    self.check_compared_values(path, node, [node.value])
            else:
                usable.add(key)
        for name, values in _compared_values(nodes):
            if name.key in usable:
                self.check_compared_values(path, name, values)

    # -- calculations, constraints, filtered choices, piped texts

    def check_calculations(self) -> None:
        """Each calculation refers to items and to calculations before it in ``calculations``."""
        for key, source in self.q.calculations.items():
            path = _child("calculations", key)
            if not self.check_key(path, key, _KEY, 'lower-case letters, digits and "_"'):
                continue
            if key in self.items:
                self.problem(
                    path,
                    "calculation_is_item",
                    '"{key}" is also the key of an item (at {first})',
                    key=key,
                    first=self.items[key][0],
                )
                continue
            if key in expressions.KEYWORDS or key in expressions.FUNCTIONS:
                self.problem(
                    path,
                    "calculation_reserved",
                    '"{key}" is a reserved word of expressions',
                    key=key,
                )
                continue
            try:
                tree = expressions.parse(source)
            except InvalidExpression as exc:
                self.problem(
                    path,
                    "expression_syntax",
                    "{reason} at position {position}",
                    reason=exc.reason,
                    position=exc.position,
                )
                continue
            position = -1
            for node in sorted(
                (n for n in _nodes(tree) if isinstance(n, _REFERENCE)), key=lambda n: n.position
            ):
                at = _position(node)
                if node.key in self.calculations and node.key not in self.items:
                    position = max(position, self.calculations[node.key])
                elif node.key not in self.items and (
                    node.key == key or node.key in self.q.calculations
                ):
                    self.problem(
                        path,
                        "calculation_not_before",
                        '"{key}"{at} is not a calculation before this one',
                        key=node.key,
                        at=at,
                    )
                elif node.key not in self.items:
                    self.problem(
                        path, "unknown_item", 'unknown item "{key}"{at}', key=node.key, at=at
                    )
                elif self.items[node.key][1].type in ("note", "panel_code"):
                    item_type = self.items[node.key][1].type
                    self.problem(
                        path,
                        "no_answer_to_compute",
                        '"{key}"{at} is {a_type} item, which has no answer to compute with',
                        key=node.key,
                        at=at,
                        a_type=_a(item_type),
                        type=item_type,
                    )
                else:
                    position = max(position, self.items[node.key][2])
            self.calculations[key] = position

    def check_computed(self, path: str, item: Item, position: int) -> None:
        """An item's constraint, its message, its choice filter and the answers its texts pipe."""
        if item.constraint is not None:
            # The constraint tests the answer being given: the item itself may be named.
            self.check_expression(f"{path}.constraint", item.constraint, position + 1, "this item")
        if item.constraint_message is not None:
            self.check_text(f"{path}.constraint_message", item.constraint_message)
            if item.constraint is None:
                self.problem(
                    f"{path}.constraint_message",
                    "message_without_constraint",
                    "needs a constraint to explain",
                )
        if item.choice_filter is not None:
            self.check_choice_filter(f"{path}.choice_filter", item, position)
        for name in ("text", "hint"):
            texts = getattr(item, name)
            for lang, text in (texts or {}).items():
                self.check_piped(f"{path}.{name}.{lang}", text, position)

    def check_choice_filter(self, path: str, item: Item, position: int) -> None:
        if item.type not in ("choice", "multi"):
            return  # "not allowed on ... items" says it
        if not item.choice_filter:
            self.problem(
                path,
                "filter_empty",
                "at least one property is required, e.g. {example}",
                example="{aimag: home_aimag}",
            )
        properties: set[str] = {"value"}
        choices = (
            self.q.choice_lists.get(item.choices) if isinstance(item.choices, str) else item.choices
        )
        for choice in choices or []:
            properties.update(choice.properties or {})
        for prop, key in (item.choice_filter or {}).items():
            here = _child(path, prop)
            if choices and prop not in properties:
                self.problem(
                    here,
                    "property_unknown",
                    'no choice has the property "{name}"{defined}',
                    name=prop,
                    defined=_defined(dict.fromkeys(sorted(properties - {"value"}))),
                )
            self.check_reference(here, key, position, "this item")

    def check_piped(self, path: str, text: str, position: int) -> None:
        for match in PIPED.finditer(text):
            key = match.group(1).strip()
            if not _KEY.fullmatch(key):
                self.problem(
                    path,
                    "piped_not_key",
                    '"${{{text}}}" does not name an item: write ${{key}} with an item key',
                    text=_shorten(key),
                )
                continue
            self.check_reference(path, key, position, "this item", piped=True)

    def check_reference(
        self, path: str, key: str, position: int, where: str, *, piped: bool = False
    ) -> None:
        """``key`` names an item or a calculation that comes before ``position``."""
        if key in self.calculations:
            if self.calculations[key] >= position:
                self.problem(
                    path,
                    "computed_not_before",
                    '"{key}"{at} is computed from items that do not come before {where}',
                    key=key,
                    at="",
                    where=where,
                )
            return
        if key not in self.items:
            self.problem(path, "unknown_item", 'unknown item "{key}"{at}', key=key, at="")
            return
        _, item, item_position = self.items[key]
        if item_position >= position:
            self.problem(
                path,
                "not_before",
                '"{key}"{at} does not come before {where}',
                key=key,
                at="",
                where=where,
            )
        elif item.type == "note":
            self.problem(
                path, "note_no_answer", '"{key}"{at} is a note, which has no answer', key=key, at=""
            )
        elif item.type == "panel_code":
            self.problem(
                path,
                "panel_code_never_kept",
                '"{key}"{at} is a panel_code item, whose answer is never kept',
                key=key,
                at="",
            )

    def check_properties(self, path: str, properties: dict[str, str]) -> None:
        for name, value in properties.items():
            if not _KEY.fullmatch(name) or name == "value":
                self.problem(
                    path,
                    "property_name_invalid",
                    '"{name}" is not a valid property name (lower-case letters, digits '
                    'and "_", starting with a letter; not "value")',
                    name=_shorten(name),
                )
            elif not value.strip():
                self.problem(_child(path, name), "property_empty", "empty value")
            elif len(value) > _MAX_PROPERTY_LENGTH:
                self.problem(
                    _child(path, name),
                    "property_too_long",
                    "longer than {max} characters",
                    max=_MAX_PROPERTY_LENGTH,
                )

    def check_compared_values(
        self, path: str, node: expressions.Name | expressions.Selected, values: list[str]
    ) -> None:
        """Values compared with a choice, multi or consent item must be among its choices.

        A misspelt value (``consent == 'yse'``) would otherwise hide a section from everyone.
        """
        item = self.items[node.key][1]
        at = _position(node)
        if item.type == "multi" and not isinstance(node, expressions.Selected):
            self.problem(
                path,
                "multi_needs_selected",
                "\"{key}\"{at} is a multi item: test its answer with selected({key}, 'value')",
                key=node.key,
                at=at,
            )
            return
        choices = self.choice_values(item)
        if choices is None:
            return
        for value in values:
            if value not in choices:
                self.problem(
                    path,
                    "compared_not_a_choice",
                    '"{key}"{at}: "{value}" is not one of the choices {choices}',
                    key=node.key,
                    at=at,
                    value=value,
                    choices=", ".join(choices),
                )

    def choice_values(self, item: Item) -> list[str] | None:
        """The choice values of an item, or None when its choices are themselves in error."""
        if item.type == "consent":
            return list(CONSENT_VALUES)
        if isinstance(item.choices, str):
            choices = self.q.choice_lists.get(item.choices)
            return None if choices is None else [c.value for c in choices]
        if isinstance(item.choices, list):
            return [c.value for c in item.choices]
        return None

    # -- outcomes

    def check_outcome(self, path: str, name: str, outcome: Outcome) -> None:
        self.check_key(path, name, _KEY, 'lower-case letters, digits and "_"', what="name")
        self.check_text(f"{path}.label", outcome.label)
        unused = {
            "score": ("reverse", "min_answered", "item", "value"),
            "scale": ("item", "value"),
            "proportion": ("items", "reverse", "min_answered"),
        }[outcome.kind]
        for field in unused:
            value = getattr(outcome, field)
            if value is not None and not (field == "min_answered" and value == 0.5):
                self.problem(
                    f"{path}.{field}",
                    "not_used_by_kind",
                    "not used by {kind} outcomes",
                    kind=outcome.kind,
                )
        if not self.q.sections:
            return  # every item would be unknown: "at least one section" says it all
        if outcome.kind in ("score", "scale"):
            self.check_outcome_items(path, outcome)
        else:
            self.check_proportion(path, outcome)

    def check_outcome_items(self, path: str, outcome: Outcome) -> None:
        if not outcome.items:
            self.problem(
                f"{path}.items",
                "outcome_items_empty",
                "at least one item is required for a {kind} outcome",
                kind=outcome.kind,
            )
            return
        seen: set[str] = set()
        scale: tuple[str, str] | None = None  # (scale name, first item using it)
        for i, key in enumerate(outcome.items):
            here = f"{path}.items[{i}]"
            if key in seen:
                self.problem(here, "listed_twice", '"{value}" is listed twice', value=key)
                continue
            seen.add(key)
            if key not in self.items:
                self.problem(here, "unknown_item", 'unknown item "{key}"{at}', key=key, at="")
                continue
            item = self.items[key][1]
            if outcome.kind == "score":
                if not item.is_knowledge:
                    self.problem(
                        here,
                        "not_knowledge",
                        '"{key}" is not a knowledge item (it has no "correct")',
                        key=key,
                    )
            elif item.type != "likert":
                self.problem(
                    here,
                    "scale_needs_likert",
                    '"{key}" is {a_type} item, a scale needs likert items',
                    key=key,
                    a_type=_a(item.type),
                    type=item.type,
                )
            elif item.scale in self.q.likert_scales:
                if scale is None:
                    scale = (item.scale, key)
                elif item.scale != scale[0]:
                    self.problem(
                        here,
                        "scales_differ",
                        '"{key}" uses scale "{scale}" but "{other}" uses "{other_scale}"',
                        key=key,
                        scale=item.scale,
                        other=scale[1],
                        other_scale=scale[0],
                    )
        if outcome.kind == "scale":
            self.check_reverse(path, outcome)
        if outcome.kind == "scale" and not 0 < outcome.min_answered <= 1:
            self.problem(
                f"{path}.min_answered",
                "min_answered_range",
                "must be a share more than 0 and at most 1, not {value}",
                value=outcome.min_answered,
            )

    def check_reverse(self, path: str, outcome: Outcome) -> None:
        if outcome.reverse is None:
            return
        items = outcome.items or []
        for i, key in enumerate(outcome.reverse):
            if key not in items:
                self.problem(
                    f"{path}.reverse[{i}]",
                    "reverse_not_in_outcome",
                    '"{key}" is not one of the outcome\'s items',
                    key=key,
                )
            elif key in self.items and not self.items[key][1].reverse:
                self.problem(
                    f"{path}.reverse[{i}]",
                    "reverse_not_marked",
                    '"{key}" is not marked reverse: true in its item',
                    key=key,
                )
        for key in items:
            if key in self.items and self.items[key][1].reverse and key not in outcome.reverse:
                self.problem(
                    f"{path}.reverse",
                    "reverse_not_listed",
                    '"{key}" is marked reverse: true but is not listed here',
                    key=key,
                )

    def check_proportion(self, path: str, outcome: Outcome) -> None:
        if outcome.item is None:
            self.problem(
                f"{path}.item",
                "proportion_item_missing",
                "missing (a proportion outcome needs an item)",
            )
            return
        if outcome.item not in self.items:
            self.problem(
                f"{path}.item", "unknown_item", 'unknown item "{key}"{at}', key=outcome.item, at=""
            )
            return
        item = self.items[outcome.item][1]
        if item.type not in ("choice", "multi", "consent"):
            self.problem(
                f"{path}.item",
                "proportion_item_type",
                '"{key}" is {a_type} item, a proportion needs a choice, multi or consent item',
                key=outcome.item,
                a_type=_a(item.type),
                type=item.type,
            )
            return
        if outcome.value is None:
            self.problem(
                f"{path}.value",
                "proportion_value_missing",
                "missing (the answer whose share is reported)",
            )
            return
        values = self.choice_values(item)
        wanted = [outcome.value] if isinstance(outcome.value, str) else outcome.value
        if not wanted:
            self.problem(
                f"{path}.value", "proportion_values_empty", "at least one value is required"
            )
        for i, value in enumerate(wanted):
            here = f"{path}.value" if isinstance(outcome.value, str) else f"{path}.value[{i}]"
            if values is not None and value not in values:
                self.not_a_choice(here, value, values)

    # -- the analysis block

    def check_variables(self, kind: str, entries: list[str | Variable]) -> None:
        """``analysis.covariates`` or ``analysis.subgroups``: items describing who answered."""
        limit = _MAX_COVARIATES if kind == "covariates" else _MAX_SUBGROUPS
        path = f"analysis.{kind}"
        if len(entries) > limit:
            self.problem(
                path,
                "too_many_variables",
                "at most {max} items, not {count}",
                max=limit,
                count=len(entries),
            )
            return
        allowed, rule = _ANALYSIS_TYPES[kind]
        outcome_of = {
            key: name
            for name, o in self.q.outcomes.items()
            for key in ([o.item] if o.kind == "proportion" else (o.items or []))
        }
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            here = _index(path, i)
            variable = Variable(item=entry) if isinstance(entry, str) else entry
            where = here if isinstance(entry, str) else f"{here}.item"
            key = variable.item
            if key in seen:
                self.problem(where, "listed_twice", '"{value}" is listed twice', value=key)
                continue
            seen.add(key)
            if key not in self.items:
                self.problem(where, "unknown_item", 'unknown item "{key}"{at}', key=key, at="")
                continue
            item = self.items[key][1]
            if item.type not in allowed:
                english = '"{key}" is {a_type} item; ' + rule
                wrong = {"key": key, "a_type": _a(item.type), "type": item.type}
                if kind == "covariates":
                    self.problem(where, "covariate_type", english, **wrong)
                else:
                    self.problem(where, "subgroup_type", english, **wrong)
            elif item.is_knowledge:
                self.problem(
                    where,
                    "variable_knowledge",
                    '"{key}" is a knowledge item (it has "correct"): what people know is an '
                    "outcome, not a description of who answered",
                    key=key,
                )
            elif key in outcome_of:
                self.problem(
                    where,
                    "variable_outcome",
                    '"{key}" is the item of outcome "{outcome}": an outcome cannot describe '
                    "who answered",
                    key=key,
                    outcome=outcome_of[key],
                )
            elif variable.bands is not None:
                self.check_bands(f"{here}.bands", item, variable.bands)
            elif kind == "subgroups" and item.type == "integer":
                self.problem(
                    where,
                    "subgroup_needs_bands",
                    '"{key}" is an integer item: give it bands to form groups, e.g. {example}',
                    key=key,
                    example=f"{{item: {key}, bands: [25, 35]}}",
                )

    def check_bands(self, path: str, item: Item, bands: list[int]) -> None:
        if item.type != "integer":
            self.problem(
                path,
                "bands_not_integer",
                'only an integer item has bands ("{key}" is {a_type} item)',
                key=item.key,
                a_type=_a(item.type),
                type=item.type,
            )
            return
        if not bands:
            self.problem(
                path, "bands_empty", "at least one number is required (each starts a band)"
            )
        elif len(bands) > _MAX_BANDS:
            self.problem(
                path,
                "too_many_bands",
                "at most {max} numbers, not {count}",
                max=_MAX_BANDS,
                count=len(bands),
            )
        low, high = item.min, item.max
        for i, cut in enumerate(bands):
            here = _index(path, i)
            if i and cut <= bands[i - 1]:
                self.problem(
                    here,
                    "bands_order",
                    "{value} does not come after {previous}: list them in increasing order",
                    value=cut,
                    previous=bands[i - 1],
                )
            elif isinstance(low, int) and cut <= low:
                self.problem(
                    here,
                    "band_below_min",
                    "{value} is not above the item's min {min}: the first band starts there",
                    value=cut,
                    min=low,
                )
            elif isinstance(high, int) and cut > high:
                self.problem(
                    here,
                    "band_above_max",
                    "{value} is above the item's max {max}: no answer can be in its band",
                    value=cut,
                    max=high,
                )


_REFERENCE = (expressions.Name, expressions.Selected, expressions.Answered)


def _nodes(tree: expressions.Expr) -> list[expressions.Expr]:
    """Every node of an expression tree."""
    found: list[expressions.Expr] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        found.append(node)
        if isinstance(node, expressions.Not | expressions.In | expressions.Negative):
            pending.append(node.operand)
        elif isinstance(node, expressions.Call):
            pending.extend(node.arguments)
        elif isinstance(node, expressions.Arithmetic):
            pending.extend((node.left, node.right))
        elif isinstance(node, expressions.And | expressions.Or):
            pending.extend(node.operands)
        elif isinstance(node, expressions.Compare):
            pending.extend((node.left, node.right))
    return found


def _compared_values(
    nodes: list[expressions.Expr],
) -> Iterator[tuple[expressions.Name, list[str]]]:
    """Item names compared for equality with strings (``x == 'a'``, ``x in ['a', 'b']``)."""
    for node in nodes:
        if isinstance(node, expressions.Compare) and node.op in ("==", "!="):
            for name, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(name, expressions.Name) and isinstance(other, expressions.Constant):
                    yield name, [other.value] if isinstance(other.value, str) else []
        elif isinstance(node, expressions.In) and isinstance(node.operand, expressions.Name):
            yield node.operand, [v for v in node.options if isinstance(v, str)]


def _position(node: expressions.Name | expressions.Selected | expressions.Answered) -> str:
    return f" at position {node.position}" if node.position >= 0 else ""


def _shorten(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "..."


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _defined(names: dict[str, object]) -> str:
    return f" (defined: {', '.join(names)})" if names else " (none is defined)"


def _parse_date(value: object) -> datetime.date | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)
