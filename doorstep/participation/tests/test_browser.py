"""A project from proposal through the three meetings to its public page, in a real browser:
the desk proposes and calls the hearing, a resident registers on the portal, the desk signs
them in and tallies, a second worker confirms, the minutes close each meeting, residents score
the result and the public page shows it all. Screenshots at 1366 and 390 px go to the test's
temporary folder (the ones in docs/img/ are taken from the demo data)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from doorstep.conftest import World, build_world
from doorstep.participation.models import Project

pytestmark = [pytest.mark.browser]
PASSWORD = "doorstep-test"


@pytest.fixture
def browser_world(transactional_db: None) -> World:
    world = build_world()
    for user in (world.desk_a, world.grid_a):
        user.set_password(PASSWORD)
        user.save()
    return world


def _login(browser: Any, url: str, username: str, width: int = 1366) -> Any:
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 900})
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _message(page: Any) -> str:
    page.wait_for_selector(".messages .msg")
    return str(page.inner_text(".messages"))


def _schedule(page: Any, kind: str, quorum: str = "1") -> None:
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    details = page.locator("details.action:has(#schedule-form)")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.check(f"#schedule-form input[name=kind][value={kind}]")
    page.fill("#m-day", day)
    page.fill("#m-place", "家门口服务站议事区")
    page.fill("#m-agenda", "1. 介绍方案 2. 居民发言 3. 表决")
    page.fill("#m-quorum", quorum)
    page.check("#schedule-form input[value=building_heads]")
    page.click("#schedule-form button[type=submit]")
    assert "已发布" in _message(page)


def _open_meeting(page: Any, nth: int) -> None:
    page.locator(".meeting-row a").nth(nth).click()
    page.wait_for_load_state()


def _tally(page: Any, abstain: str) -> None:
    values = {"present": "12", "cast": "12", "yes": "10", "no": "1", "abstain": abstain}
    for name, value in values.items():
        page.fill(f"#tally-form input[name={name}]", value)
    page.click("#tally-form button[type=submit]")


def _close(page: Any, minutes: str, decisions: str) -> str:
    page.fill("#c-minutes", minutes)
    page.fill("#c-count", "12")
    page.fill("#c-orgs", "居委会、物业公司、邻里互助帮帮团")
    page.fill("#c-dec", decisions)
    page.click("#close-form button[type=submit]")
    return _message(page)


def test_project_through_three_meetings_to_the_public_page(
    browser: Any, live_server: Any, browser_world: World, tmp_path: Path
) -> None:
    url = live_server.url
    desk = _login(browser, url, "desk_a")
    desk.goto(f"{url}/participation/projects/new/")
    desk.fill("#p-title", "一村微公园：违章搭建改建休憩凉亭")
    desk.fill("#p-summary", "拆除违章搭建，改建休憩凉亭、彩绘墙和悬挂绿植。")
    desk.select_option("#p-kind", "organisation")
    desk.fill("#p-name", "邻里互助帮帮团")
    desk.fill("#p-budget", "86000")
    desk.click("form.card button[type=submit]")
    assert "下一步：召开听证会" in _message(desk)
    project = Project.objects.get()

    # Hearing: a resident registers on the portal; the desk signs them in and tallies.
    _schedule(desk, "hearing")
    resident = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    resident.goto(f"{url}/p/{project.pk}/")
    resident.fill("#r-name", "王秀英")
    resident.fill("#r-phone", "13812345678")
    resident.click("#register button[type=submit]")
    text = _message(resident)
    assert "报名成功" in text
    code = text.split("报名码是 ")[1][:6]

    _open_meeting(desk, 0)
    desk.fill("#door-code", code)
    desk.click(".door form button[type=submit]")
    assert "王秀英 已签到" in _message(desk)
    _tally(desk, abstain="2")
    assert "计票不符" in _message(desk)  # 10 + 1 + 2 ≠ 12: refused, nothing written
    _tally(desk, abstain="1")
    assert "请另一位工作人员复核" in _message(desk)
    meeting_url = desk.url

    second = _login(browser, url, "grid_a")
    second.goto(meeting_url)
    second.fill(".confirm-form input[name=yes]", "10")
    second.fill(".confirm-form input[name=no]", "1")
    second.fill(".confirm-form input[name=abstain]", "1")
    second.click(".confirm-form button[type=submit]")
    assert "复核一致，表决结果：通过" in _message(second)

    desk.goto(meeting_url)
    desk.click("#close-form button[type=submit]")
    assert "结束会议须填写会议纪要" in _message(desk)
    assert "听证通过" in _close(
        desk, "居民逐一发言，多数同意改建凉亭。", "拆除违章搭建，建休憩凉亭。"
    )

    # Coordination during the works.
    desk.goto(f"{url}/participation/projects/{project.pk}/")
    desk.click("#start-btn")
    assert "项目已开工" in _message(desk)
    _schedule(desk, "coordination")
    _open_meeting(desk, 1)
    _close(desk, "居民共同设计彩绘墙，认领悬挂绿植。", "彩绘墙采用“四季邻里”图案。")
    desk.goto(f"{url}/participation/projects/{project.pk}/")
    desk.fill("#s-amount", "52000")
    desk.fill("form.inline-form input[name=note]", "凉亭主体工程")
    desk.click("form.inline-form button[type=submit]")
    assert "已登记支出" in _message(desk)
    desk.click("#complete-btn")
    assert "项目已完工" in _message(desk)

    # Evaluation: residents score the result.
    _schedule(desk, "evaluation")
    _open_meeting(desk, 2)
    desk.fill("#score-form input[name=quality]", "5")
    desk.fill("#score-form input[name=satisfaction]", "4")
    desk.click("#score-form button[type=submit]")
    assert "评分已录入" in _message(desk)
    assert "已评议" in _close(desk, "居民代表现场验收凉亭。", "通过验收。")
    desk.goto(f"{url}/participation/projects/{project.pk}/")
    desk.screenshot(path=str(tmp_path / "project-1366.png"))

    resident.goto(f"{url}/p/{project.pk}/")
    body = resident.inner_text("main")
    for expected in ["已评议", "听证会", "协调会", "评议会", "拆除违章搭建，建休憩凉亭", "赞成 10"]:
        assert expected in body
    assert "¥52,000.00" in body or "¥52000.00" in body
    resident.screenshot(path=str(tmp_path / "public-390.png"), full_page=True)
    for page in (desk, second, resident):
        page.close()
