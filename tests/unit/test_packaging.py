"""The package list in pyproject.toml covers every package folder, so installs carry all the code."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_package_folder_is_listed() -> None:
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "survey").rglob("__init__.py")
    }
    assert folders - listed == set(), "add these packages to [tool.setuptools] packages"
