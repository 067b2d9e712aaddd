"""Console pages of teams: who shares which campaigns.

======================================================  ===============================================
``GET  /console/teams``                                 the account's teams (every team, for an
                                                        installation administrator, who creates them)
``POST /console/teams``                                 create a team (installation administrators)
``GET  /console/teams/{key}``                           a team: its members and their roles, its
                                                        campaigns (members; installation administrators)
``POST /console/teams/{key}/name``                      rename it (its administrators; installation
                                                        administrators)
``POST /console/teams/{key}/members``                   add an account by its address, with a role (the
                                                        same)
``POST /console/teams/{key}/members/{id}/role``         change a member's role (the same)
``POST /console/teams/{key}/members/{id}/remove``       take a member out: it no longer sees the team's
                                                        campaigns, and its API tokens end (the same)
======================================================  ===============================================

A team keeps at least one administrator. Someone outside a team gets 404 for its pages, as for a team
that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from survey.console import service
from survey.console import web as console_web
from survey.console.auth import (
    INSTALLATION_ADMINS,
    SIGNED_IN,
    TEAM_MANAGERS,
    TEAM_READERS,
    principal,
)
from survey.console.service import Rejected, TeamDraft
from survey.console.web import Choice, team_name
from survey.db.accounts import ROLES
from survey.web import request_pool

__all__ = ["ROUTES"]


@dataclass(frozen=True, slots=True)
class TeamRow:
    key: str
    name: str
    role: str
    """The account's role in the team, in words ("" when it is not a member)."""
    members: int
    campaigns: int


@dataclass(frozen=True, slots=True)
class TeamsPage:
    teams: tuple[TeamRow, ...]
    can_create: bool
    draft: TeamDraft
    error: str = ""


@dataclass(frozen=True, slots=True)
class MemberRow:
    account_id: int
    email: str
    role: str
    """The role in words."""
    roles: tuple[Choice, ...]
    """Every role, the member's selected (for the change-role form)."""
    added_at: datetime
    disabled: bool
    you: bool


@dataclass(frozen=True, slots=True)
class CampaignLink:
    key: str
    href: str


@dataclass(frozen=True, slots=True)
class TeamPage:
    key: str
    name: str
    stored_name: str
    """The name as stored ("" when the team has none), for the rename form."""
    your_role: str
    """The account's role in the team, in words ("" for an installation administrator outside it)."""
    members: tuple[MemberRow, ...]
    campaigns: tuple[CampaignLink, ...]
    can_manage: bool
    roles: tuple[Choice, ...]
    """For the add-member form."""
    email: str = ""
    error: str = ""
    notice: str = ""


def _roles(t: Callable[..., str], selected: str) -> tuple[Choice, ...]:
    return tuple(Choice(r, t(f"role.{r}"), r == selected) for r in ROLES)


# -- the list -------------------------------------------------------------------------------------------


async def _teams_page(
    request: Request, *, draft: TeamDraft | None = None, error: str = "", status: int = 200
) -> Template:
    t = console_web.translator(request)
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        found = await service.teams_overview(conn, who)
    context = TeamsPage(
        teams=tuple(
            TeamRow(
                key=row.team.key,
                name=team_name(t, row.team.key, row.team.name),
                role=t(f"role.{row.role}") if row.role else "",
                members=row.team.members,
                campaigns=row.team.campaigns,
            )
            for row in found
        ),
        can_create=who.installation_admin,
        draft=draft or TeamDraft(),
        error=error,
    )
    return console_web.page(request, "teams.html", context, section="teams", status=status)


@get("/console/teams", opt={"roles": SIGNED_IN})
async def teams_page(request: Request) -> Template:
    """The account's teams and its role in each; every team for an installation administrator."""
    return await _teams_page(request)


@post("/console/teams", opt={"roles": INSTALLATION_ADMINS})
async def create_team(request: Request) -> Response:
    """Create a team (with no member yet); the form comes back with the reason when something is wrong."""
    form = await console_web.read_form(request)
    draft = TeamDraft(key=form.get("key", "").strip(), name=form.get("name", "").strip())
    async with request_pool(request).acquire() as conn:
        outcome = await service.create_team(conn, principal(request), draft)
    if isinstance(outcome, Rejected):
        error = console_web.refusal(request, outcome)
        return await _teams_page(request, draft=draft, error=error, status=outcome.status)
    return Redirect(f"/console/teams/{outcome.key}", status_code=303)


# -- one team -------------------------------------------------------------------------------------------


