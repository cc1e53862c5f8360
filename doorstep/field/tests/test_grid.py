from datetime import date

import pytest
from django.test import Client

from doorstep.conftest import make_staff
from doorstep.field.models import HomeVisit
from doorstep.field.selectors import my_grid

from .conftest import Field, make_household, resident_in

pytestmark = pytest.mark.django_db
TODAY = date(2025, 10, 15)


def test_my_grid_lists_grid_buildings_and_contracted_buildings_but_not_others(field: Field) -> None:
    data = my_grid(field.world.grid_a.staff, TODAY)
    names = {row.building.pk: row.contracted for row in data.buildings}
    assert names == {field.building.pk: False, field.contracted.pk: True}


def test_my_grid_lists_residents_needing_care_with_reasons(field: Field) -> None:
    h1, h2, h3 = field.households
    resident_in(h1, "张大爷", birth_date=date(1940, 3, 1))
    resident_in(h2, "李阿姨", lives_alone=True)
    resident_in(h3, "王小明", birth_date=date(1990, 1, 1))
    resident_in(h3, "赵低保", subsistence_allowance=True, bedridden=True)
    data = my_grid(field.world.grid_a.staff, TODAY)
    care = {r.name: labels for r, labels, _ in data.care_residents}
    assert care == {"张大爷": ["85岁"], "李阿姨": ["独居"], "赵低保": ["卧床", "低保"]}


def test_my_grid_counts_open_cases_by_building(field: Field) -> None:
    w = field.world
    for _ in range(2):
        w.intake(compound=field.compound, building=field.building)
    settled = w.intake(
        compound=field.compound,
        building=field.building,
        item=w.on_the_spot,
        settle_now=True,
        reply="已解答",
    )
    assert settled.status == "resolved"
    data = my_grid(w.grid_a.staff, TODAY)
    by_building = {row.building.pk: row.open_cases for row in data.buildings}
    assert by_building[field.building.pk] == 2
    assert by_building[field.contracted.pk] == 0
    assert data.open_cases == 2


def test_my_grid_shows_the_last_visit_of_each_household(field: Field) -> None:
    h1, h2, _h3 = field.households
    for day in (date(2025, 3, 1), date(2025, 9, 1)):
        HomeVisit.objects.create(
            community=field.world.a, household=h1, outcome="met", visited_on=day
        )
    HomeVisit.objects.create(community=field.world.a, household=h2, outcome="planned")
    data = my_grid(field.world.grid_a.staff, TODAY)
    row = next(r for r in data.buildings if r.building.pk == field.building.pk)
    last = {h.household.pk: h.last_visit for h in row.rows}
    assert last[h1.pk] == date(2025, 9, 1)
    assert last[h2.pk] is None  # a planned visit is not a visit
    assert data.never_visited == 2


def test_grid_page_masks_resident_phones(client: Client, field: Field) -> None:
    resident_in(field.households[0], "张大爷", phone="13812345678", bedridden=True)
    client.force_login(field.world.grid_a)
    html = client.get("/field/grid/").content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html


def test_grid_page_of_another_communitys_worker_is_404(client: Client, field: Field) -> None:
    client.force_login(field.world.secretary_a)
    other = field.world.grid_b
    assert client.get(f"/field/grid/?worker={other.pk}").status_code == 404


def test_grid_page_needs_login_and_a_community_role(client: Client, field: Field) -> None:
    assert client.get("/field/grid/").status_code == 302
    client.force_login(field.world.department_user)
    assert client.get("/field/grid/").status_code == 403


def test_grid_worker_without_grids_sees_no_buildings(client: Client, field: Field) -> None:
    colleague = make_staff(
        "grid_a2", "grid", district=field.world.district, community=field.world.a
    )
    make_household(field.elsewhere)
    client.force_login(colleague)
    response = client.get("/field/grid/")
    assert response.status_code == 200
    assert response.context["data"].worker.user == colleague
    assert response.context["data"].buildings == []
