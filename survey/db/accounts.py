"""Accounts of researchers, their sessions and API tokens, password reset links, the first
administrator's set-up code, sign-in attempts and the audit log.

This module stores and reads; it never sees a password or a raw session id. Hashing (argon2id for
passwords, SHA-256 for session ids, tokens, reset links and the set-up code) happens in
:mod:`survey.console.auth`. An account's roles are per team (:mod:`survey.db.teams`); the account itself
only says whether it administers the installation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Final, Literal

import asyncpg
import msgspec

from survey.db.queries import sql
from survey.errors import AlreadyTaken, InvalidAnswer, NotFound, RuleBroken

Role = Literal["admin", "researcher", "analyst", "viewer"]
ROLES: tuple[str, ...] = ("admin", "researcher", "analyst", "viewer")
Language = Literal["mn", "en"]
#: The languages of the console's interface an account may choose (the CHECK of the account table).
ACCOUNT_LANGUAGES: tuple[str, ...] = ("mn", "en")
AttemptOutcome = Literal["failed", "succeeded", "refused"]
#: The pseudo-role of an installation administrator, which routes may name beside the team roles
#: (``opt={"roles": ...}``): it manages accounts and teams, and is no team role.
INSTALLATION_ADMIN: Final = "installation_admin"
#: What an API token may read: ``campaigns`` (questionnaires, campaigns, waves, reports) and
#: ``responses`` (raw answers). The CHECK of ``api_token.scopes``.
SCOPES: tuple[str, ...] = ("campaigns", "responses")
#: The team where ``create_account`` puts an account unless told otherwise (:data:`survey.db.teams.DEFAULT_TEAM`).
_DEFAULT_TEAM: Final = "default"


class Account(msgspec.Struct, frozen=True, kw_only=True):
    """A researcher's account (without its password hash)."""

    id: int
    email: str
    installation_admin: bool
    language: Language
    disabled_at: datetime | None
    created_at: datetime
    password_changed_at: datetime
    last_sign_in_at: datetime | None

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Account:
        return cls(**dict(row))


class Membership(msgspec.Struct, frozen=True, kw_only=True):
    """An account's role in one team."""

    team_id: int
    team: str
    """The team's key."""
    name: str | None
    role: Role


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """Who makes a request: the account, its teams and its role in each, whether it administers the
    installation, its interface language, and how it proved it (session or API token, with the token's
    scopes). ``language`` is what :func:`survey.web.i18n.request_language` reads."""

    account_id: int
    email: str
    installation_admin: bool = False
    teams: tuple[Membership, ...] = ()
    via: Literal["session", "token"]
    token_id: int | None = None
    scopes: frozenset[str] = frozenset(SCOPES)
    """What a token may read (:data:`SCOPES`); a session may read what its roles allow."""
    language: Language

    def role_in(self, team_id: int) -> Role | None:
        """The account's role in the team, or None when it is not a member."""
        return next((m.role for m in self.teams if m.team_id == team_id), None)

    def holds(self, roles: Iterable[str]) -> bool:
        """Whether the account has one of ``roles`` in some team (or is an installation administrator,
        when ``roles`` names :data:`INSTALLATION_ADMIN`)."""
        wanted = set(roles)
        if self.installation_admin and INSTALLATION_ADMIN in wanted:
            return True
        return any(m.role in wanted for m in self.teams)

    def teams_as(self, roles: Iterable[str]) -> tuple[Membership, ...]:
        """The teams in which the account has one of ``roles``."""
        wanted = set(roles)
        return tuple(m for m in self.teams if m.role in wanted)


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    account_id: int
    password_hash: str


class FailedSignIns(msgspec.Struct, frozen=True, kw_only=True):
    """Attempts counting against the limits, for one account and for one client, with the oldest of
    each (the limit lifts when it leaves the window)."""

    for_account: int
    account_oldest: datetime | None
    for_address: int
    address_oldest: datetime | None


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: datetime
    actor: str
    action: str
    campaign: str | None
    detail: dict[str, Any]
    n_rows: int | None
    finished_at: datetime | None


