"""Campaigns and their waves."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

import asyncpg
import msgspec

from survey.db.queries import sql
from survey.db.questionnaires import get_version
from survey.errors import AlreadyTaken, InvalidAnswer, NotFound, RuleBroken

Design = Literal["independent", "panel", "comparison"]
Phase = Literal["pre", "post"]
Arm = Literal["campaign", "comparison"]
WaveStatus = Literal["draft", "open", "closed"]
DESIGNS = ("independent", "panel", "comparison")
RESERVED_KEYS = frozenset({"new"})
"""Keys the console routes on under ``/console/campaigns/``: a campaign named so could not be opened."""
#: The CHECK constraints of ``campaign.key`` and ``wave.key`` (0001_initial.sql), checked before storing so
#: that a wrong key gets a sentence instead of a constraint violation.
CAMPAIGN_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
WAVE_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,80}")

#: Why a campaign or a wave cannot be made, as the command line says it. The error raised carries the key
#: as its ``reason``: the console says the same from its own catalogue (``error.<reason>`` in
#: survey/console/messages.py), in its reader's language.
PROBLEMS: dict[str, str] = {
    "campaign_key_format": (
        "a campaign key has lower-case letters, digits, - and _, starting with a letter or digit, and at "
        'most 63 characters (not "{key}")'
    ),
    "campaign_key_reserved": (
        'a campaign cannot be called "{key}": /console/campaigns/{key} is a console page; choose another key'
    ),
    "design_unknown": 'design must be one of independent, panel, comparison, not "{design}"',
    "cluster_unknown": 'cluster item "{cluster}" is not an item of questionnaire "{questionnaire}"',
    "panel_needs_code": (
        "a panel campaign links pre and post answers by a panel code, and questionnaire "
        '"{questionnaire}" has no panel_code item'
    ),
    "campaign_exists": 'a campaign "{key}" already exists',
    "questionnaire_not_shared": (
        'questionnaire "{questionnaire}" is kept to another team: campaigns of team "{team}" cannot use it'
    ),
    "phase_unknown": 'phase must be pre or post, not "{phase}"',
    "arm_unknown": 'arm must be campaign or comparison, not "{arm}"',
    "comparison_arm": (
        'campaign "{campaign}" has the {design} design; only a comparison design has a comparison arm'
    ),
    "wave_key_format": (
        "a wave key has lower-case letters, digits, - and _, starting with a letter or digit, and at most "
        '81 characters (not "{key}")'
    ),
    "wave_key_taken": 'a wave "{key}" already exists',
    "wave_phase_taken": 'campaign "{campaign}" already has a {phase} wave in the {arm} arm',
}


def _shown(value: str) -> str:
    # A key of 6,000 characters is refused with its beginning, not echoed whole.
    return value if len(value) <= 40 else value[:40] + "…"


def _invalid(reason: str, **params: str) -> RuleBroken:
    params = {name: _shown(value) for name, value in params.items()}
    return RuleBroken(PROBLEMS[reason].format(**params), reason=reason, **params)


def _taken(reason: str, **params: str) -> AlreadyTaken:
    return AlreadyTaken(PROBLEMS[reason].format(**params), reason=reason, **params)


def default_wave_key(campaign_key: str, phase: str, arm: str) -> str:
    """``tip-2027-pre``, ``tip-2027-post-comparison``: the key of a wave nobody named."""
    return f"{campaign_key}-{phase}" + ("-comparison" if arm == "comparison" else "")


class Campaign(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    key: str
    questionnaire: str
    design: Design
    cluster_item: str | None
    created_at: datetime
    team_id: int
    team: str
    """The key of the team the campaign belongs to."""
    team_name: str | None
    questionnaire_title: dict[str, str] = {}
    """The title of the questionnaire's latest version, by language."""

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Campaign:
        return cls(**{**dict(row), "questionnaire_title": row["questionnaire_title"] or {}})


