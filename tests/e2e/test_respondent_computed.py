"""A respondent in a real browser meets a cascading list, a calculated value, piped text and a
constraint message, in Mongolian and English, with JavaScript (htmx) and without.

The questionnaire is tests/unit/data/computed.yaml (aimag → soum from the shipped lists). With
``SURVEY_SCREENSHOTS=DIR`` set, each test also saves its pages at 360×740 and 1280×800 there, for a
person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

FORM = Path(__file__).resolve().parents[1] / "unit" / "data" / "computed.yaml"
WORDS = {
    "mn": {
        "constraint": "Хүүхдийн тоо насанд хүрэгчдийн тооноос арав дахин их байж болохгүй.",
        "note": "Танай өрх 7 хүнтэй. Баг, хороо: <b>3-р баг</b>.",
        "piped": "Батцэнгэл сум, дүүрэгт олон хүнтэй өрхөд туслах үйлчилгээ байдаг уу?",
        "soum": "Батцэнгэл",
    },
    "en": {
        "constraint": "The number of children cannot be more than ten times the number of adults.",
        "note": "Your household has 7 people. Bag or khoroo: <b>3-р баг</b>.",
        "piped": "Is there help for large households in Battsengel?",
        "soum": "Battsengel",
    },
}


@pytest.fixture(scope="module")
def published(server: Server) -> str:
    server.cli("forms", "publish", str(FORM))
    return "computed"


def open_link(server: Server, name: str) -> str:
    """A campaign of its own for one test, and its open pre wave's link."""
    campaign = f"e2e-computed-{name}"
    server.cli(
        "campaigns", "create", campaign, "--questionnaire", "computed", "--design", "independent"
    )
    return server.open_wave(campaign, "pre")


def send(page: Page, javascript: bool) -> None:
    button = page.locator("#form-area form button[type=submit]:not([name=_back])")
    if javascript:
        page.locator("#form-area").evaluate("area => area.setAttribute('data-sent', '')")
        button.click()
        page.locator("#form-area:not([data-sent])").wait_for()
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
    else:
        with page.expect_navigation():
            button.click()


def looked_at(page: Page, name: str) -> None:
    """No sideways scrolling; with SURVEY_SCREENSHOTS set, the page at phone and desktop width."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    folder = os.environ.get("SURVEY_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height in ((360, 740), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})


@pytest.mark.parametrize(
    ("lang", "javascript"),
    [("mn", True), ("en", False), ("mn", False), ("en", True)],
    ids=["mn-htmx", "en-no-js", "mn-no-js", "en-htmx"],
)
def test_cascade_calculation_piping_and_constraint_in_a_browser(
    server: Server,
    published: str,
    new_page: Callable[..., Page],
    check_axe: Callable[[Page, str], None],
    lang: str,
    javascript: bool,
) -> None:
    words = WORDS[lang]
    phase = f"{lang}{'js' if javascript else 'plain'}"
    link = open_link(server, phase)
    page = new_page(java_script_enabled=javascript)
    page.goto(f"{link}?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # The aimag is a drop-down (22 choices); the soum list comes on the next page, filtered.
    aimag = page.locator("#form-area select[name=aimag]")
    expect(aimag).to_be_visible()
    assert page.locator("#form-area select[name=soum]").count() == 0
    aimag.select_option("65")
    send(page, javascript)

    soum = page.locator("#form-area select[name=soum]")
    expect(soum).to_be_visible()
    options = soum.locator("option:not([value=''])").all_inner_texts()
    assert len(options) == 19 and words["soum"] in options, options
    looked_at(page, f"soum-{phase}")
    if javascript:  # axe-core runs in the page: only where scripts run
        check_axe(page, "the filtered soum list")
    soum.select_option("6504")
    send(page, javascript)

    form = page.locator("#form-area form")
    form.locator("input[name=adults]").fill("1")
    form.locator("input[name=children]").fill("11")
    form.locator("[name=place_name]").fill("<b>3-р баг</b>")
    send(page, javascript)
    error = page.locator("#q-children-error")
    expect(error).to_contain_text(words["constraint"])
    expect(page.locator("#form-area input[name=children]")).to_have_value("11")
    expect(page.locator("#form-area .error-summary")).to_contain_text(words["constraint"])
    looked_at(page, f"constraint-{phase}")
    if javascript:
        check_axe(page, "the constraint message")

    page.locator("#form-area input[name=adults]").fill("2")
    page.locator("#form-area input[name=children]").fill("5")
    send(page, javascript)
    # 2 + 5 people: the calculated size is piped into the note (the typed text shown as text, not
    # markup) and shows the question for large households, whose text pipes the soum's name.
    main = page.locator("#form-area")
    expect(main).to_contain_text(words["note"])
    assert main.locator("b").count() == 0
    expect(main.locator("fieldset legend")).to_contain_text(words["piped"])
    looked_at(page, f"piped-{phase}")
    if javascript:
        check_axe(page, "piped text")
    page.locator("#form-area label").filter(has_text="").first.click()
    send(page, javascript)
    expect(page.locator("#form-area h1")).to_be_visible()
