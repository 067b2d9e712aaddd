"""`survey demo`: its reports recover the known true effects, and a second run adds nothing."""

from __future__ import annotations

import asyncio
import math
import random

import asyncpg
import pytest

from survey.cli import main, prepare_serving
from survey.demo import CUTS, DEMO_CAMPAIGNS, TRAIT_SHARE, _answer, _Model, _people, _Person
from survey.questionnaire.load import load_file
from survey.settings import Settings
from tests.helpers import FORMS

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
# The generating model as the module docstring of survey/demo.py states it, written out here, for a
# respondent without characteristics (no shift, a factor of 1): knowledge item j of J is right with
# p = 0.25 + 0.30 j / (J - 1) before and p + gain after; a proportion's value is chosen with 0.40 before
# and 0.40 + change after; a Likert item is a latent N(-0.3 (+ shift after), 1) cut at CUTS. DRAWS
# answers per wave and item give a standard error of at most sqrt(0.25 / DRAWS) = 0.0035 per share, so
# a 25% bias in the smallest effect (0.10, i.e. 0.025) is over 5 standard errors of an effect; the
# bands below are 4.5 standard errors wide.
DRAWS = 20_000


def _draw(spec, after: bool, seed: int) -> tuple[dict[str, float], dict[str, float]]:
    """Per item: the share of draws right (knowledge) or equal to the value (proportion), and the mean
    Likert answer after reverse-coding back to the desirable direction."""
    q = load_file(str(FORMS / f"{spec.questionnaire}.yaml"))
    model = _Model(q, spec)
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
                    p = 0.25 + 0.30 * j / max(len(items) - 1, 1) + change
                    band = 4.5 * math.sqrt(p * (1 - p) / DRAWS)
                    assert abs(shares[item_key] - p) < band, (key, item_key, after)
            else:
                expected = _likert_expectation(-0.3 + change)
                for item_key in outcome.items or []:
                    # A 1..5 answer has a standard deviation under 2.
                    assert abs(means[item_key] - expected) < 4.5 * 2 / math.sqrt(DRAWS), item_key


def test_who_answers_and_for_whom_it_works_as_the_spec_states() -> None:
    """demo-trafficking draws education from its stated shares, different after (the composition
    the adjusted estimates correct), shifts knowledge by it, and gives the youngest a larger gain;
    demo-corruption's sectors have their factors. Shares within 4.5 standard errors of 20,000 draws."""
    trafficking = next(s for s in DEMO_CAMPAIGNS if s.key == "demo-trafficking")
    q = load_file(str(FORMS / f"{trafficking.questionnaire}.yaml"))
    model = _Model(q, trafficking)
    (education,) = trafficking.characteristics
    for after, shares in ((False, education.before), (True, education.after)):
        people = _people(random.Random(3 + after), DRAWS, model, "T", [], after=after)
        for value, share in shares.items():
            found = sum(p.attributes["education"] == value for p in people) / DRAWS
            assert abs(found - share) < 4.5 * math.sqrt(share * (1 - share) / DRAWS), value
        for person in people[:200]:
            assert person.shift == education.knowledge[person.attributes["education"]]
            age = int(person.attributes["age"])
            assert 18 <= age <= 27
            assert person.factor == (1.3 if age < 22 else 0.8)
    # The factors average 1 over ages 18 to 27 (4 of the 10 ages are under 22).
    assert pytest.approx(1.0) == 0.4 * 1.3 + 0.6 * 0.8
    corruption = next(s for s in DEMO_CAMPAIGNS if s.key == "demo-corruption")
    q = load_file(str(FORMS / f"{corruption.questionnaire}.yaml"))
    people = _people(random.Random(4), 600, _Model(q, corruption), "C", [], after=False)
    for person in people:
        sector = person.attributes["sector"]
        assert person.factor == (2.0 if sector in ("civil_society", "media") else 0.5)


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


async def _collection(url: str) -> list[asyncpg.Record]:
    """Per demo wave: its phase, the days its responses started on, its unfinished responses, the median
    minutes to finish, and when its first and last responses started."""
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch(
            "SELECT w.key, w.phase, count(DISTINCT r.started_at::date) AS days, "
            "count(*) FILTER (WHERE r.status = 'in_progress') AS unfinished, "
            "count(*) FILTER (WHERE r.status = 'complete') AS complete, "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "
            "r.submitted_at - r.started_at) / 60) FILTER (WHERE r.status = 'complete') AS minutes, "
            "min(r.started_at) AS first, max(r.started_at) AS last "
            "FROM wave w JOIN response r ON r.wave_id = w.id GROUP BY w.key, w.phase ORDER BY w.key"
        )
    finally:
        await conn.close()


