"""The case's copied street and district (区域冗余列): set by every service that places a case,
used for street and district scoping, and the desk home's counts from the read model."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from doorstep.cases import selectors, services
from doorstep.cases.choices import Status
from doorstep.cases.models import Case
from doorstep.conftest import World, at, make_staff
from doorstep.places.models import Community, District, Street

pytestmark = pytest.mark.django_db


def area_of(case: Case) -> tuple[int, int, int]:
    case.refresh_from_db()
    return case.community_id, case.street_id, case.district_id


def test_intake_copies_the_communitys_street_and_district(world: World) -> None:
    case = world.intake(world.desk_b, community=world.b, item=world.residence_cert)
    assert area_of(case) == (world.b.pk, world.street.pk, world.district.pk)
    other = world.intake(world.desk_c, community=world.c, item=world.residence_cert)
    assert area_of(other) == (world.c.pk, world.other_street.pk, world.district.pk)


def test_transfer_moves_the_community_and_keeps_street_and_district(world: World) -> None:
    case = world.intake(world.desk_a, item=world.residence_cert)
    services.case_transfer(
        actor=world.desk_a,
        case_id=case.pk,
        community=world.b,
        note="属古桐社区",
        now=at(2025, 9, 27),
    )
    assert area_of(case) == (world.b.pk, world.street.pk, world.district.pk)
    assert case.pk in _visible(world.desk_b) and case.pk not in _visible(world.desk_a)


def test_reopen_and_the_rest_of_the_life_keep_the_area(world: World) -> None:
    case = world.intake(world.desk_a, item=world.residence_cert)
    services.case_accept(actor=world.desk_a, case_id=case.pk, now=at(2025, 9, 26, 11))
    services.case_resolve(
        actor=world.desk_a, case_id=case.pk, reply="已开具", now=at(2025, 9, 26, 12)
    )
    services.case_reopen(actor=world.desk_a, case_id=case.pk, note="居民说还缺盖章")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert area_of(case) == (world.a.pk, world.street.pk, world.district.pk)


def _visible(user: Any) -> set[int]:
    return set(selectors.cases_visible_to(user).values_list("pk", flat=True))


def test_street_and_district_users_see_exactly_their_area(world: World) -> None:
    a = world.intake(world.desk_a, item=world.residence_cert)
    b = world.intake(world.desk_b, community=world.b, item=world.residence_cert)
    c = world.intake(world.desk_c, community=world.c, item=world.residence_cert)
    elsewhere = District.objects.create(name="黄浦区")
    far_street = Street.objects.create(district=elsewhere, name="外滩街道")
    far = Community.objects.create(street=far_street, name="宁波路社区")
    far_desk = make_staff("far_desk", "desk", district=elsewhere, community=far)
    far_case = world.intake(far_desk, community=far, item=world.residence_cert)
    far_district = make_staff("far_district", "district", district=elsewhere)
    assert _visible(world.desk_a) == {a.pk}
    assert _visible(world.street_user) == {a.pk, b.pk}
    assert _visible(world.other_street_user) == {c.pk}
    assert _visible(world.district_user) == {a.pk, b.pk, c.pk}
    assert _visible(far_district) == {far_case.pk}


def test_the_district_list_filters_on_the_cases_own_district_column(world: World) -> None:
    """One range of the (district, created_at, id) index, no list of community ids."""
    with CaptureQueriesContext(connection) as queries:
        list(selectors.cases_visible_to(world.district_user).values_list("pk", flat=True))
    sql = queries.captured_queries[-1]["sql"]
    assert '"district_id" =' in sql and "places_community" not in sql


def test_desk_counts_equal_the_live_lists(world: World) -> None:
    world.intake(world.desk_a, item=world.residence_cert, now=at(2025, 9, 1))  # overdue later
    world.intake(world.desk_a, description="小区门口想装个快递柜")  # needs a person
    world.intake(world.desk_b, community=world.b, item=world.street_item)  # street queue
    world.intake(world.desk_a, item=world.on_the_spot, settle_now=True, reply="已解答")
    for user in (
        world.desk_a,
        world.secretary_a,
        world.street_user,
        world.district_user,
        world.department_user,
    ):
        counts = selectors.desk_counts(user)
        assert counts == selectors._counted(user), user


def test_desk_home_queries_do_not_grow_with_cases(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        world.intake(world.desk_a, item=world.residence_cert)
    client.force_login(world.district_user)
    with django_assert_max_num_queries(17):
        assert client.get("/desk/").status_code == 200
    for _ in range(20):
        world.intake(world.desk_b, community=world.b, item=world.residence_cert)
    with django_assert_max_num_queries(17):
        assert client.get("/desk/").status_code == 200


def test_case_detail_query_count_is_pinned(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case = world.intake(world.desk_a, item=world.residence_cert)
    services.case_accept(actor=world.desk_a, case_id=case.pk, now=at(2025, 9, 26, 11))
    client.force_login(world.desk_a)
    # Was 12; the page now reads the case and its timeline only (test_case_page.py).
    with django_assert_max_num_queries(5):
        assert client.get(f"/desk/cases/{case.pk}/").status_code == 200
