"""A program lead reads each demo campaign's report on a phone and on a laptop, in Mongolian and in
English, and prints it for the donor.

What a person sees is asserted: no sideways scrolling, nothing cut off the screen or out of the plot,
plot text at least 12 CSS pixels on a 360 px phone, no English left on a Mongolian page, no serious or
critical axe-core violation, and a print of at most two A4 pages whose first page holds the headline
cards, the plot and the caveats. On failure each page's screenshot is kept in ``test-results/`` (the
``new_page`` fixture).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from survey.reports.messages import CATALOGUE
from tests.e2e.conftest import PASSWORD, Server
from tests.helpers import english_left

pytestmark = pytest.mark.e2e

DEMOS = ("demo-trafficking", "demo-ethics", "demo-corruption")
LEAD = "report-lead@example.org"
WIDTHS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 900}}
#: The printable area of an A4 page with the report's print margins (12 mm × 11 mm) in CSS pixels:
#: (210 − 24) mm × (297 − 22) mm at 96 px per 25.4 mm.
A4_PRINTABLE = {"width": 703, "height": 1039}


@pytest.fixture(scope="module")
def demo(server: Server) -> None:
    """The demo campaigns (30 synthetic respondents per wave, as the console's browser tests make
    them: a second ``survey demo`` adds nothing) and a program lead's account."""
    server.cli("demo", "--respondents", "30", timeout=300)
    server.create_user(LEAD, "viewer")


def open_report(page: Page, server: Server, campaign: str, lang: str) -> None:
    """Sign in as the program lead (the sign-in form's fields by name) and open the report."""
    page.goto(f"{server.url}/sign-in?next=/campaigns/{campaign}/report")
    page.locator("input[name=email]").fill(LEAD)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    response = page.goto(f"{server.url}/campaigns/{campaign}/report?lang={lang}")
    assert response is not None and response.status == 200, page.url


def cut_elements(page: Page) -> list[str]:
    """Elements whose box sticks out of the screen, or texts of the plot out of the plot."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            for (const el of document.querySelectorAll('main *')) {
                const r = el.getBoundingClientRect();
                if (r.width && (r.left < -0.5 || r.right > width + 0.5)) {
                    out.push(`${el.tagName}.${el.className.baseVal ?? el.className}: ` +
                             `${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
                }
            }
            for (const svg of document.querySelectorAll('svg.forest')) {
                const box = svg.getBoundingClientRect();
                for (const text of svg.querySelectorAll('text')) {
                    const r = text.getBoundingClientRect();
                    if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
                        out.push(`plot text "${text.textContent}" at ${Math.round(r.left)}..` +
                                 `${Math.round(r.right)} of ${Math.round(box.left)}..${Math.round(box.right)}`);
                    }
                }
            }
            return out;
        }"""
    )


