"""The recount written straight into the rollup tables by the database (重建汇总表):
`INSERT … SELECT` over one `UNION ALL` of the same fact queries as `recount.py`, so a rebuild
after a bulk import (the scale generator's millions of cases) moves no rows through Python."""

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES, Channel, EventKind, Responsibility, Status
from doorstep.cases.models import Case, CaseEvent, Rating
from doorstep.catalog.models import Demand

from . import facts as f
from .models import (
    ANY_CHANNEL,
    ANY_COMMUNITY,
    ANY_ITEM,
    ANY_QUEUE,
    ANY_WORKER,
    FLOW_METRICS,
    NO_DUE_DATE,
    DailyFlow,
    LowRating,
    OpenStock,
    TopicFlow,
)
from .recount import _day, _on_time

DIMS = ("r_street", "r_community", "r_day", "r_item", "r_channel", "r_worker")
ROW = (
    "r_street",
    "r_community",
    "r_day",
    "r_monthly",
    "r_total",
    "r_item",
    "r_channel",
    "r_worker",
)
TOPIC_ROW = ("r_street", "r_community", "r_day", "r_monthly", "topic")
FLOW_COLUMNS = ("street_id", "community_id", "day", "monthly", "total", "item_id", "channel")
DETAIL = Q(total=False)
COMMUNITY_DAY = Q(total=True, monthly=False, community_id__gt=ANY_COMMUNITY)
STREET_DAY = Q(total=True, monthly=False, community_id=ANY_COMMUNITY)
# The total and slice rows (`facts.rollup_keys`), each summed from finer rows already written:
# (source rows, community or street rows, monthly, the one dimension kept or "").
DERIVED: tuple[tuple[Q, bool, bool, str], ...] = (
    (DETAIL, True, False, ""),
    (COMMUNITY_DAY, True, True, ""),
    (DETAIL, True, True, "item_id"),
    (DETAIL, True, True, "channel"),
    (DETAIL, True, True, "worker_id"),
    (COMMUNITY_DAY, False, False, ""),
    (DETAIL, False, False, "item_id"),
    (DETAIL, False, False, "channel"),
    (STREET_DAY & Q(item_id=ANY_ITEM, channel=ANY_CHANNEL), False, True, ""),
    (STREET_DAY & ~Q(item_id=ANY_ITEM), False, True, "item_id"),
    (STREET_DAY & ~Q(channel=ANY_CHANNEL), False, True, "channel"),
)


