"""Teams, the monthly market, pages, portal self-service, export, scope."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from doorstep.bookings.services import pass_issue
from doorstep.conftest import World
from doorstep.volunteers.models import Activity, Membership, SignUp, Volunteer
from doorstep.volunteers.services import (
    MarketData,
    TeamData,
    market_schedule,
    signup_create,
    team_create,
    team_member_add,
)

from .conftest import NOW, make_activity, make_volunteer


def test_team_gets_one_leader_and_a_new_leader_takes_over(
    world: World, ann: Volunteer, bob: Volunteer
) -> None:
    team = team_create(
        actor=world.desk_a,
        data=TeamData(community_id=world.a.pk, name="萤火虫志愿者服务队", kind="volunteer"),
    )
    team_member_add(actor=world.desk_a, team_id=team.pk, volunteer_id=ann.pk, leader=True)
    team_member_add(actor=world.desk_a, team_id=team.pk, volunteer_id=bob.pk, leader=True)
    roles = dict(Membership.objects.values_list("volunteer__resident__name", "role"))
    assert roles == {"王秀英": "member", "李建国": "leader"}


def test_one_leader_per_team_is_a_database_rule(
    world: World, ann: Volunteer, bob: Volunteer
) -> None:
    team = team_create(
        actor=world.desk_a,
        data=TeamData(community_id=world.a.pk, name="邻里互助帮帮团", kind="mutual_help"),
    )
    Membership.objects.create(team=team, volunteer=ann, role="leader", joined_on=NOW.date())
    with pytest.raises(IntegrityError):
        Membership.objects.create(team=team, volunteer=bob, role="leader", joined_on=NOW.date())


def test_staff_of_another_community_cannot_create_a_team_here(world: World) -> None:
    from doorstep.places.models import Community

    with pytest.raises(Community.DoesNotExist):
        team_create(
            actor=world.desk_b,
            data=TeamData(community_id=world.a.pk, name="书法社", kind="interest"),
        )


def test_market_schedules_monthly_activities_with_a_shift_per_service(world: World) -> None:
    series = market_schedule(
        actor=world.desk_a,
        data=MarketData(
            community_id=world.a.pk,
            title="公益市集",
            place="党群服务中心广场",
            week_of_month=1,
            weekday=5,
            starts_at=time(9, 0),
            ends_at=time(11, 30),
            services=[("免费修鞋", 70, 2), ("义务理发", 70, 3), ("针灸理疗", 70, 1)],
        ),
        months=3,
        now=NOW,
    )
    activities = list(series.activities.order_by("starts_at"))
    days = [timezone.localdate(a.starts_at) for a in activities]
    assert [d.isoformat() for d in days] == ["2026-03-07", "2026-04-04", "2026-05-02"]
    assert all(d.weekday() == 5 for d in days)
    assert [s.role for s in activities[0].shifts.order_by("pk")] == [
        "免费修鞋",
        "义务理发",
        "针灸理疗",
    ]
    assert "70岁以上" in activities[0].content


def test_desk_page_and_activity_page_render_with_bounded_queries(
    world: World,
    activity: Activity,
    ann: Volunteer,
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    signup_create(volunteer=ann, shift_id=activity.shifts.get().pk, now=NOW)
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(16):
        page = client.get("/desk/volunteers/")
    assert page.status_code == 200 and "公益市集·义务理发" in page.content.decode()
    with django_assert_max_num_queries(16):
        detail = client.get(f"/desk/volunteers/activities/{activity.pk}/")
    text = detail.content.decode()
    assert "<svg" in text and activity.checkin_token in text
    roster = client.get("/desk/volunteers/roster/").content.decode()
    assert "138****5678" in roster and "13812345678" not in roster


def test_activity_of_another_community_is_404(
    world: World, activity: Activity, client: Client
) -> None:
    client.force_login(world.desk_b)
    assert client.get(f"/desk/volunteers/activities/{activity.pk}/").status_code == 404


def test_correction_without_reason_on_the_page_shows_the_message(
    world: World, activity: Activity, ann: Volunteer, client: Client
) -> None:
    signup = signup_create(volunteer=ann, shift_id=activity.shifts.get().pk, now=NOW)
    client.force_login(world.desk_a)
    page = client.post(
        f"/desk/volunteers/signups/{signup.pk}/correct/",
        {"minutes": "60", "reason": "", "next": f"/desk/volunteers/activities/{activity.pk}/"},
        follow=True,
    )
    assert "更正时长须填写理由" in page.content.decode()
    signup.refresh_from_db()
    assert signup.minutes == 0


def _portal(world: World, volunteer: Volunteer) -> Client:
    client = Client()
    client.post(
        "/book/pass/", {"code": pass_issue(actor=world.desk_a, resident_id=volunteer.resident_id)}
    )
    return client


def test_volunteer_signs_up_and_sees_own_hours_on_the_portal(world: World, ann: Volunteer) -> None:
    soon = timezone.now() + timedelta(days=2)
    activity = make_activity(world, "萤火虫巡逻", start=soon)
    client = _portal(world, ann)
    shift = activity.shifts.get()
    client.post(f"/volunteer/shifts/{shift.pk}/signup/")
    assert SignUp.objects.get().volunteer == ann
    page = client.get("/volunteer/").content.decode()
    assert "萤火虫巡逻" in page and "0 小时 0 分钟" in page


def test_portal_check_in_page_for_another_activity_refuses(world: World, ann: Volunteer) -> None:
    now = timezone.now()
    mine = make_activity(world, "义务理发", start=now + timedelta(minutes=10))
    other = make_activity(world, "萤火虫巡逻", start=now + timedelta(minutes=10))
    signup_create(volunteer=ann, shift_id=mine.shifts.get().pk)
    client = _portal(world, ann)
    page = client.post(f"/volunteer/checkin/{other.checkin_token}/", follow=True)
    assert "这是“萤火虫巡逻”的签到码" in page.content.decode()
    client.post(f"/volunteer/checkin/{mine.checkin_token}/")
    assert SignUp.objects.get().checked_in_at is not None


def test_activity_ical_lists_its_shifts(world: World, activity: Activity, client: Client) -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical(
        client.get(f"/volunteer/activities/{activity.pk}/calendar.ics").content
    )
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["公益市集·义务理发：理发"]


def test_make_volunteer_twice_is_refused(world: World, ann: Volunteer) -> None:
    from django.core.exceptions import ValidationError

    from doorstep.volunteers.services import volunteer_register

    with pytest.raises(ValidationError, match="已登记"):
        volunteer_register(actor=world.desk_a, resident_id=ann.resident_id)
    assert make_volunteer(world, "新人", "13100001111").pk


def test_volunteer_profile_is_masked_and_scoped(
    world: World,
    ann: Volunteer,
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(12):
        page = client.get(f"/desk/volunteers/{ann.pk}/")
    text = page.content.decode()
    assert "138****5678" in text and "13812345678" not in text and "理发、针灸" in text
    client.force_login(world.desk_b)
    assert client.get(f"/desk/volunteers/{ann.pk}/").status_code == 404