#: The longest email address there can be (RFC 5321: a path of 256 octets, less the angle brackets).
#: Checked before any query: a longer value could not even be indexed.
MAX_EMAIL_LENGTH = 254


def is_one_line(text: str, most: int) -> bool:
    """Whether a name (a team's, a token's) is one line of at most ``most`` characters: no control
    character, which no page could show and no log line should carry."""
    return len(text) <= most and not any(ord(c) < 32 or ord(c) == 127 for c in text)


def normalise_email(email: str) -> str:
    """Addresses are compared without case and surrounding spaces."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """The normalised address, or RuleBroken (an InvalidAnswer) saying what is wrong with it."""
    email = normalise_email(email)
    if len(email) > MAX_EMAIL_LENGTH:
        raise RuleBroken(
            f"an email address has at most {MAX_EMAIL_LENGTH} characters",
            reason="email_too_long",
            maximum=str(MAX_EMAIL_LENGTH),
        )
    if (
        "@" not in email
        or email.startswith("@")
        or email.endswith("@")
        or any(c.isspace() or ord(c) < 32 for c in email)
    ):
        raise RuleBroken(f'"{email}" is not an email address', reason="email_invalid", email=email)
    return email


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise RuleBroken(
            f'role must be one of {", ".join(ROLES)}, not "{role}"',
            reason="role_unknown",
            role=role,
        )
    return role  # type: ignore[return-value]


# -- accounts --------------------------------------------------------------------------------------


async def create_account(
    conn: asyncpg.Connection,
    email: str,
    *,
    role: str,
    password_hash: str,
    team: str = _DEFAULT_TEAM,
    installation_admin: bool | None = None,
) -> Account:
    """Store a new account with ``role`` in ``team`` (the default team unless named); AlreadyTaken (a
    Conflict) when the address is taken, RuleBroken (an InvalidAnswer) for a bad address or role,
    NotFound for an unknown team.

    ``installation_admin`` None (the command line's ``--role admin``) makes an administrator of the
    default team an administrator of the installation too, as an upgrade does with the administrators
    made before teams.
    """
    email = check_email(email)
    check_role(role)
    if installation_admin is None:
        installation_admin = role == "admin" and team == _DEFAULT_TEAM
    async with conn.transaction():
        team_id = await conn.fetchval(sql("team_id_by_key"), team)
        if team_id is None:
            raise NotFound(f'no team "{team}"')
        account_id = await conn.fetchval(
            sql("insert_account"), email, installation_admin, password_hash
        )
        if account_id is None:
            raise AlreadyTaken(
                f'an account "{email}" already exists', reason="account_exists", email=email
            )
        await conn.execute(sql("insert_first_membership"), team_id, account_id, role)
    return await get_account(conn, account_id)


async def get_account(conn: asyncpg.Connection, account_id: int) -> Account:
    row = await conn.fetchrow(sql("account_by_id"), account_id)
    if row is None:
        raise NotFound(f"no account with id {account_id}")
    return Account.from_row(row)


async def find_account(conn: asyncpg.Connection, email: str) -> Account | None:
    row = await conn.fetchrow(sql("account_by_email"), normalise_email(email))
    return None if row is None else Account.from_row(row)


async def get_account_by_email(conn: asyncpg.Connection, email: str) -> Account:
    found = await find_account(conn, email)
    if found is None:
        raise NotFound(f'no account "{normalise_email(email)}"')
    return found


async def list_accounts(conn: asyncpg.Connection) -> list[Account]:
    return [Account.from_row(r) for r in await conn.fetch(sql("list_accounts"))]


async def credentials(conn: asyncpg.Connection, email: str) -> Credentials | None:
    """The password hash of an enabled account, or None (unknown address or disabled account)."""
    row = await conn.fetchrow(sql("account_credentials"), normalise_email(email))
    return (
        None
        if row is None
        else Credentials(account_id=row["id"], password_hash=row["password_hash"])
    )


class CredentialsEnded(msgspec.Struct, frozen=True, kw_only=True):
    """What a new password ended: the account's other sessions and its API tokens."""

    sessions: int
    tokens: int


def _count(status: str) -> int:
    # asyncpg's status of an UPDATE: "UPDATE n".
    return int(status.rsplit(" ", 1)[-1])


async def _end_credentials(
    conn: asyncpg.Connection, account_id: int, *, keep_session: bytes | None = None
) -> CredentialsEnded:
    sessions = await conn.execute(sql("revoke_other_sessions_of"), account_id, keep_session)
    tokens = await conn.execute(sql("revoke_api_tokens_of"), account_id)
    await conn.execute(sql("revoke_password_resets_of"), account_id)
    return CredentialsEnded(sessions=_count(sessions), tokens=_count(tokens))


async def set_password_hash(
    conn: asyncpg.Connection, email: str, password_hash: str, *, keep_session: bytes | None = None
) -> CredentialsEnded:
    """Replace the password and end every session (but ``keep_session``, the hash of the one that asked),
    every API token and every unused reset link of the account: whoever knew the old password, or held
    something it made, is locked out."""
    async with conn.transaction():
        account_id = await conn.fetchval(
            sql("set_password_hash"), normalise_email(email), password_hash
        )
        if account_id is None:
            raise NotFound(f'no account "{normalise_email(email)}"')
        return await _end_credentials(conn, account_id, keep_session=keep_session)


async def rehash_password(
    conn: asyncpg.Connection, account_id: int, old_hash: str, new_hash: str
) -> None:
    await conn.execute(sql("rehash_password"), account_id, old_hash, new_hash)


async def set_installation_admin(conn: asyncpg.Connection, account_id: int, admin: bool) -> None:
    if await conn.fetchval(sql("set_installation_admin"), account_id, admin) is None:
        raise NotFound(f"no account with id {account_id}")


async def setup_needed(conn: asyncpg.Connection) -> bool:
    """True while the installation has no enabled administrator: the set-up page is open (with the code
    from the server's log)."""
    return not await conn.fetchval(sql("installation_admin_exists"))


async def any_account(conn: asyncpg.Connection) -> bool:
    return await conn.fetchval(sql("any_account"))


async def set_language(conn: asyncpg.Connection, account_id: int, language: str) -> None:
    """Keep the account's choice of interface language; InvalidAnswer for a language it cannot have."""
    if language not in ACCOUNT_LANGUAGES:
        raise InvalidAnswer(
            f'language must be one of {", ".join(ACCOUNT_LANGUAGES)}, not "{language}"'
        )
    if await conn.fetchval(sql("set_account_language"), account_id, language) is None:
        raise NotFound(f"no account with id {account_id}")


async def set_disabled(conn: asyncpg.Connection, account_id: int, disabled: bool) -> None:
    """Disable (or enable) an account; disabling ends its sessions and revokes its API tokens."""
    async with conn.transaction():
        if await conn.fetchval(sql("set_account_disabled"), account_id, disabled) is None:
            raise NotFound(f"no account with id {account_id}")
        if disabled:
            await conn.execute(sql("revoke_sessions_of"), account_id)
            await conn.execute(sql("revoke_api_tokens_of"), account_id)


async def mark_signed_in(conn: asyncpg.Connection, account_id: int) -> None:
    await conn.execute(sql("mark_signed_in"), account_id)


# -- sessions --------------------------------------------------------------------------------------


async def create_session(conn: asyncpg.Connection, token_hash: bytes, account_id: int) -> None:
    await conn.execute(sql("insert_session"), token_hash, account_id)


def _memberships(teams: list[dict[str, Any]]) -> tuple[Membership, ...]:
    return tuple(Membership(**m) for m in teams)


async def session_principal(
    conn: asyncpg.Connection, token_hash: bytes, *, idle: timedelta, absolute: timedelta
) -> Principal | None:
    """The account of a live session (and mark it seen), with its teams, or None when it expired or was
    revoked."""
    row = await conn.fetchrow(sql("touch_session"), token_hash, idle, absolute)
    if row is None:
        return None
    return Principal(
        account_id=row["id"],
        email=row["email"],
        installation_admin=row["installation_admin"],
        teams=_memberships(row["teams"]),
        language=row["language"],
        via="session",
    )


async def revoke_session(conn: asyncpg.Connection, token_hash: bytes) -> None:
    await conn.execute(sql("revoke_session"), token_hash)


async def delete_old_sessions(conn: asyncpg.Connection, absolute: timedelta) -> None:
    await conn.execute(sql("delete_old_sessions"), absolute)


# -- sign-in attempts ------------------------------------------------------------------------------


async def begin_sign_in_attempt(
    conn: asyncpg.Connection, email: str, client_key: bytes | None = None
) -> int:
    """Record an attempt as pending (it counts against the limits from now on); return its id."""
    return await conn.fetchval(sql("insert_sign_in_attempt"), normalise_email(email), client_key)


async def finish_sign_in_attempt(
    conn: asyncpg.Connection, attempt_id: int, outcome: AttemptOutcome
) -> None:
    await conn.execute(sql("finish_sign_in_attempt"), attempt_id, outcome)


async def failed_sign_ins(
    conn: asyncpg.Connection, email: str, client_key: bytes | None, *, window: timedelta
) -> FailedSignIns:
    row = await conn.fetchrow(sql("failed_sign_ins"), normalise_email(email), client_key, window)
    return FailedSignIns(**dict(row))


async def delete_old_sign_in_attempts(conn: asyncpg.Connection, older_than: timedelta) -> None:
    await conn.execute(sql("delete_old_sign_in_attempts"), older_than)


async def forget_client_keys(conn: asyncpg.Connection, older_than: timedelta) -> None:
    """Erase the client hashes of attempts older than ``older_than`` (the throttling window)."""
    await conn.execute(sql("forget_sign_in_client_keys"), older_than)


# -- API tokens ------------------------------------------------------------------------------------


class ApiToken(msgspec.Struct, frozen=True, kw_only=True):
    """A personal API token as its owner (and ``survey tokens list``) sees it: never the secret."""

    id: int
    email: str
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime) -> Literal["active", "expired", "revoked"]:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if now < self.expires_at else "expired"

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> ApiToken:
        return cls(**{**dict(row), "scopes": tuple(row["scopes"])})


