"""Page saves sent several times at once: one response, every page once, nothing lost.

A page after the first is saved with one conditional UPDATE that applies only if the row is unchanged since
it was read (its ``xmin``); a save that finds it changed falls back to the locked transaction. These tests
check both paths.
"""

from __future__ import annotations

import asyncio
import uuid
from urllib.parse import urlencode

import asyncpg
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.db import responses as responses_db
from survey.questionnaire.load import load_file
from survey.settings import Settings
from tests.helpers import REPO, open_wave, read_page, secret_of, valid_answer

FORM = REPO / "forms" / "trafficking-knowledge.yaml"


async def test_a_stale_row_version_changes_nothing(db: asyncpg.Connection) -> None:
    wave = await open_wave(db, FORM)
    rid = uuid.uuid4()
    await responses_db.create_response(
        db, rid, wave_id=wave.id, version_id=wave.version_id, language="en"
    )
    visit = await responses_db.wave_with_response(db, wave.token, rid)
    assert visit is not None and visit.response is not None and visit.response.id == rid
    saved = await responses_db.save_response(
        db,
        rid,
        answers={"a": 1},
        pages=["x"],
        panel_key=None,
        language="en",
        status="in_progress",
        page="x",
        row_version=visit.row_version,
    )
    assert saved is not None
    stale = await responses_db.save_response(
        db,
        rid,
        answers={"b": 2},
        pages=["y"],
        panel_key=None,
        language="en",
        status="in_progress",
        page="x",
        row_version=visit.row_version,
    )
    assert stale is None
    row = await db.fetchrow("SELECT answers, pages FROM response WHERE id = $1", rid)
    assert row["answers"] == {"a": 1} and row["pages"] == ["x"]
    other = await responses_db.wave_with_response(db, wave.token, uuid.uuid4())
    assert other is not None and other.response is None
    assert await responses_db.wave_with_response(db, "no-such-token", rid) is None


async def test_eight_simultaneous_sends_of_every_page_store_one_complete_response(
    db: asyncpg.Connection, settings: Settings
) -> None:
    wave = await open_wave(db, FORM)
    q = load_file(FORM)
    secret = await secret_of(db, wave)
    headers = {"content-type": "application/x-www-form-urlencoded"}
    pages_sent = 0
    async with AsyncTestClient(create_app(settings, database_url=settings.database_url)) as client:
        client.follow_redirects = False
        form = read_page((await client.get(f"/r/{wave.token}?lang=en")).text)
        response_id = form.hidden["_response_id"]
        while True:
            body = [("_response_id", response_id), ("_lang", "en")]
            for name in form.names():
                values, _ = valid_answer(q, q.item(name), secret)
                body.extend((name, v) for v in values)
            content = urlencode(body).encode()
            results = await asyncio.gather(
                *(client.post(form.action, content=content, headers=headers) for _ in range(8))
            )
            pages_sent += 1
            assert {r.status_code for r in results} == {303}, [r.text[:200] for r in results]
            locations = {r.headers["location"] for r in results}
            assert len(locations) == 1, locations
            location = locations.pop()
            if location.endswith("/done"):
                break
            form = read_page((await client.get(location)).text)
    rows = await db.fetch("SELECT status, pages FROM response WHERE wave_id = $1", wave.id)
    assert len(rows) == 1
    assert rows[0]["status"] == "complete"
    assert len(rows[0]["pages"]) == len(set(rows[0]["pages"])) >= pages_sent - 1
