"""The report as text: JSON (DESIGN.md's shape), a terminal table, and CSV.

All three are written from one :class:`~survey.analysis.results.Report`, so they carry the same numbers.
"""

from __future__ import annotations

import csv
import io
import math
import textwrap
from collections.abc import Iterator

import msgspec

from survey.analysis.results import EffectSummary, OutcomeReport, Report

__all__ = [
    "PERCENT_KINDS",
    "STANDARDISED",
    "group_names",
    "main_effects",
    "report_csv",
    "report_json",
    "report_table",
]

#: Kinds whose values are shares (0–1): shown as percentages, differences as percentage points.
PERCENT_KINDS = frozenset({"score", "proportion", "item"})
#: The standardised effect of each design, in order of preference, with its short name.
STANDARDISED: dict[str, str] = {
    "hedges_g": "g",
    "cohens_h": "h",
    "d_z": "dz",
    "d_av": "dav",
    "standardized_difference_in_differences": "d",
}
_RAW = ("mean_difference", "risk_difference", "paired_risk_difference", "difference_in_differences")
_SECTIONS = (("outcome", "Outcomes"), ("item", "Items"))


def report_json(report: Report) -> bytes:
    """The report's JSON, as ``/api/v1/campaigns/{key}/effects`` serves it."""
    return msgspec.json.encode(report)


def group_names(report: Report) -> list[str]:
    """The group names the report's outcomes use, in the order they first appear."""
    names: list[str] = []
    for outcome in (*report.outcomes, *report.items):
        names += [name for name in outcome.groups if name not in names]
    return names


def main_effects(outcome: OutcomeReport) -> tuple[EffectSummary | None, EffectSummary | None]:
    """The raw difference and the first standardised effect of an outcome (None where absent)."""
    raw = next((e for e in outcome.effects if e.name in _RAW), None)
    std = next((e for e in outcome.effects if e.name in STANDARDISED), None)
    return raw, std


def _rows(report: Report) -> Iterator[tuple[str, OutcomeReport]]:
    for outcome in report.outcomes:
        yield "outcome", outcome
    for item in report.items:
        yield "item", item


# -- the terminal table -------------------------------------------------------------------------------


def _signed(value: float | None, percent: bool) -> str:
    if value is None:
        return "–"
    return f"{100 * value:+.1f}" if percent else f"{value:+.2f}"


def _interval(effect: EffectSummary | None, percent: bool, prefix: str = "") -> str:
    if effect is None:
        return ""
    if effect.estimate is None:
        return f"{prefix}suppressed" if prefix else "suppressed"
    low, high = _signed(effect.ci_low, percent), _signed(effect.ci_high, percent)
    return f"{prefix}{_signed(effect.estimate, percent)} [{low}, {high}]"


def _p(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _sizes(outcome: OutcomeReport, names: list[str]) -> str:
    shown = []
    for name in names:
        group = outcome.groups.get(name)
        if group is None:
            shown.append("–")
        else:
            shown.append("<5" if group.n is None else str(group.n))
    return "/".join(shown)


def report_table(report: Report, width: int = 100) -> str:
    """The report as a plain-text table that fits ``width`` columns (100 by default).

    Differences of percentages (knowledge scores, proportions, items) are in percentage points;
    scales and Likert items in scale points.
    """
    level = f"{100 * report.confidence_level:g}%"
    names = [n for n in group_names(report) if n != "change"]
    lines = [f"{report.campaign}: {report.design} design, {level} confidence intervals"]
    for wave in report.waves:
        lines.append(
            f"  wave {wave.key} ({wave.phase}, {wave.arm}, v{wave.version}): "
            f"{wave.n_complete:,} complete"
        )
    key_w, n_w, raw_w, std_w, p_w = 20, 15, 24, 26, 8
    header = (
        f"{'':{key_w}} {'n ' + '/'.join(names):{n_w}.{n_w}} "
        f"{'difference [' + level + ' CI]':{raw_w}} {'standardised [CI]':{std_w}} {'p adj.':>{p_w}}"
    )
    for section, title in _SECTIONS:
        rows = [outcome for kind, outcome in _rows(report) if kind == section]
        if not rows:
            continue
        lines += ["", title, header]
        for outcome in rows:
            percent = outcome.kind in PERCENT_KINDS
            raw, std = main_effects(outcome)
            short = STANDARDISED.get(std.name, "") + " " if std is not None else ""
            key = outcome.key if len(outcome.key) <= key_w else outcome.key[: key_w - 1] + "…"
            if not outcome.comparable:
                lines.append(f"{key:{key_w}} not comparable between the waves' versions")
                continue
            lines.append(
                f"{key:{key_w}} {_sizes(outcome, names):{n_w}} "
                f"{_interval(raw, percent):{raw_w}} {_interval(std, False, short):{std_w}} "
                f"{_p(outcome.p_adjusted):>{p_w}}"
            )
    lines += [
        "",
        "Differences of percentages are in percentage points; p adjusted (Holm) per family.",
    ]
    caveats = [flag.message for flag in report.flags]
    if caveats:
        lines += ["", "Caveats"]
        for message in caveats:
            lines += textwrap.wrap(message, width, initial_indent="- ", subsequent_indent="  ")
    return "\n".join(line[:width].rstrip() for line in lines) + "\n"


# -- CSV ----------------------------------------------------------------------------------------------


def report_csv(report: Report) -> str:
    """The report as CSV: one row per outcome or item and effect, with every group's n, mean and sd.

    Numbers are written in full precision (``repr`` of the float); a suppressed or undefined number is
    an empty cell.
    """
    names = group_names(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    group_columns = [f"{stat}_{name}" for name in names for stat in ("n", "mean", "sd")]
    writer.writerow(
        [
            "campaign",
            "design",
            "section",
            "key",
            "kind",
            "label_en",
            "comparable",
            *group_columns,
            "effect",
            "estimate",
            "ci_low",
            "ci_high",
            "method",
            "p_value",
            "p_adjusted",
        ]
    )

    def cell(value: float | int | None) -> str:
        return "" if value is None else repr(value)

    for section, outcome in _rows(report):
        groups = []
        for name in names:
            group = outcome.groups.get(name)
            groups += (
                ["", "", ""] if group is None else [cell(group.n), cell(group.mean), cell(group.sd)]
            )
        head = [
            report.campaign,
            report.design,
            section,
            outcome.key,
            outcome.kind,
            outcome.label.get("en", ""),
            "true" if outcome.comparable else "false",
            *groups,
        ]
        tail = [cell(outcome.p_value), cell(outcome.p_adjusted)]
        if not outcome.effects:
            writer.writerow([*head, "", "", "", "", "", *tail])
        for effect in outcome.effects:
            writer.writerow(
                [
                    *head,
                    effect.name,
                    cell(effect.estimate),
                    cell(effect.ci_low),
                    cell(effect.ci_high),
                    effect.method,
                    *tail,
                ]
            )
    return buffer.getvalue()
