"""What the researchers' console reads: versions, collection progress, and responses for exports and the API.

What of a response leaves the database here, for the exports and the API, is its *public* id (never the
id its respondent's cookie holds, which would let a reader take over an unfinished response) and, for a
complete response of a panel campaign linked to one of the other phase, its *pair* id (never the panel
key: even a keyed hash of a self-made code lets whoever sees it and can send answers find the code by
trying codes). Answers to panel code questions are left out for the same reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

import asyncpg
import msgspec

from survey.db.queries import sql

STATUSES = ("complete", "in_progress", "declined")
_answers_decoder = msgspec.json.Decoder(dict[str, Any])


class VersionInfo(msgspec.Struct, frozen=True, kw_only=True):
    version: int
    sha256: str
    published_at: datetime


class DayCount(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    complete: int
    partial: int
    declined: int


class PageCount(msgspec.Struct, frozen=True, kw_only=True):
    """How many responses saved a page, and how many unfinished ones stopped after it."""

    page: str
    reached: int
    stopped: int


class WaveProgress(msgspec.Struct, frozen=True, kw_only=True):
    complete: int
    partial: int
    declined: int
    per_day: list[DayCount]
    pages: list[PageCount]
    median_seconds: float | None

    @property
    def total(self) -> int:
        return self.complete + self.partial + self.declined


class StatusCounts(msgspec.Struct, frozen=True, kw_only=True):
    complete: int = 0
    partial: int = 0
    declined: int = 0


class ResponseRow(msgspec.Struct, frozen=True, array_like=True):
    """One response as an export reads it."""

    public_id: uuid.UUID
    version_id: int
    language: str
    status: str
    pair_id: str | None
    started_at: datetime
    submitted_at: datetime | None
    channel: str
    enumerator: str | None
    review: str | None
    answers: dict[str, Any]


class ApiResponse(msgspec.Struct, frozen=True, kw_only=True):
    """A response as the API shows it."""

    id: uuid.UUID
    """The response's public id (the exports' ``response_id``), not the one its respondent's cookie holds."""
    wave: str
    phase: str
    arm: str
    version: int
    language: str
    status: str
    pair_id: uuid.UUID | None
    """Panel designs: the same for a respondent's complete pre and post responses; else null."""
    started_at: datetime
    submitted_at: datetime | None
    answers: dict[str, Any]
    """Item key → stored answer; answers to panel code questions are never shown."""


def _counts(rows: Sequence[asyncpg.Record]) -> StatusCounts:
    by_status = {r["status"]: r["n"] for r in rows}
    return StatusCounts(
        complete=by_status.get("complete", 0),
        partial=by_status.get("in_progress", 0),
        declined=by_status.get("declined", 0),
    )


async def list_versions(conn: asyncpg.Connection, questionnaire: str) -> list[VersionInfo]:
    return [VersionInfo(**dict(r)) for r in await conn.fetch(sql("list_versions"), questionnaire)]


def _by_wave(rows: Sequence[asyncpg.Record]) -> dict[str, StatusCounts]:
    by_wave: dict[str, list[asyncpg.Record]] = {}
    for r in rows:
        by_wave.setdefault(r["wave"], []).append(r)
    return {wave: _counts(found) for wave, found in by_wave.items()}


async def campaign_counts(conn: asyncpg.Connection, campaign_id: int) -> dict[str, StatusCounts]:
    """Responses by status for each wave of a campaign that has any, by wave key."""
    return _by_wave(await conn.fetch(sql("campaign_status_counts"), campaign_id))


async def all_counts(conn: asyncpg.Connection, team_ids: Sequence[int]) -> dict[str, StatusCounts]:
    """Responses by status for every wave of the teams' campaigns that has any, by wave key, in one
    query."""
    return _by_wave(await conn.fetch(sql("all_status_counts"), list(team_ids)))


