"""`survey demo`: its reports recover the known true effects, and a second run adds nothing."""

from __future__ import annotations

import asyncio
import math

import asyncpg
import pytest

from survey.cli import main
from survey.demo import CUTS, DEMO_CAMPAIGNS
from survey.settings import Settings

RESPONDENTS = 150


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _likert_expectation(mu: float) -> float:
    # Independent of survey.demo: E[answer] = sum_k k * P(answer = k) for N(mu, 1) cut at CUTS.
    bounds = [-math.inf, *CUTS, math.inf]
    return sum(k * (_phi(bounds[k] - mu) - _phi(bounds[k - 1] - mu)) for k in range(1, 6))


def test_likert_expectation_of_the_model_is_the_textbook_one() -> None:
    from survey.demo import _likert_mean

    for mu in (-1.0, -0.3, 0.0, 0.4):
        assert _likert_mean(mu) == pytest.approx(_likert_expectation(mu), abs=1e-12)


async def _counts(url: str) -> tuple[dict[str, int], int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT c.key, count(r.id) AS n FROM campaign c JOIN wave w ON w.campaign_id = c.id "
            "LEFT JOIN response r ON r.wave_id = w.id WHERE c.key LIKE 'demo-%' GROUP BY c.key"
        )
        accounts = await conn.fetchval(
            "SELECT count(*) FROM account WHERE email = 'demo@example.org'"
        )
    finally:
        await conn.close()
    return {row["key"]: row["n"] for row in rows}, accounts


def test_demo_reports_cover_the_true_effects_and_running_twice_adds_nothing(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--seed", "7", "--respondents", str(RESPONDENTS)]) == 0
    out = capsys.readouterr().out
    assert "created demo-trafficking, demo-ethics, demo-corruption" in out
    assert "sign in at " in out and "demo@example.org" in out

    # The main outcome of each campaign: its knowledge score (raw mean difference, or the DiD for the
    # comparison design). The true effect is derived here from the model's stated parameters (item
    # p_pre from 0.30 to 0.65, plus the campaign's gain, capped at 0.97), not taken from survey.demo.
    for spec in DEMO_CAMPAIGNS:
        gain = spec.changes["knowledge"]
        section = out.split(f"\n{spec.key} (")[1].split("report:")[0]
        line = next(row for row in section.splitlines() if row.strip().startswith("knowledge "))
        fields = line.split()
        true, low, high = float(fields[1]), float(fields[3]), float(fields[5])
        # Every item's p_pre + gain stays below 0.97 for these gains, so the mean gain is the gain.
        assert true == pytest.approx(gain, abs=5e-4)
        assert low <= gain <= high, line
        assert "misses" not in line

    counts, accounts = asyncio.run(_counts(cli_env.database_url or ""))
    assert set(counts) == {spec.key for spec in DEMO_CAMPAIGNS} and accounts == 1

    assert main(["demo", "--seed", "8", "--respondents", str(RESPONDENTS)]) == 0
    again = capsys.readouterr().out
    assert again.startswith("demo campaigns already exist;")
    assert "sign in at" not in again
    assert asyncio.run(_counts(cli_env.database_url or "")) == (counts, 1)
