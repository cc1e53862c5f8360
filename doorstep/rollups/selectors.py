"""Reads of the read model for summary pages: a fixed number of grouped queries whatever the
number of communities, days or workers asked about; never a count of the case table."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Min, Q, QuerySet, Sum, Value
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doorstep.cases.choices import Status

from .models import (
    ANY_CHANNEL,
    ANY_COMMUNITY,
    ANY_ITEM,
    ANY_WORKER,
    FLOW_METRICS,
    DailyFlow,
    OpenStock,
    TopicFlow,
)

# Overdue ageing buckets (逾期账龄), in days past the promised date: (label, from, to).
AGEING_BUCKETS: tuple[tuple[Promise, int, int | None], ...] = (
    (_("1–3 天"), 1, 3),
    (_("4–7 天"), 4, 7),
    (_("8–30 天"), 8, 30),
    (_("30 天以上"), 31, None),
)
# A period up to this long is read (and charted) by day; a longer one by calendar month, with
# the days of its partial first and last months read by day.
SHORT_PERIOD_DAYS = 62
SLICE_DIMENSIONS = (("item_id", ANY_ITEM), ("channel", ANY_CHANNEL), ("worker_id", ANY_WORKER))


@dataclass
class Flow:
    """The flow figures of a set of community-days, with the rates the pages show."""

    received: int = 0
    settled_on_spot: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    resolved_first_contact: int = 0
    reopened: int = 0
    closed: int = 0
    rejected: int = 0
    hotline_replied: int = 0
    hotline_replied_on_time: int = 0
    rated: int = 0
    attitude_sum: int = 0
    capability_sum: int = 0
    low_rated: int = 0

    def add(self, row: dict[str, int | None]) -> None:
        figures = self.__dict__  # the pages add thousands of rows: no setattr per metric
        for name in FLOW_METRICS:
            if n := row.get(name):
                figures[name] += n

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def on_spot_rate(self) -> float | None:
        """即办率: settled on the spot ÷ received."""
        return self._rate(self.settled_on_spot, self.received)

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: resolved by the promised date ÷ resolved."""
        return self._rate(self.resolved_on_time, self.resolved)

    @property
    def first_contact_rate(self) -> float | None:
        """首问办结率: resolved while still with the first responder ÷ resolved."""
        return self._rate(self.resolved_first_contact, self.resolved)

    @property
    def reopen_rate(self) -> float | None:
        """重办率: re-opened ÷ resolved."""
        return self._rate(self.reopened, self.resolved)

    @property
    def hotline_on_time_rate(self) -> float | None:
        """12345 按时回复率: replies by the deadline ÷ replies."""
        return self._rate(self.hotline_replied_on_time, self.hotline_replied)

    @property
    def attitude(self) -> float | None:
        return self.attitude_sum / self.rated if self.rated else None

    @property
    def capability(self) -> float | None:
        return self.capability_sum / self.rated if self.rated else None

    @property
    def low_rate(self) -> float | None:
        return self._rate(self.low_rated, self.rated)


FLOW_SUMS = {name: Sum(name) for name in FLOW_METRICS}


def _flows(community_ids: Iterable[int], start: date, end: date, total: bool) -> QuerySet:
    return DailyFlow.objects.filter(
        community_id__in=list(community_ids),
        monthly=False,
        total=total,
        day__gte=start,
        day__lte=end,
    )


def month_spans(start: date, end: date) -> tuple[list[date], list[tuple[date, date]]]:
    """[start, end] as the first days of its whole calendar months and the day ranges left at
    either edge; a short period (≤ SHORT_PERIOD_DAYS) is all days."""
    if (end - start).days + 1 <= SHORT_PERIOD_DAYS:
        return [], [(start, end)]
    first = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    months: list[date] = []
    month = first
    while (following := (month + timedelta(days=32)).replace(day=1)) - timedelta(days=1) <= end:
        months.append(month)
        month = following
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if month <= end:
        edges.append((max(month, start), end))
    return months, edges


def _months(months: list[date]) -> Q:
    """Month rows of consecutive months as one range of days (an index range, where a list
    of days would be a filter over every month row of the street)."""
    return Q(monthly=True, day__gte=months[0], day__lte=months[-1])


