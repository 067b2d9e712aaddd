"""The litestar application: ``create_app()`` in one place."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar, Request, get
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.plugins.htmx import HTMXPlugin
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from survey.db.migrate import migrate
from survey.db.pool import create_pool
from survey.db.server import Database, resolve_database
from survey.settings import Settings, get_settings
from survey.web.errors import EXCEPTION_HANDLERS
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
            route = scope.get("path_template") or scope.get("path", "")
            logger.info(
                "%s %s %d %.1fms",
                scope.get("method", ""),
                route,
                status,
                (time.perf_counter() - started) * 1000,
            )

    return middleware


@get("/healthz", opt={"roles": "public"})
async def healthz(request: Request) -> dict[str, str]:
    """200 with the database status when the database answers."""
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return {"status": "ok", "database": "ok"}


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
        pool = await create_pool(url)
        async with pool.acquire() as conn:
            await migrate(conn)
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()
            if database is not None:
                database.stop()

    route_handlers: list = [healthz, static_router()]
    return Litestar(
        route_handlers=route_handlers,
        lifespan=[lifespan],
        middleware=[request_log_middleware],
        plugins=[HTMXPlugin()],
        template_config=template_config(),
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=500, gzip_compress_level=6
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=MAX_BODY_BYTES,
        state=State({"settings": settings}),
    )
