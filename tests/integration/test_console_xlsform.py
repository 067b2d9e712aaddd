"""The console's XLSForm upload: the import's report and the questionnaire before publishing, then publish.

The workbook is written by the test (xlsxwriter, through the helper of the importer's unit tests), so the
rows the report must name are known from its layout: the header is row 1, the first question row 2.
"""

from __future__ import annotations

import re
from html import unescape

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.console import auth
from survey.console.messages import CATALOGUE
from survey.console.questionnaires import MAX_UPLOAD_BYTES
from survey.db.questionnaires import get_version
from tests.helpers import (
    csrf_token,
    english_left,
    sign_in_as,
    table,
    text_of,
    visible_text,
    workbook,
    workbook_broken_by_the_importer,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EN, MN = "label::English (en)", "label::Mongolian (mn)"


def small_workbook() -> bytes:
    """Two questions we keep, two we cannot (rows 5 and 6), and a settings row with two notes."""
    header = ["type", "name", EN, MN, "calculation", "correct"]
    return workbook(
        {
            "survey": table(
                header,
                {"type": "begin_group", "name": "knowledge", EN: "Knowledge", MN: "Мэдлэг"},
                {
                    "type": "select_one yn",
                    "name": "k_offer",
                    EN: "Is a too-good offer safe?",
                    MN: "Хэт сайн санал аюулгүй юу?",
                    "correct": "no",
                },
                {"type": "integer", "name": "age", EN: "Your age?", MN: "Нас?"},
                {"type": "calculate", "name": "double", "calculation": "once(${age} * 2)"},
                {"type": "geopoint", "name": "where", EN: "Where are you?", MN: "Хаана?"},
                {"type": "end_group"},
            ),
            "choices": table(
                ["list_name", "name", EN, MN],
                {"list_name": "yn", "name": "yes", EN: "Yes", MN: "Тийм"},
                {"list_name": "yn", "name": "no", EN: "No", MN: "Үгүй"},
            ),
            "settings": table(
                ["form_id", "form_title", "version"],
                {"form_id": "tip_xls", "form_title": "Trafficking quiz", "version": "3"},
            ),
        }
    )


async def upload(
    client: AsyncTestClient, data: bytes, name: str = "tip.xlsx", *, csrf: bool = True
):
    form = {"_csrf_token": await csrf_token(client)} if csrf else {}
    return await client.post("/console/xlsform", data=form, files={"workbook": (name, data, XLSX)})


async def publish(client: AsyncTestClient, definition: str, *, csrf: bool = True):
    form = {"definition": definition}
    if csrf:
        form["_csrf_token"] = await csrf_token(client)
    return await client.post("/console/xlsform/publish", data=form)


def report_rows(html: str) -> list[tuple[str, str, str]]:
    """(sheet, row, message) of every line of the report table."""
    body = html.split('<table class="stack report">', 1)[1].split("</table>", 1)[0]
    cells = re.findall(
        r"<tr><th [^>]*>([^<]*)</th><td [^>]*>([^<]*)</td><td [^>]*>([^<]*)</td></tr>", body
    )
    return [(unescape(s), unescape(r), unescape(m)) for s, r, m in cells]


def hidden_definition(html: str) -> str:
    match = re.search(r'<input type="hidden" name="definition" value="([^"]*)">', html)
    assert match, "no publish form on the page"
    return unescape(match.group(1))


async def stored_versions(db: asyncpg.Connection) -> int:
    return await db.fetchval("SELECT count(*) FROM questionnaire_version")


async def test_a_researcher_previews_the_report_then_publishes(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    listing = await client.get("/console/questionnaires")
    assert 'href="/console/xlsform"' in listing.text
    assert (await client.get("/console/xlsform")).status_code == 200

    response = await upload(client, small_workbook())
    assert response.status_code == 200, response.text
    rows = report_rows(response.text)
    assert (
        "survey",
        "5",
        'calculate "double" skipped: "once(${age} * 2)": the function once() is not supported '
        "(at position 0)",
    ) in rows
    assert ("survey", "6", 'geopoint "where" skipped: survey asks for no locations') in rows
    assert [(s, r) for s, r, _ in rows] == [("settings", "2"), ("settings", "2"),
                                            ("survey", "5"), ("survey", "6")]  # fmt: skip
    assert any("version" in m and '"3"' in m for s, _, m in rows if s == "settings")
    text = text_of(response.text)
    assert "tip_xls" in text and "Trafficking quiz" in text and "2 questions in 1 sections" in text
    assert "k_offer" in text and "age" in text and "where" not in text.split("Import report")[0]
    assert "<details>" in response.text and "correct: &#39;no&#39;" in response.text
    assert await stored_versions(db) == 0, "nothing is published before the button is pressed"

    published = await publish(client, hidden_definition(response.text))
    assert published.status_code == 200, published.text
    assert "Published tip_xls version 1." in text_of(published.text)
    stored = await get_version(db, "tip_xls")
    assert stored.version == 1
    assert [i.key for i in stored.definition.items()] == ["k_offer", "age"]
    assert stored.definition.sections[0].items[0].correct == "no"
    assert stored.definition.title == {"en": "Trafficking quiz", "mn": "Trafficking quiz"}

    # The same workbook again: previewed again, and publishing it stores nothing new.
    again = await upload(client, small_workbook())
    unchanged = await publish(client, hidden_definition(again.text))
    assert unchanged.status_code == 200
    assert "tip_xls version 1 unchanged" in text_of(unchanged.text)
    assert await stored_versions(db) == 1


@pytest.mark.parametrize("role", ["viewer", "analyst"])
async def test_other_roles_are_refused(
    client: AsyncTestClient, db: asyncpg.Connection, role: str
) -> None:
    await sign_in_as(client, db, role)
    assert (await client.get("/console/xlsform")).status_code == 403
    assert (await upload(client, small_workbook())).status_code == 403
    definition = "key: x\nlanguages: [en]\ntitle: {en: X}\nsections: []\n"
    assert (await publish(client, definition)).status_code == 403
    if role == "analyst":
        assert "/console/xlsform" not in (await client.get("/console/questionnaires")).text
    assert await stored_versions(db) == 0


async def test_anonymous_requests_go_to_sign_in(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    page = await client.get("/console/xlsform")
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=/console/xlsform"
    # After a refused POST there is no page to come back to: the sign-in starts from the console.
    posted = await upload(client, small_workbook())
    assert posted.status_code == 303 and posted.headers["location"] == "/sign-in"
    assert await stored_versions(db) == 0


async def test_a_corrupt_file_is_reported_on_the_page(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    response = await upload(client, b"PK\x03\x04 this is no workbook", name="<broken>.xlsx")
    assert response.status_code == 400
    text = text_of(response.text)
    assert CATALOGUE.translate("problem.workbook_unreadable", "en") in text
    assert "not a readable workbook (.xlsx" not in text  # the command line's words
    assert "<broken>" not in response.text, "the file name is escaped"
    assert 'name="definition"' not in response.text

    missing = await client.post("/console/xlsform", data={"_csrf_token": await csrf_token(client)})
    assert missing.status_code == 400
    assert "Choose a workbook (.xlsx) to upload." in text_of(missing.text)


async def test_uploads_over_the_limit_get_413_with_a_message(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    message = CATALOGUE.translate(
        "error.upload_too_large", "mn", megabytes=MAX_UPLOAD_BYTES // 10**6
    )
    # Just over the limit (the handler measures the file) and far over it (the body limit stops it).
    for size in (MAX_UPLOAD_BYTES + 1, MAX_UPLOAD_BYTES + 1_000_000):
        response = await upload(client, b"x" * size)
        assert response.status_code == 413, size
        assert message in text_of(response.text)


async def test_without_the_csrf_token_nothing_happens(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    await csrf_token(client)  # the cookie is there; the form lacks the token
    assert (await upload(client, small_workbook(), csrf=False)).status_code == 403
    preview = await upload(client, small_workbook())
    refused = await publish(client, hidden_definition(preview.text), csrf=False)
    assert refused.status_code == 403
    assert await stored_versions(db) == 0


async def test_a_tampered_definition_is_validated_again(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher")
    preview = await upload(client, small_workbook())
    definition = hidden_definition(preview.text)
    assert "correct: 'no'" in definition
    tampered = definition.replace("correct: 'no'", "correct: maybe")
    response = await publish(client, tampered)
    assert response.status_code == 400
    text = text_of(response.text)
    # Said in the page's language (Mongolian), beside its place in the definition.
    assert "«maybe» гэсэн утга хариултын сонголтуудад алга байна" in text
    assert "sections[0].items[0].correct" in text and "is not one of the choices" not in text
    assert (await publish(client, "key: [unclosed")).status_code == 400
    assert (await publish(client, "")).status_code == 400
    assert await stored_versions(db) == 0
    assert auth.SESSION_COOKIE in client.cookies, "still signed in: a refusal, not a sign-out"


# -- a broken workbook, said in the reader's language ----------------------------------------------------


def broken_for_the_loader() -> bytes:
    """Imported whole, then refused by the loader: row 2's correct answer is no choice, row 3's bounds
    are the wrong way round."""
    return workbook(
        {
            "survey": table(
                ["type", "name", EN, MN, "correct", "constraint"],
                {
                    "type": "select_one yn",
                    "name": "k_offer",
                    EN: "Safe?",
                    MN: "Аюулгүй юу?",
                    "correct": "maybe",
                },
                {"type": "integer", "name": "age", EN: "Age?", MN: "Нас?"},
            ),
            "choices": table(
                ["list_name", "name", EN, MN],
                {"list_name": "yn", "name": "yes", EN: "Yes", MN: "Тийм"},
                {"list_name": "yn", "name": "no", EN: "No", MN: "Үгүй"},
            ),
        }
    )


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            workbook_broken_by_the_importer,
            [
                ("xlsform_type_unknown", {"type_written": "slider"}, "«survey» хуудас, мөр: 3"),
                ("xlsform_choice_no_label", {"value": "no"}, "«choices» хуудас, мөр: 3"),
            ],
        ),
        (
            broken_for_the_loader,
            [
                (
                    "not_a_choice",
                    {"value": "maybe", "choices": "yes, no"},
                    "«survey» хуудас, мөр: 2 · correct",
                ),
            ],
        ),
    ],
)
async def test_a_broken_workbook_is_said_in_mongolian_at_its_sheet_and_row(
    client: AsyncTestClient, db: asyncpg.Connection, data, said
) -> None:
    await sign_in_as(client, db, "researcher")
    response = await upload(client, data(), name="broken.xlsx")
    assert response.status_code == 400
    html = response.text
    # The places are shown as code: a column of the workbook ("correct") is the researcher's own word.
    assert english_left(re.sub(r"<code\b[^>]*>.*?</code>", "", html, flags=re.S), CATALOGUE) == []
    shown = visible_text(html)
    for code, params, where in said:
        assert f"{CATALOGUE.translate(f'problem.{code}', 'mn', **params)} {where}" in shown, code
    # The importer's English lines (what `survey forms import-xlsform` prints) are not on the page.
    for english in ("unknown question type", "has no label", "is not one of the choices", "sheet"):
        assert english not in shown, english
    assert 'lang="en"' not in html.split("<main", 1)[1]
    assert await stored_versions(db) == 0


async def test_the_same_workbook_in_english_says_english_sentences(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await sign_in_as(client, db, "researcher", language="en")
    response = await upload(client, workbook_broken_by_the_importer(), name="broken.xlsx")
    shown = visible_text(response.text)
    said = CATALOGUE.translate("problem.xlsform_type_unknown", "en", type_written="slider")
    assert f"{said} survey sheet, row 3" in shown
