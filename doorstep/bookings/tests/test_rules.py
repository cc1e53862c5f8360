"""Every booking rule refuses with a clear Chinese message and writes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from doorstep.bookings.choices import BookingStatus
from doorstep.bookings.models import Booking, BookingEvent, Facility
from doorstep.bookings.services import (
    Booker,
    booking_create,
    booking_decide,
)
from doorstep.conftest import World, make_resident
from doorstep.places.models import Resident

from .conftest import NOW, make_facility, portal, slot


def _book(resident: Resident, facility: Facility, day: int, hour: int, **kw: int) -> Booking:
    start, end = slot(day, hour, **kw)
    return booking_create(
        booker=portal(resident), facility_id=facility.pk, starts_at=start, ends_at=end, now=NOW
    )


def _refused(resident: Resident, facility: Facility, day: int, hour: int, **kw: int) -> str:
    before = (Booking.objects.count(), BookingEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        _book(resident, facility, day, hour, **kw)
    assert (Booking.objects.count(), BookingEvent.objects.count()) == before
    return "；".join(error.value.messages)


def test_booking_inside_the_rules_is_confirmed_with_one_event(
    table: Facility, resident: Resident
) -> None:
    booking = _book(resident, table, 3, 19)
    assert booking.status == BookingStatus.CONFIRMED
    assert list(booking.events.values_list("kind", flat=True)) == ["booked"]


def test_booking_after_closing_time_is_refused(table: Facility, resident: Resident) -> None:
    assert "开放时间为 08:30–20:00" in _refused(resident, table, 3, 19, minute=30)


def test_booking_before_opening_is_refused(table: Facility, resident: Resident) -> None:
    assert "不在开放时间内" in _refused(resident, table, 3, 8)


def test_overlapping_booking_is_refused(
    table: Facility, resident: Resident, neighbour: Resident
) -> None:
    _book(resident, table, 3, 10)
    assert "该时段已被预约" in _refused(neighbour, table, 3, 10, minute=30)


def test_adjacent_booking_is_allowed(
    table: Facility, resident: Resident, neighbour: Resident
) -> None:
    _book(resident, table, 3, 10)
    assert _book(neighbour, table, 3, 11).status == BookingStatus.CONFIRMED


def test_booking_too_far_ahead_is_refused(table: Facility, resident: Resident) -> None:
    assert "最多只能提前 7 天预约" in _refused(resident, table, 10, 10)


def test_booking_the_last_day_of_the_window_is_allowed(table: Facility, resident: Resident) -> None:
    assert _book(resident, table, 9, 10).pk


def test_weekly_limit_is_per_resident(
    table: Facility, resident: Resident, neighbour: Resident
) -> None:
    _book(resident, table, 3, 10)
    _book(resident, table, 4, 10)
    assert "每人每周最多预约该场地 2 次" in _refused(resident, table, 5, 10)
    assert _book(neighbour, table, 5, 10).pk
    # the next week starts on Monday
    assert _book(resident, table, 9, 10).pk


def test_too_short_and_too_long_are_refused(table: Facility, resident: Resident) -> None:
    assert "30 到 120 分钟" in _refused(resident, table, 3, 10, length=15)
    assert "30 到 120 分钟" in _refused(resident, table, 3, 10, length=150)


def test_booking_in_the_past_is_refused(table: Facility, resident: Resident) -> None:
    assert "已经过去" in _refused(resident, table, 2, 8, minute=30)


def test_community_only_facility_refuses_another_communitys_resident(
    world: World, table: Facility
) -> None:
    outsider = make_resident(world.b, "赵外来", "13700002222")
    assert "仅供本社区居民" in _refused(outsider, table, 3, 10)


def test_groups_only_facility_refuses_residents_but_takes_staff_bookings(
    world: World, resident: Resident
) -> None:
    room = make_facility(world, "多功能活动室", kind="room", who_may_book="groups")
    assert "只接受团体预约" in _refused(resident, room, 3, 10)
    start, end = slot(3, 10)
    booking = booking_create(
        booker=Booker(actor=world.desk_a, group_name="红玫瑰欢乐舞蹈队"),
        facility_id=room.pk,
        starts_at=start,
        ends_at=end,
        now=NOW,
    )
    assert booking.channel == "desk" and booking.holder == "红玫瑰欢乐舞蹈队"


def test_approval_facility_holds_the_slot_pending_until_decided(
    world: World, resident: Resident, neighbour: Resident
) -> None:
    room = make_facility(world, "调解室", kind="room", needs_approval=True)
    booking = _book(resident, room, 3, 10)
    assert booking.status == BookingStatus.PENDING
    assert "该时段已被预约" in _refused(neighbour, room, 3, 10)
    with pytest.raises(ValidationError, match="须填写理由"):
        booking_decide(actor=world.desk_a, booking_id=booking.pk, approve=False, now=NOW)
    decided = booking_decide(actor=world.desk_a, booking_id=booking.pk, approve=True, now=NOW)
    assert decided.status == BookingStatus.CONFIRMED


def test_staff_book_on_behalf_without_the_weekly_limit_for_groups(
    world: World, table: Facility, resident: Resident
) -> None:
    start, end = slot(3, 10)
    booking = booking_create(
        booker=Booker(actor=world.desk_a, resident=resident),
        facility_id=table.pk,
        starts_at=start,
        ends_at=end,
        now=NOW,
    )
    assert booking.created_by == world.desk_a and booking.resident == resident


def test_staff_of_another_community_cannot_book_this_facility(
    world: World, table: Facility
) -> None:
    start, end = slot(3, 10)
    with pytest.raises(Facility.DoesNotExist):
        booking_create(
            booker=Booker(actor=world.desk_b, group_name="x"),
            facility_id=table.pk,
            starts_at=start,
            ends_at=end,
            now=NOW,
        )


def test_staff_cannot_book_for_a_resident_outside_their_area(world: World, table: Facility) -> None:
    outsider = make_resident(world.c, "钱远方", "13600003333")
    start, end = slot(3, 10)
    with pytest.raises(Resident.DoesNotExist):
        booking_create(
            booker=Booker(actor=world.desk_a, resident=outsider),
            facility_id=table.pk,
            starts_at=start,
            ends_at=end,
            now=NOW,
        )


def test_department_staff_cannot_book(world: World, table: Facility) -> None:
    start, end = slot(3, 10)
    with pytest.raises(PermissionDenied):
        booking_create(
            booker=Booker(actor=world.department_user, group_name="x"),
            facility_id=table.pk,
            starts_at=start,
            ends_at=end,
            now=NOW,
        )


def test_only_secretary_or_street_set_up_facilities(world: World) -> None:
    with pytest.raises(PermissionDenied):
        make_facility_as(world, world.desk_a)


def make_facility_as(world: World, actor: User) -> None:
    from doorstep.bookings.services import FacilityData, facility_save

    facility_save(
        actor=actor,
        data=FacilityData(community_id=world.a.pk, name="图书室", kind="library"),
    )
