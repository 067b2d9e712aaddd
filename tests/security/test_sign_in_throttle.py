"""Nobody can lock everybody out, and a locked account's owner knows what to do (issue 12, finding 7).

The attack: 101 failed sign-ins with random unknown addresses within 30 seconds; the server then refused
even the administrator's correct password (one limit over all accounts). Now sign-ins are throttled per
account and per client address, never globally. Against a real ``survey serve`` behind a (simulated)
reverse proxy at 127.0.0.1, which names each client in ``X-Forwarded-For``: the setting
``SURVEY_TRUSTED_PROXIES`` says to believe it. Without that setting the header is ignored, so a client
cannot escape its own limit by writing a new address into every request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
from collections.abc import Iterator
from datetime import timedelta

import asyncpg
import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import auth
from survey.console.messages import CATALOGUE as CONSOLE_MESSAGES
from survey.db import accounts as accounts_db
from survey.settings import Settings
from survey.web.security import client_address
from tests.helpers import PASSWORD, Server, form_token, running_server

pytestmark = pytest.mark.slow

ADMIN = "admin@example.org"
ADMIN_ADDRESS = "198.51.100.20"  # the administrator's office, as the proxy sees it
ATTACKER = "203.0.113.7"

SIGN_IN = CONSOLE_MESSAGES.bound("mn")


@pytest.fixture(scope="module")
def server(pg_server_url: str, template_database: str) -> Iterator[Server]:
    env = {"SURVEY_TRUSTED_PROXIES": "127.0.0.1", "SURVEY_SIGN_IN_ADDRESS_FAILURES": "20"}
    with running_server(pg_server_url, template_database, env=env) as running:
        running.create_user(ADMIN, "admin")
        yield running


def _random_address() -> str:
    """An address in 100.64.0.0/10: never the proxy's own."""
    return str(ipaddress.IPv4Address(0x64400000 + secrets.randbelow(1 << 22)))


def _browser(server: Server, address: str) -> httpx.Client:
    """A browser whose requests reach the server through the proxy that names ``address``."""
    return httpx.Client(
        base_url=server.url, follow_redirects=False, timeout=60,
        headers={"x-forwarded-for": address},
    )  # fmt: skip


def _sign_in(server: Server, email: str, password: str, address: str) -> httpx.Response:
    with _browser(server, address) as browser:
        token = form_token(browser, "/sign-in")
        return browser.post(
            "/sign-in", data={"email": email, "password": password, "_csrf_token": token}
        )


def _attack(server: Server, addresses: list[str]) -> list[int]:
    """One failed sign-in with a random unknown address from each of ``addresses``, in turn (one
    browser per address, which keeps its sign-in form); the status of each."""
    browsers: dict[str, tuple[httpx.Client, str]] = {}
    statuses = []
    try:
        for address in addresses:
            if address not in browsers:
                browser = _browser(server, address)
                browsers[address] = (browser, form_token(browser, "/sign-in"))
            browser, token = browsers[address]
            email = f"{secrets.token_hex(6)}@example.org"
            sent = browser.post(
                "/sign-in", data={"email": email, "password": "wrong", "_csrf_token": token}
            )
            statuses.append(sent.status_code)
    finally:
        for browser, _ in browsers.values():
            browser.close()
    return statuses


def _seed_failures(
    server: Server, n: int, *, email: str | None = None, address: str | None = None
) -> None:
    """``n`` failed attempts in the database, as earlier requests of the attack left them (each checks a
    password with argon2, a good half second of CPU here: replaying them all would only be slower).
    Random addresses and accounts unless ``email`` or ``address`` is given."""
    secret = server.env["SURVEY_SECRET_KEY"]

    async def seed() -> None:
        conn = await asyncpg.connect(server.env["DATABASE_URL"])
        try:
            await conn.executemany(
                "INSERT INTO sign_in_attempt (email, client_key, outcome) VALUES ($1, $2, 'failed')",
                [
                    (
                        email or f"{secrets.token_hex(6)}@example.org",
                        auth.client_key(address or _random_address(), secret),
                    )
                    for _ in range(n)
                ],
            )
        finally:
            await conn.close()

    asyncio.run(seed())


def _clear_attempts(server: Server) -> None:
    async def clear() -> None:
        conn = await asyncpg.connect(server.env["DATABASE_URL"])
        try:
            await conn.execute("DELETE FROM sign_in_attempt")
        finally:
            await conn.close()

    asyncio.run(clear())


def test_a_hundred_and_one_failures_from_everywhere_lock_nobody_out(server: Server) -> None:
    _clear_attempts(server)
    _seed_failures(server, 99)
    # The last two of the 101 through the server: each checked, and wrong; no limit was reached.
    assert _attack(server, [_random_address(), _random_address()]) == [400, 400]
    signed = _sign_in(server, ADMIN, PASSWORD, ADMIN_ADDRESS)
    assert signed.status_code == 303, signed.text[-600:]


def test_a_hundred_and_one_failures_from_one_client_stop_that_client_only(server: Server) -> None:
    _clear_attempts(server)
    _seed_failures(server, 19, address=ATTACKER)
    # The 20th failure is still checked; the 81 after it are refused without checking anything.
    statuses = _attack(server, [ATTACKER] * 82)
    assert statuses == [400] + [429] * 81, statuses
    # The attacker's own correct guess would be refused too, and says why.
    refused = _sign_in(server, ADMIN, PASSWORD, ATTACKER)
    assert refused.status_code == 429
    # The sign-in page speaks Mongolian unless asked otherwise.
    assert SIGN_IN("sign_in.refused.address_limit", minutes=15)[:40] in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    # Everyone else signs in.
    assert _sign_in(server, ADMIN, PASSWORD, ADMIN_ADDRESS).status_code == 303


