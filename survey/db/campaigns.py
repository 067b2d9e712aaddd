"""Campaigns and their waves."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Literal

import asyncpg
import msgspec

from survey.db.queries import sql
from survey.db.questionnaires import get_version
from survey.errors import Conflict, InvalidAnswer, NotFound

Design = Literal["independent", "panel", "comparison"]
Phase = Literal["pre", "post"]
Arm = Literal["campaign", "comparison"]
WaveStatus = Literal["draft", "open", "closed"]
DESIGNS = ("independent", "panel", "comparison")
RESERVED_KEYS = frozenset({"new"})
# The same rules as the table's CHECK constraints, tested first so that a wrong key gets a sentence
# (and an absurdly long one never reaches a query).
CAMPAIGN_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
WAVE_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,80}")
"""Keys the console routes on under ``/console/campaigns/``: a campaign named so could not be opened."""


class Campaign(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    key: str
    questionnaire: str
    design: Design
    cluster_item: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Campaign:
        return cls(**dict(row))


class Wave(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    key: str
    campaign: str
    campaign_id: int
    design: Design
    phase: Phase
    arm: Arm
    version_id: int
    questionnaire: str
    version: int
    token: str
    status: WaveStatus
    opens_at: datetime | None
    closes_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Wave:
        return cls(**dict(row))

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/r/{self.token}"

    def accepts_answers(self, now: datetime) -> bool:
        if self.status != "open":
            return False
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


async def create_campaign(
    conn: asyncpg.Connection,
    key: str,
    *,
    questionnaire: str,
    design: str,
    cluster_item: str | None = None,
) -> Campaign:
    if design not in DESIGNS:
        raise InvalidAnswer(f'design must be one of {", ".join(DESIGNS)}, not "{design}"')
    _check_key(key, CAMPAIGN_KEY, "a campaign key", 63)
    if key in RESERVED_KEYS:
        raise InvalidAnswer(
            f'a campaign cannot be called "{key}": /console/campaigns/{key} is a console page; '
            "choose another key"
        )
    latest = await get_version(conn, questionnaire)
    definition = latest.definition
    item_keys = {item.key for item in definition.items()}
    if cluster_item is not None and cluster_item not in item_keys:
        raise InvalidAnswer(
            f'cluster item "{cluster_item}" is not an item of questionnaire "{questionnaire}"'
        )
    if design == "panel" and not any(i.type == "panel_code" for i in definition.items()):
        raise InvalidAnswer(
            f'a panel campaign links pre and post answers by a panel code, and questionnaire "{questionnaire}" '
            "has no panel_code item"
        )
    async with conn.transaction():
        created = await conn.fetchval(
            sql("insert_campaign"),
            key,
            questionnaire,
            design,
            cluster_item,
            secrets.token_bytes(32),
        )
    if created is None:
        raise Conflict(f'a campaign "{key}" already exists')
    return await get_campaign(conn, key)


async def get_campaign(conn: asyncpg.Connection, key: str) -> Campaign:
    row = await conn.fetchrow(sql("campaign_by_key"), key)
    if row is None:
        raise NotFound(f'no campaign "{key}"')
    return Campaign.from_row(row)


async def list_campaigns(conn: asyncpg.Connection) -> list[Campaign]:
    return [Campaign.from_row(r) for r in await conn.fetch(sql("list_campaigns"))]


async def add_wave(
    conn: asyncpg.Connection,
    campaign_key: str,
    *,
    phase: str,
    arm: str = "campaign",
    version: int | None = None,
    key: str | None = None,
) -> Wave:
    if phase not in ("pre", "post"):
        raise InvalidAnswer(f'phase must be pre or post, not "{phase}"')
    if arm not in ("campaign", "comparison"):
        raise InvalidAnswer(f'arm must be campaign or comparison, not "{arm}"')
    if key is not None:
        _check_key(key, WAVE_KEY, "a wave key", 81)
    campaign = await get_campaign(conn, campaign_key)
    if arm == "comparison" and campaign.design != "comparison":
        raise InvalidAnswer(
            f'campaign "{campaign_key}" has the {campaign.design} design; only a comparison design has a '
            "comparison arm"
        )
    pinned = await get_version(conn, campaign.questionnaire, version)
    key = key or f"{campaign_key}-{phase}" + ("-comparison" if arm == "comparison" else "")
    wave_id = await conn.fetchval(
        sql("insert_wave"), campaign.id, key, phase, arm, pinned.id, secrets.token_urlsafe(18)
    )
    if wave_id is None:
        taken = await conn.fetchrow(sql("wave_conflict"), key, campaign.id, phase, arm)
        if taken is not None and taken["key"] == key:
            raise Conflict(f'a wave "{key}" already exists')
        raise Conflict(f'campaign "{campaign_key}" already has a {phase} wave in the {arm} arm')
    return await get_wave(conn, key)


def _check_key(key: str, rule: re.Pattern[str], what: str, longest: int) -> None:
    if not rule.fullmatch(key):
        shown = key if len(key) <= 40 else key[:40] + "…"
        raise InvalidAnswer(
            f"{what} has 1 to {longest} characters: lower-case letters, digits, - and _, starting "
            f'with a letter or digit (not "{shown}")'
        )


async def _waves(conn: asyncpg.Connection, where: str, *args: object) -> list[Wave]:
    # ``where`` is one of the fixed clauses below, never user text; values go in as parameters.
    rows = await conn.fetch(f"{sql('wave_select')} WHERE {where} ORDER BY w.id", *args)
    return [Wave.from_row(r) for r in rows]


async def get_wave(conn: asyncpg.Connection, key: str) -> Wave:
    found = await _waves(conn, "w.key = $1", key)
    if not found:
        raise NotFound(f'no wave "{key}"')
    return found[0]


async def wave_by_token(conn: asyncpg.Connection, token: str) -> Wave | None:
    found = await _waves(conn, "w.token = $1", token)
    return found[0] if found else None


async def waves_of(conn: asyncpg.Connection, campaign_key: str) -> list[Wave]:
    await get_campaign(conn, campaign_key)
    return await _waves(conn, "c.key = $1", campaign_key)


async def set_wave_status(conn: asyncpg.Connection, key: str, status: str) -> Wave:
    if status not in ("draft", "open", "closed"):
        raise InvalidAnswer(f'status must be draft, open or closed, not "{status}"')
    if await conn.fetchval(sql("set_wave_status"), key, status) is None:
        raise NotFound(f'no wave "{key}"')
    return await get_wave(conn, key)
