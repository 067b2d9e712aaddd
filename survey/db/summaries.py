"""The stored report summaries (table ``report_summary``): each wave's complete responses as cells.

The cells are bytes to this module (``survey.analysis.cells`` makes and reads them); it reads the stored
summaries and the responses counted since, and writes a summary back only when no summarised response
changed in the meantime (the ``epoch`` read is still the stored one; migration "report_summaries" keeps it
with triggers on ``response``). The responses themselves are read as
:class:`survey.db.analysis.WaveColumns`, as the report's row path reads them.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from uuid import UUID

import asyncpg
import msgspec

from survey.db.analysis import WaveColumns, columns_of_texts
from survey.db.queries import sql

__all__ = [
    "Pending",
    "StoredSummary",
    "counted_batches",
    "ensure",
    "pending",
    "pending_ids",
    "save",
    "stored",
    "vacuum_pending",
]


#: A report that took this many responses off the pending list vacuums it (see the query
#: report_summary_pending_vacuum); fewer leave it to autovacuum, which is soon enough for them.
VACUUM_AFTER = 10_000


class StoredSummary(msgspec.Struct, frozen=True):
    """A wave's stored summary: its epoch, the inputs it was made with and its cells (None if none)."""

    wave_id: int
    epoch: int
    inputs: str | None
    cells: bytes | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> StoredSummary:
        return cls(row["wave_id"], row["epoch"], row["inputs"], row["cells"])


@dataclass(frozen=True)
class Pending:
    """The responses counted since a wave's summary: all their ids, and the columns of those still counted."""

    ids: list[UUID]
    columns: WaveColumns


async def ensure(conn: asyncpg.Connection, wave_ids: Sequence[int]) -> bool:
    """A summary row for each wave (empty where there was none), before the snapshot that reads them.

    Returns
    -------
    bool
        False on a server that takes no writes (a read replica): the report then reads every response
        and stores nothing.
    """
    try:
        # A savepoint inside a caller's transaction, so that a refusal leaves that transaction usable.
        async with conn.transaction():
            await conn.execute(sql("report_summary_ensure"), list(wave_ids))
    except asyncpg.ReadOnlySQLTransactionError:
        return False
    return True


async def stored(conn: asyncpg.Connection, wave_ids: Sequence[int]) -> dict[int, StoredSummary]:
    """The summaries of these waves (call :func:`ensure` first: a wave without one is left out)."""
    rows = await conn.fetch(sql("report_summary_read"), list(wave_ids))
    return {row["wave_id"]: StoredSummary.from_row(row) for row in rows}


async def pending(
    conn: asyncpg.Connection, wave_id: int, items: Sequence[str], cluster_item: str | None
) -> Pending:
    """The responses of a wave counted since its summary was made (see :class:`Pending`)."""
    rows = await conn.fetch(sql("report_summary_pending"), wave_id, cluster_item)
    counted = [row for row in rows if row["answers"] is not None]
    return Pending(
        ids=[row["response_id"] for row in rows],
        columns=columns_of_texts(
            [row["answers"] for row in counted], [row["cluster"] for row in counted], items
        ),
    )


async def pending_ids(conn: asyncpg.Connection, wave_id: int) -> list[UUID]:
    """Every id waiting to be added to the wave's summary."""
    rows = await conn.fetch(sql("report_summary_pending_ids"), wave_id)
    return [row["response_id"] for row in rows]


async def counted_batches(
    conn: asyncpg.Connection,
    wave_id: int,
    items: Sequence[str],
    cluster_item: str | None,
    batch: int = 50_000,
) -> AsyncIterator[WaveColumns]:
    """Every counted response of a wave, ``batch`` at a time; call inside a transaction (a cursor)."""
    cursor = await conn.cursor(sql("analysis_counted_rows"), wave_id, cluster_item)
    while True:
        rows = await cursor.fetch(batch)
        if not rows:
            return
        yield columns_of_texts(
            [row["answers"] for row in rows], [row["cluster"] for row in rows], items
        )
        if len(rows) < batch:
            return


async def save(
    conn: asyncpg.Connection,
    wave_id: int,
    epoch: int,
    inputs: str,
    cells: bytes,
    responses: int,
    consumed: Sequence[UUID],
) -> bool:
    """Store a wave's summary and delete the pending ids it now holds, unless the epoch moved on.

    Returns
    -------
    bool
        Whether it was stored (False: a summarised response changed, or another report stored a summary,
        since this one was read; the next report starts from what is stored then).
    """
    async with conn.transaction():
        status = await conn.execute(
            sql("report_summary_save"), wave_id, epoch, cells, inputs, responses
        )
        if status != "UPDATE 1":
            return False
        if consumed:
            await conn.execute(sql("report_summary_consume"), wave_id, list(consumed))
    if len(consumed) >= VACUUM_AFTER and not conn.is_in_transaction():
        await vacuum_pending(conn)
    return True


async def vacuum_pending(conn: asyncpg.Connection) -> None:
    """Vacuum the pending list (outside a transaction) after many of its rows were deleted at once."""
    # Not the table's owner: autovacuum will do it.
    with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
        await conn.execute(sql("report_summary_pending_vacuum"))
