"""Cancel, waitlist offers, check-in, no-show release by tick, group series, usage, passes."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from pytest_django import DjangoAssertNumQueries

from doorstep.bookings.choices import BookingStatus, WaitStatus
from doorstep.bookings.models import Booking, BookingSeries, Facility
from doorstep.bookings.selectors import facilities_visible_to, facility_usage, resident_by_pass
from doorstep.bookings.services import (
    Booker,
    SeriesData,
    booking_cancel,
    booking_check_in,
    booking_create,
    bookings_tick,
    pass_issue,
    series_cancel,
    series_create,
    waitlist_accept,
    waitlist_join,
)
from doorstep.conftest import World, at
from doorstep.core.models import AuditEntry
from doorstep.places.models import Resident

from .conftest import NOW, portal, slot


def _book(resident: Resident, facility: Facility, day: int = 3, hour: int = 10) -> Booking:
    start, end = slot(day, hour)
    return booking_create(
        booker=portal(resident), facility_id=facility.pk, starts_at=start, ends_at=end, now=NOW
    )


def test_resident_cancels_own_booking_but_not_a_neighbours(
    table: Facility, resident: Resident, neighbour: Resident
) -> None:
    booking = _book(resident, table)
    with pytest.raises(Booking.DoesNotExist):
        booking_cancel(booker=portal(neighbour), booking_id=booking.pk, now=NOW)
    cancelled = booking_cancel(booker=portal(resident), booking_id=booking.pk, now=NOW)
    assert cancelled.status == BookingStatus.CANCELLED
    assert _book(neighbour, table).status == BookingStatus.CONFIRMED


def test_freed_slot_is_offered_to_the_first_waiting_resident_who_can_take_it(
    world: World, table: Facility, resident: Resident, neighbour: Resident
) -> None:
    from doorstep.conftest import make_resident

    third = make_resident(world.a, "张三", "13500004444")
    booking = _book(resident, table)
    start, end = slot(3, 10)
    first = waitlist_join(
        resident=neighbour, facility_id=table.pk, starts_at=start, ends_at=end, now=NOW
    )
    second = waitlist_join(
        resident=third,
        facility_id=table.pk,
        starts_at=start,
        ends_at=end,
        now=NOW + timedelta(minutes=1),
    )
    booking_cancel(booker=portal(resident), booking_id=booking.pk, now=NOW)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WaitStatus.OFFERED, WaitStatus.WAITING)
    taken = waitlist_accept(resident=neighbour, entry_id=first.pk, now=NOW + timedelta(minutes=5))
    assert taken.resident == neighbour and taken.status == BookingStatus.CONFIRMED


def test_expired_offer_passes_to_the_next_in_line_on_tick(
    world: World, table: Facility, resident: Resident, neighbour: Resident
) -> None:
    from doorstep.conftest import make_resident

    third = make_resident(world.a, "张三", "13500004444")
    booking = _book(resident, table)
    start, end = slot(3, 10)
    first = waitlist_join(
        resident=neighbour, facility_id=table.pk, starts_at=start, ends_at=end, now=NOW
    )
    second = waitlist_join(
        resident=third, facility_id=table.pk, starts_at=start, ends_at=end, now=NOW
    )
    booking_cancel(booker=portal(resident), booking_id=booking.pk, now=NOW)
    later = NOW + timedelta(minutes=31)
    bookings_tick(now=later)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WaitStatus.EXPIRED, WaitStatus.OFFERED)
    with pytest.raises(ValidationError, match="已失效"):
        waitlist_accept(resident=neighbour, entry_id=first.pk, now=later)


def test_joining_the_waitlist_for_a_free_slot_says_book_it(
    table: Facility, resident: Resident
) -> None:
    start, end = slot(3, 10)
    with pytest.raises(ValidationError, match="可以直接预约"):
        waitlist_join(
            resident=resident, facility_id=table.pk, starts_at=start, ends_at=end, now=NOW
        )


def test_tick_releases_a_no_show_after_fifteen_minutes_and_not_before(
    table: Facility, resident: Resident
) -> None:
    booking = _book(resident, table)
    assert bookings_tick(now=booking.starts_at + timedelta(minutes=14)) == 0
    assert bookings_tick(now=booking.starts_at + timedelta(minutes=15)) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RELEASED
    assert bookings_tick(now=booking.starts_at + timedelta(minutes=16)) == 0


def test_checked_in_booking_is_not_released(table: Facility, resident: Resident) -> None:
    booking = _book(resident, table)
    booking_check_in(
        booker=portal(resident), booking_id=booking.pk, now=booking.starts_at - timedelta(minutes=5)
    )
    assert bookings_tick(now=booking.starts_at + timedelta(minutes=30)) == 0


def test_check_in_too_early_is_refused(table: Facility, resident: Resident) -> None:
    booking = _book(resident, table)
    with pytest.raises(ValidationError, match="开始前 15 分钟"):
        booking_check_in(
            booker=portal(resident),
            booking_id=booking.pk,
            now=booking.starts_at - timedelta(minutes=20),
        )


def test_release_offers_the_rest_of_the_slot_to_the_waitlist(
    table: Facility, resident: Resident, neighbour: Resident
) -> None:
    booking = _book(resident, table)
    start, end = slot(3, 10, 30, length=30)
    entry = waitlist_join(
        resident=neighbour, facility_id=table.pk, starts_at=start, ends_at=end, now=NOW
    )
    bookings_tick(now=booking.starts_at + timedelta(minutes=15))
    entry.refresh_from_db()
    assert entry.status == WaitStatus.OFFERED


def _season(world: World, table: Facility, **kw: object) -> BookingSeries:
    data = SeriesData(
        facility_id=table.pk,
        group_name="乒乓球自组织",
        weekday=1,  # Tuesday
        starts_at=time(18, 30),
        ends_at=time(20, 0),
        first_day=date(2026, 3, 2),
        last_day=date(2026, 5, 31),
    )
    return series_create(actor=world.desk_a, data=data, now=NOW)


def test_series_books_every_tuesday_of_the_season(world: World, table: Facility) -> None:
    series = _season(world, table)
    days = [b.starts_at.date() for b in series.bookings.order_by("starts_at")]
    assert len(days) == 13 and all(d.weekday() == 1 for d in days)
    assert series.bookings.filter(status=BookingStatus.CONFIRMED).count() == 13


def test_series_with_one_clash_is_refused_whole(
    world: World, table: Facility, resident: Resident
) -> None:
    start = at(2026, 3, 3, 19, 0)
    booking_create(
        booker=portal(resident),
        facility_id=table.pk,
        starts_at=start,
        ends_at=start + timedelta(minutes=60),
        now=NOW,
    )
    with pytest.raises(ValidationError, match="03-03"):
        _season(world, table)
    assert BookingSeries.objects.count() == 0
    assert Booking.objects.filter(series__isnull=False).count() == 0


def test_series_cancel_frees_every_future_slot_at_once_and_keeps_the_past(
    world: World, table: Facility
) -> None:
    series = _season(world, table)
    later = at(2026, 4, 1, 9, 0)
    with pytest.raises(ValidationError, match="须填写理由"):
        series_cancel(actor=world.desk_a, series_id=series.pk, reason=" ", now=later)
    n = series_cancel(actor=world.desk_a, series_id=series.pk, reason="球台维修", now=later)
    assert n == 8
    assert series.bookings.filter(status=BookingStatus.CANCELLED).count() == 8
    assert series.bookings.filter(starts_at__lt=later).exclude(status="cancelled").count() == 5
    events = series.facility.events.filter(kind="series_cancelled")
    assert events.count() == 1 and "球台维修" in events.get().note


def test_usage_counts_booked_used_and_no_show_hours_in_one_query(
    world: World,
    table: Facility,
    resident: Resident,
    neighbour: Resident,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    used = _book(resident, table, 3, 10)
    _book(neighbour, table, 3, 14)
    booking_check_in(booker=portal(resident), booking_id=used.pk, now=used.starts_at)
    bookings_tick(now=at(2026, 3, 3, 15, 0))  # the 14:00 one was a no-show
    with django_assert_max_num_queries(1):
        rows = facility_usage(
            facilities_visible_to(world.secretary_a), at(2026, 3, 1, 0), at(2026, 4, 1, 0)
        )
    assert [(r.booked_hours, r.used_hours, r.no_show_hours, r.use_rate) for r in rows] == [
        (2.0, 1.0, 1.0, 50)
    ]


def test_pass_code_finds_the_resident_and_reissue_voids_the_old_code(
    world: World, resident: Resident
) -> None:
    code = pass_issue(actor=world.desk_a, resident_id=resident.pk, now=NOW)
    assert resident_by_pass(code.lower()) == resident
    assert AuditEntry.objects.filter(action="pass_issue", object_id=str(resident.pk)).count() == 1
    new = pass_issue(actor=world.desk_a, resident_id=resident.pk, now=NOW)
    assert resident_by_pass(code) is None and resident_by_pass(new) == resident


def test_pass_for_another_communitys_resident_is_refused(world: World, resident: Resident) -> None:
    with pytest.raises(Resident.DoesNotExist):
        pass_issue(actor=world.desk_b, resident_id=resident.pk, now=NOW)


def test_staff_cancel_uses_their_area(world: World, table: Facility, resident: Resident) -> None:
    booking = _book(resident, table)
    with pytest.raises(Facility.DoesNotExist):
        booking_cancel(booker=Booker(actor=world.desk_b), booking_id=booking.pk, now=NOW)
    assert booking_cancel(booker=Booker(actor=world.desk_a), booking_id=booking.pk, now=NOW)


def test_tick_command_reports_released_bookings(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("tick", "--no-train", stdout=out)
    assert "场地预约爽约释放 0 次。" in out.getvalue()


def test_admin_cannot_change_a_booking(world: World, table: Facility, resident: Resident) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    booking = _book(resident, table)
    request = RequestFactory().get("/")
    model_admin = admin.site._registry[Booking]
    assert not model_admin.has_change_permission(request, booking)
    assert not model_admin.has_delete_permission(request, booking)
