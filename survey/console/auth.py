"""Who may do what: passwords (argon2id), server-side sessions, API tokens, sign-in limits, and the guard.

Every route handler declares its roles in ``opt={"roles": ...}``: the string ``"public"``, or a tuple
(or frozenset) drawn from :data:`ROLES`. One app-level guard, :func:`authorize`, enforces it: public routes
pass without touching the database; any other route needs a signed-in account (a session cookie) or, under
``/api/``, a personal API token, whose role is in the declared set. A route that declares nothing is refused
(and ``tests/integration/test_route_matrix.py`` fails), so forgetting to declare can never open a route.

Anonymous requests to pages are sent to ``/sign-in?next=...`` (303); to the API they get 401 JSON; a role
that is not allowed gets 403.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Literal
from urllib.parse import quote, urlsplit

import argon2
import asyncpg
import msgspec
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect

from survey.db import accounts as accounts_db
from survey.db.accounts import ROLES, Principal
from survey.errors import Forbidden, RuleBroken
from survey.settings import Settings
from survey.web.errors import error_response, wants_json

logger = logging.getLogger(__name__)

__all__ = [
    "ALL_ROLES",
    "API_TOKEN_PREFIX",
    "CAMPAIGN_READERS",
    "DESIGNERS",
    "PASSWORD_MIN_LENGTH",
    "ROLES",
    "SESSION_COOKIE",
    "SignInLimits",
    "SignInOutcome",
    "SignInRequired",
    "authorize",
    "check_password",
    "declared_roles",
    "end_session",
    "hash_password",
    "hash_token",
    "new_api_token",
    "principal",
    "safe_next",
    "session_cookie",
    "sign_in",
    "sign_in_required_handler",
    "start_session",
]

# Who may use what (docs/roles.md is the table). Handlers use these names in ``opt={"roles": ...}``.
ALL_ROLES: frozenset[str] = frozenset(ROLES)
"""Every signed-in account."""
CAMPAIGN_READERS: frozenset[str] = frozenset({"admin", "researcher", "analyst"})
"""Questionnaires, campaign details, monitoring, exports and the API's data: everyone but viewers."""
DESIGNERS: frozenset[str] = frozenset({"admin", "researcher"})
"""Creating campaigns and waves, opening and closing them, handing out links."""
ADMINS: frozenset[str] = frozenset({"admin"})
"""Accounts and the audit log."""

SESSION_COOKIE = "survey_session"
SESSION_IDLE = timedelta(hours=12)
SESSION_ABSOLUTE = timedelta(days=7)
PASSWORD_MIN_LENGTH = 10
# argon2 reads the whole password; refuse absurd inputs before spending memory on them.
PASSWORD_MAX_LENGTH = 1024
API_TOKEN_PREFIX = "svy_"
# Sign-in attempts are kept a day: longer than any limit's window, short enough to say little about anyone.
ATTEMPTS_KEPT = timedelta(days=1)


# -- passwords -------------------------------------------------------------------------------------


@functools.cache
def _hasher() -> argon2.PasswordHasher:
    # argon2-cffi's defaults are RFC 9106's second recommended profile (argon2id, t=3, m=64 MiB, p=4).
    return argon2.PasswordHasher(type=argon2.Type.ID)


@functools.cache
def _dummy_hash() -> str:
    # Checked against when the address is unknown, so that a wrong address costs as much time as a wrong
    # password and response times do not tell which addresses have accounts.
    return _hasher().hash(secrets.token_urlsafe(16))


def check_password(password: str) -> str:
    """Return the password if it is acceptable; InvalidAnswer with the rule otherwise."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise RuleBroken(
            f"a password needs at least {PASSWORD_MIN_LENGTH} characters",
            reason="password_short",
            min=PASSWORD_MIN_LENGTH,
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise RuleBroken(
            f"a password may have at most {PASSWORD_MAX_LENGTH} characters",
            reason="password_long",
            max=PASSWORD_MAX_LENGTH,
        )
    return password


def hash_password(password: str) -> str:
    """argon2id hash (PHC string) of an acceptable password."""
    return _hasher().hash(check_password(password))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except argon2.exceptions.VerificationError:
        return False
    except argon2.exceptions.InvalidHashError:
        logger.error("a stored password hash is not a valid argon2 hash")
        return False


# -- sign-in, with limits --------------------------------------------------------------------------


class SignInLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Failed sign-ins allowed before further attempts are refused without checking the password.

    Per account: ``account_failures`` within ``account_window`` (a successful sign-in starts counting
    again). Overall, for every address together: ``overall_failures`` within ``overall_window``, which
    stops someone trying one password against many addresses.
    """

    account_failures: int = 5
    account_window: timedelta = timedelta(minutes=15)
    overall_failures: int = 100
    overall_window: timedelta = timedelta(minutes=5)


