"""The console's export download, ``POST /console/campaigns/{key}/export``: a campaign's responses (or one
wave's) as CSV, Excel, SPSS or the codebook, recorded in the audit log.

Moved here unchanged from the former ``survey/console/routes.py``; the exports themselves are
:mod:`survey.console.exports`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from litestar import Request, Response, post
from litestar.params import FromPath
from litestar.response import Stream

from survey.console import auth, exports
from survey.console.auth import CAMPAIGN_READERS
from survey.console.web import read_form as _form
from survey.db import accounts as accounts_db
from survey.errors import InvalidAnswer
from survey.web import request_pool

__all__ = ["ROUTES"]

FILE_CHUNK = 64 * 1024


def _download_name(plan: exports.ExportPlan, fmt: str) -> str:
    return f"{plan.file_stem()}-{datetime.now(UTC):%Y%m%d}{exports.FORMATS[fmt][0]}"


async def _file_chunks(path: str) -> AsyncIterator[bytes]:
    # Opened, then unlinked at once: the file disappears when the download ends or is abandoned.
    f = open(path, "rb")  # noqa: SIM115 (closed in the finally below, after the last chunk)
    os.unlink(path)
    try:
        while chunk := await asyncio.to_thread(f.read, FILE_CHUNK):
            yield chunk
    finally:
        f.close()


@post("/console/campaigns/{key:str}/export", opt={"roles": CAMPAIGN_READERS}, status_code=200)
async def export_campaign(request: Request, key: FromPath[str]) -> Response:
    """Download the campaign's responses (or one wave's) as CSV, Excel, SPSS or the codebook.

    Recorded in the audit log. A POST with the CSRF token, so no other site can make a signed-in browser
    start (and log) an export.
    """
    form = await _form(request)
    fmt = form.get("format", "csv")
    if fmt not in exports.FORMATS:
        raise InvalidAnswer(f'format must be one of {", ".join(exports.FORMATS)}, not "{fmt}"')
    user = auth.principal(request)
    pool = request_pool(request)
    async with pool.acquire() as conn:
        plan = await exports.plan_export(
            conn,
            key,
            wave=form.get("wave") or None,
            include_partial=form.get("include_partial") in ("on", "true", "1"),
            language=form.get("language") or None,
        )
        audit_id = await exports.audit_export(
            conn, plan, fmt, actor=user.email, account_id=user.account_id
        )
        name = _download_name(plan, fmt)
        media_type = exports.FORMATS[fmt][1]
        headers = {"content-disposition": f'attachment; filename="{name}"'}
        if fmt in ("codebook-csv", "codebook-json"):
            body = (
                exports.codebook_csv(plan) if fmt == "codebook-csv" else exports.codebook_json(plan)
            )
            await accounts_db.finish_audit(conn, audit_id, 0)
            return Response(body, media_type=media_type, headers=headers)
        if fmt in ("xlsx", "sav"):
            fd, path = tempfile.mkstemp(suffix=exports.FORMATS[fmt][0])
            os.close(fd)
            try:
                rows = await exports.write_export(conn, plan, fmt, path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                raise
            await accounts_db.finish_audit(conn, audit_id, rows)
            return Stream(_file_chunks(path), media_type=media_type, headers=headers)

    async def csv_body() -> AsyncIterator[bytes]:
        delivered: list[int] = []
        async with pool.acquire() as conn:
            async for chunk in exports.csv_chunks(conn, plan, delivered=delivered):
                yield chunk
            await accounts_db.finish_audit(conn, audit_id, delivered[0])

    return Stream(csv_body(), media_type=media_type, headers=headers)


ROUTES = [export_campaign]
