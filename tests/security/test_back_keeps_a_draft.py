"""Issue 12, finding 13: "Back" keeps what was ticked on the page as an unchecked draft of that page.

Found: Back was a link, so what a respondent had ticked on the current page was thrown away (Back, then
Next, showed the page empty). Now Back sends the page with the form, without checking it; the page
shows it again when she returns, with and without JavaScript (htmx). A draft is never an answer: the
stored answers, the exports and the analysis do not see it, and it is gone once the page is saved or the
response finished. The wrong, malicious and foreign cases of a Back are refused like those of a Next.

(A real browser pressing Back, with JavaScript and without, is in tests/e2e/test_respondent.py.)
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from survey.collect.routes import BODY_LIMIT
from tests.helpers import (
    HTMX,
    Form,
    open_wave,
    post_console_form,
    post_form,
    read_page,
    sign_in_as,
)

FORM = """
key: drafts
languages: [mn, en]
title: {mn: "Ноорог", en: "Drafts"}
sections:
  - key: consent
    items:
      - {key: consent, type: consent, required: true, text: {mn: "Оролцох уу?", en: "Will you take part?"}}
  - key: work
    items:
      - key: sources
        type: multi
        required: true
        text: {mn: "Хаанаас сонссон бэ?", en: "Where did you hear of it?"}
        choices:
          - {value: friend, label: {mn: "Найз", en: "A friend"}}
          - {value: agency, label: {mn: "Агентлаг", en: "An agency"}}
          - {value: online, label: {mn: "Цахим", en: "Online"}}
      - key: age
        type: integer
        min: 18
        max: 27
        text: {mn: "Нас?", en: "Age?"}
      - {key: note, type: text, text: {mn: "Тайлбар?", en: "Anything else?"}}
      - {key: code, type: panel_code, text: {mn: "Код?", en: "Code?"}}
