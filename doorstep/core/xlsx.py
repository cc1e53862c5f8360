"""Streaming xlsx exports (台账导出): openpyxl in write-only mode (rows go to disk as they come,
memory stays flat), every text cell escaped by `cells.escape_cell`, Chinese headers, dates as
real date cells, the file sent in chunks from a temporary file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone

from .cells import CellValue, escape_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: CellValue) -> CellValue:
    # openpyxl writes date and datetime values as typed date cells with a date format; it
    # refuses time zones, so aware datetimes become local (Asia/Shanghai) wall-clock time.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return escape_cell(value)


def write_xlsx(
    target: object, title: str, headers: Sequence[str], rows: Iterable[Sequence[CellValue]]
) -> int:
    """Write one sheet to `target` (a path or binary file); returns the number of data rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([escape_cell(h) for h in headers])
    count = 0
    for row in rows:
        sheet.append([_cell(v) for v in row])
        count += 1
    book.save(target)
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
