"""The read-only JSON API under ``/api/v1``, authenticated by personal API tokens.

A token (made in the console, or ``survey tokens create EMAIL``) acts with its owner's *current* teams
and roles: a campaign is readable only through its team, and removing the owner from the team, demoting
or disabling the account limits or stops the token at once. A token also has a scope (``campaigns``:
questionnaires, campaigns, waves and reports; ``responses``: raw answers), which every route declares
(``opt={"scope": ...}``), and an expiry. Send it as ``Authorization: Bearer svy_...``. The OpenAPI
document is at ``/schema/openapi.json``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Controller, Request, get
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter

from survey.console import auth, service
from survey.console.auth import ALL_ROLES, CAMPAIGN_READERS, DESIGNERS
from survey.db import accounts as accounts_db
from survey.db import campaigns as campaigns_db
from survey.db import console as console_db
from survey.db.campaigns import Campaign, Wave
from survey.db.console import ApiResponse
from survey.errors import InvalidAnswer
from survey.web import request_pool

__all__ = ["API_ERRORS", "ApiV1", "ErrorOut"]

MAX_PAGE = 1000
# Versions are PostgreSQL integers: a larger number cannot name one (so it is a 400, not a database error).
MAX_VERSION = 2**31 - 1


class ErrorOut(msgspec.Struct, frozen=True, kw_only=True):
    """Every refusal of the API: its status code and a sentence saying why."""

    status_code: int
    detail: str


# Documented on every operation, so that clients (and schemathesis) know these answers are expected.
API_ERRORS: dict[int, ResponseSpec] = {
    401: ResponseSpec(data_container=ErrorOut, description="No valid API token was sent."),
    403: ResponseSpec(
        data_container=ErrorOut,
        description="The token owner's role in the campaign's team, or the token's scope, does not "
        "allow this.",
    ),
    404: ResponseSpec(
        data_container=ErrorOut,
        description="No such questionnaire, version or campaign, or not one of the token owner's "
        "teams.",
    ),
    414: ResponseSpec(
        data_container=ErrorOut,
        description="The address or its query string is longer than any of ours (docs/security.md).",
    ),
    503: ResponseSpec(
        data_container=ErrorOut,
        description="Every database connection is busy; try again after Retry-After seconds.",
    ),
}


class QuestionnaireOut(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: dict[str, str]
    latest_version: int
    n_versions: int
    published_at: datetime


class VersionOut(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    version: int
    sha256: str
    published_at: datetime


class VersionDetailOut(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    version: int
    sha256: str
    published_at: datetime
    fingerprints: dict[str, str]
    """Item key → fingerprint of what respondents see and how it is scored."""
    definition: dict[str, Any]
    """The canonical definition, as in docs/questionnaire-format.md."""


class CampaignOut(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    team: str
    """The key of the team the campaign belongs to."""
    questionnaire: str
    design: str
    cluster_item: str | None
    created_at: datetime


class WaveOut(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    campaign: str
    phase: str
    arm: str
    questionnaire: str
    version: int
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    link: str | None
    """The respondent link; only for roles that hand links out (admin, researcher)."""


class CampaignDetailOut(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    team: str
    questionnaire: str
    design: str
    cluster_item: str | None
    created_at: datetime
    waves: list[WaveOut]


class ResponsePage(msgspec.Struct, frozen=True, kw_only=True):
    """A page of responses; pass ``next_cursor`` as ``cursor`` for the next page (null: the last page)."""

    items: list[ApiResponse]
    next_cursor: str | None
    limit: int


def _wave_out(request: Request, wave: Wave) -> WaveOut:
    user = auth.principal(request)
    runs_it = user.role_in(wave.team_id) in DESIGNERS
    return WaveOut(
        key=wave.key,
        campaign=wave.campaign,
        phase=wave.phase,
        arm=wave.arm,
        questionnaire=wave.questionnaire,
        version=wave.version,
        status=wave.status,
        opens_at=wave.opens_at,
        closes_at=wave.closes_at,
        link=wave.link(request.app.state.settings.base_url) if runs_it else None,
    )


async def _campaign(conn: asyncpg.Connection, request: Request, key: str) -> Campaign:
    """The campaign, when the token owner's role in its team lets it read campaigns (404 outside it)."""
    return await service.campaign_for(conn, auth.principal(request), key, CAMPAIGN_READERS)


