"""Exports: CSV, Excel, SPSS and the codebook of a campaign whose waves use two questionnaire versions.

The expected outcome scores are worked out by hand beside each response, from the rules in
docs/questionnaire-format.md (*Outcomes*): a score is the share of the outcome's knowledge items answered
correctly (a multi item with partial scoring counts the share of its choices classified right), a scale
is the mean of its Likert items after reverse-coding (points + 1 − x) when at least half are answered,
and a proportion is 1 when the answer is the declared value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from pathlib import Path

import asyncpg
import msgspec
import openpyxl
import pyreadstat
import pytest
from litestar.testing import AsyncTestClient

from survey import exports
from survey.db import accounts as accounts_db
from survey.errors import NotFound
from survey.exports import rows as export_rows
from survey.exports.csv import neutralise
from tests.helpers import (
    T0,
    Study,
    add_response,
    make_study,
    public_id,
    sign_in_as,
)
from tests.helpers import (
    post_console_form as post_form,
)

META = ["response_id", "wave", "phase", "arm", "version", "language", "started_at", "submitted_at",
        "status", "channel", "enumerator", "review"]  # fmt: skip
ITEMS = [
    "consent", "age", "aimag", "visit", "k_offer", "k_hotline", "k_signs/passport", "k_signs/debt",
    "k_signs/contract", "k_signs/isolation", "a_help", "a_shame", "comment",
]  # fmt: skip
OUTCOMES = ["outcome_help_seeking", "outcome_hotline", "outcome_knowledge"]
TRICKY = '=1+1, "quoted"\nand a new line'


class Data(msgspec.Struct):
    study: Study
    ids: dict[str, uuid.UUID]
    answers: dict[str, dict]


async def fill(db: asyncpg.Connection, study: Study) -> Data:
    answers = {
        # knowledge: k_offer right (1); k_signs {passport} of passport, debt, contract with passport and
        # debt correct: passport right, debt wrong, contract right = 2/3. (1 + 2/3) / 2 = 5/6.
        # help_seeking: a_help 4, a_shame 2 reversed = 6 - 2 = 4: mean 4.
        "r1": {"consent": "yes", "age": 20, "aimag": "ub", "visit": "2027-02-01", "k_offer": "no",
               "k_signs": ["passport"], "a_help": 4, "a_shame": 2, "comment": TRICKY},
        # knowledge: dk is wrong (0); nothing selected: only contract right = 1/3. (0 + 1/3) / 2 = 1/6.
        # help_seeking: one of two answered (0.5, enough): 5.
        "r2": {"consent": "yes", "age": 25, "aimag": "darkhan", "k_offer": "dk", "k_signs": [],
               "a_help": 5},
        "r3": {"consent": "yes", "age": 19},
        "r4": {"consent": "no"},
        # Version 2. knowledge: k_offer right (1); k_signs {passport, debt, isolation} of four choices:
        # passport, debt, contract right, isolation wrong = 3/4. (1 + 3/4) / 2 = 7/8.
        # hotline: yes = 1. help_seeking: a_help 2, a_shame 5 reversed = 1: mean 1.5.
        "r5": {"consent": "yes", "k_offer": "no", "k_hotline": "yes",
               "k_signs": ["passport", "debt", "isolation"], "a_help": 2, "a_shame": 5},
        # knowledge: k_offer unanswered counts as not correct (0); k_signs {debt}: debt, contract,
        # isolation right = 3/4. (0 + 3/4) / 2 = 3/8. hotline: no = 0. help_seeking: none answered.
        "r6": {"consent": "yes", "k_hotline": "no", "k_signs": ["debt"]},
    }  # fmt: skip
    waves = {"r1": study.pre, "r2": study.pre, "r3": study.pre, "r4": study.pre,
             "r5": study.post, "r6": study.post}  # fmt: skip
    statuses = {"r3": "in_progress", "r4": "declined"}
    ids = {}
    for n, (name, given) in enumerate(answers.items()):
        stored_id = await add_response(
            db,
            waves[name],
            given,
            status=statuses.get(name, "complete"),
            language="mn" if name == "r1" else "en",
            started_at=T0 + dt.timedelta(hours=n),
            minutes=12,
        )
        ids[name] = uuid.UUID(await public_id(db, stored_id))
    return Data(study=study, ids=ids, answers=answers)


EXPECTED_SCORES = {
    "r1": {"outcome_knowledge": 5 / 6, "outcome_help_seeking": 4.0, "outcome_hotline": None},
    "r2": {"outcome_knowledge": 1 / 6, "outcome_help_seeking": 5.0, "outcome_hotline": None},
    "r5": {"outcome_knowledge": 7 / 8, "outcome_help_seeking": 1.5, "outcome_hotline": 1.0},
    "r6": {"outcome_knowledge": 3 / 8, "outcome_help_seeking": None, "outcome_hotline": 0.0},
}


@pytest.fixture(name="data")
async def data_fixture(db: asyncpg.Connection) -> Data:
    return await fill(db, await make_study(db))


async def export_csv(db, **options) -> tuple[list[str], dict[str, dict[str, str]]]:
    plan = await exports.plan_export(db, "tip", **options)
    chunks = [chunk async for chunk in exports.csv_chunks(db, plan)]
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8"))))
    return rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


async def test_csv_has_the_version_column_and_the_union_of_items(db, data: Data) -> None:
    header, rows = await export_csv(db)
    assert header == META + ITEMS + OUTCOMES
    ids = {name: str(i) for name, i in data.ids.items()}
    # Complete responses only, by default.
    assert set(rows) == {ids["r1"], ids["r2"], ids["r5"], ids["r6"]}
    r1, r2, r5, r6 = (rows[ids[n]] for n in ("r1", "r2", "r5", "r6"))
    assert (r1["wave"], r1["phase"], r1["arm"], r1["version"], r1["language"]) == (
        "tip-pre", "pre", "campaign", "1", "mn",
    )  # fmt: skip
    assert (r5["wave"], r5["phase"], r5["version"]) == ("tip-post", "post", "2")
    assert r1["started_at"] == "2027-03-01T08:00:00+00:00"
    assert r1["submitted_at"] == "2027-03-01T08:12:00+00:00" and r1["status"] == "complete"
    # Answers as stored; a multi-choice item as 0/1 per choice; empty where the version lacks the item
    # (k_hotline) or the choice (isolation), or nothing was answered.
    assert [r1[k] for k in ITEMS] == [
        "yes", "20", "ub", "2027-02-01", "no", "", "1", "0", "0", "", "4", "2", "'" + TRICKY,
    ]  # fmt: skip
    assert [r2[k] for k in ("visit", "k_signs/passport", "k_signs/debt", "a_shame", "comment")] == [
        "", "0", "0", "", "",
    ]  # fmt: skip
    assert [r5[k] for k in ITEMS[4:10]] == ["no", "yes", "1", "1", "0", "1"]
    assert [r6[k] for k in ("k_offer", "k_signs/passport", "k_signs/debt", "k_signs/isolation")] == [
        "", "0", "1", "0",
    ]  # fmt: skip
    for name, expected in EXPECTED_SCORES.items():
        row = rows[ids[name]]
        for column, value in expected.items():
            if value is None:
                assert row[column] == "", (name, column)
            else:
                assert float(row[column]) == pytest.approx(value), (name, column)
    assert "panel_key" not in header


async def test_partial_responses_on_request_and_one_wave(db, data: Data) -> None:
    _, rows = await export_csv(db, include_partial=True)
    assert {rows[str(data.ids[n])]["status"] for n in ("r3", "r4")} == {"in_progress", "declined"}
    assert rows[str(data.ids["r3"])]["submitted_at"] == ""
    assert len(rows) == 6
    header, post = await export_csv(db, wave="tip-post")
    assert set(post) == {str(data.ids["r5"]), str(data.ids["r6"])}
    # Only version 2 is used: k_signs has its four choices, and the hotline item exists.
    assert "k_hotline" in header and "k_signs/isolation" in header
    with pytest.raises(NotFound, match='no wave "nope"'):
        await exports.plan_export(db, "tip", wave="nope")


async def test_panel_designs_carry_a_pair_id_never_the_panel_key(db) -> None:
    study = await make_study(db, key="pan", design="panel")
    linked = [
        await add_response(db, study.pre, {"consent": "yes"}, panel_key="a" * 64),
        await add_response(db, study.post, {"consent": "yes"}, panel_key="a" * 64),
    ]
    alone = await add_response(db, study.pre, {"consent": "yes"}, panel_key="b" * 64)
    await add_response(db, study.post, {}, status="in_progress", panel_key="b" * 64)
    plan = await exports.plan_export(db, "pan", include_partial=True)
    text = b"".join([c async for c in exports.csv_chunks(db, plan)]).decode()
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[: len(META) + 1] == [*META, "pair_id"]
    pairs = {row[0]: row[len(META)] for row in rows}
    first, second = [pairs[await public_id(db, r)] for r in linked]
    assert first == second and uuid.UUID(first)
    # Unmatched, or not complete: no pair id. The panel key appears nowhere.
    assert pairs[await public_id(db, alone)] == "" and sorted(pairs.values()).count("") == 2
    assert "a" * 64 not in text and "b" * 64 not in text


async def test_xlsx_round_trip(db, data: Data, tmp_path: Path) -> None:
    path = tmp_path / "tip.xlsx"
    plan = await exports.plan_export(db, "tip")
    assert await exports.write_xlsx(db, plan, path) == 4
    header, rows = await export_csv(db)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["responses", "codebook"]
    sheet = book["responses"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == header
    assert len(values) == 5
    for line in values[1:]:
        expected = rows[line[0]]
        for name, cell in zip(header, line, strict=True):
            if name in ("started_at", "submitted_at"):
                # Excel has no time zones: UTC, as the codebook says.
                assert cell == dt.datetime.fromisoformat(expected[name]).replace(tzinfo=None)
            elif isinstance(cell, (int, float)):
                assert cell == pytest.approx(float(expected[name])), name
            elif name == "comment" and cell:
                # The CSV guards free text against formulas with a '; Excel keeps it as typed.
                assert "'" + cell == expected[name], name
            else:
                assert (cell or "") == expected[name], name
    # Nothing typed by a respondent becomes a formula.
    tricky = [c for c in sheet[2] + sheet[3] + sheet[4] + sheet[5] if c.value == TRICKY]
    assert len(tricky) == 1 and tricky[0].data_type == "s"
    codebook = [r for r in book["codebook"].iter_rows(values_only=True)]
    assert codebook[0][:3] == ("item", "type", "section")
    assert [r[0] for r in codebook[1:]] == [
        "consent", "age", "aimag", "visit", "k_offer", "k_hotline", "k_signs", "a_help", "a_shame",
        "comment", *OUTCOMES,
    ]  # fmt: skip


async def test_sav_round_trip_with_labels(db, data: Data, tmp_path: Path) -> None:
    path = tmp_path / "tip.sav"
    plan = await exports.plan_export(db, "tip", language="en")
    assert await exports.write_sav(db, plan, path) == 4
    df, meta = pyreadstat.read_sav(str(path))
    names = {c.name: c.spss_name for c in plan.columns}
    assert list(df.columns) == [names[c] for c in META + ITEMS + OUTCOMES]
    assert names["k_signs/passport"] == "k_signs_passport"
    # Every variable label starts with the original column name.
    for original, spss in names.items():
        assert meta.column_names_to_labels[spss].split(": ")[0] == original
    assert meta.column_names_to_labels["k_signs_passport"] == (
        "k_signs/passport: Which are warning signs? [Keeping the passport]"
    )
    labels = meta.variable_value_labels
    assert labels["aimag"] == {1: "Ulaanbaatar", 2: "Darkhan"}
    assert labels["k_offer"] == {1: "Yes", 2: "No", 3: "Don't know"}
    assert labels["consent"] == {1: "yes", 0: "no"}
    assert labels["a_help"][5] == "Strongly agree" and len(labels["a_help"]) == 5
    assert labels["k_signs_isolation"] == {0: "not selected", 1: "selected"}

    # The values match the database once the codes are read through the codebook.
    codes = {e.item: {c.code: c.value for c in e.choices} for e in exports.codebook(plan).entries}
    by_id = {row["response_id"]: row for row in df.to_dict("records")}
    assert set(by_id) == {str(data.ids[n]) for n in ("r1", "r2", "r5", "r6")}
    stored = {
        str(r["public_id"]): r
        for r in await db.fetch("SELECT public_id, answers, started_at, submitted_at FROM response")
    }
    for response_id, row in by_id.items():
        answers = stored[response_id]["answers"]
        assert row["started_at"] == stored[response_id]["started_at"].replace(tzinfo=None)
        assert row["submitted_at"] == stored[response_id]["submitted_at"].replace(tzinfo=None)
        for item in ("aimag", "k_offer", "k_hotline"):
            value = row[item]
            got = None if value != value else codes[item][int(value)]  # NaN: missing
            assert got == answers.get(item), (response_id, item)
        assert (row["age"] if row["age"] == row["age"] else None) == answers.get("age")
        if "visit" in answers:
            assert row["visit"] == dt.date.fromisoformat(answers["visit"])
    r1 = by_id[str(data.ids["r1"])]
    assert (r1["k_signs_passport"], r1["k_signs_debt"]) == (1, 0)
    assert r1["k_signs_isolation"] != r1["k_signs_isolation"]  # not asked in version 1
    assert r1["consent"] == 1 and r1["comment"] == TRICKY and r1["version"] == 1
    assert r1["outcome_knowledge"] == pytest.approx(5 / 6)


async def test_sav_labels_default_to_the_first_language(db, data: Data, tmp_path: Path) -> None:
    plan = await exports.plan_export(db, "tip")
    await exports.write_sav(db, plan, tmp_path / "mn.sav")
    _, meta = pyreadstat.read_sav(str(tmp_path / "mn.sav"), metadataonly=True)
    assert meta.variable_value_labels["aimag"] == {1: "Улаанбаатар", 2: "Дархан"}


def test_spss_names_are_valid_and_unique() -> None:
    names = exports.spss_names(
        ["k_signs/passport", "to", "BY", "1st", "_x", "a" * 80, "a" * 80, "K_SIGNS/PASSPORT", "é-è",
         "ends.", "ok.name@x"]
    )  # fmt: skip
    assert names[:5] == ["k_signs_passport", "to_", "BY_", "v1st", "v_x"]
    assert len(names[5]) == 64 and len(names[6]) == 64 and names[5] != names[6]
    assert names[7] == "K_SIGNS_PASSPORT_2"  # SPSS names ignore case
    assert names[8] == "v___" and names[9] == "ends" and names[10] == "ok.name@x"
    assert len({n.upper() for n in names}) == len(names)
    for name in names:
        assert name[0].isalpha() and name.isascii() and len(name.encode()) <= 64
        assert all(c.isalnum() or c in "_.@" for c in name) and not name.endswith(".")


async def test_codebook_lists_texts_choices_fingerprints_and_versions(db, data: Data) -> None:
    plan = await exports.plan_export(db, "tip")
    book = msgspec.json.decode(exports.codebook_json(plan))
    entries = {e["item"]: e for e in book["entries"]}
    fingerprints = {
        r["version"]: r["fingerprints"]
        for r in await db.fetch("SELECT version, fingerprints FROM questionnaire_version")
    }
    signs = entries["k_signs"]
    assert signs["versions"] == [1, 2]
    assert signs["fingerprints"] == {
        "1": fingerprints[1]["k_signs"],
        "2": fingerprints[2]["k_signs"],
    }
    assert signs["fingerprint"] == fingerprints[2]["k_signs"] != fingerprints[1]["k_signs"]
    assert [c["value"] for c in signs["choices"]] == ["passport", "debt", "contract", "isolation"]
    assert signs["correct"] == ["passport", "debt"] and signs["type"] == "multi"
    assert signs["text"] == {"mn": "Аюулын дохио?", "en": "Which are warning signs?"}
    assert entries["k_hotline"]["versions"] == [2]
    assert entries["outcome_hotline"]["type"] == "outcome:proportion"
    assert book["waves"] == [
        {"key": "tip-pre", "phase": "pre", "arm": "campaign", "version": 1},
        {"key": "tip-post", "phase": "post", "arm": "campaign", "version": 2},
    ]
    table = list(csv.DictReader(io.StringIO(exports.codebook_csv(plan).decode())))
    aimag = next(r for r in table if r["item"] == "aimag")
    assert aimag["choices"] == "ub|darkhan" and aimag["choice_labels_en"] == "Ulaanbaatar|Darkhan"
    assert aimag["text_mn"] == "Аймаг" and aimag["versions"] == "1 2"
    assert next(r for r in table if r["item"] == "a_help")["choice_labels_en"].startswith(
        "Strongly disagree|"
    )


def _as_text(value: object) -> object:
    """A typed cell as the CSV writes it: times in UTC to the second, the rest as the csv module does."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return value


