"""The figures of one dashboard: a fixed number of rollup queries for any area and period."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from doorstep.cases.choices import Channel
from doorstep.catalog.models import Demand, ServiceItem
from doorstep.rollups.selectors import (
    AGEING_BUCKETS,
    Flow,
    Stock,
    days_between,
    flow_by,
    stock_by,
    stock_total,
)

from .periods import Period, period_for
from .scope import Area, Unit

# Below this many ratings a mean says little (样本不足).
MIN_RATINGS = 5
RANK_SIZE = 3


def score(flow: Flow) -> float:
    """综合分 for the red/black list (see the glossary)."""
    satisfaction = ((flow.attitude or 0) + (flow.capability or 0)) / 10
    return round(
        40 * (flow.on_time_rate or 0) + 40 * satisfaction + 20 * (1 - (flow.reopen_rate or 0)), 1
    )


@dataclass
class Figures:
    """A period's flow plus the two detail figures the tiles need."""

    flow: Flow
    hotline: int
    demand: int


@dataclass
class Row:
    unit: Unit
    flow: Flow
    stock: Stock
    spark: list[int]
    score: float


@dataclass
class Board:
    area: Area
    period: Period
    now: Figures
    before: Figures
    stock: Stock
    trend: list[tuple[str, int, int]]  # label, received, resolved
    channels: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    topics: list[tuple[str, int]]
    workers: list[tuple[Unit, Stock]]
    rows: list[Row]
    red: list[Row] = field(default_factory=list)
    black: list[Row] = field(default_factory=list)
    ageing_labels: tuple[str, ...] = tuple(b[0] for b in AGEING_BUCKETS)


def _detail(area: Area, period: Period, *dims: str) -> dict[tuple, Flow]:
    """Detail flow rows of the area (one worker's only at worker level) by `dims`."""
    rows = flow_by(area.community_ids, period.start, period.end, "worker_id", *dims)
    out: dict[tuple, Flow] = defaultdict(Flow)
    for (worker, *rest), flow in rows.items():
        if area.worker_id is None or worker == area.worker_id:
            target = out[tuple(rest)]
            target.add(vars(flow))
    return out


def figures(area: Area, period: Period) -> tuple[Figures, dict[tuple, Flow]]:
    by = _detail(area, period, "channel", "item_id", "day")
    flow = Flow()
    hotline = demand = 0
    for (channel, item, _day), part in by.items():
        flow.add(vars(part))
        if channel == Channel.HOTLINE:
            hotline += part.received
        if not item:
            demand += part.received
    return Figures(flow, hotline, demand), by


def _trend(period: Period, by: dict[tuple, Flow]) -> list[tuple[str, int, int]]:
    daily: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for (_channel, _item, day), flow in by.items():
        daily[day][0] += flow.received
        daily[day][1] += flow.resolved
    days = days_between(period.start, period.end)
    if len(days) <= 62:
        return [(d.strftime("%m-%d"), *daily[d]) for d in days]  # type: ignore[misc]
    months: dict[str, list[int]] = {}
    for d in days:
        bucket = months.setdefault(d.strftime("%Y-%m"), [0, 0])
        bucket[0] += daily[d][0]
        bucket[1] += daily[d][1]
    return [(label, a, b) for label, (a, b) in months.items()]


def _spark(period: Period, series: dict[date, int]) -> list[int]:
    days = days_between(period.start, period.end)
    if len(days) <= 62:
        return [series.get(d, 0) for d in days]
    months: dict[str, int] = {}
    for d in days:
        months[d.strftime("%Y-%m")] = months.get(d.strftime("%Y-%m"), 0) + series.get(d, 0)
    return list(months.values())


def _rows(area: Area, period: Period, today: date) -> list[Row]:
    if not area.children:
        return []
    by_worker = area.children[0].key == "worker"
    dim = "worker_id" if by_worker else "community_id"
    detail = flow_by(area.community_ids, period.start, period.end, dim, "day")
    stocks = stock_by(area.community_ids, today, dim)
    rows = []
    for unit in area.children:
        keys = (unit.pk,) if by_worker else unit.community_ids
        flow, stock = Flow(), Stock()
        series: dict[date, int] = defaultdict(int)
        for (key, day), part in detail.items():
            if key in keys:
                flow.add(vars(part))
                series[day] += part.received
        for key in keys:
            part_stock = stocks.get(key)
            if part_stock:
                stock.open += part_stock.open
                stock.overdue += part_stock.overdue
        rows.append(Row(unit, flow, stock, _spark(period, series), score(flow)))
    return rows


def elapsed(period: Period, today: date) -> tuple[Period, Period]:
    """The part of the period up to today, and the same number of days of the period before
    (a month two days old is compared with the first two days of last month: 同期比)."""
    current = Period(period.kind, period.start, min(period.end, today))
    previous = period.previous()
    length = current.end - current.start
    return current, Period(
        previous.kind, previous.start, min(previous.end, previous.start + length)
    )


def board(area: Area, period: Period, today: date) -> Board:
    period, previous = elapsed(period, today)
    now, by = figures(area, period)
    before = figures(area, previous)[0]
    if area.worker_id is not None:
        stock = stock_by(area.community_ids, today, "worker_id").get(area.worker_id, Stock())
    else:
        stock = stock_total(area.community_ids, today)
    channels: dict[str, int] = defaultdict(int)
    items: dict[int, int] = defaultdict(int)
    for (channel, item, _day), flow in by.items():
        channels[channel] += flow.received
        items[item] += flow.received
    category_of = dict(
        ServiceItem.objects.filter(pk__in=[i for i in items if i]).values_list(
            "pk", "category__name"
        )
    )
    categories: dict[str, int] = defaultdict(int)
    for item, n in items.items():
        categories[category_of.get(item, "") or _("未确定事项")] += n
    topics = (
        list(
            Demand.objects.filter(
                community_id__in=area.community_ids,
                case__created_at__date__gte=period.start,
                case__created_at__date__lte=period.end,
            )
            .values_list("topic")
            .annotate(n=Count("pk"))
            .order_by("-n")[:10]
        )
        if area.worker_id is None
        else []
    )
    workers: list[tuple[Unit, Stock]] = []
    if area.level in ("community", "grid"):
        load = stock_by(area.community_ids, today, "worker_id")
        workers = sorted(
            ((u, load.get(u.pk, Stock())) for u in area.children), key=lambda r: -r[1].open
        )
    rows = _rows(area, period, today)
    month_rows = _rows(area, period_for("month", min(period.end, today)), today)
    ranked = sorted((r for r in month_rows if r.flow.resolved), key=lambda r: -r.score)
    listed = min(RANK_SIZE, len(ranked) // 2)  # nobody is on both lists
    return Board(
        area=area,
        period=period,
        now=now,
        before=before,
        stock=stock,
        trend=_trend(period, by),
        channels=sorted(
            ((str(Channel(c).label), n) for c, n in channels.items() if n), key=lambda r: -r[1]
        ),
        categories=sorted(categories.items(), key=lambda r: -r[1]),
        topics=[(t, n) for t, n in topics],
        workers=workers,
        rows=rows,
        red=ranked[:listed],
        black=list(reversed(ranked[-listed:])) if listed else [],
    )
