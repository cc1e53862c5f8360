"""Screenshots of pages at 390, 768 and 1366 px and at 200 % zoom, for looking at layouts.

    python scripts/screenshots.py http://127.0.0.1:8800 /tmp/shots [page-name ...]

Needs a running server with the demo data (`python -m doorstep.manage demo`). Staff pages are
taken as the demo user named before the colon (`desk:/desk/`), resident pages without login.
Prints each page's `document.documentElement.scrollWidth` and flags any wider than the window.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

PAGES: dict[str, str] = {
    "portal": ":/",
    "portal-track": ":/track/247X-YUX8/",
    "portal-mine": ":/mine/",
    "stations": ":/stations/",
    "login": ":/login/",
    "desk": "desk:/desk/",
    "intake": "desk:/desk/intake/",
    "cases": "desk:/desk/cases/",
    "catalog": "desk:/desk/catalog/",
    "grid": "grid:/field/grid/",
    "capture": "grid:/field/capture/",
    "visits": "grid:/field/visits/",
    "mobile-desk": "grid:/field/mobile-desk/",
    "rota": "desk:/field/rota/",
    "street-rota": "street:/field/rota/",
    "street-grid": "street:/field/grid/",
    "street-visits": "street:/field/visits/",
    "overview": "secretary:/community/",
    "programs": "secretary:/programs/",
    "hotline": "street:/hotline/",
    "coverage": "street:/field/coverage/",
    "years": "district:/workdays/",
}
# (name, viewport width, height, device scale): 200 % zoom of 1366 is a 683 px CSS viewport.
SIZES = [
    ("390", 390, 844, 1),
    ("768", 768, 1024, 1),
    ("1366", 1366, 900, 1),
    ("zoom200", 683, 450, 2),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def shoot(browser: Browser, base: str, out: Path, name: str, spec: str) -> None:
    user, path = spec.split(":", 1)
    for label, width, height, scale in SIZES:
        context = browser.new_context(
            locale="zh-CN", viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        page = context.new_page()
        if user:
            page.goto(base + "/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", "doorstep-demo")
            page.click("button[type=submit]")
        page.goto(base + path)
        page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        print(f"{name} {label}: scrollWidth {scroll}{'  TOO WIDE' if scroll > width else ''}")
        context.close()


def main() -> None:
    base, out, *names = sys.argv[1:]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name in names or list(PAGES):
            shoot(browser, base.rstrip("/"), folder, name, PAGES[name])
        browser.close()


if __name__ == "__main__":
    main()