async def test_csv_is_byte_for_byte_the_typed_rows_written_as_text(db, data: Data) -> None:
    # The CSV reads cells PostgreSQL made text (export_cells) and pipelines the batches; the Excel and
    # SPSS files read decoded answers (typed_batches). Written out with the csv module, with the
    # formula guard on free text, the typed rows must give the very same bytes: every item type,
    # unanswered items, multi choices, markup, formula-like text, and numbers that look like formulas.
    for n, comment in enumerate(["@SUM(A1)", "-5 kg", "\tx", "+1", "<b>bold</b> & 'x'", "\rr", ""]):
        await add_response(
            db,
            data.study.post,
            {"consent": "yes", "age": -3 if n == 1 else 18 + n, "k_signs": ["debt", "passport"],
             "comment": comment, "a_help": 3},
            started_at=T0 + dt.timedelta(days=1, minutes=n),
        )  # fmt: skip
    # A response to the older version in the newer version's wave: a batch of two versions.
    await add_response(
        db,
        data.study.post,
        {"consent": "yes", "age": 20, "k_signs": ["contract"], "comment": "v1, in the post wave"},
        started_at=T0 + dt.timedelta(days=1, minutes=30),
        version_id=data.study.v1_id,
    )
    plan = await exports.plan_export(db, "tip")
    got = b"".join([chunk async for chunk in exports.csv_chunks(db, plan)])

    free_text = {
        n
        for n, column in enumerate(plan.columns)
        if column.kind == "item" and any(i.key == column.key and i.free_text for i in plan.items)
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in plan.columns])
    async with export_rows.Snapshot(db, plan) as snapshot:
        async for batch in export_rows.typed_batches(db, plan, None, snapshot.total):
            for row in batch:
                cells = [_as_text(v) for v in row]
                for n in free_text:
                    text = cells[n]
                    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        cells[n] = "'" + text  # OWASP, "CSV Injection"
                writer.writerow(cells)
    expected = buffer.getvalue().encode()
    assert b"'@SUM(A1)" in expected and b",-3," in expected  # the case is what it says
    assert b'"v1, in the post wave"' in expected
    assert got == expected


