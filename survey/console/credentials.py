"""Console pages of one's own credentials, password reset links and the first administrator's set-up: no
command line is needed for daily account work.

==================================================  ===================================================
``GET  /console/account``                           one's account: teams and roles, changing the password
``POST /console/account/password``                  change it (the current one first); every other
                                                    session and every API token of the account end
``GET  /console/account/tokens``                    one's API tokens, and the form to make one
``POST /console/account/tokens``                    make one: a name, a scope, an expiry; the token is
                                                    shown once
``POST /console/account/tokens/{id}/revoke``        revoke one
``GET  /reset-password/{token}``, ``POST``          a one-time link from an installation administrator:
                                                    set a new password (public: the link is the proof)
``GET  /setup``, ``POST /setup``                    the first administrator, with the set-up code the
                                                    server printed in its log; gone once an
                                                    administrator exists
==================================================  ===================================================

Pages that show a secret (a new token) are sent with ``Cache-Control: no-store``, so that no cache keeps
them; the secret itself is never stored, only its SHA-256 (:mod:`survey.console.auth`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect, Template

from survey.console import auth, service
from survey.console import web as console_web
from survey.console.auth import SIGNED_IN, principal
from survey.console.service import PasswordChange, Rejected, SetupDraft, TokenDraft
from survey.console.web import Choice, team_name
from survey.db import accounts as accounts_db
from survey.db.accounts import SCOPES
from survey.errors import NotFound
from survey.web import request_pool
from survey.web.i18n import LANGUAGES, request_language

__all__ = ["ROUTES"]

#: Sent with every page that shows a secret once (a new token): no browser or proxy cache keeps it.
NO_STORE: Final = {"cache-control": "no-store"}


def _fresh_session(request: Request, token: str) -> list[Cookie]:
    """The cookies of a new session id: the session, and no CSRF token (the next page sets one)."""
    return [
        auth.session_cookie(console_web.settings(request), token),
        Cookie(key="csrftoken", value="", max_age=0),
    ]


# -- one's account and password -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountPage:
    email: str
    teams: tuple[str, ...]
    """Each team and the account's role in it, in words."""
    installation_admin: bool
    password_changed_at: datetime
    min_length: int
    changed: bool = False
    """The password was just changed (the page says what that ended)."""
    sessions_ended: int = 0
    tokens_ended: int = 0
    error: str = ""


async def _account_page(
    request: Request, *, error: str = "", status: int = 200, changed: bool = False
) -> Template:
    t = console_web.translator(request)
    who = principal(request)
    async with request_pool(request).acquire() as conn:
        account = await accounts_db.get_account(conn, who.account_id)
    query = request.query_params
    context = AccountPage(
        email=account.email,
        teams=tuple(
            t("users.team_role", team=team_name(t, m.team, m.name), role=t(f"role.{m.role}"))
            for m in who.teams
        ),
        installation_admin=account.installation_admin,
        password_changed_at=account.password_changed_at,
        min_length=auth.PASSWORD_MIN_LENGTH,
        changed=changed or query.get("changed") == "1",
        sessions_ended=_number(query.get("sessions")),
        tokens_ended=_number(query.get("tokens")),
        error=error,
    )
    return console_web.page(request, "account.html", context, section="account", status=status)


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else 0


@get("/console/account", opt={"roles": SIGNED_IN})
async def account_page(request: Request) -> Template:
    """One's own account: its teams and roles, and the form to change its password."""
    return await _account_page(request)


@post("/console/account/password", opt={"roles": SIGNED_IN})
async def change_password(request: Request) -> Response:
    """Change one's own password, the current one first. Every other session and every API token of
    the account end; this browser gets a new session id and stays signed in."""
    form = await console_web.read_form(
        request,
        current=auth.PASSWORD_MAX_LENGTH,
        password=auth.PASSWORD_MAX_LENGTH,
        again=auth.PASSWORD_MAX_LENGTH,
    )
    change = PasswordChange(
        current=form.get("current", ""), new=form.get("password", ""), again=form.get("again", "")
    )
    who = principal(request)
    current_session = request.cookies.get(auth.SESSION_COOKIE) or ""
    pool = request_pool(request)

    async def verify(password: str) -> str | None:
        # Within the sign-in limits: this form must not be a way round them.
        outcome = await auth.sign_in(
            pool,
            who.email,
            password,
            client=auth.request_client_key(request),
            limits=auth.SignInLimits.from_settings(console_web.settings(request)),
        )
        return outcome.refused

    outcome = await service.change_password(
        pool,
        who,
        change,
        verify=verify,
        hash_password=auth.hash_password,
        keep_session=auth.hash_token(current_session) if current_session else None,
    )
    if isinstance(outcome, Rejected):
        error = console_web.refusal(request, outcome)
        return await _account_page(request, error=error, status=outcome.status)
    async with pool.acquire() as conn:
        token = await auth.start_session(conn, who.account_id, current_session or None)
    target = f"/console/account?changed=1&sessions={outcome.sessions}&tokens={outcome.tokens}"
    return Redirect(target, status_code=303, cookies=_fresh_session(request, token))


