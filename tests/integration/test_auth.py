"""Sign-in, sessions, sign-out, limits, redirects and CSRF, on a real database."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import auth
from survey.console.messages import CATALOGUE
from survey.db import accounts as accounts_db
from survey.db.pool import create_pool
from survey.settings import Settings
from tests.helpers import (
    PASSWORD,
    csrf_token,
    fill,
    make_account,
    new_session,
    set_cookie,
    unsafe_routes,
)
from tests.helpers import (
    post_console_form as post_form,
)

CAMPAIGNS = "/console/campaigns"
SIGN_IN = CATALOGUE.bound("mn")


async def sign_in(client: AsyncTestClient, email: str, password: str = PASSWORD, next: str = ""):
    data = {"email": email, "password": password}
    if next:
        data["next"] = next
    return await post_form(client, "/sign-in", data)


def set_cookie_header(response, name: str) -> str:
    """The Set-Cookie header for ``name`` (there is exactly one)."""
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


async def is_signed_in(client: AsyncTestClient, token: str) -> bool:
    """Whether a browser presenting this session cookie gets a console page (the cookie stays set)."""
    set_cookie(client, auth.SESSION_COOKIE, token)
    response = await client.get(CAMPAIGNS)
    return response.status_code == 200


async def test_anonymous_pages_go_to_sign_in_and_come_back(client: AsyncTestClient, db) -> None:
    await make_account(db, "researcher")
    away = await client.get("/console/campaigns?sort=new")
    assert away.status_code == 303
    location = urlsplit(away.headers["location"])
    assert location.path == "/sign-in"
    assert parse_qs(location.query)["next"] == ["/console/campaigns?sort=new"]
    form = await client.get(away.headers["location"])
    assert 'name="next" value="/console/campaigns?sort=new"' in form.text
    signed = await sign_in(client, "Researcher@Example.org ", next="/console/campaigns?sort=new")
    assert signed.status_code == 303 and signed.headers["location"] == "/console/campaigns?sort=new"
    assert (await client.get(CAMPAIGNS)).status_code == 200
    # htmx requests are told where to go instead of swapping the sign-in page into a fragment.
    client.cookies.delete(auth.SESSION_COOKIE)
    fragment = await client.get("/console/waves/x", headers={"HX-Request": "true"})
    assert fragment.status_code == 401 and fragment.headers["hx-redirect"].startswith("/sign-in")


async def test_wrong_password_and_unknown_address_read_the_same(
    client: AsyncTestClient, db
) -> None:
    await make_account(db, "analyst")
    wrong = await sign_in(client, "analyst@example.org", "not the password")
    unknown = await sign_in(client, "nobody@example.org")
    assert wrong.status_code == unknown.status_code == 400
    # Before signing in the page is in Mongolian, the default.
    assert SIGN_IN("sign_in.refused.wrong") in wrong.text
    assert SIGN_IN("sign_in.refused.wrong") in unknown.text
    assert 'value="analyst@example.org"' in wrong.text  # what was typed is kept
    assert auth.SESSION_COOKIE not in client.cookies


async def test_session_cookie_attributes(client: AsyncTestClient, db, settings: Settings) -> None:
    await make_account(db, "viewer")
    signed = await sign_in(client, "viewer@example.org")
    raw = set_cookie_header(signed, auth.SESSION_COOKIE)
    header = raw.lower()
    assert "httponly" in header and "samesite=lax" in header and "path=/" in header
    # Plain http (localhost, tests): a Secure cookie would never come back.
    assert "secure" not in header
    https = msgspec.structs.replace(settings, base_url="https://survey.example.org")
    assert "secure" in str(auth.session_cookie(https, "x").to_header()).lower()
    # The session id is random and stored only hashed.
    token = raw.split(";")[0].split("=", 1)[1]
    stored = await db.fetch("SELECT token_hash FROM account_session")
    assert [bytes(r["token_hash"]) for r in stored] == [auth.hash_token(token)]


async def test_a_new_session_id_at_sign_in(client: AsyncTestClient, db) -> None:
    """Session fixation: an id planted in the browser before sign-in is never the signed-in one."""
    account = await make_account(db, "researcher")
    planted = secrets.token_urlsafe(32)
    set_cookie(client, auth.SESSION_COOKIE, planted)
    signed = await sign_in(client, account.email)
    assert signed.status_code == 303
    new = client.cookies[auth.SESSION_COOKIE]
    assert new != planted
    assert not await is_signed_in(client, planted)
    assert await is_signed_in(client, new)
    # Signing in again (say, as someone else on a shared laptop) ends the earlier session too.
    other = await make_account(db, "analyst")
    assert (await sign_in(client, other.email)).status_code == 303
    assert client.cookies[auth.SESSION_COOKIE] != new
    assert not await is_signed_in(client, new)


async def test_sign_out_revokes_the_session_on_the_server(client: AsyncTestClient, db) -> None:
    account = await make_account(db, "researcher")
    await sign_in(client, account.email)
    token = client.cookies[auth.SESSION_COOKIE]
    out = await post_form(client, "/sign-out")
    assert out.status_code == 303 and out.headers["location"] == "/sign-in"
    assert "max-age=0" in set_cookie_header(out, auth.SESSION_COOKIE).lower()
    # A copy of the cookie kept elsewhere does not work any more either.
    assert not await is_signed_in(client, token)
    revoked = await db.fetchval(
        "SELECT revoked_at FROM account_session WHERE token_hash = $1", auth.hash_token(token)
    )
    assert revoked is not None


@pytest.mark.parametrize(
    ("idle", "age", "alive"),
    [
        (timedelta(hours=11), timedelta(days=6), True),
        (timedelta(hours=13), timedelta(hours=13), False),  # idle too long
        (timedelta(minutes=5), timedelta(days=7, hours=1), False),  # too old, though in use
    ],
)
async def test_sessions_expire(
    client: AsyncTestClient, db, idle: timedelta, age: timedelta, alive: bool
) -> None:
    account = await make_account(db, "analyst")
    token = await new_session(db, account)
    await db.execute(
        "UPDATE account_session SET created_at = now() - $2::interval, "
        "last_seen_at = now() - $3::interval WHERE token_hash = $1",
        auth.hash_token(token),
        age,
        idle,
    )
    assert await is_signed_in(client, token) is alive


async def test_failed_sign_ins_are_limited_per_account(client: AsyncTestClient, db) -> None:
    await make_account(db, "admin")
    await make_account(db, "researcher")
    for _ in range(auth.DEFAULT_LIMITS.account_failures):
        assert (await sign_in(client, "admin@example.org", "wrong password!")).status_code == 400
    # Now even the right password is refused, with a message that says what to do, and when.
    limited = await sign_in(client, "admin@example.org")
    assert limited.status_code == 429
    assert SIGN_IN("sign_in.refused.account_limit", minutes=15) in limited.text
    assert 880 <= int(limited.headers["retry-after"]) <= 900
    assert auth.SESSION_COOKIE not in client.cookies
    # Other accounts are not affected.
    assert (await sign_in(client, "researcher@example.org")).status_code == 303
    # Attempts older than the window no longer count.
    await db.execute(
        "UPDATE sign_in_attempt SET attempted_at = attempted_at - interval '16 minutes'"
    )
    assert (await sign_in(client, "admin@example.org")).status_code == 303


async def test_a_new_password_unlocks_a_locked_account(client: AsyncTestClient, db) -> None:
    """What the locked account's page tells its owner to do works: an administrator's new password."""
    await make_account(db, "analyst")
    for _ in range(auth.DEFAULT_LIMITS.account_failures):
        await sign_in(client, "analyst@example.org", "wrong password!")
    assert (await sign_in(client, "analyst@example.org")).status_code == 429
    await accounts_db.set_password_hash(
        db, "analyst@example.org", auth.hash_password("a new one, not guessable")
    )
    assert (
        await sign_in(client, "analyst@example.org", "a new one, not guessable")
    ).status_code == 303


async def test_failed_sign_ins_are_limited_per_client(client: AsyncTestClient, db) -> None:
    """One client trying many addresses (one password sprayed over many accounts) is stopped, without
    locking any account: the accounts it tried still sign in from elsewhere."""
    await make_account(db, "analyst")
    for n in range(auth.DEFAULT_LIMITS.address_failures):
        assert (
            await sign_in(client, f"guess{n}@example.org", "wrong password!")
        ).status_code == 400
    limited = await sign_in(client, "analyst@example.org")
    assert limited.status_code == 429
    assert SIGN_IN("sign_in.refused.address_limit", minutes=15) in limited.text
    # The test client's own address is what was counted: the same attempts from another address do not
    # count, and the window frees this one.
    assert await db.fetchval("SELECT count(DISTINCT client_key) FROM sign_in_attempt") == 1
    await db.execute(
        "UPDATE sign_in_attempt SET attempted_at = attempted_at - interval '16 minutes'"
    )
    assert (await sign_in(client, "analyst@example.org")).status_code == 303


async def test_concurrent_attempts_cannot_exceed_the_limit(database_url: str, db) -> None:
    """Pending attempts count: a burst of simultaneous guesses checks at most the allowed number."""
    await make_account(db, "viewer")
    limits = auth.SignInLimits(account_failures=3)
    pool = await create_pool(database_url, max_size=6)
    try:
        one_by_one = [
            await auth.sign_in(pool, "viewer@example.org", "guess", limits=limits) for _ in range(5)
        ]
        assert [o.refused for o in one_by_one] == ["wrong"] * 3 + ["account_limit"] * 2
        await db.execute("DELETE FROM sign_in_attempt")
        together = await asyncio.gather(
            *(auth.sign_in(pool, "viewer@example.org", "guess", limits=limits) for _ in range(6))
        )
        checked = [o for o in together if o.refused == "wrong"]
        assert 1 <= len(checked) <= 3
        assert all(o.refused in ("wrong", "account_limit") for o in together)
        # A pending attempt (another process checking a password right now) counts as well.
        await db.execute("DELETE FROM sign_in_attempt")
        for _ in range(3):
            await accounts_db.begin_sign_in_attempt(db, "viewer@example.org")
        refused = await auth.sign_in(pool, "viewer@example.org", PASSWORD, limits=limits)
        assert refused.refused == "account_limit"
    finally:
        await pool.close()


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "\\\\evil.example", "evil",
     "javascript:alert(1)", "/\tevil", "http:/evil.example", "///evil.example"],
)  # fmt: skip
async def test_no_open_redirect_after_sign_in(client: AsyncTestClient, db, target: str) -> None:
    await make_account(db, "researcher")
    signed = await sign_in(client, "researcher@example.org", next=target)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/console"


def test_safe_next_keeps_local_paths() -> None:
    for path in ("/console", "/console/campaigns/tip?x=1#top", "/console/waves/a-b"):
        assert auth.safe_next(path) == path
    for bad in (None, "", "//x", "///x", "/\\x", "https://x", "x", "/a\nb", "/\x00"):
        assert auth.safe_next(bad) == "/console"


async def test_argon2id_hashes_are_stored(db) -> None:
    account = await make_account(db, "admin")
    stored = await db.fetchval("SELECT password_hash FROM account WHERE id = $1", account.id)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(Exception, match="at least 10"):
        auth.hash_password("123456789")


# -- CSRF --------------------------------------------------------------------------------------------


async def test_every_unsafe_console_request_needs_the_csrf_token(settings: Settings, db) -> None:
    app = create_app(settings, database_url=settings.database_url)
    routes = unsafe_routes(app)
    # Sign-in and sign-out, and every console form.
    assert ("POST", "/sign-in") in routes and ("POST", "/sign-out") in routes
    assert ("POST", "/console/campaigns/{key:str}/export") in routes
    admin = await make_account(db, "admin")
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
        good = await csrf_token(client)
        # A genuine token, but issued to another browser (its own cookie).
        client.cookies.delete("csrftoken")
        await client.get("/sign-in")
        other = client.cookies["csrftoken"]
        set_cookie(client, "csrftoken", good)
        assert other != good
        forged = secrets.token_hex(32) + secrets.token_hex(32)
        for method, path in routes:
            url = fill(path)
            attempts = {
                "no token": {},
                "forged token": {"_csrf_token": forged},
                "tampered token": {"_csrf_token": good[:-1] + ("0" if good[-1] != "0" else "1")},
                "another browser's token": {"_csrf_token": other},
            }
            for why, data in attempts.items():
                refused = await client.request(method, url, data=data)
                assert refused.status_code == 403, (method, path, why)
                assert "CSRF" in refused.text, (method, path, why)
            # Without the cookie, even the right token is refused (double submit).
            client.cookies.delete("csrftoken")
            alone = await client.request(method, url, data={"_csrf_token": good})
            assert alone.status_code == 403 and "CSRF" in alone.text, (method, path)
            set_cookie(client, "csrftoken", good)
            # With the token, CSRF lets it through (whatever the handler then says).
            passed = await client.request(
                method, url, data={"_csrf_token": good}, headers={"x-csrftoken": good}
            )
            assert "CSRF token verification failed" not in passed.text, (method, path)
            if path == "/sign-out":
                # Signed in again: a new session, and tokens are bound to their session.
                set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
                client.cookies.delete("csrftoken")
                good = await csrf_token(client)


async def test_public_pages_set_no_cookie(client: AsyncTestClient) -> None:
    """Respondents get only their response cookie: static files and the health check set none."""
    from survey.web.static import static_url

    for path in ("/healthz", static_url("css/survey.css"), "/schema/openapi.json"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "set-cookie" not in response.headers, path
