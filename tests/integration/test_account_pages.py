"""No command line for daily account work, on a real database: one's own password, an installation
administrator's one-time reset link, one's API tokens made in the console, and the first administrator's
set-up page guarded by the code from the server's log."""

from __future__ import annotations

import asyncio
import logging
import re
from html import unescape

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.cli import announce_setup
from survey.console import auth
from survey.console.messages import CATALOGUE
from survey.db import accounts as accounts_db
from survey.db import teams as teams_db
from survey.settings import Settings
from tests.helpers import (
    PASSWORD,
    csrf_token,
    make_account,
    new_session,
    new_token,
    post_console_form,
    set_cookie,
    text_of,
)

MN = CATALOGUE.bound("mn")
NEW = "a brand new passphrase"


async def alive(db: asyncpg.Connection, session: str) -> bool:
    return bool(
        await accounts_db.session_principal(
            db, auth.hash_token(session), idle=auth.SESSION_IDLE, absolute=auth.SESSION_ABSOLUTE
        )
    )


async def can_sign_in(pool: asyncpg.Pool, email: str, password: str) -> bool:
    return (await auth.sign_in(pool, email, password)).account_id is not None


# -- one's own password ---------------------------------------------------------------------------------


async def test_changing_ones_password_ends_every_other_session_and_token(
    client: AsyncTestClient, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    ana = await make_account(db, "researcher", "ana@example.org")
    here = await new_session(db, ana)
    elsewhere = await new_session(db, ana)
    token = await new_token(db, ana)
    set_cookie(client, auth.SESSION_COOKIE, here)
    page = text_of((await client.get("/console/account")).text)
    # Said before: what a change ends.
    assert MN("password.warning") in page
    refusals = {
        "wrong current": ({"current": "not it at all", "password": NEW, "again": NEW}, 400),
        "differ": ({"current": PASSWORD, "password": NEW, "again": NEW + "!"}, 400),
        "empty": ({"current": PASSWORD, "password": "", "again": ""}, 400),
        "short": ({"current": PASSWORD, "password": "short", "again": "short"}, 400),
    }
    for why, (form, status) in refusals.items():
        refused = await post_console_form(client, "/console/account/password", form)
        assert refused.status_code == status, (why, refused.text[:200])
    assert MN("error.current_password_wrong") in unescape(
        (
            await post_console_form(
                client, "/console/account/password", refusals["wrong current"][0]
            )
        ).text
    )
    assert await can_sign_in(pool, ana.email, PASSWORD)
    assert await alive(db, elsewhere)

    changed = await post_console_form(
        client, "/console/account/password", {"current": PASSWORD, "password": NEW, "again": NEW}
    )
    assert changed.status_code == 303
    # This browser goes on with a new session id; the old id and every other session end.
    renewed = client.cookies[auth.SESSION_COOKIE]
    assert renewed != here and await alive(db, renewed)
    assert not await alive(db, here) and not await alive(db, elsewhere)
    assert await accounts_db.token_principal(db, auth.hash_token(token)) is None
    # Said after, on the page it leads to.
    after = text_of((await client.get(changed.headers["location"])).text)
    assert MN("password.changed", sessions=1, tokens=1) in after
    assert await can_sign_in(pool, ana.email, NEW) and not await can_sign_in(
        pool, ana.email, PASSWORD
    )


async def test_the_current_password_is_checked_within_the_sign_in_limits(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    ana = await make_account(db, "researcher", "ana@example.org")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, ana))
    wrong = {"current": "guess number n", "password": NEW, "again": NEW}
    statuses = [
        (await post_console_form(client, "/console/account/password", wrong)).status_code
        for _ in range(auth.DEFAULT_LIMITS.account_failures + 1)
    ]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {400}
    # Limited: even the right password is not checked now.
    right = {"current": PASSWORD, "password": NEW, "again": NEW}
    assert (await post_console_form(client, "/console/account/password", right)).status_code == 429


# -- reset links ------------------------------------------------------------------------------------------


async def _reset_link(client: AsyncTestClient, db: asyncpg.Connection, account_id: int) -> str:
    response = await post_console_form(client, f"/console/users/{account_id}/reset")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["cache-control"] == "no-store"
    (link,) = re.findall(r"http://testserver/reset-password/[\w-]+", response.text)
    return link.removeprefix("http://testserver")


