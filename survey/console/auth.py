"""Who may do what: passwords (argon2id), server-side sessions, API tokens (scopes, expiry), password
reset links, the first administrator's set-up code, sign-in limits, and the guard.

Every route handler declares its roles in ``opt={"roles": ...}`` (:mod:`survey.console.roles`):
``"public"``, ``"signed_in"``, or a set drawn from :data:`ROLES` and ``installation_admin``. One app-level
guard, :func:`authorize`, enforces it: public routes pass without touching the database; any other route
needs a signed-in account (a session cookie) or, under ``/api/``, a personal API token; for a set of
roles, the account must hold one of them in some team (the route then checks its role in the team of
what it names). An API route also declares the token scope it needs (``opt={"scope": ...}``,
:data:`~survey.db.accounts.SCOPES`). A route that declares nothing is refused (and
``tests/integration/test_route_matrix.py`` fails), so forgetting to declare can never open a route.

Anonymous requests to pages are sent to ``/sign-in?next=...`` (303); to the API they get 401 JSON; a role
or a token scope that does not allow the route gets 403.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import logging
import math
import os
import re
import secrets
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Final, Literal, TypeVar
from urllib.parse import quote, urlsplit

import argon2
import asyncpg
import msgspec
import zxcvbn
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect

from survey.console.messages import CATALOGUE
from survey.console.roles import (
    ALL_ROLES,
    CAMPAIGN_READERS,
    DESIGNERS,
    INSTALLATION_ADMIN,
    INSTALLATION_ADMINS,
    SIGNED_IN,
    TEAM_MANAGERS,
    TEAM_READERS,
)
from survey.db import accounts as accounts_db
from survey.db.accounts import ROLES, SCOPES, Principal
from survey.errors import Forbidden, RuleBroken, SurveyError
from survey.settings import Settings
from survey.web.errors import error_response, wants_json
from survey.web.security import client_address

logger = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = [
    "ALL_ROLES",
    "API_TOKEN_PREFIX",
    "CAMPAIGN_READERS",
    "DESIGNERS",
    "INSTALLATION_ADMINS",
    "PASSWORD_MIN_LENGTH",
    "RESET_LINK_LIFETIME",
    "ROLES",
    "SESSION_COOKIE",
    "SIGNED_IN",
    "TEAM_MANAGERS",
    "TEAM_READERS",
    "TOKEN_DAYS",
    "TOKEN_MAX_DAYS",
    "IssuedToken",
    "SignInLimits",
    "SignInOutcome",
    "SignInRequired",
    "authorize",
    "check_password",
    "client_key",
    "declared_roles",
    "declared_scope",
    "end_session",
    "forget_old_client_addresses",
    "hash_password",
    "hash_setup_code",
    "hash_token",
    "issue_api_token",
    "new_api_token",
    "prepare_setup",
    "principal",
    "request_client_key",
    "safe_next",
    "session_cookie",
    "sign_in",
    "sign_in_required_handler",
    "start_password_reset",
    "start_session",
]

# Who may use what: the sets are survey.console.roles' (docs/roles.md is the table); handlers import them
# from here or from there.
_DECLARABLE: Final = ALL_ROLES | INSTALLATION_ADMINS

SESSION_COOKIE = "survey_session"
SESSION_IDLE = timedelta(hours=12)
SESSION_ABSOLUTE = timedelta(days=7)
PASSWORD_MIN_LENGTH = 10
# argon2 reads the whole password; refuse absurd inputs before spending memory on them.
PASSWORD_MAX_LENGTH = 1024
#: zxcvbn's score, 0 to 4; 3 is "safely unguessable: moderate protection from an offline slow-hash
#: scenario" (fewer than 10^10 guesses), which with argon2id and the sign-in throttles is ample.
PASSWORD_MIN_SCORE = 3
PASSWORD_CHECKED_LENGTH = 72
API_TOKEN_PREFIX = "svy_"
# Sign-in attempts are kept a day: longer than any limit's window, short enough to say little about anyone.
# Their client hashes go much sooner: once older than the window, within FORGET_EVERY seconds.
ATTEMPTS_KEPT = timedelta(days=1)
FORGET_EVERY = 60


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


def check_password(password: str, *, email: str | None = None) -> str:
    """Return the password if it is acceptable; InvalidAnswer with the rule otherwise.

    The one place for the rule (the console's account form and ``survey users`` both come here): at
    least :data:`PASSWORD_MIN_LENGTH` characters, at most :data:`PASSWORD_MAX_LENGTH`, and not easy to
    guess by zxcvbn's estimate (:data:`PASSWORD_MIN_SCORE`), which knows the common-password lists,
    dictionary words and names, repeats (``aaaaaaaaaa``), sequences (``1234567890``), keyboard rows
    (``qwertyuiop``), dates, and the account's own address.
    """
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
    hints = _personal_words(email) if email else []
    # zxcvbn's matching grows quickly with the length; it reads the first 72 characters (its own
    # limit), and a password whose first 72 characters are hard to guess is.
    strength = zxcvbn.zxcvbn(password[:PASSWORD_CHECKED_LENGTH], user_inputs=hints)
    if strength["score"] < PASSWORD_MIN_SCORE:
        warning = strength["feedback"]["warning"]
        why = f" ({warning.rstrip('.')})" if warning else ""
        raise RuleBroken(
            f"this password is too easy to guess{why}: choose a longer one, such as a few unrelated "
            "words, that is not a common password, a repeat, a sequence or your address",
            reason="password_weak",
        )
    return password


def _personal_words(email: str) -> list[str]:
    """What a password made from the account's own address would contain."""
    local = email.split("@", 1)[0]
    return [email, local, re.sub(r"[^\w]|_", "", local), *re.split(r"[@.+_-]", email)]


def hash_password(password: str, *, email: str | None = None) -> str:
    """argon2id hash (PHC string) of an acceptable password (for the account ``email``, if known)."""
    return _hasher().hash(check_password(password, email=email))


# argon2 takes tens to hundreds of milliseconds of CPU and 64 MiB of memory per password. Checked in
# threads of their own, at most half the cores at once: a flood of sign-ins queues here (holding no
# database connection) and leaves the event loop, the other threads and respondents their CPU.
_PASSWORD_THREADS = ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 2) // 2), thread_name_prefix="password-check"
)


