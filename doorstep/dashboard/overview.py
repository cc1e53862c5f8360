"""社区概览: one card per community of the viewer's area, read from the rollups."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from doorstep.cases.choices import Channel
from doorstep.places.models import Community
from doorstep.rollups.selectors import Flow, Stock, flow_by, flow_by_community, stock_by


def today() -> date:
    return timezone.localdate()


@dataclass
class CommunityOverview:
    """One community's card on 社区概览, read from the rollups (no count of the case table)."""

    community: Community
    flow: Flow
    stock: Stock
    by_channel: list[tuple[str, int]]
    top_items: list[tuple[str, int]]


def communities_overview(communities: list[Community], since: date) -> list[CommunityOverview]:
    """Flow since `since`, open and overdue now, channel mix and top items for each community:
    five queries whatever the number of communities."""
    from doorstep.catalog.models import ServiceItem

    ids = [c.pk for c in communities]
    until = today()
    flows = flow_by_community(ids, since, until)
    stocks = stock_by(ids, until, "community_id")
    channels = flow_by(ids, since, until, "community_id", "channel")
    items = flow_by(ids, since, until, "community_id", "item_id")
    names = dict(
        ServiceItem.objects.filter(pk__in={i for _c, i in items if i}).values_list("pk", "name")
    )
    out = []
    for community in communities:
        mix = sorted(
            (
                (str(Channel(ch).label), f.received)
                for (c, ch), f in channels.items()
                if c == community.pk
            ),
            key=lambda r: -r[1],
        )
        top = sorted(
            (
                (names.get(i, ""), f.received)
                for (c, i), f in items.items()
                if c == community.pk and i and f.received
            ),
            key=lambda r: -r[1],
        )[:10]
        out.append(
            CommunityOverview(
                community=community,
                flow=flows.get(community.pk, Flow()),
                stock=stocks.get(community.pk, Stock()),
                by_channel=[r for r in mix if r[1]],
                top_items=top,
            )
        )
    return out
