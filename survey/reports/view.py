"""What the report page shows, computed from a :class:`~survey.analysis.results.Report`.

Pure (no web, no database), so every sentence and every plotted interval can be tested directly.
Honest words: an effect is always given with its interval and the sample sizes behind it; "small",
"medium" and "large" are named as Cohen's conventions, not as truths; the word "significant" is never
used. Cells under 5 respondents have no numbers in the report (``build_report`` suppresses them);
here they are shown as "fewer than 5".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from survey.analysis.results import EffectSummary, GroupSummary, OutcomeReport, Report
from survey.reports.formats import PERCENT_KINDS, main_effects

__all__ = [
    "Card",
    "FamilyRow",
    "ForestRow",
    "ReportPage",
    "forest_plot",
    "report_page",
    "size_words",
]

#: The before and after groups of each design (the first is *before*).
_GROUPS = {
    "independent": ("pre", "post"),
    "panel": ("pre", "post"),
    "comparison": ("campaign_pre", "campaign_post"),
}
_STD_NAMES = {
    "hedges_g": "Hedges' g",
    "cohens_h": "Cohen's h",
    "d_z": "d_z",
    "d_av": "d_av",
    "standardized_difference_in_differences": "standardised DiD",
}
_CAVEATS = {
    "independent": (
        "Different people answered before and after. If the kind of people who answered changed "
        "(age, place, who was reached), that change can look like an effect of the campaign.",
        "Өмнө ба дараа нь өөр өөр хүмүүс хариулсан. Хариулагчдын бүрэлдэхүүн өөрчлөгдсөн бол "
        "(нас, газар, хэнд хүрсэн) тэр нь кампанит ажлын нөлөө мэт харагдаж болно.",
    ),
    "panel": (
        "The same people answered before and after, linked by pseudonymous codes. Only matched "
        "people are compared: those who dropped out may differ from those who stayed.",
        "Нэг хүмүүс өмнө ба дараа нь хариулж, нууц кодоор холбогдсон. Зөвхөн холбогдсон хүмүүсийг "
        "харьцуулсан: гарсан хүмүүс үлдсэн хүмүүсээс ялгаатай байж болно.",
    ),
    "comparison": (
        "The effect is the change in the campaign group minus the change in the comparison group "
        "(difference in differences). It assumes both groups would have changed alike without "
        "the campaign (parallel trends); nothing in the data can prove that.",
        "Нөлөө нь кампанит бүлгийн өөрчлөлтөөс харьцуулах бүлгийн өөрчлөлтийг хассан дүн. Кампанит "
        "ажил байгаагүй бол хоёр бүлэг ижил өөрчлөгдөх байсан гэж үздэг (зэрэгцээ чиг хандлага); "
        "үүнийг өгөгдлөөр нотлох боломжгүй.",
    ),
}


def size_words(value: float | None) -> str:
    """Cohen's (1988) conventional label of a standardised effect's size."""
    if value is None:
        return ""
    size = abs(value)
    if size < 0.2:
        return "below what Cohen's conventions call small"
    if size < 0.5:
        return "small by Cohen's conventions"
    if size < 0.8:
        return "medium by Cohen's conventions"
    return "large by Cohen's conventions"


def _n(group: GroupSummary | None) -> str:
    if group is None:
        return "–"
    return "fewer than 5" if group.n is None else f"{group.n:,}"


def _level(value: float | None, percent: bool) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.0f}%" if percent else f"{value:.2f}"


def _diff(value: float | None, percent: bool) -> str:
    if value is None:
        return "–"
    return f"{100 * value:+.0f}" if percent else f"{value:+.2f}"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@dataclass(frozen=True)
class Card:
    """A headline card: one declared outcome in words, with the numbers behind them."""

    key: str
    label_en: str
    label_mn: str
    sentence_en: str
    sentence_mn: str
    sizes: str
    standardised: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FamilyRow:
    """One row of a family table (outcomes, knowledge items, attitude items)."""

    key: str
    label: str
    n_before: str
    n_after: str
    before: str
    after: str
    difference: str
    interval: str
    p_adjusted: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ForestRow:
    """One outcome in the forest plot: its standardised effect and interval."""

    key: str
    label: str
    effect: str
    estimate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ReportPage:
    """Everything the report template shows."""

    campaign: str
    design: str
    level: str
    waves: list[tuple[str, str, str, int, int]]
    cards: list[Card]
    forest: str
    forest_rows: list[ForestRow]
    families: list[tuple[str, list[FamilyRow]]]
    reliability: list[tuple[str, str, str]]
    caveats: list[tuple[str, str]]
    left_out: list[str]
    flags: list[str]
    notes: list[str] = field(default_factory=list)


def _label(outcome: OutcomeReport, language: str) -> str:
    return outcome.label.get(language) or next(iter(outcome.label.values()), outcome.key)


def _sentences(design: str, outcome: OutcomeReport, level: str) -> tuple[str, str]:
    """The plain-language sentence in English and Mongolian."""
    en_label, mn_label = _label(outcome, "en"), _label(outcome, "mn")
    if not outcome.comparable:
        return (
            f"{en_label}: cannot be compared, the questions changed between the waves.",
            f"{mn_label}: асуултууд өөрчлөгдсөн тул харьцуулах боломжгүй.",
        )
    percent = outcome.kind in PERCENT_KINDS
    before_name, after_name = _GROUPS[design]
    before, after = outcome.groups.get(before_name), outcome.groups.get(after_name)
    raw, _ = main_effects(outcome)
    if (
        raw is None
        or raw.estimate is None
        or before is None
        or after is None
        or before.mean is None
        or after.mean is None
    ):
        return (
            f"{en_label}: no estimate can be shown (too few respondents in a group, or no data).",
            f"{mn_label}: тооцоолол харуулах боломжгүй (бүлэгт хариулагч цөөн, эсвэл өгөгдөлгүй).",
        )
    unit_en = " points" if percent else ""
    unit_mn = " пункт" if percent else ""
    what = " correct" if outcome.kind in ("score", "item") else ""
    verb_en = (
        "rose" if after.mean > before.mean else "fell" if after.mean < before.mean else "stayed"
    )
    verb_mn = (
        "өссөн" if after.mean > before.mean else "буурсан" if after.mean < before.mean else "хэвээр"
    )
    ci_en = f"{level} CI {_diff(raw.ci_low, percent)} to {_diff(raw.ci_high, percent)}"
    ci_mn = (
        f"{level}-ийн итгэх завсар {_diff(raw.ci_low, percent)}-аас {_diff(raw.ci_high, percent)}"
    )
    b, a = _level(before.mean, percent), _level(after.mean, percent)
    if design == "comparison":
        return (
            f"{en_label} {verb_en} from {b} to {a}{what} in the campaign group; compared with the "
            f"comparison group's change, the difference is {_diff(raw.estimate, percent)}{unit_en} "
            f"({ci_en}).",
            f"{mn_label} кампанит бүлэгт {b}-аас {a} болж {verb_mn}; харьцуулах бүлгийн өөрчлөлттэй "
            f"харьцуулахад зөрүү {_diff(raw.estimate, percent)}{unit_mn} ({ci_mn}).",
        )
    return (
        f"{en_label} {verb_en} from {b} to {a}{what}, {_diff(raw.estimate, percent)}{unit_en}, {ci_en}.",
        f"{mn_label} {b}-аас {a} болж {verb_mn}, {_diff(raw.estimate, percent)}{unit_mn}, {ci_mn}.",
    )


def _standardised_text(std: EffectSummary | None) -> str:
    if std is None:
        return ""
    name = _STD_NAMES.get(std.name, std.name)
    if std.estimate is None:
        return f"{name}: not shown"
    interval = ""
    if std.ci_low is not None and std.ci_high is not None:
        interval = f" (CI {std.ci_low:+.2f} to {std.ci_high:+.2f})"
    return f"{name} = {std.estimate:+.2f}{interval}, {size_words(std.estimate)}"


def _family_row(design: str, outcome: OutcomeReport, language: str) -> FamilyRow:
    percent = outcome.kind in PERCENT_KINDS
    before_name, after_name = _GROUPS[design]
    before, after = outcome.groups.get(before_name), outcome.groups.get(after_name)
    raw, _ = main_effects(outcome)
    interval = "–"
    if raw is not None and raw.ci_low is not None and raw.ci_high is not None:
        interval = f"{_diff(raw.ci_low, percent)} to {_diff(raw.ci_high, percent)}"
    return FamilyRow(
        key=outcome.key,
        label=_label(outcome, language),
        n_before=_n(before),
        n_after=_n(after),
        before=_level(before.mean if before else None, percent),
        after=_level(after.mean if after else None, percent),
        difference=_diff(raw.estimate if raw else None, percent)
        if outcome.comparable
        else "not comparable",
        interval=interval,
        p_adjusted=_p(outcome.p_adjusted),
        notes=outcome.notes,
    )


def _forest_rows(report: Report) -> list[ForestRow]:
    rows = []
    for outcome in report.outcomes:
        _, std = main_effects(outcome)
        if std is None or None in (std.estimate, std.ci_low, std.ci_high):
            continue
        rows.append(
            ForestRow(
                key=outcome.key,
                label=_label(outcome, "en"),
                effect=_STD_NAMES.get(std.name, std.name),
                estimate=float(std.estimate),  # type: ignore[arg-type]
                ci_low=float(std.ci_low),  # type: ignore[arg-type]
                ci_high=float(std.ci_high),  # type: ignore[arg-type]
            )
        )
    # Largest effect first: the reader sees at once what moved most.
    return sorted(rows, key=lambda r: -r.estimate)


def forest_plot(rows: list[ForestRow], level: str) -> str:
    """An accessible inline SVG forest plot: one row per outcome, an interval line around a dot.

    The scale always includes zero, drawn as a dashed vertical line. The SVG has a ``<title>`` and a
    ``<desc>`` that states every estimate and interval in words, for screen readers and print.
    """
    label_w, plot_w, right_w, row_h, top = 200, 320, 130, 28, 24
    width = label_w + plot_w + right_w
    height = top + row_h * max(len(rows), 1) + 24
    low = min([0.0, *(r.ci_low for r in rows)])
    high = max([0.0, *(r.ci_high for r in rows)])
    pad = 0.05 * (high - low or 1.0)
    low, high = low - pad, high + pad

    def x(value: float) -> float:
        return round(label_w + (value - low) / (high - low) * plot_w, 2)

    desc = "; ".join(
        f"{r.label}: {r.effect} {r.estimate:+.2f}, {level} CI {r.ci_low:+.2f} to {r.ci_high:+.2f}"
        for r in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="forest" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="forest-title forest-desc">',
        '<title id="forest-title">Standardised effects with '
        f"{escape(level)} confidence intervals</title>",
        f'<desc id="forest-desc">{escape(desc or "No standardised effect can be shown.")}</desc>',
        f'<line class="zero" x1="{x(0)}" y1="{top - 8}" x2="{x(0)}" y2="{height - 20}"/>',
        f'<text class="axis" x="{x(0)}" y="{height - 6}" text-anchor="middle">0</text>',
    ]
    for i, r in enumerate(rows):
        y = top + row_h * i + row_h / 2
        parts += [
            f'<g class="row" data-key="{escape(r.key)}" data-estimate="{r.estimate!r}">',
            f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end">{escape(r.label[:32])}</text>',
            f'<line class="ci" x1="{x(r.ci_low)}" y1="{y}" x2="{x(r.ci_high)}" y2="{y}"/>',
            f'<circle class="est" cx="{x(r.estimate)}" cy="{y}" r="5"/>',
            f'<text x="{label_w + plot_w + 8}" y="{y + 4}">{r.estimate:+.2f} '
            f"[{r.ci_low:+.2f}, {r.ci_high:+.2f}]</text>",
            "</g>",
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def report_page(report: Report, language: str = "en") -> ReportPage:
    """The report page's content (see the module docstring)."""
    level = f"{100 * report.confidence_level:g}%"
    design = report.design
    cards = []
    for outcome in report.outcomes:
        en, mn = _sentences(design, outcome, level)
        _, std = main_effects(outcome)
        names = [n for n in outcome.groups if n != "change"]
        sizes = ", ".join(
            f"{name.replace('_', ' ')}: n = {_n(outcome.groups[name])}" for name in names
        )
        cards.append(
            Card(
                key=outcome.key,
                label_en=_label(outcome, "en"),
                label_mn=_label(outcome, "mn"),
                sentence_en=en,
                sentence_mn=mn,
                sizes=sizes,
                standardised=_standardised_text(std),
                notes=outcome.notes,
            )
        )
    families = [
        ("Outcomes", [_family_row(design, o, language) for o in report.outcomes]),
        (
            "Knowledge items (share correct)",
            [_family_row(design, o, language) for o in report.items if o.kind == "item"],
        ),
        (
            "Attitude items (mean on the scale)",
            [_family_row(design, o, language) for o in report.items if o.kind == "likert"],
        ),
    ]
    reliability = []
    for outcome in report.outcomes:
        for effect in outcome.effects:
            if effect.name.startswith("cronbach_alpha."):
                group = effect.name.split(".", 1)[1].replace("_", " ")
                value = (
                    "not shown"
                    if effect.estimate is None
                    else f"{effect.estimate:.2f}"
                    + (
                        f" (CI {effect.ci_low:.2f} to {effect.ci_high:.2f})"
                        if effect.ci_low is not None and effect.ci_high is not None
                        else ""
                    )
                )
                reliability.append((_label(outcome, language), group, value))
    left_out = [n for n in report.notes if "not marked equivalent" in n or ": not in v" in n]
    rows = _forest_rows(report)
    return ReportPage(
        campaign=report.campaign,
        design=design,
        level=level,
        waves=[(w.key, w.phase, w.arm, w.version, w.n_complete) for w in report.waves],
        cards=cards,
        forest=forest_plot(rows, level),
        forest_rows=rows,
        families=[(title, rows_) for title, rows_ in families if rows_],
        reliability=reliability,
        caveats=[_CAVEATS[design]] if design in _CAVEATS else [],
        left_out=left_out,
        flags=[f.message for f in report.flags],
        notes=[n for n in report.notes if n not in left_out],
    )
