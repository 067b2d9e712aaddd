"""The XForm a wave's field devices download, and what the values of its interviews mean.

The XForm is made by pyxform, ODK's own converter, from the wave's pinned version exported as XLSForm by
:func:`survey.questionnaire.xlsform.export_xlsform` (its public name; that module may be split, the name
stays). So the field form asks exactly what the XLSForm export describes: both languages (the
questionnaire's first one the default), the choices, ``show_if`` as ``relevant``, bounds and lengths as
``constraint``, ``required``, a consent as ``acknowledge``. Before pyxform reads the workbook, what a
device must not carry is taken out: the answer key and scoring of knowledge items (the extra columns
``correct``, ``scoring``... and the ``score_*`` calculations built from them), so that nobody can read
the right answers off a tablet. The form's ID is the wave's key (two waves on one device stay two forms)
and its version the pinned version's number, so the version changes whenever the pinned version does.

The same questionnaire always gives the same bytes, and so the same ``md5:`` hash in the form list: a
device downloads the form again only when it changed.

:func:`form_fields` goes the other way: an interview's values become the fields a web page would post
(a ``select_multiple`` answer ``"a b"`` is the two values ``a`` and ``b``, an ``acknowledge``'s ``OK``
is the consent ``yes``), so that the respondent form's one set of answer rules checks them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from survey.errors import InvalidDefinition
from survey.field.instance import Unreadable
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.xlsform import EXTRA_COLUMNS, export_xlsform

__all__ = ["ACKNOWLEDGED", "XForm", "XFormUnavailable", "build_xform", "form_fields"]

#: The value ODK gives an ``acknowledge`` question that was acknowledged.
ACKNOWLEDGED: Final = "OK"


class XFormUnavailable(Exception):
    """The questionnaire cannot be made into an XForm; the message says why (in English, from the
    XLSForm export or pyxform): a ``show_if`` XPath cannot say, for example."""


@dataclass(frozen=True, slots=True)
class XForm:
    """A wave's XForm: its bytes and what the form list says of it."""

    form_id: str
    version: str
    title: str
    xml: bytes

    @property
    def md5(self) -> str:
        """The hash the form list gives (``md5:`` and this), by which a device sees the form changed."""
        return hashlib.md5(self.xml, usedforsecurity=False).hexdigest()


def _field_workbook(q: Questionnaire, *, form_id: str, version: str) -> dict[str, Any]:
    """The XLSForm export of ``q`` as pyxform reads it, without what a device must not carry."""
    from pyxform.xls2json_backends import get_xlsform

    data, _report = export_xlsform(q, version=version)
    workbook = dataclasses.asdict(get_xlsform(io.BytesIO(data), file_type=".xlsx"))
    hidden = set(EXTRA_COLUMNS)
    # The score_* calculations compute the share of right answers: they hold the answer key.
    workbook["survey"] = [
        {column: value for column, value in row.items() if column not in hidden}
        for row in workbook["survey"]
        if row.get("type") != "calculate"
    ]
    workbook["survey_header"] = [
        {column: None for column in header if column not in hidden}
        for header in workbook["survey_header"]
    ]
    settings = workbook["settings"][0]
    settings.update(form_id=form_id, version=version)
    settings.pop("choice_lists", None)
    for header in workbook["settings_header"]:
        header.pop("choice_lists", None)
    return workbook


def build_xform(q: Questionnaire, *, form_id: str, version: str) -> XForm:
    """The XForm of ``q`` under this form ID and version (pyxform; a few hundred milliseconds).

    Raises
    ------
    XFormUnavailable
        When the XLSForm export refuses the questionnaire (a ``show_if`` with no XPath equivalent) or
        pyxform does; every shipped form converts (a test checks them all).
    """
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        workbook = _field_workbook(q, form_id=form_id, version=version)
        result = convert(workbook, pretty_print=False)
    except InvalidDefinition as exc:
        raise XFormUnavailable(exc.message) from None
    except PyXFormError as exc:
        raise XFormUnavailable(str(exc)) from None
    return XForm(
        form_id=form_id,
        version=version,
        title=q.title[q.default_language],
        xml=result.xform.encode("utf-8"),
    )


def form_fields(q: Questionnaire, values: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """An interview's values as the fields of a posted web form, by item key.

    Notes (they come as empty elements) and empty elements that are no question (a section that has
    nothing to say) are left out; an element with a value that is no question of the form is refused.

    Raises
    ------
    Unreadable
        For a value of an element that is no question of this form, or a question sent twice.
    """
    fields: dict[str, list[str]] = {}
    for name, texts in values.items():
        try:
            item = q.item(name)
        except KeyError:
            if any(text.strip() for text in texts):
                raise Unreadable("unknown_element", params={"name": name[:60]}) from None
            continue
        if not item.answerable:
            continue
        if len(texts) > 1:
            raise Unreadable("repeated_element", params={"name": name})
        text = texts[0]
        if item.type == "multi":
            fields[name] = text.split()
        elif item.type == "consent":
            fields[name] = ["yes" if text.strip() == ACKNOWLEDGED else text]
        else:
            fields[name] = [text]
    return fields
