"""The desk home's panels: each says how many there are in all (from the read model) and links
to its full case list, whose first rows are the panel's rows in the panel's order; the page's
queries do not grow with the cases."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from doorstep.conftest import World

pytestmark = pytest.mark.django_db


def _panel(page: str, view: str) -> tuple[list[str], str | None]:
    """The tracking codes one panel lists, and its "查看全部" link."""
    section = re.search(rf'<section class="card" id="panel-{view}">(.*?)</section>', page, re.S)
    assert section is not None, view
    codes = re.findall(r'<a class="code[^"]*" href="/desk/cases/\d+/">([^<]+)</a>', section[1])
    link = re.search(r'<a href="(/desk/cases/\?view=[a-z_]+)">查看全部 (\d+) 件', section[1])
    return codes, (f"{link[1]}#{link[2]}" if link else None)


def _listed(client: Client, url: str) -> list[str]:
    page = client.get(url).content.decode()
    return re.findall(r'<td><a class="code" href="/desk/cases/\d+/">([^<]+)</a></td>', page)


def test_a_full_panel_says_how_many_and_links_to_the_same_rows(
    world: World, client: Client
) -> None:
    now = timezone.now()
    for n in range(23):  # 我在办: the first responder keeps an item the desk settles
        world.intake(world.desk_a, item=world.residence_cert, now=now, description=f"证明{n}")
    world.intake(world.desk_a, now=now, description="没有匹配事项")  # no promise yet: last
    client.force_login(world.desk_a)
    page = client.get("/desk/").content.decode()
    for view, shown in (("mine", 20), ("today", 15)):
        codes, link = _panel(page, view)
        assert link == f"/desk/cases/?view={view}#24" and len(codes) == shown, view
        url, total = link.split("#")
        listed = _listed(client, url)
        assert listed[:shown] == codes  # the list's first rows are the panel's, in its order
        assert f"共 {total} 条" in client.get(url).content.decode()
    assert "这里显示前 20 件" in page and "这里显示前 15 件" in page


def test_mine_lists_soonest_promise_first_and_the_undated_last(
    world: World, client: Client
) -> None:
    undated = world.intake(world.desk_a, now=timezone.now(), description="没有匹配事项")
    dated = [world.intake(world.desk_a, item=world.residence_cert) for _ in range(3)]
    client.force_login(world.desk_a)
    listed = _listed(client, "/desk/cases/?view=mine")
    assert listed[-1] == undated.tracking_code and len(listed) == 4
    assert set(listed[:3]) == {c.tracking_code for c in dated}
    codes, _link = _panel(client.get("/desk/").content.decode(), "mine")
    assert codes == listed


def test_every_panel_is_the_head_of_its_list(world: World, client: Client) -> None:
    now = timezone.now()
    for days_ago in range(10, 18):  # promised 10 working days on: some late, some due soon
        world.intake(world.desk_a, item=world.residence_cert, now=now - timedelta(days=days_ago))
    for _ in range(2):  # the street registers it for the community: nobody's yet (待领取)
        world.intake(world.street_user, item=world.on_the_spot, now=now)
    world.intake(world.desk_a, item=world.residence_cert, now=now)
    client.force_login(world.desk_a)
    page = client.get("/desk/").content.decode()
    for view in ("mine", "today", "overdue", "due_soon", "queue"):
        codes, link = _panel(page, view)
        assert link is not None and codes, view
        url, total = link.split("#")
        listed = _listed(client, url)
        assert listed == codes and len(listed) == int(total), view


@pytest.mark.parametrize("n", [2, 30])
def test_desk_home_queries_are_the_same_for_few_and_many_cases(
    world: World, client: Client, django_assert_num_queries: Any, n: int
) -> None:
    now = timezone.now()
    for _ in range(n):
        world.intake(world.desk_a, item=world.residence_cert, now=now)
    client.force_login(world.desk_a)
    client.get("/desk/")  # warm the session and the per-process caches
    with django_assert_num_queries(12):
        assert client.get("/desk/").status_code == 200
