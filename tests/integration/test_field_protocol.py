"""The OpenRosa endpoints as ODK Collect uses them, over real HTTP (litestar's test client) and a real
PostgreSQL: the form list and the XForm, the HEAD/POST handshake, one interview sent five times, a
different interview under a seen instanceID, a closed wave, another version or form, edits, and answers
that break a rule (flagged, out of the analysis until a researcher decides).

The interviews are the served XForm's own instance filled in (``tests.helpers.fill_instance``), as a
device fills it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import uuid
import xml.etree.ElementTree as ET

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.collect import panel
from survey.collect.ratelimit import StartLimiter
from survey.collect.service import CollectState
from survey.db import analysis as analysis_db
from survey.db import campaigns as campaigns_db
from survey.db import field as field_db
from survey.db.pool import connect
from survey.db.questionnaires import publish
from survey.field import service
from survey.field.instance import MAX_SUBMISSION_BYTES, read_instance
from survey.questionnaire.load import load_definition
from tests.helpers import (
    V1,
    Study,
    fill_instance,
    make_study,
    multipart_submission,
    sign_in_as,
    text_of,
)

FORM_LIST = "{http://openrosa.org/xforms/xformsList}"
RESPONSE = "{http://openrosa.org/http/response}"
#: An interview of the test questionnaire (tests.helpers.V1) inside every rule.
GOOD = {
    "consent": "OK",
    "age": "22",
    "aimag": "darkhan",
    "visit": "2027-03-02",
    "code": "ДО07Д",
    "k_offer": "no",
    "k_signs": "passport contract",
    "a_help": "4",
    "a_shame": "2",
    "comment": "Бүх зүйл сайн",
}


@pytest.fixture(name="field")
async def field_fixture(db: asyncpg.Connection) -> tuple[Study, str]:
    """The study's pre wave, open, and its field address token."""
    study = await make_study(db)
    await campaigns_db.set_wave_status(db, study.pre.key, "open")
    key = await field_db.ensure_key(db, study.pre.id, None)
    return study, key.token


def openrosa_reply(response) -> str:
    """The message of an OpenRosa reply, after checking the headers every reply carries."""
    assert response.headers["x-openrosa-version"] == "1.0"
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", response.headers["date"])
    assert response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{RESPONSE}OpenRosaResponse"
    return root.find(f"{RESPONSE}message").text or ""  # type: ignore[union-attr]


async def xform_of(client: AsyncTestClient, token: str) -> bytes:
    response = await client.get(f"/field/{token}/form.xml")
    assert response.status_code == 200
    return response.content


async def submit(client: AsyncTestClient, token: str, xml: bytes, query: str = ""):
    body, content_type = multipart_submission(xml)
    return await client.post(
        f"/field/{token}/submission{query}", content=body, headers={"content-type": content_type}
    )


async def field_rows(db: asyncpg.Connection, wave_id: int) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT id, public_id, status, channel, enumerator, answers, panel_key, review, flags, "
        "updated_at FROM response WHERE wave_id = $1 ORDER BY started_at",
        wave_id,
    )


# -- the handshake ----------------------------------------------------------------------------------


