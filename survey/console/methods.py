"""``GET /console/help/methods``: what the planning page assumes and how the report's methods are read, in
plain words for a researcher, in Mongolian and English (linked from the planning page's assumptions).

The report's own explanations of its terms (the interval, percentage points, the standardised effect)
are shown as the report says them
(:mod:`survey.reports.messages`, ``term.*``), so that the console and the report never explain one method
two ways; the planning assumptions, the design effect of clusters and the families of outcomes are the
console's own words (``help.*`` in survey/console/plan_messages.py), taken from docs/analysis.md: what the
plan assumes, the design effect of clusters, several outcomes. Short on purpose (about two and a half
screens of a phone in Mongolian). The page reads no team's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from litestar import Request, get
from litestar.response import Template

from survey.console import web as console_web
from survey.console.roles import CAMPAIGN_READERS
from survey.reports.messages import CATALOGUE as REPORT_CATALOGUE
from survey.reports.words import decimal
from survey.web.i18n import LANGUAGES

__all__ = ["ROUTES", "MethodsPage", "Topic", "methods_page"]

#: The confidence level the report uses unless a caller asks for another (docs/analysis.md, Conventions).
CONFIDENCE_LEVEL = 0.95


@dataclass(frozen=True, slots=True)
class Topic:
    """One question the page answers: its anchor, its heading and its paragraphs."""

    anchor: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MethodsPage:
    topics: tuple[Topic, ...]
    plan_link: str
    """The planning page, in the language this page was asked in."""


def methods_page(t: Callable[..., str], lang: str, asked: str | None) -> MethodsPage:
    """The page in ``lang``: ``t`` is the console's catalogue, the report's terms come from its own."""
    report = REPORT_CATALOGUE.bound(lang)
    level = decimal(100 * CONFIDENCE_LEVEL, 0, lang) + "%"
    topics = (
        Topic("plan", t("help.plan"), (t("help.plan.counts"), t("help.plan.assumes"))),
        Topic(
            "effect",
            t("help.effect"),
            (report("term.percentage_points.body"), report("term.standardised.body")),
        ),
        Topic(
            "interval",
            report("term.interval", level=level),
            (report("term.interval.body", level=level),),
        ),
        Topic("clusters", t("help.clusters"), (t("help.clusters.body"),)),
        Topic("outcomes", t("help.outcomes"), (t("help.outcomes.families"),)),
    )
    query = f"?{urlencode({'lang': asked})}" if asked in LANGUAGES else ""
    return MethodsPage(topics=topics, plan_link=f"/console/plan{query}")


@get("/console/help/methods", opt={"roles": CAMPAIGN_READERS})
async def methods_help(request: Request) -> Template:
    """How the planning page and the report's methods are read (no team data read)."""
    lang = console_web.language(request)
    context = methods_page(console_web.translator(request), lang, request.query_params.get("lang"))
    return console_web.page(request, "methods.html", context, section="plan")


ROUTES = [methods_help]
