"""The figures of one dashboard: a fixed number of rollup queries for any area and period."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from doorstep.cases.choices import Channel
from doorstep.catalog.models import ServiceItem
from doorstep.rollups.selectors import (
    AGEING_BUCKETS,
    SHORT_PERIOD_DAYS,
    Flow,
    Place,
    Stock,
    days_between,
    flow_by,
    flow_sums,
    stock_by,
    stock_sum,
    stock_total,
    topic_sums,
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

    @property
    def ageing_labels(self) -> tuple[str, ...]:
        # Read in the request's language (a class-level default was fixed at import, in Chinese).
        return tuple(str(b[0]) for b in AGEING_BUCKETS)


def place_of(area: Area) -> Place:
    """The district and a street read their streets' rows; smaller areas their communities'."""
    return Place.of(area.community_ids, area.street_ids)


@dataclass
class Breakdown:
    """A period's flow of an area by day (month rows under their first day), channel and item."""

    by_day: dict[date, Flow]
    by_channel: dict[str, Flow]
    by_item: dict[int, Flow]

    def total(self) -> Flow:
        flow = Flow()
        for part in self.by_day.values():
            flow.add(vars(part))
        return flow


def _worker_breakdown(area: Area, period: Period) -> Breakdown:
    """One worker's cases: the detail rows of their community (one community, so few)."""
    rows = flow_by(
        area.community_ids, period.start, period.end, "worker_id", "channel", "item_id", "day"
    )
    out = Breakdown(defaultdict(Flow), defaultdict(Flow), defaultdict(Flow))
    for (worker, channel, item, day), flow in rows.items():
        if worker == area.worker_id:
            out.by_day[day].add(vars(flow))
            out.by_channel[channel].add(vars(flow))
            out.by_item[item].add(vars(flow))
    return out


def breakdown(area: Area, period: Period) -> Breakdown:
    """Three grouped queries (by day, channel, item) for any area and period; the channel and
    item figures are counts received only."""
    if area.worker_id is not None:
        return _worker_breakdown(area, period)
    place, start, end = place_of(area), period.start, period.end
    received = ("received",)  # all the channel and item figures shown are counts received
    return Breakdown(
        by_day={k[0]: f for k, f in flow_sums(place, start, end, "", ("day",)).items()},
        by_channel={
            k[0]: f
            for k, f in flow_sums(place, start, end, "channel", ("channel",), received).items()
        },
        by_item={
            k[0]: f
            for k, f in flow_sums(place, start, end, "item_id", ("item_id",), received).items()
        },
    )


def figures(area: Area, period: Period) -> tuple[Figures, Breakdown]:
    parts = breakdown(area, period)
    hotline = sum(f.received for c, f in parts.by_channel.items() if c == Channel.HOTLINE)
    demand = sum(f.received for i, f in parts.by_item.items() if not i)
    return Figures(parts.total(), hotline, demand), parts


def previous_figures(area: Area, period: Period) -> Figures:
    """The figures alone (the tiles' 上期), without the breakdown: the total, the 12345
    channel and the demand-list item 0, not every day, channel and item (the district's
    ~90 items by street and month are its largest read)."""
    if area.worker_id is not None:
        return figures(area, period)[0]
    place, start, end = place_of(area), period.start, period.end
    total = flow_sums(place, start, end).get((), Flow())
    hotline = flow_sums(place, start, end, "channel", (), ("received",), Q(channel=Channel.HOTLINE))
    demand = flow_sums(place, start, end, "item_id", (), ("received",), Q(item_id=0))
    return Figures(total, hotline.get((), Flow()).received, demand.get((), Flow()).received)


def _trend(period: Period, parts: Breakdown) -> list[tuple[str, int, int]]:
    daily: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, flow in parts.by_day.items():
        daily[day][0] += flow.received
        daily[day][1] += flow.resolved
    days = days_between(period.start, period.end)
    if len(days) <= SHORT_PERIOD_DAYS:
        return [(d.strftime("%m-%d"), daily[d][0], daily[d][1]) for d in days]
    months: dict[str, list[int]] = {}
    for d in days:
        bucket = months.setdefault(d.strftime("%Y-%m"), [0, 0])
        bucket[0] += daily[d][0]
        bucket[1] += daily[d][1]
    return [(label, a, b) for label, (a, b) in months.items()]


