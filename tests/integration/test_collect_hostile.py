"""Malformed, oversized and hostile requests get a 4xx with a message, never a 500, and save nothing
invalid."""

from __future__ import annotations

import asyncio
import datetime
import html
import re
import uuid
from urllib.parse import urlencode

import asyncpg
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient, TestClient

from survey.app import create_app
from survey.db.pool import connect
from survey.questionnaire.load import load_file
from survey.questionnaire.model import Questionnaire
from survey.settings import Settings
from tests.helpers import (
    DEMO,
    follow,
    open_wave,
    post_form,
    send,
    start,
    stored,
)

FORM = "application/x-www-form-urlencoded"


async def on_about_page(db: asyncpg.Connection, client: AsyncTestClient):
    wave = await open_wave(db, DEMO)
    form = await start(client, wave)
    form = await follow(client, await send(client, form, {"consent": ["yes"]}))
    return wave, form


# -- each limit -------------------------------------------------------------------------------------


async def test_a_body_over_the_limit_gets_413_with_a_message(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave, form = await on_about_page(db, client)
    body = urlencode([("_response_id", form.hidden["_response_id"]), ("comment", "x" * 70_000)])
    sent = await client.post(
        form.action, content=body.encode(), headers={"content-type": FORM}, follow_redirects=False
    )
    assert sent.status_code == 413
    assert "What was sent is too large" in sent.text
    (row,) = await stored(db, wave)
    assert row["answers"] == {"consent": "yes"}


MALFORMED = {
    "repeated": ([("age", "25")] * 2, FORM, 400, 'Question "age" was sent more than once.'),
    "other page": ([("consent", "yes")], FORM, 400, 'This page has no question "consent".'),
    "unknown": ([("no_such_item", "1")], FORM, 400, 'This page has no question "no_such_item".'),
    "underscore": ([("_secret", "1")], FORM, 400, 'This page has no question "_secret".'),
    "too many": ([(f"f{i}", "1") for i in range(501)], FORM, 400, "too many fields (at most 500)"),
    "json": ([("age", "25")], "application/json", 415, "ordinary web form"),
    "multipart": ([("age", "25")], "multipart/form-data; boundary=x", 415, "ordinary web form"),
    "long": ([("age", "y" * 10_001)], FORM, 400, "A field's value is too long."),
}
UNDECODABLE = {
    "bad percent-encoded UTF-8": b"_response_id=%ff%fe&age=1",
    "bad raw UTF-8": b"_response_id=\xff",
    "no id": b"age=25",
    "bad id": b"_response_id=not-a-uuid",
}


async def test_malformed_forms_get_a_4xx_with_a_message_and_change_nothing(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave, form = await on_about_page(db, client)
    for case, (fields, content_type, status, message) in MALFORMED.items():
        body = urlencode([("_response_id", form.hidden["_response_id"]), *fields]).encode()
        sent = await client.post(
            form.action,
            content=body,
            headers={"content-type": content_type},
            follow_redirects=False,
        )
        assert sent.status_code == status, case
        assert "The form could not be read" in sent.text, case
        assert message in html.unescape(sent.text), case
    for case, raw in UNDECODABLE.items():
        sent = await client.post(
            form.action, content=raw, headers={"content-type": FORM}, follow_redirects=False
        )
        assert sent.status_code == 400, case
        assert "The form could not be read" in sent.text, case
    (row,) = await stored(db, wave)
    assert row["answers"] == {"consent": "yes"}


async def test_values_of_the_wrong_type_are_refused_beside_their_field(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave, form = await on_about_page(db, client)
    sent = await post_form(
        client,
        form.action,
        [
            ("_response_id", form.hidden["_response_id"]),
            ("age", "1e400"),
            ("height", "NaN"),
            ("born", "2000-02-30"),
            ("aimag", "atlantis"),
        ],
    )
    assert sent.status_code == 422
    for key in ("age", "height", "born", "aimag"):
        assert f'id="q-{key}-error"' in sent.text
    (row,) = await stored(db, wave)
    assert row["answers"] == {"consent": "yes"}


# -- the property ---------------------------------------------------------------------------------

HOSTILE = [
    "25",
    "-1",
    "0",
    "27",
    "28",
    "1e400",
    "NaN",
    "inf",
    "0x1A",
    "２５",
    "25.0",
    " 25 ",
    "1 000",
    "1,62",
    "\x00",
    "a\x00b",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "9" * 30,
    "2000-02-30",
    "2000-13-01",
    "1989-12-31",
    "1990-01-01",
    "99999-01-01",
    "darkhan_uul",
    "atlantis",
    "ДО07Д",
    "--",
    "\u202e",
    "\ud7ff",
    "x" * 600,
    "yes",
    "no",
    "",
]
NAMES = [
    "age",
    "height",
    "born",
    "aimag",
    "code",
    "consent",
    "offered",
    "a1",
    "comment",
    "_response_id",
    "_lang",
    "_evil",
    "",
    "age[]",
    "AGE",
    "x" * 250,
]
NUMBERS = [2, 2, 2, 2, 3, 1, 0, -1, 99]


def _check_stored(q: Questionnaire, answers: dict[str, object]) -> None:
    """Every stored answer has the type and range the questionnaire format promises."""
    for key, value in answers.items():
        item = q.item(key)  # an unknown key raises KeyError
        kind = item.type
        if kind in ("choice", "consent"):
            allowed = ["yes", "no"] if kind == "consent" else [c.value for c in q.choices_for(item)]
            assert value in allowed, (key, value)
        elif kind == "multi":
            values = [c.value for c in q.choices_for(item)]
            assert isinstance(value, list) and all(v in values for v in value), (key, value)
            assert len(set(value)) == len(value)
        elif kind == "likert":
            assert type(value) is int and 1 <= value <= q.scale_for(item).points, (key, value)
        elif kind in ("integer", "decimal"):
            assert type(value) is (int if kind == "integer" else float), (key, value)
            assert item.min is None or value >= item.min, (key, value)
            assert item.max is None or value <= item.max, (key, value)
        elif kind == "date":
            day = datetime.date.fromisoformat(value)
            assert item.min is None or day >= datetime.date.fromisoformat(item.min)
            assert item.max is None or day <= datetime.date.fromisoformat(item.max)
        elif kind == "text":
            assert isinstance(value, str) and 0 < len(value) <= (item.max_length or 500)
            assert "\x00" not in value
        elif kind == "panel_code":
            assert re.fullmatch(r"[0-9a-f]{64}", value), (key, value)
        else:
            raise AssertionError(f"a {kind} item has an answer")


async def _all_answers(url: str, wave_id: int) -> list[asyncpg.Record]:
    conn = await connect(url)
    try:
        return await conn.fetch(
            "SELECT answers, status, pages FROM response WHERE wave_id = $1", wave_id
        )
    finally:
        await conn.close()


async def _open(url: str):
    conn = await connect(url)
    try:
        return await open_wave(conn, DEMO)
    finally:
        await conn.close()


# Mostly well-formed pages with odd values (these reach validation and saving), then odd framing.
hostile_value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
plausible_page = st.fixed_dictionaries(
    {},
    optional={
        "age": st.one_of(st.integers(10, 40).map(str), hostile_value),
        "height": st.one_of(st.sampled_from(["1.6", "1,62", "2.5", "2.51", "0"]), hostile_value),
        "born": st.one_of(st.dates().map(str), hostile_value),
        "aimag": st.one_of(st.sampled_from(["darkhan_uul", "khovd", "orkhon"]), hostile_value),
        "code": hostile_value,
    },
).map(lambda answers: (True, list(answers.items()), FORM))
complete_page = st.fixed_dictionaries(
    {"age": st.integers(18, 27).map(str), "aimag": st.sampled_from(["darkhan_uul", "khovd"])},
    optional={"height": hostile_value, "born": hostile_value, "code": hostile_value},
).map(lambda answers: (True, list(answers.items()), FORM))
odd_fields = st.tuples(
    st.booleans(),
    st.lists(st.tuples(st.sampled_from(NAMES), hostile_value), max_size=12),
    st.sampled_from(
        [FORM, FORM, FORM, FORM + "; charset=utf-8", "text/plain", "multipart/form-data", ""]
    ),
)
raw_bytes = st.tuples(st.just(False), st.binary(max_size=200), st.just(FORM))
bodies = st.one_of(complete_page, plausible_page, plausible_page, odd_fields, raw_bytes)


def test_random_and_hostile_bodies_never_break_the_page_endpoint(settings: Settings) -> None:
    """A property test (hypothesis) on the page endpoint: any body, any page number, as a plain form or
    an htmx request, gets an answer below 500, and what is stored stays valid."""
    url = settings.database_url
    assert url is not None
    q = load_file(DEMO)
    wave = asyncio.run(_open(url))
    with TestClient(create_app(settings, database_url=url)) as client:
        welcome = client.get(f"/r/{wave.token}?lang=en")
        response_id = re.search(r'name="_response_id" value="([^"]+)"', welcome.text).group(1)
        started = client.post(
            f"/r/{wave.token}/p/1",
            content=urlencode({"_response_id": response_id, "consent": "yes"}).encode(),
            headers={"content-type": FORM},
            follow_redirects=False,
        )
        assert started.status_code == 303

        @hypothesis_settings(
            max_examples=80,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(
            body=bodies,
            number=st.sampled_from(NUMBERS),
            htmx=st.booleans(),
            fresh_id=st.sampled_from([False, False, False, True]),
        )
        def check(body, number: int, htmx: bool, fresh_id: bool) -> None:
            with_id, fields, content_type = body
            if isinstance(fields, bytes):
                content = fields
            else:
                own = [("_response_id", str(uuid.uuid4()) if fresh_id else response_id)]
                content = urlencode((own if with_id else []) + fields).encode()
            headers = {"content-type": content_type} if content_type else {}
            if htmx:
                headers["HX-Request"] = "true"
            sent = client.post(
                f"/r/{wave.token}/p/{number}",
                content=content,
                headers=headers,
                follow_redirects=False,
            )
            assert sent.status_code < 500, sent.text
            if sent.status_code >= 400:
                assert sent.text.strip(), "a refusal says why"
            for row in asyncio.run(_all_answers(url, wave.id)):
                assert row["status"] in ("in_progress", "complete", "declined")
                _check_stored(q, row["answers"])

        check()
