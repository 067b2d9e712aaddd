"""`survey forms ...`, `survey campaigns ...` and `survey waves ...` against a real database."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg
import pytest

from survey.cli import main
from survey.settings import Settings

DATA = Path(__file__).parent / "data"
FORMS = Path(__file__).resolve().parents[2] / "forms"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    return path


def test_publishing_twice_gives_the_same_version(cli_env: Settings, mini: Path, capsys) -> None:
    assert run(capsys, "forms", "publish", str(mini))[:2] == (0, "mini v1\n")
    assert run(capsys, "forms", "publish", str(mini))[:2] == (0, "mini v1 unchanged\n")
    code, out, _ = run(capsys, "forms", "list")
    assert code == 0 and out.startswith("mini ") and " v1 " in out


def test_a_changed_label_is_version_2_and_a_breaking_change(cli_env: Settings, mini: Path, capsys):
    run(capsys, "forms", "publish", str(mini))
    text = mini.read_text(encoding="utf-8")
    mini.write_text(
        text.replace("Is a job offer that seems too good safe?", "Is a too-good job offer safe?")
    )
    assert run(capsys, "forms", "publish", str(mini))[:2] == (0, "mini v2\n")
    code, out, _ = run(capsys, "forms", "diff", "mini", "1", "2")
    assert code == 0
    changed = [line for line in out.splitlines()[1:] if line.strip()]
    assert len(changed) == 1, out
    assert "k_offer" in changed[0] and "BREAKING" in changed[0]


def test_an_equivalent_mark_makes_the_change_non_breaking(cli_env: Settings, mini: Path, capsys):
    run(capsys, "forms", "publish", str(mini))
    text = mini.read_text(encoding="utf-8")
    text = text.replace(
        '        correct: "no"\n',
        '        correct: "no"\n        equivalent: true\n',
    ).replace(
        "Is a job offer that seems too good safe?", "Is a job offer that seems too good, safe?"
    )
    mini.write_text(text, encoding="utf-8")
    assert run(capsys, "forms", "publish", str(mini))[:2] == (0, "mini v2\n")
    _code, out, _ = run(capsys, "forms", "diff", "mini", "1", "2")
    changed = [line for line in out.splitlines()[1:] if line.strip()]
    assert len(changed) == 1 and "k_offer" in changed[0] and "BREAKING" not in changed[0], out


def test_show_prints_the_stored_version(cli_env: Settings, mini: Path, capsys) -> None:
    run(capsys, "forms", "publish", str(mini))
    code, out, _ = run(capsys, "forms", "show", "mini", "--version", "1")
    assert code == 0
    assert out.startswith("# mini v1  sha256 ")
    assert "A small questionnaire" in out and "Жижиг асуулга" in out


async def _try(url: str, statement: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
        return "accepted"
    except asyncpg.PostgresError as exc:
        return str(exc)
    finally:
        await conn.close()


def test_published_versions_cannot_be_changed_in_sql(cli_env: Settings, mini: Path, capsys) -> None:
    run(capsys, "forms", "publish", str(mini))
    url = cli_env.database_url
    assert "immutable" in asyncio.run(_try(url, "UPDATE questionnaire_version SET version = 9"))
    assert "immutable" in asyncio.run(_try(url, "DELETE FROM questionnaire_version"))
    assert "immutable" in asyncio.run(_try(url, "TRUNCATE questionnaire_version CASCADE"))


def test_campaigns_and_waves(cli_env: Settings, mini: Path, capsys) -> None:
    run(capsys, "forms", "publish", str(mini))
    code, out, err = run(
        capsys,
        "campaigns",
        "create",
        "tip",
        "--questionnaire",
        "mini",
        "--design",
        "comparison",
        "--cluster",
        "aimag",
    )
    assert code == 0, err
    assert run(capsys, "waves", "add", "tip", "--phase", "pre")[0] == 0
    code, out, _ = run(capsys, "waves", "add", "tip", "--phase", "pre", "--arm", "comparison")
    assert code == 0 and "tip-pre-comparison" in out
    code, out, _ = run(capsys, "waves", "open", "tip-pre")
    assert code == 0
    link = out.strip().rsplit(" ", 1)[-1]
    assert link.startswith("http://testserver/r/")
    assert len(link.rsplit("/", 1)[-1]) >= 22  # at least 128 random bits
    code, out, _ = run(capsys, "campaigns", "list")
    assert "tip-pre " in out and "open" in out and "tip-pre-comparison" in out
    assert run(capsys, "waves", "close", "tip-pre")[0] == 0
    assert "closed" in run(capsys, "campaigns", "list")[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("forms", "publish", "no-such-file.yaml"), "no-such-file.yaml"),
        (("forms", "show", "nothing"), 'no questionnaire "nothing" has been published'),
        (("forms", "diff", "nothing", "1", "2"), 'no questionnaire "nothing"'),
        (("waves", "open", "nowave"), 'no wave "nowave"'),
        (
            ("campaigns", "create", "c", "--questionnaire", "nothing", "--design", "panel"),
            "nothing",
        ),
        (("waves", "add", "nocampaign", "--phase", "pre"), 'no campaign "nocampaign"'),
    ],
)
def test_cli_mistakes_print_one_clear_line(cli_env: Settings, capsys, argv, message) -> None:
    code, _out, err = run(capsys, *argv)
    assert code != 0
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_unreadable_yaml_is_one_clear_error(cli_env: Settings, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: [unclosed\n", encoding="utf-8")
    code, _, err = run(capsys, "forms", "publish", str(bad))
    assert code == 1 and "bad.yaml" in err and "Traceback" not in err


def test_campaign_rules(cli_env: Settings, mini: Path, capsys) -> None:
    run(capsys, "forms", "publish", str(mini))
    assert (
        run(
            capsys, "campaigns", "create", "a", "--questionnaire", "mini", "--design", "independent"
        )[0]
        == 0
    )
    code, _, err = run(
        capsys, "campaigns", "create", "a", "--questionnaire", "mini", "--design", "independent"
    )
    assert code == 1 and 'a campaign "a" already exists' in err
    code, _, err = run(capsys, "waves", "add", "a", "--phase", "pre", "--arm", "comparison")
    assert code == 1 and "comparison arm" in err
    run(capsys, "waves", "add", "a", "--phase", "pre")
    code, _, err = run(capsys, "waves", "add", "a", "--phase", "pre")
    assert code == 1 and "already" in err
    code, _, err = run(
        capsys,
        "campaigns",
        "create",
        "b",
        "--questionnaire",
        "mini",
        "--design",
        "independent",
        "--cluster",
        "nope",
    )
    assert code == 1 and '"nope" is not an item' in err


@pytest.mark.skipif(not any(FORMS.glob("*.yaml")), reason="no shipped forms yet")
def test_shipped_forms_check_and_publish(cli_env: Settings, capsys) -> None:
    files = sorted(str(p) for p in FORMS.glob("*.yaml"))
    code, out, err = run(capsys, "forms", "check", *files)
    assert code == 0, err
    code, out, err = run(capsys, "forms", "publish", *files)
    assert code == 0, err
    assert len(out.splitlines()) == len(files) == 5


SHIPPED = FORMS / "trafficking-knowledge.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("        correct: bondage\n", "        correct: nonsense\n", '"nonsense" is not one of'),
        (
            '        text: {mn: "Та хэдэн настай вэ?", en: "How old are you?"}\n',
            '        text: {en: "How old are you?"}\n',
            'missing "mn" text (the default language)',
        ),
        (
            "show_if: \"offer_received == 'yes'\"",
            "show_if: \"offer_recieved == 'yes'\"",
            "offer_recieved",
        ),
        (
            "show_if: \"offer_received == 'yes'\"",
            "show_if: \"offer_received == 'yes' and\"",
            'expected a value after "and"',
        ),
        ("      - key: plan_abroad\n", "      - key: age\n", '"age"'),
    ],
    ids=["correct-not-a-choice", "missing-mn", "unknown-item", "syntax-error", "duplicate-key"],
)
def test_broken_copies_of_a_shipped_form_give_one_precise_message(
    tmp_path: Path, capsys, old: str, new: str, message: str
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(old) == 1, "the shipped form changed; update the mutation"
    broken = tmp_path / SHIPPED.name
    broken.write_text(text.replace(old, new), encoding="utf-8")
    code, _, err = run(capsys, "forms", "check", str(broken))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{broken}: sections[")
    assert message in lines[0]


def test_a_campaign_cannot_take_a_key_the_console_routes_on(
    cli_env: Settings, mini: Path, capsys
) -> None:
    # /console/campaigns/new is the create form: a campaign "new" could never be opened.
    run(capsys, "forms", "publish", str(mini))
    code, _, err = run(
        capsys, "campaigns", "create", "new", "--questionnaire", "mini", "--design", "independent"
    )
    assert code == 1 and 'a campaign cannot be called "new"' in err and "Traceback" not in err
    code, out, _ = run(capsys, "campaigns", "list")
    assert code == 0 and "new" not in out.split()
    # A key merely containing the word is fine.
    code, _, err = run(
        capsys,
        "campaigns",
        "create",
        "new-2027",
        "--questionnaire",
        "mini",
        "--design",
        "independent",
    )
    assert code == 0, err


def test_check_warns_of_each_untranslated_text_and_passes(
    cli_env: Settings, tmp_path: Path, capsys
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    old = '        text: {mn: "Та хэдэн настай вэ?", en: "How old are you?"}\n'
    assert text.count(old) == 1, "the shipped form changed; update the mutation"
    partial = tmp_path / SHIPPED.name
    partial.write_text(text.replace(old, '        text: {mn: "Та хэдэн настай вэ?"}\n'), "utf-8")
    code, out, err = run(capsys, "forms", "check", str(partial))
    assert code == 0
    assert out.strip() == f"{partial}: ok (1 untranslated)"
    (line,) = err.strip().splitlines()
    assert line.startswith(f"{partial}: warning: sections[")
    assert line.endswith('.text: no "en" translation, shown in mn')
    code, out, err = run(capsys, "forms", "publish", str(partial))
    assert code == 0, err
