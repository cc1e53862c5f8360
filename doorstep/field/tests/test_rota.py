from datetime import time

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client

from doorstep.conftest import World
from doorstep.field import services
from doorstep.field.models import PostPair
from doorstep.field.selectors import open_periods, rota_week

pytestmark = pytest.mark.django_db
FRIDAY = 4


def put(world: World, user: User, weekday: int, period: str, duty: str = "desk") -> None:
    services.rota_entry_set(
        actor=world.secretary_a,
        community=world.a,
        weekday=weekday,
        period=period,
        worker=user,
        duty=duty,
    )


def gaps(world: World) -> set[tuple[int, str]]:
    return {(c.weekday, c.period) for _, cells in rota_week(world.a).rows for c in cells if c.gap}


def test_default_hours_0830_to_2000_open_all_three_periods(world: World) -> None:
    assert open_periods(world.a) == ["morning", "afternoon", "evening"]


def test_empty_rota_warns_for_every_opening_hour_slot(world: World) -> None:
    assert len(rota_week(world.a).warnings) == 7 * 3


def test_closing_at_1700_has_no_evening_slot_to_cover(world: World) -> None:
    world.a.closes_at = time(17, 0)
    world.a.save()
    assert open_periods(world.a) == ["morning", "afternoon"]
    assert len(rota_week(world.a).warnings) == 7 * 2


def test_a_slot_with_someone_at_the_desk_has_no_warning(world: World) -> None:
    put(world, world.desk_a, FRIDAY, "morning")
    assert (FRIDAY, "morning") not in gaps(world)
    assert (FRIDAY, "afternoon") in gaps(world)


def test_a_worker_out_on_friday_leaves_a_gap(world: World) -> None:
    put(world, world.desk_a, FRIDAY, "morning", duty="out")
    assert (FRIDAY, "morning") in gaps(world)


def test_b_covers_when_a_is_out(world: World) -> None:
    PostPair.objects.create(community=world.a, post="综合受理", a=world.desk_a, b=world.grid_a)
    put(world, world.desk_a, FRIDAY, "morning", duty="out")
    cell = next(
        c
        for _, cells in rota_week(world.a).rows
        for c in cells
        if (c.weekday, c.period) == (FRIDAY, "morning")
    )
    assert cell.covering == ["张网格（综合受理B岗）"]
    assert not cell.gap


def test_a_and_b_both_out_is_a_gap_and_a_warning(world: World) -> None:
    PostPair.objects.create(community=world.a, post="综合受理", a=world.desk_a, b=world.grid_a)
    put(world, world.desk_a, FRIDAY, "morning", duty="out")
    put(world, world.grid_a, FRIDAY, "morning", duty="out")
    week = rota_week(world.a)
    assert (FRIDAY, "morning") in gaps(world)
    assert "周五上午：综合受理的A、B岗同时离案。" in week.warnings


def test_clearing_a_slot_brings_the_warning_back(world: World) -> None:
    put(world, world.desk_a, 0, "evening")
    services.rota_entry_set(
        actor=world.secretary_a,
        community=world.a,
        weekday=0,
        period="evening",
        worker=world.desk_a,
        duty=None,
    )
    assert (0, "evening") in gaps(world)


def test_only_the_secretary_edits_the_rota(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.rota_entry_set(
            actor=world.desk_a,
            community=world.a,
            weekday=0,
            period="morning",
            worker=world.desk_a,
            duty="desk",
        )


def test_rota_page_shows_the_warnings(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    html = client.get("/field/rota/").content.decode()
    assert "周一上午：开放时间内无人坐班。" in html


def test_rota_form_sets_a_slot(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    client.post(
        "/field/rota/set/",
        {"weekday": 2, "period": "evening", "worker": world.desk_a.pk, "duty": "desk"},
    )
    assert (2, "evening") not in gaps(world)


def test_pair_needs_two_different_people(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.post_pair_create(
            actor=world.secretary_a, community=world.a, post="受理", a=world.desk_a, b=world.desk_a
        )
