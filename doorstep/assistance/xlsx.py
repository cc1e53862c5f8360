"""Assistance applications as a spreadsheet (综合帮扶台账导出)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from doorstep.places.models import Community
from doorstep.programmes.exports import Column, export_rows

from .models import AssistanceApplication


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


def applications_xlsx(
    community: Community, applications: QuerySet[AssistanceApplication]
) -> HttpResponseBase:
    name = _("%(c)s综合帮扶台账") % {"c": community.name}
    return export_rows(name, application_columns(), applications.iterator(chunk_size=1000))
