"""Field collection: every database call about field addresses, received instances and their review.

A wave's field addresses (:class:`FieldKey`) are the secrets devices call; the instances a wave received
(``field_instance``) make a re-sent interview change nothing and let an edit replace the answers of the
interview it names. The answers themselves are responses like the web form's (``channel = 'field'``),
with the answers that broke a rule kept apart (``flags``) until a researcher reviews them.
"""

from __future__ import annotations

import secrets
import unicodedata
import uuid
from datetime import datetime
from typing import Any, Literal

import asyncpg
import msgspec

from survey.db.campaigns import Wave
from survey.db.queries import sql
from survey.errors import RuleBroken

__all__ = [
    "ENUMERATOR_LENGTH",
    "TOKEN_BYTES",
    "ChannelCount",
    "FieldAddress",
    "FieldKey",
    "Flags",
    "KnownInstance",
    "PendingReview",
    "UnderReview",
    "accept_review",
    "address_by_token",
    "channel_counts",
    "check_enumerator",
    "ensure_key",
    "insert_field_response",
    "insert_instance",
    "instance",
    "instance_deprecated_by",
    "key_in_use",
    "keys_of_wave",
    "pending_count",
    "pending_reviews",
    "reject_review",
    "replace_field_response",
    "review_for_update",
    "revoke_key",
    "supersede_instance",
]

#: Random bytes of a field address token (32 characters in base64url): as unguessable as a session.
TOKEN_BYTES = 24
#: The longest enumerator name (the CHECK of field_key.enumerator).
ENUMERATOR_LENGTH = 60


def check_enumerator(name: str) -> str:
    """An enumerator's name as stored: NFC, spaces collapsed; RuleBroken (``enumerator_name``) when
    empty, longer than :data:`ENUMERATOR_LENGTH` or holding a control character."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned or len(cleaned) > ENUMERATOR_LENGTH or not cleaned.isprintable():
        raise RuleBroken(
            f"an enumerator's name has 1 to {ENUMERATOR_LENGTH} characters, none of them a control "
            "character",
            reason="enumerator_name",
            max=ENUMERATOR_LENGTH,
        )
    return cleaned


class FieldKey(msgspec.Struct, frozen=True, kw_only=True):
    """A field server address of a wave: the wave's own (``enumerator`` None) or an enumerator's."""

    id: int
    enumerator: str | None
    token: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> FieldKey:
        return cls(**dict(row))

    def url(self, base_url: str) -> str:
        """The server address a device is given: ``<base>/field/<token>``."""
        return f"{base_url.rstrip('/')}/field/{self.token}"


class FieldAddress(msgspec.Struct, frozen=True, kw_only=True):
    """What a device's request names: the address and its wave."""

    key: FieldKey
    wave: Wave


_WAVE_FIELDS = Wave.__struct_fields__


async def address_by_token(conn: asyncpg.Connection, token: str) -> FieldAddress | None:
    """The address with this token (revoked or not) and its wave; None when there is none."""
    row = await conn.fetchrow(sql("field_address_by_token"), token)
    if row is None:
        return None
    key = FieldKey(
        id=row["key_id"],
        enumerator=row["enumerator"],
        token=row["key_token"],
        created_at=row["key_created_at"],
        revoked_at=row["key_revoked_at"],
    )
    return FieldAddress(key=key, wave=Wave(**{name: row[name] for name in _WAVE_FIELDS}))


async def ensure_key(conn: asyncpg.Connection, wave_id: int, enumerator: str | None) -> FieldKey:
    """The address in use of the wave for ``enumerator`` (None: the wave's own), made if there is none.

    Safe to call at once from several places: the partial unique index keeps one in use, and the loser
    of a race reads the winner's. RuleBroken for a name :func:`check_enumerator` refuses.
    """
    if enumerator is not None:
        enumerator = check_enumerator(enumerator)
    while True:
        row = await conn.fetchrow(
            sql("field_key_insert"), wave_id, enumerator, secrets.token_urlsafe(TOKEN_BYTES)
        )
        if row is None:
            row = await conn.fetchrow(sql("field_key_in_use"), wave_id, enumerator)
        if row is not None:  # (None only if it was revoked between the two statements)
            return FieldKey.from_row(row)


async def key_in_use(
    conn: asyncpg.Connection, wave_id: int, enumerator: str | None
) -> FieldKey | None:
    """The wave's address in use for ``enumerator`` (None: the wave's own); None when there is none."""
    row = await conn.fetchrow(sql("field_key_in_use"), wave_id, enumerator)
    return None if row is None else FieldKey.from_row(row)


async def keys_of_wave(conn: asyncpg.Connection, wave_id: int) -> list[FieldKey]:
    """Every address of the wave: in use first (the wave's own, then by enumerator), then revoked."""
    return [FieldKey.from_row(r) for r in await conn.fetch(sql("field_keys_of_wave"), wave_id)]


async def revoke_key(conn: asyncpg.Connection, wave_id: int, enumerator: str) -> bool:
    """Withdraw an enumerator's address; False when none is in use."""
    name = check_enumerator(enumerator)
    return await conn.fetchval(sql("field_key_revoke"), wave_id, name) is not None


