"""Keyset pagination (游标翻页) for every long list: pages continue from the last row seen,
`WHERE (key, id) < (…)`, so page 10,000 costs what page 1 costs — never `OFFSET`.

A cursor is opaque and signed: the key of the row to continue from, the direction, and a
digest of the query it belongs to (list, filters, user). A forged or edited cursor, one from
another filter and one older than a day are refused with a clear message (`CursorError`, a
400), never answered with rows. Scoping is not in the cursor: the caller's queryset is already
limited to what the user may see, so a cursor can only move within it.

Totals: exact up to 10,000 (reading at most 10,001 matching rows); above that PostgreSQL's
planner estimate, shown as "约 1.2 万条"; SQLite says "超过 1 万条". A first page reads its rows
and its total in one query when there are at most 10,000 (a search, a filtered list).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

T = TypeVar("T", bound=Model)

EXACT_TOTAL_UP_TO = 10_000
# A planner estimate this far above the exact range is taken as the total without counting.
ESTIMATE_FIRST_ABOVE = 5 * EXACT_TOTAL_UP_TO
CURSOR_MAX_AGE = 24 * 3600  # seconds
_SALT = "doorstep.keyset"
_VERSION = 1


class CursorError(ValidationError):
    """A cursor that is not ours, not for this query, or too old."""


@dataclass(frozen=True)
class Ordering:
    """The key a list is ordered by (never null), newest first or oldest first; ties on id.
    A nullable column is ordered through an annotation that coalesces it to a sentinel
    (`interop.filters.QUEUE_ORDER`: no deadline sorts after every deadline)."""

    field: str = "created_at"
    descending: bool = True


NEWEST_FIRST = Ordering()
BY_ID = Ordering("id")  # newest first by id, for tables without a creation time


@dataclass(frozen=True)
class Total:
    count: int
    estimated: bool  # count is a planner estimate (or a floor on SQLite)
    vendor: str

    @property
    def label(self) -> str:
        if not self.estimated:
            return _("共 %(n)s 条") % {"n": self.count}
        if self.vendor != "postgresql":
            return _("超过 1 万条")
        return _("约 %(n)s 万条") % {"n": f"{self.count / 10_000:.1f}".removesuffix(".0")}


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None
    previous_cursor: str | None
    total: Total | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


def query_digest(*parts: object) -> str:
    """A short digest of what a list shows (its name, filters, the user): a cursor is bound to
    it."""
    text = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _encode(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _decode(raw: str, sample: object) -> object:
    parsed: object = None
    if isinstance(sample, datetime):
        parsed = parse_datetime(raw)
    elif isinstance(sample, date):
        parsed = parse_date(raw)
    elif isinstance(sample, int):
        parsed = int(raw) if raw.isdigit() else None
    return parsed


def _cursor(row: Model, ordering: Ordering, digest: str, backwards: bool) -> str:
    payload = {
        "v": _VERSION,
        "q": digest,
        "k": _encode(getattr(row, ordering.field)),
        "i": row.pk,
        "b": backwards,
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def _read(cursor: str, digest: str, sample: object) -> tuple[object, int, bool]:
    invalid = CursorError(_("翻页参数无效，请回到第一页重新查询。"), code="bad_cursor")
    try:
        payload = signing.loads(cursor, salt=_SALT, max_age=CURSOR_MAX_AGE)
    except signing.SignatureExpired:
        raise CursorError(
            _("翻页链接已过期，请回到第一页重新查询。"), code="stale_cursor"
        ) from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise invalid from None
    if not isinstance(payload, dict) or payload.get("v") != _VERSION:
        raise invalid
    if payload.get("q") != digest:
        raise CursorError(
            _("翻页链接与当前筛选条件不符，请回到第一页重新查询。"), code="other_cursor"
        )
    key, pk, backwards = payload.get("k"), payload.get("i"), payload.get("b")
    value = _decode(key, sample) if isinstance(key, str) else None
    if value is None or not isinstance(pk, int) or not isinstance(backwards, bool):
        raise invalid
    return value, pk, backwards


def _sample(qs: QuerySet[Any], field: str) -> object:
    """A value of the key's type, to parse a cursor's key with. The key is a model field or an
    annotation of `qs` (a nullable column coalesced to a sentinel, so the key is never null)."""
    annotation = qs.query.annotations.get(field)
    source = annotation.output_field if annotation is not None else qs.model._meta.get_field(field)
    internal = source.get_internal_type()
    if internal == "DateTimeField":
        return datetime.min
    return date.min if internal == "DateField" else 0


def _after(ordering: Ordering, value: object, pk: int, forwards: bool) -> Q:
    """Rows beyond (value, pk) in the direction of travel. The extra `key <=`/`>=` bound lets
    the database use the index range; the OR settles the ties on id."""
    f = ordering.field
    smaller = ordering.descending == forwards
    if smaller:
        return Q(**{f"{f}__lte": value}) & (Q(**{f"{f}__lt": value}) | Q(pk__lt=pk))
    return Q(**{f"{f}__gte": value}) & (Q(**{f"{f}__gt": value}) | Q(pk__gt=pk))


def _order(ordering: Ordering, forwards: bool) -> list[str]:
    desc = ordering.descending == forwards
    sign = "-" if desc else ""
    return [f"{sign}{ordering.field}", f"{sign}pk"]


def total_of(qs: QuerySet[Any]) -> Total:
    """Exact up to EXACT_TOTAL_UP_TO (a bounded count); above it an estimate."""
    vendor = connections[qs.db].vendor
    bounded = qs.order_by()[: EXACT_TOTAL_UP_TO + 1].count()
    if bounded <= EXACT_TOTAL_UP_TO:
        return Total(bounded, False, vendor)
    return _estimated(qs, bounded)


def _estimated(qs: QuerySet[Any], floor: int, guess: int | None = None) -> Total:
    """More than EXACT_TOTAL_UP_TO rows: PostgreSQL's planner estimate (never below `floor`),
    or on SQLite just the floor."""
    vendor = connections[qs.db].vendor
    guess = guess if guess is not None else _planner_rows(qs)
    if guess is None:
        return Total(floor, True, vendor)
    return Total(max(guess, floor), True, vendor)


def _planner_rows(qs: QuerySet[Any]) -> int | None:
    """PostgreSQL's estimate of how many rows `qs` has (one EXPLAIN, no rows read); None on
    SQLite, which has no such estimate."""
    if connections[qs.db].vendor != "postgresql":
        return None
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def _first_page_and_total(
    qs: QuerySet[Any], ordering: Ordering, size: int
) -> tuple[list[int], Total] | None:
    """The first page's ids (`size` + 1, to tell whether there is more) and the exact total, in
    one query: up to EXACT_TOTAL_UP_TO + 1 matching rows are read once, counted, and the newest
    kept. A search or a filtered list (the usual case) thus costs one scan, not a count and then
    the page. Above the cap those rows are not the newest: None, and the caller asks for the
    page in order."""
    inner = qs.order_by().values_list(ordering.field, "pk")[: EXACT_TOTAL_UP_TO + 1]
    sql, params = inner.query.sql_with_params()
    direction = "DESC" if ordering.descending else "ASC"
    query = (
        f"WITH s(k, i) AS ({sql}) SELECT i, count(*) OVER () FROM s "
        f"ORDER BY k {direction}, i {direction} LIMIT {int(size) + 1}"
    )
    connection = connections[qs.db]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    matching = rows[0][1] if rows else 0
    if matching > EXACT_TOTAL_UP_TO:
        return None
    return [pk for pk, _n in rows], Total(matching, False, connection.vendor)


def paginate(
    qs: QuerySet[T],
    *,
    cursor: str | None,
    digest: str,
    size: int = 50,
    ordering: Ordering = NEWEST_FIRST,
    with_total: bool = True,
) -> Page[T]:
    """One page of `qs` (already scoped and filtered) after or before `cursor`."""
    forwards, previous_exists = True, False
    base = qs
    if cursor:
        value, pk, backwards = _read(cursor, digest, _sample(qs, ordering.field))
        forwards = not backwards
        qs = qs.filter(_after(ordering, value, pk, forwards))
        previous_exists = True
    # Two steps: the page's ids from a narrow query the index answers, then those rows with
    # their joins (the joins before the LIMIT would touch every match, and plan slower).
    total: Total | None = None
    first = None
    if with_total and not cursor:
        # Far above the exact range the planner's estimate is the total: reading 10,001
        # matches only to learn there are more cost the district's text search ~100 ms at
        # 14 M (every candidate rechecked in the table).
        guess = _planner_rows(qs)
        if guess is None or guess <= ESTIMATE_FIRST_ABOVE:
            first = _first_page_and_total(qs, ordering, size)
        total = first[1] if first is not None else _estimated(qs, EXACT_TOTAL_UP_TO + 1, guess)
    if first is not None:
        ids = first[0]
    else:
        ids = list(
            qs.order_by(*_order(ordering, forwards)).values_list("pk", flat=True)[: size + 1]
        )
    more = len(ids) > size
    ids = ids[:size]
    found = {row.pk: row for row in qs.filter(pk__in=ids).order_by()} if ids else {}
    rows = [found[pk] for pk in ids if pk in found]
    if not forwards:
        rows.reverse()
    if forwards:
        has_next, has_previous = more, previous_exists
    else:
        has_next, has_previous = True, more
    return Page(
        rows=rows,
        next_cursor=_cursor(rows[-1], ordering, digest, False) if rows and has_next else None,
        previous_cursor=_cursor(rows[0], ordering, digest, True) if rows and has_previous else None,
        total=(total if total is not None else total_of(base)) if with_total else None,
    )


def in_list_order(qs: QuerySet[T], ordering: Ordering) -> QuerySet[T]:
    """`qs` in the order its list pages in (key, then id): a panel that shows a list's first
    rows (the desk home) slices this and shows exactly the list's first page."""
    return qs.order_by(*_order(ordering, True))


