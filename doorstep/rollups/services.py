"""Writes to the read model. The case services call `rollup_track` where they lock a case and
`rollup_case_changed` where they write its timeline event, inside their transaction; so the
rollups commit or roll back with the change itself."""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q

from doorstep.cases.choices import EventKind
from doorstep.cases.models import Case, CaseEvent

from . import facts as f
from .models import (
    FLOW_METRICS,
    DailyFlow,
    LowRating,
    OpenStock,
    TopicFlow,
)
from .rebuild import insert_lows, insert_recount, insert_topics

_TRACKED = "_rollup_facts"
FLOW_KEY = (
    "street_id",
    "community_id",
    "day",
    "monthly",
    "total",
    "item_id",
    "channel",
    "worker_id",
)
STOCK_KEY = ("community_id", "street_id", "worker_id", "status", "queue", "due_date", "opened_on")
TOPIC_KEY = ("street_id", "community_id", "day", "monthly", "topic")
LOW_KEY = ("worker_id", "rated_at", "case_id", "community_id", "street_id")


def rollup_track(case: Case) -> None:
    """Remember what the case counts for before it changes (call with its row locked)."""
    setattr(case, _TRACKED, f.case_facts(case))


def rollup_case_changed(case: Case, kind: str, at: datetime) -> None:
    """Move the case's counts from its state before (as tracked; an untracked case is new) to
    its state now, and count a re-open on its day. Call before the event row is written."""
    before: f.CaseFacts | None = getattr(case, _TRACKED, None)
    after = f.case_facts(case)
    reopen_days: list = []
    if before is not None and before.dimensions != after.dimensions:
        # Earlier re-opens are counted under the case's dimensions: move them along.
        reopen_days = [
            f.local_day(moment)
            for moment in CaseEvent.objects.filter(
                case_id=case.pk, kind=EventKind.REOPENED
            ).values_list("at", flat=True)
        ]
    flows = f.difference(f.flows_of(after, reopen_days), f.flows_of(before, reopen_days))
    if kind == EventKind.REOPENED:
        key = f.detail_key(after.dimensions, f.local_day(at))
        flows.setdefault(key, {})
        flows[key]["reopened"] = flows[key].get("reopened", 0) + 1
    _upsert_flows(f.with_rollups(flows))
    _upsert_stock(f.stock_difference(f.stock_of(after), f.stock_of(before)))
    topics = f.count_difference(f.topics_of(after), f.topics_of(before))
    _upsert(
        TopicFlow._meta.db_table, TOPIC_KEY, ("received",), [(*k, n) for k, n in topics.items()]
    )
    lows = f.count_difference(f.lows_of(after), f.lows_of(before))
    moment = connection.ops.adapt_datetimefield_value  # stored as the ORM stores it (UTC)
    rows = [(w, moment(at), *rest, n) for (w, at, *rest), n in lows.items()]
    _upsert(LowRating._meta.db_table, LOW_KEY, ("count",), rows)
    setattr(case, _TRACKED, after)


def _upsert(table: str, key: tuple[str, ...], values: tuple[str, ...], rows: list[tuple]) -> None:
    """One `INSERT … ON CONFLICT DO UPDATE SET v = v + excluded.v` for all rows: increments
    that two transactions can run at once without losing either (SQLite ≥ 3.24, PostgreSQL).
    Rows go in key order, so two transactions sharing street rows lock them in the same order
    (no deadlock)."""
    if not rows:
        return
    rows = sorted(rows, key=lambda row: tuple(str(v) for v in row[: len(key)]))
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in (*key, *values))
    keys = ", ".join(["%s"] * len(key))
    # The increments are integers, written as literals (`int`): only the keys are parameters
    # for the driver to adapt (8 of a flow row's 22 values).
    tuples = ", ".join(
        f"({keys}, {', '.join(str(int(n)) for n in row[len(key) :])})" for row in rows
    )
    updates = ", ".join(f"{q(v)} = {q(table)}.{q(v)} + excluded.{q(v)}" for v in values)
    sql = (
        f"INSERT INTO {q(table)} ({columns}) VALUES {tuples} "
        f"ON CONFLICT ({', '.join(q(c) for c in key)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for row in rows for v in row[: len(key)]])


def _upsert_flows(flows: f.Flows) -> None:
    rows = [
        (*key, *(m.get(n, 0) for n in FLOW_METRICS)) for key, m in flows.items() if any(m.values())
    ]
    _upsert(DailyFlow._meta.db_table, FLOW_KEY, FLOW_METRICS, rows)
    _delete_emptied(rows)


def _delete_emptied(rows: list[tuple]) -> None:
    """Delete the flow rows this change took counts from and left all zero (a case moved to
    another item, channel or community), in the same transaction, which holds their locks
    from the upsert. Flow rows only rarely fall to zero, and the table is the read model's
    biggest (33.7 M rows at 14 M cases): a periodic scan for them cost `doorstep tick` 4 s.
    An intake only adds, and sends nothing here."""
    emptied = [row[: len(FLOW_KEY)] for row in rows if min(row[len(FLOW_KEY) :]) < 0]
    if not emptied:
        return
    one_key = Q()
    for key in emptied:
        one_key |= Q(**dict(zip(FLOW_KEY, key, strict=True)))
    DailyFlow.objects.filter(one_key, **{metric: 0 for metric in FLOW_METRICS}).delete()


def _upsert_stock(stock: f.Stock) -> None:
    rows = [(*key, n) for key, n in stock.items()]
    _upsert(OpenStock._meta.db_table, STOCK_KEY, ("count",), rows)


@transaction.atomic
def rollup_rebuild() -> tuple[int, int, int]:
    """Recount every rollup from the case table and replace what is stored (after a bulk
    import: the demo's history, the scale generator). Returns (flow, stock, topic rows)."""
    DailyFlow.objects.all().delete()
    OpenStock.objects.all().delete()
    TopicFlow.objects.all().delete()
    LowRating.objects.all().delete()
    flows, stock = insert_recount()
    insert_lows()
    return flows, stock, insert_topics()


def rollup_prune() -> int:
    """Delete rows whose counts all fell to zero (closed cases leave empty open-stock rows);
    `doorstep tick` runs it. Safe beside live increments: a row counted again is not zero.
    Flow rows are not scanned for: the change that empties one deletes it (`_delete_emptied`)."""
    deleted, _ = OpenStock.objects.filter(count=0).delete()
    topic_deleted, _ = TopicFlow.objects.filter(received=0).delete()
    low_deleted, _ = LowRating.objects.filter(count=0).delete()
    return deleted + topic_deleted + low_deleted
