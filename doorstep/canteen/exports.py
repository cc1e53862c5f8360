"""The canteen's spreadsheets: the day's meal list (用餐名单, the columns of
`/programs/canteen/?format=xlsx`, written by `core/exports`) and the monthly subsidy claim to
the street (食堂补贴申领表), a printed form with its own layout. Every text cell goes through
`core/cells.escape_cell`; ID numbers and phones are masked."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from doorstep.core.cells import CellValue, escape_cell
from doorstep.core.exports import Column
from doorstep.core.keyset import Ordering

from .models import Meal
from .selectors import CanteenClaim

BY_RECORDED = Ordering("id", descending=False)  # the day's meals in the order they were taken


def meal_columns() -> list[Column[Meal]]:
    return [
        Column(_("日期"), lambda m: m.day),
        Column(_("姓名"), lambda m: m.resident.name),
        Column(_("电话（脱敏）"), lambda m: m.resident.phone_masked),
        Column(_("送餐"), lambda m: _("是") if m.delivered else ""),
        Column(_("餐标"), lambda m: m.price),
        Column(_("街道补贴"), lambda m: m.subsidy),
        Column(_("送餐费"), lambda m: m.delivery_fee),
        Column(_("个人支付"), lambda m: m.paid),
    ]


def _append(sheet: Worksheet, values: Sequence[CellValue]) -> None:
    """The claim keeps its printed layout (title, bold totals), so it is built in memory — it
    has one row per subsidised resident of one community — but its cells are escaped alike."""
    sheet.append([escape_cell(v) for v in values])


def claim_xlsx(claim: CanteenClaim) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{claim.month:%Y-%m}"
    title = _("%(c)s社区食堂 %(m)s 助餐补贴申领表") % {
        "c": claim.community.name,
        "m": f"{claim.month:%Y年%m月}",
    }
    _append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(
        sheet,
        [
            _("申报单位：%(c)s") % {"c": claim.community.name},
            _("报送：%(s)s") % {"s": claim.community.street.name},
        ],
    )
    _append(sheet, [])
    _append(
        sheet, [_("序号"), _("姓名"), _("身份证号（脱敏）"), _("补贴餐次"), _("补贴金额（元）")]
    )
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for n, row in enumerate(claim.rows, start=1):
        _append(
            sheet, [n, row.resident.name, row.resident.id_number_masked, row.meals, row.subsidy]
        )
        sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    _append(sheet, [_("合计"), "", "", claim.subsidised_meals, claim.subsidy_total])
    sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _append(sheet, [])
    _append(sheet, [_("本月供餐总数"), claim.meals, _("个人支付合计"), claim.paid_total])
    for column, width in zip("ABCDE", (8, 14, 24, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
