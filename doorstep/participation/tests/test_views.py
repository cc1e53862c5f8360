"""Desk and portal pages: scope, bad input as Chinese messages, pinned query counts."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from doorstep.conftest import World
from doorstep.participation import services
from doorstep.participation.choices import MeetingKind, MeetingStatus
from doorstep.participation.models import Meeting, Project, Registration, Vote
from doorstep.places.models import Community

from .conftest import NOW, approved_project, make_meeting, make_plan, make_project


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_desk_pages_render_for_the_community(world: World) -> None:
    project = approved_project(world)
    meeting = project.meetings.get()
    plan = make_plan(world)
    client = _client(world.desk_a)
    for url in [
        "/participation/",
        "/participation/projects/new/",
        f"/participation/projects/{project.pk}/",
        f"/participation/meetings/{meeting.pk}/",
        "/participation/things/?year=2025",
    ]:
        assert client.get(url).status_code == 200, url
    assert "一村微公园" in client.get("/participation/").content.decode()
    assert plan.pk


def test_another_communitys_project_and_meeting_are_404(world: World) -> None:
    project = make_project(world)
    meeting = make_meeting(world, project)
    client = _client(world.desk_b)
    assert client.get(f"/participation/projects/{project.pk}/").status_code == 404
    assert client.get(f"/participation/meetings/{meeting.pk}/").status_code == 404
    response = client.post(f"/participation/meetings/{meeting.pk}/close/", {"minutes": "x"})
    assert response.status_code == 404
    assert "一村微公园" not in client.get("/participation/").content.decode()


def test_propose_through_the_page(world: World) -> None:
    response = _client(world.desk_a).post(
        "/participation/projects/new/",
        {
            "title": "3号楼加装电梯",
            "proposer_kind": "resident",
            "proposer_name": "王秀英",
            "funding_source": "residents",
            "budget": "680000",
            "compound": str(world.compound_a.pk),
            "building": "3号楼",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and project.building == world.building_a


def test_propose_with_missing_title_shows_a_chinese_message(world: World) -> None:
    response = _client(world.desk_a).post(
        "/participation/projects/new/",
        {"title": "", "proposer_kind": "worker", "funding_source": "street"},
    )
    assert response.status_code == 200
    assert "请填写项目名称" in response.content.decode()
    assert not Project.objects.exists()


def test_closing_without_minutes_through_the_page_writes_nothing(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    response = _client(world.desk_a).post(
        f"/participation/meetings/{meeting.pk}/close/",
        {
            "minutes": "",
            "attendee_count": "10",
            "organisations_present": "居委会",
            "decisions": "x",
        },
        follow=True,
    )
    assert "结束会议须填写会议纪要" in _messages(response)
    assert 'value="居委会"' in response.content.decode()  # what was typed comes back
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_tally_that_does_not_add_up_through_the_page(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    response = _client(world.desk_a).post(
        f"/participation/meetings/{meeting.pk}/votes/",
        {
            "question": "是否同意",
            "method": "hands",
            "present": "20",
            "cast": "20",
            "yes": "10",
            "no": "5",
            "abstain": "1",
        },
        follow=True,
    )
    assert "计票不符" in _messages(response)
    assert not Vote.objects.exists()


def test_progress_over_100_through_the_page(world: World) -> None:
    plan = make_plan(world)
    thing = services.thing_add(
        actor=world.desk_a,
        plan_id=plan.pk,
        title="楼道废弃网络线清理",
        owner_name="苏楠",
        budget="0",
        milestones=[services.MilestoneIn("拆除", date(2025, 9, 30))],
    )
    milestone = thing.milestones.get()
    response = _client(world.grid_a).post(
        f"/participation/milestones/{milestone.pk}/progress/", {"progress": "150"}, follow=True
    )
    assert "不能超过 100%" in _messages(response)
    milestone.refresh_from_db()
    assert milestone.progress == 0


def test_two_taps_update_progress_from_the_phone(world: World) -> None:
    plan = make_plan(world)
    thing = services.thing_add(
        actor=world.desk_a,
        plan_id=plan.pk,
        title="楼道废弃网络线清理",
        owner_name="苏楠",
        budget="0",
        milestones=[services.MilestoneIn("拆除", date(2025, 9, 30))],
    )
    client = _client(world.grid_a)
    page = client.get(f"/participation/things/{thing.pk}/").content.decode()  # tap 1: the thing
    milestone = thing.milestones.get()
    assert f"/participation/milestones/{milestone.pk}/progress/" in page
    client.post(f"/participation/milestones/{milestone.pk}/progress/", {"progress": "75"})  # tap 2
    thing.refresh_from_db()
    assert thing.progress == 75


def test_public_registration_over_capacity_goes_to_the_waitlist(world: World) -> None:
    project = make_project(world)
    meeting = services.meeting_schedule(
        actor=world.desk_a,
        project_id=project.pk,
        plan=services.MeetingPlan(
            kind=MeetingKind.HEARING,
            starts_at=services.timezone.now() + services.timedelta(days=3),
            place="活动室",
            agenda="议程",
            capacity=1,
        ),
    )
    client = Client()
    url = f"/p/meetings/{meeting.pk}/register/"
    first = client.post(url, {"name": "王秀英", "phone": "13812345678"}, follow=True)
    second = client.post(url, {"name": "李建国", "phone": "13912345678"}, follow=True)
    assert "报名成功" in _messages(first)
    assert "已进入候补" in _messages(second)
    assert Registration.objects.filter(status="waitlisted").count() == 1
    page = client.get(f"/p/{project.pk}/").content.decode()
    assert "13812345678" not in page and "王秀英" not in page


def test_public_project_page_shows_minutes_and_votes_in_bounded_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    project = approved_project(world)
    client = Client()
    with django_assert_max_num_queries(12):
        page = client.get(f"/p/{project.pk}/").content.decode()
    assert "拆除违章搭建，建休憩凉亭" in page
    assert "赞成 9" in page and "通过" in page


def test_public_things_page(world: World) -> None:
    make_plan(world)
    page = Client().get(f"/things/{world.a.pk}/2025/").content.decode()
    assert "居民代表会议通过" in page


def test_street_view_query_count_does_not_grow_with_communities(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    make_plan(world)
    client = _client(world.street_user)
    client.get("/participation/things/street/?year=2025")  # warm the session
    with django_assert_max_num_queries(9):
        small = client.get("/participation/things/street/?year=2025")
    for n in range(30):
        community = Community.objects.create(street=world.street, name=f"新社区{n}")
        services.practical_list_adopt(
            actor=world.street_user,
            community=community,
            year=2025,
            adoption="committee",
            adopted_on=date(2025, 3, 1),
        )
    with django_assert_max_num_queries(9):
        large = client.get("/participation/things/street/?year=2025")
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("新社区") == 30


def test_street_view_lists_late_things_first(world: World) -> None:
    plan = make_plan(world)
    for title, due in [("有风险的实事", date(2025, 12, 1)), ("逾期的实事", date(2025, 6, 30))]:
        services.thing_add(
            actor=world.desk_a,
            plan_id=plan.pk,
            title=title,
            owner_name="苏楠",
            budget="0",
            milestones=[services.MilestoneIn("完成", due)],
            today=date(2025, 11, 25),
        )
    text = _client(world.street_user).get("/participation/things/street/?year=2025")
    body = text.content.decode()
    assert "有风险的实事" in body and "逾期的实事" in body
    assert body.index("逾期的实事") < body.index("有风险的实事")


@pytest.mark.parametrize("url", ["/participation/", "/participation/things/street/"])
def test_anonymous_is_sent_to_login(url: str, db: None) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_meeting_counts_are_not_hidden_from_staff(world: World) -> None:
    meeting = make_meeting(world, make_project(world), capacity=1)
    services.meeting_register(meeting_id=meeting.pk, name="王秀英", phone="13812345678", now=NOW)
    page = _client(world.desk_a).get(f"/participation/meetings/{meeting.pk}/").content.decode()
    assert "王秀英" in page and "138****5678" in page and "13812345678" not in page
    assert Meeting.objects.get().registered_count == 1


def test_project_filter_ignores_values_out_of_bounds() -> None:
    from doorstep.participation.filters import ProjectFilter

    assert ProjectFilter.from_params({"community": "99999999999999999999", "stage": "x"}) == (
        ProjectFilter()
    )


def test_propose_from_a_demand_list_entry(world: World) -> None:
    from doorstep.catalog.models import Demand

    demand = Demand.objects.create(community=world.a, text="小区没有充电桩", topic="充电桩")
    client = _client(world.desk_a)
    assert "充电桩" in client.get("/participation/projects/new/").content.decode()
    client.post(
        "/participation/projects/new/",
        {
            "title": "充电桩",
            "proposer_kind": "demand",
            "funding_source": "property",
            "demand": str(demand.pk),
        },
    )
    assert Project.objects.get().demand == demand


def test_evidence_is_served_sandboxed(world: World) -> None:
    plan = make_plan(world)
    thing = services.thing_add(
        actor=world.desk_a,
        plan_id=plan.pk,
        title="验收",
        owner_name="苏楠",
        budget="0",
        milestones=[services.MilestoneIn("验收", date(2025, 9, 30))],
    )
    evidence = services.evidence_add(
        actor=world.desk_a, thing_id=thing.pk, caption="验收单", filename="a.pdf", data=b"%PDF-1.4"
    )
    response = Client().get(f"/p/evidence/{evidence.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
