"""A questionnaire written as a ``forms/KEY.yaml`` file, with the import report as comments on top."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec
import yaml

from survey.questionnaire.model import Questionnaire

__all__ = ["definition_yaml"]


def definition_yaml(q: Questionnaire, comments: Sequence[str] = ()) -> str:
    """A questionnaire as a ``forms/KEY.yaml`` file, with ``comments`` as ``#`` lines on top.

    The fields come in the order the format documents them (key, languages, title, description,
    sections, ...), and :func:`survey.questionnaire.load.load_definition` reads the text back equal
    to ``q``.
    """
    data = msgspec.to_builtins(q)
    order = ["key", "languages", "title", "description", "sections"]
    ordered = {name: data[name] for name in order if name in data}
    ordered.update((name, value) for name, value in data.items() if name not in ordered)
    header = "".join(f"# {line}\n" if line else "#\n" for line in _comment_lines(comments))
    body = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return header + body


class _Dumper(yaml.SafeDumper):
    """Lists of plain values on one line (``languages: [mn, en]``), as the shipped forms write them."""

    def represent_list(self, data: Any) -> yaml.Node:
        flow = all(isinstance(v, str | int | float) for v in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _Dumper.represent_list)


def _comment_lines(comments: Sequence[str]) -> Iterator[str]:
    for comment in comments:
        for line in comment.splitlines() or [""]:
            yield unicodedata.normalize("NFC", line).rstrip()
