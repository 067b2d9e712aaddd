"""The questionnaire editor through HTTP: drafts started blank, as a copy or from a file, changed one form at
a time (with and without htmx), refused when stale, undone, previewed, published with the diff, exported.

Every request goes through the whole application (litestar's test client) to the test's own database.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import asyncpg
from litestar.testing import AsyncTestClient

from survey.db import drafts as drafts_db
from survey.db.questionnaires import get_version
from tests.helpers import (
    client_fixture,  # noqa: F401  (the fixture)
    post_console_form,
    sign_in_as,
    text_of,
)

FORMS = Path(__file__).resolve().parents[2] / "forms"
HTMX = {"HX-Request": "true"}


def revision_of(html: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', html)
    assert found, html[:500]
    return found.group(1)


async def new_blank(client: AsyncTestClient, key: str = "quiz") -> int:
    response = await post_console_form(
        client,
        "/console/drafts",
        {"how": "blank", "key": key, "title.mn": "Мэдлэгийн сорил", "title.en": "A quiz"},
    )
    assert response.status_code == 303, response.text[:800]
    return int(response.headers["location"].rsplit("/", 1)[1])


async def editor(client: AsyncTestClient, draft: int) -> str:
    response = await client.get(f"/console/drafts/{draft}")
    assert response.status_code == 200, response.text[:800]
    return response.text


async def change(
    client: AsyncTestClient, draft: int, path: str, data: dict[str, str], *, htmx: bool = False
):
    revision = revision_of(await editor(client, draft))
    return await post_console_form(
        client,
        f"/console/drafts/{draft}{path}",
        {"revision": revision, **data},
        headers=HTMX if htmx else None,
    )


async def test_a_blank_draft_built_form_by_form_publishes(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    draft = await new_blank(client)
    html = await editor(client, draft)
    # The loader's own words, beside the section that has no item yet.
    assert "sections[0].items: at least one item is required" in unescape(html)
    sent = await change(client, draft, "/sections/0/items", {"type": "consent"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/console/drafts/{draft}#s0.0"
    sent = await change(
        client,
        draft,
        "/sections/0/items/0",
        {"key": "consent", "type": "consent", "text.mn": "Зөвшөөрч байна уу?", "text.en": "Agree?"},
        htmx=True,
    )
    assert sent.status_code == 200
    assert sent.text.lstrip().startswith('<div id="editor"')
    await change(client, draft, "/sections/0/items", {"type": "choice"})
    sent = await change(
        client,
        draft,
        "/sections/0/items/1",
        {
            "key": "k_offer",
            "type": "choice",
            "text.mn": "Сайхан санал аюулгүй юу?",
            "text.en": "Is a too-good offer safe?",
            "choice.0.value": "yes",
            "choice.0.label.mn": "Тийм",
            "choice.0.label.en": "Yes",
            "choice.1.value": "no",
            "choice.1.label.mn": "Үгүй",
            "choice.1.label.en": "No",
            "correct": "1",
            "condition": "consent == 'yes'",
        },
    )
    assert sent.status_code == 303
    stored = (await drafts_db.get_draft(db, draft)).definition
    item = stored.item("k_offer")
    assert item.correct == "no" and item.show_if == "consent == 'yes'"
    sent = await change(
        client,
        draft,
        "/outcomes",
        {
            "key": "knowledge",
            "kind": "score",
            "label.mn": "Мэдлэг",
            "label.en": "Knowledge",
            "item.k_offer": "on",
        },
    )
    assert sent.status_code == 303
    html = await editor(client, draft)
    assert "ready to publish" in text_of(html) or "нийтлэхэд бэлэн" in text_of(html), text_of(html)[
        :3000
    ]
    page = await client.get(f"/console/drafts/{draft}/publish")
    assert page.status_code == 200
    sent = await post_console_form(
        client, f"/console/drafts/{draft}/publish", {"revision": revision_of(page.text)}
    )
    assert sent.status_code == 303, sent.text[:2000]
    published = await get_version(db, "quiz")
    assert published.version == 1
    assert published.definition.item("k_offer").correct == "no"
