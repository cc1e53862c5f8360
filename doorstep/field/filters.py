"""The one filter definition of the home-visit list (入户走访), used by the page and its xlsx."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from doorstep.core.keyset import query_digest

from .choices import DONE_OUTCOMES, VisitOutcome
from .models import HomeVisit

DONE = "done"


def _day(params: Mapping[str, str | None], key: str) -> date | None:
    raw = (params.get(key) or "").strip()
    if not raw:
        return None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("日期格式应为 YYYY-MM-DD：%(v)s") % {"v": raw[:20]})
    return day


@dataclass(frozen=True)
class VisitFilter:
    """结果（默认：已走访的各种结果）+ 走访日期起止. An unknown outcome is ignored; a bad date or
    an end before the start is a ValidationError (the page answers 400)."""

    outcome: str = DONE
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> VisitFilter:
        outcome = params.get("outcome") or DONE
        since, until = _day(params, "since"), _day(params, "until")
        if since and until and until < since:
            raise ValidationError(_("结束日期不能早于开始日期。"))
        valid = outcome == DONE or outcome in VisitOutcome.values
        return cls(outcome=outcome if valid else DONE, since=since, until=until)

    def query(self) -> dict[str, str]:
        """The filter as query parameters (for links that keep it)."""
        params = {"outcome": self.outcome}
        if self.since:
            params["since"] = self.since.isoformat()
        if self.until:
            params["until"] = self.until.isoformat()
        return params

    def digest(self, user_id: int | None, community_id: int) -> str:
        return query_digest("visits", user_id, community_id, self.outcome, self.since, self.until)

    def apply(self, qs: QuerySet[HomeVisit]) -> QuerySet[HomeVisit]:
        if self.outcome == DONE:
            qs = qs.filter(outcome__in=DONE_OUTCOMES)
        else:
            qs = qs.filter(outcome=self.outcome)
        if self.since:
            qs = qs.filter(visited_on__gte=self.since)
        if self.until:
            qs = qs.filter(visited_on__lte=self.until)
        return qs
