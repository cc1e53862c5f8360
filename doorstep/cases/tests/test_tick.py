"""`cases_tick`: overdue cases fall to the secretary once; unrated resolved cases close once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from pytest_django import DjangoAssertNumQueries

from doorstep.cases import services
from doorstep.cases.choices import EventKind, Queue, Responsibility, Status
from doorstep.cases.models import Case, CaseEvent
from doorstep.conftest import World, at

pytestmark = pytest.mark.django_db

REGISTERED = at(2025, 9, 26)  # due 2025-10-16 (10 working days)


def overdue_events(case: Case) -> int:
    return CaseEvent.objects.filter(case=case, kind=EventKind.OVERDUE).count()


def test_overdue_case_is_escalated_to_the_secretary(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    result = services.cases_tick(now=at(2025, 10, 17, 1))
    case.refresh_from_db()
    assert result.escalated == 1
    assert case.owner == world.secretary_a
    assert case.responsibility == Responsibility.FALLBACK
    assert case.overdue_escalated_at is not None
    assert case.version == 2
    event = CaseEvent.objects.get(case=case, kind=EventKind.OVERDUE)
    assert event.data["due_date"] == "2025-10-16"


def test_second_tick_escalates_nothing_and_writes_one_overdue_event(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    services.cases_tick(now=at(2025, 10, 17, 1))
    second = services.cases_tick(now=at(2025, 10, 17, 2))
    third = services.cases_tick(now=at(2025, 10, 20, 9))
    assert (second.escalated, third.escalated) == (0, 0)
    assert overdue_events(case) == 1


def test_case_on_its_due_date_is_not_overdue(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    result = services.cases_tick(now=at(2025, 10, 16, 23, 30))
    case.refresh_from_db()
    assert result.escalated == 0
    assert case.owner == world.desk_a
    assert overdue_events(case) == 0


def test_overdue_resolved_case_is_not_escalated(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="已办好", now=REGISTERED)
    assert services.cases_tick(now=at(2025, 10, 17, 1)).escalated == 0
    assert overdue_events(case) == 0


def test_overdue_case_in_the_street_queue_stays_with_the_street(world: World) -> None:
    case = world.intake(item=world.street_item, now=REGISTERED)
    assert services.cases_tick(now=at(2025, 10, 17, 1)).escalated == 0
    case.refresh_from_db()
    assert case.queue == Queue.STREET
    assert case.owner is None


def test_resolved_case_unrated_for_more_than_seven_days_is_closed_once(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="已办好", now=REGISTERED)
    later = REGISTERED + timedelta(days=7, minutes=1)
    first = services.cases_tick(now=later)
    second = services.cases_tick(now=later + timedelta(hours=1))
    case.refresh_from_db()
    assert (first.closed, second.closed) == (1, 0)
    assert case.status == Status.CLOSED
    assert case.closed_at == later
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CLOSED).count() == 1


def test_unrated_cases_beyond_one_batch_are_all_closed_in_one_tick(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "TICK_BATCH", 2)
    cases = [world.intake(item=world.residence_cert, now=REGISTERED) for _ in range(5)]
    for case in cases:
        services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="已办好", now=REGISTERED)
    services.case_rate(case_id=cases[2].pk, attitude=5, capability=5, now=REGISTERED)
    result = services.cases_tick(now=REGISTERED + timedelta(days=8))
    assert result.closed == 4
    assert Case.objects.filter(status=Status.CLOSED).count() == 5  # 4 by the tick, 1 by rating
    assert CaseEvent.objects.filter(kind=EventKind.CLOSED).count() == 4


def test_recently_resolved_case_is_not_closed(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="已办好", now=REGISTERED)
    result = services.cases_tick(now=REGISTERED + timedelta(days=6, hours=23))
    case.refresh_from_db()
    assert result.closed == 0
    assert case.status == Status.RESOLVED
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CLOSED).exists()


def test_rated_case_is_not_touched_by_the_tick(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="已办好", now=REGISTERED)
    services.case_rate(case_id=case.pk, attitude=5, capability=5, now=REGISTERED)
    result = services.cases_tick(now=REGISTERED + timedelta(days=30))
    assert (result.escalated, result.closed) == (0, 0)
    assert CaseEvent.objects.filter(case=case).count() == 3


def test_tick_management_command_is_idempotent(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=REGISTERED)
    call_command("tick", "--no-train")
    call_command("tick", "--no-train")
    assert overdue_events(case) == 1


def test_tick_with_nothing_due_costs_the_same_however_many_cases_exist(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for day in range(1, 6):
        world.intake(item=world.residence_cert, now=at(2025, 10, day))
    with django_assert_max_num_queries(2):
        result = services.cases_tick(now=at(2025, 10, 10))
    assert (result.escalated, result.closed) == (0, 0)


def test_retrain_check_stops_counting_at_the_threshold(world: World) -> None:
    from doorstep.routing.services import confirmations_since_last_training

    for _ in range(3):
        world.intake(item=world.residence_cert)
    assert confirmations_since_last_training(up_to=2) == 2
    assert confirmations_since_last_training() == 3
