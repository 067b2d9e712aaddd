"""Time of the full campaign report on 100,000 synthetic responses × 20 items.

    python benchmarks/analysis.py [--responses 100000] [--repeat 5] [--seed 1] [--who]

Half the responses are the pre wave and half the post wave of an independent design. The questionnaire
has 20 items: 10 knowledge items (7 single choice, 3 multiple choice with partial credit), 9 Likert items
(3 reverse-coded) and one yes/no question; its outcomes are a knowledge score, an attitude scale and a
proportion. Two timings, each the median of ``--repeat`` runs:

- **parse**: stored answer mappings (what the database hands over) to the columns of a
  :class:`~survey.analysis.scoring.ResponseFrame` (:func:`~survey.analysis.scoring.frame_from_answers`);
- **report**: :func:`~survey.analysis.report.build_report`: every score, 3 outcomes and 19 items with their
  effects, intervals, alphas and Holm adjustment.

pandas + pingouin is timed in three parts, parse (``pd.DataFrame.from_records``), scoring (pandas) and
statistics (pingouin), so that the ratio to our report (scoring and statistics) compares like with like.

The same computations are then done the popular way, with pandas and pingouin (``pd.DataFrame`` from the
records, pandas scoring, ``pingouin.ttest`` / ``compute_effsize`` / ``compute_esci`` / ``cronbach_alpha``
/ ``multicomp``; pingouin has no difference of proportions, so those rows use statsmodels' Newcombe
interval and z test) and the ratio is printed. pandas and pingouin are not dependencies of the project:
without them (``pip install pandas pingouin``) that comparison is skipped with a message.

With ``--who`` the questionnaire also asks three questions about the respondent (a region of 5, an
education of 4, an age) and declares an analysis block: education and age bands as covariates, region
and age bands as grouping items. The report then adds each outcome's adjusted effect (two OLS fits and a
logistic one), the balance, and 2 × 3 subgroup breakdowns with their interaction tests; the pandas
comparison, which computes none of these, is skipped.

Performance budget (benchmarks/RESULTS.md, when this was written): the full report of 100,000 responses and 20 items in at most 2 s with the
database read, aiming for 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from survey.analysis.report import WaveData, build_report
from survey.analysis.scoring import frame_from_answers
from survey.questionnaire.fingerprint import item_fingerprints
from survey.questionnaire.load import load_definition
from survey.questionnaire.model import Questionnaire

CHOICE_ITEMS = [f"k{i}" for i in range(7)]
MULTI_ITEMS = [f"m{i}" for i in range(3)]
LIKERT_ITEMS = [f"a{i}" for i in range(9)]
REVERSED = {"a2", "a5", "a8"}
SIGNS = ["passport", "debt", "isolation", "travel", "wages"]
MULTI_CORRECT = {"passport", "debt", "isolation"}


def definition() -> Questionnaire:
    """The benchmark questionnaire, built as YAML and loaded like any form."""
    knowledge = [
        f"      - {{key: {k}, type: choice, choices: ynd, correct: 'no', text: {{en: Q {k}}}}}"
        for k in CHOICE_ITEMS
    ] + [
        f"      - {{key: {k}, type: multi, choices: signs, correct: [passport, debt, isolation], "
        f"scoring: partial, text: {{en: Q {k}}}}}"
        for k in MULTI_ITEMS
    ]
    likert = [
        f"      - {{key: {k}, type: likert, scale: agree5, text: {{en: S {k}}}"
        + (", reverse: true}" if k in REVERSED else "}")
        for k in LIKERT_ITEMS
    ]
    text = "\n".join(
        [
            "key: bench",
            "languages: [en]",
            "title: {en: Benchmark}",
            "choice_lists:",
            "  ynd:",
            "    - {value: 'yes', label: {en: 'Yes'}}",
            "    - {value: 'no', label: {en: 'No'}}",
            "    - {value: dk, label: {en: Don't know}}",
            "  signs:",
            *[f"    - {{value: {s}, label: {{en: {s}}}}}" for s in SIGNS],
            "likert_scales:",
            "  agree5: {points: 5, labels: {en: [a, b, c, d, e]}}",
            "sections:",
            "  - key: knowledge",
            "    items:",
            *knowledge,
            "  - key: attitudes",
            "    items:",
            *likert,
            "      - {key: q_would, type: choice, choices: ynd, text: {en: Would you report}}",
            "outcomes:",
            "  knowledge: {kind: score, label: {en: Knowledge}, items: ["
            + ", ".join(CHOICE_ITEMS + MULTI_ITEMS)
            + "]}",
            "  attitude: {kind: scale, label: {en: Attitude}, items: ["
            + ", ".join(LIKERT_ITEMS)
            + "], reverse: ["
            + ", ".join(sorted(REVERSED))
            + "]}",
            "  would_report: {kind: proportion, label: {en: Would report}, item: q_would, "
            "value: 'yes'}",
        ]
    )
    return load_definition(text)


#: The questions about the respondent and the analysis block of ``--who``.
WHO = """
  - key: you
    items:
      - {key: region, type: choice, choices: regions, text: {en: Region}}
      - {key: education, type: choice, choices: levels, text: {en: Education}}
      - {key: age, type: integer, min: 18, max: 60, text: {en: Age}}