def check_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """The scopes in :data:`SCOPES` order; RuleBroken when there is none or one is unknown."""
    given = set(scopes)
    unknown = sorted(given - set(SCOPES))
    if unknown or not given:
        raise RuleBroken(
            f"a token's scope is one or both of {', '.join(SCOPES)}"
            + (f', not "{unknown[0]}"' if unknown else ""),
            reason="token_scope_invalid",
        )
    return tuple(s for s in SCOPES if s in given)


async def create_api_token(
    conn: asyncpg.Connection,
    account_id: int,
    token_hash: bytes,
    name: str,
    *,
    scopes: Iterable[str],
    lifetime: timedelta,
) -> ApiToken:
    """Store a token's hash with its name, scopes and lifetime from now (the rules are
    :mod:`survey.console.auth`'s); the token as stored."""
    row = await conn.fetchrow(
        sql("insert_api_token"), token_hash, account_id, name, list(check_scopes(scopes)), lifetime
    )
    return ApiToken.from_row(row)


async def token_principal(conn: asyncpg.Connection, token_hash: bytes) -> Principal | None:
    """The account behind a live API token (neither revoked nor expired, its owner enabled), with the
    account's current teams and roles and the token's scopes, or None."""
    row = await conn.fetchrow(sql("use_api_token"), token_hash)
    if row is None:
        return None
    return Principal(
        account_id=row["id"],
        email=row["email"],
        installation_admin=row["installation_admin"],
        teams=_memberships(row["teams"]),
        language=row["language"],
        via="token",
        token_id=row["token_id"],
        scopes=frozenset(row["scopes"]),
    )


