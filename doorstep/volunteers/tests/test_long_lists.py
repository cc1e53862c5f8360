"""Lists that stopped silently (issue #10): the portal's coming activities (20) and own
sign-ups (50) page by keyset with a total; the activity page's 代为报名 picker (200 volunteers
in a select) is a search that says when it shows only the first matches."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from doorstep.bookings.services import pass_issue
from doorstep.conftest import World, make_resident
from doorstep.volunteers.models import Activity, Shift, SignUp, Volunteer
from doorstep.volunteers.services import volunteer_register

from .conftest import make_activity, make_volunteer

pytestmark = pytest.mark.django_db


def _portal(world: World, volunteer: Volunteer) -> Client:
    client = Client()
    code = pass_issue(actor=world.desk_a, resident_id=volunteer.resident_id)
    client.post("/book/pass/", {"code": code})
    return client


def _coming(world: World, n: int) -> list[int]:
    """`n` coming activities with one shift each, a day apart (bulk copies of one made by the
    service). Ids soonest first, the portal's order."""
    first = make_activity(world, "活动000", start=timezone.now() + timedelta(days=1))
    shift = first.shifts.get()
    copies = Activity.objects.bulk_create(
        Activity(
            community=first.community,
            title=f"活动{i:03d}",
            content=first.content,
            place=first.place,
            organiser=first.organiser,
            starts_at=first.starts_at + timedelta(days=i),
            ends_at=first.ends_at + timedelta(days=i),
            checkin_token=f"token{i:027d}",
            created_by=first.created_by,
            created_at=first.created_at,
        )
        for i in range(1, n)
    )
    Shift.objects.bulk_create(
        Shift(
            activity=a,
            role=shift.role,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            spots=shift.spots,
        )
        for a in copies
    )
    return [first.pk] + [a.pk for a in copies]


def _titles(page: str) -> list[str]:
    return re.findall(r"<strong>(活动\d{3})</strong>", page)


def _next(page: str, name: str) -> str:
    found = re.search(rf'rel="next" href="\?{name}=([^"&#]+)', page)
    assert found is not None, name
    return found.group(1)


def test_the_portal_shows_the_51st_coming_activity_on_page_two(
    world: World, ann: Volunteer
) -> None:
    _coming(world, 51)
    client = _portal(world, ann)
    first = client.get("/volunteer/").content.decode()
    assert "共 51 条" in first
    shown = _titles(first)
    assert shown[0] == "活动000" and len(shown) == 50
    second = client.get(f"/volunteer/?acursor={_next(first, 'acursor')}").content.decode()
    assert _titles(second) == ["活动050"]


def test_the_portal_shows_the_51st_sign_up_on_page_two(world: World, ann: Volunteer) -> None:
    ids = _coming(world, 51)
    shifts = Shift.objects.filter(activity_id__in=ids).order_by("starts_at")
    now = timezone.now()
    SignUp.objects.bulk_create(
        SignUp(shift=s, volunteer=ann, status="confirmed", created_at=now + timedelta(seconds=i))
        for i, s in enumerate(shifts)
    )
    client = _portal(world, ann)
    first = client.get("/volunteer/").content.decode()
    signups = first[first.index('id="signups"') :]
    assert "共 51 条" in signups and len(_titles(signups)) == 50
    assert "活动000" not in signups  # newest sign-up first: the first one is on page two
    second = client.get(f"/volunteer/?cursor={_next(signups, 'cursor')}").content.decode()
    assert _titles(second[second.index('id="signups"') :]) == ["活动000"]


@pytest.mark.parametrize("name", ["cursor", "acursor"])
def test_a_forged_portal_cursor_is_a_clear_400(world: World, ann: Volunteer, name: str) -> None:
    response = _portal(world, ann).get("/volunteer/", {name: "forged"})
    assert response.status_code == 400 and "翻页参数无效" in response.content.decode()


def test_another_volunteers_cursor_is_refused(world: World, ann: Volunteer, bob: Volunteer) -> None:
    _coming(world, 51)
    first = _portal(world, ann).get("/volunteer/").content.decode()
    response = _portal(world, bob).get(f"/volunteer/?acursor={_next(first, 'acursor')}")
    assert response.status_code == 400 and "筛选条件不符" in response.content.decode()


@pytest.mark.parametrize("n", [2, 60])
def test_the_portal_costs_the_same_queries_for_2_or_60_activities(
    world: World, ann: Volunteer, n: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _coming(world, n)
    client = _portal(world, ann)
    with django_assert_max_num_queries(11):
        assert client.get("/volunteer/").status_code == 200


def _candidates(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<span id="candidate-(\d+)">', page)]


def test_the_on_behalf_picker_finds_by_name_and_says_when_it_shows_the_first_ten(
    client: Client, world: World
) -> None:
    made = [make_volunteer(world, f"志愿者{n:02d}", f"139000{n:05d}") for n in range(12)]
    activity = make_activity(world, start=timezone.now() + timedelta(days=3))
    url = f"/desk/volunteers/activities/{activity.pk}/"
    client.force_login(world.desk_a)
    assert _candidates(client.get(url).content.decode()) == []  # no select of everyone
    many = client.post(url, {"q": "志愿者"}).content.decode()
    assert len(_candidates(many)) == 10 and "显示前 10 条，请输入关键字缩小范围" in many
    one = client.post(url, {"q": "志愿者11"}).content.decode()
    assert _candidates(one) == [made[11].pk] and "显示前" not in one
    by_phone = client.post(url, {"q": "13900000003"}).content.decode()
    assert _candidates(by_phone) == [made[3].pk]


def test_the_on_behalf_picker_never_finds_another_communitys_volunteer(
    client: Client, world: World
) -> None:
    resident = make_resident(world.b, "外社区志愿者", "13700000000")
    volunteer_register(actor=world.desk_b, resident_id=resident.pk, skills="")
    activity = make_activity(world, start=timezone.now() + timedelta(days=3))
    client.force_login(world.desk_a)
    page = client.post(f"/desk/volunteers/activities/{activity.pk}/", {"q": "外社区"})
    assert "外社区志愿者" not in page.content.decode()
    assert "未找到本社区的志愿者" in page.content.decode()
