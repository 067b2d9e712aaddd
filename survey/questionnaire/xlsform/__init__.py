"""XLSForm, the spreadsheet format of KoboToolbox and ODK: import into our format, and export from it.

:func:`import_xlsform` reads a workbook (``.xlsx``, ``.xls`` or ``.ods``) and returns a validated
:class:`~survey.questionnaire.model.Questionnaire` with a report: one :class:`ReportLine` per thing
the import could not carry over exactly (a skipped question type, an ignored column, a renamed key),
each naming its sheet and row. The import fails, with :class:`~survey.errors.InvalidDefinition` and
messages naming sheet and row, only where the result would be wrong: a condition (``relevant``) it
cannot translate, a reference to a question it skipped, duplicate names, a missing translation.

:func:`export_xlsform` writes a questionnaire as a workbook that pyxform converts, so that a team can
deploy it on KoboToolbox or ODK Collect. It is designed to come back unchanged through
:func:`import_xlsform`: every item keeps its fingerprint (type, texts, choices, answer key, bounds).

The mapping (``README.md`` documents it for researchers):

=========================  =====================================================================
XLSForm                    survey
=========================  =====================================================================
``text`` ``integer``       ``text`` ``integer`` ``decimal`` ``date`` ``note``, same names
``decimal`` ``date``
``note``
``select_one L``           ``choice`` (with the ``likert`` column: ``likert``, list L as scale)
``select_multiple L``      ``multi``
``acknowledge``            ``consent``; ``${c} = 'OK'`` reads as ``c == 'yes'``
``text`` + ``panel_code``  ``panel_code`` (the HMAC is computed by survey only)
``range``                  ``integer`` or ``decimal`` with ``min``/``max`` from its parameters
``begin_group``            a section (nested groups are flattened, with a report line)
``label::Name (code)``     texts in language ``code``; ``hint::`` likewise
``relevant``               ``show_if``, translated from XPath (never evaluated)
``constraint``             ``min``/``max`` (``. >= 18 and . <= 27``), ``max_length``
                           (``string-length(.) <= 12``)
``correct`` ``scoring``    the answer key of knowledge items
``reverse`` ``equivalent`` item flags
``outcomes`` sheet         ``outcomes``; a score outcome is also exported as a ``calculate``
=========================  =====================================================================

XPath is read by this module's own small tokenizer and parser, and only the subset that has an exact
meaning in our expression language is translated (``=``, ``!=``, comparisons, ``and``, ``or``,
``not()``, ``selected()``, ``count-selected(${q}) > 0``, ``string-length(${q}) > 0``,
``true()``, ``false()``, ``date('...')``). XPath compares an unanswered question as ``''`` where we
compare it as null: each translation keeps the XPath meaning (``${q} != 'a'`` becomes
``not (q == 'a')``, which is true when ``q`` is unanswered, as in ODK).

The package is split by job: :mod:`.xpath` reads XPath and translates it into our expressions,
:mod:`.importing` turns a workbook into a questionnaire, :mod:`.exporting` writes one (and our
expressions as XPath), and :mod:`.common` holds what both directions share. Callers use only the names
below; ``export_xlsform`` is the entry point the OpenRosa form server calls.
"""

from survey.questionnaire.xlsform.common import (
    EXTRA_COLUMNS,
    LANGUAGE_NAMES,
    MAX_WORKBOOK_BYTES,
    ReportLine,
    workbook_data,
)
from survey.questionnaire.xlsform.exporting import export_xlsform, show_if_to_xpath
from survey.questionnaire.xlsform.importing import import_xlsform
from survey.questionnaire.xlsform.xpath import format_expression, xpath_to_show_if
from survey.questionnaire.xlsform.yamlfile import definition_yaml

__all__ = [
    "EXTRA_COLUMNS",
    "LANGUAGE_NAMES",
    "MAX_WORKBOOK_BYTES",
    "ReportLine",
    "definition_yaml",
    "export_xlsform",
    "format_expression",
    "import_xlsform",
    "show_if_to_xpath",
    "workbook_data",
    "xpath_to_show_if",
]
