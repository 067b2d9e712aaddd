"""The questionnaire loader's problems as a console page says them: the one way a
:class:`survey.questionnaire.load.Problem` becomes a sentence in the reader's language.

Every page that shows the loader's problems (the editor and its live preview, the publish page, a new
draft from a file, the XLSForm import) turns them into :class:`ProblemView` here. Each problem's code names
its sentence in the catalogue (``problem.<code>``, survey/console/problem_messages.py), in Mongolian and in
English alike; the loader's own English line stays what ``survey forms check`` prints. The place stays
beside the sentence: the path in the definition, or the sheet and row of a workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from survey.console.messages import CATALOGUE, language_name

__all__ = ["ProblemView", "problem_views"]


@dataclass(frozen=True, slots=True)
class ProblemView:
    """A rule broken, as the page says it: ``text`` a whole sentence in the page's language, ``where``
    the place it is about (a path in the definition, or a sheet and row), shown beside it as code."""

    text: str
    where: str = ""


def problem_views(t: Callable[..., str], problems: Iterable[str]) -> tuple[ProblemView, ...]:
    """The loader's problems in the language ``t`` speaks.

    A line that is no :class:`~survey.questionnaire.load.Problem` (a message from outside the loader) is
    shown as it is, after a sentence saying that a rule is broken.
    """
    views = []
    for problem in problems:
        code = getattr(problem, "code", "")
        if not code:
            views.append(ProblemView(t("problem.uncoded"), str(problem)))
            continue
        params: Mapping[str, object] = problem.params  # type: ignore[attr-defined]
        where = problem.path  # type: ignore[attr-defined]
        sheet = params.get("sheet")
        if sheet is not None:
            # A problem the XLSForm importer located in its workbook.
            row = params.get("row")
            at = (
                t("problem.at_sheet", sheet=sheet)
                if row is None
                else t("problem.at_row", sheet=sheet, row=row)
            )
            where = " · ".join(
                [at, *(str(v) for v in (params.get("list"), params.get("field")) if v)]
            )
        views.append(ProblemView(t(f"problem.{code}", **_said(t, params)), where))
    return tuple(views)


def _said(t: Callable[..., str], params: Mapping[str, object]) -> dict[str, object]:
    """The parameters with the loader's own words said in the page's language: a language by its name,
    an item type and msgspec's value types by the catalogue's words for them."""
    said = dict(params)
    if "language" in said:
        said["language"] = language_name(str(said["language"]))
    if "type" in said and f"type.{said['type']}" in CATALOGUE:
        said["type"] = t(f"type.{said['type']}")
    for name in ("expected", "got"):
        if name in said:
            words = [_value_type(t, w) for w in str(said[name]).split("|")]
            said[name] = f" {t('value_type.or')} ".join(words)
    return said


def _value_type(t: Callable[..., str], name: str) -> str:
    key = f"value_type.{name}"
    return t(key) if key in CATALOGUE else name
