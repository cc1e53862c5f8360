"""The answers the workforce area registers with `doorstep.core.staffing`: who is on leave,
whose cases a B post holds while A is away (代岗), who is stationed at a desk (下沉)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from doorstep.field.models import PostPair

from .models import Leave, StationedStaff


def leave_on(day: date) -> QuerySet[Leave]:
    return Leave.objects.filter(starts_on__lte=day, ends_on__gte=day, cancelled_at__isnull=True)


def overlapping(worker_id: int, starts_on: date, ends_on: date) -> QuerySet[Leave]:
    return Leave.objects.filter(
        Q(worker_id=worker_id) & Q(starts_on__lte=ends_on) & Q(ends_on__gte=starts_on),
        cancelled_at__isnull=True,
    )


def away_ids(user_ids: Iterable[int], day: date) -> set[int]:
    ids = list(user_ids)
    if not ids:
        return set()
    return set(leave_on(day).filter(worker_id__in=ids).values_list("worker_id", flat=True))


def standing_in_for(user_id: int, day: date) -> list[int]:
    """The A posts backed up by this user who are on leave that day: one query."""
    a_posts = PostPair.objects.filter(b_id=user_id).values("a_id")
    return sorted(
        set(leave_on(day).filter(worker_id__in=a_posts).values_list("worker_id", flat=True))
    )


def stationed_handler(community_id: int, item_id: int) -> int | None:
    return (
        StationedStaff.objects.filter(community_id=community_id, items=item_id, active=True)
        .order_by("pk")
        .values_list("worker_id", flat=True)
        .first()
    )
