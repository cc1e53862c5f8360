"""The field pages on a 390 px phone: my grid sectioned and folded, capture asks for the
compound, a home visit recorded — no sideways scrolling, no serious axe problem."""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from doorstep.conftest import build_world
from doorstep.core.tests.browser import axe_problems, open_page
from doorstep.field import services
from doorstep.field.models import HomeVisit
from doorstep.places.models import Grid

from .conftest import make_household, resident_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def grid_world(transactional_db: None) -> Any:
    world = build_world()
    grid = Grid.objects.create(community=world.a, name="第1网格", worker=world.grid_a)
    world.compound_a.grid = grid
    world.compound_a.save()
    for i in range(12):
        household = make_household(world.building_a, f"{i + 1:02d}01")
        resident_in(household, f"卧床老人{i}", f"139000011{i:02d}", bedridden=True)
    return world


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_my_grid_on_a_phone_is_sectioned_and_folded(
    browser: Any, live_server: Any, grid_world: Any
) -> None:
    page = open_page(browser, live_server, grid_world.grid_a)
    page.goto(f"{live_server.url}/field/grid/")
    assert page.locator("nav.subnav a[aria-current=page]").inner_text() == "我的网格"
    assert page.evaluate("document.getElementById('sec-care').open") is False
    page.click("#sec-care > summary")
    assert page.locator("#care tbody tr").first.is_visible()
    assert page.locator("#care td[data-label]").count() > 0
    assert _no_sideways_scroll(page)
    assert axe_problems(page) == []


def test_capture_on_a_phone_asks_for_the_compound(
    browser: Any, live_server: Any, grid_world: Any
) -> None:
    page = open_page(browser, live_server, grid_world.grid_a)
    page.goto(f"{live_server.url}/field/capture/")
    page.fill("#text", "3号楼楼道灯不亮")
    page.click("#btn-save")
    assert "请选择小区" in page.inner_text("#form-error")
    assert page.evaluate("document.activeElement.name") == "compound"
    page.keyboard.press("Space")
    page.click("#btn-save")
    # Not wait_for_function: it evaluates a string, which the site's CSP forbids.
    expect(page.locator("#pending")).to_have_text("0")
    assert _no_sideways_scroll(page)
    assert axe_problems(page) == []


def test_home_visit_recorded_on_a_phone(browser: Any, live_server: Any, grid_world: Any) -> None:
    world = grid_world
    plan = services.visit_plan_create(
        actor=world.secretary_a, community=world.a, rule="care", today=timezone.localdate()
    )
    visit = HomeVisit.objects.filter(plan=plan).first()
    assert visit is not None
    page = open_page(browser, live_server, world.grid_a)
    page.goto(f"{live_server.url}/field/visits/{visit.pk}/")
    assert _no_sideways_scroll(page)
    assert axe_problems(page) == []
    page.select_option("#id_outcome", index=0)
    page.fill("#id_visited_on", timezone.localdate().isoformat())
    page.fill("#id_note", "老人身体还好，家里暖气正常。")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    visit.refresh_from_db()
    assert visit.outcome != "planned"
