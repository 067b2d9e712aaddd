"""Exports of a campaign's responses: CSV, Excel, SPSS and the codebook.

One row per response. The columns are ``response_id``, ``wave``, ``phase``, ``arm``, ``version``,
``language``, ``started_at``, ``submitted_at``, ``status``, ``panel_key`` (panel designs only), then one column
per item key (a multi-choice item as one 0/1 column per choice, named ``item/choice``), then one column per
declared outcome, ``outcome_<key>``, with the respondent's score. The items are the union of the items of
every questionnaire version the exported waves use, in questionnaire order; a response answered on a version
without an item (or without a choice) has an empty cell there.

Responses are read through a server-side cursor in batches, inside one read-only REPEATABLE READ
transaction (a consistent snapshot), so a CSV or Excel export holds one batch in memory however large the
campaign. The SPSS writer (pyreadstat) needs the whole table as a DataFrame: its memory grows with rows ×
columns (8 bytes per numeric cell), see :func:`write_sav`.

For CSV, PostgreSQL itself turns each response into text cells (item keys passed as a query parameter), so
no answer JSON is decoded in Python; Excel and SPSS read the decoded answers, which keep their types. Both
score the ``outcome_<key>`` columns with :mod:`survey.analysis.scoring`, a batch of one version's responses
at a time, so an export's scores are the report's.

Every export is recorded in the audit log (:func:`audit_export`).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import math
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from itertools import compress
from pathlib import Path
from typing import Any, Literal

import asyncpg
import msgspec
import numpy as np

from survey.analysis import scoring
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import console as console_db
from survey.db import questionnaires as questionnaires_db
from survey.db.campaigns import Campaign, Wave
from survey.db.console import ResponseRow
from survey.db.questionnaires import QuestionnaireVersion
from survey.errors import InvalidAnswer, NotFound, SurveyError
from survey.questionnaire.model import Item, Questionnaire

__all__ = [
    "FORMATS",
    "Column",
    "ExportPlan",
    "audit_export",
    "codebook",
    "codebook_csv",
    "codebook_json",
    "csv_chunks",
    "export_to_path",
    "plan_export",
    "spss_names",
    "write_csv",
    "write_export",
    "write_sav",
    "write_xlsx",
]

ExportFormat = Literal["csv", "xlsx", "sav", "codebook-csv", "codebook-json"]
FORMATS: dict[str, tuple[str, str]] = {
    "csv": (".csv", "text/csv; charset=utf-8"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "sav": (".sav", "application/x-spss-sav"),
    "codebook-csv": ("-codebook.csv", "text/csv; charset=utf-8"),
    "codebook-json": ("-codebook.json", "application/json"),
}
"""Format → (file name ending, media type)."""

BATCH = 1000
EXCEL_MAX_ROWS = 1_048_576
Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) after every batch."""

META_COLUMNS: tuple[tuple[str, str], ...] = (
    ("response_id", "identifier of the response"),
    ("wave", "wave key"),
    ("phase", "pre or post"),
    ("arm", "campaign or comparison"),
    ("version", "questionnaire version the response was answered on"),
    ("language", "language the respondent used"),
    ("started_at", "when the respondent started (UTC)"),
    ("submitted_at", "when the respondent submitted (UTC)"),
    ("status", "complete, in_progress or declined"),
)
PANEL_COLUMN = ("panel_key", "pseudonymous key linking a respondent's pre and post answers")
_STARTED, _SUBMITTED, _STATUS = 6, 7, 8  # positions among the meta columns


# -- the plan: which rows, which columns -----------------------------------------------------------


class ChoiceInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A choice of a choice or multi item; ``code`` is its number in the SPSS file (1, 2, ...)."""

    value: str
    label: dict[str, str]
    code: int


class ItemInfo(msgspec.Struct, frozen=True, kw_only=True):
    """An item as exported: described by the newest version that has it."""

    key: str
    type: str
    section: str
    text: dict[str, str]
    hint: dict[str, str] | None
    choices: list[ChoiceInfo]
    scale_labels: dict[str, list[str]] | None
    correct: str | list[str] | None
    scoring: str | None
    reverse: bool
    versions: list[int]
    fingerprints: dict[str, str]
    """Version number (as text) → the item's fingerprint in that version."""
    same_type: bool
    """Whether every version has the item with the same type (else the SPSS file stores it as text)."""

    @property
    def fingerprint(self) -> str:
        return self.fingerprints[str(self.versions[-1])]


