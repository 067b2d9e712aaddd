"""Reading a workbook nobody vouches for: its size and shape are checked before the spreadsheet reader sees it.

An XLSForm comes from outside (an upload, a file from KoboToolbox), and the spreadsheet reader,
python-calamine, trusts it: it inflates every part it reads, and lays each sheet out as a full grid from
its first cell to its last. An 8 KB workbook with a cell at A1 and one at XFD1048576 asks it for 512 GiB,
and the process aborts; 2 MB of zip can hold 2 GiB of XML. So, before calamine sees a workbook:

* ``.xlsx`` and ``.ods`` are zip archives. The archive's directory is read first: the number of parts,
  their total size once inflated, each part's compression ratio, and the compression method. Then every
  part is inflated here, in chunks, never beyond what the directory declares for it: a part that inflates
  to more (or less) is refused, since the directory lied.
* As the sheets' XML is inflated, it is read without being built, for the place of every cell that holds
  something (with the repeats of ``.ods``): the grid calamine would lay out, from A1 to the last such
  cell, is checked against :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_CELLS`.
* ``.xls`` is not a zip archive, and its cells cannot be located without a reader of its own format. Its
  file is small (``MAX_WORKBOOK_BYTES``) and its grid at most 65,536 × 256 cells; the same limits are
  checked once calamine has read a sheet, and an import from outside runs in a child process whose memory
  and time are bounded (:mod:`survey.questionnaire.isolated`).

Cells are then read a row at a time, and the text read is counted against :data:`MAX_TEXT_CHARACTERS`
(a short text in many cells could otherwise become a large amount of memory). Every refusal is an
:class:`~survey.errors.InvalidDefinition` that names the limit it met.
"""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final
from xml.parsers import expat

from survey.errors import InvalidDefinition
from survey.questionnaire.load import problem

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_PARTS",
    "MAX_ROWS",
    "MAX_TEXT_CHARACTERS",
    "MAX_UNPACKED_BYTES",
    "check_workbook",
    "read_workbook",
]

#: Rows a sheet may have, counting down to its last cell that holds something. A long XLSForm has a few
#: hundred questions; the longest choice lists (every soum of Mongolia, every village of a province)
#: have a few thousand rows.
MAX_ROWS: Final = 50_000
#: Columns a sheet may have. A form in ten languages with labels, hints, messages and media columns
#: uses about a hundred.
MAX_COLUMNS: Final = 500
#: Cells of all the grids together (each sheet's rows times its columns, as the reader lays them out in
#: memory, about 40 bytes each): a 50,000-row choice list of 20 columns fits twice over.
MAX_CELLS: Final = 2_000_000
#: Characters of text in all the cells together, counted as they are read.
MAX_TEXT_CHARACTERS: Final = 50_000_000
#: Parts of a zip archive (an .xlsx written by Excel has about a dozen).
MAX_PARTS: Final = 1_000
#: Bytes all parts of an archive may inflate to. The shipped forms, exported as XLSForms, inflate to
#: about 70 kB; a form with a 50,000-row choice list to about 10 MB.
MAX_UNPACKED_BYTES: Final = 50_000_000
#: How many times larger than its compressed bytes a part may inflate, above RATIO_FLOOR bytes. The XML
#: of spreadsheets compresses 5 to 15 times (7 for the shipped forms); a zip bomb, a thousand times.
MAX_COMPRESSION_RATIO: Final = 100
#: Below this many bytes, any ratio is harmless (a part of empty rows can compress a thousand times).
RATIO_FLOOR: Final = 1_000_000

_CHUNK = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the name and extra field lengths at 26
_COLUMN_LETTERS = re.compile(r"([A-Za-z]{1,3})([0-9]+)")


def _refuse(message: str) -> InvalidDefinition:
    """A refusal of an archive or sheet built to harm (said in English, beside a general sentence)."""
    return InvalidDefinition(message)


def _unreadable(detail: str = "") -> InvalidDefinition:
    """Not a workbook at all: what an honest mistake (the wrong file) gets, said in the reader's language."""
    english = "not a readable workbook (.xlsx, .xls or .ods)" + (": {detail}" if detail else "")
    return InvalidDefinition([problem("", "workbook_unreadable", english, detail=detail)])


# -- the grid a sheet will become ------------------------------------------------------------------


