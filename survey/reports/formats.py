"""The report as text: JSON (the shape of docs/analysis.md), a terminal table, and CSV.

All three are written from one :class:`~survey.analysis.results.Report`, so they carry the same numbers.
"""

from __future__ import annotations

import csv
import io
import math
import textwrap
from collections.abc import Iterator, Mapping

import msgspec

from survey.analysis.results import (
    CovariateSummary,
    EffectSummary,
    GroupSummary,
    LevelShare,
    OutcomeReport,
    Report,
)

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
            if outcome.adjusted is not None:
                label = "  adjusted"
                lines.append(
                    f"{label:{key_w}} {'':{n_w}} {_interval(outcome.adjusted, percent):{raw_w}} "
                    f"for {', '.join(outcome.adjusted_for)}"
                )
            for sub in outcome.subgroups:
                label = _short(f"  {sub.group}={sub.value}", key_w)
                sizes = _sizes(msgspec.structs.replace(outcome, groups=sub.groups), names)
                lines.append(
                    f"{label:{key_w}} {sizes:{n_w}} {_interval(sub.effect, percent):{raw_w}} "
                    f"{'':{std_w}} {_p(sub.p_adjusted):>{p_w}}"
                )
            for item, p in outcome.interaction_p.items():
                lines.append(f"  {item}: the groups' effects differ? interaction p = {_p(p)}")
    lines += [
        "",
        "Differences of percentages are in percentage points; p adjusted (Holm) per family, and for",
        "groups (item=value) across the item's groups. 'adjusted': for the covariates named after it.",
    ]
    lines += _balance_lines(report)
    caveats = [flag.message for flag in report.flags]
    if caveats:
        lines += ["", "Caveats"]
        for message in caveats:
            lines += textwrap.wrap(message, width, initial_indent="- ", subsequent_indent="  ")
    return "\n".join(line[:width].rstrip() for line in lines) + "\n"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _balance_lines(report: Report) -> list[str]:
    """Who answered before and after: each covariate's categories (count and share) or mean, and its
    standardised difference."""
    if not report.balance:
        return []
    lines = [
        "",
        "Balance (who answered before / after; standardised difference d, 0.1 and above: imbalance)",
    ]
    for covariate in report.balance:
        d = covariate.standardized_difference
        lines.append(f"{covariate.key:34} d = {'–' if d is None else f'{d:.2f}'}")
        pre, post = covariate.groups.get("pre"), covariate.groups.get("post")
        if covariate.kind == "numeric":
            cells = [
                "<5" if g is None or g.mean is None else f"{g.mean:.1f} (SD {g.sd or 0:.1f})"
                for g in (pre, post)
            ]
            lines.append(f"  {'mean':32} {cells[0]:>16} {cells[1]:>16}")
            continue
        before = {level.value: level for level in pre.levels} if pre else {}
        after = {level.value: level for level in post.levels} if post else {}
        for value in [*before, *(v for v in after if v not in before)]:
            name = _short("(not answered)" if value is None else value, 32)
            cells = (_share(before.get(value)), _share(after.get(value)))
            lines.append(f"  {name:32} {cells[0]:>16} {cells[1]:>16}")
    return lines


def _share(level: LevelShare | None) -> str:
    if level is None:
        return "–"
    if level.n is None or level.share is None:
        return "<5"
    return f"{level.n} ({100 * level.share:.0f}%)"


# -- CSV ----------------------------------------------------------------------------------------------


def report_csv(report: Report) -> str:
    """The report as CSV: one row per outcome or item and effect, with every group's n, mean and sd.

    Beside the ``outcome`` and ``item`` rows: an ``adjusted`` row per outcome with an adjusted effect
    (its p in ``p_value``); a ``subgroup`` row per outcome and group (``subgroup`` the grouping item,
    ``level`` the group, the groups' numbers within it, ``p_adjusted`` by Holm across the item's
    groups, ``interaction_p`` the item's test); and ``balance`` rows per covariate (``key``), one per
    category (``level``, "(not answered)" for those who did not answer; ``n_`` its count, ``mean_`` its
    share) and one with the standardised difference (``effect`` standardized_difference; a number's
    ``n_``, ``mean_`` and ``sd_`` on it).

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
            "effect_group",
            "estimate",
            "ci_low",
            "ci_high",
            "method",
            "p_value",
            "p_adjusted",
            "subgroup",
            "level",
            "interaction_p",
        ]
    )

    def cell(value: float | int | None) -> str:
        return "" if value is None else repr(value)

    def numbers(groups: Mapping[str, GroupSummary | CovariateSummary]) -> list[str]:
        out = []
        for name in names:
            group = groups.get(name)
            out += (
                ["", "", ""] if group is None else [cell(group.n), cell(group.mean), cell(group.sd)]
            )
        return out

    def effect_cells(effect: EffectSummary | None) -> list[str]:
        if effect is None:
            return ["", "", "", "", "", ""]
        low, high = cell(effect.ci_low), cell(effect.ci_high)
        return [effect.name, effect.group or "", cell(effect.estimate), low, high, effect.method]

    for section, outcome in _rows(report):
        head = [
            report.campaign,
            report.design,
            section,
            outcome.key,
            outcome.kind,
            outcome.label.get("en", ""),
            "true" if outcome.comparable else "false",
        ]
        groups = numbers(outcome.groups)
        tail = [cell(outcome.p_value), cell(outcome.p_adjusted), "", "", ""]
        if not outcome.effects:
            writer.writerow([*head, *groups, *effect_cells(None), *tail])
        for effect in outcome.effects:
            writer.writerow([*head, *groups, *effect_cells(effect), *tail])
        if outcome.adjusted is not None:
            adjusted = outcome.adjusted
            marked = [*head[:2], "adjusted", *head[3:]]
            p_cells = [cell(adjusted.p_value), "", "", "", ""]
            writer.writerow([*marked, *groups, *effect_cells(adjusted), *p_cells])
        for sub in outcome.subgroups:
            marked = [*head[:2], "subgroup", *head[3:]]
            p_cells = [cell(sub.effect.p_value), cell(sub.p_adjusted)]
            by = [sub.group, sub.value, cell(outcome.interaction_p.get(sub.group))]
            writer.writerow(
                [*marked, *numbers(sub.groups), *effect_cells(sub.effect), *p_cells, *by]
            )
    for covariate in report.balance:
        head = [
            report.campaign,
            report.design,
            "balance",
            covariate.key,
            covariate.kind,
            covariate.label.get("en", ""),
            "true",
        ]
        values: list[str | None] = []
        for summary in covariate.groups.values():
            values += [level.value for level in summary.levels if level.value not in values]
        for value in values:
            shares = []
            for name in names:
                summary = covariate.groups.get(name)
                level = (
                    next((v for v in summary.levels if v.value == value), None) if summary else None
                )
                shares += ["", "", ""] if level is None else [cell(level.n), cell(level.share), ""]
            level_name = "(not answered)" if value is None else value
            writer.writerow([*head, *shares, *effect_cells(None), "", "", "", level_name, ""])
        difference = covariate.standardized_difference
        row = [*head, *numbers(covariate.groups), "standardized_difference", cell(difference)]
        writer.writerow([*row, "", "", "", "", "", "", "", ""])
    return buffer.getvalue()