async def _checking_passwords(work: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(_PASSWORD_THREADS, work, *args)


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
    """Failed sign-ins allowed within ``window`` before further attempts are refused unchecked.

    Per account: ``account_failures`` (counted since the account's last successful sign-in or new
    password, so that an administrator's new password unlocks it). Per client address:
    ``address_failures``, which stops one client trying many accounts. There is no limit over all
    accounts together: one would let anyone lock everybody out.
    """

    window: timedelta = timedelta(minutes=15)
    account_failures: int = 5
    address_failures: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInLimits:
        return cls(
            window=timedelta(minutes=settings.sign_in_window),
            account_failures=settings.sign_in_account_failures,
            address_failures=settings.sign_in_address_failures,
        )


DEFAULT_LIMITS = SignInLimits()

Refusal = Literal["wrong", "too_long", "account_limit", "address_limit"]


# Whole sentences for the sign-in page, in every interface language; no case ending is glued to a
# placeholder ("{minutes} минутын дараа" puts the ending on the word after the number).
class SignInOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """The account signed in, or why not (``refused``), and for a limit when it lifts."""

    account_id: int | None = None
    refused: Refusal | None = None
    retry_after: timedelta | None = None
    """How long until the limit that refused this attempt lets the next one through."""

    def message(self, language: str = "en") -> str:
        """What to tell the person signing in, in ``language``."""
        if self.refused is None:
            return ""
        minutes = math.ceil((self.retry_after or timedelta()).total_seconds() / 60) or 1
        return CATALOGUE.translate(
            f"sign_in.refused.{self.refused}",
            language,
            minutes=minutes,
            limit=accounts_db.MAX_EMAIL_LENGTH,
        )


def client_key(address: str | None, secret: str) -> bytes | None:
    """What the database keeps of a client address to count its failed sign-ins: a keyed hash.

    Never the address itself; without the secret key the hash cannot be tested against addresses, and
    it is erased once it is older than the window (:func:`forget_old_client_addresses`).
    """
    if not address:
        return None
    return hmac.new(secret.encode(), b"sign-in client\x00" + address.encode(), "sha256").digest()


def request_client_key(connection: ASGIConnection) -> bytes | None:
    """:func:`client_key` of the request's client (behind a trusted proxy, the one it names)."""
    settings: Settings = connection.app.state.settings
    address = client_address(connection.scope, settings)
    return client_key(address, settings.resolved_secret_key())


async def sign_in(
    pool: asyncpg.Pool,
    email: str,
    password: str,
    *,
    client: bytes | None = None,
    limits: SignInLimits = DEFAULT_LIMITS,
) -> SignInOutcome:
    """Check an address and password, within the limits of the account and of the client (``client``,
    from :func:`client_key`).

    Takes connections from ``pool`` only while it talks to the database: never while argon2 works (tens
    of milliseconds of CPU), so a burst of sign-ins cannot take the connections respondents need. The
    attempt is recorded (as pending) *before* the limits are counted, so that concurrent attempts in any
    number of processes see each other: at most ``account_failures`` passwords per window are ever
    checked for one account, and ``address_failures`` from one client.
    """
    email = accounts_db.normalise_email(email)
    if len(email) > accounts_db.MAX_EMAIL_LENGTH:
        return SignInOutcome(refused="too_long")
    if "\x00" in email:
        # No account has one, and PostgreSQL text cannot hold it (recording the attempt would fail).
        return SignInOutcome(refused="wrong")
    async with pool.acquire() as conn:
        # Already over a limit: refused without writing anything, however many attempts keep coming.
        before = await accounts_db.failed_sign_ins(conn, email, client, window=limits.window)
        refused = _over(before, limits, including_this=False)
        if refused is None:
            attempt = await accounts_db.begin_sign_in_attempt(conn, email, client)
            counted = await accounts_db.failed_sign_ins(conn, email, client, window=limits.window)
            refused = _over(counted, limits, including_this=True)
            if refused is not None:
                await accounts_db.finish_sign_in_attempt(conn, attempt, "refused")
                before = counted
        if refused is not None:
            logger.warning("sign-in refused (%s)", refused)
            oldest = before.account_oldest if refused == "account_limit" else before.address_oldest
            return SignInOutcome(refused=refused, retry_after=_until_window_ends(oldest, limits))
        found = await accounts_db.credentials(conn, email)
    stored = found.password_hash if found is not None else _dummy_hash()
    ok = await _checking_passwords(_verify, stored, password[:PASSWORD_MAX_LENGTH])
    async with pool.acquire() as conn:
        if found is None or not ok:
            await accounts_db.finish_sign_in_attempt(conn, attempt, "failed")
            return SignInOutcome(refused="wrong")
        await accounts_db.finish_sign_in_attempt(conn, attempt, "succeeded")
        await accounts_db.mark_signed_in(conn, found.account_id)
        # Housekeeping, cheap and rare enough here: what no limit or session can use any more.
        await accounts_db.delete_old_sessions(conn, SESSION_ABSOLUTE)
        await accounts_db.delete_old_sign_in_attempts(conn, ATTEMPTS_KEPT)
        if _hasher().check_needs_rehash(found.password_hash):
            new_hash = await _checking_passwords(_hasher().hash, password)
            await accounts_db.rehash_password(conn, found.account_id, found.password_hash, new_hash)
    return SignInOutcome(account_id=found.account_id)


def _over(
    failed: accounts_db.FailedSignIns, limits: SignInLimits, *, including_this: bool
) -> Literal["account_limit", "address_limit"] | None:
    # Counted before recording this attempt, a limit is reached at the allowed number; counted after,
    # one more (this attempt) is still allowed.
    allowance = 1 if including_this else 0
    if failed.for_account >= limits.account_failures + allowance:
        return "account_limit"
    if failed.for_address >= limits.address_failures + allowance:
        return "address_limit"
    return None


def _until_window_ends(oldest: datetime | None, limits: SignInLimits) -> timedelta:
    """Until the oldest counted failure leaves the window, which lets the next attempt through."""
    if oldest is None:
        return limits.window
    return max(oldest + limits.window - datetime.now(UTC), timedelta())


async def forget_old_client_addresses(pool: asyncpg.Pool, settings: Settings) -> None:
    """Erase, every minute, the client hashes of sign-in attempts older than the window (runs as long
    as the application; every process runs one, which costs nothing when there is nothing to erase)."""
    window = timedelta(minutes=settings.sign_in_window)
    while True:
        try:
            async with pool.acquire() as conn:
                await accounts_db.forget_client_keys(conn, window)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, SurveyError) as exc:
            logger.warning("could not erase old sign-in client hashes: %s", exc)
        await asyncio.sleep(FORGET_EVERY)


