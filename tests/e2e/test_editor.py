"""The questionnaire editor in a real browser, in Mongolian on a 360 px phone: a researcher builds a knowledge
questionnaire from a blank draft (consent, panel code, a single-choice and a multi-choice knowledge item
with their correct answers, three Likert items of which one reversed, one condition, two outcomes),
previews it, publishes version 1, changes one item's wording, sees the change named as breaking, marks it
equivalent and publishes version 2; ``survey forms show`` prints what was built.

Every change goes through htmx (one request, the editor's fragment swapped in); each page is checked as a
person reads it: nothing wider than the screen, every control tappable, no English left, axe-core clean.
With ``SURVEY_SHOTS=DIR`` the pages are also photographed there at 360 and 1280 px, in both languages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import FrameLocator, Locator, Page, expect

from survey.collect.messages import CATALOGUE as RESPONDENT_CATALOGUE
from survey.console.messages import CATALOGUE
from tests.e2e.conftest import MEASURE, Server, sign_in
from tests.helpers import english_left

pytestmark = pytest.mark.e2e

MN = CATALOGUE.bound("mn")
RESPONDENT = RESPONDENT_CATALOGUE.bound("mn")
KEY = "hunt_quiz"
EMAIL = "saraa@editor.example.org"
SHOTS = os.environ.get("SURVEY_SHOTS")


def readable(page: Page, check_axe: Callable[[Page, str], None], what: str) -> None:
    assert page.evaluate(MEASURE) == [], what
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    # Keys, conditions and places in the definition are data (in <code>); the loader's problems are said in
    # Mongolian, so they stay in.
    html = re.sub(r"<code\b[^>]*>.*?</code>", "", page.content(), flags=re.S)
    # The English side of each text as the researcher typed it, the keys the researcher chose, and
    # the lists that name items by their keys.
    html = re.sub(r'<textarea[^>]*lang="en"[^>]*>.*?</textarea>', "", html, flags=re.S)
    html = re.sub(r'<input[^>]*(lang="en"|name="key"|name="show_if")[^>]*>', "", html)
    html = re.sub(r'<select[^>]*name="(condition|item)"[^>]*>.*?</select>', "", html, flags=re.S)
    assert english_left(html, CATALOGUE) == [], what
    check_axe(page, what)


def revision(page: Page) -> str:
    return page.locator("input[name=revision]").first.input_value()


def press(page: Page, where: Locator, name: str) -> None:
    """Press a button of an editor form and wait until htmx has swapped the changed editor in."""
    before = revision(page)
    with page.expect_response(lambda r: r.request.method == "POST"):
        where.get_by_role("button", name=name, exact=True).click()
    page.wait_for_function(
        "r => document.querySelector('input[name=revision]').value !== r", arg=before
    )


def item(page: Page, place: str) -> Locator:
    return page.locator(f'details[id="{place}"]')


def open_item(page: Page, place: str) -> Locator:
    """Open an item's summary: htmx fetches its form in place of the one-line summary."""
    found = item(page, place)
    found.locator("summary").click()
    expect(found.locator("form.ed-form")).to_have_count(1)
    return found


def add_item(page: Page, section: int, kind: str) -> Locator:
    adder = page.locator(f'section[id="s{section}"] form.add-item')
    adder.locator("select").select_option(kind)
    press(page, adder, MN("editor.add_item"))
    opened = page.locator(f'section[id="s{section}"] details.ed-item[open]')
    expect(opened).to_have_count(1)
    return opened


