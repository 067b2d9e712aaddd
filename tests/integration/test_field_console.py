"""Field collection in the console: the field page (address, settings code, enumerators), the review of
flagged answers, the monitoring page by channel, and the ``channel``/``enumerator``/``review`` export
columns; through real HTTP with signed-in accounts, on a real PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import uuid

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.console import service as console_service
from survey.console.messages import CATALOGUE
from survey.db import campaigns as campaigns_db
from survey.db import field as field_db
from survey.field.openrosa import settings_code
from survey.settings import Settings
from tests.helpers import (
    Study,
    add_response,
    english_left,
    fill_instance,
    make_study,
    multipart_submission,
    post_console_form,
    sign_in_as,
    text_of,
)

GOOD = {"consent": "OK", "age": "22", "aimag": "ub", "k_offer": "no", "k_signs": "passport"}


@pytest.fixture(name="study")
async def study_fixture(db: asyncpg.Connection) -> Study:
    study = await make_study(db)
    await campaigns_db.set_wave_status(db, study.pre.key, "open")
    return study


async def send(client: AsyncTestClient, token: str, values: dict[str, str]) -> int:
    xform = (await client.get(f"/field/{token}/form.xml")).content
    body, content_type = multipart_submission(fill_instance(xform, values))
    response = await client.post(
        f"/field/{token}/submission", content=body, headers={"content-type": content_type}
    )
    return response.status_code


def address_in(html: str) -> str:
    found = re.search(r"http://testserver/field/[A-Za-z0-9_-]{32}", html)
    assert found, "no field address on the page"
    return found.group(0)


async def test_the_field_page_gives_the_address_and_its_settings_code(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher")
    page = await client.get(f"/console/waves/{study.pre.key}/field")
    assert page.status_code == 200
    url = address_in(page.text)
    assert address_in((await client.get(f"/console/waves/{study.pre.key}/field")).text) == url
    # The page is Mongolian (the account's language) through and through; the app's own menu names are
    # shown as code, as keys and addresses are.
    assert (
        english_left(re.sub(r"<code\b[^>]*>.*?</code>", "", page.text, flags=re.S), CATALOGUE) == []
    )
    assert "<code>Download form</code>" in page.text
    assert CATALOGUE.translate("field.title", "mn") in text_of(page.text)
    # The settings code holds exactly this address, as ODK Collect reads it.
    svg = await client.get(f"/console/waves/{study.pre.key}/field/settings.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["cache-control"] == "no-store"
    expected = console_service.qr_code(
        settings_code(url, study.pre.key), "svg", title=study.pre.key
    )
    assert svg.content == expected
    png = await client.get(f"/console/waves/{study.pre.key}/field/settings.png")
    assert png.content.startswith(b"\x89PNG")
    # The campaign's page leads there.
    campaign = await client.get(f"/console/campaigns/{study.campaign.key}")
    assert f'href="/console/waves/{study.pre.key}/field"' in campaign.text


@pytest.mark.parametrize("role", ["analyst", "viewer"])
async def test_roles_that_hand_out_no_links_see_no_field_address(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study, role: str
) -> None:
    await sign_in_as(client, db, role)
    for path in ("field", "field/settings.svg", "review"):
        assert (await client.get(f"/console/waves/{study.pre.key}/{path}")).status_code == 403
    if role == "analyst":
        campaign = await client.get(f"/console/campaigns/{study.campaign.key}")
        assert "/field" not in campaign.text
    assert await db.fetchval("SELECT count(*) FROM field_key") == 0


async def test_an_enumerators_address_is_made_and_withdrawn_in_the_console(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    made = await post_console_form(
        client, f"/console/waves/{study.pre.key}/field/enumerators", {"name": "  Сараа  "}
    )
    assert made.status_code == 303
    page = await client.get(f"/console/waves/{study.pre.key}/field")
    assert "Сараа" in text_of(page.text)
    key = await field_db.key_in_use(db, study.pre.id, "Сараа")
    assert key is not None and key.url("http://testserver") in page.text
    svg = await client.get(
        f"/console/waves/{study.pre.key}/field/settings.svg", params={"enumerator": "Сараа"}
    )
    project = f"{study.pre.key} · Сараа"
    url = key.url("http://testserver")
    assert svg.content == console_service.qr_code(settings_code(url, project), "svg", title=project)
    assert (await send(client, key.token, GOOD)) == 201

    refused = await post_console_form(
        client, f"/console/waves/{study.pre.key}/field/enumerators", {"name": "a\x07b"}
    )
    assert refused.status_code == 400
    assert "none of them a control character" in text_of(refused.text)

    withdrawn = await post_console_form(
        client, f"/console/waves/{study.pre.key}/field/revoke", {"name": "Сараа"}
    )
    assert withdrawn.status_code == 303
    assert (await client.head(f"/field/{key.token}/submission")).status_code == 403
    page = await client.get(f"/console/waves/{study.pre.key}/field")
    assert "Сараа: withdrawn on" in text_of(page.text)
    again = await post_console_form(
        client, f"/console/waves/{study.pre.key}/field/revoke", {"name": "Сараа"}
    )
    assert again.status_code == 400 and "No address in use has this name" in text_of(again.text)
    # Without the CSRF token nothing is done.
    forged = await client.post(
        f"/console/waves/{study.pre.key}/field/enumerators", data={"name": "Бат"}
    )
    assert forged.status_code == 403
    assert await field_db.key_in_use(db, study.pre.id, "Бат") is None


async def test_flagged_interviews_are_reviewed_in_the_console(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    token = (await field_db.ensure_key(db, study.pre.id, "Сараа")).token
    assert await send(client, token, {**GOOD, "age": "71"}) == 201
    assert await send(client, token, {**GOOD, "age": "abc"}) == 201
    page = await client.get(f"/console/waves/{study.pre.key}/review")
    text = text_of(page.text)
    assert page.status_code == 200
    assert (
        "Your age?" in text and "Sent: 71" in text and "Outside the allowed range (18–27)" in text
    )
    assert "Sent: abc" in text and "Not a whole number" in text
    assert "Enumerator: Сараа" in text
    first, second = re.findall(r'name="response" value="([0-9a-f-]{36})"', page.text)[::2]
    accepted = await post_console_form(
        client,
        f"/console/waves/{study.pre.key}/review",
        {"response": first, "decision": "accept"},
    )
    assert accepted.status_code == 303 and accepted.headers["location"].endswith("done=saved")
    rejected = await post_console_form(
        client,
        f"/console/waves/{study.pre.key}/review",
        {"response": second, "decision": "reject"},
    )
    assert rejected.status_code == 303
    rows = {
        str(r["public_id"]): r
        for r in await db.fetch("SELECT public_id, review, answers FROM response")
    }
    assert rows[first]["review"] == "accepted" and rows[first]["answers"]["age"] == 71
    assert rows[second]["review"] == "rejected" and "age" not in rows[second]["answers"]
    twice = await post_console_form(
        client,
        f"/console/waves/{study.pre.key}/review",
        {"response": first, "decision": "reject"},
    )
    assert twice.headers["location"].endswith("done=already")
    done = await client.get(twice.headers["location"])
    assert "Someone else has already reviewed" in text_of(done.text)
    assert "No interview waits for review." in text_of(done.text)
    bad = await post_console_form(
        client,
        f"/console/waves/{study.pre.key}/review",
        {"response": str(uuid.uuid4()), "decision": "maybe"},
    )
    assert bad.status_code == 404


async def test_monitoring_counts_by_channel_and_exports_name_the_channel(
    client: AsyncTestClient, db: asyncpg.Connection, study: Study
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    await add_response(db, study.pre, {"consent": "yes", "k_offer": "no"})
    wave_token = (await field_db.ensure_key(db, study.pre.id, None)).token
    her_token = (await field_db.ensure_key(db, study.pre.id, "Сараа")).token
    assert await send(client, wave_token, GOOD) == 201
    assert await send(client, her_token, GOOD) == 201
    assert await send(client, her_token, {**GOOD, "age": "99"}) == 201

    monitor = text_of((await client.get(f"/console/waves/{study.pre.key}")).text)
    # channel, complete, to review
    assert "Web form 1 0" in monitor
    assert "Field devices 3 1" in monitor
    assert "The wave's address 1 0" in monitor
    assert "Сараа 2 1" in monitor
    assert "Interviews awaiting your review: 1. Review them" in monitor

    exported = await post_console_form(
        client, f"/console/campaigns/{study.campaign.key}/export", {"format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    cells = sorted((r["channel"], r["enumerator"], r["review"]) for r in rows)
    assert cells == [
        ("field", "", ""),
        ("field", "Сараа", ""),
        ("field", "Сараа", "pending"),
        ("web", "", ""),
    ]


async def test_a_loopback_base_url_is_pointed_out(
    db: asyncpg.Connection, study: Study, settings: Settings
) -> None:
    local = msgspec.structs.replace(settings, base_url="http://127.0.0.1:8000")
    async with AsyncTestClient(create_app(local, database_url=settings.database_url)) as client:
        client.follow_redirects = False
        await sign_in_as(client, db, "researcher", language="en")
        page = text_of((await client.get(f"/console/waves/{study.pre.key}/field")).text)
    assert "Tablets cannot reach these addresses" in page
    assert "The field addresses begin with http://127.0.0.1:8000" in page
