"""The desk home's counts (工作台计数) from the read model, registered in `cases.hooks`."""

from datetime import timedelta

from django.db.models import Q, Sum

from doorstep.cases.selectors import DUE_SOON_DAYS, DeskCounts, User, needs_person, today
from doorstep.core.staffing import standing_in_for
from doorstep.places import access
from doorstep.places.models import StaffProfile
from doorstep.places.selectors import communities_for

from .models import DailyFlow, OpenStock


def desk_counts(user: User, profile: StaffProfile) -> DeskCounts:
    """Open stock by worker, queue and due date; received by day. The needs-person count
    reads its own small partial index."""
    day = today()
    communities = communities_for(user).values("pk")
    stock = OpenStock.objects.filter(community_id__in=communities)
    covered = standing_in_for(user.pk, day) if user.pk else []
    sums = stock.aggregate(
        mine=_sum(Q(worker_id__in=[user.pk, *covered])),
        queue=_sum(Q(worker_id=0, **_queue_of(profile))),
        due_soon=_sum(Q(due_date__gte=day, due_date__lte=day + timedelta(days=DUE_SOON_DAYS))),
        overdue=_sum(Q(due_date__lt=day)),
    )
    received = DailyFlow.objects.filter(
        community_id__in=communities, monthly=False, total=True, day=day
    ).aggregate(n=Sum("received"))["n"]
    return DeskCounts(
        today=received or 0,
        needs_person=needs_person(user).count(),
        **{name: value or 0 for name, value in sums.items()},
    )


def _sum(condition: Q) -> Sum:
    return Sum("count", filter=condition)


def _queue_of(profile: StaffProfile) -> dict[str, str]:
    """The open-stock condition matching `queue_for`'s queue for this post."""
    queue = access.work_queue(profile)
    return {} if queue is None else {"queue": queue}
