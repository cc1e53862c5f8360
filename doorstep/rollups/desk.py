"""The desk home's counts (工作台计数) from the read model, registered in `cases.hooks`."""

from datetime import timedelta

from django.db.models import Q, Sum

from doorstep.cases.selectors import DUE_SOON_DAYS, DeskCounts, User, needs_person, today
from doorstep.core.staffing import standing_in_for
from doorstep.places import access
from doorstep.places.models import StaffProfile
from doorstep.places.selectors import communities_for

from .models import ANY_CHANNEL, ANY_COMMUNITY, ANY_ITEM, DailyFlow, OpenStock


def desk_counts(user: User, profile: StaffProfile) -> DeskCounts:
    """Open stock by worker, queue and due date; received by day. A street or district post
    reads its streets' rows for the due-date figures and only its own and its queue's rows
    of the communities (an index on worker and queue), so the cost does not grow with the
    district. The needs-person count reads its own small partial index."""
    day = today()
    communities = communities_for(user).values("pk")
    stock = OpenStock.objects.filter(community_id__in=communities)
    covered = standing_in_for(user.pk, day) if user.pk else []
    mine, queue = Q(worker_id__in=[user.pk, *covered]), Q(worker_id=0, **_queue_of(profile))
    soon = Q(due_date__gte=day, due_date__lte=day + timedelta(days=DUE_SOON_DAYS))
    late = Q(due_date__lt=day)
    whole_streets = access.area_level(profile) != "community"
    if not whole_streets:
        sums = stock.aggregate(
            mine=_sum(mine), queue=_sum(queue), due_soon=_sum(soon), overdue=_sum(late)
        )
    else:  # one query: own and queue rows of the communities, due dates from the streets'
        # The post's communities are its streets' (the rows carry the street): the area is one
        # condition, not a subquery repeated in every sum (14 ms for a district at 2 M).
        area = Q(street_id__in=communities_for(user).values("street_id"))
        fine, streets = ~Q(community_id=ANY_COMMUNITY), Q(community_id=ANY_COMMUNITY)
        sums = (
            OpenStock.objects.filter(area)
            .filter((fine & (mine | queue)) | streets)
            .aggregate(
                mine=_sum(fine & mine),
                queue=_sum(fine & queue),
                due_soon=_sum(streets & soon),
                overdue=_sum(streets & late),
            )
        )
    today_rows = DailyFlow.objects.filter(community_id__in=communities)
    if whole_streets:  # their street rows: 36 index probes for a district, not 1,300
        street_ids = communities_for(user).values("street_id")
        today_rows = DailyFlow.objects.filter(community_id=ANY_COMMUNITY, street_id__in=street_ids)
    received = today_rows.filter(
        monthly=False, total=True, day=day, item_id=ANY_ITEM, channel=ANY_CHANNEL
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