def test_demo_reports_cover_the_true_effects_and_running_twice_adds_nothing(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--seed", "7", "--respondents", str(RESPONDENTS)]) == 0
    out = capsys.readouterr().out
    assert "created demo-trafficking, demo-ethics, demo-corruption" in out
    assert "sign in at " in out and "demo@example.org" in out

    # Every outcome of each campaign: the raw effect (mean or risk difference, paired for the panel,
    # the DiD for the comparison design), or for demo-trafficking (independent samples whose after
    # wave holds more of the better educated) the effect adjusted for who answered, must cover the
    # true effect. The true effect is derived here from the model's stated parameters (see _draw
    # above), not taken from survey.demo: the gain times the mean factor, which is 1.
    for spec in DEMO_CAMPAIGNS:
        q = load_file(str(FORMS / f"{spec.questionnaire}.yaml"))
        section = out.split(f"\n{spec.key} (")[1].split("report:")[0]
        rows: dict[str, list[str]] = {}
        adjusted: dict[str, list[str]] = {}
        for row in section.splitlines()[2:]:
            if row[:2] == "  " and row[2:3].strip():
                current = row.split()[0]
                rows[current] = row.split()
            elif row.startswith("    adjusted for who answered"):
                adjusted[current] = row.split()
        assert set(rows) == set(q.outcomes), spec.key
        for key, outcome in q.outcomes.items():
            change = spec.changes.get(key, 0.0)
            # The groups of the modifier with their shares: ages 18–21 are 4 of 18–27; the sectors
            # are drawn alike.
            groups = [(1.0, 1.0)]
            if spec.modifier is not None and spec.modifier.cut is not None:
                groups = [
                    (0.4, spec.modifier.factors["below"]),
                    (0.6, spec.modifier.factors["from"]),
                ]
            elif spec.modifier is not None:
                factors = spec.modifier.factors.values()
                groups = [(1 / len(factors), f) for f in factors]
            if outcome.kind == "scale":
                truth = sum(
                    share * (_likert_expectation(-0.3 + change * f) - _likert_expectation(-0.3))
                    for share, f in groups
                )
            else:
                # Every item's chance stays within (0, 1) for these gains: the mean gain is the gain.
                truth = change
            fields = rows[key]
            assert float(fields[1]) == pytest.approx(truth, abs=5e-4), key
            if spec.design == "independent":
                assert "(not adjusted" in " ".join(fields), key
                fields = adjusted[key]
                true, low, high = float(fields[4]), float(fields[6]), float(fields[8])
            else:
                true, low, high = float(fields[1]), float(fields[3]), float(fields[5])
            assert true == pytest.approx(truth, abs=5e-4), key
            assert low <= truth <= high, " ".join(fields)
            assert "misses" not in fields
    # The groups of the modifier: their own true effects, the gain times their factor.
    corruption = out.split("\ndemo-corruption (")[1].split("report:")[0]
    for sector, factor in next(
        s for s in DEMO_CAMPAIGNS if s.key == "demo-corruption"
    ).modifier.factors.items():
        fields = next(row.split() for row in corruption.splitlines() if f"sector {sector} " in row)
        assert float(fields[2]) == pytest.approx(0.10 * factor, abs=5e-4), sector

    counts, accounts = asyncio.run(_counts(cli_env.database_url or ""))
    assert set(counts) == {spec.key for spec in DEMO_CAMPAIGNS} and accounts == 1

    # A collection as a monitoring page shows a real one: each wave over days, weeks after the one
    # before, a few minutes per form, and some people who stopped part of the way (never counted).
    waves = asyncio.run(_collection(cli_env.database_url or ""))
    assert len(waves) == 8  # two waves per campaign, four for the comparison design
    for wave in waves:
        assert wave["days"] >= 5 and wave["unfinished"] >= 5, dict(wave)
        assert 4 <= wave["minutes"] <= 12, dict(wave)
        assert wave["complete"] >= RESPONDENTS * 0.8, dict(wave)
    by_key = {w["key"]: w for w in waves}
    for wave in waves:
        if wave["phase"] == "post":
            before = by_key[wave["key"].replace("-post", "-pre")]
            assert before["last"] < wave["first"], wave["key"]

    assert main(["demo", "--seed", "8", "--respondents", str(RESPONDENTS)]) == 0
    again = capsys.readouterr().out
    assert again.startswith("demo campaigns already exist;")
    assert "sign in at" not in again
    assert asyncio.run(_counts(cli_env.database_url or "")) == (counts, 1)


def test_serve_with_the_demo_writes_it_once_and_links_the_port_served(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """``survey serve --demo`` (what ./dev run starts): the demo in the same start as the server, its
    report links on the port the server listens on when SURVEY_BASE_URL is unset."""
    served = Settings.from_environ(
        {"DATABASE_URL": cli_env.database_url or "", "SURVEY_DATA_DIR": str(cli_env.data_dir),
         "SURVEY_SECRET_KEY": "test", "SURVEY_PORT": "8123"}
    )  # fmt: skip
    asyncio.run(prepare_serving(served, True, demo_respondents=10))
    out = capsys.readouterr().out
    assert "created demo-trafficking, demo-ethics, demo-corruption" in out
    assert "report: http://127.0.0.1:8123/campaigns/demo-trafficking/report" in out
    assert "sign in at http://127.0.0.1:8123/sign-in as demo@example.org" in out

    asyncio.run(prepare_serving(served, True, demo_respondents=10))
    again = capsys.readouterr().out
    assert "demo campaigns already exist; nothing was added" in again
    assert "sign in at" not in again  # the password is shown only once
