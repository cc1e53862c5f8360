"""The access policy (places/access.py): which rows each post sees, what it may do, and the
lookup-and-lock helper."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.places import access
from doorstep.places.models import Resident
from doorstep.workforce.models import Leave, WorkerRecord


def _cases(world: World) -> dict[str, Case]:
    return {
        "a": world.intake(world.desk_a, community=world.a),
        "b": world.intake(world.desk_b, community=world.b),
        "c": world.intake(world.desk_c, community=world.c),
    }


def _seen(user: User | None, cases: dict[str, Case]) -> set[str]:
    ids = set(access.visible_to(user, Case).values_list("pk", flat=True))
    return {name for name, case in cases.items() if case.pk in ids}


def test_cases_each_post_sees(world: World) -> None:
    cases = _cases(world)
    assert _seen(world.desk_a, cases) == {"a"}
    assert _seen(world.grid_a, cases) == {"a"}
    assert _seen(world.secretary_a, cases) == {"a"}
    assert _seen(world.secretary_b, cases) == {"b"}
    assert _seen(world.street_user, cases) == {"a", "b"}
    assert _seen(world.other_street_user, cases) == {"c"}
    assert _seen(world.district_user, cases) == {"a", "b", "c"}
    # Department staff see only their department's queue, not the district.
    assert _seen(world.department_user, cases) == set()
    Case.objects.filter(pk=cases["b"].pk).update(department=world.department)
    assert _seen(world.department_user, cases) == {"b"}
    assert _seen(None, cases) == set()


def test_can_see_one_loaded_row_agrees_with_visible_to(world: World) -> None:
    cases = _cases(world)
    Case.objects.filter(pk=cases["c"].pk).update(department=world.department)
    users = [
        world.desk_a,
        world.secretary_b,
        world.street_user,
        world.other_street_user,
        world.district_user,
        world.department_user,
    ]
    for user in users:
        for case in Case.objects.all():
            expected = access.visible_to(user, Case).filter(pk=case.pk).exists()
            assert access.can_see(user, case) is expected, (user.username, case.community_id)


def test_residents_of_a_department_are_those_of_its_cases(world: World) -> None:
    from doorstep.conftest import make_resident

    mine = make_resident(world.a, "王秀英")
    other = make_resident(world.c, "赵建国", phone="13900001111")
    assert set(access.visible_to(world.secretary_a, Resident)) == {mine}
    assert set(access.visible_to(world.street_user, Resident)) == {mine}
    assert set(access.visible_to(world.district_user, Resident)) == {mine, other}
    assert list(access.visible_to(world.department_user, Resident)) == []
    for _ in range(2):  # two cases of one resident still give one row
        case = world.intake(world.desk_c, community=world.c, resident=other)
        Case.objects.filter(pk=case.pk).update(department=world.department)
    assert list(access.visible_to(world.department_user, Resident)) == [other]


def test_permissions_by_role_and_area(world: World) -> None:
    assert access.may(world.secretary_a, "workforce.manage", world.a)
    assert not access.may(world.secretary_a, "workforce.manage", world.b)
    assert not access.may(world.desk_a, "workforce.manage", world.a)
    assert access.may(world.street_user, "workforce.manage", world.b)
    assert not access.may(world.street_user, "workforce.manage", world.c)
    assert access.may(world.district_user, "workforce.manage", world.c)
    assert not access.may(world.department_user, "workforce.manage", world.a)
    assert access.may(world.secretary_a, "hotline") and access.may(world.street_user, "hotline")
    assert not access.may(world.desk_a, "hotline")
    assert not access.may(world.department_user, "case.intake")
    assert access.may(world.grid_a, "case.intake")
    with pytest.raises(PermissionDenied, match="只有区级"):
        access.require(world.secretary_a, "routing.admin", "只有区级管理员可以管理分派模型。")
    assert access.require(world.district_user, "routing.admin", "x") == world.district_user.staff


def test_the_queue_a_post_works(world: World) -> None:
    assert access.work_queue(world.desk_a) == "community"
    assert access.work_queue(world.street_user) == "street"
    assert access.work_queue(world.department_user) == "department"
    assert access.work_queue(world.district_user) is None
    assert access.may_work_queue(world.district_user, "department")
    assert not access.may_work_queue(world.secretary_a, "street")


def test_working_community(world: World) -> None:
    assert access.working_community(world.desk_a, world.b.pk) == world.a
    assert access.working_community(world.street_user, world.b.pk) == world.b
    assert access.working_community(world.street_user, world.c.pk) is None
    assert access.working_community(world.street_user, None) == world.a


def test_worker_records_and_leave_follow_the_post(world: World) -> None:
    from datetime import date

    from doorstep.workforce import services

    for user in (world.desk_a, world.desk_b, world.desk_c, world.department_user):
        services.worker_record_set(
            actor=world.district_user,
            user=user,
            hire_date=date(2020, 1, 1),
            birth_date=date(1990, 1, 1),
        )

    def names(user: User) -> set[str]:
        rows = access.visible_to(user, WorkerRecord)
        return set(rows.values_list("user__username", flat=True))

    assert names(world.secretary_a) == {"desk_a"}
    assert names(world.street_user) == {"desk_a", "desk_b"}
    assert names(world.district_user) == {"desk_a", "desk_b", "desk_c", "housing"}
    assert names(world.department_user) == {"housing"}
    leave = Leave.objects.create(
        worker=world.desk_b,
        community=world.b,
        starts_on=date(2025, 10, 1),
        ends_on=date(2025, 10, 3),
        kind="annual",
        recorded_by=world.desk_b,
    )
    assert list(access.visible_to(world.secretary_b, Leave)) == [leave]
    assert list(access.visible_to(world.secretary_a, Leave)) == []
    assert list(access.visible_to(world.department_user, Leave)) == []


def test_access_object_refuses_another_area_as_not_found(world: World) -> None:
    cases = _cases(world)
    assert access.access_object(world.secretary_b, Case, cases["b"].pk) == cases["b"]
    with pytest.raises(Case.DoesNotExist):
        access.access_object(world.secretary_a, Case, cases["b"].pk)
    with pytest.raises(Case.DoesNotExist):
        access.access_object(world.secretary_a, Case, None)


def test_an_unregistered_model_is_refused_loudly() -> None:
    from doorstep.places.models import District

    with pytest.raises(LookupError, match="register"):
        access.visible_to(None, District)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_access_object_locks_the_row_on_postgresql(world: World) -> None:
    cases = _cases(world)
    with transaction.atomic(), CaptureQueriesContext(connection) as seen:
        found = access.access_object(world.secretary_a, Case, cases["a"].pk, lock=True)
    assert found == cases["a"]
    locking = [q["sql"] for q in seen.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert 'FOR UPDATE OF "cases_case"' in locking[0]
    with transaction.atomic(), CaptureQueriesContext(connection) as seen:
        access.access_object(world.secretary_a, Case, cases["a"].pk)
    assert not any("FOR UPDATE" in q["sql"] for q in seen.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_distinct_scope_still_locks_by_key_on_postgresql(world: World) -> None:
    from doorstep.conftest import make_resident

    other = make_resident(world.c, "赵建国", phone="13900001111")
    case = world.intake(world.desk_c, community=world.c, resident=other)
    Case.objects.filter(pk=case.pk).update(department=world.department)
    with transaction.atomic(), CaptureQueriesContext(connection) as seen:
        found = access.access_object(world.department_user, Resident, other.pk, lock=True)
    assert found == other
    assert any("FOR UPDATE" in q["sql"] for q in seen.captured_queries)
