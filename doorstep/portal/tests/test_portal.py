"""The resident portal: submit on `/`, track by code, rate once."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from doorstep.cases import services
from doorstep.cases.choices import Channel, Status
from doorstep.cases.models import Case, Rating
from doorstep.conftest import World, counts

pytestmark = pytest.mark.django_db


def resolved_case(world: World) -> Case:
    case = world.intake(item=world.residence_cert)
    return services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="证明已开好，请来取。")


def test_home_page_shows_the_submit_form(client: Client, world: World) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="description"' in html
    assert "玉兰香苑社区" in html


def test_submit_creates_a_portal_case_and_redirects_to_tracking(
    client: Client, world: World
) -> None:
    response = client.post(
        "/",
        {
            "community": world.b.pk,
            "description": "我家楼下的路灯坏了好几天了",
            "contact_name": "王阿姨",
            "contact_phone": "13812345678",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/track/{case.tracking_code}/"
    assert case.channel == Channel.PORTAL
    assert case.community == world.b
    assert case.first_responder is None
    assert case.owner is None
    assert case.due_date is not None
    assert case.contact_phone_masked == "138****5678"


def test_submitted_case_waits_in_the_community_queue(
    client: Client, world: World, settings: Any, tmp_path: Path
) -> None:
    """With no routing model (none trained here), the request waits unowned in the queue."""
    from doorstep.cases.selectors import queue_for

    settings.ROUTING_MODEL_PATH = tmp_path / "no-model.joblib"
    client.post("/", {"community": world.a.pk, "description": "楼道里堆满了杂物"})
    assert list(queue_for(world.desk_a)) == [Case.objects.get()]


def test_submit_without_description_shows_a_chinese_error(client: Client, world: World) -> None:
    before = counts()
    response = client.post("/", {"community": world.a.pk, "description": ""})
    assert response.status_code == 200
    assert "请填写您要办的事或反映的问题。" in response.content.decode()
    assert counts() == before


def test_submit_with_a_bad_phone_shows_a_chinese_error(client: Client, world: World) -> None:
    before = counts()
    response = client.post(
        "/", {"community": world.a.pk, "description": "路灯坏了", "contact_phone": "12345"}
    )
    assert response.status_code == 200
    assert "手机号码格式不正确" in response.content.decode()
    assert counts() == before


def test_track_page_shows_status_and_reply(client: Client, world: World) -> None:
    case = resolved_case(world)
    response = client.get(f"/track/{case.tracking_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert case.tracking_code in html
    assert "已办结" in html
    assert "证明已开好，请来取。" in html


def test_tracking_by_lower_case_code_without_dash_works(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    response = client.get(f"/track/{case.tracking_code.replace('-', '').lower()}/")
    assert response.status_code == 200
    assert case.tracking_code in response.content.decode()


def test_tracking_by_query_parameter_works(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    response = client.get("/track/", {"code": case.tracking_code.lower()})
    assert response.status_code == 200
    assert case.tracking_code in response.content.decode()


def test_unknown_code_goes_home_with_a_message(client: Client, world: World) -> None:
    response = client.get("/track/ABCD-EFGH/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "没有找到查询码为 ABCD-EFGH 的事项" in response.content.decode()


def test_track_page_hides_internal_notes(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_escalate(
        actor=world.desk_a, case_id=case.pk, target="fallback", note="内部：此人反复来访"
    )
    html = client.get(f"/track/{case.tracking_code}/").content.decode()
    assert "上报" in html
    assert "内部：此人反复来访" not in html


def test_rating_form_shows_only_for_a_resolved_unrated_case(client: Client, world: World) -> None:
    open_case = world.intake(item=world.residence_cert)
    assert (
        'name="attitude"' not in client.get(f"/track/{open_case.tracking_code}/").content.decode()
    )
    case = resolved_case(world)
    assert 'name="attitude"' in client.get(f"/track/{case.tracking_code}/").content.decode()


def test_rating_on_the_track_page_closes_the_case(client: Client, world: World) -> None:
    case = resolved_case(world)
    url = f"/track/{case.tracking_code}/"
    response = client.post(
        url, {"attitude": "5", "capability": "4", "comment": "办得快"}, follow=True
    )
    html = response.content.decode()
    assert "感谢您的评价！" in html
    assert "您已评价" in html
    assert 'name="attitude"' not in html
    rating = Rating.objects.get(case=case)
    assert (rating.attitude, rating.capability, rating.comment) == (5, 4, "办得快")
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_rating_twice_on_the_track_page_is_refused(client: Client, world: World) -> None:
    case = resolved_case(world)
    url = f"/track/{case.tracking_code}/"
    client.post(url, {"attitude": "5", "capability": "5"})
    before = counts()
    response = client.post(url, {"attitude": "1", "capability": "1"}, follow=True)
    assert "每件事项只能评价一次" in response.content.decode()
    assert counts() == before
    assert Rating.objects.get(case=case).attitude == 5


def test_rating_before_resolution_on_the_track_page_is_refused(
    client: Client, world: World
) -> None:
    case = world.intake(item=world.residence_cert)
    before = counts()
    response = client.post(
        f"/track/{case.tracking_code}/", {"attitude": "5", "capability": "5"}, follow=True
    )
    assert "事项办结后才能评价" in response.content.decode()
    assert counts() == before


def test_rating_out_of_range_on_the_track_page_writes_nothing(client: Client, world: World) -> None:
    case = resolved_case(world)
    before = counts()
    response = client.post(f"/track/{case.tracking_code}/", {"attitude": "9", "capability": "5"})
    assert response.status_code == 200
    assert counts() == before
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED
