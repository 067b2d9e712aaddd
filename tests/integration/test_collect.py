"""Respondent forms end to end: a real database, the litestar test client, the shipped questionnaires.

Opening a wave, reading a rendered form, sending pages and making up valid answers from the model are in
``tests/helpers.py``; walking a form to its end is here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.db import campaigns as campaigns_db
from survey.db.campaigns import Wave
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition, load_file
from survey.questionnaire.model import Questionnaire
from tests.helpers import (
    ABOUT,
    DEMO,
    HTMX,
    PANEL_CODE,
    REPO,
    SHIPPED,
    Form,
    follow,
    open_wave,
    post_form,
    read_page,
    secret_of,
    send,
    start,
    stored,
    to_work_page,
    valid_answer,
)

# -- setting up -----------------------------------------------------------------------------------------


# -- reading pages ----------------------------------------------------------------------------------


def assert_accessible(form: Form) -> None:
    """Every control has a label; every group a legend; every described-by id exists."""
    assert len(form.fieldsets) == form.legends
    for control in form.controls:
        assert control.id and control.id in form.labels_for, control
        described = control.attrs.get("aria-describedby", "")
        for ref in described.split():
            assert ref in form.ids, (control, ref)
    for group in form.fieldsets:
        for ref in group.get("aria-describedby", "").split():
            assert ref in form.ids, (group, ref)


def select_value(form: Form, name: str) -> list[str]:
    """For a select, what is selected (the parser lists options as controls)."""
    return [c.value for c in form.controls if c.name == name and c.kind == "select" and c.checked]


# -- making up answers -----------------------------------------------------------------------------


@dataclass
class Walk:
    response_id: str
    expected: dict[str, object]
    pages: int


async def walk(
    client: AsyncTestClient,
    wave: Wave,
    q: Questionnaire,
    secret: bytes,
    *,
    lang: str,
    htmx: bool,
    twice: bool = False,
) -> Walk:
    """Answer every page shown, from the welcome page to the thank-you page.

    With ``twice`` every page, and the final submit, is sent a second time before going on, as a
    browser does after a dropped connection.
    """
    headers = HTMX if htmx else {}
    response = await client.get(f"/r/{wave.token}?lang={lang}")
    assert response.status_code == 200, response.text
    form = read_page(response.text)
    assert form.html_lang == lang
    response_id = form.hidden["_response_id"]
    expected: dict[str, object] = {}
    pages = 0
    while True:
        pages += 1
        assert pages < 50, "the walk does not end"
        assert form.hidden["_response_id"] == response_id
        assert form.hidden["_lang"] == lang
        assert_accessible(form)
        body: list[tuple[str, str]] = [("_response_id", response_id), ("_lang", lang)]
        for name in form.names():
            item = q.item(name)
            values, stored_value = valid_answer(q, item, secret)
            body.extend((name, v) for v in values)
            expected[name] = stored_value
        assert form.action is not None
        for attempt in range(2 if twice else 1):
            sent = await post_form(client, form.action, body, headers)
            if htmx:
                assert sent.status_code == 200, sent.text
                assert "<html" not in sent.text  # only the form area
                assert sent.text.lstrip().startswith('<div id="form-area">')
                url = sent.headers["hx-push-url"]
                html = sent.text
            else:
                assert sent.status_code == 303, sent.text
                url = sent.headers["location"]
                html = None
            if attempt == 0:
                first_url = url
            else:
                assert url == first_url  # the re-send leads to the same place
        if url.endswith("/done"):
            if html is None:
                done = await client.get(url)
                assert done.status_code == 200
                html = done.text
                assert f'lang="{lang}"' in html
            return Walk(response_id, expected, pages)
        if html is None:
            page = await client.get(url)
            assert page.status_code == 200, page.text
            html = page.text
        form = read_page(html)


# -- walking every questionnaire ------------------------------------------------------------------


@pytest.mark.parametrize("path", [*SHIPPED, DEMO], ids=lambda p: p.stem)
async def test_every_questionnaire_can_be_answered_to_the_end(
    path: Path, db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    """Both languages, with and without htmx; the last walk sends every page and the submit twice."""
    wave = await open_wave(db, path)
    q = load_file(path)
    secret = await secret_of(db, wave)
    walks = []
    for lang, htmx, twice in (
        ("mn", False, False),
        ("en", True, False),
        ("en", False, True),
        ("mn", True, True),
    ):
        client.cookies.clear()
        walks.append((lang, await walk(client, wave, q, secret, lang=lang, htmx=htmx, twice=twice)))
    rows = {str(r["id"]): r for r in await stored(db, wave)}
    assert len(rows) == len(walks)  # re-sends made no duplicate
    for lang, done in walks:
        row = rows[done.response_id]
        assert row["status"] == "complete"
        assert row["language"] == lang
        assert row["answers"] == done.expected
        panel_items = [i.key for i in q.items() if i.type == "panel_code"]
        if panel_items:
            assert row["panel_key"] == done.expected[panel_items[0]]
            assert PANEL_CODE not in str(row["answers"])
        else:
            assert row["panel_key"] is None


# -- skip logic ---------------------------------------------------------------------------------------


async def test_skip_logic_hides_questions_and_clears_answers_that_become_hidden(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await to_work_page(client, wave)
    assert form.names() == ["offered"]
    form = await follow(client, await send(client, form, {"offered": ["yes"]}))
    assert form.names() == ["sources", "comment"]  # shown because offered == yes
    form = await follow(
        client, await send(client, form, {"sources": ["agency"], "comment": ["ok"]})
    )
    assert "a1" in form.names()
    form = await follow(client, await send(client, form, {"a1": ["4"]}))
    form = await follow(client, await send(client, form, {"a6": ["2"]}))
    assert form.names() == ["k1"]  # age 25 >= 20 shows the knowledge section
    (row,) = await stored(db, wave)
    assert row["answers"]["sources"] == ["agency"]

    # Back to the 'work' page: change the answer that showed 'sources'.
    page = await client.get(f"/r/{wave.token}/p/3")
    work = read_page(page.text)
    assert work.values("offered") == ["yes"]  # the saved answer is shown
    after = await follow(client, await send(client, work, {"offered": ["no"]}))
    assert after.names() == ["comment"]  # 'sources' is hidden now
    (row,) = await stored(db, wave)
    assert "sources" not in row["answers"]  # and its answer is gone
    assert row["answers"]["comment"] == "ok"  # what is still shown stays

    # A hidden question sent anyway (by hand) is ignored, not saved.
    sent = await send(client, after, {"sources": ["friend"], "comment": ["ok"]})
    assert sent.status_code == 303
    (row,) = await stored(db, wave)
    assert "sources" not in row["answers"]

    # A younger age hides the knowledge section and clears its answer.
    about = read_page((await client.get(f"/r/{wave.token}/p/2")).text)
    assert about.values("age") == ["25"]
    assert select_value(about, "aimag") == ["darkhan_uul"]
    await send(client, about, {**ABOUT, "age": ["19"], "code": [""]})
    (row,) = await stored(db, wave)
    assert row["answers"]["age"] == 19
    assert "k1" not in row["answers"]
    assert "knowledge" not in row["pages"]


async def test_a_page_shown_only_after_earlier_answers_cannot_be_skipped_to(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await to_work_page(client, wave)
    ahead = await client.get(f"/r/{wave.token}/p/6", follow_redirects=False)
    assert ahead.status_code == 303
    assert ahead.headers["location"] == f"/r/{wave.token}/p/3"
    # Sending a later page before the earlier ones saves nothing and leads back.
    early = await post_form(
        client,
        f"/r/{wave.token}/p/5",
        [("_response_id", form.hidden["_response_id"]), ("a1", "3")],
    )
    assert early.status_code == 303
    assert early.headers["location"] == f"/r/{wave.token}/p/3"
    (row,) = await stored(db, wave)
    assert "a1" not in row["answers"]


# -- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
async def test_invalid_answers_come_back_with_what_was_typed_and_each_error_beside_its_field(
    htmx: bool, db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave, "mn")
    form = await follow(client, await send(client, form, {"consent": ["yes"]}))
    typed = {"age": ["abc"], "height": ["3"], "born": ["2020-01-01"], "code": ["--"]}
    sent = await send(client, form, typed, htmx=htmx)
    assert sent.status_code == 422
    html = sent.text
    assert ("<html" in html) is not htmx
    page = read_page(html)
    # Everything typed is shown again.
    assert page.values("age") == ["abc"]
    assert page.values("height") == ["3"]
    assert page.values("born") == ["2020-01-01"]
    assert page.values("code") == ["--"]
    # Each error is beside its field and tied to it; the summary links to each field.
    expected = {
        "age": "Бүхэл тоо бичнэ үү",
        "height": "Зөвшөөрөгдөх утга: 1–2.5",
        "born": "Зөвшөөрөгдөх огноо: 1990-01-01 – 2010-12-31",
        "aimag": "Энэ асуултад хариулна уу",
        "code": "Кодод үсэг эсвэл тоо байх ёстой",
    }
    summary = html[html.index('class="error-summary"') : html.index("<form")]
    for key, message in expected.items():
        error = page.ids[f"q-{key}-error"]
        assert error["tag"] == "p"
        control = page.ids[f"q-{key}"]
        assert f"q-{key}-error" in control["aria-describedby"].split()
        assert control.get("aria-invalid") == "true"
        position = html.index(f'id="q-{key}-error"')
        assert message in html[position : position + 300]
        assert f'href="#q-{key}"' in summary
        assert message in summary
    assert 'role="alert"' in summary
    # Nothing of the page was saved.
    (row,) = await stored(db, wave)
    assert row["answers"] == {"consent": "yes"}
    assert row["pages"] == ["consent"]


async def test_a_required_question_left_empty_is_named_in_the_respondents_language(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave, "en")
    sent = await send(client, form, {})
    assert sent.status_code == 422
    assert "Please say whether you agree to take part." in sent.text
    assert await stored(db, wave) == []  # an invalid first page starts no response
    assert "set-cookie" not in sent.headers


# -- saving, re-sending, resuming -----------------------------------------------------------------


async def test_a_different_answer_sent_after_the_final_submit_is_refused_and_changes_nothing(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    q = load_file(DEMO)
    done = await walk(client, wave, q, await secret_of(db, wave), lang="en", htmx=False)
    (before,) = await stored(db, wave)
    late = await post_form(
        client,
        f"/r/{wave.token}/p/2",
        [
            ("_response_id", done.response_id),
            *[(k, v[0]) for k, v in {**ABOUT, "age": ["26"]}.items()],
        ],
    )
    assert late.status_code == 409
    assert "already submitted" in late.text
    (after,) = await stored(db, wave)
    assert after["answers"] == before["answers"]
    assert after["status"] == "complete"


async def test_coming_back_resumes_at_the_first_unsaved_page_with_saved_answers_shown(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await to_work_page(client, wave)
    assert form.action == f"/r/{wave.token}/p/3"
    # The tab is closed; the link is opened again later.
    again = await client.get(f"/r/{wave.token}", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"/r/{wave.token}/p/3"
    resumed = read_page((await client.get(again.headers["location"])).text)
    assert resumed.hidden["_response_id"] == form.hidden["_response_id"]
    # Back (a button of the form, which keeps the page as a draft): the previous page with its saved
    # answers.
    html = (await client.get(f"/r/{wave.token}/p/3")).text
    assert re.search(r'<button type="submit" name="_back" value="1"[^>]*>Back</button>', html)
    back = await post_form(
        client, form.action, [("_response_id", form.hidden["_response_id"]), ("_back", "1")]
    )
    assert back.status_code == 303 and back.headers["location"] == f"/r/{wave.token}/p/2"
    previous = read_page((await client.get(back.headers["location"])).text)
    assert previous.values("age") == ["25"]
    assert previous.values("height") == ["1.62"]
    assert previous.values("born") == ["2000-05-17"]
    assert select_value(previous, "aimag") == ["darkhan_uul"]
    assert previous.values("code") == [""]  # a panel code is never shown: it is not stored
    assert "Your code is saved" in (await client.get(back.headers["location"])).text
    # Sending it again with the code left empty keeps the code.
    (row,) = await stored(db, wave)
    await send(client, previous, {**ABOUT, "code": [""]})
    (again_row,) = await stored(db, wave)
    assert again_row["answers"]["code"] == row["answers"]["code"]
    assert again_row["panel_key"] == row["panel_key"]


async def test_a_page_rendered_for_one_respondent_never_shows_another_ones_id_or_answers(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    # Form pages are kept rendered by what they show, with a mark where the response id goes
    # (collect/routes.py, _RenderedForms): the same page for two respondents must still carry each
    # one's own id, and text a respondent types, even the mark itself, stays their text.
    wave = await open_wave(db, DEMO)
    work = await to_work_page(client, wave)
    first = await follow(client, await send(client, work, {"offered": ["no"]}))
    assert "comment" in first.names()
    first_id = first.hidden["_response_id"]
    typed = "<survey-response-id> =1+1"
    sent = await send(client, first, {"comment": [typed]})
    assert sent.status_code == 303, sent.text
    shown = await client.get(first.action or "")
    again = read_page(shown.text)
    assert again.values("comment") == [typed]
    assert "&lt;survey-response-id&gt;" in shown.text
    assert shown.text.count(first_id) == 1  # in the hidden field only

    client.cookies.clear()
    work = await to_work_page(client, wave)
    other = await follow(client, await send(client, work, {"offered": ["no"]}))
    other_id = other.hidden["_response_id"]
    assert other_id != first_id
    for _ in range(2):  # rendered for this respondent, then kept
        html = (await client.get(first.action or "")).text
        page = read_page(html)
        assert page.hidden["_response_id"] == other_id
        assert page.values("comment") == [""]
        assert first_id not in html and "survey-response-id" not in html


async def test_the_response_cookie_is_httponly_strict_and_scoped_to_the_wave(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave)
    sent = await send(client, form, {"consent": ["yes"]})
    cookie = sent.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert cookie.startswith(f"survey_response={form.hidden['_response_id']}")
    assert attributes["path"] == f"Path=/r/{wave.token}"
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=strict"
    assert int(attributes["max-age"].split("=")[1]) > 30 * 24 * 3600
    # The only cookie respondents get.
    assert len(sent.headers.get_list("set-cookie")) == 1


async def test_declining_ends_politely_and_keeps_only_the_consent_answer(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave, "mn")
    sent = await send(client, form, {"consent": ["no"]})
    assert sent.headers["location"] == f"/r/{wave.token}/done"
    thanks = await client.get(sent.headers["location"])
    assert "Та оролцохгүй байхаар сонгосон" in thanks.text
    again = await send(client, form, {"consent": ["no"]})  # re-sent: same place, nothing new
    assert again.headers["location"] == f"/r/{wave.token}/done"
    (row,) = await stored(db, wave)
    assert row["status"] == "declined"
    assert row["answers"] == {"consent": "no"}
    # Opening the link again shows the thank-you page, not the form.
    reopened = await client.get(f"/r/{wave.token}")
    assert read_page(reopened.text).action is None
    assert "Та оролцохгүй байхаар сонгосон" in reopened.text


async def test_after_finishing_another_person_can_answer_on_the_same_phone(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave, "mn")
    await send(client, form, {"consent": ["no"]})
    thanks = await client.get(f"/r/{wave.token}/done")
    assert "Өөр хүн энэ төхөөрөмжөөс бөглөх" in thanks.text
    restarted = await post_form(
        client, f"/r/{wave.token}/restart", [("_response_id", form.hidden["_response_id"])]
    )
    assert restarted.status_code == 303
    assert "Max-Age=0" in restarted.headers["set-cookie"]
    fresh = read_page((await client.get(restarted.headers["location"])).text)
    assert fresh.hidden["_response_id"] != form.hidden["_response_id"]
    await send(client, fresh, {"consent": ["yes"]})
    assert len(await stored(db, wave)) == 2


async def test_the_language_can_be_switched_on_any_page_and_is_kept(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    welcome = await client.get(f"/r/{wave.token}")
    assert '<html lang="mn">' in welcome.text  # Mongolian by default
    assert 'href="?lang=en"' in welcome.text
    form = read_page(welcome.text)
    assert form.hidden["_lang"] == "mn"
    form = await follow(client, await send(client, form, {"consent": ["yes"]}))
    english = await client.get(f"/r/{wave.token}/p/2?lang=en")
    assert '<html lang="en">' in english.text
    assert "How old are you" not in english.text and "Age?" in english.text
    (row,) = await stored(db, wave)
    assert row["language"] == "en"
    # Later pages stay in English without asking again.
    later = await client.get(f"/r/{wave.token}/p/2")
    assert '<html lang="en">' in later.text
    assert "Next" in later.text


# -- versions and panel codes ----------------------------------------------------------------------


async def test_a_response_is_validated_against_the_version_it_started_on(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave)
    form = await follow(client, await send(client, form, {"consent": ["yes"]}))
    # Version 2 accepts older respondents; the wave is moved to it while this response is open.
    newer = load_definition(DEMO.read_text().replace("max: 27", "max: 30"))
    assert (await publish(db, newer)).version == 2
    await db.execute(
        "UPDATE wave SET version_id = (SELECT max(id) FROM questionnaire_version) WHERE id = $1",
        wave.id,
    )
    refused = await send(client, form, {**ABOUT, "age": ["29"]})
    assert refused.status_code == 422  # version 1 allows 18-27
    assert "Enter a number from 18 to 27." in refused.text
    client.cookies.clear()
    other = await start(client, wave)
    other = await follow(client, await send(client, other, {"consent": ["yes"]}))
    accepted = await send(client, other, {**ABOUT, "age": ["29"]})
    assert accepted.status_code == 303
    first, second = await stored(db, wave)
    assert first["version_id"] < second["version_id"]
    assert "age" not in first["answers"] and second["answers"]["age"] == 29


async def test_panel_codes_typed_differently_give_one_key_and_are_never_stored(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    path = REPO / "forms" / "child-protection.yaml"
    q = load_file(path)
    await publish(db, q)
    await campaigns_db.create_campaign(db, "panel", questionnaire=q.key, design="panel")
    waves = []
    for phase in ("pre", "post"):
        added = await campaigns_db.add_wave(db, "panel", phase=phase)
        waves.append(await campaigns_db.set_wave_status(db, added.key, "open"))
    typed = {"pre": " до-07 д ", "post": "ДO07Д"}  # Cyrillic О before, Latin O after; case; spaces
    for wave, code in zip(waves, typed.values(), strict=True):
        form = await start(client, wave, "mn")
        form = await follow(client, await send(client, form, {"consent": ["yes"]}))
        assert form.names() == ["panel_code"]
        assert (await send(client, form, {"panel_code": [code]})).status_code == 303
    secret = await secret_of(db, waves[0])
    expected = hmac.new(secret, PANEL_CODE.encode("utf-8"), hashlib.sha256).hexdigest()
    rows = [row for wave in waves for row in await stored(db, wave)]
    assert [row["panel_key"] for row in rows] == [expected, expected]
    dumped = await db.fetchval("SELECT string_agg(r::text, ' ') FROM response r")
    for code in typed.values():
        assert code.strip() not in dumped
        assert code.strip().upper() not in dumped
    assert "ДО07Д" not in dumped and PANEL_CODE not in dumped
