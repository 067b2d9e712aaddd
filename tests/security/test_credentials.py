"""The authorisation matrix replayed with credentials that must not work: forged, expired and revoked
session cookies (another user's among them) and forged, revoked and disabled-owner API tokens. Every
protected route refuses them as it refuses an anonymous request (a page: 303 to the sign-in page, the API:
401 JSON), never 500. Also session fixation, open redirects through ``next`` and CSRF tokens of another
signed-in session."""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import quote, urlsplit

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import auth
from survey.console.auth import declared_roles
from survey.db import accounts as accounts_db
from survey.settings import Settings
from tests.helpers import (
    PASSWORD,
    UNSAFE,
    add_response,
    csrf_token,
    csrf_token_for,
    fill,
    handlers,
    make_account,
    make_study,
    new_session,
    new_token,
    route_values,
    sent_to_sign_in,
    set_cookie,
    unsafe_routes,
    url_for,
)

Forge = Callable[[asyncpg.Connection], Awaitable[str]]


async def _aged(db: asyncpg.Connection, *, age: timedelta, idle: timedelta) -> str:
    account = await make_account(db, "admin", f"aged-{secrets.token_hex(4)}@example.org")
    token = await new_session(db, account)
    await db.execute(
        "UPDATE account_session SET created_at = now() - $2::interval, "
        "last_seen_at = now() - $3::interval WHERE token_hash = $1",
        auth.hash_token(token),
        age,
        idle,
    )
    return token


async def _revoked_session(db: asyncpg.Connection) -> str:
    # Another user's session, signed out since (the cookie copied before sign-out).
    other = await make_account(db, "admin", f"other-{secrets.token_hex(4)}@example.org")
    token = await new_session(db, other)
    await auth.end_session(db, token)
    return token


async def _disabled_owner_session(db: asyncpg.Connection) -> str:
    account = await make_account(db, "admin", f"gone-{secrets.token_hex(4)}@example.org")
    token = await new_session(db, account)
    await accounts_db.set_disabled(db, account.id, True)
    return token


async def _forged_session(db: asyncpg.Connection) -> str:
    return secrets.token_urlsafe(32)


async def _api_token_as_cookie(db: asyncpg.Connection) -> str:
    # A live API token is not a session.
    account = await make_account(db, "admin", f"tok-{secrets.token_hex(4)}@example.org")
    return await new_token(db, account)


BAD_SESSIONS: dict[str, Forge] = {
    "forged": _forged_session,
    "empty": lambda db: _const(""),
    "huge": lambda db: _const("x" * 4000),
    "expired (idle)": lambda db: _aged(db, age=timedelta(hours=13), idle=timedelta(hours=13)),
    "expired (absolute)": lambda db: _aged(db, age=timedelta(days=8), idle=timedelta(0)),
    "another user's, revoked": _revoked_session,
    "disabled owner": _disabled_owner_session,
    "an API token": _api_token_as_cookie,
}


async def _const(value: str) -> str:
    return value


async def _revoked_token(db: asyncpg.Connection) -> str:
    account = await make_account(db, "admin", f"rt-{secrets.token_hex(4)}@example.org")
    token = await new_token(db, account)
    await db.execute(
        "UPDATE api_token SET revoked_at = now() WHERE token_hash = $1", auth.hash_token(token)
    )
    return token


async def _disabled_owner_token(db: asyncpg.Connection) -> str:
    account = await make_account(db, "admin", f"dt-{secrets.token_hex(4)}@example.org")
    token = await new_token(db, account)
    await accounts_db.set_disabled(db, account.id, True)
    return token


async def _session_as_token(db: asyncpg.Connection) -> str:
    account = await make_account(db, "admin", f"st-{secrets.token_hex(4)}@example.org")
    return await new_session(db, account)


async def _near_miss_token(db: asyncpg.Connection) -> str:
    # A live token with its last character changed.
    account = await make_account(db, "admin", f"nm-{secrets.token_hex(4)}@example.org")
    token = await new_token(db, account)
    return token[:-1] + ("A" if token[-1] != "A" else "B")


BAD_TOKENS: dict[str, Forge] = {
    "forged": lambda db: _const(auth.new_api_token()),
    "prefix only": lambda db: _const(auth.API_TOKEN_PREFIX),
    "huge": lambda db: _const(auth.API_TOKEN_PREFIX + "x" * 4000),
    "revoked": _revoked_token,
    "disabled owner": _disabled_owner_token,
    "a session id": _session_as_token,
    "near miss": _near_miss_token,
}


async def test_the_matrix_refuses_forged_expired_and_revoked_credentials(
    app: Litestar, db: asyncpg.Connection
) -> None:
    study = await make_study(db)
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    spare = await make_account(db, "viewer", "spare@example.org")
    sessions = {why: await forge(db) for why, forge in BAD_SESSIONS.items()}
    tokens = {why: await forge(db) for why, forge in BAD_TOKENS.items()}
    # The bad credentials must also fail for the admin's own live session's neighbours: a live admin
    # session exists throughout, so a lookup that ignored the hash could not pass unnoticed.
    await new_session(db, await make_account(db, "admin"))
    checked = 0
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        csrf = await csrf_token(client)
        for method, path, handler in handlers(app):
            if declared_roles(handler) == "public":  # type: ignore[arg-type]
                continue
            url = url_for(path, route_values(study, spare.id))
            data = {"_csrf_token": csrf} if method in UNSAFE else None
            if path.startswith("/api/"):
                for why, token in tokens.items():
                    client.cookies.delete(auth.SESSION_COOKIE)
                    response = await client.request(
                        method, url, headers={"authorization": f"Bearer {token}"}, data=data
                    )
                    context = (method, path, why, response.status_code, response.text[:200])
                    assert response.status_code == 401, context
                    assert response.json()["status_code"] == 401, context
                    assert response.headers["www-authenticate"] == "Bearer", context
                    checked += 1
                continue
            for why, session in sessions.items():
                if method in UNSAFE:
                    # Past the CSRF check, which needs a token issued to this (bad) session.
                    data = {"_csrf_token": await csrf_token_for(client, session)}
                else:
                    set_cookie(client, auth.SESSION_COOKIE, session)
                response = await client.request(method, url, data=data)
                context = (method, path, why, response.status_code, response.text[:200])
                assert sent_to_sign_in(response), context
                checked += 1
    assert checked > 20 * len(BAD_SESSIONS)
    # Nothing was done by any of these requests: no wave opened or closed, no account changed.
    assert await db.fetchval("SELECT count(*) FROM wave WHERE status <> 'draft'") == 0
    assert (
        await db.fetchval("SELECT disabled_at FROM account WHERE email = $1", spare.email) is None
    )


