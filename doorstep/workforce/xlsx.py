"""Spreadsheets of the workforce area: the compliance view and the fee counter's monthly
ledger (代收台账). Every text cell goes through `doorstep/core/cells.py`."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from doorstep.core.cells import CellValue, escape_cell
from doorstep.places.models import Community

from .models import FeePayment
from .selectors import CommunityCompliance, Rule


def _book(title: str, header: list[str]) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append([escape_cell(title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    return book, sheet


def _row(values: list[CellValue]) -> list[CellValue]:
    return [escape_cell(v) for v in values]


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def compliance_xlsx(rows: list[CommunityCompliance], day: date, rule: Rule) -> bytes:
    book, sheet = _book(
        _("持证与培训情况 %(d)s") % {"d": day.isoformat()},
        [_("街道"), _("社区"), _("人数"), _("合规"), _("90天内到期"), _("已逾期"), _("学时不足")],
    )
    for r in rows:
        sheet.append(
            _row([r.street, r.community, r.workers, r.compliant, r.due, r.overdue, r.short_hours])
        )
    sheet.append([])
    sheet.append(_row([rule.label]))
    return _bytes(book)


def ledger_xlsx(community: Community, month: date, entries: list[FeePayment]) -> bytes:
    book, sheet = _book(
        _("%(c)s 代收水电费台账 %(m)s") % {"c": community.name, "m": f"{month:%Y年%m月}"},
        [
            _("序号"),
            _("收据号"),
            _("日期"),
            _("类型"),
            _("缴费人"),
            _("费用类别"),
            _("户号"),
            _("所属期"),
            _("方式"),
            _("金额（元）"),
            _("经办人"),
            _("确认人"),
            _("冲正原因"),
        ],
    )
    total = Decimal("0.00")
    for e in entries:
        total += e.signed_amount
        sheet.append(
            _row(
                [
                    e.seq,
                    e.receipt_number,
                    e.day,
                    e.get_kind_display(),
                    e.payer_name,
                    e.get_utility_display(),
                    e.account_number,
                    e.period,
                    e.get_method_display(),
                    e.signed_amount,
                    e.taken_by.staff.display_name if hasattr(e.taken_by, "staff") else "",
                    e.second_person.staff.display_name if e.second_person else "",
                    e.reason,
                ]
            )
        )
        sheet.cell(row=sheet.max_row, column=10).number_format = "0.00"
    sheet.append(_row([_("合计"), "", "", "", "", "", "", "", "", total]))
    sheet.append(_row([_("导出时间"), f"{timezone.localtime():%Y-%m-%d %H:%M}"]))
    return _bytes(book)
