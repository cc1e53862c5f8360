"""The desk's 待审批 card: every pending booking in keyset pages with its own cursor and a
total (it stopped at 50), the same rows in `?list=approvals&format=xlsx`, and only the
community's own."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.bookings.models import Booking, Facility
from doorstep.conftest import World

from .conftest import make_facility

pytestmark = pytest.mark.django_db
URL = "/desk/bookings/"


def _pending(facility: Facility, n: int) -> list[int]:
    """`n` pending bookings, one a day at 10:00 from tomorrow (bulk: no service rules)."""
    start = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0)
    Booking.objects.bulk_create(
        Booking(
            facility=facility,
            group_name=f"团体{i:03d}",
            starts_at=start + timedelta(days=i + 1),
            ends_at=start + timedelta(days=i + 1, minutes=30),
            status="pending",
            channel="desk",
            created_at=timezone.now(),
        )
        for i in range(n)
    )
    return list(
        Booking.objects.filter(facility=facility)
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
    )


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="approval-(\d+)">', page)]


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


@pytest.fixture
def room(world: World) -> Facility:
    return make_facility(world, "调解室", kind="room", needs_approval=True)


def _next(page: str) -> str:
    cursor = re.search(r'rel="next" href="\?[^"]*acursor=([^"&#]+)', page)
    assert cursor is not None
    return cursor.group(1)


def test_approvals_show_the_51st_on_page_six_and_say_how_many(
    client: Client, world: World, room: Facility
) -> None:
    made = _pending(room, 51)
    client.force_login(world.desk_a)
    page = client.get(URL).content.decode()
    assert _ids(page) == made[:10] and "共 51 条" in page
    seen = _ids(page)
    for _ in range(5):
        page = client.get(f"{URL}?community={world.a.pk}&acursor={_next(page)}").content.decode()
        seen += _ids(page)
    assert seen == made and _ids(page) == made[50:]
    assert (
        'rel="prev"' in page
        and 'rel="next"' not in page.split('id="approvals"')[1].split("</section>")[0]
    )


def test_a_forged_approvals_cursor_is_a_clear_400(
    client: Client, world: World, room: Facility
) -> None:
    _pending(room, 2)
    client.force_login(world.desk_a)
    response = client.get(URL, {"acursor": "forged"})
    assert response.status_code == 400 and "翻页参数无效" in response.content.decode()


def test_the_booking_list_cursor_is_not_an_approvals_cursor(
    client: Client, world: World, room: Facility
) -> None:
    _pending(room, 11)
    client.force_login(world.desk_a)
    first = client.get(URL).content.decode()
    response = client.get(f"{URL}?cursor={_next(first)}")
    assert response.status_code == 400 and "筛选条件不符" in response.content.decode()


def test_approvals_export_has_the_rows_of_every_page(
    client: Client, world: World, room: Facility
) -> None:
    made = _pending(room, 52)
    Booking.objects.filter(pk=made[0]).update(group_name="=HYPERLINK(1)")
    client.force_login(world.desk_a)
    rows = _sheet(client.get(URL, {"list": "approvals", "format": "xlsx"}))
    header, *data = rows
    assert header[:4] == ("开始", "结束", "场地", "预约人")
    holders = dict(Booking.objects.values_list("pk", "group_name"))
    assert [r[3] for r in data] == ["'=HYPERLINK(1)"] + [holders[i] for i in made[1:]]


def test_another_community_sees_none_of_our_approvals(
    client: Client, world: World, room: Facility
) -> None:
    _pending(room, 3)
    client.force_login(world.desk_b)
    assert "团体000" not in client.get(URL).content.decode()
    assert len(_sheet(client.get(URL, {"list": "approvals", "format": "xlsx"}))) == 1
    assert client.get(URL, {"community": str(world.a.pk)}).status_code == 404


@pytest.mark.parametrize("n", [3, 60])
def test_the_desk_costs_the_same_queries_for_3_or_60_approvals(
    client: Client,
    world: World,
    room: Facility,
    n: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    _pending(room, n)
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(13):
        assert client.get(URL).status_code == 200