def _spark(period: Period, series: dict[date, int]) -> list[int]:
    """One point a day for a short period, a month for a longer one (month rows key on their
    first day, which lies inside the period like every edge day)."""
    start, end = period.start, period.end
    if period.days <= SHORT_PERIOD_DAYS:
        points = [0] * period.days
        for day, n in series.items():
            points[(day - start).days] += n
        return points
    points = [0] * ((end.year - start.year) * 12 + end.month - start.month + 1)
    for day, n in series.items():
        points[(day.year - start.year) * 12 + day.month - start.month] += n
    return points


def _children_place(area: Area) -> tuple[Place, str, str]:
    """Whose rows the comparison table reads: (place, the key by which, the slice kept)."""
    kind = area.children[0].key
    if kind == "street":  # the district: its streets' rows
        return Place.of((), area.street_ids), "street_id", ""
    if kind == "worker":
        return Place.of(area.community_ids), "worker_id", "worker_id"
    return Place.of(area.community_ids), "community_id", ""


def _rows(area: Area, period: Period, stocks: dict[int, Stock]) -> list[Row]:
    """The comparison table: the children's flow (`_children_place`) and their `stocks`."""
    if not area.children:
        return []
    kind = area.children[0].key
    place, dim, kept = _children_place(area)
    by_key: dict[int, list[tuple[date, Flow]]] = defaultdict(list)
    for (key, day), part in flow_sums(place, period.start, period.end, kept, (dim, "day")).items():
        by_key[key].append((day, part))
    rows = []
    for unit in area.children:
        keys = unit.community_ids if kind == "community" else (unit.pk,)
        flow, stock = Flow(), Stock()
        series: dict[date, int] = defaultdict(int)
        for key in keys:
            for day, part in by_key.get(key, ()):
                flow.add(vars(part))
                series[day] += part.received
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


def _categories(items: dict[int, int]) -> list[tuple[str, int]]:
    """Cases received by catalogue category (from their items), most first."""
    category_of = dict(
        ServiceItem.objects.filter(pk__in=[i for i in items if i]).values_list(
            "pk", "category__name"
        )
    )
    categories: dict[str, int] = defaultdict(int)
    for item, n in items.items():
        categories[category_of.get(item, "") or _("未确定事项")] += n
    return sorted(categories.items(), key=lambda r: -r[1])


def _top_topics(area: Area, period: Period) -> list[tuple[str, int]]:
    """The ten most frequent demand-list topics (需求清单高频话题) of the period, from the
    demand-topic rollup (`rollups.models.TopicFlow`)."""
    counts = topic_sums(place_of(area), period.start, period.end)
    return sorted(counts.items(), key=lambda r: (-r[1], r[0]))[:10]


def board(area: Area, period: Period, today: date) -> Board:
    period, previous = elapsed(period, today)
    now, parts = figures(area, period)
    before = previous_figures(area, previous)
    # The children's open stock, read once for the table of the period and of the month.
    child_stocks: dict[int, Stock] = {}
    if area.children:
        child_place, dim, _kept = _children_place(area)
        child_stocks = stock_by(child_place, today, dim)
    if area.worker_id is not None:
        stock = stock_by(area.community_ids, today, "worker_id").get(area.worker_id, Stock())
    elif area.level == "district":  # its children are its streets: their stock is its own
        stock = stock_sum(child_stocks.values())
    else:
        stock = stock_total(place_of(area), today)
    channels = {c: f.received for c, f in parts.by_channel.items()}
    categories = _categories({i: f.received for i, f in parts.by_item.items()})
    topics = _top_topics(area, period) if area.worker_id is None else []
    workers: list[tuple[Unit, Stock]] = []
    if area.level in ("community", "grid"):
        load = child_stocks  # the children of a community or grid are its workers
        workers = sorted(
            ((u, load.get(u.pk, Stock())) for u in area.children), key=lambda r: -r[1].open
        )
    rows = _rows(area, period, child_stocks)
    month = period_for("month", min(period.end, today))
    month = Period(month.kind, month.start, min(month.end, today))
    same = (month.start, month.end) == (period.start, period.end)
    month_rows = rows if same else _rows(area, month, child_stocks)
    ranked = sorted((r for r in month_rows if r.flow.resolved), key=lambda r: -r.score)
    listed = min(RANK_SIZE, len(ranked) // 2)  # nobody is on both lists
    return Board(
        area=area,
        period=period,
        now=now,
        before=before,
        stock=stock,
        trend=_trend(period, parts),
        channels=sorted(
            ((str(Channel(c).label), n) for c, n in channels.items() if n), key=lambda r: -r[1]
        ),
        categories=categories,
        topics=topics,
        workers=workers,
        rows=rows,
        red=ranked[:listed],
        black=list(reversed(ranked[-listed:])) if listed else [],
    )
