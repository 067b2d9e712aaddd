"""Browser tests: a real ``survey serve`` subprocess, the system's Chromium driven by Playwright, axe-core.

The server runs on a free port with its own data directory and its own database on the session's
embedded PostgreSQL (cloned from the migrated template, which is faster than a second embedded server).
Everything the tests need is created through the command line, as an operator would. The server and the
browser live as long as this package's tests: the rest of the suite runs without them (and without
Playwright's event loop beside pytest-asyncio's).

Outside CI these tests skip, saying why, when Chromium, Playwright or axe-core is missing; in CI (``CI``
set) a missing piece fails them, because ``.ci/run`` installs all three.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import PASSWORD, Server, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "test-results"
#: Where ``.ci/run`` puts axe-core (``npm install --prefix .cache/axe-core axe-core@4``).
AXE_JS = REPO / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
#: A phone-sized screen, the respondents' usual one.
VIEWPORT = {"width": 360, "height": 740}
#: As root, in a sandbox with no outside network: no sandbox of Chromium's own, and none of its
#: background connections, which the machine refuses (many at a time) and which slow every start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
__all__ = ["MEASURE", "PASSWORD", "Server", "serving"]  # what the browser tests import from here
#: What a person meets on a console page, as a list of problems: the page wider than the screen, a control
#: they tap under 44 px tall or cut at the edge. Radio buttons and checkboxes are tapped through their
#: label (``.option``), which is measured instead; a link inside a sentence is exempt (WCAG 2.5.8).
MEASURE = """() => {
  const tap = 44 - 0.5;
  const width = window.innerWidth;
  const problems = [];
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden"
                      && !el.closest("details:not([open]) > :not(summary)");
  const inSentence = (el) => el.tagName === "A" && ["P", "LI", "SMALL", "DD"].includes(el.parentElement.tagName)
                      && el.parentElement.textContent.trim().length > el.textContent.trim().length + 3;
  const controls = document.querySelectorAll(
    "a[href], button, select, textarea, summary, label.option, " +
    "input:not([type=hidden]):not([type=radio]):not([type=checkbox])");
  for (const el of controls) {
    if (!shown(el) || inSentence(el)) continue;
    const r = el.getBoundingClientRect();
    const name = `${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || "").trim().slice(0, 40)}"`;
    if (r.height < tap) problems.push(`${name} is ${r.height.toFixed(1)} px tall`);
    if (r.right > width + 0.5 || r.left < -0.5) problems.push(`${name} is cut at the edge (${r.left}–${r.right})`);
  }
  const scroll = document.documentElement.scrollWidth;
  if (scroll > width) problems.push(`the page is ${scroll} px wide on a ${width} px screen`);
  return problems;
}"""
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def _missing(reason: str) -> None:
    """Skip outside CI; fail in CI, where ``.ci/run`` has installed everything."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it in .ci/run, so the browser tests must run there)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """The system Chromium: ``$SURVEY_CHROMIUM``, else ``chromium`` on the PATH."""
    candidate = os.environ.get("SURVEY_CHROMIUM") or shutil.which("chromium")
    return candidate if candidate and os.access(candidate, os.X_OK) else None


#: ``survey serve`` for the browser tests: one shared by the package (``server``), or one of a test's own.
serving = running_server


@pytest.fixture(scope="package")
def server(pg_server_url: str, template_database: str) -> Iterator[Server]:
    """The server the browser tests share (accounts, campaigns and the demo made by them)."""
    with serving(pg_server_url, template_database) as running:
        yield running


@pytest.fixture(scope="package")
def demo(server: Server) -> list[str]:
    """The demo campaigns (``survey demo``), 30 synthetic respondents per wave: enough for every group of
    the report (none under 5 is shown), few enough to take seconds. Their keys."""
    server.cli("demo", "--respondents", "30", timeout=300)
    return ["demo-trafficking", "demo-ethics", "demo-corruption"]


def sign_in(page: Page, server: Server, email: str, *, next_url: str = "", lang: str = "") -> None:
    """Sign in through the form, as a person would, on the sign-in page in ``lang`` (else Mongolian)."""
    from survey.console.messages import CATALOGUE

    t = CATALOGUE.bound(lang or "mn")
    query = "&".join(f"{k}={v}" for k, v in (("next", next_url), ("lang", lang)) if v)
    page.goto(f"{server.url}/sign-in" + (f"?{query}" if query else ""))
    page.get_by_label(t("sign_in.email")).fill(email)
    page.get_by_label(t("sign_in.password")).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=t("sign_in.submit")).click()
    assert "/sign-in" not in page.url, page.locator("main").inner_text()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """The system Chromium, headless, through Playwright."""
    executable = chromium_path()
    if executable is None:
        _missing("Chromium is not installed (apt-get install chromium, or set SURVEY_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Kept on the item so that a fixture's teardown knows whether its test failed.
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Open pages on a 360×740 screen (or ``viewport=``), each in a context of its own
    (``new_page(java_script_enabled=False)``); on failure each page's screenshot and HTML are kept in
    ``test-results/``."""
    opened: list[Page] = []

    def factory(**options: Any) -> Page:
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        context.set_default_timeout(10_000)
        page = context.new_page()
        opened.append(page)
        return page

    yield factory
    reports = request.node.stash.get(REPORTS, {})
    failed = any(report.failed for report in reports.values())
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
    for i, page in enumerate(opened):
        if failed and not page.is_closed():
            RESULTS.mkdir(exist_ok=True)
            try:
                page.screenshot(path=RESULTS / f"{stem}-{i}.png", full_page=True)
                (RESULTS / f"{stem}-{i}.html").write_text(page.content())
            except Exception as exc:
                print(f"no screenshot of page {i}: {exc}", file=sys.stderr)
        page.context.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's script, to inject into pages."""
    path = Path(os.environ.get("SURVEY_AXE_JS") or AXE_JS)
    if not path.is_file():
        _missing(f"axe-core is not at {path} (npm install --prefix .cache/axe-core axe-core@4)")
    return path


