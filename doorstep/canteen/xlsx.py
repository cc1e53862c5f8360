"""The canteen's monthly subsidy claim to the street as an xlsx file (食堂补贴申领表)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import CanteenClaim


def claim_xlsx(claim: CanteenClaim) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{claim.month:%Y-%m}"
    title = _("%(c)s社区食堂 %(m)s 助餐补贴申领表") % {
        "c": claim.community.name,
        "m": f"{claim.month:%Y年%m月}",
    }
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _("申报单位：%(c)s") % {"c": claim.community.name},
            _("报送：%(s)s") % {"s": claim.community.street.name},
        ]
    )
    sheet.append([])
    sheet.append([_("序号"), _("姓名"), _("身份证号（脱敏）"), _("补贴餐次"), _("补贴金额（元）")])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for n, row in enumerate(claim.rows, start=1):
        sheet.append([n, row.resident.name, row.resident.id_number_masked, row.meals, row.subsidy])
        sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    sheet.append([_("合计"), "", "", claim.subsidised_meals, claim.subsidy_total])
    sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append([_("本月供餐总数"), claim.meals, _("个人支付合计"), claim.paid_total])
    for column, width in zip("ABCDE", (8, 14, 24, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
