"""Console pages of accounts: signing in and out, the language switch, accounts and the audit log.

=============================================  =================================================
``GET  /sign-in``, ``POST /sign-in``           the sign-in form (``?lang=`` before signing in)
``POST /sign-out``                             end the session
``POST /console/language``                     keep the account's interface language
``GET  /console/users``, ``POST``              accounts, and creating one (admins)
``POST /console/users/{id}/disable|enable``    disable or enable an account (admins)
``GET  /console/audit``                        exports and API reads of responses (admins)
=============================================  =================================================

The sign-in logic itself (limits, sessions) is :mod:`survey.console.auth`'s.
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
from survey.console.auth import ADMINS, ALL_ROLES, principal
from survey.console.messages import CATALOGUE
from survey.console.service import AccountDraft, Rejected
from survey.db import accounts as accounts_db
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


def _sign_in_action(request: Request) -> str:
    chosen = request.query_params.get("lang")
    return "/sign-in" + (f"?{urlencode({'lang': chosen})}" if chosen in LANGUAGES else "")


def _refusal(request: Request, outcome: auth.SignInOutcome) -> str:
    """Why the sign-in was refused, in the page's language."""
    return outcome.message(console_web.language(request))


@get("/sign-in", opt={"roles": "public"}, name="sign_in_page")
async def sign_in_page(request: Request) -> Template:
    """The sign-in form."""
    context = SignInPage(
        action=_sign_in_action(request),
        next=auth.safe_next(request.query_params.get("next")),
    )
    return console_web.page(request, "sign_in.html", context)


@post("/sign-in", opt={"roles": "public"})
async def sign_in_submit(request: Request) -> Response:
    """Check the address and password; on success a new session and a redirect to ``next``.

    A language chosen on the sign-in page (``?lang=``) becomes the account's.
    """
    form = await console_web.read_form(request, password=auth.PASSWORD_MAX_LENGTH)
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


@post("/console/language", opt={"roles": ALL_ROLES})
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
    role: str
    created_at: datetime
    last_sign_in_at: datetime | None
    disabled: bool
    status: str
    action: str | None
    """``disable`` or ``enable``; None for one's own account."""
    action_label: str


@dataclass(frozen=True, slots=True)
class RoleChoice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class UsersPage:
    accounts: tuple[AccountRow, ...]
    roles: tuple[RoleChoice, ...]
    email: str = ""
    error: str = ""
    created: str = ""


async def _users_page(
    request: Request, *, status: int = 200, draft: AccountDraft | None = None, error: str = ""
) -> Template:
    t = console_web.translator(request)
    who = principal(request)
    draft = draft or AccountDraft()
    async with request_pool(request).acquire() as conn:
        found = await service.list_accounts(conn, who)
    rows = []
    for a in found:
        action = None if a.id == who.account_id else ("enable" if a.disabled else "disable")
        rows.append(
            AccountRow(
                id=a.id,
                email=a.email,
                role=t(f"role.{a.role}"),
                created_at=a.created_at,
                last_sign_in_at=a.last_sign_in_at,
                disabled=a.disabled,
                status=t("account.disabled" if a.disabled else "account.active"),
                action=action,
                action_label=t(f"account.{action}") if action else "",
            )
        )
    context = UsersPage(
        accounts=tuple(rows),
        roles=tuple(RoleChoice(r, t(f"role.{r}"), r == draft.role) for r in ROLES),
        email=draft.email,
        error=error,
        created=request.query_params.get("created", "") if not error else "",
    )
    return console_web.page(request, "users.html", context, section="users", status=status)


@get("/console/users", opt={"roles": ADMINS})
async def users_page(request: Request) -> Template:
    """Accounts: who may sign in, with which role."""
    return await _users_page(request)


@post("/console/users", opt={"roles": ADMINS})
async def create_user(request: Request) -> Response:
    """Create an account with a first password (the person changes it with the administrator's help)."""
    form = await console_web.read_form(request)
    draft = AccountDraft(
        email=form.get("email", "").strip(),
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


@post("/console/users/{account_id:int}/disable", opt={"roles": ADMINS})
async def disable_user(request: Request, account_id: FromPath[int]) -> Response:
    """Disable an account: its sessions end and its API tokens stop working."""
    return await _set_disabled(request, account_id, True)


@post("/console/users/{account_id:int}/enable", opt={"roles": ADMINS})
async def enable_user(request: Request, account_id: FromPath[int]) -> Response:
    """Enable a disabled account again (its old sessions and tokens stay revoked)."""
    return await _set_disabled(request, account_id, False)


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


@get("/console/audit", opt={"roles": ADMINS})
async def audit_page(request: Request) -> Template:
    """Exports and API reads of raw responses, newest first."""
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
    audit_page,
]
