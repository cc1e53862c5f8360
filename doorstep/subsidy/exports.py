"""The elderly-subsidy due list as a spreadsheet (待认证名单导出): the columns of
`/programs/subsidy/?format=xlsx`; ID numbers and phones masked."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from doorstep.core.exports import Column
from doorstep.core.keyset import Ordering

from .models import SubsidyEnrolment

# The due list and the proposed list read in enrolment order (a keyset needs one key; pick a
# grid to walk one grid's compounds).
BY_ENROLMENT = Ordering("id", descending=False)


def _grid(enrolment: SubsidyEnrolment) -> str:
    household = enrolment.resident.household
    grid = household.building.compound.grid if household else None
    return grid.name if grid else ""


def due_columns(today: date) -> list[Column[SubsidyEnrolment]]:
    return [
        Column(_("姓名"), lambda e: e.resident.name),
        Column(_("身份证号（脱敏）"), lambda e: e.resident.id_number_masked),
        Column(_("电话（脱敏）"), lambda e: e.resident.phone_masked),
        Column(_("年龄"), lambda e: e.resident.age_on(today)),
        Column(_("卧床"), lambda e: _("是") if e.resident.bedridden else ""),
        Column(_("住址"), lambda e: str(e.resident.household or "")),
        Column(_("网格"), _grid),
        Column(_("状态"), lambda e: e.get_status_display()),
        Column(_("提醒日期"), lambda e: e.reminded_on),
    ]
