"""Issue 12, finding 6: API tokens outlived a password reset, never expired and could not be revoked one by
one. Each rule below failed on the code before it:

* every token of an account ends when its password is changed (in the console or on the command line) or
  reset, when the account is disabled, and when it is taken out of a team (and a token never reads a
  campaign of a team its owner is not in, whatever it was made for);
* a token expires: an expiry is required, a year at most, and a token past it is refused as one that
  does not exist;
* a token's scope is enforced on every API route: a token that reads campaigns cannot read responses,
  and one that reads responses cannot read the rest;
* tokens are revoked one by one, in the console and on the command line, each only by its owner (or the
  operator), the others going on.
"""

from __future__ import annotations

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.cli import main
from survey.console import auth
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import teams as teams_db
from survey.errors import RuleBroken
from survey.settings import Settings
from tests.helpers import (
    PASSWORD,
    Study,
    add_response,
    handlers,
    make_account,
    new_session,
    new_token,
    post_console_form,
    route_values,
    set_cookie,
    url_for,
)

NEW_PASSWORD = "a different long passphrase"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def reads(client: AsyncTestClient, token: str, path: str = "/api/v1/campaigns") -> int:
    return (await client.get(path, headers=bearer(token))).status_code


# -- tokens end with the password, the account, the team ---------------------------------------------------


async def test_a_password_change_in_the_console_ends_every_token(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    account = await make_account(db, "researcher")
    first, second = await new_token(db, account), await new_token(db, account)
    assert await reads(client, first) == await reads(client, second) == 200
    session = await new_session(db, account)
    set_cookie(client, auth.SESSION_COOKIE, session)
    changed = await post_console_form(
        client,
        "/console/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "again": NEW_PASSWORD},
    )
    assert changed.status_code == 303, changed.text[:300]
    assert "tokens=2" in changed.headers["location"]
    assert await reads(client, first) == await reads(client, second) == 401


def test_a_password_set_on_the_command_line_ends_every_token(
    cli_env: Settings, settings: Settings, monkeypatch, capsys
) -> None:
    import io
    import sys

    from litestar.testing import TestClient

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "create", "ana@example.org", "--role", "analyst"]) == 0
    assert main(["tokens", "create", "ana@example.org"]) == 0
    token = capsys.readouterr().out.split()[-1]
    with TestClient(create_app(settings, database_url=settings.database_url)) as client:
        assert client.get("/api/v1/campaigns", headers=bearer(token)).status_code == 200
        monkeypatch.setattr(sys, "stdin", io.StringIO(NEW_PASSWORD + "\n"))
        assert main(["users", "set-password", "ana@example.org"]) == 0
        assert "1 API tokens were revoked" in capsys.readouterr().out
        assert client.get("/api/v1/campaigns", headers=bearer(token)).status_code == 401


