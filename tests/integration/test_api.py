"""The read-only JSON API: bearer tokens, role limits, pagination, the OpenAPI document."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.db import accounts as accounts_db
from survey.db import teams as teams_db
from tests.helpers import (
    T0,
    Study,
    add_response,
    make_account,
    new_session,
    new_token,
    public_id,
    set_cookie,
)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_anonymous_and_bad_tokens_get_401(
    client: AsyncTestClient, db: asyncpg.Connection, study
):
    for headers in (
        {},
        bearer("svy_not-a-token"),
        bearer("not even the prefix"),
        {"authorization": "x"},
    ):
        response = await client.get("/api/v1/campaigns", headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["status_code"] == 401
        assert response.headers["www-authenticate"] == "Bearer"
    # A session cookie is not an API credential (no CSRF token guards the API).
    account = await make_account(db, "admin")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, account))
    assert (await client.get("/api/v1/campaigns")).status_code == 401


async def test_tokens_follow_their_owner(
    client: AsyncTestClient, db: asyncpg.Connection, study
) -> None:
    account = await make_account(db, "researcher")
    token = await new_token(db, account)
    campaigns = await client.get("/api/v1/campaigns", headers=bearer(token))
    assert campaigns.status_code == 200
    assert [c["key"] for c in campaigns.json()] == ["tip"]
    # Demoted in the campaign's team: the token has the new role at once.
    team = await teams_db.get_team(db, "default")
    await teams_db.set_member_role(db, team, account.id, "viewer")
    assert (await client.get("/api/v1/campaigns/tip", headers=bearer(token))).status_code == 403
    assert (await client.get("/api/v1/campaigns", headers=bearer(token))).status_code == 200
    # Disabled: the token stops working.
    await accounts_db.set_disabled(db, account.id, True)
    assert (await client.get("/api/v1/campaigns", headers=bearer(token))).status_code == 401
    stored = await db.fetchval("SELECT token_hash FROM api_token")
    assert bytes(stored) == auth.hash_token(token) and token.encode() not in bytes(stored)


async def test_role_limits(client: AsyncTestClient, db: asyncpg.Connection, study: Study) -> None:
    tokens = {role: await new_token(db, await make_account(db, role)) for role in auth.ROLES}
    viewer = bearer(tokens["viewer"])
    assert (await client.get("/api/v1/campaigns", headers=viewer)).status_code == 200
    for path in (
        "/api/v1/questionnaires",
        "/api/v1/campaigns/tip/responses",
        "/api/v1/campaigns/tip",
    ):
        assert (await client.get(path, headers=viewer)).status_code == 403, path
    # Analysts read waves but not their links; researchers hand links out.
    analyst = (
        await client.get("/api/v1/campaigns/tip/waves", headers=bearer(tokens["analyst"]))
    ).json()
    assert [w["key"] for w in analyst] == ["tip-pre", "tip-post"]
    assert {w["link"] for w in analyst} == {None}
    researcher = await client.get("/api/v1/campaigns/tip", headers=bearer(tokens["researcher"]))
    assert researcher.json()["waves"][0]["link"] == f"http://testserver/r/{study.pre.token}"


async def test_questionnaires_and_versions(client: AsyncTestClient, db, study: Study) -> None:
    token = bearer(await new_token(db, await make_account(db, "analyst")))
    listed = (await client.get("/api/v1/questionnaires", headers=token)).json()
    assert [(q["key"], q["latest_version"], q["n_versions"]) for q in listed] == [("tq", 2, 2)]
    versions = (await client.get("/api/v1/questionnaires/tq/versions", headers=token)).json()
    assert [v["version"] for v in versions] == [1, 2]
    v2 = (await client.get("/api/v1/questionnaires/tq/versions/2", headers=token)).json()
    stored = await db.fetchrow(
        "SELECT sha256, fingerprints FROM questionnaire_version WHERE version = 2"
    )
    assert v2["sha256"] == stored["sha256"] and v2["fingerprints"] == stored["fingerprints"]
    assert any(i["key"] == "k_hotline" for s in v2["definition"]["sections"] for i in s["items"])
    missing = await client.get("/api/v1/questionnaires/tq/versions/9", headers=token)
    assert missing.status_code == 404 and "no version 9" in missing.json()["detail"]


async def test_responses_are_paginated(client: AsyncTestClient, db, study: Study) -> None:
    account = await make_account(db, "analyst")
    token = bearer(await new_token(db, account))
    complete = set()
    for n in range(7):
        wave = study.pre if n < 4 else study.post
        stored_id = await add_response(db, wave, {"age": 18 + n}, started_at=T0)
        complete.add(await public_id(db, stored_id))
    partial = await public_id(db, await add_response(db, study.pre, {}, status="in_progress"))

    seen: list[dict] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get("/api/v1/campaigns/tip/responses", headers=token, params=params)
        ).json()
        pages += 1
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3  # 3 + 3 + 1
    assert [r["id"] for r in seen] == sorted(
        complete
    )  # every complete one, once, in a stable order
    by_id = {r["id"]: r for r in seen}
    assert {r["status"] for r in seen} == {"complete"} and partial not in by_id
    first = by_id[min(complete)]
    assert first["wave"] in ("tip-pre", "tip-post") and first["version"] in (1, 2)
    assert isinstance(first["answers"]["age"], int)

    everything = await client.get(
        "/api/v1/campaigns/tip/responses",
        headers=token,
        params={"include_partial": "true", "wave": "tip-pre", "limit": "100"},
    )
    assert len(everything.json()["items"]) == 5 and everything.json()["next_cursor"] is None
    for params in ({"limit": "0"}, {"limit": "1001"}, {"cursor": "not-a-cursor"}, {"wave": "nope"}):
        bad = await client.get("/api/v1/campaigns/tip/responses", headers=token, params=params)
        assert bad.status_code == 400, params
    # Every read of raw responses is in the audit log.
    log = await accounts_db.list_audit(db)
    assert [e.action for e in log] == ["api_responses"] * 4
    assert {e.actor for e in log} == {account.email}
    assert sorted(e.n_rows for e in log) == [1, 3, 3, 5]


async def test_openapi_document(client: AsyncTestClient) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert "/api/v1/campaigns/{key}/responses" in paths
    assert "/api/v1/questionnaires/{key}/versions/{version}" in paths
    assert not any(p.startswith(("/console", "/sign-")) for p in paths)
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    parameters = {
        p["name"] for p in paths["/api/v1/campaigns/{key}/responses"]["get"]["parameters"]
    }
    assert {"limit", "cursor", "wave", "include_partial"} <= parameters
