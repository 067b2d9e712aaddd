"""Published questionnaire versions: immutable, hashed, numbered per questionnaire."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import asyncpg
import msgspec

from survey.db.queries import sql
from survey.errors import AlreadyTaken, NotFound
from survey.questionnaire.fingerprint import (
    canonical_definition,
    definition_hash,
    item_fingerprints,
)
from survey.questionnaire.model import Questionnaire


class QuestionnaireVersion(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    key: str
    version: int
    sha256: str
    definition: Questionnaire
    fingerprints: dict[str, str]
    comparability: dict[str, str]
    published_at: datetime
    team_id: int
    """The team that owns the questionnaire (which first published it)."""
    team: str
    team_name: str | None
    shared: bool
    """Whether every team may see it and run campaigns on it, or only its own."""

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> QuestionnaireVersion:
        return cls(
            id=row["id"],
            key=row["key"],
            version=row["version"],
            sha256=row["sha256"],
            definition=msgspec.convert(row["definition"], Questionnaire),
            fingerprints=row["fingerprints"],
            comparability=row["comparability"],
            published_at=row["published_at"],
            team_id=row["team_id"],
            team=row["team"],
            team_name=row["team_name"],
            shared=row["shared"],
        )


class QuestionnaireSummary(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    latest_version: int
    n_versions: int
    sha256: str
    published_at: datetime
    title: dict[str, str]
    team_id: int
    team: str
    team_name: str | None
    shared: bool


class PublishResult(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    version: int
    created: bool
    team_id: int
    """The team that owns the questionnaire."""


def comparability_keys(
    definition: Questionnaire, fingerprints: dict[str, str], previous: QuestionnaireVersion | None
) -> dict[str, str]:
    """The fingerprint each item is compared under across versions.

    An item marked ``equivalent: true`` keeps the comparability key it had in the previous version, so a
    declared typo fix does not drop it from pre/post comparisons; every other item is compared under its own
    fingerprint.
    """
    keys = {}
    for item in definition.items():
        if item.key not in fingerprints:
            continue
        if item.equivalent and previous is not None and item.key in previous.comparability:
            keys[item.key] = previous.comparability[item.key]
        else:
            keys[item.key] = fingerprints[item.key]
    return keys


async def publish(
    conn: asyncpg.Connection,
    definition: Questionnaire,
    *,
    team: str = "default",
    shared: bool = True,
) -> PublishResult:
    """Store ``definition`` as version N+1 unless an identical version exists (then report that one).

    A questionnaire published for the first time belongs to ``team``, shared with every team or kept to
    it (``shared``); later versions keep the owner and sharing it has (who may publish them is for the
    caller to decide). NotFound for an unknown team.
    """
    digest = definition_hash(definition)
    async with conn.transaction():
        owner = await conn.fetchrow(sql("questionnaire_lock"), definition.key, team, shared)
        if owner is None:
            raise NotFound(f'no team "{team}"')
        questionnaire_id, team_id = owner["id"], owner["team_id"]
        await conn.execute(sql("questionnaire_lock_row"), questionnaire_id)
        existing = await conn.fetchval(sql("version_by_hash"), questionnaire_id, digest)
        if existing is not None:
            return PublishResult(
                key=definition.key, version=existing, created=False, team_id=team_id
            )
        previous = await latest_version(conn, definition.key)
        number = 1 if previous is None else previous.version + 1
        fingerprints = item_fingerprints(definition)
        await conn.execute(
            sql("insert_version"),
            questionnaire_id,
            number,
            digest,
            msgspec.json.decode(canonical_definition(definition)),
            fingerprints,
            comparability_keys(definition, fingerprints, previous),
        )
    return PublishResult(key=definition.key, version=number, created=True, team_id=team_id)


async def latest_version(conn: asyncpg.Connection, key: str) -> QuestionnaireVersion | None:
    row = await conn.fetchrow(sql("latest_version_row"), key)
    return None if row is None else QuestionnaireVersion.from_row(row)


async def get_version(
    conn: asyncpg.Connection, key: str, version: int | None = None
) -> QuestionnaireVersion:
    """The given version of a questionnaire, or its latest; NotFound with a clear message otherwise."""
    if version is None:
        found = await latest_version(conn, key)
        if found is None:
            raise NotFound(f'no questionnaire "{key}" has been published')
        return found
    row = await conn.fetchrow(sql("version_row"), key, version)
    if row is None:
        if await latest_version(conn, key) is None:
            raise NotFound(f'no questionnaire "{key}" has been published')
        raise NotFound(f'questionnaire "{key}" has no version {version}')
    return QuestionnaireVersion.from_row(row)


async def get_version_by_id(conn: asyncpg.Connection, version_id: int) -> QuestionnaireVersion:
    row = await conn.fetchrow(sql("version_row_by_id"), version_id)
    if row is None:
        raise NotFound(f"no questionnaire version with id {version_id}")
    return QuestionnaireVersion.from_row(row)


async def list_questionnaires(
    conn: asyncpg.Connection, team_ids: Iterable[int] | None = None
) -> list[QuestionnaireSummary]:
    """Every questionnaire with its latest version, or (``team_ids``) those these teams may see."""
    teams = None if team_ids is None else list(team_ids)
    return [
        QuestionnaireSummary(**{**dict(r), "title": r["title"] or {}})
        for r in await conn.fetch(sql("list_questionnaires"), teams)
    ]


async def set_shared(conn: asyncpg.Connection, key: str, shared: bool) -> None:
    """Share a questionnaire with every team, or keep it to its own (Conflict when campaigns of other
    teams use it: they would lose sight of their own questionnaire)."""
    async with conn.transaction():
        if await conn.fetchval(sql("set_questionnaire_shared"), key, shared) is None:
            raise NotFound(f'no questionnaire "{key}" has been published')
        if not shared:
            users = [r["key"] for r in await conn.fetch(sql("questionnaire_users"), key)]
            if users:
                raise AlreadyTaken(
                    f'campaigns of other teams use questionnaire "{key}" ({", ".join(users)}): it stays '
                    "shared",
                    reason="questionnaire_in_use",
                    key=key,
                    teams=", ".join(users),
                )
