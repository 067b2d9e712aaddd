"""`survey forms import-xlsform` and `survey forms export-xlsform`, in-process, on a real database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from survey.cli import main
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_file
from survey.settings import Settings
from tests.helpers import basic, features_workbook, pyxform_converts

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    return path


def test_a_published_version_goes_to_xlsform_and_back(
    cli_env: Settings, mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "forms", "publish", str(mini))[0] == 0
    workbook = tmp_path / "mini.xlsx"
    code, out, err = run(capsys, "forms", "export-xlsform", "mini", "-o", str(workbook))
    assert code == 0, err
    assert f"wrote {workbook} (mini v1)" in out
    assert "note: survey sheet, row" in out and "HMAC" in out  # mini has a panel_code
    pyxform_converts(workbook.read_bytes())

    target = tmp_path / "forms"
    target.mkdir()
    code, out, err = run(capsys, "forms", "import-xlsform", str(workbook), "-o", str(target))
    assert code == 0, err
    written = target / "mini.yaml"
    assert f"wrote {written}: 8 items in 4 sections, languages mn, en" in out
    assert load_file(written) == load_file(mini)
    assert item_fingerprints(load_file(written)) == item_fingerprints(load_file(mini))
    # The publish of the file that came back is a no-op: same definition, same version.
    assert run(capsys, "forms", "publish", str(written))[:2] == (0, "mini v1 unchanged\n")


def test_export_of_a_yaml_file_needs_no_published_version(
    cli_env: Settings, mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "out.xlsx"
    code, out, err = run(capsys, "forms", "export-xlsform", str(mini), "-o", str(workbook))
    assert code == 0, err
    assert out.endswith(f"wrote {workbook} ({mini})\n")
    assert workbook.read_bytes()[:2] == b"PK"


def test_import_writes_the_report_into_the_yaml_and_refuses_to_overwrite(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "features.xlsx"
    source.write_bytes(features_workbook())
    target = tmp_path / "safe-migration-2024.yaml"
    code, out, err = run(capsys, "forms", "import-xlsform", str(source), "-o", str(target))
    assert code == 0, err
    assert f'note: {source}: survey sheet, row 15: group "attitudes" is inside' in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Imported from features.xlsx by survey forms import-xlsform.\n")
    assert '#   survey sheet, row 15: group "attitudes" is inside' in text
    assert run(capsys, "forms", "check", str(target))[0] == 0

    code, _, err = run(capsys, "forms", "import-xlsform", str(source), "-o", str(target))
    assert code == 1
    assert err == f"error: {target} already exists (--force replaces it)\n"
    assert run(capsys, "forms", "import-xlsform", str(source), "-o", str(target), "--force")[0] == 0


def test_import_refuses_a_file_name_that_is_not_the_key(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "features.xlsx"
    source.write_bytes(features_workbook())
    code, _, err = run(
        capsys, "forms", "import-xlsform", str(source), "-o", str(tmp_path / "x.yaml")
    )
    assert code == 1
    assert "must be named safe-migration-2024.yaml" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a spreadsheet", "not a readable workbook (.xlsx, .xls or .ods)"),
        (
            basic(
                {"type": "text", "name": "q", "label::English (en)": "One"},
                {"type": "text", "name": "q", "label::English (en)": "Two"},
            ),
            'survey sheet, row 3: duplicate name "q" in the same group (first at row 2)',
        ),
        (
            basic(
                {"type": "integer", "name": "n", "label::English (en)": "N"},
                {"type": "note", "name": "m", "label::English (en)": "M", "relevant": "${n} mod 2"},
            ),
            'survey sheet, row 3: relevant "${n} mod 2": arithmetic ("mod") is not supported',
        ),
    ],
)
def test_a_bad_workbook_is_one_clear_line_and_exit_1(
    cli_env: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    expected: str,
) -> None:
    source = tmp_path / "bad.xlsx"
    source.write_bytes(content)
    code, out, err = run(capsys, "forms", "import-xlsform", str(source), "-o", str(tmp_path))
    assert code == 1
    assert out == ""
    assert err.startswith(f"error: {source}: {expected}"), err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("*.yaml"))


def test_exporting_an_unknown_questionnaire_is_a_clear_error(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "forms", "export-xlsform", "nothing", "-o", str(tmp_path / "x.xlsx"))
    assert (code, err) == (1, 'error: no questionnaire "nothing" has been published\n')
