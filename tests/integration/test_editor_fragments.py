"""Each change in the editor answers with what it changed: an item's save returns that item and, out of band,
what it alters elsewhere (the revision, the state, each place's problems, the outcomes' item boxes); the
other items are one-line summaries whose form is fetched when opened. A change that moves things, a
refusal or a stale revision still answers with the whole editor, retargeted.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import asyncpg
from litestar.testing import AsyncTestClient

from survey.console.messages import CATALOGUE
from survey.db import drafts as drafts_db
from survey.db import teams as teams_db
from survey.questionnaire.load import load_definition, load_file
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


# -- the XLSForm features: choice filter, constraint and its message, calculations --------------------

CASCADE = """
key: cascade
languages: [mn, en]
title: {mn: "Шүүлт", en: "Filter"}
sections:
  - key: where
    items:
      - key: aimag
        type: choice
        text: {mn: "Аймаг", en: "Province"}
        choices:
          - {value: ar, label: {mn: "Архангай", en: "Arkhangai"}}
          - {value: uv, label: {mn: "Увс", en: "Uvs"}}
      - key: soum
        type: choice
        text: {mn: "Сум", en: "District"}
        choices:
          - {value: tsetserleg, label: {mn: "Цэцэрлэг", en: "Tsetserleg"}, properties: {aimag: ar}}
          - {value: ulaangom, label: {mn: "Улаангом", en: "Ulaangom"}, properties: {aimag: uv}}
      - {key: age, type: integer, text: {mn: "Нас", en: "Age"}}
