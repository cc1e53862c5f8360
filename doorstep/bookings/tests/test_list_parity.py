"""One `BookingFilter` behind the desk list, /api/v1/bookings and the xlsx: the same bookings for
the same filters; the desk list pages by keyset and says how many; the xlsx masks phones."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from doorstep.api.services import api_token_create
from doorstep.bookings.models import Booking, Facility
from doorstep.conftest import World
from doorstep.places.models import Resident

from .conftest import make_facility

pytestmark = pytest.mark.django_db


def sheet(response: Any) -> list[tuple[Any, ...]]:
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _book(api: Client, facility: Facility, day: int, hour: int, **extra: Any) -> int:
    start = timezone.localdate() + timedelta(days=day)
    body = {
        "facility_id": facility.pk,
        "starts_at": f"{start}T{hour:02d}:00:00+08:00",
        "ends_at": f"{start}T{hour:02d}:30:00+08:00",
        **extra,
    }
    response = api.post("/api/v1/bookings", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def _desk_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="booking-(\d+)">', page)]


@pytest.fixture
def booked(world: World, table: Facility, resident: Resident) -> dict[str, Any]:
    other = make_facility(world, name="活动室")
    _, key = api_token_create(world.secretary_a, "parity")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    ids = [_book(api, table, 1, 9, resident_id=resident.pk)]
    ids += [_book(api, table, 1, h, group_name="=舞蹈队") for h in (11, 14)]
    ids += [_book(api, other, d, 10, group_name="书法") for d in (1, 2, 5)]
    Booking.objects.filter(pk=ids[1]).update(status="cancelled")
    return {"api": api, "ids": ids, "table": table, "other": other}


@pytest.mark.parametrize("which", ["default", "facility", "status", "range"])
def test_desk_api_and_export_list_the_same_bookings(
    client: Client, world: World, booked: dict[str, Any], which: str
) -> None:
    today = timezone.localdate()
    params = {
        "default": {},
        "facility": {"facility": str(booked["other"].pk)},
        "status": {"status": "confirmed"},
        "range": {"from": str(today + timedelta(days=2)), "to": str(today + timedelta(days=6))},
    }[which]
    client.force_login(world.secretary_a)
    desk_params = {"community": str(world.a.pk), **params}
    desk = _desk_ids(client.get("/desk/bookings/", desk_params).content.decode())
    api = [b["id"] for b in booked["api"].get("/api/v1/bookings", params).json()]
    rows = sheet(client.get("/desk/bookings/", {**desk_params, "format": "xlsx"}))
    by_id = {b.pk: b for b in Booking.objects.filter(pk__in=api).select_related("facility")}
    expected = [
        (timezone.localtime(by_id[i].starts_at).replace(tzinfo=None), by_id[i].facility.name)
        for i in api
    ]
    assert desk == api and api  # same bookings, same order (soonest first)
    assert [(r[0], r[2]) for r in rows[1:]] == expected


def test_booking_export_masks_phones_and_escapes_group_names(
    client: Client, world: World, booked: dict[str, Any]
) -> None:
    client.force_login(world.secretary_a)
    rows = sheet(client.get("/desk/bookings/", {"community": str(world.a.pk), "format": "xlsx"}))
    assert rows[0][:5] == ("开始", "结束", "场地", "预约人", "联系电话")
    assert "138****5678" in {r[4] for r in rows[1:]} and "13812345678" not in str(rows)
    assert "'=舞蹈队" in {r[3] for r in rows[1:]}


def test_booking_export_is_scoped(client: Client, world: World, booked: dict[str, Any]) -> None:
    client.force_login(world.desk_b)
    response = client.get("/desk/bookings/", {"community": str(world.a.pk), "format": "xlsx"})
    # another community's id is not the worker's to open: 404, not their own community's list
    assert response.status_code == 404
    own = client.get("/desk/bookings/", {"format": "xlsx"})
    assert own.status_code == 200 and len(sheet(own)) == 1  # none of A's bookings


def test_desk_booking_list_pages_past_fifty(client: Client, world: World, table: Facility) -> None:
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    Booking.objects.bulk_create(
        Booking(
            facility=table,
            group_name=f"队{i}",
            starts_at=start + timedelta(days=1, minutes=i),
            ends_at=start + timedelta(days=1, minutes=i + 1),
            status="confirmed",
            channel="desk",
            created_at=timezone.now(),
        )
        for i in range(60)
    )
    client.force_login(world.secretary_a)
    first = client.get("/desk/bookings/", {"community": str(world.a.pk)}).content.decode()
    assert len(_desk_ids(first)) == 50 and "共 60 条" in first
    cursor = re.search(r'rel="next" href="\?([^"]+)"', first)
    assert cursor is not None
    second = client.get("/desk/bookings/?" + cursor.group(1).replace("&amp;", "&")).content.decode()
    assert len(_desk_ids(second)) == 10 and not set(_desk_ids(first)) & set(_desk_ids(second))
