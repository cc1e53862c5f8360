"""Earlier meals loaded in bulk (历史用餐导入): priced and checked as `meal_record` prices and
checks one, one audit entry, nothing written when one line is wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoAssertNumQueries

from doorstep.canteen import services
from doorstep.canteen.models import Meal
from doorstep.conftest import World, make_person
from doorstep.core.models import AuditEntry
from doorstep.places.models import Community, Resident

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 15)


@pytest.fixture
def people(world: World) -> list[Resident]:
    return [
        make_person(world, "低保老人", date(1960, 1, 1), subsistence_allowance=True),
        make_person(world, "卧床老人", date(1970, 1, 1), bedridden=True),
    ]


def load(world: World, *meals: services.PastMeal, actor: User | None = None) -> int:
    return services.meal_history_load(
        actor=actor or world.desk_a,
        community_id=world.a.pk,
        meals=list(meals),
        today=TODAY,
    )


def test_history_meals_are_priced_as_a_recorded_meal_is(
    world: World, people: list[Resident]
) -> None:
    assert (
        load(
            world,
            services.PastMeal(people[0].pk, date(2026, 9, 1)),
            services.PastMeal(people[1].pk, date(2026, 9, 1), delivered=True),
            services.PastMeal(people[0].pk, date(2026, 9, 2)),
        )
        == 3
    )
    recorded = services.meal_record(
        actor=world.desk_a, resident_id=people[1].pk, day=TODAY, delivered=True, today=TODAY
    )
    loaded = Meal.objects.get(resident=people[1], day=date(2026, 9, 1))
    fields = ("price", "subsidy", "delivery_fee", "paid", "recorded_by_id", "community_id")
    assert [getattr(loaded, f) for f in fields] == [getattr(recorded, f) for f in fields]
    assert loaded.delivery_fee == Decimal("2.00")
    low = Meal.objects.get(resident=people[0], day=date(2026, 9, 1))
    assert (low.subsidy, low.paid, low.recorded_by) == (
        Decimal("6.00"),
        Decimal("3.00"),
        world.desk_a,
    )
    entry = AuditEntry.objects.get(action="meal_history_load")
    assert entry.actor == world.desk_a and "3 条" in entry.reason


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ("same day", "低保老人 当天已有用餐记录"),
        ("eight days ahead", "最多只能提前 7 天订餐"),
        ("other community", "该居民不在本社区"),
    ],
)
def test_a_wrong_line_is_refused_with_its_number_and_nothing_is_written(
    world: World, people: list[Resident], second: str, message: str
) -> None:
    good = services.PastMeal(people[0].pk, date(2026, 9, 1))
    bad = {
        "same day": good,
        "eight days ahead": services.PastMeal(people[1].pk, date(2026, 10, 23)),
        "other community": services.PastMeal(
            make_person(world, "外社区", date(1950, 1, 1), community=world.b).pk, date(2026, 9, 1)
        ),
    }[second]
    with pytest.raises(ValidationError) as error:
        load(world, good, bad)
    assert f"第 2 件：{message}" in str(error.value)
    assert not Meal.objects.exists()
    assert not AuditEntry.objects.filter(action="meal_history_load").exists()


def test_a_week_ahead_is_still_allowed_as_for_one_meal(
    world: World, people: list[Resident]
) -> None:
    assert load(world, services.PastMeal(people[0].pk, date(2026, 10, 22))) == 1


def test_a_day_already_recorded_is_refused(world: World, people: list[Resident]) -> None:
    services.meal_record(actor=world.desk_a, resident_id=people[0].pk, day=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="第 1 件：低保老人 当天已有用餐记录"):
        load(world, services.PastMeal(people[0].pk, TODAY))


def test_only_the_desk_or_secretary_of_the_community_may_load(
    world: World, people: list[Resident]
) -> None:
    line = services.PastMeal(people[0].pk, date(2026, 9, 1))
    with pytest.raises(PermissionDenied):
        load(world, line, actor=world.grid_a)
    with pytest.raises(Community.DoesNotExist):
        load(world, line, actor=world.desk_b)
    assert load(world, line, actor=world.secretary_a) == 1


def test_history_load_queries_do_not_grow_with_the_lines(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    people = [make_person(world, f"老人{n}", date(1950, 1, 1)) for n in range(20)]
    meals = [services.PastMeal(r.pk, date(2026, 9, d)) for r in people for d in range(1, 4)]
    with django_assert_max_num_queries(9):
        load(world, *meals)
    assert Meal.objects.count() == 60
