"""Fixtures of the security tests: browsers of the whole application on this test's database, signed in
with a role, each holding a CSRF token of its own session; a ``survey serve`` of the module's own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db.campaigns import Campaign
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_file
from tests.helpers import FORMS, Server, csrf_token_for, password_hash, running_server


class Browser:
    """One browser of the application: its own cookies, its requests sent through the test's one client
    (one client per application: two would each run the application's lifespan, and its pool)."""

    def __init__(self, client: AsyncTestClient) -> None:
        self.client = client
        self.cookies = httpx.Cookies()
        self.csrf = ""

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.client.cookies = self.cookies
        try:
            return await self.client.request(method, url, **kwargs)
        finally:
            self.cookies = self.client.cookies

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)


OpenBrowser = Callable[[str], Awaitable[Browser]]


@pytest.fixture
async def browser(app: Litestar, db: asyncpg.Connection) -> AsyncIterator[OpenBrowser]:
    """``await browser(role)``: a browser signed in as a new account of that role (``""``: nobody),
    whose ``csrf`` is a CSRF token of its session. Redirects are not followed."""
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        opened = 0

        async def open_browser(role: str) -> Browser:
            nonlocal opened
            opened += 1
            browser = Browser(client)
            session = None
            if role:
                account = await accounts_db.create_account(
                    db, f"{role}{opened}@example.org", role=role, password_hash=password_hash()
                )
                # These tests read the console's refusals in English; both languages are the console's
                # own tests' concern (tests/integration/test_console_ways.py).
                await accounts_db.set_language(db, account.id, "en")
                session = await auth.start_session(db, account.id, None)
            client.cookies = browser.cookies
            browser.csrf = await csrf_token_for(client, session)
            browser.cookies = client.cookies
            return browser

        yield open_browser


@pytest.fixture
async def campaign(db: asyncpg.Connection) -> Campaign:
    """Campaign ``tip`` on the shipped trafficking questionnaire, with a pre wave ``tip-pre``."""
    await publish(db, load_file(FORMS / "trafficking-knowledge.yaml"))
    found = await campaigns_db.create_campaign(
        db, "tip", questionnaire="trafficking-knowledge", design="independent"
    )
    await campaigns_db.add_wave(db, "tip", phase="pre")
    return found


@pytest.fixture(scope="module")
def server(pg_server_url: str, template_database: str) -> Iterator[Server]:
    """A ``survey serve`` of this test module's own, with the default settings (a module that needs
    others overrides this fixture)."""
    with running_server(pg_server_url, template_database) as running:
        yield running
