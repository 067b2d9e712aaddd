"""A campaign's report from the database: read each wave's complete responses, then analyse them.

This is the one place that joins the database (``survey.db``) to the pure analysis
(:func:`survey.analysis.report.build_report`): the CLI (``survey analyze``), the API
(``/api/v1/campaigns/{key}/effects``) and the report page all call :func:`campaign_report`, so they
show the same numbers.
"""

from __future__ import annotations

import asyncpg

from survey.analysis.report import WaveData, build_report
from survey.analysis.results import Report
from survey.analysis.scoring import frame_from_answers
from survey.db import analysis as analysis_db
from survey.db import campaigns as campaigns_db
from survey.db.questionnaires import QuestionnaireVersion, get_version_by_id

__all__ = ["campaign_report", "campaign_waves"]


async def campaign_waves(conn: asyncpg.Connection, key: str) -> tuple[str, list[WaveData]]:
    """The campaign's design and, per wave, its pinned version and complete responses.

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
    out: list[WaveData] = []
    for wave in waves:
        version = versions.get(wave.version_id)
        if version is None:
            version = versions[wave.version_id] = await get_version_by_id(conn, wave.version_id)
        rows = await analysis_db.complete_responses(conn, wave.id, cluster_item)
        frame = frame_from_answers(version.definition, rows.answers)
        out.append(
            WaveData(
                key=wave.key,
                phase=wave.phase,
                arm=wave.arm,
                version=wave.version,
                definition=version.definition,
                comparability=version.comparability,
                frame=frame,
                panel_key=rows.panel_keys if campaign.design == "panel" else None,
                cluster=rows.clusters if cluster_item else None,
            )
        )
    return campaign.design, out


async def campaign_report(
    conn: asyncpg.Connection, key: str, *, confidence_level: float = 0.95
) -> Report:
    """The campaign's report (DESIGN.md, "Report JSON") computed from its complete responses.

    Raises
    ------
    NotFound
        When there is no campaign with this key.
    """
    design, waves = await campaign_waves(conn, key)
    return build_report(key, design, waves, confidence_level=confidence_level)
