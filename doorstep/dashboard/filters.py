"""The cases behind a KPI tile (指标明细): the same definitions the rollups count by."""

from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES, Channel, EventKind, Responsibility, Status
from doorstep.cases.models import Case
from doorstep.rollups.facts import LOW_RATING_MAX

from .periods import Period
from .scope import Area

KPI_FILTERS = (
    "received",
    "on_spot",
    "resolved",
    "on_time",
    "first_contact",
    "overdue",
    "open",
    "reopened",
    "rated",
    "low_rated",
    "hotline",
    "hotline_on_time",
    "demand",
    "rejected",
)


def moment(day: date) -> datetime:
    """Local midnight at the start of `day`."""
    return timezone.make_aware(datetime.combine(day, time.min))


def kpi_cases(
    cases: QuerySet[Case], area: Area, period: Period, kpi: str, today: date
) -> QuerySet[Case]:
    """`cases` (already scoped to the viewer) narrowed to the area and to what `kpi` counts."""
    qs = cases.filter(community_id__in=area.community_ids)
    if area.worker_id is not None:
        qs = qs.filter(owner_id=area.worker_id)
    lo, hi = moment(period.start), moment(period.end + timedelta(days=1))
    created = Q(created_at__gte=lo, created_at__lt=hi)
    resolved = Q(resolved_at__gte=lo, resolved_at__lt=hi)
    replied = Q(replied_at__gte=lo, replied_at__lt=hi)
    on_time = Q(due_date__isnull=True) | Q(resolved_at__date__lte=F("due_date"))
    low = Q(rating__attitude__lte=LOW_RATING_MAX) | Q(rating__capability__lte=LOW_RATING_MAX)
    rated = Q(rating__created_at__gte=lo, rating__created_at__lt=hi)
    hotline = Q(channel=Channel.HOTLINE)
    conditions = {
        "received": created,
        "on_spot": created & Q(settled_on_spot=True),
        "resolved": resolved,
        "on_time": resolved & on_time,
        "first_contact": resolved & Q(responsibility=Responsibility.FIRST_RESPONDER),
        "overdue": Q(status__in=OPEN_STATUSES, due_date__lt=today),
        "open": Q(status__in=OPEN_STATUSES),
        "rated": rated,
        "low_rated": rated & low,
        "hotline": created & hotline,
        "hotline_on_time": hotline
        & replied
        & (Q(due_date__isnull=True) | Q(replied_at__date__lte=F("due_date"))),
        "demand": created & Q(item__isnull=True),
        "rejected": replied & Q(status=Status.REJECTED),
    }
    if kpi == "reopened":
        return qs.filter(
            events__kind=EventKind.REOPENED, events__at__gte=lo, events__at__lt=hi
        ).distinct()
    return qs.filter(conditions[kpi])
