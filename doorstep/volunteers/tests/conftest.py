"""Factories for the volunteers tests, on top of doorstep/conftest.py's `world`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from doorstep.conftest import World, at, make_resident
from doorstep.volunteers.models import Activity, Volunteer
from doorstep.volunteers.services import (
    ActivityData,
    ShiftData,
    activity_create,
    volunteer_register,
)

NOW = at(2026, 3, 2, 9, 0)
START = at(2026, 3, 7, 9, 0)  # Saturday 09:00–11:00


def make_volunteer(world: World, name: str, phone: str, skills: str = "") -> Volunteer:
    resident = make_resident(world.a, name, phone)
    return volunteer_register(actor=world.desk_a, resident_id=resident.pk, skills=skills)


def make_activity(
    world: World, title: str = "公益市集·义务理发", spots: int = 1, start: datetime | None = None
) -> Activity:
    begin = start or START
    end = begin + timedelta(hours=2)
    return activity_create(
        actor=world.desk_a,
        data=ActivityData(
            community_id=world.a.pk,
            title=title,
            content="为 70 岁以上老人免费理发",
            place="张骞社区党群服务中心广场",
            starts_at=begin,
            ends_at=end,
            shifts=[ShiftData("理发", begin, end, spots)],
        ),
        now=NOW,
    )


@pytest.fixture
def ann(world: World) -> Volunteer:
    return make_volunteer(world, "王秀英", "13812345678", "理发、针灸")


@pytest.fixture
def bob(world: World) -> Volunteer:
    return make_volunteer(world, "李建国", "13900001111")


@pytest.fixture
def activity(world: World) -> Activity:
    return make_activity(world)
