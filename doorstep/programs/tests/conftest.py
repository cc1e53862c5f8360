"""Factories for the programmes' tests (on top of doorstep/conftest.py's `world`)."""

from __future__ import annotations

from datetime import date

import pytest

from doorstep.conftest import World
from doorstep.places.models import Building, Community, Compound, Grid, Household, Resident


def make_person(
    world: World,
    name: str,
    birth: date | None,
    *,
    community: Community | None = None,
    household: Household | None = None,
    **flags: bool,
) -> Resident:
    return Resident.objects.create(
        community=community or world.a,
        name=name,
        name_pinyin=name,
        birth_date=birth,
        household=household,
        **flags,
    )


@pytest.fixture
def grid_world(world: World) -> dict[str, object]:
    """Two grids in community A, each with a compound, a building and a household."""
    g1 = Grid.objects.create(community=world.a, name="一网格", worker=world.grid_a)
    g2 = Grid.objects.create(community=world.a, name="二网格")
    world.compound_a.grid = g1
    world.compound_a.save()
    other = Compound.objects.create(community=world.a, name="玉兰香苑二期", grid=g2)
    b2 = Building.objects.create(compound=other, name="7号楼")
    h1 = Household.objects.create(building=world.building_a, unit="1单元", room="101")
    h2 = Household.objects.create(building=b2, unit="2单元", room="502")
    return {"g1": g1, "g2": g2, "h1": h1, "h2": h2}
