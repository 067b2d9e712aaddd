"""Easy passwords are refused everywhere a password is set (issue 12, finding 10).

The attack: only the length was checked, so ``aaaaaaaaaa`` was a valid password, and so was anything on
the lists every password-guessing tool starts with. ``auth.check_password`` is the one place for the
rule; the console's account form and ``survey users create`` / ``set-password`` both go through it.
"""

from __future__ import annotations

import io
import sys

import asyncpg
import pytest

from survey.cli import main
from survey.console import auth
from survey.console.messages import CATALOGUE as CONSOLE_MESSAGES
from survey.errors import InvalidAnswer
from survey.settings import Settings
from tests.helpers import visible_text
from tests.security.conftest import OpenBrowser

EMAIL = "ana.researcher@example.org"
# Each at least 10 characters, so that only the new rule can refuse it.
EASY = [
    "aaaaaaaaaa",  # a repeat: the finding's own example
    "abcabcabcabc",  # a repeated pattern
    "1234567890",  # a sequence
    "qwertyuiop",  # a keyboard row
    "password123",  # on every common-password list
    "iloveyou2024",  # a common password and a year
    "P@ssw0rd2024",  # a common password in disguise
    EMAIL,  # the account's own address
    "anaresearcher2024",  # ... or its name
]
GOOD = ["correct horse battery staple", "монгол улс сайхан орон", "Tr0ub4dor&3x!"]


@pytest.mark.parametrize("password", EASY)
def test_the_rule_refuses_easy_passwords(password: str) -> None:
    with pytest.raises(InvalidAnswer, match="this password is too easy to guess"):
        auth.check_password(password, email=EMAIL)


@pytest.mark.parametrize("password", GOOD)
def test_the_rule_accepts_long_unguessable_passwords(password: str) -> None:
    assert auth.check_password(password, email=EMAIL) == password


async def test_the_console_refuses_an_easy_password_and_keeps_what_was_typed(
    browser: OpenBrowser, db: asyncpg.Connection
) -> None:
    admin = await browser("admin")
    for password in EASY:
        sent = await admin.post(
            "/console/users",
            data={
                "email": EMAIL,
                "role": "viewer",
                "password": password,
                "_csrf_token": admin.csrf,
            },
        )
        assert sent.status_code == 400, password
        shown = visible_text(sent.text)
        assert CONSOLE_MESSAGES.translate("error.password_weak", "en") in shown, password
        assert f'value="{EMAIL}"' in sent.text  # the form comes back with the address kept
    assert await db.fetchval("SELECT count(*) FROM account WHERE email = $1", EMAIL) == 0
    created = await admin.post(
        "/console/users",
        data={"email": EMAIL, "role": "viewer", "password": GOOD[0], "_csrf_token": admin.csrf},
    )
    assert created.status_code == 303
    assert await db.fetchval("SELECT count(*) FROM account WHERE email = $1", EMAIL) == 1


def _cli(monkeypatch: pytest.MonkeyPatch, capsys, *argv: str, stdin: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_the_command_line_refuses_an_easy_password(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    for password in ("aaaaaaaaaa", "password123", EMAIL):
        code, err = _cli(
            monkeypatch, capsys, "users", "create", EMAIL, "--role", "researcher",
            stdin=password + "\n",
        )  # fmt: skip
        assert code == 1 and "this password is too easy to guess" in err, (password, err)
    code, err = _cli(
        monkeypatch, capsys, "users", "create", EMAIL, "--role", "researcher", stdin=GOOD[0] + "\n"
    )
    assert code == 0, err
    code, err = _cli(monkeypatch, capsys, "users", "set-password", EMAIL, stdin="qwertyuiop\n")
    assert code == 1 and "this password is too easy to guess" in err, err
