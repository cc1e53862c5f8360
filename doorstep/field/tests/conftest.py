"""Field-work factories on top of the shared `world` (doorstep/conftest.py)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from doorstep.conftest import World, make_resident
from doorstep.places.models import Building, Compound, Grid, Household, Resident, ServiceStation


@dataclass
class Field:
    world: World
    grid: Grid
    compound: Compound
    building: Building  # in the grid
    contracted: Building  # in another grid, contracted by grid_a (包楼)
    elsewhere: Building  # neither
    households: list[Household]


def make_household(building: Building, room: str = "101", unit: str = "1单元") -> Household:
    return Household.objects.create(building=building, unit=unit, room=room)


def make_households(building: Building, n: int) -> list[Household]:
    return Household.objects.bulk_create(
        Household(building=building, unit="1单元", room=f"{i + 1:03d}") for i in range(n)
    )


def resident_in(household: Household, name: str, phone: str = "", **flags: Any) -> Resident:
    community = household.building.compound.community
    resident = make_resident(community, name=name, phone=phone or "13900001111")
    resident.household = household
    for key, value in flags.items():
        setattr(resident, key, value)
    resident.save()
    return resident


def make_station(
    community: Any, name: str, lat: float, lng: float, kind: str = "neighbourhood"
) -> ServiceStation:
    return ServiceStation.objects.create(
        community=community, kind=kind, name=name, latitude=lat, longitude=lng, hours="09:00–18:00"
    )


@pytest.fixture
def field(world: World) -> Field:
    grid = Grid.objects.create(community=world.a, name="第1网格", worker=world.grid_a)
    other_grid = Grid.objects.create(community=world.a, name="第2网格")
    world.compound_a.grid = grid
    world.compound_a.save()
    other = Compound.objects.create(community=world.a, name="玉兰香苑二期", grid=other_grid)
    contracted = Building.objects.create(compound=other, name="5号楼", contractor=world.grid_a)
    elsewhere = Building.objects.create(compound=other, name="6号楼")
    households = [make_household(world.building_a, f"{i}01") for i in range(1, 4)]
    return Field(world, grid, world.compound_a, world.building_a, contracted, elsewhere, households)


TODAY = date(2025, 10, 15)
