"""The columns of the volunteer lists' spreadsheets (`core/exports.py` writes them): the
activity list, the roster, and served hours in the national record's fields (全国志愿服务信息
系统: volunteer, service content, place, date, hours excluding travel, organiser). Phones and
ID numbers only masked."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.exports import Column

from .models import Activity, SignUp, Volunteer


def activity_columns() -> list[Column[Activity]]:
    return [
        Column(_("活动"), lambda a: a.title),
        Column(_("团队"), lambda a: a.team.name if a.team else ""),
        Column(_("开始时间"), lambda a: a.starts_at),
        Column(_("结束时间"), lambda a: a.ends_at),
        Column(_("服务地点"), lambda a: a.place),
        Column(_("服务内容"), lambda a: a.content),
        Column(_("组织单位"), lambda a: a.organiser),
        Column(_("时长已确认"), lambda a: _("是") if a.hours_posted_at else _("否")),
    ]


def volunteer_columns() -> list[Column[Volunteer]]:
    return [
        Column(_("姓名"), lambda v: v.resident.name),
        Column(_("手机号"), lambda v: v.resident.phone_masked),
        Column(_("身份证号（脱敏）"), lambda v: v.resident.id_number_masked),
        Column(_("特长"), lambda v: v.skills),
        Column(_("登记日期"), lambda v: v.joined_on),
    ]


def hours_columns() -> list[Column[SignUp]]:
    return [
        Column(_("志愿者"), lambda s: s.volunteer.resident.name),
        Column(_("身份证号（脱敏）"), lambda s: s.volunteer.resident.id_number_masked),
        Column(_("服务日期"), lambda s: timezone.localdate(s.shift.activity.starts_at)),
        Column(_("服务内容"), lambda s: s.shift.activity.content),
        Column(_("岗位"), lambda s: s.shift.role),
        Column(_("服务地点"), lambda s: s.shift.activity.place),
        Column(_("服务时长（小时，不含往返）"), lambda s: round(s.minutes / 60, 2)),
        Column(_("服务时长（分钟）"), lambda s: s.minutes),
        Column(_("组织单位"), lambda s: s.shift.activity.organiser),
        Column(_("已记入证明"), lambda s: _("是") if s.record_id else _("否")),
    ]