async def list_api_tokens(
    conn: asyncpg.Connection, account_id: int | None = None
) -> list[ApiToken]:
    """The tokens of one account (every account's when None), newest first, revoked and expired ones
    included."""
    return [ApiToken.from_row(r) for r in await conn.fetch(sql("list_api_tokens"), account_id)]


async def revoke_api_token(
    conn: asyncpg.Connection, token_id: int, *, account_id: int | None = None
) -> ApiToken:
    """Revoke one token (of ``account_id`` only, when given); NotFound when there is no such token."""
    row = await conn.fetchrow(sql("revoke_api_token"), token_id, account_id)
    if row is None:
        raise NotFound(f"no API token {token_id}")
    return ApiToken.from_row(row)


async def revoke_api_tokens_of(conn: asyncpg.Connection, account_id: int) -> int:
    """Revoke every live token of the account; how many."""
    return _count(await conn.execute(sql("revoke_api_tokens_of"), account_id))


# -- password reset links and the set-up code ------------------------------------------------------


class PasswordReset(msgspec.Struct, frozen=True, kw_only=True):
    """A live reset link: whose password it sets, and until when."""

    account_id: int
    email: str
    expires_at: datetime
    language: Language


async def start_password_reset(
    conn: asyncpg.Connection,
    account_id: int,
    token_hash: bytes,
    *,
    locked_hash: str,
    expires_at: datetime,
    created_by: int | None,
) -> CredentialsEnded:
    """Make a reset link for an account: its password is replaced by ``locked_hash`` (the hash of a secret
    nobody knows), its sessions, tokens and earlier links end, and only the new link lets anyone in."""
    async with conn.transaction():
        if await conn.fetchval(sql("lock_password"), account_id, locked_hash) is None:
            raise NotFound(f"no account with id {account_id}")
        ended = await _end_credentials(conn, account_id)
        await conn.execute(
            sql("insert_password_reset"), token_hash, account_id, created_by, expires_at
        )
    return ended


