"""The XLSForm import on real forms written by other people (tests/fixtures/xlsform-real).

Each committed form's import report, or its refusal, is compared with a snapshot in ``reports/``, so
that any change to what an import keeps, renames or leaves out shows up here for review; rewrite the
snapshots after a deliberate change with ``SURVEY_UPDATE_SNAPSHOTS=1 ./dev test tests/unit/
test_xlsform_corpus.py``. Whether pyxform converts each form is checked against the record in
corpus.json, since the import's target is stated against pyxform: at least 85% of the forms pyxform
converts are imported, and each other one is refused with a message naming its true cause.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import warnings
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from survey.errors import InvalidDefinition
from survey.questionnaire.xlsform import import_xlsform

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "xlsform-real"
CORPUS = json.loads((FOLDER / "corpus.json").read_text(encoding="utf-8"))
COMMITTED = [form for form in CORPUS if form["committed"]]
UPDATE = os.environ.get("SURVEY_UPDATE_SNAPSHOTS") == "1"


def outcome(form: dict[str, object]) -> tuple[bool, str]:
    """Whether the form imports, and its report (or refusal) as the snapshot holds it."""
    return _outcome(str(form["file"]))


@functools.cache
def _outcome(name: str) -> tuple[bool, str]:
    path = FOLDER / name
    try:
        q, report = import_xlsform(path)
    except InvalidDefinition as exc:
        return False, "refused:\n" + "\n".join(exc.errors) + "\n"
    summary = f"imported: {sum(1 for _ in q.items())} items in {len(q.sections)} sections"
    summary += f", {len(q.calculations)} calculations, languages {', '.join(q.languages)}"
    return True, summary + "\n" + "".join(f"{line}\n" for line in report)


def test_every_workbook_here_is_listed_with_its_source_and_licence() -> None:
    on_disk = {p.name for p in FOLDER.iterdir() if p.suffix in (".xlsx", ".xls", ".ods")}
    assert on_disk == {form["file"] for form in COMMITTED}
    sources = (FOLDER / "SOURCES.md").read_text(encoding="utf-8")
    for form in CORPUS:
        assert form["repo"] and form["path"] and len(form["commit"]) == 40, form
        assert f"`{form['file']}`" in sources and form["commit"][:12] in sources
        # Only forms whose licence allows redistribution are committed.
        assert form["committed"] == (form["licence"] in ("MIT", "BSD-2-Clause", "AGPL-3.0"))
    assert len(COMMITTED) >= 40


@pytest.mark.parametrize("form", COMMITTED, ids=lambda f: f["file"])
def test_the_import_report_is_as_reviewed(form: dict[str, object]) -> None:
    _, text = outcome(form)
    snapshot = FOLDER / "reports" / f"{form['file']}.txt"
    if UPDATE:
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


def test_at_least_85_percent_of_what_pyxform_converts_is_imported() -> None:
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    try:
        converted = []
        for form in COMMITTED:
            path = FOLDER / str(form["file"])
            try:
                convert(xlsform=path.read_bytes(), validate=False, file_type=path.suffix)
                converts = True
            except Exception:  # any pyxform refusal
                converts = False
            assert converts == form["pyxform_accepts"], form["file"]
            if converts:
                converted.append(form)
    finally:
        logging.disable(logging.NOTSET)
    imported = [form for form in converted if outcome(form)[0]]
    assert len(converted) >= 25
    assert len(imported) / len(converted) >= 0.85, [f["file"] for f in converted]
    # The others are refused for the reason recorded when they were reviewed, named in the message.
    for form in converted:
        if form not in imported:
            assert form["refused_because"] in outcome(form)[1], form["file"]
