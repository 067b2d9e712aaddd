"""The campaign report: every outcome and comparable item, with the effects its design calls for.

:func:`build_report` takes the complete responses of each wave (as :class:`WaveData`: the wave's
phase, arm, pinned version, the version's definition and comparability map, and a
:class:`~survey.analysis.scoring.ResponseFrame`) and returns a :class:`~survey.analysis.results.Report`
whose JSON is the shape of docs/analysis.md ("The report's JSON"), plus ``items``, ``flags`` and ``notes``.

Effects by design (the first group is always *after*: post, or the campaign arm)
-------------------------------------------------------------------------------
* ``independent`` (different people before and after; the campaign arm's pre and post waves):
  means (``score``, ``scale``, ``likert``): ``mean_difference`` (Welch) and ``hedges_g`` with the
  Welch-type noncentral-t interval (``equal_var=False``); proportions (``proportion``, ``item``):
  ``risk_difference`` (Newcombe hybrid score) and ``cohens_h``.
* ``panel`` (the same people, linked by their pseudonymous panel key): pre and post responses are
  matched by key; a key answered twice in one wave keeps its *last* response in frame order (pass
  responses in submission order) and a note counts the duplicates. Means: paired
  ``mean_difference``, ``d_z`` and ``d_av``; proportions: ``paired_risk_difference`` (Newcombe
  paired score). Groups ``pre`` and ``post`` describe the matched respondents and
  ``change`` their within-person differences. The match rate (matched / min(n_pre, n_post), n the
  complete responses of each wave) below ``min_match_rate`` is flagged; attrition (the share of pre
  respondents not found after) is in the notes.
* ``comparison`` (a campaign and an unexposed comparison arm, each surveyed before and after):
  ``difference_in_differences`` (OLS; cluster-robust with t(G − 1) when clusters are given) and, for
  means, ``standardized_difference_in_differences`` (over the pooled pre-test SD, with Morris's
  small-sample factor and Fieller's interval). Respondents
  without a cluster label are left out of a clustered analysis, with a note.

Which p-value
-------------
Every effect carries its own p (``EffectSummary.p_value``), from the method of its own interval, so
that the interval excludes no effect exactly when p < 1 − confidence level (see
:mod:`survey.analysis.effects`). The outcome's ``p_value``, the one adjusted for multiplicity and shown
beside the raw difference's interval, is the p of the *first* effect of each design: the raw
difference (``mean_difference``, ``risk_difference``, ``paired_risk_difference`` or
``difference_in_differences``). The standardised effects of means agree with it (``hedges_g`` with
Welch's interval beside Welch's difference; ``d_z`` and ``d_av`` rest on the paired t statistic; the
standardised difference in differences on the raw one). ``cohens_h`` has its own normal-theory p and
can, in small or extreme samples, disagree with the Newcombe p of the risk difference beside it: it is
a different test, and its p is given with it.

Comparability
-------------
An item is compared only when every compared wave's version has it under the same comparability key
(its fingerprint, or an earlier version's when the newer version marked the change ``equivalent``).
Other knowledge and Likert items are left out of ``items``, with the reason in the report's
``notes`` (``"k_offer: changed between v1 and v2 (not marked equivalent)"``). An outcome is computed
on its comparable items, with a note naming those left out, and is ``comparable: false`` (no
effects) when none remain. Outcomes are taken from the newest compared version.

Flags, small samples and privacy
--------------------------------
* A group with fewer than ``small_n`` (30) respondents gets a note and a ``small_sample`` flag.
* Reports never show a cell under 5: a group of 1 to 4 respondents, or any group of a wave with 1
  to 4 complete responses, has ``n``, ``mean`` and ``sd`` null, and the outcome shows no estimate
  (effects listed with null numbers, p null), with a ``small_cell`` flag. An empty group of a
  larger wave is shown as ``n: 0``. Wave totals (``n_complete``) are always shown: they reveal no
  answer.
* Scale outcomes carry Cronbach's alpha (Feldt interval) per wave among their effects, named
  ``cronbach_alpha`` with the wave's role in ``group``; alpha below ``min_alpha`` (0.7) is flagged ``low_reliability``.
* Degenerate data (an empty wave, a group without variance) gives null estimates with a note,
  never an exception.

Multiplicity
------------
p-values are adjusted (Holm by default, Benjamini-Hochberg with ``adjust="bh"``) within each of
three families: the declared outcomes, the knowledge items, the attitude (Likert) items. A
suppressed or undefined p is not counted in its family.

Who answered: the analysis block
--------------------------------
The reference version's ``analysis`` block names covariates and grouping items (each left out, with a
note, when it was not asked alike in every compared wave):

* ``balance``: each covariate's distribution before and after, with its standardised difference
  (independent design only; :mod:`survey.analysis.adjustment`).
* ``adjusted``: each declared outcome's first effect adjusted for the covariates (independent design:
  OLS with HC2 errors for means, the logistic average marginal effect for shares), or null with
  ``adjusted_reason``.
* ``subgroups``: each declared outcome's first effect within each group of each grouping item, by the
  design's own method on the group's respondents (a panel's group is the answer before), Holm across
  the groups, and ``interaction_p``, the test that the effect is the same in every group
  (:mod:`survey.analysis.subgroups`), adjusted (Holm, or BH) across all the report's interaction tests
  in ``interaction_p_adjusted``.

Cells under 5 are hidden there too, with one more beside the only one hidden (complementary
suppression), so that no subtraction from a total finds them.

Missing knowledge answers
-------------------------
Scored by the one rule of :mod:`survey.analysis.scoring` ("skipped = wrong" where administered). Where
counting skips as not answered changes an outcome's or a knowledge item's conclusion (rose, fell, no
clear change: :func:`direction`), a ``skipped_reading`` note and flag say so.

One module, though long: it is the one place where a design decides what is compared with what, which
effect and which family each outcome gets, and what is suppressed or flagged. Split by design, the rules
shared by all three (small cells, comparability, Holm families, notes) would be copied or scattered; the
methods themselves live in effects.py, adjustment.py, subgroups.py and reliability.py.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import msgspec
import numpy as np

from survey.analysis import effects
from survey.analysis.adjustment import (
    MIN_PER_PARAMETER,
    Adjusted,
    Covariate,
    adjusted_mean_difference,
    adjusted_risk_difference,
    covariate_balance,
)
from survey.analysis.cells import Cells, Clustered, Moments, WaveCells, build, subject_key
from survey.analysis.multiplicity import adjust_pvalues
from survey.analysis.reliability import cronbach_alpha, cronbach_alpha_from_moments
from survey.analysis.results import (
    CovariateBalance,
    CovariateSummary,
    Effect,
    EffectSummary,
    Flag,
    GroupSummary,
    LevelShare,
    Note,
    OutcomeReport,
    Param,
    Report,
    SubgroupEffect,
    WaveSummary,
)
from survey.analysis.scoring import (
    ResponseFrame,
    item_correct,
    knowledge_scores,
    likert_matrix,
    proportion,
    scale_scores,
)
from survey.analysis.subgroups import interaction_test
from survey.errors import InvalidStatistics
from survey.questionnaire.model import Analysis, Item, Outcome, Questionnaire, Variable

__all__ = [
    "DESIGNS",
    "FEW_CLUSTERS",
    "Direction",
    "WaveData",
    "build_report",
    "collapse_waves",
    "direction",
    "reference_definition",
]

Design = Literal["independent", "panel", "comparison"]
Direction = Literal["rose", "fell", "unclear", "none"]
DESIGNS: tuple[str, ...] = ("independent", "panel", "comparison")

#: The groups each design compares, as (group name, phase, arm).
_ROLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "independent": (("pre", "pre", "campaign"), ("post", "post", "campaign")),
    "panel": (("pre", "pre", "campaign"), ("post", "post", "campaign")),
    "comparison": (
        ("campaign_pre", "pre", "campaign"),
        ("campaign_post", "post", "campaign"),
        ("comparison_pre", "pre", "comparison"),
        ("comparison_post", "post", "comparison"),
    ),
}
_BINARY_KINDS = ("proportion", "item")
#: Below this many clusters, cluster-robust intervals can be too narrow (Cameron & Miller 2015,
#: "A practitioner's guide to cluster-robust inference"); effects.difference_in_differences notes
#: the same threshold on each effect, and the report says it once, with a code a page can translate.
FEW_CLUSTERS = 20
_FAMILIES = (
    ("outcomes", "the declared outcomes"),
    ("knowledge", "the knowledge items"),
    ("attitude", "the attitude (Likert) items"),
)


@dataclass(frozen=True, eq=False)
class WaveData:
    """One wave's responses and what is needed to compare them.

    Attributes
    ----------
    key, phase, arm
        The wave's key, ``"pre"`` or ``"post"``, ``"campaign"`` or ``"comparison"``.
    version
        The number of the questionnaire version the wave is pinned to.
    definition
        That version's definition.
    comparability
        That version's comparability map: item key → the key it is compared under.
    frame
        The wave's responses; only the rows marked complete are analysed. None when ``cells`` are
        given instead.
    cells
        The wave's complete responses collapsed to cells (:mod:`survey.analysis.cells`, made by
        :func:`collapse_waves` with the same design, versions and settings), in place of ``frame``:
        the report is the same. Not for a panel design, whose matching needs rows.
    panel_key
        Panel design: one pseudonymous key per frame row (None or "" where there is none).
    cluster
        Optional: one cluster label per frame row (None where there is none), for cluster-robust
        intervals in a comparison design.
    """

    key: str
    phase: str
    arm: str
    version: int
    definition: Questionnaire
    comparability: Mapping[str, str]
    frame: ResponseFrame | None
    panel_key: Sequence[object] | np.ndarray | None = None
    cluster: Sequence[object] | np.ndarray | None = None
    cells: WaveCells | None = None

    @property
    def n_complete(self) -> int:
        if self.cells is not None:
            return self.cells.n
        return int(np.count_nonzero(self.frame.complete)) if self.frame is not None else 0

    def complete_rows(self) -> np.ndarray:
        """Indices of the complete responses in the frame; with ``cells``, of the cells' strata."""
        if self.cells is not None:
            return np.arange(len(self.cells.strata) if self.cells.n else 0)
        return np.flatnonzero(self.frame.complete) if self.frame is not None else np.empty(0, int)

    def complete_counts(self) -> np.ndarray:
        """The respondents each of :meth:`complete_rows` stands for: one a row, a stratum's count."""
        if self.cells is not None:
            return self.cells.stratum_counts[: self.complete_rows().size]
        return np.ones(self.complete_rows().size, dtype=np.int64)


