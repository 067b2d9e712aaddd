"""What the campaign report reads: the complete responses of a wave, column by column.

The report of a large campaign is dominated by this read, so it returns plain lists (one per column)
rather than a Struct per response, and the answers come as one JSON array decoded in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import msgspec

from survey.db.queries import sql

__all__ = ["CompleteResponses", "complete_responses"]


@dataclass(frozen=True, slots=True)
class CompleteResponses:
    """The complete responses of one wave, in submission order.

    Attributes
    ----------
    answers
        One mapping (item key → stored answer) per response.
    panel_keys
        The pseudonymous panel key of each response (None where there is none).
    clusters
        The answer to the campaign's cluster item as text (None where unanswered, or when the
        campaign has no cluster item).
    """

    answers: list[dict[str, object]]
    panel_keys: list[str | None]
    clusters: list[str | None]


async def complete_responses(
    conn: asyncpg.Connection, wave_id: int, cluster_item: str | None = None
) -> CompleteResponses:
    """Read the complete responses of a wave (see :class:`CompleteResponses`)."""
    row = await conn.fetchrow(sql("analysis_complete_responses"), wave_id, cluster_item)
    return CompleteResponses(
        answers=msgspec.json.decode(row["answers"]),
        panel_keys=list(row["panel_keys"]),
        clusters=list(row["clusters"]),
    )