analysis:
  covariates: [education, {item: age, bands: [30, 45]}]
  subgroups: [region, {item: age, bands: [30, 45]}]
"""


def who_definition() -> Questionnaire:
    """The benchmark questionnaire with three questions about the respondent and an analysis block."""
    from survey.questionnaire.fingerprint import canonical_definition

    text = canonical_definition(definition()).decode()
    data = yaml_of(text)
    extra = yaml_of(
        "choice_lists:\n"
        "  regions: ["
        + ", ".join(f"{{value: r{i}, label: {{en: R{i}}}}}" for i in range(5))
        + "]\n"
        "  levels: [" + ", ".join(f"{{value: e{i}, label: {{en: E{i}}}}}" for i in range(4)) + "]\n"
        "sections:" + WHO
    )
    data["choice_lists"].update(extra["choice_lists"])
    data["sections"] = extra["sections"] + data["sections"]
    data["analysis"] = extra["analysis"]
    from survey.questionnaire.load import load_object

    return load_object(data)


def yaml_of(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def who_answers(answers: list[dict[str, object]], rng: np.random.Generator) -> None:
    """Add a region, an education and an age to each answer mapping."""
    regions, levels = rng.integers(0, 5, len(answers)), rng.integers(0, 4, len(answers))
    ages = rng.integers(18, 61, len(answers))
    for a, r, e, age in zip(answers, regions, levels, ages, strict=True):
        a["region"], a["education"], a["age"] = f"r{r}", f"e{e}", int(age)


def synthetic_answers(
    n: int, rng: np.random.Generator, skill: float, attitude: float
) -> list[dict[str, object]]:
    """n answer mappings as the collect layer stores them (about 3% of each item left unanswered)."""
    ynd = np.array(["yes", "no", "dk"], dtype=object)
    columns: dict[str, list[object]] = {}
    for key in CHOICE_ITEMS:
        right = rng.random(n) < skill
        column = np.where(right, "no", ynd[rng.integers(0, 3, n)])
        columns[key] = column.tolist()
    for key in MULTI_ITEMS:
        picks = rng.random((n, len(SIGNS))) < skill
        wanted = np.array([s in MULTI_CORRECT for s in SIGNS])
        chosen = np.where(picks, wanted, ~wanted)
        columns[key] = [
            [s for s, c in zip(SIGNS, row, strict=True) if c] for row in chosen.tolist()
        ]
    factor = rng.normal(attitude, 1.0, n)
    for key in LIKERT_ITEMS:
        value = np.clip(np.rint(3 + factor + rng.normal(0, 0.8, n)), 1, 5).astype(int)
        columns[key] = (6 - value if key in REVERSED else value).tolist()
    columns["q_would"] = np.where(rng.random(n) < 0.3 + 0.4 * skill, "yes", "no").tolist()
    missing = {key: rng.random(n) < 0.03 for key in columns}
    keys = list(columns)
    answers = []
    for i in range(n):
        answers.append({k: columns[k][i] for k in keys if not missing[k][i]})
    return answers


def median_time(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ours(
    q: Questionnaire,
    pre: Sequence[dict[str, object]],
    post: Sequence[dict[str, object]],
    repeat: int,
) -> tuple[float, float]:
    comparability = item_fingerprints(q)
    parse, frames = median_time(
        lambda: (frame_from_answers(q, pre), frame_from_answers(q, post)), repeat
    )

    def report() -> Any:
        waves = [
            WaveData(
                key=key,
                phase=phase,
                arm="campaign",
                version=1,
                definition=q,
                comparability=comparability,
                frame=frame,
            )
            for key, phase, frame in (("pre", "pre", frames[0]), ("post", "post", frames[1]))
        ]
        return build_report("bench", "independent", waves)

    report_time, result = median_time(report, repeat)
    knowledge = next(o for o in result.outcomes if o.key == "knowledge")
    print(
        f"  knowledge: pre {knowledge.groups['pre'].mean:.3f}, post {knowledge.groups['post'].mean:.3f}, "
        f"g = {knowledge.effects[1].estimate:.3f}; {len(result.items)} items reported"
    )
    return parse, report_time


def with_pandas(
    q: Questionnaire,
    pre: Sequence[dict[str, object]],
    post: Sequence[dict[str, object]],
    repeat: int,
) -> tuple[float, float, float] | None:
    try:
        import pandas as pd
        import pingouin as pg
        from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
    except ImportError as exc:
        print(f"  skipped: {exc.name} is not installed (pip install pandas pingouin)")
        return None

    def parse() -> tuple[Any, Any]:
        return pd.DataFrame.from_records(pre), pd.DataFrame.from_records(post)

    parse_time, (df_pre, df_post) = median_time(parse, repeat)
    wanted = np.array([s in MULTI_CORRECT for s in SIGNS])

    def score(df: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in CHOICE_ITEMS:
            out[key] = df[key].eq("no").astype(float)  # unanswered counts as wrong, as in ours
        for key in MULTI_ITEMS:
            # One 0/1 column per choice, then the share classified right: the vectorised pandas way.
            answered = df[key].map(lambda v: isinstance(v, list))
            right = pd.concat(
                [
                    df[key].map(lambda v, s=s: isinstance(v, list) and s in v).eq(bool(w))
                    for s, w in zip(SIGNS, wanted, strict=True)
                ],
                axis=1,
            )
            out[key] = right.mean(axis=1).where(answered, 0.0)
            out[key + "_binary"] = right.all(axis=1).where(answered, False).astype(float)
        out["knowledge"] = pd.concat([out[k] for k in CHOICE_ITEMS + MULTI_ITEMS], axis=1).mean(
            axis=1
        )
        likert = df[LIKERT_ITEMS].astype(float)
        for key in REVERSED:
            likert[key] = 6 - likert[key]
        scale = likert.mean(axis=1)
        out["attitude"] = scale.where(likert.notna().sum(axis=1) >= len(LIKERT_ITEMS) / 2)
        out["likert"] = likert
        out["would_report"] = df["q_would"].eq("yes").astype(float).where(df["q_would"].notna())
        return out

    def means(a: Any, b: Any) -> float:
        a, b = a.dropna().to_numpy(), b.dropna().to_numpy()
        test = pg.ttest(a, b, correction=True)
        g = pg.compute_effsize(a, b, eftype="hedges")
        pg.compute_esci(g, len(a), len(b), eftype="hedges")
        return float(test["p_val"].iloc[0] if "p_val" in test else test["p-val"].iloc[0])

    def shares(a: Any, b: Any) -> float:
        a, b = a.dropna(), b.dropna()
        k = [int(a.sum()), int(b.sum())]
        n = [len(a), len(b)]
        confint_proportions_2indep(k[0], n[0], k[1], n[1], method="newcomb")
        pg.compute_effsize(a.to_numpy(), b.to_numpy(), eftype="cohen")  # no Cohen's h in pingouin
        return float(proportions_ztest(k, n)[1])

    def statistics_(s_pre: dict[str, Any], s_post: dict[str, Any]) -> None:
        outcome_p = [
            means(s_post["knowledge"], s_pre["knowledge"]),
            means(s_post["attitude"], s_pre["attitude"]),
            shares(s_post["would_report"], s_pre["would_report"]),
        ]
        for s in (s_pre, s_post):
            pg.cronbach_alpha(data=s["likert"])
        item_p = [
            shares(s_post[k], s_pre[k]) for k in CHOICE_ITEMS + [m + "_binary" for m in MULTI_ITEMS]
        ]
        likert_p = [means(s_post["likert"][k], s_pre["likert"][k]) for k in LIKERT_ITEMS]
        for p in (outcome_p, item_p, likert_p):
            pg.multicomp(p, method="holm")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        score_time, (s_pre, s_post) = median_time(lambda: (score(df_pre), score(df_post)), repeat)
        stats_time, _ = median_time(lambda: statistics_(s_pre, s_post), repeat)
    return parse_time, score_time, stats_time


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--who", action="store_true", help="with covariates and grouping items")
    args = parser.parse_args(argv)
    q = who_definition() if args.who else definition()
    rng = np.random.default_rng(args.seed)
    half = args.responses // 2
    print(f"generating {args.responses} responses × {len(list(q.items()))} items ...")
    pre = synthetic_answers(half, rng, skill=0.5, attitude=0.0)
    post = synthetic_answers(args.responses - half, rng, skill=0.6, attitude=0.3)
    if args.who:
        who_answers(pre, rng)
        who_answers(post, rng)

    print(f"survey.analysis (median of {args.repeat} runs):")
    parse, report = ours(q, pre, post, args.repeat)
    print(f"  parse {parse:.3f} s + report {report:.3f} s = {parse + report:.3f} s")

    if args.who:
        print("pandas + pingouin: skipped (they compute no adjusted or subgroup effects)")
        return 0
    print(f"pandas + pingouin (median of {args.repeat} runs):")
    theirs = with_pandas(q, pre, post, args.repeat)
    if theirs is not None:
        p_parse, p_score, p_stats = theirs
        total = p_parse + p_score + p_stats
        print(
            f"  parse {p_parse:.3f} s + scoring {p_score:.3f} s + statistics {p_stats:.3f} s "
            f"= {total:.3f} s"
        )
        print(
            f"ratio pandas+pingouin / survey.analysis: scoring and statistics "
            f"{(p_score + p_stats) / report:.1f}x, statistics alone {p_stats / report:.1f}x, "
            f"everything {total / (parse + report):.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