def write(where: Locator, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        where.locator(f'[name="{name}"]').fill(value)


def shoot(page: Page, name: str, query: str = "") -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    url = page.url
    for lang in ("mn", "en"):
        for width, height in ((360, 740), (1280, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url.split("#")[0].split("?")[0] + f"?lang={lang}{query}")
            tall = page.evaluate("document.documentElement.scrollHeight")
            # In screen-high pieces, so that each can be read at its size.
            for n, top in enumerate(range(0, min(tall, 6 * height), height)):
                clip = {"x": 0, "y": top, "width": width, "height": min(height, tall - top)}
                path = f"{SHOTS}/{name}-{lang}-{width}-{n}.png"
                page.screenshot(path=path, full_page=True, clip=clip)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url)


def answer_consent_and_code(where: Page | FrameLocator) -> None:
    """On the preview's first page: consent "yes" and a panel code, then Next."""
    where.get_by_label(RESPONDENT("consent_yes"), exact=True).check()
    where.get_by_label("Таны код").fill("АБ 07")
    next_button = where.get_by_role("button", name=RESPONDENT("next"), exact=True)
    if isinstance(where, Page):
        # On its own page: measured once loaded, stylesheets included.
        with where.expect_navigation():
            next_button.click()
    else:
        next_button.click()


def try_the_preview(page: Page, check_axe: Callable[[Page, str], None], editor_url: str) -> None:
    """At 1280 px the respondent's page stands beside the editor at phone width and follows a change; the
    condition on k_offer ("consent is yes") is tried by answering there. At 360 px the preview is one tap
    away, on a page of its own, and works the same."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(editor_url)
    frame_box = page.locator("#preview-frame")
    expect(frame_box).to_be_visible()
    editor_box, preview_box = page.locator("#editor").bounding_box(), frame_box.bounding_box()
    assert editor_box and preview_box
    assert 355 <= preview_box["width"] <= 365, preview_box
    assert preview_box["x"] >= editor_box["x"] + editor_box["width"], (editor_box, preview_box)
    frame = page.frame_locator("#preview-frame")
    expect(frame.get_by_text("Оролцохыг зөвшөөрч байна уу?")).to_be_visible()
    readable(page, check_axe, "the editor with its live preview, 1280 px")

    # The preview follows a change: the consent question reworded in the editor shows in the frame.
    consent = open_item(page, "s0.0")
    write(consent, {"text.mn": "Судалгаанд оролцохыг зөвшөөрч байна уу?"})
    press(page, consent, MN("editor.save"))
    expect(frame.get_by_text("Судалгаанд оролцохыг зөвшөөрч байна уу?")).to_be_visible()

    # The condition tried: k_offer is shown only after consent "yes"; page 2 has it.
    expect(frame.get_by_text("Хэт сайхан ажлын санал аюулгүй юу?")).to_have_count(0)
    answer_consent_and_code(frame)
    expect(frame.get_by_text("Хэт сайхан ажлын санал аюулгүй юу?")).to_be_visible()
    # A change made now keeps the researcher on page 2 with her answers.
    offer = open_item(page, "s1.0")
    write(offer, {"choice.0.label.mn": "Тийм, аюулгүй"})
    press(page, offer, MN("editor.save"))
    expect(frame.get_by_text("Тийм, аюулгүй")).to_be_visible()
    # "No" to consent ends it there, as for a respondent.
    frame.get_by_role("button", name=RESPONDENT("back"), exact=True).click()
    frame.get_by_label(RESPONDENT("consent_no"), exact=True).check()
    frame.get_by_role("button", name=RESPONDENT("next"), exact=True).click()
    expect(frame.get_by_text(RESPONDENT("thanks_declined"))).to_be_visible()
    shoot(page, "live-preview", "&open=s1.0")

    # On a phone the frame is not drawn: the editor keeps the whole width, the preview is one tap away.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(editor_url)
    expect(frame_box).to_be_hidden()
    with page.expect_navigation():
        page.get_by_role("link", name=MN("editor.preview"), exact=True).click()
    readable(page, check_axe, "the live preview on its own, 360 px")
    answer_consent_and_code(page)
    expect(page.get_by_text("Хэт сайхан ажлын санал аюулгүй юу?")).to_be_visible()
    readable(page, check_axe, "the live preview's second page, 360 px")
    shoot(page, "try")
    with page.expect_navigation():
        page.get_by_role("link", name=MN("try.back")).click()
    assert page.url.split("?")[0] == editor_url.split("?")[0]


def test_a_researcher_builds_previews_and_publishes_a_questionnaire_on_a_phone_in_mongolian(
    server: Server, new_page: Callable[..., Page], check_axe: Callable[[Page, str], None]
) -> None:
    server.create_user(EMAIL, "researcher")
    page = new_page(accept_downloads=True)
    sign_in(page, server, EMAIL)
    page.goto(f"{server.url}/console/questionnaires")
    with page.expect_navigation():
        page.get_by_role("link", name=MN("questionnaires.new")).click()
    readable(page, check_axe, "the new questionnaire page")
    shoot(page, "new")
    page.get_by_label(MN("editor.key"), exact=True).fill(KEY)
    page.get_by_label(MN("editor.title_in", language="Монгол")).fill("Хүний наймааны мэдлэг")
    page.get_by_label(MN("editor.title_in", language="English")).fill("Trafficking knowledge")
    with page.expect_navigation():
        page.get_by_role("button", name=MN("new.start"), exact=True).click()
    expect(page.locator(".editor-bar .state")).to_have_text(MN("editor.problems", count=1))
    editor_url = page.url
    readable(page, check_axe, "the editor of a blank draft")

    consent = add_item(page, 0, "consent")
    write(
        consent,
        {
            "key": "consent",
            "text.mn": "Оролцохыг зөвшөөрч байна уу?",
            "text.en": "Do you agree to take part?",
        },
    )
    press(page, consent, MN("editor.save"))
    code = add_item(page, 0, "panel_code")
    write(code, {"key": "code", "text.mn": "Таны код", "text.en": "Your code"})
    press(page, code, MN("editor.save"))

    press(page, page.locator('form[id="sections-end"]'), MN("editor.add_section"))
    choice = add_item(page, 1, "choice")
    write(
        choice,
        {
            "key": "k_offer",
            "text.mn": "Хэт сайхан ажлын санал аюулгүй юу?",
            "text.en": "Is a too-good job offer safe?",
            "choice.0.value": "yes",
            "choice.0.label.mn": "Тийм",
            "choice.0.label.en": "Yes",
            "choice.1.value": "no",
            "choice.1.label.mn": "Үгүй",
            "choice.1.label.en": "No",
        },
    )
    choice.locator("label.option", has_text=MN("editor.correct")).nth(1).click()
    # The condition builder offers the earlier consent item and its answers.
    choice.get_by_label(MN("editor.condition_pick")).select_option(
        label=MN("editor.if_answer", item="consent", answer=MN("editor.consent.yes"))
    )
    press(page, choice, MN("editor.save"))
    multi = add_item(page, 1, "multi")
    write(
        multi,
        {
            "key": "k_signs",
            "text.mn": "Аль нь аюулын дохио вэ?",
            "text.en": "Which are warning signs?",
            "choice.0.value": "passport",
            "choice.0.label.mn": "Паспортыг нь авах",
            "choice.0.label.en": "Keeping the passport",
            "choice.1.value": "contract",
            "choice.1.label.mn": "Гэрээ байгуулах",
            "choice.1.label.en": "Signing a contract",
        },
    )
    multi.locator("label.option", has_text=MN("editor.correct")).first.click()
    press(page, multi, MN("editor.save"))
    expect(page.locator('details[id="s1.1"] .field-problems')).to_have_count(0)

    scale = page.locator("#scales form.scale").last
    press(page, scale, MN("editor.add_scale"))
    statements = [
        ("a_help", "Би тусламж хүсч чадна", "I can ask for help"),
        ("a_report", "Би мэдээлж чадна", "I can report it"),
        ("a_shame", "Тусламж хүсэх нь ичмээр", "Asking for help is shameful"),
    ]
    for key, mn, en in statements:
        likert = add_item(page, 1, "likert")
        write(likert, {"key": key, "text.mn": mn, "text.en": en})
        if key == "a_shame":
            likert.locator("label.option", has_text=MN("editor.reverse")).click()
        press(page, likert, MN("editor.save"))

    def outcome(key: str, kind: str, mn: str, en: str, items: list[str]) -> None:
        form = page.locator("#outcomes form.outcome").last
        write(form, {"key": key, "label.mn": mn, "label.en": en})
        form.get_by_label(MN("editor.kind")).select_option(kind)
        for name in items:
            form.locator(f'label.option:has(input[name="item.{name}"])').click()
        press(page, form, MN("editor.add_outcome"))

    outcome("knowledge", "score", "Мэдлэг", "Knowledge", ["k_offer", "k_signs"])
    outcome("confidence", "scale", "Итгэл", "Confidence", ["a_help", "a_report", "a_shame"])
    expect(page.locator(".editor-bar .state")).to_have_text(MN("editor.ready"))
    open_item(page, "s1.0")
    readable(page, check_axe, "the editor of a whole questionnaire")
    shoot(page, "editor", "&open=s1.0")

    try_the_preview(page, check_axe, editor_url)

    with page.expect_navigation():
        page.get_by_role("link", name=MN("editor.all_pages")).click()
    expect(page.locator(".phone")).to_have_count(2)
    readable(page, check_axe, "the preview of the draft")
    shoot(page, "preview")
    page.goto(editor_url)

    with page.expect_navigation():
        page.get_by_role("link", name=MN("editor.publish")).click()
    readable(page, check_axe, "publishing version 1")
    with page.expect_navigation():
        page.get_by_role("button", name=MN("publish.confirm", key=KEY)).click()
    assert page.url.endswith(f"/console/questionnaires/{KEY}")

    page.goto(editor_url)
    offer = open_item(page, "s1.0")
    write(offer, {"text.mn": "Хэт сайхан ажлын санал үргэлж аюулгүй юу?"})
    press(page, offer, MN("editor.save"))
    with page.expect_navigation():
        page.get_by_role("link", name=MN("editor.publish")).click()
    expect(page.locator("main")).to_contain_text(MN("publish.breaking_effect", key="k_offer"))
    readable(page, check_axe, "publishing version 2, with its diff")
    shoot(page, "publish")
    page.locator("label.option", has_text=MN("publish.mark", key="k_offer")).click()
    with page.expect_navigation():
        page.get_by_role("button", name=MN("publish.confirm", key=KEY)).click()
    expect(page.locator("main")).to_contain_text(MN("version.number", version=2))

    shown = server.cli("forms", "show", KEY)
    built = yaml.safe_load(shown)
    assert "v2" in shown.splitlines()[0]
    items = {i["key"]: i for s in built["sections"] for i in s["items"]}
    assert list(items) == ["consent", "code", "k_offer", "k_signs", "a_help", "a_report", "a_shame"]
    assert items["k_offer"]["correct"] == "no" and items["k_offer"]["equivalent"] is True
    assert items["k_offer"]["show_if"] == "consent == 'yes'"
    assert items["k_signs"]["correct"] == ["passport"]
    assert items["a_shame"]["reverse"] is True and "reverse" not in items["a_help"]
    assert {k: o["kind"] for k, o in built["outcomes"].items()} == {
        "knowledge": "score",
        "confidence": "scale",
    }


def test_an_open_items_conditions_follow_a_key_changed_in_another_item(
    server: Server, new_page: Callable[..., Page]
) -> None:
    # Two items open at once: the later one's condition list names the earlier one's key. When the
    # earlier one is saved with a new key, the list of the one still open follows, without reopening
    # it, and what is typed in it stays.
    server.create_user("oyun@editor.example.org", "researcher")
    page = new_page()
    sign_in(page, server, "oyun@editor.example.org")
    page.goto(f"{server.url}/console/drafts/new")
    page.get_by_label(MN("editor.key"), exact=True).fill("cond_quiz")
    page.get_by_label(MN("editor.title_in", language="Монгол")).fill("Нөхцөл")
    page.get_by_label(MN("editor.title_in", language="English")).fill("Conditions")
    with page.expect_navigation():
        page.get_by_role("button", name=MN("new.start"), exact=True).click()
    consent = add_item(page, 0, "consent")
    write(consent, {"key": "consent", "text.mn": "Зөвшөөрөх үү?", "text.en": "Agree?"})
    press(page, consent, MN("editor.save"))
    press(page, page.locator('form[id="sections-end"]'), MN("editor.add_section"))
    later = add_item(page, 1, "text")
    write(later, {"key": "note", "text.mn": "Тэмдэглэл", "text.en": "Note"})
    press(page, later, MN("editor.save"))
    later = item(page, "s1.0")
    pick = later.get_by_label(MN("editor.condition_pick"))
    old = MN("editor.if_answer", item="consent", answer=MN("editor.consent.yes"))
    expect(pick.locator("option", has_text=old)).to_have_count(1)
    later.locator('[name="text.en"]').fill("A note, typed and not saved yet")

    earlier = open_item(page, "s0.0")
    write(earlier, {"key": "agree"})
    press(page, earlier, MN("editor.save"))
    new = MN("editor.if_answer", item="agree", answer=MN("editor.consent.yes"))
    expect(pick.locator("option", has_text=new)).to_have_count(1)
    expect(pick.locator("option", has_text=old)).to_have_count(0)
    expect(later.locator('[name="text.en"]')).to_have_value("A note, typed and not saved yet")
    assert page.evaluate(MEASURE) == []
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        later.locator("fieldset.condition").screenshot(path=f"{SHOTS}/conditions-follow-mn-360.png")