async def _team_page(
    request: Request,
    key: str,
    *,
    email: str = "",
    error: str = "",
    status: int = 200,
) -> Template:
    t = console_web.translator(request)
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        detail = await service.team_detail(conn, who, key)
    notice = ""
    if added := request.query_params.get("added"):
        notice = t("team.added", email=added)
    elif request.query_params.get("removed"):
        notice = t("team.removed")
    context = TeamPage(
        key=detail.team.key,
        name=team_name(t, detail.team.key, detail.team.name),
        stored_name=detail.team.name or "",
        your_role=t(f"role.{detail.role}") if detail.role else "",
        members=tuple(
            MemberRow(
                account_id=m.account_id,
                email=m.email,
                role=t(f"role.{m.role}"),
                roles=_roles(t, m.role),
                added_at=m.added_at,
                disabled=m.disabled_at is not None,
                you=m.account_id == who.account_id,
            )
            for m in detail.members
        ),
        campaigns=tuple(
            CampaignLink(
                c.key,
                f"/console/campaigns/{c.key}"
                if detail.role in ("admin", "researcher", "analyst")
                else f"/campaigns/{c.key}/report",
            )
            for c in detail.campaigns
        ),
        can_manage=detail.can_manage,
        roles=_roles(t, "researcher"),
        email=email,
        error=error,
        notice="" if error else notice,
    )
    return console_web.page(request, "team.html", context, section="teams", status=status)


@get("/console/teams/{key:str}", opt={"roles": TEAM_READERS})
async def team_page(request: Request, key: FromPath[str]) -> Template:
    """A team: its members and their roles, and its campaigns; the forms to manage it for its
    administrators."""
    return await _team_page(request, key)


@post("/console/teams/{key:str}/name", opt={"roles": TEAM_MANAGERS})
async def rename_team(request: Request, key: FromPath[str]) -> Response:
    """Give the team the name people know it by."""
    form = await console_web.read_form(request)
    async with request_pool(request).acquire() as conn:
        refused = await service.rename_team(conn, principal(request), key, form.get("name", ""))
    if refused is not None:
        error = console_web.refusal(request, refused)
        return await _team_page(request, key, error=error, status=refused.status)
    return Redirect(f"/console/teams/{key}", status_code=303)


@post("/console/teams/{key:str}/members", opt={"roles": TEAM_MANAGERS})
async def add_member(request: Request, key: FromPath[str]) -> Response:
    """Add an account to the team by its address, with a role (a member already gets the role)."""
    form = await console_web.read_form(request)
    email = form.get("email", "").strip()
    async with request_pool(request).acquire() as conn:
        outcome = await service.add_member(
            conn, principal(request), key, email, form.get("role", "")
        )
    if isinstance(outcome, Rejected):
        error = console_web.refusal(request, outcome)
        return await _team_page(request, key, email=email, error=error, status=outcome.status)
    return Redirect(f"/console/teams/{key}?" + urlencode({"added": outcome.email}), status_code=303)


@post("/console/teams/{key:str}/members/{account_id:int}/role", opt={"roles": TEAM_MANAGERS})
async def set_member_role(
    request: Request, key: FromPath[str], account_id: FromPath[int]
) -> Response:
    """Change a member's role (a team keeps at least one administrator)."""
    form = await console_web.read_form(request)
    async with request_pool(request).acquire() as conn:
        refused = await service.set_member_role(
            conn, principal(request), key, account_id, form.get("role", "")
        )
    if refused is not None:
        error = console_web.refusal(request, refused)
        return await _team_page(request, key, error=error, status=refused.status)
    who = principal(request)
    if account_id == who.account_id and not who.installation_admin:
        # One's own role changed: the page is shown as the new role allows.
        return Redirect("/console/teams", status_code=303)
    return Redirect(f"/console/teams/{key}", status_code=303)


@post("/console/teams/{key:str}/members/{account_id:int}/remove", opt={"roles": TEAM_MANAGERS})
async def remove_member(
    request: Request, key: FromPath[str], account_id: FromPath[int]
) -> Response:
    """Take a member out of the team: its campaigns are no longer visible to it, and its API tokens
    end."""
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        refused = await service.remove_member(conn, who, key, account_id)
    if refused is not None:
        error = console_web.refusal(request, refused)
        return await _team_page(request, key, error=error, status=refused.status)
    if account_id == who.account_id and not who.installation_admin:
        return Redirect("/console/teams", status_code=303)
    return Redirect(f"/console/teams/{key}?removed=1", status_code=303)


ROUTES = [
    teams_page,
    create_team,
    team_page,
    rename_team,
    add_member,
    set_member_role,
    remove_member,
]
