"""One filter definition per list, used by the desk page and the API alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from doorstep.core.keyset import query_digest

from .choices import Stage
from .models import Project

MAX_ID = 2**62


def bounded_int(value: object, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """An id or number from a query string, or None when missing or out of bounds."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@dataclass(frozen=True)
class ProjectFilter:
    """Project list filter (desk page, API, xlsx): community, stage, words in the title or the
    proposer. Paging is keyset's (`core/keyset.py`, newest first), not part of the filter."""

    community: int | None = None
    stage: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ProjectFilter:
        stage = params.get("stage") or ""
        return cls(
            community=bounded_int(params.get("community")),
            stage=stage if stage in Stage.values else "",
            q=(params.get("q") or "").strip()[:50],
        )

    def query(self) -> dict[str, str]:
        """The filter as query parameters (for links that keep it)."""
        params = {"community": str(self.community or ""), "stage": self.stage, "q": self.q}
        return {k: v for k, v in params.items() if v}

    def digest(self, *parts: object) -> str:
        return query_digest("projects", *parts, self.community, self.stage, self.q)

    def apply(self, qs: QuerySet[Project]) -> QuerySet[Project]:
        if self.community:
            qs = qs.filter(community_id=self.community)
        if self.stage:
            qs = qs.filter(stage=self.stage)
        if self.q:
            qs = qs.filter(Q(title__contains=self.q) | Q(proposer_name__contains=self.q))
        return qs
