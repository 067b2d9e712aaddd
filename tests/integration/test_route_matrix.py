"""Who may use what: every registered route, anonymously, for each role and for an installation
administrator, on what belongs to the caller's own team and on what belongs to another team.

Walks ``app.routes`` (so a route added anywhere is covered without editing this file), fails when a route
declares no roles, and checks each declaration against what really happens:

* public routes never ask for a sign-in; anonymous console requests go to the sign-in page and anonymous
  API requests get 401;
* a caller whose roles the route does not name gets 403, whatever the route names;
* a caller the route lets in gets through on its own team's campaigns, waves, questionnaires and team
  (a GET answers below 400); on another team's it gets 404, exactly as for a key that does not exist,
  unless it administers the installation and the route is one of the installation administrator's;
* no page a caller may read shows anything of the other team's campaign (its key, its wave links, its
  questionnaire kept to that team).

The route × role × team table in docs/roles.md must say the same as the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.console.auth import declared_roles, roles_text
from survey.db import campaigns as campaigns_db
from survey.db import drafts as drafts_db
from survey.db import teams as teams_db
from survey.db.accounts import INSTALLATION_ADMIN, ROLES
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from tests.helpers import (
    UNSAFE,
    V1,
    add_response,
    csrf_token,
    handlers,
    make_account,
    make_study,
    new_session,
    new_token,
    route_values,
    sent_to_sign_in,
    set_cookie,
    team_bound,
    url_for,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
#: Who calls: nobody, a member of the own team in each role, and an installation administrator who is in
#: no team.
INSTALLATION = "installation admin"
CALLERS = (None, *ROLES, INSTALLATION)
#: What the other team has; none of it may show on a page of the own team's members.
RIVAL_CAMPAIGN = "rival-campaign"
RIVAL_QUESTIONNAIRE = "rivalq"


def test_every_route_declares_its_roles(app: Litestar) -> None:
    undeclared = [f"{m} {p}" for m, p, h in handlers(app) if declared_roles(h) is None]
    assert undeclared == [], "declare opt={'roles': ...} on these routes"
    # The guard refuses an undeclared route rather than opening it.
    assert len(handlers(app)) > 60


def test_every_api_route_declares_a_token_scope(app: Litestar) -> None:
    api = [(m, p, h) for m, p, h in handlers(app) if p.startswith("/api/") and m != "OPTIONS"]
    assert len(api) >= 8
    assert [f"{m} {p}" for m, p, h in api if auth.declared_scope(h) is None] == []


async def _rival(db: asyncpg.Connection) -> dict[str, str]:
    """Another team with a campaign, its waves (one open), a questionnaire kept to it and a member; the
    values its routes are called with."""
    rival = await teams_db.create_team(db, "rival", "Rival")
    member = await make_account(db, "admin", "rival-admin@example.org", team="rival")
    definition = load_definition(V1.replace("key: tq", f"key: {RIVAL_QUESTIONNAIRE}"))
    await publish(db, definition, team="rival", shared=False)
    await campaigns_db.create_campaign(
        db, RIVAL_CAMPAIGN, questionnaire=RIVAL_QUESTIONNAIRE, design="independent", team="rival"
    )
    pre = await campaigns_db.add_wave(db, RIVAL_CAMPAIGN, phase="pre")
    await campaigns_db.add_wave(db, RIVAL_CAMPAIGN, phase="post")
    await campaigns_db.set_wave_status(db, pre.key, "open")
    await add_response(db, pre, {"consent": "yes", "k_offer": "no"})
    token = await new_token(db, member)
    draft = await drafts_db.create_draft(
        db, team_id=rival.id, definition=definition, account_id=member.id
    )
    assert rival.key == "rival"
    return {
        "drafts": str(draft),
        "campaigns": RIVAL_CAMPAIGN,
        "waves": pre.key,
        "questionnaires": RIVAL_QUESTIONNAIRE,
        "teams": "rival",
        "members": str(member.id),
        "wave_token": pre.token,
        "token_secret": token,
    }


def _expected_statuses(
    roles: object, who: str | None, *, api: bool, method: str, other: bool
) -> str:
    """What the route must answer, in words the assertion below checks."""
    if roles == "public":
        return "public"
    if who is None:
        return "401" if api else "sign-in"
    if roles == auth.SIGNED_IN:
        return "allowed"
    named = set(roles)  # type: ignore[arg-type]
    if who == INSTALLATION:
        if INSTALLATION_ADMIN not in named:
            return "403"
        return "allowed"
    if who not in named:
        return "403"
    return "404" if other else "allowed"


async def test_the_whole_matrix(app: Litestar, db: asyncpg.Connection) -> None:
    study = await make_study(db)
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    await db.execute("UPDATE wave SET status = 'open' WHERE campaign_id = $1", study.campaign.id)
    # The own team is the default one: a member in each role (its admin administers the team only).
    accounts = {role: await make_account(db, role, installation_admin=False) for role in ROLES}
    accounts[INSTALLATION] = await make_account(
        db, "viewer", "root@example.org", installation_admin=True
    )
    await teams_db.remove_member(
        db, await teams_db.get_team(db, "default"), accounts[INSTALLATION].id
    )
    # The target of account and member actions: a viewer of the own team.
    spare = await make_account(db, "viewer", "spare@example.org", installation_admin=False)
    rival = await _rival(db)
    tokens = {who: await new_token(db, account) for who, account in accounts.items()}
    sessions = {who: await new_session(db, account) for who, account in accounts.items()}
    # A draft of the own team, with an item to change (the editor's routes name both).
    own_draft = await drafts_db.create_draft(
        db,
        team_id=study.campaign.team_id,
        definition=load_definition(V1),
        account_id=accounts["researcher"].id,
    )
    own_values = {
        **route_values(study, spare.id),
        "tokens": "1",
        "drafts": str(own_draft),
        "sections": "0",
        "items": "0",
    }
    other_values = {**own_values, **{k: v for k, v in rival.items() if k in own_values}}
    secrets_of_rival = (RIVAL_CAMPAIGN, RIVAL_QUESTIONNAIRE, rival["wave_token"])

    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        checked: dict[tuple[str, str], int] = {}
        for method, path, handler in handlers(app):
            roles = declared_roles(handler)
            api = path.startswith("/api/")
            variants = [("own", own_values)]
            if team_bound(path):
                variants.append(("other", other_values))
            for who in CALLERS:
                for variant, values in variants:
                    url = url_for(path, values)
                    client.cookies.delete(auth.SESSION_COOKIE)
                    headers = {}
                    if who is not None and api:
                        headers["authorization"] = f"Bearer {tokens[who]}"
                    elif who is not None:
                        set_cookie(client, auth.SESSION_COOKIE, sessions[who])
                    data = None
                    if method in UNSAFE and not api:
                        # A CSRF token issued to this browser as it is now (with this session).
                        client.cookies.delete("csrftoken")
                        data = {"_csrf_token": await csrf_token(client)}
                    response = await client.request(method, url, data=data, headers=headers)
                    if who is not None and (path == "/sign-out" or response.status_code == 303):
                        # Signing out (or a password change) ended this session: a fresh one.
                        sessions[who] = await new_session(db, accounts[who])
                    status = response.status_code
                    context = (method, url, who, status, response.text[:300])
                    expected = _expected_statuses(
                        roles, who, api=api, method=method, other=variant == "other"
                    )
                    if expected == "public":
                        # (Signing out ends on the sign-in page by design, not for want of a session.)
                        assert status != 401, context
                        assert path == "/sign-out" or not sent_to_sign_in(response), context
                    elif expected == "401":
                        assert status == 401 and response.json()["status_code"] == 401, context
                    elif expected == "sign-in":
                        assert sent_to_sign_in(response), context
                    elif expected == "403":
                        assert status == 403, context
                    elif expected == "404":
                        assert status == 404, context
                    else:
                        assert status not in (401, 403) and not sent_to_sign_in(response), context
                        if method == "GET":
                            assert status < 400, context
                    if who is not None and method == "GET" and status == 200:
                        leaked = [s for s in secrets_of_rival if s in response.text]
                        assert not (variant == "own" and leaked), (context, leaked)
                    checked[(method, path)] = checked.get((method, path), 0) + 1
    every = {(m, p) for m, p, _ in handlers(app)}
    assert set(checked) == every, "every registered route is requested"
    bound = [(m, p) for m, p, _ in handlers(app) if team_bound(p)]
    assert len(bound) > 25
    assert all(checked[route] == 2 * len(CALLERS) for route in bound), "own and other team each"


# -- the table in docs/roles.md -------------------------------------------------------------------------


def _roles_cell(cell: str) -> str:
    team_roles = cell.replace("installation admin", "")
    words = [r for r in ROLES if re.search(rf"\b{r}\b", team_roles)]
    if "installation admin" in cell:
        words.append("installation admin")
    if words:
        return ", ".join(words)
    return cell.strip()


def documented_roles() -> dict[tuple[str, str], tuple[str, ...]]:
    """(method, path) → (roles, what another team's members get[, the token scope for the API]), from
    the tables of docs/roles.md."""
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.match(
            r"^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|",
            line,
        )
        if match:
            method, path, roles, other, scope = match.groups()
            row = (_roles_cell(roles), other.strip())
            rows[(method, path)] = (*row, scope.strip()) if path.startswith("/api/") else row
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
    """docs/roles.md lists every route that needs a sign-in with exactly the roles it declares and what
    a member of another team gets there (404 where the route names something of a team), and every
    public path under a prefix of its *Public* table."""
    documented = documented_roles()
    public = documented_public()
    assert "/r/" in public and "/healthz" in public
    ours = {}
    for method, path, handler in handlers(app):
        roles = declared_roles(handler)
        if method == "OPTIONS":
            continue
        plain = re.sub(r":\w+\}", "}", path)
        if roles == "public" and (method, plain) not in documented:
            assert any(path.startswith(p) for p in public), f"document the public {method} {path}"
            continue
        other = "404" if team_bound(path) and roles not in ("public", auth.SIGNED_IN) else "—"
        row = (roles_text(roles), other)
        ours[(method, plain)] = (
            (*row, auth.declared_scope(handler)) if path.startswith("/api/") else row
        )
    assert len(ours) > 40
    missing = sorted(set(ours) - set(documented))
    assert missing == [], "add these routes to docs/roles.md"
    stale = sorted(set(documented) - set(ours))
    assert stale == [], "docs/roles.md lists routes that do not exist"
    wrong = {k: (documented[k], v) for k, v in ours.items() if documented[k] != v}
    assert wrong == {}, "docs/roles.md says (first) something else than the code (second)"
