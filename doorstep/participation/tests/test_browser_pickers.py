"""Issue #10 in a real browser: the proposal form's demand choice is searched as one types
(htmx swaps the select; the "显示前 50 条" note goes once the words narrow it), and the
booking desk's approvals card pages with its own cursor. Screenshots at 1366 and 390 px go to
the test's temporary folder (or $DOORSTEP_SHOTS)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from doorstep.bookings.models import Booking
from doorstep.bookings.services import FacilityData, facility_save
from doorstep.catalog.models import Demand
from doorstep.conftest import World, build_world
from doorstep.participation.models import Project

pytestmark = [pytest.mark.browser]
PASSWORD = "doorstep-test"


@pytest.fixture
def browser_world(transactional_db: None) -> World:
    world = build_world()
    world.desk_a.set_password(PASSWORD)
    world.desk_a.save()
    return world


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DOORSTEP_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _login(browser: Any, url: str, width: int) -> Any:
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 900})
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", "desk_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("width", [1366, 390])
def test_the_demand_choice_narrows_as_one_types(
    browser: Any, live_server: Any, browser_world: World, shots: Path, width: int
) -> None:
    Demand.objects.bulk_create(
        Demand(community=browser_world.a, text=f"诉求{i:03d}", topic=f"话题{i:03d}")
        for i in range(55)
    )
    Demand.objects.create(community=browser_world.a, text="3号楼想加装电梯", topic="加装电梯")
    page = _login(browser, live_server.url, width)
    page.goto(f"{live_server.url}/participation/projects/new/")
    assert page.locator("#p-demand option").count() == 51  # "—" and the newest 50
    assert page.is_visible("text=显示前 50 条，请输入关键字缩小范围。")
    page.locator("form.card").screenshot(path=str(shots / f"project-new-many-{width}.png"))
    page.fill("input[name=words]", "电梯")
    expect(page.locator("#p-demand option")).to_have_count(2)  # the page's CSP forbids eval
    assert "加装电梯" in page.inner_text("#p-demand")
    assert not page.is_visible("text=显示前 50 条")
    page.select_option("#p-demand", label=page.locator("#p-demand option").nth(1).inner_text())
    page.screenshot(path=str(shots / f"project-new-{width}.png"), full_page=True)
    page.fill("#p-title", "加装电梯")
    page.fill("#p-name", "王秀英")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    assert "项目已提出" in page.inner_text(".messages")
    assert Project.objects.get(title="加装电梯").demand == Demand.objects.get(topic="加装电梯")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_approvals_card_pages_on_its_own(
    browser: Any, live_server: Any, browser_world: World, shots: Path, width: int
) -> None:
    room = facility_save(
        actor=browser_world.secretary_a,
        data=FacilityData(
            community_id=browser_world.a.pk,
            name="调解室",
            kind="room",
            needs_approval=True,
        ),
    )
    start = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0)
    Booking.objects.bulk_create(
        Booking(
            facility=room,
            group_name=f"团体{i:03d}",
            starts_at=start + timedelta(days=i + 1),
            ends_at=start + timedelta(days=i + 1, minutes=30),
            status="pending",
            channel="desk",
            created_at=timezone.now(),
        )
        for i in range(13)
    )
    page = _login(browser, live_server.url, width)
    page.goto(f"{live_server.url}/desk/bookings/")
    card = page.locator("#approvals")
    assert "共 13 条" in card.inner_text() and card.locator("tbody tr").count() == 10
    page.screenshot(path=str(shots / f"bookings-desk-{width}.png"), full_page=True)
    card.locator("a[rel=next]").click()
    page.wait_for_load_state()
    assert page.locator("#approvals tbody tr").count() == 3
    assert "团体012" in page.inner_text("#approvals")
    page.locator("#approvals").screenshot(path=str(shots / f"approvals-page2-{width}.png"))
