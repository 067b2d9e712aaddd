"""A respondent on a phone answers the trafficking questionnaire in Mongolian, with JavaScript and without."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NEXT_MN, THANKS_MN, Server, answer_page, complete, press, send

pytestmark = pytest.mark.e2e

CAMPAIGN = "e2e-respondents"


@pytest.fixture(scope="module")
def links(server: Server) -> dict[str, str]:
    """An independent campaign with two open waves: ``pre`` for the htmx run, ``post`` for the other."""
    server.cli(
        "campaigns",
        "create",
        CAMPAIGN,
        "--questionnaire",
        "trafficking-knowledge",
        "--design",
        "independent",
    )
    return {phase: server.open_wave(CAMPAIGN, phase) for phase in ("pre", "post")}


def exported(server: Server, wave: str, tmp_path: Path) -> list[dict[str, str]]:
    """The wave's complete responses, through ``survey export``."""
    out = tmp_path / f"{wave}.csv"
    server.cli("export", CAMPAIGN, "--format", "csv", "-o", str(out), "--wave", wave)
    with out.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_stored(rows: list[dict[str, str]], age: str) -> None:
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["status"], row["language"], row["age"]) == ("complete", "mn", age)
    # The last aimag in the list, chosen in the <select>.
    assert row["aimag"] == "ulaanbaatar"
    assert (row["k_offer"], row["q_would_check"]) == ("warning", "maybe")
    flags = {key.split("/", 1)[1] for key, value in row.items() if key.startswith("k_red_flags/")}
    assert flags >= {"passport", "debt", "contract"}
    assert {f: row[f"k_red_flags/{f}"] for f in ("passport", "debt", "contract")} == {
        "passport": "1",
        "debt": "1",
        "contract": "0",
    }
    assert (row["offer_source/social_media"], row["offer_source/stranger"]) == ("1", "0")
    assert row["outcome_knowledge"] != ""


def test_a_respondent_completes_the_questionnaire_in_mongolian_with_htmx(
    server: Server,
    links: dict[str, str],
    new_page: Callable[..., Page],
    check_axe: Callable[[Page, str], None],
    tmp_path: Path,
) -> None:
    page = new_page()
    htmx_posts: list[str] = []
    page.on(
        "request",
        lambda r: (
            htmx_posts.append(r.url) if r.method == "POST" and r.headers.get("hx-request") else None
        ),
    )
    response = page.goto(links["pre"])
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    expect(page.locator("#form-area button[type=submit]:not([name=_back])")).to_have_text(NEXT_MN)
    check_axe(page, "the welcome page")

    complete(page, True, "22", lambda p: check_axe(p, "a page with errors"))

    expect(page.locator("#form-area h1")).to_have_text(THANKS_MN)
    check_axe(page, "the thank-you page")
    # Every page went through htmx, never a full page load.
    assert len(htmx_posts) >= 6, htmx_posts
    check_stored(exported(server, f"{CAMPAIGN}-pre", tmp_path), "22")


def test_a_respondent_completes_the_questionnaire_in_mongolian_without_javascript(
    server: Server, links: dict[str, str], new_page: Callable[..., Page], tmp_path: Path
) -> None:
    page = new_page(java_script_enabled=False)
    htmx_posts: list[str] = []
    page.on("request", lambda r: htmx_posts.append(r.url) if r.headers.get("hx-request") else None)
    response = page.goto(links["post"])
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "mn")

    complete(page, False, "25", lambda p: None)

    expect(page.locator("#form-area h1")).to_have_text(THANKS_MN)
    assert page.url.endswith("/done")
    assert htmx_posts == []
    check_stored(exported(server, f"{CAMPAIGN}-post", tmp_path), "25")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_back_keeps_what_was_ticked_on_the_page(
    server: Server, new_page: Callable[..., Page], javascript: bool, tmp_path: Path
) -> None:
    campaign = f"e2e-back-{'htmx' if javascript else 'plain'}"
    server.cli(
        "campaigns", "create", campaign, "--questionnaire", "trafficking-knowledge",
        "--design", "independent",
    )  # fmt: skip
    link = server.open_wave(campaign, "pre")
    page = new_page(java_script_enabled=javascript)
    page.goto(link)
    answer_page(page, {})
    send(page, javascript)
    second = page.url if not javascript else None
    # Tick the last option of every group of the second page, without sending it.
    ticked = []
    for group in page.locator("#form-area fieldset").all():
        last = group.locator("input[type=radio], input[type=checkbox]").last
        group.locator(f"label[for='{last.get_attribute('id')}']").click()
        ticked.append(last.get_attribute("id"))
    assert ticked
    press(page, "#form-area form button[name=_back]", javascript)
    expect(page.locator("#form-area form button[name=_back]")).to_have_count(0)  # the first page
    send(page, javascript)
    if second:
        assert page.url == second
    for control_id in ticked:
        expect(page.locator(f"#{control_id}")).to_be_checked()
    # Nothing of it was saved as an answer: the export of the one response in progress has those
    # questions empty.
    names = {page.locator(f"#{control_id}").get_attribute("name") for control_id in ticked}
    out = tmp_path / "back.csv"
    server.cli("export", campaign, "--format", "csv", "-o", str(out), "--include-partial")
    with out.open(newline="", encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert row["status"] == "in_progress"
    cells = {k: v for k, v in row.items() if k.split("/", 1)[0] in names}
    assert cells and set(cells.values()) == {""}, cells
