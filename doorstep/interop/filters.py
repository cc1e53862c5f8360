"""The one filter definition of the 12345 order list (12345工单), used by the page and its xlsx."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from doorstep.core.keyset import Ordering, query_digest
from doorstep.core.types import Actor

from . import selectors
from .choices import OrderStatus
from .models import HotlineOrder

NEWEST_IMPORTED = Ordering("imported_at")


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
