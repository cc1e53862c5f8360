"""The field capture page in a real browser (Debian's chromium, driven by Playwright): three diary
entries taken offline, synced twice when back online, exactly three cases.

On a machine without Chromium these tests skip, loudly; in CI (DOORSTEP_REQUIRE_BROWSER=1)
they must run.
"""

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from doorstep.cases.models import Case
from doorstep.field.models import DiaryEntry
from doorstep.places.models import Community, Compound, District, StaffProfile, Street

pytestmark = [pytest.mark.browser]


@pytest.fixture
def field_world(transactional_db: None) -> dict[str, Any]:
    district = District.objects.create(name="测试区")
    street = Street.objects.create(district=district, name="测试街道")
    community = Community.objects.create(street=street, name="西交通巷社区")
    for name in ("五四大街76号院", "新宁路11号院"):
        Compound.objects.create(community=community, name=name)
    user = get_user_model().objects.create_user("grid", password="doorstep-demo")
    StaffProfile.objects.create(
        user=user, role="grid", display_name="卓玛才让", district=district, community=community
    )
    return {"community": community}


def test_three_entries_captured_offline_sync_once_each(
    browser: Any, live_server: Any, field_world: dict[str, Any]
) -> None:
    # Playwright polls wait_for_function's string with eval, which the site's CSP forbids.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "grid")
    page.fill("input[name=password]", "doorstep-demo")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/$"))

    page.goto(f"{live_server.url}/field/capture/")
    # Wait until the service worker has cached the page and controls it.
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")

    context.set_offline(True)
    page.reload()  # served by the service worker from its cache
    page.wait_for_selector("#diary-form")
    assert page.inner_text("#net") == "离线"
    for n, text in enumerate(["3号楼楼道灯不亮", "想问高龄补贴怎么认证", "小区门口下水道堵了"]):
        page.click(f"#compounds label:nth-child({n % 2 + 1})")
        page.fill("#text", text)
        page.click("#btn-save")
    assert page.inner_text("#pending") == "3"
    assert page.locator("#queue li").count() == 3
    assert Case.objects.count() == 0

    context.set_offline(False)
    page.evaluate("window.doorstepDiarySync()")
    page.wait_for_function("document.getElementById('pending').textContent === '0'")
    # Sync again, as a phone on a flaky network would: same UUIDs, nothing new.
    page.evaluate(
        """() => {
            const q = JSON.parse(localStorage.getItem('doorstep-diary-queue'));
            q.forEach(e => { e.status = 'queued'; });
            localStorage.setItem('doorstep-diary-queue', JSON.stringify(q));
        }"""
    )
    page.click("#btn-sync")
    page.wait_for_function("document.getElementById('pending').textContent === '0'")

    assert Case.objects.filter(channel="mobile_desk").count() == 3
    assert DiaryEntry.objects.count() == 3
    assert sorted(Case.objects.values_list("description", flat=True)) == sorted(
        ["3号楼楼道灯不亮", "想问高龄补贴怎么认证", "小区门口下水道堵了"]
    )
    assert "已同步" in page.inner_text("#queue")
    context.close()