def _slice(kept: str) -> Q:
    """Total rows keeping the dimension `kept` ("" for the plain total)."""
    q = Q(total=True)
    for dimension, empty in SLICE_DIMENSIONS:
        q &= ~Q(**{dimension: empty}) if dimension == kept else Q(**{dimension: empty})
    return q


@dataclass(frozen=True)
class Place:
    """Whose rows to read: a set of communities, or whole streets (their street rows)."""

    community_ids: tuple[int, ...] = ()
    street_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, community_ids: Iterable[int], street_ids: Iterable[int] = ()) -> "Place":
        return cls(tuple(community_ids), tuple(street_ids))


def flow_sums(
    place: Place,
    start: date,
    end: date,
    kept: str = "",
    by: tuple[str, ...] = (),
    metrics: tuple[str, ...] = FLOW_METRICS,
    where: Q | None = None,
) -> dict[tuple, Flow]:
    """Flow of a place over [start, end] summed by `by` (any of street_id, community_id, day,
    and `kept`: item_id, channel or worker_id; workers only for communities). One query over
    month rows for whole months and day rows for the rest, so a district's year reads a few
    thousand rows, not a row per case. Month rows group under their first day.

    Each span is its own branch of a UNION ALL (not one OR of spans): a branch is one range
    of one index, read index-only for a street slice that sums just `received`
    (`dailyflow_street_item`, `dailyflow_street_channel`); an OR would be a bitmap scan
    that visits every row of the table it matches. Pass `metrics` to sum fewer figures and
    `where` to keep only some of the kept dimension's rows (the demand-list item 0)."""
    months, edges = month_spans(start, end)
    if place.street_ids:
        rows = DailyFlow.objects.filter(community_id=ANY_COMMUNITY, street_id__in=place.street_ids)
        daily = _slice(kept)
    else:
        rows = DailyFlow.objects.filter(community_id__in=place.community_ids)
        # Communities keep only their total by day; a slice by day sums the detail rows.
        daily = _slice(kept) if not kept else Q(total=False)
    spans = [Q(monthly=False, day__gte=low, day__lte=high) & daily for low, high in edges]
    if months:
        spans.append(_months(months) & _slice(kept))
    if where is not None:
        rows = rows.filter(where)
    sums = {name: Sum(name) for name in metrics}

    def branch(span: Q) -> QuerySet:
        picked = rows.filter(span)
        keys = picked.values(*by) if by else picked.values(everything=Value(0))
        return keys.annotate(**sums).order_by()

    branches = [branch(span) for span in spans]
    grouped = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    out: dict[tuple, Flow] = {}
    for row in grouped:
        out.setdefault(tuple(row[d] for d in by), Flow()).add(row)
    return out


def topic_sums(place: Place, start: date, end: date) -> dict[str, int]:
    """Demand-list cases received over [start, end] by topic (需求清单话题): month rows for
    whole months, day rows at the edges, streets' rows for whole streets; one query."""
    months, edges = month_spans(start, end)
    if place.street_ids:
        rows = TopicFlow.objects.filter(community_id=ANY_COMMUNITY, street_id__in=place.street_ids)
    else:
        rows = TopicFlow.objects.filter(community_id__in=place.community_ids)
    spans = [Q(monthly=False, day__gte=low, day__lte=high) for low, high in edges]
    if months:
        spans.append(_months(months))
    branches = [
        rows.filter(span).values("topic").annotate(n=Sum("received")).order_by() for span in spans
    ]
    grouped = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    out: dict[str, int] = defaultdict(int)
    for row in grouped:
        out[row["topic"]] += row["n"] or 0
    return {topic: n for topic, n in out.items() if n}


def flow_total(community_ids: Iterable[int], start: date, end: date) -> Flow:
    flow = Flow()
    flow.add(_flows(community_ids, start, end, True).aggregate(**FLOW_SUMS))
    return flow


def flow_by_community(community_ids: Iterable[int], start: date, end: date) -> dict[int, Flow]:
    out: dict[int, Flow] = defaultdict(Flow)
    rows = _flows(community_ids, start, end, True).values("community_id").annotate(**FLOW_SUMS)
    for row in rows.order_by():
        out[row["community_id"]].add(row)
    return out


def flow_by_day(community_ids: Iterable[int], start: date, end: date) -> dict[date, Flow]:
    out: dict[date, Flow] = {}
    rows = _flows(community_ids, start, end, True).values("day").annotate(**FLOW_SUMS)
    for row in rows.order_by("day"):
        out.setdefault(row["day"], Flow()).add(row)
    return out


