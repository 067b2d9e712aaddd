"""The respondent form with a cascading list, a calculated value, piped text and a constraint message.

Plain form posts, as a browser without JavaScript sends them (and the same with htmx's header), in
Mongolian and in English, through the real app and database. The questionnaire is
tests/unit/data/computed.yaml: aimag → soum from the shipped lists, household size calculated from two
answers, piped into a note and deciding whether a question is shown.
"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.collect.messages import CATALOGUE
from tests.helpers import (
    Form,
    english_left,
    follow,
    open_wave,
    read_page,
    send,
    start,
    stored,
    visible_text,
)

FORM = Path(__file__).resolve().parents[1] / "unit" / "data" / "computed.yaml"

WORDS = {
    "mn": {
        "soum": "Батцэнгэл",
        "other_aimag_soum": "Баганур",
        "constraint": "Хүүхдийн тоо насанд хүрэгчдийн тооноос арав дахин их байж болохгүй.",
        "note": "Танай өрх 7 хүнтэй. Баг, хороо: &lt;b&gt;3-р баг&lt;/b&gt;.",
        "piped_question": "Батцэнгэл сум, дүүрэгт олон хүнтэй өрхөд туслах үйлчилгээ байдаг уу?",
    },
    "en": {
        "soum": "Battsengel",
        "other_aimag_soum": "Baganuur",
        "constraint": "The number of children cannot be more than ten times the number of adults.",
        "note": "Your household has 7 people. Bag or khoroo: &lt;b&gt;3-р баг&lt;/b&gt;.",
        "piped_question": "Is there help for large households in Battsengel?",
    },
}


async def post(client: AsyncTestClient, form, answers, htmx: bool):
    return await send(client, form, answers, htmx=htmx)


def selected(form: Form, name: str) -> list[str]:
    return [c.value for c in form.controls if c.name == name and c.checked]


async def next_page(client: AsyncTestClient, sent, htmx: bool):
    """The page after a successful send: a 303 without htmx, the next form area itself with htmx."""
    if not htmx:
        return await follow(client, sent)
    assert sent.status_code == 200, sent.text
    assert "<html" not in sent.text
    return read_page(sent.text)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("lang", ["mn", "en"])
async def test_cascade_calculation_piping_and_constraint(
    lang: str, htmx: bool, db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    words = WORDS[lang]
    wave = await open_wave(db, FORM)
    form = await start(client, wave, lang)
    # The soum list depends on the aimag: it is on the next page, so no script is needed to filter it.
    assert form.names() == ["aimag"]
    assert len(form.options("aimag")) == 22

    sent = await post(client, form, {"aimag": ["65"]}, htmx)
    form = await next_page(client, sent, htmx)
    assert form.names() == ["soum"]
    page = await client.get(form.action)
    offered = form.options("soum")
    assert len(offered) == 19  # Arkhangai's soums only
    assert words["soum"] in visible_text(page.text)
    assert words["other_aimag_soum"] not in visible_text(page.text)

    # A soum of another aimag, sent by hand, is refused beside the field.
    sent = await post(client, form, {"soum": ["1101"]}, htmx)
    assert sent.status_code == 422
    assert selected(read_page(sent.text), "soum") == []

    sent = await post(client, form, {"soum": ["6504"]}, htmx)
    form = await next_page(client, sent, htmx)
    assert form.names() == ["adults", "children", "place_name"]

    # The constraint's own message, in the page's language, with what was typed kept.
    typed = {"adults": ["1"], "children": ["11"], "place_name": ["<b>3-р баг</b>"]}
    sent = await post(client, form, typed, htmx)
    assert sent.status_code == 422
    again = read_page(sent.text)
    assert again.values("children") == ["11"]
    assert again.values("place_name") == ["<b>3-р баг</b>"]
    error_at = sent.text.index('id="q-children-error"')
    assert words["constraint"] in sent.text[error_at : error_at + 400]
    (row,) = await stored(db, wave)
    assert "children" not in row["answers"]

    typed["adults"] = ["2"]
    typed["children"] = ["5"]
    sent = await post(client, form, typed, htmx)
    form = await next_page(client, sent, htmx)
    page = await client.get(form.action)
    html = page.text
    # The calculated household size (2 + 5) is piped into the note, the typed text escaped, and it
    # shows the question for large households, whose text pipes the soum's label.
    assert words["note"] in html
    assert "<b>3-р баг</b>" not in html
    assert form.names() == ["large_help"]
    assert words["piped_question"] in visible_text(html)
    if lang == "mn":
        assert english_left(html, CATALOGUE) == []
    (row,) = await stored(db, wave)
    assert row["answers"]["soum"] == "6504"
    # A calculated value is never stored: it is computed from the answers whenever needed.
    assert "household_size" not in row["answers"]


@pytest.mark.parametrize("lang", ["mn", "en"])
async def test_a_calculated_value_in_a_condition_hides_a_question(
    lang: str, db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, FORM)
    form = await start(client, wave, lang)
    form = await follow(client, await send(client, form, {"aimag": ["65"]}))
    form = await follow(client, await send(client, form, {"soum": ["6504"]}))
    sent = await send(client, form, {"adults": ["2"], "children": ["1"]})
    done = await client.get(sent.headers["location"])
    # household_size is 3, under 6: the question for large households (and the note beside it) is
    # not shown, and this page was the last.
    assert read_page(done.text).names() == []
    assert WORDS[lang]["piped_question"] not in visible_text(done.text)
    (row,) = await stored(db, wave)
    assert row["status"] == "complete"
    assert "large_help" not in row["answers"]


async def test_changing_the_aimag_clears_a_soum_no_longer_offered(
    db: asyncpg.Connection, client: AsyncTestClient
) -> None:
    wave = await open_wave(db, FORM)
    form = await start(client, wave, "en")
    first = form
    form = await follow(client, await send(client, form, {"aimag": ["65"]}))
    form = await follow(client, await send(client, form, {"soum": ["6504"]}))
    # Back on the first page, another aimag: the soum page offers that aimag's soums, none chosen.
    form = await follow(client, await send(client, first, {"aimag": ["11"]}))
    assert form.names() == ["soum"]
    assert len(form.options("soum")) == 9  # Ulaanbaatar's districts
    assert selected(form, "soum") == []