def cursor_at_offset(
    qs: QuerySet[T], offset: int, *, digest: str, ordering: Ordering = NEWEST_FIRST
) -> str | None:
    """A cursor continuing after the first `offset` rows (for clients that page by offset;
    the caller bounds `offset`). None when there are not that many rows."""
    row = qs.order_by(*_order(ordering, True))[offset - 1 : offset].first()
    return _cursor(row, ordering, digest, False) if row is not None else None


def cursor_after(row: Model, *, digest: str, ordering: Ordering = NEWEST_FIRST) -> str:
    """A next-page cursor continuing after `row` (benchmarks jump deep into a list with it)."""
    return _cursor(row, ordering, digest, False)


def iterate(
    qs: QuerySet[T], *, ordering: Ordering = NEWEST_FIRST, chunk: int = 2000
) -> Iterator[T]:
    """Every row of `qs` in list order, `chunk` at a time, each batch continuing after the last
    row of the one before (`WHERE (key, id) < (…) LIMIT chunk`): exports walk a district's year
    with flat memory, no OFFSET and no long-lived server-side cursor."""
    order = _order(ordering, True)
    last: T | None = None
    while True:
        batch = qs
        if last is not None:
            batch = batch.filter(_after(ordering, getattr(last, ordering.field), last.pk, True))
        rows = list(batch.order_by(*order)[:chunk])
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1]