async def test_csv_is_streamed_in_batches(db) -> None:
    study = await make_study(db)
    n = 2 * exports.BATCH + 500
    # COPY sends binary rows: jsonb's binary form is a version byte, then the text.
    await db.set_type_codec(
        "jsonb",
        encoder=lambda value: b"\x01" + msgspec.json.encode(value),
        decoder=lambda data: msgspec.json.decode(data[1:]),
        schema="pg_catalog",
        format="binary",
    )
    records = [
        (uuid.uuid4(), study.pre.id, study.pre.version_id, "en", "complete", {"age": i})
        for i in range(n)
    ]
    await db.copy_records_to_table(
        "response",
        records=records,
        columns=["id", "wave_id", "version_id", "language", "status", "answers"],
    )
    plan = await exports.plan_export(db, "tip")
    seen: list[tuple[int, int]] = []
    chunks = [
        c async for c in exports.csv_chunks(db, plan, progress=lambda d, t: seen.append((d, t)))
    ]
    # One chunk per batch of rows (the header travels with the first).
    assert len(chunks) == 3
    assert seen == [(exports.BATCH, n), (2 * exports.BATCH, n), (n, n)]
    lines = b"".join(chunks).decode().splitlines()
    assert len(lines) == n + 1
    assert sorted(
        int(line.split(",")[ITEMS.index("age") + len(META)]) for line in lines[1:]
    ) == list(range(n))


