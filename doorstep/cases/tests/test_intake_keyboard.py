"""A phone intake for a known resident by keyboard alone, at 390 px, counting keystrokes."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from doorstep.cases.models import Case
from doorstep.conftest import build_world, make_resident
from doorstep.core.tests.browser import open_page
from doorstep.places.models import Household, Resident
from doorstep.routing import services as routing

pytestmark = [pytest.mark.browser]

REQUEST = "我要开个居住证明，去银行办业务用"


class Keys:
    """Every key pressed, modifiers included: Alt+2 counts as two."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def press(self, chord: str) -> None:
        self.count += len(chord.split("+"))
        self.page.keyboard.press(chord)

    def type(self, text: str) -> None:
        self.count += len(text)
        self.page.keyboard.type(text, delay=20)


@pytest.fixture
def desk(transactional_db: None, settings: Any, tmp_path: Path) -> Any:
    settings.ROUTING_MODEL_PATH = tmp_path / "live.joblib"
    world = build_world()
    routing.routing_retrain()
    household = Household.objects.create(building=world.building_a, room="101")
    wang = make_resident(world.a, "王秀英", "13812345678")
    Resident.objects.filter(pk=wang.pk).update(household=household)
    make_resident(world.a, "王小华", "13900001111")  # wxh: a near name that must not be picked
    return world, wang


def test_phone_intake_for_known_resident_in_at_most_15_keystrokes(
    browser: Any, live_server: Any, desk: Any
) -> None:
    world, wang = desk
    page = open_page(browser, live_server, world.desk_a)
    page.goto(f"{live_server.url}/desk/intake/")
    keys = Keys(page)
    assert page.evaluate("document.activeElement.id") == "id_description"

    keys.press("Alt+2")  # 电话
    page.keyboard.type(REQUEST, delay=5)  # the typed request itself is not counted
    page.wait_for_selector("#suggestions .suggestion")
    keys.press("Alt+A")  # take the confident top suggestion
    assert "居住证明" in page.inner_text("#item-chosen")

    keys.press("Alt+R")
    keys.type("wxy")
    page.wait_for_selector("#resident-results [role=option]")
    keys.press("Enter")  # Enter alone never picks a resident
    assert page.input_value("input[name=resident]") == ""
    keys.press("ArrowDown")
    keys.press("Enter")
    assert "王秀英" in page.inner_text("#resident-chosen")
    # A locator assertion, not a string eval (the page's CSP refuses eval).
    expect(page.locator("#id_building")).to_have_value(str(world.building_a.pk))
    assert page.input_value("#id_compound") == str(world.compound_a.pk)

    keys.press("Control+Enter")
    page.wait_for_url(re.compile(r"/desk/cases/\d+/$"))
    case = Case.objects.get()
    assert (case.channel, case.item, case.resident) == ("phone", world.residence_cert, wang)
    assert (case.compound, case.building) == (world.compound_a, world.building_a)
    assert keys.count <= 15, keys.count


def test_pressing_ctrl_enter_three_times_registers_one_case(
    browser: Any, live_server: Any, desk: Any
) -> None:
    world, _ = desk
    page = open_page(browser, live_server, world.desk_a)
    page.goto(f"{live_server.url}/desk/intake/")
    page.keyboard.press("Alt+1")
    page.keyboard.type("楼道灯坏了", delay=5)
    for _ in range(3):
        page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/desk/cases/\d+/$"))
    assert Case.objects.count() == 1


def test_errors_focus_the_first_bad_field(browser: Any, live_server: Any, desk: Any) -> None:
    world, _ = desk
    page = open_page(browser, live_server, world.desk_a)
    page.goto(f"{live_server.url}/desk/intake/")
    page.keyboard.type("路灯坏了", delay=5)
    page.fill("#id_contact_phone", "123")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.name") == "channel"
    assert "有 2 处需要修改" in page.inner_text("#error-summary")