async def test_a_session_id_planted_by_someone_signed_in_gives_them_nothing(
    app: Litestar, db: asyncpg.Connection, settings: Settings
) -> None:
    """Fixation with a *valid* id: the attacker signs in, plants their own live session id in the
    victim's browser; after the victim signs in, the attacker's copy is not the victim's session."""
    attacker = await make_account(db, "viewer", "attacker@example.org")
    victim = await make_account(db, "admin", "victim@example.org")
    planted = await new_session(db, attacker)
    other_app = create_app(settings, database_url=settings.database_url)
    async with AsyncTestClient(app) as browser, AsyncTestClient(other_app) as attackers:
        browser.follow_redirects = attackers.follow_redirects = False
        set_cookie(browser, auth.SESSION_COOKIE, planted)
        token = await csrf_token(browser)
        signed = await browser.post(
            "/sign-in", data={"email": victim.email, "password": PASSWORD, "_csrf_token": token}
        )
        assert signed.status_code == 303
        after = browser.cookies[auth.SESSION_COOKIE]
        assert after != planted
        assert (await browser.get("/console/users")).status_code == 200  # the victim is an admin
        set_cookie(attackers, auth.SESSION_COOKIE, planted)
        assert sent_to_sign_in(await attackers.get("/console/users"))
        assert sent_to_sign_in(await attackers.get("/console/campaigns"))


EVIL = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",  # stays a local path: browsers do not decode %2F before resolving
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " //evil.example",
    "/\r\nLocation: https://evil.example",
    "http://testserver.local@evil.example",
]


def _is_local(location: str) -> bool:
    parts = urlsplit(location)
    return (
        location.startswith("/")
        and not location.startswith("//")
        and "\\" not in location
        and not parts.scheme
        and not parts.netloc
    )


@pytest.mark.parametrize("target", EVIL)
async def test_next_always_leads_to_a_local_page(
    app: Litestar, db: asyncpg.Connection, target: str
) -> None:
    """Through the whole flow: the sign-in page's hidden field (from ``?next=``, percent-encoded
    once), then the redirect after a successful sign-in."""
    await make_account(db, "researcher")
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        form = await client.get(f"/sign-in?next={quote(target, safe='')}")
        assert form.status_code == 200
        (hidden,) = re.findall(r'name="next" value="([^"]*)"', form.text)
        assert _is_local(html.unescape(hidden)), hidden
        token = await csrf_token(client)
        signed = await client.post(
            "/sign-in",
            data={
                "email": "researcher@example.org",
                "password": PASSWORD,
                "next": target,
                "_csrf_token": token,
            },
        )
        assert signed.status_code == 303
        location = signed.headers["location"]
        assert _is_local(location), location
        assert "\n" not in location and "\r" not in location


async def test_a_csrf_token_of_another_signed_in_session_is_refused(
    app: Litestar, db: asyncpg.Connection, settings: Settings
) -> None:
    """Two admins each with a browser: a token from one browser's forms never works in the other, on any
    unsafe console route."""

    study = await make_study(db)
    first = await make_account(db, "admin", "first@example.org")
    second = await make_account(db, "admin", "second@example.org")
    other_app = create_app(settings, database_url=settings.database_url)
    async with AsyncTestClient(app) as mine, AsyncTestClient(other_app) as theirs:
        mine.follow_redirects = theirs.follow_redirects = False
        set_cookie(mine, auth.SESSION_COOKIE, await new_session(db, first))
        set_cookie(theirs, auth.SESSION_COOKIE, await new_session(db, second))
        await mine.get("/console/campaigns")
        await theirs.get("/console/campaigns")
        their_token = theirs.cookies["csrftoken"]
        assert their_token != mine.cookies["csrftoken"]
        routes = unsafe_routes(app)
        assert len(routes) >= 8
        for method, path in routes:
            if path == "/sign-out":
                url = path
            else:
                url = fill(path).replace("/x/", f"/{study.campaign.key}/")
            for carrier in ("form", "header"):
                kw = (
                    {"data": {"_csrf_token": their_token}}
                    if carrier == "form"
                    else {"headers": {"x-csrftoken": their_token}}
                )
                refused = await mine.request(method, url, **kw)
                assert refused.status_code == 403, (method, path, carrier)
                assert "CSRF" in refused.text, (method, path, carrier)
    # Still signed in (sign-out was refused too), nothing changed.
    assert await db.fetchval("SELECT count(*) FROM account_session WHERE revoked_at IS NULL") == 2
    assert await db.fetchval("SELECT count(*) FROM wave WHERE status <> 'draft'") == 0
