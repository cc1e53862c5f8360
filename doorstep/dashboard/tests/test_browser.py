"""The leaders' drill-down in a real browser: district → street → community → worker → case."""

import re
from typing import Any

import pytest
from django.utils import timezone

from doorstep.conftest import build_world

pytestmark = [pytest.mark.browser]


def test_district_drills_down_to_a_workers_case(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    world.district_user.set_password("doorstep-demo")
    world.district_user.save()
    case = world.intake(item=world.residence_cert, now=timezone.now())
    world.intake(
        actor=world.desk_b, community=world.b, item=world.residence_cert, now=timezone.now()
    )

    page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "district")
    page.fill("input[name=password]", "doorstep-demo")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/dashboard/?period=week")
    assert "浦东新区" in page.inner_text("h1")

    page.click(f"table.compare a:text-is('{world.street.name}')")
    page.wait_for_url(re.compile(r"street="))
    assert world.street.name in page.inner_text("h1")
    assert "period=week" in page.url

    page.click(f"table.compare a:text-is('{world.a.name}')")
    page.wait_for_url(re.compile(r"community="))
    assert world.a.name in page.inner_text("h1")
    assert world.street.name in page.inner_text("nav.crumbs")

    page.click("table.compare a:text-is('李前台')")
    page.wait_for_url(re.compile(r"worker="))
    assert "李前台" in page.inner_text("h1")
    assert "period=week" in page.url

    page.click("a.tile:has-text('受理量')")
    page.wait_for_url(re.compile(r"/dashboard/cases/"))
    codes = page.locator("table.dense td a").all_inner_texts()
    assert codes == [case.tracking_code]

    page.click(f"text={case.tracking_code}")
    page.wait_for_url(re.compile(rf"/desk/cases/{case.pk}/$"))
    assert case.tracking_code in page.content()


def test_street_leader_sets_weights_from_the_scorecards(
    browser: Any, live_server: Any, transactional_db: None, tmp_path: Any
) -> None:
    world = build_world()
    world.street_user.set_password("doorstep-demo")
    world.street_user.save()
    page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", world.street_user.username)
    page.fill("input[name=password]", "doorstep-demo")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/dashboard/workers/")
    page.click("a:text-is('设置考评权重')")
    page.wait_for_url(re.compile(r"/dashboard/weights/"))
    page.fill("#w-on_time", "")
    page.fill("#w-capability", "120")
    page.click("button:text-is('保存权重')")
    assert "按期办结率权重须为 0 到 100 之间的整数" in page.inner_text("#weights-errors")
    assert page.get_attribute("#w-capability", "aria-invalid") == "true"
    page.screenshot(path=str(tmp_path / "weights-error-1366.png"), full_page=True)
    page.fill("#w-on_time", "40")
    page.fill("#w-capability", "20")
    page.click("button:text-is('保存权重')")
    assert "考评权重已保存" in page.inner_text(".messages")
    assert page.input_value("#w-on_time") == "40"
    page.screenshot(path=str(tmp_path / "weights-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#w-no_reopen", "-5")
    page.click("button:text-is('保存权重')")
    page.screenshot(path=str(tmp_path / "weights-390.png"), full_page=True)
    page.close()
