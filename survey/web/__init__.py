"""Web plumbing shared by the respondent, console and report pages: templates, static files, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncpg
    from litestar import Request

    from survey.db.replica import Reads


def request_pool(request: Request) -> asyncpg.Pool:
    """The application's connection pool, made at start-up by the lifespan in survey/app.py."""
    return request.app.state.pool


def request_reads(request: Request) -> Reads:
    """Where the report and the exports read: the database's streaming replica when one is set and
    current, else the pool of :func:`request_pool` (survey/db/replica.py)."""
    return request.app.state.reads
