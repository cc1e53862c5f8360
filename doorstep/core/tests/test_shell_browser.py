"""The page shell on a phone: the menu button opens the navigation, the current page is marked,
tables turn into labelled cards."""

from typing import Any

import pytest

from doorstep.conftest import build_world

from .browser import open_page

pytestmark = [pytest.mark.browser]


def test_phone_menu_opens_drawer_marks_current_page_and_closes_on_escape(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    page = open_page(browser, live_server, world.desk_a)
    page.goto(f"{live_server.url}/desk/cases/")
    nav_link = page.locator(".mainnav a", has_text="登记受理")
    assert not nav_link.is_visible()
    page.click(".menu-btn")
    assert page.get_attribute(".menu-btn", "aria-expanded") == "true"
    assert nav_link.is_visible()
    current = page.locator(".mainnav a[aria-current=page]")
    assert current.inner_text() == "事项"
    page.keyboard.press("Escape")
    assert not nav_link.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-btn"


def test_wide_screen_shows_navigation_without_menu_button(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    page = open_page(browser, live_server, world.desk_a, {"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/desk/")
    assert not page.locator(".menu-btn").is_visible()
    assert page.locator(".mainnav a", has_text="登记受理").is_visible()


def test_table_becomes_labelled_cards_on_a_phone(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    world.intake()
    page = open_page(browser, live_server, world.desk_a)
    page.goto(f"{live_server.url}/desk/cases/")
    cell = page.locator("table.dense tbody td").nth(2)
    assert cell.get_attribute("data-label") == "服务事项"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
