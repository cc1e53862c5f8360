"""The love fund in a real browser: the desk records a donation, two people approve a payout,
and the public page shows the new balance without names.

On a machine without Chromium these tests skip, loudly; with DOORSTEP_REQUIRE_BROWSER=1 they
must run."""

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from doorstep.fund.models import LoveFund
from doorstep.places.models import Community, District, StaffProfile, Street

pytestmark = [pytest.mark.browser]


@pytest.fixture
def fund_world(transactional_db: None) -> Community:
    district = District.objects.create(name="测试区")
    street = Street.objects.create(district=district, name="测试街道")
    community = Community.objects.create(street=street, name="张骞社区")
    for username, role, name in [
        ("desk", "desk", "麦丽开"),
        ("secretary", "secretary", "沙拉麦提"),
        ("street", "street", "王培荣"),
    ]:
        user = get_user_model().objects.create_user(username, password="doorstep-demo")
        StaffProfile.objects.create(
            user=user,
            role=role,
            display_name=name,
            district=district,
            street=street,
            community=community if role != "street" else None,
        )
    return community


def _login(browser: Any, url: str, username: str) -> Any:
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "doorstep-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{url}/programs/fund/")
    return page


def test_donation_two_approvals_and_public_page(
    browser: Any, live_server: Any, fund_world: Community
) -> None:
    desk = _login(browser, live_server.url, "desk")
    desk.fill("#d-amount", "88")
    desk.fill("#d-donor", "李大妈")
    desk.click("form[action$='/fund/donate/'] button[type=submit]")
    desk.wait_for_selector(".messages .msg")
    assert "已登记捐款" in desk.inner_text(".messages")
    assert desk.inner_text("#fund-balance") == "¥88.00"
    desk.fill("#r-amount", "30")
    desk.fill("#r-purpose", "困难老人医药费")
    desk.fill("#r-recipient", "赵桂兰")
    desk.click("form[action$='/fund/request/'] button[type=submit]")
    desk.wait_for_selector(".messages .msg")

    for approver in ("secretary", "street"):
        page = _login(browser, live_server.url, approver)
        page.click("text=审批通过")
        page.wait_for_selector(".messages .msg")
        assert "已审批" in page.inner_text(".messages")
    assert LoveFund.objects.get().balance == 58

    public = browser.new_page(locale="zh-CN")
    public.goto(f"{live_server.url}/fund/{fund_world.pk}/")
    assert public.inner_text("#public-balance") == "¥58.00"
    body = public.inner_text("body")
    assert "李大妈" not in body and "赵桂兰" not in body
    assert re.search(r"¥30\.00", body)
