"""Exports of a campaign's responses: CSV, Excel, SPSS and the codebook, for the console and the CLI.

One row per response, the same columns in every format (:mod:`survey.exports.plan`). The modules:

=============  ==========================================================================================
``plan``       which responses and which columns (the union of the versions the waves use)
``rows``       the snapshot transaction, batches of typed rows, the outcome scores
``csv``        the CSV: answers decoded by msgspec per version, lines made a column at a time
``xlsx``       the Excel workbook (responses and codebook sheets), memory flat
``sav``        the SPSS file (the whole table in memory: pyreadstat cannot append)
``codebook``   the codebook as JSON, CSV or a sheet
``files``      one export from start to end: audit log, temporary file, download
=============  ==========================================================================================

Exports use no web code: the console's Export form and ``survey export`` both call
:func:`export_download` or :func:`export_to_path`.
"""

from survey.exports.codebook import codebook, codebook_csv, codebook_json
from survey.exports.csv import csv_chunks, write_csv
from survey.exports.files import (
    FORMATS,
    Download,
    ExportResult,
    audit_export,
    export_download,
    export_to_path,
    write_export,
)
from survey.exports.plan import Column, ExportPlan, plan_export, spss_names
from survey.exports.rows import BATCH
from survey.exports.sav import write_sav
from survey.exports.xlsx import write_xlsx

__all__ = [
    "BATCH",
    "FORMATS",
    "Column",
    "Download",
    "ExportPlan",
    "ExportResult",
    "audit_export",
    "codebook",
    "codebook_csv",
    "codebook_json",
    "csv_chunks",
    "export_download",
    "export_to_path",
    "plan_export",
    "spss_names",
    "write_csv",
    "write_export",
    "write_sav",
    "write_xlsx",
]