@dataclass
class _Grid:
    """The cells that hold something in one sheet: how far they reach, and how many there are."""

    name: str
    rows: int = 0  # the number of the last row holding a cell (1 for A1), 0 when empty
    columns: int = 0
    cells: int = 0

    def add(self, row: int, column: int, rows: int = 1, columns: int = 1) -> None:
        """Cells from (row, column), 1-based, over ``rows`` × ``columns`` (the repeats of .ods)."""
        self.rows = max(self.rows, row + rows - 1)
        self.columns = max(self.columns, column + columns - 1)
        self.cells += rows * columns
        if self.rows > MAX_ROWS:
            raise _refuse(
                f'sheet "{self.name}" has a cell in row {self.rows:,}; '
                f"a sheet may have {MAX_ROWS:,} rows at most"
            )
        if self.columns > MAX_COLUMNS:
            raise _refuse(
                f'sheet "{self.name}" has a cell in column {self.columns:,}; '
                f"a sheet may have {MAX_COLUMNS:,} columns at most"
            )


def _check_area(grids: list[_Grid]) -> None:
    area = sum(grid.rows * grid.columns for grid in grids)
    if area > MAX_CELLS:
        raise _refuse(
            f"the sheets make a grid of {area:,} cells (each sheet's rows times its columns); "
            f"a workbook may have {MAX_CELLS:,} at most"
        )


# -- the XML of sheets, read as it is inflated ---------------------------------------------------------