# -- API tokens -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: int
    name: str
    scopes: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    status: str
    status_label: str
    active: bool


@dataclass(frozen=True, slots=True)
class Issued:
    """A token just made, shown once."""

    name: str
    secret: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TokensPage:
    tokens: tuple[TokenRow, ...]
    scopes: tuple[tuple[Choice, str], ...]
    """Each scope, ticked or not, with a sentence saying what it lets a token read."""
    days: tuple[Choice, ...]
    max_days: int
    draft: TokenDraft
    issued: Issued | None = None
    revoked: str = ""
    error: str = ""
    example: str = ""
    """A request a script would send, with the API's address."""


def _scopes_text(t: Callable[..., str], scopes: tuple[str, ...]) -> str:
    return ", ".join(t(f"scope.{s}") for s in scopes)


async def _tokens_page(
    request: Request,
    *,
    draft: TokenDraft | None = None,
    issued: Issued | None = None,
    error: str = "",
    status: int = 200,
) -> Template:
    t = console_web.translator(request)
    who = principal(request)
    draft = draft or TokenDraft(days=str(auth.TOKEN_DEFAULT_DAYS))
    async with request_pool(request).acquire() as conn:
        found = await service.api_tokens(conn, who)
    now = datetime.now(UTC)
    rows = []
    for token in found:
        state = token.status(now)
        rows.append(
            TokenRow(
                id=token.id,
                name=token.name,
                scopes=_scopes_text(t, token.scopes),
                created_at=token.created_at,
                expires_at=token.expires_at,
                last_used_at=token.last_used_at,
                status=state,
                status_label=t(f"token.{state}"),
                active=state == "active",
            )
        )
    context = TokensPage(
        tokens=tuple(rows),
        scopes=tuple(
            (Choice(s, t(f"scope.{s}"), s in draft.scopes), t(f"scope.{s}.hint")) for s in SCOPES
        ),
        days=tuple(
            Choice(str(d), t("token.days", days=d), str(d) == draft.days) for d in auth.TOKEN_DAYS
        ),
        max_days=auth.TOKEN_MAX_DAYS,
        draft=draft,
        issued=issued,
        revoked=request.query_params.get("revoked", "") if not (error or issued) else "",
        error=error,
        example=f"{console_web.settings(request).base_url.rstrip('/')}/api/v1/campaigns",
    )
    return console_web.page(request, "tokens.html", context, section="account", status=status)


@get("/console/account/tokens", opt={"roles": SIGNED_IN})
async def tokens_page(request: Request) -> Template:
    """One's API tokens (active, expired and revoked), each revocable, and the form to make one."""
    return await _tokens_page(request)


@post("/console/account/tokens", opt={"roles": SIGNED_IN}, status_code=200)
async def create_token(request: Request) -> Template:
    """Make an API token with a name, a scope and an expiry; its secret is shown on this page, once."""
    form = await request.form()
    draft = TokenDraft(
        name=str(form.get("name", "")),
        scopes=tuple(v for v in form.getall("scope", []) if isinstance(v, str)),
        days=str(form.get("days", "")).strip(),
    )
    async with request_pool(request).acquire() as conn:
        outcome = await service.create_token(
            conn, principal(request), draft, issue=auth.issue_api_token
        )
    if isinstance(outcome, Rejected):
        error = console_web.refusal(request, outcome)
        return await _tokens_page(request, draft=draft, error=error, status=outcome.status)
    page = await _tokens_page(
        request,
        issued=Issued(
            name=outcome.token.name, secret=outcome.secret, expires_at=outcome.token.expires_at
        ),
    )
    page.headers.update(NO_STORE)
    return page


@post("/console/account/tokens/{token_id:int}/revoke", opt={"roles": SIGNED_IN})
async def revoke_token(request: Request, token_id: FromPath[int]) -> Response:
    """Revoke one of one's own tokens: it stops working at once."""
    async with request_pool(request).acquire() as conn:
        revoked = await service.revoke_token(conn, principal(request), token_id)
    return Redirect(
        "/console/account/tokens?" + urlencode({"revoked": revoked.name}), status_code=303
    )


# -- reset links ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResetPage:
    action: str
    email: str
    expires_at: datetime | None
    min_length: int
    gone: bool = False
    """The link was used, expired, replaced by a newer one, or never existed."""
    error: str = ""


