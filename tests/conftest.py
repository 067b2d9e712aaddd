"""Shared fixtures: one embedded PostgreSQL per test session, a template database migrated once, a fresh
clone of it for every test that asks for a database; the application on that database, and a test client
of it.

Fixtures used in several directories live here, found by pytest without an import; the helpers they and
the tests call live in ``tests/helpers.py`` (a test module never imports another test module).
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from hypothesis import settings as hypothesis_settings
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.db.migrate import migrate
from survey.db.pool import connect, create_pool
from survey.db.server import start_embedded, with_database
from survey.settings import Settings
from tests.helpers import (
    FORMS,
    StreamingReplica,
    Study,
    execute,
    make_study,
    server_data_dir,
    streaming_replica,
)

# No time limit per example: the machines that run the suite are shared, and a slow example on a busy
# machine is not a failure of the code (speed is measured by benchmarks/, never by tests).
hypothesis_settings.register_profile("survey", deadline=None)
hypothesis_settings.load_profile("survey")

TEMPLATE = "survey_template"


async def _migrate(url: str) -> None:
    conn = await connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of the session's embedded server (its ``postgres`` database)."""
    directory = server_data_dir()
    server = start_embedded(directory, cleanup_mode="delete")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def template_database(pg_server_url: str) -> str:
    asyncio.run(execute(pg_server_url, f'CREATE DATABASE "{TEMPLATE}"'))
    asyncio.run(_migrate(with_database(pg_server_url, TEMPLATE)))
    return TEMPLATE


@pytest.fixture
def database_url(pg_server_url: str, template_database: str) -> Iterator[str]:
    """A migrated database of this test's own, cloned from the template."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    asyncio.run(execute(pg_server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"'))
    try:
        yield with_database(pg_server_url, name)
    finally:
        asyncio.run(execute(pg_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_database_url(pg_server_url: str) -> Iterator[str]:
    """A database with no schema at all."""
    name = f"empty_{uuid.uuid4().hex[:16]}"
    asyncio.run(execute(pg_server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(pg_server_url, name)
    finally:
        asyncio.run(execute(pg_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(database_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A small pool on the test's database, for code that takes connections only while it needs them."""
    connections = await create_pool(database_url, max_size=2)
    try:
        yield connections
    finally:
        await connections.close()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-not-for-production",
        base_url="http://testserver",
        forms_dir=FORMS,
        # The warm-up would make summaries behind a test's back; its tests start it themselves.
        report_warmup=0,
    )


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Settings:
    """Environment for calling ``survey.cli.main`` in-process against this test's database."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("SURVEY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SURVEY_SECRET_KEY", settings.secret_key or "")
    monkeypatch.setenv("SURVEY_BASE_URL", settings.base_url)
    monkeypatch.setenv("SURVEY_LOG_LEVEL", "WARNING")
    return settings


@pytest.fixture(name="app")
def app_fixture(settings: Settings) -> Litestar:
    """The whole application on this test's database (its lifespan runs in the client that opens it)."""
    return create_app(settings, database_url=settings.database_url)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    """A test client of the whole application (an application of its own), on this test's database."""
    app = create_app(settings, database_url=settings.database_url)
    async with AsyncTestClient(app) as test_client:
        # Redirects are part of what is tested (sign-in, post-redirect-get).
        test_client.follow_redirects = False
        yield test_client


@pytest.fixture
async def study(db: asyncpg.Connection) -> Study:
    """The two-version study of ``tests/helpers.py`` (:func:`make_study`) on this test's database."""
    return await make_study(db)


@pytest.fixture(scope="module")
def replica() -> Iterator[StreamingReplica]:
    """A primary embedded server with a migrated database and a hot standby streaming its log, for the
    tests of one module (their campaigns have keys of their own); stopped and removed afterwards."""
    with streaming_replica("survey") as found:
        yield found
