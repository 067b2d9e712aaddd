"""``survey analyze`` and ``GET /api/v1/campaigns/{key}/effects`` on a real database.

The data are synthetic answers to a small questionnaire, inserted as the respondent pages store them.
The report read from the database must equal :func:`build_report` on the same answers, and its numbers
are recomputed here, written separately from ``survey.analysis``: for an independent design from the
answers with scipy, for the panel and comparison designs from the CSV export (``survey export``) with
pandas, scipy and statsmodels.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import math

import asyncpg
import msgspec
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from litestar.testing import AsyncTestClient
from scipy import optimize, special, stats

from survey.analysis.report import WaveData, build_report
from survey.analysis.scoring import frame_from_answers
from survey.cli import main
from survey.db import analysis as analysis_db
from survey.db import campaigns as campaigns_db
from survey.db.pool import connect
from survey.db.questionnaires import get_version, publish
from survey.questionnaire.load import load_definition
from survey.settings import Settings
from tests.helpers import (
    AQ,
    CORRECT,
    EDUCATIONS,
    N_POST,
    N_PRE,
    Data,
    add_response,
    answers_for,
    make_account,
    make_campaign,
    make_composed,
    new_token,
)


async def expected_report(conn: asyncpg.Connection, data: Data, key: str = "tip"):
    """build_report on the answers as generated (not as read back by the code under test)."""
    version = await get_version(conn, "aq", 1)
    waves = [
        WaveData(
            key=f"{key}-{phase}",
            phase=phase,
            arm="campaign",
            version=1,
            definition=version.definition,
            comparability=version.comparability,
            frame=frame_from_answers(version.definition, rows),
        )
        for phase, rows in (("pre", data.pre), ("post", data.post))
    ]
    return build_report(key, "independent", waves)


def close(found: object, expected: object) -> bool:
    """Equal, floats up to rounding (the database returns responses in another order, so sums are
    added in another order)."""
    if isinstance(expected, float) and isinstance(found, float):
        return found == pytest.approx(expected, rel=1e-9, abs=1e-12)
    if isinstance(expected, dict) and isinstance(found, dict):
        return found.keys() == expected.keys() and all(close(found[k], expected[k]) for k in found)
    if isinstance(expected, list) and isinstance(found, list):
        return len(found) == len(expected) and all(map(close, found, expected))
    return found == expected


def setup(settings: Settings) -> tuple[Data, dict]:
    async def go():
        conn = await connect(settings.database_url or "")
        try:
            data = await make_campaign(conn)
            expected = await expected_report(conn, data)
            return data, json.loads(msgspec.json.encode(expected))
        finally:
            await conn.close()

    return asyncio.run(go())


def test_analyze_json_equals_build_report(cli_env: Settings, capsys) -> None:
    _, expected = setup(cli_env)
    assert main(["analyze", "tip", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert close(found, expected)
    assert [w["n_complete"] for w in found["waves"]] == [N_PRE, N_POST]
    assert {o["key"] for o in found["outcomes"]} == {"knowledge", "attitude", "would_report"}


def test_analyze_table_and_csv(cli_env: Settings, capsys) -> None:
    _, expected = setup(cli_env)
    assert main(["analyze", "tip"]) == 0
    table = capsys.readouterr().out
    assert max(len(line) for line in table.splitlines()) <= 100
    knowledge = next(o for o in expected["outcomes"] if o["key"] == "knowledge")
    diff = knowledge["effects"][0]
    assert diff["name"] == "mean_difference"
    row = next(line for line in table.splitlines() if line.startswith("knowledge "))
    assert f"{N_PRE}/{N_POST}" in row
    assert (
        f"{100 * diff['estimate']:+.1f} [{100 * diff['ci_low']:+.1f}, {100 * diff['ci_high']:+.1f}]"
        in row
    )

    assert main(["analyze", "tip", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by = {(r["key"], r["effect"], r["effect_group"]): r for r in rows}
    for outcome in expected["outcomes"] + expected["items"]:
        for effect in outcome["effects"]:
            row = by[(outcome["key"], effect["name"], effect["group"] or "")]
            for field in ("estimate", "ci_low", "ci_high"):
                value = effect[field]
                assert (row[field] == "") if value is None else close(float(row[field]), value)
            assert int(row["n_pre"]) == outcome["groups"]["pre"]["n"]


def test_analyze_unknown_campaign(cli_env: Settings, capsys) -> None:
    assert main(["analyze", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "nope" in err and "Traceback" not in err


async def test_effects_api(client: AsyncTestClient, db: asyncpg.Connection) -> None:
    data = await make_campaign(db)
    expected = json.loads(msgspec.json.encode(await expected_report(db, data)))
    assert (await client.get("/api/v1/campaigns/tip/effects")).status_code == 401
    for role in ("viewer", "analyst", "researcher", "admin"):
        token = await new_token(db, await make_account(db, role))
        response = await client.get(
            "/api/v1/campaigns/tip/effects", headers={"authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, (role, response.text[:300])
        assert close(response.json(), expected)
    missing = await client.get(
        "/api/v1/campaigns/nope/effects", headers={"authorization": f"Bearer {token}"}
    )
    assert missing.status_code == 404


# -- an independent recomputation -------------------------------------------------------------------


def hedges_g_welch(a: np.ndarray, b: np.ndarray, level: float = 0.95) -> tuple[float, ...]:
    """Hedges' g (Hedges 1981, exact J) with the noncentral-t interval on Welch's statistic and
    Welch-Satterthwaite df, mapped by se / s_p (Algina, Keselman & Penfield 2006), written from the
    formulas with scipy's noncentral t and a root finder."""
    n1, n2 = a.size, b.size
    df_pooled = n1 + n2 - 2
    sp = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / df_pooled)
    d = (a.mean() - b.mean()) / sp
    j = math.exp(special.gammaln(df_pooled / 2) - special.gammaln((df_pooled - 1) / 2)) / math.sqrt(
        df_pooled / 2
    )
    v1, v2 = a.var(ddof=1) / n1, b.var(ddof=1) / n2
    se = math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    scale = se / sp
    t = (a.mean() - b.mean()) / se

    def limit(p: float) -> float:
        # A narrow bracket, widened step by step: scipy's nct.cdf is NaN in the far tails.
        f = lambda ncp: stats.nct.cdf(t, df, ncp) - p  # noqa: E731
        width = 1.0
        while f(t - width) * f(t + width) > 0:
            width += 1.0
        return optimize.brentq(f, t - width, t + width, xtol=1e-12)

    alpha = 1 - level
    return d * j, limit(1 - alpha / 2) * scale * j, limit(alpha / 2) * scale * j