async def password_reset(conn: asyncpg.Connection, token_hash: bytes) -> PasswordReset | None:
    """The live reset link with this hash (not used, not expired, its account enabled), or None."""
    row = await conn.fetchrow(sql("password_reset_by_hash"), token_hash)
    return None if row is None else PasswordReset(**dict(row))


async def finish_password_reset(
    conn: asyncpg.Connection, token_hash: bytes, password_hash: str
) -> PasswordReset | None:
    """Use a reset link once: set the new password; None when the link is used, expired or unknown (a
    second use of the same link, even at the same moment, finds it used)."""
    async with conn.transaction():
        row = await conn.fetchrow(sql("use_password_reset"), token_hash)
        if row is None:
            return None
        await conn.execute(sql("set_password_hash_of"), row["account_id"], password_hash)
        await _end_credentials(conn, row["account_id"])
    return PasswordReset(**dict(row))


async def replace_setup_code(conn: asyncpg.Connection, code_hash: bytes) -> None:
    """Keep the hash of a new set-up code (the one printed in the log now); the earlier one stops
    working."""
    await conn.execute(sql("replace_setup_code"), code_hash)


async def use_setup_code(conn: asyncpg.Connection, code_hash: bytes) -> bool:
    """Mark the set-up code used if ``code_hash`` is its hash and it is unused; whether it was. Inside the
    caller's transaction, so that the code and the administrator it makes stand or fall together."""
    return bool(await conn.fetchval(sql("use_setup_code"), code_hash))


# -- audit log -------------------------------------------------------------------------------------


async def record_audit(
    conn: asyncpg.Connection,
    *,
    action: str,
    actor: str,
    account_id: int | None = None,
    campaign_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Write an audit entry; return its id (to record the row count when the work finishes)."""
    return await conn.fetchval(
        sql("insert_audit"), account_id, actor, action, campaign_id, detail or {}
    )


async def finish_audit(conn: asyncpg.Connection, audit_id: int, n_rows: int) -> None:
    await conn.execute(sql("finish_audit"), audit_id, n_rows)


async def list_audit(
    conn: asyncpg.Connection, *, before: int | None = None, limit: int = 100
) -> list[AuditEntry]:
    rows = await conn.fetch(sql("list_audit"), before, limit)
    return [AuditEntry(**dict(r)) for r in rows]
