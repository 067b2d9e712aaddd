"""The console's export download, ``POST /console/campaigns/{key}/export``: a campaign's responses (or one
wave's) as CSV, Excel, SPSS or the codebook, recorded in the audit log.

The exports themselves, their temporary files and their audit entries are :mod:`survey.exports`; this
handler reads the form, asks for the download and streams it (no database connection is held while it is
sent).
"""

from __future__ import annotations

from litestar import Request, Response, post
from litestar.params import FromPath
from litestar.response import Stream

from survey import exports
from survey.console import auth, service
from survey.console.auth import CAMPAIGN_READERS
from survey.console.web import read_form
from survey.web import request_pool, request_reads

__all__ = ["ROUTES"]


@post("/console/campaigns/{key:str}/export", opt={"roles": CAMPAIGN_READERS}, status_code=200)
async def export_campaign(request: Request, key: FromPath[str]) -> Response:
    """Download the campaign's responses (or one wave's) as CSV, Excel, SPSS or the codebook.

    Recorded in the audit log. A POST with the CSRF token, so no other site can make a signed-in browser
    start (and log) an export. Only for the campaign's team (404 for anyone outside it).
    """
    form = await read_form(request)
    user = auth.principal(request)
    async with request_pool(request).acquire() as conn:
        await service.campaign_for(conn, user, key, CAMPAIGN_READERS)
    download = await exports.export_download(
        request_pool(request),
        key,
        form.get("format", "csv"),
        wave=form.get("wave") or None,
        include_partial=form.get("include_partial") in ("on", "true", "1"),
        language=form.get("language") or None,
        actor=user.email,
        account_id=user.account_id,
        reads=request_reads(request),
    )
    return Stream(
        download.chunks,
        media_type=download.media_type,
        headers={"content-disposition": download.content_disposition},
    )


ROUTES = [export_campaign]
