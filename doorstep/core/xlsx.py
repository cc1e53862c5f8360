"""Streaming xlsx exports (台账导出): one sheet written straight into the zip as it comes (memory
stays flat), every text cell escaped by `cells.escape_cell`, Chinese headers in a frozen first
row, dates and times as real date cells, the file sent in chunks from a temporary file.

The sheet XML is written here rather than through openpyxl: openpyxl builds a cell object and
an element per cell and spent 43 s of CPU on 100,000 case rows (bench/xlsx.py), over the 30 s
an export may take; these few templates write the same cells (inline strings, numbers,
booleans, dates with a date format) in a fraction of that. openpyxl still reads them back in the
tests, and imports (12345 files) still go through it.
"""

from __future__ import annotations

import itertools
import math
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import FileResponse
from django.utils import timezone

from .cells import CellValue, escape_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_EPOCH = date(1899, 12, 30)
# A cell holds at most 32,767 characters; XML 1.0 forbids most control characters.
MAX_CELL_TEXT = 32_767
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
FLUSH_ROWS = 500
# Data rows per sheet: a sheet holds 1,048,576 rows; a round million reads better.
SHEET_ROWS = 1_000_000
PROGRESS_ROWS = 10_000

# Cell styles (xl/styles.xml cellXfs): 0 plain, 1 date, 2 date and time, 3 bold header.
STYLE_DATE = 1
STYLE_DATETIME = 2
STYLE_HEADER = 3

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_SHEET = '<sheet name="{name}" sheetId="{n}" r:id="rId{rid}"/>'
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "{sheets}</Relationships>"
)
_WORKBOOK_SHEET_REL = (
    '<Relationship Id="rId{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
_SHEET_FOOT = "</sheetData></worksheet>"


def column_letters(n: int) -> list[str]:
    """A, B, … Z, AA, … for the first `n` columns."""
    out = []
    for index in range(1, n + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        out.append(name)
    return out


_XML_SPECIAL = re.compile(r"[&<>]")
_XML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _text(value: str) -> str:
    """Text as XML character data: control characters dropped, cut to a cell's limit, `& < >`
    escaped (the common case, plain text, passes through two regex scans untouched)."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT]
    if _XML_SPECIAL.search(value):
        value = _XML_SPECIAL.sub(lambda m: _XML_ENTITIES[m[0]], value)
    return value


_NUMBER = (int, float, Decimal)


def _cell_xml(ref: str, value: CellValue, style: int = 0) -> str:
    """One `<c>` element; None is an empty cell (nothing written). Text is tested first: most
    cells are text, and the type tests run once per cell, a million times a sheet."""
    if isinstance(value, str):
        if not value:
            return ""
        return _text_xml(ref, _text(str(escape_cell(value))), style)
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            # Spreadsheets know no time zones: local (Asia/Shanghai) wall-clock time.
            value = value.astimezone(timezone.get_default_timezone())
        days = (value.date() - EXCEL_EPOCH).days
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{days + seconds / 86400!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, _NUMBER) and math.isfinite(value):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return _text_xml(ref, _text(str(value)), style)


def _text_xml(ref: str, text: str, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_name(title: str, number: int = 1) -> str:
    """The sheet's name: the title (at most 31 characters, none of `[]:*?/\\`); the second
    and later sheets of a long export end in "(2)", "(3)" …"""
    suffix = f" ({number})" if number > 1 else ""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip("'")[: 31 - len(suffix)].strip()
    return escape((name or "Sheet") + suffix, {'"': "&quot;"})


def _write_sheet(
    sheet: IO[bytes],
    letters: list[str],
    headers: Sequence[str],
    rows: Iterator[Sequence[CellValue]],
    limit: int,
    on_row: Callable[[], None],
) -> int:
    """Write the header and up to `limit` rows of `rows` into one sheet part."""
    head = "".join(
        _cell_xml(f"{letter}1", h, STYLE_HEADER) for letter, h in zip(letters, headers, strict=True)
    )
    parts = [_SHEET_HEAD, f'<row r="1">{head}</row>']
    count = 0
    for row in itertools.islice(rows, limit):
        count += 1
        number = count + 1
        cells = "".join(
            _cell_xml(f"{letter}{number}", value)
            for letter, value in zip(letters, row, strict=False)
        )
        parts.append(f'<row r="{number}">{cells}</row>')
        if len(parts) >= FLUSH_ROWS:
            sheet.write("".join(parts).encode())
            parts = []
        on_row()
    parts.append(_SHEET_FOOT)
    sheet.write("".join(parts).encode())
    return count


def write_xlsx(
    target: str | IO[bytes],
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    *,
    sheet_rows: int | None = None,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write the rows to `target` (a path or binary file), `sheet_rows` (SHEET_ROWS) to a
    sheet (a sheet holds at most 1,048,576 rows: a longer export continues on "title (2)" …,
    each with the header row); `progress(rows so far)` is called every PROGRESS_ROWS rows.
    Returns the number of data rows."""
    letters = column_letters(len(headers))
    sheet_rows = sheet_rows or SHEET_ROWS
    source = iter(rows)
    count = 0

    def on_row() -> None:
        nonlocal count
        count += 1
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        sheets = 0
        while True:
            sheets += 1
            part = f"xl/worksheets/sheet{sheets}.xml"
            with book.open(part, "w", force_zip64=True) as sheet:
                written = _write_sheet(sheet, letters, headers, source, sheet_rows, on_row)
            if written < sheet_rows:
                break
            peek = next(source, None)
            if peek is None:
                break
            source = itertools.chain([peek], source)
        numbers = range(1, sheets + 1)
        book.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)),
        )
        book.writestr("_rels/.rels", _ROOT_RELS)
        listed = "".join(
            _WORKBOOK_SHEET.format(name=_sheet_name(title, n), n=n, rid=n + 1) for n in numbers
        )
        book.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=listed))
        rels = "".join(_WORKBOOK_SHEET_REL.format(n=n, rid=n + 1) for n in numbers)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(sheets=rels))
        book.writestr("xl/styles.xml", _STYLES)
    return count


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[CellValue]]
) -> FileResponse:
    """The rows as a downloaded .xlsx (Chinese file name kept for browsers via RFC 5987)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(spool, filename, headers, rows)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response
