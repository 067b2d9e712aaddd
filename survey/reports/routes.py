"""Program leads' report: the campaign report page and the same numbers as JSON in the API.

* ``GET /campaigns/{key}/report``: the one-page report (viewer role and above in the campaign's team;
  anonymous visitors are sent to sign in, anyone outside the team gets 404), in Mongolian, or in English
  with ``?lang=en`` (``request_language``).
* ``GET /api/v1/campaigns/{key}/effects``: the report JSON (docs/analysis.md, "The report's JSON") (any role of the campaign's team,
  by an API token with the ``campaigns`` scope).

Who may read is checked on the primary; the responses are read where :func:`request_reads` says (the
streaming replica when one is set and current, see survey/db/replica.py).
"""

from __future__ import annotations

from litestar import Controller, Request, Router, get
from litestar.params import FromPath
from litestar.response import Template

from survey.analysis.results import Report
from survey.console.api import API_ERRORS
from survey.console.auth import ALL_ROLES, principal
from survey.console.service import campaign_for
from survey.reports.data import campaign_report, report_source
from survey.reports.view import report_page
from survey.web import request_pool, request_reads
from survey.web.i18n import request_language

__all__ = ["ReportsApi", "reports_router"]

#: Who may read reports: every role of the campaign's team, viewers included (docs/roles.md).
REPORT_READERS = ALL_ROLES


class ReportsApi(Controller):
    """The campaign report's numbers, read-only, by API token."""

    path = "/api/v1"
    opt = {"auth": "token"}  # noqa: RUF012 (litestar reads it from the class)
    tags = ["api"]  # noqa: RUF012

    @get(
        "/campaigns/{key:str}/effects",
        opt={"roles": REPORT_READERS, "scope": "campaigns"},
        responses=API_ERRORS,
    )
    async def effects(self, request: Request, key: FromPath[str]) -> Report:
        """The campaign's effects: every outcome and comparable item, with intervals, sample sizes,
        Holm-adjusted p-values, flags and notes (the shape of ``survey analyze --format json``)."""
        async with request_pool(request).acquire() as conn:
            await campaign_for(conn, principal(request), key, REPORT_READERS)
        reads = request_reads(request)
        async with reads.connection() as conn:
            return await campaign_report(conn, key, primary=reads.primary_connection)


@get("/campaigns/{key:str}/report", opt={"roles": REPORT_READERS}, include_in_schema=False)
async def report_view(request: Request, key: FromPath[str]) -> Template:
    """The one-page report of a campaign, for program leads (printable), in Mongolian unless
    ``?lang=en`` (or the account's language) asks for English."""
    async with request_pool(request).acquire() as conn:
        await campaign_for(conn, principal(request), key, REPORT_READERS)
    reads = request_reads(request)
    async with reads.connection() as conn:
        source = await report_source(conn, key, primary=reads.primary_connection)
    lang = request_language(request)
    page = report_page(source.report, lang, source.definition, source.cluster_item)
    return Template(template_name="reports/report.html", context={"page": page, "lang": lang})


def reports_router() -> Router:
    """The report page and the effects API."""
    return Router(path="/", route_handlers=[report_view, ReportsApi])
