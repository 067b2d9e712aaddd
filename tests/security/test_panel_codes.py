"""Issue 12, finding 5: a panel code cannot be recovered by trying codes and reading what leaves the
database.

The attack, as found: a researcher keeps one unfinished response of a panel campaign, sends its code page
again with guess after guess, and after each reads the response's ``panel_key`` from the API; when it
equals a real respondent's, the guess is her code (a short one fell in 207 guesses). What stands against
it: no derived form of a code (the panel key, or an answer to a code question, which holds a hash of it)
leaves the database through the API, the exports or the console; the exports and the API carry a random
pair id instead, on complete responses that are linked; and a response's code may be changed only
``MAX_PANEL_CODE_CHANGES`` times.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from html import unescape
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.collect.messages import translate
from survey.collect.panel import panel_key
from survey.collect.service import MAX_PANEL_CODE_CHANGES
from survey.db import campaigns as campaigns_db
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_file
from survey.settings import Settings
from tests.helpers import (
    make_account,
    new_token,
    open_wave,
    post_console_form,
    post_form,
    read_page,
    sign_in_as,
)

FORM = """
key: panel-codes
languages: [mn, en]
title: {mn: "Давтан судалгаа", en: "Panel survey"}
sections:
  - key: code
    items:
      - {key: code, type: panel_code, text: {mn: "Таны код", en: "Your code"}}
  - key: know
    items:
      - key: k1
        type: choice
        correct: "no"
        text: {mn: "Сайхан санал аюулгүй юу?", en: "Is a too-good offer safe?"}
        choices:
          - {value: "yes", label: {mn: "Тийм", en: "Yes"}}
          - {value: "no", label: {mn: "Үгүй", en: "No"}}
outcomes:
  knowledge: {kind: score, label: {mn: "Мэдлэг", en: "Knowledge"}, items: [k1]}
