"""What the campaign report reads: the complete responses of a wave, column by column.

The report of a large campaign is dominated by this read, so it returns one plain list per item rather
than a mapping per response. The answers come as one JSON array, decoded in one call straight into a
struct per response whose fields are the items asked for (other answers are skipped by the decoder,
never built), and each item's column is then read off the structs by ``map`` in C. Building and then
taking apart a dict per response cost more than the statistics. The item keys are data: they name the
struct's JSON fields, never anything in the SQL.

Two more things measured on a 100,000-response campaign (``benchmarks/report.py``): the cyclic garbage
collector, triggered again and again by the million objects a wave's decoding allocates, took more than
the decoding itself, so it is paused while a wave is decoded (nothing decoded there can form a cycle); and
:func:`complete_columns_of_waves` asks PostgreSQL for the next wave before the current one is decoded and
analysed, so that the server's sorting and serialising runs on one core while Python works on the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

import asyncpg
import msgspec

from survey.db.queries import sql

__all__ = ["WaveColumns", "columns_of_texts", "complete_columns", "complete_columns_of_waves"]

T = TypeVar("T")

# A wave's sort of its answers (about 14 MB of JSON for 50,000 responses) spills to disk with the default
# work_mem of 4 MB.
_WORK_MEM = "64MB"


@functools.lru_cache(maxsize=64)
def _decoder(keys: tuple[str, ...]) -> msgspec.json.Decoder:
    """A decoder of a JSON array of answer objects into structs with one field per key.

    The fields are named ``a0, a1, ...`` and renamed to the item keys, so that any key (not only a
    Python identifier) works; an absent answer decodes to None, as ``dict.get`` gives.
    """
    names = [f"a{j}" for j in range(len(keys))]
    struct = msgspec.defstruct(
        "Answers",
        [(name, object, None) for name in names],
        rename=dict(zip(names, keys, strict=True)),
    )
    return msgspec.json.Decoder(list[struct])


@dataclass(frozen=True, slots=True)
class WaveColumns:
    """The complete responses of one wave, in submission order, one list per column.

    Attributes
    ----------
    n
        Number of complete responses.
    columns
        Item key → the stored answer of each response (None where there is none), with the stored
        JSON types: a string for choice and consent items, a list of strings for multi items, a
        number for likert, integer and decimal items (whatever was stored, for corrupt data).
    panel_keys
        The pseudonymous panel key of each response (None where there is none).
    clusters
        The answer to the campaign's cluster item as text (None where unanswered, or when the
        campaign has no cluster item).
    """

    n: int
    columns: dict[str, list[object]]
    panel_keys: list[str | None]
    clusters: list[str | None]


async def complete_columns(
    conn: asyncpg.Connection,
    wave_id: int,
    items: Sequence[str],
    cluster_item: str | None = None,
) -> WaveColumns:
    """Read the given items of a wave's complete responses (see :class:`WaveColumns`).

    Parameters
    ----------
    conn
        A connection.
    wave_id
        The wave's id.
    items
        The item keys to read; they are passed as a parameter, never written into the SQL.
    cluster_item
        The item whose answer labels each response's cluster, or None.
    """
    row = await conn.fetchrow(sql("analysis_complete_responses"), wave_id, cluster_item)
    with _collector_paused():
        return _columns(row, items)


async def complete_columns_of_waves(
    conn: asyncpg.Connection,
    waves: Sequence[tuple[int, Sequence[str]]],
    cluster_item: str | None,
    consume: Callable[[int, WaveColumns], T],
) -> list[T]:
    """Read several waves as :func:`complete_columns` does, handing each to ``consume`` as it comes.

    While ``consume`` works on one wave, the next wave's query is already running in PostgreSQL on the
    same connection, so the database's work overlaps with Python's (the report's read of two waves
    takes about the time of one wave's query plus the Python work of both).

    Parameters
    ----------
    conn
        A connection; the reads run in one transaction (a savepoint when one is open) with a larger
        ``work_mem``, so that the sort of a large wave stays in memory.
    waves
        Per wave, its id and the item keys to read.
    cluster_item
        The item whose answer labels each response's cluster, or None.
    consume
        Called with the wave's index in ``waves`` and its columns; it must not use the connection
        (the next query is in flight on it). Its results are returned in order.

    Returns
    -------
    list
        What ``consume`` returned for each wave.
    """
    out: list[T] = []
    if not waves:
        return out
    async with conn.transaction():
        # set_config(..., true) is SET LOCAL with the value as a parameter.
        await conn.execute("SELECT set_config('work_mem', $1, true)", _WORK_MEM)
        # Prepared before the first read so that starting a read sends the query at once, without
        # waiting for a Parse round trip while Python is busy with the previous wave.
        statement = await conn.prepare(sql("analysis_complete_responses"))
        row = await statement.fetchrow(waves[0][0], cluster_item)
        for index, (_, items) in enumerate(waves):
            following: asyncio.Future[asyncpg.Record] | None = None
            if index + 1 < len(waves):
                following = asyncio.ensure_future(
                    statement.fetchrow(waves[index + 1][0], cluster_item)
                )
                # One turn of the loop lets the task send its query before the work below blocks it.
                await asyncio.sleep(0)
            try:
                with _collector_paused():
                    out.append(consume(index, _columns(row, items)))
            except BaseException:
                if following is not None:
                    following.cancel()
                    with contextlib.suppress(BaseException):
                        await following
                raise
            if following is not None:
                row = await following
    return out


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for a block with no ``await`` in it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _columns(row: asyncpg.Record, items: Sequence[str]) -> WaveColumns:
    # An aggregate without GROUP BY always returns its one row, also for a wave with no response.
    keys = list(dict.fromkeys(items))
    responses = _decoder(tuple(keys)).decode(row["answers"])
    return WaveColumns(
        n=len(responses),
        columns={key: list(map(attrgetter(f"a{j}"), responses)) for j, key in enumerate(keys)},
        panel_keys=list(row["panel_keys"]),
        clusters=list(row["clusters"]),
    )


def columns_of_texts(
    answers: Sequence[str], clusters: Sequence[str | None], items: Sequence[str]
) -> WaveColumns:
    """Columns of responses read one row each (their answers as JSON text), as :class:`WaveColumns`.

    The texts are joined into one JSON array and decoded in one call, as a wave's aggregate is.
    """
    keys = list(dict.fromkeys(items))
    with _collector_paused():
        responses = _decoder(tuple(keys)).decode("[" + ",".join(answers) + "]")
        return WaveColumns(
            n=len(responses),
            columns={key: list(map(attrgetter(f"a{j}"), responses)) for j, key in enumerate(keys)},
            panel_keys=[None] * len(responses),
            clusters=list(clusters),
        )
