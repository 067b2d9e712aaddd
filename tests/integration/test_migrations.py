"""Migrating an empty database yields the expected schema, and migrating again changes nothing."""

from __future__ import annotations

import asyncpg

from survey.db.migrate import migrate, migration_files
from survey.db.pool import connect

EXPECTED_TABLES = {
    "schema_migration",
    "questionnaire",
    "questionnaire_version",
    "campaign",
    "wave",
    "response",
}


async def columns(conn: asyncpg.Connection) -> dict[str, set[str]]:
    rows = await conn.fetch(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
    )
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r["table_name"], set()).add(r["column_name"])
    return found


async def test_migrating_an_empty_database_gives_the_schema(empty_database_url: str) -> None:
    conn = await connect(empty_database_url)
    try:
        assert await columns(conn) == {}
        applied = await migrate(conn)
        assert applied == [f"{n:04d}_{name}" for n, name, _ in migration_files()]
        schema = await columns(conn)
        assert set(schema) >= EXPECTED_TABLES
        assert {"id", "wave_id", "version_id", "answers", "status", "panel_key"} <= schema[
            "response"
        ]
        assert {"sha256", "definition", "fingerprints", "comparability"} <= schema[
            "questionnaire_version"
        ]
        assert await migrate(conn) == []
        assert await columns(conn) == schema
    finally:
        await conn.close()


async def test_template_clone_is_migrated(db: asyncpg.Connection) -> None:
    numbers = [r["number"] for r in await db.fetch("SELECT number FROM schema_migration")]
    assert numbers == [n for n, _, _ in migration_files()]
