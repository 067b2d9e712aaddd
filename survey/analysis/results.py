"""Result types shared by the analysis modules."""

from __future__ import annotations

import msgspec


class Effect(msgspec.Struct, frozen=True, kw_only=True):
    """One estimate with its confidence interval.

    Direction: the first argument of the function that made it is *after* (post, or the campaign arm),
    the second *before* (pre, or comparison); a positive estimate means improvement.
    ``n`` holds the group sizes used; ``p_value`` is given where a test is standard, else None;
    ``notes`` explains a NaN or a correction applied (e.g. 0.5 added to zero cells).
    """

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    confidence_level: float
    method: str
    n: tuple[int, ...]
    p_value: float | None = None
    notes: tuple[str, ...] = ()


class ItemStats(msgspec.Struct, frozen=True, kw_only=True):
    """Classical item statistics for one item (see ``reliability.item_analysis``).

    ``difficulty`` is the mean item score (the share correct for a 0/1 item);
    ``item_rest_correlation`` the Pearson correlation of the item with the sum of the other items
    (point-biserial for a 0/1 item); ``alpha_if_deleted`` Cronbach's alpha of the other items.
    ``flags`` holds any of ``"too_easy"``, ``"too_hard"``, ``"low_discrimination"``.
    """

    key: str
    n: int
    difficulty: float
    item_rest_correlation: float
    alpha_if_deleted: float
    binary: bool
    flags: tuple[str, ...] = ()


class ItemAnalysis(msgspec.Struct, frozen=True, kw_only=True):
    """Item analysis of one scale or test: per-item statistics and the scale's alpha.

    ``n_used`` rows had every item answered and were analysed; ``n_dropped`` rows were left out
    (listwise deletion). The thresholds used for the flags are kept beside the results.
    """

    items: tuple[ItemStats, ...]
    alpha: Effect
    n_used: int
    n_dropped: int
    too_easy: float
    too_hard: float
    min_discrimination: float
    notes: tuple[str, ...] = ()


# -- the campaign report (see survey.analysis.report and docs/analysis.md, "The report's JSON") ----------------------
# Numbers that do not exist (an estimate on an empty group, an interval that is undefined) are None, so
# that the JSON shows null rather than NaN, which JSON does not have.


class WaveSummary(msgspec.Struct, frozen=True, kw_only=True):
    """One wave of the campaign: its phase, arm, pinned version and number of complete responses."""

    key: str
    phase: str
    arm: str
    version: int
    n_complete: int


class GroupSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Size, mean and standard deviation (n − 1 divisor) of one group's values of an outcome.

    For a 0/1 outcome the mean is the proportion. A group of 1 to 4 respondents is suppressed
    (reports never show a cell under 5): ``n``, ``mean`` and ``sd`` are then all None and the
    outcome's notes say so. An empty group has ``n`` 0 and no mean.
    """

    n: int | None
    mean: float | None
    sd: float | None


class EffectSummary(msgspec.Struct, frozen=True, kw_only=True):
    """One effect of an outcome as the report shows it (an :class:`Effect` without its details).

    ``p_value`` is the effect's own p, from the method of its own interval (None where there is no test,
    as for Cronbach's alpha, or no estimate). ``group`` names the one group (wave role) an effect is of,
    for those computed within each group (Cronbach's alpha); None for effects that compare groups.
    """

    name: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    p_value: float | None = None
    group: str | None = None


#: A parameter of a :class:`Note` or :class:`Flag`: a number, a name, or a list of them. Counts are
#: numbers too (no separate integer type): JSON Schema's integer is also a number, and a ``oneOf``
#: with both would match a count twice (the OpenAPI document must describe the JSON exactly).
Param = str | float | bool | None | list[str | float]


class Note(msgspec.Struct, frozen=True, kw_only=True):
    """One note of the report in a form a page can translate.

    ``code`` names the sentence and ``params`` fill it, so that a page can write the note in its
    reader's language without reading the English of ``text`` (the same note as in ``notes``).

    Codes of the report: ``missing_wave`` (phase, arm), ``unused_wave`` (wave, phase, arm),
    ``item_not_in_version`` (item, versions), ``item_changed`` (item, first, changed),
    ``panel_no_keys`` (wave), ``panel_duplicates`` (wave, count), ``panel_without_key`` (wave,
    count), ``panel_matched`` (matched, rate, pre, post, attrition: a share or None),
    ``panel_nothing_to_match``, ``cluster_item_not_choice`` (wave, item, version), ``clusters`` (item,
    count), ``p_adjusted`` (method), ``covariate_left_out`` (item), ``subgroup_left_out`` (item). Codes of an outcome or item: ``outcome_items_left_out`` (used,
    declared, items), ``outcome_not_comparable`` (items), ``outcome_defined_differently`` (version,
    used), ``alpha_needs_two_items``, ``alpha_undefined`` (group), ``low_reliability`` (group, alpha,
    threshold), ``partial_credit``, ``reverse_coded``, ``too_few`` (groups, min), ``no_respondents``
    (groups), ``small_sample`` (groups, sizes, threshold), ``cluster_unlabelled`` (count),
    ``cluster_fallback``, ``adjusted_dropped`` (count), ``adjusted_few`` (per, threshold),
    ``interaction_untestable`` (item), ``interaction_few_clusters`` (item, count, threshold),
    ``skipped_reading`` (verdict, alternative, estimate, ci_low, ci_high: the
    first effect's conclusion, and the conclusion, estimate and interval with skipped knowledge
    questions counted as not answered instead of wrong), and ``effect`` (effect, note: a method's own
    technical note). Why an outcome has no adjusted effect (``adjusted_reason``):
    ``adjusted_design`` (design), ``adjusted_no_covariates``, ``adjusted_no_estimate``,
    ``adjusted_outcomes_only``, ``adjusted_failed`` (why). Notes of a subgroup: those of an outcome,
    and ``hidden_with``.
    """

    code: str
    params: dict[str, Param] = {}
    text: str


class SubgroupEffect(msgspec.Struct, frozen=True, kw_only=True):
    """One outcome's effect within one group of a grouping item (the ``analysis.subgroups`` block).

    ``group`` is the grouping item's key, ``value`` the group (a choice value, or a band such as
    ``"18–21"``) and ``label`` its label per language (the choice's label; a band's is its numbers).
    ``groups`` describe the outcome in the group, as :attr:`OutcomeReport.groups` for the whole
    sample; ``effect`` is the design's first effect (the raw difference) within the group, with its
    own p; ``p_adjusted`` is that p adjusted by Holm across the groups of the same item. A group
    with a cell under 5 (``too_few`` in its notes), and the smallest other group when it is the only
    one so hidden (``hidden_with`` in its notes, so that its numbers cannot be worked out from the
    totals), has every number null.
    """

    group: str
    value: str
    label: dict[str, str]
    groups: dict[str, GroupSummary]
    effect: EffectSummary
    p_adjusted: float | None = None
    coded_notes: tuple[Note, ...] = ()


class LevelShare(msgspec.Struct, frozen=True, kw_only=True):
    """One category of a covariate in one wave: how many answered it, and their share of the wave.

    ``value`` is the choice value or band, None for the respondents who did not answer; 1 to 4
    respondents (or a cell hidden with such a one) show ``n`` and ``share`` as null.
    """

    value: str | None
    label: dict[str, str]
    n: int | None
    share: float | None


class CovariateSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A covariate's distribution in one wave: its categories' shares, or a number's mean and SD.

    ``n`` counts the complete responses of the wave (categorical) or those that answered (numeric).
    """

    n: int | None
    mean: float | None = None
    sd: float | None = None
    levels: tuple[LevelShare, ...] = ()


class CovariateBalance(msgspec.Struct, frozen=True, kw_only=True):
    """One covariate before and after: the campaign's ``balance`` (independent samples).

    ``kind`` is ``categorical`` (a choice item, or an integer in bands) or ``numeric``; ``groups``
    holds the ``pre`` and ``post`` distributions; ``standardized_difference`` is Cohen's d of the
    two waves for a number (post minus pre over the root mean of the two variances, Austin 2009) and
    Yang & Dalton's (2012) multivariate d of the categories' shares for a categorical covariate (not
    signed); 0.1 and above is the usual mark of imbalance.
    """

    key: str
    kind: str
    label: dict[str, str]
    groups: dict[str, CovariateSummary]
    standardized_difference: float | None


