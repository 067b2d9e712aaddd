"""SQL-injection strings in every text field a user can send and in every route parameter are refused
cleanly (4xx) or stored as data exactly, and the tables are intact afterwards; oversized console bodies
get 413 with a message.

(Oversized respondent pages and a response of wave A posted to wave B are covered by
``tests/integration/test_collect_hostile.py`` and ``test_collect_access.py``.)
"""

from __future__ import annotations

import re
from urllib.parse import quote

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import MAX_BODY_BYTES
from survey.console import auth
from survey.web.messages import CATALOGUE as ERROR_MESSAGES
from tests.helpers import (
    DEMO,
    PASSWORD,
    add_response,
    csrf_token,
    fill,
    handlers,
    make_account,
    make_study,
    new_session,
    new_token,
    open_wave,
    post_form,
    set_cookie,
    stored,
    to_work_page,
    unsafe_routes,
)

INJECTIONS = [
    "'; DROP TABLE response; --",
    '" OR 1=1 --',
    "$1",
    "x' OR '1'='1",
    "\u2019; DROP TABLE account; --",  # a typographic apostrophe
    "\u201c OR 1=1 \u201d",
    "\uff07 OR 1=1",  # a fullwidth apostrophe
    "%' OR 1=1 --",
    "1; SELECT pg_sleep(5)",
]
NUL = "a\x00b"  # PostgreSQL text cannot hold it
TABLES = [
    "questionnaire",
    "questionnaire_version",
    "campaign",
    "wave",
    "response",
    "account",
    "api_token",
    "audit_log",
]


async def _counts(db: asyncpg.Connection) -> dict[str, int]:
    """Row count of every table that no refused request may change (each must still exist)."""
    return {t: await db.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}


async def test_a_respondents_text_answer_is_stored_exactly_or_refused(
    app: Litestar, db: asyncpg.Connection
) -> None:
    wave = await open_wave(db, DEMO)
    async with AsyncTestClient(app) as client:
        form = await to_work_page(client, wave)
        response_id = form.hidden["_response_id"]
        # The comment is on the page after "offered" (a page ends before a question that depends on it).
        first = await post_form(
            client, form.action, [("_response_id", response_id), ("offered", "no")]
        )
        assert first.status_code == 303
        action = re.sub(r"/p/(\d+)", lambda m: f"/p/{int(m.group(1)) + 1}", form.action)
        kept = 0
        for value in INJECTIONS:
            sent = await post_form(
                client, action, [("_response_id", response_id), ("comment", value)]
            )
            assert sent.status_code < 500, (value, sent.status_code)
            (row,) = await stored(db, wave)
            if sent.status_code < 400:
                assert row["answers"]["comment"] == value
                kept += 1
            else:
                assert sent.text.strip(), "a refusal says why"
                assert row["answers"].get("comment") != value
        assert kept == len(INJECTIONS)
        nul = await post_form(client, action, [("_response_id", response_id), ("comment", NUL)])
        assert nul.status_code < 500
    assert await db.fetchval("SELECT count(*) FROM response") == 1


async def test_console_forms_and_sign_in_take_injections_as_data(
    app: Litestar, db: asyncpg.Connection
) -> None:
    study = await make_study(db)
    await add_response(db, study.pre, {"consent": "yes"})
    admin = await make_account(db, "admin")
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        token = await csrf_token(client)
        for value in INJECTIONS:
            client.cookies.delete(auth.SESSION_COOKIE)
            signed = await client.post(
                "/sign-in", data={"email": value, "password": value, "_csrf_token": token}
            )
            assert signed.status_code in (400, 429), (value, signed.status_code)
        await client.get("/sign-in")
        set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
        token = await csrf_token(client)
        before = await _counts(db)
        forms = {
            "/console/campaigns": [
                {"key": value, "questionnaire": "tq", "design": "independent"}
                for value in INJECTIONS
            ]
            + [
                {"key": "ok-key", "questionnaire": value, "design": "independent"}
                for value in INJECTIONS
            ]
            + [{"key": "ok-key", "questionnaire": "tq", "design": value} for value in INJECTIONS]
            + [
                {"key": "ok-key", "questionnaire": "tq", "design": "independent", "cluster": v}
                for v in INJECTIONS
            ],
            "/console/campaigns/tip/waves": [{"phase": v} for v in INJECTIONS]
            + [{"phase": "pre", "arm": v} for v in INJECTIONS]
            + [{"phase": "pre", "version": v} for v in INJECTIONS]
            + [{"phase": "pre", "wave_key": v} for v in INJECTIONS],
            "/console/users": [
                {"email": v, "role": "viewer", "password": PASSWORD} for v in INJECTIONS
            ]
            + [{"email": "n@example.org", "role": v, "password": PASSWORD} for v in INJECTIONS],
        }
        for path, attempts in forms.items():
            for data in attempts:
                sent = await client.post(path, data={**data, "_csrf_token": token})
                assert 400 <= sent.status_code < 500, (path, data, sent.status_code)
                assert "DROP TABLE" not in sent.headers.get("location", "")
            assert {k: v for k, v in (await _counts(db)).items() if k != "account_session"} == {
                k: v for k, v in before.items() if k != "account_session"
            }
        # Stored as data: an injection string is a legal part of a wave's arm? No; but an email's
        # local part may carry quotes, so a valid address with them is stored exactly.
        odd = "o'brien\"--@example.org"
        made = await client.post(
            "/console/users",
            data={"email": odd, "role": "viewer", "password": PASSWORD, "_csrf_token": token},
        )
        assert made.status_code < 500
        if made.status_code < 400:
            assert await db.fetchval("SELECT email FROM account WHERE email = $1", odd) == odd


