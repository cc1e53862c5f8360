"""The rollups counted afresh from the case table: the definition they must always equal.

A handful of GROUP BY queries (one per kind of fact), merged in memory; used by `rollup
verify`, a few streets at a time (every rollup row belongs to one street), so its memory is
those streets' rows, not a district's: the whole of a 14 M-case district recounted at once
passed 15 GB and was stopped (docs/scale.md)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES, Channel, EventKind, Responsibility, Status
from doorstep.cases.models import Case, CaseEvent, Rating
from doorstep.catalog.models import Demand

from . import facts as f
from .models import ANY_COMMUNITY, ANY_QUEUE, ANY_WORKER, NO_DUE_DATE

CASE_DIMS = ("street_id", "community_id", "item_id", "channel", "owner_id")


def _day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _on_time(day_field: str = "d") -> Q:
    return Q(due_date__isnull=True) | Q(due_date__gte=F(day_field))


def _grouped(
    qs: QuerySet, day: TruncDate, dims: tuple[str, ...], **counts: Count | Sum
) -> Iterable[dict]:
    return qs.annotate(d=day).values(*dims, "d").annotate(**counts).order_by().iterator(5000)


def _add(flows: f.Flows, rows: Iterable[dict], prefix: str = "") -> None:
    """Fold one fact's grouped rows into the detail rows they count in."""
    for row in rows:
        key = f.detail_key(
            (
                row[f"{prefix}street_id"],
                row[f"{prefix}community_id"],
                row[f"{prefix}item_id"] or 0,
                row[f"{prefix}channel"],
                row[f"{prefix}owner_id"] or 0,
            ),
            row["d"],
        )
        for metric in f.FLOW_METRICS_SET:
            if row.get(metric):
                flows[key][metric] += row[metric]


def _case_facts(streets: list[int]) -> list[Iterable[dict]]:
    """The facts read off the case row itself, each grouped by the day it happened."""
    cases = Case.objects.filter(street_id__in=streets)
    rejected_day = TruncDate(
        Coalesce("replied_at", "created_at"), tzinfo=timezone.get_current_timezone()
    )
    return [
        _grouped(
            cases,
            _day("created_at"),
            CASE_DIMS,
            received=Count("pk"),
            settled_on_spot=Count("pk", filter=Q(settled_on_spot=True)),
        ),
        _grouped(
            cases.filter(resolved_at__isnull=False),
            _day("resolved_at"),
            CASE_DIMS,
            resolved=Count("pk"),
            resolved_on_time=Count("pk", filter=_on_time()),
            resolved_first_contact=Count(
                "pk", filter=Q(responsibility=Responsibility.FIRST_RESPONDER)
            ),
        ),
        _grouped(
            cases.filter(closed_at__isnull=False), _day("closed_at"), CASE_DIMS, closed=Count("pk")
        ),
        _grouped(
            cases.filter(status=Status.REJECTED), rejected_day, CASE_DIMS, rejected=Count("pk")
        ),
        _grouped(
            cases.filter(channel=Channel.HOTLINE, replied_at__isnull=False),
            _day("replied_at"),
            CASE_DIMS,
            hotline_replied=Count("pk"),
            hotline_replied_on_time=Count("pk", filter=_on_time()),
        ),
    ]


def _related_facts(streets: list[int]) -> list[Iterable[dict]]:
    """The facts of rows hanging off a case (ratings, re-open events), by the case's
    dimensions."""
    case_dims = tuple(f"case__{d}" for d in CASE_DIMS)
    low = Q(attitude__lte=f.LOW_RATING_MAX) | Q(capability__lte=f.LOW_RATING_MAX)
    return [
        _grouped(
            Rating.objects.filter(case__street_id__in=streets),
            _day("created_at"),
            case_dims,
            rated=Count("pk"),
            attitude_sum=Sum("attitude"),
            capability_sum=Sum("capability"),
            low_rated=Count("pk", filter=low),
        ),
        _grouped(
            CaseEvent.objects.filter(kind=EventKind.REOPENED, case__street_id__in=streets),
            _day("at"),
            case_dims,
            reopened=Count("pk"),
        ),
    ]


def recount_stock(streets: list[int]) -> f.Stock:
    """Open-stock rows of the streets' communities and the streets, non-zero only."""
    stock: f.Stock = defaultdict(int)
    for row in _grouped(
        Case.objects.filter(street_id__in=streets, status__in=OPEN_STATUSES),
        _day("created_at"),
        ("community_id", "street_id", "owner_id", "status", "queue", "due_date"),
        n=Count("pk"),
    ):
        due: date = row["due_date"] or NO_DUE_DATE
        status, street = row["status"], row["street_id"]
        key = (row["community_id"], street, row["owner_id"] or 0, status, row["queue"], due)
        street_key = (ANY_COMMUNITY, street, ANY_WORKER, status, ANY_QUEUE, due)
        stock[(*key, row["d"])] += row["n"]
        stock[(*street_key, row["d"])] += row["n"]
    return dict(stock)


def recount(streets: list[int]) -> tuple[f.Flows, f.Stock]:
    """The streets' flow rows (detail, totals and slices) and open-stock rows (with the
    streets' own), non-zero only."""
    flows: f.Flows = defaultdict(lambda: defaultdict(int))
    for rows in _case_facts(streets):
        _add(flows, rows)
    for rows in _related_facts(streets):
        _add(flows, rows, prefix="case__")
    totals = f.with_rollups(flows)
    return {k: dict(m) for k, m in totals.items() if any(m.values())}, recount_stock(streets)


def recount_topics(streets: list[int]) -> f.Topics:
    """The streets' demand-topic rows (detail, month and street), non-zero only: the demand
    rows of cases that still have no item, by the case's street, community and intake day."""
    topics: f.Topics = defaultdict(int)
    rows = (
        Demand.objects.filter(case__street_id__in=streets, case__item__isnull=True)
        .annotate(d=_day("case__created_at"))
        .values("case__street_id", "case__community_id", "d", "topic")
        .annotate(n=Count("pk"))
        .order_by()
        .iterator(5000)
    )
    for row in rows:
        street, community = row["case__street_id"], row["case__community_id"]
        for key in f.topic_keys(street, community, row["d"], row["topic"]):
            topics[key] += row["n"]
    return dict(topics)


LOW = Q(attitude__lte=f.LOW_RATING_MAX) | Q(capability__lte=f.LOW_RATING_MAX)


def recount_lows(streets: list[int]) -> f.Lows:
    """One low-rating row per low rating of the streets' cases, under the case's owner,
    community and street."""
    rows = Rating.objects.filter(LOW, case__street_id__in=streets).values_list(
        "case__owner_id", "created_at", "case_id", "case__community_id", "case__street_id"
    )
    return {
        (owner or 0, at, case, community, street): 1
        for owner, at, case, community, street in rows.order_by().iterator(5000)
    }