class _XmlScan:
    """An expat parser fed chunk by chunk; element names without their namespace prefix.

    No DOCTYPE is accepted: spreadsheet XML never has one, and entities are how XML itself bombs.
    """

    def __init__(self, part: str) -> None:
        self.part = part
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._doctype

    def _doctype(self, *_: object) -> None:
        raise _refuse(f"{self.part}: a document type declaration (DOCTYPE) is not accepted")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.start(name.rpartition(":")[2], {k.rpartition(":")[2]: v for k, v in attrs.items()})

    def _end(self, name: str) -> None:
        self.end(name.rpartition(":")[2])

    def start(self, name: str, attrs: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise _refuse(f"{self.part}: not well-formed XML ({exc})") from None


def _number(text: str | None, default: int, what: str) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise _refuse(f'{what} "{text[:20]}" is not a number') from None
    if value < 1:
        raise _refuse(f"{what} {value} is not a positive number")
    return value


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


class _XlsxSheet(_XmlScan):
    """The cells of a worksheet part (``<sheetData><row><c>``): a cell counts when it has a value
    (``<v>``) or inline text (``<is>``), as calamine reads it; a styled empty ``<c/>`` does not."""

    def __init__(self, part: str, name: str) -> None:
        super().__init__(part)
        self.grid = _Grid(name)
        self.in_data = False
        self.row = 0
        self.column = 0
        self.cell: tuple[int, int] | None = None
        self.filled = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "sheetData":
            self.in_data = True
        elif not self.in_data:
            return
        elif name == "row":
            self.row = _number(attrs.get("r"), self.row + 1, "a row number")
            self.column = 0
        elif name == "c":
            reference = attrs.get("r")
            if reference is not None:
                found = _COLUMN_LETTERS.fullmatch(reference)
                if found is None:
                    raise _refuse(f'{self.part}: "{reference[:20]}" is not a cell reference')
                self.column = _column_number(found.group(1))
                self.row = _number(found.group(2), 1, "a row number")
            else:
                self.column += 1
            self.cell = (self.row, self.column)
            self.filled = False
        elif name in ("v", "is") and self.cell is not None:
            self.filled = True

    def end(self, name: str) -> None:
        if name == "sheetData":
            self.in_data = False
        elif name == "c" and self.cell is not None:
            if self.filled:
                self.grid.add(*self.cell)
            self.cell = None


class _OdsContent(_XmlScan):
    """The tables of an OpenDocument spreadsheet (``content.xml``), with their repeated rows and cells.

    A cell counts when it has a value type or any content (a paragraph); an empty cell, however often
    repeated (LibreOffice ends every row with thousands of them), does not: calamine lays out a grid
    up to the last cell that holds something, as here.
    """

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.grids: list[_Grid] = []
        self.depth = 0  # elements open inside the current cell
        self.row = 0
        self.rows = 1
        self.column = 0
        self.columns = 1
        self.filled = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.depth:
            self.depth += 1
            self.filled = True  # text, a paragraph, an annotation: something is in the cell
        elif name == "table":
            self.grids.append(_Grid(attrs.get("name", f"table {len(self.grids) + 1}")))
            self.row = 0
        elif not self.grids:
            return
        elif name == "table-row":
            self.rows = _number(attrs.get("number-rows-repeated"), 1, "a row repeat")
            self.row += 1
            self.column = 0
        elif name in ("table-cell", "covered-table-cell"):
            self.columns = _number(attrs.get("number-columns-repeated"), 1, "a column repeat")
            self.column += 1
            self.filled = "value-type" in attrs
            self.depth = 1

    def end(self, name: str) -> None:
        if self.depth > 1:
            self.depth -= 1
        elif self.depth == 1 and name in ("table-cell", "covered-table-cell"):
            self.depth = 0
            if self.filled:
                self.grids[-1].add(self.row, self.column, self.rows, self.columns)
            self.column += self.columns - 1
        elif name == "table-row" and self.grids:
            self.row += self.rows - 1


# -- zip archives ------------------------------------------------------------------------------------


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, a chunk at a time, read from the archive itself; never more than its directory
    entry declares, and refused unless it ends exactly there."""
    offset = info.header_offset
    header = data[offset : offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != _ZIP_MAGIC:
        raise _refuse(f"{info.filename}: damaged archive (no local header)")
    _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    start = offset + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise _refuse(f"{info.filename}: damaged archive (the part is cut short)")
    lied = _refuse(
        f"{info.filename}: the archive's directory does not give the part's true size "
        "(a damaged or crafted file)"
    )
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise lied
        for at in range(0, len(raw), _CHUNK):
            yield bytes(raw[at : at + _CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    for at in range(0, len(raw), _CHUNK):
        pending = bytes(raw[at : at + _CHUNK])
        while pending:
            # At most one chunk out per call: a bomb never gets further than the declared size.
            out = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                raise lied
            if out:
                yield out
            if inflater.eof:
                break
    while not inflater.eof and (out := inflater.decompress(b"", _CHUNK)):  # the buffered rest
        produced += len(out)
        if produced > info.file_size:
            raise lied
        yield out
    if not inflater.eof or produced != info.file_size:
        raise lied


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise _refuse(f"the archive has {len(infos):,} parts; a workbook may have {MAX_PARTS:,}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(
            f"the workbook unpacks to {total / 1e6:,.0f} MB; "
            f"a workbook may unpack to {MAX_UNPACKED_BYTES // 1_000_000} MB at most"
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise InvalidDefinition(
                [
                    problem(
                        "",
                        "workbook_encrypted",
                        "{part} is encrypted; save the workbook without a password",
                        part=info.filename,
                    )
                ]
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                f"{info.filename} is compressed with method {info.compress_type}; "
                "a workbook's parts are stored or deflated"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_COMPRESSION_RATIO:
            raise _refuse(
                f"{info.filename} unpacks {ratio:,.0f} times larger than it is compressed; "
                f"a part may unpack at most {MAX_COMPRESSION_RATIO} times larger"
            )


def _sheet_names(data: bytes, infos: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part → the sheet's name, from the workbook and its relationships (small parts, read
    within the limits like any other); a part not found keeps its own name in messages."""
    names: dict[str, str] = {}
    parts = {info.filename: info for info in infos}
    if "xl/workbook.xml" not in parts or "xl/_rels/workbook.xml.rels" not in parts:
        return names
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []

    class Relationships(_XmlScan):
        def start(self, name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship" and "Id" in attrs and "Target" in attrs:
                target = attrs["Target"].lstrip("/")
                targets[attrs["Id"]] = target if target.startswith("xl/") else f"xl/{target}"

    class Workbook(_XmlScan):
        def start(self, name: str, attrs: dict[str, str]) -> None:
            if name == "sheet" and "id" in attrs:
                sheets.append((attrs["id"], attrs.get("name", "")))

    for part, scan in (
        ("xl/_rels/workbook.xml.rels", Relationships),
        ("xl/workbook.xml", Workbook),
    ):
        reader = scan(part)
        for chunk in _inflate(data, parts[part]):
            reader.feed(chunk)
        reader.feed(b"", final=True)
    for rid, name in sheets:
        if rid in targets:
            names[targets[rid]] = name
    return names


def _check_archive(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _unreadable(str(exc)) from None
    _check_directory(infos)
    parts = {info.filename for info in infos}
    if "xl/workbook.bin" in parts:
        raise InvalidDefinition(
            [problem("", "workbook_xlsb", "an .xlsb workbook is not read: save it as .xlsx")]
        )
    if "xl/workbook.xml" in parts:
        kind = "xlsx"
    elif "content.xml" in parts:
        kind = "ods"
    else:
        raise _unreadable("a zip archive without a spreadsheet")
    # Every XML part is read as a worksheet could be, and content.xml as an .ods content too, whatever
    # the archive claims to be: the reader decides the format for itself.
    names = _sheet_names(data, infos) if kind == "xlsx" else {}
    grids: list[_Grid] = []
    for info in infos:
        scans: list[_XmlScan] = []
        if info.filename.lower().endswith(".xml"):
            scans.append(_XlsxSheet(info.filename, names.get(info.filename, info.filename)))
        if info.filename == "content.xml":
            scans.append(_OdsContent(info.filename))
        for chunk in _inflate(data, info):
            for scan in scans:
                scan.feed(chunk)
        for scan in scans:
            scan.feed(b"", final=True)
            if isinstance(scan, _OdsContent):
                grids.extend(scan.grids)
            elif isinstance(scan, _XlsxSheet) and scan.grid.cells:
                grids.append(scan.grid)
    _check_area(grids)
    return kind


def check_workbook(data: bytes) -> str:
    """Check a workbook against the limits before it is read; its kind: ``xlsx``, ``ods`` or ``xls``.

    Raises
    ------
    InvalidDefinition
        When it is no workbook, or meets a limit (each message names it).
    """
    if data.startswith(_ZIP_MAGIC):
        return _check_archive(data)
    if data.startswith(_CFB_MAGIC):
        return "xls"
    raise _unreadable()


# -- reading the cells --------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates as ISO dates, booleans as words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        text = str(isoformat())
        # A date cell comes as a datetime at midnight: "2024-01-01T00:00:00" means 2024-01-01.
        return text.removesuffix("T00:00:00")
    return str(value).strip()


@dataclass
class _Budget:
    characters: int = 0
    grids: list[_Grid] = field(default_factory=list)

    def spend(self, row: list[str]) -> None:
        self.characters += sum(map(len, row))
        if self.characters > MAX_TEXT_CHARACTERS:
            raise _refuse(
                f"the cells hold more than {MAX_TEXT_CHARACTERS:,} characters of text, "
                "the most a workbook may hold"
            )


def _sheet_rows(sheet: object, name: str, budget: _Budget) -> list[list[str]]:
    """A sheet's rows as text from A1 (so that row numbers are the sheet's), within the limits."""
    end = sheet.end  # type: ignore[attr-defined]
    start = sheet.start  # type: ignore[attr-defined]
    if end is None or start is None:
        return []
    grid = _Grid(name)
    grid.add(end[0] + 1, end[1] + 1)  # .xls sheets meet the limits here, read but not yet converted
    budget.grids.append(grid)
    _check_area(budget.grids)
    # iter_rows gives every row from the first, each from the range's first column: the columns before
    # it are added back, so that a cell keeps its column.
    before = [""] * start[1]
    rows = []
    for values in sheet.iter_rows():  # type: ignore[attr-defined]
        row = [*before, *map(_cell, values)]
        budget.spend(row)
        rows.append(row)
    return rows


def read_workbook(data: bytes) -> dict[str, list[list[str]]]:
    """Every sheet's cells as text, by lower-cased sheet name, keeping the sheet's row numbers.

    Raises
    ------
    InvalidDefinition
        When it is no readable workbook, or meets a limit (:func:`check_workbook`, then the rows,
        columns, cells and text of what is read).
    """
    check_workbook(data)
    import python_calamine

    budget = _Budget()
    sheets: dict[str, list[list[str]]] = {}
    try:
        workbook = python_calamine.load_workbook(io.BytesIO(data))
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            sheets[name.strip().lower()] = _sheet_rows(sheet, name, budget)
    except InvalidDefinition:
        raise
    # calamine raises its own exception classes (and a few of Python's) for every kind of damaged or
    # foreign file, and a Rust panic as a BaseException: from the user's side all mean the same thing.
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _unreadable(detail) from None
    return sheets
