"""The Content-Security-Policy holds in a real browser (内容安全策略): scripts and style sheets
come from the site's files only, and the main pages — desk and intake, the dashboard with
ECharts, the TV wall, the resident portal, field capture — still work with no violation
reported (Chromium's console and the `securitypolicyviolation` event both listened to).

With DOORSTEP_SCREENSHOTS=<dir> each page is also saved at the test's width, to look at."""

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from doorstep.conftest import World, build_world, make_resident

from .browser import open_page

pytestmark = [pytest.mark.browser]

WIDTHS = [{"width": 1366, "height": 860}, {"width": 390, "height": 844}]
# Reported through the console, where the test collects it (runs before any page script).
LISTEN = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI
    + " " + e.sourceFile + ":" + e.lineNumber);
});"""


def test_policy_forbids_inline_scripts_and_style_elements(client: Client, db: None) -> None:
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-eval" not in policy


class Visit:
    """One browser tab that remembers every CSP complaint and JavaScript error."""

    def __init__(
        self, browser: Any, live_server: Any, world: World, user: Any, size: dict[str, int]
    ):
        self.page = open_page(browser, live_server, user, size)
        self.base = live_server.url
        self.width = size["width"]
        self.problems: list[str] = []
        self.page.add_init_script(LISTEN)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"JS error: {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            self.problems.append(f"{self.page.url}: {text}")

    def go(self, path: str, name: str) -> Any:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        shots = os.environ.get("DOORSTEP_SCREENSHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=f"{shots}/{name}-{self.width}.png", full_page=True)
        return self.page


@pytest.mark.parametrize("size", WIDTHS, ids=["1366", "390"])
def test_main_pages_run_with_no_csp_violation(
    browser: Any, live_server: Any, transactional_db: None, size: dict[str, int]
) -> None:
    world = build_world()
    make_resident(world.a, name="沈佩华", phone="13912345678")
    world.intake(item=world.residence_cert, now=timezone.now())
    problems: list[str] = []

    desk = Visit(browser, live_server, world, world.desk_a, size)
    page = desk.go("/desk/", "desk")
    page.keyboard.press("Alt+n")  # data-alt-key, was an inline script
    page.wait_for_url(re.compile(r"/desk/intake/$"))
    desk.go("/desk/intake/", "intake")
    page.fill("#resident-q", "13912345678")  # htmx POST
    page.wait_for_selector("#resident-results :text('沈佩华')")
    problems += desk.problems

    leader = Visit(browser, live_server, world, world.district_user, size)
    page = leader.go("/dashboard/?period=week", "dashboard")
    page.wait_for_selector("[data-chart] svg")  # ECharts drew
    page = leader.go("/dashboard/tv/", "tv")
    page.wait_for_selector(".tvpanel.active [data-chart] svg")
    problems += leader.problems

    resident = Visit(browser, live_server, world, None, size)
    page = resident.go("/", "portal")
    page.click(".care-toggle")
    assert "care" in (page.get_attribute("html", "class") or "")
    page.reload()  # care.js, was an inline script, applies it before the page paints
    assert "care" in (page.get_attribute("html", "class") or "")
    problems += resident.problems

    field = Visit(browser, live_server, world, world.grid_a, size)
    page = field.go("/field/capture/", "capture")
    page.fill("#text", "3号楼楼道灯坏了")
    page.click("#btn-save")
    page.wait_for_selector("text=请选择小区。")  # capture.js checked the form
    problems += field.problems

    assert not problems, "\n".join(problems)
    probe = Visit(browser, live_server, world, None, size)  # the listener does hear one
    probe.go("/track/", "track")
    with pytest.raises(Exception, match="Content Security Policy|script"):
        probe.page.add_script_tag(content="window.inlineRan = true")
    assert probe.problems
