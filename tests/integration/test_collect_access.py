"""Who may send what where: closed and unknown links, other waves' responses, forged ids, rate limits,
headers, the schema's privacy, and the QR code of a link."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
import segno
from litestar.testing import AsyncTestClient

from survey.cli import main
from survey.collect import ratelimit
from survey.settings import Settings
from survey.web.static import static_url
from tests.helpers import (
    ABOUT,
    DEMO,
    HTMX,
    REPO,
    follow,
    open_wave,
    post_form,
    read_page,
    send,
    start,
    stored,
    to_work_page,
)

OTHER = REPO / "forms" / "trafficking-knowledge.yaml"


# -- closed, not yet open, unknown -----------------------------------------------------------------


async def test_a_closed_wave_refuses_new_answers_and_says_why(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await to_work_page(client, wave)
    await db.execute("UPDATE wave SET status = 'closed' WHERE id = $1", wave.id)
    refused = await send(client, form, {"offered": ["yes"]})
    assert refused.status_code == 410
    assert "This survey has ended and no longer accepts answers" in refused.text
    (row,) = await stored(db, wave)
    assert "offered" not in row["answers"]
    for url in (f"/r/{wave.token}", f"/r/{wave.token}/p/3"):
        page = await client.get(url)
        assert page.status_code == 410
        assert "This survey is closed" in page.text
        assert read_page(page.text).action is None  # no form to fill in
    client.cookies.clear()
    newcomer = await client.get(f"/r/{wave.token}")
    assert newcomer.status_code == 410
    assert "Судалгаа хаагдсан" in newcomer.text  # in Mongolian by default


async def test_a_wave_past_its_closing_time_is_closed_even_if_marked_open(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    await db.execute(
        "UPDATE wave SET closes_at = $2 WHERE id = $1", wave.id, datetime.now(UTC) - timedelta(1)
    )
    assert (await client.get(f"/r/{wave.token}")).status_code == 410


async def test_a_wave_not_open_yet_says_so_and_when(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    draft = await open_wave(db, DEMO, status="draft")
    page = await client.get(f"/r/{draft.token}?lang=en")
    assert page.status_code == 403
    assert "This survey has not started yet" in page.text
    later = await open_wave(db, DEMO, phase="post")
    opens = datetime.now(UTC) + timedelta(days=3)
    await db.execute("UPDATE wave SET opens_at = $2 WHERE id = $1", later.id, opens)
    page = await client.get(f"/r/{later.token}?lang=en")
    assert page.status_code == 403
    assert f"It opens on {opens:%Y-%m-%d}." in page.text
    first = await post_form(
        client, f"/r/{later.token}/p/1", [("_response_id", str(uuid.uuid4())), ("consent", "yes")]
    )
    assert first.status_code == 403
    assert await stored(db, later) == []


async def test_unknown_closed_and_future_links_reveal_nothing_about_other_waves(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    closed = await open_wave(db, DEMO, campaign="alpha", status="closed")
    other = await open_wave(db, OTHER, campaign="beta")
    secrets = [other.token, other.key, "beta", "Safe migration", "Аюулгүй шилжих", closed.token]
    pages = {
        "unknown": await client.get("/r/no-such-token-at-all?lang=en"),
        "unknown, long": await client.get("/r/" + "x" * 500),
        "closed": await client.get(f"/r/{closed.token}?lang=en"),
        "unknown page": await client.get("/r/nope/p/1"),
        "unknown done": await client.get("/r/nope/done"),
    }
    assert pages["unknown"].status_code == 404
    assert "This link does not work" in pages["unknown"].text
    assert pages["closed"].status_code == 410
    for name, page in pages.items():
        body = page.text
        for secret in secrets[:-1]:
            assert secret not in body, (name, secret)
        if name != "closed":
            assert secrets[-1] not in body, name
        assert "alpha" not in body  # not even the wave's own campaign or key
        assert closed.key not in body


# -- whose response ---------------------------------------------------------------------------------


async def test_a_response_of_another_wave_or_a_forged_id_is_refused(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    first = await open_wave(db, DEMO, campaign="alpha")
    second = await open_wave(db, DEMO, campaign="beta")
    form = await to_work_page(client, first)
    response_id = form.hidden["_response_id"]
    before = await stored(db, first)

    # The same id (and a cookie naming it, set by hand for the other wave's path) sent to another wave.
    client.cookies.set("survey_response", response_id, path=f"/r/{second.token}")
    for number in (1, 2, 3):
        sent = await post_form(
            client,
            f"/r/{second.token}/p/{number}",
            [("_response_id", response_id), ("consent", "yes"), ("offered", "no")],
        )
        assert sent.status_code == 403, number
        assert "These answers were started in another window" in sent.text or (
            "Энэ хариултыг өөр цонх" in sent.text
        )
    # A forged id for a page past the first; an id that is not the cookie's.
    forged = await post_form(
        client, f"/r/{first.token}/p/3", [("_response_id", str(uuid.uuid4())), ("offered", "no")]
    )
    assert forged.status_code == 403
    client.cookies.clear()
    stolen = await post_form(
        client, f"/r/{first.token}/p/3", [("_response_id", response_id), ("offered", "no")]
    )
    assert stolen.status_code == 403
    assert await stored(db, first) == before
    assert await stored(db, second) == []


async def test_a_page_opened_without_the_cookie_resumes_the_browsers_response(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    """A link followed from another site sends no SameSite=Strict cookie: the welcome page offers a
    new response id, but the browser already has a response, and sending the page continues that."""
    wave = await open_wave(db, DEMO)
    await to_work_page(client, wave)
    sent = await post_form(
        client, f"/r/{wave.token}/p/1", [("_response_id", str(uuid.uuid4())), ("consent", "yes")]
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/r/{wave.token}/p/3"
    assert len(await stored(db, wave)) == 1
    with_htmx = await post_form(
        client,
        f"/r/{wave.token}/p/1",
        [("_response_id", str(uuid.uuid4())), ("consent", "yes")],
        HTMX,
    )
    assert with_htmx.headers["hx-redirect"] == f"/r/{wave.token}/p/3"
    assert len(await stored(db, wave)) == 1


async def test_the_first_page_sent_twice_before_the_cookie_arrived_is_one_response(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave)
    first = await send(client, form, {"consent": ["yes"]})
    client.cookies.clear()  # the reply that set the cookie was lost
    second = await send(client, form, {"consent": ["yes"]})
    assert second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    assert "survey_response=" in second.headers["set-cookie"]
    assert len(await stored(db, wave)) == 1
    page = await follow(client, second)  # and the cookie works from here on
    assert page.names() == ["age", "height", "born", "aimag", "code"]
    assert (await send(client, page, ABOUT)).status_code == 303


# -- rate limit ---------------------------------------------------------------------------------


async def test_new_responses_beyond_the_waves_rate_are_refused_but_saves_go_on(
    db: asyncpg.Connection, client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratelimit, "NEW_RESPONSES_PER_MINUTE", 3)
    wave = await open_wave(db, DEMO)
    other = await open_wave(db, DEMO, phase="post")
    forms = []
    for _ in range(3):
        client.cookies.clear()
        form = await start(client, wave)
        assert (await send(client, form, {"consent": ["yes"]})).status_code == 303
        forms.append((form, dict(client.cookies)))
    client.cookies.clear()
    fourth = await start(client, wave)
    refused = await send(client, fourth, {"consent": ["yes"]})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "60"
    assert "Many people are answering right now" in refused.text
    assert len(await stored(db, wave)) == 3
    # The limit is per wave: another wave still starts responses.
    other_form = await start(client, other)
    assert (await send(client, other_form, {"consent": ["yes"]})).status_code == 303
    # Responses already started save their pages as usual.
    form, cookies = forms[0]
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies.set(name, value, path=f"/r/{wave.token}")
    page = await client.get(f"/r/{wave.token}/p/2")
    assert (await send(client, read_page(page.text), ABOUT)).status_code == 303


# -- headers ------------------------------------------------------------------------------------------


async def test_pages_are_never_cached_and_leak_no_referrer_and_static_files_are(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    page = await client.get(f"/r/{wave.token}", headers={"accept-encoding": "gzip"})
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["content-encoding"] == "gzip"
    script = static_url("js/htmx.min.js")
    assert f'src="{script}"' in page.text
    asset = await client.get(script, headers={"accept-encoding": "gzip"})
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert asset.headers["content-encoding"] == "gzip"
    assert asset.text.startswith("var htmx=")
    # No request leaves for another site: every URL in the page is our own.
    for attribute in ("src=", "href="):
        for value in page.text.split(attribute)[1:]:
            url = value[1 : value.index(value[0], 1)]
            assert not url.startswith(("http:", "https:", "//")), url


async def test_htmx_gets_the_form_area_alone_and_a_history_restore_the_whole_page(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, DEMO)
    form = await start(client, wave)
    sent = await send(client, form, {"consent": ["yes"]}, htmx=True)
    assert sent.status_code == 200
    assert sent.headers["hx-push-url"] == f"/r/{wave.token}/p/2"
    assert sent.text.startswith('<div id="form-area">') and "<html" not in sent.text
    back = await client.get(f"/r/{wave.token}/p/1", headers=HTMX)
    assert back.text.startswith('<div id="form-area">')
    assert read_page(back.text).values("consent") == ["yes"]
    restore = await client.get(
        f"/r/{wave.token}/p/1", headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert restore.text.startswith("<!doctype html>")


# -- privacy of the schema ------------------------------------------------------------------------


async def test_no_table_has_a_column_for_an_ip_address_or_a_user_agent(
    db: asyncpg.Connection,
) -> None:
    columns = await db.fetch(
        """SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
           WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"""
    )
    assert any(c["table_name"] == "response" for c in columns)  # the query sees our tables
    suspicious = (
        r"(^|_)(ip|ips|ipaddr|addr|address|remote|ua|user_agent|useragent|agent|device|"
        r"fingerprint|browser)(_|$)"
    )
    for column in columns:
        name = column["column_name"].lower()
        assert not await db.fetchval("SELECT $1 ~ $2", name, suspicious), dict(column)
        assert column["udt_name"] not in ("inet", "cidr", "macaddr", "macaddr8"), dict(column)


# -- QR codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".svg", ".png"])
async def test_the_qr_code_of_a_wave_encodes_its_link(
    suffix: str,
    db: asyncpg.Connection,
    cli_env: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wave = await open_wave(db, DEMO)
    output = tmp_path / f"poster{suffix}"
    assert await _run_cli(["waves", "qr", wave.key, "-o", str(output)]) == 0
    link = f"{cli_env.base_url}/r/{wave.token}"
    assert link in capsys.readouterr().out
    expected = tmp_path / f"expected{suffix}"
    segno.make(link, error="m", micro=False).save(
        str(expected), scale=10 if suffix == ".png" else 1, border=4
    )
    assert output.read_bytes() == expected.read_bytes()
    assert await _run_cli(["waves", "qr", wave.key, "-o", str(tmp_path / "poster.gif")]) == 1
    assert ".svg or .png" in capsys.readouterr().err


async def _run_cli(argv: list[str]) -> int:
    # The command runs its own event loop; keep it off the test's loop.
    import asyncio

    return await asyncio.to_thread(main, argv)
