"""All SQL lives in ``queries/*.sql`` under ``-- name: query_name`` headers, loaded once.

Parameters are always ``$1, $2, ...``; no SQL is ever built by formatting strings.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

_HEADER = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


@functools.cache
def _load() -> dict[str, str]:
    queries: dict[str, str] = {}
    for entry in sorted(
        resources.files("survey.db").joinpath("queries").iterdir(), key=lambda e: e.name
    ):
        if not entry.name.endswith(".sql"):
            continue
        parts = _HEADER.split(entry.read_text(encoding="utf-8"))
        for name, body in zip(parts[1::2], parts[2::2], strict=True):
            if name in queries:
                raise RuntimeError(f"query {name!r} is defined twice ({entry.name})")
            queries[name] = body.strip().rstrip(";").strip()
    return queries


def sql(name: str) -> str:
    """The text of the named query."""
    return _load()[name]
