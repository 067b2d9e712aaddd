"""Hostile submissions to a field address: XML that expands (billion laughs), reaches outside (external
entities, an external DTD), nests or repeats without end, a body of 50 MB, multipart bodies that are cut,
have no interview or too many parts, compressed bodies. Each gets a 4xx with an OpenRosa message (and
the OpenRosa headers), never a 500, and nothing is stored.
"""

from __future__ import annotations

import gzip
import uuid
import xml.etree.ElementTree as ET

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.db import campaigns as campaigns_db
from survey.db import field as field_db
from survey.db.pool import create_pool
from survey.field.instance import MAX_ELEMENTS, MAX_SUBMISSION_BYTES
from survey.settings import Settings
from tests.helpers import (
    fill_instance,
    make_study,
    multipart_submission,
)

RESPONSE = "{http://openrosa.org/http/response}"


@pytest.fixture(name="token")
async def token_fixture(db: asyncpg.Connection) -> str:
    study = await make_study(db)
    await campaigns_db.set_wave_status(db, study.pre.key, "open")
    return (await field_db.ensure_key(db, study.pre.id, None)).token


def instance(body: str, form_id: str = "tip-pre") -> bytes:
    """An interview of the study's pre wave around ``body`` (its questions), with an instanceID."""
    return (
        f'<data id="{form_id}" version="1">{body}'
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()


async def refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    token: str,
    body: bytes,
    content_type: str,
    *,
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """POST ``body``; the status and message of the refusal, after checking nothing was stored."""
    response = await client.post(
        f"/field/{token}/submission",
        content=body,
        headers={"content-type": content_type, **(headers or {})},
    )
    assert 400 <= response.status_code < 500, response.text[:300]
    assert response.headers["x-openrosa-version"] == "1.0" and response.headers["date"]
    root = ET.fromstring(response.content)
    message = root.find(f"{RESPONSE}message")
    assert message is not None and message.get("nature") == "error"
    assert await db.fetchval("SELECT count(*) FROM response") == 0
    assert await db.fetchval("SELECT count(*) FROM field_instance") == 0
    return response.status_code, message.text or ""


async def submit_xml(client, db, token, xml: bytes) -> tuple[int, str]:
    body, content_type = multipart_submission(xml)
    return await refused(client, db, token, body, content_type)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE data [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<data id="tip-pre" version="1"><about><comment>&lol9;</comment></about>
<meta><instanceID>uuid:0b5e7c1e-0000-4000-8000-000000000001</instanceID></meta></data>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<data id="tip-pre" version="1"><attitudes><comment>&secret;</comment></attitudes>
<meta><instanceID>uuid:0b5e7c1e-0000-4000-8000-000000000002</instanceID></meta></data>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE data SYSTEM "http://127.0.0.1:9/evil.dtd">
<data id="tip-pre" version="1"><meta><instanceID>uuid:1</instanceID></meta></data>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<data id="tip-pre" version="1"><meta><instanceID>uuid:1</instanceID></meta></data>"""


@pytest.mark.parametrize(
    "xml", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY], ids=str
)
async def test_declarations_are_refused_before_anything_expands(
    client: AsyncTestClient, db: asyncpg.Connection, token: str, xml: bytes
) -> None:
    status, message = await submit_xml(client, db, token, xml)
    assert status == 400 and "DTD or an entity" in message
    assert "root:" not in message  # nothing of /etc/passwd


async def test_a_body_of_50_mb_is_refused_at_its_limit(
    client: AsyncTestClient, db: asyncpg.Connection, token: str
) -> None:
    huge = instance("<attitudes><comment>" + "A" * (50 * 1024 * 1024) + "</comment></attitudes>")
    body, content_type = multipart_submission(huge)
    status, message = await refused(client, db, token, body, content_type)
    assert status == 413 and f"{MAX_SUBMISSION_BYTES // (1024 * 1024)} MB" in message


async def test_a_large_body_sent_in_chunks_without_a_length_is_refused_too(
    settings: Settings, db: asyncpg.Connection, token: str
) -> None:
    """Chunked transfer (no Content-Length), which the test client cannot send: the messages a server
    hands the application, 1 MB at a time, 50 of them, on this test's event loop."""
    app = create_app(settings, database_url=settings.database_url)
    app.state.pool = await create_pool(settings.database_url or "")
    sent = 0
    replies: list[dict] = []

    async def receive() -> dict:
        nonlocal sent
        sent += 1
        return {"type": "http.request", "body": b"A" * (1024 * 1024), "more_body": sent < 50}

    async def send(message: dict) -> None:
        replies.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/field/{token}/submission",
        "raw_path": f"/field/{token}/submission".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"multipart/form-data; boundary=x"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    try:
        await app(scope, receive, send)  # type: ignore[arg-type]
    finally:
        await app.state.pool.close()
    assert replies[0]["status"] == 413
    assert sent <= MAX_SUBMISSION_BYTES // (1024 * 1024) + 1  # it stopped reading at the limit
    assert b"OpenRosaResponse" in b"".join(m.get("body", b"") for m in replies[1:])
    assert await db.fetchval("SELECT count(*) FROM response") == 0


@pytest.mark.parametrize(
    ("xml", "status", "words"),
    [
        (b"this is not xml", 400, "could not be read as XML"),
        (b"<data id='tip-pre' version='1'><unclosed>", 400, "could not be read as XML"),
        (b"", 400, "could not be read as XML"),
        ("<a>" * 100_000 + "</a>" * 100_000, 400, "not shaped like an interview"),
        (
            '<data id="tip-pre" version="1"><s>' + "<x/>" * (MAX_ELEMENTS + 10) + "</s></data>",
            400,
            "not shaped like an interview",
        ),
        (
            instance("<attitudes><comment>" + "Ж" * 10_001 + "</comment></attitudes>"),
            400,
            "too long",
        ),
        (instance("<about><password>hunter2</password></about>"), 400, '"password"'),
        (instance("<about><age>20</age><age>21</age></about>"), 400, '"age" more than once'),
        (b'<data id="tip-pre" version="1"><about><age>20</age></about></data>', 400, "instanceID"),
        (instance("", form_id=""), 400, "not shaped like an interview"),
        (instance("<about>text beside questions<age>20</age></about>"), 400, "not shaped"),
    ],
    ids=[
        "not-xml",
        "cut",
        "empty",
        "deep",
        "wide",
        "long-value",
        "unknown-question",
        "repeated-question",
        "no-instance-id",
        "no-form-id",
        "mixed-content",
    ],
)
async def test_malformed_interviews_are_refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    token: str,
    xml: bytes | str,
    status: int,
    words: str,
) -> None:
    body = xml.encode() if isinstance(xml, str) else xml
    got, message = await submit_xml(client, db, token, body)
    assert got == status and words in message


async def test_multipart_bodies_that_cannot_be_read(
    client: AsyncTestClient, db: asyncpg.Connection, token: str
) -> None:
    xml = fill_instance(
        (await client.get(f"/field/{token}/form.xml")).content, {"consent": "OK", "age": "20"}
    )
    body, content_type = multipart_submission(xml)
    # Not multipart, or no boundary: 415.
    assert (await refused(client, db, token, xml, "text/xml"))[0] == 415
    assert (await refused(client, db, token, body, "multipart/form-data"))[0] == 415
    # Compressed: refused rather than unpacked.
    compressed = gzip.compress(body)
    status, message = await refused(
        client, db, token, compressed, content_type, headers={"content-encoding": "gzip"}
    )
    assert status == 415 and "uncompressed" in message
    # Cut short, no interview part, two of them, too many parts.
    assert (await refused(client, db, token, body[: len(body) // 2], content_type))[0] == 400
    other, other_type = multipart_submission(xml, name="photo.jpg")
    status, message = await refused(client, db, token, other, other_type)
    assert status == 400 and "xml_submission_file" in message
    twice, twice_type = multipart_submission(xml, extra=[("xml_submission_file", xml)])
    status, message = await refused(client, db, token, twice, twice_type)
    assert status == 400 and "more than one" in message
    many, many_type = multipart_submission(xml, extra=[(f"f{n}", b"x") for n in range(100)])
    assert (await refused(client, db, token, many, many_type))[0] == 400
    # The same interview, sent properly, is taken.
    taken = await client.post(
        f"/field/{token}/submission", content=body, headers={"content-type": content_type}
    )
    assert taken.status_code == 201


async def test_the_token_is_never_logged(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("DEBUG"):
        await client.get(f"/field/{token}/formList")
        await client.head(f"/field/{token}/submission")
        await client.get(f"/field/{token}/no-such-page")
        await client.post(f"/field/{token}/submission", content=b"x")
    # The server's own log (the test client's, httpx, names the URLs it requested).
    server = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert server and not any(token in line for line in server)
