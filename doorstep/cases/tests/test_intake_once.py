"""The intake form: one case per form token, every error at once, choices kept after an error."""

from typing import Any

import pytest
from django.test import Client

from doorstep.cases.models import Case
from doorstep.conftest import World, counts, wrong_id_number
from doorstep.places.models import Building

pytestmark = pytest.mark.django_db


def _post(client: Client, world: World, **fields: Any) -> Any:
    client.force_login(world.desk_a)
    data = {"channel": "phone", "description": "我要开个居住证明", "form_token": "tok-1", **fields}
    return client.post("/desk/intake/", data)


def test_same_form_token_sent_three_times_makes_one_case(client: Client, world: World) -> None:
    responses = [_post(client, world, item=world.residence_cert.pk) for _ in range(3)]
    case = Case.objects.get()
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r["Location"] for r in responses} == {f"/desk/cases/{case.pk}/"}


def test_a_new_form_token_makes_a_new_case(client: Client, world: World) -> None:
    _post(client, world, form_token="tok-1")
    _post(client, world, form_token="tok-2")
    assert Case.objects.count() == 2


def test_intake_without_a_form_token_is_refused_and_writes_nothing(
    client: Client, world: World
) -> None:
    before = counts()
    response = _post(client, world, form_token="")
    assert response.status_code == 200
    assert "这张登记表已失效" in response.content.decode()
    assert counts() == before
    # the re-rendered form carries a fresh token, so the next submit goes through
    assert 'name="form_token" value="' in response.content.decode()
    assert 'name="form_token" value=""' not in response.content.decode()


def test_another_users_form_token_does_not_show_their_case(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    client.post(
        "/desk/intake/", {"channel": "phone", "description": "路灯坏了", "form_token": "shared"}
    )
    response = _post(client, world, form_token="shared")
    assert response.status_code == 200
    assert "这张登记表已失效" in response.content.decode()
    assert Case.objects.count() == 1


def test_failed_intake_leaves_the_token_usable(client: Client, world: World) -> None:
    _post(client, world, contact_phone="12345")
    assert Case.objects.count() == 0
    assert _post(client, world).status_code == 302
    assert Case.objects.count() == 1


def test_every_error_shows_at_once_with_a_summary(client: Client, world: World) -> None:
    response = _post(
        client,
        world,
        channel="",
        contact_phone="12345",
        new_name="刘建国",
        new_id_number=wrong_id_number(),
        settle_now="on",
        reply="",
    )
    html = response.content.decode()
    for message in (
        "请选择渠道",
        "手机号码格式不正确",
        "身份证号码校验位不正确",
        "当场办结须填写给居民的答复。",
    ):
        assert message in html
    assert 'id="error-summary"' in html
    assert "有 4 处需要修改" in html
    assert html.count('aria-invalid="true"') >= 4


def test_compound_and_building_choice_survive_an_error(client: Client, world: World) -> None:
    other = Building.objects.create(compound=world.compound_a, name="5号楼")
    response = _post(
        client,
        world,
        description="",
        compound=world.compound_a.pk,
        building=other.pk,
    )
    html = response.content.decode()
    assert f'<option value="{other.pk}" selected>5号楼</option>' in html
    assert f'<option value="{world.compound_a.pk}" selected>' in html


def test_channel_is_not_preselected(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    html = client.get("/desk/intake/").content.decode()
    assert 'name="channel"' in html
    assert "checked" not in html.split('name="channel"', 1)[1].split("</fieldset>", 1)[0]
