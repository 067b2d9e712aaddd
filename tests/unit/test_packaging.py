"""The package list in pyproject.toml covers every folder of the package, so installs carry all the code
and all the data, and setuptools has no folder to warn about (it warns, at length, at every install about
a folder it would import as a namespace package that the list leaves out)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def _folders(top: Path, package: str) -> set[str]:
    return {
        ".".join((package, *folder.relative_to(top).parts))
        for folder in [top, *top.rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__"
    }


def test_every_package_folder_is_listed() -> None:
    folders = _folders(REPO / "survey", "survey")
    for package, folder in SETUPTOOLS["package-dir"].items():
        folders |= _folders(REPO / folder, package)
    assert folders - set(SETUPTOOLS["packages"]) == set(), (
        "add these folders to [tool.setuptools] packages"
    )


def _folder_of(package: str) -> Path:
    for name, folder in SETUPTOOLS["package-dir"].items():
        if package == name or package.startswith(name + "."):
            return REPO / folder / Path(*package.split(".")[len(name.split(".")) :])
    return REPO.joinpath(*package.split("."))


def test_every_listed_package_is_a_folder() -> None:
    assert [p for p in SETUPTOOLS["packages"] if not _folder_of(p).is_dir()] == []


def test_every_data_folder_says_which_files_it_ships() -> None:
    data = SETUPTOOLS["package-data"]
    for package in SETUPTOOLS["packages"]:
        parts = package.split(".")
        if package in SETUPTOOLS["package-dir"] or package.startswith("survey._"):
            continue
        if not (REPO.joinpath(*parts) / "__init__.py").exists():
            assert package in data, f"{package} holds only data: name its files in package-data"
