"""Feedback on the main pages: a busy line while an htmx request runs, disabled controls that
look disabled, and empty lists that say what to do next."""

from typing import Any

import pytest
from django.test import Client

from doorstep.conftest import World, build_world

from .browser import open_page


@pytest.mark.browser
def test_htmx_request_shows_busy_line_and_marks_the_asking_element(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    page = open_page(browser, live_server, world.desk_a)
    held: list[Any] = []
    page.route("**/routing/suggest/**", lambda route: held.append(route))
    page.goto(f"{live_server.url}/desk/intake/")
    page.fill("#id_description", "楼下路灯坏了")
    page.wait_for_selector("#busy.on", state="attached")
    assert page.get_attribute("#id_description", "aria-busy") == "true"
    assert page.inner_text("#busy") == "正在处理…"
    held[0].continue_()
    page.wait_for_selector("#busy:not(.on)", state="attached")
    assert page.get_attribute("#id_description", "aria-busy") is None


@pytest.mark.browser
def test_disabled_controls_look_disabled(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    world = build_world()
    page = open_page(browser, live_server, world.desk_a)
    page.goto(f"{live_server.url}/desk/")
    look = page.evaluate(
        """() => {
      const styles = [false, true].map(disabled => {
        const b = document.createElement('button');
        b.className = 'btn btn-primary'; b.textContent = '保存'; b.disabled = disabled;
        document.querySelector('main').append(b);
        const s = getComputedStyle(b);
        return [s.cursor, s.backgroundColor, s.borderStyle, s.color];
      });
      return styles;
    }"""
    )
    enabled, disabled = look
    assert disabled[0] == "not-allowed"
    assert disabled[1] != enabled[1] and disabled[2] == "dashed"


EMPTY_PAGES = [
    ("desk_a", "/desk/catalog/"),
    ("grid_a", "/field/visits/"),
    ("grid_a", "/field/rota/"),
    ("grid_a", "/field/mobile-desk/"),
    ("secretary_a", "/programs/certificates/"),
    ("secretary_a", "/programs/assistance/"),
    ("secretary_a", "/programs/canteen/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "path"), EMPTY_PAGES)
def test_empty_lists_on_main_pages_say_what_to_do_next(world: World, who: str, path: str) -> None:
    client = Client()
    client.force_login(getattr(world, who))
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "暂无</" not in html and ">暂无" not in html
