"""One filter definition per list, used by the page, the API and the xlsx export. Values come
from query strings: unknown values are ignored, ids and dates parsed with bounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from doorstep.core.keyset import query_digest

from .choices import Compliance, PayMethod, SessionStatus, Utility
from .models import FeePayment, Leave, OnSiteSession, WorkerRecord
from .selectors import compliance_q

MAX_ID = 2**31 - 1
Params = Mapping[str, str]


def parse_id(value: str | None) -> int | None:
    if value and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def parse_month(value: str | None) -> date:
    """`2026-11` → 2026-11-01; anything else is this month."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


def parse_day(value: str | None) -> date:
    try:
        day = date.fromisoformat(value or "")
        if 2000 <= day.year <= 2100:
            return day
    except ValueError:
        pass
    return timezone.localdate()


@dataclass(frozen=True)
class WorkerFilter:
    community: int | None = None
    status: str = ""

    @classmethod
    def parse(cls, params: Params) -> WorkerFilter:
        status = params.get("status", "")
        return cls(
            community=parse_id(params.get("community")),
            status=status if status in Compliance.values else "",
        )

    def query(self) -> dict[str, str]:
        """The filter as query parameters (the page's community is added by the page)."""
        return {"status": self.status} if self.status else {}

    def digest(self, *parts: object) -> str:
        return query_digest("workers", *parts, self.community, self.status)

    def apply(self, qs: QuerySet[WorkerRecord]) -> QuerySet[WorkerRecord]:
        if self.community is not None:
            qs = qs.filter(community_id=self.community)
        if self.status:
            qs = qs.filter(compliance_q(self.status, timezone.localdate()))
        return qs


@dataclass(frozen=True)
class LeaveFilter:
    """`current` (running today), `upcoming`, or everything."""

    when: str = ""

    @classmethod
    def parse(cls, params: Params) -> LeaveFilter:
        when = params.get("when", "")
        return cls(when=when if when in ("current", "upcoming") else "")

    def query(self) -> dict[str, str]:
        return {"when": self.when} if self.when else {}

    def digest(self, *parts: object) -> str:
        # `current`/`upcoming` move with the day: a cursor of yesterday's list is another list.
        return query_digest("leave", *parts, self.when, timezone.localdate())

    def apply(self, qs: QuerySet[Leave]) -> QuerySet[Leave]:
        today = timezone.localdate()
        qs = qs.filter(cancelled_at__isnull=True)
        if self.when == "current":
            return qs.filter(starts_on__lte=today, ends_on__gte=today)
        if self.when == "upcoming":
            return qs.filter(starts_on__gt=today)
        return qs


@dataclass(frozen=True)
class SessionFilter:
    status: str = ""

    @classmethod
    def parse(cls, params: Params) -> SessionFilter:
        status = params.get("status", "")
        return cls(status=status if status in SessionStatus.values else "")

    def query(self) -> dict[str, str]:
        return {"status": self.status} if self.status else {}

    def digest(self, *parts: object) -> str:
        return query_digest("onsite", *parts, self.status)

    def apply(self, qs: QuerySet[OnSiteSession]) -> QuerySet[OnSiteSession]:
        return qs.filter(status=self.status) if self.status else qs


@dataclass(frozen=True)
class PaymentFilter:
    month: date
    utility: str = ""
    method: str = ""
    community: int | None = None

    @classmethod
    def parse(cls, params: Params) -> PaymentFilter:
        utility, method = params.get("utility", ""), params.get("method", "")
        return cls(
            month=parse_month(params.get("month")),
            utility=utility if utility in Utility.values else "",
            method=method if method in PayMethod.values else "",
            community=parse_id(params.get("community")),
        )

    def apply(self, qs: QuerySet[FeePayment]) -> QuerySet[FeePayment]:
        after = date(self.month.year + self.month.month // 12, self.month.month % 12 + 1, 1)
        qs = qs.filter(day__gte=self.month, day__lt=after)
        if self.utility:
            qs = qs.filter(utility=self.utility)
        if self.method:
            qs = qs.filter(method=self.method)
        if self.community is not None:
            qs = qs.filter(counter__community_id=self.community)
        return qs
