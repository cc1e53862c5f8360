"""What one case adds to the rollups: a pure function of its state, so a change is the
difference between the case's contribution after and before it (no per-event bookkeeping)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES, Channel, Responsibility, Status
from doorstep.cases.models import Case, Rating

from .models import (
    ANY_CHANNEL,
    ANY_COMMUNITY,
    ANY_ITEM,
    ANY_QUEUE,
    ANY_WORKER,
    FLOW_METRICS,
    NO_DUE_DATE,
)

# A rating this low on either dimension is a low rating (差评).
LOW_RATING_MAX = 2
FLOW_METRICS_SET = frozenset(FLOW_METRICS)

# street, community, day, monthly, total, item, channel, worker
FlowKey = tuple[int, int, date, bool, bool, int, str, int]
# community, street, worker, status, queue, due, opened
StockKey = tuple[int, int, int, str, str, date, date]
# street, community, day, monthly, topic
TopicKey = tuple[int, int, date, bool, str]
# worker, rated at, case, community, street
LowKey = tuple[int, datetime, int, int, int]
Flows = dict[FlowKey, dict[str, int]]
Stock = dict[StockKey, int]
Topics = dict[TopicKey, int]
Lows = dict[LowKey, int]


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class CaseFacts:
    """The fields of a case that the rollups read."""

    street_id: int
    community_id: int
    item_id: int
    channel: str
    worker_id: int
    status: str
    queue: str
    due_date: date | None
    created: date
    resolved: date | None
    replied: date | None
    closed: date | None
    settled_on_spot: bool
    first_contact: bool
    rating: tuple[int, int, date] | None
    topic: str | None = None  # its demand's topic while it has no item (需求清单)
    case_id: int = 0
    low_rated_at: datetime | None = None  # when it was rated low (差评)

    @property
    def dimensions(self) -> tuple[int, int, int, str, int]:
        return (self.street_id, self.community_id, self.item_id, self.channel, self.worker_id)


def _rating(case: Case) -> Rating | None:
    # Only a closed case can carry a rating (case_rate closes it; a rated case never reopens).
    if case.status != Status.CLOSED:
        return None
    if Case.rating.is_cached(case):
        return case.rating
    return Rating.objects.filter(case_id=case.pk).first()


def _topic(case: Case) -> str | None:
    """The topic of the case's demand row while the case has no item (intake writes the row
    before its event, through the case: so it is cached then)."""
    if case.item_id is not None:
        return None
    try:
        demand = case.demand
    except ObjectDoesNotExist:
        return None
    return str(demand.topic)


def case_facts(case: Case) -> CaseFacts:
    rating = _rating(case)
    return CaseFacts(
        street_id=case.street_id,
        community_id=case.community_id,
        item_id=case.item_id or 0,
        channel=case.channel,
        worker_id=case.owner_id or 0,
        status=case.status,
        queue=case.queue,
        due_date=case.due_date,
        created=local_day(case.created_at),
        resolved=local_day(case.resolved_at) if case.resolved_at else None,
        replied=local_day(case.replied_at) if case.replied_at else None,
        closed=local_day(case.closed_at) if case.closed_at else None,
        settled_on_spot=case.settled_on_spot,
        first_contact=case.responsibility == Responsibility.FIRST_RESPONDER,
        rating=(rating.attitude, rating.capability, local_day(rating.created_at))
        if rating
        else None,
        topic=_topic(case),
        case_id=case.pk,
        low_rated_at=rating.created_at
        if rating and is_low(rating.attitude, rating.capability)
        else None,
    )


def is_low(attitude: int, capability: int) -> bool:
    return min(attitude, capability) <= LOW_RATING_MAX


def on_time(day: date, due: date | None) -> bool:
    return due is None or day <= due


def flows_of(facts: CaseFacts | None, reopen_days: list[date]) -> Flows:
    """The detail rows one case counts in (totals are added by `with_rollups`)."""
    out: Flows = defaultdict(lambda: defaultdict(int))
    if facts is None:
        return out

    def add(day: date, metric: str, n: int = 1) -> None:
        out[detail_key(facts.dimensions, day)][metric] += n

    add(facts.created, "received")
    if facts.settled_on_spot:
        add(facts.created, "settled_on_spot")
    if facts.resolved is not None:
        add(facts.resolved, "resolved")
        if on_time(facts.resolved, facts.due_date):
            add(facts.resolved, "resolved_on_time")
        if facts.first_contact:
            add(facts.resolved, "resolved_first_contact")
    if facts.closed is not None:
        add(facts.closed, "closed")
    if facts.status == Status.REJECTED:
        add(facts.replied or facts.created, "rejected")
    if facts.channel == Channel.HOTLINE and facts.replied is not None:
        add(facts.replied, "hotline_replied")
        if on_time(facts.replied, facts.due_date):
            add(facts.replied, "hotline_replied_on_time")
    if facts.rating is not None:
        attitude, capability, day = facts.rating
        add(day, "rated")
        add(day, "attitude_sum", attitude)
        add(day, "capability_sum", capability)
        if is_low(attitude, capability):
            add(day, "low_rated")
    for day in reopen_days:
        add(day, "reopened")
    return out


def detail_key(dimensions: tuple[int, int, int, str, int], day: date) -> FlowKey:
    street, community, item, channel, worker = dimensions
    return (street, community, day, False, False, item, channel, worker)


def stock_of(facts: CaseFacts | None) -> Stock:
    """The case's open-stock row and its street's row (none once it is no longer open)."""
    if facts is None or facts.status not in OPEN_STATUSES:
        return {}
    due, street = facts.due_date or NO_DUE_DATE, facts.street_id
    key = (facts.community_id, street, facts.worker_id, facts.status, facts.queue, due)
    street_key = (ANY_COMMUNITY, street, ANY_WORKER, facts.status, ANY_QUEUE, due)
    return {(*key, facts.created): 1, (*street_key, facts.created): 1}


def rollup_keys(key: FlowKey) -> list[FlowKey]:
    """The total and slice rows a detail row counts in (see `DailyFlow`): the community's day
    total; the community's month total and its item, channel and worker slices; the street's
    day and month totals and their item and channel slices."""
    street, community, day, _monthly, _total, item, channel, worker = key
    month = day.replace(day=1)
    out: list[FlowKey] = [(street, community, day, False, True, ANY_ITEM, ANY_CHANNEL, ANY_WORKER)]
    for place, when, monthly in (
        (community, month, True),
        (ANY_COMMUNITY, day, False),
        (ANY_COMMUNITY, month, True),
    ):
        out += [
            (street, place, when, monthly, True, ANY_ITEM, ANY_CHANNEL, ANY_WORKER),
            (street, place, when, monthly, True, item, ANY_CHANNEL, ANY_WORKER),
            (street, place, when, monthly, True, ANY_ITEM, channel, ANY_WORKER),
        ]
        if place != ANY_COMMUNITY:
            out.append((street, place, when, monthly, True, ANY_ITEM, ANY_CHANNEL, worker))
    return out


def with_rollups(flows: Flows) -> Flows:
    """Detail rows plus every total and slice row they count in (`rollup_keys`)."""
    out: Flows = defaultdict(lambda: defaultdict(int))
    for key, metrics in flows.items():
        if key[4]:  # a total row: recomputed from the detail rows
            continue
        for target in (key, *rollup_keys(key)):
            row = out[target]
            for metric, n in metrics.items():
                row[metric] += n
    return out


def difference(after: Flows, before: Flows) -> Flows:
    out: Flows = defaultdict(lambda: defaultdict(int))
    for key, metrics in after.items():
        for metric, n in metrics.items():
            out[key][metric] += n
    for key, metrics in before.items():
        for metric, n in metrics.items():
            out[key][metric] -= n
    return {k: dict(m) for k, m in out.items() if any(m.values())}


def topic_keys(street: int, community: int, day: date, topic: str) -> list[TopicKey]:
    """The detail row of one demand case and the month and street rows it counts in."""
    month = day.replace(day=1)
    return [
        (street, community, day, False, topic),
        (street, community, month, True, topic),
        (street, ANY_COMMUNITY, day, False, topic),
        (street, ANY_COMMUNITY, month, True, topic),
    ]


def topics_of(facts: CaseFacts | None) -> Topics:
    if facts is None or facts.topic is None:
        return {}
    return dict.fromkeys(
        topic_keys(facts.street_id, facts.community_id, facts.created, facts.topic), 1
    )


def lows_of(facts: CaseFacts | None) -> Lows:
    if facts is None or facts.low_rated_at is None:
        return {}
    key = (facts.worker_id, facts.low_rated_at, facts.case_id, facts.community_id, facts.street_id)
    return {key: 1}


def count_difference(after: dict, before: dict) -> dict:
    """after − before for rows that are plain counts (topics, low ratings), non-zero only."""
    out: dict = defaultdict(int)
    for key, n in after.items():
        out[key] += n
    for key, n in before.items():
        out[key] -= n
    return {k: n for k, n in out.items() if n}


def stock_difference(after: Stock, before: Stock) -> Stock:
    out: dict[StockKey, int] = defaultdict(int)
    for key, n in after.items():
        out[key] += n
    for key, n in before.items():
        out[key] -= n
    return {k: n for k, n in out.items() if n}
