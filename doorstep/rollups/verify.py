"""Checking the read model (汇总核对): `doorstep rollup verify` recounts the rollups from the
case table a few streets at a time and names the first stored figure that differs."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Sum

from doorstep.places.models import Community, Street

from . import facts as f
from .models import (
    ANY_CHANNEL,
    ANY_COMMUNITY,
    ANY_ITEM,
    FLOW_METRICS,
    STREET_TOTAL,
    DailyFlow,
    LowRating,
    OpenStock,
    TopicFlow,
)
from .recount import recount, recount_lows, recount_topics
from .services import FLOW_KEY, LOW_KEY, STOCK_KEY, TOPIC_KEY

BATCH = 5000  # stored rows read per round trip


def _stored_flows(rows: QuerySet[DailyFlow]) -> f.Flows:
    stored: f.Flows = {}
    for row in rows.values_list(*FLOW_KEY, *FLOW_METRICS).iterator(BATCH):
        metrics = {n: v for n, v in zip(FLOW_METRICS, row[len(FLOW_KEY) :], strict=True) if v}
        if metrics:
            stored[tuple(row[: len(FLOW_KEY)])] = metrics
    return stored


def _flow_mismatch(flows: f.Flows, stored: f.Flows) -> str | None:
    for key in sorted(set(flows) | set(stored), key=str):
        want, have = flows.get(key, {}), stored.get(key, {})
        for metric in FLOW_METRICS:
            if want.get(metric, 0) != have.get(metric, 0):
                return (
                    f"DailyFlow {dict(zip(FLOW_KEY, key, strict=True))} {metric}: "
                    f"recount {want.get(metric, 0)}, stored {have.get(metric, 0)}"
                )
    return None


def _count_mismatch(
    table: str, names: tuple[str, ...], counted: dict[tuple, int], stored: dict[tuple, int]
) -> str | None:
    for key in sorted(set(counted) | set(stored), key=str):
        if counted.get(key, 0) != stored.get(key, 0):
            return (
                f"{table} {dict(zip(names, key, strict=True))}: "
                f"recount {counted.get(key, 0)}, stored {stored.get(key, 0)}"
            )
    return None


def _stored_counts(qs: QuerySet, names: tuple[str, ...], count: str) -> dict[tuple, int]:
    rows = qs.values_list(*names, count).iterator(BATCH)
    return {tuple(row[:-1]): row[-1] for row in rows if row[-1]}


# Cases recounted together by `rollup verify`: about 1 GB of memory in the recount's dicts.
VERIFY_BATCH_CASES = 1_000_000


def rollup_verify() -> str | None:
    """Recount and compare: None when every stored figure equals the recount, otherwise a
    sentence naming the first mismatch. A few streets at a time (every rollup row is one
    street's), so memory holds about VERIFY_BATCH_CASES cases' rows, not the district's.
    Each batch reads its recount and its stored rows in one snapshot (`_snapshot`)."""
    streets = list(Street.objects.order_by("pk").values_list("pk", flat=True))
    for batch in _street_batches(streets):
        with _snapshot():
            mismatch = _streets_mismatch(batch)
        if mismatch is not None:
            return mismatch
    with _snapshot():
        return _outside(streets)


@contextmanager
def _snapshot() -> Iterator[None]:
    """On PostgreSQL, one REPEATABLE READ, READ ONLY transaction: a case service committing
    while a batch is read (a live system) counts in both the recount and the stored rows or
    in neither, never in one only, so it cannot show as a mismatch. The snapshot is held for
    one batch (about a minute at a million cases), not for the whole verify.

    Inside a transaction already (a test) its own snapshot rules. On SQLite, whose
    transactions here begin IMMEDIATE (a write lock), none is opened: a verify must not
    stop the desk's intakes; SQLite serves one community, whose verify takes seconds."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _street_batches(streets: list[int]) -> list[list[int]]:
    """Consecutive streets grouped to about VERIFY_BATCH_CASES cases each, sized by the
    streets' stored month totals (an estimate for sizing only: the recount decides)."""
    month_totals = DailyFlow.objects.filter(
        STREET_TOTAL, monthly=True, item_id=ANY_ITEM, channel=ANY_CHANNEL
    )
    sizes = dict(
        month_totals.values("street_id")
        .annotate(n=Sum("received"))
        .order_by()
        .values_list("street_id", "n")
    )
    batches: list[list[int]] = []
    size = 0
    for street in streets:
        cases = sizes.get(street) or 0
        if not batches or size + cases > VERIFY_BATCH_CASES:
            batches.append([])
            size = 0
        batches[-1].append(street)
        size += cases
    return batches


def _streets_rows(model: type[Model], streets: list[int]) -> QuerySet[Any]:
    """The streets' stored rows: their communities' and their own (community 0), through the
    tables' community-first keys."""
    communities = Community.objects.filter(street_id__in=streets).values("pk")
    area = Q(community_id__in=communities) | Q(community_id=ANY_COMMUNITY)
    return model._default_manager.filter(area, street_id__in=streets)


def _streets_mismatch(streets: list[int]) -> str | None:
    flows, stock = recount(streets)
    return (
        _flow_mismatch(flows, _stored_flows(_streets_rows(DailyFlow, streets)))
        or _count_mismatch(
            "OpenStock",
            STOCK_KEY,
            stock,
            _stored_counts(_streets_rows(OpenStock, streets), STOCK_KEY, "count"),
        )
        or _count_mismatch(
            "TopicFlow",
            TOPIC_KEY,
            recount_topics(streets),
            _stored_counts(_streets_rows(TopicFlow, streets), TOPIC_KEY, "received"),
        )
        or _count_mismatch(
            "LowRating",
            LOW_KEY,
            recount_lows(streets),
            _stored_counts(_streets_rows(LowRating, streets), LOW_KEY, "count"),
        )
    )


def _outside(streets: list[int]) -> str | None:
    """A non-zero row under no street of the database, or under a community of another
    street: no case counts there, so the recount is 0."""
    families: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
        (DailyFlow, FLOW_METRICS),
        (OpenStock, ("count",)),
        (TopicFlow, ("received",)),
        (LowRating, ("count",)),
    )
    for model, counts in families:
        counted = Q()
        for name in counts:
            counted |= ~Q(**{name: 0})
        own_community = Community.objects.filter(
            pk=OuterRef("community_id"), street_id=OuterRef("street_id")
        )
        rows = model._default_manager.filter(counted)
        for stray in (  # two queries: an anti-join each, not one scan with a subplan a row
            rows.filter(community_id=ANY_COMMUNITY).exclude(street_id__in=streets),
            rows.exclude(community_id=ANY_COMMUNITY).filter(~Exists(own_community)),
        ):
            found = list(stray.values("pk", "street_id", "community_id").order_by()[:1])
            if found:
                row = found[0]
                return (
                    f"{model.__name__} street_id={row['street_id']} "
                    f"community_id={row['community_id']} (row {row['pk']}): recount 0"
                )
    return None