async def _reset_page(
    request: Request, token: str, *, error: str = "", status: int = 200
) -> Template:
    async with request_pool(request).acquire() as conn:
        found = await accounts_db.password_reset(conn, auth.hash_token(token))
    chosen = request.query_params.get("lang")
    context = ResetPage(
        action=f"/reset-password/{token}"
        + (f"?{urlencode({'lang': chosen})}" if chosen in LANGUAGES else ""),
        email=found.email if found else "",
        expires_at=found.expires_at if found else None,
        min_length=auth.PASSWORD_MIN_LENGTH,
        gone=found is None,
        error=error,
    )
    page = console_web.page(request, "reset.html", context, status=404 if found is None else status)
    # The address holds the secret: no cache keeps the page, and no other site learns it (no-referrer).
    page.headers.update({**NO_STORE, "referrer-policy": "no-referrer"})
    return page


@get("/reset-password/{token:str}", opt={"roles": "public"})
async def reset_page(request: Request, token: FromPath[str]) -> Template:
    """The form a reset link opens: a new password, twice. Opening it changes nothing (a chat app
    fetching the link to preview it must not use it up)."""
    return await _reset_page(request, token)


@post("/reset-password/{token:str}", opt={"roles": "public"})
async def reset_submit(request: Request, token: FromPath[str]) -> Response:
    """Set the new password (the link works once); then sign in with it."""
    form = await console_web.read_form(request)
    password, again = form.get("password", ""), form.get("again", "")
    if not password or password != again:
        error = console_web.refusal(request, Rejected("passwords_differ"))
        return await _reset_page(request, token, error=error, status=400)
    async with request_pool(request).acquire() as conn:
        outcome = await service.use_reset_link(
            conn, auth.hash_token(token), password, hash_password=auth.hash_password
        )
    if isinstance(outcome, Rejected):
        error = console_web.refusal(request, outcome)
        return await _reset_page(request, token, error=error, status=outcome.status)
    if outcome is None:
        return await _reset_page(request, token)
    # The sign-in page in the language the reset page spoke.
    lang = request_language(request, outcome.language)
    return Redirect(f"/sign-in?{urlencode({'reset': '1', 'lang': lang})}", status_code=303)


# -- the first administrator ------------------------------------------------------------------------


#: Why /setup answers 404 once the installation has an administrator (the error page says it in English,
#: beside its own title and sentence in the reader's language).
SETUP_DONE: Final = "This installation has an administrator: sign in, or ask them for an account."


@dataclass(frozen=True, slots=True)
class SetupPage:
    action: str = "/setup"
    """``/setup``, with ``?lang=`` when a language was chosen on the page (the answer keeps it)."""
    email: str = ""
    min_length: int = auth.PASSWORD_MIN_LENGTH
    error: str = ""


def _setup_action(request: Request) -> str:
    chosen = request.query_params.get("lang")
    return "/setup" + (f"?{urlencode({'lang': chosen})}" if chosen in LANGUAGES else "")


@get("/setup", opt={"roles": "public"})
async def setup_page(request: Request) -> Template:
    """The set-up of the installation's first administrator, while it has none (404 afterwards)."""
    async with request_pool(request).acquire() as conn:
        if not await accounts_db.setup_needed(conn):
            raise NotFound(SETUP_DONE)
    return console_web.page(request, "setup.html", SetupPage(action=_setup_action(request)))


@post("/setup", opt={"roles": "public"})
async def setup_submit(request: Request) -> Response:
    """Make the first administrator with the set-up code from the server's log, and sign it in."""
    form = await console_web.read_form(request)
    draft = SetupDraft(
        code=form.get("code", ""),
        email=form.get("email", "").strip(),
        password=form.get("password", ""),
        again=form.get("again", ""),
    )
    async with request_pool(request).acquire() as conn:
        try:
            outcome = await service.set_up_first_admin(
                conn,
                draft,
                hash_code=auth.hash_setup_code,
                hash_password=auth.hash_password,
            )
        except NotFound:
            raise NotFound(SETUP_DONE) from None
        if isinstance(outcome, Rejected):
            context = SetupPage(
                action=_setup_action(request),
                email=draft.email,
                error=console_web.refusal(request, outcome),
            )
            return console_web.page(request, "setup.html", context, status=outcome.status)
        token = await auth.start_session(conn, outcome.id, request.cookies.get(auth.SESSION_COOKIE))
    return Redirect("/console/teams", status_code=303, cookies=_fresh_session(request, token))


ROUTES = [
    account_page,
    change_password,
    tokens_page,
    create_token,
    revoke_token,
    reset_page,
    reset_submit,
    setup_page,
    setup_submit,
]
