"""Every console page in a real browser, as its people use it: on a 360×740 phone and a 1280 wide laptop,
in Mongolian and in English; the ways from signing in to each demo report, for each role; the copy button;
the problems of a broken YAML file, a broken workbook and a draft that cannot be published.

With ``SURVEY_SHOTS=DIR`` the pages with problems, the planning page and the methods page are also
photographed there, at both sizes in both languages.

On every page: nothing scrolls sideways, every control is at least 44 px tall and within the screen, no
string of the English catalogue is left on a Mongolian page, no role is shown by its key, and axe-core
finds no serious or critical violation.
"""

from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from survey.console.messages import CATALOGUE
from survey.db.accounts import ROLES
from tests.e2e.conftest import MEASURE, Server, sign_in
from tests.helpers import (
    BROKEN_YAML,
    english_left,
    fill_instance,
    multipart_submission,
    workbook_broken_by_the_importer,
)

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}
QUESTIONNAIRE = "trafficking-knowledge"
PAGES = [
    "/console/campaigns",
    "/console/campaigns/new",
    "/console/campaigns/demo-corruption",
    "/console/waves/demo-trafficking-pre",
    "/console/waves/demo-trafficking-post",
    "/console/waves/demo-corruption-post?target-knowledge=x",
    "/console/plan",
    "/console/plan?question=detect&design=panel&outcome=proportion&n=200&p_pre=0.4&correlation=0.3"
    "&power=0.8&alpha=0.05&icc=0.05&cluster_size=20",
    "/console/plan?question=n&design=comparison&outcome=smd&effect=abc&power=2&alpha=0.05&icc=0.1",
    "/console/help/methods",
    "/console/waves/field-demo-pre",
    "/console/waves/field-demo-pre/field",
    "/console/waves/field-demo-pre/review",
    "/console/questionnaires",
    f"/console/questionnaires/{QUESTIONNAIRE}",
    f"/console/questionnaires/{QUESTIONNAIRE}/versions/1",
    f"/console/questionnaires/{QUESTIONNAIRE}/diff",
    "/console/xlsform",
    "/console/drafts/new",
    "/console/users",
    "/console/audit",
    "/console/teams",
    "/console/teams/default",
    "/console/account",
    "/console/account/tokens",
]