class OutcomeReport(msgspec.Struct, frozen=True, kw_only=True):
    """One outcome, knowledge item or Likert item of the report.

    ``kind`` is ``score``, ``scale``, ``proportion``, ``item`` (one knowledge item, correct or not)
    or ``likert`` (one Likert item). ``p_adjusted`` is adjusted for multiplicity within the
    outcome's family; ``comparable`` is False when no item of the outcome can be compared between
    the versions the waves used (then there are no effects).

    A reverse-coded Likert item (``reverse``) is analysed as ``points + 1 - answer``, so that higher
    is better: ``groups`` and ``effects`` are of that score, and ``raw_groups`` describe the answers
    as given, in the direction of the item's own wording (the means of the CSV export).
    ``coded_notes`` are ``notes`` as codes with parameters (see :class:`Note`).

    ``adjusted`` is the first effect adjusted for the questionnaire's covariates (independent
    samples: regression adjustment, see :mod:`survey.analysis.adjustment`), an effect of the same
    name, with ``adjusted_for`` the covariates used; when there is none, ``adjusted_reason`` says
    why. ``subgroups`` holds the effect within each group of each grouping item, and
    ``interaction_p`` per grouping item the p of the test that the effect is the same in all its
    groups (None when it cannot be tested), and ``interaction_p_adjusted`` that p adjusted for
    multiplicity across all the report's interaction tests (every outcome and grouping item).
    """

    key: str
    kind: str
    label: dict[str, str]
    groups: dict[str, GroupSummary]
    effects: tuple[EffectSummary, ...]
    p_value: float | None
    p_adjusted: float | None
    comparable: bool
    notes: tuple[str, ...] = ()
    reverse: bool = False
    raw_groups: dict[str, GroupSummary] = {}
    coded_notes: tuple[Note, ...] = ()
    adjusted: EffectSummary | None = None
    adjusted_for: tuple[str, ...] = ()
    adjusted_reason: Note | None = None
    subgroups: tuple[SubgroupEffect, ...] = ()
    interaction_p: dict[str, float | None] = {}
    interaction_p_adjusted: dict[str, float | None] = {}


class Flag(msgspec.Struct, frozen=True, kw_only=True):
    """A caveat a reader must see: ``code`` for programs, ``message`` for people.

    Codes: ``incomparable_items``, ``missing_wave``, ``small_sample``, ``small_cell``,
    ``low_reliability``, ``low_match_rate``, ``duplicate_panel_keys``, ``skipped_reading``. ``subject`` is the outcome
    or item key the flag is about, or None for the whole campaign. ``params`` hold the numbers and
    names of ``message``, so that a page can write it in its reader's language: ``incomparable_items``
    (items), ``missing_wave`` (phase, arm), ``small_sample`` (groups, sizes, threshold),
    ``small_cell`` (min), ``low_reliability`` (group, alpha, threshold), ``low_match_rate`` (rate,
    threshold), ``duplicate_panel_keys`` (wave, count), ``skipped_reading`` (verdict, alternative).
    """

    code: str
    subject: str | None
    message: str
    params: dict[str, Param] = {}


class Report(msgspec.Struct, frozen=True, kw_only=True):
    """The campaign report; ``msgspec.json.encode(report)`` is the JSON of docs/analysis.md.

    ``coded_notes`` are ``notes`` as codes with parameters (see :class:`Note`). ``balance`` describes
    each covariate before and after (independent samples with declared covariates; empty otherwise).
    """

    campaign: str
    design: str
    confidence_level: float
    waves: tuple[WaveSummary, ...]
    outcomes: tuple[OutcomeReport, ...]
    items: tuple[OutcomeReport, ...] = ()
    flags: tuple[Flag, ...] = ()
    notes: tuple[str, ...] = ()
    coded_notes: tuple[Note, ...] = ()
    balance: tuple[CovariateBalance, ...] = ()
