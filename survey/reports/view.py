"""What the report page shows, in the reader's language, computed from a campaign's
:class:`~survey.analysis.results.Report`.

Pure (no web, no database), so every sentence and every plotted interval can be tested directly. The
page's one context object is :class:`ReportPage`; the template only lays it out.

Honest words: every change is given with its interval and the number of people behind it; the verb
("rose", "fell" or "no clear change") comes from :func:`survey.reports.words.direction`; "small",
"medium" and "large" are named as Cohen's conventions, not as truths; the word "significant" is never
used. Cells under 5 respondents have no numbers in the report (``build_report`` suppresses them) and are
shown as "fewer than 5".

Words for people: no internal name or developer note reaches the page. Notes and flags are written from
their codes and parameters, in the reader's language; item and outcome texts come from the questionnaire
in that language. The technical English stays in the JSON of the API.

Reverse-coded statements: the analysis scores them ``points + 1 - answer`` so that higher is better in
a scale. Their rows here show the answers as people gave them (``raw_groups``, the means of the CSV
export), with the change and interval turned the same way, and say that they count reversed in the
scale, where a fall is good.

One module, though long: every sentence of the page is decided here from one Report, and the
sentences depend on each other (a headline card and the table below it must say the same thing in the
same words); the words themselves are in messages.py and words.py, the plot in plot.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from survey.analysis.report import FEW_CLUSTERS
from survey.analysis.results import (
    EffectSummary,
    Flag,
    GroupSummary,
    LevelShare,
    Note,
    OutcomeReport,
    Param,
    Report,
)
from survey.questionnaire.model import Questionnaire
from survey.reports.formats import PERCENT_KINDS, main_effects
from survey.reports.messages import CATALOGUE
from survey.reports.plot import PlotPanel, PlotRow, forest_plot, subgroup_plot
from survey.reports.words import (
    Change,
    Direction,
    change_sentence,
    count,
    decimal,
    direction,
    level_text,
    percent,
    signed,
    size_key,
    unit,
)
from survey.web.i18n import LANGUAGES, language_name

__all__ = [
    "Card",
    "Cell",
    "GroupSection",
    "LanguageLink",
    "ReportPage",
    "Row",
    "Table",
    "Term",
    "WaveRow",
    "report_page",
]

#: The before and after groups of each design (the first is *before*).
_GROUPS = {
    "independent": ("pre", "post"),
    "panel": ("pre", "post"),
    "comparison": ("campaign_pre", "campaign_post"),
}
_COMPARISON = ("comparison_pre", "comparison_post")
#: Codes of notes that the page shows in another form, or not at all: missing waves and repeated
#: panel codes are flags; changed items are the "left out" list; how p is adjusted is explained with
#: the terms; a reverse-coded item has its own line; a scale's low reliability is a flag; an outcome
#: that cannot be compared says so in its sentence; an effect's own method note is technical; why an
#: outcome has no adjusted effect is plain from the design or the questionnaire (only a model that
#: failed is said, by its card).
NOTES_SHOWN_ELSEWHERE = frozenset(
    {
        "missing_wave",
        "panel_duplicates",
        "item_changed",
        "item_not_in_version",
        "p_adjusted",
        "reverse_coded",
        "low_reliability",
        "outcome_not_comparable",
        "effect",
        "adjusted_design",
        "adjusted_no_covariates",
        "adjusted_no_estimate",
        "adjusted_outcomes_only",
    }
)
_FAMILIES = (("outcomes", None), ("knowledge", "item"), ("attitude", "likert"))
#: Above this many outcomes and questions with small samples (or small cells), the caveat counts them
#: instead of naming each: with few respondents it would otherwise list the whole questionnaire.
_LISTED_SUBJECTS = 4
#: Notes of an outcome that its section of changes by group shows, not its card or row.
_GROUP_NOTES = frozenset({"interaction_untestable", "interaction_few_clusters"})
#: Notes a table row leaves to the caveats and to its cells (which say "fewer than 5" themselves).
_ROW_NOTES_LEFT_OUT = frozenset({"small_sample", "too_few"}) | _GROUP_NOTES


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switch."""

    code: str
    name: str
    current: bool


@dataclass(frozen=True)
class WaveRow:
    """One survey round in the "who answered" table."""

    group: str
    wave: str
    version: str
    complete: str


@dataclass(frozen=True)
class Card:
    """A headline card: one declared outcome in words, with the numbers behind them."""

    key: str
    label: str
    verdict: Direction
    sentence: str
    levels: str | None
    standardised: str | None
    sizes: str | None
    reversed_items: str | None
    notes: tuple[str, ...]
    adjusted: str | None = None


@dataclass(frozen=True)
class Cell:
    """One number of a table row; ``column`` names it again where a phone stacks the row."""

    column: str
    text: str


