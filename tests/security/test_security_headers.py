"""The same protective headers on every response, set in one place (issue 12, finding 11).

The attack: console and report pages could be framed by another site (click-jacking), sniffed into
another content type, kept in a shared browser's cache after sign-out, and ran without a
Content-Security-Policy; only the respondent pages sent these headers. Every route of the application
is walked here (found in ``app.routes``, so a new one is covered without editing this file), signed in
and not, together with the answers no handler writes: not found, method not allowed, CSRF refusals, the
address refusals made before routing, the API's JSON and the OpenAPI document. Static files keep their
year-long cache and get the other headers.
"""

from __future__ import annotations

import re

import asyncpg
import pytest
from litestar import Litestar

from survey.console import auth
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import drafts as drafts_db
from survey.db import field as field_db
from survey.db import questionnaires as questionnaires_db
from survey.db.campaigns import Campaign
from survey.web.security import CONTENT_SECURITY_POLICY, FRAMED_BY_SELF
from tests.helpers import make_account, new_token
from tests.security.conftest import OpenBrowser

PROTECTIVE = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
STATIC_CACHE = "max-age=31536000, public, immutable"
#: The one page another page may frame, and only a page of this site: the editor's live preview, shown
#: beside the questionnaire (survey/console/answering.py). Every other answer refuses any frame.
FRAMABLE = re.compile(r"/console/drafts/\d+/try")


def _check(response, what: str) -> None:
    framed = FRAMABLE.fullmatch(what.split("?")[0]) is not None and response.status_code < 300
    expected_headers = {**PROTECTIVE, **{k.lower(): v for k, v in FRAMED_BY_SELF.items()}}
    for name, value in (expected_headers if framed else PROTECTIVE).items():
        assert response.headers.get(name) == value, (what, response.status_code, name)
    ancestors = "frame-ancestors 'self'" if framed else "frame-ancestors 'none'"
    assert ancestors in response.headers["content-security-policy"], what
    if what.startswith("/static/"):
        expected = STATIC_CACHE
    elif what.startswith("/field/") and what.endswith(("/form.xml", "/manifest")):
        # A device keeps its form and checks it again each time (ETag); no shared cache may keep it.
        expected = "private, no-cache"
    else:
        expected = "no-store"
    assert response.headers.get("cache-control") == expected, (what, response.status_code)


def _urls(
    app: Litestar,
    campaign: Campaign,
    token: str,
    account_id: int,
    reset: str,
    field: str,
    draft: int,
) -> list[str]:
    """A URL of every GET route, each parameter naming an object that exists."""
    value = {
        "field": field,
        "teams": "default",
        "reset-password": reset,
        "questionnaires": "trafficking-knowledge",
        "campaigns": campaign.key,
        "waves": f"{campaign.key}-pre",
        "r": token,
        "versions": "1",
        "p": "1",
        "users": str(account_id),
        "drafts": str(draft),
        "sections": "0",
        "items": "0",
        "static": "css/survey.css",
        "schema": "openapi.json",
    }
    urls = []
    for route in app.routes:
        if not any(
            "GET" in getattr(h, "http_methods", ()) for h in getattr(route, "route_handlers", [])
        ):
            continue
        parts = route.path.split("/")
        for n, part in enumerate(parts):
            if part.startswith("{"):
                parts[n] = value[parts[n - 1]]
        urls.append("/".join(parts))
    return urls


async def test_every_route_sends_the_protective_headers(
    app: Litestar, browser: OpenBrowser, db: asyncpg.Connection, campaign: Campaign
) -> None:
    wave = await campaigns_db.set_wave_status(db, f"{campaign.key}-pre", "open")
    admin = await browser("admin")
    anonymous = await browser("")
    account_id = await db.fetchval("SELECT id FROM account WHERE installation_admin")
    admin_account = await accounts_db.get_account(db, account_id)
    api_token = await new_token(db, admin_account)
    forgetful = await make_account(db, "viewer", "forgetful@example.org")
    reset, _ = await auth.start_password_reset(db, forgetful.id, created_by=account_id)
    # A draft of the admin's team, from the campaign's questionnaire (publishable: its preview shows).
    published = await questionnaires_db.get_version(db, campaign.questionnaire)
    draft = await drafts_db.create_draft(
        db, team_id=campaign.team_id, definition=published.definition, account_id=account_id
    )
    field = await field_db.ensure_key(db, wave.id, None)
    urls = _urls(app, campaign, wave.token, account_id, reset, field.token, draft)
    assert len(urls) > 25
    assert [u for u in urls if FRAMABLE.fullmatch(u)] == [f"/console/drafts/{draft}/try"]
    assert any(u.startswith("/console/") for u in urls) and any(u.endswith("/report") for u in urls)
    for url in urls:
        for who, client in (("admin", admin), ("anonymous", anonymous)):
            headers = {"authorization": f"Bearer {api_token}"} if who == "admin" else {}
            response = await client.get(url, headers=headers)
            if who == "admin" and url != "/setup":  # gone once an administrator exists
                assert response.status_code < 400, (url, response.status_code)
            _check(response, url)


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/no/such/page", 404),
        ("GET", "/api/v1/no-such-thing", 404),
        ("DELETE", "/console/campaigns", 405),
        ("POST", "/console/campaigns", 403),  # no CSRF token
        ("GET", "/console/campaigns?x=" + "y" * 3000, 414),  # refused before routing
        ("GET", "/console/campaigns/%01", 400),
        ("GET", "/healthz", 200),
        ("GET", "/schema/openapi.json", 200),
        ("GET", "/", 302),
    ],
)
async def test_answers_no_handler_writes_send_them_too(
    browser: OpenBrowser, method: str, url: str, status: int
) -> None:
    client = await browser("researcher")
    response = await client.request(method, url)
    assert response.status_code == status
    _check(response, url)