def p_off_the_interval(interval) -> float:
    """1 minus the confidence level at which the limit nearer 0 of ``interval(level)`` (a function
    returning (estimate, low, high)) is 0, by bisection on the normal critical value (up to 8, beyond
    which a level is 1 in floating point; these data's p are far larger)."""
    estimate = interval(0.95)[0]
    if estimate == 0:
        return 1.0
    low, high = 0.0, 8.0
    for _ in range(200):
        z = (low + high) / 2
        _, lower, upper = interval(1 - 2 * stats.norm.sf(z))
        if (lower > 0) if estimate > 0 else (upper < 0):
            low = z
        else:
            high = z
    return 2 * stats.norm.sf((low + high) / 2)


def wilson(k: int, n: int, z: float) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def newcombe(k1: int, n1: int, k2: int, n2: int, level: float = 0.95) -> tuple[float, ...]:
    """Newcombe (1998), method 10: the hybrid score interval from two Wilson intervals."""
    z = stats.norm.ppf(1 - (1 - level) / 2)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def holm(p: list[float]) -> list[float]:
    order = sorted(range(len(p)), key=lambda i: p[i])
    out = [0.0] * len(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def test_independent_numbers_recomputed_with_scipy(cli_env: Settings, capsys) -> None:
    data, _ = setup(cli_env)
    assert main(["analyze", "tip", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    outcomes = {o["key"]: o for o in report["outcomes"]}

    def knowledge(rows: list[dict]) -> np.ndarray:
        return np.array([np.mean([r[k] == v for k, v in CORRECT.items()]) for r in rows])

    def attitude(rows: list[dict]) -> np.ndarray:
        return np.array([np.mean([r["a1"], r["a2"], r["a3"]]) for r in rows], dtype=float)

    pvalues = []
    for key, score in (("knowledge", knowledge), ("attitude", attitude)):
        post, pre = score(data.post), score(data.pre)
        effects = {e["name"]: e for e in outcomes[key]["effects"]}
        welch = stats.ttest_ind(post, pre, equal_var=False)
        ci = welch.confidence_interval(0.95)
        raw = effects["mean_difference"]
        assert raw["estimate"] == pytest.approx(post.mean() - pre.mean(), abs=1e-12)
        assert (raw["ci_low"], raw["ci_high"]) == pytest.approx((ci.low, ci.high), abs=1e-9)
        g = effects["hedges_g"]
        assert (g["estimate"], g["ci_low"], g["ci_high"]) == pytest.approx(
            hedges_g_welch(post, pre), abs=1e-6
        )
        assert outcomes[key]["groups"]["pre"]["sd"] == pytest.approx(pre.std(ddof=1))
        assert outcomes[key]["p_value"] == pytest.approx(welch.pvalue, rel=1e-6)
        pvalues.append(welch.pvalue)

    k_post = sum(r["would"] == "yes" for r in data.post)
    k_pre = sum(r["would"] == "yes" for r in data.pre)
    rd = {e["name"]: e for e in outcomes["would_report"]["effects"]}["risk_difference"]
    assert (rd["estimate"], rd["ci_low"], rd["ci_high"]) == pytest.approx(
        newcombe(k_post, N_POST, k_pre, N_PRE), abs=1e-9
    )
    # The p read off Newcombe's interval (where its limit nearer 0 reaches 0), then Holm over the
    # three declared outcomes.
    pvalues.append(p_off_the_interval(lambda level: newcombe(k_post, N_POST, k_pre, N_PRE, level)))
    assert outcomes["would_report"]["p_value"] == pytest.approx(pvalues[2], rel=1e-6)
    adjusted = holm(pvalues)
    for key, value in zip(("knowledge", "attitude", "would_report"), adjusted, strict=True):
        assert outcomes[key]["p_adjusted"] == pytest.approx(value, rel=1e-6)


# -- the panel and comparison designs, recomputed from the CSV export ---------------------------------
#
# Written from the formulas with pandas, scipy and statsmodels; nothing below calls survey.analysis.
# The data go in through the database and come back out through ``survey export --format csv``.

N_PAIRS, N_PRE_ONLY, N_POST_ONLY = 70, 12, 6
N_ARM = 60  # responses per wave and arm of the comparison design
AIMAGS = ["ub", "darkhan", "erdenet"]
# The questionnaire with a panel code, as a panel campaign requires (the code itself is never stored;
# the responses carry its keyed hash as panel_key; the export links them by a pair id instead).
PQ = AQ.replace("key: aq\n", "key: pq\n", 1).replace(
    "    items:\n",
    '    items:\n      - {key: code, type: panel_code, text: {mn: "Код", en: "Code"}}\n',
    1,
)


def panel_rows(rng: np.random.Generator) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """Panel answers: N_PAIRS people answer twice, some only before, some only after; each person's
    second answers lean on their first, so the pairs are correlated as real panels are."""
    pre, post = [], []
    for i in range(N_PAIRS + N_PRE_ONLY):
        first = answers_for(rng, 1, 0.45, 0)[0]
        pre.append((f"p{i:03d}", first))
        if i < N_PAIRS:
            second = answers_for(rng, 1, 0.65, 1)[0]
            # Keep some answers from before, so the before/after tables have all four cells filled.
            for key in ("k1", "a1", "would"):
                if rng.random() < 0.5:
                    second[key] = first[key]
            post.append((f"p{i:03d}", second))
    post += [(f"q{i:03d}", answers_for(rng, 1, 0.65, 1)[0]) for i in range(N_POST_ONLY)]
    return pre, post


async def make_panel(conn: asyncpg.Connection) -> None:
    await publish(conn, load_definition(PQ))
    await campaigns_db.create_campaign(conn, "eth", questionnaire="pq", design="panel")
    rng = np.random.default_rng(20270302)
    pre_rows, post_rows = panel_rows(rng)
    for phase, rows in (("pre", pre_rows), ("post", post_rows)):
        wave = await campaigns_db.add_wave(conn, "eth", phase=phase)
        for key, answers in rows:
            await add_response(conn, wave, answers, panel_key=key)
        await add_response(conn, wave, {"k1": "no"}, status="in_progress", panel_key="p000")


async def make_comparison(conn: asyncpg.Connection) -> None:
    await publish(conn, load_definition(AQ))
    await campaigns_db.create_campaign(
        conn, "cor", questionnaire="aq", design="comparison", cluster_item="aimag"
    )
    rng = np.random.default_rng(20270303)
    # The campaign arm gains; the comparison arm drifts a little, so the DiD differs from the raw change.
    cells = {
        ("pre", "campaign"): (0.45, 0),
        ("post", "campaign"): (0.70, 1),
        ("pre", "comparison"): (0.40, 0),
        ("post", "comparison"): (0.48, 0),
    }
    for (phase, arm), (p_correct, shift) in cells.items():
        wave = await campaigns_db.add_wave(conn, "cor", phase=phase, arm=arm)
        for answers in answers_for(rng, N_ARM, p_correct, shift):
            await add_response(conn, wave, answers)


def exported(cli_env: Settings, capsys, tmp_path, campaign: str) -> tuple[pd.DataFrame, dict]:
    """The CSV export of the campaign (complete responses) and ``survey analyze --format json``."""
    out = tmp_path / f"{campaign}.csv"
    assert main(["export", campaign, "--format", "csv", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["analyze", campaign, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    table = pd.read_csv(out, dtype={"pair_id": str, "would": str, "aimag": str})
    table = table[table["status"] == "complete"].copy()
    table["knowledge"] = sum((table[k] == v).astype(float) for k, v in CORRECT.items()) / 4
    table["attitude"] = table[["a1", "a2", "a3"]].astype(float).mean(axis=1)
    table["would_report"] = (table["would"] == "yes").astype(float)
    return table, report


def effects_of(report: dict, key: str) -> dict[str, dict]:
    outcome = next(o for o in report["outcomes"] + report["items"] if o["key"] == key)
    return {e["name"]: e for e in outcome["effects"]}


def triple(effect: dict) -> tuple[float, float, float]:
    return effect["estimate"], effect["ci_low"], effect["ci_high"]


def noncentral_limits(t: float, df: float, level: float = 0.95) -> tuple[float, float]:
    """The noncentrality parameters whose noncentral t puts t at the upper and lower alpha/2 tails."""

    def solve(p: float) -> float:
        f = lambda ncp: stats.nct.cdf(t, df, ncp) - p  # noqa: E731
        width = 1.0
        while f(t - width) * f(t + width) > 0:
            width += 1.0
        return optimize.brentq(f, t - width, t + width, xtol=1e-12)

    alpha = 1 - level
    return solve(1 - alpha / 2), solve(alpha / 2)


def newcombe_paired(a: int, b: int, c: int, d: int, level: float = 0.95) -> tuple[float, ...]:
    """Newcombe (1998b, Stat Med 17:2635), method 10: Wilson limits for the two paired proportions,
    combined with the phi correlation of the 2×2 table (a = both, b = after only, c = before only,
    d = neither); AD − BC is reduced by n/2 when positive, and phi is 0 when a margin is empty."""
    z = stats.norm.ppf(1 - (1 - level) / 2)
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson(a + b, n, z)
    l2, u2 = wilson(a + c, n, z)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    cross = a * d - b * c
    if cross > 0:
        cross = max(cross - n / 2, 0)
    phi = cross / math.sqrt(margins) if margins else 0.0
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    return diff, low, high


def test_panel_numbers_recomputed_from_the_csv_export(cli_env: Settings, capsys, tmp_path) -> None:
    async def go() -> None:
        conn = await connect(cli_env.database_url or "")
        try:
            await make_panel(conn)
        finally:
            await conn.close()

    asyncio.run(go())
    table, report = exported(cli_env, capsys, tmp_path, "eth")
    # Responses without a pair (answered once only) have no pair id; pandas would match those blanks.
    paired = table[table["pair_id"].notna()]
    pre, post = paired[paired["phase"] == "pre"], paired[paired["phase"] == "post"]
    pairs = pd.merge(pre, post, on="pair_id", how="inner", suffixes=("_pre", "_post"))
    assert len(pairs) == N_PAIRS

    for key in ("knowledge", "attitude"):
        before, after = pairs[f"{key}_pre"].to_numpy(), pairs[f"{key}_post"].to_numpy()
        found = effects_of(report, key)
        paired = stats.ttest_rel(after, before)
        ci = paired.confidence_interval(0.95)
        assert triple(found["mean_difference"]) == pytest.approx(
            ((after - before).mean(), ci.low, ci.high), abs=1e-9
        )
        # d_z = mean(D) / sd(D), interval from the noncentral t of the paired t statistic (Cumming
        # & Finch 2001; Algina & Keselman 2003), both limits divided by sqrt(n).
        diff = after - before
        n = diff.size
        t = diff.mean() / diff.std(ddof=1) * math.sqrt(n)
        low, high = noncentral_limits(t, n - 1)
        assert triple(found["d_z"]) == pytest.approx(
            (t / math.sqrt(n), low / math.sqrt(n), high / math.sqrt(n)), abs=1e-6
        )

    after = pairs["would_report_post"] == 1
    before = pairs["would_report_pre"] == 1
    a, b = int((after & before).sum()), int((after & ~before).sum())
    c, d = int((~after & before).sum()), int((~after & ~before).sum())
    assert min(a, b, c, d) > 0  # every cell of the table is exercised
    found = effects_of(report, "would_report")["paired_risk_difference"]
    assert triple(found) == pytest.approx(newcombe_paired(a, b, c, d), abs=1e-9)
    # The p read off the paired interval (not McNemar's exact test, which can disagree with it).
    expected_p = p_off_the_interval(lambda level: newcombe_paired(a, b, c, d, level))
    outcome = next(o for o in report["outcomes"] if o["key"] == "would_report")
    assert outcome["p_value"] == pytest.approx(expected_p, rel=1e-9)


def test_comparison_numbers_recomputed_from_the_csv_export(
    cli_env: Settings, capsys, tmp_path
) -> None:
    async def go() -> None:
        conn = await connect(cli_env.database_url or "")
        try:
            await make_comparison(conn)
        finally:
            await conn.close()

    asyncio.run(go())
    table, report = exported(cli_env, capsys, tmp_path, "cor")
    assert len(table) == 4 * N_ARM
    table["post_"] = (table["phase"] == "post").astype(int)
    table["treated"] = (table["arm"] == "campaign").astype(int)
    clusters = table["aimag"].map({a: i for i, a in enumerate(AIMAGS)}).to_numpy()

    for key in ("knowledge", "attitude", "would_report"):
        means = table.pivot_table(index="arm", columns="phase", values=key, aggfunc="mean")
        did = (means.loc["campaign", "post"] - means.loc["campaign", "pre"]) - (
            means.loc["comparison", "post"] - means.loc["comparison", "pre"]
        )
        # Cluster-robust (CR1) OLS, t with G − 1 df (Cameron & Miller 2015), by statsmodels' formula
        # API on the exported table.
        fit = smf.ols(f"{key} ~ post_ * treated", data=table).fit(
            cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True
        )
        low, high = fit.conf_int(alpha=0.05).loc["post_:treated"]
        found = effects_of(report, key)["difference_in_differences"]
        assert fit.params["post_:treated"] == pytest.approx(did, abs=1e-12)
        assert triple(found) == pytest.approx((did, low, high), abs=1e-9), key
        outcome = next(o for o in report["outcomes"] if o["key"] == key)
        assert outcome["p_value"] == pytest.approx(fit.pvalues["post_:treated"], rel=1e-6)
        if key != "would_report":
            standardised = effects_of(report, key)["standardized_difference_in_differences"]
            assert triple(standardised) == pytest.approx(
                standardized_did_fieller(table, key, fit, len(AIMAGS)), abs=1e-9
            )
            assert standardised["p_value"] == pytest.approx(outcome["p_value"], rel=1e-12)


def standardized_did_fieller(
    table: pd.DataFrame, key: str, fit: object, clusters: int
) -> tuple[float, float, float]:
    """Morris's (2008) standardised DiD over the pooled pre SD, with the exact small-sample factor J
    and Fieller's (1954) interval for the ratio of the DiD to that SD, written out here:
    every delta with (D - delta s)^2 <= t^2 (se^2 + delta^2 s^2 (1 - c4^2)), t from t(G - 1)."""
    pre = table[table["phase"] == "pre"]
    groups = [pre.loc[pre["arm"] == arm, key].to_numpy() for arm in ("campaign", "comparison")]
    df = sum(g.size for g in groups) - 2
    s = math.sqrt(sum(((g - g.mean()) ** 2).sum() for g in groups) / df)
    j = math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)
    c4 = math.sqrt(2 / df) * math.exp(special.gammaln((df + 1) / 2) - special.gammaln(df / 2))
    raw, se = fit.params["post_:treated"], fit.bse["post_:treated"]
    t = stats.t.isf(0.025, clusters - 1)
    # The quadratic in delta: (s^2 - t^2 s^2 (1 - c4^2)) delta^2 - 2 D s delta + D^2 - t^2 se^2 = 0.
    qa = s * s * (1 - t * t * (1 - c4 * c4))
    qb = -2 * raw * s
    qc = raw * raw - t * t * se * se
    root = math.sqrt(qb * qb - 4 * qa * qc)
    return j * raw / s, j * (-qb - root) / (2 * qa), j * (-qb + root) / (2 * qa)


async def test_wave_columns_are_the_stored_answers_in_submission_order(
    db: asyncpg.Connection,
) -> None:
    """The column read gives, per item, exactly what each response's stored JSON holds (types kept,
    lists whole, None where absent), in submission order, and leaves unfinished responses out."""
    await publish(db, load_definition(AQ))
    await campaigns_db.create_campaign(db, "col", questionnaire="aq", design="independent")
    wave = await campaigns_db.add_wave(db, "col", phase="pre")
    stored = [
        {"k1": "no", "a1": 4, "would": "yes", "aimag": "ub"},
        {"k1": ["yes", "no]"], "a1": "3", "x": 1},  # corrupt: a list, a string number
        {},
        {"k1": "dk", "a1": 2.5, "a2": True, "would": None, "aimag": "darkhan"},
    ]
    # Inserted out of order: the read must order by submission time.
    for minutes in (30, 10, 40, 20):
        answers = stored[[10, 20, 30, 40].index(minutes)]
        await add_response(db, wave, answers, minutes=minutes)
    await add_response(db, wave, {"k1": "no"}, status="in_progress")
    read = await analysis_db.complete_columns(db, wave.id, ["would", "k1", "a1", "a2"], "aimag")
    assert read.n == len(stored)
    for key in ("would", "k1", "a1", "a2"):
        assert read.columns[key] == [a.get(key) for a in stored], key
    assert [type(v) for v in read.columns["a1"]] == [int, str, type(None), float]
    assert read.clusters == ["ub", None, None, "darkhan"]
    empty = await analysis_db.complete_columns(db, wave.id, [], None)
    assert empty.n == len(stored) and empty.columns == {}


async def test_columns_of_waves_are_each_waves_columns(db: asyncpg.Connection) -> None:
    """Reading several waves with the next query in flight hands each wave's own columns to the
    consumer, in order, as the one-wave read gives them; an error in the consumer propagates and
    leaves the connection usable."""
    await publish(db, load_definition(AQ))
    await campaigns_db.create_campaign(db, "many", questionnaire="aq", design="independent")
    pre = await campaigns_db.add_wave(db, "many", phase="pre")
    post = await campaigns_db.add_wave(db, "many", phase="post")
    await campaigns_db.create_campaign(db, "none", questionnaire="aq", design="independent")
    empty = await campaigns_db.add_wave(db, "none", phase="pre")
    for minutes, answers in ((20, {"k1": "no", "a1": 4}), (10, {"k1": "dk", "aimag": "ub"})):
        await add_response(db, pre, answers, minutes=minutes)
    await add_response(db, post, {"k1": "yes", "a1": 2, "aimag": "darkhan"})
    requests = [(pre.id, ["k1", "a1"]), (post.id, ["a1"]), (empty.id, ["k1"])]
    seen: list[int] = []

    def consume(index: int, columns: analysis_db.WaveColumns) -> analysis_db.WaveColumns:
        seen.append(index)
        return columns

    read = await analysis_db.complete_columns_of_waves(db, requests, "aimag", consume)
    assert seen == [0, 1, 2]
    for (wave_id, items), columns in zip(requests, read, strict=True):
        assert columns == await analysis_db.complete_columns(db, wave_id, items, "aimag")
    assert read[0].columns == {"k1": ["dk", "no"], "a1": [None, 4]}
    assert read[0].clusters == ["ub", None]
    assert read[1].columns == {"a1": [2]} and read[2].n == 0

    def fail(index: int, columns: analysis_db.WaveColumns) -> None:
        raise ValueError(index)

    with pytest.raises(ValueError, match="0"):
        await analysis_db.complete_columns_of_waves(db, requests, None, fail)
    assert await db.fetchval("SELECT 1") == 1
    assert await analysis_db.complete_columns_of_waves(db, [], None, consume) == []


# -- who answered: adjusted, subgroup and balance numbers (issue 18, items 7 and 8) -----------------
# A questionnaire with an analysis block (CQ, make_composed in tests/helpers.py); the after wave has more
# of the better educated, who know more. Recomputed from the CSV export with statsmodels' formula
# interface.


def test_adjusted_subgroup_and_balance_numbers_recomputed_from_the_export(
    cli_env: Settings, capsys, tmp_path
) -> None:
    async def go() -> None:
        conn = await connect(cli_env.database_url or "")
        try:
            await make_composed(conn)
        finally:
            await conn.close()

    asyncio.run(go())
    table, report = exported(cli_env, capsys, tmp_path, "mix")
    table["post"] = (table["phase"] == "post").astype(int)
    outcomes = {o["key"]: o for o in report["outcomes"]}
    for key, kind in (("knowledge", "ols"), ("attitude", "ols"), ("would_report", "logit")):
        adjusted = outcomes[key]["adjusted"]
        if kind == "ols":
            fit = smf.ols(f"{key} ~ post + C(education)", table).fit(cov_type="HC2", use_t=True)
            low, high = fit.conf_int(0.05).loc["post"]
            expected = (fit.params["post"], low, high, fit.pvalues["post"])
        else:
            fit = smf.logit(f"{key} ~ post + C(education)", table).fit(disp=0, cov_type="HC0")
            margins = fit.get_margeff(at="overall", dummy=True).summary_frame().loc["post"]
            expected = (
                margins["dy/dx"],
                margins["Conf. Int. Low"],
                margins["Cont. Int. Hi."],
                margins["Pr(>|z|)"],
            )
        found = (adjusted["estimate"], adjusted["ci_low"], adjusted["ci_high"], adjusted["p_value"])
        assert found == pytest.approx(expected, rel=1e-6), key
        assert outcomes[key]["adjusted_for"] == ["education"]
    # Better educated after: the crude knowledge change is larger than the adjusted one.
    assert (
        outcomes["knowledge"]["effects"][0]["estimate"]
        > outcomes["knowledge"]["adjusted"]["estimate"]
    )
    # Each aimag's change, and the test that they are alike.
    knowledge = outcomes["knowledge"]
    for sub in knowledge["subgroups"]:
        mine = table[table["aimag"] == sub["value"]]
        a, b = mine.loc[mine.post == 1, "knowledge"], mine.loc[mine.post == 0, "knowledge"]
        low, high = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
        assert (sub["effect"]["ci_low"], sub["effect"]["ci_high"]) == pytest.approx(
            (low, high), rel=1e-9
        )
        assert (sub["groups"]["pre"]["n"], sub["groups"]["post"]["n"]) == (len(b), len(a))
    fit = smf.ols("knowledge ~ 0 + C(aimag) + C(aimag):post", table).fit(cov_type="HC2", use_t=True)
    first, *others = sorted(AIMAGS)
    contrasts = ", ".join(f"C(aimag)[{first}]:post = C(aimag)[{a}]:post" for a in others)
    wald = fit.wald_test(contrasts, use_f=True, scalar=True)
    assert knowledge["interaction_p"]["aimag"] == pytest.approx(float(wald.pvalue), rel=1e-9)
    # Balance: each education's count and share per wave.
    (education,) = report["balance"]
    for phase in ("pre", "post"):
        wave = table[table["phase"] == phase]
        for level in education["groups"][phase]["levels"]:
            count = int((wave["education"] == level["value"]).sum())
            assert (level["n"], level["share"]) == (count, pytest.approx(count / len(wave)))

    # The same numbers in the terminal table and the CSV.
    assert main(["analyze", "mix"]) == 0
    text = capsys.readouterr().out
    assert max(len(line) for line in text.splitlines()) <= 100
    adjusted = knowledge["adjusted"]
    lines = text.splitlines()
    below = lines[next(i for i, x in enumerate(lines) if x.startswith("knowledge ")) + 1 :]
    line = next(x for x in below if x.startswith("  adjusted"))
    assert f"{100 * adjusted['estimate']:+.1f} [{100 * adjusted['ci_low']:+.1f}," in line
    assert "for education" in line
    assert any(x.startswith("  aimag=darkhan") for x in text.splitlines())
    assert "  aimag: the groups' effects differ? interaction p = " in text
    assert "Balance (who answered before / after" in text
    assert main(["analyze", "mix", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    row = next(r for r in rows if r["section"] == "adjusted" and r["key"] == "knowledge")
    assert float(row["estimate"]) == pytest.approx(adjusted["estimate"], rel=1e-12)
    sub_rows = [r for r in rows if r["section"] == "subgroup" and r["key"] == "knowledge"]
    assert {r["level"] for r in sub_rows} == set(AIMAGS)
    for r in sub_rows:
        assert float(r["interaction_p"]) == pytest.approx(knowledge["interaction_p"]["aimag"])
    shares = [r for r in rows if r["section"] == "balance" and r["level"]]
    assert {r["level"] for r in shares} == set(EDUCATIONS)
    assert sum(int(r["n_pre"]) for r in shares) == 120


async def test_the_effects_api_carries_adjusted_subgroup_and_balance_numbers(
    client: AsyncTestClient, db: asyncpg.Connection
) -> None:
    await make_composed(db)
    token = await new_token(db, await make_account(db, "viewer"))
    response = await client.get(
        "/api/v1/campaigns/mix/effects", headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    found = response.json()
    knowledge = next(o for o in found["outcomes"] if o["key"] == "knowledge")
    assert knowledge["adjusted"]["name"] == "mean_difference"
    assert knowledge["adjusted_for"] == ["education"] and knowledge["adjusted_reason"] is None
    assert {s["value"] for s in knowledge["subgroups"]} == set(AIMAGS)
    assert set(knowledge["subgroups"][0]) >= {"group", "value", "effect"}
    assert set(knowledge["interaction_p"]) == {"aimag"}
    assert [b["key"] for b in found["balance"]] == ["education"]
    for item in found["items"]:
        assert item["adjusted"] is None
        assert item["adjusted_reason"]["code"] == "adjusted_outcomes_only"
    # The same numbers as the report computed directly.
    from survey.reports.data import campaign_report

    assert close(found, json.loads(msgspec.json.encode(await campaign_report(db, "mix"))))