async def wave_progress(conn: asyncpg.Connection, wave_id: int) -> WaveProgress:
    counts = _counts(await conn.fetch(sql("wave_status_counts"), wave_id))
    return WaveProgress(
        complete=counts.complete,
        partial=counts.partial,
        declined=counts.declined,
        per_day=[DayCount(**dict(r)) for r in await conn.fetch(sql("wave_per_day"), wave_id)],
        pages=[
            PageCount(page=r["page"], reached=r["reached"], stopped=r["stopped"])
            for r in await conn.fetch(sql("wave_pages"), wave_id)
        ],
        median_seconds=await conn.fetchval(sql("wave_median_seconds"), wave_id),
    )


async def count_responses(
    conn: asyncpg.Connection, wave_ids: Sequence[int], statuses: Sequence[str]
) -> int:
    return await conn.fetchval(sql("export_count"), list(wave_ids), list(statuses))


async def response_batches(
    conn: asyncpg.Connection, wave_id: int, statuses: Sequence[str], *, batch: int = 1000
) -> AsyncIterator[list[ResponseRow]]:
    """One wave's responses through a server-side cursor, ``batch`` rows at a time.

    Must run inside a transaction (PostgreSQL cursors live in one). Memory holds one batch at a time,
    however many responses there are.
    """
    cursor = await conn.cursor(sql("export_rows"), wave_id, list(statuses))
    decode = _answers_decoder.decode
    while True:
        records = await cursor.fetch(batch)
        if not records:
            return
        yield [ResponseRow(*record[:10], decode(record[10])) for record in records]


async def response_texts(
    conn: asyncpg.Connection,
    wave_id: int,
    statuses: Sequence[str],
    *,
    head: tuple[str, str, str],
    panel: bool,
    batch: int = 1000,
) -> AsyncIterator[list[tuple[int, str, list[str]]]]:
    """One wave's responses for a CSV export, ``batch`` rows at a time, as text.

    Each row is ``(version_id, answers, cells)``: the answers are the stored JSON object as PostgreSQL
    writes it (a number keeps jsonb's text for it, as ``->>`` gives it), the cells the response's public
    id, the three strings of ``head`` (wave key, phase, arm), the version number, language, start and
    submit times (ISO 8601, UTC, to the second), status, channel, enumerator, review, and the pair id when
    ``panel``; an empty string where there is none.

    Must run inside a transaction (a server-side cursor); memory holds two batches at a time: the next
    batch is asked for before this one is handed over, so that PostgreSQL reads it on the other core
    while the caller writes this one.
    """
    cursor = await conn.cursor(sql("export_texts"), wave_id, list(statuses), *head, panel)
    pending: asyncio.Future[list[asyncpg.Record]] | None = asyncio.ensure_future(
        cursor.fetch(batch)
    )
    try:
        while pending is not None:
            records = await pending
            pending = None
            if len(records) == batch:
                pending = asyncio.ensure_future(cursor.fetch(batch))
                await asyncio.sleep(0)  # lets the task send its FETCH now
            if records:
                yield list(map(tuple, records))
    finally:
        if pending is not None:  # the caller stopped early: the connection must be idle again
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, asyncpg.PostgresError):
                await pending


async def api_responses(
    conn: asyncpg.Connection,
    campaign_id: int,
    *,
    wave: str | None,
    statuses: Sequence[str],
    after: uuid.UUID | None,
    limit: int,
) -> list[ApiResponse]:
    rows = await conn.fetch(sql("api_responses"), campaign_id, wave, list(statuses), after, limit)
    return [ApiResponse(**dict(r)) for r in rows]


async def link_panel_pairs(conn: asyncpg.Connection, campaign_id: int) -> int:
    """Give a pair id to the campaign's newly linked panel keys; returns how many were new.

    On a streaming replica, which cannot write, nothing: an export read there has had them linked on
    the primary before (survey/exports/files.py:export_to_path).
    """
    if await conn.fetchval(sql("in_recovery")):
        return 0
    status = await conn.execute(sql("panel_pairs_link"), campaign_id)
    return int(status.rsplit(" ", 1)[-1])


async def response_version_ids(conn: asyncpg.Connection, wave_ids: Sequence[int]) -> set[int]:
    """The versions responses of these waves were answered on."""
    return {r["version_id"] for r in await conn.fetch(sql("export_versions"), list(wave_ids))}