@pytest.mark.parametrize("campaign", DEMOS)
@pytest.mark.parametrize("lang", ["mn", "en"])
@pytest.mark.parametrize("screen", list(WIDTHS))
def test_the_report_reads_on_each_screen(
    server: Server,
    demo: None,
    new_page: Callable[..., Page],
    check_axe: Callable[[Page, str], None],
    campaign: str,
    lang: str,
    screen: str,
) -> None:
    page = new_page()
    page.set_viewport_size(WIDTHS[screen])
    open_report(page, server, campaign, lang)
    what = f"{campaign} in {lang} on a {WIDTHS[screen]['width']} px screen"
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        CATALOGUE.translate("heading", lang, campaign=campaign)
    )
    # No sideways scrolling, and nothing cut.
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll <= inner, f"{what}: the page scrolls sideways ({scroll} > {inner})"
    cut = cut_elements(page)
    assert not cut, f"{what}: " + "; ".join(cut)
    # The plots (the standardised effects, and each outcome's changes by group): labelled images,
    # their text never scaled below 12 CSS pixels.
    expect(page.locator("section.plot svg.forest")).to_be_visible()
    plots = page.locator("main svg.forest")
    assert plots.count() > 1, f"{what}: no plot of changes by group"
    for plot in plots.all():
        expect(plot).to_have_attribute("role", "img")
        sizes = plot.evaluate(
            """svg => [...svg.querySelectorAll('text')].map(t =>
                parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
        )
        assert sizes and min(sizes) >= 12, f"{what}: plot text of {min(sizes):.1f} px"
    # Where did it change: a sentence per grouping item on whether the change differs.
    expect(page.locator("section.groups p.test").first).to_be_visible()
    if campaign == "demo-trafficking":
        # Different people before and after: each card also takes into account who answered, and
        # the balance of who answered is shown.
        for card in page.locator("section.cards article.card").all():
            expect(card.locator("p.adjusted")).not_to_be_empty()
        expect(page.locator("section.balance table").first).to_be_visible()
    # Headline cards, each with a sentence.
    cards = page.locator("section.cards article.card")
    assert cards.count() >= 3
    for card in cards.all():
        expect(card.locator("p.sentence")).not_to_be_empty()
    if lang == "mn":
        assert english_left(page.content(), CATALOGUE) == [], what
    check_axe(page, what)


@pytest.mark.parametrize("campaign", DEMOS)
def test_one_tap_switches_the_language(
    server: Server, demo: None, new_page: Callable[..., Page], campaign: str
) -> None:
    page = new_page()
    page.goto(f"{server.url}/sign-in")
    page.locator("input[name=email]").fill(LEAD)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    page.goto(f"{server.url}/campaigns/{campaign}/report")
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{campaign}: what changed")
    with page.expect_navigation():
        page.get_by_role("link", name="Монгол").click()
    expect(page.locator("html")).to_have_attribute("lang", "mn")


@pytest.mark.parametrize("campaign", DEMOS)
@pytest.mark.parametrize("lang", ["mn", "en"])
def test_the_print_fits_two_a4_pages(
    server: Server, demo: None, new_page: Callable[..., Page], campaign: str, lang: str
) -> None:
    page = new_page()
    open_report(page, server, campaign, lang)
    pdf = page.pdf(format="A4", print_background=True)
    pages = max(int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf))
    assert pages <= 2, f"{campaign} in {lang} prints on {pages} pages"
    # The first page: laid out for print at the printable width of A4, everything before the tables
    # (which start a new page) ends within one page's height.
    page.set_viewport_size(A4_PRINTABLE)
    page.emulate_media(media="print")
    first = page.evaluate(
        """() => ['.report-head', '.cards', '.plot', '.caveats'].map(s => {
            const r = document.querySelector(s).getBoundingClientRect();
            return [s, r.bottom + scrollY];
        })"""
    )
    for selector, bottom in first:
        assert bottom <= A4_PRINTABLE["height"], (
            f"{selector} ends at {bottom:.0f} px: not on page 1"
        )
    assert page.locator(".details").evaluate("d => getComputedStyle(d).breakBefore") == "page"
    expect(page.locator("header.site")).to_be_hidden()


@pytest.mark.parametrize("campaign", DEMOS)
def test_who_answered_and_the_groups_print_only_when_asked(
    server: Server, demo: None, new_page: Callable[..., Page], campaign: str
) -> None:
    """The changes by group (and who answered) would take the brief past two pages: on paper they are
    left out, unless the reader follows the page's link to them first, which prints them after."""
    page = new_page()
    open_report(page, server, campaign, "en")
    page.emulate_media(media="print")
    expect(page.locator("section.groups")).to_be_hidden()
    brief = max(int(n) for n in re.findall(rb"/Count\s+(\d+)", page.pdf(format="A4")))
    page.emulate_media(media="screen")
    # A link within the page: no navigation, the part becomes the page's target.
    page.get_by_role("link", name=CATALOGUE.translate("more.print_link", "en")).click()
    page.wait_for_url("**#more")
    page.emulate_media(media="print")
    expect(page.locator("section.groups")).to_be_visible()
    whole = max(int(n) for n in re.findall(rb"/Count\s+(\d+)", page.pdf(format="A4")))
    assert whole > brief <= 2, (brief, whole)
