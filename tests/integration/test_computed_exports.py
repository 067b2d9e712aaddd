"""Exports and the report of a campaign whose questionnaire has a cascading list, a calculated value,
piped text and a constraint (tests/unit/data/computed.yaml).

The exports carry the answers, never a calculated value: it is computed from the exported answers by
the definition (docs/questionnaire-format.md, *Calculated values*); the codebook gives each item as
usual, the soum list with all its choices.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import asyncpg

from survey import exports
from survey.exports.codebook import codebook_json
from survey.reports.data import campaign_report
from tests.helpers import add_response, open_wave

FORM = Path(__file__).resolve().parents[1] / "unit" / "data" / "computed.yaml"
PAGES = ("place", "place.2", "household", "support")


async def test_exports_and_report_of_a_questionnaire_with_the_new_features(
    db: asyncpg.Connection, tmp_path: Path
) -> None:
    pre = await open_wave(db, FORM, campaign="households", phase="pre")
    post = await open_wave(db, FORM, campaign="households", phase="post")
    answers = [
        {"aimag": "65", "soum": "6504", "adults": 2, "children": 5, "place_name": "3-р баг",
         "large_help": "yes"},
        {"aimag": "11", "soum": "1101", "adults": 3, "children": 0},
    ]  # fmt: skip
    for wave in (pre, post):
        for given in answers:
            await add_response(db, wave, given, pages=PAGES)
    plan = await exports.plan_export(db, "households")
    chunks = [chunk async for chunk in exports.csv_chunks(db, plan)]
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8"))))
    assert len(rows) == 4
    assert {"aimag", "soum", "adults", "children", "place_name", "large_help"} <= set(rows[0])
    assert "household_size" not in rows[0]
    assert {row["soum"] for row in rows} == {"6504", "1101"}
    book = codebook_json(plan).decode("utf-8")
    assert "Батцэнгэл" in book and "household_size" not in book
    assert await exports.write_xlsx(db, plan, tmp_path / "out.xlsx") == 4
    assert await exports.write_sav(db, plan, tmp_path / "out.sav") == 4
    report = await campaign_report(db, "households")
    assert report is not None
