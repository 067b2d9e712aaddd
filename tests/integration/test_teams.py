"""Teams and sharing on a real database: the console's team pages, a campaign made in a chosen team, a
questionnaire shared with every team or kept to one, an account of another team that sees none of it (by
link or by API), and the ``survey teams`` commands."""

from __future__ import annotations

import io
import sys
from html import unescape

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.cli import main
from survey.console import auth, service
from survey.console.messages import CATALOGUE
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import teams as teams_db
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from survey.settings import Settings
from tests.helpers import (
    PASSWORD,
    V1,
    Study,
    add_response,
    make_account,
    new_session,
    new_token,
    post_console_form,
    set_cookie,
    text_of,
)

MN = CATALOGUE.bound("mn")


async def signed_in(client: AsyncTestClient, db: asyncpg.Connection, account) -> None:
    """The client becomes this account's browser: a new session, and no CSRF token of another (the next
    form fetches its own)."""
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, account))
    client.cookies.delete("csrftoken")


# -- the team pages ----------------------------------------------------------------------------------------


async def test_an_installation_administrator_makes_a_team_and_its_members(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    root = await make_account(db, "viewer", "root@example.org", installation_admin=True)
    ana = await make_account(db, "viewer", "ana@example.org")
    await signed_in(client, db, root)
    for key, reason in (("", "team_key_missing"), ("Bad Key", "team_key_format")):
        refused = await post_console_form(client, "/console/teams", {"key": key, "name": "x"})
        assert refused.status_code == 400 and MN(f"error.{reason}", key=key) in unescape(
            refused.text
        )
    made = await post_console_form(client, "/console/teams", {"key": "iom", "name": "IOM Mongolia"})
    assert made.status_code == 303 and made.headers["location"] == "/console/teams/iom"
    taken = await post_console_form(client, "/console/teams", {"key": "iom"})
    assert taken.status_code == 409
    assert "IOM Mongolia" in (await client.get("/console/teams")).text

    unknown = await post_console_form(
        client, "/console/teams/iom/members", {"email": "nobody@example.org", "role": "researcher"}
    )
    assert unknown.status_code == 404
    assert MN("error.member_unknown", email="nobody@example.org") in unescape(unknown.text)
    added = await post_console_form(
        client, "/console/teams/iom/members", {"email": " ANA@example.org ", "role": "admin"}
    )
    assert added.status_code == 303
    page = await client.get(added.headers["location"])
    assert MN("team.added", email="ana@example.org") in unescape(page.text)
    iom = await teams_db.get_team(db, "iom")
    assert {m.email: m.role for m in await teams_db.members(db, iom.id)} == {
        "ana@example.org": "admin"
    }
    # The last administrator stays one.
    demoted = await post_console_form(
        client, f"/console/teams/iom/members/{ana.id}/role", {"role": "viewer"}
    )
    assert demoted.status_code == 400
    assert MN("error.last_team_admin") in unescape(demoted.text)
    removed = await post_console_form(client, f"/console/teams/iom/members/{ana.id}/remove")
    assert removed.status_code == 400
    assert [m.role for m in await teams_db.members(db, iom.id)] == ["admin"]
    # Every change is in the audit log.
    actions = [r["action"] for r in await db.fetch("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["team_created", "team_member_added"]


async def test_a_team_administrator_manages_its_own_team_only(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    lead = await make_account(db, "admin", "lead@example.org", installation_admin=False)
    bat = await make_account(db, "researcher", "bat@example.org")
    other = await teams_db.create_team(db, "other")
    stranger = await make_account(db, "admin", "stranger@example.org", team="other")
    await signed_in(client, db, lead)
    changed = await post_console_form(
        client, f"/console/teams/default/members/{bat.id}/role", {"role": "analyst"}
    )
    assert changed.status_code == 303
    default = await teams_db.get_team(db, "default")
    assert {m.email: m.role for m in await teams_db.members(db, default.id)}["bat@example.org"] == (
        "analyst"
    )
    for path in (
        "/console/teams/other",
        "/console/teams/other/name",
        "/console/teams/other/members",
        f"/console/teams/other/members/{stranger.id}/remove",
    ):
        request = (
            client.get(path)
            if path == "/console/teams/other"
            else post_console_form(
                client, path, {"email": "bat@example.org", "role": "admin", "name": "mine"}
            )
        )
        response = await request
        assert response.status_code == 404, path
    assert [m.email for m in await teams_db.members(db, other.id)] == ["stranger@example.org"]
    # Its list shows its own team only; a researcher sees the team but no form to change it.
    assert "/console/teams/other" not in (await client.get("/console/teams")).text
    await signed_in(client, db, bat)
    page = (await client.get("/console/teams/default")).text
    assert "lead@example.org" in page and "/members/" not in page
    refused = await post_console_form(client, "/console/teams/default/members", {"email": "x"})
    assert refused.status_code == 403


async def test_a_campaign_is_made_in_a_team_its_maker_designs_for(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    iom = await teams_db.create_team(db, "iom", "IOM")
    save = await teams_db.create_team(db, "save", "Save the Children")
    ana = await make_account(db, "researcher", "ana@example.org")
    await teams_db.add_member(db, iom, ana.id, "researcher")
    await teams_db.add_member(db, save, ana.id, "analyst")
    await signed_in(client, db, ana)
    form = (await client.get("/console/campaigns/new")).text
    # Her two teams where she designs, not the one where she only analyses.
    assert 'value="iom"' in form and 'value="default"' in form and 'value="save"' not in form
    made = await post_console_form(
        client,
        "/console/campaigns",
        {"key": "iom-2027", "questionnaire": "tq", "design": "independent", "team": "iom"},
    )
    assert made.status_code == 303
    assert (await campaigns_db.get_campaign(db, "iom-2027")).team == "iom"
    for team in ("save", "no-such-team"):
        refused = await post_console_form(
            client,
            "/console/campaigns",
            {"key": f"x-{team}", "questionnaire": "tq", "design": "independent", "team": team},
        )
        assert refused.status_code == 400 and MN("error.team_not_yours") in unescape(refused.text)
    # With several teams, the list says whose each campaign is.
    listing = text_of((await client.get("/console/campaigns")).text)
    assert "IOM" in listing and MN("team.default_name") in listing


async def test_a_questionnaire_kept_to_a_team_is_nobody_elses(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    iom = await teams_db.create_team(db, "iom")
    mine = load_definition(V1.replace("key: tq", "key: iomq"))
    await publish(db, mine, team="iom", shared=False)
    outsider = await make_account(db, "researcher", "out@example.org")
    insider = await make_account(db, "researcher", "in@example.org", team="iom")
    await signed_in(client, db, outsider)
    assert "iomq" not in (await client.get("/console/questionnaires")).text
    assert (await client.get("/console/questionnaires/iomq")).status_code == 404
    assert (await client.get("/console/questionnaires/iomq/versions/1")).status_code == 404
    refused = await post_console_form(
        client,
        "/console/campaigns",
        {"key": "stolen", "questionnaire": "iomq", "design": "independent", "team": "default"},
    )
    assert refused.status_code == 400
    assert MN("error.questionnaire_unknown", questionnaire="iomq") in unescape(refused.text)
    token = await new_token(db, outsider)
    api = await client.get("/api/v1/questionnaires", headers={"authorization": f"Bearer {token}"})
    assert "iomq" not in api.text
    # Not even the command line makes another team's campaign on it.
    with pytest.raises(Exception, match="kept to another team"):
        await campaigns_db.create_campaign(
            db, "stolen", questionnaire="iomq", design="independent", team="default"
        )
    # Its team sees it, may share it; then every team does, and may run campaigns on it.
    await signed_in(client, db, insider)
    assert "iomq" in (await client.get("/console/questionnaires")).text
    # A member of both teams sees it too, and is told why another team's campaign cannot use it.
    await teams_db.add_member(db, await teams_db.get_team(db, "default"), insider.id, "researcher")
    await signed_in(client, db, insider)
    elsewhere = await post_console_form(
        client,
        "/console/campaigns",
        {"key": "elsewhere", "questionnaire": "iomq", "design": "independent", "team": "default"},
    )
    assert elsewhere.status_code == 400
    assert MN("error.questionnaire_not_shared", questionnaire="iomq") in unescape(elsewhere.text)
    shared = await post_console_form(
        client, "/console/questionnaires/iomq/sharing", {"shared": "on"}
    )
    assert shared.status_code == 303
    await signed_in(client, db, outsider)
    made = await post_console_form(
        client,
        "/console/campaigns",
        {"key": "borrowed", "questionnaire": "iomq", "design": "independent", "team": "default"},
    )
    assert made.status_code == 303
    # Only its own team shares or keeps it, and not while another team's campaign uses it.
    assert (
        await post_console_form(client, "/console/questionnaires/iomq/sharing", {})
    ).status_code == 403
    await signed_in(client, db, insider)
    kept = await post_console_form(client, "/console/questionnaires/iomq/sharing", {})
    assert kept.status_code == 409
    assert MN("error.questionnaire_in_use", teams="default") in unescape(kept.text)
    assert iom.key == "iom"


async def test_a_new_version_of_another_teams_questionnaire_is_refused(
    db: asyncpg.Connection, study: Study
) -> None:
    await teams_db.create_team(db, "iom")
    stranger = await make_account(db, "researcher", "s@example.org", team="iom")
    who = await accounts_db.token_principal(db, auth.hash_token(await new_token(db, stranger)))
    assert who is not None
    text = V1.replace("Do you agree?", "Do you agree to answer?")
    refused = await service.publish_definition(db, who, text, team="iom")
    assert isinstance(refused, service.Rejected) and refused.reason == "questionnaire_key_taken"
    assert refused.status == 409
    made = await service.publish_definition(
        db, who, V1.replace("key: tq", "key: theirs"), team="iom"
    )
    assert not isinstance(made, service.Rejected)
    latest = await service.questionnaire_for(db, who, "theirs")
    assert (latest.team, latest.shared) == ("iom", False)


# -- another team sees none of it ----------------------------------------------------------------------------


async def test_another_team_sees_nothing_of_a_campaign_by_link_or_api(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    await db.execute("UPDATE wave SET status = 'open'")
    await teams_db.create_team(db, "other")
    stranger = await make_account(db, "admin", "stranger@example.org", team="other")
    await signed_in(client, db, stranger)
    key, wave = study.campaign.key, study.pre.key
    pages = [
        f"/console/campaigns/{key}",
        f"/console/waves/{wave}",
        f"/console/waves/{wave}/qr.svg",
        f"/campaigns/{key}/report",
    ]
    unknown = await client.get("/console/campaigns/no-such-campaign")
    for path in pages:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert study.pre.token not in response.text
    # The answer for an existing campaign of another team says no more than for one that does not exist.
    theirs = await client.get(f"/console/campaigns/{key}")
    assert theirs.text.replace(key, "KEY") == unknown.text.replace("no-such-campaign", "KEY")
    exported = await post_console_form(
        client, f"/console/campaigns/{key}/export", {"format": "csv"}
    )
    assert exported.status_code == 404
    assert await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'export'") == 0
    assert key not in (await client.get("/console/campaigns")).text
    token = await new_token(db, stranger)
    headers = {"authorization": f"Bearer {token}"}
    for path in (
        f"/api/v1/campaigns/{key}",
        f"/api/v1/campaigns/{key}/waves",
        f"/api/v1/campaigns/{key}/responses",
        f"/api/v1/campaigns/{key}/effects",
    ):
        assert (await client.get(path, headers=headers)).status_code == 404, path
    assert (await client.get("/api/v1/campaigns", headers=headers)).json() == []


# -- the command line ------------------------------------------------------------------------------------------


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_teams_commands(cli_env: Settings, capsys, monkeypatch) -> None:
    assert run(capsys, monkeypatch, "users", "create", "ana@example.org", "--role", "viewer",
               stdin=PASSWORD)[0] == 0  # fmt: skip
    assert run(capsys, monkeypatch, "teams", "create", "iom", "--name", "IOM Mongolia") == (
        0,
        "created team iom (IOM Mongolia)\n",
        "",
    )
    assert run(capsys, monkeypatch, "teams", "add", "iom", "ana@example.org", "--role",
               "researcher") == (0, "added ana@example.org in team iom: researcher\n", "")  # fmt: skip
    assert run(capsys, monkeypatch, "teams", "add", "iom", "ana@example.org", "--role",
               "admin")[1] == "changed the role of ana@example.org in team iom: admin\n"  # fmt: skip
    code, out, _ = run(capsys, monkeypatch, "teams", "list")
    assert code == 0
    assert out.splitlines() == [
        "default                             1 members    0 campaigns",
        "  ana@example.org                          viewer",
        "iom                                 1 members    0 campaigns  IOM Mongolia",
        "  ana@example.org                          admin",
    ]
    assert run(capsys, monkeypatch, "forms", "publish", "forms")[0] == 0
    code, out, _ = run(capsys, monkeypatch, "campaigns", "create", "tip", "--questionnaire",
                       "trafficking-knowledge", "--design", "independent", "--team", "iom")  # fmt: skip
    assert code == 0 and out.endswith("team iom)\n")
    assert "team=iom" in run(capsys, monkeypatch, "campaigns", "list")[1]
    # The last administrator stays, and mistakes are one line.
    code, _, err = run(capsys, monkeypatch, "teams", "remove", "iom", "ana@example.org")
    assert code == 1 and err.startswith('error: team "iom" would have no administrator left')
    for argv, message in (
        (("teams", "create", "Bad Key"), "error: a team key has lower-case letters"),
        (("teams", "create", "iom"), 'error: a team "iom" already exists'),
        (("teams", "add", "nope", "ana@example.org", "--role", "viewer"), 'error: no team "nope"'),
        (("teams", "add", "iom", "x@example.org", "--role", "viewer"), 'error: no account "x@'),
        (
            (
                "campaigns",
                "create",
                "t2",
                "--questionnaire",
                "trafficking-knowledge",
                "--design",
                "independent",
                "--team",
                "nope",
            ),
            'error: no team "nope"',
        ),
    ):
        code, _, err = run(capsys, monkeypatch, *argv)
        assert code == 1 and err.startswith(message) and len(err.splitlines()) == 1, (argv, err)
    assert run(capsys, monkeypatch, "teams", "add", "default", "ana@example.org", "--role",
               "admin")[0] == 0  # fmt: skip
    assert run(capsys, monkeypatch, "teams", "add", "iom", "ana@example.org", "--role",
               "admin")[0] == 0  # fmt: skip
    assert run(capsys, monkeypatch, "teams", "create", "spare")[0] == 0
    assert run(capsys, monkeypatch, "teams", "add", "spare", "ana@example.org", "--role",
               "viewer")[0] == 0  # fmt: skip
    assert run(capsys, monkeypatch, "teams", "remove", "spare", "ana@example.org") == (
        0,
        "removed ana@example.org from team spare; their API tokens have ended\n",
        "",
    )
