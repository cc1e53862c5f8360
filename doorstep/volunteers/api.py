"""/api/v1/volunteers: teams, activities with shifts, a volunteer's hours (reads) and sign-up
on behalf for partner apps, through the same services and area scoping as the desk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status

from doorstep.core.schemas import Error, Id
from doorstep.core.types import JsonObject, request_actor

from . import selectors, services
from .filters import ActivityFilter
from .models import Activity

router = Router(tags=["volunteers"])
P = ParamSpec("P")
R = TypeVar("R")


def _not_found(view: Callable[P, R]) -> Callable[P, R]:
    """Another area's object, or a missing one, is a 404 (never a 500)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None

    return wrapper


class TeamOut(Schema):
    id: int
    community: str
    name: str
    kind: str
    members: int
    leader: str | None
    facility_id: int | None


class ShiftOut(Schema):
    id: int
    role: str
    starts_at: datetime
    ends_at: datetime
    spots: int
    taken: int
    waiting: int


class ActivityOut(Schema):
    id: int
    title: str
    content: str
    place: str
    organiser: str
    starts_at: datetime
    ends_at: datetime
    team_id: int | None
    hours_posted: bool


class ActivityDetailOut(ActivityOut):
    shifts: list[ShiftOut]


class SignUpIn(Schema):
    volunteer_id: Id
    shift_id: Id


class SignUpOut(Schema):
    id: int
    shift_id: int
    volunteer_id: int
    status: str
    minutes: int


class HoursOut(Schema):
    volunteer_id: int
    minutes: int
    activities: int


def activity_out(a: Activity) -> JsonObject:
    return {
        "id": a.pk,
        "title": a.title,
        "content": a.content,
        "place": a.place,
        "organiser": a.organiser,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "team_id": a.team_id,
        "hours_posted": a.hours_posted_at is not None,
    }


@router.get("/teams", response=list[TeamOut], summary="自组织列表（辖区内）")
def list_teams(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(200, ge=1, le=500),
) -> list[JsonObject]:
    """Oldest first; keyset pagination: `after` = the id of the last team seen."""
    teams = selectors.teams_visible_to(request.user).order_by("pk")
    if after is not None:
        teams = teams.filter(pk__gt=after)
    return [
        {
            "id": t.pk,
            "community": t.community.name,
            "name": t.name,
            "kind": t.kind,
            "members": t.n_members,  # type: ignore[attr-defined]
            "leader": next((m.volunteer.resident.name for m in t.leaders), None),  # type: ignore[attr-defined]
            "facility_id": t.facility_id,
        }
        for t in teams[:limit]
    ]


@router.get("/activities", response=list[ActivityOut], summary="志愿活动（team/from/to/when）")
def list_activities(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(100, ge=1, le=500),
) -> list[JsonObject]:
    """The desk's list (same `ActivityFilter`: team, from, to, when; coming soonest first,
    otherwise newest first); keyset pagination: `after` = the id of the last activity seen."""
    flt = ActivityFilter.from_query(request.GET)
    visible = selectors.activities_visible_to(request.user)
    ascending = not flt.ordering.descending
    sign = "" if ascending else "-"
    qs = flt.activities(visible).order_by(f"{sign}starts_at", f"{sign}pk")
    last = visible.filter(pk=after).values_list("starts_at", flat=True).first() if after else None
    if last is not None and ascending:
        qs = qs.filter(Q(starts_at__gt=last) | Q(starts_at=last, pk__gt=after))
    elif last is not None:
        qs = qs.filter(Q(starts_at__lt=last) | Q(starts_at=last, pk__lt=after))
    return [activity_out(a) for a in qs[:limit]]


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityDetailOut, 404: Error},
    summary="活动详情与班次名额",
)
@_not_found
def get_activity(request: HttpRequest, activity_id: Id) -> JsonObject:
    activity = selectors.activity_detail(request.user, activity_id)
    return {
        **activity_out(activity),
        "shifts": [
            {
                "id": s.pk,
                "role": s.role,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "spots": s.spots,
                "taken": s.taken,  # type: ignore[attr-defined]
                "waiting": s.waiting,  # type: ignore[attr-defined]
            }
            for s in activity.shifts.all()
        ],
    }


@router.post(
    "/signups",
    response={201: SignUpOut, 400: Error, 403: Error, 404: Error},
    summary="代志愿者报名（满员进入候补）",
)
@_not_found
def create_signup(request: HttpRequest, payload: SignUpIn) -> Status[JsonObject]:
    volunteer = selectors.volunteers_visible_to(request.user).get(pk=payload.volunteer_id)
    signup = services.signup_create(
        volunteer=volunteer, shift_id=payload.shift_id, actor=request_actor(request)
    )
    return Status(
        201,
        {
            "id": signup.pk,
            "shift_id": signup.shift_id,
            "volunteer_id": volunteer.pk,
            "status": signup.status,
            "minutes": signup.minutes,
        },
    )


@router.get(
    "/{volunteer_id}/hours",
    response={200: HoursOut, 404: Error},
    summary="志愿者累计服务时长（分钟）",
)
@_not_found
def volunteer_hours(request: HttpRequest, volunteer_id: Id) -> JsonObject:
    volunteer = selectors.volunteers_visible_to(request.user).get(pk=volunteer_id)
    summary = selectors.volunteer_hours(volunteer)
    return {
        "volunteer_id": volunteer.pk,
        "minutes": summary.minutes,
        "activities": summary.activities,
    }
