"""Assistance applications as a spreadsheet (综合帮扶台账导出): the columns of
`/programs/assistance/?format=xlsx`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorstep.core.exports import Column
from doorstep.core.keyset import Ordering

from .models import AssistanceApplication

BY_APPLIED = Ordering("applied_on")  # newest first, ties on id (the model's own ordering)


def application_columns() -> list[Column[AssistanceApplication]]:
    return [
        Column(_("申请日期"), lambda a: a.applied_on),
        Column(_("申请人"), lambda a: a.applicant_name),
        Column(_("类型"), lambda a: a.get_kind_display()),
        Column(_("家庭类别"), lambda a: a.get_household_category_display()),
        Column(_("申请金额"), lambda a: a.amount_requested),
        Column(_("核定金额"), lambda a: a.amount_approved),
        Column(_("状态"), lambda a: a.get_status_display()),
        Column(_("决定日期"), lambda a: a.decided_on),
    ]
