"""Reads for self-organisations and volunteering, through the worker's area (or, on the
portal, through the volunteer's own pass)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from doorstep.core import crypto
from doorstep.places.models import Resident
from doorstep.places.selectors import User, communities_for

from .choices import MemberRole, SignUpStatus
from .models import Activity, Membership, Shift, SignUp, Team, Volunteer


def volunteers_visible_to(user: User) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(community__in=communities_for(user)).select_related("resident")


def volunteer_search(user: User, community_id: int, query: str, limit: int) -> list[Volunteer]:
    """The activity page's 代为报名 picker: a community's volunteers by name, pinyin or full
    phone (POSTed, never in a URL), at most `limit` + 1 so the page can say there are more."""
    q = (query or "").strip()
    if not q:
        return []
    qs = volunteers_visible_to(user).filter(community_id=community_id)
    if q.isdigit() and len(q) == 11:
        qs = qs.filter(resident__phone_hash=crypto.lookup_hash(q))
    elif q.isascii():
        qs = qs.filter(resident__name_pinyin__icontains=q.lower())
    else:
        qs = qs.filter(resident__name__contains=q)
    return list(qs.order_by("resident__name_pinyin", "pk")[: limit + 1])


def teams_visible_to(user: User) -> QuerySet[Team]:
    leaders = Membership.objects.filter(role=MemberRole.LEADER).select_related(
        "volunteer__resident"
    )
    return (
        Team.objects.filter(community__in=communities_for(user))
        .select_related("community", "facility")
        .annotate(n_members=Count("memberships", distinct=True))
        .prefetch_related(Prefetch("memberships", queryset=leaders, to_attr="leaders"))
    )


def team_members(team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("volunteer__resident").order_by("role", "joined_on")


def activities_visible_to(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(community__in=communities_for(user)).select_related("team")


def _shifts_with_counts() -> Prefetch[str]:
    return Prefetch(
        "shifts",
        queryset=Shift.objects.annotate(
            taken=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
            waiting=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED)),
        ).order_by("starts_at", "pk"),
    )


def activity_detail(user: User, activity_id: int) -> Activity:
    return activities_visible_to(user).prefetch_related(_shifts_with_counts()).get(pk=activity_id)


def activity_signups(activity: Activity) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(shift__activity=activity)
        .select_related("shift", "volunteer__resident")
        .prefetch_related("corrections__actor__staff")
        .order_by("shift__starts_at", "status", "created_at", "pk")
    )


def open_activities(community_id: int, now: datetime) -> QuerySet[Activity]:
    """What a volunteer may sign up for on the portal: this community's coming activities."""
    return (
        Activity.objects.filter(community_id=community_id, ends_at__gt=now)
        .prefetch_related(_shifts_with_counts())
        .order_by("starts_at", "pk")
    )


def volunteer_for_resident(resident: Resident) -> Volunteer | None:
    return Volunteer.objects.filter(resident=resident).select_related("resident").first()


@dataclass(frozen=True)
class HoursSummary:
    minutes: int
    activities: int

    @property
    def hours_text(self) -> str:
        return f"{self.minutes // 60} 小时 {self.minutes % 60} 分钟"


def volunteer_signups(volunteer: Volunteer) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(volunteer=volunteer)
        .select_related("shift__activity")
        .order_by("-shift__starts_at", "-pk")
    )


def volunteer_hours(volunteer: Volunteer) -> HoursSummary:
    row = SignUp.objects.filter(volunteer=volunteer, status=SignUpStatus.CONFIRMED).aggregate(
        total=Sum("minutes"), n=Count("shift__activity", filter=Q(minutes__gt=0), distinct=True)
    )
    return HoursSummary(minutes=row["total"] or 0, activities=row["n"] or 0)


def hours_records(user: User) -> QuerySet[SignUp]:
    """The national record rows (服务内容、地点、时长、组织单位) for the export: served sign-ups."""
    return (
        SignUp.objects.filter(
            shift__activity__community__in=communities_for(user),
            status=SignUpStatus.CONFIRMED,
            minutes__gt=0,
        )
        .select_related("shift__activity", "volunteer__resident")
        .order_by("shift__starts_at", "pk")
    )
