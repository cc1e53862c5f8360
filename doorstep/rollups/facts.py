"""What one case adds to the rollups: a pure function of its state, so a change is the
difference between the case's contribution after and before it (no per-event bookkeeping)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES, Channel, Responsibility, Status
from doorstep.cases.models import Case, Rating

from .models import ANY_CHANNEL, ANY_ITEM, ANY_WORKER, FLOW_METRICS, NO_DUE_DATE

# A rating this low on either dimension is a low rating (差评).
LOW_RATING_MAX = 2
FLOW_METRICS_SET = frozenset(FLOW_METRICS)

FlowKey = tuple[int, date, bool, int, str, int]  # community, day, total, item, channel, worker
StockKey = tuple[int, int, str, str, date, date]  # community, worker, status, queue, due, opened
Flows = dict[FlowKey, dict[str, int]]
Stock = dict[StockKey, int]


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class CaseFacts:
    """The fields of a case that the rollups read."""

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

    @property
    def dimensions(self) -> tuple[int, int, str, int]:
        return (self.community_id, self.item_id, self.channel, self.worker_id)


def _rating(case: Case) -> Rating | None:
    # Only a closed case can carry a rating (case_rate closes it; a rated case never reopens).
    if case.status != Status.CLOSED:
        return None
    if Case.rating.is_cached(case):
        return case.rating
    return Rating.objects.filter(case_id=case.pk).first()


def case_facts(case: Case) -> CaseFacts:
    rating = _rating(case)
    return CaseFacts(
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
    )


def on_time(day: date, due: date | None) -> bool:
    return due is None or day <= due


def flows_of(facts: CaseFacts | None, reopen_days: list[date]) -> Flows:
    """The detail rows one case counts in (totals are added by `with_totals`)."""
    out: Flows = defaultdict(lambda: defaultdict(int))
    if facts is None:
        return out
    community, item, channel, worker = facts.dimensions

    def add(day: date, metric: str, n: int = 1) -> None:
        out[(community, day, False, item, channel, worker)][metric] += n

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
        if min(attitude, capability) <= LOW_RATING_MAX:
            add(day, "low_rated")
    for day in reopen_days:
        add(day, "reopened")
    return out


def stock_of(facts: CaseFacts | None) -> Stock:
    if facts is None or facts.status not in OPEN_STATUSES:
        return {}
    key = (
        facts.community_id,
        facts.worker_id,
        facts.status,
        facts.queue,
        facts.due_date or NO_DUE_DATE,
        facts.created,
    )
    return {key: 1}


def with_totals(flows: Flows) -> Flows:
    """Add each community-day's total row (总计行) to detail rows."""
    out: Flows = defaultdict(lambda: defaultdict(int))
    for key, metrics in flows.items():
        community, day, total, *_ = key
        if total:
            continue
        total_key = (community, day, True, ANY_ITEM, ANY_CHANNEL, ANY_WORKER)
        for metric, n in metrics.items():
            out[key][metric] += n
            out[total_key][metric] += n
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


def stock_difference(after: Stock, before: Stock) -> Stock:
    out: dict[StockKey, int] = defaultdict(int)
    for key, n in after.items():
        out[key] += n
    for key, n in before.items():
        out[key] -= n
    return {k: n for k, n in out.items() if n}
