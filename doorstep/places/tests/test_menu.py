"""The staff navigation (issues #14/#15): one definition, exactly today's entries per role,
every entry opens for the role that sees it, and the bar stays short."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from doorstep.conftest import World
from doorstep.places.menu import menu_for, menu_keys

DESK_ITEMS = {"desk", "intake", "cases", "catalog"}
COMMUNITY_ITEMS = DESK_ITEMS | {
    "field",
    "volunteers",
    "bookings",
    "programs",
    "workforce",
    "participation",
    "residents",
}
OVERSIGHT_ITEMS = {"overview", "dashboard", "batch"}
EXPECTED: dict[str, set[str]] = {
    "desk": COMMUNITY_ITEMS,
    "grid": COMMUNITY_ITEMS,
    "secretary": COMMUNITY_ITEMS | {"hotline"} | OVERSIGHT_ITEMS,
    "street": (COMMUNITY_ITEMS - {"field"}) | {"field_coverage", "hotline"} | OVERSIGHT_ITEMS,
    "district": (COMMUNITY_ITEMS - {"field", "bookings"})
    | {"field_coverage", "workdays", "routing", "api_keys"}
    | OVERSIGHT_ITEMS,
    # 登记受理 was shown to department staff but answers them 403, so it is gone for them.
    "department": (DESK_ITEMS - {"intake"}) | {"workforce"},
}
for _keys in EXPECTED.values():
    _keys.add("exports")  # 我的导出: every role's own background exports


def _user(world: World, role: str) -> User:
    return {
        "desk": world.desk_a,
        "grid": world.grid_a,
        "secretary": world.secretary_a,
        "street": world.street_user,
        "district": world.district_user,
        "department": world.department_user,
    }[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_entries(role: str) -> None:
    assert menu_keys(role) == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_bar_has_at_most_seven_top_items_with_desk_items_first(role: str) -> None:
    items = menu_for(role)
    assert len(items) <= 7
    desk_items = [i for i in items if i.key in DESK_ITEMS]
    assert items[: len(desk_items)] == desk_items
    assert all(i.link is not None for i in desk_items)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_entry_opens_for_the_role_that_sees_it(world: World, role: str) -> None:
    client = Client()
    client.force_login(_user(world, role))
    for item in menu_for(role):
        for link in item.all_links():
            status = client.get(link.url).status_code
            assert status not in (403, 404), (role, link.key, link.url, status)
            assert status < 500, (role, link.key, link.url, status)


@pytest.mark.django_db
def test_page_marks_current_entry_and_renders_groups_as_disclosures(world: World) -> None:
    client = Client()
    client.force_login(world.district_user)
    html = client.get("/desk/cases/").content.decode()
    nav = html[html.index('class="mainnav"') : html.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    assert 'class="on" aria-current="page">事项</a>' in nav
    assert nav.count("<details") == 3
    assert "<summary>数据与报送</summary>" in nav
    assert "场地预约" not in nav  # district does not see bookings, as before


def test_a_page_inside_a_group_marks_its_group() -> None:
    items = {i.key: i for i in menu_for("district", "/dashboard/")}
    assert items["data"].current
    assert not items["services"].current
    assert not items["desk"].current


@pytest.mark.django_db
def test_department_sees_only_the_team_group_and_its_exports(world: World) -> None:
    client = Client()
    client.force_login(world.department_user)
    nav = client.get("/desk/").content.decode()
    assert nav.count("<details") == 2
    assert "队伍与柜台" in nav and "我的导出" in nav and "志愿服务" not in nav
