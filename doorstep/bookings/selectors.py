"""Reads for facilities and bookings, always through the worker's area (or, on the portal,
through the resident's own pass)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from doorstep.core import crypto
from doorstep.places import access
from doorstep.places.models import Community, Resident
from doorstep.places.selectors import User, communities_for

from .choices import HOLDING, BookingStatus, WaitStatus
from .models import Booking, Facility, ResidentPass, WaitlistEntry


def facilities_visible_to(user: User) -> QuerySet[Facility]:
    return Facility.objects.filter(community__in=communities_for(user)).select_related("community")


def facilities_public(community_id: int | None = None) -> QuerySet[Facility]:
    qs = Facility.objects.filter(active=True).select_related("community")
    return qs.filter(community_id=community_id) if community_id else qs


def resident_for_desk(user: User, resident_id: int) -> Resident:
    """The resident a desk worker books for or issues a 居民码 to, in the worker's area
    (`Resident.DoesNotExist`, a 404, for another community's resident or an unknown id)."""
    return access.access_object(user, Resident, resident_id)


def pass_code_hash(code: str) -> str:
    """The stored form of a 居民码: case, spaces and dashes do not matter."""
    return crypto.lookup_hash("pass:" + "".join(ch for ch in (code or "").upper() if ch.isalnum()))


def resident_by_pass(code: str) -> Resident | None:
    """The resident a 居民码 belongs to (None for a wrong or re-issued code)."""
    if not code.strip():
        return None
    found = (
        ResidentPass.objects.filter(code_hash=pass_code_hash(code))
        .select_related("resident__community")
        .first()
    )
    return found.resident if found else None


def resident_by_pass_hash(resident_id: int, code_hash: str) -> Resident | None:
    """The portal session keeps the resident id and the pass hash: a re-issued pass ends it."""
    found = (
        ResidentPass.objects.filter(resident_id=resident_id, code_hash=code_hash)
        .select_related("resident__community")
        .first()
    )
    return found.resident if found else None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def facility_schedule(facility: Facility, start: datetime, end: datetime) -> QuerySet[Booking]:
    """The slots held between `start` and `end` (what a day or week view shows)."""
    return (
        Booking.objects.filter(
            facility=facility, status__in=HOLDING, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("resident")
        .order_by("starts_at")
    )


def resident_bookings(resident: Resident, now: datetime) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(resident=resident, ends_at__gt=now - timedelta(days=7))
        .select_related("facility")
        .order_by("starts_at")
    )


def resident_waitlist(resident: Resident, now: datetime) -> QuerySet[WaitlistEntry]:
    return (
        WaitlistEntry.objects.filter(
            resident=resident,
            status__in=(WaitStatus.WAITING, WaitStatus.OFFERED),
            ends_at__gt=now,
        )
        .select_related("facility")
        .order_by("starts_at")
    )


def pending_approvals(user: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            facility__community__in=communities_for(user), status=BookingStatus.PENDING
        )
        .select_related("facility", "resident")
        .order_by("starts_at")
    )


def community_approvals(user: User, community: Community) -> QuerySet[Booking]:
    """The desk's 待审批 card (paged or exported by the caller)."""
    return pending_approvals(user).filter(facility__community=community)


@dataclass(frozen=True)
class Usage:
    """场地使用情况: hours booked, hours used (checked in) and hours lost to no-shows."""

    facility_id: int
    name: str
    community: str
    booked_hours: float
    used_hours: float
    no_show_hours: float

    @property
    def use_rate(self) -> int | None:
        return round(100 * self.used_hours / self.booked_hours) if self.booked_hours else None


def _hours(value: timedelta | None) -> float:
    return round((value or timedelta()).total_seconds() / 3600, 1)


def facility_usage(facilities: QuerySet[Facility], start: datetime, end: datetime) -> list[Usage]:
    """Usage by facility between `start` and `end`, in one query however many facilities
    (for the community overview: "how to make the community library busy" needs numbers).
    A slot that has already ended and was never checked in counts as booked, not used."""
    length = ExpressionWrapper(F("bookings__ends_at") - F("bookings__starts_at"), DurationField())
    window = Q(bookings__starts_at__gte=start, bookings__starts_at__lt=end)
    booked = (
        BookingStatus.CONFIRMED,
        BookingStatus.CHECKED_IN,
        BookingStatus.RELEASED,
        BookingStatus.PENDING,
    )
    rows = (
        facilities.annotate(
            booked=Sum(length, filter=window & Q(bookings__status__in=booked)),
            used=Sum(length, filter=window & Q(bookings__status=BookingStatus.CHECKED_IN)),
            lost=Sum(length, filter=window & Q(bookings__status=BookingStatus.RELEASED)),
        )
        .values("pk", "name", "community__name", "booked", "used", "lost")
        .order_by("community__name", "name")
    )
    return [
        Usage(
            facility_id=r["pk"],
            name=r["name"],
            community=r["community__name"],
            booked_hours=_hours(r["booked"]),
            used_hours=_hours(r["used"]),
            no_show_hours=_hours(r["lost"]),
        )
        for r in rows
    ]


def facility_bookings(facilities: QuerySet[Facility]) -> QuerySet[Booking]:
    return Booking.objects.filter(facility__in=facilities)