@pytest.fixture
def check_axe(axe_js: Path) -> Callable[[Page, str], None]:
    """Run axe-core on a page; fail on any serious or critical violation, naming each."""

    def check(page: Page, what: str) -> None:
        # The pages allow scripts from their own origin only (Content-Security-Policy), so axe-core is
        # served from there by the browser itself instead of being inlined: the policy stays in force.
        origin = re.match(r"https?://[^/]+", page.url)
        assert origin, page.url
        url = f"{origin.group(0)}/__e2e__/axe.min.js"
        page.context.route(
            url, lambda route: route.fulfill(path=axe_js, content_type="text/javascript")
        )
        page.add_script_tag(url=url)
        violations = page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.impact} ${v.id}: ${v.help} at ` +
                              v.nodes.map(n => n.target.join(' ')).join(', '));
            }"""
        )
        assert not violations, f"axe-core on {what}:\n" + "\n".join(violations)

    return check


# -- a respondent's way through a form ----------------------------------------------------------------

#: The few answers the export is checked against; any other question gets its first option.
#: ``offer_received == 'yes'`` shows ``offer_source`` on a page of its own, so skip logic is crossed.
ANSWERS: dict[str, list[str]] = {
    "consent": ["yes"],
    "offer_received": ["yes"],
    "offer_source": ["social_media", "agency"],
    "k_offer": ["warning"],
    "k_red_flags": ["passport", "debt"],
    "q_would_check": ["maybe"],
}
THANKS_MN = "Баярлалаа!"
NEXT_MN = "Үргэлжлүүлэх"


def answer_page(page: Page, typed: dict[str, str]) -> None:
    """Answer every question of the page as a person would: tapping labels, typing, choosing."""
    form = page.locator("#form-area form")
    chosen: dict[str, list[str]] = {}
    for control in form.locator("input[type=radio], input[type=checkbox]").all():
        name = control.get_attribute("name") or ""
        value = control.get_attribute("value") or ""
        wanted = chosen.setdefault(name, ANSWERS.get(name, [value]))
        if value in wanted:
            form.locator(f"label[for='{control.get_attribute('id')}']").click()
    for select in form.locator("select").all():
        select.select_option(index=len(select.locator("option").all()) - 1)
    for field in form.locator("input[type=text], input:not([type]), textarea").all():
        field.fill(typed[field.get_attribute("name") or ""])


def press(page: Page, button: str, javascript: bool) -> None:
    """Press a button of the page's form and wait for the page it leads to (or the same one with its
    errors)."""
    if javascript:
        # htmx exchanges only the form area: wait for the old one to be replaced.
        page.locator("#form-area").evaluate("area => area.setAttribute('data-sent', '')")
        page.locator(button).click()
        page.locator("#form-area:not([data-sent])").wait_for()
        # htmx gives elements that keep their id their new attributes (an error's class) only when the swap
        # settles, a few milliseconds later: wait for that too.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
    else:
        with page.expect_navigation():
            page.locator(button).click()


def send(page: Page, javascript: bool) -> None:
    """Press the page's main button (Next, or Submit on the last page)."""
    press(page, "#form-area form button[type=submit]:not([name=_back])", javascript)


def complete(page: Page, javascript: bool, age: str, on_errors: Callable[[Page], None]) -> None:
    """Answer every page until the thank-you page; the first page with a required question is first
    sent empty, its errors checked and handed to ``on_errors``."""
    from playwright.sync_api import expect

    errors_seen = False
    for _ in range(20):
        heading = page.locator("#form-area h1")
        if heading.inner_text().strip() == THANKS_MN:
            return
        if not errors_seen and page.locator("#form-area form [required]").count():
            send(page, javascript)
            summary = page.locator(".error-summary")
            expect(summary).to_be_visible()
            # One line in the summary per question marked invalid beside its field.
            expect(page.locator("#form-area .field.invalid").first).to_be_visible()
            invalid = page.locator("#form-area .field.invalid").count()
            expect(summary.locator("li")).to_have_count(invalid)
            on_errors(page)
            errors_seen = True
        answer_page(page, {"age": age})
        send(page, javascript)
    raise AssertionError("no thank-you page after 20 pages")
