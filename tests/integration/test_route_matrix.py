"""Who may use what: every registered route, for anonymous requests and for each role.

Walks ``app.routes`` (so a route added anywhere is covered without editing this file), fails when a route
declares no roles, and checks each declaration against what really happens: public routes never ask for a
sign-in; anonymous console requests go to the sign-in page and anonymous API requests get 401; a role the
route allows gets through (a GET answers below 400), any other role gets 403. The route × role table in
docs/roles.md must say the same as the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import auth
from survey.console.auth import declared_roles, roles_text
from survey.db.accounts import ROLES
from survey.settings import Settings
from tests.integration.test_console import (
    Study,
    add_response,
    csrf_token,
    make_account,
    make_study,
    new_session,
    new_token,
    set_cookie,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def handlers(app: Litestar) -> list[tuple[str, str, object]]:
    """(method, path, handler) of every registered route, litestar's own OPTIONS answers included."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(getattr(handler, "http_methods", ())):
                found.append((method, route.path, handler))
    return found


@pytest.fixture(name="app")
def app_fixture(settings: Settings) -> Litestar:
    return create_app(settings, database_url=settings.database_url)


def test_every_route_declares_its_roles(app: Litestar) -> None:
    undeclared = [f"{m} {p}" for m, p, h in handlers(app) if declared_roles(h) is None]  # type: ignore[arg-type]
    assert undeclared == [], "declare opt={'roles': ...} on these routes"
    # The guard refuses an undeclared route rather than opening it.
    assert len(handlers(app)) > 40


def url_for(path: str, study: Study, account_id: int) -> str:
    """A real URL for a route path: each parameter filled with an object that exists, chosen by the path
    segment before it (``/campaigns/{key}`` a campaign, ``/waves/{key}`` a wave...)."""
    by_segment = {
        "questionnaires": "tq",
        "campaigns": study.campaign.key,
        "waves": study.pre.key,
        "r": study.pre.token,
        "field": "A" * 32,  # no such field address: the public endpoints still answer (404)
        "versions": "1",
        "p": "1",
        "users": str(account_id),
        "static": "css/survey.css",
        "schema": "openapi.json",
    }
    parts = path.split("/")
    for n, part in enumerate(parts):
        if part.startswith("{"):
            assert parts[n - 1] in by_segment, f"add a value for the parameter of {path} to url_for"
            parts[n] = by_segment[parts[n - 1]]
    return "/".join(parts)


def sent_to_sign_in(response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/sign-in")


async def test_the_whole_matrix(app: Litestar, db: asyncpg.Connection) -> None:
    study = await make_study(db)
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    await db.execute("UPDATE wave SET status = 'open'")
    accounts = {role: await make_account(db, role) for role in ROLES}
    spare = await make_account(db, "viewer", "spare@example.org")  # the target of account actions
    tokens = {role: await new_token(db, account) for role, account in accounts.items()}
    sessions = {role: await new_session(db, account) for role, account in accounts.items()}
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        token = await csrf_token(client)
        checked = 0
        for method, path, handler in handlers(app):
            roles = declared_roles(handler)  # type: ignore[arg-type]
            url = url_for(path, study, spare.id)
            api = path.startswith("/api/")
            data = {"_csrf_token": token} if method in UNSAFE else None
            for who in (None, *ROLES):
                client.cookies.delete(auth.SESSION_COOKIE)
                headers = {}
                if who is not None and api:
                    headers["authorization"] = f"Bearer {tokens[who]}"
                elif who is not None:
                    set_cookie(client, auth.SESSION_COOKIE, sessions[who])
                response = await client.request(method, url, data=data, headers=headers)
                if path == "/sign-out" and who is not None:
                    sessions[who] = await new_session(db, accounts[who])
                status = response.status_code
                context = (method, path, who, status, response.text[:200])
                if roles == "public":
                    # (Signing out ends on the sign-in page by design, not for want of a session.)
                    assert status != 401, context
                    assert path == "/sign-out" or not sent_to_sign_in(response), context
                elif who is None and api:
                    assert status == 401 and response.json()["status_code"] == 401, context
                elif who is None:
                    assert sent_to_sign_in(response), context
                elif who in roles:  # type: ignore[operator]
                    assert status not in (401, 403) and not sent_to_sign_in(response), context
                    if method == "GET":
                        assert status < 400, context
                else:
                    assert status == 403, context
                checked += 1
        assert checked >= 5 * 40


def documented_roles() -> dict[tuple[str, str], str]:
    """(method, path) → roles, from the table in docs/roles.md."""
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|([^|]*)\|", line)
        if match:
            method, path, roles = match.groups()
            rows[(method, path)] = ", ".join(r for r in ROLES if r in roles) or roles.strip()
    return rows


def documented_public() -> list[str]:
    """The path prefixes of the *Public* table of docs/roles.md (``/r/...`` → ``/r/``)."""
    text = DOCS.read_text(encoding="utf-8").split("## Public", 1)[1]
    return [
        prefix.rstrip(".")
        for cell in re.findall(r"^\|\s*([^|]+?)\s*\|", text, re.MULTILINE)
        for prefix in re.findall(r"`([^`]+)`", cell)
    ]


def test_the_docs_table_matches_the_code(app: Litestar) -> None:
    """docs/roles.md lists every route that needs a sign-in with exactly the roles it declares, and
    every public path under a prefix of its *Public* table."""
    documented = documented_roles()
    public = documented_public()
    assert "/r/" in public and "/healthz" in public
    ours = {}
    for method, path, handler in handlers(app):
        roles = declared_roles(handler)  # type: ignore[arg-type]
        if method == "OPTIONS":
            continue
        if roles == "public" and (method, re.sub(r":\w+\}", "}", path)) not in documented:
            assert any(path.startswith(p) for p in public), f"document the public {method} {path}"
            continue
        ours[(method, re.sub(r":\w+\}", "}", path))] = roles_text(roles)
    assert len(ours) > 20
    missing = sorted(set(ours) - set(documented))
    assert missing == [], "add these routes to docs/roles.md"
    stale = sorted(set(documented) - set(ours))
    assert stale == [], "docs/roles.md lists routes that do not exist"
    wrong = {k: (documented[k], v) for k, v in ours.items() if documented[k] != v}
    assert wrong == {}, "docs/roles.md says (first) something else than the code (second)"
