"""`case_history_load`: a district's earlier cases with their timelines, ratings and demands
in bulk, each row checked, nothing written when one row is wrong, constant queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from pytest_django import DjangoAssertNumQueries

from doorstep.cases.choices import Channel, EventKind, Queue, Responsibility, Status
from doorstep.cases.models import Case, CaseEvent, Rating
from doorstep.cases.search import case_search_terms
from doorstep.cases.services import (
    CaseHistory,
    PastDemand,
    PastEvent,
    PastRating,
    case_history_load,
)
from doorstep.catalog.models import Demand
from doorstep.conftest import World, at, make_resident
from doorstep.core.models import AuditEntry

RECEIVED = at(2025, 9, 1, 9)
DONE = RECEIVED + timedelta(hours=3)


def case(world: World, n: int, **fields: object) -> Case:
    row = Case(
        tracking_code=f"AB{n // 31 % 31 + 2}C-{'23456789ABCDEFGHJKMNPQRSTUVWXYZ'[n % 31]}XYZ",
        description="楼道灯坏了",
        channel=Channel.WALK_IN,
        queue=Queue.COMMUNITY,
        responsibility=Responsibility.FIRST_RESPONDER,
        created_at=RECEIVED,
        first_responder=world.desk_a,
        owner=world.desk_a,
        status=Status.CLOSED,
        reply="已修好",
        resolved_at=DONE,
        closed_at=DONE + timedelta(days=1),
        item=world.residence_cert,
        compound=world.compound_a,
        building=world.building_a,
    )
    row.place_in(world.a)
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def history(world: World, size: int = 3) -> CaseHistory:
    cases = [case(world, n) for n in range(size)] + [case(world, size, item=None)]
    events = [
        e
        for i in range(size + 1)
        for e in (
            PastEvent(i, EventKind.CREATED, world.desk_a, RECEIVED),
            PastEvent(i, EventKind.RESOLVED, world.desk_a, DONE, "已修好"),
        )
    ]
    ratings = [PastRating(i, 5, 4, "很好", DONE + timedelta(hours=1)) for i in range(size)]
    return CaseHistory(cases, events, ratings, [PastDemand(size, "楼道灯坏了")])


def test_a_good_history_loads_with_search_terms_and_one_audit_entry(world: World) -> None:
    assert case_history_load(actor=world.district_user, history=history(world)) == 4
    assert Case.objects.count() == 4 and CaseEvent.objects.count() == 8
    assert Rating.objects.count() == 3
    stored = Case.objects.order_by("pk").first()
    assert stored is not None and stored.search_terms == case_search_terms("楼道灯坏了")
    demand = Demand.objects.get()
    assert demand.community == world.a and demand.case is not None and demand.topic
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (world.district_user, "case_history_load")


def _with(field: str, value: object) -> Callable[[World, CaseHistory], CaseHistory]:
    def change(world: World, good: CaseHistory) -> CaseHistory:
        wrong = case(world, 99, **{field: value})
        return CaseHistory([*good.cases, wrong], good.events, good.ratings, good.demands)

    return change


def _event(event: Callable[[World], PastEvent]) -> Callable[[World, CaseHistory], CaseHistory]:
    def change(world: World, good: CaseHistory) -> CaseHistory:
        return CaseHistory(good.cases, [*good.events, event(world)], good.ratings, good.demands)

    return change


def _other_residents(world: World, good: CaseHistory) -> CaseHistory:
    theirs = make_resident(world.b, "李四", "13900002222")
    return _with("resident_id", theirs.pk)(world, good)


def _rating(world: World, good: CaseHistory) -> CaseHistory:
    return CaseHistory(
        good.cases, good.events, [*good.ratings, PastRating(0, 5, 5, "又评", DONE)], good.demands
    )


def _unresolved_rating(world: World, good: CaseHistory) -> CaseHistory:
    open_case = case(world, 98, status=Status.IN_PROGRESS, resolved_at=None, closed_at=None)
    return CaseHistory(
        [*good.cases, open_case],
        good.events,
        [*good.ratings, PastRating(len(good.cases), 5, 5, "", DONE)],
        good.demands,
    )


BAD: dict[str, Callable[[World, CaseHistory], CaseHistory]] = {
    "tracking code format": _with("tracking_code", "abcd-0000"),
    "tracking code used twice": _with("tracking_code", "AB2C-2XYZ"),
    "community of another district": _with("district_id", 999_999),
    "unknown item": _with("item_id", 999_999),
    "building of another compound": _with("compound", None),
    "resident of another community": _other_residents,
    "unknown status": _with("status", "lost"),
    "resolved without a reply": _with("reply", ""),
    "closed before resolved": _with("closed_at", RECEIVED),
    "event of a case not in the batch": _event(
        lambda w: PastEvent(50, EventKind.CREATED, w.desk_a, RECEIVED)
    ),
    "event out of time order": _event(
        lambda w: PastEvent(0, EventKind.ACCEPTED, w.desk_a, RECEIVED + timedelta(hours=1))
    ),
    "event before the case": _event(
        lambda w: PastEvent(1, EventKind.CREATED, w.desk_a, RECEIVED - timedelta(days=1))
    ),
    "rating twice": _rating,
    "rating on an unresolved case": _unresolved_rating,
}


@pytest.mark.parametrize("rule", BAD)
def test_a_wrong_row_is_named_and_nothing_is_written(world: World, rule: str) -> None:
    wrong = BAD[rule](world, history(world))
    with pytest.raises(ValidationError, match="第 [0-9]+ 行"):
        case_history_load(actor=world.district_user, history=wrong)
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert not Rating.objects.exists() and not Demand.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_demand_only_on_a_case_without_an_item(world: World) -> None:
    good = history(world)
    wrong = CaseHistory(good.cases, good.events, good.ratings, [PastDemand(0, "楼道灯坏了")])
    with pytest.raises(ValidationError, match="需求第 1 行"):
        case_history_load(actor=world.district_user, history=wrong)
    assert not Case.objects.exists()


def test_only_a_district_admin_loads_history(world: World) -> None:
    with pytest.raises(PermissionDenied):
        case_history_load(actor=world.secretary_a, history=history(world))
    assert not Case.objects.exists()


QUERIES = {"sqlite": 17, "postgresql": 25}


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_rows(
    world: World, size: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    loaded = history(world, size)
    with django_assert_num_queries(QUERIES[connection.vendor]):
        case_history_load(actor=world.district_user, history=loaded)
    assert Case.objects.count() == size + 1
