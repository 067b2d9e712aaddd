"""Static files served with fingerprinted URLs, so browsers may cache them for a year."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from survey.settings import static_dir

ONE_YEAR = 365 * 24 * 3600


@functools.cache
def fingerprint(name: str) -> str:
    """First 12 hex digits of the file's SHA-256 (computed once per process)."""
    path = static_dir() / name
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """``/static/css/survey.css?v=<hash>``: a new URL whenever the file changes."""
    return f"/static/{name}?v={fingerprint(name)}"


def static_router(directory: Path | None = None) -> Router:
    return create_static_files_router(
        path="/static",
        directories=[directory or static_dir()],
        cache_control=CacheControlHeader(max_age=ONE_YEAR, public=True, immutable=True),
        opt={"roles": "public"},
    )
