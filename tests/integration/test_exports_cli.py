"""`survey export CAMPAIGN --format ... -o PATH`: files, the audit log, progress, and mistakes."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from pathlib import Path

import pyreadstat
import pytest

from survey.cli import main
from survey.db.pool import connect
from survey.settings import Settings
from tests.helpers import (
    add_response,
    make_study,
)


def prepare(settings: Settings) -> None:
    async def go() -> None:
        conn = await connect(settings.database_url or "")
        try:
            study = await make_study(conn)
            await add_response(conn, study.pre, {"consent": "yes", "aimag": "ub"})
            await add_response(conn, study.post, {"consent": "yes", "k_hotline": "yes"})
            await add_response(conn, study.post, {}, status="in_progress")
        finally:
            await conn.close()

    asyncio.run(go())


def audit(settings: Settings) -> list[tuple]:
    async def go():
        conn = await connect(settings.database_url or "")
        try:
            rows = await conn.fetch(
                "SELECT actor, action, detail, n_rows FROM audit_log ORDER BY id"
            )
            return [(r["actor"], r["action"], r["detail"]["format"], r["n_rows"]) for r in rows]
        finally:
            await conn.close()

    return asyncio.run(go())


def test_export_every_format(cli_env: Settings, tmp_path: Path, capsys) -> None:
    prepare(cli_env)
    out = tmp_path / "tip.csv"
    assert main(["export", "tip", "--format", "csv", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"exported 2 responses of tip to {out}\n"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert sorted(r["version"] for r in rows) == ["1", "2"]

    assert main(["export", "tip", "--format", "csv", "-o", str(out), "--include-partial",
                 "--wave", "tip-post"]) == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert sorted(r["status"] for r in rows) == ["complete", "in_progress"]

    assert main(["export", "tip", "--format", "sav", "-o", str(tmp_path / "tip.sav")]) == 0
    df, _ = pyreadstat.read_sav(str(tmp_path / "tip.sav"))
    assert len(df) == 2
    assert main(["export", "tip", "--format", "xlsx", "-o", str(tmp_path / "tip.xlsx")]) == 0
    assert (tmp_path / "tip.xlsx").read_bytes()[:2] == b"PK"
    assert main(["export", "tip", "--format", "codebook", "-o", str(tmp_path / "book.json")]) == 0
    assert json.loads((tmp_path / "book.json").read_text())["campaign"] == "tip"
    assert main(["export", "tip", "--format", "codebook", "-o", str(tmp_path / "book.csv")]) == 0
    assert (tmp_path / "book.csv").read_text().startswith("item,type,section,")
    assert "exported codebook of tip" in capsys.readouterr().out

    logged = audit(cli_env)
    assert [(a[1], a[2], a[3]) for a in logged] == [
        ("export", "csv", 2),
        ("export", "csv", 2),
        ("export", "sav", 2),
        ("export", "xlsx", 2),
        ("export", "codebook-json", 0),
        ("export", "codebook-csv", 0),
    ]
    assert all(a[0].startswith("cli") for a in logged)


def test_progress_only_on_a_terminal(
    cli_env: Settings, tmp_path: Path, capsys, monkeypatch
) -> None:
    prepare(cli_env)
    assert main(["export", "tip", "--format", "csv", "-o", str(tmp_path / "a.csv")]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: no progress line

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["export", "tip", "--format", "csv", "-o", str(tmp_path / "b.csv")]) == 0
    # One update per batch (here one per wave), rewritten in place, and a final new line.
    assert terminal.getvalue() == (
        "\rexporting tip: 1 / 2 responses (50%)\rexporting tip: 2 / 2 responses (100%)\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "nope", "--format", "csv", "-o", "x.csv"], 'error: no campaign "nope"'),
        (["export", "tip", "--format", "csv", "-o", "x.csv", "--wave", "w"],
         'error: campaign "tip" has no wave "w"'),
        (["export", "tip", "--format", "sav", "-o", "x.sav", "--language", "fr"],
         "error: language \"fr\" is not one of the questionnaire's: mn, en"),
        (["export", "tip", "--format", "csv", "-o", "/no/such/dir/x.csv"],
         "error: No such file or directory: /no/such/dir/x.csv"),
    ],
)  # fmt: skip
def test_mistakes_print_one_line(cli_env: Settings, capsys, monkeypatch, tmp_path, argv, message):
    prepare(cli_env)
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == message and captured.out == ""
    assert "Traceback" not in captured.err


def test_a_bad_format_is_refused_by_the_parser(cli_env: Settings, capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["export", "tip", "--format", "dta", "-o", "x.dta"])
    assert exit.value.code == 2 and "invalid choice: 'dta'" in capsys.readouterr().err
