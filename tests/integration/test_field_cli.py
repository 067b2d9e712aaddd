"""``survey waves field KEY [--enumerator NAME]`` prints the field server address on a line of its own,
the address ODK Collect takes as its server; ``--revoke NAME`` withdraws an enumerator's."""

from __future__ import annotations

import asyncio
import re

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from survey.cli import main
from survey.settings import Settings
from tests.helpers import Study, make_study

ADDRESS = re.compile(r"http://testserver/field/([A-Za-z0-9_-]{32})")


async def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(name="study")
async def study_fixture(db: asyncpg.Connection, cli_env: Settings) -> Study:
    return await make_study(db)


async def test_the_address_is_printed_alone_and_stays_the_same(
    study: Study, client: AsyncTestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = await run(["waves", "field", study.pre.key], capsys)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1 and ADDRESS.fullmatch(lines[0])
    assert (await run(["waves", "field", study.pre.key], capsys))[1] == out
    token = ADDRESS.fullmatch(lines[0]).group(1)  # type: ignore[union-attr]
    assert (await client.head(f"/field/{token}/submission")).status_code == 204


async def test_an_enumerators_address_and_its_revocation(
    study: Study,
    db: asyncpg.Connection,
    client: AsyncTestClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wave_address = (await run(["waves", "field", study.pre.key], capsys))[1]
    code, out, _ = await run(["waves", "field", study.pre.key, "--enumerator", "Сараа"], capsys)
    assert code == 0 and ADDRESS.fullmatch(out.strip()) and out != wave_address
    token = ADDRESS.fullmatch(out.strip()).group(1)  # type: ignore[union-attr]
    assert await db.fetchval("SELECT enumerator FROM field_key WHERE token = $1", token) == "Сараа"

    code, out, _ = await run(["waves", "field", study.pre.key, "--revoke", "Сараа"], capsys)
    assert code == 0 and "revoked" in out and "Сараа" in out
    assert (await client.head(f"/field/{token}/submission")).status_code == 403
    # The wave's own address is untouched; revoking again says there is nothing to revoke.
    wave_token = ADDRESS.fullmatch(wave_address.strip()).group(1)  # type: ignore[union-attr]
    assert (await client.head(f"/field/{wave_token}/submission")).status_code == 204
    code, out, err = await run(["waves", "field", study.pre.key, "--revoke", "Сараа"], capsys)
    assert code == 1 and out == "" and err.startswith("error: ") and "Сараа" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["waves", "field", "no-such-wave"], 'no wave "no-such-wave"'),
        (["waves", "field", "tip-pre", "--enumerator", "   "], "1 to 60 characters"),
        (["waves", "field", "tip-pre", "--enumerator", "x" * 61], "1 to 60 characters"),
        (["waves", "field", "tip-pre", "--enumerator", "a\x07b"], "control character"),
        (["waves", "field", "tip-pre", "--enumerator", "a", "--revoke", "b"], "not both"),
    ],
)
async def test_mistakes_get_one_line(
    study: Study, argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = await run(argv, capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and words in err
