"""Questionnaire drafts: definitions being edited in the console, each owned by a team.

This module stores and reads; who may open a draft is decided by its caller (:mod:`survey.editor.service`),
and so is what a change does. A draft's definition is stored as the questionnaire model encodes it and
comes back as that model (:class:`~survey.questionnaire.model.Questionnaire`), decoded but not validated:
a draft may still break rules that publishing enforces.

Every write names the revision it was made on; a write on a stale revision changes nothing and says so
(None), which is how two people editing one draft never overwrite each other unseen.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

from survey.db.queries import sql
from survey.errors import NotFound
from survey.questionnaire.model import Questionnaire

__all__ = [
    "Draft",
    "DraftSummary",
    "create_draft",
    "delete_draft",
    "get_draft",
    "list_drafts",
    "previous_definition",
    "save_draft",
]


class Draft(msgspec.Struct, frozen=True, kw_only=True):
    """A draft and who made and last changed it (None once their account is gone)."""

    id: int
    team_id: int
    team: str
    team_name: str | None
    definition: Questionnaire
    can_undo: bool
    """Whether the draft remembers the definition before its last change."""
    revision: int
    created_at: datetime
    updated_at: datetime
    created_by: str | None
    updated_by: str | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Draft:
        return cls(**{**dict(row), "definition": msgspec.convert(row["definition"], Questionnaire)})


class DraftSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A draft as the questionnaire list shows it."""

    id: int
    team_id: int
    team: str
    team_name: str | None
    key: str
    title: dict[str, str]
    revision: int
    updated_at: datetime
    updated_by: str | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> DraftSummary:
        return cls(**{**dict(row), "title": row["title"] or {}})


def _stored(definition: Questionnaire) -> object:
    return msgspec.to_builtins(definition)


async def create_draft(
    conn: asyncpg.Connection, *, team_id: int, definition: Questionnaire, account_id: int
) -> int:
    """Store a new draft of team ``team_id`` at revision 1; its id."""
    return await conn.fetchval(sql("draft_insert"), team_id, _stored(definition), account_id)


async def get_draft(conn: asyncpg.Connection, draft_id: int) -> Draft:
    """The draft ``draft_id``; NotFound when there is none."""
    row = await conn.fetchrow(sql("draft_row"), draft_id)
    if row is None:
        raise NotFound(f"no draft {draft_id}")
    return Draft.from_row(row)


async def previous_definition(conn: asyncpg.Connection, draft_id: int) -> Questionnaire | None:
    """The definition before the draft's last change, or None when it remembers none."""
    stored = await conn.fetchval(sql("draft_previous"), draft_id)
    return None if stored is None else msgspec.convert(stored, Questionnaire)


async def save_draft(
    conn: asyncpg.Connection,
    draft_id: int,
    *,
    revision: int,
    definition: Questionnaire,
    previous: Questionnaire | None,
    account_id: int,
) -> int | None:
    """Store ``definition`` as the change made on ``revision``, remembering ``previous`` for undo.

    The new revision; None when the draft is no longer at ``revision`` (someone else changed it, or
    discarded it), and then nothing is written.
    """
    return await conn.fetchval(
        sql("draft_update"),
        draft_id,
        _stored(definition),
        revision,
        None if previous is None else _stored(previous),
        account_id,
    )


async def delete_draft(conn: asyncpg.Connection, draft_id: int, *, revision: int) -> bool:
    """Discard the draft if it is still at ``revision``; whether it was."""
    return await conn.fetchval(sql("draft_delete"), draft_id, revision) is not None


async def list_drafts(conn: asyncpg.Connection, team_ids: list[int]) -> list[DraftSummary]:
    """The drafts of these teams, most recently changed first."""
    return [DraftSummary.from_row(r) for r in await conn.fetch(sql("draft_list"), team_ids)]
