"""Web plumbing shared by the respondent, console and report pages: templates, static files, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncpg
    from litestar import Request


def request_pool(request: Request) -> asyncpg.Pool:
    """The application's connection pool, made at start-up by the lifespan in survey/app.py."""
    return request.app.state.pool
