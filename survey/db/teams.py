"""Teams (organisations) and their members.

A campaign belongs to one team; an account belongs to any number of teams with a role in each
(``team_member``). This module stores and reads; who may change a team is decided by its callers (the
console's service, the command line). Every installation has the team :data:`DEFAULT_TEAM`, where an
upgrade put everything that existed before teams, and where the command line puts what it makes unless
told otherwise.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

import asyncpg
import msgspec

from survey.db.accounts import Membership, Role, check_role, is_one_line, revoke_api_tokens_of
from survey.db.queries import sql
from survey.errors import AlreadyTaken, NotFound, RuleBroken

__all__ = [
    "DEFAULT_TEAM",
    "MAX_TEAM_NAME",
    "TEAM_KEY",
    "LastAdmin",
    "Member",
    "Team",
    "add_member",
    "all_memberships",
    "create_team",
    "get_team",
    "list_teams",
    "members",
    "memberships_of",
    "remove_member",
    "rename_team",
    "set_member_role",
]

#: The team of every installation: where an upgrade put what existed before teams, and where the command
#: line puts new accounts and campaigns unless ``--team`` says otherwise.
DEFAULT_TEAM: Final = "default"
#: The CHECK of ``team.key`` (the same rule as campaign keys), checked before storing.
TEAM_KEY: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
#: The CHECK of ``team.name``.
MAX_TEAM_NAME: Final = 200


class Team(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    key: str
    name: str | None
    """What people call the team; None when it was given none (the console then names it)."""
    created_at: datetime
    members: int
    campaigns: int

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Team:
        return cls(**dict(row))


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """An account in a team, with its role there."""

    account_id: int
    email: str
    role: Role
    added_at: datetime
    disabled_at: datetime | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Member:
        return cls(**dict(row))


class LastAdmin(RuleBroken):
    """A team keeps at least one administrator."""


def check_team_key(key: str) -> str:
    if not TEAM_KEY.fullmatch(key):
        raise RuleBroken(
            "a team key has lower-case letters, digits, - and _, starting with a letter or digit, and "
            f'at most 63 characters (not "{key}")',
            reason="team_key_format",
            key=key,
        )
    return key


def check_team_name(name: str | None) -> str | None:
    """The name to store: trimmed, None when empty; RuleBroken when too long or holding a control
    character."""
    name = (name or "").strip()
    if not name:
        return None
    if not is_one_line(name, MAX_TEAM_NAME):
        raise RuleBroken(
            f"a team name has at most {MAX_TEAM_NAME} characters and no control character",
            reason="team_name_invalid",
            max=MAX_TEAM_NAME,
        )
    return name


async def create_team(conn: asyncpg.Connection, key: str, name: str | None = None) -> Team:
    """A new team; AlreadyTaken when the key is, RuleBroken for a bad key or name."""
    check_team_key(key)
    stored_name = check_team_name(name)
    if await conn.fetchval(sql("insert_team"), key, stored_name) is None:
        raise AlreadyTaken(f'a team "{key}" already exists', reason="team_exists", key=key)
    return await get_team(conn, key)


async def get_team(conn: asyncpg.Connection, key: str) -> Team:
    row = await conn.fetchrow(sql("team_by_key"), key)
    if row is None:
        raise NotFound(f'no team "{key}"')
    return Team.from_row(row)


async def list_teams(conn: asyncpg.Connection) -> list[Team]:
    return [Team.from_row(r) for r in await conn.fetch(sql("list_teams"))]


async def rename_team(conn: asyncpg.Connection, key: str, name: str | None) -> Team:
    if await conn.fetchval(sql("rename_team"), key, check_team_name(name)) is None:
        raise NotFound(f'no team "{key}"')
    return await get_team(conn, key)


async def members(conn: asyncpg.Connection, team_id: int) -> list[Member]:
    return [Member.from_row(r) for r in await conn.fetch(sql("team_members"), team_id)]


async def memberships_of(conn: asyncpg.Connection, account_id: int) -> tuple[Membership, ...]:
    return tuple(Membership(**dict(r)) for r in await conn.fetch(sql("memberships_of"), account_id))


async def all_memberships(conn: asyncpg.Connection) -> dict[int, tuple[Membership, ...]]:
    """Account id → its teams and roles, for every account that has any."""
    found: dict[int, list[Membership]] = {}
    for r in await conn.fetch(sql("all_memberships")):
        row = dict(r)
        found.setdefault(row.pop("account_id"), []).append(Membership(**row))
    return {account: tuple(teams) for account, teams in found.items()}


async def _keeps_an_admin(conn: asyncpg.Connection, team: Team, account_id: int) -> None:
    """Refuse when ``account_id`` is the team's last administrator (inside the caller's transaction,
    the administrators' rows locked)."""
    admins = {r["account_id"] for r in await conn.fetch(sql("team_admins"), team.id)}
    if admins == {account_id}:
        raise LastAdmin(
            f'team "{team.key}" would have no administrator left; make another member an administrator '
            "first",
            reason="last_team_admin",
            team=team.key,
        )


async def add_member(conn: asyncpg.Connection, team: Team, account_id: int, role: str) -> bool:
    """Put an account in a team with ``role`` (or give it that role if it is a member); True when it was
    not a member before. LastAdmin when that would demote the team's last administrator."""
    check_role(role)
    async with conn.transaction():
        if role != "admin":
            await _keeps_an_admin(conn, team, account_id)
        return await conn.fetchval(sql("put_team_member"), team.id, account_id, role)


async def set_member_role(conn: asyncpg.Connection, team: Team, account_id: int, role: str) -> None:
    """Change a member's role; NotFound when the account is not a member, LastAdmin when the team would be
    left without an administrator."""
    check_role(role)
    async with conn.transaction():
        if role != "admin":
            await _keeps_an_admin(conn, team, account_id)
        if await conn.fetchval(sql("set_team_member_role"), team.id, account_id, role) is None:
            raise NotFound(f'account {account_id} is not a member of team "{team.key}"')


async def remove_member(conn: asyncpg.Connection, team: Team, account_id: int) -> None:
    """Take an account out of a team; its API tokens end too (they may have been made to read this team's
    campaigns). NotFound when it is not a member, LastAdmin for the team's last administrator."""
    async with conn.transaction():
        await _keeps_an_admin(conn, team, account_id)
        if await conn.fetchval(sql("delete_team_member"), team.id, account_id) is None:
            raise NotFound(f'account {account_id} is not a member of team "{team.key}"')
        await revoke_api_tokens_of(conn, account_id)
