"""Console pages of accounts: signing in and out, the language switch, accounts and the audit log.

=============================================  =================================================
``GET  /sign-in``, ``POST /sign-in``           the sign-in form (``?lang=`` before signing in); on
                                               an installation with no account yet, the way to
                                               ``/setup``
``POST /sign-out``                             end the session
``POST /console/language``                     keep the account's interface language
``GET  /console/users``, ``POST``              accounts, and creating one in a team (installation
                                               administrators)
``POST /console/users/{id}/disable|enable``    disable or enable an account (the same)
``POST /console/users/{id}/reset``             a one-time link to set a new password (the same)
``POST /console/users/{id}/installation-admin``  make it an installation administrator, or no longer
                                               (the same; never one's own)
``GET  /console/audit``                        exports, API reads of responses, changes of teams,
                                               tokens and passwords (the same)
=============================================  =================================================

The sign-in logic itself (limits, sessions) is :mod:`survey.console.auth`'s; one's own password and API
tokens, reset links and the first administrator's set-up are :mod:`survey.console.credentials`'.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect, Template

from survey.console import auth, service
from survey.console import web as console_web
from survey.console.auth import INSTALLATION_ADMINS, SIGNED_IN, principal
from survey.console.messages import CATALOGUE
from survey.console.service import AccountDraft, Rejected
from survey.console.web import team_name
from survey.db import accounts as accounts_db
from survey.db import teams as teams_db
from survey.db.accounts import ROLES
from survey.errors import InvalidAnswer
from survey.web import request_pool
from survey.web.i18n import LANGUAGES

__all__ = ["ROUTES"]


# -- sign-in and sign-out -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignInPage:
    action: str
    """``/sign-in``, with ``?lang=`` when a language was chosen on the page (signing in keeps it)."""
    email: str = ""
    next: str = "/console"
    error: str = ""
    notice: str = ""
    """After a password was set through a reset link: sign in with it."""


def _sign_in_action(request: Request) -> str:
    chosen = request.query_params.get("lang")
    return "/sign-in" + (f"?{urlencode({'lang': chosen})}" if chosen in LANGUAGES else "")


def _refusal(request: Request, outcome: auth.SignInOutcome) -> str:
    """Why the sign-in was refused, in the page's language."""
    return outcome.message(console_web.language(request))


@get("/sign-in", opt={"roles": "public"}, name="sign_in_page")
async def sign_in_page(request: Request) -> Response:
    """The sign-in form; on an installation with no account at all, the way to set up the first
    administrator instead."""
    async with request_pool(request).acquire() as conn:
        if not await accounts_db.any_account(conn):
            return Redirect("/setup", status_code=303)
    context = SignInPage(
        action=_sign_in_action(request),
        next=auth.safe_next(request.query_params.get("next")),
        notice=console_web.translator(request)("reset.done")
        if request.query_params.get("reset") == "1"
        else "",
    )
    return console_web.page(request, "sign_in.html", context)


@post("/sign-in", opt={"roles": "public"})
async def sign_in_submit(request: Request) -> Response:
    """Check the address and password; on success a new session and a redirect to ``next``.

    A language chosen on the sign-in page (``?lang=``) becomes the account's.
    """
    form = await console_web.read_form(request)
    email = form.get("email", "").strip()
    target = auth.safe_next(form.get("next"))
    chosen = request.query_params.get("lang")
    pool = request_pool(request)
    # No connection is held while the password is checked (argon2 takes tens of milliseconds).
    outcome = await auth.sign_in(
        pool,
        email,
        form.get("password", ""),
        client=auth.request_client_key(request),
        limits=auth.SignInLimits.from_settings(console_web.settings(request)),
    )
    if outcome.account_id is None:
        status = 400 if outcome.refused in ("wrong", "too_long") else 429
        context = SignInPage(
            action=_sign_in_action(request),
            email=email,
            next=target,
            error=_refusal(request, outcome),
        )
        response = console_web.page(request, "sign_in.html", context, status=status)
        if outcome.retry_after is not None:
            response.headers["Retry-After"] = str(math.ceil(outcome.retry_after.total_seconds()))
        return response
    async with pool.acquire() as conn:
        if chosen in LANGUAGES:
            await accounts_db.set_language(conn, outcome.account_id, chosen)
        token = await auth.start_session(
            conn, outcome.account_id, request.cookies.get(auth.SESSION_COOKIE)
        )
    return Redirect(
        target,
        status_code=303,
        # A new CSRF token with the new session: the next page sets a fresh one.
        cookies=[
            auth.session_cookie(console_web.settings(request), token),
            Cookie(key="csrftoken", value="", max_age=0),
        ],
    )


