"""An export from start to end: plan it, record it in the audit log, write the file, hand it over.

Every export, from the command line (:func:`export_to_path`) or the console (:func:`export_download`), is
recorded in the audit log before it starts, and the entry gets its number of rows when it is written.

The console's download is written to a temporary file first, whatever the format, and only then sent:
the database connection (and the export's snapshot transaction) is given back before the first byte
goes to the network, so a slow or stalled download never holds a connection of the pool. The file is
unlinked as soon as it is opened for sending, so it disappears when the download ends or is abandoned.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Final, Literal

import asyncpg
import msgspec

from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import console as console_db
from survey.db.replica import Reads
from survey.errors import InvalidAnswer
from survey.exports.codebook import codebook_csv, codebook_json
from survey.exports.csv import write_csv
from survey.exports.plan import ExportPlan, plan_export
from survey.exports.rows import Progress
from survey.exports.sav import write_sav
from survey.exports.xlsx import write_xlsx

__all__ = [
    "FORMATS",
    "Download",
    "ExportFormat",
    "ExportResult",
    "audit_export",
    "export_download",
    "export_to_path",
    "write_export",
]

ExportFormat = Literal["csv", "xlsx", "sav", "codebook-csv", "codebook-json"]
FORMATS: Final[dict[str, tuple[str, str]]] = {
    "csv": (".csv", "text/csv; charset=utf-8"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "sav": (".sav", "application/x-spss-sav"),
    "codebook-csv": ("-codebook.csv", "text/csv; charset=utf-8"),
    "codebook-json": ("-codebook.json", "application/json"),
}
"""Format → (file name ending, media type)."""

#: Bytes read from the temporary file per chunk of a download.
FILE_CHUNK: Final = 64 * 1024


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidAnswer(f'format must be one of {", ".join(FORMATS)}, not "{fmt}"')


async def audit_export(
    conn: asyncpg.Connection,
    plan: ExportPlan,
    fmt: str,
    *,
    actor: str,
    account_id: int | None = None,
) -> int:
    """Record an export in the audit log before it starts; returns the entry's id."""
    return await accounts_db.record_audit(
        conn,
        action="export",
        actor=actor,
        account_id=account_id,
        campaign_id=plan.campaign.id,
        detail={
            "format": fmt,
            "wave": plan.wave,
            "include_partial": plan.include_partial,
            "language": plan.language,
        },
    )


async def write_export(
    conn: asyncpg.Connection,
    plan: ExportPlan,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
) -> int:
    """Write one format to ``path``; return the number of responses (0 for a codebook)."""
    if fmt == "csv":
        return await write_csv(conn, plan, path, progress=progress)
    if fmt == "xlsx":
        return await write_xlsx(conn, plan, path, progress=progress)
    if fmt == "sav":
        return await write_sav(conn, plan, path, progress=progress)
    if fmt in ("codebook-csv", "codebook-json"):
        Path(path).write_bytes(codebook_csv(plan) if fmt == "codebook-csv" else codebook_json(plan))
        return 0
    _check_format(fmt)
    raise AssertionError(fmt)  # every format is written above


class ExportResult(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    format: str
    rows: int
    audit_id: int
    plan: ExportPlan


async def export_to_path(
    conn: asyncpg.Connection,
    campaign_key: str,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    wave: str | None = None,
    include_partial: bool = False,
    language: str | None = None,
    actor: str,
    account_id: int | None = None,
    progress: Progress | None = None,
    reads: Reads | None = None,
) -> ExportResult:
    """Plan, audit and write an export to a file (the command line's ``survey export``).

    ``conn`` records the audit entry. With ``reads`` the responses are read where it says (a current
    streaming replica, survey/db/replica.py); a replica cannot write, so the panel pairs are linked on
    ``conn`` first, and the replica's read waits until it has them.
    """
    _check_format(fmt)
    reading: contextlib.AbstractAsyncContextManager[asyncpg.Connection] = contextlib.nullcontext(
        conn
    )
    if reads is not None:
        campaign = await campaigns_db.get_campaign(conn, campaign_key)
        if campaign.design == "panel":
            await console_db.link_panel_pairs(conn, campaign.id)
        reading = reads.connection(held=conn)
    async with reading as reader:
        plan = await plan_export(
            reader, campaign_key, wave=wave, include_partial=include_partial, language=language
        )
        audit_id = await audit_export(conn, plan, fmt, actor=actor, account_id=account_id)
        rows = await write_export(reader, plan, fmt, path, progress=progress)
        await accounts_db.finish_audit(conn, audit_id, rows)
    return ExportResult(path=os.fspath(path), format=fmt, rows=rows, audit_id=audit_id, plan=plan)


@dataclass(frozen=True, slots=True)
class Download:
    """A written export ready to send: its file name, media type and content, chunk by chunk."""

    filename: str
    media_type: str
    rows: int
    chunks: AsyncIterator[bytes]

    @property
    def content_disposition(self) -> str:
        return f'attachment; filename="{self.filename}"'


async def _file_chunks(f: BinaryIO) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(f.read, FILE_CHUNK):
            yield chunk
    finally:
        f.close()


async def export_download(
    pool: asyncpg.Pool,
    campaign_key: str,
    fmt: str,
    *,
    wave: str | None = None,
    include_partial: bool = False,
    language: str | None = None,
    actor: str,
    account_id: int | None = None,
    reads: Reads | None = None,
) -> Download:
    """Write an export to a temporary file and return it as a download (the console's Export form).

    The connection is taken from ``pool`` for the writing only and given back before this returns;
    ``reads``: as in :func:`export_to_path`.
    """
    _check_format(fmt)
    fd, path = tempfile.mkstemp(prefix="survey-export-", suffix=FORMATS[fmt][0])
    os.close(fd)
    try:
        async with pool.acquire() as conn:
            result = await export_to_path(
                conn,
                campaign_key,
                fmt,
                path,
                wave=wave,
                include_partial=include_partial,
                language=language,
                actor=actor,
                account_id=account_id,
                reads=reads,
            )
        # Opened, then unlinked at once: the file disappears when the download ends or is abandoned.
        f = open(path, "rb")  # noqa: SIM115 (closed by _file_chunks after the last chunk)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    stamp = f"{datetime.now(UTC):%Y%m%d}"
    return Download(
        filename=f"{result.plan.file_stem()}-{stamp}{FORMATS[fmt][0]}",
        media_type=FORMATS[fmt][1],
        rows=result.rows,
        chunks=_file_chunks(f),
    )
