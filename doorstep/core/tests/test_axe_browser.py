"""axe-core (vendored from the npm registry) on every resident page and the main staff pages,
at a phone's and a desktop's width: no serious or critical violation."""

from typing import Any

import pytest

from doorstep.cases import services
from doorstep.conftest import World, build_world

from .browser import axe_problems, open_page

pytestmark = [pytest.mark.browser]

RESIDENT_PAGES = ["/", "/mine/", "/stations/", "/fund/{community}/", "/track/{resolved}/"]
STAFF_PAGES = [
    "/desk/",
    "/desk/intake/",
    "/desk/cases/",
    "/desk/cases/{case}/",
    "/desk/catalog/",
    "/field/grid/",
    "/field/capture/",
    "/field/visits/",
    "/programs/",
]
WIDTHS = [{"width": 390, "height": 844}, {"width": 1366, "height": 900}]


def _world() -> tuple[World, dict[str, Any]]:
    world = build_world()
    case = world.intake(item=world.residence_cert)
    done = world.intake(item=world.residence_cert, description="楼道灯坏了", contact_name="王阿姨")
    services.case_resolve(actor=world.desk_a, case_id=done.pk, reply="已修好。")
    return world, {"community": world.a.pk, "case": case.pk, "resolved": done.tracking_code}


@pytest.mark.parametrize("viewport", WIDTHS, ids=["390", "1366"])
def test_resident_pages_have_no_serious_axe_violations(
    browser: Any, live_server: Any, transactional_db: None, viewport: dict[str, int]
) -> None:
    _, ids = _world()
    page = open_page(browser, live_server, None, viewport)
    problems = {}
    for path in RESIDENT_PAGES:
        response = page.goto(live_server.url + path.format(**ids))
        assert response.status == 200, path
        problems[path] = axe_problems(page)
    page.goto(live_server.url + "/")
    page.click(".care-toggle")  # 关怀模式 must stay clean too
    problems["/ (关怀模式)"] = axe_problems(page)
    assert {p: v for p, v in problems.items() if v} == {}


@pytest.mark.parametrize("viewport", WIDTHS, ids=["390", "1366"])
def test_main_staff_pages_have_no_serious_axe_violations(
    browser: Any, live_server: Any, transactional_db: None, viewport: dict[str, int]
) -> None:
    world, ids = _world()
    problems = {}
    secretary_pages = ["/community/", "/programs/fund/"]
    for user, paths in ((world.grid_a, STAFF_PAGES), (world.secretary_a, secretary_pages)):
        page = open_page(browser, live_server, user, viewport)
        for path in paths:
            response = page.goto(live_server.url + path.format(**ids))
            assert response.status == 200, path
            problems[f"{user.username} {path}"] = axe_problems(page)
    page.goto(live_server.url + "/desk/cases/")
    if viewport["width"] < 1100:
        page.click(".menu-btn")  # the open drawer too
        problems["drawer"] = axe_problems(page)
    assert {p: v for p, v in problems.items() if v} == {}