class ApiV1(Controller):
    """Questionnaires, versions, campaigns, waves and responses, read-only."""

    path = "/api/v1"
    opt = {"auth": "token"}  # noqa: RUF012 (litestar reads it from the class)
    tags = ["api"]  # noqa: RUF012

    @get(
        "/questionnaires",
        opt={"roles": CAMPAIGN_READERS, "scope": "campaigns"},
        responses=API_ERRORS,
    )
    async def questionnaires(self, request: Request) -> list[QuestionnaireOut]:
        """Every published questionnaire the token owner's teams may see (shared with every team, or
        their own), with its latest version."""
        async with request_pool(request).acquire() as conn:
            found = await service.questionnaires(conn, auth.principal(request))
        return [
            QuestionnaireOut(
                key=q.key,
                title=q.title,
                latest_version=q.latest_version,
                n_versions=q.n_versions,
                published_at=q.published_at,
            )
            for q in found
        ]

    @get(
        "/questionnaires/{key:str}/versions",
        opt={"roles": CAMPAIGN_READERS, "scope": "campaigns"},
        responses=API_ERRORS,
    )
    async def versions(self, request: Request, key: FromPath[str]) -> list[VersionOut]:
        """The versions of a questionnaire, oldest first."""
        async with request_pool(request).acquire() as conn:
            # NotFound for an unknown questionnaire, or one kept to another team
            await service.questionnaire_for(conn, auth.principal(request), key)
            found = await console_db.list_versions(conn, key)
        return [
            VersionOut(key=key, version=v.version, sha256=v.sha256, published_at=v.published_at)
            for v in found
        ]

    @get(
        "/questionnaires/{key:str}/versions/{version:int}",
        opt={"roles": CAMPAIGN_READERS, "scope": "campaigns"},
        responses=API_ERRORS,
    )
    async def version(
        self,
        request: Request,
        key: FromPath[str],
        version: Annotated[int, PathParameter(ge=1, le=MAX_VERSION)],
    ) -> VersionDetailOut:
        """One version: its definition and item fingerprints."""
        async with request_pool(request).acquire() as conn:
            found = await service.questionnaire_for(conn, auth.principal(request), key, version)
        return VersionDetailOut(
            key=found.key,
            version=found.version,
            sha256=found.sha256,
            published_at=found.published_at,
            fingerprints=found.fingerprints,
            definition=msgspec.to_builtins(found.definition),
        )

    @get("/campaigns", opt={"roles": ALL_ROLES, "scope": "campaigns"}, responses=API_ERRORS)
    async def campaigns(self, request: Request) -> list[CampaignOut]:
        """The campaigns of the token owner's teams."""
        teams = [m.team_id for m in auth.principal(request).teams]
        async with request_pool(request).acquire() as conn:
            found = await campaigns_db.list_campaigns(conn, teams)
        return [
            CampaignOut(
                key=c.key,
                team=c.team,
                questionnaire=c.questionnaire,
                design=c.design,
                cluster_item=c.cluster_item,
                created_at=c.created_at,
            )
            for c in found
        ]

    @get(
        "/campaigns/{key:str}",
        opt={"roles": CAMPAIGN_READERS, "scope": "campaigns"},
        responses=API_ERRORS,
    )
    async def campaign(self, request: Request, key: FromPath[str]) -> CampaignDetailOut:
        """A campaign with its waves."""
        async with request_pool(request).acquire() as conn:
            c = await _campaign(conn, request, key)
            waves = await campaigns_db.waves_of(conn, key)
        return CampaignDetailOut(
            key=c.key,
            team=c.team,
            questionnaire=c.questionnaire,
            design=c.design,
            cluster_item=c.cluster_item,
            created_at=c.created_at,
            waves=[_wave_out(request, w) for w in waves],
        )

    @get(
        "/campaigns/{key:str}/waves",
        opt={"roles": CAMPAIGN_READERS, "scope": "campaigns"},
        responses=API_ERRORS,
    )
    async def waves(self, request: Request, key: FromPath[str]) -> list[WaveOut]:
        """The waves of a campaign."""
        async with request_pool(request).acquire() as conn:
            await _campaign(conn, request, key)
            found = await campaigns_db.waves_of(conn, key)
        return [_wave_out(request, w) for w in found]

    @get(
        "/campaigns/{key:str}/responses",
        opt={"roles": CAMPAIGN_READERS, "scope": "responses"},
        responses=API_ERRORS,
    )
    async def responses(
        self,
        request: Request,
        key: FromPath[str],
        wave: FromQuery[str | None] = None,
        include_partial: FromQuery[bool] = False,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = 100,
    ) -> ResponsePage:
        """A page of the campaign's responses (complete ones unless ``include_partial``), in a stable
        order; every request is recorded in the audit log.

        Each response carries its public id (the exports' ``response_id``) and, in a panel campaign, the
        pair id that its complete pre and post responses share; never the panel key or an answer to a
        panel code question (docs/privacy.md)."""
        after: uuid.UUID | None = None
        if cursor:
            try:
                after = uuid.UUID(cursor)
            except ValueError:
                raise InvalidAnswer(f'cursor "{cursor}" is not one this API gave out') from None
        statuses = console_db.STATUSES if include_partial else ("complete",)
        user = auth.principal(request)
        async with request_pool(request).acquire() as conn:
            campaign = await _campaign(conn, request, key)
            if wave is not None and wave not in {
                w.key for w in await campaigns_db.waves_of(conn, key)
            }:
                raise InvalidAnswer(f'campaign "{key}" has no wave "{wave}"')
            if campaign.design == "panel":
                await console_db.link_panel_pairs(conn, campaign.id)
            audit_id = await accounts_db.record_audit(
                conn,
                action="api_responses",
                actor=user.email,
                account_id=user.account_id,
                campaign_id=campaign.id,
                detail={
                    "wave": wave,
                    "include_partial": include_partial,
                    "cursor": cursor,
                    "limit": limit,
                },
            )
            items = await console_db.api_responses(
                conn, campaign.id, wave=wave, statuses=statuses, after=after, limit=limit
            )
            await accounts_db.finish_audit(conn, audit_id, len(items))
        next_cursor = str(items[-1].id) if len(items) == limit else None
        return ResponsePage(items=items, next_cursor=next_cursor, limit=limit)
