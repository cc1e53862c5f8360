"""The programme lists as spreadsheets (`?format=xlsx`, 台账导出): the list's own rows, scope and
filters, written by `core/xlsx.py` (write-only, streamed from a temporary file) with every text
cell escaped by `core/cells.py`.

The names follow the shared list-export pattern being added to `core/exports.py` (`Column`,
`wants_xlsx`, `export_rows`): once that is on main, import them from there and delete this file.
Masking personal data is each column's job (`resident.phone_masked`, never the decrypted value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from doorstep.core.cells import CellValue
from doorstep.core.xlsx import xlsx_response

R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One spreadsheet column: its Chinese header and how to read it from a row."""

    header: str
    value: Callable[[R], CellValue]


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def export_rows(filename: str, columns: Sequence[Column[R]], rows: Iterable[R]) -> HttpResponseBase:
    cells: Iterator[list[CellValue]] = ([c.value(r) for c in columns] for r in rows)
    return xlsx_response(filename, [str(c.header) for c in columns], cells)