@post("/sign-out", opt={"roles": "public"})
async def sign_out(request: Request) -> Response:
    """End the session (on the server: the cookie stops working everywhere) and go to sign-in."""
    async with request_pool(request).acquire() as conn:
        await auth.end_session(conn, request.cookies.get(auth.SESSION_COOKIE))
    return Redirect(
        "/sign-in",
        status_code=303,
        cookies=[auth.session_cookie(console_web.settings(request), None)],
    )


@post("/console/language", opt={"roles": SIGNED_IN})
async def set_language(request: Request) -> Response:
    """Keep the account's interface language and come back to the page the switch was on."""
    form = await console_web.read_form(request)
    async with request_pool(request).acquire() as conn:
        refused = await service.set_language(conn, principal(request), form.get("language", ""))
    if refused is not None:
        raise InvalidAnswer(console_web.refusal(request, refused))
    return Redirect(auth.safe_next(form.get("next")), status_code=303)


# -- accounts -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    email: str
    teams: str
    """Its teams and its role in each, in words (and whether it administers the installation)."""
    created_at: datetime
    last_sign_in_at: datetime | None
    disabled: bool
    status: str
    action: str | None
    """``disable`` or ``enable``; None for one's own account."""
    action_label: str
    can_reset: bool
    """Whether a reset link may be made (not for one's own account, nor a disabled one)."""
    admin_action: str | None
    """``on`` (make it an installation administrator) or ``off``; None for one's own account."""
    admin_label: str


@dataclass(frozen=True, slots=True)
class RoleChoice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class ResetShown:
    """A reset link just made, shown once on the accounts page."""

    email: str
    link: str
    hours: int
    tokens: int
    """How many API tokens of the account the reset ended."""


@dataclass(frozen=True, slots=True)
class UsersPage:
    accounts: tuple[AccountRow, ...]
    roles: tuple[RoleChoice, ...]
    teams: tuple[RoleChoice, ...]
    email: str = ""
    error: str = ""
    created: str = ""
    reset: ResetShown | None = None


def _teams_text(t: Callable[..., str], listing: service.AccountListing) -> str:
    parts = [
        t("users.team_role", team=team_name(t, m.team, m.name), role=t(f"role.{m.role}"))
        for m in listing.teams
    ]
    if listing.account.installation_admin:
        parts.insert(0, t("role.installation_admin"))
    return "; ".join(parts) or t("users.no_team")


async def _users_page(
    request: Request,
    *,
    status: int = 200,
    draft: AccountDraft | None = None,
    error: str = "",
    reset: ResetShown | None = None,
) -> Template:
    t = console_web.translator(request)
    who = principal(request)
    draft = draft or AccountDraft()
    async with request_pool(request).acquire() as conn:
        found = await service.list_accounts(conn, who)
        teams = await teams_db.list_teams(conn)
    rows = []
    for listing in found:
        a = listing.account
        action = None if a.id == who.account_id else ("enable" if a.disabled else "disable")
        rows.append(
            AccountRow(
                id=a.id,
                email=a.email,
                teams=_teams_text(t, listing),
                created_at=a.created_at,
                last_sign_in_at=a.last_sign_in_at,
                disabled=a.disabled,
                status=t("account.disabled" if a.disabled else "account.active"),
                action=action,
                action_label=t(f"account.{action}") if action else "",
                can_reset=a.id != who.account_id and not a.disabled,
                admin_action=None
                if a.id == who.account_id
                else ("off" if a.installation_admin else "on"),
                admin_label=t(
                    "account.revoke_admin" if a.installation_admin else "account.grant_admin"
                ),
            )
        )
    chosen_team = draft.team or teams_db.DEFAULT_TEAM
    context = UsersPage(
        accounts=tuple(rows),
        roles=tuple(RoleChoice(r, t(f"role.{r}"), r == draft.role) for r in ROLES),
        teams=tuple(
            RoleChoice(team.key, team_name(t, team.key, team.name), team.key == chosen_team)
            for team in teams
        ),
        email=draft.email,
        error=error,
        created=request.query_params.get("created", "") if not error else "",
        reset=reset,
    )
    return console_web.page(request, "users.html", context, section="users", status=status)


@get("/console/users", opt={"roles": INSTALLATION_ADMINS})
async def users_page(request: Request) -> Template:
    """Accounts: who may sign in, in which teams, with which role in each."""
    return await _users_page(request)


@post("/console/users", opt={"roles": INSTALLATION_ADMINS})
async def create_user(request: Request) -> Response:
    """Create an account with a first password and a role in one team."""
    form = await console_web.read_form(request)
    draft = AccountDraft(
        email=form.get("email", "").strip(),
        team=form.get("team", "").strip(),
        role=form.get("role", ""),
        password=form.get("password", ""),
    )
    outcome = await service.create_account(
        request_pool(request), principal(request), draft, hash_password=auth.hash_password
    )
    if isinstance(outcome, Rejected):
        error = console_web.refusal(request, outcome)
        return await _users_page(request, status=outcome.status, draft=draft, error=error)
    return Redirect("/console/users?" + urlencode({"created": outcome.email}), status_code=303)