@dataclass(frozen=True)
class Row:
    """One outcome, question or statement of a table."""

    key: str
    label: str
    verdict: Direction
    verdict_text: str
    cells: tuple[Cell, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of rows under a caption; ``first`` heads the column of labels."""

    key: str
    caption: str
    first: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    legend: str | None = None


@dataclass(frozen=True)
class GroupSection:
    """One outcome's change in each group of people: the plot, a sentence per grouping item on
    whether the change differs between its groups, and the numbers as a table."""

    key: str
    label: str
    plot: str
    tests: tuple[str, ...]
    table: Table


@dataclass(frozen=True)
class Term:
    """A statistical term and its explanation for a program lead."""

    key: str
    title: str
    body: str


@dataclass(frozen=True)
class ReportPage:
    """Everything the report template shows, in one language."""

    lang: str
    t: Callable[..., str]
    languages: tuple[LanguageLink, ...]
    document_title: str
    heading: str
    survey_title: str | None
    design: str
    intervals: str
    waves: tuple[WaveRow, ...]
    cards: tuple[Card, ...]
    plot: str
    plot_legend: str
    not_plotted: str | None
    caveat: str | None
    flags: tuple[str, ...]
    notes: tuple[str, ...]
    left_out: tuple[str, ...]
    tables: tuple[Table, ...]
    reliability: Table | None
    terms: tuple[Term, ...]
    comparison: bool = False
    balance: tuple[Table, ...] = ()
    balance_intro: str | None = None
    groups: tuple[GroupSection, ...] = ()
    groups_intro: str | None = None


class _Words:
    """The page's language and the questionnaire's texts: everything that turns keys into words."""

    def __init__(
        self,
        report: Report,
        lang: str,
        definition: Questionnaire | None,
        cluster_item: str | None,
    ) -> None:
        self.lang = lang
        self.t = CATALOGUE.bound(lang)
        self.definition = definition
        self.cluster_item = cluster_item
        self.labels = {o.key: o.label for o in (*report.outcomes, *report.items)}
        self.level = decimal(100 * report.confidence_level, 0, lang) + "%"

    def text(self, texts: Mapping[str, str] | None, fallback: str) -> str:
        """A questionnaire text in the page's language, else its default language, else any."""
        if not texts:
            return fallback
        default = self.definition.default_language if self.definition else None
        return (
            texts.get(self.lang) or (default and texts.get(default)) or next(iter(texts.values()))
        )

    def label(self, key: str) -> str:
        """An outcome's label or an item's text in the page's language."""
        if key in self.labels:
            return self.text(self.labels[key], key)
        if self.definition is not None:
            try:
                return self.text(self.definition.item(key).text, key)
            except KeyError:
                pass
        return key

    def labels_of(self, keys: Iterable[object]) -> str:
        return "; ".join(
            f"«{self.label(str(k))}»" if self.lang == "mn" else f"“{self.label(str(k))}”"
            for k in keys
        )

    def group(self, name: object) -> str:
        key = f"group.{name}"
        return self.t(key) if key in CATALOGUE else str(name)

    def points(self, key: str, kind: str) -> int | None:
        """The answer points of a Likert item or of a scale's items (for "on a 1–5 scale")."""
        if self.definition is None or kind not in ("likert", "scale"):
            return None
        try:
            if kind == "likert":
                return self.definition.scale_for(self.definition.item(key)).points
            outcome = self.definition.outcomes[key]
            return self.definition.scale_for(
                self.definition.item((outcome.items or [""])[0])
            ).points
        except (KeyError, ValueError):
            return None

    def people(self, group: GroupSummary | None) -> str:
        if group is None:
            return "–"
        if group.n is None:
            return self.t("fewer_than", min=count(5, self.lang))
        return count(group.n, self.lang)

    def p(self, value: float | None) -> str:
        if value is None:
            return "–"
        if value < 0.001:
            return "< " + decimal(0.001, 3, self.lang)
        return decimal(value, 3, self.lang)


# -- notes and flags in words -------------------------------------------------------------------------


def _param_text(words: _Words, name: str, value: Param) -> str:
    """A note's parameter as the sentence shows it: shares as percentages, counts as whole numbers
    (also when read back from JSON as floats), item keys as their wording, group names in words."""
    lang = words.lang
    if isinstance(value, list):
        if name == "items":
            return words.labels_of(value)
        if name == "groups":
            return ", ".join(words.group(g) for g in value)
        return words.t("list.and").join(_param_text(words, "", v) for v in value)
    if name == "group":
        return words.group(value)
    if name == "item":
        return words.label(str(value))
    if value is None or isinstance(value, (bool, str)):
        return str(value)
    if name in ("rate", "attrition"):
        return percent(value, lang)
    if float(value).is_integer() and name != "alpha":
        return count(int(value), lang)
    return decimal(value, 2, lang)


def _note_text(words: _Words, note: Note, kind: str = "score") -> str | None:
    """A note as a sentence for a program lead; None for notes shown elsewhere or not at all.

    ``kind`` is that of the outcome or item the note is about (its changes' unit).
    """
    if note.code in NOTES_SHOWN_ELSEWHERE:
        return None
    params = dict(note.params)
    t = words.t
    if note.code == "skipped_reading":
        lang = words.lang

        def number(name: str) -> str:
            value = params.get(name)
            return signed(value if isinstance(value, float | int) else None, kind, lang)

        return t(
            "note.skipped_reading",
            verdict=t(f"verdict.{params.get('alternative')}"),
            diff=number("estimate"),
            unit=unit(kind, None, lang),
            level=words.level,
            low=number("ci_low"),
            high=number("ci_high"),
        )
    if note.code == "small_sample":
        sizes = zip(params.get("groups") or [], params.get("sizes") or [], strict=False)
        listed = "; ".join(f"{words.group(g)}: {count(int(n), words.lang)}" for g, n in sizes)
        return t("note.small_sample", sizes=listed)
    if note.code == "panel_matched":
        text = t(
            "note.panel_matched",
            **{k: _param_text(words, k, params[k]) for k in ("matched", "rate", "pre", "post")},
        )
        if params.get("attrition") is not None:
            attrition = _param_text(words, "attrition", params["attrition"])
            text += " " + t("note.panel_attrition", attrition=attrition)
        return text
    if note.code == "clusters":
        item = words.label(words.cluster_item) if words.cluster_item else None
        number = _param_text(words, "count", params.get("count", 0))
        text = (
            t("note.clusters", item=item, count=number)
            if item
            else t("note.clusters_unnamed", count=number)
        )
        if params.get("few"):
            text += " " + t("note.few_clusters", threshold=count(FEW_CLUSTERS, words.lang))
        return text
    key = f"note.{note.code}"
    if key not in CATALOGUE:
        return None
    return t(key, **{k: _param_text(words, k, v) for k, v in params.items()})


def _flag_texts(words: _Words, flags: Iterable[Flag], report: Report) -> list[str]:
    """The caveats a reader must see, one sentence each; per-subject flags of one kind in one."""
    t, design = words.t, report.design
    out: list[str] = []
    by_subject: dict[str, list[str]] = {}
    threshold: dict[str, Param] = {}
    for flag in flags:
        params = dict(flag.params)
        if flag.code in ("small_sample", "small_cell", "skipped_reading"):
            threshold[flag.code] = params.get("threshold", params.get("min"))
            subjects = by_subject.setdefault(flag.code, [])
            label = words.label(flag.subject) if flag.subject else ""
            if label and label not in subjects:
                subjects.append(label)
            continue
        if flag.code == "missing_wave":
            phase, arm = params.get("phase"), params.get("arm")
            name = phase if design != "comparison" and arm == "campaign" else f"{arm}_{phase}"
            out.append(t("flag.missing_wave", group=words.group(name)))
        elif flag.code == "incomparable_items":
            out.append(
                t(
                    "flag.incomparable_items",
                    count=count(len(params.get("items") or []), words.lang),
                )
            )
        elif flag.code == "low_reliability":
            out.append(
                t(
                    "flag.low_reliability",
                    subject=words.label(flag.subject or ""),
                    group=words.group(params.get("group")),
                    alpha=_param_text(words, "alpha", params.get("alpha")),
                    threshold=_param_text(words, "threshold", params.get("threshold")),
                )
            )
        elif flag.code == "low_match_rate":
            out.append(
                t(
                    "flag.low_match_rate",
                    rate=_param_text(words, "rate", params.get("rate")),
                    threshold=_param_text(words, "rate", params.get("threshold")),
                )
            )
        elif flag.code == "duplicate_panel_keys":
            out.append(
                t(
                    "flag.duplicate_panel_keys",
                    wave=str(params.get("wave")),
                    count=_param_text(words, "count", params.get("count")),
                )
            )
    total = len(report.outcomes) + len(report.items)
    for code, subjects in by_subject.items():
        if not subjects:
            continue
        limit = _param_text(words, "threshold", threshold.get(code))
        if len(subjects) > _LISTED_SUBJECTS:
            number, of = count(len(subjects), words.lang), count(total, words.lang)
            out.append(t(f"flag.{code}_many", threshold=limit, count=number, total=of))
        else:
            out.append(t(f"flag.{code}", threshold=limit, subjects="; ".join(subjects)))
    return out


# -- cards and tables ---------------------------------------------------------------------------------


def _negated(value: float | None) -> float | None:
    return None if value is None else -value


def _as_worded(outcome: OutcomeReport) -> tuple[Mapping[str, GroupSummary], EffectSummary | None]:
    """The groups and the raw change in the direction of the item's own wording.

    A reverse-coded item's answers are shown as people gave them (``raw_groups``); its change and
    interval, computed on the reversed score, are turned the same way (a reflection: the change
    changes sign and the interval's ends swap).
    """
    raw, _ = main_effects(outcome)
    if not outcome.reverse:
        return outcome.groups, raw
    groups = outcome.raw_groups or outcome.groups
    if raw is None:
        return groups, None
    return groups, EffectSummary(
        name=raw.name,
        estimate=_negated(raw.estimate),
        ci_low=_negated(raw.ci_high),
        ci_high=_negated(raw.ci_low),
        method=raw.method,
    )


def _mean(groups: Mapping[str, GroupSummary], name: str) -> float | None:
    group = groups.get(name)
    return None if group is None else group.mean


def _change(design: str, outcome: OutcomeReport, words: _Words) -> Change:
    groups, raw = _as_worded(outcome)
    before, after = _GROUPS[design]
    return Change(
        kind=outcome.kind,
        before=_mean(groups, before),
        after=_mean(groups, after),
        estimate=None if raw is None else raw.estimate,
        ci_low=None if raw is None else raw.ci_low,
        ci_high=None if raw is None else raw.ci_high,
        points=words.points(outcome.key, outcome.kind),
        comparison=design == "comparison",
    )


def _verdict(change: Change) -> Direction:
    return "none" if change.estimate is None else direction(change.ci_low, change.ci_high)


def _standardised(std: EffectSummary | None, words: _Words) -> str | None:
    if std is None:
        return None
    t, lang = words.t, words.lang
    name = t(f"effect.{std.name}")
    if std.estimate is None or std.ci_low is None or std.ci_high is None:
        return t("std.none", name=name)
    return t(
        "std.line",
        name=name,
        estimate=decimal(std.estimate, 2, lang, sign=True),
        level=words.level,
        low=decimal(std.ci_low, 2, lang, sign=True),
        high=decimal(std.ci_high, 2, lang, sign=True),
        size=t(f"size.{size_key(std.estimate)}"),
    )


def _sizes(design: str, outcome: OutcomeReport, words: _Words) -> str | None:
    if not outcome.groups:
        return None
    people = {name: words.people(group) for name, group in outcome.groups.items()}
    if design == "panel":
        return words.t("sizes.panel", matched=people.get("pre", "–"))
    if design == "comparison":
        return words.t(
            "sizes.comparison",
            campaign_before=people.get("campaign_pre", "–"),
            campaign_after=people.get("campaign_post", "–"),
            comparison_before=people.get("comparison_pre", "–"),
            comparison_after=people.get("comparison_post", "–"),
        )
    return words.t("sizes.two", before=people.get("pre", "–"), after=people.get("post", "–"))


def _levels(design: str, outcome: OutcomeReport, words: _Words) -> str | None:
    """A comparison design's four levels, which its sentence (a difference of changes) leaves out."""
    if design != "comparison" or not outcome.groups:
        return None
    groups, _ = _as_worded(outcome)

    def shown(name: str) -> str:
        group = groups.get(name)
        if group is not None and group.n is None:
            return words.people(group)
        return level_text(_mean(groups, name), outcome.kind, words.lang)

    return words.t(
        "did.levels",
        campaign_before=shown("campaign_pre"),
        campaign_after=shown("campaign_post"),
        comparison_before=shown("comparison_pre"),
        comparison_after=shown("comparison_post"),
    )


def _reversed_items(outcome: OutcomeReport, words: _Words) -> str | None:
    """The line naming a scale's reverse-coded statements."""
    if outcome.kind != "scale" or words.definition is None:
        return None
    declared = words.definition.outcomes.get(outcome.key)
    reverse = (declared.reverse or []) if declared is not None else []
    if not reverse:
        return None
    items = words.labels_of(reverse)
    ends_a_sentence = items.rstrip("”\"'»").endswith((".", "?", "!"))
    return words.t("reverse.scale", items=items, end="" if ends_a_sentence else ".")


def _notes(
    outcome: OutcomeReport, words: _Words, leave_out: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    found = (
        _note_text(words, n, outcome.kind) for n in outcome.coded_notes if n.code not in leave_out
    )
    return tuple(text for text in found if text)


def _card(design: str, outcome: OutcomeReport, words: _Words) -> Card:
    _, std = main_effects(outcome)
    if not outcome.comparable:
        sentence, verdict = words.t("change.not_comparable"), "none"
    else:
        change = _change(design, outcome, words)
        sentence, verdict = change_sentence(change, words.lang, words.level), _verdict(change)
    return Card(
        key=outcome.key,
        label=words.label(outcome.key),
        verdict=verdict,
        sentence=sentence,
        levels=_levels(design, outcome, words),
        standardised=_standardised(std, words) if outcome.comparable else None,
        sizes=_sizes(design, outcome, words),
        reversed_items=_reversed_items(outcome, words),
        notes=_notes(outcome, words, _GROUP_NOTES),
        adjusted=_adjusted(outcome, words),
    )


def _adjusted(outcome: OutcomeReport, words: _Words) -> str | None:
    """The change taking into account who answered, as its sentence; or why it cannot be given when
    a model failed (other reasons are plain from the design or the questionnaire)."""
    effect = outcome.adjusted
    if effect is None:
        reason = outcome.adjusted_reason
        return (
            words.t("note.adjusted_failed") if reason and reason.code == "adjusted_failed" else None
        )
    kind, lang = outcome.kind, words.lang
    verdict = direction(effect.ci_low, effect.ci_high)
    key = "adjusted.no_interval" if verdict == "none" else f"adjusted.{verdict}"
    return words.t(
        key,
        diff=signed(effect.estimate, kind, lang),
        unit=unit(kind, words.points(outcome.key, kind), lang),
        level=words.level,
        low=signed(effect.ci_low, kind, lang),
        high=signed(effect.ci_high, kind, lang),
    )


def _columns(design: str, t: Callable[..., str], level: str) -> tuple[str, ...]:
    tail = (t("col.interval", level=level), t("col.p"))
    if design == "comparison":
        groups = tuple(t(f"group.{g}") for g in (*_GROUPS[design], *_COMPARISON))
        return (*groups, t("col.change_did"), *tail)
    people = t("col.people") if design == "panel" else t("col.people_before_after")
    return (people, t("col.before"), t("col.after"), t("col.change"), *tail)


def _row(design: str, outcome: OutcomeReport, words: _Words, columns: tuple[str, ...]) -> Row:
    t, lang, kind = words.t, words.lang, outcome.kind
    groups, raw = _as_worded(outcome)

    def level(name: str) -> str:
        group = groups.get(name)
        if group is not None and group.n is None:
            return words.people(group)
        return level_text(_mean(groups, name), kind, lang)

    if design == "comparison":
        values = [level(name) for name in (*_GROUPS[design], *_COMPARISON)]
    else:
        before, after = _GROUPS[design]
        if design == "panel":
            people = words.people(groups.get(before))
        else:
            people = f"{words.people(groups.get(before))} · {words.people(groups.get(after))}"
        values = [people, level(before), level(after)]
    change = _change(design, outcome, words) if outcome.comparable else None
    interval = "–"
    if raw is not None and raw.ci_low is not None and raw.ci_high is not None:
        interval = t(
            "interval", low=signed(raw.ci_low, kind, lang), high=signed(raw.ci_high, kind, lang)
        )
    values += [
        signed(None if raw is None else raw.estimate, kind, lang),
        interval,
        words.p(outcome.p_adjusted),
    ]
    verdict = "none" if change is None else _verdict(change)
    notes = list(_notes(outcome, words, _ROW_NOTES_LEFT_OUT))
    if outcome.reverse:
        notes.insert(0, t("reverse.item"))
    if not outcome.comparable:
        notes.insert(0, t("change.not_comparable"))
    return Row(
        key=outcome.key,
        label=words.label(outcome.key),
        verdict=verdict,
        verdict_text=t(f"verdict.{verdict}"),
        cells=tuple(Cell(column, text) for column, text in zip(columns, values, strict=True)),
        notes=tuple(notes),
    )


def _tables(report: Report, words: _Words) -> tuple[Table, ...]:
    t = words.t
    columns = _columns(report.design, t, words.level)
    tables = []
    for family, kind in _FAMILIES:
        members = report.outcomes if kind is None else [o for o in report.items if o.kind == kind]
        if not members:
            continue
        rows = tuple(_row(report.design, o, words, columns) for o in members)
        first = t("col.outcome") if kind is None else t("col.question")
        tables.append(Table(family, t(f"family.{family}"), first, columns, rows))
    return tuple(tables)


def _reliability(report: Report, words: _Words) -> Table | None:
    """One row per scale, one column per group: Cronbach's alpha and its interval."""
    t, lang = words.t, words.lang
    by_scale: dict[str, dict[str, str]] = {}
    for outcome in report.outcomes:
        for effect in outcome.effects:
            if effect.name != "cronbach_alpha" or effect.group is None:
                continue
            text = t("not_shown")
            if effect.estimate is not None:
                text = decimal(effect.estimate, 2, lang)
                if effect.ci_low is not None and effect.ci_high is not None:
                    interval = t(
                        "interval",
                        low=decimal(effect.ci_low, 2, lang),
                        high=decimal(effect.ci_high, 2, lang),
                    )
                    text = f"{text} ({interval})"
            by_scale.setdefault(outcome.key, {})[effect.group] = text
    if not by_scale:
        return None
    groups = [
        g for g in (*_GROUPS[report.design], *_COMPARISON) if any(g in v for v in by_scale.values())
    ]
    columns = tuple(words.group(g) for g in groups)
    rows = tuple(
        Row(
            key=key,
            label=words.label(key),
            verdict="none",
            verdict_text="",
            cells=tuple(Cell(c, alphas.get(g, "–")) for c, g in zip(columns, groups, strict=True)),
            notes=(),
        )
        for key, alphas in by_scale.items()
    )
    caption = t("reliability.caption", level=words.level)
    return Table("reliability", caption, t("col.scale"), columns, rows)


# -- the plot -----------------------------------------------------------------------------------------


def _plot(report: Report, words: _Words) -> tuple[str, str | None]:
    """The forest plot, and the sentence naming the outcomes it cannot show."""
    panels: dict[str, list[PlotRow]] = {}
    missing = []
    for outcome in report.outcomes:
        if not outcome.comparable:
            continue
        raw, std = main_effects(outcome)
        if std is None or std.estimate is None or std.ci_low is None or std.ci_high is None:
            if raw is not None and raw.estimate is not None:
                missing.append(outcome.key)
            continue
        panels.setdefault(std.name, []).append(
            PlotRow(outcome.key, words.label(outcome.key), std.estimate, std.ci_low, std.ci_high)
        )
    # Averages first, then shares; the largest effect at the top of each, seen at once.
    order = sorted(panels, key=lambda name: name == "cohens_h")
    shown = [
        PlotPanel(
            effect=name,
            kind="shares" if name == "cohens_h" else "means",
            rows=tuple(sorted(panels[name], key=lambda r: -r.estimate)),
        )
        for name in order
    ]
    svg = forest_plot(shown, words.lang, words.level)
    not_plotted = words.t("plot.not_plotted", items=words.labels_of(missing)) if missing else None
    return svg, not_plotted


# -- who answered, and changes by group ---------------------------------------------------------------

#: A standardised difference from this on marks a noticeable imbalance (Austin 2009).
IMBALANCE = 0.1


def _share_text(level: LevelShare | None, words: _Words) -> str:
    if level is None:
        return "–"
    if level.n is None or level.share is None:
        return words.t("fewer_than", min=count(5, words.lang))
    return words.t(
        "balance.share", n=count(level.n, words.lang), share=percent(level.share, words.lang)
    )


def _balance(report: Report, words: _Words) -> tuple[Table, ...]:
    """One table per covariate: its categories (or its mean) before and after, and a line on how
    different the two rounds' people are."""
    t, lang = words.t, words.lang
    columns = (t("col.before"), t("col.after"))
    tables = []
    for covariate in report.balance:
        before, after = covariate.groups.get("pre"), covariate.groups.get("post")
        rows = []
        if covariate.kind == "numeric":
            cells = []
            for column, group in zip(columns, (before, after), strict=True):
                if group is None or group.mean is None:
                    text = t("fewer_than", min=count(5, lang)) if group else "–"
                else:
                    text = t(
                        "balance.mean_sd",
                        mean=decimal(group.mean, 1, lang),
                        sd=decimal(group.sd or 0.0, 1, lang),
                    )
                cells.append(Cell(column, text))
            rows.append(Row("mean", t("balance.mean"), "none", "", tuple(cells), ()))
        else:
            shown = {
                name: {level.value: level for level in group.levels}
                for name, group in (("pre", before), ("post", after))
                if group is not None
            }
            values: list[str | None] = []
            for levels in shown.values():
                values += [v for v in levels if v not in values]
            for value in values:
                first = shown.get("pre", {}).get(value) or shown.get("post", {}).get(value)
                label = (
                    t("balance.not_answered")
                    if value is None
                    else words.text(first.label if first else None, str(value))
                )
                cells = tuple(
                    Cell(column, _share_text(shown.get(name, {}).get(value), words))
                    for column, name in zip(columns, ("pre", "post"), strict=True)
                )
                rows.append(Row(str(value or "none"), label, "none", "", cells, ()))
        d = covariate.standardized_difference
        if d is None:
            legend = t("balance.no_difference")
        else:
            which = "balance.differs" if abs(d) >= IMBALANCE else "balance.alike"
            legend = t(which, d=decimal(d, 2, lang), threshold=decimal(IMBALANCE, 1, lang))
        caption = words.text(covariate.label, covariate.key)
        tables.append(
            Table(
                f"balance-{covariate.key}", caption, t("col.answer"), columns, tuple(rows), legend
            )
        )
    return tuple(tables)


def _group_columns(design: str, words: _Words) -> tuple[str, ...]:
    t = words.t
    people = {
        "panel": t("col.people"),
        "comparison": t("col.people_four"),
    }.get(design, t("col.people_before_after"))
    return (
        people,
        t("col.change_did" if design == "comparison" else "col.change"),
        t("col.interval", level=words.level),
        t("col.p_groups"),
    )


def _people_of(design: str, groups: Mapping[str, GroupSummary], words: _Words) -> str:
    names = {"panel": ("pre",), "comparison": (*_GROUPS["comparison"], *_COMPARISON)}.get(
        design, _GROUPS[design]
    )
    return " · ".join(words.people(groups.get(name)) for name in names)


def _group_sections(report: Report, words: _Words) -> tuple[GroupSection, ...]:
    """Each outcome's change in each group of each grouping item (analysis.subgroups)."""
    t, lang = words.t, words.lang
    alpha = 1 - report.confidence_level
    sections = []
    columns = _group_columns(report.design, words)
    for outcome in report.outcomes:
        if not outcome.subgroups:
            continue
        kind = outcome.kind
        raw, _ = main_effects(outcome)
        plotted: list[PlotRow] = []
        if raw is not None and raw.estimate is not None and raw.ci_low is not None:
            plotted.append(
                PlotRow("all", t("groups.everyone"), raw.estimate, raw.ci_low, raw.ci_high or 0.0)
            )
        rows = []
        for sub in outcome.subgroups:
            heading = words.label(sub.group)
            label = words.text(sub.label, sub.value)
            effect = sub.effect
            hidden = [n.code for n in sub.coded_notes if n.code in ("too_few", "hidden_with")]
            if (
                effect.estimate is not None
                and effect.ci_low is not None
                and effect.ci_high is not None
            ):
                plotted.append(
                    PlotRow(
                        f"{sub.group}-{sub.value}",
                        label,
                        effect.estimate,
                        effect.ci_low,
                        effect.ci_high,
                        heading=heading,
                    )
                )
            interval = "–"
            if effect.ci_low is not None and effect.ci_high is not None:
                interval = t(
                    "interval",
                    low=signed(effect.ci_low, kind, lang),
                    high=signed(effect.ci_high, kind, lang),
                )
            values = (
                _people_of(report.design, sub.groups, words),
                signed(effect.estimate, kind, lang),
                interval,
                words.p(sub.p_adjusted),
            )
            verdict = (
                direction(effect.ci_low, effect.ci_high) if effect.estimate is not None else "none"
            )
            notes = [t(f"note.{code}", min=count(5, lang)) for code in hidden]
            rows.append(
                Row(
                    key=f"{sub.group}-{sub.value}",
                    label=f"{heading}: {label}",
                    verdict=verdict,
                    verdict_text=t(f"verdict.{verdict}"),
                    cells=tuple(Cell(c, v) for c, v in zip(columns, values, strict=True)),
                    notes=tuple(notes[:1]),
                )
            )
        tests = []
        for item, raw_p in outcome.interaction_p.items():
            name = words.label(item)
            quoted = f"«{name}»" if lang == "mn" else f"“{name}”"
            # The adjusted p (across every interaction test of the report) decides and is shown.
            p = outcome.interaction_p_adjusted.get(item, raw_p)
            if p is None:
                continue
            key = "groups.differ" if p < alpha else "groups.cannot_tell"
            shown = words.p(p)
            tests.append(t(key, item=quoted, p=f"p {shown}" if shown[0] == "<" else f"p = {shown}"))
        tests += [
            text
            for text in (
                _note_text(words, n, kind) for n in outcome.coded_notes if n.code in _GROUP_NOTES
            )
            if text
        ]
        points = words.points(outcome.key, kind)
        did = "_did" if report.design == "comparison" else ""
        axis = (
            t(f"groups.axis_percent{did}")
            if kind in PERCENT_KINDS
            else t(f"groups.axis_scale{did}", unit=unit(kind, points, lang))
        )
        panel = PlotPanel(
            effect=outcome.key,
            kind="shares" if kind in PERCENT_KINDS else "means",
            rows=tuple(plotted),
            scale=100.0 if kind in PERCENT_KINDS else 1.0,
            axis=axis,
        )
        label = words.label(outcome.key)
        plot = subgroup_plot(
            panel, lang, words.level, f"groups-{outcome.key}", t("groups.plot_title", label=label)
        )
        table = Table(f"groups-{outcome.key}", label, t("col.group"), columns, tuple(rows))
        sections.append(GroupSection(outcome.key, label, plot, tuple(tests), table))
    return tuple(sections)


# -- the page -----------------------------------------------------------------------------------------


def _left_out(report: Report, words: _Words) -> tuple[str, ...]:
    out = []
    for note in report.coded_notes:
        label = words.label(str(note.params.get("item", "")))
        if note.code == "item_changed":
            out.append(
                words.t(
                    "left_out.changed",
                    label=label,
                    first=_param_text(words, "first", note.params.get("first")),
                    changed=_param_text(words, "changed", note.params.get("changed")),
                )
            )
        elif note.code == "item_not_in_version":
            versions = note.params.get("versions") or []
            out.append(
                words.t(
                    "left_out.missing",
                    label=label,
                    versions=_param_text(words, "versions", versions),
                )
            )
    return tuple(out)


def _terms(report: Report, words: _Words) -> tuple[Term, ...]:
    t = words.t
    method = next(
        (str(n.params.get("method")) for n in report.coded_notes if n.code == "p_adjusted"), "holm"
    )
    bodies = {
        "interval": {"level": words.level},
        "percentage_points": {},
        "standardised": {},
        "conventions": {},
        "p": {"method": t(f"method.{method}") if f"method.{method}" in CATALOGUE else method},
    }
    if any(o.reverse for o in report.items) or any(
        _reversed_items(o, words) for o in report.outcomes
    ):
        bodies["reverse"] = {}
    if any(o.kind == "scale" for o in report.outcomes):
        bodies["reliability"] = {}
    if any(o.kind == "score" for o in report.outcomes) or any(
        o.kind == "item" for o in report.items
    ):
        bodies["skipped"] = {}
    if report.balance:
        bodies["balance"] = {}
    if any(o.subgroups for o in report.outcomes):
        bodies["groups"] = {"method": t("method.holm")}
    bodies["privacy"] = {}
    return tuple(
        Term(
            key=key,
            title=t(f"term.{key}", **({"level": words.level} if key == "interval" else {})),
            body=t(f"term.{key}.body", **params),
        )
        for key, params in bodies.items()
    )


def _waves(report: Report, words: _Words) -> tuple[WaveRow, ...]:
    rows = []
    for wave in report.waves:
        arm, phase = wave.arm, wave.phase
        group = phase if report.design != "comparison" and arm == "campaign" else f"{arm}_{phase}"
        rows.append(
            WaveRow(
                group=words.group(group),
                wave=wave.key,
                version=count(wave.version, words.lang),
                complete=count(wave.n_complete, words.lang),
            )
        )
    return tuple(rows)


def report_page(
    report: Report,
    lang: str,
    definition: Questionnaire | None = None,
    cluster_item: str | None = None,
) -> ReportPage:
    """The report page's content in ``lang`` (see the module docstring).

    Parameters
    ----------
    report
        The campaign's report.
    lang
        The page's language, one of :data:`survey.web.i18n.LANGUAGES`.
    definition
        The questionnaire version the report uses (``reference_definition``), for its title, the
        answer scales and the reversed statements of each scale; without it those are left out.
    cluster_item
        The campaign's cluster item, named in the note about clustered intervals.
    """
    words = _Words(report, lang, definition, cluster_item)
    t = words.t
    plot, not_plotted = _plot(report, words)
    groups = _group_sections(report, words)
    notes = (_note_text(words, note) for note in report.coded_notes)
    return ReportPage(
        lang=lang,
        t=t,
        languages=tuple(LanguageLink(c, language_name(c), c == lang) for c in LANGUAGES),
        document_title=t("document_title", campaign=report.campaign),
        heading=t("heading", campaign=report.campaign),
        survey_title=(
            t("survey_title", title=words.text(definition.title, ""))
            if definition is not None
            else None
        ),
        design=t(f"design.{report.design}"),
        intervals=t("intervals_are", level=words.level),
        waves=_waves(report, words),
        cards=tuple(_card(report.design, o, words) for o in report.outcomes),
        plot=plot,
        plot_legend=t("plot.legend", level=words.level),
        not_plotted=not_plotted,
        caveat=t(f"caveat.{report.design}"),
        flags=tuple(_flag_texts(words, report.flags, report)),
        notes=tuple(text for text in notes if text),
        left_out=_left_out(report, words),
        tables=_tables(report, words),
        reliability=_reliability(report, words),
        terms=_terms(report, words),
        comparison=report.design == "comparison",
        balance=_balance(report, words),
        balance_intro=t("balance.intro") if report.balance else None,
        groups=groups,
        groups_intro=_groups_intro(report, words) if groups else None,
    )


def _groups_intro(report: Report, words: _Words) -> str:
    """What the changes by group are, and, beside adjusted effects, that they are not adjusted."""
    text = words.t("groups.intro", level=words.level)
    if any(o.adjusted is not None for o in report.outcomes):
        text += " " + words.t("groups.not_adjusted")
    return text
