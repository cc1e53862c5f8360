"""The desk's case page stays light: a fixed handful of queries however long the timeline, and
the actions' long lists (catalogue, assignees, departments, communities) fetched only when
their panel is opened (`case_choices`), from the same choices the action's POST accepts."""

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from doorstep.cases import services
from doorstep.cases.models import Case
from doorstep.conftest import World, at, make_resident

pytestmark = pytest.mark.django_db

# Session, user with the post, the case with everything it names, its timeline, its people.
CASE_PAGE_MAX_QUERIES = 5
# Session, user, post, the case, then the list: items + categories for the catalogue.
CHOICES_MAX_QUERIES = 6


def _busy_case(world: World) -> Case:
    """A case that names everything the page shows: resident, place, a suggested item it was
    corrected from, a department, a designated worker and a long timeline."""
    resident = make_resident(world.a)
    case = world.intake(
        item=world.residence_cert,
        resident=resident,
        compound=world.compound_a,
        building=world.building_a,
        suggested_item=world.on_the_spot,
        contact_phone="13812345678",
    )
    services.case_accept(actor=world.desk_a, case_id=case.pk, now=at(2025, 9, 26, 11))
    for n in range(12):
        services.case_note_add(actor=world.grid_a, case_id=case.pk, note=f"第{n}次回访")
    services.case_assign(actor=world.desk_a, case_id=case.pk, assignee=world.grid_a)
    services.case_reply(actor=world.grid_a, case_id=case.pk, text="正在办理")
    return case


def test_case_page_reads_the_case_and_its_timeline_in_five_queries(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case = _busy_case(world)
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        response = client.get(f"/desk/cases/{case.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("第") >= 12 and "第11次回访" in html  # the whole timeline is shown
    assert "张网格" in html and world.building_a.name in html


def test_case_page_queries_do_not_grow_with_the_timeline(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case = world.intake(item=world.residence_cert)
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        assert client.get(f"/desk/cases/{case.pk}/").status_code == 200
    for n in range(30):
        actor = world.grid_a if n % 2 else world.secretary_a
        services.case_note_add(actor=actor, case_id=case.pk, note=f"备注{n}")
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        html = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "备注29" in html and "陈书记" in html


@pytest.mark.parametrize("who", ["street_user", "district_user", "department_user"])
def test_case_page_for_upper_levels_stays_within_the_same_bound(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries, who: str
) -> None:
    case = world.intake(item=world.department_item, description="公租房咨询")
    client.force_login(getattr(world, who))
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        assert client.get(f"/desk/cases/{case.pk}/").status_code == 200


def test_case_page_names_the_workers_own_community_in_its_header(
    client: Client, world: World
) -> None:
    """The header's community comes from the case when it is the worker's own: still right."""
    case = world.intake(item=world.residence_cert)
    client.force_login(world.street_user)
    assert world.street.name in client.get(f"/desk/cases/{case.pk}/").content.decode()
    client.force_login(world.desk_a)
    assert world.a.name in client.get(f"/desk/cases/{case.pk}/").content.decode()


def test_case_page_leaves_the_long_lists_to_their_panels(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    client.force_login(world.desk_a)
    html = client.get(f"/desk/cases/{case.pk}/").content.decode()
    for action in ("classify", "assign", "escalate", "transfer"):
        assert f'hx-get="/desk/cases/{case.pk}/choices/{action}/"' in html
    assert "<optgroup" not in html
    assert world.b.name not in html  # the transfer target is not listed until asked for
    assert world.department.name not in html


def test_unclassified_case_loads_the_catalogue_with_the_page(client: Client, world: World) -> None:
    """The "needs a person" panel is open from the start, so its list loads at once."""
    case = world.intake(description="有点事想问问")
    client.force_login(world.desk_a)
    html = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert f'hx-get="/desk/cases/{case.pk}/choices/classify/" hx-trigger="load"' in html


def test_catalogue_list_groups_the_communitys_items_and_marks_the_current_one(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case = world.intake(item=world.residence_cert)
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(CHOICES_MAX_QUERIES):
        html = client.get(f"/desk/cases/{case.pk}/choices/classify/").content.decode()
    assert '<select name="item" required' in html and "<optgroup" in html
    assert f'<option value="{world.residence_cert.pk}" selected>' in html
    assert f'<option value="{world.street_item.pk}" >' in html


def test_transfer_list_offers_the_other_communities_of_the_street_only(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case = world.intake(item=world.residence_cert)
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(CHOICES_MAX_QUERIES):
        html = client.get(f"/desk/cases/{case.pk}/choices/transfer/").content.decode()
    assert 'name="community"' in html and world.b.name in html
    assert world.a.name not in html and world.c.name not in html


def test_assignee_list_offers_the_cases_community_staff_only(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    client.force_login(world.desk_a)
    html = client.get(f"/desk/cases/{case.pk}/choices/assign/").content.decode()
    assert 'name="assignee"' in html
    assert f'value="{world.grid_a.pk}"' in html
    assert f'value="{world.desk_b.pk}"' not in html


def test_department_list_is_the_escalation_forms_department_field(
    client: Client, world: World
) -> None:
    case = world.intake(item=world.residence_cert)
    client.force_login(world.desk_a)
    html = client.get(f"/desk/cases/{case.pk}/choices/escalate/").content.decode()
    assert 'name="department"' in html and world.department.name in html


def test_lists_of_another_areas_case_are_a_404(client: Client, world: World) -> None:
    case = world.intake(world.desk_b, community=world.b, item=world.residence_cert)
    client.force_login(world.desk_a)
    for action in ("classify", "assign", "escalate", "transfer"):
        assert client.get(f"/desk/cases/{case.pk}/choices/{action}/").status_code == 404


def test_lists_need_a_staff_login_and_a_known_action(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    response = client.get(f"/desk/cases/{case.pk}/choices/transfer/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(world.desk_a)
    assert client.get(f"/desk/cases/{case.pk}/choices/resolve/").status_code == 404
