"""What the campaign report reads: the complete responses of a wave, column by column.

The report of a large campaign is dominated by this read, so it returns one plain list per item rather
than a mapping per response. The answers come as one JSON array, decoded in one call straight into a
struct per response whose fields are the items asked for (other answers are skipped by the decoder,
never built), and each item's column is then read off the structs by ``map`` in C. Building and then
taking apart a dict per response cost more than the statistics. The item keys are data: they name the
struct's JSON fields, never anything in the SQL.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import asyncpg
import msgspec

from survey.db.queries import sql

__all__ = ["WaveColumns", "complete_columns"]


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
    keys = list(dict.fromkeys(items))
    row = await conn.fetchrow(sql("analysis_complete_responses"), wave_id, cluster_item)
    responses = _decoder(tuple(keys)).decode(row["answers"])
    return WaveColumns(
        n=len(responses),
        columns={key: list(map(attrgetter(f"a{j}"), responses)) for j, key in enumerate(keys)},
        panel_keys=list(row["panel_keys"]),
        clusters=list(row["clusters"]),
    )
