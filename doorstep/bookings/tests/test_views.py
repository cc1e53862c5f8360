"""Desk and portal pages: scope, the pass session, refusals shown in Chinese, iCal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from pytest_django import DjangoAssertNumQueries

from doorstep.bookings.models import Booking, Facility
from doorstep.bookings.services import (
    Booker,
    FacilityData,
    booking_create,
    facility_save,
    pass_issue,
)
from doorstep.conftest import World
from doorstep.places.models import Resident

from .conftest import make_facility


def _tomorrow(hour: int) -> tuple[str, str]:
    day = timezone.localdate() + timedelta(days=1)
    return day.isoformat(), f"{hour:02d}:00"


def _portal_client(world: World, resident: Resident) -> Client:
    client = Client()
    code = pass_issue(actor=world.desk_a, resident_id=resident.pk)
    client.post("/book/pass/", {"code": code})
    return client


def test_desk_page_shows_usage_and_counts_queries(
    world: World,
    table: Facility,
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(14):
        page = client.get("/desk/bookings/")
    assert page.status_code == 200
    assert "使用情况" in page.content.decode() and table.name in page.content.decode()


def test_facility_page_of_another_community_is_404(
    world: World, table: Facility, client: Client
) -> None:
    client.force_login(world.desk_b)
    assert client.get(f"/desk/bookings/facilities/{table.pk}/").status_code == 404
    client.force_login(world.desk_a)
    assert client.get(f"/desk/bookings/facilities/{table.pk}/").status_code == 200


def test_department_staff_may_not_open_the_booking_desk(world: World, client: Client) -> None:
    client.force_login(world.department_user)
    assert client.get("/desk/bookings/").status_code == 403


def test_resident_books_on_the_portal_with_a_pass(
    world: World, table: Facility, resident: Resident
) -> None:
    client = _portal_client(world, resident)
    day, start = _tomorrow(10)
    page = client.post(f"/book/{table.pk}/", {"day": day, "start": start, "end": "11:00"})
    assert page.status_code == 302
    booking = Booking.objects.get()
    assert booking.resident == resident and booking.channel == "portal"
    assert "乒乓球台1号" in client.get("/book/").content.decode()


def test_portal_refuses_a_double_booking_in_chinese_and_offers_the_waitlist(
    world: World, table: Facility, resident: Resident, neighbour: Resident
) -> None:
    day, start = _tomorrow(10)
    _portal_client(world, resident).post(
        f"/book/{table.pk}/", {"day": day, "start": start, "end": "11:00"}
    )
    other = _portal_client(world, neighbour)
    page = other.post(f"/book/{table.pk}/", {"day": day, "start": "10:30", "end": "11:30"})
    text = page.content.decode()
    assert page.status_code == 200 and "该时段已被预约" in text and "加入候补" in text
    assert Booking.objects.count() == 1


def test_portal_without_a_pass_books_nothing(table: Facility, client: Client) -> None:
    day, start = _tomorrow(10)
    page = client.post(f"/book/{table.pk}/", {"day": day, "start": start, "end": "11:00"})
    assert "请先输入居民码" in page.content.decode()
    assert Booking.objects.count() == 0


def test_a_wrong_pass_code_is_refused(db: None, client: Client) -> None:
    page = client.post("/book/pass/", {"code": "XXXX-XXXX"}, follow=True)
    assert "居民码不正确" in page.content.decode()


def test_reissued_pass_ends_the_old_session(
    world: World, table: Facility, resident: Resident
) -> None:
    client = _portal_client(world, resident)
    pass_issue(actor=world.desk_a, resident_id=resident.pk)
    assert "输入居民码" in client.get("/book/").content.decode()


def test_resident_cannot_cancel_a_neighbours_booking(
    world: World, table: Facility, resident: Resident, neighbour: Resident
) -> None:
    day, start = _tomorrow(10)
    _portal_client(world, resident).post(
        f"/book/{table.pk}/", {"day": day, "start": start, "end": "11:00"}
    )
    booking = Booking.objects.get()
    other = _portal_client(world, neighbour)
    assert other.post(f"/book/bookings/{booking.pk}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_staff_book_on_behalf_and_see_the_refusal_message(
    world: World, table: Facility, resident: Resident, client: Client
) -> None:
    client.force_login(world.desk_a)
    day, start = _tomorrow(19)
    url = f"/desk/bookings/facilities/{table.pk}/book/"
    client.post(url, {"day": day, "start": start, "end": "20:00", "resident": resident.pk})
    page = client.post(
        url, {"day": day, "start": "19:30", "end": "20:30", "group_name": "乒乓球队"}, follow=True
    )
    assert "开放时间为 08:30–20:00" in page.content.decode()
    assert Booking.objects.count() == 1


def test_ical_feed_lists_slots_without_names_and_links_back(
    world: World, table: Facility, resident: Resident, client: Client
) -> None:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    start = start.replace(hour=2)  # 10:00 in Shanghai
    booking_create(
        booker=Booker(resident=resident),
        facility_id=table.pk,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    response = client.get(f"/book/{table.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert resident.name not in response.content.decode()
    assert str(events[0]["url"]).endswith(f"/book/{table.pk}/")


def test_inactive_facility_is_not_on_the_portal(world: World, client: Client) -> None:
    hidden = make_facility(world, "维修中的球场", kind="court")
    Facility.objects.filter(pk=hidden.pk).update(active=False)
    assert client.get(f"/book/{hidden.pk}/").status_code == 404


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999999"])
def test_portal_community_parameter_is_bounded(db: None, client: Client, bad: str) -> None:
    assert client.get("/book/", {"community": bad}).status_code == 200


def test_portal_pages_query_count_does_not_grow_with_bookings(
    world: World,
    table: Facility,
    resident: Resident,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = _portal_client(world, resident)
    for hour in (9, 11, 13, 15):
        day, start = _tomorrow(hour)
        client.post(f"/book/{table.pk}/", {"day": day, "start": start, "end": f"{hour + 1:02d}:00"})
    day, _start = _tomorrow(9)
    with django_assert_max_num_queries(8):
        assert client.get("/book/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/book/{table.pk}/", {"day": day}).status_code == 200


def test_secretary_changes_the_rules_and_desk_cannot(
    world: World, table: Facility, client: Client
) -> None:
    rules = {
        "name": table.name,
        "kind": "table_tennis",
        "place": "东侧",
        "capacity": "4",
        "opens_at": "09:00",
        "closes_at": "19:00",
        "min_minutes": "30",
        "max_minutes": "90",
        "advance_days": "5",
        "weekly_limit": "1",
        "who_may_book": "anyone",
        "rules_note": "",
        "next": f"/desk/bookings/facilities/{table.pk}/",
    }
    url = f"/desk/bookings/facilities/{table.pk}/rules/"
    client.force_login(world.desk_a)
    assert client.post(url, rules).status_code == 403
    table.refresh_from_db()
    assert table.weekly_limit == 2
    client.force_login(world.secretary_a)
    client.post(url, rules)
    table.refresh_from_db()
    assert (table.closes_at.hour, table.weekly_limit, table.who_may_book) == (19, 1, "anyone")
    client.force_login(world.secretary_b)
    assert client.post(url, rules).status_code == 404


def test_desk_of_another_community_is_404_not_the_workers_own(
    world: World, table: Facility, client: Client
) -> None:
    client.force_login(world.desk_b)
    assert client.get(f"/desk/bookings/?community={world.a.pk}").status_code == 404
    assert client.get(f"/desk/bookings/?community={world.b.pk}").status_code == 200
    client.force_login(world.other_street_user)
    assert client.get(f"/desk/bookings/?community={world.a.pk}").status_code == 404
    client.force_login(world.street_user)
    page = client.get(f"/desk/bookings/?community={world.a.pk}")
    assert page.status_code == 200 and table.name in page.content.decode()
    # A facility set up "for" another community is refused, not put in the worker's own.
    client.force_login(world.secretary_b)
    form = {"community": world.a.pk, "name": "会议室"}
    assert client.post("/desk/bookings/facilities/new/", form).status_code == 404
    assert not Facility.objects.filter(name="会议室").exists()


def test_desk_reads_the_resident_through_its_area_and_404s_another_communitys(
    world: World, table: Facility, resident: Resident, client: Client
) -> None:
    """`pass_issue` and `book_on_behalf` look the resident up through the access policy
    (`selectors.resident_for_desk`): community B's desk, at B's own table, gets a 404 for A's
    resident."""
    data = FacilityData(community_id=world.b.pk, name="乙社区球台", kind="table_tennis")
    theirs = facility_save(actor=world.secretary_b, data=data)
    client.force_login(world.desk_b)
    assert client.post("/desk/bookings/pass/", {"resident": resident.pk}).status_code == 404
    day, start = _tomorrow(10)
    url = f"/desk/bookings/facilities/{theirs.pk}/book/"
    booked = client.post(url, {"day": day, "start": start, "end": "11:00", "resident": resident.pk})
    assert booked.status_code == 404 and not Booking.objects.exists()
    client.force_login(world.desk_a)
    page = client.post("/desk/bookings/pass/", {"resident": resident.pk})
    assert page.status_code == 200 and resident.name in page.content.decode()
