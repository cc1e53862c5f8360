"""The demand list (需求清单) of an area and period, for the page and its xlsx."""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from doorstep.catalog.models import Demand
from doorstep.core.exports import Column, export_queryset
from doorstep.core.keyset import BY_ID

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


def demand_columns() -> list[Column[Demand]]:
    return [
        Column(_("受理时间"), lambda d: d.case.created_at if d.case else d.created_at),
        Column(_("社区"), lambda d: d.community.name),
        Column(_("归类"), lambda d: d.topic),
        Column(_("居民诉求"), lambda d: d.text),
        Column(_("查询码"), lambda d: d.case.tracking_code if d.case else ""),
    ]


def demands_xlsx(request: HttpRequest, qs: QuerySet[Demand], name: str) -> HttpResponseBase:
    return export_queryset(request, qs, demand_columns(), name, ordering=BY_ID)
