"""/api/v1/bookings and /api/v1/volunteers: reads in scope, writes through the services."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from doorstep.api.services import api_token_create
from doorstep.bookings.models import Booking, Facility
from doorstep.bookings.tests.conftest import make_facility
from doorstep.conftest import World
from doorstep.places.models import Resident


def _client(user: User) -> Client:
    _, key = api_token_create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _slot(hour: int) -> tuple[str, str]:
    day = timezone.localdate() + timedelta(days=1)
    return f"{day}T{hour:02d}:00:00+08:00", f"{day}T{hour + 1:02d}:00:00+08:00"


def test_partner_books_and_cancels_and_double_booking_is_a_chinese_400(
    world: World, table: Facility, resident: Resident
) -> None:
    api = _client(world.desk_a)
    start, end = _slot(10)
    body = {"facility_id": table.pk, "starts_at": start, "ends_at": end, "resident_id": resident.pk}
    first = api.post("/api/v1/bookings", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["holder"] == "王秀英"
    again = api.post(
        "/api/v1/bookings",
        {**body, "resident_id": None, "group_name": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "该时段已被预约" in again.json()["message"]
    cancelled = api.post(f"/api/v1/bookings/{first.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"


def test_another_communitys_facility_is_404_on_the_api(world: World, table: Facility) -> None:
    start, end = _slot(10)
    response = _client(world.desk_b).post(
        "/api/v1/bookings",
        {"facility_id": table.pk, "starts_at": start, "ends_at": end, "group_name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert _client(world.desk_b).get("/api/v1/bookings/facilities").json() == []
    assert Booking.objects.count() == 0


def test_usage_and_list_read_in_scope(world: World, table: Facility) -> None:
    api = _client(world.secretary_a)
    assert [r["name"] for r in api.get("/api/v1/bookings/usage").json()] == ["乒乓球台1号"]
    assert api.get("/api/v1/bookings", {"facility": "abc", "from": "99999-1-1"}).status_code == 200


def test_booking_list_pages_by_keyset(world: World, table: Facility, resident: Resident) -> None:
    api = _client(world.desk_a)
    ids = []
    for hour in (9, 11, 13):
        start, end = _slot(hour)
        body = {"facility_id": table.pk, "starts_at": start, "ends_at": end, "group_name": "队"}
        ids.append(api.post("/api/v1/bookings", body, content_type="application/json").json()["id"])
    first = api.get("/api/v1/bookings", {"limit": 2}).json()
    assert [b["id"] for b in first] == ids[:2]
    rest = api.get("/api/v1/bookings", {"limit": 2, "after": ids[1]}).json()
    assert [b["id"] for b in rest] == ids[2:]


def test_facility_list_pages_by_cursor_past_the_first_page(world: World, table: Facility) -> None:
    for n in range(2, 6):
        make_facility(world, f"乒乓球台{n}号")
    api = _client(world.secretary_a)
    first = api.get("/api/v1/bookings/facilities", {"limit": 2})
    assert first.status_code == 200 and first["X-Total-Count"] == "5"
    seen = [f["id"] for f in first.json()]
    cursor: str | None = first["X-Next-Cursor"]
    assert 'rel="next"' in first["Link"] and "X-Previous-Cursor" not in first
    while cursor:
        page = api.get("/api/v1/bookings/facilities", {"limit": "2", "cursor": cursor})
        assert page.status_code == 200 and page["X-Previous-Cursor"]
        seen += [f["id"] for f in page.json()]
        cursor = page.get("X-Next-Cursor")
    ids = sorted(Facility.objects.filter(community=world.a).values_list("pk", flat=True))
    assert seen == ids and len(seen) == 5  # three pages, every facility once, oldest first


def test_a_forged_facility_cursor_is_a_chinese_400(world: World, table: Facility) -> None:
    response = _client(world.secretary_a).get("/api/v1/bookings/facilities", {"cursor": "x"})
    assert response.status_code == 400 and "翻页参数无效" in response.json()["message"]
