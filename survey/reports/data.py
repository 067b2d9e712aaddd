"""A campaign's report from the database: read each wave's complete responses, then analyse them.

This is the one place that joins the database (``survey.db``) to the pure analysis
(:func:`survey.analysis.report.build_report`): the CLI (``survey analyze``), the API
(``/api/v1/campaigns/{key}/effects``) and the report page all call :func:`campaign_report`, so they
show the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from survey.analysis.report import WaveData, build_report, reference_definition
from survey.analysis.results import Report
from survey.analysis.scoring import frame_from_columns, visibility_items
from survey.db import analysis as analysis_db
from survey.db import campaigns as campaigns_db
from survey.db.campaigns import Campaign
from survey.db.questionnaires import QuestionnaireVersion, get_version_by_id
from survey.questionnaire.model import Analysis, Questionnaire

__all__ = ["ReportSource", "campaign_report", "campaign_waves", "report_items", "report_source"]

_SCORED = ("choice", "consent", "multi", "likert", "integer", "decimal")


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


async def campaign_report(
    conn: asyncpg.Connection, key: str, *, confidence_level: float = 0.95
) -> Report:
    """The campaign's report (docs/analysis.md, "The report's JSON") computed from its complete responses.

    Raises
    ------
    NotFound
        When there is no campaign with this key.
    """
    campaign, waves = await campaign_waves(conn, key)
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


async def report_source(conn: asyncpg.Connection, key: str) -> ReportSource:
    """The campaign's report (as :func:`campaign_report`) with the texts its page shows.

    Raises
    ------
    NotFound
        When there is no campaign with this key.
    """
    campaign, waves = await campaign_waves(conn, key)
    report = build_report(key, campaign.design, waves)
    cluster_item = campaign.cluster_item if campaign.design == "comparison" else None
    return ReportSource(report, reference_definition(campaign.design, waves), cluster_item)