# -- sessions and tokens ---------------------------------------------------------------------------


def hash_token(token: str) -> bytes:
    """SHA-256 of a session id or API token: what the database keeps instead of the secret itself.

    The secrets are 32 random bytes, so a fast hash is enough (no guessing to slow down).
    """
    return hashlib.sha256(token.encode()).digest()


def new_api_token() -> str:
    """A fresh personal API token (shown once; only its hash is stored)."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


#: How long a token may live: a year at most, so that a token forgotten in a script or a notebook stops by
#: itself; the console offers these lifetimes, a month unless chosen otherwise.
TOKEN_MAX_DAYS: Final = 365
TOKEN_DAYS: Final = (7, 30, 90, 180, 365)
TOKEN_DEFAULT_DAYS: Final = 30
#: A token's name says what it is for ("R script", "dashboard"); a line, not a text.
TOKEN_NAME_MAX: Final = 100


class IssuedToken(msgspec.Struct, frozen=True, kw_only=True):
    """A token just made: its secret (shown once, never stored) and the token as stored."""

    secret: str
    token: accounts_db.ApiToken


def _token_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise RuleBroken("a token needs a name saying what it is for", reason="token_name_missing")
    if not accounts_db.is_one_line(name, TOKEN_NAME_MAX):
        raise RuleBroken(
            f"a token's name has at most {TOKEN_NAME_MAX} characters and no control character",
            reason="token_name_invalid",
            max=TOKEN_NAME_MAX,
        )
    return name


async def issue_api_token(
    conn: asyncpg.Connection, account_id: int, *, name: str, scopes: Iterable[str], days: int
) -> IssuedToken:
    """A new personal API token for the account: named, limited to ``scopes`` (:data:`SCOPES`), expiring
    in ``days`` (1 to :data:`TOKEN_MAX_DAYS`). RuleBroken names what is wrong; nothing is stored then."""
    clean_name = _token_name(name)
    chosen = accounts_db.check_scopes(scopes)
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise RuleBroken(
            f"a token lives from 1 to {TOKEN_MAX_DAYS} days, not {days}",
            reason="token_days_invalid",
            max=TOKEN_MAX_DAYS,
        )
    secret = new_api_token()
    stored = await accounts_db.create_api_token(
        conn,
        account_id,
        hash_token(secret),
        clean_name,
        scopes=chosen,
        lifetime=timedelta(days=days),
    )
    return IssuedToken(secret=secret, token=stored)


# -- password reset links and the set-up code ------------------------------------------------------

#: How long a reset link works: long enough to reach its person through a message the same day, short
#: enough that a link found later in a chat history opens nothing.
RESET_LINK_LIFETIME: Final = timedelta(hours=24)


async def start_password_reset(
    conn: asyncpg.Connection, account_id: int, *, created_by: int | None
) -> tuple[str, accounts_db.CredentialsEnded]:
    """A one-time reset link's secret for the account. From now on its old password, sessions, API tokens
    and earlier links are void: only the link lets anyone in, once, within :data:`RESET_LINK_LIFETIME`."""
    secret = secrets.token_urlsafe(32)
    # The password is replaced by the hash of a secret nobody keeps: the old one stops working at once.
    locked = await asyncio.to_thread(_hasher().hash, secrets.token_urlsafe(32))
    ended = await accounts_db.start_password_reset(
        conn,
        account_id,
        hash_token(secret),
        locked_hash=locked,
        expires_at=datetime.now(UTC) + RESET_LINK_LIFETIME,
        created_by=created_by,
    )
    return secret, ended


#: The set-up code's letters: Crockford's base 32, which leaves out I, L, O and U, so that a code copied
#: by hand from a log cannot be misread; 12 of them (60 bits), in three groups of four.
SETUP_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_SETUP_READS_AS: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_setup_code() -> str:
    raw = "".join(secrets.choice(SETUP_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def hash_setup_code(code: str) -> bytes:
    """The stored form of a set-up code, as typed: case, spaces and dashes ignored, O read as 0, I and L as
    1 (Crockford's rule)."""
    normal = "".join(code.upper().split()).replace("-", "").translate(_SETUP_READS_AS)
    return hash_token("setup:" + normal)


async def prepare_setup(conn: asyncpg.Connection) -> str | None:
    """A new set-up code when the installation has no administrator yet (its hash stored, any earlier
    code void), for the server to print in its log at start; None when an administrator exists."""
    if not await accounts_db.setup_needed(conn):
        return None
    code = new_setup_code()
    await accounts_db.replace_setup_code(conn, hash_setup_code(code))
    return code


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


Declared = Literal["public", "signed_in"] | frozenset[str]


def declared_roles(handler: BaseRouteHandler) -> Declared | None:
    """The roles a handler declares: ``"public"``, ``"signed_in"``, a set of roles, or None when it
    declares none.

    A declaration naming an unknown role counts as none (a typo must not open a route).
    """
    if _is_automatic_options(handler):
        return "public"
    roles = handler.opt.get("roles")
    if roles in ("public", SIGNED_IN):
        return roles
    if isinstance(roles, (tuple, list, set, frozenset)) and roles and set(roles) <= _DECLARABLE:
        return frozenset(roles)
    return None


def declared_scope(handler: BaseRouteHandler) -> str | None:
    """The token scope an API route declares (``opt={"scope": ...}``), or None (then it is refused)."""
    scope = handler.opt.get("scope")
    return scope if scope in SCOPES else None


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
    """The app-level guard: enforce the roles (and, for the API, the token scope) the handler declares
    (see the module docstring)."""
    roles = declared_roles(handler)
    if roles is None:
        logger.error("route %s declares no roles; refused", connection.url.path)
        raise Forbidden("This route declares no roles, so nobody may use it.")
    if roles == "public":
        return
    api = handler.opt.get("auth") == "token"
    scope = declared_scope(handler) if api else None
    if api and scope is None:
        logger.error("API route %s declares no token scope; refused", connection.url.path)
        raise Forbidden("This route declares no token scope, so no token may use it.")
    found = await _authenticate(connection, api=api)
    if found is None:
        raise SignInRequired(
            "A valid API token is needed (Authorization: Bearer svy_...)."
            if api
            else "Please sign in."
        )
    connection.scope["user"] = found  # type: ignore[typeddict-unknown-key]
    if scope is not None and scope not in found.scopes:
        raise Forbidden(
            f"This token may read {' and '.join(sorted(found.scopes))} only; this needs the "
            f"{scope} scope."
        )
    if roles == SIGNED_IN:
        return
    if not found.holds(roles):
        raise Forbidden("None of your roles allows this.")


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


def roles_text(roles: Declared | Iterable[str] | None) -> str:
    """``admin, researcher`` in the order of :data:`ROLES` (then ``installation admin``), or ``public``,
    ``signed in``: for docs and messages."""
    if roles is None:
        return "(none declared)"
    if roles == "public":
        return "public"
    if roles == SIGNED_IN:
        return "signed in"
    named = set(roles)
    words = [r for r in ROLES if r in named]
    if INSTALLATION_ADMIN in named:
        words.append("installation admin")
    return ", ".join(words)
