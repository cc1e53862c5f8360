"""The resident portal at 390 px in a real browser: submit, track, rate by keyboard, my requests
by SMS code, 关怀模式, text size and tap targets."""

import logging
import re
from typing import Any

import pytest

from doorstep.cases import services
from doorstep.cases.models import Case
from doorstep.conftest import World, build_world
from doorstep.core.tests.browser import open_page

pytestmark = [pytest.mark.browser]
PHONE = "13812345678"
TARGETS = (
    "main button, main input, main select, main textarea, main .btn, .care-toggle, .langs button"
)


@pytest.fixture
def portal(transactional_db: None) -> World:
    world = build_world()
    world.a.office_phone = "021-58881234"
    world.a.save()
    return world


def test_resident_submits_a_request_and_lands_on_its_tracking_page(
    browser: Any, live_server: Any, portal: World
) -> None:
    page = open_page(browser, live_server)
    page.goto(live_server.url + "/")
    assert page.input_value("#id_community") == ""  # the picker asks
    page.select_option("#id_community", str(portal.a.pk))
    page.fill("#id_description", "我家楼下的路灯坏了好几天了")
    page.fill("#id_contact_phone", PHONE)
    page.click("form[method=post] button[type=submit]")
    page.wait_for_url(re.compile(r"/track/[A-Z0-9-]+/$"))
    case = Case.objects.get()
    assert page.inner_text("#tracking-code") == case.tracking_code
    assert case.channel == "portal" and case.community == portal.a


def test_resident_rates_with_labelled_buttons_by_keyboard(
    browser: Any, live_server: Any, portal: World
) -> None:
    case = portal.intake(item=portal.residence_cert)
    services.case_resolve(actor=portal.desk_a, case_id=case.pk, reply="证明已开好，请来取。")
    page = open_page(browser, live_server)
    page.goto(f"{live_server.url}/track/{case.tracking_code}/")
    assert page.get_by_role("radio", name="很满意").count() == 2
    assert page.get_by_role("group", name="服务态度").is_visible()
    page.focus("#att5")
    page.keyboard.press("ArrowDown")  # 很满意 → 满意
    page.focus("#cap5")
    page.keyboard.press("Space")
    page.focus("#id_comment")
    page.keyboard.type("很耐心")
    page.locator("#rate button[type=submit]").press("Enter")
    page.wait_for_selector("text=感谢您的评价")
    case.refresh_from_db()
    assert (case.rating.attitude, case.rating.capability) == (4, 5)
    assert "满意" in page.inner_text("main")
    call = page.locator("a[href^='tel:']")
    assert call.get_attribute("href") == "tel:02158881234"


def test_my_requests_by_phone_and_sms_code(
    browser: Any, live_server: Any, portal: World, caplog: pytest.LogCaptureFixture
) -> None:
    case = portal.intake(description="楼道灯坏了", contact_phone=PHONE)
    page = open_page(browser, live_server)
    page.goto(live_server.url + "/")
    page.click("text=用手机号查看我的诉求")
    with caplog.at_level(logging.INFO, logger="doorstep.notify"):
        page.fill("#id_phone", PHONE)
        page.click("button[value=send]")
        page.wait_for_selector("#id_code")
    code = re.findall(r"验证码是 (\d{6})", caplog.text)[-1]
    page.fill("#id_code", code)
    page.click("button[value=check]")
    page.wait_for_selector(f"text={case.tracking_code}")
    assert PHONE not in page.url and PHONE not in page.content()


def test_care_mode_enlarges_type_on_every_resident_page_and_targets_are_big(
    browser: Any, live_server: Any, portal: World
) -> None:
    page = open_page(browser, live_server)
    page.goto(live_server.url + "/")
    size = "parseFloat(getComputedStyle(document.querySelector('{}')).fontSize)"
    assert page.evaluate(size.format("body")) >= 18
    assert page.evaluate(size.format("#id_description")) >= 18
    heights = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter(e => e.offsetParent)
        .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])""",
        TARGETS,
    )
    assert [h for h in heights if h[1] < 44] == []
    page.click(".care-toggle")
    assert page.get_attribute(".care-toggle", "aria-pressed") == "true"
    page.goto(live_server.url + "/mine/")
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.evaluate(size.format("body")) >= 22
    page.goto(live_server.url + "/stations/")
    assert page.get_attribute(".care-toggle", "aria-pressed") == "true"