@pytest.fixture(scope="module")
def field_data(server: Server, demo: list[str]) -> None:
    """An open wave collected in the field: an enumerator's address, and an interview she sent with an age
    out of its range, waiting for review; so that the field, review and monitoring pages show them."""
    server.cli(
        "campaigns",
        "create",
        "field-demo",
        "--questionnaire",
        QUESTIONNAIRE,
        "--design",
        "independent",
    )
    server.cli("waves", "add", "field-demo", "--phase", "pre")
    server.cli("waves", "open", "field-demo-pre")
    address = server.cli("waves", "field", "field-demo-pre", "--enumerator", "Сараа").strip()
    with urllib.request.urlopen(f"{address}/form.xml", timeout=30) as response:
        xform = response.read()
    values = {"consent": "OK", "age": "31", "aimag": "uvs", "k_offer": "no"}
    body, content_type = multipart_submission(fill_instance(xform, values))
    request = urllib.request.Request(
        f"{address}/submission", data=body, headers={"Content-Type": content_type}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201


@pytest.fixture(scope="module")
def accounts(server: Server, demo: list[str], field_data: None) -> dict[str, str]:
    """An account of every role (Mongolian, the default for new accounts), by role."""
    emails = {role: f"pages-{role}@example.org" for role in ROLES}
    for role, email in emails.items():
        server.create_user(email, role)
    return emails


def _check(page: Page, check_axe: Callable[[Page, str], None], what: str, lang: str) -> None:
    assert page.evaluate(MEASURE) == [], what
    expect(page.locator("html")).to_have_attribute("lang", lang)
    text = page.locator("body").inner_text()
    for code in ("(admin)", "(researcher)", "(analyst)", "(viewer)", "independent", "in_progress"):
        assert code not in text, (what, code)
    if lang == "mn":
        # Keys (of items, waves) are data and shown as code; the preview's pages are in shadow roots.
        html = re.sub(r"<code\b[^>]*>.*?</code>", "", page.content(), flags=re.S)
        assert english_left(html, CATALOGUE) == [], what
    check_axe(page, what)


@pytest.mark.parametrize("lang", ["mn", "en"])
@pytest.mark.parametrize("screen", WIDTHS)
def test_every_console_page_reads_on_this_screen(
    server: Server,
    accounts: dict[str, str],
    new_page: Callable[..., Page],
    check_axe: Callable[[Page, str], None],
    screen: str,
    lang: str,
) -> None:
    anonymous = new_page(viewport=WIDTHS[screen])
    anonymous.goto(f"{server.url}/sign-in?lang={lang}")
    _check(anonymous, check_axe, f"/sign-in at {screen} in {lang}", lang)

    page = new_page(viewport=WIDTHS[screen])
    sign_in(page, server, accounts["admin"], lang=lang)
    assert page.url == f"{server.url}/console/campaigns"
    for path in PAGES:
        response = page.goto(f"{server.url}{path}")
        assert response is not None and response.status == 200, path
        _check(page, check_axe, f"{path} at {screen} in {lang}", lang)


@pytest.mark.parametrize("java_script", [True, False])
def test_the_navigation_folds_into_a_menu_on_a_phone(
    server: Server,
    accounts: dict[str, str],
    new_page: Callable[..., Page],
    java_script: bool,
) -> None:
    t = CATALOGUE.bound("mn")
    page = new_page(java_script_enabled=java_script)
    sign_in(page, server, accounts["researcher"])
    menu = page.locator("details.menu")
    expect(page.locator("nav.wide")).to_be_hidden()
    expect(menu.get_by_role("link", name=t("nav.questionnaires"))).to_be_hidden()
    menu.get_by_text(t("nav.menu")).click()
    link = menu.get_by_role("link", name=t("nav.questionnaires"))
    expect(link).to_be_visible()
    expect(menu.get_by_role("button", name=t("nav.sign_out"))).to_be_visible()
    with page.expect_navigation():
        link.click()
    assert page.url == f"{server.url}/console/questionnaires"

    # On a laptop the bar shows everything, without a menu.
    wide = new_page(viewport=WIDTHS["laptop"], java_script_enabled=java_script)
    sign_in(wide, server, accounts["researcher"])
    expect(wide.locator("details.menu")).to_be_hidden()
    expect(
        wide.locator("nav.wide").get_by_role("link", name=t("nav.questionnaires"))
    ).to_be_visible()


@pytest.mark.parametrize("width", [960, 1280])
def test_the_sections_keep_one_row_on_a_wide_screen(
    server: Server, new_page: Callable[..., Page], width: int
) -> None:
    # The longest bar: an administrator of the installation (every section, the audit log among them),
    # with a long address, in Mongolian, whose section names are longer than the English.
    email = f"battsetseg.ganbold.director.{width}@example.org"
    server.create_user(email, "admin")
    page = new_page(viewport={"width": width, "height": 800})
    sign_in(page, server, email)
    tops = page.locator("nav.wide a").evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(tops) >= 6 and len(set(tops)) == 1, tops
    expect(page.locator(".tools")).to_contain_text(email)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_language_switch_is_kept_with_the_account(
    server: Server, accounts: dict[str, str], new_page: Callable[..., Page]
) -> None:
    server.create_user("switch@example.org", "analyst")
    page = new_page(viewport=WIDTHS["laptop"])
    sign_in(page, server, "switch@example.org")
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    page.goto(f"{server.url}/console/campaigns/demo-ethics")
    with page.expect_navigation():
        page.locator(".tools form.lang").get_by_role("button", name="English").click()
    assert page.url == f"{server.url}/console/campaigns/demo-ethics"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # Kept by the account: a new browser signing in as the same person reads English.
    again = new_page()
    sign_in(again, server, "switch@example.org")
    expect(again.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("role", ROLES)
def test_from_sign_in_to_each_demo_report_by_following_links(
    server: Server,
    demo: list[str],
    new_page: Callable[..., Page],
    role: str,
) -> None:
    t = CATALOGUE.bound("mn")
    # An account of its own: the others may have been switched to English by another test.
    email = f"ways-{role}@example.org"
    server.create_user(email, role)
    page = new_page()
    sign_in(page, server, email)
    home = f"{server.url}/console/campaigns"
    assert page.url == home, "every role lands on the campaign list"
    for key in demo:
        # From the list: the report link of the campaign.
        page.goto(home)
        with page.expect_navigation() as navigation:
            page.get_by_role("link", name=f"{t('campaigns.read_report')} {key}").click()
        assert navigation.value is not None and navigation.value.status == 200
        assert page.url == f"{server.url}/campaigns/{key}/report"
        # From the list: the campaign itself, then (for the roles that may open it) its report.
        page.goto(home)
        with page.expect_navigation() as navigation:
            page.get_by_role("link", name=key, exact=True).click()
        assert navigation.value is not None and navigation.value.status == 200, (role, key)
        if role == "viewer":
            assert page.url == f"{server.url}/campaigns/{key}/report"
            continue
        assert page.url == f"{server.url}/console/campaigns/{key}"
        with page.expect_navigation() as navigation:
            page.get_by_role("link", name=t("campaign.report")).click()
        assert navigation.value is not None and navigation.value.status == 200
        assert page.url == f"{server.url}/campaigns/{key}/report"


def test_the_copy_button_copies_the_wave_link(
    server: Server, accounts: dict[str, str], new_page: Callable[..., Page]
) -> None:
    t = CATALOGUE.bound("mn")
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    sign_in(page, server, accounts["researcher"])
    page.goto(f"{server.url}/console/campaigns/demo-trafficking")
    card = page.locator("#wave-demo-trafficking-pre")
    link = card.locator(".link-field").input_value()
    assert re.fullmatch(rf"{re.escape(server.url)}/r/[\w-]+", link), link
    card.get_by_role("button", name=t("wave.copy")).click()
    expect(card.locator(".copied")).to_have_text(t("wave.copied"))
    assert page.evaluate("navigator.clipboard.readText()") == link
    # The whole link shows in its field: nothing of it is cut off.
    assert card.locator(".link-field").evaluate(
        "el => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight"
    )
    # The QR code is on the page (an image that loaded), not only a download.
    assert card.locator(".qr img").evaluate("img => img.complete && img.naturalWidth > 0")

    # Without JavaScript there is no button, and the link stays in a field to select and copy.
    plain = new_page(java_script_enabled=False)
    sign_in(plain, server, accounts["researcher"])
    plain.goto(f"{server.url}/console/campaigns/demo-trafficking")
    card = plain.locator("#wave-demo-trafficking-pre")
    expect(card.get_by_role("button", name=t("wave.copy"))).to_be_hidden()
    expect(card.locator(".link-field")).to_be_visible()
    expect(card.locator(".link-field")).to_have_value(link)


@pytest.mark.parametrize("java_script", [True, False])
def test_a_plan_is_made_and_corrected_in_the_browser(
    server: Server,
    accounts: dict[str, str],
    new_page: Callable[..., Page],
    java_script: bool,
) -> None:
    """The planner answers in place with htmx, and by a whole page without JavaScript; a wrong value is
    told beside its field, and the address shares the plan."""
    from survey.analysis import power

    t = CATALOGUE.bound("en")
    page = new_page(java_script_enabled=java_script)
    sign_in(page, server, accounts["analyst"], lang="en")
    page.goto(f"{server.url}/console/plan?lang=en")
    page.get_by_label(t("plan.outcome.proportion")).check()
    page.get_by_role("button", name=t("plan.submit")).click()
    n = power.n_for_proportions(0.4, 0.5).n
    expect(page.locator("#plan-answer")).to_have_text(t("plan.result.n", n=f"{n:,}"))
    assert "outcome=proportion" in page.url
    field = page.get_by_label(t("plan.field.p_post"))
    field.fill("0,4")
    page.get_by_role("button", name=t("plan.submit")).click()
    expect(page.locator("#plan-p_post-error")).to_have_text(t("plan.error.same_proportions"))
    expect(page.get_by_label(t("plan.field.p_post"))).to_have_value("0,4")
    assert page.evaluate(MEASURE) == []


# -- the problems of a broken file, in the reader's language ------------------------------------------

SHOTS = os.environ.get("SURVEY_SHOTS")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The loader's and the importer's own English (what the command line prints), never on a page.
LOADER_ENGLISH = (
    "is not a valid",
    "is greater than",
    "unknown",
    "does not come after",
    "has no label",
)


def _shoot(page: Page, name: str) -> None:
    """The page as it stands, in screen-high pieces (each read at its size)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or WIDTHS["phone"]
    tall = page.evaluate("document.documentElement.scrollHeight")
    for n, top in enumerate(range(0, min(tall, 4 * size["height"]), size["height"])):
        clip = {"x": 0, "y": top, "width": size["width"], "height": min(size["height"], tall - top)}
        page.screenshot(path=f"{SHOTS}/{name}-{n}.png", full_page=True, clip=clip)


def _said(page: Page, lang: str, what: str, check_axe: Callable[[Page, str], None]) -> None:
    """The problems are listed, each with its place, and read in the page's language."""
    expect(page.locator(".problem li").first).to_be_visible()
    assert page.locator(".problem li code.where").count() >= 1, what
    _check(page, check_axe, what, lang)
    if lang == "mn":
        text = page.locator(".problem").inner_text()
        for english in LOADER_ENGLISH:
            assert english not in text, (what, english)
        assert re.search("[а-яөүё]", text), what


@pytest.mark.parametrize("lang", ["mn", "en"])
@pytest.mark.parametrize("screen", WIDTHS)
def test_the_problems_of_a_broken_file_read_on_this_screen(
    server: Server,
    demo: list[str],
    new_page: Callable[..., Page],
    check_axe: Callable[[Page, str], None],
    screen: str,
    lang: str,
) -> None:
    email = f"problems-{screen}-{lang}@example.org"
    server.create_user(email, "researcher")
    page = new_page(viewport=WIDTHS[screen])
    sign_in(page, server, email, lang=lang)
    t = CATALOGUE.bound(lang)

    # A YAML file that cannot start a draft.
    page.goto(f"{server.url}/console/drafts/new")
    page.set_input_files(
        "#new-file",
        files=[{"name": "broken.yml", "mimeType": "text/yaml", "buffer": BROKEN_YAML.encode()}],
    )
    with page.expect_navigation():
        page.locator('form[action="/console/drafts/import"] button[type=submit]').click()
    _said(page, lang, f"a broken YAML file at {screen} in {lang}", check_axe)
    expect(page.locator(".problem")).to_contain_text(t("problem.scale_unknown", name="agree9"))
    _shoot(page, f"yaml-problems-{lang}-{screen}")

    # A workbook the importer refuses, each problem at its sheet and row.
    page.goto(f"{server.url}/console/xlsform")
    page.set_input_files(
        "#workbook",
        files=[
            {"name": "broken.xlsx", "mimeType": XLSX, "buffer": workbook_broken_by_the_importer()}
        ],
    )
    with page.expect_navigation():
        page.locator('form[action="/console/xlsform"] button[type=submit]').click()
    _said(page, lang, f"a broken workbook at {screen} in {lang}", check_axe)
    expect(page.locator(".problem")).to_contain_text(t("problem.at_row", sheet="survey", row=3))
    _shoot(page, f"xlsform-problems-{lang}-{screen}")

    # A draft that breaks rules cannot be published: the page says which, and where.
    page.goto(f"{server.url}/console/drafts/new")
    page.locator("#new-key").fill(f"empty_{screen}_{lang}")
    with page.expect_navigation():
        page.locator('form[action="/console/drafts"] button[type=submit]').first.click()
    draft = page.url.rsplit("/", 1)[1].split("?")[0]
    response = page.goto(f"{server.url}/console/drafts/{draft}/publish")
    assert response is not None and response.status == 409
    _said(page, lang, f"a draft that breaks rules at {screen} in {lang}", check_axe)
    expect(page.locator(".problem")).to_contain_text(t("problem.items_empty"))
    _shoot(page, f"publish-problems-{lang}-{screen}")

    # The planning page links to the methods page, which reads on this screen.
    page.goto(f"{server.url}/console/plan")
    _check(page, check_axe, f"/console/plan at {screen} in {lang}", lang)
    _shoot(page, f"plan-{lang}-{screen}")
    with page.expect_navigation():
        page.get_by_role("link", name=t("plan.methods_link")).click()
    assert page.url.split("?")[0] == f"{server.url}/console/help/methods"
    _check(page, check_axe, f"/console/help/methods at {screen} in {lang}", lang)
    _shoot(page, f"methods-{lang}-{screen}")
