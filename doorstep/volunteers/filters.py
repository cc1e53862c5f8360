"""One filter for the activity list and the hours list (desk pages, API, xlsx): team, dates,
and for activities whether they are coming or past."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from doorstep.core.keyset import Ordering, query_digest

from .models import Activity, SignUp

MAX_ID = 2**63 - 1
COMING, PAST = "coming", "past"
# Coming activities soonest first, past (and all) newest first; ties on id.
SOONEST_FIRST = Ordering("starts_at", descending=False)
LATEST_FIRST = Ordering("starts_at")
Params = Mapping[str, str]


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
    """团队 + 活动日期起止 + 即将开始/已结束 (unknown values are ignored)."""

    team_id: int | None = None
    day_from: date | None = None
    day_to: date | None = None
    when: str = ""

    @classmethod
    def from_query(cls, query: Params) -> ActivityFilter:
        when = query.get("when") or ""
        return cls(
            team_id=_id(query.get("team")),
            day_from=_date(query.get("from")),
            day_to=_date(query.get("to")),
            when=when if when in (COMING, PAST) else "",
        )

    def query(self) -> dict[str, str]:
        """The filter as query parameters (for links that keep it)."""
        params = {
            "team": str(self.team_id or ""),
            "from": self.day_from.isoformat() if self.day_from else "",
            "to": self.day_to.isoformat() if self.day_to else "",
            "when": self.when,
        }
        return {k: v for k, v in params.items() if v}

    def digest(self, name: str, *parts: object) -> str:
        return query_digest(name, *parts, self.team_id, self.day_from, self.day_to, self.when)

    @property
    def ordering(self) -> Ordering:
        return SOONEST_FIRST if self.when == COMING else LATEST_FIRST

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

    def activities(self, qs: QuerySet[Activity], now: datetime | None = None) -> QuerySet[Activity]:
        start, end = self._bounds()
        if start:
            qs = qs.filter(starts_at__gte=start)
        if end:
            qs = qs.filter(starts_at__lt=end)
        if self.team_id:
            qs = qs.filter(team_id=self.team_id)
        if self.when:
            now = now or timezone.now()
            qs = qs.filter(ends_at__gte=now) if self.when == COMING else qs.filter(ends_at__lt=now)
        return qs

    def signups(self, qs: QuerySet[SignUp]) -> QuerySet[SignUp]:
        """The hours list: the same team and dates (`when` does not apply to served hours)."""
        start, end = self._bounds()
        if start:
            qs = qs.filter(shift__activity__starts_at__gte=start)
        if end:
            qs = qs.filter(shift__activity__starts_at__lt=end)
        if self.team_id:
            qs = qs.filter(shift__activity__team_id=self.team_id)
        return qs