async def test_a_reset_link_ends_every_token_at_once(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    account = await make_account(db, "analyst")
    token = await new_token(db, account)
    admin = await make_account(db, "admin", "root@example.org", installation_admin=True)
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
    made = await post_console_form(client, f"/console/users/{account.id}/reset")
    assert made.status_code == 200
    # Not when the link is used: when it is made (whoever asked for it fears the account is known).
    assert await reads(client, token) == 401


async def test_disabling_an_account_ends_its_tokens(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    account = await make_account(db, "analyst")
    token = await new_token(db, account)
    await accounts_db.set_disabled(db, account.id, True)
    assert await reads(client, token) == 401
    # Enabled again, the account's old tokens stay dead.
    await accounts_db.set_disabled(db, account.id, False)
    assert await reads(client, token) == 401


async def test_taken_out_of_the_team_a_token_no_longer_reads_its_campaign(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await add_response(db, study.pre, {"consent": "yes"})
    other = await teams_db.create_team(db, "other")
    account = await make_account(db, "analyst")
    await teams_db.add_member(db, other, account.id, "analyst")
    token = await new_token(db, account)
    responses = f"/api/v1/campaigns/{study.campaign.key}/responses"
    assert await reads(client, token, responses) == 200
    # Moved to a team that cannot see the campaign... (no revocation: the token follows the teams)
    default = await teams_db.get_team(db, "default")
    await teams_db.remove_member(db, default, account.id)
    assert await reads(client, token, responses) == 401
    # ...and, through the console, the same: a team administrator takes someone out.
    again = await new_token(db, account)
    await teams_db.add_member(db, default, account.id, "analyst")
    assert await reads(client, again, responses) == 200
    team_admin = await make_account(db, "admin", "lead@example.org", installation_admin=False)
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, team_admin))
    removed = await post_console_form(client, f"/console/teams/default/members/{account.id}/remove")
    assert removed.status_code == 303
    assert await reads(client, again, responses) == 401
    assert await reads(client, again) == 401  # every token of the account ended


async def test_a_token_reads_only_its_owners_teams(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    """A token made while its owner was in a team, the owner moved to another: it reads the new team's
    campaign and not the old one's, without being made again."""
    other = await teams_db.create_team(db, "other")
    await campaigns_db.create_campaign(
        db, "theirs", questionnaire="tq", design="independent", team="other"
    )
    account = await make_account(db, "analyst")
    token = await new_token(db, account)
    assert await reads(client, token, "/api/v1/campaigns/theirs") == 404
    listed = (await client.get("/api/v1/campaigns", headers=bearer(token))).json()
    assert [c["key"] for c in listed] == [study.campaign.key]
    await teams_db.add_member(db, other, account.id, "analyst")
    assert await reads(client, token, "/api/v1/campaigns/theirs") == 200


# -- expiry -------------------------------------------------------------------------------------------------


async def test_a_token_past_its_expiry_is_refused(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    account = await make_account(db, "analyst")
    token = await new_token(db, account, days=1)
    assert await reads(client, token) == 200
    await db.execute(
        "UPDATE api_token SET created_at = now() - interval '2 days', "
        "expires_at = now() - interval '1 second' WHERE token_hash = $1",
        auth.hash_token(token),
    )
    refused = await client.get("/api/v1/campaigns", headers=bearer(token))
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("days", [0, -1, auth.TOKEN_MAX_DAYS + 1, 100_000])
async def test_an_expiry_is_required_and_a_year_at_most(db: asyncpg.Connection, days: int) -> None:
    account = await make_account(db, "analyst")
    with pytest.raises(RuleBroken) as refused:
        await auth.issue_api_token(db, account.id, name="x", scopes=["campaigns"], days=days)
    assert refused.value.reason == "token_days_invalid"
    assert await db.fetchval("SELECT count(*) FROM api_token") == 0


async def test_the_console_refuses_a_lifetime_it_does_not_offer(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    account = await make_account(db, "analyst")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, account))
    for days in ("", "0", "366", "99999999999", "30.5", "-3", "x"):
        refused = await post_console_form(
            client, "/console/account/tokens", {"name": "n", "scope": "campaigns", "days": days}
        )
        assert refused.status_code == 400, (days, refused.text[:200])
    for scopes in ([], ["everything"]):
        refused = await post_console_form(
            client, "/console/account/tokens", {"name": "n", "scope": scopes, "days": "30"}
        )
        assert refused.status_code == 400, scopes
    assert await db.fetchval("SELECT count(*) FROM api_token") == 0


def test_the_command_line_refuses_a_token_for_ever(cli_env: Settings, monkeypatch, capsys) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "create", "ana@example.org", "--role", "analyst"]) == 0
    capsys.readouterr()
    assert main(["tokens", "create", "ana@example.org", "--days", "3650"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"error: a token lives from 1 to {auth.TOKEN_MAX_DAYS} days, not 3650"


# -- scope --------------------------------------------------------------------------------------------------


async def test_every_api_route_keeps_to_the_tokens_scope(
    app: Litestar, db: asyncpg.Connection, study: Study
) -> None:
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    account = await make_account(db, "researcher")
    campaigns_only = await new_token(db, account, scopes=["campaigns"])
    responses_only = await new_token(db, account, scopes=["responses"])
    values = route_values(study, account.id)
    checked = 0
    async with AsyncTestClient(app) as client:
        for method, path, handler in handlers(app):
            if not path.startswith("/api/") or method == "OPTIONS":
                continue
            url = url_for(path, values)
            needs = auth.declared_scope(handler)
            for token, scope in ((campaigns_only, "campaigns"), (responses_only, "responses")):
                response = await client.get(url, headers=bearer(token))
                if scope == needs:
                    assert response.status_code == 200, (url, scope, response.text[:200])
                else:
                    assert response.status_code == 403, (url, scope, response.status_code)
                    assert f"needs the {needs} scope" in response.json()["detail"]
                checked += 1
    assert checked >= 16
    # Reading responses is logged; the refused attempts read nothing and left no entry.
    assert await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'api_responses'") == 1


# -- revocation one by one ----------------------------------------------------------------------------------


async def test_tokens_are_revoked_one_by_one_in_the_console(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    account = await make_account(db, "analyst")
    kept, dropped = await new_token(db, account), await new_token(db, account)
    dropped_id = await db.fetchval(
        "SELECT id FROM api_token WHERE token_hash = $1", auth.hash_token(dropped)
    )
    someone = await make_account(db, "researcher")
    theirs = await new_token(db, someone)
    theirs_id = await db.fetchval(
        "SELECT id FROM api_token WHERE token_hash = $1", auth.hash_token(theirs)
    )
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, account))
    page = await client.get("/console/account/tokens")
    assert page.status_code == 200
    assert f"/console/account/tokens/{dropped_id}/revoke" in page.text
    # Never a secret on the list, and nobody else's token.
    assert (
        kept not in page.text and dropped not in page.text and str(theirs_id) + "/" not in page.text
    )
    revoked = await post_console_form(client, f"/console/account/tokens/{dropped_id}/revoke")
    assert revoked.status_code == 303
    assert await reads(client, dropped) == 401 and await reads(client, kept) == 200
    # Another's token: 404, and it goes on working.
    other = await post_console_form(client, f"/console/account/tokens/{theirs_id}/revoke")
    assert other.status_code == 404
    assert await reads(client, theirs) == 200
    listed = (await client.get("/console/account/tokens")).text
    assert "token revoked" not in listed  # words, not codes: the status is said in the language


def test_tokens_are_listed_and_revoked_on_the_command_line(
    cli_env: Settings, monkeypatch, capsys
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "create", "ana@example.org", "--role", "analyst"]) == 0
    assert main(["tokens", "create", "ana@example.org", "--name", "first"]) == 0
    assert main(["tokens", "create", "ana@example.org", "--name", "second", "--scope",
                 "responses"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    secrets = out.split()[-2:]
    assert main(["tokens", "list", "ana@example.org"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in listing] == ["active", "active"]
    assert not any(secret in "\n".join(listing) for secret in secrets)
    first_id = next(line.split()[0] for line in listing if line.endswith(" first"))
    assert main(["tokens", "revoke", first_id]) == 0
    assert capsys.readouterr().out == f"revoked API token {first_id} (first) of ana@example.org\n"
    assert main(["tokens", "list"]) == 0
    states = {line.split()[-1]: line.split()[1] for line in capsys.readouterr().out.splitlines()}
    assert states == {"first": "revoked", "second": "active"}
    assert main(["tokens", "revoke", "999"]) == 1
    assert capsys.readouterr().err == "error: no API token 999\n"
