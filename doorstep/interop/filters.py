"""Filter definitions: the 12345 order list (12345工单, page and xlsx) and Open311
`GET requests` (its query parameters, GeoReport v2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from doorstep.cases.choices import OPEN_STATUSES
from doorstep.cases.models import Case
from doorstep.core.keyset import Ordering, query_digest
from doorstep.core.types import Actor

from . import selectors
from .choices import OrderStatus
from .models import HotlineOrder, queue_deadline

NEWEST_IMPORTED = Ordering("imported_at")
# The person queue reads soonest 12345 deadline first; an order without one comes after every
# order with one (its key is the sentinel, `models.NO_DEADLINE`), ties on id.
QUEUE_ORDER = Ordering("queue_deadline", descending=False)


@dataclass(frozen=True)
class OrderFilter:
    """状态. An unknown status is ignored (shows every order), as the page always did."""

    status: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> OrderFilter:
        status = params.get("status") or ""
        return cls(status=status if status in OrderStatus.values else "")

    ordering = NEWEST_IMPORTED

    def digest(self, user: Actor) -> str:
        return query_digest("hotline", user.pk, self.status)

    def apply(self, user: Actor) -> QuerySet[HotlineOrder]:
        return selectors.hotline_orders(user, self.status)


@dataclass(frozen=True)
class QueueFilter:
    """待人工分派: the viewer's orders that wait for a person, soonest deadline first. It has
    no parameters yet; the page, its pages and its xlsx all read through it."""

    ordering = QUEUE_ORDER

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> QueueFilter:
        return cls()

    def query(self) -> dict[str, str]:
        return {}

    def digest(self, user: Actor) -> str:
        return query_digest("hotline-queue", user.pk)

    def apply(self, user: Actor) -> QuerySet[HotlineOrder]:
        return selectors.hotline_queue(user).annotate(queue_deadline=queue_deadline())


# Open311 `GET requests` without dates lists the last 90 days (GeoReport v2 leaves it to us).
DEFAULT_WINDOW = timedelta(days=90)
O311_STATUSES = frozenset({"open", "closed"})


def _aware(name: str, raw: str | None) -> datetime | None:
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise ValidationError(_("%(name)s 不是有效的 ISO 8601 时间。") % {"name": name})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@dataclass(frozen=True)
class Open311Filter:
    """service_request_id (comma-separated tracking codes; the other filters then do not
    apply), start_date / end_date (ISO 8601; neither → the last 90 days), service_code, status
    (open / closed). `from_params` raises ValidationError (Chinese message) for a bad value."""

    ids: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    service_codes: tuple[str, ...] = ()
    status: frozenset[str] = frozenset()

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> Open311Filter:
        raw_ids = params.get("service_request_id") or ""
        ids = tuple(i.strip().upper() for i in raw_ids.split(",") if i.strip())
        if ids:
            return cls(ids=ids)
        start = _aware("start_date", params.get("start_date"))
        end = _aware("end_date", params.get("end_date"))
        if start is None and end is None:
            start = timezone.now() - DEFAULT_WINDOW
        status = frozenset((params.get("status") or "").split(",")) - {""}
        if not status <= O311_STATUSES:
            raise ValidationError(_("status 只能是 open 或 closed。"))
        codes = tuple(c for c in (params.get("service_code") or "").split(",") if c)
        return cls(start=start, end=end, service_codes=codes, status=status)

    def apply(self, qs: QuerySet[Case]) -> QuerySet[Case]:
        if self.ids:
            return qs.filter(tracking_code__in=self.ids)
        if self.start is not None:
            qs = qs.filter(created_at__gte=self.start)
        if self.end is not None:
            qs = qs.filter(created_at__lte=self.end)
        if self.service_codes:
            qs = qs.filter(item__code__in=self.service_codes)
        if self.status == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif self.status == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
        return qs
