"""No code leaves session state on a pooled connection (survey.db.pool.keep_session relies on it).

A connection goes back to the pool without asyncpg's reset statement, so a session-level ``SET``,
advisory lock, ``LISTEN`` or cursor ``WITH HOLD`` would reach the next request that takes it. Every SQL
text of the package (the named queries, the migrations and every string literal in its Python) is read
statement by statement here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "survey"

#: The migrations take a session advisory lock on purpose, and release it in a ``finally``.
MIGRATIONS = PACKAGE / "db" / "migrate.py"

_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
# Keywords in capitals, as every SQL text here writes them: the English prose among the Python strings
# ("Set a new password", "reset.done") is not SQL.
_SESSION_LEVEL = [
    (
        re.compile(r"^\s*SET\s+(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)[\w.]+\s*(=|TO\b)"),
        "a session SET",
    ),
    (re.compile(r"^\s*(LISTEN|RESET)\s+(\w+|\*)\s*$"), "LISTEN or RESET"),
    (re.compile(r"\bWITH\s+HOLD\b", re.I), "a cursor WITH HOLD"),
    (re.compile(r"\bpg_(try_)?advisory_lock(_shared)?\s*\(", re.I), "a session advisory lock"),
    (re.compile(r"\bset_config\s*\([^)]*,\s*false\s*\)", re.I), "set_config for the session"),
]


def session_state(sql: str) -> list[str]:
    """What in ``sql`` outlives its transaction on the connection, statement by statement."""
    found = []
    for statement in _COMMENT.sub(" ", sql).split(";"):
        found += [name for pattern, name in _SESSION_LEVEL if pattern.search(statement)]
    return found


def sql_texts() -> list[tuple[str, str]]:
    texts = [
        (str(path.relative_to(PACKAGE)), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.sql"))
    ]
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == MIGRATIONS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node.value))
    return texts


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SET work_mem = '64MB'", ["a session SET"]),
        ("UPDATE t\n    SET n = 1 WHERE id = $1", []),
        ("SET LOCAL work_mem = '64MB'", []),
        ("SELECT set_config('work_mem', $1, true)", []),
        ("SELECT set_config('work_mem', $1, false)", ["set_config for the session"]),
        ("SELECT pg_advisory_xact_lock(1)", []),
        ("SELECT pg_advisory_lock(1)", ["a session advisory lock"]),
        ("-- SET x\nSELECT 1; LISTEN news", ["LISTEN or RESET"]),
        ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", ["a cursor WITH HOLD"]),
    ],
)
def test_the_reader_finds_session_state(sql: str, expected: list[str]):
    assert session_state(sql) == expected


def test_no_sql_of_the_package_leaves_session_state():
    found = [(where, what) for where, text in sql_texts() for what in session_state(text)]
    assert found == []


def test_the_migrations_release_their_lock_in_a_finally():
    tree = ast.parse(MIGRATIONS.read_text(encoding="utf-8"))
    unlocks = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Try)
        for statement in node.finalbody
        for inner in ast.walk(statement)
        if isinstance(inner, ast.Constant) and "pg_advisory_unlock" in str(inner.value)
    ]
    assert unlocks
