"""Volunteer hours as an xlsx file, in the national record's fields (全国志愿服务信息系统):
volunteer, service content, place, date, hours excluding travel, organiser."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from doorstep.core.cells import CellValue, escape_cell

from .models import SignUp


def hours_xlsx(signups: Iterable[SignUp], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("志愿服务时长")
    sheet.append([escape_cell(title)])
    sheet["A1"].font = Font(bold=True, size=14)
    header = [
        _("序号"),
        _("志愿者"),
        _("身份证号（脱敏）"),
        _("服务日期"),
        _("服务内容"),
        _("岗位"),
        _("服务地点"),
        _("服务时长（小时，不含往返）"),
        _("服务时长（分钟）"),
        _("组织单位"),
        _("已记入证明"),
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for n, s in enumerate(signups, start=1):
        activity = s.shift.activity
        row: list[CellValue] = [
            n,
            s.volunteer.resident.name,
            s.volunteer.resident.id_number_masked,
            timezone.localdate(activity.starts_at),
            activity.content,
            s.shift.role,
            activity.place,
            round(s.minutes / 60, 2),
            s.minutes,
            activity.organiser,
            _("是") if s.record_id else _("否"),
        ]
        sheet.append([escape_cell(v) for v in row])
        sheet.cell(row=sheet.max_row, column=4).number_format = "yyyy-mm-dd"
    for column, width in zip(
        "ABCDEFGHIJK", (6, 10, 22, 12, 36, 12, 24, 14, 12, 22, 10), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
