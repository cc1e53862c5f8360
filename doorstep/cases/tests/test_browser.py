"""The desk-to-resident flow in a real browser (Debian's chromium, driven by Playwright).

On a machine without Chromium these tests skip, loudly; in CI (DOORSTEP_REQUIRE_BROWSER=1)
they must run.
"""

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from doorstep.cases.models import Case
from doorstep.catalog.models import Category, ServiceItem
from doorstep.catalog.seed_data import CATEGORIES, ITEMS
from doorstep.catalog.selectors import item_search_text
from doorstep.catalog.services import item_from_seed
from doorstep.places.models import Community, District, StaffProfile, Street

pytestmark = [pytest.mark.browser]


@pytest.fixture
def desk_world(transactional_db: None) -> dict[str, Any]:
    district = District.objects.create(name="测试区")
    street = Street.objects.create(district=district, name="测试街道")
    community = Community.objects.create(street=street, name="张骞社区")
    categories = {
        code: Category.objects.create(code=code, name=name, order=i)
        for i, (code, name) in enumerate(CATEGORIES)
    }
    for row in ITEMS:
        item = item_from_seed(row, categories)
        if item.level == "department":
            continue
        item.search_text = item_search_text(item)
        item.save()
    user = get_user_model().objects.create_user("desk", password="doorstep-demo")
    StaffProfile.objects.create(
        user=user, role="desk", display_name="麦丽开", district=district, community=community
    )
    secretary = get_user_model().objects.create_user("secretary", password="doorstep-demo")
    StaffProfile.objects.create(
        user=secretary,
        role="secretary",
        display_name="沙拉麦提",
        district=district,
        community=community,
    )
    return {"community": community}


def test_desk_registers_phone_request_resolves_and_resident_rates(
    browser: Any, live_server: Any, desk_world: dict[str, Any]
) -> None:
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", "doorstep-demo")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/$"))

    page.goto(f"{live_server.url}/desk/intake/")
    page.keyboard.press("Alt+2")
    page.fill("#id_description", "我要开个居住证明，办医保用，需要带什么？")
    page.fill("#item-q", "jzzm")
    page.wait_for_selector("#item-results [role=option]")
    page.keyboard.press("Enter")
    assert "居住证明" in page.inner_text("#item-chosen")
    page.fill("#id_contact_name", "古丽女士")
    page.click("#btn-register")
    page.wait_for_url(re.compile(r"/desk/cases/\d+/$"))
    assert "已登记" in page.inner_text(".messages")

    case = Case.objects.get()
    assert case.channel == "phone"
    assert case.item == ServiceItem.objects.get(code="GOV-RESIDENCE-CERT")
    assert case.due_date is not None
    assert page.inner_text("#due-date") == case.due_date.isoformat()

    page.fill("#resolve-reply", "证明已开具，请明天到服务站领取。")
    page.click("#btn-resolve")
    page.wait_for_selector(".messages .msg")
    assert "已办结" in page.inner_text(".messages")
    case.refresh_from_db()
    assert case.status == "resolved"

    resident = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    resident.goto(f"{live_server.url}/")
    resident.fill("input[name=code]", case.tracking_code.lower().replace("-", ""))
    resident.click("form[action$='/track/'] button")
    resident.wait_for_selector("#tracking-code")
    assert resident.inner_text("#tracking-code") == case.tracking_code
    assert "证明已开具" in resident.inner_text("#case-reply")
    resident.click("label[for=att5]")
    resident.click("label[for=cap4]")
    resident.fill("#id_comment", "很耐心，谢谢")
    resident.click("#rate button[type=submit]")
    resident.wait_for_selector("text=感谢您的评价")
    case.refresh_from_db()
    assert case.status == "closed"
    assert (case.rating.attitude, case.rating.capability) == (5, 4)
