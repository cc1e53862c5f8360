"""The case list as a spreadsheet (事项台账): the same rows the page filters, phones masked."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from doorstep.core.exports import Column, export_queryset
from doorstep.core.keyset import NEWEST_FIRST, Ordering

from .models import Case


def _owner(case: Case) -> str:
    owner = case.owner
    return owner.staff.display_name if owner and hasattr(owner, "staff") else ""


def case_columns() -> list[Column[Case]]:
    return [
        Column(_("查询码"), lambda c: c.tracking_code),
        Column(_("受理时间"), lambda c: c.created_at),
        Column(_("社区"), lambda c: c.community.name),
        Column(_("受理渠道"), lambda c: c.get_channel_display()),
        Column(_("服务事项"), lambda c: c.item.name if c.item else ""),
        Column(_("居民诉求"), lambda c: c.description),
        Column(_("联系人"), lambda c: c.contact_name),
        Column(
            _("联系电话"),
            lambda c: c.contact_phone_masked if c.contact_phone_encrypted else "",
        ),
        Column(_("状态"), lambda c: c.get_status_display()),
        Column(_("承诺办结日"), lambda c: c.due_date),
        Column(_("办结时间"), lambda c: c.resolved_at),
        Column(_("当前办理人"), _owner),
        Column(_("当场办结"), lambda c: _("是") if c.settled_on_spot else _("否")),
    ]


def cases_xlsx(
    request: HttpRequest, cases: QuerySet[Case], name: str, ordering: Ordering = NEWEST_FIRST
) -> HttpResponseBase:
    qs = cases.select_related("community", "item", "owner__staff")
    return export_queryset(request, qs, case_columns(), name, ordering=ordering)
