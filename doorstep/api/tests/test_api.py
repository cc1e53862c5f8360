"""/api/v1/: token auth, JSON errors, scoping, create and act on cases."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from doorstep.api.models import ApiToken, token_hash
from doorstep.api.services import api_token_create
from doorstep.cases import services
from doorstep.cases.choices import Status
from doorstep.cases.models import Case, CaseEvent
from doorstep.conftest import World, counts

pytestmark = pytest.mark.django_db


class Api:
    """A client for one staff user's token."""

    def __init__(self, client: Client, user: User) -> None:
        self.client = client
        _token, self.key = api_token_create(user, "tests")
        self.headers = {"authorization": f"Bearer {self.key}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def case_a(world: World) -> Case:
    return world.intake(world.desk_a, item=world.residence_cert)


@pytest.fixture
def case_b(world: World) -> Case:
    return world.intake(world.desk_b, community=world.b, item=world.residence_cert)


def test_issue_stores_only_a_hash_of_the_key(world: World) -> None:
    token, key = api_token_create(world.desk_a, "tablet")
    assert key.startswith("ds_")
    assert token.key_hash == token_hash(key)
    assert key not in token.key_hash


def test_no_auth_is_401_json(client: Client, db: None) -> None:
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.json()["message"] == "请先登录或提供有效的令牌。"


def test_wrong_token_is_401(client: Client, world: World) -> None:
    response = client.get("/api/v1/cases", headers={"authorization": "Bearer ds_nope"})
    assert response.status_code == 401


def test_token_of_an_inactive_user_is_401(client: Client, world: World) -> None:
    api = Api(client, world.desk_a)
    world.desk_a.is_active = False
    world.desk_a.save()
    assert api.get("/cases").status_code == 401


def test_token_auth_works_and_records_last_use(client: Client, world: World) -> None:
    api = Api(client, world.desk_a)
    assert api.get("/cases").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_session_auth_works_too(client: Client, world: World, case_a: Case) -> None:
    client.force_login(world.desk_a)
    response = client.get("/api/v1/cases")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [case_a.pk]


def test_list_is_scoped_to_the_users_area(
    client: Client, world: World, case_a: Case, case_b: Case
) -> None:
    assert [c["id"] for c in Api(client, world.desk_a).get("/cases").json()] == [case_a.pk]
    assert [c["id"] for c in Api(client, world.desk_b).get("/cases").json()] == [case_b.pk]
    street = {c["id"] for c in Api(client, world.street_user).get("/cases").json()}
    assert street == {case_a.pk, case_b.pk}
    assert Api(client, world.department_user).get("/cases").json() == []


def test_list_filters_by_status(client: Client, world: World, case_a: Case) -> None:
    api = Api(client, world.desk_a)
    assert api.get("/cases", status="resolved").json() == []
    assert len(api.get("/cases", status="received").json()) == 1


def test_get_own_case_with_its_timeline(client: Client, world: World, case_a: Case) -> None:
    response = Api(client, world.desk_a).get(f"/cases/{case_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_code"] == case_a.tracking_code
    assert body["item_code"] == "GOV-RESIDENCE-CERT"
    assert body["due_date"] == "2025-10-16"
    assert body["owner"] == "李前台"
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert body["events"][0]["label"] == "登记受理"


def test_another_areas_case_is_404(client: Client, world: World, case_b: Case) -> None:
    response = Api(client, world.desk_a).get(f"/cases/{case_b.pk}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "事项不存在。", "fields": None}


def test_action_on_another_areas_case_is_404(client: Client, world: World, case_b: Case) -> None:
    before = counts()
    response = Api(client, world.desk_a).post(f"/cases/{case_b.pk}/accept", {"version": 1})
    assert response.status_code == 404
    assert counts() == before


def test_create_with_an_item_code(client: Client, world: World) -> None:
    response = Api(client, world.desk_a).post(
        "/cases",
        {"description": "开居住证明", "item_code": "GOV-RESIDENCE-CERT", "channel": "phone"},
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.item == world.residence_cert
    assert case.community == world.a
    assert case.first_responder == world.desk_a
    assert response.json()["status"] == "received"


def test_create_with_text_only(client: Client, world: World) -> None:
    response = Api(client, world.desk_a).post(
        "/cases", {"description": "我家楼上天天半夜有人拖椅子，吵得睡不着"}
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.description == "我家楼上天天半夜有人拖椅子，吵得睡不着"
    assert case.channel == "app"
    if case.item is None:
        assert case.demand is not None


def test_street_staff_must_name_the_community(client: Client, world: World) -> None:
    api = Api(client, world.street_user)
    response = api.post("/cases", {"description": "路灯坏了"})
    assert response.status_code == 400
    assert response.json()["message"] == "请指定社区。"
    response = api.post("/cases", {"description": "路灯坏了", "community_id": world.b.pk})
    assert response.status_code == 201
    assert Case.objects.get().community == world.b


def test_create_for_a_community_outside_the_area_is_400(client: Client, world: World) -> None:
    before = counts()
    response = Api(client, world.desk_a).post(
        "/cases", {"description": "路灯坏了", "community_id": world.b.pk}
    )
    assert response.status_code == 400
    assert "不在您的辖区" in response.json()["message"]
    assert counts() == before


def test_department_staff_cannot_create(client: Client, world: World) -> None:
    response = Api(client, world.department_user).post(
        "/cases", {"description": "路灯坏了", "community_id": world.a.pk}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_full_flow_through_the_api(client: Client, world: World, case_a: Case) -> None:
    api = Api(client, world.desk_a)
    body = api.post(f"/cases/{case_a.pk}/accept", {"version": 1}).json()
    assert (body["status"], body["version"]) == ("in_progress", 2)
    body = api.post(
        f"/cases/{case_a.pk}/assign", {"version": 2, "assignee_id": world.grid_a.pk, "note": "熟"}
    ).json()
    assert (body["owner"], body["responsibility"]) == ("张网格", "designated")
    body = api.post(f"/cases/{case_a.pk}/resolve", {"version": 3, "reply": "已开好"}).json()
    assert body["status"] == "resolved"
    assert CaseEvent.objects.filter(case=case_a).count() == 4


def test_escalate_to_department_through_the_api(client: Client, world: World, case_a: Case) -> None:
    response = Api(client, world.desk_a).post(
        f"/cases/{case_a.pk}/escalate",
        {"version": 1, "target": "department", "department_id": world.department.pk, "note": "x"},
    )
    assert response.status_code == 200
    assert response.json()["queue"] == "department"
    assert Api(client, world.department_user).get(f"/cases/{case_a.pk}").status_code == 200


def test_desk_cannot_act_after_escalation_to_street(
    client: Client, world: World, case_a: Case
) -> None:
    api = Api(client, world.desk_a)
    api.post(f"/cases/{case_a.pk}/escalate", {"target": "street", "note": "协调"})
    response = api.post(f"/cases/{case_a.pk}/reply", {"reply": "还在办"})
    assert response.status_code == 403
    assert "街道" in response.json()["message"]


def test_unknown_action_is_404(client: Client, world: World, case_a: Case) -> None:
    assert Api(client, world.desk_a).post(f"/cases/{case_a.pk}/explode", {}).status_code == 404


def test_assign_without_assignee_is_400(client: Client, world: World, case_a: Case) -> None:
    response = Api(client, world.desk_a).post(f"/cases/{case_a.pk}/assign", {"version": 1})
    assert response.status_code == 400
    assert response.json()["fields"] == {"assignee_id": ["请指定办理人。"]}


def test_catalog_items_search_by_initials(client: Client, world: World) -> None:
    response = Api(client, world.desk_a).get("/catalog/items", q="jzzm")
    assert response.status_code == 200
    assert [i["code"] for i in response.json()] == ["GOV-RESIDENCE-CERT"]


def test_catalog_items_lists_all_active(client: Client, world: World) -> None:
    codes = {i["code"] for i in Api(client, world.desk_a).get("/catalog/items").json()}
    assert codes == {
        "GOV-RESIDENCE-CERT",
        "LEGAL-ANTI-FRAUD",
        "GOV-TEMP-ASSISTANCE",
        "GOV-PUBLIC-HOUSING",
    }


def test_public_track_needs_no_auth(client: Client, world: World, case_a: Case) -> None:
    response = client.get(f"/api/v1/track/{case_a.tracking_code.replace('-', '').lower()}")
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_code"] == case_a.tracking_code
    assert body["community"] == "玉兰香苑社区"
    assert body["rated"] is False
    assert "description" not in body


def test_public_track_unknown_code_is_404(client: Client, db: None) -> None:
    assert client.get("/api/v1/track/ABCD-EFGH").status_code == 404


def test_public_rating_closes_the_case(client: Client, world: World, case_a: Case) -> None:
    services.case_resolve(actor=world.desk_a, case_id=case_a.pk, reply="已开好")
    response = client.post(
        f"/api/v1/track/{case_a.tracking_code}/rating",
        json.dumps({"attitude": 5, "capability": 4, "comment": "很快"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["rated"] is True
    assert Case.objects.get(pk=case_a.pk).status == Status.CLOSED


def test_public_rating_out_of_range_is_422(client: Client, world: World, case_a: Case) -> None:
    services.case_resolve(actor=world.desk_a, case_id=case_a.pk, reply="已开好")
    response = client.post(
        f"/api/v1/track/{case_a.tracking_code}/rating",
        json.dumps({"attitude": 6, "capability": 4}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Case.objects.get(pk=case_a.pk).status == Status.RESOLVED
