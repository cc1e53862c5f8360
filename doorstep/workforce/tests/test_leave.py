"""Leave, A/B cover derived at read time (代岗), the rota and stationed street staff (下沉)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from doorstep.cases import selectors as case_selectors
from doorstep.conftest import World
from doorstep.field.choices import Duty, Period
from doorstep.field.models import RotaEntry
from doorstep.field.selectors import rota_week
from doorstep.workforce import services
from doorstep.workforce.models import Leave

from .conftest import Staff

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the site's day (Asia/Shanghai), as the services use


def leave(world: World, user: User, start: int, end: int) -> Leave:
    return services.leave_record(
        actor=world.secretary_a,
        worker=user,
        starts_on=TODAY + timedelta(days=start),
        ends_on=TODAY + timedelta(days=end),
        kind="annual",
    )


def test_b_holds_as_cases_while_a_is_on_leave(world: World, staff: Staff) -> None:
    case = world.intake(world.desk_a, item=world.residence_cert)
    assert case.owner_id == world.desk_a.pk
    assert case not in case_selectors.mine(world.grid_a)
    leave(world, world.desk_a, -1, 2)
    [held] = case_selectors.mine(world.grid_a)
    assert held.pk == case.pk and held.standing_in  # type: ignore[attr-defined]
    case.refresh_from_db()
    assert case.owner_id == world.desk_a.pk  # nothing rewritten


def test_cases_revert_to_a_when_the_leave_ends(world: World, staff: Staff) -> None:
    world.intake(world.desk_a, item=world.residence_cert)
    done = leave(world, world.desk_a, -5, 5)
    services.leave_end(actor=world.desk_a, leave_id=done.pk)
    assert not case_selectors.mine(world.grid_a).exists()
    assert case_selectors.mine(world.desk_a).count() == 1


def test_finished_leave_gives_b_nothing(world: World, staff: Staff) -> None:
    world.intake(world.desk_a, item=world.residence_cert)
    leave(world, world.desk_a, -5, -1)
    assert not case_selectors.mine(world.grid_a).exists()


def test_b_cannot_be_away_while_a_is(world: World, staff: Staff) -> None:
    leave(world, world.desk_a, 1, 5)
    with pytest.raises(ValidationError) as error:
        leave(world, world.grid_a, 3, 8)
    assert "A、B岗不能同时离岗" in str(error.value)
    assert Leave.objects.count() == 1


def test_a_cannot_be_away_while_b_is(world: World, staff: Staff) -> None:
    leave(world, world.grid_a, 1, 5)
    with pytest.raises(ValidationError, match="A、B岗不能同时离岗"):
        leave(world, world.desk_a, 5, 6)


def test_overlapping_own_leave_is_refused(world: World, staff: Staff) -> None:
    leave(world, world.desk_a, 1, 5)
    with pytest.raises(ValidationError, match="已有请假记录"):
        leave(world, world.desk_a, 4, 9)


def test_leave_ending_before_it_starts_is_refused(world: World, staff: Staff) -> None:
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        leave(world, world.desk_a, 5, 1)
    assert not Leave.objects.exists()


def test_another_communitys_secretary_cannot_record_leave(world: World, staff: Staff) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.leave_record(
            actor=world.secretary_b,
            worker=world.desk_a,
            starts_on=TODAY,
            ends_on=TODAY,
            kind="sick",
        )


def test_rota_shows_a_on_leave_as_out_and_b_covering(world: World, staff: Staff) -> None:
    weekday = TODAY.weekday()
    RotaEntry.objects.create(
        community=world.a,
        weekday=weekday,
        period=Period.MORNING,
        worker=world.desk_a,
        duty=Duty.DESK,
    )
    leave(world, world.desk_a, 0, 0)
    week = rota_week(world.a, TODAY)
    cell = week.rows[weekday][1][0]
    assert cell.at_desk == []
    assert any("休假" in name for name in cell.out)
    assert cell.covering and "B岗" in cell.covering[0]


def test_rota_warns_of_a_gap_when_the_only_desk_worker_is_on_leave(world: World) -> None:
    weekday = TODAY.weekday()
    RotaEntry.objects.create(
        community=world.a,
        weekday=weekday,
        period=Period.EVENING,
        worker=world.desk_a,
        duty=Duty.DESK,
    )
    label = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][weekday]
    gap = f"{label}晚间：开放时间内无人坐班。"
    assert gap not in rota_week(world.a, TODAY).warnings
    services.leave_record(
        actor=world.secretary_a, worker=world.desk_a, starts_on=TODAY, ends_on=TODAY, kind="sick"
    )
    assert gap in rota_week(world.a, TODAY).warnings
    assert gap not in rota_week(world.a).warnings  # the plain weekly rota knows no dates


def test_desk_page_marks_cases_held_for_a_colleague(
    client: Client, world: World, staff: Staff
) -> None:
    world.intake(world.desk_a, item=world.residence_cert)
    leave(world, world.desk_a, 0, 1)
    client.force_login(world.grid_a)
    assert "代岗" in client.get("/desk/").content.decode()
    client.force_login(world.desk_b)
    assert "代岗" not in client.get("/desk/").content.decode()


def test_stationed_street_worker_gets_their_items_at_that_desk(world: World) -> None:
    services.stationed_set(
        actor=world.street_user,
        worker=world.street_user,
        community=world.a,
        items=[world.street_item],
    )
    here = world.intake(world.desk_a, item=world.street_item)
    elsewhere = world.intake(world.desk_b, community=world.b, item=world.street_item)
    assert here.owner_id == world.street_user.pk
    assert elsewhere.owner_id is None
    assert here in case_selectors.mine(world.street_user)


def test_only_street_staff_of_that_street_can_be_stationed(world: World) -> None:
    with pytest.raises(ValidationError, match="本街道服务大厅"):
        services.stationed_set(
            actor=world.street_user, worker=world.desk_a, community=world.a, items=[]
        )
