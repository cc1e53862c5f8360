"""The case list as a spreadsheet (事项台账): the same rows the page filters, phones masked."""

from collections.abc import Iterator, Sequence

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _

from doorstep.core.cells import CellValue
from doorstep.core.xlsx import xlsx_response

from .models import Case

CHUNK = 2000


def case_headers() -> list[str]:
    return [
        _("查询码"),
        _("受理时间"),
        _("社区"),
        _("受理渠道"),
        _("服务事项"),
        _("居民诉求"),
        _("联系人"),
        _("联系电话"),
        _("状态"),
        _("承诺办结日"),
        _("办结时间"),
        _("当前办理人"),
        _("当场办结"),
    ]


def case_rows(cases: QuerySet[Case]) -> Iterator[Sequence[CellValue]]:
    qs = cases.select_related("community", "item", "owner__staff").order_by("-pk")
    for case in qs.iterator(chunk_size=CHUNK):
        owner = case.owner
        yield (
            case.tracking_code,
            case.created_at,
            case.community.name,
            case.get_channel_display(),
            case.item.name if case.item else "",
            case.description,
            case.contact_name,
            case.contact_phone_masked if case.contact_phone_encrypted else "",
            case.get_status_display(),
            case.due_date,
            case.resolved_at,
            owner.staff.display_name if owner and hasattr(owner, "staff") else "",
            _("是") if case.settled_on_spot else _("否"),
        )


def cases_xlsx(cases: QuerySet[Case], name: str) -> FileResponse:
    return xlsx_response(name, case_headers(), case_rows(cases))