DEFAULT_LIMITS = SignInLimits()


class SignInOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """The account signed in, or why not: ``wrong`` (address or password), or ``limited``."""

    account_id: int | None = None
    refused: Literal["wrong", "account_limit", "overall_limit"] | None = None

    @property
    def message(self) -> str:
        """What to tell the person signing in."""
        return {
            None: "",
            "wrong": "The email address or the password is wrong.",
            "account_limit": "Too many failed sign-ins for this account. Wait 15 minutes and try again, or "
            "ask an administrator to set a new password.",
            "overall_limit": "Too many failed sign-ins on this server just now. Wait a few minutes and try "
            "again.",
        }[self.refused]


async def sign_in(
    conn: asyncpg.Connection, email: str, password: str, limits: SignInLimits = DEFAULT_LIMITS
) -> SignInOutcome:
    """Check an address and password, within the limits.

    The attempt is recorded (as pending) *before* the limits are checked, so that concurrent attempts in
    any number of processes see each other: at most ``account_failures`` passwords per window are ever
    checked for one account.
    """
    email = accounts_db.normalise_email(email)
    if "\x00" in email:
        # No account has one, and PostgreSQL text cannot hold it (recording the attempt would fail).
        return SignInOutcome(refused="wrong")
    attempt = await accounts_db.begin_sign_in_attempt(conn, email)
    failed = await accounts_db.failed_sign_ins(
        conn, email, account_window=limits.account_window, overall_window=limits.overall_window
    )
    # The counts include this attempt.
    refused: Literal["account_limit", "overall_limit"] | None = None
    if failed.for_account > limits.account_failures:
        refused = "account_limit"
    elif failed.overall > limits.overall_failures:
        refused = "overall_limit"
    if refused is not None:
        await accounts_db.finish_sign_in_attempt(conn, attempt, "refused")
        logger.warning("sign-in refused (%s)", refused)
        return SignInOutcome(refused=refused)

    found = await accounts_db.credentials(conn, email)
    stored = found.password_hash if found is not None else _dummy_hash()
    # argon2 takes tens of milliseconds of CPU: keep the event loop free meanwhile.
    ok = await asyncio.to_thread(_verify, stored, password[:PASSWORD_MAX_LENGTH])
    if found is None or not ok:
        await accounts_db.finish_sign_in_attempt(conn, attempt, "failed")
        return SignInOutcome(refused="wrong")
    await accounts_db.finish_sign_in_attempt(conn, attempt, "succeeded")
    await accounts_db.mark_signed_in(conn, found.account_id)
    # Housekeeping, cheap and rare enough here: what no limit or session can use any more.
    await accounts_db.delete_old_sessions(conn, SESSION_ABSOLUTE)
    await accounts_db.delete_old_sign_in_attempts(conn, ATTEMPTS_KEPT)
    if _hasher().check_needs_rehash(found.password_hash):
        new_hash = await asyncio.to_thread(_hasher().hash, password)
        await accounts_db.rehash_password(conn, found.account_id, found.password_hash, new_hash)
    return SignInOutcome(account_id=found.account_id)


# -- sessions and tokens ---------------------------------------------------------------------------


def hash_token(token: str) -> bytes:
    """SHA-256 of a session id or API token: what the database keeps instead of the secret itself.

    The secrets are 32 random bytes, so a fast hash is enough (no guessing to slow down).
    """
    return hashlib.sha256(token.encode()).digest()


