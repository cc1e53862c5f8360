from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from doorstep.conftest import World
from doorstep.field import services
from doorstep.field.models import MobileDeskSession
from doorstep.field.selectors import rotation_propose
from doorstep.places.models import Compound

pytestmark = pytest.mark.django_db
NOVEMBER = date(2025, 11, 1)  # Fridays: 7, 14, 21, 28


def compounds(world: World, *names: str) -> list[Compound]:
    return [Compound.objects.create(community=world.a, name=n) for n in names]


def session(world: World, compound: Compound, day: date) -> MobileDeskSession:
    return MobileDeskSession.objects.create(
        community=world.a, compound=compound, date=day, starts_at=time(9), ends_at=time(11)
    )


def open_cases(world: World, compound: Compound, n: int) -> None:
    for _ in range(n):
        world.intake(compound=compound)


def test_planner_proposes_at_least_three_sessions_a_month(world: World) -> None:
    assert len(rotation_propose(world.a, NOVEMBER, 1)) == 3


def test_planner_puts_sessions_on_fridays_spread_over_the_month(world: World) -> None:
    days = [p.date for p in rotation_propose(world.a, NOVEMBER, 3)]
    assert days == [date(2025, 11, 7), date(2025, 11, 21), date(2025, 11, 28)]


def test_planner_adds_midweek_days_when_fridays_run_out(world: World) -> None:
    days = [p.date for p in rotation_propose(world.a, NOVEMBER, 6)]
    assert sum(d.weekday() == 4 for d in days) == 4
    assert sum(d.weekday() == 2 for d in days) == 2
    assert all(d.month == 11 for d in days)


def test_planner_visits_every_compound_once_before_any_twice(world: World) -> None:
    compounds(world, "二期", "三期")  # three compounds with compound_a
    names = [p.compound.name for p in rotation_propose(world.a, NOVEMBER, 6)]
    assert sorted(names[:3]) == sorted({"玉兰香苑一期", "二期", "三期"})
    assert names[3:] == names[:3]


def test_planner_puts_compounds_with_most_open_cases_first(world: World) -> None:
    two, three = compounds(world, "二期", "三期")
    open_cases(world, two, 3)
    open_cases(world, three, 1)
    names = [p.compound.name for p in rotation_propose(world.a, NOVEMBER, 3)]
    assert names == ["二期", "三期", "玉兰香苑一期"]


def test_planner_puts_compounds_longest_without_a_session_first(world: World) -> None:
    two, three = compounds(world, "二期", "三期")
    session(world, world.compound_a, date(2025, 10, 3))  # 29 days before November
    session(world, two, date(2025, 8, 1))  # 92 days
    proposals = rotation_propose(world.a, NOVEMBER, 3)
    assert [p.compound.name for p in proposals] == ["三期", "二期", "玉兰香苑一期"]
    assert [p.days_since for p in proposals] == [None, 92, 29]


def test_one_open_case_weighs_a_week_without_a_session(world: World) -> None:
    (two,) = compounds(world, "二期")
    session(world, world.compound_a, date(2025, 10, 24))  # 8 days, 2 open cases: 8 + 14 = 22
    session(world, two, date(2025, 10, 11))  # 21 days, no case: 21
    open_cases(world, world.compound_a, 2)
    proposals = rotation_propose(world.a, NOVEMBER, 3)
    assert [(p.compound.name, p.score) for p in proposals[:2]] == [
        ("玉兰香苑一期", 22),
        ("二期", 21),
    ]


def test_compounds_already_booked_this_month_go_last(world: World) -> None:
    (two,) = compounds(world, "二期")
    open_cases(world, two, 5)
    session(world, two, date(2025, 11, 3))
    names = [p.compound.name for p in rotation_propose(world.a, NOVEMBER, 3)]
    assert names[0] == "玉兰香苑一期"


def test_adopting_fewer_than_three_sessions_is_refused(world: World) -> None:
    data = services.SessionData(world.compound_a, date(2025, 11, 7), time(9), time(11))
    with pytest.raises(ValidationError):
        services.sessions_create(actor=world.secretary_a, community=world.a, sessions=[data] * 2)
    assert not MobileDeskSession.objects.exists()


def test_session_must_end_after_it_starts(world: World) -> None:
    data = services.SessionData(world.compound_a, date(2025, 11, 7), time(11), time(9))
    with pytest.raises(ValidationError):
        services.session_create(actor=world.secretary_a, community=world.a, data=data)


def test_session_staff_must_belong_to_the_community(world: World) -> None:
    data = services.SessionData(
        world.compound_a, date(2025, 11, 7), time(9), time(11), staff=(world.desk_b,)
    )
    with pytest.raises(ValidationError):
        services.session_create(actor=world.secretary_a, community=world.a, data=data)


def test_only_the_secretary_plans_sessions(world: World) -> None:
    data = services.SessionData(world.compound_a, date(2025, 11, 7), time(9), time(11))
    with pytest.raises(PermissionDenied):
        services.session_create(actor=world.grid_a, community=world.a, data=data)


def test_secretary_adopts_the_proposal_then_edits_and_deletes(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    client.post("/field/mobile-desk/adopt/", {"month": "2025-11", "sessions": "3"})
    sessions = list(MobileDeskSession.objects.order_by("date"))
    assert len(sessions) == 3
    first = sessions[0]
    client.post(
        f"/field/mobile-desk/{first.pk}/",
        {
            "compound": world.compound_a.pk,
            "date": "2025-11-08",
            "starts_at": "14:00",
            "ends_at": "16:30",
            "staff": [world.grid_a.pk],
        },
    )
    first.refresh_from_db()
    assert (first.date, first.starts_at) == (date(2025, 11, 8), time(14))
    assert list(first.staff.all()) == [world.grid_a]
    client.post(f"/field/mobile-desk/{first.pk}/delete/")
    assert MobileDeskSession.objects.count() == 2


def test_grid_worker_sees_the_schedule_but_cannot_adopt(client: Client, world: World) -> None:
    client.force_login(world.grid_a)
    assert client.get("/field/mobile-desk/?month=2025-11").status_code == 200
    assert client.post("/field/mobile-desk/adopt/", {"month": "2025-11"}).status_code == 403


def test_another_communitys_session_is_404(client: Client, world: World) -> None:
    other = MobileDeskSession.objects.create(
        community=world.b,
        compound=world.compound_b,
        date=date(2025, 11, 7),
        starts_at=time(9),
        ends_at=time(11),
    )
    client.force_login(world.secretary_a)
    assert client.get(f"/field/mobile-desk/{other.pk}/").status_code == 404
    assert client.post(f"/field/mobile-desk/{other.pk}/delete/").status_code == 404


def test_public_schedule_shows_upcoming_sessions(client: Client, world: World) -> None:
    from django.utils import timezone

    session(world, world.compound_a, timezone.localdate())
    html = client.get("/stations/").content.decode()
    assert "玉兰香苑一期" in html
