"""Teams in a real browser: a researcher of one team runs a whole campaign from a phone, in Mongolian and
with the browser alone, and an account of another team sees none of it, by link or by API; the account
and team pages read on a phone and a laptop in both languages; the first administrator sets the
installation up with the code from the server's log.

On every page: nothing scrolls sideways, every control is at least 44 px tall and within the screen, no
string of the English catalogue is left on a Mongolian page, and axe-core finds no serious or critical
violation.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from survey.console.messages import CATALOGUE
from tests.e2e.conftest import MEASURE, PASSWORD, Server, complete, serving, sign_in
from tests.helpers import english_left

pytestmark = pytest.mark.e2e

MN = CATALOGUE.bound("mn")
WIDTHS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}
CAMPAIGN = "iom-2027"
RESEARCHER = "ana@iom.example.org"
STRANGER = "bat@save.example.org"


def readable(page: Page, check_axe: Callable[[Page, str], None], what: str, lang: str) -> None:
    """The page as a person reads it: fits, can be tapped, in one language, accessible."""
    assert page.evaluate(MEASURE) == [], what
    expect(page.locator("html")).to_have_attribute("lang", lang)
    text = page.locator("body").inner_text()
    for code in ("(admin)", "(researcher)", "(analyst)", "(viewer)", "installation_admin"):
        assert code not in text, (what, code)
    assert not re.search(r"(?<![\w/-])default(?![\w-])", text), (what, "the default team's key")
    if lang == "mn":
        html = re.sub(r"<code\b[^>]*>.*?</code>", "", page.content(), flags=re.S)
        assert english_left(html, CATALOGUE) == [], what
    check_axe(page, what)


@pytest.fixture(scope="module")
def teams(server: Server) -> dict[str, str]:
    """Two organisations on one installation, made by the operator: IOM with a researcher, Save the
    Children with an administrator (who reads the API with a token of both scopes). Their accounts."""
    server.cli("teams", "create", "iom", "--name", "ОУЦБ Монгол")
    server.cli("teams", "create", "save", "--name", "Хүүхдийг ивээх сан")
    server.create_user(RESEARCHER, "researcher", team="iom")
    server.create_user(STRANGER, "admin", team="save")
    token = server.cli("tokens", "create", STRANGER, "--scope", "campaigns,responses").strip()
    return {"researcher": RESEARCHER, "stranger": STRANGER, "token": token}


def api(server: Server, path: str, token: str) -> tuple[int, object]:
    request = urllib.request.Request(
        f"{server.url}{path}", headers={"authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_researcher_runs_a_whole_campaign_in_the_browser_and_another_team_sees_none_of_it(
    server: Server,
    teams: dict[str, str],
    new_page: Callable[..., Page],
    check_axe: Callable[[Page, str], None],
) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    sign_in(page, server, RESEARCHER)
    assert page.url == f"{server.url}/console/campaigns"
    readable(page, check_axe, "the empty campaign list", "mn")

    # A campaign of her team (the only one where she designs, chosen for her).
    with page.expect_navigation():
        page.get_by_role("link", name=MN("campaigns.new")).click()
    expect(page.get_by_label(MN("new_campaign.team"))).to_have_value("iom")
    readable(page, check_axe, "the new campaign form", "mn")
    page.get_by_label(MN("new_campaign.key")).fill(CAMPAIGN)
    page.get_by_label(MN("new_campaign.questionnaire")).select_option("trafficking-knowledge")
    page.locator("label.option", has_text=MN("design.independent")).click()
    with page.expect_navigation():
        page.get_by_role("button", name=MN("new_campaign.create")).click()
    assert page.url == f"{server.url}/console/campaigns/{CAMPAIGN}"
    expect(page.locator("main")).to_contain_text(MN("campaign.team", team="ОУЦБ Монгол"))

    # Two waves: before and after.
    for phase in ("pre", "post"):
        add = page.locator("details.add-wave")
        if add.get_attribute("open") is None:
            add.locator("summary").click()
        page.locator("select[name=phase]").select_option(phase)
        with page.expect_navigation():
            page.get_by_role("button", name=MN("campaign.add")).click()
        expect(page.locator(f"#wave-{CAMPAIGN}-{phase} .status")).to_have_text(MN("status.draft"))

    # Open the first (htmx exchanges its card), copy its link.
    card = page.locator(f"#wave-{CAMPAIGN}-pre")
    card.get_by_role("button", name=MN("wave.open")).click()
    expect(card.locator(".status")).to_have_text(MN("status.open"))
    card.get_by_role("button", name=MN("wave.copy")).click()
    expect(card.locator(".copied")).to_have_text(MN("wave.copied"))
    link = page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(rf"{re.escape(server.url)}/r/[\w-]+", link), link
    readable(page, check_axe, "the campaign with its waves", "mn")

    # A respondent answers through the copied link, on a phone of her own.
    respondent = new_page()
    respondent.goto(link)
    complete(respondent, True, "23", lambda p: None)

    # Monitoring shows it.
    with page.expect_navigation():
        card.get_by_role("link", name=MN("wave.monitor")).click()
    assert page.url == f"{server.url}/console/waves/{CAMPAIGN}-pre"
    expect(page.locator(".figures div").first.locator("dd")).to_have_text("1")
    readable(page, check_axe, "the monitoring of the wave", "mn")

    # The export has the one response.
    page.goto(f"{server.url}/console/campaigns/{CAMPAIGN}")
    export = page.locator(f"form[action='/console/campaigns/{CAMPAIGN}/export']")
    export.get_by_label(MN("campaign.format")).select_option("csv")
    with page.expect_download() as download:
        export.get_by_role("button", name=MN("campaign.download")).click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [(r["wave"], r["status"], r["age"]) for r in rows] == [
        (f"{CAMPAIGN}-pre", "complete", "23")
    ]

    # And the report.
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name=MN("campaign.report")).first.click()
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url == f"{server.url}/campaigns/{CAMPAIGN}/report"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    # Another team sees none of it: not in its list, not by link, not by API.
    stranger = new_page()
    sign_in(stranger, server, STRANGER)
    expect(stranger.locator("main")).not_to_contain_text(CAMPAIGN)
    for path in (
        f"/console/campaigns/{CAMPAIGN}",
        f"/console/waves/{CAMPAIGN}-pre",
        f"/console/waves/{CAMPAIGN}-pre/qr.svg",
        f"/campaigns/{CAMPAIGN}/report",
        "/console/teams/iom",
    ):
        response = stranger.goto(f"{server.url}{path}")
        assert response is not None and response.status == 404, path
        assert link.rsplit("/", 1)[1] not in stranger.content()
    token = teams["token"]
    status, listed = api(server, "/api/v1/campaigns", token)
    assert status == 200 and CAMPAIGN not in json.dumps(listed)
    for path in ("", "/waves", "/responses", "/effects"):
        status, _ = api(server, f"/api/v1/campaigns/{CAMPAIGN}{path}", token)
        assert status == 404, path


@pytest.mark.parametrize("lang", ["mn", "en"])
@pytest.mark.parametrize("screen", WIDTHS)
def test_the_account_and_team_pages_read_on_this_screen(
    server: Server,
    teams: dict[str, str],
    new_page: Callable[..., Page],
    check_axe: Callable[[Page, str], None],
    screen: str,
    lang: str,
) -> None:
    admin = f"root-{screen}-{lang}@example.org"
    server.create_user(admin, "admin")
    server.cli("teams", "add", "iom", admin, "--role", "admin")
    page = new_page(viewport=WIDTHS[screen])
    sign_in(page, server, admin, lang=lang)
    t = CATALOGUE.bound(lang)
    for path in ("/console/teams", "/console/teams/iom", "/console/account", "/console/users"):
        response = page.goto(f"{server.url}{path}?lang={lang}")
        assert response is not None and response.status == 200, path
        readable(page, check_axe, f"{path} at {screen} in {lang}", lang)

    # A token made: shown once, with its copy button.
    page.goto(f"{server.url}/console/account/tokens?lang={lang}")
    readable(page, check_axe, f"the token page at {screen} in {lang}", lang)
    page.get_by_label(t("tokens.name")).fill("R")
    with page.expect_navigation():
        page.get_by_role("button", name=t("tokens.create")).click()
    expect(page.locator("#new-token")).to_have_value(re.compile(r"^svy_"))
    readable(page, check_axe, f"a new token at {screen} in {lang}", lang)

    # A reset link made for someone, then opened by them.
    someone = f"forgot-{screen}-{lang}@example.org"
    server.create_user(someone, "viewer")
    page.goto(f"{server.url}/console/users?lang={lang}")
    row = page.locator("tr", has_text=someone)
    with page.expect_navigation():
        row.get_by_role("button", name=t("users.reset")).click()
    readable(page, check_axe, f"a reset link at {screen} in {lang}", lang)
    reset = page.locator("#reset-link").input_value()
    visitor = new_page(viewport=WIDTHS[screen])
    visitor.goto(f"{reset}?lang={lang}")
    readable(visitor, check_axe, f"the reset page at {screen} in {lang}", lang)
    visitor.get_by_label(t("password.new"), exact=True).fill("a fresh long passphrase")
    visitor.get_by_label(t("password.again")).fill("a fresh long passphrase")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name=t("reset.submit")).click()
    assert "/sign-in" in visitor.url
    expect(visitor.locator(".notice")).to_have_text(t("reset.done"))


@pytest.fixture
def fresh(pg_server_url: str, template_database: str) -> Iterator[Server]:
    """A server of its own, on a database with no account: what an operator starts the first time."""
    with serving(pg_server_url, template_database) as running:
        yield running


def test_the_first_administrator_sets_the_installation_up_from_a_phone(
    fresh: Server, new_page: Callable[..., Page], check_axe: Callable[[Page, str], None]
) -> None:
    found = re.search(r"set-up code (\w{4}-\w{4}-\w{4})", fresh.log.read_text())
    assert found, fresh.log.read_text()
    page = new_page()
    page.goto(fresh.url)
    assert page.url == f"{fresh.url}/setup"
    readable(page, check_axe, "the set-up page", "mn")
    page.get_by_label(MN("setup.code")).fill(found.group(1).lower())
    page.get_by_label(MN("sign_in.email")).fill("first@example.org")
    page.get_by_label(MN("sign_in.password"), exact=True).fill(PASSWORD)
    page.get_by_label(MN("password.again")).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=MN("setup.submit")).click()
    assert page.url == f"{fresh.url}/console/teams"
    readable(page, check_axe, "the first administrator's teams", "mn")
    gone = new_page().goto(f"{fresh.url}/setup")
    assert gone is not None and gone.status == 404
