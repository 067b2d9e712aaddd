"""The SPSS export: a .sav file with variable labels, value labels and measurement levels."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import os
from typing import Any

import asyncpg
import msgspec

from survey.exports.plan import Column, ExportPlan, ItemInfo, text_in
from survey.exports.rows import Progress, Snapshot, typed_batches

__all__ = ["write_sav"]


def _sav_kind(plan: ExportPlan, column: Column, item: ItemInfo | None) -> str:
    """How a column is stored in the .sav file: ``string``, ``number``, ``code`` (choice codes),
    ``date`` or ``datetime``."""
    if column.kind == "meta":
        if column.name == "version":
            return "number"
        return "datetime" if column.name in ("started_at", "submitted_at") else "string"
    if column.kind in ("choice", "outcome") or item is None:
        return "number"
    if not item.same_type:
        return "string"
    return {
        "choice": "code",
        "consent": "code",
        "likert": "number",
        "integer": "number",
        "decimal": "number",
        "date": "date",
    }.get(item.type, "string")


def _consent_codes() -> dict[str, int]:
    return {"yes": 1, "no": 0}


def _value_labels(
    plan: ExportPlan, column: Column, item: ItemInfo | None
) -> dict[float, str] | None:
    if column.kind == "choice":
        return {0.0: "not selected", 1.0: "selected"}
    if item is None or not item.same_type:
        return None
    if item.type == "choice":
        return {float(c.code): text_in(c.label, plan.language) or c.value for c in item.choices}
    if item.type == "consent":
        return {float(code): value for value, code in _consent_codes().items()}
    if item.type == "likert" and item.scale_labels:
        labels = item.scale_labels.get(plan.language) or next(iter(item.scale_labels.values()))
        return {float(n): label for n, label in enumerate(labels, start=1)}
    return None


def _measure(column: Column, item: ItemInfo | None, kind: str) -> str:
    if column.kind == "choice" or kind == "code":
        return "nominal"
    if item is not None and item.type == "likert" and kind == "number":
        return "ordinal"
    return "scale" if kind in ("number", "date", "datetime") else "nominal"


def _to_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return math.nan
    return float(value)


def _to_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _to_string(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


async def write_sav(
    conn: asyncpg.Connection, plan: ExportPlan, path: str | os.PathLike[str], *,
    progress: Progress | None = None,
) -> int:  # fmt: skip
    """Write an SPSS .sav file with variable labels and value labels.

    Names are made valid for SPSS (:func:`spss_names`), each variable's label starts with its original
    column name; choice items are numeric codes (1, 2, ... as in the codebook) with their labels, consent
    1 = yes and 0 = no, Likert items their points with the scale's labels, multi-choice columns 0/1.
    Labels are in ``plan.language``.

    Memory: pyreadstat writes from a pandas DataFrame and cannot append, so the table is held in memory:
    numeric columns in preallocated float64 arrays (8 bytes per cell), text columns as Python strings.
    The rows themselves are still read in batches.
    """
    import numpy as np
    import pandas as pd
    import pyreadstat

    items = {i.key: i for i in plan.items}
    columns = plan.columns
    col_items = [items.get(c.key or "") if c.kind in ("item", "choice") else None for c in columns]
    kinds = [_sav_kind(plan, c, i) for c, i in zip(columns, col_items, strict=True)]
    code_maps: list[dict[str, int] | None] = []
    for item, kind in zip(col_items, kinds, strict=True):
        if kind != "code" or item is None:
            code_maps.append(None)
        elif item.type == "consent":
            code_maps.append(_consent_codes())
        else:
            code_maps.append({c.value: c.code for c in item.choices})

    async with Snapshot(conn, plan) as snapshot:
        total = snapshot.total
        data: list[Any] = [
            np.full(total, np.nan) if kind in ("number", "code") else [None] * total
            for kind in kinds
        ]
        n = 0
        async for batch in typed_batches(conn, plan, progress, total):
            for row in batch:
                for j, value in enumerate(row):
                    kind = kinds[j]
                    if value is None:
                        continue
                    if kind == "number":
                        data[j][n] = _to_number(value)
                    elif kind == "code":
                        data[j][n] = code_maps[j].get(value, math.nan)  # type: ignore[union-attr]
                    elif kind == "string":
                        data[j][n] = _to_string(value)
                    elif kind == "date":
                        data[j][n] = _to_date(value)
                    else:  # datetime: SPSS has no time zones, the codebook says UTC
                        data[j][n] = value.astimezone(dt.UTC).replace(tzinfo=None)
                n += 1

    frame: dict[str, Any] = {}
    for column, kind, values in zip(columns, kinds, data, strict=True):
        if kind == "datetime":
            frame[column.spss_name] = pd.to_datetime(pd.Series(values, dtype=object))
        elif kind in ("string", "date"):
            frame[column.spss_name] = pd.Series(values, dtype=object)
        else:
            frame[column.spss_name] = values
    df = pd.DataFrame(frame)
    value_labels = {}
    for column, item in zip(columns, col_items, strict=True):
        labels = _value_labels(plan, column, item)
        if labels:
            value_labels[column.spss_name] = labels
    measures = {
        c.spss_name: _measure(c, i, k) for c, i, k in zip(columns, col_items, kinds, strict=True)
    }
    await asyncio.to_thread(
        pyreadstat.write_sav,
        df,
        os.fspath(path),
        file_label=f"survey export: {plan.file_stem()}"[:64],
        column_labels={c.spss_name: c.label[:255] for c in columns},
        variable_value_labels=value_labels,
        variable_measure=measures,
    )
    return n
