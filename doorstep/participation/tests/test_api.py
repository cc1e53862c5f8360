"""/api/v1/participation/: public record, scoped list, registration and comment writes."""

from typing import Any

from django.test import Client

from doorstep.conftest import World
from doorstep.participation import services
from doorstep.participation.choices import MeetingKind
from doorstep.participation.models import Comment, Registration

from .conftest import approved_project, make_plan, make_project


def _future_meeting(world: World, capacity: int = 1) -> Any:
    project = make_project(world)
    return services.meeting_schedule(
        actor=world.desk_a,
        project_id=project.pk,
        plan=services.MeetingPlan(
            kind=MeetingKind.HEARING,
            starts_at=services.timezone.now() + services.timedelta(days=3),
            place="活动室",
            agenda="议程",
            capacity=capacity,
        ),
    )


def test_public_project_record_has_meetings_votes_and_spending(world: World) -> None:
    project = approved_project(world)
    services.project_spend(actor=world.desk_a, project_id=project.pk, amount="1200", note="设计费")
    body = Client().get(f"/api/v1/participation/projects/{project.pk}").json()
    assert body["stage"] == "approved"
    assert body["meetings"][0]["votes"][0]["outcome"] == "passed"
    assert body["meetings"][0]["minutes"]
    assert body["spending"] == [
        {"at": body["spending"][0]["at"], "purpose": "设计费", "amount": "1200.00"}
    ]


def test_missing_project_is_a_json_404(db: None) -> None:
    response = Client().get("/api/v1/participation/projects/999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_project_list_is_scoped_and_needs_auth(world: World) -> None:
    make_project(world)
    assert Client().get("/api/v1/participation/projects").status_code == 401
    other = Client()
    other.force_login(world.desk_b)
    assert other.get("/api/v1/participation/projects").json()["items"] == []
    mine = Client()
    mine.force_login(world.desk_a)
    assert len(mine.get("/api/v1/participation/projects").json()["items"]) == 1


def test_registration_over_capacity_is_201_waitlisted(world: World) -> None:
    meeting = _future_meeting(world)
    url = f"/api/v1/participation/meetings/{meeting.pk}/registrations"
    first = Client().post(url, {"name": "王秀英", "phone": "13812345678"}, "application/json")
    second = Client().post(url, {"name": "李建国", "phone": "13912345678"}, "application/json")
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["status"], second.json()["status"]) == ("registered", "waitlisted")
    cancel = Client().post(
        f"{url}/cancel",
        {"code": first.json()["code"], "phone": "13812345678"},
        "application/json",
    )
    assert cancel.status_code == 200
    assert Registration.objects.get(code=second.json()["code"]).status == "registered"


def test_registration_with_a_bad_phone_is_a_chinese_400(world: World) -> None:
    meeting = _future_meeting(world)
    response = Client().post(
        f"/api/v1/participation/meetings/{meeting.pk}/registrations",
        {"name": "王秀英", "phone": "123"},
        "application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "手机" in response.json()["message"]
    assert not Registration.objects.exists()


def test_comment_through_the_api(world: World) -> None:
    project = make_project(world)
    response = Client().post(
        f"/api/v1/participation/projects/{project.pk}/comments",
        {"name": "王阿姨", "text": "支持"},
        "application/json",
    )
    assert response.status_code == 201 and Comment.objects.get().text == "支持"


def test_public_things_through_the_api(world: World) -> None:
    make_plan(world)
    body = Client().get(f"/api/v1/participation/things/{world.a.pk}/2025").json()
    assert body["year"] == 2025 and body["things"] == []
    assert Client().get(f"/api/v1/participation/things/{world.a.pk}/1999").status_code == 422