async def _set_disabled(request: Request, account_id: int, disabled: bool) -> Response:
    async with request_pool(request).acquire() as conn:
        refused = await service.set_disabled(conn, principal(request), account_id, disabled)
    if refused is not None:
        error = console_web.refusal(request, refused)
        return await _users_page(request, status=refused.status, error=error)
    return Redirect("/console/users", status_code=303)


@post("/console/users/{account_id:int}/disable", opt={"roles": INSTALLATION_ADMINS})
async def disable_user(request: Request, account_id: FromPath[int]) -> Response:
    """Disable an account: its sessions end and its API tokens stop working."""
    return await _set_disabled(request, account_id, True)


@post("/console/users/{account_id:int}/enable", opt={"roles": INSTALLATION_ADMINS})
async def enable_user(request: Request, account_id: FromPath[int]) -> Response:
    """Enable a disabled account again (its old sessions and tokens stay revoked)."""
    return await _set_disabled(request, account_id, False)


@post("/console/users/{account_id:int}/installation-admin", opt={"roles": INSTALLATION_ADMINS})
async def set_installation_admin(request: Request, account_id: FromPath[int]) -> Response:
    """Make the account an administrator of the installation (``admin=on``), or no longer one."""
    form = await console_web.read_form(request)
    async with request_pool(request).acquire() as conn:
        refused = await service.set_installation_admin(
            conn, principal(request), account_id, form.get("admin") == "on"
        )
    if refused is not None:
        error = console_web.refusal(request, refused)
        return await _users_page(request, status=refused.status, error=error)
    return Redirect("/console/users", status_code=303)


@post("/console/users/{account_id:int}/reset", opt={"roles": INSTALLATION_ADMINS}, status_code=200)
async def reset_user_password(request: Request, account_id: FromPath[int]) -> Template:
    """A one-time link that lets the person set a new password, shown once on the page; their old
    password, sessions and API tokens end at once."""
    async with request_pool(request).acquire() as conn:
        outcome = await service.reset_password(
            conn, principal(request), account_id, start=auth.start_password_reset
        )
    if isinstance(outcome, Rejected):
        error = console_web.refusal(request, outcome)
        return await _users_page(request, status=outcome.status, error=error)
    base = console_web.settings(request).base_url.rstrip("/")
    shown = ResetShown(
        email=outcome.account.email,
        link=f"{base}/reset-password/{outcome.secret}",
        hours=int(auth.RESET_LINK_LIFETIME.total_seconds() // 3600),
        tokens=outcome.ended.tokens,
    )
    page = await _users_page(request, reset=shown)
    # The page holds a secret: no cache keeps it.
    page.headers["cache-control"] = "no-store"
    return page


# -- audit log ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    campaign: str | None
    details: tuple[str, ...]
    rows: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: tuple[AuditRow, ...]
    older: int | None


def _audit_row(t: Callable[..., str], entry: accounts_db.AuditEntry) -> AuditRow:
    details = []
    for name, value in sorted(entry.detail.items()):
        if value is None or value is False:
            continue
        # Names and actions the catalogue has no words for (a newer kind of entry) are shown as stored.
        label = t(f"audit.detail.{name}") if f"audit.detail.{name}" in CATALOGUE else name
        details.append(label if value is True else f"{label}: {value}")
    return AuditRow(
        at=entry.at,
        actor=entry.actor,
        action=t(f"audit.{entry.action}") if f"audit.{entry.action}" in CATALOGUE else entry.action,
        campaign=entry.campaign,
        details=tuple(details),
        rows=str(entry.n_rows) if entry.n_rows is not None else t("audit.unfinished"),
    )


@get("/console/audit", opt={"roles": INSTALLATION_ADMINS})
async def audit_page(request: Request) -> Template:
    """Exports and API reads of raw responses, and changes of teams, tokens and passwords, newest
    first."""
    async with request_pool(request).acquire() as conn:
        entries, older = await service.audit_entries(
            conn, principal(request), request.query_params.get("before")
        )
    t = console_web.translator(request)
    context = AuditPage(entries=tuple(_audit_row(t, e) for e in entries), older=older)
    return console_web.page(request, "audit.html", context, section="audit")


ROUTES = [
    sign_in_page,
    sign_in_submit,
    sign_out,
    set_language,
    users_page,
    create_user,
    disable_user,
    enable_user,
    set_installation_admin,
    reset_user_password,
    audit_page,
]
