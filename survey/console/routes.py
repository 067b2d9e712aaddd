"""The researchers' console: every page, by area, behind one router.

==========================================  =====================================================
:mod:`survey.console.campaigns`             the campaign list, a campaign, its waves, QR codes
:mod:`survey.console.monitoring`            a wave's collection so far
:mod:`survey.console.planning`              planning a campaign: sample sizes, detectable effects
:mod:`survey.console.methods`               how the plan and the report's methods are read
:mod:`survey.console.downloads`             exports (CSV, Excel, SPSS, codebook)
:mod:`survey.console.field`                 field collection: addresses, settings codes, review
:mod:`survey.console.questionnaires`        questionnaires, preview, comparison, XLSForm import
:mod:`survey.console.editor`                the questionnaire editor: drafts, their preview, publishing
:mod:`survey.console.answering`             the editor's live preview, answered as a respondent would
:mod:`survey.console.accounts`              sign-in and sign-out, the language switch, accounts, audit
:mod:`survey.console.teams`                 teams, their members and roles
:mod:`survey.console.credentials`           one's password and API tokens, reset links, first set-up
==========================================  =====================================================

Server-rendered pages; htmx makes some of them smoother (opening a wave swaps its card, monitoring
refreshes itself), and every form also works without JavaScript. Each handler reads the request, asks
:mod:`survey.console.service` (which holds the rules and imports no litestar), and renders one typed page
context through :mod:`survey.console.web`. Each declares who may use it in ``opt={"roles": ...}`` (see
:mod:`survey.console.auth` and docs/roles.md). Every string on a page is in
:mod:`survey.console.messages`, in Mongolian and English.
"""

from __future__ import annotations

from litestar import Router

from survey.console import (
    accounts,
    answering,
    campaigns,
    credentials,
    downloads,
    editor,
    field,
    methods,
    monitoring,
    planning,
    questionnaires,
    teams,
)

__all__ = ["console_router"]


def console_router() -> Router:
    """Every console page, sign-in and sign-out (none of them in the API's OpenAPI document)."""
    return Router(
        path="/",
        route_handlers=[
            *accounts.ROUTES,
            *campaigns.ROUTES,
            *monitoring.ROUTES,
            *planning.ROUTES,
            *methods.ROUTES,
            *field.ROUTES,
            *downloads.ROUTES,
            *questionnaires.ROUTES,
            *editor.ROUTES,
            *answering.ROUTES,
            *teams.ROUTES,
            *credentials.ROUTES,
        ],
        include_in_schema=False,
    )