# -- instances -----------------------------------------------------------------------------------------


class KnownInstance(msgspec.Struct, frozen=True, kw_only=True):
    """An instance the wave has received: its response, its body's SHA-256, whether an edit replaced it."""

    response_id: uuid.UUID
    body_sha256: bytes
    superseded_at: datetime | None

    @property
    def current(self) -> bool:
        return self.superseded_at is None


async def instance(
    conn: asyncpg.Connection, wave_id: int, instance_id: str
) -> KnownInstance | None:
    """The instance with this instanceID in the wave, row-locked when inside a transaction."""
    row = await conn.fetchrow(sql("field_instance_get"), wave_id, instance_id)
    if row is None:
        return None
    return KnownInstance(
        response_id=row["response_id"],
        body_sha256=bytes(row["body_sha256"]),
        superseded_at=row["superseded_at"],
    )


async def instance_deprecated_by(
    conn: asyncpg.Connection, wave_id: int, instance_id: str
) -> uuid.UUID | None:
    """The response of an edit received earlier that replaces instance ``instance_id``, if any."""
    return await conn.fetchval(sql("field_instance_deprecated_by"), wave_id, instance_id)


async def insert_instance(
    conn: asyncpg.Connection,
    *,
    wave_id: int,
    instance_id: str,
    response_id: uuid.UUID,
    body_sha256: bytes,
    deprecates: str | None,
    key_id: int,
    superseded: bool = False,
) -> bool:
    """Record a received instance; False when the wave has it already."""
    found = await conn.fetchval(
        sql("field_instance_insert"),
        wave_id,
        instance_id,
        response_id,
        body_sha256,
        deprecates,
        key_id,
        superseded,
    )
    return found is not None


async def supersede_instance(conn: asyncpg.Connection, wave_id: int, instance_id: str) -> None:
    await conn.execute(sql("field_instance_supersede"), wave_id, instance_id)


Flags = dict[str, dict[str, Any]]
"""Item key → ``{"reason", "params", "sent", "value"}`` (see the field_collection migration)."""


async def insert_field_response(
    conn: asyncpg.Connection,
    response_id: uuid.UUID,
    *,
    wave: Wave,
    language: str,
    status: Literal["complete", "declined"],
    answers: dict[str, object],
    pages: list[str],
    panel_key: str | None,
    enumerator: str | None,
    flags: Flags | None,
) -> uuid.UUID:
    """Store a finished field interview; its public id."""
    return await conn.fetchval(
        sql("field_response_insert"),
        response_id,
        wave.id,
        wave.version_id,
        language,
        status,
        answers,
        pages,
        panel_key,
        enumerator,
        flags,
    )


async def replace_field_response(
    conn: asyncpg.Connection,
    response_id: uuid.UUID,
    *,
    answers: dict[str, object],
    pages: list[str],
    panel_key: str | None,
    flags: Flags | None,
) -> uuid.UUID:
    """Replace a field interview's answers (an edit); its public id."""
    return await conn.fetchval(
        sql("field_response_replace"), response_id, answers, pages, panel_key, flags
    )


# -- review --------------------------------------------------------------------------------------------


class PendingReview(msgspec.Struct, frozen=True, kw_only=True):
    """A field response whose flagged answers wait for a researcher."""

    public_id: uuid.UUID
    enumerator: str | None
    submitted_at: datetime | None
    answers: dict[str, Any]
    flags: Flags


async def pending_reviews(
    conn: asyncpg.Connection, wave_id: int, limit: int
) -> list[PendingReview]:
    rows = await conn.fetch(sql("field_reviews_pending"), wave_id, limit)
    return [PendingReview(**dict(r)) for r in rows]


async def pending_count(conn: asyncpg.Connection, wave_id: int) -> int:
    return await conn.fetchval(sql("field_review_count"), wave_id)


class UnderReview(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    public_id: uuid.UUID
    answers: dict[str, Any]
    flags: Flags


async def review_for_update(
    conn: asyncpg.Connection, wave_id: int, public_id: uuid.UUID
) -> UnderReview | None:
    """The response still waiting for review, locked (call inside a transaction); None if decided."""
    row = await conn.fetchrow(sql("field_review_get"), wave_id, public_id)
    return None if row is None else UnderReview(**dict(row))


async def accept_review(
    conn: asyncpg.Connection,
    response_id: uuid.UUID,
    answers: dict[str, object],
    panel_key: str | None,
) -> None:
    await conn.execute(sql("field_review_accept"), response_id, answers, panel_key)


async def reject_review(conn: asyncpg.Connection, response_id: uuid.UUID) -> None:
    await conn.execute(sql("field_review_reject"), response_id)


# -- monitoring ----------------------------------------------------------------------------------------


class ChannelCount(msgspec.Struct, frozen=True, kw_only=True):
    """Responses of one channel (and enumerator) with one status."""

    channel: Literal["web", "field"]
    enumerator: str | None
    status: str
    n: int
    pending: int


async def channel_counts(conn: asyncpg.Connection, wave_id: int) -> list[ChannelCount]:
    """The wave's responses by channel, enumerator and status."""
    return [ChannelCount(**dict(r)) for r in await conn.fetch(sql("field_channel_counts"), wave_id)]