async def test_console_downloads_are_logged(client: AsyncTestClient, db, data: Data) -> None:
    analyst = await sign_in_as(client, db, "analyst")
    download = await post_form(client, "/console/campaigns/tip/export", {"format": "csv"})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert 'attachment; filename="tip-' in download.headers["content-disposition"]
    assert download.text.splitlines()[0] == ",".join(META + ITEMS + OUTCOMES)
    sav = await post_form(
        client,
        "/console/campaigns/tip/export",
        {"format": "sav", "wave": "tip-post", "include_partial": "on", "language": "en"},
    )
    assert sav.status_code == 200 and sav.content[:4] == b"$FL2"
    xlsx = await post_form(client, "/console/campaigns/tip/export", {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    book = await post_form(client, "/console/campaigns/tip/export", {"format": "codebook-json"})
    assert msgspec.json.decode(book.content)["campaign"] == "tip"
    bad = await post_form(client, "/console/campaigns/tip/export", {"format": "dta"})
    assert bad.status_code == 400

    log = await accounts_db.list_audit(db)
    assert [(e.action, e.detail["format"], e.n_rows) for e in reversed(log)] == [
        ("export", "csv", 4),
        ("export", "sav", 2),
        ("export", "xlsx", 4),
        ("export", "codebook-json", 0),
    ]
    assert {e.actor for e in log} == {analyst.email} and {e.campaign for e in log} == {"tip"}
    assert log[2].detail["wave"] == "tip-post" and log[2].detail["include_partial"] is True
    # Admins read the log; nobody else does.
    assert (await client.get("/console/audit")).status_code == 403
    await sign_in_as(client, db, "admin")
    page = await client.get("/console/audit")
    assert page.status_code == 200 and page.text.count(analyst.email) == 4


async def test_a_campaign_without_responses_exports_its_columns(db, tmp_path: Path) -> None:
    await make_study(db)
    plan = await exports.plan_export(db, "tip")
    for fmt in ("csv", "xlsx", "sav"):
        assert await exports.write_export(db, plan, fmt, tmp_path / f"empty.{fmt}") == 0
    assert (tmp_path / "empty.csv").read_text().splitlines() == [",".join(META + ITEMS + OUTCOMES)]
    df, _ = pyreadstat.read_sav(str(tmp_path / "empty.sav"))
    assert len(df) == 0 and len(df.columns) == len(META + ITEMS + OUTCOMES)
    sheet = openpyxl.load_workbook(tmp_path / "empty.xlsx")["responses"]
    assert sheet.max_row == 1


CONDITIONAL = """
key: cq
languages: [en]
title: {en: A questionnaire with a conditional knowledge item}
sections:
  - key: s
    items:
      - key: heard
        type: choice
        text: {en: "Have you heard of the hotline?"}
        choices: [{value: "yes", label: {en: "Yes"}}, {value: "no", label: {en: "No"}}]
      - key: k1
        type: choice
        correct: a
        text: {en: "Question for everyone"}
        choices: [{value: a, label: {en: A}}, {value: b, label: {en: B}}, {value: c, label: {en: C}}]
      - key: k2
        type: choice
        correct: b
        show_if: "heard == 'yes'"
        text: {en: "Question for those who heard of it"}
        choices: [{value: a, label: {en: A}}, {value: b, label: {en: B}}, {value: c, label: {en: C}}]
outcomes:
  knowledge: {kind: score, label: {en: Knowledge}, items: [k1, k2]}
"""


async def test_outcome_scores_agree_with_the_report_for_a_conditional_item(db) -> None:
    from survey.analysis import scoring
    from survey.db import campaigns as campaigns_db
    from survey.db.questionnaires import publish
    from survey.questionnaire.load import load_definition

    q = load_definition(CONDITIONAL)
    await publish(db, q)
    await campaigns_db.create_campaign(db, "cond", questionnaire="cq", design="independent")
    wave = await campaigns_db.add_wave(db, "cond", phase="pre")
    # Worked out by hand from the rule in survey.analysis.scoring ("Missing answers"): k2 is shown
    # only to those who heard of the hotline, so when it is missing from the others it was not
    # administered and the score is the share of the other items; a question that was shown and
    # skipped is wrong, for a complete or an unfinished response alike, unless the unfinished
    # response stopped before it (nothing answered after it: not reached).
    cases = {
        "hidden": ({"heard": "no", "k1": "a"}, "complete", 1.0),  # k2 hidden: 1 of 1
        "both": ({"heard": "yes", "k1": "a", "k2": "c"}, "complete", 0.5),  # 1 of 2
        "skipped": ({"heard": "yes", "k2": "b"}, "complete", 0.5),  # k1 skipped = wrong: 1 of 2
        "unfinished": ({"heard": "yes", "k2": "b"}, "in_progress", 0.5),  # k1 skipped too: 1 of 2
        "stopped": ({"heard": "yes", "k1": "a"}, "in_progress", 1.0),  # k2 not reached: 1 of 1
        "nothing": ({"heard": "yes"}, "complete", 0.0),  # both shown, both skipped: 0 of 2
        "not started": ({"heard": "yes"}, "in_progress", None),  # nothing reached: no score
    }
    ids = {}
    for n, (name, (given, status, _)) in enumerate(cases.items()):
        stored_id = await add_response(
            db, wave, given, status=status, started_at=T0 + dt.timedelta(minutes=n)
        )
        ids[name] = await public_id(db, stored_id)
    plan = await exports.plan_export(db, "cond", include_partial=True)
    text = b"".join([c async for c in exports.csv_chunks(db, plan)]).decode()
    rows = {r["response_id"]: r for r in csv.DictReader(io.StringIO(text))}

    names = list(cases)
    frame = scoring.frame_from_answers(
        q,
        [cases[name][0] for name in names],
        complete=[cases[name][1] == "complete" for name in names],
    )
    report = scoring.knowledge_scores(q, frame, "knowledge")
    for name, reported in zip(names, report.tolist(), strict=True):
        cell = rows[ids[name]]["outcome_knowledge"]
        expected = cases[name][2]
        if expected is None:
            assert cell == "" and reported != reported, name  # NaN in the report
        else:
            assert float(cell) == pytest.approx(expected) == reported, name
    # The typed rows (Excel, SPSS) carry the same scores.
    async with export_rows.Snapshot(db, plan) as snapshot:
        typed = [row async for batch in export_rows.typed_batches(db, plan, None, snapshot.total)
                 for row in batch]  # fmt: skip
    position = [c.name for c in plan.columns].index("outcome_knowledge")
    for row in typed:
        expected = cases[names[[ids[n] for n in names].index(row[0])]][2]
        assert row[position] == (None if expected is None else pytest.approx(expected))


NUMBERS = """
key: nq
languages: [en]
title: {en: A questionnaire of every kind of stored answer}
sections:
  - key: s
    items:
      - {key: amount, type: decimal, text: {en: "How much?"}}
      - {key: count, type: integer, text: {en: "How many?"}}
      - {key: note, type: text, text: {en: "Anything else?"}}
      - {key: pick, type: choice, choices: ab, text: {en: "Pick one"}}
      - {key: tick, type: multi, choices: ab, text: {en: "Tick any"}}
      - {key: agree, type: likert, scale: agree3, text: {en: "Agree?"}}
choice_lists:
  ab:
    - {value: a, label: {en: A}}
    - {value: b, label: {en: B}}
likert_scales:
  agree3: {points: 3, labels: {en: ["No", "Maybe", "Yes"]}}
outcomes:
  agreement: {kind: scale, label: {en: Agreement}, items: [agree]}
"""
# Stored answers as JSON text, as PostgreSQL keeps them (jsonb): numbers of every form, text that looks
# like a number, and answers of the wrong type (stored by hand, or by an older version). The first
# ones decode to the item's type; each of the rest makes its batch read the slow way.
WELL_TYPED = [
    '{"amount": 1.50, "count": 12345678901234567890123456789, "note": "007", "pick": "a", '
    '"tick": ["a"], "agree": 3}',
    '{"amount": 1e5, "count": -0, "note": "1e5", "pick": "b", "tick": [], "agree": 1}',
    '{"amount": -0.0, "count": 7, "note": "-0", "tick": ["b", "a", "b"]}',
    '{"amount": 0.0000001, "note": "=1+1", "pick": null, "tick": null}',
    '{"amount": 1.5e300, "count": -12, "note": "a, \\"quoted\\"\\nline", "agree": 2}',
    '{"amount": 12, "note": "", "unknown": [1, {"x": 2}]}',
    '{"amount": "12.0", "note": "\\u00e9 \\u041c\\u043e\\u043d\\u0433\\u043e\\u043b"}',
    '{"note": "big", "agree": 1' + "0" * 400 + "}",
]
WRONGLY_TYPED = [
    '{"amount": [1, 2.50], "count": 3.0, "note": true, "pick": ["a", "b"], "tick": "a"}',
    '{"amount": {"x": 1.0}, "count": "4", "note": 5, "pick": 1, "tick": [1, "b"], "agree": "2"}',
    '{"amount": false, "count": 1' + "0" * 400 + ', "note": -5, "tick": [null, "a"], "agree": 2.5}',
]


async def test_csv_cells_are_what_postgresql_gives_for_every_stored_answer(db) -> None:
    # The CSV decodes the answers in Python; each cell must be what PostgreSQL's own ->> gives for the
    # answer (and, for a multi item's choice, whether the stored list holds it), worked out here by
    # PostgreSQL for each response: the same text for every form of a number, nothing for null, the
    # JSON text of a list or an object, the formula guard on free text.
    from survey.db import campaigns as campaigns_db
    from survey.db.questionnaires import publish
    from survey.questionnaire.load import load_definition

    await publish(db, load_definition(NUMBERS))
    await campaigns_db.create_campaign(db, "nums", questionnaire="nq", design="independent")
    wave = await campaigns_db.add_wave(db, "nums", phase="pre")

    async def add(texts: list[str], start: int) -> None:
        for n, text in enumerate(texts, start=start):
            stored = await add_response(db, wave, {}, started_at=T0 + dt.timedelta(minutes=n))
            await db.execute(
                "UPDATE response SET answers = $1::text::jsonb WHERE id = $2", text, stored
            )

    async def check() -> dict[str, dict[str, str]]:
        plan = await exports.plan_export(db, "nums")
        text = b"".join([c async for c in exports.csv_chunks(db, plan)]).decode()
        rows = {r["response_id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
        stored = await db.fetch(
            "SELECT public_id::text AS id, answers ->> 'amount' AS amount, "
            "answers ->> 'count' AS count, answers ->> 'note' AS note, answers ->> 'pick' AS pick, "
            "answers ->> 'agree' AS agree, CASE WHEN jsonb_typeof(answers -> 'tick') = 'array' "
            "THEN ARRAY[(answers -> 'tick') ? 'a', (answers -> 'tick') ? 'b'] END AS tick "
            "FROM response"
        )
        assert len(rows) == len(stored)
        for s in stored:
            row = rows[s["id"]]
            for key in ("amount", "count", "pick", "agree"):
                assert row[key] == (s[key] or ""), (key, row[key], s[key])
            assert row["note"] == neutralise(s["note"] or "")
            ticks = ["", ""] if s["tick"] is None else ["1" if t else "0" for t in s["tick"]]
            assert [row["tick/a"], row["tick/b"]] == ticks
        return rows

    await add(WELL_TYPED, 0)
    rows = await check()
    cells = {r["note"]: r for r in rows.values()}
    # The case is what it says (the numbers as jsonb writes them: no exponent, the scale kept).
    assert cells["007"]["amount"] == "1.50" and cells["1e5"]["amount"] == "100000"
    assert cells["'-0"]["amount"] == "0.0" and cells["'=1+1"]["amount"] == "0.0000001"
    assert cells["1e5"]["count"] == "0" and cells["007"]["count"] == "12345678901234567890123456789"
    assert cells['a, "quoted"\nline']["outcome_agreement"] == "2.0"
    assert cells["big"]["agree"] == "1" + "0" * 400 and cells["big"]["outcome_agreement"] == ""

    await add(WRONGLY_TYPED, len(WELL_TYPED))
    rows = await check()
    cells = {r["note"]: r for r in rows.values()}
    assert cells["true"]["amount"] == "[1, 2.50]" and cells["'-5"]["count"] == "1" + "0" * 400
    assert cells["5"]["pick"] == "1" and cells["5"]["tick/b"] == "1"
