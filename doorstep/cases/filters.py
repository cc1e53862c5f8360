"""The one filter definition of the case list, used by the desk page and /api/v1/cases."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from doorstep.core.keyset import NEWEST_FIRST, Ordering, query_digest

from . import selectors
from .choices import Status
from .models import Case
from .search import MAX_QUERY, case_search

VIEWS: dict[str, Callable[[selectors.User], QuerySet[Case]]] = {
    "overdue": selectors.overdue,
    "due_soon": selectors.due_soon,
    "mine": selectors.mine,
    "queue": selectors.queue_for,
    "needs_person": selectors.needs_person,
}
# Lists of open cases by deadline read soonest first; everything else newest first.
BY_DEADLINE = Ordering("due_date", descending=False)
ORDERING = {"overdue": BY_DEADLINE, "due_soon": BY_DEADLINE}


@dataclass(frozen=True)
class CaseFilter:
    """状态 + 视图 + 检索词. Unknown values are ignored (typed by hand, truncated)."""

    status: str = ""
    view: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> CaseFilter:
        status = params.get("status") or ""
        view = params.get("view") or ""
        return cls(
            status=status if status in Status.values else "",
            view=view if view in VIEWS else "",
            q=(params.get("q") or "").strip()[:MAX_QUERY],
        )

    @property
    def ordering(self) -> Ordering:
        return ORDERING.get(self.view, NEWEST_FIRST)

    def digest(self, user: selectors.User, list_name: str) -> str:
        """What a cursor of this list is bound to."""
        return query_digest(list_name, user.pk, self.status, self.view, self.q)

    def apply(self, user: selectors.User) -> QuerySet[Case]:
        qs = VIEWS[self.view](user) if self.view else selectors.cases_visible_to(user)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.q:
            qs = qs.filter(case_search(self.q))
        return qs
