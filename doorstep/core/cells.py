"""Spreadsheet cells that cannot run: the one escape every xlsx/CSV export uses.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return, which
some spreadsheet programs strip before reading the rest) is read as a formula by Excel, WPS
and LibreOffice — ``=HYPERLINK(…)`` in a 12345 order number would become a live link. We
prefix such text with an apostrophe, the convention those programs show as plain text.
Numbers, dates and booleans pass through unchanged (they are typed cells, not text).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CellValue = str | int | float | Decimal | date | datetime | bool | None


def escape_cell(value: CellValue) -> CellValue:
    """Return ``value`` safe to write into a spreadsheet cell (text never starts a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
