"""The console's questionnaire pages on a questionnaire with the new features: the list of each text
shown in the default language for want of a translation (so that a translator can find it), in
Mongolian and in English, and the preview of piped texts and filtered lists."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.console.messages import CATALOGUE
from survey.db.questionnaires import publish
from survey.questionnaire.load import load_definition
from tests.helpers import english_left, sign_in_as, visible_text

FORM = Path(__file__).resolve().parents[1] / "unit" / "data" / "computed.yaml"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            ["Untranslated texts (2)", "adults · question", "English", "children · error message"],
        ),
        ("mn", ["Орчуулаагүй бичвэр (2)", "adults · асуулт", "children · алдааны мэдэгдэл"]),
    ],
)
async def test_the_questionnaire_page_lists_each_untranslated_text(
    lang: str, words: list[str], client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    text = FORM.read_text(encoding="utf-8")
    text = text.replace(', en: "How many adults live in your household?"', "")
    text = text.replace(
        '          en: "The number of children cannot be more than ten times the number of '
        'adults."\n',
        "",
    )
    await publish(db, load_definition(text))
    await sign_in_as(client, db, "admin", language=lang)
    page = await client.get("/console/questionnaires/computed")
    assert page.status_code == 200
    shown = visible_text(page.text)
    for word in words:
        assert word in shown, word
    # The Mongolian text respondents of English read instead is shown beside the place.
    assert "Танай өрхөд хэдэн насанд хүрэгч амьдардаг вэ?" in shown
    if lang == "mn":
        assert english_left(page.text, CATALOGUE) == []


async def test_a_fully_translated_questionnaire_has_no_such_list(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await publish(db, load_definition(FORM.read_text(encoding="utf-8")))
    await sign_in_as(client, db, "admin", language="en")
    page = await client.get("/console/questionnaires/computed")
    assert "Untranslated" not in page.text


async def test_the_preview_shows_piped_texts_as_written_and_every_choice(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await publish(db, load_definition(FORM.read_text(encoding="utf-8")))
    await sign_in_as(client, db, "admin", language="en")
    page = await client.get("/console/questionnaires/computed/versions/1?language=en")
    assert page.status_code == 200
    shown = visible_text(page.text)
    assert "Your household has ${household_size} people." in shown
    # The soum list is filtered for a respondent; the preview offers all 339 soums and districts.
    assert shown.count("Battsengel") == 1 and "Baganuur" in shown
