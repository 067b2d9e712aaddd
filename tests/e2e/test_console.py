"""Researchers and program leads in the browser: sign in, run a campaign, read its report."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from survey.console.messages import CATALOGUE
from tests.e2e.conftest import Server, sign_in

pytestmark = pytest.mark.e2e

DEMO = "demo-trafficking"
MN = CATALOGUE.bound("mn")


def test_a_researcher_signs_in_creates_a_campaign_and_opens_a_wave(
    server: Server, new_page: Callable[..., Page]
) -> None:
    server.create_user("researcher@example.org", "researcher")
    page = new_page()
    sign_in(page, server, "researcher@example.org")
    # New accounts read the console in Mongolian; the role is said in words.
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    expect(page.locator("form.who").last).to_contain_text(
        f"researcher@example.org ({MN('role.researcher')})"
    )

    page.get_by_role("link", name=MN("campaigns.new")).click()
    page.get_by_label(MN("new_campaign.key")).fill("e2e-console")
    page.get_by_label(MN("new_campaign.questionnaire")).select_option("trafficking-knowledge")
    page.locator("label.option", has_text=MN("design.independent")).click()
    page.get_by_label(MN("new_campaign.cluster")).fill("aimag")
    with page.expect_navigation():
        page.get_by_role("button", name=MN("new_campaign.create")).click()
    assert page.url == f"{server.url}/console/campaigns/e2e-console"
    expect(page.locator("p.muted").first).to_contain_text(MN("campaign.cluster", item="aimag"))

    page.locator("select[name=phase]").select_option("pre")
    with page.expect_navigation():
        page.get_by_role("button", name=MN("campaign.add")).click()
    row = page.locator("#wave-e2e-console-pre")
    expect(row.locator(".status")).to_have_text(MN("status.draft"))

    # Opening goes through htmx: the card is exchanged in place and now says the link works.
    row.get_by_role("button", name=MN("wave.open")).click()
    expect(row.locator(".status")).to_have_text(MN("status.open"))
    expect(row.locator(".hint").first).to_have_text(MN("wave.link_open"))
    link = row.locator(".link-field").input_value()
    assert link.startswith(f"{server.url}/r/"), link

    # The link works for a respondent, and the command line sees the same open wave.
    respondent = new_page()
    response = respondent.goto(link)
    assert response is not None and response.status == 200
    expect(respondent.locator("html")).to_have_attribute("lang", "mn")
    expect(respondent.locator("#form-area form")).to_be_visible()
    listing = server.cli("campaigns", "list")
    assert "e2e-console" in listing


def test_a_program_lead_reads_the_campaign_report(
    server: Server, demo: list[str], new_page: Callable[..., Page], tmp_path: Path
) -> None:
    server.create_user("lead@example.org", "viewer")
    page = new_page()
    sign_in(page, server, "lead@example.org", next_url=f"/campaigns/{DEMO}/report")
    assert page.url == f"{server.url}/campaigns/{DEMO}/report"
    # Mongolian unless the reader asks for English (the report's own tests read both).
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{DEMO}: юу өөрчлөгдсөн бэ")

    # The counts per wave agree with the export, which reads the responses by another path.
    out = tmp_path / "demo.csv"
    server.cli("export", DEMO, "--format", "csv", "-o", str(out))
    with out.open(newline="", encoding="utf-8") as f:
        exported = Counter(row["wave"] for row in csv.DictReader(f))
    shown = {}
    for tr in page.locator("table.waves tbody tr").all():
        cells = [c.strip() for c in tr.locator("td").all_inner_texts()]
        shown[cells[0]] = int(cells[-1].replace(",", ""))
    assert shown == dict(exported)
    assert set(shown) == {f"{DEMO}-pre", f"{DEMO}-post"}

    cards = page.locator("section.cards article.card")
    expect(cards.first).to_be_visible()
    expect(page.locator("#outcome-knowledge")).to_contain_text("мэдлэг")
    expect(page.locator("section.plot svg")).to_be_visible()

    # A viewer reads reports but does not run campaigns.
    denied = page.goto(f"{server.url}/console/campaigns/new")
    assert denied is not None and denied.status == 403
