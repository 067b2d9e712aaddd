"""Reading workbooks: cells keep the sheet's row and column numbers, and ordinary files pass the checks.

(Hostile workbooks, and each limit, are in tests/security/test_workbook_bombs.py.)
"""

from __future__ import annotations

import io
import zipfile

import xlsxwriter

from survey.questionnaire.workbook import check_workbook, read_workbook

ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
    'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
    '<office:spreadsheet><table:table table:name="Survey">{rows}</table:table></office:spreadsheet>'
    "</office:body></office:document-content>"
)

MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
    'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
    'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def cell(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def ods(rows: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", ODS_CONTENT.format(rows=rows))
    return buffer.getvalue()


def test_a_sheet_starting_further_down_and_right_keeps_its_cell_places() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("survey")
    sheet.write("C5", "type")
    sheet.write("D5", "name")
    sheet.write("C6", 12)
    book.close()
    data = buffer.getvalue()
    assert check_workbook(data) == "xlsx"
    rows = read_workbook(data)["survey"]
    assert len(rows) == 6 and rows[:4] == [["", "", "", ""]] * 4
    assert rows[4] == ["", "", "type", "name"] and rows[5] == ["", "", "12", ""]


def test_an_ods_as_libreoffice_writes_it_passes_the_checks() -> None:
    """LibreOffice ends each row with the empty rest of its columns and the sheet with the empty rest
    of its rows, repeated: empty, they make no grid."""
    rows = (
        f"<table:table-row>{cell('type')}{cell('name')}"
        '<table:table-cell table:number-columns-repeated="1022"/></table:table-row>'
        f"<table:table-row>{cell('text')}<table:table-cell/>{cell('q')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    data = ods(rows)
    assert check_workbook(data) == "ods"
    assert read_workbook(data)["survey"] == [["type", "name", ""], ["text", "", "q"]]
