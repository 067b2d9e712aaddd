"""Every refusal of the questionnaire editor (survey.editor.edits.Unusable) has a sentence in both languages.

The editor's code raises ``Unusable(code, english, **params)``; the console says ``error.draft_<code>``
of its catalogue, filled with the params. Read from the source, so that a refusal added without its
sentences fails here rather than showing English on a Mongolian page.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from survey.console.messages import CATALOGUE
from survey.editor import edits

EDITOR = Path(edits.__file__).resolve().parent


def raised() -> list[tuple[str, str, set[str]]]:
    """(where, code, params) of every ``Unusable(...)`` the editor's package makes."""
    found = []
    for path in sorted(EDITOR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Unusable"
            ):
                code = node.args[0]
                assert isinstance(code, ast.Constant) and isinstance(code.value, str), (
                    f"{path.name}:{node.lineno}: the code of an Unusable must be written out"
                )
                params = {k.arg for k in node.keywords if k.arg is not None}
                found.append((f"{path.name}:{node.lineno}", code.value, params))
    return found


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_editor_has_refusals_to_read() -> None:
    assert len(raised()) >= 10


@pytest.mark.parametrize(("where", "code", "params"), raised())
def test_each_refusal_has_its_sentence_in_both_languages(
    where: str, code: str, params: set[str]
) -> None:
    key = f"error.draft_{code}"
    assert key in CATALOGUE, f"{where}: no {key} in the console's catalogue"
    for lang in ("mn", "en"):
        used = fields(CATALOGUE.messages[key][lang])
        assert used <= params, (
            f"{where}: {key} in {lang} names {used - params}, which it does not give"
        )
