"""Imports point one way (docs/architecture.md): a test that reads the code, so the layers cannot drift.

Every module of ``survey`` is parsed (not imported) and each ``import``/``from`` naming a survey package,
litestar or asyncpg is checked against the rules below, wherever it stands: at the top, inside a function
or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "survey"

#: What each package must never import, and why.
FORBIDDEN: dict[str, dict[str, str]] = {
    "survey.questionnaire": {
        "survey.db": "the questionnaire model is pure",
        "survey.web": "the questionnaire model is pure",
        "survey.collect": "the questionnaire model is pure",
        "survey.console": "the questionnaire model is pure",
        "survey.reports": "the questionnaire model is pure",
        "survey.exports": "the questionnaire model is pure",
        "survey.analysis": "the model comes first; the analysis reads it",
        "litestar": "the questionnaire model is pure",
        "asyncpg": "the questionnaire model is pure",
    },
    "survey.analysis": {
        "survey.db": "statistics are pure: arrays in, Structs out",
        "survey.web": "statistics are pure",
        "survey.collect": "statistics are pure",
        "survey.console": "statistics are pure",
        "survey.reports": "statistics are pure",
        "survey.exports": "statistics are pure",
        "survey.settings": "statistics are pure",
        "litestar": "statistics are pure",
        "asyncpg": "statistics are pure",
    },
    "survey.db": {
        "survey.web": "the database layer serves every area and knows none of the web",
        "survey.collect": "the database layer knows no web area",
        "survey.console": "the database layer knows no web area",
        "survey.reports": "the database layer knows no web area",
        "survey.exports": "exports read through db, not the other way",
        "survey.field": "the database layer knows no web area",
        "litestar": "the database layer knows no web framework",
    },
    "survey.exports": {
        "survey.web": "exports are called by the console and the command line alike",
        "survey.collect": "exports stand apart from the web areas",
        "survey.console": "exports stand apart from the web areas",
        "survey.reports": "exports stand apart from the web areas",
        "litestar": "exports are called by the command line too",
    },
    "survey.collect": {
        "survey.console": "respondent pages and the console stand apart",
        "survey.reports": "respondent pages know nothing of reports",
        "survey.exports": "respondent pages know nothing of exports",
        "survey.field": "the web form knows nothing of the field channel that reuses its rules",
    },
    "survey.field": {
        "survey.console": "devices' endpoints know nothing of the console",
        "survey.reports": "devices' endpoints know nothing of reports",
        "survey.exports": "devices' endpoints know nothing of exports",
    },
    "survey.console": {
        "survey.collect": "the console and the respondent pages stand apart",
    },
    "survey.editor": {
        "litestar": "the editor's rules are the console's service, without the web",
        "survey.web": "the editor's rules are the console's service, without the web",
        "survey.collect": "the editor stands apart from the respondent pages",
        "survey.reports": "the editor knows nothing of reports",
        "survey.exports": "the editor knows nothing of exports",
    },
    "survey.reports": {
        "survey.collect": "the report and the respondent pages stand apart",
    },
    "survey.web": {
        "survey.collect": "shared web plumbing serves every area and belongs to none",
        "survey.console": "shared web plumbing serves every area and belongs to none",
        "survey.reports": "shared web plumbing serves every area and belongs to none",
    },
}

#: The crossings allowed on purpose, each with its reason. Keep this list short.
ALLOWED: dict[tuple[str, str], str] = {
    # The console's preview shows a questionnaire exactly as respondents will see it: the same field
    # views, built by the same code, not a copy that could drift from it.
    ("survey.console.questionnaires", "survey.collect.views"): "the preview reuses the field views",
    # The review of flagged field answers applies the respondent's answer rules through the application's
    # one CollectState (its cache of pinned versions and panel secrets), which the field endpoints share.
    ("survey.console.field", "survey.collect.routes"): "the review shares the respondents' state",
    # The editor's live preview is a respondent page answered for real (nothing stored): the same views,
    # the same answer rules and the same panel-code normalisation, not copies that could drift.
    ("survey.console.answering", "survey.collect.views"): "the live preview is the respondent page",
    (
        "survey.console.answering",
        "survey.collect.answers",
    ): "the live preview reads answers as they do",
    (
        "survey.console.answering",
        "survey.collect.messages",
    ): "the live preview's end page is theirs",
    (
        "survey.console.answering",
        "survey.collect.panel",
    ): "the live preview normalises a panel code",
}

#: Modules that must import no litestar at all, not even through another module: the rules of an area.
SERVICES = ["survey.collect.service", "survey.console.service", "survey.editor.service"]


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, root)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # ``from survey import exports`` imports the package survey.exports.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        here = module_name(path, root)
        rules = {p: r for p, r in FORBIDDEN.items() if _within(here, p)}
        for line, target in imported_names(path, root):
            for rule in rules.values():
                for banned, why in rule.items():
                    if _within(target, banned) and not any(
                        _within(here, a) and _within(target, b) for a, b in ALLOWED
                    ):
                        found.append(
                            f"{path.relative_to(root.parent)}:{line} imports {target}: {why}"
                        )
    return sorted(set(found))


def test_imports_point_one_way() -> None:
    assert violations() == []


def test_the_rules_see_every_package() -> None:
    packages = {module_name(p.parent / "__init__.py") for p in PACKAGE.glob("*/__init__.py")}
    # Every package but the shared roots has rules, so a new package is a decision, not an accident.
    assert packages - set(FORBIDDEN) <= {"survey._forms", "survey._static"}, packages - set(
        FORBIDDEN
    )


def test_every_allowed_crossing_is_still_used() -> None:
    used = set()
    for path in PACKAGE.rglob("*.py"):
        here = module_name(path)
        for _, target in imported_names(path):
            used |= {(a, b) for a, b in ALLOWED if _within(here, a) and _within(target, b)}
    assert used == set(ALLOWED), set(ALLOWED) - used


@pytest.mark.parametrize("service", SERVICES)
def test_the_rules_of_an_area_import_no_web_framework(service: str) -> None:
    """The service modules are the rules; they can run (and be tested) without litestar."""
    import subprocess
    import sys

    code = (
        f"import sys; import {service}; "
        "bad = sorted(m for m in sys.modules if m == 'litestar' or m.startswith('litestar.')); "
        "print(bad[:3]); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rules_catch_a_deliberate_break(tmp_path: Path) -> None:
    """The checker itself can fail: on a copy of the package where pure code imports the database, the
    console imports a respondent module and the database layer imports litestar, each is named."""
    import shutil

    copy = tmp_path / "survey"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    (copy / "analysis" / "probe.py").write_text("from survey.db import campaigns\n")
    (copy / "console" / "probe.py").write_text("from ..collect import service\n")
    (copy / "db" / "probe.py").write_text("def f():\n    import litestar\n")
    found = violations(copy)
    assert any(v.startswith("survey/analysis/probe.py:1 imports survey.db") for v in found), found
    assert any(v.startswith("survey/console/probe.py:1 imports survey.collect") for v in found)
    assert any(v.startswith("survey/db/probe.py:2 imports litestar") for v in found)
    assert {v.split(":")[0] for v in found} == {
        "survey/analysis/probe.py",
        "survey/console/probe.py",
        "survey/db/probe.py",
    }


#: Past this many lines a module must say at its top why it stays one (issue 19).
LONG_MODULE = 800


def test_every_long_module_says_why_it_stays_one() -> None:
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LONG_MODULE:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if "One module, though long" not in docstring and "Long because" not in docstring:
            unexplained.append(str(path.relative_to(PACKAGE.parent)))
    assert unexplained == [], "say at the top why each stays one module, or split it"
