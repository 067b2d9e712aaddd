"""From raw answers to per-respondent scores: knowledge scores, scale scores and proportions.

Two steps, kept apart so that the statistics never loop over respondents:

1. *Parsing*: :func:`frame_from_answers` (or :func:`frame_from_columns`) turns stored answers into a
   :class:`ResponseFrame`, one numpy column per item. This is one pass over the answers per item.
2. *Scoring*: :func:`item_correct`, :func:`knowledge_scores`, :func:`scale_scores`,
   :func:`proportion` and :func:`outcome_scores` work on whole columns (loops over items only).

Columns of a frame
------------------
* ``choice`` and ``consent`` items: integer codes, the index of the answer in the item's choices
  (:attr:`ResponseFrame.values`), ``-1`` when there is no answer. An answer that is not one of the
  choices (corrupt data) is treated as missing and counted in :attr:`ResponseFrame.invalid`.
* ``multi`` items: a boolean matrix, one row per respondent and one column per choice, plus a boolean
  ``answered`` column. A multi question that was shown and left empty is stored as ``[]`` (an answer,
  "none of these") and so is answered with no choice selected.
* ``likert``, ``integer`` and ``decimal`` items: floats, NaN when missing. A Likert answer outside
  ``1..points`` is treated as missing and counted in :attr:`ResponseFrame.invalid`.
* ``text``, ``date``, ``note`` and ``panel_code`` items have no column: nothing here scores them.

Missing answers
---------------
The collect layer stores nothing for a question left empty, and nothing for a question hidden by its
``show_if``; both are told apart here from the respondent's own answers, as the form did. One rule holds
for every response, complete or not (docs/analysis.md, "Missing knowledge answers"):

* A knowledge item is *administered* to a respondent who was shown it: its ``show_if`` and its
  section's are true on the respondent's answers (evaluated as the form evaluates them, see
  :func:`frame_from_columns`), and the respondent reached it: a complete response reached every item;
  an unfinished one reached the items up to the last question it answered, in questionnaire order
  (later items are "not reached", as PISA codes the omissions at the end of an unfinished test).
* :func:`item_correct` scores an administered item right (1) or wrong (0; "don't know" is an ordinary
  wrong answer), and, under the report's reading ``skipped="wrong"``, an administered item left
  unanswered as wrong (0): the respondent saw the question and skipped it. An item not administered is
  NaN, whatever its reading. Under the other reading, ``skipped="missing"``, every unanswered item is
  NaN. The report computes both and says where their conclusions differ.
* A knowledge score is the mean over the outcome's items that are not NaN; NaN when all are. A
  respondent who was shown the items and skipped every one scores 0 under ``skipped="wrong"``.
* Scale scores use the answered items only; see :func:`scale_scores`.
* Proportions use the respondents who answered the item; see :func:`proportion`.

One module, though long: parsing and scoring share the frame's column conventions below, which
every scoring function relies on; the export and the report score through this module alone, so
that a spreadsheet and the report agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from typing import Literal

import numpy as np

from survey.errors import InvalidStatistics
from survey.questionnaire.expressions import compile_expression, names, parse
from survey.questionnaire.model import CONSENT_VALUES, Item, Outcome, Questionnaire

__all__ = [
    "SKIPPED_READINGS",
    "ResponseFrame",
    "SkippedReading",
    "frame_from_answers",
    "frame_from_columns",
    "item_correct",
    "knowledge_scores",
    "likert_matrix",
    "outcome_scores",
    "proportion",
    "scale_scores",
    "visibility_items",
]

SkippedReading = Literal["wrong", "missing"]
#: The two readings of a knowledge item a respondent was shown and left unanswered: the report's,
#: "skipped = wrong", first; "skipped = not answered" second (see "Missing answers" above).
SKIPPED_READINGS: tuple[SkippedReading, ...] = ("wrong", "missing")

_CODED = ("choice", "consent")
_NUMERIC = ("likert", "integer", "decimal")
_MISSING = -1
_NUMBER_TYPES = {int, float, type(None)}
_INVALID = -2


@dataclass(frozen=True, eq=False)
class ResponseFrame:
    """The answers of a set of responses to one questionnaire version, one numpy column per item.

    Build it with :func:`frame_from_answers` or :func:`frame_from_columns`; the arrays are not copied
    and must not be modified afterwards.

    Attributes
    ----------
    n
        Number of responses (rows).
    codes
        ``choice`` and ``consent`` items: int16 codes into ``values[key]``, ``-1`` for no answer.
    selected
        ``multi`` items: boolean matrix ``(n, number of choices)``, columns in ``values[key]`` order.
    answered_multi
        ``multi`` items: True where the question has an answer (possibly no choice selected).
    numbers
        ``likert``, ``integer`` and ``decimal`` items: float64, NaN for no answer.
    values
        The choice values of each ``choice``, ``consent`` and ``multi`` item, in code order.
    complete
        True for a response whose respondent completed the questionnaire.
    shown
        Per knowledge item with a ``show_if`` (its own or its section's): True where it was shown to the
        respondent, worked out from the answers by :func:`frame_from_columns` or given by the caller.
        Items not listed are shown to everyone when neither they nor their section has a ``show_if``,
        and unknown (treated as not shown) otherwise.
    last_answered
        Per response, the position (in ``definition.items()`` order) of the last item it answered, -1
        for none: an unfinished response reached the items up to there. Empty when every response is
        complete.
    invalid
        Per item, how many stored answers could not be read (not a choice, out of range, not a number)
        and were treated as missing.
    """

    n: int
    codes: dict[str, np.ndarray] = field(default_factory=dict)
    selected: dict[str, np.ndarray] = field(default_factory=dict)
    answered_multi: dict[str, np.ndarray] = field(default_factory=dict)
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    complete: np.ndarray = field(default_factory=lambda: np.ones(0, dtype=bool))
    shown: dict[str, np.ndarray] = field(default_factory=dict)
    last_answered: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    invalid: dict[str, int] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        """True when the frame holds a column for this item."""
        return key in self.codes or key in self.selected or key in self.numbers

    def answered(self, key: str) -> np.ndarray:
        """Boolean column: True where the item has an answer."""
        if key in self.codes:
            return self.codes[key] >= 0
        if key in self.selected:
            return self.answered_multi[key]
        if key in self.numbers:
            return ~np.isnan(self.numbers[key])
        raise KeyError(f'no column for item "{key}" in this frame')

    def labels(self, key: str) -> np.ndarray:
        """Object column of the answers of a ``choice`` or ``consent`` item (None for no answer)."""
        codes = self.codes[key]
        table = np.array([*self.values[key], None], dtype=object)
        # Code -1 picks the trailing None.
        return table[codes]


class _Codes(dict[object, int]):
    """Value → code; an unknown value maps to ``_INVALID`` instead of raising."""

    def __missing__(self, value: object) -> int:
        return _INVALID


def _choice_values(definition: Questionnaire, item: Item) -> tuple[str, ...]:
    if item.type == "consent":
        return CONSENT_VALUES
    return tuple(choice.value for choice in definition.choices_for(item))


def _encode_codes(column: Sequence[object], values: tuple[str, ...]) -> tuple[np.ndarray, int]:
    lookup = _Codes({value: code for code, value in enumerate(values)})
    lookup[None] = _MISSING
    try:
        codes = np.fromiter(map(lookup.__getitem__, column), dtype=np.int16, count=len(column))
    except TypeError:
        # An unhashable value (a list where one choice is expected) is corrupt data, not a crash.
        codes = np.fromiter(
            (lookup[v] if isinstance(v, str) or v is None else _INVALID for v in column),
            dtype=np.int16,
            count=len(column),
        )
    bad = codes == _INVALID
    invalid = int(bad.sum())
    if invalid:
        codes[bad] = _MISSING
    return codes, invalid


def _to_float(value: object) -> float:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    return float(value)


def _encode_numbers(
    column: Sequence[object], item: Item, definition: Questionnaire
) -> tuple[np.ndarray, int]:
    values = column if isinstance(column, list) else list(column)
    present = len(values) - values.count(None)
    if set(map(type, values)) <= _NUMBER_TYPES:
        numbers = np.array(values, dtype=float).reshape(len(values))
    else:
        # Strings ("3") and booleans would convert silently; no honest answer is stored as either.
        numbers = np.fromiter(map(_to_float, values), dtype=float, count=len(values))
    numbers[~np.isfinite(numbers)] = np.nan
    if item.type == "likert":
        points = definition.scale_for(item).points
        with np.errstate(invalid="ignore"):
            outside = (numbers < 1) | (numbers > points) | (numbers != np.round(numbers))
        numbers[outside] = np.nan
    invalid = present - int(np.count_nonzero(~np.isnan(numbers)))
    return numbers, invalid


def _encode_multi(
    column: Sequence[object], values: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, int]:
    n = len(column)
    # map/compress/chain keep the per-response work in C: this runs on every response of a campaign.
    is_list = list(map(isinstance, column, repeat(list)))
    answered = np.fromiter(is_list, dtype=bool, count=n)
    invalid = n - list(column).count(None) - int(np.count_nonzero(answered))
    selected = np.zeros((n, len(values)), dtype=bool)
    lists = list(compress(column, is_list))
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = list(chain.from_iterable(lists))
    if flat:
        codes, bad = _encode_codes(flat, values)
        rows = np.repeat(np.flatnonzero(answered), lengths)
        keep = codes >= 0
        selected[rows[keep], codes[keep]] = True
        invalid += bad
    return selected, answered, invalid


def frame_from_columns(
    definition: Questionnaire,
    columns: Mapping[str, Sequence[object]],
    *,
    n: int | None = None,
    complete: Sequence[bool] | np.ndarray | None = None,
    shown: Mapping[str, Sequence[bool] | np.ndarray] | None = None,
    last_answered: Sequence[int] | np.ndarray | None = None,
) -> ResponseFrame:
    """Build a frame from one sequence of stored answers per item.

    Which knowledge items each respondent was shown is worked out here (``ResponseFrame.shown``): the
    ``show_if`` of a knowledge item and of its section are evaluated on the respondent's answers, as the
    form evaluated them, once per distinct combination of the answers they refer to (a handful, even
    for a million responses). This needs the columns of the items the expressions refer to, of any type
    (``survey.reports.data.report_items`` reads them); an expression whose items are not all among
    ``columns`` leaves its items unknown, which counts them as not shown.

    Parameters
    ----------
    definition
        The questionnaire version the responses were answered on.
    columns
        Item key → the stored answers of that item, one per response, None where there is none (the
        form stored by the collect layer: a string for choice and consent, a list of strings for multi,
        a number for likert, integer and decimal). Items of the definition without a column get an
        all-missing column; keys that are not items of the definition are ignored.
    n
        Number of responses; needed only when ``columns`` is empty.
    complete
        Per response, True when it was completed; all True by default.
    shown
        Optional, per item: True where the item was shown, in place of what the answers tell.
    last_answered
        Optional, per response: the position of the last item it answered (see
        :class:`ResponseFrame`); by default worked out from ``columns`` for unfinished responses.

    Returns
    -------
    ResponseFrame

    Raises
    ------
    InvalidStatistics
        If the columns, ``complete``, ``shown`` or ``last_answered`` differ in length.
    """
    lengths = {len(column) for column in columns.values()}
    if n is not None:
        lengths.add(n)
    if complete is not None:
        lengths.add(len(complete))
    if len(lengths) > 1:
        raise InvalidStatistics(f"columns: different numbers of responses {sorted(lengths)}")
    rows = lengths.pop() if lengths else 0
    done = np.ones(rows, dtype=bool) if complete is None else np.asarray(complete, dtype=bool)
    if last_answered is not None:
        last = np.asarray(last_answered, dtype=np.int64)
        if last.shape != (rows,):
            raise InvalidStatistics(f"last_answered: expected {rows} values, got {last.size}")
    elif done.all():
        last = np.zeros(0, dtype=np.int64)
    else:
        last = _last_answered(definition, columns, rows)
    frame = ResponseFrame(n=rows, complete=done, last_answered=last)
    for item in definition.items():
        if item.type not in (*_CODED, *_NUMERIC, "multi"):
            continue
        column = columns.get(item.key)
        bad = 0
        # An item without a column is all missing, made as such: the exports score a batch of a thousand
        # responses at a time from the few items the outcomes read, so most items have none.
        if item.type in _CODED:
            values = _choice_values(definition, item)
            frame.values[item.key] = values
            if column is None:
                frame.codes[item.key] = np.full(rows, _MISSING, dtype=np.int16)
            else:
                frame.codes[item.key], bad = _encode_codes(column, values)
        elif item.type == "multi":
            values = _choice_values(definition, item)
            frame.values[item.key] = values
            if column is None:
                selected = np.zeros((rows, len(values)), dtype=bool)
                answered = np.zeros(rows, dtype=bool)
            else:
                selected, answered, bad = _encode_multi(column, values)
            frame.selected[item.key] = selected
            frame.answered_multi[item.key] = answered
        elif column is None:
            frame.numbers[item.key] = np.full(rows, np.nan)
        else:
            frame.numbers[item.key], bad = _encode_numbers(column, item, definition)
        if bad:
            frame.invalid[item.key] = bad
    frame.shown.update(_visibility(definition, columns, rows))
    for key, mask in (shown or {}).items():
        array = np.asarray(mask, dtype=bool)
        if array.shape != (rows,):
            raise InvalidStatistics(f"shown[{key!r}]: expected {rows} values, got {array.size}")
        frame.shown[key] = array
    return frame


def _last_answered(
    definition: Questionnaire, columns: Mapping[str, Sequence[object]], rows: int
) -> np.ndarray:
    """Per response, the position of the last item of ``columns`` it answered (-1 for none)."""
    last = np.full(rows, -1, dtype=np.int64)
    for position, item in enumerate(definition.items()):
        column = columns.get(item.key)
        if column is not None:
            answered = np.fromiter((v is not None for v in column), dtype=bool, count=rows)
            last[answered] = position
    return last


def _pattern(value: object) -> object:
    """A hashable stand-in for a stored answer that tells apart what the expressions tell apart
    (``1`` from ``True`` and ``1.0`` from ``"1"``; a list by its elements)."""
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, list | tuple):
        return ("list", tuple(_pattern(v) for v in value))
    try:
        hash(value)
    except TypeError:
        return ("unhashable", type(value).__name__, repr(value))
    return (type(value).__name__, value)


def _expression_mask(
    source: str, columns: Mapping[str, Sequence[object]], rows: int
) -> np.ndarray | None:
    """The truth of a ``show_if`` for every response, or None when a column it needs is absent.

    The predicate runs once per distinct combination of the answers it refers to, on the answers of
    the first response with that combination.
    """
    keys = sorted(names(parse(source)))
    if any(key not in columns for key in keys):
        return None
    if not keys:
        return np.full(rows, compile_expression(source)({}), dtype=bool)
    patterns: list[object]
    if len(keys) == 1:
        patterns = [_pattern(v) for v in columns[keys[0]]]
    else:
        patterns = list(zip(*([_pattern(v) for v in columns[k]] for k in keys), strict=True))
    first: dict[object, int] = {}
    for row, pattern in enumerate(patterns):
        first.setdefault(pattern, row)
    predicate = compile_expression(source)
    truth = {
        pattern: predicate({key: columns[key][row] for key in keys})
        for pattern, row in first.items()
    }
    return np.fromiter(map(truth.__getitem__, patterns), dtype=bool, count=rows)


def _visibility(
    definition: Questionnaire, columns: Mapping[str, Sequence[object]], rows: int
) -> dict[str, np.ndarray]:
    """Per knowledge item with a ``show_if`` (its own or its section's): where it was shown."""
    masks: dict[str, np.ndarray | None] = {}

    def mask(source: str) -> np.ndarray | None:
        if source not in masks:
            masks[source] = _expression_mask(source, columns, rows)
        return masks[source]

    out: dict[str, np.ndarray] = {}
    for section in definition.sections:
        for item in section.items:
            sources = [s for s in (section.show_if, item.show_if) if s]
            if not item.is_knowledge or not sources:
                continue
            found = [mask(source) for source in sources]
            if all(m is not None for m in found):
                out[item.key] = np.logical_and.reduce(found)  # type: ignore[arg-type]
    return out


def frame_from_answers(
    definition: Questionnaire,
    answers: Sequence[Mapping[str, object]],
    *,
    complete: Sequence[bool] | np.ndarray | None = None,
    shown: Mapping[str, Sequence[bool] | np.ndarray] | None = None,
) -> ResponseFrame:
    """Build a frame from the stored answer mappings of a set of responses.

    Parameters
    ----------
    definition
        The questionnaire version the responses were answered on.
    answers
        One mapping (item key → stored answer) per response, as the ``answers`` column stores it.
    complete
        Per response, True when it was completed; all True by default (a report reads complete
        responses only).
    shown
        Optional, per item: True where the item was shown (see the module docstring).

    Returns
    -------
    ResponseFrame

    Examples
    --------
    >>> from survey.questionnaire.load import load_definition
    >>> q = load_definition('''
    ... key: tiny
    ... languages: [en]
    ... title: {en: Tiny}
    ... sections:
    ...   - key: s
    ...     items:
    ...       - key: k1
    ...         type: choice
    ...         text: {en: Q}
    ...         choices: [{value: a, label: {en: A}}, {value: b, label: {en: B}}]
    ...         correct: a
    ... ''')
    >>> frame = frame_from_answers(q, [{"k1": "a"}, {"k1": "b"}, {}])
    >>> frame.codes["k1"].tolist()
    [0, 1, -1]
    """
    wanted = {item.key for item in definition.items() if item.type in (*_CODED, *_NUMERIC, "multi")}
    wanted |= visibility_items(definition)
    columns = {key: [a.get(key) for a in answers] for key in wanted}
    last = None
    if complete is not None and not all(complete):
        positions = {item.key: i for i, item in enumerate(definition.items())}
        last = [
            max((positions.get(k, -1) for k, v in a.items() if v is not None), default=-1)
            for a in answers
        ]
    return frame_from_columns(
        definition,
        columns,
        n=len(answers),
        complete=complete,
        shown=shown,
        last_answered=last,
    )


def visibility_items(definition: Questionnaire) -> set[str]:
    """The items whose answers decide whether a knowledge item was shown (the items its ``show_if``
    and its section's refer to): the columns :func:`frame_from_columns` needs beside the scored ones."""
    found: set[str] = set()
    for section in definition.sections:
        for item in section.items:
            if item.is_knowledge:
                for source in (section.show_if, item.show_if):
                    if source:
                        found |= names(parse(source))
    return found


# -- scoring ----------------------------------------------------------------------------------------


def _item_of(definition: Questionnaire, key: str) -> Item:
    try:
        return definition.item(key)
    except KeyError as exc:
        raise InvalidStatistics(str(exc.args[0])) from None


def _outcome_of(definition: Questionnaire, key: str | Outcome, kind: str) -> tuple[Outcome, str]:
    if isinstance(key, Outcome):
        outcome, name = key, "(given)"
    else:
        found = definition.outcomes.get(key)
        if found is None:
            raise InvalidStatistics(f'no outcome "{key}" in questionnaire "{definition.key}"')
        outcome, name = found, key
    if outcome.kind != kind:
        raise InvalidStatistics(f'outcome "{name}" is a {outcome.kind}, not a {kind}')
    return outcome, name


def _column_of(frame: ResponseFrame, key: str, kind: str) -> None:
    if not frame.has(key):
        raise InvalidStatistics(f'the frame has no column for {kind} item "{key}"')


def _shown_to_all(definition: Questionnaire, item: Item) -> bool:
    return item.show_if is None and definition.section_of(item.key).show_if is None


def _administered(definition: Questionnaire, frame: ResponseFrame, item: Item) -> np.ndarray:
    """Where the item was administered: shown to the respondent, who reached it (module docstring)."""
    if item.key in frame.shown:
        shown = frame.shown[item.key]
    elif _shown_to_all(definition, item):
        shown = np.ones(frame.n, dtype=bool)
    else:
        shown = np.zeros(frame.n, dtype=bool)
    if frame.complete.all():
        return shown
    position = next(i for i, other in enumerate(definition.items()) if other.key == item.key)
    last = frame.last_answered if frame.last_answered.size else np.full(frame.n, -1)
    return shown & (frame.complete | (last >= position))


def _reading(skipped: str) -> None:
    if skipped not in SKIPPED_READINGS:
        raise InvalidStatistics(f'skipped: must be "wrong" or "missing", got {skipped!r}')


def item_correct(
    definition: Questionnaire,
    frame: ResponseFrame,
    item_key: str,
    *,
    binary: bool = False,
    skipped: SkippedReading = "wrong",
) -> np.ndarray:
    """Per respondent, how right the answer to one knowledge item is.

    * ``choice``: 1 for the correct value, 0 for any other (including "don't know").
    * ``multi`` with ``scoring: all_or_nothing``: 1 when exactly the correct choices are selected,
      else 0. With ``scoring: partial``: the share of the item's choices classified right (a correct
      choice selected, or a wrong one left unselected), so between 0 and 1. With
      ``scoring: corrected``: right minus wrong selections, each as a share of its kind, floored at 0:
      max(0, R/C − W/(K − C)) for R of the C correct choices and W of the K − C wrong ones selected
      (R/C when every choice is correct). Selecting everything, or nothing, scores 0, and so does
      selecting at random on average before the floor: each wrong selection costs what a blind one
      is expected to gain, the principle of formula scoring (Lord 1975). docs/questionnaire-format.md
      works an example of each rule.
    * No answer: with ``skipped="wrong"``, 0 when the item was administered (shown to the respondent,
      who reached it) and NaN when it was not; with ``skipped="missing"``, NaN (see "Missing answers"
      in the module docstring).

    Parameters
    ----------
    definition
        The questionnaire version of the frame.
    frame
        The responses.
    item_key
        A knowledge item (one with ``correct``).
    binary
        When True, a partial-credit multi item is scored all-or-nothing (1 only when every choice is
        classified right), so that the result is 0/1 (the report's per-item proportions).
    skipped
        ``"wrong"`` (the report's reading) or ``"missing"``: what an administered item left
        unanswered counts as.

    Returns
    -------
    numpy.ndarray
        float64, one value per response, in [0, 1] or NaN.

    Raises
    ------
    InvalidStatistics
        If the item is unknown, is not a knowledge item, has no column in the frame, or ``skipped``
        is neither reading.
    """
    _reading(skipped)
    item = _item_of(definition, item_key)
    if not item.is_knowledge or item.type not in ("choice", "multi"):
        raise InvalidStatistics(f'"{item_key}" is not a knowledge item (it has no "correct")')
    _column_of(frame, item_key, "knowledge")
    values = frame.values[item_key]
    if item.type == "choice":
        codes = frame.codes[item_key]
        answered = codes >= 0
        score = (codes == values.index(str(item.correct))).astype(float)
    else:
        wanted = set(item.correct if isinstance(item.correct, list) else [item.correct])
        key = np.array([value in wanted for value in values], dtype=bool)
        right = frame.selected[item_key] == key
        answered = frame.answered_multi[item_key]
        if item.scoring == "partial" and not binary:
            score = right.mean(axis=1) if values else np.ones(frame.n)
        elif item.scoring == "corrected" and not binary:
            score = _corrected(frame.selected[item_key], key)
        else:
            score = right.all(axis=1).astype(float)
    if skipped == "wrong":
        omitted = ~answered & _administered(definition, frame, item)
        score[omitted] = 0.0
        score[~answered & ~omitted] = np.nan
    else:
        score[~answered] = np.nan
    return score


def _corrected(selected: np.ndarray, key: np.ndarray) -> np.ndarray:
    """max(0, R/C − W/(K − C)) per row: right selections over the C correct choices, minus wrong
    ones over the K − C others (none when every choice is correct)."""
    correct = int(key.sum())
    wrong = key.size - correct
    score = selected[:, key].sum(axis=1) / correct
    if wrong:
        score = score - selected[:, ~key].sum(axis=1) / wrong
    return np.maximum(score, 0.0)


def _row_mean(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the non-NaN values of each row (NaN for none) and how many there were.

    Written out rather than ``np.nanmean``, which warns on an all-NaN row.
    """
    present = ~np.isnan(matrix)
    count = present.sum(axis=1)
    total = np.where(present, matrix, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    mean[count == 0] = np.nan
    return mean, count


def _item_list(outcome: Outcome, items: Iterable[str] | None, key: str) -> list[str]:
    declared = list(outcome.items or [])
    if items is None:
        return declared
    chosen = list(items)
    unknown = [k for k in chosen if k not in declared]
    if unknown:
        raise InvalidStatistics(
            f'items: {", ".join(unknown)} not among the items of outcome "{key}"'
        )
    return chosen


def knowledge_scores(
    definition: Questionnaire,
    frame: ResponseFrame,
    outcome_key: str | Outcome,
    *,
    items: Iterable[str] | None = None,
    skipped: SkippedReading = "wrong",
) -> np.ndarray:
    """Per respondent, the share of a ``score`` outcome's knowledge items answered right.

    The mean of :func:`item_correct` over the outcome's items that are not NaN for that respondent
    (partial-credit items contribute their share; an administered item left unanswered counts as
    wrong under ``skipped="wrong"`` and is left out under ``skipped="missing"``). NaN for a
    respondent with no item left (none administered, or none answered under ``"missing"``), and for
    everyone when ``items`` is empty.

    Parameters
    ----------
    definition
        The questionnaire version of the frame.
    frame
        The responses.
    outcome_key
        A ``score`` outcome of the definition, or the :class:`Outcome` itself (the report scores an
        outcome of one version on the responses to another).
    items
        Only these of the outcome's items (the report leaves out items that changed between the
        compared versions); all of them by default.
    skipped
        ``"wrong"`` (the report's reading) or ``"missing"``, as in :func:`item_correct`.

    Returns
    -------
    numpy.ndarray
        float64, one value per response, in [0, 1] or NaN.
    """
    _reading(skipped)
    outcome, name = _outcome_of(definition, outcome_key, "score")
    keys = _item_list(outcome, items, name)
    if not keys:
        return np.full(frame.n, np.nan)
    matrix = np.column_stack(
        [item_correct(definition, frame, key, skipped=skipped) for key in keys]
    )
    return _row_mean(matrix)[0]


def likert_matrix(
    definition: Questionnaire, frame: ResponseFrame, keys: Sequence[str]
) -> np.ndarray:
    """Likert answers of several items as a ``(n, len(keys))`` float matrix, reverse-coded.

    An item marked ``reverse: true`` is recoded ``points + 1 - x``, so that a higher value always
    means the more desirable attitude. NaN marks no answer.

    Raises
    ------
    InvalidStatistics
        If an item is unknown, not a Likert item, or has no column in the frame.
    """
    columns = []
    for key in keys:
        item = _item_of(definition, key)
        if item.type != "likert":
            raise InvalidStatistics(f'"{key}" is {item.type} item, not a likert item')
        _column_of(frame, key, "likert")
        x = frame.numbers[key]
        if item.reverse:
            x = definition.scale_for(item).points + 1.0 - x
        columns.append(x)
    if not columns:
        return np.empty((frame.n, 0))
    return np.column_stack(columns)


def scale_scores(
    definition: Questionnaire,
    frame: ResponseFrame,
    outcome_key: str | Outcome,
    min_answered: float | None = None,
    *,
    items: Iterable[str] | None = None,
) -> np.ndarray:
    """Per respondent, the mean of a ``scale`` outcome's Likert items after reverse-coding.

    Items marked ``reverse: true`` are recoded ``points + 1 - x`` (the loader checks that the
    outcome's ``reverse`` list names exactly those items). The score is the mean of the answered
    items, on the scale's ``1..points`` range; NaN when the answered share of the items is below
    ``min_answered``.

    Parameters
    ----------
    definition
        The questionnaire version of the frame.
    frame
        The responses.
    outcome_key
        A ``scale`` outcome of the definition, or the :class:`Outcome` itself.
    min_answered
        Share of the items (in (0, 1]) that must be answered; the outcome's ``min_answered``
        (default 0.5) when None. With 3 items and 0.5, 2 answers are needed.
    items
        Only these of the outcome's items; all of them by default. ``min_answered`` applies to
        the items used.

    Returns
    -------
    numpy.ndarray
        float64, one value per response, in [1, points] or NaN.

    Raises
    ------
    InvalidStatistics
        If the outcome is not a scale, an item has no column, or ``min_answered`` is not in (0, 1].
    """
    outcome, name = _outcome_of(definition, outcome_key, "scale")
    share = outcome.min_answered if min_answered is None else float(min_answered)
    if not 0.0 < share <= 1.0:
        raise InvalidStatistics(f"min_answered: must be in (0, 1], got {share}")
    keys = _item_list(outcome, items, name)
    if not keys:
        return np.full(frame.n, np.nan)
    matrix = likert_matrix(definition, frame, keys)
    mean, count = _row_mean(matrix)
    # A tolerance so that 0.5 of 4 items needs 2 answers, not 2.0000000001.
    needed = math.ceil(share * len(keys) - 1e-9)
    mean[count < needed] = np.nan
    return mean


def proportion(
    definition: Questionnaire, frame: ResponseFrame, outcome_key: str | Outcome
) -> np.ndarray:
    """Per respondent, whether the answer of a ``proportion`` outcome's item is the outcome's value.

    1 when the answer is ``value`` (or one of a list of values; for a ``multi`` item: when any of
    them is selected), 0 for any other answer (including "don't know" and, for multi, no choice
    selected), NaN when the item has no answer: the proportion is the share of those who answered.

    Parameters
    ----------
    definition
        The questionnaire version of the frame.
    frame
        The responses.
    outcome_key
        A ``proportion`` outcome of the definition, or the :class:`Outcome` itself.

    Returns
    -------
    numpy.ndarray
        float64 of 0, 1 and NaN, one value per response.
    """
    outcome, _ = _outcome_of(definition, outcome_key, "proportion")
    key = str(outcome.item)
    item = _item_of(definition, key)
    _column_of(frame, key, item.type)
    wanted = [outcome.value] if isinstance(outcome.value, str) else list(outcome.value or [])
    values = frame.values.get(key, ())
    hits = [values.index(v) for v in wanted if v in values]
    if item.type == "multi":
        answered = frame.answered_multi[key]
        result = frame.selected[key][:, hits].any(axis=1).astype(float)
    elif key in frame.codes:
        codes = frame.codes[key]
        answered = codes >= 0
        result = np.isin(codes, hits).astype(float)
    else:
        raise InvalidStatistics(f'"{key}" is {item.type} item; a proportion needs choices')
    result[~answered] = np.nan
    return result


def outcome_scores(definition: Questionnaire, frame: ResponseFrame) -> dict[str, np.ndarray]:
    """Every outcome of the definition, scored per respondent.

    ``score`` outcomes by :func:`knowledge_scores`, ``scale`` by :func:`scale_scores` (with the
    outcome's ``min_answered``), ``proportion`` by :func:`proportion`; in the definition's order.
    """
    scorers = {"score": knowledge_scores, "scale": scale_scores, "proportion": proportion}
    return {
        key: scorers[outcome.kind](definition, frame, key)
        for key, outcome in definition.outcomes.items()
    }
