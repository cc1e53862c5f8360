"""The demand list (需求清单) of an area and period, for the page and its xlsx."""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _

from doorstep.catalog.models import Demand
from doorstep.core.xlsx import xlsx_response

from .filters import moment
from .periods import Period
from .scope import Area


def demand_rows(area: Area, period: Period) -> QuerySet[Demand]:
    """Demands whose case was received in the period (newest first)."""
    qs = Demand.objects.filter(
        community_id__in=area.community_ids,
        case__created_at__gte=moment(period.start),
        case__created_at__lt=moment(period.end + timedelta(days=1)),
    )
    if area.worker_id is not None:
        qs = qs.filter(case__owner_id=area.worker_id)
    return qs.select_related("community", "case").order_by("-pk")


def demands_xlsx(qs: QuerySet[Demand], name: str) -> FileResponse:
    headers = [_("受理时间"), _("社区"), _("归类"), _("居民诉求"), _("查询码")]
    rows = (
        (
            d.case.created_at if d.case else d.created_at,
            d.community.name,
            d.topic,
            d.text,
            d.case.tracking_code if d.case else "",
        )
        for d in qs.iterator(chunk_size=2000)
    )
    return xlsx_response(name, headers, rows)
