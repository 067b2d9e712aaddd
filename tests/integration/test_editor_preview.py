"""The editor's live preview through HTTP: a draft answered as a respondent would meet it (paging, "show only
if", the respondents' own messages), with the answers carried in the form and nothing stored; the one page
that the site itself may frame.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import asyncpg
from litestar.testing import AsyncTestClient

from survey.collect.messages import translate
from survey.console.messages import CATALOGUE
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from survey.web.security import FRAMED_BY_SELF
from tests.helpers import csrf_token, post_console_form, sign_in_as, text_of

HTMX = {"HX-Request": "true"}

#: Page 1 asks whether the respondent worked abroad; page 2 (a section shown only after "yes") asks where;
#: page 3 asks the age, from 18 to 99.
ABROAD = """
key: abroad
languages: [mn, en]
title: {mn: "Гадаадад ажилласан туршлага", en: "Work abroad"}
sections:
  - key: first
    items:
      - key: worked
        type: choice
        required: true
        text: {mn: "Та гадаадад ажиллаж байсан уу?", en: "Have you worked abroad?"}
        choices:
          - {value: "yes", label: {mn: "Тийм", en: "Yes"}}
          - {value: "no", label: {mn: "Үгүй", en: "No"}}
  - key: where
    show_if: "worked == 'yes'"
    items:
      - {key: country, type: text, text: {mn: "Аль улсад?", en: "In which country?"}}
  - key: about
    items:
      - {key: age, type: integer, min: 18, max: 99, text: {mn: "Таны нас", en: "Your age"}}
"""


async def a_draft(client: AsyncTestClient, db: asyncpg.Connection) -> int:
    await publish(db, load_definition(ABROAD), team="default", shared=False)
    sent = await post_console_form(client, "/console/drafts", {"how": "copy", "source": "abroad"})
    assert sent.status_code == 303, sent.text[:500]
    return int(sent.headers["location"].rsplit("/", 1)[1])


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The hidden fields of the preview's respondent form, as a browser would send them back."""
    form = re.search(r'<form [^>]*id="preview-form".*?</form>', html, flags=re.S)
    assert form, html[:800]
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)
        )
    ]