def _facts(qs: QuerySet, day: TruncDate, prefix: str = "", **counts: Count | Sum) -> QuerySet:
    """One fact's rows grouped by the flow dimensions, every metric a column (0 if not this
    fact's), in FLOW_METRICS order so that the queries can be UNIONed."""
    zero = Value(0, output_field=IntegerField())
    return (
        qs.annotate(
            r_street=F(f"{prefix}street_id"),
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


def _kept(dimension: str, kept: str, empty: int | str) -> F | Expression:
    if dimension == kept:
        return F(dimension)
    output = CharField() if isinstance(empty, str) else IntegerField()
    return Value(empty, output_field=output)


def _summed_place_and_day(community: bool, monthly: bool) -> dict[str, F | Expression]:
    """Where and when a row summed from finer rollup rows stands: its street, its community
    (or `ANY_COMMUNITY` for a street row), its day (or the first of its month) and whether it
    is monthly. The flow totals and slices and the topic families share these four columns."""
    return {
        "r_street": F("street_id"),
        "r_community": F("community_id")
        if community
        else Value(ANY_COMMUNITY, output_field=IntegerField()),
        "r_day": TruncMonth("day", output_field=DateField()) if monthly else F("day"),
        "r_monthly": Value(monthly, output_field=BooleanField()),
    }


def _derived(source: Q, community: bool, monthly: bool, kept: str) -> QuerySet:
    """The rows of one total or slice family, summed from `source` rows, in column order."""
    return (
        DailyFlow.objects.filter(source)
        .annotate(
            **_summed_place_and_day(community, monthly),
            r_total=Value(True, output_field=BooleanField()),
            r_item=_kept("item_id", kept, ANY_ITEM),
            r_channel=_kept("channel", kept, ANY_CHANNEL),
            r_worker=_kept("worker_id", kept, ANY_WORKER),
        )
        .values(*ROW)
        .annotate(**{f"s_{m}": Sum(m) for m in FLOW_METRICS})
        .values_list(*ROW, *(f"s_{m}" for m in FLOW_METRICS))
        .order_by()
    )


def _stock_sql() -> tuple[str, tuple]:
    return (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .annotate(
            r_community=F("community_id"),
            r_street=F("street_id"),
            r_worker=Coalesce("owner_id", 0, output_field=IntegerField()),
            r_due=Coalesce("due_date", Value(NO_DUE_DATE)),
            r_day=_day("created_at"),
        )
        .values("r_community", "r_street", "r_worker", "status", "queue", "r_due", "r_day")
        .annotate(n=Count("pk"))
        .values_list(
            "r_community", "r_street", "r_worker", "status", "queue", "r_due", "r_day", "n"
        )
        .order_by()
        .query.sql_with_params()
    )


def _street_stock_sql() -> tuple[str, tuple]:
    return (
        OpenStock.objects.filter(community_id__gt=ANY_COMMUNITY)
        .annotate(
            r_community=Value(ANY_COMMUNITY, output_field=IntegerField()),
            r_street=F("street_id"),
            r_worker=Value(ANY_WORKER, output_field=IntegerField()),
            r_queue=Value(ANY_QUEUE, output_field=CharField()),
        )
        .values("r_community", "r_street", "r_worker", "status", "r_queue", "due_date", "opened_on")
        .annotate(n=Sum("count"))
        .values_list(
            "r_community",
            "r_street",
            "r_worker",
            "status",
            "r_queue",
            "due_date",
            "opened_on",
            "n",
        )
        .order_by()
        .query.sql_with_params()
    )


def insert_recount() -> tuple[int, int]:
    """Fill the (emptied) rollup tables from the case table; returns (flow rows, stock rows)."""
    q = connection.ops.quote_name
    flow_table, stock_table = q(DailyFlow._meta.db_table), q(OpenStock._meta.db_table)
    metrics = ", ".join(q(m) for m in FLOW_METRICS)
    sums = ", ".join(f"SUM({q(m)})" for m in FLOW_METRICS)
    key = ", ".join((*FLOW_COLUMNS, "worker_id"))
    union_sql, union_params = _flow_facts().query.sql_with_params()
    stock_columns = "community_id, street_id, worker_id, status, queue, due_date, opened_on, count"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {flow_table} ({key}, {metrics}) "
            f"SELECT r_street, r_community, r_day, %s, %s, r_item, r_channel, r_worker, {sums} "
            f"FROM ({union_sql}) facts "
            "GROUP BY r_street, r_community, r_day, r_item, r_channel, r_worker "
            # In the unique key's order: a community's days lie together in the heap, so a
            # read of a street's detail rows over a month touches few pages, not one a row.
            "ORDER BY r_community, r_day, r_street, r_item, r_channel, r_worker",
            [False, False, *union_params],
        )
        flows = cursor.rowcount
        for family in DERIVED:
            sql, params = _derived(*family).query.sql_with_params()
            cursor.execute(f"INSERT INTO {flow_table} ({key}, {metrics}) {sql}", params)
            flows += cursor.rowcount
        stock_rows = 0
        for sql, params in (_stock_sql(), _street_stock_sql()):
            cursor.execute(f"INSERT INTO {stock_table} ({stock_columns}) {sql}", params)
            stock_rows += cursor.rowcount
        return flows, stock_rows


def _topic_detail_sql() -> tuple[str, tuple]:
    return (
        Demand.objects.filter(case__isnull=False, case__item__isnull=True)
        .annotate(
            r_street=F("case__street_id"),
            r_community=F("case__community_id"),
            r_day=_day("case__created_at"),
            r_monthly=Value(False, output_field=BooleanField()),
        )
        .values(*TOPIC_ROW)
        .annotate(n=Count("pk"))
        .values_list(*TOPIC_ROW, "n")
        .order_by()
        .query.sql_with_params()
    )


def _topic_derived_sql(source: Q, community: bool, monthly: bool) -> tuple[str, tuple]:
    """One family of topic rows summed from `source` rows (see `facts.topic_keys`)."""
    return (
        TopicFlow.objects.filter(source)
        .annotate(**_summed_place_and_day(community, monthly))
        .values(*TOPIC_ROW)
        .annotate(n=Sum("received"))
        .values_list(*TOPIC_ROW, "n")
        .order_by()
        .query.sql_with_params()
    )


def insert_topics() -> int:
    """Fill the (emptied) demand-topic table from the demand rows; returns its rows."""
    table = connection.ops.quote_name(TopicFlow._meta.db_table)
    detail = Q(monthly=False, community_id__gt=ANY_COMMUNITY)
    street_day = Q(monthly=False, community_id=ANY_COMMUNITY)
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in (
            _topic_detail_sql(),
            _topic_derived_sql(detail, True, True),
            _topic_derived_sql(detail, False, False),
            _topic_derived_sql(street_day, False, True),
        ):
            cursor.execute(
                f"INSERT INTO {table} (street_id, community_id, day, monthly, topic, received) "
                f"{sql}",
                params,
            )
            rows += cursor.rowcount
    return rows


def insert_lows() -> int:
    """Fill the (emptied) low-rating table from the ratings; returns its rows."""
    from .recount import LOW

    sql, params = (
        Rating.objects.filter(LOW)
        .annotate(
            r_worker=Coalesce("case__owner_id", 0, output_field=IntegerField()),
            r_one=Value(1, output_field=IntegerField()),
        )
        .values_list(
            "r_worker", "created_at", "case_id", "case__community_id", "case__street_id", "r_one"
        )
        .order_by()
        .query.sql_with_params()
    )
    table = connection.ops.quote_name(LowRating._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (worker_id, rated_at, case_id, community_id, street_id, count) "
            f"{sql}",
            params,
        )
        return cursor.rowcount
