"""Responses: every database call about them, rows turned into :class:`Response` Structs.

A response holds answers, the questionnaire version it started on, its language, its status, the pages
saved and the times: nothing about the device or the network it came from. Its ``id`` is what the
respondent's cookie and pages carry, and it never leaves the respondent's pages: exports and the API
show the response's ``public_id`` instead (see :mod:`survey.db.console`). Its drafts (what was on a page
left with Back) are the respondent's own, never answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

import asyncpg
import msgspec

from survey.db.campaigns import Wave
from survey.db.queries import sql
from survey.errors import NotFound

__all__ = [
    "Drafts",
    "Response",
    "ResponseStatus",
    "Visit",
    "campaign_secret",
    "create_response",
    "get_response",
    "keep_draft",
    "lock_response",
    "recent_starts",
    "save_response",
    "set_language",
    "set_response_times",
    "wave_with_response",
]

ResponseStatus = Literal["in_progress", "complete", "declined"]
Drafts = dict[str, dict[str, list[str]]]
"""Page key → question key → the values sent for it when the page was left with Back, unchecked."""


class Response(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    wave_id: int
    version_id: int
    language: str
    status: ResponseStatus
    answers: dict[str, object]
    pages: list[str]
    panel_key: str | None
    panel_code_changes: int
    """How many times the panel code was changed after it was first given."""
    drafts: Drafts
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Response:
        return cls(**dict(row))

    @property
    def finished(self) -> bool:
        """True once complete or declined: nothing changes any more."""
        return self.status != "in_progress"


_RESPONSE_FIELDS = Response.__struct_fields__
_WAVE_FIELDS = Wave.__struct_fields__


class Visit(msgspec.Struct, frozen=True, kw_only=True):
    """The wave of a link and the response the browser's cookie names in it (if any).

    ``row_version`` identifies the version of the response's row that was read (its ``xmin``); a save
    that passes it applies only if the row has not changed since.
    """

    wave: Wave
    response: Response | None
    row_version: str | None


async def wave_with_response(
    conn: asyncpg.Connection, token: str, response_id: uuid.UUID | None
) -> Visit | None:
    """The wave with this link token and, if it has one with this id, the response; None: no wave."""
    row = await conn.fetchrow(sql("wave_with_response"), token, response_id)
    if row is None:
        return None
    wave = Wave(**{name: row[name] for name in _WAVE_FIELDS})
    if row["r_id"] is None:
        return Visit(wave=wave, response=None, row_version=None)
    response = Response(**{name: row[f"r_{name}"] for name in _RESPONSE_FIELDS})
    return Visit(wave=wave, response=response, row_version=row["r_row_version"])


async def get_response(conn: asyncpg.Connection, response_id: uuid.UUID) -> Response | None:
    row = await conn.fetchrow(sql("response_by_id"), response_id)
    return None if row is None else Response.from_row(row)


async def lock_response(conn: asyncpg.Connection, response_id: uuid.UUID) -> Response | None:
    """The response, row-locked until the surrounding transaction ends (call inside one)."""
    row = await conn.fetchrow(sql("response_lock"), response_id)
    return None if row is None else Response.from_row(row)


async def create_response(
    conn: asyncpg.Connection,
    response_id: uuid.UUID,
    *,
    wave_id: int,
    version_id: int,
    language: str,
) -> Response | None:
    """Insert a new response in progress; None when the id exists already (in any wave)."""
    row = await conn.fetchrow(sql("response_insert"), response_id, wave_id, version_id, language)
    return None if row is None else Response.from_row(row)


async def save_response(
    conn: asyncpg.Connection,
    response_id: uuid.UUID,
    *,
    answers: dict[str, object],
    pages: list[str],
    panel_key: str | None,
    language: str,
    status: ResponseStatus,
    page: str,
    panel_code_changes: int = 0,
    row_version: str | None = None,
) -> Response | None:
    """Replace a response's answers and saved pages; None when it is no longer in progress.

    ``page`` is the key of the page being saved: its draft, if any, is dropped (a finished response
    keeps none). With ``row_version`` (from :func:`wave_with_response`), no lock need be held: the save
    applies only if the row is still that version, and None also means it has changed since it was read.
    """
    values = (response_id, answers, pages, panel_key, language, status, panel_code_changes, page)
    if row_version is None:
        row = await conn.fetchrow(sql("response_save"), *values)
    else:
        row = await conn.fetchrow(sql("response_save_unchanged"), *values, row_version)
    if row is None:
        return None
    return Response(**{name: row[name] for name in _RESPONSE_FIELDS})


async def keep_draft(
    conn: asyncpg.Connection, response_id: uuid.UUID, page: str, draft: dict[str, list[str]]
) -> Response | None:
    """Keep ``draft`` as the draft of ``page``; None when the response is no longer in progress."""
    row = await conn.fetchrow(sql("response_keep_draft"), response_id, page, draft)
    return None if row is None else Response.from_row(row)


async def set_language(conn: asyncpg.Connection, response_id: uuid.UUID, language: str) -> None:
    """Record the language chosen for a response still in progress."""
    await conn.execute(sql("response_set_language"), response_id, language)


async def recent_starts(conn: asyncpg.Connection, wave_id: int, seconds: float, limit: int) -> int:
    """Responses the wave started in the last ``seconds``, counted up to ``limit`` at most."""
    return await conn.fetchval(sql("response_recent_starts"), wave_id, float(seconds), limit)


async def campaign_secret(conn: asyncpg.Connection, campaign_id: int) -> bytes:
    """The campaign's HMAC key for panel codes."""
    secret = await conn.fetchval(sql("campaign_secret"), campaign_id)
    if secret is None:
        raise NotFound(f"no campaign with id {campaign_id}")
    return bytes(secret)


async def set_response_times(
    conn: asyncpg.Connection,
    ids: Sequence[uuid.UUID],
    started: Sequence[datetime],
    saved: Sequence[datetime],
) -> None:
    """Give responses the times they started and were last saved (the demo's collection over days)."""
    await conn.execute(sql("response_set_times"), list(ids), list(started), list(saved))
