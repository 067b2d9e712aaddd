"""Issue 12, findings 2 and 3: a hostile XLSForm neither kills nor swells the server, from the console's
upload or from ``survey forms import-xlsform``.

Found: an 8 KB workbook whose sheet declares the whole grid (``<dimension ref="A1:XFD1048576"/>``) and
has a cell at XFD1048576 made the reader ask for 512 GiB and the process abort; a 2 MB .xlsx holding
2 GiB of XML, or 20 million cells in 2.5 MB, drove the server from 130 MB to 2.2 GB resident in 4 s.

Every hostile workbook is built here by hand (zip parts written byte by byte where the sizes must lie or
the part is too large to compress in a test), and none is ever read by the spreadsheet reader in this
process: the checks of ``survey.questionnaire.workbook`` come first and read nothing into a grid, and
what goes further runs in a ``survey serve`` or ``survey`` subprocess. On the code before the fix, those
subprocesses die or swell, and these tests fail instead of the test run.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from html import unescape
from pathlib import Path

import httpx
import pytest

from survey.errors import InvalidDefinition
from survey.questionnaire.workbook import check_workbook, read_workbook
from tests.helpers import PASSWORD, Server

# -- building workbooks by hand -------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
    '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
    '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
    'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
    'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main">'
)
SHEET = "xl/worksheets/sheet1.xml"


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


class Part:
    """A zip part: its raw deflated bytes, and the size and CRC-32 it declares (which may lie)."""

    def __init__(self, name: str, raw: bytes, size: int, crc: int) -> None:
        self.name, self.raw, self.size, self.crc = name, raw, size, crc

    @classmethod
    def of(cls, name: str, data: bytes | str) -> Part:
        data = data.encode() if isinstance(data, str) else data
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        return cls(name, deflate.compress(data) + deflate.flush(), len(data), zlib.crc32(data))

    @classmethod
    def repeated(cls, name: str, head: bytes, body: bytes, times: int, tail: bytes) -> Part:
        """``head + body * times + tail``, deflated without ever being built: ``body`` is deflated once
        after a full flush (which resets the compressor), so its deflated bytes repeat as it does."""

        def segment(data: bytes, last: bool = False) -> bytes:
            deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
            return deflate.compress(data) + deflate.flush(
                zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
            )

        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(body, crc)
        crc = zlib.crc32(tail, crc)
        raw = segment(head) + segment(body) * times + segment(tail, last=True)
        return cls(name, raw, len(head) + len(body) * times + len(tail), crc)


def zip_of(parts: list[Part]) -> bytes:
    """A zip archive written field by field (APPNOTE.TXT 4.3.7 and 4.3.12), so that a part can be
    larger than a test could compress, or declare a size it does not have."""
    out = io.BytesIO()
    central = []
    for part in parts:
        name = part.name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, part.crc,
                              len(part.raw), part.size, len(name), 0))  # fmt: skip
        out.write(name + part.raw)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, part.crc,
                                   len(part.raw), part.size, len(name), 0, 0, 0, 0, 0,
                                   offset) + name)  # fmt: skip
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory),
                          start, 0))  # fmt: skip
    return out.getvalue()


def xlsx(sheet: Part, *extra: Part) -> bytes:
    return zip_of([
        Part.of("[Content_Types].xml", CONTENT_TYPES), Part.of("_rels/.rels", RELS),
        Part.of("xl/workbook.xml", WORKBOOK), Part.of("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet, *extra,
    ])  # fmt: skip


def sheet_of(cells: str, dimension: str = "") -> Part:
    return Part.of(
        SHEET, SHEET_HEAD + f"{dimension}<sheetData>{cells}</sheetData></worksheet>".encode()
    )


def dimension_bomb() -> bytes:
    """The whole grid declared, a cell at A1 and one at XFD1048576: about 8 KB with padding."""
    cells = (
        f'<row r="1">{text_cell("A1", "type")}{text_cell("B1", "name")}</row>'
        f'<row r="1048576">{text_cell("XFD1048576", "x" * 6000)}</row>'
    )
    return xlsx(sheet_of(cells, '<dimension ref="A1:XFD1048576"/>'))


def xml_bomb(*, lying: bool = False) -> bytes:
    """2 GiB of XML (whitespace inside the sheet's data) in about 2 MB; ``lying``: the directory
    declares 1 MB for it."""
    sheet = Part.repeated(SHEET, SHEET_HEAD + b"<sheetData>", b" " * 2**20, 2048,
                          b"</sheetData></worksheet>")  # fmt: skip
    if lying:
        sheet.size = 2**20
    return xlsx(sheet)


def cell_bomb() -> bytes:
    """20 million cells, 1,000 to a row, in about 2.5 MB."""
    row = b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>"
    return xlsx(Part.repeated(SHEET, SHEET_HEAD + b"<sheetData>", row, 20_000,
                              b"</sheetData></worksheet>"))  # fmt: skip


def ods_repeat_bomb() -> bytes:
    """One cell repeated over every column of every row: 17 billion cells in under 1 KB."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:'
        'names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:'
        'table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="survey"><table:table-row table:number-rows-'
        'repeated="1048576"><table:table-cell office:value-type="string" table:number-columns-'
        'repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    mimetype = "application/vnd.oasis.opendocument.spreadsheet"
    return zip_of([Part.of("mimetype", mimetype), Part.of("content.xml", content)])


def shared_text_bomb() -> bytes:
    """One 30,000-character text shown in 2,000 cells: 60 million characters from a few kB."""
    strings = Part.of(
        "xl/sharedStrings.xml",
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{"x" * 30_000}</t></si></sst>',
    )
    first = f'<row r="1"><c r="A1" t="s"><v>0</v></c>{text_cell("B1", "type")}</row>'
    rest = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 2001))
    return xlsx(sheet_of(first + rest), strings)


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "dimension.xlsx": (dimension_bomb, "a sheet may have 50,000 rows at most"),
    "xml-bomb.xlsx": (xml_bomb, "a workbook may unpack to 50 MB at most"),
    "lying-xml-bomb.xlsx": (
        lambda: xml_bomb(lying=True),
        "the archive's directory does not give the part's true size",
    ),
    "cells.xlsx": (cell_bomb, "a workbook may unpack to 50 MB at most"),
    "repeats.ods": (ods_repeat_bomb, "a sheet may have 50,000 rows at most"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each hostile workbook, written once to a file."""
    folder = tmp_path_factory.mktemp("hostile")
    files = {}
    for name, (build, _) in HOSTILE.items():
        files[name] = folder / name
        files[name].write_bytes(build())
    return files


def test_the_hostile_workbooks_are_as_small_as_reported(hostile: dict[str, Path]) -> None:
    sizes = {name: path.stat().st_size for name, path in hostile.items()}
    assert sizes["dimension.xlsx"] < 10_000
    assert sizes["xml-bomb.xlsx"] < 2_500_000 and sizes["cells.xlsx"] < 3_000_000
    with zipfile.ZipFile(hostile["xml-bomb.xlsx"]) as book:
        assert book.getinfo(SHEET).file_size > 2 * 10**9
    with zipfile.ZipFile(hostile["cells.xlsx"]) as book:
        assert book.getinfo(SHEET).file_size > 300 * 10**6


# -- the checks themselves (nothing read into a grid, so safe in this process) ------------------------


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_workbook_is_refused_naming_the_limit(
    hostile: dict[str, Path], name: str
) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        check_workbook(hostile[name].read_bytes())
    assert HOSTILE[name][1] in caught.value.errors[0]


@pytest.mark.parametrize(
    ("cells", "limit"),
    [
        (text_cell("A50001", "x"), "a sheet may have 50,000 rows at most"),
        (text_cell("SG1", "x"), "a sheet may have 500 columns at most"),
        (text_cell("A1", "x") + text_cell("HZ40000", "x"), "a workbook may have 2,000,000 at most"),
    ],
)
def test_rows_columns_and_cells_each_have_a_limit(cells: str, limit: str) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        check_workbook(xlsx(sheet_of(f"<row>{cells}</row>")))
    assert limit in caught.value.errors[0]
    # Just under each limit, the same shapes are fine.
    check_workbook(xlsx(sheet_of(f"<row>{text_cell('A50000', 'x')}</row>")))
    check_workbook(xlsx(sheet_of(f"<row>{text_cell('SF1', 'x')}</row>")))


def test_a_doctype_and_a_high_ratio_are_refused() -> None:
    entities = SHEET_HEAD.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaa">]><worksheet')
    with pytest.raises(InvalidDefinition, match="DOCTYPE"):
        check_workbook(xlsx(Part.of(SHEET, entities + b"<sheetData/></worksheet>")))
    padded = SHEET_HEAD + b"<sheetData>" + b" " * 5_000_000 + b"</sheetData></worksheet>"
    with pytest.raises(InvalidDefinition, match="a part may unpack at most 100 times larger"):
        check_workbook(xlsx(Part.of(SHEET, padded)))


def test_a_workbook_cannot_hide_its_sheets_behind_another_format() -> None:
    """A binary .xlsb is not read (its cells cannot be located); an .xlsx that also carries an .ods
    content has both read."""
    with pytest.raises(InvalidDefinition, match=r"\.xlsb workbook is not read"):
        check_workbook(xlsx(sheet_of(""), Part.of("xl/workbook.bin", b"\x00" * 64)))
    with zipfile.ZipFile(io.BytesIO(ods_repeat_bomb())) as bomb:
        content = Part.of("content.xml", bomb.read("content.xml"))
    with pytest.raises(InvalidDefinition, match="a sheet may have 50,000 rows at most"):
        check_workbook(xlsx(sheet_of(f"<row>{text_cell('A1', 'type')}</row>"), content))


def test_text_shown_in_many_cells_is_counted_as_it_is_read() -> None:
    data = shared_text_bomb()
    check_workbook(data)  # small, and its grid is small: only reading it shows the text
    with pytest.raises(InvalidDefinition, match="more than 50,000,000 characters of text"):
        read_workbook(data)


def test_styled_empty_cells_far_away_do_not_count() -> None:
    """Excel writes a ``<c>`` for a formatted empty cell; such a sheet is a normal form."""
    cells = (
        f'<row r="1">{text_cell("A1", "type")}</row><row r="900000"><c r="A900000" s="1"/></row>'
    )
    assert check_workbook(xlsx(sheet_of(cells))) == "xlsx"


# -- the command line, in a subprocess ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_command_line_refuses_each_in_one_line(
    hostile: dict[str, Path], name: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "survey.cli", "forms", "import-xlsform", str(hostile[name]),
         "-o", str(tmp_path / "out.yaml")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert HOSTILE[name][1] in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.yaml").exists()


# -- the console, on a running server -----------------------------------------------------------------


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(kilobytes) / 1024


def test_the_console_refuses_each_and_the_server_stays_small(
    server: Server, hostile: dict[str, Path]
) -> None:
    server.create_user("bombs@example.org", "researcher")
    with httpx.Client(base_url=server.url, timeout=120, follow_redirects=False) as client:
        client.get("/sign-in")
        signed = client.post(
            "/sign-in",
            data={"email": "bombs@example.org", "password": PASSWORD, "next": "/console",
                  "_csrf_token": client.cookies["csrftoken"]},
        )  # fmt: skip
        assert signed.status_code == 303, signed.text
        assert client.get("/console/xlsform").status_code == 200  # a CSRF token for this session
        # One ordinary upload first, so that everything an import loads is loaded before measuring.
        before_any = client.post(
            "/console/xlsform",
            data={"_csrf_token": client.cookies["csrftoken"]},
            files={"workbook": ("small.xlsx", xlsx(sheet_of("<row></row>")))},
        )
        assert before_any.status_code == 400
        before = resident_mb(server.pid)
        for name, path in hostile.items():
            refused = client.post(
                "/console/xlsform",
                data={"_csrf_token": client.cookies["csrftoken"]},
                files={"workbook": (name, path.read_bytes())},
            )
            assert refused.status_code == 400, (name, refused.status_code)
            assert HOSTILE[name][1] in unescape(refused.text)
        after = resident_mb(server.pid)
        assert client.get("/healthz").status_code == 200
    assert after - before < 100, f"resident memory {before:.0f} MB before, {after:.0f} MB after"
    print(
        f"server resident memory: {before:.0f} MB before the hostile uploads, {after:.0f} MB after"
    )
