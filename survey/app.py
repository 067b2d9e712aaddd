"""The litestar application: ``create_app()`` in one place."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.utils import formatdate

from litestar import Litestar, Request, Response, Router, get
from litestar.config.compression import CompressionConfig
from litestar.datastructures import MutableScopeHeaders, State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.response import Redirect
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from survey.collect.routes import collect_router
from survey.console.api import ApiV1
from survey.console.auth import (
    SESSION_COOKIE,
    SignInRequired,
    authorize,
    cookie_is_secure,
    forget_old_client_addresses,
    sign_in_required_handler,
)
from survey.console.routes import console_router
from survey.db.migrate import migrate
from survey.db.pool import DatabaseBusy, create_pool
from survey.db.replica import open_reads
from survey.db.server import Database, resolve_database
from survey.field.routes import field_router
from survey.reports.routes import reports_router
from survey.reports.warm import keep_reports_warm
from survey.settings import Settings, get_settings
from survey.web import request_pool
from survey.web.csrf import SessionBoundCSRF
from survey.web.errors import EXCEPTION_HANDLERS, error_response, logged_path
from survey.web.security import NetworkDeadlines, refuse_unusable_address, security_headers
from survey.web.static import static_router
from survey.web.templates import template_config

# Large enough for any page of answers; anything bigger is refused with 413 before it is read.
MAX_BODY_BYTES = 256 * 1024

logger = logging.getLogger("survey.request")


def request_log_middleware(app: ASGIApp) -> ASGIApp:
    """One log line per request: method, route, status, milliseconds. No address, no user agent."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        finally:
            logger.info(
                "%s %s %d %.1fms",
                scope.get("method", ""),
                logged_path(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )

    return middleware


async def add_date_header(message: Message, scope: Scope) -> None:
    """A ``Date`` header on every reply that has none (HTTP/1.1 wants it from a server with a clock).

    OpenRosa clients (ODK Collect) require it. A hook on every message sent, so that it also reaches
    the replies no route handler made (an unknown path's 404); ``survey serve`` turns uvicorn's own
    off, so that a reply never carries two.
    """
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        if "date" not in headers:
            headers["date"] = formatdate(usegmt=True)


@get("/healthz", opt={"roles": "public"})
async def healthz(request: Request) -> dict[str, str]:
    """200 with the database status when the database answers."""
    pool = request_pool(request)
    async with pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return {"status": "ok", "database": "ok"}


@get("/", opt={"roles": "public"}, include_in_schema=False)
async def home() -> Redirect:
    """The address a newcomer opens: the console (which asks to sign in first)."""
    return Redirect("/console")


# Only the console carries a CSRF cookie: respondent routes protect themselves with their response cookie
# (and must set no other cookie), the API uses bearer tokens, static files and the health check are public
# GETs. The field endpoints (/field/{token}/...) are called by ODK Collect, KoboCollect and Enketo, which
# have no cookie to forge a request with: each request is authorised by the secret token in its own
# address, which a forged cross-site request would have to know already. Anchored, because litestar
# searches these patterns anywhere in the path.
CSRF_EXCLUDE = ["^/r/", "^/field/", "^/api/", "^/static/", "^/healthz", "^/schema"]


def csrf_middleware(settings: Settings) -> DefineMiddleware:
    """A CSRF token bound to the session on every unsafe console request (survey/web/csrf.py)."""
    return DefineMiddleware(
        SessionBoundCSRF,
        secret=settings.resolved_secret_key(),
        session_cookie=SESSION_COOKIE,
        exclude=CSRF_EXCLUDE,
        secure=cookie_is_secure(settings),
        base_url=settings.base_url,
    )


def database_busy_handler(request: Request, exc: DatabaseBusy) -> Response:
    """503 with a hint when to come back: the pool had no free connection within ``pool_timeout``."""
    response = error_response(request, exc.status_code, exc.message)
    response.headers["Retry-After"] = "5"
    return response


def openapi_config() -> OpenAPIConfig:
    """The API's OpenAPI document at ``/schema/openapi.json`` (public: it describes, it holds no data)."""
    return OpenAPIConfig(
        title="survey API",
        version="1",
        description="Read-only access to questionnaires, campaigns, waves and responses. "
        "Authenticate with a personal token: Authorization: Bearer svy_... (survey tokens create EMAIL).",
        render_plugins=[JsonRenderPlugin()],
        openapi_router=Router(path="/schema", route_handlers=[], opt={"roles": "public"}),
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
        ),
        security=[{"bearer": []}],
        use_handler_docstrings=True,
    )


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> Litestar:
    """Build the application.

    ``database_url`` (tests) skips resolving the database from the settings.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        database: Database | None = None
        url = database_url
        if url is None:
            database = await resolve_database(settings)
            url = database.url
        pool = await create_pool(
            url,
            max_size=settings.pool_size,
            acquire_timeout=settings.pool_timeout,
            query_timeout=settings.query_timeout,
        )
        async with pool.acquire() as conn:
            await migrate(conn)
        app.state.pool = pool
        housekeeping = [asyncio.create_task(forget_old_client_addresses(pool, settings))]
        if settings.report_warmup > 0:
            housekeeping.append(
                asyncio.create_task(keep_reports_warm(pool, every=settings.report_warmup))
            )
        try:
            async with open_reads(
                pool,
                settings.replica_url,
                pool_size=settings.pool_size,
                max_wait=settings.replica_max_wait,
                query_timeout=settings.query_timeout,
            ) as reads:
                app.state.reads = reads
                yield
        finally:
            for task in housekeeping:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await pool.close()
            if database is not None:
                database.stop()

    route_handlers: list = [
        home,
        healthz,
        static_router(),
        collect_router(),
        field_router(),
        console_router(),
        ApiV1,
        reports_router(),
    ]
    return Litestar(
        route_handlers=route_handlers,
        lifespan=[lifespan],
        # Outermost first: the log line, refusing unusable addresses, bounding every wait on the client
        # (so the body is whole before CSRF or a handler reads it), then the CSRF check.
        middleware=[
            request_log_middleware,
            refuse_unusable_address,
            DefineMiddleware(NetworkDeadlines, settings=settings),
            csrf_middleware(settings),
        ],
        before_send=[security_headers(settings), add_date_header],
        plugins=[HTMXPlugin()],
        template_config=template_config(),
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=500, gzip_compress_level=6
        ),
        exception_handlers={
            **EXCEPTION_HANDLERS,
            SignInRequired: sign_in_required_handler,
            DatabaseBusy: database_busy_handler,
        },
        # Every route declares its roles (opt={"roles": ...}); this one guard enforces them.
        guards=[authorize],
        openapi_config=openapi_config(),
        request_max_body_size=MAX_BODY_BYTES,
        # Logging is configured once by the command line (SURVEY_LOG_LEVEL); litestar's own set-up would
        # replace it and log every request at INFO whatever the level asked for.
        logging_config=None,
        state=State({"settings": settings}),
    )