@dataclass(eq=False)
class _Role:
    """A compared group: its wave (None when the campaign has no such wave) and its *units*.

    From rows a unit is a complete response; from cells it is a stratum of the wave's cells (the
    respondents who share a cluster label and analysis-block answers), standing for its count of
    respondents, so that nothing the report does grows with the responses. The analysis block's
    values and the cluster codes are kept per unit, and a score's cells point to their unit through
    their ``strata``.
    """

    name: str
    wave: WaveData | None
    rows: np.ndarray  # the units: complete rows of the wave's frame, or strata of its cells
    counts: np.ndarray  # the respondents each unit stands for

    @property
    def n(self) -> int:
        return int(self.counts.sum())


@dataclass(eq=False)
class _Panel:
    """Matched pre/post rows (indices into the complete rows of each wave)."""

    pre: np.ndarray
    post: np.ndarray


@dataclass(eq=False)
class _Context:
    design: str
    level: float
    roles: list[_Role]
    comparable: set[str]
    reasons: dict[str, Note]
    panel: _Panel | None
    clusters: dict[str, np.ndarray | None]
    small_n: int
    min_cell: int
    min_alpha: float
    flags: list[Flag]
    covariates: list[_Variable] = dataclasses.field(default_factory=list)
    groupings: list[_Variable] = dataclasses.field(default_factory=list)
    # Only the first planned effect (the raw difference): what a group's effect and the other reading
    # of skipped questions need, without the standardised effects' costlier intervals.
    first_only: bool = False
    # Set by collapse_waves: what the report reads of each wave, kept to make its cells.
    recorder: _Recorder | None = None


@dataclass(eq=False)
class _Recorder:
    """Per wave key: the attributes, subjects and moments the report read (see collapse_waves)."""

    attributes: dict[str, dict[str, np.ndarray]] = dataclasses.field(default_factory=dict)
    subjects: dict[str, dict[str, np.ndarray]] = dataclasses.field(default_factory=dict)
    moments: dict[str, dict[str, Moments]] = dataclasses.field(default_factory=dict)


@dataclass(eq=False)
class _Variable:
    """A covariate or grouping item of the analysis block, read from every compared wave.

    ``values`` per role are aligned with the role's complete rows: codes into ``levels`` (-1 for no
    answer) for a categorical variable, numbers (NaN for no answer) for a numeric covariate.
    """

    key: str
    label: dict[str, str]
    levels: tuple[str, ...] | None
    level_labels: tuple[dict[str, str], ...]
    values: dict[str, np.ndarray]

    def covariate(self, role: str, rows: np.ndarray | None = None) -> Covariate:
        values = self.values[role] if rows is None else self.values[role][rows]
        return Covariate(self.key, values, self.levels)


# -- small helpers ------------------------------------------------------------------------------------


def direction(ci_low: float | None, ci_high: float | None) -> Direction:
    """The conclusion an interval allows: the report's one rule for the words "rose" and "fell".

    ``"rose"`` only when the whole interval lies above zero, ``"fell"`` only when it lies below;
    ``"unclear"`` when it includes zero, at its edge too; ``"none"`` when there is no interval.
    """
    if ci_low is None or ci_high is None or math.isnan(ci_low) or math.isnan(ci_high):
        return "none"
    if ci_low > 0:
        return "rose"
    if ci_high < 0:
        return "fell"
    return "unclear"


def _number(x: float | None) -> float | None:
    """A float for the JSON: None for NaN, infinite or missing."""
    if x is None:
        return None
    value = float(x)
    return value if math.isfinite(value) else None


def _summary(effect: Effect) -> EffectSummary:
    return EffectSummary(
        name=effect.name,
        estimate=_number(effect.estimate),
        ci_low=_number(effect.ci_low),
        ci_high=_number(effect.ci_high),
        method=effect.method,
        p_value=_number(effect.p_value),
    )


def _note(code: str, text: str, **params: Param) -> Note:
    """A note as its technical English (the report's ``notes``) and as a code a page translates."""
    return Note(code=code, text=text, params=params)


def _texts(notes: Sequence[Note]) -> tuple[str, ...]:
    return tuple(note.text for note in notes)


def _blank(name: str, method: str) -> EffectSummary:
    return EffectSummary(name=name, estimate=None, ci_low=None, ci_high=None, method=method)


def _safe(name: str, method: str, level: float, call: Callable[[], Effect]) -> Effect:
    """Run an effect function; data it cannot use gives a NaN effect with the reason as a note."""
    try:
        return call()
    except (InvalidStatistics, ValueError, ArithmeticError) as exc:
        nan = math.nan
        return Effect(
            name=name,
            estimate=nan,
            ci_low=nan,
            ci_high=nan,
            confidence_level=level,
            method=method,
            n=(),
            p_value=None,
            notes=(str(exc),),
        )


def _group(values: np.ndarray | Cells | Clustered, hide: bool) -> GroupSummary:
    if isinstance(values, Clustered):
        values = values.cells()
    n = int(values.size)
    if hide:
        return GroupSummary(n=None, mean=None, sd=None)
    if n == 0:
        return GroupSummary(n=0, mean=None, sd=None)
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if n > 1 else None
    return GroupSummary(n=n, mean=_number(mean), sd=_number(sd))


def _present(values: np.ndarray | Cells) -> np.ndarray | Cells:
    if isinstance(values, Cells):
        return values.present()
    return values[~np.isnan(values)]


def _total(values: np.ndarray | Cells) -> int:
    """The number of 1s of a binary sample."""
    return int(values.sum()) if isinstance(values, Cells) else int(np.sum(values))


def _has_item(definition: Questionnaire, key: str) -> bool:
    try:
        definition.item(key)
    except KeyError:
        return False
    return True


def _version_list(versions: Sequence[int]) -> str:
    return " and ".join(f"v{v}" for v in versions)


# -- waves, comparability, panel matching -------------------------------------------------------------


