"""``survey plan``: the command line of survey.analysis.power.

The simple cases reproduce published tables and statsmodels (tests/analysis/reference/planning.json,
each case with its source); the clustered case is recomputed here with scipy's noncentral t over whole
clusters with 2G − 2 degrees of freedom. User mistakes give one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from scipy import stats

from survey.cli import main

REFERENCE = json.loads(
    (Path(__file__).resolve().parent / "reference" / "planning.json").read_text(encoding="utf-8")
)


def plan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    try:
        code = main(["plan", *args])
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


@pytest.mark.parametrize("case", REFERENCE["sample_sizes"], ids=lambda c: " ".join(c["args"][1::2]))
def test_sample_sizes_reproduce_the_references(capsys, case: dict) -> None:
    code, lines, err = plan(capsys, *case["args"])
    assert (code, err) == (0, "")
    assert lines[0] == f"n per wave: {case['n']}", case["source"]
    # Then the assumptions, one per line, each saying what it is about.
    labels = [line.split(":", 1)[0] for line in lines[1:]]
    assert {"design", "effect", "test", "power", "method"} <= set(labels)


@pytest.mark.parametrize("case", REFERENCE["detectable"], ids=lambda c: " ".join(c["args"][1::2]))
def test_detectable_effects_reproduce_the_references(capsys, case: dict) -> None:
    code, lines, err = plan(capsys, *case["args"])
    assert (code, err) == (0, "")
    assert lines[0] == f"minimum detectable effect: {case['effect']}", case["source"]


def cluster_power(clusters: int, size: int, icc: float, d: float, per_arm_groups: int) -> float:
    """Power of the t test on cluster means, G clusters of m per group, 2G - 2 df, from scipy."""
    deff = 1 + (size - 1) * icc
    ncp = d * math.sqrt(clusters * size / (per_arm_groups * deff))
    df = 2 * clusters - 2
    crit = stats.t.isf(0.025, df)
    return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))


@pytest.mark.parametrize(("design", "groups"), [("independent", 2), ("comparison", 4)])
def test_clustered_case_uses_whole_clusters_and_2g_minus_2_df(
    capsys, design: str, groups: int
) -> None:
    # Issue 18: d = 0.5, ICC 0.05, 21 per cluster. The smallest G whose power reaches 0.8, by a loop.
    clusters = 2
    while cluster_power(clusters, 21, 0.05, 0.5, groups) < 0.8:
        clusters += 1
    args = ["--design", design, "--outcome", "smd", "--effect", "0.5"]
    code, lines, _ = plan(capsys, *args, "--icc", "0.05", "--cluster-size", "21")
    assert code == 0
    assert lines[0] == f"n per wave: {clusters * 21}"
    assert any(line.startswith(f"clusters: {clusters} per ") for line in lines)
    assert any(f"{2 * clusters - 2} degrees of freedom" in line for line in lines)
    if design == "independent":
        # 168, not the 128 (2 x 64) of multiplying by the design effect, whose power is 0.72.
        assert clusters == 8
        assert cluster_power(6, 21, 0.05, 0.5, 2) == pytest.approx(0.72, abs=0.01)
    # And back: these respondents detect d = 0.5 (rounded up to the third decimal).
    n = str(clusters * 21)
    code, lines, _ = plan(
        capsys, "--design", design, "--outcome", "smd", "--detect", "--n", n,
        "--icc", "0.05", "--cluster-size", "21",
    )  # fmt: skip
    assert code == 0 and float(lines[0].split(": ")[1]) <= 0.5


def test_the_assumptions_are_written_out(capsys) -> None:
    _, lines, _ = plan(
        capsys, "--design", "comparison", "--outcome", "proportion", "--p-pre", "0.4",
        "--p-post", "0.6", "--icc", "0.02", "--cluster-size", "30",
    )  # fmt: skip
    text = "\n".join(lines)
    assert "per arm and wave" in text
    assert "comparison arm stays at 0.4" in text
    assert "ICC 0.02" in text and "design effect 1.58" in text
    assert "alpha 0.05" in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "required: --design, --outcome"),
        (["--design", "cohort", "--outcome", "smd"], "invalid choice: 'cohort'"),
        (["--design", "independent", "--outcome", "smd"], "needs --effect"),
        (["--design", "independent", "--outcome", "smd", "--effect", "big"], "invalid float"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0"], "--effect: must be"),
        (["--design", "independent", "--outcome", "smd", "--effect", "nan"], "--effect: must"),
        (["--design", "independent", "--outcome", "smd", "--effect", "1e-300"], "more than"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--power", "2"], "--power"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--alpha", "-1"], "--alpha"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--p-pre", "0.2"], "--p-pre and --p-post are for"),
        (["--design", "independent", "--outcome", "proportion", "--effect", "0.5"], "--effect is for"),
        (["--design", "independent", "--outcome", "proportion", "--p-pre", "0.4"], "needs --p-pre P and --p-post Q"),
        (["--design", "independent", "--outcome", "proportion", "--p-pre", "0.4", "--p-post", "0.4"], "no change"),
        (["--design", "independent", "--outcome", "proportion", "--p-pre", "1", "--p-post", "0.4"], "--p-pre: must be"),
        (["--design", "panel", "--outcome", "proportion", "--p-pre", "0.4", "--p-post", "0.6"], "needs --correlation"),
        (["--design", "panel", "--outcome", "proportion", "--p-pre", "0.1", "--p-post", "0.9", "--correlation", "0.9"], "--correlation: 0.9 does not fit --p-pre 0.1"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--correlation", "0.5"], "--correlation: applies to panel"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--icc", "0.1"], "go together"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--icc", "2", "--cluster-size", "9"], "--icc: must be"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--icc", "0.1", "--cluster-size", "1e308"], "--cluster-size: must be"),
        (["--design", "independent", "--outcome", "smd", "--detect"], "--detect needs --n"),
        (["--design", "independent", "--outcome", "smd", "--n", "50"], "--n is for --detect"),
        (["--design", "independent", "--outcome", "smd", "--detect", "--n", "50", "--effect", "0.3"], "leave it out"),
        (["--design", "independent", "--outcome", "smd", "--detect", "--n", "1"], "fewer than 2 respondents"),
        (["--design", "independent", "--outcome", "smd", "--detect", "--n", "1.5"], "invalid int"),
        (["--design", "independent", "--outcome", "smd", "--detect", "--n", "-4"], "--n: must be a positive"),
        (["--design", "independent", "--outcome", "smd", "--detect", "--n", "10" * 30], "--n: must be a positive"),
        (["--design", "independent", "--outcome", "smd", "--detect", "--n", "30", "--icc", "0.1", "--cluster-size", "20"], "fewer than 2 clusters"),
        (["--design", "independent", "--outcome", "proportion", "--detect", "--n", "3", "--p-pre", "0.9"], "cannot detect"),
        (["--design", "independent", "--outcome", "proportion", "--detect", "--n", "30"], "needs --p-pre P"),
        (["--design", "independent", "--outcome", "smd", "--effect", "0.5", "--effect2", "1"], "unrecognized"),
        (["--design", "independent", "--outcome", "smd", "--effect", "'; DROP TABLE x; --"], "invalid float"),
    ],
)  # fmt: skip
def test_mistakes_get_one_clear_line(capsys, args: list[str], expected: str) -> None:
    code, lines, err = plan(capsys, *args)
    assert code != 0
    assert lines == []
    assert err.count("\n") == 1, err
    assert expected in err
    assert "Traceback" not in err and "_" not in err.split(":", 1)[1].replace("--p-", "")


def test_the_readme_examples_print_what_they_say(capsys) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    examples = [line for line in readme.splitlines() if line.startswith("survey plan ")]
    assert len(examples) >= 4
    for example in examples:
        command, _, comment = example.partition("#")
        code, lines, err = plan(capsys, *command.split()[2:])
        assert (code, err) == (0, ""), example
        if comment.strip():
            assert lines[0] == comment.strip(), example
