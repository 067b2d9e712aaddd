"""CSRF tokens are bound to the browser's session (issue 12, finding 12).

The attack: the CSRF check was a plain double submit, so whoever could plant a cookie in a signed-in
browser (a sibling sub-domain, a network on plain http) planted a ``csrftoken`` of their own together
with the matching header or field, and the forged request passed. Now a token is valid only for the
session it was issued to: a pair obtained anywhere else is refused. Sign-in has no session yet; there a
planted pair is refused when the browser says the form came from another site.
"""

from __future__ import annotations

import re
from html import unescape

import asyncpg
import pytest

from survey.console import auth
from survey.db import accounts as accounts_db
from survey.web.csrf import COOKIE
from tests.helpers import PASSWORD, TEST_CLIENT_HOST, password_hash
from tests.security.conftest import Browser, OpenBrowser

NEW_ACCOUNT = {
    "email": "mallory@example.org",
    "role": "admin",
    "password": "a long unguessable one",
}


def _plant(browser: Browser, token: str) -> None:
    browser.cookies.delete(COOKIE)
    browser.cookies.set(COOKIE, token, domain=TEST_CLIENT_HOST)


@pytest.mark.parametrize("attacker_role", ["", "viewer", "admin"])
async def test_a_planted_token_pair_does_not_pass_for_a_signed_in_victim(
    browser: OpenBrowser, db: asyncpg.Connection, attacker_role: str
) -> None:
    """The attacker's pair comes from a browser of their own: anonymous, or signed in (even as an
    admin) with their own session."""
    victim = await browser("admin")
    attacker = await browser(attacker_role)
    planted = attacker.cookies[COOKIE]
    _plant(victim, planted)
    for carrier in ("header", "field"):
        kwargs = (
            {"headers": {"x-csrftoken": attacker.csrf}, "data": NEW_ACCOUNT}
            if carrier == "header"
            else {"data": {**NEW_ACCOUNT, "_csrf_token": attacker.csrf}}
        )
        forged = await victim.post("/console/users", **kwargs)
        assert forged.status_code == 403, (carrier, forged.status_code)
        assert "CSRF" in forged.text
    assert (
        await db.fetchval("SELECT count(*) FROM account WHERE email = $1", NEW_ACCOUNT["email"])
        == 0
    )
    # The victim's own browser, reloading the page, gets a token of its own session again and works.
    victim.cookies.delete(COOKIE)
    form = await victim.get("/console/users")
    token = re.findall(r'name="_csrf_token" value="([^"]+)"', form.text)[0]
    created = await victim.post(
        "/console/users", data={**NEW_ACCOUNT, "_csrf_token": unescape(token)}
    )
    assert created.status_code == 303


async def test_sign_in_refuses_a_planted_pair_sent_from_another_site(
    browser: OpenBrowser, db: asyncpg.Connection
) -> None:
    """Login CSRF: signing the victim into the attacker's account. A pair for sign-in (before any
    session) can be fetched by anyone; what the browser says about where the form came from decides."""
    await accounts_db.create_account(
        db, "attacker@example.org", role="viewer", password_hash=password_hash()
    )
    attacker = await browser("")
    victim = await browser("")
    _plant(victim, attacker.cookies[COOKIE])
    fields = {"email": "attacker@example.org", "password": PASSWORD, "_csrf_token": attacker.csrf}
    for headers in (
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "null"},  # a sibling sub-domain
    ):
        refused = await victim.post("/sign-in", data=fields, headers=headers)
        assert refused.status_code == 403, headers
        assert "another site" in refused.text
        assert auth.SESSION_COOKIE not in victim.cookies
    # The sign-in form of this site, as a browser sends it (``Origin: null`` under our
    # ``Referrer-Policy: no-referrer``), still signs in; so does one from a browser that says nothing.
    same_site = {"origin": "null", "sec-fetch-site": "same-origin"}
    assert (await attacker.post("/sign-in", data=fields, headers=same_site)).status_code == 303
    other = await browser("")
    origin_only = {"origin": f"http://{TEST_CLIENT_HOST}"}
    assert (
        await other.post(
            "/sign-in", data={**fields, "_csrf_token": other.csrf}, headers=origin_only
        )
    ).status_code == 303


async def test_templates_keep_their_interface_and_tokens_end_with_their_session(
    browser: OpenBrowser, db: asyncpg.Connection
) -> None:
    admin = await browser("admin")
    pages = [await admin.get("/console/users") for _ in range(2)]
    field_tokens = [re.findall(r'name="_csrf_token" value="([^"]+)"', p.text) for p in pages]
    header_tokens = [re.findall(r'"x-csrftoken": "([^"]+)"', p.text) for p in pages]
    assert all(field_tokens) and all(header_tokens)
    # Masked afresh on every page (nothing for a compressed page to reveal), and every one works.
    assert len({t for tokens in field_tokens for t in tokens}) > 1
    for n, token in enumerate([field_tokens[0][0], header_tokens[1][0]]):
        account = {**NEW_ACCOUNT, "email": f"new{n}@example.org"}
        sent = await admin.post("/console/users", data=account, headers={"x-csrftoken": token})
        assert sent.status_code == 303
    # Signed out and in again: the old page's token belongs to a session that is gone.
    old = field_tokens[0][0]
    await admin.post("/sign-out", data={"_csrf_token": old})
    account_email = await db.fetchval(
        "SELECT email FROM account WHERE installation_admin ORDER BY id LIMIT 1"
    )
    fresh = await admin.get("/sign-in")
    (sign_in_token,) = re.findall(r'name="_csrf_token" value="([^"]+)"', fresh.text)
    signed = await admin.post(
        "/sign-in",
        data={"email": account_email, "password": PASSWORD, "_csrf_token": sign_in_token},
    )
    assert signed.status_code == 303
    stale = await admin.post(
        "/console/users",
        data={**NEW_ACCOUNT, "email": "late@example.org"},
        headers={"x-csrftoken": old},
    )
    assert stale.status_code == 403