class Wave(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    key: str
    campaign: str
    campaign_id: int
    team_id: int
    """The team of the wave's campaign."""
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
    team: str = "default",
) -> Campaign:
    """A new campaign of ``team`` (the default team unless named) on a questionnaire that team may use:
    one shared with every team, or its own."""
    if not CAMPAIGN_KEY.fullmatch(key):
        raise _invalid("campaign_key_format", key=key)
    if key in RESERVED_KEYS:
        raise _invalid("campaign_key_reserved", key=key)
    if design not in DESIGNS:
        raise _invalid("design_unknown", design=design)
    definition = (await get_version(conn, questionnaire)).definition
    owner = await conn.fetchrow(sql("team_may_use_questionnaire"), team, questionnaire)
    if owner is None:
        raise NotFound(f'no team "{team}"')
    if not owner["allowed"]:
        raise _invalid("questionnaire_not_shared", questionnaire=questionnaire, team=team)
    if cluster_item is not None and cluster_item not in {item.key for item in definition.items()}:
        raise _invalid("cluster_unknown", cluster=cluster_item, questionnaire=questionnaire)
    if design == "panel" and not any(i.type == "panel_code" for i in definition.items()):
        raise _invalid("panel_needs_code", questionnaire=questionnaire)
    async with conn.transaction():
        created = await conn.fetchval(
            sql("insert_campaign"),
            key,
            questionnaire,
            design,
            cluster_item,
            secrets.token_bytes(32),
            owner["team_id"],
        )
    if created is None:
        raise _taken("campaign_exists", key=key)
    return await get_campaign(conn, key)


async def get_campaign(conn: asyncpg.Connection, key: str) -> Campaign:
    row = await conn.fetchrow(sql("campaign_by_key"), key)
    if row is None:
        raise NotFound(f'no campaign "{key}"')
    return Campaign.from_row(row)


async def list_campaigns(
    conn: asyncpg.Connection, team_ids: Iterable[int] | None = None
) -> list[Campaign]:
    """Every campaign, or those of the teams ``team_ids``."""
    teams = None if team_ids is None else list(team_ids)
    return [Campaign.from_row(r) for r in await conn.fetch(sql("list_campaigns"), teams)]


async def list_waves(conn: asyncpg.Connection, team_ids: Iterable[int] | None = None) -> list[Wave]:
    """Every wave of every campaign (of the teams ``team_ids``), in one query (for lists of campaigns)."""
    teams = None if team_ids is None else list(team_ids)
    return [Wave.from_row(r) for r in await conn.fetch(sql("list_waves"), teams)]


async def add_wave(
    conn: asyncpg.Connection,
    campaign_key: str,
    *,
    phase: str,
    arm: str = "campaign",
    version: int | None = None,
    key: str | None = None,
) -> Wave:
    campaign = await get_campaign(conn, campaign_key)
    key = key or default_wave_key(campaign_key, phase, arm)
    if phase not in ("pre", "post"):
        raise _invalid("phase_unknown", phase=phase)
    if arm not in ("campaign", "comparison"):
        raise _invalid("arm_unknown", arm=arm)
    if arm == "comparison" and campaign.design != "comparison":
        raise _invalid("comparison_arm", campaign=campaign.key, design=campaign.design)
    if not WAVE_KEY.fullmatch(key):
        raise _invalid("wave_key_format", key=key)
    pinned = await get_version(conn, campaign.questionnaire, version)
    wave_id = await conn.fetchval(
        sql("insert_wave"), campaign.id, key, phase, arm, pinned.id, secrets.token_urlsafe(18)
    )
    if wave_id is None:
        taken = await conn.fetchrow(sql("wave_conflict"), key, campaign.id, phase, arm)
        if taken is not None and taken["key"] == key:
            raise _taken("wave_key_taken", key=key)
        raise _taken("wave_phase_taken", campaign=campaign_key, phase=phase, arm=arm)
    return await get_wave(conn, key)


async def get_wave(conn: asyncpg.Connection, key: str) -> Wave:
    row = await conn.fetchrow(sql("wave_by_key"), key)
    if row is None:
        raise NotFound(f'no wave "{key}"')
    return Wave.from_row(row)


async def wave_by_token(conn: asyncpg.Connection, token: str) -> Wave | None:
    row = await conn.fetchrow(sql("wave_by_token"), token)
    return None if row is None else Wave.from_row(row)


async def waves_of(conn: asyncpg.Connection, campaign_key: str) -> list[Wave]:
    await get_campaign(conn, campaign_key)
    return [Wave.from_row(r) for r in await conn.fetch(sql("waves_of_campaign"), campaign_key)]


async def set_wave_status(conn: asyncpg.Connection, key: str, status: str) -> Wave:
    if status not in ("draft", "open", "closed"):
        raise InvalidAnswer(f'status must be draft, open or closed, not "{status}"')
    if await conn.fetchval(sql("set_wave_status"), key, status) is None:
        raise NotFound(f'no wave "{key}"')
    return await get_wave(conn, key)
