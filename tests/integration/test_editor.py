"""The questionnaire editor through HTTP: drafts started blank, as a copy or from a file, changed one form at
a time (with and without htmx), refused when stale, undone, previewed, published with the diff, exported.

Every request goes through the whole application (litestar's test client) to the test's own database.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.console.messages import CATALOGUE
from survey.db import drafts as drafts_db
from survey.db import teams as teams_db
from survey.db.questionnaires import get_version, publish
from survey.questionnaire.fingerprint import definition_hash
from survey.questionnaire.load import load_definition, load_file
from tests.helpers import (
    BROKEN_YAML,
    V1,
    csrf_token,
    english_left,
    make_account,
    new_session,
    post_console_form,
    set_cookie,
    sign_in_as,
    text_of,
    visible_text,
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
    # The loader's rule, beside the section that has no item yet, in the editor's language (Mongolian
    # here), with its place in the definition as code.
    said = CATALOGUE.translate("problem.items_empty", "mn")
    assert f'<li>{said} <code class="where">sections[0].items</code></li>' in unescape(html)
    assert "at least one item is required" not in html
    sent = await change(client, draft, "/sections/0/items", {"type": "consent"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/console/drafts/{draft}?open=s0.0#s0.0"
    opened = await client.get(sent.headers["location"])
    assert '<details id="s0.0" class="ed-item has-problems" open>' in opened.text
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


@pytest.mark.parametrize("path", sorted(FORMS.glob("*.yaml")), ids=lambda p: p.stem)
async def test_each_shipped_questionnaire_through_a_draft_has_the_hash_of_forms_publish(
    client: AsyncTestClient, db: asyncpg.Connection, path: Path
) -> None:
    """Import → draft → publish stores the same definition (same SHA-256) as `survey forms publish`."""
    await sign_in_as(client, db, "researcher")
    sent = await client.post(
        "/console/drafts/import",
        data={"_csrf_token": await csrf_token(client)},
        files={"file": (path.name, path.read_bytes(), "application/yaml")},
    )
    assert sent.status_code == 303, text_of(sent.text)[:1500]
    draft = int(sent.headers["location"].rsplit("/", 1)[1])
    page = await client.get(f"/console/drafts/{draft}/publish")
    assert page.status_code == 200, text_of(page.text)[:1500]
    sent = await post_console_form(
        client, f"/console/drafts/{draft}/publish", {"revision": revision_of(page.text)}
    )
    assert sent.status_code == 303, text_of(sent.text)[:1500]
    expected = load_file(path)
    stored = await get_version(db, expected.key)
    assert stored.sha256 == definition_hash(expected)
    # And the editor's YAML export loads back to the same definition.
    exported = await client.get(f"/console/drafts/{draft}/export.yaml")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"] == f'attachment; filename="{expected.key}.yaml"'
    assert definition_hash(load_definition(exported.text)) == stored.sha256


async def test_a_copy_changed_shows_the_breaking_change_and_publishes_it_equivalent(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await publish(db, load_definition(V1), team="default", shared=False)
    await sign_in_as(client, db, "researcher", language="en")
    # The questionnaire's page offers it, with the same form.
    page = await client.get("/console/questionnaires/tq")
    assert "Prepare a new version in the editor" in text_of(page.text)
    assert '<input type="hidden" name="source" value="tq">' in page.text
    sent = await post_console_form(client, "/console/drafts", {"how": "copy", "source": "tq"})
    assert sent.status_code == 303
    draft = int(sent.headers["location"].rsplit("/", 1)[1])
    q = (await drafts_db.get_draft(db, draft)).definition
    # k_offer is the first item of section 2 (knowledge).
    s, j = next(
        (s, j)
        for s, section in enumerate(q.sections)
        for j, item in enumerate(section.items)
        if item.key == "k_offer"
    )
    fields = {
        "key": "k_offer",
        "type": "choice",
        "text.mn": "Хэт сайхан ажлын санал аюулгүй юу?",
        "text.en": "Is a too-good job offer safe?",
        "choice.0.value": "yes",
        "choice.0.label.mn": "Тийм",
        "choice.0.label.en": "Yes",
        "choice.1.value": "no",
        "choice.1.label.mn": "Үгүй",
        "choice.1.label.en": "No",
        "choice.2.value": "dk",
        "choice.2.label.mn": "Мэдэхгүй",
        "choice.2.label.en": "Don't know",
        "correct": "1",
        "condition": "always",
    }
    sent = await change(client, draft, f"/sections/{s}/items/{j}", fields)
    assert sent.status_code == 303
    changed = (await drafts_db.get_draft(db, draft)).definition.item("k_offer")
    # The shared choice list came back unchanged, so it stays a named list.
    assert changed.choices == "yes_no_dk" and changed.correct == "no"
    page = await client.get(f"/console/drafts/{draft}/publish")
    shown = text_of(page.text)
    assert (
        "Item k_offer changed: pre and post answers will not be compared unless you mark the change "
        "equivalent." in shown
    )
    sent = await post_console_form(
        client,
        f"/console/drafts/{draft}/publish",
        {
            "revision": revision_of(page.text),
            "listed.k_offer": "1",
            "equivalent.k_offer": "on",
        },
    )
    assert sent.status_code == 303, text_of(sent.text)[:2000]
    v2 = await get_version(db, "tq")
    v1 = await get_version(db, "tq", 1)
    assert v2.version == 2 and v2.definition.item("k_offer").equivalent
    # Marked equivalent: compared under the fingerprint it had in version 1.
    assert v2.comparability["k_offer"] == v1.comparability["k_offer"]
    assert v2.fingerprints["k_offer"] != v1.fingerprints["k_offer"]


async def test_a_stale_revision_is_refused_with_the_draft_as_it_now_is(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await new_blank(client)
    old = revision_of(await editor(client, draft))
    first = await post_console_form(
        client,
        f"/console/drafts/{draft}/questionnaire",
        {"revision": old, "key": "quiz", "title.mn": "Эхний", "title.en": "First writer"},
    )
    assert first.status_code == 303
    second = await post_console_form(
        client,
        f"/console/drafts/{draft}/questionnaire",
        {"revision": old, "key": "quiz", "title.mn": "Хоёр дахь", "title.en": "Second writer"},
        headers=HTMX,
    )
    assert second.status_code == 409
    assert "your change was not saved" in text_of(second.text)
    assert 'value="First writer"' in second.text and "Second writer" not in second.text
    stored = await drafts_db.get_draft(db, draft)
    assert stored.definition.title["en"] == "First writer"


async def test_undo_puts_back_the_last_change_once(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await new_blank(client)
    await change(client, draft, "/sections/0/items", {"type": "note"})
    assert len((await drafts_db.get_draft(db, draft)).definition.sections[0].items) == 1
    sent = await change(client, draft, "/undo", {}, htmx=True)
    assert sent.status_code == 200
    assert (await drafts_db.get_draft(db, draft)).definition.sections[0].items == []
    again = await change(client, draft, "/undo", {})
    assert again.status_code == 400
    assert "There is no change to undo." in text_of(again.text)


async def test_discard_removes_the_draft(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    await sign_in_as(client, db, "researcher")
    draft = await new_blank(client)
    sent = await change(client, draft, "/discard", {})
    assert sent.status_code == 303 and sent.headers["location"] == "/console/questionnaires"
    assert (await client.get(f"/console/drafts/{draft}")).status_code == 404


async def test_markup_typed_into_a_text_is_shown_as_text(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    draft = await new_blank(client)
    await change(client, draft, "/sections/0/items", {"type": "text"})
    attack = '<script>alert(1)</script><img src=x onerror=alert(2)>"'
    sent = await change(
        client,
        draft,
        "/sections/0/items/0",
        {"key": "q1", "type": "text", "text.mn": attack, "text.en": attack},
    )
    assert sent.status_code == 303
    html = await editor(client, draft)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    preview = await client.get(f"/console/drafts/{draft}/preview")
    assert preview.status_code == 200
    assert "<script>alert(1)" not in preview.text and "&lt;script&gt;" in preview.text


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("/sections/0/items", {"type": "essay"}, 400),
        ("/sections/7/items", {"type": "text"}, 400),
        ("/sections/0/items/9", {"key": "x"}, 400),
        ("/sections/0", {"action": "up"}, 303),
        ("/outcomes", {"kind": "median", "key": "m"}, 400),
        ("/scales", {"old": "nope", "action": "delete"}, 400),
        ("/questionnaire", {"title.mn": "а" * 10_001}, 400),
        ("/questionnaire", {"key": "k" * 1001}, 400),
    ],
)
async def test_wrong_and_huge_forms_get_a_clear_answer_and_change_nothing(
    client: AsyncTestClient, db: asyncpg.Connection, path: str, data: dict[str, str], status: int
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await new_blank(client)
    before = await drafts_db.get_draft(db, draft)
    sent = await change(client, draft, path, data)
    assert sent.status_code == status, text_of(sent.text)[:800]
    after = await drafts_db.get_draft(db, draft)
    assert after.definition == before.definition
    if status == 400:
        assert "<main" in sent.text  # a page that says why, never a bare error


async def test_a_form_without_its_revision_or_its_csrf_token_is_refused(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await new_blank(client)
    sent = await post_console_form(client, f"/console/drafts/{draft}/sections", {})
    assert sent.status_code == 400
    assert "revision" in text_of(sent.text)
    revision = revision_of(await editor(client, draft))
    sent = await client.post(f"/console/drafts/{draft}/sections", data={"revision": revision})
    assert sent.status_code == 403
    assert len((await drafts_db.get_draft(db, draft)).definition.sections) == 1


async def test_a_draft_is_its_teams_designers_alone(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    researcher = await make_account(db, "researcher")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, researcher))
    draft = await new_blank(client)
    analyst = await make_account(db, "analyst")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, analyst))
    assert (await client.get(f"/console/drafts/{draft}")).status_code == 403
    await teams_db.create_team(db, "other", "Other")
    outsider = await make_account(db, "admin", "outsider@example.org", team="other")
    set_cookie(client, auth.SESSION_COOKIE, await new_session(db, outsider))
    assert (await client.get(f"/console/drafts/{draft}")).status_code == 404
    listing = await client.get("/console/questionnaires")
    assert f"/console/drafts/{draft}" not in listing.text


async def test_an_item_that_breaks_rules_shows_the_loaders_messages_beside_it(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await new_blank(client)
    await change(client, draft, "/sections/0/items", {"type": "choice"})
    await change(client, draft, "/sections/0/items", {"type": "integer"})
    sent = await change(
        client,
        draft,
        "/sections/0/items/0",
        {
            "key": "k1",
            "type": "choice",
            "text.en": "Which?",
            "choice.0.value": "a",
            "choice.0.label.mn": "А",
            "choice.0.label.en": "A",
            "show_if": "later == 1",
        },
        htmx=True,
    )
    assert sent.status_code == 200
    item = sent.text.split('id="s0.0"', 1)[1].split('id="s0.1"', 1)[0]
    shown = text_of(item)
    # In the account's language (English here): the catalogue's sentences, each with its place.
    empty = CATALOGUE.translate("problem.text_empty", "en", language="Монгол")
    later = CATALOGUE.translate("problem.unknown_item", "en", key="later")
    assert f"{empty} sections[0].items[0].text" in shown
    assert f"{later} sections[0].items[0].show_if" in shown
    assert 'empty "mn" text' not in shown
    # Typed values are kept as typed, though wrong.
    assert 'value="later == 1"' in item
    # The stored draft says the same as `survey forms check` would.
    stored = (await drafts_db.get_draft(db, draft)).definition
    assert msgspec.to_builtins(stored)["sections"][0]["items"][0]["show_if"] == "later == 1"


async def test_a_draft_that_breaks_rules_is_neither_previewed_nor_exported_as_xlsform(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await new_blank(client)
    for path in ("/preview", "/export.xlsx", "/publish"):
        shown = await client.get(f"/console/drafts/{draft}{path}")
        assert shown.status_code == 409, path
        said = CATALOGUE.translate("problem.items_empty", "en")
        assert f"{said} sections[0].items" in text_of(shown.text)
    # YAML is exported as it stands, for fixing by hand.
    exported = await client.get(f"/console/drafts/{draft}/export.yaml")
    assert exported.status_code == 200 and "key: quiz" in exported.text


async def test_a_publishable_draft_exports_an_xlsform(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await publish(db, load_definition(V1), team="default", shared=False)
    await sign_in_as(client, db, "researcher")
    sent = await post_console_form(client, "/console/drafts", {"how": "copy", "source": "tq"})
    draft = int(sent.headers["location"].rsplit("/", 1)[1])
    exported = await client.get(f"/console/drafts/{draft}/export.xlsx")
    assert exported.status_code == 200
    assert exported.content[:2] == b"PK"
    assert exported.headers["content-disposition"] == 'attachment; filename="tq.xlsx"'


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("broken.yaml", b"key: [unclosed", "broken.yaml"),
        ("empty.yaml", b"", "empty.yaml is empty."),
        (
            "wrong.yaml",
            b"key: x\nlanguages: [mn]\n",
            "The required field “sections” is missing.",
        ),
        ("not-a-workbook.xlsx", b"hello", "not-a-workbook.xlsx could not be imported"),
    ],
)
async def test_a_file_that_cannot_start_a_draft_says_why_and_starts_none(
    client: AsyncTestClient, db: asyncpg.Connection, name: str, data: bytes, expected: str
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    sent = await client.post(
        "/console/drafts/import",
        data={"_csrf_token": await csrf_token(client)},
        files={"file": (name, data, "application/octet-stream")},
    )
    assert sent.status_code in (400, 413), sent.status_code
    assert expected in text_of(sent.text)
    assert await db.fetchval("SELECT count(*) FROM questionnaire_draft") == 0


async def test_a_copy_names_a_questionnaire_the_account_may_see(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await teams_db.create_team(db, "rival", "Rival")
    await publish(db, load_definition(V1), team="rival", shared=False)
    await sign_in_as(client, db, "researcher", language="en")
    sent = await post_console_form(client, "/console/drafts", {"how": "copy", "source": "tq"})
    assert sent.status_code == 404
    sent = await post_console_form(client, "/console/drafts", {"how": "copy", "source": ""})
    assert sent.status_code == 400
    assert "Choose the questionnaire to copy." in text_of(sent.text)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            BROKEN_YAML.encode(),
            [
                ("key_invalid", {"key": "Broken Key"}, "key"),
                ("text_empty", {"language": "Монгол"}, "title"),
                ("min_above_max", {"min": "90", "max": "15"}, "sections[0].items[0].min"),
                ("scale_unknown", {"name": "agree9"}, "sections[0].items[1].scale"),
                ("choice_list_unknown", {"name": "nolist"}, "sections[0].items[2].choices"),
                ("bands_order", {"value": 20, "previous": 30}, "analysis.subgroups[0].bands[1]"),
            ],
        ),
        (b"key: [a, b\n", [("yaml_syntax", {"line": 2, "column": 1}, "")]),
        (
            b"key: a\ntitel: {mn: x}\n",
            [("field_unknown_close", {"name": "titel", "close": "title"}, "")],
        ),
    ],
)
async def test_a_broken_yaml_file_is_said_in_mongolian_with_no_english_left(
    client: AsyncTestClient, db: asyncpg.Connection, data: bytes, said: list
) -> None:
    await sign_in_as(client, db, "researcher")
    sent = await client.post(
        "/console/drafts/import",
        data={"_csrf_token": await csrf_token(client)},
        # (.yml: the name is data, and "yaml" is a word of the English catalogue.)
        files={"file": ("broken.yml", data, "application/yaml")},
    )
    assert sent.status_code == 400
    # The places are paths in the file, shown as code; everything else is Mongolian.
    without_code = re.sub(r"<code\b[^>]*>.*?</code>", "", sent.text, flags=re.S)
    assert english_left(without_code, CATALOGUE) == []
    shown = visible_text(sent.text)
    for code, params, where in said:
        sentence = CATALOGUE.translate(f"problem.{code}", "mn", **params)
        assert (f"{sentence} {where}" if where else sentence) in shown, code
    # Nothing of the loader's English lines (what `survey forms check` prints) is left.
    for english in (
        "is not a valid",
        "is greater than",
        "unknown",
        "does not come after",
        "line 2",
    ):
        assert english not in visible_text(without_code), english
    alert = sent.text.split('<div class="problem" role="alert">', 1)[1].split("</div>", 1)[0]
    assert 'lang="en"' not in alert
    assert await db.fetchval("SELECT count(*) FROM questionnaire_draft") == 0


@pytest.mark.parametrize("lang", ["mn", "en"])
async def test_a_key_already_taken_is_said_in_the_readers_language(
    client: AsyncTestClient, db: asyncpg.Connection, lang: str
) -> None:
    # Two Likert scales; the second renamed to the first's key: refused, said as a sentence of the
    # console's own (no English line of the editor's code on a Mongolian page), nothing changed.
    await sign_in_as(client, db, "researcher", language=lang)
    draft = await new_blank(client)
    for key in ("agree5", "often5"):
        added = await change(client, draft, "/scales", {"key": key, "labels.mn": "Тийм\nҮгүй"})
        assert added.status_code == 303
    before = await drafts_db.get_draft(db, draft)
    refused = await change(client, draft, "/scales", {"old": "often5", "key": "agree5"})
    assert refused.status_code == 400
    said = CATALOGUE.translate("error.draft_scale_taken", lang, key="agree5")
    assert said in unescape(text_of(refused.text))
    assert "there is already" not in refused.text
    if lang == "mn":
        # Keys and places in the definition are data, shown as code; everything else is Mongolian.
        without_code = re.sub(r"<code\b[^>]*>.*?</code>", "", refused.text, flags=re.S)
        assert english_left(without_code, CATALOGUE) == []
    assert (await drafts_db.get_draft(db, draft)).definition == before.definition
    # With htmx the whole editor comes back, swapped so that its top, where the message stands, is in
    # view: the form sent may be far below it.
    swapped = await change(client, draft, "/scales", {"old": "often5", "key": "agree5"}, htmx=True)
    assert swapped.status_code == 400 and said in unescape(text_of(swapped.text))
    assert swapped.headers["HX-Reswap"] == "outerHTML show:top"
