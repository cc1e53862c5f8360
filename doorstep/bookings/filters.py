"""One filter for the booking list: the desk page, the API and the export use the same one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import QueryDict

from doorstep.core.keyset import Ordering, query_digest

from .choices import BookingStatus
from .models import Booking
from .selectors import day_bounds

MAX_ID = 2**63 - 1
BY_START = Ordering("starts_at", descending=False)  # the list reads soonest first


def _date(value: str | None) -> date | None:
    """A date from the query string, or None (also for years no calendar here needs)."""
    try:
        day = date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _id(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


@dataclass(frozen=True)
class BookingFilter:
    facility_id: int | None = None
    status: str = ""
    day_from: date | None = None
    day_to: date | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> BookingFilter:
        status = query.get("status", "")
        return cls(
            facility_id=_id(query.get("facility")),
            status=status if status in BookingStatus.values else "",
            day_from=_date(query.get("from")),
            day_to=_date(query.get("to")),
        )

    def query(self) -> dict[str, str]:
        """The filter as query parameters (links that keep it: pages, the xlsx)."""
        params = {
            "facility": str(self.facility_id or ""),
            "status": self.status,
            "from": self.day_from.isoformat() if self.day_from else "",
            "to": self.day_to.isoformat() if self.day_to else "",
        }
        return {k: v for k, v in params.items() if v}

    def digest(self, user_id: int | None, community_id: int) -> str:
        return query_digest("bookings", user_id, community_id, *self.query().items())

    def apply(self, qs: QuerySet[Booking], today: date) -> QuerySet[Booking]:
        start = day_bounds(self.day_from or today)[0]
        last = self.day_to or (self.day_from or today) + timedelta(days=2)
        end = day_bounds(min(last, (self.day_from or today) + timedelta(days=366)))[1]
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
        if self.facility_id:
            qs = qs.filter(facility_id=self.facility_id)
        if self.status:
            qs = qs.filter(status=self.status)
        return qs.select_related("facility", "resident").order_by("starts_at", "pk")
