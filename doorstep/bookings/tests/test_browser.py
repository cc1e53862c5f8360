"""A resident books a table-tennis table on the phone portal and is refused a double booking.

On a machine without Chromium these tests skip, loudly; with DOORSTEP_REQUIRE_BROWSER=1 they
must run."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from doorstep.bookings.models import Booking
from doorstep.bookings.services import FacilityData, facility_save, pass_issue
from doorstep.conftest import make_resident
from doorstep.places.models import Community, District, StaffProfile, Street

pytestmark = [pytest.mark.browser]


@pytest.fixture
def booking_world(transactional_db: None) -> tuple[int, str]:
    district = District.objects.create(name="测试区")
    street = Street.objects.create(district=district, name="测试街道")
    community = Community.objects.create(street=street, name="张骞社区")
    users = {}
    for username, role in [("desk", "desk"), ("secretary", "secretary")]:
        users[role] = get_user_model().objects.create_user(username, password="doorstep-demo")
        StaffProfile.objects.create(
            user=users[role],
            role=role,
            display_name=username,
            district=district,
            street=street,
            community=community,
        )
    table = facility_save(
        actor=users["secretary"],
        data=FacilityData(
            community_id=community.pk,
            name="乒乓球台1号",
            kind="table_tennis",
            opens_at=time(8, 30),
            closes_at=time(20, 0),
        ),
    )
    resident = make_resident(community, "王秀英", "13812345678")
    return table.pk, pass_issue(actor=users["desk"], resident_id=resident.pk)


def test_resident_books_a_table_and_is_refused_a_double_booking(
    browser: Any, live_server: Any, booking_world: tuple[int, str]
) -> None:
    table_id, code = booking_world
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/book/")
    page.fill("#pass-code-input", code)
    page.click(".pass-box button[type=submit]")
    page.wait_for_selector("text=您好，王秀英")
    page.goto(f"{live_server.url}/book/{table_id}/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.click(f".day-strip a[href='?day={tomorrow.isoformat()}']")
    page.fill("#id_start", "10:00")
    page.fill("#id_end", "11:00")
    page.click("#book-form button[type=submit]:not([name])")
    page.wait_for_selector(".messages .msg")
    assert "预约成功" in page.inner_text(".messages")
    assert "乒乓球台1号" in page.inner_text(".my-booking")

    page.goto(f"{live_server.url}/book/{table_id}/?day={tomorrow.isoformat()}")
    assert "10:00–11:00" in page.inner_text(".slot")
    page.fill("#id_start", "10:30")
    page.fill("#id_end", "11:30")
    page.click("#book-form button[type=submit]:not([name])")
    page.wait_for_selector("#book-error")
    assert "该时段已被预约（" in page.inner_text("#book-error")
    assert page.is_visible("button[name=waitlist]")
    assert Booking.objects.count() == 1
    context.close()
