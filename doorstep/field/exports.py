"""Field lists as spreadsheets (走访台账, 流动服务点台账): the rows the page filters."""

from django.utils.translation import gettext as _

from doorstep.core.exports import Column

from .models import HomeVisit, MobileDeskSession


def _staff_name(user: object) -> str:
    staff = getattr(user, "staff", None)
    return staff.display_name if staff is not None else ""


def visit_columns() -> list[Column[HomeVisit]]:
    return [
        Column(_("走访日期"), lambda v: v.visited_on),
        Column(_("住户"), lambda v: str(v.household)),
        Column(_("居民"), lambda v: v.resident.name if v.resident else ""),
        Column(_("联系电话"), lambda v: v.resident.phone_masked if v.resident else ""),
        Column(_("走访原因"), lambda v: v.reason),
        Column(_("结果"), lambda v: v.get_outcome_display()),
        Column(_("走访人"), lambda v: _staff_name(v.visitor)),
        Column(_("走访记录"), lambda v: v.note),
        Column(_("事项查询码"), lambda v: v.case.tracking_code if v.case else ""),
    ]


def session_columns() -> list[Column[MobileDeskSession]]:
    return [
        Column(_("日期"), lambda s: s.date),
        Column(_("开始"), lambda s: s.starts_at.strftime("%H:%M")),
        Column(_("结束"), lambda s: s.ends_at.strftime("%H:%M")),
        Column(_("小区"), lambda s: s.compound.name),
        Column(_("工作人员"), lambda s: "、".join(_staff_name(u) for u in s.staff.all())),
        Column(_("备注"), lambda s: s.note),
    ]