async def send(
    client: AsyncTestClient, draft: int, html: str, answers: list[tuple[str, str]]
) -> tuple[int, str]:
    """Send the preview form shown in ``html`` with these fields added (answers, or a button's)."""
    fields = [(n, v) for n, v in hidden_fields(html) if n != "_csrf_token"]
    fields += [("_csrf_token", await csrf_token(client)), *answers]
    response = await client.post(
        f"/console/drafts/{draft}/try",
        content="&".join(f"{n}={v}" for n, v in _encoded(fields)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    return response.status_code, response.text


def _encoded(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(quote(n, safe=""), quote(v, safe="")) for n, v in fields]


async def count_responses(db: asyncpg.Connection) -> int:
    return await db.fetchval("SELECT count(*) FROM response")


async def test_answering_yes_shows_the_question_asked_only_after_a_yes(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await a_draft(client, db)
    first = await client.get(f"/console/drafts/{draft}/try?language=en&framed=1")
    assert first.status_code == 200
    shown = text_of(first.text)
    assert "Have you worked abroad?" in shown and "In which country?" not in shown
    # The respondents' own page: their stylesheet, their progress line, and this site may frame it.
    assert "css/survey.css" in first.text and "css/console.css" not in first.text
    assert translate("progress", "en", current=1, total=3) in shown
    assert first.headers["x-frame-options"] == FRAMED_BY_SELF["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in first.headers["content-security-policy"]
    # Framed in the editor, the page has no way back to it (the editor is beside it).
    assert "Back to the editor" not in shown

    status, page2 = await send(client, draft, first.text, [("worked", "yes")])
    assert status == 200
    assert "In which country?" in text_of(page2)
    assert ("carried.worked", "yes") in hidden_fields(page2)
    status, page3 = await send(client, draft, page2, [("country", "Korea")])
    assert "Your age" in text_of(page3)
    assert ("carried.country", "Korea") in hidden_fields(page3)

    # "No" leaves the country question out: page 1 leads straight to the age.
    status, skipped = await send(client, draft, first.text, [("worked", "no")])
    assert status == 200
    assert "Your age" in text_of(skipped) and "In which country?" not in text_of(skipped)
    status, done = await send(client, draft, skipped, [("age", "30")])
    assert status == 200 and translate("thanks_complete", "en") in text_of(done)
    assert await count_responses(db) == 0


async def test_a_wrong_answer_gets_the_respondents_message_with_what_was_typed_kept(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await a_draft(client, db)
    first = await client.get(f"/console/drafts/{draft}/try?language=en&page=3")
    assert "Your age" in text_of(first.text)
    status, refused = await send(client, draft, first.text, [("age", "7")])
    assert status == 422
    assert translate("err_range", "en", min=18, max=99) in text_of(refused)
    assert 'value="7"' in refused
    status, refused = await send(client, draft, first.text, [("age", "<b>x</b>")])
    assert status == 422 and "&lt;b&gt;x&lt;/b&gt;" in refused and "<b>x</b>" not in refused
    # A required question left empty, on page 1.
    start = await client.get(f"/console/drafts/{draft}/try?language=en")
    status, empty = await send(client, draft, start.text, [])
    assert status == 422 and translate("err_required", "en") in text_of(empty)
    assert await count_responses(db) == 0


async def test_back_the_page_picker_and_the_language_keep_the_answers(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="mn")
    draft = await a_draft(client, db)
    first = await client.get(f"/console/drafts/{draft}/try")
    # The draft's first language, the console's words around it, and the way back when on its own.
    assert "Та гадаадад ажиллаж байсан уу?" in text_of(first.text)
    assert CATALOGUE.translate("try.back", "mn") in text_of(first.text)
    _, page2 = await send(client, draft, first.text, [("worked", "yes")])
    # The language buttons send the form: the same page in English, the answer kept.
    _, english = await send(client, draft, page2, [("country", "Korea"), ("_switch", "en")])
    assert "In which country?" in text_of(english) and ">Korea</textarea>" in english
    # Back: page 1 with "yes" still chosen.
    _, back = await send(client, draft, english, [("country", "Korea"), ("_back", "1")])
    assert re.search(r'value="yes"[^>]*checked', back), back
    # The page picker jumps to page 3 and the answers travel with it.
    _, third = await send(client, draft, back, [("worked", "yes"), ("_goto", "3")])
    assert "Your age" in text_of(third)
    assert {("carried.worked", "yes"), ("carried.country", "Korea")} <= set(hidden_fields(third))
    # Page 2 picked after "no": its condition hides it, and the preview says so.
    _, hidden = await send(client, draft, back, [("worked", "no"), ("_goto", "2")])
    assert CATALOGUE.translate("try.hidden_page", "mn") in text_of(hidden)


async def test_the_preview_follows_a_change_made_in_the_editor(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await a_draft(client, db)
    page = await client.get(f"/console/drafts/{draft}")
    assert f'src="/console/drafts/{draft}/try?framed=1&amp;lang=en"' in page.text
    revision = re.search(r'name="revision" value="(\d+)"', page.text).group(1)
    sent = await post_console_form(
        client,
        f"/console/drafts/{draft}/sections/2/items/0",
        {
            "revision": revision,
            "key": "age",
            "type": "integer",
            "text.mn": "Таны төрсөн он",
            "text.en": "Your year of birth",
        },
        headers=HTMX,
    )
    assert sent.status_code == 200
    assert sent.headers["hx-trigger"] == "preview-stale"
    shown = await client.get(f"/console/drafts/{draft}/try?language=en&page=3")
    assert "Your year of birth" in text_of(shown.text)


async def test_a_draft_that_breaks_rules_says_why_in_the_frame(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    sent = await post_console_form(
        client,
        "/console/drafts",
        {"how": "blank", "key": "empty", "title.mn": "Х", "title.en": "E"},
    )
    draft = int(sent.headers["location"].rsplit("/", 1)[1])
    shown = await client.get(f"/console/drafts/{draft}/try?framed=1")
    assert shown.status_code == 409
    assert CATALOGUE.translate("problem.items_empty", "en") in text_of(shown.text)
    assert shown.headers["x-frame-options"] == "SAMEORIGIN"


async def test_wrong_and_hostile_preview_requests_get_a_clear_4xx(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    draft = await a_draft(client, db)
    first = await client.get(f"/console/drafts/{draft}/try")
    for query in ("page=abc", "page=-1", "page=" + "9" * 40):
        assert (await client.get(f"/console/drafts/{draft}/try?{query}")).status_code == 400
    # A page number past the last shows the last; a language the draft lacks, its first.
    assert "Таны нас" in text_of((await client.get(f"/console/drafts/{draft}/try?page=99")).text)
    shown = await client.get(f"/console/drafts/{draft}/try?language=fr")
    assert shown.status_code == 200 and "Та гадаадад" in text_of(shown.text)
    status, _ = await send(client, draft, first.text, [("_goto", "x")])
    assert status == 400
    status, _ = await send(client, draft, first.text, [("worked", "y" * 20_000)])
    assert status == 400
    status, _ = await send(client, draft, first.text, [("carried.x", "1")] * 5_001)
    assert status == 400
    # A field that is no question of the page (a key renamed in the editor meanwhile) is left out.
    status, fine = await send(client, draft, first.text, [("worked", "no"), ("gone", "1")])
    assert status == 200 and "Таны нас" in text_of(fine)
    # Without its CSRF token the form is refused, like every console form.
    bare = await client.post(
        f"/console/drafts/{draft}/try",
        content="worked=yes&_page=1",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert bare.status_code == 403
    # Another team's draft, or none, is not there.
    assert (await client.get("/console/drafts/999999/try")).status_code == 404
    assert await count_responses(db) == 0
