"""/api/v1/bookings: facilities, schedules, usage (reads) and booking create/cancel for
partner apps, through the same services and the same area scoping as the desk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from doorstep.core.keyset import Ordering, paginate, query_digest
from doorstep.core.schemas import Error, Id, page_headers
from doorstep.core.types import JsonObject, request_actor
from doorstep.places.models import Resident
from doorstep.places.selectors import residents_visible_to

from . import selectors, services
from .filters import BookingFilter
from .models import Booking, Facility

router = Router(tags=["bookings"])
P = ParamSpec("P")
R = TypeVar("R")

BY_FACILITY = Ordering("id", descending=False)  # the facilities list pages oldest first


def _not_found(view: Callable[P, R]) -> Callable[P, R]:
    """Another area's object, or a missing one, is a 404 (never a 500)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None

    return wrapper


class FacilityOut(Schema):
    id: int
    community: str
    name: str
    kind: str
    place: str
    capacity: int
    opens_at: str
    closes_at: str
    min_minutes: int
    max_minutes: int
    advance_days: int
    weekly_limit: int
    who_may_book: str
    needs_approval: bool


class BookingOut(Schema):
    id: int
    facility_id: int
    facility: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_label: str
    channel: str
    holder: str
    series_id: int | None


class BookingIn(Schema):
    facility_id: Id
    starts_at: datetime
    ends_at: datetime
    resident_id: Id | None = None
    group_name: str = ""


class UsageOut(Schema):
    facility_id: int
    name: str
    community: str
    booked_hours: float
    used_hours: float
    no_show_hours: float
    use_rate: int | None


def facility_out(f: Facility) -> JsonObject:
    return {
        "id": f.pk,
        "community": f.community.name,
        "name": f.name,
        "kind": f.kind,
        "place": f.place,
        "capacity": f.capacity,
        "opens_at": f.opens_at.strftime("%H:%M"),
        "closes_at": f.closes_at.strftime("%H:%M"),
        "min_minutes": f.min_minutes,
        "max_minutes": f.max_minutes,
        "advance_days": f.advance_days,
        "weekly_limit": f.weekly_limit,
        "who_may_book": f.who_may_book,
        "needs_approval": f.needs_approval,
    }


def booking_out(b: Booking) -> JsonObject:
    return {
        "id": b.pk,
        "facility_id": b.facility_id,
        "facility": b.facility.name,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "status": b.status,
        "status_label": b.get_status_display(),
        "channel": b.channel,
        "holder": b.holder,
        "series_id": b.series_id,
    }


@router.get(
    "/facilities",
    response={200: list[FacilityOut], 400: Error},
    summary="场地列表（辖区内，游标翻页）",
)
def list_facilities(
    request: HttpRequest,
    response: HttpResponse,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(100, ge=1, le=500),
) -> list[JsonObject]:
    """Oldest first (by id). The next and previous pages are in the `Link` header and in
    `X-Next-Cursor` / `X-Previous-Cursor`, the total in `X-Total-Count`, as `GET /cases`; a
    forged or stale cursor is a 400 in Chinese."""
    facilities = selectors.facilities_visible_to(request.user)
    digest = query_digest("api-facilities", request.user.pk)
    page = paginate(facilities, cursor=cursor, digest=digest, size=limit, ordering=BY_FACILITY)
    page_headers(request, response, page)
    return [facility_out(f) for f in page.rows]


@router.get(
    "",
    response=list[BookingOut],
    summary="预约列表（facility, status, from, to 与工作台同一筛选；after 翻页）",
)
def list_bookings(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(100, ge=1, le=500),
) -> list[JsonObject]:
    """Keyset pagination: `after` = the id of the last booking seen (ordered by start, id)."""
    flt = BookingFilter.from_query(request.GET)
    visible = selectors.facility_bookings(selectors.facilities_visible_to(request.user))
    qs = flt.apply(visible, timezone.localdate())
    last = visible.filter(pk=after).values_list("starts_at", flat=True).first() if after else None
    if last is not None:
        qs = qs.filter(Q(starts_at__gt=last) | Q(starts_at=last, pk__gt=after))
    return [booking_out(b) for b in qs[:limit]]


@router.get("/usage", response=list[UsageOut], summary="场地使用情况（预约、实际使用、爽约小时）")
def usage(
    request: HttpRequest, day_from: date | None = None, day_to: date | None = None
) -> list[JsonObject]:
    today = timezone.localdate()
    first = day_from if day_from and 2000 <= day_from.year <= 2100 else today.replace(day=1)
    last = day_to if day_to and 2000 <= day_to.year <= 2100 else today
    last = min(last, first + timedelta(days=366))
    rows = selectors.facility_usage(
        selectors.facilities_visible_to(request.user),
        selectors.day_bounds(first)[0],
        selectors.day_bounds(last)[1],
    )
    return [{**r.__dict__, "use_rate": r.use_rate} for r in rows]


@router.post(
    "",
    response={201: BookingOut, 400: Error, 403: Error, 404: Error},
    summary="代居民或团体预约",
)
@_not_found
def create_booking(request: HttpRequest, payload: BookingIn) -> Status[JsonObject]:
    actor = request_actor(request)
    resident: Resident | None = None
    if payload.resident_id is not None:
        resident = residents_visible_to(actor).filter(pk=payload.resident_id).first()
        if resident is None:
            raise ValidationError({"resident_id": _("所选居民不存在或不在您的辖区。")})
    if payload.starts_at.tzinfo is None or payload.ends_at.tzinfo is None:
        raise ValidationError({"starts_at": _("时间须带时区，如 2026-03-03T10:00:00+08:00。")})
    if not all(2000 <= t.year <= 2100 for t in (payload.starts_at, payload.ends_at)):
        raise ValidationError({"starts_at": _("预约时间不正确。")})
    booking = services.booking_create(
        booker=services.Booker(
            actor=actor, resident=resident, group_name=payload.group_name.replace("\x00", "")
        ),
        facility_id=payload.facility_id,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )
    return Status(201, booking_out(booking))


@router.post(
    "/{booking_id}/cancel",
    response={200: BookingOut, 400: Error, 403: Error, 404: Error},
    summary="取消预约（空位通知候补）",
)
@_not_found
def cancel_booking(request: HttpRequest, booking_id: Id) -> JsonObject:
    booking = services.booking_cancel(
        booker=services.Booker(actor=request_actor(request)), booking_id=booking_id
    )
    return booking_out(booking)
