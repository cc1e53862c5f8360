"""The one filter definition of the case list, used by the desk page and /api/v1/cases."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _lazy

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
    "today": selectors.received_today,
}
# What the list's heading says a view is (the desk home's panels link to them).
VIEW_TITLES = {
    "overdue": _lazy("已逾期"),
    "due_soon": _lazy("即将到期"),
    "mine": _lazy("我在办"),
    "queue": _lazy("待领取"),
    "needs_person": _lazy("需人工分派"),
    "today": _lazy("今日受理"),
}
# Lists of open cases by deadline read soonest first (我在办: the undated after the dated,
# `selectors.mine`'s `due_key`); everything else newest first.
BY_DEADLINE = Ordering("due_date", descending=False)
SOONEST_PROMISE = Ordering("due_key", descending=False)
ORDERING = {"overdue": BY_DEADLINE, "due_soon": BY_DEADLINE, "mine": SOONEST_PROMISE}


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
    def title(self) -> str:
        return str(VIEW_TITLES.get(self.view, ""))

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