async def test_a_reset_link_works_once_and_the_old_password_stops_at_once(
    client: AsyncTestClient, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    root = await make_account(db, "admin", "root@example.org")
    ana = await make_account(db, "analyst", "ana@example.org")
    her_session = await new_session(db, ana)
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, root))
    path = await _reset_link(client, db, ana.id)
    assert not await alive(db, her_session)
    assert not await can_sign_in(pool, ana.email, PASSWORD)
    # Not for one's own account (that is the account page's), and shown once: the list does not have it.
    myself = await post_console_form(client, f"/console/users/{root.id}/reset")
    assert myself.status_code == 400 and MN("error.reset_self") in unescape(myself.text)
    assert path not in (await client.get("/console/users")).text

    client.cookies.clear()
    # Opening it (a chat app's preview does) uses nothing up.
    for _ in range(2):
        form = await client.get(path)
        assert form.status_code == 200 and "ana@example.org" in form.text
        assert form.headers["referrer-policy"] == "no-referrer"
    token = await csrf_token(client)
    differ = await client.post(path, data={"password": NEW, "again": "x", "_csrf_token": token})
    assert differ.status_code == 400
    short = await client.post(
        path, data={"password": "short", "again": "short", "_csrf_token": token}
    )
    assert short.status_code == 400  # and the link still works
    done = await client.post(path, data={"password": NEW, "again": NEW, "_csrf_token": token})
    # To the sign-in page, in her language (Mongolian: new accounts' own).
    assert done.status_code == 303 and done.headers["location"] == "/sign-in?reset=1&lang=mn"
    assert MN("reset.done") in unescape((await client.get(done.headers["location"])).text)
    assert await can_sign_in(pool, ana.email, NEW)
    again = await client.post(
        path, data={"password": PASSWORD, "again": PASSWORD, "_csrf_token": token}
    )
    assert again.status_code == 404 and MN("reset.gone") in unescape(again.text)
    assert await can_sign_in(pool, ana.email, NEW)


async def test_a_reset_link_expires_and_a_newer_one_replaces_it(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    root = await make_account(db, "admin", "root@example.org")
    ana = await make_account(db, "analyst", "ana@example.org")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, root))
    first = await _reset_link(client, db, ana.id)
    second = await _reset_link(client, db, ana.id)
    assert (await client.get(first)).status_code == 404
    assert (await client.get(second)).status_code == 200
    await db.execute("UPDATE password_reset SET expires_at = now() - interval '1 second'")
    assert (await client.get(second)).status_code == 404
    for hostile in ("x", "a" * 500, "%00", "..%2F..%2Fetc"):
        assert (await client.get(f"/reset-password/{hostile}")).status_code in (404, 400)
    # Longer than any address the app serves: refused before routing.
    assert (await client.get(f"/reset-password/{'a' * 2000}")).status_code == 414


async def test_only_an_installation_administrator_makes_reset_links(
    client: AsyncTestClient, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    lead = await make_account(db, "admin", "lead@example.org", installation_admin=False)
    ana = await make_account(db, "analyst", "ana@example.org")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, lead))
    assert (await post_console_form(client, f"/console/users/{ana.id}/reset")).status_code == 403
    assert await can_sign_in(pool, ana.email, PASSWORD)


# -- API tokens in the console --------------------------------------------------------------------------------


async def test_a_token_made_in_the_console_is_shown_once_and_works(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    ana = await make_account(db, "analyst", "ana@example.org")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, ana))
    made = await post_console_form(
        client,
        "/console/account/tokens",
        {"name": "R script", "scope": ["campaigns", "responses"], "days": "90"},
    )
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    (secret,) = re.findall(r"svy_[\w-]{20,}", made.text)
    listing = (await client.get("/console/account/tokens")).text
    assert secret not in listing and "R script" in listing
    who = await accounts_db.token_principal(db, auth.hash_token(secret))
    assert who is not None and who.scopes == {"campaigns", "responses"}
    row = await db.fetchrow("SELECT name, expires_at - created_at AS life FROM api_token")
    assert row["name"] == "R script" and row["life"].days == 90
    api = await client.get("/api/v1/campaigns", headers={"authorization": f"Bearer {secret}"})
    assert api.status_code == 200


# -- the first administrator ------------------------------------------------------------------------------


