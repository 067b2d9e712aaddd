"""Reading an export's responses: one consistent snapshot, batches of rows, and the outcome scores.

Responses are read through a server-side cursor in batches, inside one read-only REPEATABLE READ
transaction (:class:`Snapshot`), so an export holds one batch in memory however large the campaign and
every batch sees the same responses as the count. :func:`typed_batches` gives rows of Python values
(decoded answers, which keep their types) for Excel and SPSS; the CSV reads the answers' JSON text and
makes its lines itself (:mod:`survey.exports.csv`).

The ``outcome_<key>`` columns are scored by :mod:`survey.analysis.scoring`, the code the reports use, a
batch of one version's responses at a time, so that an export's scores are the report's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import asyncpg
import numpy as np

from survey.analysis import scoring
from survey.db import console as console_db
from survey.db.campaigns import Wave
from survey.db.console import ResponseRow
from survey.db.questionnaires import QuestionnaireVersion
from survey.exports.plan import ExportPlan, exported_items
from survey.questionnaire.model import Questionnaire

__all__ = [
    "BATCH",
    "Progress",
    "Row",
    "Snapshot",
    "append_scores",
    "score_columns",
    "score_rows",
    "typed_batches",
    "version_groups",
]

BATCH = 1000
"""Responses read (and held in memory) at a time."""
Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) after every batch."""
Row = list[Any]

# -- outcome scores --------------------------------------------------------------------------------
# A batch of responses to one version becomes a ResponseFrame, and outcome_scores scores it column by column.


def score_columns(
    plan: ExportPlan, q: Questionnaire, frame: scoring.ResponseFrame
) -> list[list[float | None]]:
    """Per outcome of ``plan.outcomes``, in order, the scores of the frame's responses (None where there
    is no score, or where this version does not declare the outcome)."""
    scored = scoring.outcome_scores(q, frame) if q.outcomes else {}
    columns: list[list[float | None]] = []
    for outcome in plan.outcomes:
        values = scored.get(outcome.key)
        if values is None:
            columns.append([None] * frame.n)
            continue
        # Python floats and None: the csv module writes numpy floats with their repr, np.float64(...).
        cells = values.astype(object)
        cells[np.isnan(values)] = None
        columns.append(cells.tolist())
    return columns


def score_rows(
    plan: ExportPlan, q: Questionnaire, frame: scoring.ResponseFrame
) -> list[tuple[float | None, ...]]:
    """Per response of the frame, the scores of ``plan.outcomes`` in order (see :func:`score_columns`)."""
    columns = score_columns(plan, q, frame)
    return list(zip(*columns, strict=True)) if columns else [()] * frame.n


def version_groups(version_ids: Sequence[int]) -> list[tuple[int, list[int] | None]]:
    """The rows of a batch by version: (version id, row positions, or None for every row)."""
    first = version_ids[0] if version_ids else 0
    if all(v == first for v in version_ids):
        return [(first, None)]
    groups: dict[int, list[int]] = {}
    for n, vid in enumerate(version_ids):
        groups.setdefault(vid, []).append(n)
    return list(groups.items())


def append_scores(
    rows: list[Row],
    version_ids: Sequence[int],
    plan: ExportPlan,
    score: Callable[[int, list[Row], list[int] | None], list[tuple[float | None, ...]]],
) -> None:
    """Append the outcome scores to every row, scoring each version's rows of the batch together."""
    if not plan.outcomes:
        return
    for vid, positions in version_groups(version_ids):
        chosen = rows if positions is None else [rows[n] for n in positions]
        for row, scores in zip(chosen, score(vid, chosen, positions), strict=True):
            row.extend(scores)


# -- rows with typed values (Excel, SPSS) ----------------------------------------------------------


