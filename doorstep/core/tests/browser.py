"""Helpers for browser tests: a signed-in page at a given width, axe-core checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

PHONE = {"width": 390, "height": 844}


def open_page(
    browser: Any, live_server: Any, user: User | None = None, viewport: dict[str, int] | None = None
) -> Any:
    """A new page (zh-CN, phone-sized unless told) signed in as `user` through a session cookie."""
    context = browser.new_context(locale="zh-CN", viewport=viewport or PHONE)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe.min.js"


def axe_problems(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]
