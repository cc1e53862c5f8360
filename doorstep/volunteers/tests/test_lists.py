"""The volunteer desk's lists (activities, roster, served hours): one `ActivityFilter` behind
the desk, /api/v1/volunteers/activities and the xlsx; keyset pages with a total; masked
numbers, escaped formulas, the row cap, bad cursors, and another community sees none of ours."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.api.services import api_token_create
from doorstep.conftest import World, background_rows, make_resident
from doorstep.volunteers.choices import TeamKind
from doorstep.volunteers.models import Activity, Volunteer
from doorstep.volunteers.services import (
    TeamData,
    hours_correct,
    signup_create,
    team_create,
    volunteer_register,
)

from .conftest import NOW, START, make_activity, make_volunteer

pytestmark = pytest.mark.django_db
KIND = TeamKind.values[0]
ID_NUMBER = "11010519491231002X"


def sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _ids(page: str, kind: str) -> list[int]:
    return [int(i) for i in re.findall(rf'<tr id="{kind}-(\d+)">', page)]


def _served(world: World, volunteer: Volunteer, activity: Activity, minutes: int) -> None:
    signup = signup_create(volunteer=volunteer, shift_id=activity.shifts.get().pk, now=NOW)
    hours_correct(actor=world.desk_a, signup_id=signup.pk, minutes=minutes, reason="补记")


@pytest.fixture
def spread(world: World) -> dict[str, Any]:
    """Two past and two coming activities, one of each in a team."""
    team = team_create(
        actor=world.desk_a,
        data=TeamData(community_id=world.a.pk, name="银发理发队", kind=KIND, description=""),
    )
    now = timezone.now()
    made = {
        "old": make_activity(world, "去年义剪", start=now - timedelta(days=300)),
        "old_team": make_activity(world, "上月义剪", start=now - timedelta(days=30)),
        "soon": make_activity(world, "下周义剪", start=now + timedelta(days=7)),
        "soon_team": make_activity(world, "明天义剪", start=now + timedelta(days=1)),
    }
    Activity.objects.filter(pk__in=[made["old_team"].pk, made["soon_team"].pk]).update(team=team)
    return {"team": team, **made}


@pytest.mark.parametrize("which", ["default", "coming", "past", "team", "range"])
def test_desk_api_and_export_list_the_same_activities(
    client: Client, world: World, spread: dict[str, Any], which: str
) -> None:
    today = timezone.localdate()
    params = {
        "default": {},
        "coming": {"when": "coming"},
        "past": {"when": "past"},
        "team": {"team": str(spread["team"].pk)},
        "range": {"from": str(today - timedelta(days=40)), "to": str(today + timedelta(days=3))},
    }[which]
    client.force_login(world.desk_a)
    desk_params = {"community": str(world.a.pk), **params}
    desk = _ids(client.get("/desk/volunteers/", desk_params).content.decode(), "activity")
    _, key = api_token_create(world.desk_a, "parity")
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    api = [a["id"] for a in api_client.get("/api/v1/volunteers/activities", params).json()]
    rows = sheet(client.get("/desk/volunteers/", {**desk_params, "format": "xlsx"}))
    titles = dict(Activity.objects.values_list("pk", "title"))
    assert desk == api and desk
    assert [r[0] for r in rows[1:]] == [titles[i] for i in desk]
    assert rows[0][:3] == ("活动", "团队", "开始时间")
    if which == "coming":
        assert desk == [spread["soon_team"].pk, spread["soon"].pk]  # soonest first


def test_activity_export_writes_dates_as_dates_and_escapes_formulas(
    client: Client, world: World
) -> None:
    make_activity(world, "=HYPERLINK(1)")
    client.force_login(world.desk_a)
    rows = sheet(client.get("/desk/volunteers/", {"format": "xlsx"}))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][2] == timezone.localtime(START).replace(tzinfo=None)


def test_hours_list_and_export_use_the_national_fields_masked_and_filtered(
    client: Client, world: World
) -> None:
    ann = volunteer_register(
        actor=world.desk_a,
        resident_id=make_resident(world.a, "王秀英", "13812345678", ID_NUMBER).pk,
        skills="",
    )
    march = make_activity(world, "三月义剪")
    april = make_activity(world, "四月义剪", start=START + timedelta(days=30))
    Activity.objects.filter(pk=march.pk).update(content="=cmd|' /C calc'!A0")
    _served(world, ann, march, 50)
    _served(world, ann, april, 30)
    client.force_login(world.desk_a)
    page = client.get("/desk/volunteers/hours/").content.decode()
    assert "共 2 条" in page and "王秀英" in page
    rows = sheet(client.get("/desk/volunteers/hours/", {"to": "2026-03-31", "format": "xlsx"}))
    header, *data = rows
    assert {"服务内容", "服务地点", "服务时长（小时，不含往返）", "组织单位"} <= set(header)
    assert len(data) == 1
    name, id_number, day, content, *_, minutes, organiser, _posted = data[0]
    assert name == "王秀英" and minutes == 50 and organiser == "玉兰香苑社区"
    assert str(content).startswith("'=") and day.date() == date(2026, 3, 7)
    assert id_number == ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]
    assert "13812345678" not in str(rows) and ID_NUMBER not in str(rows)


def test_roster_export_masks_phone_and_id_number(
    client: Client, world: World, ann: Volunteer
) -> None:
    client.force_login(world.desk_a)
    rows = sheet(client.get("/desk/volunteers/roster/", {"format": "xlsx"}))
    assert rows[0] == ("姓名", "手机号", "身份证号（脱敏）", "特长", "登记日期")
    assert rows[1][0] == "王秀英" and rows[1][1] == "138****5678"
    assert isinstance(rows[1][4], type(timezone.localtime().replace(tzinfo=None)))
    assert "13812345678" not in str(rows)


def test_another_community_sees_none_of_ours(
    client: Client, world: World, ann: Volunteer, activity: Activity
) -> None:
    _served(world, ann, activity, 40)
    for user in (world.desk_b, world.other_street_user):
        client.force_login(user)
        for url in ("/desk/volunteers/", "/desk/volunteers/roster/", "/desk/volunteers/hours/"):
            rows = sheet(client.get(url, {"format": "xlsx"}))
            assert len(rows) == 1, (user, url, rows)  # the header only
            assert "王秀英" not in client.get(url).content.decode()
        asked = client.get(
            "/desk/volunteers/roster/", {"community": str(world.a.pk), "format": "xlsx"}
        )
        assert asked.status_code == 404 or len(sheet(asked)) == 1


def test_street_staff_export_a_community_of_their_street(
    client: Client, world: World, ann: Volunteer
) -> None:
    client.force_login(world.street_user)
    rows = sheet(
        client.get("/desk/volunteers/roster/", {"community": str(world.a.pk), "format": "xlsx"})
    )
    assert [r[0] for r in rows[1:]] == ["王秀英"]


def test_roster_pages_by_keyset_and_says_how_many(client: Client, world: World) -> None:
    made = [make_volunteer(world, f"志愿者{n:02d}", f"139000{n:05d}") for n in range(55)]
    client.force_login(world.desk_a)
    first = client.get("/desk/volunteers/roster/").content.decode()
    assert "共 55 条" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert _ids(first, "volunteer") == [v.pk for v in reversed(made)][:50]
    cursor = re.search(r'rel="next" href="\?[^"]*cursor=([^"&]+)', first)
    assert cursor is not None
    second = client.get(f"/desk/volunteers/roster/?cursor={cursor.group(1)}").content.decode()
    assert _ids(second, "volunteer") == [v.pk for v in reversed(made)][50:]
    assert 'rel="prev"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("url", ["/desk/volunteers/", "/desk/volunteers/roster/"])
def test_a_forged_cursor_is_a_clear_400(client: Client, world: World, url: str) -> None:
    client.force_login(world.desk_a)
    response = client.get(url, {"cursor": "forged"})
    assert response.status_code == 400
    assert "翻页参数无效" in response.content.decode()


def test_a_cursor_of_another_filter_is_refused(client: Client, world: World) -> None:
    for n in range(52):
        make_activity(world, f"活动{n}", start=START + timedelta(days=n))
    client.force_login(world.desk_a)
    first = client.get("/desk/volunteers/").content.decode()
    cursor = re.search(r'rel="next" href="\?[^"]*cursor=([^"&#]+)', first)
    assert cursor is not None
    other = client.get(f"/desk/volunteers/?when=past&cursor={cursor.group(1)}")
    assert other.status_code == 400 and "筛选条件不符" in other.content.decode()


def test_export_over_the_row_cap_goes_to_the_background(
    client: Client, world: World, ann: Volunteer, bob: Volunteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("doorstep.core.exports.MAX_ROWS", 1)
    client.force_login(world.desk_a)
    response = client.get("/desk/volunteers/roster/", {"format": "xlsx"})
    assert len(background_rows(client, response)) == 1 + 2


@pytest.mark.parametrize("n", [2, 30])
def test_lists_cost_the_same_queries_for_2_or_30_rows(
    client: Client, world: World, n: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(n):
        volunteer = make_volunteer(world, f"志愿者{i:02d}", f"139000{i:05d}")
        activity = make_activity(world, f"活动{i}", start=START + timedelta(days=i))
        _served(world, volunteer, activity, 30)
    client.force_login(world.desk_a)
    for url in ("/desk/volunteers/", "/desk/volunteers/roster/", "/desk/volunteers/hours/"):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(12):
            assert len(sheet(client.get(url, {"format": "xlsx"}))) == n + 1
    with django_assert_max_num_queries(16):
        assert client.get(f"/desk/volunteers/{volunteer.pk}/").status_code == 200


def test_team_api_pages_by_keyset_instead_of_stopping(world: World) -> None:
    made = [
        team_create(
            actor=world.desk_a,
            data=TeamData(community_id=world.a.pk, name=f"团队{n}", kind=KIND),
        ).pk
        for n in range(3)
    ]
    _, key = api_token_create(world.desk_a, "teams")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    first = api.get("/api/v1/volunteers/teams", {"limit": 2}).json()
    rest = api.get("/api/v1/volunteers/teams", {"limit": 2, "after": first[-1]["id"]}).json()
    assert [t["id"] for t in first + rest] == made
