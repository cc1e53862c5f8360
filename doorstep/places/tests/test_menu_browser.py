"""The grouped navigation in a real browser: a group opens from the keyboard, one at a time,
Escape closes it, and the open menu (bar and phone drawer) has no serious axe violation."""

from typing import Any

import pytest

from doorstep.conftest import build_world
from doorstep.core.tests.browser import axe_problems, open_page

pytestmark = [pytest.mark.browser]


def test_group_opens_by_keyboard_and_escape_closes_it(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    page = open_page(browser, live_server, world.district_user, {"width": 1366, "height": 900})
    page.goto(live_server.url + "/desk/")
    assert page.locator(".mainnav").bounding_box()["height"] < 60  # one line at 1366 px
    summary = page.locator(".navgroup > summary", has_text="数据与报送")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".navgroup[open] a", has_text="数据看板").is_visible()
    assert axe_problems(page) == []
    page.locator(".navgroup > summary", has_text="社区服务").click()
    assert page.locator(".navgroup[open]").count() == 1
    page.keyboard.press("Escape")
    assert page.locator(".navgroup[open]").count() == 0


def test_phone_drawer_shows_groups_and_stays_clean(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    page = open_page(browser, live_server, world.desk_a)
    page.goto(live_server.url + "/desk/")
    page.click(".menu-btn")
    assert page.locator("#drawer a", has_text="工作台").is_visible()
    page.locator(".navgroup > summary", has_text="社区服务").click()
    assert page.locator(".navgroup[open] a", has_text="志愿服务").is_visible()
    assert axe_problems(page) == []
