"""`survey demo`: its reports recover the known true effects, and a second run adds nothing."""

from __future__ import annotations

import asyncio
import math
import random

import asyncpg
import pytest

from survey.cli import main
from survey.demo import CUTS, DEMO_CAMPAIGNS, TRAIT_SHARE, _answer, _Model, _Person
from survey.questionnaire.load import load_file
from survey.settings import Settings
from tests.conftest import FORMS

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


# -- the generator, without the database ---------------------------------------------------------------
#
# The generating model as the module docstring of survey/demo.py states it, written out here: knowledge
# item j of J is right with p = 0.30 + 0.35 j / (J - 1) before and min(p + gain, 0.97) after; a
# proportion's value is chosen with 0.40 before and 0.40 + change after; a Likert item is a latent
# N(-0.3 (+ shift after), 1) cut at CUTS. DRAWS answers per wave and item give a standard error of at
# most sqrt(0.25 / DRAWS) = 0.0035 per share, so a 25% bias in the smallest effect (0.10, i.e. 0.025)
# is over 5 standard errors of an effect; the bands below are 4.5 standard errors wide.
DRAWS = 20_000


def _draw(spec, after: bool, seed: int) -> tuple[dict[str, float], dict[str, float]]:
    """Per item: the share of draws right (knowledge) or equal to the value (proportion), and the mean
    Likert answer after reverse-coding back to the desirable direction."""
    q = load_file(str(FORMS / f"{spec.questionnaire}.yaml"))
    model = _Model(q, spec.changes)
    rng = random.Random(seed)
    shares: dict[str, float] = {}
    means: dict[str, float] = {}
    for key, outcome in q.outcomes.items():
        if outcome.kind == "proportion":
            item = q.item(str(outcome.item))
            hits = sum(
                _answer(rng, q, item, model, _Person({}, None), after) == [outcome.value]
                for _ in range(DRAWS)
            )
            shares[key] = hits / DRAWS
        elif outcome.kind == "score":
            for item_key in outcome.items or []:
                item = q.item(item_key)
                correct = item.correct if isinstance(item.correct, list) else [item.correct]
                hits = 0
                for _ in range(DRAWS):
                    given = _answer(rng, q, item, model, _Person({}, None), after)
                    hits += sorted(given) == sorted(correct)
                shares[item_key] = hits / DRAWS
        elif outcome.kind == "scale":
            for item_key in outcome.items or []:
                item = q.item(item_key)
                points = q.scale_for(item).points
                total = 0.0
                for _ in range(DRAWS):
                    # A person's trait has variance TRAIT_SHARE, so trait + noise is N(mu, 1).
                    person = _Person({key: rng.gauss(0.0, math.sqrt(TRAIT_SHARE))}, None)
                    value = int(_answer(rng, q, item, model, person, after)[0])
                    total += points + 1 - value if item.reverse else value
                means[item_key] = total / DRAWS
    return shares, means


@pytest.mark.parametrize("spec", DEMO_CAMPAIGNS, ids=lambda s: s.key)
def test_generator_answers_every_outcome_as_the_stated_model(spec) -> None:
    q = load_file(str(FORMS / f"{spec.questionnaire}.yaml"))
    for after in (False, True):
        shares, means = _draw(spec, after, seed=11 + after)
        for key, outcome in q.outcomes.items():
            change = spec.changes.get(key, 0.0) if after else 0.0
            if outcome.kind == "proportion":
                p = 0.40 + change
                assert abs(shares[key] - p) < 4.5 * math.sqrt(p * (1 - p) / DRAWS), (key, after)
            elif outcome.kind == "score":
                items = list(outcome.items or [])
                for j, item_key in enumerate(items):
                    p = 0.30 + 0.35 * j / max(len(items) - 1, 1)
                    p = min(p + change, 0.97)
                    band = 4.5 * math.sqrt(p * (1 - p) / DRAWS)
                    assert abs(shares[item_key] - p) < band, (key, item_key, after)
            else:
                expected = _likert_expectation(-0.3 + change)
                for item_key in outcome.items or []:
                    # A 1..5 answer has a standard deviation under 2.
                    assert abs(means[item_key] - expected) < 4.5 * 2 / math.sqrt(DRAWS), item_key


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

    # Every outcome of each campaign: the raw effect (mean or risk difference, paired for the panel,
    # the DiD for the comparison design) must cover the true effect. The true effect is derived here
    # from the model's stated parameters (see _draw above), not taken from survey.demo.
    for spec in DEMO_CAMPAIGNS:
        q = load_file(str(FORMS / f"{spec.questionnaire}.yaml"))
        section = out.split(f"\n{spec.key} (")[1].split("report:")[0]
        rows = {row.split()[0]: row.split() for row in section.splitlines()[2:] if row.strip()}
        assert set(rows) == set(q.outcomes), spec.key
        for key, outcome in q.outcomes.items():
            change = spec.changes.get(key, 0.0)
            if outcome.kind == "scale":
                truth = _likert_expectation(-0.3 + change) - _likert_expectation(-0.3)
            else:
                # Every item's p_pre + gain stays below 0.97 for these gains: the mean gain is the gain.
                truth = change
            fields = rows[key]
            true, low, high = float(fields[1]), float(fields[3]), float(fields[5])
            assert true == pytest.approx(truth, abs=5e-4), key
            assert low <= truth <= high, " ".join(fields)
            assert "misses" not in fields

    counts, accounts = asyncio.run(_counts(cli_env.database_url or ""))
    assert set(counts) == {spec.key for spec in DEMO_CAMPAIGNS} and accounts == 1

    assert main(["demo", "--seed", "8", "--respondents", str(RESPONDENTS)]) == 0
    again = capsys.readouterr().out
    assert again.startswith("demo campaigns already exist;")
    assert "sign in at" not in again
    assert asyncio.run(_counts(cli_env.database_url or "")) == (counts, 1)
