"""One filter definition per list, used by the desk page and the API alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

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
    """Project list filter: community, stage, words in the title; `after` is the keyset cursor
    (`<created_at ISO>_<id>` of the last row shown)."""

    community: int | None = None
    stage: str = ""
    q: str = ""
    after: tuple[datetime, int] | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ProjectFilter:
        stage = params.get("stage") or ""
        return cls(
            community=bounded_int(params.get("community")),
            stage=stage if stage in Stage.values else "",
            q=(params.get("q") or "").strip()[:50],
            after=parse_cursor(params.get("after") or ""),
        )

    def apply(self, qs: QuerySet[Project]) -> QuerySet[Project]:
        if self.community:
            qs = qs.filter(community_id=self.community)
        if self.stage:
            qs = qs.filter(stage=self.stage)
        if self.q:
            qs = qs.filter(Q(title__contains=self.q) | Q(proposer_name__contains=self.q))
        if self.after:
            created, pk = self.after
            qs = qs.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
        return qs.order_by("-created_at", "-pk")


def parse_cursor(value: str) -> tuple[datetime, int] | None:
    stamp, _, pk = value.rpartition("_")
    moment = parse_datetime(stamp) if stamp else None
    number = bounded_int(pk)
    return (moment, number) if moment and number else None


def cursor_of(project: Project) -> str:
    return f"{project.created_at.isoformat()}_{project.pk}"
