"""The recount written straight into the rollup tables by the database (重建汇总表):
`INSERT … SELECT` over one `UNION ALL` of the same fact queries as `recount.py`, so a rebuild
after a bulk import (the scale generator's millions of cases) moves no rows through Python."""

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES, Channel, EventKind, Responsibility, Status
from doorstep.cases.models import Case, CaseEvent, Rating

from . import facts as f
from .models import (
    ANY_CHANNEL,
    ANY_ITEM,
    ANY_WORKER,
    FLOW_METRICS,
    NO_DUE_DATE,
    DailyFlow,
    OpenStock,
)
from .recount import _day, _on_time

DIMS = ("r_community", "r_day", "r_item", "r_channel", "r_worker")


def _facts(qs: QuerySet, day: TruncDate, prefix: str = "", **counts: Count | Sum) -> QuerySet:
    """One fact's rows grouped by the flow dimensions, every metric a column (0 if not this
    fact's), in FLOW_METRICS order so that the queries can be UNIONed."""
    zero = Value(0, output_field=IntegerField())
    return (
        qs.annotate(
            r_community=F(f"{prefix}community_id"),
            r_day=day,
            r_item=Coalesce(f"{prefix}item_id", 0, output_field=IntegerField()),
            r_channel=F(f"{prefix}channel"),
            r_worker=Coalesce(f"{prefix}owner_id", 0, output_field=IntegerField()),
        )
        .values(*DIMS)
        .annotate(**{metric: counts.get(metric, zero) for metric in FLOW_METRICS})
        .values_list(*DIMS, *FLOW_METRICS)
        .order_by()
    )


def _flow_facts() -> QuerySet:
    cases = Case.objects.all()
    low = Q(attitude__lte=f.LOW_RATING_MAX) | Q(capability__lte=f.LOW_RATING_MAX)
    rejected_day = TruncDate(
        Coalesce("replied_at", "created_at"), tzinfo=timezone.get_current_timezone()
    )
    parts = [
        _facts(
            cases,
            _day("created_at"),
            received=Count("pk"),
            settled_on_spot=Count("pk", filter=Q(settled_on_spot=True)),
        ),
        _facts(
            cases.filter(resolved_at__isnull=False),
            _day("resolved_at"),
            resolved=Count("pk"),
            resolved_on_time=Count("pk", filter=_on_time("r_day")),
            resolved_first_contact=Count(
                "pk", filter=Q(responsibility=Responsibility.FIRST_RESPONDER)
            ),
        ),
        _facts(cases.filter(closed_at__isnull=False), _day("closed_at"), closed=Count("pk")),
        _facts(cases.filter(status=Status.REJECTED), rejected_day, rejected=Count("pk")),
        _facts(
            cases.filter(channel=Channel.HOTLINE, replied_at__isnull=False),
            _day("replied_at"),
            hotline_replied=Count("pk"),
            hotline_replied_on_time=Count("pk", filter=_on_time("r_day")),
        ),
        _facts(
            Rating.objects.all(),
            _day("created_at"),
            "case__",
            rated=Count("pk"),
            attitude_sum=Sum("attitude"),
            capability_sum=Sum("capability"),
            low_rated=Count("pk", filter=low),
        ),
        _facts(
            CaseEvent.objects.filter(kind=EventKind.REOPENED),
            _day("at"),
            "case__",
            reopened=Count("pk"),
        ),
    ]
    return parts[0].union(*parts[1:], all=True)


def insert_recount() -> tuple[int, int]:
    """Fill the (emptied) rollup tables from the case table; returns (flow rows, stock rows)."""
    q = connection.ops.quote_name
    flow_table, stock_table = q(DailyFlow._meta.db_table), q(OpenStock._meta.db_table)
    metrics = ", ".join(q(m) for m in FLOW_METRICS)
    sums = ", ".join(f"SUM({q(m)})" for m in FLOW_METRICS)
    key = "community_id, day, total, item_id, channel, worker_id"
    union_sql, union_params = _flow_facts().query.sql_with_params()
    stock_sql, stock_params = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .annotate(
            r_community=F("community_id"),
            r_worker=Coalesce("owner_id", 0, output_field=IntegerField()),
            r_due=Coalesce("due_date", Value(NO_DUE_DATE)),
            r_day=_day("created_at"),
        )
        .values("r_community", "r_worker", "status", "queue", "r_due", "r_day")
        .annotate(n=Count("pk"))
        .values_list("r_community", "r_worker", "status", "queue", "r_due", "r_day", "n")
        .order_by()
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {flow_table} ({key}, {metrics}) "
            f"SELECT r_community, r_day, %s, r_item, r_channel, r_worker, {sums} "
            f"FROM ({union_sql}) facts GROUP BY r_community, r_day, r_item, r_channel, r_worker",
            [False, *union_params],
        )
        detail = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {flow_table} ({key}, {metrics}) "
            f"SELECT community_id, day, %s, %s, %s, %s, {sums} FROM {flow_table} "
            "WHERE total = %s GROUP BY community_id, day",
            [True, ANY_ITEM, ANY_CHANNEL, ANY_WORKER, False],
        )
        totals = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {stock_table} "
            "(community_id, worker_id, status, queue, due_date, opened_on, count) "
            f"{stock_sql}",
            stock_params,
        )
        return detail + totals, cursor.rowcount
