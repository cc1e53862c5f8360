"""No sideways scrolling at 390 px: every page in each role's main navigation and sub-menus,
and every resident page, fits a phone's width (document.documentElement.scrollWidth ≤ 390)."""

from typing import Any

import pytest

from doorstep.cases import services
from doorstep.conftest import World, build_world

from .browser import open_page

pytestmark = [pytest.mark.browser]

RESIDENT_PAGES = ["/", "/mine/", "/stations/", "/fund/{community}/", "/track/{resolved}/"]
EXTRA_STAFF_PAGES = ["/desk/intake/", "/desk/cases/{case}/", "/field/rota/", "/field/mobile-desk/"]
WIDEST = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > 391 && getComputedStyle(el).position !== 'fixed' && el.offsetParent !== null)
      out.push(`${el.tagName}#${el.id}.${el.className} ${Math.round(r.right)}`);
  }
  return out.slice(-3);
}"""


def _world() -> tuple[World, dict[str, Any]]:
    world = build_world()
    case = world.intake(item=world.residence_cert, contact_name="王秀英")
    done = world.intake(item=world.residence_cert, description="楼道灯坏了", contact_name="王阿姨")
    services.case_resolve(actor=world.desk_a, case_id=done.pk, reply="已修好。")
    return world, {"community": world.a.pk, "case": case.pk, "resolved": done.tracking_code}


def _too_wide(page: Any, url: str) -> str | None:
    response = page.goto(url)
    if response.status != 200:
        return f"HTTP {response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    return None if width <= 390 else f"{width} px: {page.evaluate(WIDEST)}"


def _menu_links(page: Any) -> list[str]:
    """Every link of the main navigation and the page's sub-menus, as same-site paths."""
    hrefs = page.eval_on_selector_all(
        ".mainnav a[href], .subnav a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return [h for h in hrefs if h.startswith("/") and not h.endswith((".pdf", ".xlsx", ".ics"))]


def test_every_main_staff_page_fits_390_px_for_every_role(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world, ids = _world()
    users = [world.desk_a, world.grid_a, world.secretary_a, world.street_user, world.district_user]
    wide: dict[str, str] = {}
    for user in users:
        page = open_page(browser, live_server, user)
        page.goto(live_server.url + "/desk/")
        paths = dict.fromkeys(_menu_links(page))
        for path in list(paths):  # one level down: the sub-menus of each section
            page.goto(live_server.url + path)
            paths.update(dict.fromkeys(_menu_links(page)))
        assert len(paths) >= 5, user.username
        extras = {p.format(**ids) for p in EXTRA_STAFF_PAGES} - set(paths)
        for path in [*paths, *sorted(extras)]:
            problem = _too_wide(page, live_server.url + path)
            if problem and not (problem.startswith(("HTTP 403", "HTTP 404")) and path in extras):
                wide[f"{user.username} {path}"] = problem
        page.context.close()
    assert wide == {}


def test_every_resident_page_fits_390_px(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    _, ids = _world()
    page = open_page(browser, live_server, None)
    wide = {p: _too_wide(page, live_server.url + p.format(**ids)) for p in RESIDENT_PAGES}
    assert {p: w for p, w in wide.items() if w} == {}
