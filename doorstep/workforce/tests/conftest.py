"""Factories for the workforce tests (on top of doorstep/conftest.py's `world`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User

from doorstep.conftest import World
from doorstep.field.models import PostPair
from doorstep.workforce import services
from doorstep.workforce.models import WorkerRecord


def years_ago(n: int, day: date | None = None) -> date:
    day = day or date.today()
    return day.replace(year=day.year - n)


def record(
    world: World, user: User, *, hired: date | None = None, born: date | None = None
) -> WorkerRecord:
    actor = world.secretary_a if user.staff.community_id == world.a.pk else world.street_user
    return services.worker_record_set(
        actor=actor,
        user=user,
        hire_date=hired or date.today() - timedelta(days=100),
        birth_date=born or years_ago(30),
    )


@dataclass
class Staff:
    desk: WorkerRecord
    grid: WorkerRecord
    secretary: WorkerRecord
    desk_b: WorkerRecord
    pair: PostPair


@pytest.fixture
def staff(world: World) -> Staff:
    """Records for community A's three workers and B's desk; desk (A post) backed by grid (B)."""
    pair = PostPair.objects.create(community=world.a, post="前台", a=world.desk_a, b=world.grid_a)
    return Staff(
        desk=record(world, world.desk_a),
        grid=record(world, world.grid_a),
        secretary=record(world, world.secretary_a, born=years_ago(50)),
        desk_b=record(world, world.desk_b),
        pair=pair,
    )
