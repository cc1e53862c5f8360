"""The case page's action lists arrive when their panel opens, in a real browser."""

from typing import Any

import pytest

from doorstep.cases.models import Case
from doorstep.conftest import build_world
from doorstep.core.tests.browser import axe_problems, open_page

pytestmark = [pytest.mark.browser]


@pytest.fixture
def world(transactional_db: None) -> Any:
    return build_world()


def test_transfer_panel_loads_its_communities_when_opened_and_transfers(
    browser: Any, live_server: Any, world: Any
) -> None:
    case = world.intake(item=world.residence_cert)
    page = open_page(browser, live_server, world.desk_a, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    transfer = page.locator("details.action", has_text="转办其他社区")
    assert transfer.locator("select[name=community]").is_disabled()
    transfer.locator("summary").click()
    page.wait_for_selector(
        f"select[name=community]:enabled option[value='{world.b.pk}']", state="attached"
    )
    transfer.locator("select[name=community]").select_option(str(world.b.pk))
    transfer.locator("textarea[name=note]").fill("地址在古桐社区")
    transfer.locator("button[type=submit]").click()
    page.wait_for_selector(".messages .msg")
    assert Case.objects.get(pk=case.pk).community == world.b
    assert axe_problems(page) == []


def test_unclassified_case_shows_the_catalogue_without_a_click(
    browser: Any, live_server: Any, world: Any
) -> None:
    case = world.intake(description="有点事想问问")
    page = open_page(browser, live_server, world.desk_a, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    page.wait_for_selector(
        f"select[name=item] option[value='{world.residence_cert.pk}']", state="attached"
    )
    page.select_option("select[name=item]", str(world.residence_cert.pk))
    page.click("details.action[open] button[type=submit]")
    page.wait_for_selector(".messages .msg")
    assert Case.objects.get(pk=case.pk).item == world.residence_cert
    assert axe_problems(page) == []
