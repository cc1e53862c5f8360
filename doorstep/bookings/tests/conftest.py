"""Factories for the bookings tests, on top of doorstep/conftest.py's `world`."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from doorstep.bookings.models import Facility
from doorstep.bookings.services import Booker, FacilityData, facility_save
from doorstep.conftest import World, at, make_resident
from doorstep.places.models import Resident

# A Monday morning in the project's time zone; every test's "now".
NOW = at(2026, 3, 2, 9, 0)


def make_facility(world: World, name: str = "乒乓球台1号", **rules: object) -> Facility:
    data = FacilityData(
        community_id=world.a.pk,
        name=name,
        kind=str(rules.pop("kind", "table_tennis")),
        opens_at=time(8, 30),
        closes_at=time(20, 0),
        min_minutes=30,
        max_minutes=120,
        advance_days=7,
        weekly_limit=2,
        **rules,  # type: ignore[arg-type]
    )
    return facility_save(actor=world.secretary_a, data=data, now=NOW)


def slot(day: int, hour: int, minute: int = 0, length: int = 60) -> tuple[datetime, datetime]:
    from datetime import timedelta

    start = at(2026, 3, day, hour, minute)
    return start, start + timedelta(minutes=length)


@pytest.fixture
def table(world: World) -> Facility:
    return make_facility(world)


@pytest.fixture
def resident(world: World) -> Resident:
    return make_resident(world.a, "王秀英", "13812345678")


@pytest.fixture
def neighbour(world: World) -> Resident:
    return make_resident(world.a, "李建国", "13900001111")


def portal(resident: Resident) -> Booker:
    return Booker(resident=resident)