async def test_every_route_parameter_takes_injections_as_data(
    app: Litestar, db: asyncpg.Connection
) -> None:
    study = await make_study(db)
    await add_response(db, study.pre, {"consent": "yes"})
    await db.execute("UPDATE wave SET status = 'open'")
    admin = await make_account(db, "admin")
    api_token = await new_token(db, admin)
    before = await _counts(db)
    routes = [(m, p) for m, p, _ in handlers(app) if "{" in p and m != "OPTIONS"]
    assert len(routes) >= 15
    checked = 0
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
        token = await csrf_token(client)
        for method, path in routes:
            names = re.findall(r"\{(\w+)(?::\w+)?\}", path)
            for name in names:
                for value in INJECTIONS:
                    url = re.sub(
                        r"\{(\w+)(:\w+)?\}",
                        lambda m, name=name, value=value: (
                            quote(value, safe="") if m.group(1) == name else fill(m.group(0))
                        ),
                        path,
                    )
                    url = url.replace("/x/", f"/{study.campaign.key}/").replace("/x", "/tq")
                    headers = {"x-csrftoken": token}
                    if path.startswith("/api/"):
                        headers["authorization"] = f"Bearer {api_token}"
                    response = await client.request(method, url, headers=headers)
                    context = (method, path, name, value, response.status_code)
                    assert response.status_code < 500, context
                    if not path.startswith("/static/"):
                        assert response.status_code >= 400, context
                    checked += 1
    assert checked >= len(routes) * len(INJECTIONS)
    after = await _counts(db)
    # Only the audit log may grow (a refused export or API read is not logged either way).
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


# Routes that take files or whole definitions declare larger limits of their own; their 413s are tested in
# tests/integration/test_console_xlsform.py.
OWN_BODY_LIMITS = {"/console/xlsform", "/console/xlsform/publish", "/console/drafts/import"}


async def test_oversized_console_bodies_get_413_with_a_message(
    app: Litestar, db: asyncpg.Connection
) -> None:
    await make_study(db)
    admin = await make_account(db, "admin")
    routes = unsafe_routes(app)
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
        token = await csrf_token(client)
        before = await _counts(db)
        padding = "x" * (MAX_BODY_BYTES + 1024)
        for method, path in routes:
            if path in OWN_BODY_LIMITS:
                continue
            url = fill(path).replace("/x/", "/tip/")
            for carrier in ("form", "header"):
                data = {"key": "big", "padding": padding}
                headers = {}
                if carrier == "form":
                    data["_csrf_token"] = token
                else:
                    headers["x-csrftoken"] = token
                sent = await client.request(method, url, data=data, headers=headers)
                context = (method, path, carrier, sent.status_code, sent.text[:200])
                if carrier == "header" and sent.status_code != 413:
                    # A handler that never reads the body (sign-out, a 404) does not see its size.
                    assert sent.status_code < 500, context
                    if path == "/sign-out":
                        set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
                    continue
                assert sent.status_code == 413, context
                # A page in the console's language (Mongolian unless asked) says what happened.
                assert ERROR_MESSAGES.translate("error_title.413", "mn") in sent.text, context
        assert await _counts(db) == before


async def test_a_nul_anywhere_is_refused_cleanly(app: Litestar, db: asyncpg.Connection) -> None:
    await make_study(db)
    admin = await make_account(db, "admin")
    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        statuses = []
        for method in ("GET", "HEAD"):
            statuses.append((await client.request(method, "/static/a%00b.css")).status_code)
        statuses.append((await client.get("/r/a%00b")).status_code)
        set_cookie(client, auth.SESSION_COOKIE, await new_session(db, admin))
        token = await csrf_token(client)
        sent = await client.post(
            "/console/campaigns",
            data={"key": NUL, "questionnaire": "tq", "design": "independent", "_csrf_token": token},
        )
        statuses.append(sent.status_code)
        assert all(400 <= s < 500 for s in statuses), statuses