async def test_the_first_visit_sets_up_the_first_administrator_once(
    client: AsyncTestClient, db: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(base_url="http://survey.example.org")
    with caplog.at_level(logging.WARNING, logger="survey"):
        await announce_setup(db, settings)
    (line,) = [r.getMessage() for r in caplog.records if "set-up code" in r.getMessage()]
    code = re.search(r"set-up code (\w{4}-\w{4}-\w{4})", line).group(1)  # type: ignore[union-attr]
    assert "http://survey.example.org/setup" in line
    first = await client.get("/sign-in")
    assert first.status_code == 303 and first.headers["location"] == "/setup"
    assert (await client.get("/setup")).status_code == 200
    token = await csrf_token(client)
    form = {
        "email": "root@example.org",
        "password": PASSWORD,
        "again": PASSWORD,
        "_csrf_token": token,
    }
    for wrong in ("", "AAAA-BBBB-CCCC", code[:-1]):
        refused = await client.post("/setup", data={**form, "code": wrong})
        assert refused.status_code in (400, 403), wrong
    assert not await accounts_db.any_account(db)
    # Typed by hand from the log: lower case, spaces for dashes, an O for a zero.
    typed = code.lower().replace("-", " ").replace("0", "o")
    made = await client.post("/setup", data={**form, "code": typed})
    assert made.status_code == 303 and made.headers["location"] == "/console/teams"
    root = await accounts_db.get_account_by_email(db, "root@example.org")
    assert root.installation_admin
    default = await teams_db.get_team(db, "default")
    assert [(m.email, m.role) for m in await teams_db.members(db, default.id)] == [
        ("root@example.org", "admin")
    ]
    assert (await client.get("/console/users")).status_code == 200  # signed in
    # Gone: the page, and the code.
    client.cookies.clear()
    assert (await client.get("/setup")).status_code == 404
    token = await csrf_token(client)
    again = await client.post(
        "/setup", data={**form, "email": "second@example.org", "code": code, "_csrf_token": token}
    )
    assert again.status_code == 404
    assert [a.email for a in await accounts_db.list_accounts(db)] == ["root@example.org"]
    # A server that starts now prints no code.
    caplog.clear()
    await announce_setup(db, settings)
    assert not [r for r in caplog.records if "set-up code" in r.getMessage()]


async def test_two_uses_of_the_code_at_once_make_one_administrator(
    settings: Settings, db: asyncpg.Connection
) -> None:
    code = await auth.prepare_setup(db)
    assert code is not None
    app: Litestar = create_app(settings, database_url=settings.database_url)

    async def attempt(n: int) -> int:
        async with AsyncTestClient(app) as client:
            client.follow_redirects = False
            token = await csrf_token(client)
            response = await client.post(
                "/setup",
                data={
                    "code": code,
                    "email": f"admin{n}@example.org",
                    "password": PASSWORD,
                    "again": PASSWORD,
                    "_csrf_token": token,
                },
            )
            return response.status_code

    statuses = await asyncio.gather(*(attempt(n) for n in range(4)))
    assert sorted(statuses)[0] == 303 and statuses.count(303) == 1, statuses
    assert len(await accounts_db.list_accounts(db)) == 1


async def test_a_new_start_replaces_the_code(db: asyncpg.Connection) -> None:
    old = await auth.prepare_setup(db)
    new = await auth.prepare_setup(db)
    assert old and new and old != new
    async with db.transaction():
        assert not await accounts_db.use_setup_code(db, auth.hash_setup_code(old))
    async with db.transaction():
        assert await accounts_db.use_setup_code(db, auth.hash_setup_code(new))


# -- installation administrators ------------------------------------------------------------------------


async def test_an_installation_administrator_makes_another_and_never_unmakes_itself(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    root = await make_account(db, "admin", "root@example.org")
    ana = await make_account(db, "researcher", "ana@example.org")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, root))
    made = await post_console_form(
        client, f"/console/users/{ana.id}/installation-admin", {"admin": "on"}
    )
    assert made.status_code == 303
    assert (await accounts_db.get_account(db, ana.id)).installation_admin
    myself = await post_console_form(client, f"/console/users/{root.id}/installation-admin", {})
    assert myself.status_code == 400
    assert MN("error.installation_admin_self") in unescape(myself.text)
    assert (await accounts_db.get_account(db, root.id)).installation_admin
    unmade = await post_console_form(client, f"/console/users/{ana.id}/installation-admin", {})
    assert unmade.status_code == 303
    assert not (await accounts_db.get_account(db, ana.id)).installation_admin
    actions = [r["action"] for r in await db.fetch("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["installation_admin_granted", "installation_admin_removed"]
    log = text_of((await client.get("/console/audit")).text)
    assert MN("audit.installation_admin_granted") in log and "ana@example.org" in log
