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


async def _migrated_up_to(conn: asyncpg.Connection, last: str) -> None:
    """Apply the migrations before the one named ``last`` (the schema as an older release left it)."""
    await conn.execute(
        "CREATE TABLE schema_migration (number integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())"
    )
    for number, name, sql in migration_files():
        if name == last:
            return
        await conn.execute(sql)
        await conn.execute(
            "INSERT INTO schema_migration (number, name) VALUES ($1, $2)", number, name
        )
    raise AssertionError(f"no migration {last}")


async def test_an_upgrade_puts_everything_into_the_default_team(empty_database_url: str) -> None:
    """An installation made before teams, with accounts of every role, a campaign with responses, a
    questionnaire and an API token, keeps working: every account is in the team "default" with the role
    it had, administrators also administer the installation, the campaign and the questionnaire are the
    default team's (the questionnaire still shared), and the token reads what it read, with an expiry."""
    from survey.console import auth
    from survey.console.service import campaign_for, campaigns_overview
    from survey.db import accounts as accounts_db
    from survey.db import teams as teams_db
    from survey.db.questionnaires import publish
    from survey.questionnaire.load import load_definition
    from tests.helpers import V1, password_hash

    conn = await connect(empty_database_url)
    try:
        await _migrated_up_to(conn, "teams")
        # Data as the release before teams stored it, through plain SQL (its code is gone).
        roles = {"admin": "boss@example.org", "researcher": "ana@example.org",
                 "analyst": "bat@example.org", "viewer": "lead@example.org"}  # fmt: skip
        ids = {}
        for role, email in roles.items():
            ids[role] = await conn.fetchval(
                "INSERT INTO account (email, role, password_hash) VALUES ($1, $2, $3) RETURNING id",
                email,
                role,
                password_hash(),
            )
        questionnaire_id = await conn.fetchval(
            "INSERT INTO questionnaire (key) VALUES ('old-q') RETURNING id"
        )
        campaign_id = await conn.fetchval(
            "INSERT INTO campaign (key, questionnaire_id, design, panel_secret) "
            "VALUES ('old-campaign', $1, 'independent', '\\x00') RETURNING id",
            questionnaire_id,
        )
        secret = auth.new_api_token()
        await conn.execute(
            "INSERT INTO api_token (token_hash, account_id, name, created_at) "
            "VALUES ($1, $2, 'old script', now() - interval '400 days')",
            auth.hash_token(secret),
            ids["analyst"],
        )

        applied = await migrate(conn)
        assert [name for name in applied if name.endswith("_teams")], applied

        default = await teams_db.get_team(conn, "default")
        assert (default.members, default.campaigns) == (4, 1)
        members = {m.email: m.role for m in await teams_db.members(conn, default.id)}
        assert members == {email: role for role, email in roles.items()}
        admins = [a.email for a in await accounts_db.list_accounts(conn) if a.installation_admin]
        assert admins == ["boss@example.org"]
        assert await conn.fetchval("SELECT team_id FROM campaign WHERE id = $1", campaign_id) == (
            default.id
        )
        row = await conn.fetchrow("SELECT team_id, shared FROM questionnaire WHERE key = 'old-q'")
        assert (row["team_id"], row["shared"]) == (default.id, True)

        # The analyst's old token reads what it read, both scopes, and now expires (90 days on).
        who = await accounts_db.token_principal(conn, auth.hash_token(secret))
        assert who is not None and who.scopes == {"campaigns", "responses"}
        assert [(m.team, m.role) for m in who.teams] == [("default", "analyst")]
        days = await conn.fetchval(
            "SELECT extract(day FROM expires_at - now()) FROM api_token WHERE name = 'old script'"
        )
        assert 89 <= days <= 90
        # Everyone still reads the campaign as before.
        for role in roles:
            account = await accounts_db.get_account_by_email(conn, roles[role])
            principal = accounts_db.Principal(
                account_id=account.id,
                email=account.email,
                teams=await teams_db.memberships_of(conn, account.id),
                language=account.language,
                via="session",
            )
            assert [c.campaign.key for c in await campaigns_overview(conn, principal)] == [
                "old-campaign"
            ]
        analyst = who
        assert (await campaign_for(conn, analyst, "old-campaign", frozenset({"analyst"}))).team == (
            "default"
        )
        # What is made after the upgrade goes on as before: a new questionnaire is shared and the
        # default team's.
        await publish(conn, load_definition(V1))
        row = await conn.fetchrow("SELECT team_id, shared FROM questionnaire WHERE key = 'tq'")
        assert (row["team_id"], row["shared"]) == (default.id, True)
        assert await migrate(conn) == []
    finally:
        await conn.close()