"""
TICKED = [("sources", "agency"), ("sources", "online"), ("age", "99"), ("note", "half-written")]


@pytest.fixture(name="wave")
async def wave_fixture(db: asyncpg.Connection, tmp_path: Path):
    (tmp_path / "drafts.yaml").write_text(FORM, encoding="utf-8")
    return await open_wave(db, tmp_path / "drafts.yaml", campaign="drafts")


def _pairs(form: Form, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("_response_id", form.hidden["_response_id"]), ("_lang", "en"), *extra]


async def _on_second_page(client: AsyncTestClient, token: str) -> Form:
    first = read_page((await client.get(f"/r/{token}?lang=en")).text)
    sent = await post_form(client, f"/r/{token}/p/1", _pairs(first, ("consent", "yes")))
    assert sent.status_code == 303
    return read_page((await client.get(sent.headers["location"])).text)


def _shown(form: Form) -> dict[str, list[str]]:
    return {name: form.values(name) for name in ("sources", "age", "note", "code")}


async def test_back_then_next_shows_what_was_ticked_without_javascript(
    app: Litestar, db: asyncpg.Connection, wave
) -> None:
    async with AsyncTestClient(app) as client:
        second = await _on_second_page(client, wave.token)
        assert second.action == f"/r/{wave.token}/p/2"
        back = await post_form(
            client, second.action, _pairs(second, *TICKED, ("code", "AB-12"), ("_back", "1"))
        )
        # Not checked (99 is out of range): back to the first page, nothing refused.
        assert back.status_code == 303 and back.headers["location"] == f"/r/{wave.token}/p/1"
        first = read_page((await client.get(back.headers["location"])).text)
        assert first.values("consent") == ["yes"]
        again = await post_form(client, first.action, _pairs(first, ("consent", "yes")))
        shown = read_page((await client.get(again.headers["location"])).text)
        assert _shown(shown) == {
            "sources": ["agency", "online"],
            "age": ["99"],
            "note": ["half-written"],
            "code": [""],  # a panel code is never kept, in a draft or anywhere
        }

        # The draft is no answer: not stored as one, not exported, not seen by a Next that fails.
        (row,) = await db.fetch("SELECT id, answers, pages, drafts, status FROM response")
        assert row["answers"] == {"consent": "yes"} and row["pages"] == ["consent"]
        assert "AB-12" not in str(row["drafts"]) and "AB12" not in str(row["drafts"])
        await sign_in_as(client, db, "analyst")
        export = await post_console_form(
            client, "/console/campaigns/drafts/export", {"format": "csv", "include_partial": "on"}
        )
        (exported,) = list(csv.DictReader(io.StringIO(export.text)))
        assert exported["sources/agency"] == "" and exported["note"] == "" and exported["age"] == ""

        # Next checks the page as always; the answers typed there are kept, beside their errors.
        refused = await post_form(client, shown.action, _pairs(shown, *TICKED))
        assert refused.status_code == 422
        assert _shown(read_page(refused.text))["age"] == ["99"]
        # Saved properly, the page's draft is gone, and finished, the response keeps none.
        saved = await post_form(
            client, shown.action, _pairs(shown, ("sources", "friend"), ("age", "20"))
        )
        assert saved.headers["location"] == f"/r/{wave.token}/done"
        row = await db.fetchrow("SELECT answers, drafts, status FROM response")
        assert row["status"] == "complete" and row["drafts"] == {}
        assert row["answers"]["sources"] == ["friend"] and row["answers"]["age"] == 20


async def test_back_then_next_shows_what_was_ticked_with_htmx(
    app: Litestar, db: asyncpg.Connection, wave
) -> None:
    async with AsyncTestClient(app) as client:
        second = await _on_second_page(client, wave.token)
        back = await post_form(client, second.action, _pairs(second, *TICKED, ("_back", "1")), HTMX)
        # htmx gets the first page's form area, and the address bar follows.
        assert back.status_code == 200 and back.headers["hx-push-url"] == f"/r/{wave.token}/p/1"
        first = read_page(back.text)
        assert first.action == f"/r/{wave.token}/p/1" and "<html" not in back.text
        nxt = await post_form(client, first.action, _pairs(first, ("consent", "yes")), HTMX)
        assert nxt.headers["hx-push-url"] == f"/r/{wave.token}/p/2"
        assert _shown(read_page(nxt.text))["sources"] == ["agency", "online"]
        # The page reloaded in full (the browser's own Back and Forward) shows the draft too.
        full = read_page((await client.get(f"/r/{wave.token}/p/2")).text)
        assert _shown(full)["note"] == ["half-written"]
    assert await db.fetchval("SELECT answers FROM response") == {"consent": "yes"}


async def test_a_back_is_refused_where_a_next_would_be(
    app: Litestar, db: asyncpg.Connection, wave
) -> None:
    async with AsyncTestClient(app) as client:
        second = await _on_second_page(client, wave.token)
        url = second.action
        bad = [
            (_pairs(second, ("_back", "1"), ("nope", "x")), 400),  # not a question of the page
            (_pairs(second, ("_back", "1"), ("age", "1"), ("age", "2")), 400),  # one answer, twice
            (_pairs(second, ("_back", "1"), ("_back", "1")), 400),
            (_pairs(second, ("_back", "1"), ("note", "x" * (BODY_LIMIT + 1))), 413),
        ]
        for pairs, status in bad:
            refused = await post_form(client, url, pairs)
            assert refused.status_code == status, (pairs[-1][0], refused.status_code)
            assert refused.text.strip()
        # Another response's id, or a stranger without this response's cookie: no draft is left.
        stranger = [("_response_id", str(uuid.uuid4())), ("_back", "1"), ("note", "x")]
        assert (await post_form(client, url, stranger)).status_code == 403
    async with AsyncTestClient(app) as other_phone:
        theirs = await post_form(other_phone, url, _pairs(second, ("_back", "1"), ("note", "x")))
        assert theirs.status_code == 403
        # A Back sent before any page was saved (the first page has no Back button).
        first = read_page((await other_phone.get(f"/r/{wave.token}")).text)
        early = await post_form(other_phone, f"/r/{wave.token}/p/1", _pairs(first, ("_back", "1")))
        assert early.status_code == 403
    assert await db.fetchval("SELECT drafts FROM response") == {}
    assert await db.fetchval("SELECT count(*) FROM response") == 1


async def test_the_back_button_is_a_button_of_the_form(app: Litestar, wave) -> None:
    async with AsyncTestClient(app) as client:
        first = await client.get(f"/r/{wave.token}?lang=en")
        assert 'name="_back"' not in first.text  # nothing to go back to
        second_page = await _on_second_page(client, wave.token)
        html = (await client.get(second_page.action)).text
        form = html[html.index("<form") : html.index("</form>")]
        buttons = re.findall(r"<button[^>]*>[^<]*</button>", form)
        # Submit (Next) first: the Enter key sends the form with its first submit button.
        assert buttons == [
            '<button type="submit">Submit</button>',
            '<button type="submit" name="_back" value="1" class="secondary" formnovalidate>'
            "Back</button>",
        ]
