"""Bad input: a clear Chinese message and nothing written — through the services, the intake
page, the case page and the API."""

import json
import re
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from doorstep.api.services import api_token_create
from doorstep.cases import services
from doorstep.cases.choices import Status
from doorstep.cases.models import Case
from doorstep.conftest import World, counts, make_item, valid_id_number, wrong_id_number

pytestmark = pytest.mark.django_db

WRONG_ID = wrong_id_number()


def messages_of(error: ValidationError) -> str:
    return "；".join(error.messages)


def test_wrong_id_helper_really_has_a_wrong_check_digit() -> None:
    from doorstep.core.validators import validate_id_number

    assert validate_id_number(valid_id_number()) == valid_id_number()
    with pytest.raises(ValidationError):
        validate_id_number(WRONG_ID)


# ── services ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("description", ["", "   ", "\n\t"])
def test_empty_description_is_refused(world: World, description: str) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(description=description, item=world.residence_cert)
    assert info.value.message_dict == {"description": ["请填写居民诉求内容。"]}
    assert counts() == before


def test_overlong_description_is_refused(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(description="噪" * 5001)
    assert "5000 字以内" in messages_of(info.value)
    assert counts() == before


def test_inactive_item_is_refused(world: World) -> None:
    world.residence_cert.active = False
    world.residence_cert.save()
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(item=world.residence_cert)
    assert info.value.message_dict == {"item": ["该服务事项不存在或已停用。"]}
    assert counts() == before


def test_another_communitys_local_item_is_refused(world: World) -> None:
    local = make_item(
        "CULTURE-VENUE-BOOKING",
        categories=world.categories,
        code="B-LOCAL",
        scope="local",
        community=world.b,
    )
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(item=local)
    assert "该服务事项不存在或已停用" in messages_of(info.value)
    assert counts() == before


def test_unknown_channel_is_refused(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(channel="pigeon")
    assert "未知的受理渠道" in messages_of(info.value)
    assert counts() == before


def test_invalid_new_resident_phone_is_refused(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(new_resident={"name": "刘建国", "phone": "12345", "id_number": ""})
    assert info.value.message_dict["phone"] == ["手机号码格式不正确：应为以 1 开头的 11 位数字。"]
    assert counts() == before


def test_new_resident_id_with_wrong_check_digit_is_refused(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(new_resident={"name": "刘建国", "phone": "", "id_number": WRONG_ID})
    assert info.value.message_dict["id_number"] == ["身份证号码校验位不正确，请核对后重新输入。"]
    assert counts() == before


def test_new_resident_without_a_name_is_refused(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(new_resident={"name": "", "phone": "13900001111", "id_number": ""})
    assert "请填写居民姓名" in messages_of(info.value)
    assert counts() == before


def test_invalid_contact_phone_is_refused(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(contact_phone="12345")
    assert "手机号码格式不正确" in messages_of(info.value)
    assert counts() == before


def test_compound_of_another_community_is_refused(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(compound=world.compound_b)
    assert "该小区不属于本社区" in messages_of(info.value)
    assert counts() == before


def test_building_without_its_compound_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        world.intake(building=world.building_a)
    assert "楼栋与小区不匹配" in messages_of(info.value)


def test_resolving_without_a_reply_writes_nothing(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="", version=1)
    assert "办结前须填写给居民的答复" in messages_of(info.value)
    assert counts() == before
    assert Case.objects.get(pk=case.pk).version == 1


# ── the intake page ──────────────────────────────────────────────────────────────────────


def intake_post(client: Client, world: World, **fields: Any) -> Any:
    client.force_login(world.desk_a)
    data = {
        "channel": "walk_in",
        "description": "我要开个居住证明",
        "form_token": uuid.uuid4().hex,
        **fields,
    }
    return client.post("/desk/intake/", data)


def test_intake_page_registers_a_valid_case(client: Client, world: World) -> None:
    response = intake_post(client, world, item=world.residence_cert.pk)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/cases/{case.pk}/"
    assert case.item == world.residence_cert
    assert case.first_responder == world.desk_a


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": ""}, "请填写居民诉求内容。"),
        ({"item": "999999"}, "该服务事项不存在或已停用。"),
        ({"new_name": "刘建国", "new_phone": "12345"}, "手机号码格式不正确"),
        ({"new_name": "刘建国", "new_id_number": WRONG_ID}, "身份证号码校验位不正确"),
        ({"settle_now": "on", "reply": ""}, "当场办结须填写给居民的答复。"),
        ({"contact_phone": "12345"}, "手机号码格式不正确"),
        ({"new_name": "", "new_phone": "13900001111"}, "请填写居民姓名。"),
    ],
)
def test_intake_page_rerenders_with_a_chinese_error_and_writes_nothing(
    client: Client, world: World, fields: dict[str, str], message: str
) -> None:
    before = counts()
    response = intake_post(client, world, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_intake_page_refuses_an_inactive_item(client: Client, world: World) -> None:
    world.residence_cert.active = False
    world.residence_cert.save()
    before = counts()
    response = intake_post(client, world, item=world.residence_cert.pk)
    assert response.status_code == 200
    assert "该服务事项不存在或已停用。" in response.content.decode()
    assert counts() == before


def test_intake_page_keeps_what_was_typed(client: Client, world: World) -> None:
    response = intake_post(client, world, description="路灯坏了", new_name="刘建国", new_phone="1")
    html = response.content.decode()
    assert "路灯坏了" in html
    assert 'value="刘建国"' in html


# ── the case page: a stale form ──────────────────────────────────────────────────────────


def test_stale_form_on_the_case_page_shows_an_error_and_changes_nothing(
    client: Client, world: World
) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_accept(actor=world.grid_a, case_id=case.pk, version=1)  # someone else
    before = counts()
    client.force_login(world.desk_a)
    response = client.post(
        f"/desk/cases/{case.pk}/resolve/", {"version": "1", "reply": "办好了"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/desk/cases/{case.pk}/"
    assert "该事项刚被其他人更新过" in response.content.decode()
    assert counts() == before
    case.refresh_from_db()
    assert (case.status, case.version, case.reply) == (Status.IN_PROGRESS, 2, "")


def test_case_page_resolve_without_reply_shows_the_error(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    before = counts()
    client.force_login(world.desk_a)
    response = client.post(
        f"/desk/cases/{case.pk}/resolve/", {"version": "1", "reply": ""}, follow=True
    )
    assert "办结前须填写给居民的答复" in response.content.decode()
    assert counts() == before


def test_case_page_action_without_version_is_refused(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    before = counts()
    client.force_login(world.desk_a)
    response = client.post(f"/desk/cases/{case.pk}/accept/", {}, follow=True)
    assert "提交的内容有误" in response.content.decode()
    assert counts() == before


# ── the API ──────────────────────────────────────────────────────────────────────────────


def api_post(client: Client, world: World, path: str, body: dict[str, Any]) -> Any:
    _token, key = api_token_create(world.desk_a, "tests")
    return client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"description": "", "item_code": "GOV-RESIDENCE-CERT"}, "请填写居民诉求内容。"),
        ({"description": "开证明", "item_code": "NO-SUCH-ITEM"}, "该服务事项不存在或已停用。"),
        ({"description": "开证明", "contact_phone": "12345"}, "手机号码格式不正确"),
        (
            {"description": "当场办", "item_code": "LEGAL-ANTI-FRAUD", "settle_now": True},
            "当场办结须填写给居民的答复。",
        ),
    ],
)
def test_api_bad_input_is_400_with_code_and_chinese_message(
    client: Client, world: World, body: dict[str, Any], message: str
) -> None:
    before = counts()
    response = api_post(client, world, "/api/v1/cases", body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid"
    assert message in payload["message"]
    assert counts() == before


def test_api_bad_input_names_the_field(client: Client, world: World) -> None:
    response = api_post(client, world, "/api/v1/cases", {"description": " "})
    assert response.json()["fields"] == {"description": ["请填写居民诉求内容。"]}


def test_api_resolve_without_reply_is_400(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    before = counts()
    response = api_post(client, world, f"/api/v1/cases/{case.pk}/resolve", {"version": 1})
    assert response.status_code == 400
    assert "办结前须填写给居民的答复" in response.json()["message"]
    assert counts() == before


def test_api_stale_version_is_409(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_accept(actor=world.grid_a, case_id=case.pk, version=1)
    before = counts()
    response = api_post(
        client, world, f"/api/v1/cases/{case.pk}/resolve", {"version": 1, "reply": "办好了"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    assert "该事项刚被其他人更新过" in response.json()["message"]
    assert counts() == before


def test_api_schema_error_is_422_in_chinese(client: Client, world: World) -> None:
    response = api_post(client, world, "/api/v1/cases", {"channel": "phone"})
    assert response.status_code == 422
    assert response.json()["code"] == "schema"
    assert response.json()["message"] == "请求格式不正确，请检查字段。"
    assert any(key.endswith("description") for key in response.json()["fields"])


def test_api_rating_twice_is_400(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="办好了")
    url = f"/api/v1/track/{case.tracking_code}/rating"
    body = json.dumps({"attitude": 5, "capability": 5})
    assert client.post(url, body, content_type="application/json").status_code == 201
    before = counts()
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "每件事项只能评价一次" in response.json()["message"]
    assert counts() == before


def test_api_rating_before_resolution_is_400(client: Client, world: World) -> None:
    case = world.intake(item=world.residence_cert)
    before = counts()
    response = client.post(
        f"/api/v1/track/{case.tracking_code}/rating",
        json.dumps({"attitude": 5, "capability": 5}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "事项办结后才能评价" in response.json()["message"]
    assert counts() == before


def test_api_schema_errors_say_what_is_wrong_in_chinese(client: Client, world: World) -> None:
    response = api_post(
        client, world, "/api/v1/cases", {"description": 5, "channel": "phone", "community_id": "x"}
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["payload.description"] == ["应为文字。"]
    assert fields["payload.community_id"] == ["应为整数。"]
    missing = api_post(client, world, "/api/v1/cases", {"channel": "phone"}).json()["fields"]
    assert missing["payload.description"] == ["必填。"]
    text = json.dumps(response.json(), ensure_ascii=False) + json.dumps(missing)
    assert not re.search(r"Input should|Field required", text)  # no English from pydantic
