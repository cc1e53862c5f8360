"""The streaming sheet writer (core/xlsx.py) writes cells a spreadsheet reads back as typed."""

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from doorstep.core.xlsx import MAX_CELL_TEXT, column_letters, write_xlsx

HEADERS = ["查询码", "受理时间", "诉求", "件数", "金额", "当场办结", "承诺办结日", "备注"]


def _read(
    rows: list[tuple[Any, ...]], title: str = "事项台账"
) -> tuple[Any, list[tuple[Any, ...]]]:
    buffer = io.BytesIO()
    written = write_xlsx(buffer, title, HEADERS, rows)
    assert written == len(rows)
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    return sheet, list(sheet.iter_rows(values_only=True))


def test_cells_come_back_typed_and_escaped() -> None:
    at = datetime(2026, 3, 1, 1, 30, 15, tzinfo=ZoneInfo("UTC"))
    sheet, rows = _read(
        [("K7QM-4XPD", at, '=HYPERLINK("x")', 3, Decimal("12.50"), True, date(2026, 3, 4), None)]
    )
    assert rows[0] == tuple(HEADERS)
    code, when, text, n, amount, settled, due, note = rows[1]
    assert code == "K7QM-4XPD"
    assert when == datetime(2026, 3, 1, 9, 30, 15)  # Shanghai wall-clock time
    assert text == '\'=HYPERLINK("x")'  # never a formula
    assert (n, amount, settled, note) == (3, 12.5, True, None)
    assert due == datetime(2026, 3, 4)
    assert sheet["G2"].is_date and sheet["B2"].is_date
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_text_xml_cannot_break_and_long_text_is_cut() -> None:
    _sheet, rows = _read([('a<b>&"c\x01\x1f', None, "长" * (MAX_CELL_TEXT + 10), float("nan"))])
    assert rows[1][0] == 'a<b>&"c'
    assert len(rows[1][2]) == MAX_CELL_TEXT
    assert rows[1][3] == "nan"  # not a number a spreadsheet can hold: kept as text


def test_sheet_name_keeps_to_the_rules() -> None:
    sheet, _rows = _read([], title="2026/03 [胜利路街道] 事项台账：全部记录与附表")
    assert len(sheet.title) <= 31 and not set("[]:*?/\\") & set(sheet.title)


def test_column_letters_past_z() -> None:
    assert column_letters(28)[-3:] == ["Z", "AA", "AB"]