def _row_builder(
    plan: ExportPlan, version: QuestionnaireVersion
) -> Callable[[Wave, ResponseRow], Row]:
    """Turn a response answered on ``version`` into the export's cells (Python values, None = empty),
    all but the outcome scores."""
    q = version.definition
    own_items = {i.key: i for i in exported_items(q)}
    own_choices = {
        key: {c.value for c in q.choices_for(i)}
        for key, i in own_items.items()
        if i.type == "multi" and i.choices is not None
    }
    # The answer columns as runs: a run of one-answer items is one ``map(answers.get, keys)``, a multi
    # item one comprehension over its choices. A key this version lacks reads as missing.
    absent = "\x00absent"  # never an item key
    runs: list[tuple[str, Any]] = []
    for column in plan.columns:
        if column.kind == "item":
            key = column.key if column.key in own_items else absent
            if runs and runs[-1][0] == "items":
                runs[-1][1].append(key)
            else:
                runs.append(("items", [key]))
        elif column.kind == "choice":
            present = column.choice in own_choices.get(column.key or "", ())
            choice = column.choice if present else None
            if runs and runs[-1][0] == "multi" and runs[-1][1][0] == column.key:
                runs[-1][1][1].append(choice)
            else:
                runs.append(("multi", (column.key, [choice])))
    compiled: list[tuple[bool, Any]] = []
    for kind, spec in runs:
        if kind == "items":
            compiled.append((True, tuple(spec)))
        else:
            key, choices = spec
            compiled.append((False, (key, tuple(choices), (None,) * len(choices), None in choices)))
    number = version.version
    panel = plan.has_pairs

    def build(wave: Wave, r: ResponseRow) -> Row:
        get = r.answers.get
        row: Row = [
            str(r.public_id), wave.key, wave.phase, wave.arm, number, r.language,
            r.started_at, r.submitted_at, r.status, r.channel, r.enumerator, r.review,
        ]  # fmt: skip
        if panel:
            row.append(r.pair_id)
        for single, spec in compiled:
            if single:
                row.extend(map(get, spec))
            else:
                key, choices, missing, gaps = spec
                chosen = get(key)
                if chosen.__class__ is not list:
                    row.extend(missing)
                elif gaps:
                    row.extend([None if c is None else 1 if c in chosen else 0 for c in choices])
                else:
                    row.extend([1 if c in chosen else 0 for c in choices])
        return row

    return build


async def typed_batches(
    conn: asyncpg.Connection, plan: ExportPlan, progress: Progress | None, total: int
) -> AsyncIterator[list[Row]]:
    """The export's rows with typed values, a batch at a time (inside the caller's transaction)."""
    builders = {vid: _row_builder(plan, v) for vid, v in plan.versions.items()}
    done = 0
    for wave in plan.waves:
        async for batch in console_db.response_batches(conn, wave.id, plan.statuses, batch=BATCH):

            def score(
                vid: int, _rows: list[Row], positions: list[int] | None, batch=batch
            ) -> list[tuple[float | None, ...]]:
                responses = batch if positions is None else [batch[n] for n in positions]
                q = plan.versions[vid].definition
                frame = scoring.frame_from_answers(
                    q,
                    [r.answers for r in responses],
                    complete=[r.status == "complete" for r in responses],
                )
                return score_rows(plan, q, frame)

            rows = [builders[r.version_id](wave, r) for r in batch]
            append_scores(rows, [r.version_id for r in batch], plan, score)
            yield rows
            done += len(batch)
            if progress is not None:
                progress(done, total)


class Snapshot:
    """A read-only REPEATABLE READ transaction: the count and every batch see the same responses.

    In a panel design, the pair ids of newly linked responses are given first, in a statement of their
    own (the snapshot itself writes nothing).
    """

    def __init__(self, conn: asyncpg.Connection, plan: ExportPlan) -> None:
        self.conn = conn
        self.plan = plan
        self.transaction = conn.transaction(isolation="repeatable_read", readonly=True)
        self.total = 0

    async def __aenter__(self) -> Snapshot:
        if self.plan.has_pairs:
            await console_db.link_panel_pairs(self.conn, self.plan.campaign.id)
        await self.transaction.start()
        try:
            self.total = await console_db.count_responses(
                self.conn, [w.id for w in self.plan.waves], self.plan.statuses
            )
        except BaseException:
            await self.transaction.rollback()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Nothing was written: ending it either way is the same.
        await self.transaction.rollback()
