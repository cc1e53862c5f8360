"""A background export in a real browser: 导出 Excel on a list above the cap lands on 我的导出,
the table refreshes itself when the worker is done, and 下载 gives the file."""

from typing import Any

import pytest

from doorstep.conftest import build_world
from doorstep.core import exports
from doorstep.core.export_jobs import export_job_run
from doorstep.core.models import ExportJob
from doorstep.core.tests.browser import axe_problems, open_page

pytestmark = [pytest.mark.browser]


@pytest.fixture
def world(transactional_db: None) -> Any:
    return build_world()


def test_export_goes_to_the_background_and_the_page_offers_the_file(
    browser: Any, live_server: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    for i in range(3):
        world.intake(description=f"楼道灯坏了 {i}")
    page = open_page(browser, live_server, world.desk_a)  # phone width
    page.goto(f"{live_server.url}/desk/cases/")
    page.get_by_role("link", name="导出 Excel").click()
    page.wait_for_url(f"{live_server.url}/exports/")
    assert "已转为后台导出" in page.locator(".messages").inner_text()
    assert page.locator("#exports .badge").inner_text() == "排队中"
    assert axe_problems(page) == []
    job = ExportJob.objects.get()
    assert export_job_run(job.pk) == ExportJob.State.DONE  # what `doorstep worker` does
    page.wait_for_selector("#exports a:has-text('下载')", timeout=12_000)  # polled every 5 s
    with page.expect_download() as download:
        page.get_by_role("link", name="下载").click()
    assert download.value.suggested_filename == "事项台账.xlsx"