class OutcomeInfo(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    kind: str
    label: dict[str, str]
    items: list[str]
    versions: list[int]


class Column(msgspec.Struct, frozen=True, kw_only=True):
    """One column of the export. ``label`` is the SPSS variable label: the original name, then a text."""

    name: str
    spss_name: str
    label: str
    kind: Literal["meta", "item", "choice", "outcome"]
    key: str | None = None
    choice: str | None = None


class ExportPlan(msgspec.Struct, frozen=True, kw_only=True):
    campaign: Campaign
    waves: list[Wave]
    wave: str | None
    include_partial: bool
    versions: dict[int, QuestionnaireVersion]
    """Version id → version, for every version a response or a wave uses."""
    items: list[ItemInfo]
    outcomes: list[OutcomeInfo]
    columns: list[Column]
    language: str
    languages: list[str]

    @property
    def statuses(self) -> tuple[str, ...]:
        return console_db.STATUSES if self.include_partial else ("complete",)

    @property
    def has_panel_key(self) -> bool:
        return self.campaign.design == "panel"

    def file_stem(self) -> str:
        return self.campaign.key + (f"-{self.wave}" if self.wave else "")


def merge_order(sequences: Iterable[Sequence[str]]) -> list[str]:
    """The union of several orderings: a key first seen in a later sequence goes right after the key
    before it there (or first), so an item added in the middle of a newer version stays in the middle."""
    merged: list[str] = []
    seen: set[str] = set()
    for sequence in sequences:
        previous: str | None = None
        for key in sequence:
            if key not in seen:
                merged.insert(0 if previous is None else merged.index(previous) + 1, key)
                seen.add(key)
            previous = key
    return merged


def _exported_items(q: Questionnaire) -> list[Item]:
    # A note has no answer; a panel code is never stored (only its keyed hash, the panel_key column).
    return [i for i in q.items() if i.answerable and i.type != "panel_code"]


def _item_infos(ordered: list[QuestionnaireVersion]) -> list[ItemInfo]:
    keys = merge_order([i.key for i in _exported_items(v.definition)] for v in ordered)
    infos = []
    for key in keys:
        having = [v for v in ordered if any(i.key == key for i in _exported_items(v.definition))]
        newest = having[-1]
        q = newest.definition
        item = q.item(key)
        choice_lists = []
        labels: dict[str, dict[str, str]] = {}
        for v in having:
            it = v.definition.item(key)
            if it.type in ("choice", "multi") and it.choices is not None:
                found = v.definition.choices_for(it)
                choice_lists.append([c.value for c in found])
                labels.update({c.value: c.label for c in found})
        values = merge_order(choice_lists)
        scale = q.scale_for(item) if item.type == "likert" else None
        infos.append(
            ItemInfo(
                key=key,
                type=item.type,
                section=q.section_of(key).key,
                text=item.text,
                hint=item.hint,
                choices=[
                    ChoiceInfo(value=value, label=labels[value], code=n)
                    for n, value in enumerate(values, start=1)
                ],
                scale_labels=scale.labels if scale is not None else None,
                correct=item.correct,
                scoring=item.scoring,
                reverse=item.reverse,
                versions=[v.version for v in having],
                fingerprints={str(v.version): v.fingerprints.get(key, "") for v in having},
                same_type=len({v.definition.item(key).type for v in having}) == 1,
            )
        )
    return infos


def _outcome_infos(ordered: list[QuestionnaireVersion]) -> list[OutcomeInfo]:
    # Stored definitions are jsonb, which keeps no key order: outcomes come in alphabetical order.
    keys = sorted({key for v in ordered for key in v.definition.outcomes})
    infos = []
    for key in keys:
        having = [v for v in ordered if key in v.definition.outcomes]
        outcome = having[-1].definition.outcomes[key]
        items = outcome.items if outcome.items is not None else [outcome.item or ""]
        infos.append(
            OutcomeInfo(
                key=key,
                kind=outcome.kind,
                label=outcome.label,
                items=list(items),
                versions=[v.version for v in having],
            )
        )
    return infos


# SPSS keywords that cannot name a variable (IBM SPSS Statistics, "Variable names").
SPSS_RESERVED = frozenset(
    {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
)
SPSS_NAME_BYTES = 64


def spss_names(names: Sequence[str]) -> list[str]:
    """Variable names SPSS accepts, one per name, unique regardless of case.

    SPSS wants at most 64 bytes, a letter first, then letters, digits, ``_``, ``.`` or ``@``, no final
    period, and none of its keywords (``TO``, ``BY``...). Other characters become ``_`` (only ASCII is
    kept, so the names also survive older readers), a name not starting with a letter gets a ``v`` in
    front, keywords get a final ``_``, and a name already taken gets ``_2``, ``_3``... within the limit.
    """
    taken: set[str] = set()
    result = []
    for original in names:
        name = "".join(
            c if (c.isascii() and (c.isalnum() or c in "_.@")) else "_" for c in original
        )
        if not name or not (name[0].isascii() and name[0].isalpha()):
            name = "v" + name
        name = name[:SPSS_NAME_BYTES].rstrip(".") or "v"
        if name.upper() in SPSS_RESERVED:
            name += "_"
        candidate, n = name, 1
        while candidate.upper() in taken:
            n += 1
            suffix = f"_{n}"
            candidate = name[: SPSS_NAME_BYTES - len(suffix)] + suffix
        taken.add(candidate.upper())
        result.append(candidate)
    return result


def _text_in(text: Mapping[str, str] | None, language: str) -> str:
    if not text:
        return ""
    return text.get(language) or next(iter(text.values()), "")


def _columns(
    items: list[ItemInfo], outcomes: list[OutcomeInfo], panel: bool, language: str
) -> list[Column]:
    specs: list[tuple[str, str, str, str | None, str | None]] = [
        (name, description, "meta", None, None)
        for name, description in (*META_COLUMNS, *((PANEL_COLUMN,) if panel else ()))
    ]
    for item in items:
        text = _text_in(item.text, language)
        if item.type == "multi":
            for choice in item.choices:
                label = f"{text} [{_text_in(choice.label, language)}]"
                specs.append(
                    (f"{item.key}/{choice.value}", label, "choice", item.key, choice.value)
                )
        else:
            specs.append((item.key, text, "item", item.key, None))
    for outcome in outcomes:
        specs.append(
            (
                f"outcome_{outcome.key}",
                _text_in(outcome.label, language),
                "outcome",
                outcome.key,
                None,
            )
        )
    names = spss_names([s[0] for s in specs])
    return [
        Column(
            name=name,
            spss_name=spss_name,
            label=f"{name}: {description}" if description else name,
            kind=kind,  # type: ignore[arg-type]
            key=key,
            choice=choice,
        )
        for (name, description, kind, key, choice), spss_name in zip(specs, names, strict=True)
    ]


async def plan_export(
    conn: asyncpg.Connection,
    campaign_key: str,
    *,
    wave: str | None = None,
    include_partial: bool = False,
    language: str | None = None,
) -> ExportPlan:
    """Decide the rows and columns of an export of a campaign (or one of its waves).

    ``language`` is the language of the labels in the SPSS file and of the codebook's label columns;
    default: the first language of the newest version.
    """
    campaign = await campaigns_db.get_campaign(conn, campaign_key)
    waves = await campaigns_db.waves_of(conn, campaign_key)
    if wave is not None:
        waves = [w for w in waves if w.key == wave]
        if not waves:
            raise NotFound(f'campaign "{campaign_key}" has no wave "{wave}"')
    version_ids = {w.version_id for w in waves}
    version_ids |= await console_db.response_version_ids(conn, [w.id for w in waves])
    versions = {vid: await questionnaires_db.get_version_by_id(conn, vid) for vid in version_ids}
    ordered = sorted(versions.values(), key=lambda v: v.version)
    languages = merge_order(v.definition.languages for v in ordered)
    if language is None:
        language = ordered[-1].definition.default_language if ordered else "en"
    elif ordered and language not in languages:
        raise InvalidAnswer(
            f'language "{language}" is not one of the questionnaire\'s: {", ".join(languages)}'
        )
    items = _item_infos(ordered)
    outcomes = _outcome_infos(ordered)
    return ExportPlan(
        campaign=campaign,
        waves=waves,
        wave=wave,
        include_partial=include_partial,
        versions=versions,
        items=items,
        outcomes=outcomes,
        columns=_columns(items, outcomes, campaign.design == "panel", language),
        language=language,
        languages=languages,
    )


# -- outcome scores --------------------------------------------------------------------------------
# The ``outcome_<key>`` columns are scored by survey.analysis.scoring, the code the reports use, so that an
# export and a report never disagree: a batch of responses to one version becomes a ResponseFrame, and
# outcome_scores scores it column by column.


def _score_rows(
    plan: ExportPlan, q: Questionnaire, frame: scoring.ResponseFrame
) -> list[tuple[float | None, ...]]:
    """Per response of the frame, the scores of ``plan.outcomes`` in order (None where there is no
    score, or where this version does not declare the outcome)."""
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
    return list(zip(*columns, strict=True)) if columns else [()] * frame.n


def _groups(version_ids: Sequence[int]) -> list[tuple[int, list[int] | None]]:
    """The rows of a batch by version: (version id, row positions, or None for every row)."""
    first = version_ids[0] if version_ids else 0
    if all(v == first for v in version_ids):
        return [(first, None)]
    groups: dict[int, list[int]] = {}
    for n, vid in enumerate(version_ids):
        groups.setdefault(vid, []).append(n)
    return list(groups.items())


def _append_scores(
    rows: list[Row],
    version_ids: Sequence[int],
    plan: ExportPlan,
    score: Callable[[int, list[Row], list[int] | None], list[tuple[float | None, ...]]],
) -> None:
    """Append the outcome scores to every row, scoring each version's rows of the batch together."""
    if not plan.outcomes:
        return
    for vid, positions in _groups(version_ids):
        chosen = rows if positions is None else [rows[n] for n in positions]
        for row, scores in zip(chosen, score(vid, chosen, positions), strict=True):
            row.extend(scores)


# -- rows with typed values (Excel, SPSS) ----------------------------------------------------------

Row = list[Any]


def _row_builder(
    plan: ExportPlan, version: QuestionnaireVersion
) -> Callable[[Wave, ResponseRow], Row]:
    """Turn a response answered on ``version`` into the export's cells (Python values, None = empty),
    all but the outcome scores."""
    q = version.definition
    own_items = {i.key: i for i in _exported_items(q)}
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
    panel = plan.has_panel_key

    def build(wave: Wave, r: ResponseRow) -> Row:
        get = r.answers.get
        row: Row = [
            str(r.id), wave.key, wave.phase, wave.arm, number, r.language,
            r.started_at, r.submitted_at, r.status,
        ]  # fmt: skip
        if panel:
            row.append(r.panel_key)
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


async def _batches(
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
                return _score_rows(plan, q, frame)

            rows = [builders[r.version_id](wave, r) for r in batch]
            _append_scores(rows, [r.version_id for r in batch], plan, score)
            yield rows
            done += len(batch)
            if progress is not None:
                progress(done, total)


class _Snapshot:
    """A read-only REPEATABLE READ transaction: the count and every batch see the same responses."""

    def __init__(self, conn: asyncpg.Connection, plan: ExportPlan) -> None:
        self.conn = conn
        self.plan = plan
        self.transaction = conn.transaction(isolation="repeatable_read", readonly=True)
        self.total = 0

    async def __aenter__(self) -> _Snapshot:
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


# -- rows of text (CSV) ----------------------------------------------------------------------------
# PostgreSQL extracts every cell as text (console.sql, export_cells), so no answer JSON is decoded here;
# Python only blanks the cells a version lacks and adds the outcome scores.


def _answer_columns(plan: ExportPlan) -> tuple[list[str], list[str | None]]:
    """The item key and the choice (None for a one-answer item) of every answer column, in order."""
    answer = [c for c in plan.columns if c.kind in ("item", "choice")]
    return [c.key or "" for c in answer], [c.choice for c in answer]


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
    items or choices the version does not have) and the cells the outcome scores are computed from."""

    def __init__(self, plan: ExportPlan, version: QuestionnaireVersion) -> None:
        q = version.definition
        self.definition = q
        own = {i.key: i for i in _exported_items(q)}
        own_choices = {
            key: [c.value for c in q.choices_for(i)]
            for key, i in own.items()
            if i.type == "multi" and i.choices is not None
        }
        offset = len(META_COLUMNS) + plan.has_panel_key
        keys, choices = _answer_columns(plan)
        position: dict[tuple[str, str | None], int] = {}
        self.blanks: list[int] = []
        for n, (key, choice) in enumerate(zip(keys, choices, strict=True)):
            position[key, choice] = offset + n
            lacking = key not in own if choice is None else choice not in own_choices.get(key, ())
            if lacking:
                self.blanks.append(offset + n)
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

    def scores(self, plan: ExportPlan, rows: list[Row]) -> list[tuple[float | None, ...]]:
        """The outcome scores of these rows (responses to this version), as stored answers would
        score them: choice cells are the answers, numbers are parsed, multi 0/1 cells become lists."""
        cells = list(zip(*rows, strict=True))
        columns: dict[str, Sequence[object]] = {}
        for key, kind, at, values in self.sources:
            if kind == "text":
                columns[key] = cells[at[0]]
            elif kind == "number":
                columns[key] = _floats(cells[at[0]])
            else:
                marks = np.array([cells[n] for n in at], dtype=object)
                answered = (marks[0] != None).tolist()  # noqa: E711 (elementwise)
                columns[key] = [
                    list(compress(values, chosen)) if shown else None
                    for chosen, shown in zip((marks == "1").T.tolist(), answered, strict=True)
                ]
        complete = np.fromiter(map("complete".__eq__, cells[_STATUS]), dtype=bool, count=len(rows))
        frame = scoring.frame_from_columns(self.definition, columns, n=len(rows), complete=complete)
        return _score_rows(plan, self.definition, frame)


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
            panel=plan.has_panel_key,
            batch=BATCH,
        ):
            version_ids = [vid for vid, _ in batch]
            rows: list[Row] = [cells for _, cells in batch]
            for vid, positions in _groups(version_ids):
                reader = readers[vid]
                if reader.blanks:
                    reader.blank(rows if positions is None else [rows[n] for n in positions])
            _append_scores(rows, version_ids, plan, score)
            yield rows
            done += len(batch)
            if progress is not None:
                progress(done, total)


# -- CSV -------------------------------------------------------------------------------------------


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
    async with _Snapshot(conn, plan) as snapshot:
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


# -- codebook --------------------------------------------------------------------------------------


class CodebookEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One item or outcome: what it asked, how it is stored, which columns hold it."""

    item: str
    type: str
    section: str | None
    text: dict[str, str]
    choices: list[ChoiceInfo]
    scale_labels: dict[str, list[str]] | None
    correct: str | list[str] | None
    scoring: str | None
    reverse: bool
    fingerprint: str | None
    fingerprints: dict[str, str]
    versions: list[int]
    columns: list[str]
    spss_names: list[str]


class Codebook(msgspec.Struct, frozen=True, kw_only=True):
    campaign: str
    design: str
    questionnaire: str
    waves: list[dict[str, Any]]
    languages: list[str]
    label_language: str
    statuses: list[str]
    entries: list[CodebookEntry]
    columns: list[Column]


def codebook(plan: ExportPlan) -> Codebook:
    """The codebook of an export: every item (union of the versions) and outcome, and every column."""
    by_key: dict[str, list[Column]] = {}
    for column in plan.columns:
        if column.kind in ("item", "choice"):
            by_key.setdefault(column.key or "", []).append(column)
    entries = [
        CodebookEntry(
            item=i.key,
            type=i.type,
            section=i.section,
            text=i.text,
            choices=i.choices,
            scale_labels=i.scale_labels,
            correct=i.correct,
            scoring=i.scoring,
            reverse=i.reverse,
            fingerprint=i.fingerprint,
            fingerprints=i.fingerprints,
            versions=i.versions,
            columns=[c.name for c in by_key.get(i.key, [])],
            spss_names=[c.spss_name for c in by_key.get(i.key, [])],
        )
        for i in plan.items
    ]
    outcome_columns = {c.key: c for c in plan.columns if c.kind == "outcome"}
    for o in plan.outcomes:
        column = outcome_columns[o.key]
        entries.append(
            CodebookEntry(
                item=column.name,
                type=f"outcome:{o.kind}",
                section=None,
                text=o.label,
                choices=[],
                scale_labels=None,
                correct=None,
                scoring=None,
                reverse=False,
                fingerprint=None,
                fingerprints={},
                versions=o.versions,
                columns=[column.name],
                spss_names=[column.spss_name],
            )
        )
    return Codebook(
        campaign=plan.campaign.key,
        design=plan.campaign.design,
        questionnaire=plan.campaign.questionnaire,
        waves=[
            {"key": w.key, "phase": w.phase, "arm": w.arm, "version": w.version} for w in plan.waves
        ],
        languages=plan.languages,
        label_language=plan.language,
        statuses=list(plan.statuses),
        entries=entries,
        columns=plan.columns,
    )


def codebook_json(plan: ExportPlan) -> bytes:
    return msgspec.json.format(msgspec.json.encode(codebook(plan)), indent=2) + b"\n"


def _codebook_table(plan: ExportPlan) -> list[list[Any]]:
    """The codebook as rows (header first): for the CSV file and the Excel sheet."""
    languages = plan.languages
    header = [
        "item", "type", "section", *(f"text_{lang}" for lang in languages), "choices",
        *(f"choice_labels_{lang}" for lang in languages), "choice_codes", "correct", "scoring",
        "reverse", "fingerprint", "fingerprints", "versions", "columns", "spss_names",
    ]  # fmt: skip
    rows: list[list[Any]] = [header]
    for e in codebook(plan).entries:
        labels = [
            "|".join(c.label.get(lang, "") for c in e.choices)
            if e.choices
            else "|".join((e.scale_labels or {}).get(lang, []))
            for lang in languages
        ]
        rows.append(
            [
                e.item,
                e.type,
                e.section or "",
                *(e.text.get(lang, "") for lang in languages),
                "|".join(c.value for c in e.choices),
                *labels,
                "|".join(str(c.code) for c in e.choices),
                "|".join(e.correct) if isinstance(e.correct, list) else e.correct or "",
                e.scoring or "",
                "true" if e.reverse else "",
                e.fingerprint or "",
                ";".join(f"{v}={h}" for v, h in e.fingerprints.items()),
                " ".join(str(v) for v in e.versions),
                " ".join(e.columns),
                " ".join(e.spss_names),
            ]
        )
    return rows


def codebook_csv(plan: ExportPlan) -> bytes:
    """One row per item and per outcome; lists inside a cell are separated by ``|``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(_codebook_table(plan))
    return buffer.getvalue().encode()


# -- Excel -----------------------------------------------------------------------------------------


async def write_xlsx(
    conn: asyncpg.Connection, plan: ExportPlan, path: str | os.PathLike[str], *,
    progress: Progress | None = None,
) -> int:  # fmt: skip
    """Write an Excel workbook: a ``responses`` sheet (as the CSV) and a ``codebook`` sheet.

    xlsxwriter's ``constant_memory`` mode flushes every row to a temporary file as it is written, so
    memory stays flat. Text cells stay text: nothing a respondent typed becomes a formula or a link.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        os.fspath(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    try:
        bold = workbook.add_format({"bold": True})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        sheet = workbook.add_worksheet("responses")
        sheet.write_row(0, 0, [c.name for c in plan.columns], bold)
        sheet.freeze_panes(1, 1)
        n = 0
        async with _Snapshot(conn, plan) as snapshot:
            if snapshot.total >= EXCEL_MAX_ROWS:
                raise SurveyError(
                    f"{snapshot.total} responses do not fit in an Excel sheet "
                    f"({EXCEL_MAX_ROWS - 1} at most); export CSV or SPSS instead"
                )
            async for batch in _batches(conn, plan, progress, snapshot.total):
                for row in batch:
                    n += 1
                    started, submitted = row[_STARTED], row[_SUBMITTED]
                    row[_STARTED] = row[_SUBMITTED] = None
                    sheet.write_row(n, 0, row)
                    sheet.write_datetime(n, _STARTED, started.astimezone(dt.UTC), when)
                    if submitted is not None:
                        sheet.write_datetime(n, _SUBMITTED, submitted.astimezone(dt.UTC), when)
        book = workbook.add_worksheet("codebook")
        for r, row in enumerate(_codebook_table(plan)):
            book.write_row(r, 0, row, bold if r == 0 else None)
    finally:
        # Assembling the zip file takes a while for large exports: not on the event loop.
        await asyncio.to_thread(workbook.close)
    return n


# -- SPSS ------------------------------------------------------------------------------------------


def _sav_kind(plan: ExportPlan, column: Column, item: ItemInfo | None) -> str:
    """How a column is stored in the .sav file: ``string``, ``number``, ``code`` (choice codes),
    ``date`` or ``datetime``."""
    if column.kind == "meta":
        if column.name == "version":
            return "number"
        return "datetime" if column.name in ("started_at", "submitted_at") else "string"
    if column.kind in ("choice", "outcome") or item is None:
        return "number"
    if not item.same_type:
        return "string"
    return {
        "choice": "code",
        "consent": "code",
        "likert": "number",
        "integer": "number",
        "decimal": "number",
        "date": "date",
    }.get(item.type, "string")


def _consent_codes() -> dict[str, int]:
    return {"yes": 1, "no": 0}


def _value_labels(
    plan: ExportPlan, column: Column, item: ItemInfo | None
) -> dict[float, str] | None:
    if column.kind == "choice":
        return {0.0: "not selected", 1.0: "selected"}
    if item is None or not item.same_type:
        return None
    if item.type == "choice":
        return {float(c.code): _text_in(c.label, plan.language) or c.value for c in item.choices}
    if item.type == "consent":
        return {float(code): value for value, code in _consent_codes().items()}
    if item.type == "likert" and item.scale_labels:
        labels = item.scale_labels.get(plan.language) or next(iter(item.scale_labels.values()))
        return {float(n): label for n, label in enumerate(labels, start=1)}
    return None


def _measure(column: Column, item: ItemInfo | None, kind: str) -> str:
    if column.kind == "choice" or kind == "code":
        return "nominal"
    if item is not None and item.type == "likert" and kind == "number":
        return "ordinal"
    return "scale" if kind in ("number", "date", "datetime") else "nominal"


def _to_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return math.nan
    return float(value)


def _to_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _to_string(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


async def write_sav(
    conn: asyncpg.Connection, plan: ExportPlan, path: str | os.PathLike[str], *,
    progress: Progress | None = None,
) -> int:  # fmt: skip
    """Write an SPSS .sav file with variable labels and value labels.

    Names are made valid for SPSS (:func:`spss_names`), each variable's label starts with its original
    column name; choice items are numeric codes (1, 2, ... as in the codebook) with their labels, consent
    1 = yes and 0 = no, Likert items their points with the scale's labels, multi-choice columns 0/1.
    Labels are in ``plan.language``.

    Memory: pyreadstat writes from a pandas DataFrame and cannot append, so the table is held in memory:
    numeric columns in preallocated float64 arrays (8 bytes per cell), text columns as Python strings.
    The rows themselves are still read in batches.
    """
    import numpy as np
    import pandas as pd
    import pyreadstat

    items = {i.key: i for i in plan.items}
    columns = plan.columns
    col_items = [items.get(c.key or "") if c.kind in ("item", "choice") else None for c in columns]
    kinds = [_sav_kind(plan, c, i) for c, i in zip(columns, col_items, strict=True)]
    code_maps: list[dict[str, int] | None] = []
    for item, kind in zip(col_items, kinds, strict=True):
        if kind != "code" or item is None:
            code_maps.append(None)
        elif item.type == "consent":
            code_maps.append(_consent_codes())
        else:
            code_maps.append({c.value: c.code for c in item.choices})

    async with _Snapshot(conn, plan) as snapshot:
        total = snapshot.total
        data: list[Any] = [
            np.full(total, np.nan) if kind in ("number", "code") else [None] * total
            for kind in kinds
        ]
        n = 0
        async for batch in _batches(conn, plan, progress, total):
            for row in batch:
                for j, value in enumerate(row):
                    kind = kinds[j]
                    if value is None:
                        continue
                    if kind == "number":
                        data[j][n] = _to_number(value)
                    elif kind == "code":
                        data[j][n] = code_maps[j].get(value, math.nan)  # type: ignore[union-attr]
                    elif kind == "string":
                        data[j][n] = _to_string(value)
                    elif kind == "date":
                        data[j][n] = _to_date(value)
                    else:  # datetime: SPSS has no time zones, the codebook says UTC
                        data[j][n] = value.astimezone(dt.UTC).replace(tzinfo=None)
                n += 1

    frame: dict[str, Any] = {}
    for column, kind, values in zip(columns, kinds, data, strict=True):
        if kind == "datetime":
            frame[column.spss_name] = pd.to_datetime(pd.Series(values, dtype=object))
        elif kind in ("string", "date"):
            frame[column.spss_name] = pd.Series(values, dtype=object)
        else:
            frame[column.spss_name] = values
    df = pd.DataFrame(frame)
    value_labels = {}
    for column, item in zip(columns, col_items, strict=True):
        labels = _value_labels(plan, column, item)
        if labels:
            value_labels[column.spss_name] = labels
    measures = {
        c.spss_name: _measure(c, i, k) for c, i, k in zip(columns, col_items, kinds, strict=True)
    }
    await asyncio.to_thread(
        pyreadstat.write_sav,
        df,
        os.fspath(path),
        file_label=f"survey export: {plan.file_stem()}"[:64],
        column_labels={c.spss_name: c.label[:255] for c in columns},
        variable_value_labels=value_labels,
        variable_measure=measures,
    )
    return n


# -- one entry point, with the audit log -----------------------------------------------------------


async def audit_export(
    conn: asyncpg.Connection,
    plan: ExportPlan,
    fmt: str,
    *,
    actor: str,
    account_id: int | None = None,
) -> int:
    """Record an export in the audit log before it starts; returns the entry's id."""
    return await accounts_db.record_audit(
        conn,
        action="export",
        actor=actor,
        account_id=account_id,
        campaign_id=plan.campaign.id,
        detail={
            "format": fmt,
            "wave": plan.wave,
            "include_partial": plan.include_partial,
            "language": plan.language,
        },
    )


async def write_export(
    conn: asyncpg.Connection,
    plan: ExportPlan,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
) -> int:
    """Write one format to ``path``; return the number of responses (0 for a codebook)."""
    if fmt == "csv":
        return await write_csv(conn, plan, path, progress=progress)
    if fmt == "xlsx":
        return await write_xlsx(conn, plan, path, progress=progress)
    if fmt == "sav":
        return await write_sav(conn, plan, path, progress=progress)
    if fmt in ("codebook-csv", "codebook-json"):
        Path(path).write_bytes(codebook_csv(plan) if fmt == "codebook-csv" else codebook_json(plan))
        return 0
    raise InvalidAnswer(f'format must be one of {", ".join(FORMATS)}, not "{fmt}"')


class ExportResult(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    format: str
    rows: int
    audit_id: int


async def export_to_path(
    conn: asyncpg.Connection,
    campaign_key: str,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    wave: str | None = None,
    include_partial: bool = False,
    language: str | None = None,
    actor: str,
    account_id: int | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Plan, audit and write an export to a file (the command line's ``survey export``)."""
    if fmt not in FORMATS:
        raise InvalidAnswer(f'format must be one of {", ".join(FORMATS)}, not "{fmt}"')
    plan = await plan_export(
        conn, campaign_key, wave=wave, include_partial=include_partial, language=language
    )
    audit_id = await audit_export(conn, plan, fmt, actor=actor, account_id=account_id)
    rows = await write_export(conn, plan, fmt, path, progress=progress)
    await accounts_db.finish_audit(conn, audit_id, rows)
    return ExportResult(path=os.fspath(path), format=fmt, rows=rows, audit_id=audit_id)
