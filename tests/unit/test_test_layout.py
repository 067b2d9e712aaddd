"""The tests' own layout: helpers in ``tests/helpers.py``, fixtures in conftest files, no test module
importing another.

A test module that imports another runs that module's import side effects, makes its tests' helpers an
interface nobody meant to publish, and breaks when the other module is split or renamed; a fixture imported
by name (``from tests.helpers import client_fixture as client_fixture``) hides where it comes from and
overrides the conftest's one without a word. Every file under ``tests/`` is parsed (not imported), like
``test_architecture.py`` does for ``survey/``.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_fixture(node: ast.AST) -> bool:
    """Whether a function is decorated with ``pytest.fixture`` (called or not)."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target) in ("pytest.fixture", "fixture"):
            return True
    return False


def imports_of(path: Path, root: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import in the file, wherever it stands; relative imports resolved.
    ``names`` are the names taken from the module (empty for ``import module``)."""
    here = module_name(path, root)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.append((node.lineno, target, [alias.name for alias in node.names]))
    return found


def layout_problems(root: Path = TESTS) -> list[str]:
    """Every import of a test module, and every fixture imported by name or defined outside a conftest
    file, as ``path:line what``."""
    files = sorted(root.rglob("*.py"))
    fixtures = {
        module_name(path, root): {
            node.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if is_fixture(node)
        }
        for path in files
    }
    problems = []
    for path in files:
        where = path.relative_to(root.parent)
        for line, target, names in imports_of(path, root):
            # ``from tests.integration import test_console`` imports the module as well.
            modules = [target, *(f"{target}.{name}" for name in names)]
            tested = [m for m in modules if m.rsplit(".", 1)[-1].startswith("test_")]
            if tested:
                problems.append(f"{where}:{line} imports the test module {tested[0]}")
            for name in sorted(set(names) & fixtures.get(target, set())):
                problems.append(f"{where}:{line} imports the fixture {name} from {target}")
        if path.name != "conftest.py" and not path.name.startswith("test_"):
            for name in sorted(fixtures[module_name(path, root)]):
                problems.append(f"{where} defines the fixture {name} outside a conftest file")
    return problems


def test_no_test_module_imports_another_and_fixtures_live_in_conftest_files() -> None:
    assert layout_problems() == []


def test_the_layout_check_catches_a_deliberate_break(tmp_path: Path) -> None:
    """The check itself can fail: on a copy of the tests where one module imports another (absolutely,
    relatively and as a module), one imports a fixture and the helpers define one, each is named."""
    copy = tmp_path / "tests"
    shutil.copytree(TESTS, copy, ignore=shutil.ignore_patterns("__pycache__", "fixtures", "data"))
    (copy / "security" / "test_probe.py").write_text(
        "from tests.integration.test_console import MN\n"
        "from ..unit import test_xlsform\n"
        "from tests.conftest import client\n"
    )
    (copy / "unit" / "test_probe.py").write_text("def f():\n    from .test_docs import REPO\n")
    with (copy / "helpers.py").open("a") as helpers:
        helpers.write("\n\n@pytest.fixture\ndef probe() -> int:\n    return 1\n")
    assert sorted(layout_problems(copy)) == [
        "tests/helpers.py defines the fixture probe outside a conftest file",
        "tests/security/test_probe.py:1 imports the test module tests.integration.test_console",
        "tests/security/test_probe.py:2 imports the test module tests.unit.test_xlsform",
        "tests/security/test_probe.py:3 imports the fixture client from tests.conftest",
        "tests/unit/test_probe.py:2 imports the test module tests.unit.test_docs",
    ]