"""
HER_CODE = "Д07"
# The right one second: the view after it must be the view after any wrong one.
GUESSES = ["A01", "Д07", "Б07", "Д06", "Д08", "Е07"]


async def _respond(app: Litestar, token: str, code: str, *, finish: bool = True) -> None:
    async with AsyncTestClient(app) as client:
        rid = read_page((await client.get(f"/r/{token}")).text).hidden["_response_id"]
        sent = await post_form(client, f"/r/{token}/p/1", [("_response_id", rid), ("code", code)])
        assert sent.status_code == 303, sent.text
        if finish:
            done = await post_form(client, f"/r/{token}/p/2", [("_response_id", rid), ("k1", "no")])
            assert done.headers["location"].endswith("/done")


@pytest.fixture(name="panel")
async def panel_fixture(db: asyncpg.Connection, tmp_path: Path) -> tuple:
    (tmp_path / "panel-codes.yaml").write_text(FORM, encoding="utf-8")
    await publish(db, load_file(tmp_path / "panel-codes.yaml"))
    await campaigns_db.create_campaign(db, "pan", questionnaire="panel-codes", design="panel")
    pre = await open_wave(db, tmp_path / "panel-codes.yaml", campaign="pan", phase="pre")
    post = await open_wave(db, tmp_path / "panel-codes.yaml", campaign="pan", phase="post")
    return pre, post


async def test_trying_codes_on_an_unfinished_response_reveals_nothing(
    settings: Settings, db: asyncpg.Connection, panel: tuple
) -> None:
    pre, _ = panel
    app = create_app(settings, database_url=settings.database_url)
    await _respond(app, pre.token, HER_CODE)
    her_key = await db.fetchval("SELECT panel_key FROM response WHERE status = 'complete'")
    assert her_key

    token = await new_token(db, await make_account(db, "researcher", "curious@example.org"))
    headers = {"Authorization": f"Bearer {token}"}
    views: dict[str, dict] = {}
    refused = 0
    async with AsyncTestClient(app) as attacker:
        attacker.follow_redirects = False
        rid = read_page((await attacker.get(f"/r/{pre.token}")).text).hidden["_response_id"]
        for guess in GUESSES:
            sent = await post_form(
                attacker, f"/r/{pre.token}/p/1", [("_response_id", rid), ("code", guess)]
            )
            if sent.status_code == 422:
                # Beyond the allowed changes the code stays as it was, and the page says why.
                assert translate("err_panel_code_locked", "mn") in unescape(sent.text)
                refused += 1
                continue
            assert sent.status_code == 303, sent.text
            page = await attacker.get(
                "/api/v1/campaigns/pan/responses",
                params={"include_partial": "true"},
                headers=headers,
            )
            (mine,) = [r for r in page.json()["items"] if r["status"] == "in_progress"]
            views[guess] = mine
            assert her_key not in page.text
    # The first code and MAX_PANEL_CODE_CHANGES changes were accepted, the rest refused.
    assert len(views) == 1 + MAX_PANEL_CODE_CHANGES and refused == len(GUESSES) - len(views)
    # Whatever was guessed, the API shows the attacker's response the same: nothing to compare.
    assert all(view == views[GUESSES[0]] for view in views.values())
    assert "panel_key" not in views[GUESSES[0]] and "code" not in views[GUESSES[0]]["answers"]
    stored = await db.fetchrow(
        "SELECT panel_key, panel_code_changes FROM response WHERE id = $1", uuid.UUID(rid)
    )
    secret = bytes(await db.fetchval("SELECT panel_secret FROM campaign WHERE key = 'pan'"))
    last_accepted = list(views)[-1]
    assert stored["panel_code_changes"] == MAX_PANEL_CODE_CHANGES
    assert stored["panel_key"] == panel_key(last_accepted, secret)


async def test_no_derived_form_of_a_code_leaves_through_exports_api_or_console(
    settings: Settings, db: asyncpg.Connection, panel: tuple, tmp_path: Path
) -> None:
    pre, post = panel
    app = create_app(settings, database_url=settings.database_url)
    for code in (HER_CODE, "X99"):
        await _respond(app, pre.token, code)
    await _respond(app, post.token, HER_CODE.lower())  # typed differently, the same code
    await _respond(app, post.token, "Q11", finish=False)
    secrets = [r["panel_key"] for r in await db.fetch("SELECT panel_key FROM response")]
    secrets += [
        r["code"] for r in await db.fetch("SELECT answers ->> 'code' AS code FROM response")
    ]
    assert all(secrets) and len(set(secrets)) == 3  # Д07 (three times), X99, Q11

    seen: dict[str, str] = {}
    async with AsyncTestClient(app) as reader:
        reader.follow_redirects = False
        await sign_in_as(reader, db, "researcher")
        for fmt in ("csv", "codebook-csv", "codebook-json", "xlsx", "sav"):
            got = await post_console_form(
                reader, "/console/campaigns/pan/export", {"format": fmt, "include_partial": "on"}
            )
            assert got.status_code == 200
            if fmt == "xlsx":
                with zipfile.ZipFile(io.BytesIO(got.content)) as book:
                    seen[fmt] = "".join(book.read(n).decode() for n in book.namelist())
            else:
                seen[fmt] = got.content.decode("latin-1")
            if fmt == "csv":
                rows = list(csv.DictReader(io.StringIO(got.text)))
        for url in (
            "/console/campaigns/pan",
            f"/console/waves/{pre.key}",
            f"/console/waves/{post.key}",
        ):
            seen[url] = (await reader.get(url)).text
        token = await new_token(db, await make_account(db, "analyst", "reader@example.org"))
        api = await reader.get(
            "/api/v1/campaigns/pan/responses",
            params={"include_partial": "true"},
            headers={"Authorization": f"Bearer {token}"},
        )
        seen["api"] = api.text
    for where, text in seen.items():
        for secret in secrets:
            assert secret not in text, where
        assert "panel_key" not in text, where

    # Her pre and post responses share a pair id; the unmatched and the unfinished have none.
    assert "pair_id" in rows[0] and "code" not in rows[0]
    paired = [r for r in rows if r["pair_id"]]
    assert len(paired) == 2 and len({r["pair_id"] for r in paired}) == 1
    assert {r["phase"] for r in paired} == {"pre", "post"}
    assert all(not r["pair_id"] for r in rows if r["status"] != "complete")
    items = api.json()["items"]
    assert sorted(str(r["pair_id"]) for r in items if r["pair_id"]) == sorted(
        r["pair_id"] for r in paired
    )
    assert uuid.UUID(paired[0]["pair_id"]).version == 4  # random (gen_random_uuid), not derived


async def test_docs_say_what_a_self_made_code_protects_against() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text(encoding="utf-8")
    assert "panel code" in text.lower() and "does not protect" in text.lower()
