"""The docs against the code: what the README and docs/ name exists, and what exists is documented.

Read as a newcomer would: a command in the README that the CLI does not have, a setting that
.env.example does not list, or an address in the docs that no route answers is a broken promise. Checked
both ways for the command line and the settings; addresses one way (many routes are reached by links and
need no mention).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from survey.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SETTINGS_SOURCE = REPO / "survey" / "settings.py"
ENV_EXAMPLE = REPO / ".env.example"

# A variable the environment may set for survey: read by the settings, named in the docs.
_VARIABLE = re.compile(r"\b(?:SURVEY|DATABASE)_[A-Z][A-Z0-9_]*\b")
# Names that look like variables and are not (a database name constant, a test knob documented apart).
NOT_SETTINGS = {"DATABASE_NAME"}


def _docs_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


def _code_spans(text: str) -> list[str]:
    """Lines of fenced code blocks and inline code spans: where the docs write commands."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    inline = re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    return lines + inline


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_commands() -> set[tuple[str, ...]]:
    """Every runnable command path: ("forms", "check"), ("serve",), ..."""
    found: set[tuple[str, ...]] = set()

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        children = _subcommands(parser)
        if not children and path:
            found.add(path)
        for name, child in children.items():
            walk(child, (*path, name))

    walk(build_parser(), ())
    return found


def documented_commands() -> set[tuple[str, ...]]:
    """``survey a b`` as written in the docs' code, cut where the command ends and its arguments begin."""
    commands = cli_commands()
    leaves = {path for path in commands if len(path) == 1}
    groups = {path[0] for path in commands if len(path) > 1}
    found: set[tuple[str, ...]] = set()
    for span in _code_spans(_docs_text()):
        for match in re.finditer(r"(?:^|[\s/(`])survey((?: [a-z][a-z-]*){1,2})", span):
            words = tuple(match.group(1).split())
            if words[:1] in leaves:
                found.add(words[:1])
            elif words[0] in groups:
                found.add(words[:2])
            elif words[0] not in {"is", "the", "and", "collects"}:
                found.add(words)  # names a command that does not exist: the test below says so
    return found


def test_every_command_the_docs_name_exists() -> None:
    commands = cli_commands()
    names = commands | {path[:1] for path in commands}
    missing = []
    for words in documented_commands():
        if words not in names and words[:1] not in commands:
            missing.append("survey " + " ".join(words))
    assert not missing, f"the docs name commands the CLI does not have: {sorted(missing)}"


def test_every_command_is_documented() -> None:
    documented = documented_commands()
    undocumented = [
        "survey " + " ".join(path)
        for path in sorted(cli_commands())
        if path not in documented and path[:1] not in documented
    ]
    assert not undocumented, f"commands no doc mentions: {undocumented}"


def settings_variables() -> set[str]:
    """The variables survey.settings reads (its source is the one place they are read)."""
    return set(_VARIABLE.findall(SETTINGS_SOURCE.read_text(encoding="utf-8"))) - NOT_SETTINGS


def test_every_setting_is_in_env_example_and_the_docs() -> None:
    variables = settings_variables()
    assert {"DATABASE_URL", "SURVEY_SECRET_KEY", "SURVEY_BASE_URL"} <= variables
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    docs = _docs_text()
    assert not [v for v in sorted(variables) if v not in example], "missing from .env.example"
    assert not [v for v in sorted(variables) if v not in docs], "missing from README/docs"


def test_every_setting_the_docs_name_is_read() -> None:
    named = set(_VARIABLE.findall(_docs_text() + ENV_EXAMPLE.read_text(encoding="utf-8")))
    unknown = sorted(named - settings_variables() - NOT_SETTINGS)
    assert not unknown, f"the docs name settings survey does not read: {unknown}"


# -- addresses -----------------------------------------------------------------------------------

_ADDRESS = re.compile(
    r"(?<![\w.:/])(/(?:console|api/v1|campaigns|r|sign-in|sign-out|healthz)[^\s`'\")\],]*)"
)


def documented_addresses() -> set[str]:
    found = set()
    for span in _code_spans(_docs_text()) + _docs_text().splitlines():
        for match in _ADDRESS.finditer(span):
            address = match.group(1).split("?")[0].rstrip(".:;")
            if address.startswith("/r/") and "<" not in address and "{" not in address:
                continue  # an example token, not an address pattern
            found.add(address)
    return found


def _pattern(route_path: str) -> re.Pattern[str]:
    """A regex that matches a route's path with any value (or placeholder) for its parameters."""
    parts = re.split(r"\{[^}]+\}", route_path)
    return re.compile("[^/]+".join(re.escape(part) for part in parts) + "/?")


@pytest.fixture(scope="module")
def route_patterns() -> list[re.Pattern[str]]:
    from survey.app import create_app
    from survey.settings import Settings

    app = create_app(Settings(secret_key="docs-test"), database_url="postgresql://unused/none")
    return [_pattern(route.path) for route in app.routes]


def test_every_address_the_docs_name_is_a_route(route_patterns: list[re.Pattern[str]]) -> None:
    addresses = documented_addresses()
    assert "/healthz" in addresses
    unknown = sorted(
        address
        for address in addresses
        if not any(
            p.fullmatch(address) or p.pattern.startswith(re.escape(address)) for p in route_patterns
        )
    )
    assert not unknown, f"the docs name addresses no route answers: {unknown}"
