"""社区概览: one card per community of the viewer's area, read from the rollups; the district
sees one row per street (from the streets' rows) and opens a street for its communities."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from doorstep.cases.choices import Channel
from doorstep.places.models import Community, Street
from doorstep.rollups.selectors import Flow, Place, Stock, flow_sums, stock_by

TOP_ITEMS = 10
RECEIVED = ("received",)  # the channel mix and top items are counts received


def today() -> date:
    return timezone.localdate()


@dataclass
class CommunityOverview:
    """One card (a community) or row (a street) of 社区概览, read from the rollups."""

    community: Community | Street
    flow: Flow
    stock: Stock
    by_channel: list[tuple[str, int]]
    top_items: list[tuple[str, int]]


def _overview(place: Place, dim: str, since: date) -> tuple[dict, dict, dict, dict, dict]:
    """Flow, stock, channel mix and items by `dim` (community_id or street_id): five queries
    whatever the number of communities or streets."""
    from doorstep.catalog.models import ServiceItem

    until = today()
    flows = {k[0]: f for k, f in flow_sums(place, since, until, "", (dim,)).items()}
    stocks = stock_by(place, until, dim)
    channels: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for (key, channel), f in flow_sums(
        place, since, until, "channel", (dim, "channel"), RECEIVED
    ).items():
        if f.received:
            channels[key].append((str(Channel(channel).label), f.received))
    item_counts = flow_sums(place, since, until, "item_id", (dim, "item_id"), RECEIVED)
    names = dict(
        ServiceItem.objects.filter(pk__in={i for _k, i in item_counts if i}).values_list(
            "pk", "name"
        )
    )
    items: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for (key, item), f in item_counts.items():
        if item and f.received:
            items[key].append((names.get(item, ""), f.received))
    return flows, stocks, channels, items, names


def _cards(units: list, flows: dict, stocks: dict, channels: dict, items: dict) -> list:
    return [
        CommunityOverview(
            community=unit,
            flow=flows.get(unit.pk, Flow()),
            stock=stocks.get(unit.pk, Stock()),
            by_channel=sorted(channels.get(unit.pk, []), key=lambda r: -r[1]),
            top_items=sorted(items.get(unit.pk, []), key=lambda r: -r[1])[:TOP_ITEMS],
        )
        for unit in units
    ]


def communities_overview(communities: list[Community], since: date) -> list[CommunityOverview]:
    """Flow since `since`, open and overdue now, channel mix and top items for each community
    (month rows for whole months, day rows at the edges)."""
    flows, stocks, channels, items, _names = _overview(
        Place.of(c.pk for c in communities), "community_id", since
    )
    return _cards(communities, flows, stocks, channels, items)


def streets_overview(streets: list[Street], since: date) -> list[CommunityOverview]:
    """The flow and open stock of whole streets, from their street rows (the district's
    view: two queries). The channel mix and top items are on each street's own page; by day
    they would be ~100 item rows per street-day to sum."""
    place = Place.of((), [s.pk for s in streets])
    until = today()
    flows = {k[0]: f for k, f in flow_sums(place, since, until, "", ("street_id",)).items()}
    return _cards(streets, flows, stock_by(place, until, "street_id"), {}, {})
