"""Scope rules and bad input: another area's id is a 404, a bad period a Chinese message."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from doorstep.conftest import World, at

from .conftest import September

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user", ["desk_a", "grid_a", "department_user"])
def test_dashboard_is_for_leaders_only(client: Client, world: World, user: str) -> None:
    client.force_login(getattr(world, user))
    assert client.get("/dashboard/").status_code == 403


@pytest.mark.parametrize("user", ["secretary_a", "street_user", "district_user"])
def test_dashboard_opens_for_each_leader(client: Client, world: World, user: str) -> None:
    client.force_login(getattr(world, user))
    assert client.get("/dashboard/").status_code == 200


def test_secretary_gets_404_for_another_community(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    assert client.get("/dashboard/", {"community": world.b.pk}).status_code == 404
    assert client.get("/dashboard/", {"community": world.a.pk}).status_code == 200


def test_street_gets_404_for_another_streets_community(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    assert client.get("/dashboard/", {"community": world.c.pk}).status_code == 404
    assert client.get("/dashboard/", {"street": world.other_street.pk}).status_code in (200, 404)
    client.force_login(world.other_street_user)
    assert client.get("/dashboard/", {"community": world.a.pk}).status_code == 404


def test_district_drills_into_any_of_its_streets(client: Client, world: World) -> None:
    client.force_login(world.district_user)
    response = client.get("/dashboard/", {"street": world.other_street.pk})
    assert response.status_code == 200
    assert response.context["board"].area.community_ids == [world.c.pk]


def test_a_foreign_worker_id_is_a_404(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    assert client.get("/dashboard/", {"worker": world.desk_b.pk}).status_code == 404
    assert client.get("/dashboard/", {"worker": world.desk_a.pk}).status_code == 200


def test_the_street_sees_only_its_communities_in_the_comparison(
    client: Client, september: September
) -> None:
    w = september.world
    client.force_login(w.street_user)
    html = client.get("/dashboard/", {"period": "month", "on": "2025-09-01"}).content.decode()
    assert w.a.name in html and w.c.name not in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"period": "fortnight"}, "未知的统计周期"),
        (
            {"period": "custom", "start": "2025-09-10", "end": "2025-09-01"},
            "结束日期不能早于开始日期",
        ),
        ({"period": "year", "year": "2999"}, "不能查看未来年份"),
        ({"period": "year", "year": "abc"}, "年份须为数字"),
        ({"period": "month", "on": "2025-13-01"}, "不是有效日期"),
        ({"period": "day", "on": "2999-01-01"}, "不能查看未来"),
        ({"period": "custom", "start": "1900-01-01", "end": "2025-01-01"}, "自定义周期最长三年"),
    ],
)
def test_bad_periods_get_a_chinese_message(
    client: Client, world: World, params: dict[str, str], message: str
) -> None:
    client.force_login(world.street_user)
    for path in ("/dashboard/", "/dashboard/tv/", "/dashboard/cases/"):
        response = client.get(path, params)
        assert response.status_code == 400
        assert message in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "1.5"])
def test_a_malformed_drill_id_is_a_404(client: Client, world: World, value: str) -> None:
    client.force_login(world.district_user)
    for key in ("street", "community", "grid", "worker"):
        assert client.get("/dashboard/", {key: value}).status_code == 404


def test_unknown_kpi_is_404(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    assert client.get("/dashboard/cases/", {"kpi": "drop table"}).status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/cases/", "/dashboard/demands/"])
def test_a_forged_cursor_is_a_400_in_chinese(client: Client, world: World, path: str) -> None:
    client.force_login(world.secretary_a)
    response = client.get(path, {"cursor": "eyJpIjoxfQ:forged:sig"})
    assert response.status_code == 400
    assert "翻页参数无效" in response.content.decode()


def _intakes(world: World, n: int, **kwargs: Any) -> None:
    for day in range(n):
        world.intake(now=at(2025, 9, 1 + day % 28), **kwargs)


def test_tile_case_list_pages_by_signed_cursor_through_every_case(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from doorstep.dashboard import views

    monkeypatch.setattr(views, "PAGE", 2)
    _intakes(world, 5, item=world.residence_cert)
    client.force_login(world.secretary_a)
    query = {"kpi": "received", "period": "month", "on": "2025-09-20"}
    seen: list[int] = []
    response = client.get("/dashboard/cases/", query)
    while True:
        seen += [c.pk for c in response.context["cases"]]
        cursor = response.context["next_cursor"]
        if cursor is None:
            break
        response = client.get("/dashboard/cases/", {**query, "cursor": cursor})
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)
    # The cursor belongs to this list: another KPI's list refuses it.
    first = client.get("/dashboard/cases/", query).context["next_cursor"]
    other = client.get("/dashboard/cases/", {**query, "kpi": "on_spot", "cursor": first})
    assert other.status_code == 400
    assert "筛选条件不符" in other.content.decode()


def test_demand_list_pages_by_signed_cursor(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from doorstep.dashboard import views

    monkeypatch.setattr(views, "PAGE", 2)
    _intakes(world, 3, description="希望小区增设快递柜")
    client.force_login(world.secretary_a)
    query = {"period": "month", "on": "2025-09-20"}
    first = client.get("/dashboard/demands/", query)
    assert len(first.context["rows"]) == 2
    second = client.get("/dashboard/demands/", {**query, "cursor": first.context["next_cursor"]})
    assert len(second.context["rows"]) == 1 and second.context["next_cursor"] is None
    assert {d.pk for d in first.context["rows"]}.isdisjoint(d.pk for d in second.context["rows"])


def test_a_worker_sees_only_their_own_scorecard(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    response = client.get("/dashboard/workers/")
    assert [c.worker.pk for c in response.context["cards"]] == [world.desk_a.pk]
    assert client.get("/dashboard/workers/", {"worker": world.grid_a.pk}).status_code == 404


def test_the_secretary_sees_her_communitys_scorecards_only(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    cards = client.get("/dashboard/workers/").context["cards"]
    assert {c.worker.pk for c in cards} == {world.desk_a.pk, world.grid_a.pk, world.secretary_a.pk}
    assert client.get("/dashboard/workers/", {"community": world.b.pk}).status_code == 404


def test_the_street_sees_its_communities_scorecards(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    cards = client.get("/dashboard/workers/").context["cards"]
    assert world.desk_b.pk in {c.worker.pk for c in cards}
    assert world.desk_c.pk not in {c.worker.pk for c in cards}
    assert client.get("/dashboard/workers/", {"worker": world.desk_c.pk}).status_code == 404


def test_department_staff_get_no_scorecards(client: Client, world: World) -> None:
    client.force_login(world.department_user)
    assert client.get("/dashboard/workers/").status_code == 403


def test_scorecard_says_sample_too_small_below_five_ratings(
    client: Client, september: September
) -> None:
    w = september.world
    client.force_login(w.secretary_a)
    response = client.get("/dashboard/workers/", {"period": "month", "on": "2025-09-01"})
    html = response.content.decode()
    assert "样本不足" in html and "态度差" in html


def test_tv_mode_polls_every_minute(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    html = client.get("/dashboard/tv/").content.decode()
    assert 'hx-trigger="every 60s"' in html and 'class="tv"' in html
    fragment = client.get("/dashboard/tv/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "tvpanel" in fragment


def test_scorecards_show_one_keyset_page_of_workers_at_a_time(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from doorstep.dashboard import views

    monkeypatch.setattr(views, "SCORECARD_PAGE", 2)
    client.force_login(world.street_user)
    first = client.get("/dashboard/workers/").context
    total = first["page"].total.count
    assert total > 2 and not first["page"].total.estimated
    seen, response = [], client.get("/dashboard/workers/")
    while True:
        page = response.context["page"]
        assert 1 <= len(response.context["cards"]) <= 2
        seen += [c.worker.pk for c in response.context["cards"]]
        if page.next_cursor is None:
            break
        response = client.get("/dashboard/workers/", {"cursor": page.next_cursor})
    assert len(seen) == len(set(seen)) == total
    assert f"共 {total} 名社工" in response.content.decode()
    # A forged cursor, or one from another list (another community's), is a 400 in Chinese.
    forged = client.get("/dashboard/workers/", {"cursor": "eyJpIjoxfQ:forged:sig"})
    assert forged.status_code == 400 and "翻页参数无效" in forged.content.decode()
    other = client.get(
        "/dashboard/workers/", {"community": world.a.pk, "cursor": first["page"].next_cursor}
    )
    assert other.status_code == 400 and "筛选条件不符" in other.content.decode()


def test_a_scorecard_lists_the_five_latest_low_ratings_of_its_worker_only(
    client: Client, world: World
) -> None:
    from doorstep.cases import services
    from doorstep.places.models import Community

    def rated(actor: User, community: Community, day: int, comment: str) -> None:
        case = world.intake(
            actor, community=community, item=world.residence_cert, now=at(2025, 9, day)
        )
        services.case_resolve(actor=actor, case_id=case.pk, reply="已办", now=at(2025, 9, day))
        services.case_rate(
            case_id=case.pk, attitude=1, capability=2, comment=comment, now=at(2025, 9, day + 1)
        )

    for day in range(1, 8):
        rated(world.desk_a, world.a, day, f"差{day}")
    rated(world.desk_b, world.b, 3, "另一社区")
    client.force_login(world.street_user)
    cards = client.get("/dashboard/workers/", {"period": "month", "on": "2025-09-01"}).context[
        "cards"
    ]
    by_worker = {c.worker.pk: [r.comment for r in c.low] for c in cards}
    assert by_worker[world.desk_a.pk] == ["差7", "差6", "差5", "差4", "差3"]
    assert by_worker[world.desk_b.pk] == ["另一社区"]
