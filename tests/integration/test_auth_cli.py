"""`survey users create|set-password` and `survey tokens create`: one clear line for every mistake."""

from __future__ import annotations

import asyncio
import getpass
import io
import sys

import pytest

from survey.cli import main
from survey.console import auth
from survey.db import accounts as accounts_db
from survey.db import teams as teams_db
from survey.db.pool import connect
from survey.settings import Settings

GOOD = "a long enough password"


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def credentials(settings: Settings, email: str):
    async def read():
        conn = await connect(settings.database_url or "")
        try:
            return await accounts_db.credentials(conn, email), await accounts_db.find_account(
                conn, email
            )
        finally:
            await conn.close()

    return asyncio.run(read())


def teams_of(settings: Settings, account_id: int):
    async def read():
        conn = await connect(settings.database_url or "")
        try:
            return await teams_db.memberships_of(conn, account_id)
        finally:
            await conn.close()

    return asyncio.run(read())


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_create_reads_the_password_from_stdin(cli_env: Settings, capsys, monkeypatch) -> None:
    code, out, err = run(capsys, monkeypatch, "users", "create", "Ana@Example.org", "--role",
                         "researcher", stdin=GOOD + "\n")  # fmt: skip
    assert (code, out, err) == (0, "created account ana@example.org (researcher)\n", "")
    found, account = credentials(cli_env, "ana@example.org")
    assert found.password_hash.startswith("$argon2id$") and not account.installation_admin
    assert [(m.team, m.role) for m in teams_of(cli_env, account.id)] == [("default", "researcher")]
    assert auth._verify(found.password_hash, GOOD)  # the newline is not part of the password


def test_create_prompts_twice_on_a_terminal(cli_env: Settings, capsys, monkeypatch) -> None:
    answers = iter([GOOD, GOOD + "!"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})())
    code = main(["users", "create", "bo@example.org", "--role", "admin"])
    assert code == 1
    assert one_error_line(capsys.readouterr().err) == "error: the two passwords differ"
    answers = iter([GOOD, GOOD])
    assert main(["users", "create", "bo@example.org", "--role", "admin"]) == 0


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["users", "create", "c@example.org", "--role", "analyst"], "short\n",
         "error: a password needs at least 10 characters"),
        (["users", "create", "c@example.org", "--role", "analyst"], "",
         "error: a password needs at least 10 characters"),
        (["users", "create", "not-an-address", "--role", "analyst"], GOOD,
         'error: "not-an-address" is not an email address'),
        (["users", "set-password", "nobody@example.org"], GOOD, 'error: no account "nobody@example.org"'),
        (["tokens", "create", "nobody@example.org"], "", 'error: no account "nobody@example.org"'),
    ],
)  # fmt: skip
def test_mistakes_print_one_line(cli_env, capsys, monkeypatch, argv, stdin, message) -> None:
    code, out, err = run(capsys, monkeypatch, *argv, stdin=stdin)
    assert code == 1 and out == ""
    assert one_error_line(err) == message


def test_a_taken_address_and_a_bad_role(cli_env: Settings, capsys, monkeypatch) -> None:
    assert run(capsys, monkeypatch, "users", "create", "d@example.org", "--role", "viewer",
               stdin=GOOD)[0] == 0  # fmt: skip
    code, _, err = run(capsys, monkeypatch, "users", "create", "D@example.org", "--role", "viewer",
                       stdin=GOOD)  # fmt: skip
    assert code == 1 and one_error_line(err) == 'error: an account "d@example.org" already exists'
    with pytest.raises(SystemExit) as exit:
        main(["users", "create", "e@example.org", "--role", "boss"])
    err = capsys.readouterr().err
    assert exit.value.code == 2 and "invalid choice: 'boss'" in err and "Traceback" not in err


def test_set_password_ends_sessions(cli_env: Settings, capsys, monkeypatch) -> None:
    run(capsys, monkeypatch, "users", "create", "f@example.org", "--role", "analyst", stdin=GOOD)

    async def open_session() -> bytes:
        conn = await connect(cli_env.database_url or "")
        try:
            account = await accounts_db.get_account_by_email(conn, "f@example.org")
            return auth.hash_token(await auth.start_session(conn, account.id, None))
        finally:
            await conn.close()

    session = asyncio.run(open_session())
    code, out, _ = run(capsys, monkeypatch, "users", "set-password", "f@example.org",
                       stdin="another good password\n")  # fmt: skip
    assert code == 0 and out == (
        "new password set for f@example.org; their sessions have ended and 0 API tokens were "
        "revoked\n"
    )
    found, _ = credentials(cli_env, "f@example.org")
    assert auth._verify(found.password_hash, "another good password")
    assert not auth._verify(found.password_hash, GOOD)

    async def alive() -> bool:
        conn = await connect(cli_env.database_url or "")
        try:
            return bool(
                await accounts_db.session_principal(
                    conn, session, idle=auth.SESSION_IDLE, absolute=auth.SESSION_ABSOLUTE
                )
            )
        finally:
            await conn.close()

    assert not asyncio.run(alive())


def test_tokens_are_printed_once_and_stored_hashed(cli_env: Settings, capsys, monkeypatch) -> None:
    run(capsys, monkeypatch, "users", "create", "g@example.org", "--role", "analyst", stdin=GOOD)
    code, out, err = run(
        capsys, monkeypatch, "tokens", "create", "g@example.org", "--name", "R script"
    )
    assert code == 0 and "shown only this once" in err
    token = out.strip()
    assert token.startswith(auth.API_TOKEN_PREFIX) and len(token) > 40

    async def owner():
        conn = await connect(cli_env.database_url or "")
        try:
            name = await conn.fetchval("SELECT name FROM api_token")
            return name, await accounts_db.token_principal(conn, auth.hash_token(token))
        finally:
            await conn.close()

    name, principal = asyncio.run(owner())
    assert name == "R script" and principal.email == "g@example.org"
    assert [m.role for m in principal.teams] == ["analyst"]
    # Without --scope it reads campaigns only, and it expires (30 days unless --days says otherwise).
    assert principal.scopes == {"campaigns"}
