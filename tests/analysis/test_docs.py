"""docs/analysis.md describes every public function of the analysis modules (a test that reads the code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.analysis import (
    adjustment,
    effects,
    multiplicity,
    power,
    reliability,
    scoring,
    subgroups,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysis.md"


@pytest.mark.parametrize(
    "module", [adjustment, effects, multiplicity, power, reliability, scoring, subgroups]
)
def test_every_public_function_is_in_the_methods_document(module: object) -> None:
    text = DOC.read_text(encoding="utf-8")
    # Functions only (not result types); the frame builders parse answers and compute nothing.
    names = [
        n
        for n in module.__all__
        if callable(getattr(module, n)) and n[0].islower() and not n.startswith("frame_from")
    ]
    missing = [n for n in names if f"`{n}" not in text]
    assert missing == [], f"docs/analysis.md does not describe {missing} of {module.__name__}"
