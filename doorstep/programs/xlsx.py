"""The canteen's monthly subsidy claim to the street as an xlsx file (食堂补贴申领表)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import CanteenClaim


def claim_xlsx(claim: CanteenClaim) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{claim.month:%Y-%m}"
    sheet.append([f"{claim.community.name}社区食堂 {claim.month:%Y年%m月} 助餐补贴申领表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"申报单位：{claim.community.name}", f"报送：{claim.community.street.name}"])
    sheet.append([])
    sheet.append(["序号", "姓名", "身份证号（脱敏）", "补贴餐次", "补贴金额（元）"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for n, row in enumerate(claim.rows, start=1):
        sheet.append([n, row.resident.name, row.resident.id_number_masked, row.meals, row.subsidy])
        sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    sheet.append(["合计", "", "", claim.subsidised_meals, claim.subsidy_total])
    sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(["本月供餐总数", claim.meals, "个人支付合计", claim.paid_total])
    for column, width in zip("ABCDE", (8, 14, 24, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
