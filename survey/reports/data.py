"""A campaign's report from the database: each wave's summary brought up to date, then analysed.

This is the one place that joins the database (``survey.db``) to the pure analysis
(:func:`survey.analysis.report.build_report`): the CLI (``survey analyze``), the API
(``/api/v1/campaigns/{key}/effects``) and the report page all call :func:`campaign_report`, so they
show the same numbers.

The report reads each wave as cells (:mod:`survey.analysis.cells`) kept in ``report_summary``: the stored
cells plus those of the responses counted since (``report_summary_pending``), scored by the report's own
scoring and added; the cells are made anew from every response when none are stored, when the scoring
inputs changed (a new version, the campaign's design or cluster item), or when a summarised response
changed or was deleted (a review decision, an erasure). So the report costs the summary's read and the new
responses, not every response (docs/scaling.md); the monitoring page's precision reads the same. A panel
is matched on rows: its report reads them (:func:`campaign_waves`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from uuid import UUID

import asyncpg
import msgspec

from survey.analysis import cells as cells_
from survey.analysis import report as report_module
from survey.analysis import scoring
from survey.analysis.report import WaveData, build_report, collapse_waves, reference_definition
from survey.analysis.results import Report
from survey.analysis.scoring import frame_from_columns, visibility_items
from survey.db import analysis as analysis_db
from survey.db import campaigns as campaigns_db
from survey.db import summaries as summaries_db
from survey.db.analysis import WaveColumns
from survey.db.campaigns import Campaign, Wave
from survey.db.questionnaires import QuestionnaireVersion, get_version_by_id
from survey.questionnaire.model import Analysis, Questionnaire

__all__ = [
    "CELLS_FORMAT",
    "ReportSource",
    "campaign_cells",
    "campaign_report",
    "campaign_waves",
    "report_items",
    "report_source",
]

#: How a report that reads on a replica reaches the primary to store its summaries
#: (:meth:`survey.db.replica.Reads.primary_connection`).
Primary = Callable[[], AbstractAsyncContextManager[asyncpg.Connection]]

_SCORED = ("choice", "consent", "multi", "likert", "integer", "decimal")

#: Part of every summary's inputs: raise it when the cells' layout changes. Summaries are also made
#: anew when the code that scores and collapses responses changes (:data:`_CODE`), so that a release
#: that fixes a scoring rule never adds new responses to cells scored by the old one.
CELLS_FORMAT = 1


def _code_digest() -> str:
    digest = hashlib.sha256()
    for module in (scoring, cells_, report_module):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


_CODE = _code_digest()


def report_items(definition: Questionnaire, versions: Sequence[Questionnaire] = ()) -> list[str]:
    """The items of ``definition`` that the report reads, in the definition's order.

    The knowledge and Likert items (the item tables and scales), every item an outcome names and every
    covariate and grouping item of the analysis block, of this definition or of another version of the
    campaign (the report scores the newest version's outcomes and items on every wave), and the items
    whose answers decide whether a knowledge item was shown (``scoring.visibility_items``: a skipped item counts as wrong only where it was shown).
    Only these are read: a questionnaire's other questions (demographics, free text) cost read time
    and are never analysed.

    Parameters
    ----------
    definition
        The version a wave was answered on.
    versions
        The campaign's other versions, if any.
    """
    named: set[str] = set()
    for q in (definition, *versions):
        named.update(item.key for item in q.items() if item.is_knowledge or item.type == "likert")
        for outcome in q.outcomes.values():
            named.update([outcome.item] if outcome.kind == "proportion" else (outcome.items or []))
        if q.analysis is not None:
            entries = [*q.analysis.covariates, *q.analysis.subgroups]
            named.update(v.item for v in Analysis.variables(entries))
    shown = visibility_items(definition)
    return [
        item.key
        for item in definition.items()
        if (item.type in _SCORED and item.key in named) or item.key in shown
    ]


async def campaign_waves(conn: asyncpg.Connection, key: str) -> tuple[Campaign, list[WaveData]]:
    """The campaign and, per wave, its pinned version and complete responses.

    Raises
    ------
    NotFound
        When there is no campaign with this key.
    """
    campaign = await campaigns_db.get_campaign(conn, key)
    waves = await campaigns_db.waves_of(conn, key)
    # Only a comparison design uses clusters; reading the label elsewhere would be wasted work.
    cluster_item = campaign.cluster_item if campaign.design == "comparison" else None
    versions: dict[int, QuestionnaireVersion] = {}
    for wave in waves:
        if wave.version_id not in versions:
            versions[wave.version_id] = await get_version_by_id(conn, wave.version_id)
    definitions = [v.definition for v in versions.values()]
    requests = [
        (wave.id, report_items(versions[wave.version_id].definition, definitions)) for wave in waves
    ]

    def wave_data(index: int, rows: analysis_db.WaveColumns) -> WaveData:
        # Runs while the next wave's query is in flight on the connection (see complete_columns_of_waves).
        wave, version = waves[index], versions[waves[index].version_id]
        return WaveData(
            key=wave.key,
            phase=wave.phase,
            arm=wave.arm,
            version=wave.version,
            definition=version.definition,
            comparability=version.comparability,
            frame=frame_from_columns(version.definition, rows.columns, n=rows.n),
            panel_key=rows.panel_keys if campaign.design == "panel" else None,
            cluster=rows.clusters if cluster_item else None,
        )

    out = await analysis_db.complete_columns_of_waves(conn, requests, cluster_item, wave_data)
    return campaign, out


def _inputs(campaign: Campaign, waves: Sequence[Wave], cluster_item: str | None) -> str:
    """What a wave's cells depend on besides its responses: the campaign's design, its cluster item and
    every wave's role and version (the report scores every wave by the newest version's outcomes)."""
    return msgspec.json.encode(
        [
            CELLS_FORMAT,
            _CODE,
            campaign.design,
            cluster_item,
            [[w.id, w.phase, w.arm, w.version_id] for w in waves],
        ]
    ).decode()


async def campaign_cells(
    conn: asyncpg.Connection, key: str, *, primary: Primary | None = None
) -> tuple[Campaign, list[WaveData]]:
    """The campaign and, per wave, its complete responses as cells, the stored summary brought up to date.

    A panel's waves come with their rows (:func:`campaign_waves`). The summaries are read in one
    snapshot (repeatable read, unless the connection is already in a transaction) with the responses
    counted since; each summary that changed is written back afterwards, unless a summarised response
    changed in between (then the next report makes it anew).

    ``conn`` may be a read replica's: the summaries read there are written back through ``primary``
    (without it, nothing is stored and the next report on the replica reads every response again). The
    replica has replayed everything the primary had committed when the read began
    (:class:`survey.db.replica.Reads`), so a summary it lacks was made after that, and the epoch it
    would have had, 0, is refused on the primary by any change made since, as on the primary itself.

    Raises
    ------
    NotFound
        When there is no campaign with this key.
    """
    campaign = await campaigns_db.get_campaign(conn, key)
    if campaign.design == "panel":
        return await campaign_waves(conn, key)
    waves = await campaigns_db.waves_of(conn, key)
    cluster_item = campaign.cluster_item if campaign.design == "comparison" else None
    versions: dict[int, QuestionnaireVersion] = {}
    for wave in waves:
        if wave.version_id not in versions:
            versions[wave.version_id] = await get_version_by_id(conn, wave.version_id)
    definitions = [v.definition for v in versions.values()]
    items = {
        wave.id: report_items(versions[wave.version_id].definition, definitions) for wave in waves
    }
    inputs = _inputs(campaign, waves, cluster_item)

    def wave_data(wave: Wave, rows: WaveColumns | None) -> WaveData:
        version = versions[wave.version_id]
        empty = rows is None
        return WaveData(
            key=wave.key,
            phase=wave.phase,
            arm=wave.arm,
            version=wave.version,
            definition=version.definition,
            comparability=version.comparability,
            frame=frame_from_columns(
                version.definition, {} if empty else rows.columns, n=0 if empty else rows.n
            ),
            cluster=None if cluster_item is None else ([] if empty else rows.clusters),
        )

    def collapse(wave: Wave | None, rows: WaveColumns | None) -> dict[str, cells_.WaveCells]:
        # The cells of one wave's rows: the other waves take part with no rows, because what a wave's
        # cells hold depends on every wave (the newest version, comparability).
        return collapse_waves(
            campaign.design,
            [wave_data(w, rows if w is wave else None) for w in waves],
        )

    wave_ids = [wave.id for wave in waves]
    writable = await summaries_db.ensure(conn, wave_ids)
    if not writable and primary is not None:
        async with primary() as on_primary:
            await summaries_db.ensure(on_primary, wave_ids)
    parts: dict[str, list[cells_.WaveCells]] = {wave.key: [] for wave in waves}
    consumed: dict[int, list[UUID]] = {}
    made_anew: set[int] = set()
    snapshot = (
        conn.transaction()
        if conn.is_in_transaction()
        else conn.transaction(isolation="repeatable_read", readonly=True)
    )
    async with snapshot:
        stored = await summaries_db.stored(conn, [wave.id for wave in waves])
        empty = collapse(None, None)
        for wave in waves:
            summary = stored.get(wave.id)
            base = None
            if summary is not None and summary.cells is not None and summary.inputs == inputs:
                try:
                    base = cells_.decode(summary.cells)
                except (msgspec.DecodeError, ValueError):
                    base = None  # unreadable: made anew, and the new one stored over it
                if base is not None and not cells_.compatible(base, empty[wave.key]):
                    base = None  # stored by a release that forgot to raise CELLS_FORMAT
            if base is not None:
                found = await summaries_db.pending(conn, wave.id, items[wave.id], cluster_item)
                parts[wave.key].append(base)
                consumed[wave.id] = found.ids
                if found.columns.n:
                    parts[wave.key].append(collapse(wave, found.columns)[wave.key])
                continue
            made_anew.add(wave.id)
            consumed[wave.id] = await summaries_db.pending_ids(conn, wave.id)
            parts[wave.key].append(empty[wave.key])
            async for batch in summaries_db.counted_batches(
                conn, wave.id, items[wave.id], cluster_item
            ):
                parts[wave.key].append(collapse(wave, batch)[wave.key])
    combined = {wave.key: cells_.combine(parts[wave.key]) for wave in waves}
    changed = [w for w in waves if w.id in made_anew or consumed.get(w.id)]
    if changed and (writable or primary is not None):
        # Only a replica's report reaches for the primary, and only when it has something to store.
        store = nullcontext(conn) if writable or primary is None else primary()
        async with store as writer:
            for wave in changed:
                cells = combined[wave.key]
                summary = stored.get(wave.id)
                await summaries_db.save(
                    writer,
                    wave.id,
                    0 if summary is None else summary.epoch,
                    inputs,
                    cells_.encode(cells),
                    cells.n,
                    consumed[wave.id],
                )
    out = [
        replace(wave_data(wave, None), frame=None, cluster=None, cells=combined[wave.key])
        for wave in waves
    ]
    return campaign, out


async def campaign_report(
    conn: asyncpg.Connection,
    key: str,
    *,
    confidence_level: float = 0.95,
    primary: Primary | None = None,
) -> Report:
    """The campaign's report (docs/analysis.md, "The report's JSON") computed from its complete responses.

    Raises
    ------
    NotFound
        When there is no campaign with this key.
    """
    campaign, waves = await campaign_cells(conn, key, primary=primary)
    return build_report(key, campaign.design, waves, confidence_level=confidence_level)


@dataclass(frozen=True)
class ReportSource:
    """A campaign's report and what its page needs beside the numbers.

    ``definition`` is the questionnaire version the report uses (its title, answer scales and
    reversed statements), None when the campaign has no wave to compare; ``cluster_item`` the item
    whose answers group respondents for the intervals of a comparison design.
    """

    report: Report
    definition: Questionnaire | None
    cluster_item: str | None


async def report_source(
    conn: asyncpg.Connection, key: str, *, primary: Primary | None = None
) -> ReportSource:
    """The campaign's report (as :func:`campaign_report`) with the texts its page shows.

    Raises
    ------
    NotFound
        When there is no campaign with this key.
    """
    campaign, waves = await campaign_cells(conn, key, primary=primary)
    report = build_report(key, campaign.design, waves)
    cluster_item = campaign.cluster_item if campaign.design == "comparison" else None
    return ReportSource(report, reference_definition(campaign.design, waves), cluster_item)