async def test_the_form_list_the_xform_and_its_manifest(
    client: AsyncTestClient, field: tuple[Study, str]
) -> None:
    study, token = field
    listed = await client.get(f"/field/{token}/formList", headers={"X-OpenRosa-Version": "1.0"})
    assert listed.status_code == 200
    openrosa_headers = listed.headers
    assert openrosa_headers["x-openrosa-version"] == "1.0" and openrosa_headers["date"]
    forms = ET.fromstring(listed.content).findall(f"{FORM_LIST}xform")
    assert len(forms) == 1
    entry = {child.tag.removeprefix(FORM_LIST): child.text for child in forms[0]}
    assert entry["formID"] == study.pre.key
    assert entry["version"] == "1"
    assert entry["name"] == f"Туршилтын асуулга ({study.pre.key})"
    base = f"http://testserver/field/{token}"
    assert entry["downloadUrl"] == f"{base}/form.xml"
    assert entry["manifestUrl"] == f"{base}/manifest"

    xform = await client.get(f"/field/{token}/form.xml")
    assert xform.status_code == 200 and xform.headers["x-openrosa-version"] == "1.0"
    # The hash is the MD5 of exactly what is downloaded, and stays the same.
    assert entry["hash"] == f"md5:{hashlib.md5(xform.content).hexdigest()}"
    assert (await client.get(f"/field/{token}/form.xml")).content == xform.content
    etag = xform.headers["etag"]
    assert etag == f'"{hashlib.md5(xform.content).hexdigest()}"'
    assert "no-cache" in xform.headers["cache-control"]
    again = await client.get(f"/field/{token}/form.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""

    manifest = await client.get(f"/field/{token}/manifest")
    root = ET.fromstring(manifest.content)
    assert root.tag == "{http://openrosa.org/xforms/xformsManifest}manifest" and len(root) == 0

    other = await client.get(f"/field/{token}/formList", params={"formID": "another-form"})
    assert ET.fromstring(other.content).findall(f"{FORM_LIST}xform") == []


async def test_head_then_post_as_odk_collect_does(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    ready = await client.head(f"/field/{token}/submission")
    assert ready.status_code == 204
    assert ready.headers["x-openrosa-version"] == "1.0" and ready.headers["date"]
    assert ready.headers["x-openrosa-accept-content-length"] == str(MAX_SUBMISSION_BYTES)
    assert (await client.get(f"/field/{token}/submission")).status_code == 204

    xml = fill_instance(await xform_of(client, token), GOOD)
    # ODK Collect adds its device id to the address it sends to: ignored, never stored.
    sent = await submit(client, token, xml, "?deviceID=collect:Xy12AbCd34Ef")
    assert sent.status_code == 201, sent.text
    assert sent.headers["x-openrosa-accept-content-length"] == str(MAX_SUBMISSION_BYTES)
    assert "The interview was received." in openrosa_reply(sent)

    [row] = await field_rows(db, study.pre.id)
    assert (row["status"], row["channel"], row["enumerator"], row["review"]) == (
        "complete",
        "field",
        None,
        None,
    )
    secret = await db.fetchval("SELECT panel_secret FROM campaign WHERE id = $1", study.campaign.id)
    # The web form's rules, the web form's types; the panel code only as its keyed hash.
    assert row["answers"] == {
        "consent": "yes",
        "age": 22,
        "aimag": "darkhan",
        "visit": "2027-03-02",
        "code": panel.panel_key("ДО07Д", bytes(secret)),
        "k_offer": "no",
        "k_signs": ["passport", "contract"],
        "a_help": 4,
        "a_shame": 2,
        "comment": "Бүх зүйл сайн",
    }
    assert row["panel_key"] == row["answers"]["code"]
    stored = str(await db.fetch("SELECT * FROM response")) + str(
        await db.fetch("SELECT * FROM field_instance")
    )
    assert "ДО07Д" not in stored and "Xy12AbCd34Ef" not in stored


async def test_one_interview_sent_five_times_is_stored_once(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xml = fill_instance(await xform_of(client, token), GOOD)
    first = await submit(client, token, xml)
    assert first.status_code == 201
    [stored] = await field_rows(db, study.pre.id)
    for _ in range(4):
        again = await submit(client, token, xml)
        assert again.status_code == 201
        assert "had already been received" in openrosa_reply(again)
    assert await field_rows(db, study.pre.id) == [stored]  # not even updated_at changed


async def test_a_different_interview_under_a_seen_instance_id_is_refused(
    client: AsyncTestClient,
    db: asyncpg.Connection,
    field: tuple[Study, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    instance_id = f"uuid:{uuid.uuid4()}"
    assert (
        await submit(client, token, fill_instance(xform, GOOD, instance_id=instance_id))
    ).status_code == 201
    [stored] = await field_rows(db, study.pre.id)
    other = fill_instance(xform, {**GOOD, "age": "23"}, instance_id=instance_id)
    with caplog.at_level(logging.WARNING, logger="survey.field.service"):
        refused = await submit(client, token, other)
    assert refused.status_code == 409
    assert "other answers" in openrosa_reply(refused)
    # The server's log (the test client's own, httpx, names the URLs it requested).
    server = " ".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert instance_id in server and token not in server
    assert await field_rows(db, study.pre.id) == [stored]


async def test_a_closed_wave_refuses_new_interviews_but_acknowledges_one_it_has(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    kept = fill_instance(xform, GOOD)
    assert (await submit(client, token, kept)).status_code == 201
    await campaigns_db.set_wave_status(db, study.pre.key, "closed")
    refused = await submit(client, token, fill_instance(xform, GOOD))
    assert refused.status_code == 409
    message = openrosa_reply(refused)
    assert "closed" in message and "stays on the device" in message
    assert "хаагдсан" in message  # and in Mongolian, first
    # The device that never heard the reply to its first send hears it now.
    assert (await submit(client, token, kept)).status_code == 201
    assert len(await field_rows(db, study.pre.id)) == 1
    # A closed wave lists no form.
    listed = await client.get(f"/field/{token}/formList")
    assert ET.fromstring(listed.content).findall(f"{FORM_LIST}xform") == []
    await campaigns_db.set_wave_status(db, study.pre.key, "draft")
    not_yet = await submit(client, token, fill_instance(xform, GOOD))
    assert not_yet.status_code == 409 and "not open yet" in openrosa_reply(not_yet)


async def test_another_version_or_another_form_is_refused(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    wrong_version = await submit(client, token, fill_instance(xform, GOOD, version="2"))
    assert wrong_version.status_code == 404
    message = openrosa_reply(wrong_version)
    assert 'version "2"' in message and 'takes version "1"' in message
    wrong_form = await submit(client, token, fill_instance(xform, GOOD, form_id=study.post.key))
    assert wrong_form.status_code == 404
    assert study.post.key in openrosa_reply(wrong_form)
    assert await field_rows(db, study.pre.id) == []


async def test_an_edit_replaces_the_answers_and_is_audited(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    first_id = f"uuid:{uuid.uuid4()}"
    first = fill_instance(xform, GOOD, instance_id=first_id)
    assert (await submit(client, token, first)).status_code == 201
    [before] = await field_rows(db, study.pre.id)
    edit_id = f"uuid:{uuid.uuid4()}"
    edit = fill_instance(xform, {**GOOD, "age": "25"}, instance_id=edit_id, deprecated_id=first_id)
    edited = await submit(client, token, edit)
    assert edited.status_code == 201 and "edited" in openrosa_reply(edited)
    [after] = await field_rows(db, study.pre.id)
    assert after["id"] == before["id"] and after["answers"]["age"] == 25
    audit = await db.fetchrow("SELECT actor, action, detail FROM audit_log")
    assert audit["action"] == "field_edit" and audit["actor"] == f"field: {study.pre.key}"
    assert audit["detail"] == {
        "wave": study.pre.key,
        "response": str(after["public_id"]),
        "instance": edit_id,
        "replaces": first_id,
    }
    # Both copies sent again change nothing; another edit of the replaced copy is refused.
    assert (await submit(client, token, edit)).status_code == 201
    assert (await submit(client, token, first)).status_code == 201
    stale = fill_instance(xform, {**GOOD, "age": "26"}, deprecated_id=first_id)
    refused = await submit(client, token, stale)
    assert refused.status_code == 409 and "edited since" in openrosa_reply(refused)
    assert [r["answers"]["age"] for r in await field_rows(db, study.pre.id)] == [25]


async def test_an_edit_that_arrives_before_its_original(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    first_id = f"uuid:{uuid.uuid4()}"
    edit = fill_instance(xform, {**GOOD, "age": "25"}, deprecated_id=first_id)
    assert (await submit(client, token, edit)).status_code == 201
    late = await submit(client, token, fill_instance(xform, GOOD, instance_id=first_id))
    assert late.status_code == 201 and "edited version arrived earlier" in openrosa_reply(late)
    assert [r["answers"]["age"] for r in await field_rows(db, study.pre.id)] == [25]


async def test_an_enumerators_address_names_her_and_can_be_revoked(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, _ = field
    key = await field_db.ensure_key(db, study.pre.id, "Сараа")
    assert await field_db.ensure_key(db, study.pre.id, "Сараа") == key  # one in use per name
    xform = await xform_of(client, key.token)
    assert (await submit(client, key.token, fill_instance(xform, GOOD))).status_code == 201
    [row] = await field_rows(db, study.pre.id)
    assert row["enumerator"] == "Сараа"
    assert await field_db.revoke_key(db, study.pre.id, "Сараа")
    for method, path in (("GET", "formList"), ("GET", "form.xml"), ("HEAD", "submission")):
        refused = await client.request(method, f"/field/{key.token}/{path}")
        assert refused.status_code == 403, path
    refused = await submit(client, key.token, fill_instance(xform, GOOD))
    assert refused.status_code == 403 and "withdrawn" in openrosa_reply(refused)
    # A new address for her is another secret; the old one stays revoked.
    renewed = await field_db.ensure_key(db, study.pre.id, "Сараа")
    assert renewed.token != key.token
    assert (await client.head(f"/field/{renewed.token}/submission")).status_code == 204


@pytest.mark.parametrize("token", ["A" * 32, "short", "x" * 65, "../../etc", "%00" * 12])
async def test_an_unknown_address_is_told_so(client: AsyncTestClient, token: str) -> None:
    for method, path in (
        ("GET", "formList"),
        ("GET", "form.xml"),
        ("GET", "manifest"),
        ("HEAD", "submission"),
        ("POST", "submission"),
    ):
        response = await client.request(method, f"/field/{token}/{path}")
        assert response.status_code in (400, 404), (method, path, response.status_code)
        assert response.headers["date"]


# -- flagged answers --------------------------------------------------------------------------------


async def test_an_answer_out_of_its_range_is_flagged_and_left_out_of_the_analysis(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    sent = await submit(client, token, fill_instance(xform, {**GOOD, "age": "71"}))
    assert sent.status_code == 201
    assert "the researcher will check them" in openrosa_reply(sent)
    [row] = await field_rows(db, study.pre.id)
    assert row["status"] == "complete" and row["review"] == "pending"
    assert "age" not in row["answers"]
    assert row["flags"] == {
        "age": {
            "reason": "err_range",
            "params": {"min": "18", "max": "27"},
            "sent": "71",
            "value": 71,
        }
    }
    # The report's read leaves the response out while it waits.
    assert (await analysis_db.complete_columns(db, study.pre.id, ["age", "k_offer"])).n == 0

    state = CollectState()
    decided = await service.decide(
        db, state, study.pre, row["public_id"], "accept", actor="ana@example.org", account_id=None
    )
    assert decided == service.Decided()
    [accepted] = await field_rows(db, study.pre.id)
    assert accepted["review"] == "accepted" and accepted["answers"]["age"] == 71
    columns = await analysis_db.complete_columns(db, study.pre.id, ["age", "k_offer"])
    assert columns.n == 1 and columns.columns["age"] == [71]
    # Deciding again changes nothing.
    again = await service.decide(
        db, state, study.pre, row["public_id"], "reject", actor="bo@example.org", account_id=None
    )
    assert again.already
    entries = await db.fetch("SELECT actor, action, detail FROM audit_log ORDER BY id")
    assert [(e["actor"], e["action"], e["detail"]["decision"]) for e in entries] == [
        ("ana@example.org", "field_review", "accept")
    ]


async def test_rejected_flagged_answers_stay_out_and_the_rest_joins_the_analysis(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    sent = await submit(client, token, fill_instance(xform, {**GOOD, "age": "abc"}))
    assert sent.status_code == 201
    [row] = await field_rows(db, study.pre.id)
    # Not a number at all: nothing to accept, only the text as sent.
    assert row["flags"]["age"] == {
        "reason": "err_integer",
        "params": {},
        "sent": "abc",
        "value": None,
    }
    await service.decide(
        db, CollectState(), study.pre, row["public_id"], "reject", actor="ana", account_id=None
    )
    [rejected] = await field_rows(db, study.pre.id)
    assert rejected["review"] == "rejected" and "age" not in rejected["answers"]
    columns = await analysis_db.complete_columns(db, study.pre.id, ["age", "k_offer"])
    assert columns.n == 1 and columns.columns == {"age": [None], "k_offer": ["no"]}


async def test_a_panel_code_that_breaks_a_rule_is_never_kept_as_typed(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    xform = await xform_of(client, token)
    typed = "Ж" * 40  # longer than the 32 characters a panel code may have
    assert (
        await submit(client, token, fill_instance(xform, {**GOOD, "code": typed}))
    ).status_code == 201
    [row] = await field_rows(db, study.pre.id)
    assert row["flags"]["code"]["reason"] == "err_too_long"
    assert row["flags"]["code"]["sent"] is None
    secret = await db.fetchval("SELECT panel_secret FROM campaign WHERE id = $1", study.campaign.id)
    assert row["flags"]["code"]["value"] == panel.panel_key(typed, bytes(secret))
    everything = str(await db.fetch("SELECT * FROM response")) + str(
        await db.fetch("SELECT * FROM field_instance")
    )
    assert typed not in everything and typed.lower() not in everything


async def test_the_waves_limit_of_new_responses_holds_for_field_devices_too(
    client: AsyncTestClient, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    study, token = field
    client.app.state["collect"] = CollectState(StartLimiter(limit=1))
    xform = await xform_of(client, token)
    first = fill_instance(xform, GOOD)
    assert (await submit(client, token, first)).status_code == 201
    busy = await submit(client, token, fill_instance(xform, GOOD))
    assert busy.status_code == 429 and busy.headers["retry-after"] == "60"
    assert "Send again in a minute" in openrosa_reply(busy)
    # An interview already taken is acknowledged whatever the limit.
    assert (await submit(client, token, first)).status_code == 201
    assert len(await field_rows(db, study.pre.id)) == 1


async def test_a_questionnaire_with_no_xform_says_so_to_devices_and_researchers(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    # Texts ordered with ">" have no XPath equivalent: the XLSForm export refuses them.
    text = V1.replace("key: tq", "key: tq_ordered").replace(
        '      - {key: comment, type: text, text: {mn: "Сэтгэгдэл", en: "Anything else?"}}',
        '      - {key: comment, type: text, text: {mn: "Сэтгэгдэл", en: "Anything else?"}}\n'
        "      - key: more\n        type: text\n        show_if: \"comment > 'm'\"\n"
        '        text: {mn: "Өөр зүйл", en: "More?"}',
    )
    await publish(db, load_definition(text))
    await campaigns_db.create_campaign(
        db, "ordered", questionnaire="tq_ordered", design="independent"
    )
    wave = await campaigns_db.add_wave(db, "ordered", phase="pre")
    token = (await field_db.ensure_key(db, wave.id, None)).token
    for path in ("formList", "form.xml"):
        refused = await client.get(f"/field/{token}/{path}")
        assert refused.status_code == 409
        assert "cannot be made into a form for devices" in openrosa_reply(refused)
    await sign_in_as(client, db, "researcher", language="en")
    page = text_of((await client.get(f"/console/waves/{wave.key}/field")).text)
    assert "This questionnaire cannot be used on tablets" in page
    assert "texts cannot be ordered in XPath" in page


async def test_the_same_interview_sent_at_once_from_five_connections_is_stored_once(
    client: AsyncTestClient, database_url: str, db: asyncpg.Connection, field: tuple[Study, str]
) -> None:
    """The race the primary key of field_instance settles: five sends of one interview at the same
    moment, each on a connection of its own, give one response, and every send hears 201."""
    study, token = field
    instance = read_instance(fill_instance(await xform_of(client, token), GOOD))
    address = await field_db.address_by_token(db, token)
    assert address is not None
    state = service.FieldState(CollectState())
    connections = [await connect(database_url) for _ in range(5)]
    try:
        outcomes = await asyncio.gather(
            *(service.receive(conn, state, address, instance) for conn in connections)
        )
    finally:
        for conn in connections:
            await conn.close()
    assert sorted(o.kind for o in outcomes) == ["again"] * 4 + ["created"]  # type: ignore[union-attr]
    assert len(await field_rows(db, study.pre.id)) == 1
    assert await db.fetchval("SELECT count(*) FROM field_instance") == 1
