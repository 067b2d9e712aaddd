"""Each change in the editor answers with what it changed: an item's save returns that item and, out of band,
what it alters elsewhere (the revision, the state, each place's problems, the outcomes' item boxes); the
other items are one-line summaries whose form is fetched when opened. A change that moves things, a
refusal or a stale revision still answers with the whole editor, retargeted.
"""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
from litestar.testing import AsyncTestClient

from survey.console.messages import CATALOGUE
from survey.db import drafts as drafts_db
from survey.db import teams as teams_db
from survey.questionnaire.load import load_file
from tests.helpers import post_console_form, sign_in_as, text_of

FORMS = Path(__file__).resolve().parents[2] / "forms"


async def a_draft(client: AsyncTestClient, db: asyncpg.Connection) -> int:
    account = await sign_in_as(client, db, "researcher", language="en")
    team = await teams_db.get_team(db, "default")
    definition = load_file(FORMS / "trafficking-knowledge.yaml")
    return await drafts_db.create_draft(
        db, team_id=team.id, definition=definition, account_id=account.id
    )


def revision_of(html: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', html)
    assert found, html[:300]
    return found.group(1)


def first_item(q) -> tuple[int, int, object]:
    for s, section in enumerate(q.sections):
        if section.items:
            return s, 0, section.items[0]
    raise AssertionError("no item")


async def save(client, draft: int, s: int, j: int, fields: dict[str, str], target: str):
    page = await client.get(f"/console/drafts/{draft}")
    return await post_console_form(
        client,
        f"/console/drafts/{draft}/sections/{s}/items/{j}",
        {"revision": revision_of(page.text), **fields},
        headers={"HX-Request": "true", "HX-Target": target},
    )


async def test_only_the_open_item_is_drawn_and_the_others_open_on_demand(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    draft = await a_draft(client, db)
    q = (await drafts_db.get_draft(db, draft)).definition
    n_items = sum(1 for _ in q.items())
    page = (await client.get(f"/console/drafts/{draft}")).text
    # Every item has its summary; no item form is drawn (no item is open).
    assert page.count('class="ed-item') == n_items
    assert f'<form method="post" action="/console/drafts/{draft}/sections/0/items/0"' not in page
    # Opened with htmx, an item's form comes alone.
    opened = await client.get(
        f"/console/drafts/{draft}/sections/0/items/0", headers={"HX-Request": "true"}
    )
    assert opened.status_code == 200
    assert opened.text.lstrip().startswith('<details id="s0.0"') and " open>" in opened.text
    assert opened.text.count('class="ed-item') == 1 and "hx-swap-oob" not in opened.text
    # Without htmx, the address opens the editor at that item; an item that is not there is not found.
    plain = await client.get(f"/console/drafts/{draft}/sections/0/items/0", follow_redirects=False)
    assert plain.status_code in (302, 303) and plain.headers["location"].endswith("?open=s0.0#s0.0")
    page = (await client.get(plain.headers["location"])).text
    assert '<details id="s0.0" class="ed-item" open>' in page
    missing = await client.get(
        f"/console/drafts/{draft}/sections/0/items/999", headers={"HX-Request": "true"}
    )
    assert missing.status_code == 404


async def test_an_items_save_answers_with_that_item_and_what_it_changes_elsewhere(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    draft = await a_draft(client, db)
    q = (await drafts_db.get_draft(db, draft)).definition
    s, j, consent = first_item(q)
    whole = await save(
        client,
        draft,
        s,
        j,
        {
            "key": consent.key,
            "type": consent.type,
            **{f"text.{c}": v for c, v in consent.text.items()},
        },
        "editor",
    )
    sent = await save(
        client,
        draft,
        s,
        j,
        {
            "key": "agreed",
            "type": consent.type,
            **{f"text.{c}": v for c, v in consent.text.items()},
        },
        f"s{s}.{j}",
    )
    assert sent.status_code == 200
    assert sent.headers["hx-trigger"] == "preview-stale"
    body = sent.text
    assert body.lstrip().startswith(f'<details id="s{s}.{j}"')
    stored = await drafts_db.get_draft(db, draft)
    # Out of band: the new revision (which every form then sends), the state, the outcomes' boxes.
    assert (
        f'id="draft-revision" name="revision" value="{stored.revision}" hx-swap-oob="true"' in body
    )
    assert '<div id="editor-state" class="editor-state" hx-swap-oob="true">' in body
    assert '<section id="outcomes"' in body and "hx-swap-oob" in body
    # Renaming the consent item breaks every condition that names it: their badges say so.
    broken = [
        f"s{a}.{b}"
        for a, section in enumerate(q.sections)
        for b, item in enumerate(section.items)
        if item.show_if and consent.key in item.show_if
    ] + [
        f"s{a}"
        for a, section in enumerate(q.sections)
        if section.show_if and consent.key in section.show_if
    ]
    assert broken, "the shipped questionnaire has a condition on its consent"
    for place in broken:
        if "." in place:
            badge = re.search(
                rf'<span id="badge-{re.escape(place)}" class="badge" hx-swap-oob="true">([^<]*)</span>',
                body,
            )
            assert badge and badge.group(1).strip(), place
        else:
            assert f'<div id="problems-{place}" hx-swap-oob="true"><ul' in body, place
    # A change that leaves the key, type and wording as they were leaves the outcomes' boxes alone (only
    # their problems are sent again): the answer is then a small part of the whole editor's.
    texts = {f"text.{c}": v for c, v in consent.text.items()}
    hinted = await save(
        client,
        draft,
        s,
        j,
        {"key": "agreed", "type": consent.type, "hint.en": "Tap one", **texts},
        f"s{s}.{j}",
    )
    assert hinted.status_code == 200 and "Tap one" in hinted.text
    assert '<section id="outcomes"' not in hinted.text
    assert '<div id="problems-o-1" hx-swap-oob="true">' in hinted.text
    assert len(hinted.content) * 4 < len(whole.content), (len(hinted.content), len(whole.content))


async def test_a_move_a_stale_revision_or_a_refusal_answers_with_the_whole_editor(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    draft = await a_draft(client, db)
    moved = await save(client, draft, 0, 0, {"action": "down"}, "s0.0")
    assert moved.status_code == 200
    assert moved.headers["hx-retarget"] == "#editor" and moved.headers["hx-reswap"] == "outerHTML"
    assert moved.text.lstrip().startswith('<div id="editor"')
    stale = await post_console_form(
        client,
        f"/console/drafts/{draft}/sections/0/items/0",
        {"revision": "0", "key": "x", "type": "text", "text.en": "X"},
        headers={"HX-Request": "true", "HX-Target": "s0.0"},
    )
    assert stale.status_code == 409
    assert stale.headers["hx-retarget"] == "#editor"
    assert CATALOGUE.translate("editor.stale", "en", who="")[:20] in text_of(stale.text)
