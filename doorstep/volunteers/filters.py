"""One filter for the activity list and the hours export (desk page, API, xlsx)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from .models import Activity, SignUp

MAX_ID = 2**63 - 1


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
class ActivityFilter:
    team_id: int | None = None
    day_from: date | None = None
    day_to: date | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> ActivityFilter:
        return cls(
            team_id=_id(query.get("team")),
            day_from=_date(query.get("from")),
            day_to=_date(query.get("to")),
        )

    def _bounds(self) -> tuple[datetime | None, datetime | None]:
        start = (
            timezone.make_aware(datetime.combine(self.day_from, time.min))
            if self.day_from
            else None
        )
        end = (
            timezone.make_aware(datetime.combine(self.day_to + timedelta(days=1), time.min))
            if self.day_to
            else None
        )
        return start, end

    def activities(self, qs: QuerySet[Activity]) -> QuerySet[Activity]:
        start, end = self._bounds()
        if start:
            qs = qs.filter(starts_at__gte=start)
        if end:
            qs = qs.filter(starts_at__lt=end)
        if self.team_id:
            qs = qs.filter(team_id=self.team_id)
        return qs

    def signups(self, qs: QuerySet[SignUp]) -> QuerySet[SignUp]:
        start, end = self._bounds()
        if start:
            qs = qs.filter(shift__activity__starts_at__gte=start)
        if end:
            qs = qs.filter(shift__activity__starts_at__lt=end)
        if self.team_id:
            qs = qs.filter(shift__activity__team_id=self.team_id)
        return qs
