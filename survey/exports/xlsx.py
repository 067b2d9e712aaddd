"""The Excel export: a ``responses`` sheet (the CSV's columns) and a ``codebook`` sheet."""

from __future__ import annotations

import asyncio
import datetime as dt
import os

import asyncpg

from survey.errors import SurveyError
from survey.exports.codebook import codebook_table
from survey.exports.plan import STARTED, SUBMITTED, ExportPlan
from survey.exports.rows import Progress, Snapshot, typed_batches

__all__ = ["EXCEL_MAX_ROWS", "write_xlsx"]

EXCEL_MAX_ROWS = 1_048_576
"""Rows of an Excel sheet, the header included."""


async def write_xlsx(
    conn: asyncpg.Connection, plan: ExportPlan, path: str | os.PathLike[str], *,
    progress: Progress | None = None,
) -> int:  # fmt: skip
    """Write an Excel workbook: a ``responses`` sheet (as the CSV) and a ``codebook`` sheet.

    xlsxwriter's ``constant_memory`` mode flushes every row to a temporary file as it is written, so
    memory stays flat. Text cells stay text: nothing a respondent typed becomes a formula or a link.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        os.fspath(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    try:
        bold = workbook.add_format({"bold": True})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        sheet = workbook.add_worksheet("responses")
        sheet.write_row(0, 0, [c.name for c in plan.columns], bold)
        sheet.freeze_panes(1, 1)
        n = 0
        async with Snapshot(conn, plan) as snapshot:
            if snapshot.total >= EXCEL_MAX_ROWS:
                raise SurveyError(
                    f"{snapshot.total} responses do not fit in an Excel sheet "
                    f"({EXCEL_MAX_ROWS - 1} at most); export CSV or SPSS instead"
                )
            async for batch in typed_batches(conn, plan, progress, snapshot.total):
                for row in batch:
                    n += 1
                    started, submitted = row[STARTED], row[SUBMITTED]
                    row[STARTED] = row[SUBMITTED] = None
                    sheet.write_row(n, 0, row)
                    sheet.write_datetime(n, STARTED, started.astimezone(dt.UTC), when)
                    if submitted is not None:
                        sheet.write_datetime(n, SUBMITTED, submitted.astimezone(dt.UTC), when)
        book = workbook.add_worksheet("codebook")
        for r, row in enumerate(codebook_table(plan)):
            book.write_row(r, 0, row, bold if r == 0 else None)
    finally:
        # Assembling the zip file takes a while for large exports: not on the event loop.
        await asyncio.to_thread(workbook.close)
    return n
