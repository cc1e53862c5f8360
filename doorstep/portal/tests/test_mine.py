"""「我的诉求」: a one-time SMS code proves the phone; the phone never appears in a URL."""

import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from doorstep.cases.models import Case
from doorstep.conftest import World, make_resident
from doorstep.portal import services
from doorstep.portal.models import PhoneCode

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def _code_from_log(caplog: pytest.LogCaptureFixture) -> str:
    found = re.findall(r"验证码是 (\d{6})", caplog.text)
    assert found, caplog.text
    return found[-1]


def _prove(
    client: Client, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> Any:
    with (
        caplog.at_level(logging.INFO, logger="doorstep.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = client.post("/mine/", {"phone": PHONE, "action": "send"})
    assert sent.status_code == 200
    assert 'name="code"' in sent.content.decode()
    return client.post(
        "/mine/", {"phone": PHONE, "code": _code_from_log(caplog), "action": "check"}
    )


def test_right_code_shows_cases_left_under_the_phone(
    client: Client,
    world: World,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mine = world.intake(description="路灯坏了", contact_phone=PHONE)
    wang = make_resident(world.a, "王秀英", PHONE)
    as_resident = world.intake(description="居住证明", resident=wang)
    other = world.intake(description="别人的事", contact_phone="13900001111")
    checked = _prove(client, caplog, django_capture_on_commit_callbacks)
    assert checked.status_code == 302 and checked["Location"] == "/mine/"
    assert PHONE not in checked["Location"]
    html = client.get("/mine/").content.decode()
    assert mine.tracking_code in html and as_resident.tracking_code in html
    assert other.tracking_code not in html
    assert PHONE not in html
    assert "138****5678" in caplog.text and PHONE not in caplog.text


def test_wrong_code_shows_nothing_and_five_tries_use_the_code_up(
    client: Client,
    world: World,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.intake(description="路灯坏了", contact_phone=PHONE)
    with (
        caplog.at_level(logging.INFO, logger="doorstep.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post("/mine/", {"phone": PHONE, "action": "send"})
    right = _code_from_log(caplog)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        response = client.post("/mine/", {"phone": PHONE, "code": wrong, "action": "check"})
        assert "验证码不正确或已过期" in response.content.decode()
    late = client.post("/mine/", {"phone": PHONE, "code": right, "action": "check"})
    assert late.status_code == 200
    assert Case.objects.get().tracking_code not in client.get("/mine/").content.decode()


def test_codes_are_rate_limited_per_phone(db: None) -> None:
    start = timezone.now()
    services.phone_code_send(PHONE, now=start)
    with pytest.raises(Exception, match="1 分钟后再试"):
        services.phone_code_send(PHONE, now=start + timedelta(seconds=30))
    for minutes in range(1, 5):
        services.phone_code_send(PHONE, now=start + timedelta(minutes=minutes * 2))
    with pytest.raises(Exception, match="已达上限"):
        services.phone_code_send(PHONE, now=start + timedelta(minutes=30))
    assert PhoneCode.objects.count() == 5


def test_code_expires_after_ten_minutes(
    db: None, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now()
    with (
        caplog.at_level(logging.INFO, logger="doorstep.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.phone_code_send(PHONE, now=start)
    with pytest.raises(Exception, match="已过期"):
        services.phone_code_check(PHONE, _code_from_log(caplog), now=start + timedelta(minutes=11))


def test_only_hashes_are_stored(db: None) -> None:
    services.phone_code_send(PHONE)
    row = PhoneCode.objects.get()
    assert PHONE not in row.phone_hash and len(row.code_hash) == 64


def test_bad_phone_gets_a_chinese_message(client: Client, db: None) -> None:
    response = client.post("/mine/", {"phone": "12345", "action": "send"})
    assert "请输入 11 位手机号码。" in response.content.decode()
    assert PhoneCode.objects.count() == 0


def test_portal_request_is_routed_like_the_desk(
    client: Client, world: World, settings: Any, tmp_path: Any
) -> None:
    from doorstep.routing import services as routing

    settings.ROUTING_MODEL_PATH = tmp_path / "live.joblib"
    routing.routing_retrain()
    client.post("/", {"community": world.a.pk, "description": "我想开个居住证明去银行用"})
    case = Case.objects.get()
    assert case.item == world.residence_cert
    assert case.routing_confidence is not None and case.routing_confidence >= 0.35


def test_community_picker_asks_instead_of_defaulting(client: Client, world: World) -> None:
    html = client.get("/").content.decode()
    picker = html.split('name="community"', 1)[1].split("</select>", 1)[0]
    assert "请选择您住的社区" in picker and "selected" not in picker
    response = client.post("/", {"description": "路灯坏了"})
    assert "请选择所在社区。" in response.content.decode()