def new_api_token() -> str:
    """A fresh personal API token (shown once; only its hash is stored)."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


async def start_session(conn: asyncpg.Connection, account_id: int, previous: str | None) -> str:
    """A new session for the account; the previous session presented by the browser is revoked.

    Always a new id, never the one the browser brought: someone who planted a session id in the
    browser before sign-in (session fixation) gains nothing.
    """
    async with conn.transaction():
        if previous:
            await accounts_db.revoke_session(conn, hash_token(previous))
        token = secrets.token_urlsafe(32)
        await accounts_db.create_session(conn, hash_token(token), account_id)
    return token


async def end_session(conn: asyncpg.Connection, token: str | None) -> None:
    if token:
        await accounts_db.revoke_session(conn, hash_token(token))


def cookie_is_secure(settings: Settings) -> bool:
    """Secure cookies whenever the site is served over https (a plain-http localhost could not set them)."""
    return settings.base_url.lower().startswith("https://")


def session_cookie(settings: Settings, token: str | None) -> Cookie:
    """The session cookie to set (``token``) or to delete (``None``)."""
    return Cookie(
        key=SESSION_COOKIE,
        value=token or "",
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookie_is_secure(settings),
        max_age=int(SESSION_ABSOLUTE.total_seconds()) if token else 0,
        expires=None if token else 0,
    )


# -- redirects after sign-in -----------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_next(value: str | None, default: str = "/console") -> str:
    """A local path to go to after sign-in; anything else (another site) becomes ``default``.

    Refused: absolute URLs (``https://x``), scheme-relative ones (``//x``), backslashes (browsers read
    ``/\\x`` as ``//x``), control characters, and anything not starting with ``/``.
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or _CONTROL.search(value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


# -- the guard -------------------------------------------------------------------------------------


class SignInRequired(NotAuthorizedException):
    """Nobody is signed in (or the API token is missing, wrong or revoked)."""


def _is_automatic_options(handler: BaseRouteHandler) -> bool:
    # litestar adds an OPTIONS handler to every path that has none; it only lists the allowed methods.
    fn = getattr(handler.fn, "__module__", "")
    methods = getattr(handler, "http_methods", set())
    return fn == "litestar.routes.http" and set(methods) == {"OPTIONS"}


def declared_roles(handler: BaseRouteHandler) -> Literal["public"] | frozenset[str] | None:
    """The roles a handler declares: ``"public"``, a set of roles, or None when it declares none.

    A declaration naming an unknown role counts as none (a typo must not open a route).
    """
    if _is_automatic_options(handler):
        return "public"
    roles = handler.opt.get("roles")
    if roles == "public":
        return "public"
    if isinstance(roles, (tuple, list, set, frozenset)) and roles and set(roles) <= ALL_ROLES:
        return frozenset(roles)
    return None


async def _authenticate(connection: ASGIConnection, *, api: bool) -> Principal | None:
    pool: asyncpg.Pool = connection.app.state.pool
    if api:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token.startswith(API_TOKEN_PREFIX):
            return None
        async with pool.acquire() as conn:
            return await accounts_db.token_principal(conn, hash_token(token))
    token = connection.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    async with pool.acquire() as conn:
        return await accounts_db.session_principal(
            conn, hash_token(token), idle=SESSION_IDLE, absolute=SESSION_ABSOLUTE
        )


async def authorize(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The app-level guard: enforce the roles the handler declares (see the module docstring)."""
    roles = declared_roles(handler)
    if roles is None:
        logger.error("route %s declares no roles; refused", connection.url.path)
        raise Forbidden("This route declares no roles, so nobody may use it.")
    if roles == "public":
        return
    api = handler.opt.get("auth") == "token"
    found = await _authenticate(connection, api=api)
    if found is None:
        raise SignInRequired(
            "A valid API token is needed (Authorization: Bearer svy_...)."
            if api
            else "Please sign in."
        )
    connection.scope["user"] = found  # type: ignore[typeddict-unknown-key]
    if found.role not in roles:
        raise Forbidden(f"Your role ({found.role}) does not allow this.")


def principal(request: Request) -> Principal:
    """The signed-in account of a request that passed the guard of a non-public route."""
    return request.scope["user"]  # type: ignore[typeddict-item]


def sign_in_required_handler(request: Request, exc: SignInRequired) -> Response:
    """401 JSON for the API; a redirect to the sign-in page (coming back afterwards) for pages."""
    if request.url.path.startswith("/api/") or wants_json(request):
        response = error_response(request, 401, str(exc.detail))
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    # Only a page can be returned to: after a refused POST, start from the console's home.
    target = "/sign-in" + (f"?next={quote(here, safe='/')}" if request.method == "GET" else "")
    if request.headers.get("hx-request") == "true":
        # An htmx request would follow a redirect and swap the sign-in page into a fragment.
        return Response(b"", status_code=401, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def roles_text(roles: Literal["public"] | Iterable[str] | None) -> str:
    """``admin, researcher`` in the order of :data:`ROLES`, for docs and messages."""
    if roles is None:
        return "(none declared)"
    if roles == "public":
        return "public"
    return ", ".join(r for r in ROLES if r in set(roles))
