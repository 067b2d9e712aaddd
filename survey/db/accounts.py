"""Accounts of researchers, their sessions and API tokens, sign-in attempts and the audit log.

This module stores and reads; it never sees a password or a raw session id. Hashing (argon2id for
passwords, SHA-256 for session ids and tokens) happens in :mod:`survey.console.auth`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

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


class Account(msgspec.Struct, frozen=True, kw_only=True):
    """A researcher's account (without its password hash)."""

    id: int
    email: str
    role: Role
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


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """Who makes a request: the account, its role, its interface language, and how it proved it (session
    or API token). ``language`` is what :func:`survey.web.i18n.request_language` reads."""

    account_id: int
    email: str
    role: Role
    via: Literal["session", "token"]
    token_id: int | None = None
    language: Language


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
    conn: asyncpg.Connection, email: str, *, role: str, password_hash: str
) -> Account:
    """Store a new account; AlreadyTaken (a Conflict) when the address is taken, RuleBroken (an
    InvalidAnswer) for a bad address or role."""
    email = check_email(email)
    check_role(role)
    account_id = await conn.fetchval(sql("insert_account"), email, role, password_hash)
    if account_id is None:
        raise AlreadyTaken(
            f'an account "{email}" already exists', reason="account_exists", email=email
        )
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


async def set_password_hash(conn: asyncpg.Connection, email: str, password_hash: str) -> None:
    """Replace the password and end every session of the account (a new password locks others out)."""
    async with conn.transaction():
        account_id = await conn.fetchval(
            sql("set_password_hash"), normalise_email(email), password_hash
        )
        if account_id is None:
            raise NotFound(f'no account "{normalise_email(email)}"')
        await conn.execute(sql("revoke_sessions_of"), account_id)


async def rehash_password(
    conn: asyncpg.Connection, account_id: int, old_hash: str, new_hash: str
) -> None:
    await conn.execute(sql("rehash_password"), account_id, old_hash, new_hash)


async def set_role(conn: asyncpg.Connection, account_id: int, role: str) -> None:
    check_role(role)
    if await conn.fetchval(sql("set_account_role"), account_id, role) is None:
        raise NotFound(f"no account with id {account_id}")


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


async def session_principal(
    conn: asyncpg.Connection, token_hash: bytes, *, idle: timedelta, absolute: timedelta
) -> Principal | None:
    """The account of a live session (and mark it seen), or None when it expired or was revoked."""
    row = await conn.fetchrow(sql("touch_session"), token_hash, idle, absolute)
    if row is None:
        return None
    return Principal(
        account_id=row["id"],
        email=row["email"],
        role=row["role"],
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


async def create_api_token(
    conn: asyncpg.Connection, account_id: int, token_hash: bytes, name: str = ""
) -> int:
    return await conn.fetchval(sql("insert_api_token"), token_hash, account_id, name)


async def token_principal(conn: asyncpg.Connection, token_hash: bytes) -> Principal | None:
    """The account behind a live API token, with the account's current role, or None."""
    row = await conn.fetchrow(sql("use_api_token"), token_hash)
    if row is None:
        return None
    return Principal(
        account_id=row["id"],
        email=row["email"],
        role=row["role"],
        language=row["language"],
        via="token",
        token_id=row["token_id"],
    )


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