def flow_by_community_day(
    community_ids: Iterable[int], start: date, end: date
) -> dict[tuple[int, date], Flow]:
    out: dict[tuple[int, date], Flow] = {}
    rows = _flows(community_ids, start, end, True).values("community_id", "day")
    for row in rows.annotate(**FLOW_SUMS).order_by():
        out.setdefault((row["community_id"], row["day"]), Flow()).add(row)
    return out


def flow_by(
    community_ids: Iterable[int], start: date, end: date, *dimensions: str
) -> dict[tuple, Flow]:
    """Detail rows summed by any of community_id, item_id, channel, worker_id."""
    out: dict[tuple, Flow] = {}
    rows = _flows(community_ids, start, end, False).values(*dimensions).annotate(**FLOW_SUMS)
    for row in rows.order_by():
        out.setdefault(tuple(row[d] for d in dimensions), Flow()).add(row)
    return out


def flow_for_workers(
    worker_ids: Iterable[int], start: date, end: date, community_ids: Iterable[int]
) -> dict[int, Flow]:
    """By worker (the cases they own now) in those communities: month slices for whole
    months, detail rows for the days at the edges."""
    workers = set(worker_ids)
    sums = flow_sums(Place.of(community_ids), start, end, "worker_id", ("worker_id",))
    return {key[0]: flow for key, flow in sums.items() if key[0] in workers}


@dataclass
class Stock:
    """The open cases now (在办) of an area or a worker."""

    open: int = 0
    in_progress: int = 0
    overdue: int = 0
    oldest: date | None = None
    ageing: list[int] = field(default_factory=lambda: [0] * len(AGEING_BUCKETS))


def _stock(place: Place) -> QuerySet:
    if place.street_ids:
        rows = OpenStock.objects.filter(community_id=ANY_COMMUNITY, street_id__in=place.street_ids)
    else:
        rows = OpenStock.objects.filter(community_id__in=place.community_ids)
    return rows.filter(count__gt=0)


def stock_by(community_ids: Iterable[int] | Place, today: date, dimension: str) -> dict[int, Stock]:
    """Open cases by community_id, worker_id (communities) or street_id (streets): open,
    overdue, oldest intake day, ageing. One row per key, summed by the database (the due
    dates of a district's streets are thousands of rows)."""
    place = community_ids if isinstance(community_ids, Place) else Place.of(community_ids)
    ageing = {}
    for index, (_label, low, high) in enumerate(AGEING_BUCKETS):
        late = Q(due_date__lte=today - timedelta(days=low))  # NO_DUE_DATE is never late
        if high is not None:
            late &= Q(due_date__gte=today - timedelta(days=high))
        ageing[f"ageing_{index}"] = Sum("count", filter=late)
    rows = (
        _stock(place)
        .values(dimension)
        .annotate(
            n=Sum("count"),
            in_progress=Sum("count", filter=Q(status=Status.IN_PROGRESS)),
            overdue=Sum("count", filter=Q(due_date__lt=today)),
            oldest=Min("opened_on"),
            **ageing,
        )
        .order_by()
    )
    out: dict[int, Stock] = defaultdict(Stock)
    for row in rows:
        out[row[dimension]] = Stock(
            open=row["n"] or 0,
            in_progress=row["in_progress"] or 0,
            overdue=row["overdue"] or 0,
            oldest=row["oldest"],
            ageing=[row[name] or 0 for name in ageing],
        )
    return out


def stock_sum(stocks: Iterable[Stock]) -> Stock:
    """The stock of several keys together (the whole area of `stock_by`'s keys)."""
    total = Stock()
    for stock in stocks:
        total.open += stock.open
        total.in_progress += stock.in_progress
        total.overdue += stock.overdue
        if stock.oldest and (total.oldest is None or stock.oldest < total.oldest):
            total.oldest = stock.oldest
        total.ageing = [a + b for a, b in zip(total.ageing, stock.ageing, strict=True)]
    return total


def stock_total(community_ids: Iterable[int] | Place, today: date) -> Stock:
    place = community_ids if isinstance(community_ids, Place) else Place.of(community_ids)
    dimension = "street_id" if place.street_ids else "community_id"
    return stock_sum(stock_by(place, today, dimension).values())


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