def _check_waves(waves: Sequence[WaveData]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for wave in waves:
        if wave.phase not in ("pre", "post"):
            raise InvalidStatistics(f'wave {wave.key}: phase must be "pre" or "post"')
        if wave.arm not in ("campaign", "comparison"):
            raise InvalidStatistics(f'wave {wave.key}: arm must be "campaign" or "comparison"')
        other = seen.setdefault((wave.phase, wave.arm), wave.key)
        if other != wave.key:
            raise InvalidStatistics(
                f"waves {other} and {wave.key}: both are the {wave.phase} wave of the {wave.arm} arm"
            )
        if (wave.frame is None) == (wave.cells is None):
            raise InvalidStatistics(f"wave {wave.key}: give either its frame or its cells")
        if wave.cells is not None:
            if wave.panel_key is not None or wave.cluster is not None:
                raise InvalidStatistics(
                    f"wave {wave.key}: cells carry their clusters; panel keys need rows"
                )
            continue
        n = wave.frame.n
        if wave.frame.complete.shape != (n,):
            raise InvalidStatistics(
                f"wave {wave.key}: the frame's complete mask has the wrong size"
            )
        for name in ("panel_key", "cluster"):
            column = getattr(wave, name)
            if column is not None and len(column) != n:
                raise InvalidStatistics(
                    f"wave {wave.key}: {name} has {len(column)} values for {n} responses"
                )


def _comparability(
    roles: list[_Role], reference: Questionnaire
) -> tuple[set[str], dict[str, Note]]:
    """Item keys comparable across the present waves, and the reason for every other item."""
    waves = [role.wave for role in roles if role.wave is not None]
    versions = sorted({wave.version for wave in waves})
    keys: list[str] = []
    for wave in sorted(waves, key=lambda w: -w.version):
        keys += [i.key for i in wave.definition.items() if i.answerable and i.key not in keys]
    comparable: set[str] = set()
    reasons: dict[str, Note] = {}
    for key in keys:
        by_version: dict[int, str | None] = {}
        for wave in waves:
            present = _has_item(wave.definition, key)
            by_version[wave.version] = wave.comparability.get(key) if present else None
        missing = [v for v in versions if by_version[v] is None]
        if missing:
            reasons[key] = _note(
                "item_not_in_version",
                f"{key}: not in {_version_list(missing)}",
                item=key,
                versions=list(missing),
            )
            continue
        distinct = {by_version[v] for v in versions}
        if len(distinct) == 1:
            comparable.add(key)
            continue
        first = versions[0]
        changed = next(v for v in versions if by_version[v] != by_version[first])
        reasons[key] = _note(
            "item_changed",
            f"{key}: changed between v{first} and v{changed} (not marked equivalent)",
            item=key,
            first=first,
            changed=changed,
        )
    # An item missing from the reference version is not reported at all: say nothing about it.
    return comparable, {k: r for k, r in reasons.items() if _has_item(reference, k)}


def _latest_by_key(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Unique panel keys, the row of the last response for each, duplicates and rows without a key."""
    valid = np.fromiter((isinstance(k, str) and k != "" for k in keys), dtype=bool, count=keys.size)
    rows = np.flatnonzero(valid)
    if rows.size == 0:
        return np.array([], dtype=str), rows, 0, int(keys.size)
    labels = keys[rows].astype(str)
    # np.unique keeps the first occurrence; on the reversed rows that is the last response.
    unique, first = np.unique(labels[::-1], return_index=True)
    keep = rows[::-1][first]
    return unique, keep, int(rows.size - unique.size), int(keys.size - rows.size)


def _match_panel(
    pre: _Role, post: _Role, flags: list[Flag], notes: list[Note], ratio: float
) -> _Panel:
    """Match the complete pre and post responses by panel key; flag a low match rate."""
    if pre.wave is None or post.wave is None:
        return _Panel(np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    found = []
    for role in (pre, post):
        wave = role.wave
        if wave is None:  # checked above; keeps the type checker informed
            continue
        if wave.panel_key is None:
            notes.append(
                _note(
                    "panel_no_keys",
                    f"wave {wave.key}: no panel keys given; no response can be matched",
                    wave=wave.key,
                )
            )
            keys = np.full(role.n, None, dtype=object)
        else:
            keys = np.asarray(wave.panel_key, dtype=object)[role.rows]
        unique, keep, duplicates, without = _latest_by_key(keys)
        if duplicates:
            notes.append(
                _note(
                    "panel_duplicates",
                    f"wave {wave.key}: {duplicates} response(s) repeat a panel key already "
                    "answered; the last response of each key is kept",
                    wave=wave.key,
                    count=duplicates,
                )
            )
            flags.append(
                Flag(
                    code="duplicate_panel_keys",
                    subject=None,
                    message=f"wave {wave.key}: {duplicates} repeated panel key(s); kept the last",
                    params={"wave": wave.key, "count": duplicates},
                )
            )
        if without:
            notes.append(
                _note(
                    "panel_without_key",
                    f"wave {wave.key}: {without} complete response(s) without a panel key",
                    wave=wave.key,
                    count=without,
                )
            )
        found.append((unique, keep))
    (pre_keys, pre_rows), (post_keys, post_rows) = found
    _, i_pre, i_post = np.intersect1d(pre_keys, post_keys, assume_unique=True, return_indices=True)
    matched = int(i_pre.size)
    smaller = min(pre.n, post.n)
    if smaller:
        rate = matched / smaller
        attrition = (
            f"{1.0 - matched / pre_keys.size:.0%} of pre respondents not found after"
            if pre_keys.size
            else "no pre respondent has a panel key"
        )
        notes.append(
            _note(
                "panel_matched",
                f"panel: {matched} respondents matched (match rate {rate:.0%} of the smaller wave, "
                f"{pre.n} pre and {post.n} post complete responses); attrition: {attrition}",
                matched=matched,
                rate=rate,
                pre=pre.n,
                post=post.n,
                attrition=1.0 - matched / pre_keys.size if pre_keys.size else None,
            )
        )
        if rate < ratio:
            flags.append(
                Flag(
                    code="low_match_rate",
                    subject=None,
                    message=(
                        f"only {rate:.0%} of the smaller wave matched by panel code (threshold "
                        f"{ratio:.0%}): the matched respondents may not represent the waves"
                    ),
                    params={"rate": rate, "threshold": ratio},
                )
            )
    else:
        notes.append(
            _note(
                "panel_nothing_to_match",
                "panel: no respondents to match (a wave has no complete response)",
            )
        )
    return _Panel(pre_rows[i_pre], post_rows[i_post])


def _clusters(role: _Role, cluster_item: str | None, notes: list[Note]) -> np.ndarray | None:
    """The cluster label of each complete response as strings, "" where there is none."""
    wave = role.wave
    if wave is None:
        return None
    if wave.cells is not None:
        if "cluster" not in wave.cells.attributes:
            return None
        if cluster_item is not None and not _choice_item(wave.definition, cluster_item):
            notes.append(_not_choice(wave, cluster_item))
        raw = wave.cells.column("cluster")[role.rows]
    elif wave.cluster is not None:
        raw = np.asarray(wave.cluster, dtype=object)[role.rows]
    elif cluster_item is None:
        return None
    elif cluster_item not in wave.frame.codes:
        notes.append(_not_choice(wave, cluster_item))
        raw = np.full(role.n, None, dtype=object)
    else:
        raw = wave.frame.labels(cluster_item)[role.rows]
    # Once per wave, not per outcome: labels become plain strings that numpy compares quickly.
    return np.array(["" if v is None else str(v) for v in raw.tolist()], dtype=str).reshape(-1)


def _choice_item(definition: Questionnaire, key: str) -> bool:
    """Whether the frame of this definition has codes for the item (as ``frame.codes`` would)."""
    return any(
        item.key == key and item.type in ("choice", "consent") for item in definition.items()
    )


def _not_choice(wave: WaveData, cluster_item: str) -> Note:
    return _note(
        "cluster_item_not_choice",
        f"wave {wave.key}: cluster item {cluster_item} is not a choice item of v{wave.version}",
        wave=wave.key,
        item=cluster_item,
        version=wave.version,
    )


def _cluster_codes(labels: dict[str, np.ndarray | None]) -> dict[str, np.ndarray | None]:
    """Integer cluster codes shared by all waves, -1 for no label.

    Sorting strings is the slowest part of a cluster-robust fit on many responses; integers are
    sorted many times faster, and this is done once rather than for every outcome.
    """
    given = [v for v in labels.values() if v is not None]
    if not given:
        return dict.fromkeys(labels)
    names, inverse = np.unique(np.concatenate(given), return_inverse=True)
    missing = np.flatnonzero(names == "")
    codes = inverse.astype(np.int64)
    if missing.size:
        codes[codes == missing[0]] = -1
    out: dict[str, np.ndarray | None] = {}
    start = 0
    for name, value in labels.items():
        if value is None:
            out[name] = None
        else:
            out[name] = codes[start : start + value.size]
            start += value.size
    return out


# -- per-outcome comparison ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Result:
    groups: dict[str, GroupSummary]
    effects: list[EffectSummary]
    p_value: float | None
    notes: list[Note]


def _hide(ctx: _Context, name: str, n: int) -> bool:
    """A group is suppressed when it has 1 to 4 values, or when its wave has 1 to 4 responses (then
    even an empty group would tell something about those few, e.g. that none of them said "yes")."""
    total = next((role.n for role in ctx.roles if role.name == name), n)
    return 0 < n < ctx.min_cell or 0 < total < ctx.min_cell


def _effect_notes(effect: Effect) -> list[Note]:
    return [
        _note("effect", f"{effect.name}: {note}", effect=effect.name, note=note)
        for note in effect.notes
    ]


def _finish(
    ctx: _Context,
    subject: str,
    groups: dict[str, GroupSummary],
    sizes: dict[str, int],
    hidden: set[str],
    planned: list[tuple[str, str]],
    compute: Callable[[], list[Effect]],
) -> _Result:
    """Apply the small-cell rule, then compute the effects (or show them empty).

    ``hidden`` names the groups suppressed by :func:`_hide`; they and empty groups get no estimate.
    The outcome's p is that of the first planned effect, the raw difference (see "Which p-value").
    """
    notes: list[Note] = []
    tiny = [name for name in sizes if name in hidden]
    empty = [name for name, n in sizes.items() if n == 0 and name not in hidden]
    small = [name for name, n in sizes.items() if ctx.min_cell <= n < ctx.small_n]
    if tiny:
        notes.append(
            _note(
                "too_few",
                f"{', '.join(tiny)}: fewer than {ctx.min_cell} respondents; not shown, and no "
                "estimate",
                groups=tiny,
                min=ctx.min_cell,
            )
        )
        ctx.flags.append(
            Flag(
                code="small_cell",
                subject=subject,
                message=f"{subject}: a group under {ctx.min_cell} respondents; no estimate shown",
                params={"min": ctx.min_cell},
            )
        )
    if empty:
        notes.append(
            _note(
                "no_respondents", f"{', '.join(empty)}: no respondents; no estimate", groups=empty
            )
        )
    if tiny or empty:
        return _Result(groups, [_blank(name, method) for name, method in planned], None, notes)
    if small:
        listed = ", ".join(f"{name} n = {sizes[name]}" for name in small)
        params: dict[str, Param] = {
            "groups": list(small),
            "sizes": [sizes[name] for name in small],
            "threshold": ctx.small_n,
        }
        notes.append(
            _note(
                "small_sample",
                f"small sample ({listed}, under {ctx.small_n}): interpret with caution",
                **params,
            )
        )
        ctx.flags.append(
            Flag(
                code="small_sample",
                subject=subject,
                message=f"{subject}: small sample ({listed}); wide intervals",
                params=params,
            )
        )
    found = compute()
    for effect in found:
        notes += _effect_notes(effect)
    primary = next((e for e in found if e.name == planned[0][0]), None)
    p_value = None if primary is None else _number(primary.p_value)
    return _Result(groups, [_summary(e) for e in found], p_value, notes)


def _compare_independent(
    ctx: _Context, subject: str, values: dict[str, np.ndarray], binary: bool
) -> _Result:
    pre, post = _present(values["pre"]), _present(values["post"])
    level = ctx.level
    sizes = {"pre": pre.size, "post": post.size}
    hidden = {name for name, n in sizes.items() if _hide(ctx, name, n)}
    groups = {name: _group(v, name in hidden) for name, v in (("pre", pre), ("post", post))}
    k_post, k_pre = _total(post), _total(pre)
    makers: dict[str, Callable[[], Effect]] = {
        "risk_difference": lambda: effects.risk_difference(
            k_post, post.size, k_pre, pre.size, confidence_level=level
        ),
        "cohens_h": lambda: effects.cohens_h(
            k_post, post.size, k_pre, pre.size, confidence_level=level
        ),
        "mean_difference": lambda: effects.mean_difference(post, pre, confidence_level=level),
        "hedges_g": lambda: effects.hedges_g(post, pre, equal_var=False, confidence_level=level),
    }
    if binary:
        planned = [("risk_difference", "newcombe hybrid score"), ("cohens_h", "normal")]
    else:
        planned = [("mean_difference", "welch"), ("hedges_g", "noncentral t (welch)")]
    planned = planned[:1] if ctx.first_only else planned

    def compute() -> list[Effect]:
        return [_safe(name, method, level, makers[name]) for name, method in planned]

    return _finish(ctx, subject, groups, sizes, hidden, planned, compute)


def _compare_panel(
    ctx: _Context, subject: str, values: dict[str, np.ndarray], binary: bool
) -> _Result:
    if ctx.panel is None:  # build_report matches every panel before comparing
        raise InvalidStatistics("panel design without matched responses")
    before = values["pre"][ctx.panel.pre]
    after = values["post"][ctx.panel.post]
    both = ~np.isnan(before) & ~np.isnan(after)
    before, after = before[both], after[both]
    level = ctx.level
    n = int(before.size)
    sizes = {"matched pairs": n}
    hidden = {"matched pairs"} if 0 < n < ctx.min_cell else set()
    groups = {
        "pre": _group(before, bool(hidden)),
        "post": _group(after, bool(hidden)),
        "change": _group(after - before, bool(hidden)),
    }

    def table() -> list[list[int]]:
        a, b = after == 1, before == 1
        return [
            [int(np.sum(a & b)), int(np.sum(a & ~b))],
            [int(np.sum(~a & b)), int(np.sum(~a & ~b))],
        ]

    makers: dict[str, Callable[[], Effect]] = {
        "paired_risk_difference": lambda: effects.paired_risk_difference(
            table(), confidence_level=level
        ),
        "mean_difference": lambda: effects.mean_difference(
            after, before, True, confidence_level=level
        ),
        "d_z": lambda: effects.paired_d(after, before, "z", confidence_level=level),
        "d_av": lambda: effects.paired_d(after, before, "av", confidence_level=level),
    }
    if binary:
        planned = [("paired_risk_difference", "newcombe paired score")]
    else:
        planned = [
            ("mean_difference", "paired t"),
            ("d_z", "noncentral t"),
            ("d_av", "noncentral t (Algina-Keselman)"),
        ]
    planned = planned[:1] if ctx.first_only else planned

    def compute() -> list[Effect]:
        return [_safe(name, method, level, makers[name]) for name, method in planned]

    return _finish(ctx, subject, groups, sizes, hidden, planned, compute)


def _compare_did(
    ctx: _Context, subject: str, values: dict[str, np.ndarray], binary: bool
) -> _Result:
    if any(isinstance(v, Clustered) for v in values.values()):
        return _compare_did_cells(ctx, subject, values, binary)
    level = ctx.level
    parts = []
    groups: dict[str, GroupSummary] = {}
    sizes: dict[str, int] = {}
    clustered = any(ctx.clusters.get(role.name) is not None for role in ctx.roles)
    for role in ctx.roles:
        y = values[role.name]
        keep = ~np.isnan(y)
        sizes[role.name] = int(keep.sum())
        groups[role.name] = _group(y[keep], _hide(ctx, role.name, sizes[role.name]))
        labels = ctx.clusters.get(role.name)
        if clustered and labels is None:
            labels = np.full(y.size, -1, dtype=np.int64)
        parts.append(
            (
                y[keep],
                np.full(int(keep.sum()), float(role.name.endswith("post"))),
                np.full(int(keep.sum()), float(role.name.startswith("campaign"))),
                None if labels is None else labels[keep],
            )
        )
    hidden = {name for name, n in sizes.items() if _hide(ctx, name, n)}
    planned = [("difference_in_differences", "ols cluster" if clustered else "ols hc1")]
    if not binary and not ctx.first_only:
        planned.append(
            ("standardized_difference_in_differences", planned[0][1] + " / pooled pre sd (fieller)")
        )

    # Notes about the clusters, kept apart from the effects' own notes so that they carry their codes.
    extra: list[Note] = []

    def compute() -> list[Effect]:
        y = np.concatenate([p[0] for p in parts])
        post = np.concatenate([p[1] for p in parts])
        treated = np.concatenate([p[2] for p in parts])
        cluster = None
        if clustered:
            labels = np.concatenate([p[3] for p in parts])
            labelled = labels >= 0
            if not labelled.all():
                count = int((~labelled).sum())
                extra.append(
                    _note(
                        "cluster_unlabelled",
                        f"difference_in_differences: {count} respondent(s) without a cluster "
                        "label left out",
                        count=count,
                    )
                )
                y, post, treated, labels = (a[labelled] for a in (y, post, treated, labels))
            if np.unique(labels).size < 2:
                extra.append(
                    _note(
                        "cluster_fallback",
                        "difference_in_differences: fewer than two clusters: "
                        "heteroskedasticity-robust errors instead",
                    )
                )
            else:
                cluster = labels
        found = [
            _safe(
                "difference_in_differences",
                planned[0][1],
                level,
                lambda: effects.difference_in_differences(
                    y, post, treated, cluster, confidence_level=level
                ),
            )
        ]
        if len(planned) > 1:
            found.append(
                _safe(
                    "standardized_difference_in_differences",
                    planned[1][1],
                    level,
                    lambda: effects.standardized_difference_in_differences(
                        y, post, treated, cluster, confidence_level=level, raw=found[0]
                    ),
                )
            )
        return found

    result = _finish(ctx, subject, groups, sizes, hidden, planned, compute)
    result.notes += extra
    return result


def _compare_did_cells(
    ctx: _Context, subject: str, values: dict[str, Clustered | np.ndarray], binary: bool
) -> _Result:
    """:func:`_compare_did` from cells: the same groups, notes and effects, by the weighted forms."""
    level = ctx.level
    parts: dict[str, Clustered] = {}
    groups: dict[str, GroupSummary] = {}
    sizes: dict[str, int] = {}
    clustered = any(ctx.clusters.get(role.name) is not None for role in ctx.roles)
    for role in ctx.roles:
        given = values[role.name]
        sample = (
            given if isinstance(given, Clustered) else Clustered(None, np.empty(0), np.empty(0))
        )
        parts[role.name] = sample.present()
        sizes[role.name] = parts[role.name].size
        groups[role.name] = _group(parts[role.name], _hide(ctx, role.name, sizes[role.name]))
    hidden = {name for name, n in sizes.items() if _hide(ctx, name, n)}
    planned = [("difference_in_differences", "ols cluster" if clustered else "ols hc1")]
    if not binary and not ctx.first_only:
        planned.append(
            ("standardized_difference_in_differences", planned[0][1] + " / pooled pre sd (fieller)")
        )
    extra: list[Note] = []

    def compute() -> list[Effect]:
        four = _did_groups([parts[name] for name in _DID_ORDER], clustered, extra)
        found = [
            _safe(
                "difference_in_differences",
                planned[0][1],
                level,
                lambda: effects.difference_in_differences_from_cells(four, confidence_level=level),
            )
        ]
        if len(planned) > 1:
            found.append(
                _safe(
                    "standardized_difference_in_differences",
                    planned[1][1],
                    level,
                    lambda: effects.standardized_difference_in_differences_from_cells(
                        four, confidence_level=level, raw=found[0]
                    ),
                )
            )
        return found

    result = _finish(ctx, subject, groups, sizes, hidden, planned, compute)
    result.notes += extra
    return result


#: The order of the groups of effects.difference_in_differences_from_cells.
_DID_ORDER = ("campaign_post", "campaign_pre", "comparison_post", "comparison_pre")


def _did_groups(four: list[Clustered], clustered: bool, notes: list[Note]) -> list[Clustered]:
    """The four groups with integer cluster codes, as _compare_did prepares its rows: respondents
    without a label left out (with a note), and no clusters when fewer than two remain."""
    if not clustered:
        return [Clustered(None, p.values, p.counts) for p in four]
    labels = [
        np.full(p.values.size, "") if p.labels is None else p.labels.astype(str) for p in four
    ]
    unlabelled = sum(int(p.counts[lab == ""].sum()) for p, lab in zip(four, labels, strict=True))
    if unlabelled:
        notes.append(
            _note(
                "cluster_unlabelled",
                f"difference_in_differences: {unlabelled} respondent(s) without a cluster "
                "label left out",
                count=unlabelled,
            )
        )
        four = [p.select(lab != "") for p, lab in zip(four, labels, strict=True)]
        labels = [lab[lab != ""] for lab in labels]
    names, codes = np.unique(np.concatenate(labels), return_inverse=True)
    if names.size < 2:
        notes.append(
            _note(
                "cluster_fallback",
                "difference_in_differences: fewer than two clusters: "
                "heteroskedasticity-robust errors instead",
            )
        )
        return [Clustered(None, p.values, p.counts) for p in four]
    out, start = [], 0
    for p in four:
        out.append(Clustered(codes[start : start + p.values.size], p.values, p.counts))
        start += p.values.size
    return out


_COMPARE = {
    "independent": _compare_independent,
    "panel": _compare_panel,
    "comparison": _compare_did,
}


def _same_values(a: dict[str, np.ndarray | Cells], b: dict[str, np.ndarray | Cells]) -> bool:
    # Cells equal as cells give the same report, though their rows may pair up differently.
    return all(
        x.same(y)
        if (isinstance(x, Cells) and isinstance(y, Cells))
        or (isinstance(x, Clustered) and isinstance(y, Clustered))
        else np.array_equal(x, y, equal_nan=True)
        for x, y in ((a[name], b[name]) for name in a)
    )


def _skipped_reading(
    ctx: _Context,
    subject: str,
    binary: bool,
    result: _Result,
    values: dict[str, np.ndarray],
    alternative: dict[str, np.ndarray],
) -> list[Note]:
    """A note and a flag when counting skipped knowledge questions as not answered, rather than as
    wrong, changes the conclusion of the outcome's first effect (rose, fell or unclear).

    The alternative reading is compared only where some respondent skipped a question that was
    administered to them (else the two readings give the same values).
    """
    if _same_values(values, alternative) or not result.effects:
        return []
    first = result.effects[0]
    if first.estimate is None:
        return []
    quiet = dataclasses.replace(ctx, flags=[], first_only=True)
    other = _COMPARE[ctx.design](quiet, subject, alternative, binary)
    second = other.effects[0] if other.effects else None
    if second is None or second.estimate is None:
        return []
    verdict = direction(first.ci_low, first.ci_high)
    alternative_verdict = direction(second.ci_low, second.ci_high)
    if verdict == alternative_verdict:
        return []
    params: dict[str, Param] = {
        "verdict": verdict,
        "alternative": alternative_verdict,
        "estimate": second.estimate,
        "ci_low": second.ci_low,
        "ci_high": second.ci_high,
    }
    low = "?" if second.ci_low is None else f"{second.ci_low:.3g}"
    high = "?" if second.ci_high is None else f"{second.ci_high:.3g}"
    message = (
        f"{subject}: with skipped questions counted as not answered instead of wrong, "
        f"{second.name} = {second.estimate:.3g} [{low}, {high}]: {alternative_verdict} "
        f"instead of {verdict}"
    )
    ctx.flags.append(
        Flag(
            code="skipped_reading",
            subject=subject,
            message=message,
            params={"verdict": verdict, "alternative": alternative_verdict},
        )
    )
    return [_note("skipped_reading", message, **params)]


def _values(
    ctx: _Context, key: str, score: Callable[[Questionnaire, ResponseFrame], np.ndarray]
) -> dict[str, np.ndarray | Cells]:
    """Score every role's wave and keep its complete rows (an absent wave gives no values).

    ``key`` names the score among a wave's cells (:func:`survey.analysis.cells.subject_key`). From
    cells, the values stay cells, per stratum (:meth:`~survey.analysis.cells.WaveCells.by_stratum`),
    with their cluster labels in a comparison design: every estimator takes them as they are.
    """
    out: dict[str, np.ndarray | Cells] = {}
    for role in ctx.roles:
        wave = role.wave
        if wave is None:
            out[role.name] = np.empty(0)
        elif wave.cells is not None:
            if ctx.design == "independent":
                out[role.name] = wave.cells.by_stratum(key)
            else:
                out[role.name] = wave.cells.clustered(key)
        else:
            out[role.name] = score(wave.definition, wave.frame)[role.rows]
            if ctx.recorder is not None:
                ctx.recorder.subjects.setdefault(wave.key, {})[key] = out[role.name]
    return out


def _reliability(
    ctx: _Context, key: str, items: list[str]
) -> tuple[list[EffectSummary], list[Note]]:
    """Cronbach's alpha of a scale outcome in every wave; flag those below ``min_alpha``."""
    summaries: list[EffectSummary] = []
    notes: list[Note] = []
    if len(items) < 2:
        notes.append(
            _note("alpha_needs_two_items", "reliability: alpha needs at least 2 comparable items")
        )
        return summaries, notes
    moments_key = subject_key("alpha", key, "", items)
    for role in ctx.roles:
        name = f"cronbach_alpha ({role.name})"  # in the technical notes
        wave = role.wave
        if wave is None:
            continue
        if wave.cells is not None:
            if role.n < ctx.min_cell:
                continue
            moments = wave.cells.moments[moments_key]
            alpha = _safe(
                name,
                "Feldt",
                ctx.level,
                lambda m=moments: cronbach_alpha_from_moments(m, confidence_level=ctx.level),
            )
        else:
            if role.n < ctx.min_cell and ctx.recorder is None:
                continue
            matrix = likert_matrix(wave.definition, wave.frame, items)[role.rows]
            if ctx.recorder is not None:
                ctx.recorder.moments.setdefault(wave.key, {})[moments_key] = Moments.of(matrix)
                if role.n < ctx.min_cell:
                    continue
            alpha = _safe(
                name,
                "Feldt",
                ctx.level,
                lambda m=matrix: cronbach_alpha(m, confidence_level=ctx.level),
            )
        used = alpha.n[0] if alpha.n else 0
        if 0 < used < ctx.min_cell:
            summaries.append(
                msgspec.structs.replace(_blank("cronbach_alpha", alpha.method), group=role.name)
            )
            continue
        summaries.append(
            msgspec.structs.replace(_summary(alpha), name="cronbach_alpha", group=role.name)
        )
        if math.isnan(alpha.estimate):
            notes += [
                _note("alpha_undefined", f"{name}: {note}", group=role.name) for note in alpha.notes
            ]
        elif alpha.estimate < ctx.min_alpha:
            params: dict[str, Param] = {
                "group": role.name,
                "alpha": alpha.estimate,
                "threshold": ctx.min_alpha,
            }
            notes.append(
                _note(
                    "low_reliability",
                    f"{name} = {alpha.estimate:.2f}, below {ctx.min_alpha}: low reliability",
                    **params,
                )
            )
            ctx.flags.append(
                Flag(
                    code="low_reliability",
                    subject=key,
                    message=(
                        f"{key}: Cronbach's alpha {alpha.estimate:.2f} in {role.name} "
                        f"(below {ctx.min_alpha}): the items may not measure one thing"
                    ),
                    params=params,
                )
            )
    return summaries, notes


# -- who answered: covariates, balance, adjusted and subgroup effects ---------------------------------


def _band_levels(item: Item, bands: Sequence[int]) -> tuple[str, ...]:
    """The names of an integer item's bands: "18–21", "22–24", "25–27" (or "≤21" and "25+" where the
    item has no min or max). Digits and symbols, so that every language reads them."""
    starts: list[int | None] = [int(item.min) if isinstance(item.min, int) else None, *bands]
    ends: list[int | None] = [cut - 1 for cut in bands] + [
        int(item.max) if isinstance(item.max, int) else None
    ]
    names = []
    for start, end in zip(starts, ends, strict=True):
        if start is None:
            names.append(f"≤{end}")
        elif end is None:
            names.append(f"{start}+")
        elif start == end:
            names.append(str(start))
        else:
            names.append(f"{start}–{end}")
    return tuple(names)


def _read_variable(
    roles: Sequence[_Role], reference: Questionnaire, variable: Variable, kind: str
) -> _Variable:
    """A covariate or grouping item's values in every role, coded by the reference version."""
    item = reference.item(variable.item)
    languages = reference.languages
    if item.type == "choice":
        choices = reference.choices_for(item)
        levels: tuple[str, ...] | None = tuple(c.value for c in choices)
        labels = tuple(dict(c.label) for c in choices)
    elif variable.bands is not None:
        levels = _band_levels(item, variable.bands)
        labels = tuple(dict.fromkeys(languages, name) for name in levels)
    else:
        levels, labels = None, ()
    values: dict[str, np.ndarray] = {}
    for role in roles:
        wave = role.wave
        if wave is None:
            values[role.name] = np.empty(0, dtype=np.int64 if levels else float)
        elif wave.cells is not None:
            column = wave.cells.column(f"{kind}:{item.key}")[role.rows]
            if levels is not None:
                values[role.name] = column.astype(np.int64)
            else:
                values[role.name] = np.array(
                    [math.nan if v is None else v for v in column.tolist()], dtype=float
                )
        elif item.type == "choice" and levels is not None:
            position = {value: i for i, value in enumerate(levels)}
            table = np.array(
                [position.get(v, -1) for v in wave.frame.values.get(item.key, ())] + [-1, -1],
                dtype=np.int64,
            )
            # Codes -1 (no answer) and -2 (not a choice) pick the two trailing -1s.
            values[role.name] = table[wave.frame.codes[item.key][role.rows]]
        else:
            numbers = wave.frame.numbers[item.key][role.rows]
            if variable.bands is None:
                values[role.name] = numbers
            else:
                band = np.searchsorted(np.asarray(variable.bands), numbers, side="right")
                values[role.name] = np.where(np.isnan(numbers), -1, band).astype(np.int64)
    return _Variable(item.key, dict(item.text), levels, labels, values)


def _variables(
    roles: Sequence[_Role],
    reference: Questionnaire,
    comparable: set[str],
    kind: str,
    notes: list[Note],
) -> list[_Variable]:
    """The analysis block's covariates or grouping items that every compared wave asked alike."""
    if reference.analysis is None:
        return []
    found = []
    for variable in Analysis.variables(getattr(reference.analysis, kind)):
        if variable.item not in comparable:
            code = "covariate_left_out" if kind == "covariates" else "subgroup_left_out"
            what = "covariate" if kind == "covariates" else "grouping item"
            notes.append(
                _note(
                    code,
                    f"{what} {variable.item}: not asked alike in every compared wave; left out",
                    item=variable.item,
                )
            )
            continue
        found.append(_read_variable(roles, reference, variable, kind))
    return found


def _shown_count(n: int, min_cell: int) -> int | None:
    return None if 0 < n < min_cell else n


def _hidden_with(
    counts: dict[object, list[int]], min_cell: int, unlisted: frozenset[object] = frozenset()
) -> object | None:
    """The category to hide beside the only one under ``min_cell``, so that its numbers cannot be
    worked out by subtraction from the totals (complementary suppression, as statistical offices do:
    Hundepool et al. 2012, Statistical Disclosure Control, ch. 5); None when none is needed.

    ``counts`` holds, per category, its count in each compared group. Categories in ``unlisted`` are
    never shown (the respondents who did not answer a grouping item) but count as hidden when small.
    """
    hidden = [key for key, cells in counts.items() if any(0 < c < min_cell for c in cells)]
    if len(hidden) != 1:
        return None
    shown = {
        key: min(c for c in cells if c > 0)
        for key, cells in counts.items()
        if key not in hidden and key not in unlisted and any(c > 0 for c in cells)
    }
    return min(shown, key=shown.__getitem__) if shown else None


def _balance(ctx: _Context) -> tuple[CovariateBalance, ...]:
    """Each covariate before and after (independent samples), with its standardised difference."""
    if ctx.design != "independent" or not ctx.covariates:
        return ()
    pre, post = ctx.roles
    out = []
    for variable in ctx.covariates:
        before, after = variable.covariate(pre.name), variable.covariate(post.name)
        a, b, difference = covariate_balance(
            after, before, after_counts=post.counts, before_counts=pre.counts
        )
        groups: dict[str, CovariateSummary] = {}
        if variable.levels is None:
            kind = "numeric"
            for role, covariate in ((pre, before), (post, after)):
                known = ~np.isnan(covariate.values)
                answered = Cells(covariate.values[known], role.counts[known])
                summary = _group(answered, 0 < answered.size < ctx.min_cell)
                groups[role.name] = CovariateSummary(n=summary.n, mean=summary.mean, sd=summary.sd)
        else:
            kind = "categorical"
            keys: list[str | None] = [*variable.levels, None]
            counts: dict[object, list[int]] = {i: [int(b[i]), int(a[i])] for i in range(len(keys))}
            extra = _hidden_with(counts, ctx.min_cell)
            labels = [*variable.level_labels, {}]
            for role, column in ((pre, b), (post, a)):
                total = int(column.sum())
                wave_hidden = 0 < role.n < ctx.min_cell
                levels = []
                for i, key in enumerate(keys):
                    count = int(column[i])
                    if count == 0 and key is None:
                        continue
                    hide = wave_hidden or 0 < count < ctx.min_cell or (i == extra and count > 0)
                    levels.append(
                        LevelShare(
                            value=key,
                            label=labels[i],
                            n=None if hide else count,
                            share=None if hide or not total else count / total,
                        )
                    )
                groups[role.name] = CovariateSummary(
                    n=_shown_count(total, ctx.min_cell), levels=tuple(levels)
                )
        out.append(
            CovariateBalance(
                key=variable.key,
                kind=kind,
                label=variable.label,
                groups=groups,
                standardized_difference=_number(difference),
            )
        )
    return tuple(out)


def _adjusted(
    ctx: _Context, values: dict[str, np.ndarray], binary: bool, result: _Result
) -> tuple[EffectSummary | None, tuple[str, ...], Note | None, list[Note]]:
    """The outcome's first effect adjusted for the covariates, what it used, or why there is none."""
    if ctx.design != "independent":
        reason = _note(
            "adjusted_design",
            f"adjusted effects are computed for independent samples, not a {ctx.design} design",
            design=ctx.design,
        )
        return None, (), reason, []
    if not ctx.covariates:
        return (
            None,
            (),
            _note("adjusted_no_covariates", "the questionnaire declares no covariates"),
            [],
        )
    if not result.effects or result.effects[0].estimate is None:
        reason = _note("adjusted_no_estimate", "no adjusted effect where the crude one has none")
        return None, (), reason, []
    pre, post = ctx.roles
    answered = {}
    for role in (pre, post):
        y, counts, units = _units(values[role.name])
        known = ~np.isnan(y)
        answered[role.name] = (y[known], counts[known], units[known])
    y = np.concatenate([answered[pre.name][0], answered[post.name][0]])
    counts = np.concatenate([answered[pre.name][1], answered[post.name][1]])
    wave = np.concatenate(
        [np.zeros(answered[pre.name][0].size), np.ones(answered[post.name][0].size)]
    )
    covariates = [
        Covariate(
            v.key,
            np.concatenate(
                [
                    v.values[pre.name][answered[pre.name][2]],
                    v.values[post.name][answered[post.name][2]],
                ]
            ),
            v.levels,
        )
        for v in ctx.covariates
    ]
    method = adjusted_risk_difference if binary else adjusted_mean_difference
    try:
        found: Adjusted = method(y, wave, covariates, counts=counts, confidence_level=ctx.level)
    except InvalidStatistics as exc:
        reason = _note("adjusted_failed", f"no adjusted effect: {exc}", why=str(exc))
        return None, (), reason, []
    notes: list[Note] = []
    if found.dropped:
        notes.append(
            _note(
                "adjusted_dropped",
                f"adjusted effect: {found.dropped} respondent(s) without a numeric covariate left out",
                count=found.dropped,
            )
        )
    if found.per_parameter < MIN_PER_PARAMETER:
        notes.append(
            _note(
                "adjusted_few",
                f"adjusted effect: {found.per_parameter:.1f} "
                + ("of the rarer answer" if binary else "respondents")
                + f" per parameter (under {MIN_PER_PARAMETER}): it may be unstable",
                per=found.per_parameter,
                threshold=MIN_PER_PARAMETER,
            )
        )
    return _summary(found.effect), found.covariates, None, notes


def _level_context(ctx: _Context, keep: dict[str, np.ndarray]) -> _Context:
    """The context of one group: its rows in every role (a panel: its matched pairs), quiet flags."""
    if ctx.design == "panel" and ctx.panel is not None:
        pairs = keep["pre"][ctx.panel.pre]
        panel = _Panel(ctx.panel.pre[pairs], ctx.panel.post[pairs])
        return dataclasses.replace(ctx, panel=panel, flags=[], first_only=True)
    roles = [
        _Role(role.name, role.wave, role.rows[keep[role.name]], role.counts[keep[role.name]])
        for role in ctx.roles
    ]
    clusters = {
        name: None if codes is None else codes[keep[name]] for name, codes in ctx.clusters.items()
    }
    return dataclasses.replace(ctx, roles=roles, clusters=clusters, flags=[], first_only=True)


def _cells(ctx: _Context, keep: dict[str, np.ndarray]) -> list[int]:
    """A group's counts in the compared groups: matched pairs for a panel, else each wave's."""
    if ctx.design == "panel" and ctx.panel is not None:
        return [int(keep["pre"][ctx.panel.pre].sum())]
    return [int(role.counts[keep[role.name]].sum()) for role in ctx.roles]


def _units(values: np.ndarray | Cells | Clustered) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A role's values as distinct rows: each value, the respondents it stands for, and its unit.

    From rows every value is its own unit and counts once; from cells each cell stands for its count
    and its unit is its stratum (the role's units being every stratum of the wave, in order, at the
    top of the report, where the adjusted effects and the interaction tests are computed).
    """
    if isinstance(values, Cells | Clustered):
        return values.values, values.counts, values.strata
    return values, np.ones(values.size, dtype=np.int64), np.arange(values.size)


def _within(
    values: np.ndarray | Cells | Clustered, keep: np.ndarray
) -> np.ndarray | Cells | Clustered:
    """The values of the units where ``keep`` (one per unit) is True."""
    if isinstance(values, Cells | Clustered):
        return values.select(keep[values.strata])
    return values[keep]


def _interaction_data(
    ctx: _Context, values: dict[str, np.ndarray], codes: dict[str, np.ndarray], tested: list[int]
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], np.ndarray | None, np.ndarray | None]:
    """The distinct rows of the tested groups as the interaction test takes them, with their counts
    (see survey.analysis.subgroups)."""
    if ctx.design == "panel" and ctx.panel is not None:
        before = values["pre"][ctx.panel.pre]
        after = values["post"][ctx.panel.post]
        group = codes["pre"][ctx.panel.pre]
        keep = ~np.isnan(before) & ~np.isnan(after) & np.isin(group, tested)
        return (after - before)[keep], group[keep], [], None, None
    ys, groups, weights, posts, arms, clusters = [], [], [], [], [], []
    clustered = ctx.design == "comparison" and any(c is not None for c in ctx.clusters.values())
    for role in ctx.roles:
        y, counts, units = _units(values[role.name])
        group = codes[role.name][units]
        keep = ~np.isnan(y) & np.isin(group, tested)
        ys.append(y[keep])
        groups.append(group[keep])
        weights.append(counts[keep])
        posts.append(np.full(int(keep.sum()), float(role.name.endswith("post"))))
        arms.append(np.full(int(keep.sum()), float(not role.name.startswith("comparison"))))
        if clustered:
            labels = ctx.clusters.get(role.name)
            labels = np.full(units.size, -1) if labels is None else labels[units]
            clusters.append(labels[keep])
    y, group, count, post, arm = (
        np.concatenate(parts) for parts in (ys, groups, weights, posts, arms)
    )
    cluster = None
    if clustered:
        cluster = np.concatenate(clusters)
        labelled = cluster >= 0
        y, group, count, post, arm, cluster = (
            a[labelled] for a in (y, group, count, post, arm, cluster)
        )
        if np.unique(cluster).size < 2:
            cluster = None
    if ctx.design == "comparison":
        return y, group, [post, arm, post * arm], cluster, count
    return y, group, [post], None, count


def _subgroups(
    ctx: _Context, subject: str, values: dict[str, np.ndarray], binary: bool
) -> tuple[tuple[SubgroupEffect, ...], dict[str, float | None], list[Note]]:
    """The outcome's first effect within each group of each grouping item, Holm across the groups,
    and the test that the effect is the same in all of them."""
    entries: list[SubgroupEffect] = []
    interaction: dict[str, float | None] = {}
    notes: list[Note] = []
    for variable in ctx.groupings:
        if variable.levels is None:  # grouping items are categorical (the loader checks it)
            continue
        codes = variable.values
        found: dict[int, _Result] = {}
        counts: dict[object, list[int]] = {}
        for level in range(len(variable.levels)):
            keep = {name: codes[name] == level for name in codes}
            cells = _cells(ctx, keep)
            if not any(cells):
                continue
            counts[level] = cells
            sub = _level_context(ctx, keep)
            if ctx.design == "panel":
                sub_values = values
            else:
                sub_values = {name: _within(values[name], keep[name]) for name in values}
            found[level] = _COMPARE[ctx.design](sub, subject, sub_values, binary)
        counts[None] = _cells(ctx, {name: codes[name] < 0 for name in codes})
        extra = _hidden_with(counts, ctx.min_cell, frozenset({None}))
        level_effects: dict[int, EffectSummary] = {}
        level_notes: dict[int, list[Note]] = {}
        level_groups: dict[int, dict[str, GroupSummary]] = {}
        for level, result in found.items():
            effect = result.effects[0]  # _finish always lists the planned effects
            notes_here = list(result.notes)
            groups = result.groups
            if extra is not None and level == extra:
                notes_here = [
                    _note(
                        "hidden_with",
                        "not shown, so that a smaller group's numbers cannot be worked out",
                    )
                ]
                groups = {name: GroupSummary(n=None, mean=None, sd=None) for name in groups}
                effect = _blank(effect.name, effect.method)
            level_effects[level], level_notes[level], level_groups[level] = (
                effect,
                notes_here,
                groups,
            )
        ordered = list(found)
        adjusted = adjust_pvalues(
            [
                math.nan if level_effects[k].p_value is None else level_effects[k].p_value
                for k in ordered
            ],
            method="holm",
        )
        for level, p_adjusted in zip(ordered, adjusted, strict=True):
            entries.append(
                SubgroupEffect(
                    group=variable.key,
                    value=variable.levels[level],
                    label=variable.level_labels[level],
                    groups=level_groups[level],
                    effect=level_effects[level],
                    p_adjusted=_number(p_adjusted),
                    coded_notes=tuple(level_notes[level]),
                )
            )
        tested = [k for k, result in found.items() if result.effects[0].estimate is not None]
        interaction[variable.key] = None
        if len(tested) < 2:
            if len(found) >= 2:
                notes.append(
                    _note(
                        "interaction_untestable",
                        f"{variable.key}: fewer than two groups with an estimate; the effects are "
                        "not compared",
                        item=variable.key,
                    )
                )
            continue
        y, group, terms, cluster, counts = _interaction_data(ctx, values, codes, tested)
        try:
            test = interaction_test(
                y,
                group,
                terms,
                cluster=cluster,
                cov_type="HC1" if ctx.design == "comparison" else "HC2",
                counts=counts,
            )
        except InvalidStatistics as exc:
            notes.append(
                _note(
                    "interaction_untestable",
                    f"{variable.key}: the effects cannot be compared: {exc}",
                    item=variable.key,
                )
            )
            continue
        interaction[variable.key] = _number(test.p_value)
        if test.clusters is not None and test.clusters < FEW_CLUSTERS:
            notes.append(
                _note(
                    "interaction_few_clusters",
                    f"{variable.key}: the test of the groups' effects rests on {test.clusters} "
                    f"clusters; fewer than {FEW_CLUSTERS} may make it too liberal",
                    item=variable.key,
                    count=test.clusters,
                    threshold=FEW_CLUSTERS,
                )
            )
    return tuple(entries), interaction, notes


def _outcome(ctx: _Context, key: str, outcome: Outcome) -> tuple[OutcomeReport, str]:
    declared = [outcome.item] if outcome.kind == "proportion" else list(outcome.items or [])
    usable = [k for k in declared if k in ctx.comparable]
    left_out = [k for k in declared if k not in ctx.comparable]
    notes: list[Note] = []
    if left_out:
        why = "; ".join(
            ctx.reasons[k].text if k in ctx.reasons else f"{k}: not comparable" for k in left_out
        )
        if usable:
            notes.append(
                _note(
                    "outcome_items_left_out",
                    f"computed on {len(usable)} of {len(declared)} items; left out: {why}",
                    used=len(usable),
                    declared=len(declared),
                    items=left_out,
                )
            )
        else:
            notes.append(
                _note(
                    "outcome_not_comparable",
                    f"no item can be compared between the versions: {why}",
                    items=left_out,
                )
            )
    for role in ctx.roles:
        if role.wave is None:
            continue
        theirs = role.wave.definition.outcomes.get(key)
        if theirs is not None and msgspec.structs.replace(
            theirs, label={}
        ) != msgspec.structs.replace(outcome, label={}):
            used = _reference_version(ctx)
            notes.append(
                _note(
                    "outcome_defined_differently",
                    f"the outcome is defined differently in v{role.wave.version}; "
                    f"the definition of v{used} is used",
                    version=role.wave.version,
                    used=used,
                )
            )
            break
    if not usable:
        report = OutcomeReport(
            key=key,
            kind=outcome.kind,
            label=dict(outcome.label),
            groups={},
            effects=(),
            p_value=None,
            p_adjusted=None,
            comparable=False,
            notes=_texts(notes),
            coded_notes=tuple(notes),
            adjusted_reason=_note(
                "adjusted_no_estimate", "no adjusted effect where the crude one has none"
            ),
        )
        return report, "outcomes"
    if outcome.kind == "score":
        values = _values(
            ctx,
            subject_key("score", key, "wrong", usable),
            lambda d, f: knowledge_scores(d, f, outcome, items=usable),
        )
    elif outcome.kind == "scale":
        values = _values(
            ctx,
            subject_key("scale", key, "", usable),
            lambda d, f: scale_scores(d, f, outcome, items=usable),
        )
    else:
        values = _values(
            ctx, subject_key("proportion", key, "", usable), lambda d, f: proportion(d, f, outcome)
        )
    result = _COMPARE[ctx.design](ctx, key, values, outcome.kind == "proportion")
    if outcome.kind == "score":
        alternative = _values(
            ctx,
            subject_key("score", key, "missing", usable),
            lambda d, f: knowledge_scores(d, f, outcome, items=usable, skipped="missing"),
        )
        result.notes += _skipped_reading(ctx, key, False, result, values, alternative)
    found = list(result.effects)
    if outcome.kind == "scale":
        alphas, alpha_notes = _reliability(ctx, key, usable)
        found += alphas
        notes += alpha_notes
    binary = outcome.kind == "proportion"
    adjusted, adjusted_for, reason, adjusted_notes = _adjusted(ctx, values, binary, result)
    subgroups, interaction_p, subgroup_notes = _subgroups(ctx, key, values, binary)
    everything = notes + result.notes + adjusted_notes + subgroup_notes
    report = OutcomeReport(
        key=key,
        kind=outcome.kind,
        label=dict(outcome.label),
        groups=result.groups,
        effects=tuple(found),
        p_value=result.p_value,
        p_adjusted=None,
        comparable=True,
        notes=_texts(everything),
        coded_notes=tuple(everything),
        adjusted=adjusted,
        adjusted_for=adjusted_for,
        adjusted_reason=reason,
        subgroups=subgroups,
        interaction_p=interaction_p,
    )
    return report, "outcomes"


def _reference_version(ctx: _Context) -> int:
    return max(role.wave.version for role in ctx.roles if role.wave is not None)


def _answer_groups(groups: dict[str, GroupSummary], points: int) -> dict[str, GroupSummary]:
    """The groups of a reverse-coded item's answers as given, from those of its ``points + 1 - x``.

    The recoding is a reflection: means reflect too (a change's mean changes sign), spreads stay.
    """

    def reflect(name: str, group: GroupSummary) -> GroupSummary:
        if group.mean is None:
            return group
        mean = -group.mean if name == "change" else points + 1.0 - group.mean
        return msgspec.structs.replace(group, mean=mean)

    return {name: reflect(name, group) for name, group in groups.items()}


def _item_report(ctx: _Context, reference: Questionnaire, item: Item) -> tuple[OutcomeReport, str]:
    notes: list[Note] = []
    if item.is_knowledge:
        kind, family = "item", "knowledge"
        if item.scoring == "partial":
            notes.append(
                _note(
                    "partial_credit",
                    "partial-credit item: the share answering every choice right",
                )
            )
        elif item.scoring == "corrected":
            notes.append(
                _note(
                    "guessing_corrected",
                    "guessing-corrected item: the share answering every choice right",
                )
            )
        values = _values(
            ctx,
            subject_key("item", item.key, "wrong"),
            lambda d, f: item_correct(d, f, item.key, binary=True),
        )
        alternative = _values(
            ctx,
            subject_key("item", item.key, "missing"),
            lambda d, f: item_correct(d, f, item.key, binary=True, skipped="missing"),
        )
    else:
        kind, family = "likert", "attitude"
        if item.reverse:
            notes.append(
                _note(
                    "reverse_coded",
                    "reverse-coded (points + 1 - answer), so that higher is better",
                )
            )
        values = _values(
            ctx,
            subject_key("likert", item.key, ""),
            lambda d, f: likert_matrix(d, f, [item.key])[:, 0],
        )
    result = _COMPARE[ctx.design](ctx, item.key, values, kind == "item")
    if kind == "item":
        result.notes += _skipped_reading(ctx, item.key, True, result, values, alternative)
    raw_groups = {}
    if item.reverse:
        raw_groups = _answer_groups(result.groups, reference.scale_for(item).points)
    report = OutcomeReport(
        key=item.key,
        kind=kind,
        label=dict(item.text),
        groups=result.groups,
        effects=tuple(result.effects),
        p_value=result.p_value,
        p_adjusted=None,
        comparable=True,
        notes=_texts(notes + result.notes),
        reverse=item.reverse,
        raw_groups=raw_groups,
        coded_notes=tuple(notes + result.notes),
        adjusted_reason=_note(
            "adjusted_outcomes_only",
            "adjusted and subgroup effects are computed for the declared outcomes only",
        ),
    )
    return report, family


def _adjust_interactions(reports: list[OutcomeReport], method: str) -> list[OutcomeReport]:
    """Every outcome's interaction p adjusted within one family: all the report's interaction tests
    (outcomes × grouping items), so that one of many tests looking significant by chance does not
    read as a difference between groups."""
    tests = [(i, item) for i, r in enumerate(reports) for item in r.interaction_p]
    if not tests:
        return reports
    raw = [math.nan if (v := reports[i].interaction_p[item]) is None else v for i, item in tests]
    adjusted: dict[int, dict[str, float | None]] = {}
    for (i, item), value in zip(tests, adjust_pvalues(raw, method=method), strict=True):
        adjusted.setdefault(i, {})[item] = _number(value)
    return [
        msgspec.structs.replace(r, interaction_p_adjusted=adjusted[i]) if i in adjusted else r
        for i, r in enumerate(reports)
    ]


def _adjust(reports: list[tuple[OutcomeReport, str]], method: str) -> list[OutcomeReport]:
    adjusted: dict[int, float | None] = {}
    for family, _ in _FAMILIES:
        members = [i for i, (_, f) in enumerate(reports) if f == family]
        p = [math.nan if reports[i][0].p_value is None else reports[i][0].p_value for i in members]
        if not members:
            continue
        for i, value in zip(members, adjust_pvalues(p, method=method), strict=True):
            adjusted[i] = _number(value)
    return [
        msgspec.structs.replace(report, p_adjusted=adjusted.get(i))
        for i, (report, _) in enumerate(reports)
    ]


# -- the report ---------------------------------------------------------------------------------------


def build_report(
    campaign: str,
    design: str,
    waves: Sequence[WaveData],
    *,
    confidence_level: float = 0.95,
    adjust: Literal["holm", "bh"] = "holm",
    cluster_item: str | None = None,
    small_n: int = 30,
    min_cell: int = 5,
    min_alpha: float = 0.7,
    min_match_rate: float = 0.7,
) -> Report:
    """The campaign report: every outcome and comparable item, compared as the design requires.

    Each wave gives its rows (``frame``) or its cells (``cells``, from :func:`collapse_waves`): the
    report is the same to rounding, and from cells its cost does not grow with the responses.

    Parameters
    ----------
    campaign
        The campaign's key.
    design
        ``"independent"``, ``"panel"`` or ``"comparison"`` (see the module docstring).
    waves
        The campaign's waves, at most one per phase and arm, with their complete responses.
    confidence_level
        Coverage of every interval.
    adjust
        Multiplicity adjustment within each family: ``"holm"`` (default) or ``"bh"``.
    cluster_item
        Comparison design: a choice item whose answer labels the cluster (e.g. ``aimag``), used for
        waves that give no ``cluster`` labels of their own.
    small_n
        Groups smaller than this are flagged as small samples.
    min_cell
        Groups smaller than this (and not empty) are suppressed.
    min_alpha
        Cronbach's alpha below this is flagged as low reliability.
    min_match_rate
        Panel match rate below this is flagged.

    Returns
    -------
    Report

    Raises
    ------
    InvalidStatistics
        For an unknown design or adjustment, a confidence level outside (0, 1), two waves with the
        same phase and arm, or panel keys or cluster labels whose length differs from the frame's.
        Data, however degenerate, never raises: it gives null estimates with notes.
    """
    return _build(
        campaign,
        design,
        waves,
        confidence_level=confidence_level,
        adjust=adjust,
        cluster_item=cluster_item,
        small_n=small_n,
        min_cell=min_cell,
        min_alpha=min_alpha,
        min_match_rate=min_match_rate,
        recorder=None,
    )


def collapse_waves(
    design: str,
    waves: Sequence[WaveData],
    *,
    cluster_item: str | None = None,
) -> dict[str, WaveCells]:
    """Each wave's complete responses as the cells :func:`build_report` reads in place of rows.

    The cells hold exactly what the report of this design, these versions and this cluster item
    reads of each wave (scored by :mod:`survey.analysis.scoring`, the one way of scoring), so they
    must be made again when any of these change. Cells of disjoint sets of a wave's responses add
    (:func:`survey.analysis.cells.combine`).

    Parameters
    ----------
    design
        ``"independent"`` or ``"comparison"``: a panel's matching needs rows.
    waves
        Every wave of the campaign, with its frame (only its complete rows are read).
    cluster_item
        As for :func:`build_report`.

    Returns
    -------
    dict
        Wave key → its cells.

    Raises
    ------
    InvalidStatistics
        For a panel design, or waves that :func:`build_report` would refuse.
    """
    if design == "panel":
        raise InvalidStatistics("design: a panel is matched on rows and has no cells")
    recorder = _Recorder()
    _build(campaign="", design=design, waves=waves, cluster_item=cluster_item, recorder=recorder)
    out = {}
    for wave in waves:
        out[wave.key] = build(
            wave.n_complete,
            recorder.attributes.get(wave.key, {}),
            recorder.subjects.get(wave.key, {}),
            recorder.moments.get(wave.key, {}),
        )
    return out


def _build(
    campaign: str,
    design: str,
    waves: Sequence[WaveData],
    *,
    confidence_level: float = 0.95,
    adjust: Literal["holm", "bh"] = "holm",
    cluster_item: str | None = None,
    small_n: int = 30,
    min_cell: int = 5,
    min_alpha: float = 0.7,
    min_match_rate: float = 0.7,
    recorder: _Recorder | None,
) -> Report:
    if design not in DESIGNS:
        raise InvalidStatistics(f"design: must be one of {', '.join(DESIGNS)}, got {design!r}")
    if adjust not in ("holm", "bh"):
        raise InvalidStatistics(f'adjust: must be "holm" or "bh", got {adjust!r}')
    if not 0.0 < confidence_level < 1.0:
        raise InvalidStatistics(
            f"confidence_level: must be between 0 and 1 (exclusive), got {confidence_level}"
        )
    _check_waves(waves)
    flags: list[Flag] = []
    notes: list[Note] = []
    summaries = tuple(
        WaveSummary(
            key=w.key,
            phase=w.phase,
            arm=w.arm,
            version=w.version,
            n_complete=w.n_complete,
        )
        for w in waves
    )
    by_role = {(w.phase, w.arm): w for w in waves}
    roles = []
    for name, phase, arm in _ROLES[design]:
        wave = by_role.get((phase, arm))
        if wave is None:
            roles.append(_Role(name, None, np.empty(0, np.int64), np.empty(0, np.int64)))
        else:
            roles.append(_Role(name, wave, wave.complete_rows(), wave.complete_counts()))
        if wave is None:
            message = f"no {phase} wave for the {arm} arm: its effects cannot be estimated"
            notes.append(_note("missing_wave", message, phase=phase, arm=arm))
            flags.append(
                Flag(
                    code="missing_wave",
                    subject=None,
                    message=message,
                    params={"phase": phase, "arm": arm},
                )
            )
    used = {id(role.wave) for role in roles}
    for wave in waves:
        if id(wave) not in used:
            notes.append(
                _note(
                    "unused_wave",
                    f"wave {wave.key} ({wave.phase}, {wave.arm}) is not used by a {design} design",
                    wave=wave.key,
                    phase=wave.phase,
                    arm=wave.arm,
                )
            )
    present = [role.wave for role in roles if role.wave is not None]
    if not present:
        return Report(
            campaign=campaign,
            design=design,
            confidence_level=confidence_level,
            waves=summaries,
            outcomes=(),
            items=(),
            flags=tuple(flags),
            notes=_texts(notes),
            coded_notes=tuple(notes),
        )
    reference = _newest(present).definition
    comparable, reasons = _comparability(roles, reference)
    reported = [
        item.key for item in reference.items() if item.is_knowledge or item.type == "likert"
    ]
    outcome_items = {
        k
        for o in reference.outcomes.values()
        for k in ([o.item] if o.kind == "proportion" else (o.items or []))
    }
    left_out = [k for k in reasons if k in reported or k in outcome_items]
    notes += [reasons[k] for k in left_out]
    if left_out:
        flags.append(
            Flag(
                code="incomparable_items",
                subject=None,
                message=(
                    f"{len(left_out)} item(s) changed between the compared versions and are left "
                    f"out: {', '.join(left_out)}"
                ),
                params={"items": list(left_out)},
            )
        )
    panel = None
    if design == "panel":
        if any(wave.cells is not None for wave in present):
            raise InvalidStatistics("design: a panel is matched on rows, not cells")
        panel = _match_panel(roles[0], roles[1], flags, notes, min_match_rate)
    clusters: dict[str, np.ndarray | None] = {}
    if design == "comparison":
        labels = {role.name: _clusters(role, cluster_item, notes) for role in roles}
        if recorder is not None:
            for role in roles:
                if role.wave is not None and labels[role.name] is not None:
                    recorder.attributes.setdefault(role.wave.key, {})["cluster"] = labels[role.name]
        clusters = _cluster_codes(labels)
        given = [codes for codes in clusters.values() if codes is not None]
        if given:
            codes = np.concatenate(given)
            count = int(np.unique(codes[codes >= 0]).size)
            notes.append(
                _note(
                    "clusters",
                    f"clusters: {count} (cluster-robust intervals"
                    + (
                        f"; fewer than {FEW_CLUSTERS} may be too narrow)"
                        if count < FEW_CLUSTERS
                        else ")"
                    ),
                    count=count,
                    few=count < FEW_CLUSTERS,
                )
            )
    ctx = _Context(
        design=design,
        level=confidence_level,
        roles=roles,
        comparable=comparable,
        reasons=reasons,
        panel=panel,
        clusters=clusters,
        small_n=small_n,
        min_cell=min_cell,
        min_alpha=min_alpha,
        flags=flags,
        covariates=_variables(roles, reference, comparable, "covariates", notes),
        groupings=_variables(roles, reference, comparable, "subgroups", notes),
        recorder=recorder,
    )
    if recorder is not None:
        for kind, variables in (("covariates", ctx.covariates), ("subgroups", ctx.groupings)):
            for variable in variables:
                for role in roles:
                    if role.wave is not None:
                        recorder.attributes.setdefault(role.wave.key, {})[
                            f"{kind}:{variable.key}"
                        ] = variable.values[role.name]
    outcome_reports = [_outcome(ctx, key, o) for key, o in reference.outcomes.items()]
    item_reports = [
        _item_report(ctx, reference, item)
        for item in reference.items()
        if item.key in comparable and (item.is_knowledge or item.type == "likert")
    ]
    everything = _adjust(outcome_reports + item_reports, adjust)
    everything[: len(outcome_reports)] = _adjust_interactions(
        everything[: len(outcome_reports)], adjust
    )
    name = "Holm" if adjust == "holm" else "Benjamini-Hochberg"
    notes.append(
        _note(
            "p_adjusted",
            f"p_adjusted: {name} within each family ("
            + "; ".join(text for _, text in _FAMILIES)
            + ")",
            method=adjust,
        )
    )
    return Report(
        campaign=campaign,
        design=design,
        confidence_level=confidence_level,
        waves=summaries,
        outcomes=tuple(everything[: len(outcome_reports)]),
        items=tuple(everything[len(outcome_reports) :]),
        flags=tuple(flags),
        notes=_texts(notes),
        coded_notes=tuple(notes),
        balance=_balance(ctx),
    )


def _newest(present: Sequence[WaveData]) -> WaveData:
    """The wave whose version's outcomes and items the report uses: the newest version (the post
    wave's when both phases use it)."""
    return max(present, key=lambda w: (w.version, w.phase == "post"))


def reference_definition(design: str, waves: Sequence[WaveData]) -> Questionnaire | None:
    """The questionnaire version whose outcomes and items :func:`build_report` reports (the newest
    of the waves the design compares), for pages that show its texts; None without such a wave."""
    compared = {(phase, arm) for _, phase, arm in _ROLES.get(design, ())}
    present = [wave for wave in waves if (wave.phase, wave.arm) in compared]
    return _newest(present).definition if present else None
