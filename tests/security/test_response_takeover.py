"""Issue 12, finding 8: a response id seen in an export or the API does not let its holder take over the
unfinished response it names.

The attack: a respondent leaves a response unfinished; someone who reads the API (or an export) takes
its id, sets the response cookie to it and opens the link (the response resumes, with her answers), or,
within the first page's grace of ten minutes, sends the first page again with that id and no cookie at
all (her answers are replaced). What stands against it: exports and the API show a public id that is
not the one the cookie holds, and the grace needs the id that only the respondent's page had.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.collect.routes import COOKIE
from survey.settings import Settings
from tests.helpers import (
    TEST_CLIENT_HOST,
    make_account,
    new_token,
    open_wave,
    post_console_form,
    post_form,
    read_page,
    sign_in_as,
)

FORM = """
key: takeover
languages: [en]
title: {en: "Takeover"}
sections:
  - key: first
    items:
      - {key: name_hint, type: text, text: {en: "Anything you want to tell us?"}}
  - key: second
    items:
      - {key: rating, type: integer, min: 0, max: 10, text: {en: "How do you rate it?"}}
"""
SECRET_ANSWER = "only she should see this"


async def _leave_unfinished(app: Litestar, token: str) -> str:
    """A respondent answers the first page and stops; the id her page and cookie carry."""
    async with AsyncTestClient(app) as her:
        own_id = read_page((await her.get(f"/r/{token}")).text).hidden["_response_id"]
        sent = await post_form(
            her, f"/r/{token}/p/1", [("_response_id", own_id), ("name_hint", SECRET_ANSWER)]
        )
        assert sent.status_code == 303 and her.cookies[COOKIE] == own_id
    return own_id


async def test_an_id_read_from_the_api_or_an_export_takes_over_nothing(
    settings: Settings, db: asyncpg.Connection, tmp_path: Path
) -> None:
    (tmp_path / "takeover.yaml").write_text(FORM, encoding="utf-8")
    wave = await open_wave(db, tmp_path / "takeover.yaml", campaign="takeover")
    app = create_app(settings, database_url=settings.database_url)
    own_id = await _leave_unfinished(app, wave.token)

    async with AsyncTestClient(app) as reader:
        reader.follow_redirects = False
        token = await new_token(db, await make_account(db, "analyst", "reader@example.org"))
        api = await reader.get(
            "/api/v1/campaigns/takeover/responses",
            params={"include_partial": "true"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert api.status_code == 200
        (item,) = api.json()["items"]
        await sign_in_as(reader, db, "researcher")
        export = await post_console_form(
            reader,
            "/console/campaigns/takeover/export",
            {"format": "csv", "include_partial": "on"},
        )
        (row,) = list(csv.DictReader(io.StringIO(export.text)))
    seen = {item["id"], row["response_id"]}
    # What a reader sees is one public id, not the id the respondent's cookie and page hold.
    assert len(seen) == 1 and own_id not in seen
    assert own_id not in api.text and own_id not in export.text
    (public,) = seen

    async with AsyncTestClient(app) as attacker:
        attacker.follow_redirects = False
        # The cookie set to the id that was read: the link starts a new response, hers stays hers.
        attacker.cookies.set(COOKIE, public, domain=TEST_CLIENT_HOST, path=f"/r/{wave.token}")
        opened = await attacker.get(f"/r/{wave.token}")
        assert opened.status_code == 200 and SECRET_ANSWER not in opened.text
        assert read_page(opened.text).hidden["_response_id"] not in (own_id, public)
        page = await attacker.get(f"/r/{wave.token}/p/2")
        assert page.status_code == 303 and page.headers["location"] == f"/r/{wave.token}"
        # Within the grace, without a cookie, the first page sent again with the id that was read.
        attacker.cookies.clear()
        resent = await post_form(
            attacker, f"/r/{wave.token}/p/1", [("_response_id", public), ("name_hint", "mine now")]
        )
        assert resent.status_code in (303, 403)
        shown = await attacker.get(f"/r/{wave.token}/p/1")
        assert SECRET_ANSWER not in shown.text

    stored = await db.fetchrow(
        "SELECT answers, status FROM response WHERE id = $1", uuid.UUID(own_id)
    )
    assert stored["answers"] == {"name_hint": SECRET_ANSWER} and stored["status"] == "in_progress"


async def test_her_own_page_still_resends_the_first_page_within_the_grace(
    settings: Settings, db: asyncpg.Connection, tmp_path: Path
) -> None:
    """The grace is still there for the person it is for: her reply was lost, her page sends again."""
    (tmp_path / "takeover.yaml").write_text(FORM, encoding="utf-8")
    wave = await open_wave(db, tmp_path / "takeover.yaml", campaign="takeover")
    app = create_app(settings, database_url=settings.database_url)
    own_id = await _leave_unfinished(app, wave.token)
    async with AsyncTestClient(app) as same_phone_no_cookie:
        again = await post_form(
            same_phone_no_cookie,
            f"/r/{wave.token}/p/1",
            [("_response_id", own_id), ("name_hint", SECRET_ANSWER)],
        )
        assert again.status_code == 303
        assert again.headers["location"] == f"/r/{wave.token}/p/2"
        assert same_phone_no_cookie.cookies[COOKIE] == own_id
    assert await db.fetchval("SELECT count(*) FROM response") == 1