"""


async def cascade_draft(client: AsyncTestClient, db: asyncpg.Connection, language: str) -> int:
    account = await sign_in_as(client, db, "researcher", language=language)
    team = await teams_db.get_team(db, "default")
    return await drafts_db.create_draft(
        db, team_id=team.id, definition=load_definition(CASCADE), account_id=account.id
    )


def form_fields_of(html: str) -> dict[str, str]:
    """The fields of the first item form in ``html`` as a browser would send them (texts, inputs,
    checked boxes and radios, selected options)."""
    form = re.search(r'<form method="post" action="[^"]*/items/\d+".*?</form>', html, flags=re.S)
    assert form, html[:300]
    body = form.group(0)
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag):
            continue
        fields[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(
        r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S
    ):
        fields[name] = unescape(text)
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = unescape(chosen.group(1)) if chosen else ""
    return fields


async def test_the_xlsform_features_are_edited_and_checked_by_the_loader(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    draft = await cascade_draft(client, db, "en")
    before = (await drafts_db.get_draft(db, draft)).definition
    # The soum's form shows its choices' properties and offers a filter; saved as shown, nothing changes.
    opened = await client.get(
        f"/console/drafts/{draft}/sections/0/items/1", headers={"HX-Request": "true"}
    )
    fields = form_fields_of(opened.text)
    assert fields["choice.0.properties"] == "aimag = ar"
    sent = await post_console_form(
        client,
        f"/console/drafts/{draft}/sections/0/items/1",
        {**fields, "choice_filter": "aimag = aimag"},
        headers={"HX-Request": "true", "HX-Target": "s0.1"},
    )
    assert sent.status_code == 200
    after = (await drafts_db.get_draft(db, draft)).definition
    soum = after.sections[0].items[1]
    assert soum.choice_filter == {"aimag": "aimag"}
    assert soum.choices == before.sections[0].items[1].choices  # properties kept
    assert "field-problems" not in sent.text.split("</details>")[0]
    # The age gets a rule and its message in both languages.
    opened = await client.get(
        f"/console/drafts/{draft}/sections/0/items/2", headers={"HX-Request": "true"}
    )
    fields = form_fields_of(opened.text)
    sent = await post_console_form(
        client,
        f"/console/drafts/{draft}/sections/0/items/2",
        {
            **fields,
            "constraint": "age <= 120",
            "constraint_message.mn": "Насаа зөв бичнэ үү",
            "constraint_message.en": "Please check the age",
        },
        headers={"HX-Request": "true", "HX-Target": "s0.2"},
    )
    age = (await drafts_db.get_draft(db, draft)).definition.sections[0].items[2]
    assert age.constraint == "age <= 120"
    assert age.constraint_message == {"mn": "Насаа зөв бичнэ үү", "en": "Please check the age"}
    # A calculation, then one that names an item that is not there: the loader's words beside it.
    page = await client.get(f"/console/drafts/{draft}")
    revision = re.search(r'name="revision" value="(\d+)"', page.text).group(1)
    sent = await post_console_form(
        client,
        f"/console/drafts/{draft}/calculations",
        {"revision": revision, "key": "adult", "expression": "age >= 18"},
    )
    assert sent.status_code == 303
    assert (await drafts_db.get_draft(db, draft)).definition.calculations == {"adult": "age >= 18"}
    page = await client.get(f"/console/drafts/{draft}")
    revision = re.search(r'name="revision" value="(\d+)"', page.text).group(1)
    sent = await post_console_form(
        client,
        f"/console/drafts/{draft}/calculations",
        {"revision": revision, "old": "adult", "key": "adult", "expression": "agee >= 18"},
        headers={"HX-Request": "true"},
    )
    section = sent.text.split('<section id="calculations"', 1)[1].split("</section>", 1)[0]
    assert CATALOGUE.translate("problem.unknown_item", "en", key="agee") in text_of(section)
    # Deleting the calculation.
    page = await client.get(f"/console/drafts/{draft}")
    revision = re.search(r'name="revision" value="(\d+)"', page.text).group(1)
    await post_console_form(
        client,
        f"/console/drafts/{draft}/calculations",
        {"revision": revision, "old": "adult", "action": "delete"},
    )
    assert (await drafts_db.get_draft(db, draft)).definition.calculations == {}


async def test_a_filter_naming_a_later_item_is_refused_in_the_readers_language(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    draft = await cascade_draft(client, db, "mn")
    opened = await client.get(
        f"/console/drafts/{draft}/sections/0/items/1", headers={"HX-Request": "true"}
    )
    sent = await post_console_form(
        client,
        f"/console/drafts/{draft}/sections/0/items/1",
        {**form_fields_of(opened.text), "choice_filter": "aimag = age"},
        headers={"HX-Request": "true", "HX-Target": "s0.1"},
    )
    item_part = sent.text.split("</details>")[0]
    problems = re.search(r'<ul class="field-problems">(.*?)</ul>', item_part, flags=re.S)
    assert problems, item_part[-2000:]
    # The loader's rule, its place in the definition as code, and the filter kept as typed.
    assert "choice_filter" in problems.group(1)
    said = CATALOGUE.translate("problem.not_before", "mn", key="age")
    assert said in unescape(problems.group(1))
    assert ">aimag = age</textarea>" in item_part


def selected(html: str) -> list[str]:
    return [unescape(v) for v in re.findall(r'<option value="([^"]*)" selected>', html)]


async def test_an_open_items_condition_list_follows_a_change_elsewhere(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    draft = await a_draft(client, db)
    q = (await drafts_db.get_draft(db, draft)).definition
    s, j, first = first_item(q)
    # An item of a later section: its conditions are on the answers of every item before it.
    t = next(n for n in range(s + 1, len(q.sections)) if q.sections[n].items)
    later, field = f"s{t}.0", f"i{t}-0-cond"
    # The later item, opened: its condition builder asks for its list again after any change.
    opened = await client.get(
        f"/console/drafts/{draft}/sections/{t}/items/0", headers={"HX-Request": "true"}
    )
    assert f'<fieldset class="condition" id="{field}"' in opened.text
    assert 'hx-trigger="preview-stale from:body"' in opened.text
    assert f"/console/drafts/{draft}/condition?place={later}&field={field}" in unescape(opened.text)
    old = re.findall(r'<option value="([^"]*)"', opened.text.split(f'id="{field}"')[1])
    assert any(first.key in unescape(v) for v in old)
    # The earlier item changes its key while the later one stays open.
    saved = await save(client, draft, s, j, {"key": "renamed", "action": "save"}, f"s{s}.{j}")
    assert saved.status_code == 200

    async def condition_list(**sent: str):
        return await client.get(
            f"/console/drafts/{draft}/condition",
            params={"place": later, "field": field, **sent},
            headers={"HX-Request": "true"},
        )

    fresh = await condition_list(condition="always", show_if="", show_if_was="")
    assert fresh.status_code == 200
    assert fresh.text.lstrip().startswith(f'<fieldset class="condition" id="{field}"')
    values = [unescape(v) for v in re.findall(r'<option value="([^"]*)"', fresh.text)]
    assert any("renamed" in v for v in values)
    assert not any(re.search(rf"\b{re.escape(first.key)}\b", v) for v in values)
    # What was picked stays picked; what was typed stays typed.
    picked = next(v for v in values if "renamed" in v)
    kept = await condition_list(condition=picked, show_if="", show_if_was="")
    assert selected(kept.text) == [picked]
    typed = await condition_list(condition="always", show_if="renamed == 'x'", show_if_was="")
    assert 'value="renamed == &#39;x&#39;"' in typed.text
    assert selected(typed.text) == [""]
    # Markup typed stays text. A condition too long for an address (over MAX_QUERY_BYTES) is refused
    # with 414 before the handler, which htmx does not swap in: the open form keeps what it shows.
    hostile = await condition_list(
        condition="always", show_if='"><script>alert(1)</script>', show_if_was=""
    )
    assert hostile.status_code == 200 and "<script>alert(1)" not in hostile.text
    huge = await condition_list(condition="always", show_if="y" * 5_000, show_if_was="")
    assert huge.status_code == 414 and "The address is too long." in huge.text
    # A place gone meanwhile leaves the form as it is; a malformed place is told; without htmx the
    # address opens the editor there.
    gone = await client.get(
        f"/console/drafts/{draft}/condition",
        params={"place": "s0.999", "field": "i0-999-cond"},
        headers={"HX-Request": "true"},
    )
    assert gone.status_code == 204 and gone.text == ""
    for place, name in (("s0.x", field), (later, '"><script>'), ("", field)):
        bad = await client.get(
            f"/console/drafts/{draft}/condition",
            params={"place": place, "field": name},
            headers={"HX-Request": "true"},
        )
        assert bad.status_code == 400
    plain = await client.get(
        f"/console/drafts/{draft}/condition", params={"place": later}, follow_redirects=False
    )
    assert plain.status_code in (302, 303)
    assert plain.headers["location"].endswith(f"?open={later}#{later}")