def test_a_locked_account_tells_its_owner_what_to_do_and_a_new_password_unlocks_it(
    server: Server,
) -> None:
    _clear_attempts(server)
    server.create_user("lead@example.org", "viewer")
    _seed_failures(server, 4, email="lead@example.org")  # guesses from all over
    wrong = _sign_in(server, "lead@example.org", "a guess, wrong", _random_address())
    assert wrong.status_code == 400
    locked = _sign_in(server, "lead@example.org", PASSWORD, ADMIN_ADDRESS)
    assert locked.status_code == 429
    assert SIGN_IN("sign_in.refused.account_limit", minutes=15)[:60] in locked.text
    assert "администратороос шинэ нууц үг" in locked.text  # what to do: ask for a new password
    # Other accounts are not locked.
    assert _sign_in(server, ADMIN, PASSWORD, ADMIN_ADDRESS).status_code == 303
    # The administrator sets a new password; the owner signs in with it at once.
    server.cli("users", "set-password", "lead@example.org", stdin="a brand new passphrase here\n")
    unlocked = _sign_in(server, "lead@example.org", "a brand new passphrase here", ADMIN_ADDRESS)
    assert unlocked.status_code == 303


# -- whose address counts ----------------------------------------------------------------------------


def _scope(peer: str, forwarded: str | None) -> dict:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"type": "http", "client": (peer, 50000), "headers": headers}


PROXIED = Settings(trusted_proxies=(ipaddress.ip_network("10.0.0.0/8"),))


@pytest.mark.parametrize(
    ("settings", "peer", "forwarded", "expected"),
    [
        # No trusted proxy configured: the header is nobody's word.
        (Settings(), "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # A trusted proxy: the address it appended, the rightmost one.
        (PROXIED, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # ... whatever the client wrote to the left of it.
        (PROXIED, "10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # ... past a chain of trusted proxies.
        (PROXIED, "10.0.0.2", "198.51.100.1, 10.0.0.9", "198.51.100.1"),
        # A request from outside that claims a header: not from the proxy, so not believed.
        (PROXIED, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # A proxy that names nobody, or garbage: its own address (all its clients share one limit).
        (PROXIED, "10.0.0.2", None, "10.0.0.2"),
        (PROXIED, "10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
)
def test_the_forwarded_header_is_believed_only_from_a_trusted_proxy(
    settings: Settings, peer: str, forwarded: str | None, expected: str
) -> None:
    assert client_address(_scope(peer, forwarded), settings) == expected  # type: ignore[arg-type]


async def test_a_client_cannot_escape_its_limit_by_naming_other_addresses(
    settings: Settings, db: asyncpg.Connection
) -> None:
    """No trusted proxy configured (the default): a new X-Forwarded-For on every attempt changes
    nothing, the client's own connection is what is counted."""
    await accounts_db.create_account(
        db, ADMIN, role="admin", password_hash=auth.hash_password(PASSWORD)
    )
    limit = 3  # fewer than the default 20, each failure costing an argon2 check
    settings = msgspec.structs.replace(settings, sign_in_address_failures=limit)
    app = create_app(settings, database_url=settings.database_url)
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        statuses = []
        for n in range(limit + 1):
            client.headers["x-forwarded-for"] = _random_address()
            token = await _token(client)
            sent = await client.post(
                "/sign-in",
                data={"email": f"guess{n}@example.org", "password": "x", "_csrf_token": token},
            )
            statuses.append(sent.status_code)
    assert statuses == [400] * limit + [429]
    assert await db.fetchval("SELECT count(DISTINCT client_key) FROM sign_in_attempt") == 1


async def _token(client: AsyncTestClient) -> str:
    page = await client.get("/sign-in")
    return page.text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]


async def test_the_database_keeps_no_address_and_forgets_the_hash_after_the_window(
    settings: Settings, db: asyncpg.Connection
) -> None:
    app = create_app(settings, database_url=settings.database_url)
    async with AsyncTestClient(app) as client:
        token = await _token(client)
        await client.post(
            "/sign-in", data={"email": "who@example.org", "password": "x", "_csrf_token": token}
        )
    rows = await db.fetch("SELECT * FROM sign_in_attempt")
    assert len(rows) == 1
    key = rows[0]["client_key"]
    # A keyed hash of the address (litestar's test client is "testclient"), not the address.
    assert key == auth.client_key("testclient", settings.resolved_secret_key())
    assert b"testclient" not in b"".join(str(v).encode() for v in rows[0].values())
    window = timedelta(minutes=settings.sign_in_window)
    await accounts_db.forget_client_keys(db, window)
    assert await db.fetchval("SELECT client_key FROM sign_in_attempt") == key  # still counting
    await db.execute(
        "UPDATE sign_in_attempt SET attempted_at = attempted_at - $1::interval", window
    )
    await accounts_db.forget_client_keys(db, window)
    assert await db.fetchval("SELECT client_key FROM sign_in_attempt") is None
