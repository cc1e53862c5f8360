"""The WeChat official account endpoint: signature, text message → case, XML reply."""

import hashlib
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.interop.models import WechatMessage

TOKEN = "doorstep-wechat-test"


@pytest.fixture(autouse=True)
def wechat_token(settings: Any) -> None:
    settings.DOORSTEP_WECHAT_TOKEN = TOKEN


def signed(
    timestamp: str = "1727312345", nonce: str = "83921", token: str = TOKEN
) -> dict[str, str]:
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def message(content: str, msg_id: str = "6876543210987654321") -> bytes:
    return f"""<xml><ToUserName><![CDATA[gh_doorstep]]></ToUserName>
<FromUserName><![CDATA[oRESIDENT123]]></FromUserName><CreateTime>1727312345</CreateTime>
<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>
<MsgId>{msg_id}</MsgId></xml>""".encode()


def send(client: Client, community_id: int, body: bytes, params: dict[str, str]) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"/wechat/{community_id}/?{query}", body, content_type="text/xml")


def test_get_echoes_echostr_when_signed(world: World, client: Client) -> None:
    response = client.get(f"/wechat/{world.a.pk}/", {**signed(), "echostr": "hello123"})
    assert response.status_code == 200 and response.content == b"hello123"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {**signed(), "signature": "0" * 40},
        signed(token="another-token"),
        {**signed(), "nonce": "tampered"},
    ],
)
def test_bad_signature_is_403_and_writes_nothing(
    world: World, client: Client, params: dict[str, str]
) -> None:
    assert client.get(f"/wechat/{world.a.pk}/", {**params, "echostr": "x"}).status_code == 403
    assert send(client, world.a.pk, message("路灯坏了"), params).status_code == 403
    assert Case.objects.count() == 0 and WechatMessage.objects.count() == 0


def test_no_token_configured_refuses_everything(
    world: World, client: Client, settings: Any
) -> None:
    settings.DOORSTEP_WECHAT_TOKEN = ""
    assert send(client, world.a.pk, message("路灯坏了"), signed(token="")).status_code == 403


def test_text_message_becomes_a_case_and_the_reply_gives_code_and_link(
    world: World, client: Client
) -> None:
    response = send(client, world.a.pk, message("小区门口路灯坏了 <很久> & 没人修"), signed())
    assert response.status_code == 200
    reply = ET.fromstring(response.content)
    assert reply.findtext("ToUserName") == "oRESIDENT123"
    assert reply.findtext("FromUserName") == "gh_doorstep"
    assert reply.findtext("MsgType") == "text"
    case = Case.objects.get()
    assert case.channel == "wechat" and case.community == world.a
    assert case.description == "小区门口路灯坏了 <很久> & 没人修"
    content = reply.findtext("Content") or ""
    assert case.tracking_code in content and f"/track/{case.tracking_code}/" in content


def test_wechat_retry_of_the_same_message_returns_the_same_case(
    world: World, client: Client
) -> None:
    first = send(client, world.a.pk, message("楼道灯坏了"), signed())
    second = send(client, world.a.pk, message("楼道灯坏了"), signed())
    assert Case.objects.count() == 1
    assert first.content.split(b"<CreateTime>")[0] == second.content.split(b"<CreateTime>")[0]


def test_non_text_messages_get_a_hint_and_no_case(world: World, client: Client) -> None:
    body = message("x").replace(b"[text]", b"[image]")
    response = send(client, world.a.pk, body, signed())
    assert "文字" in (ET.fromstring(response.content).findtext("Content") or "")
    assert Case.objects.count() == 0


def test_a_dtd_is_refused(world: World, client: Client) -> None:
    body = b'<!DOCTYPE x [<!ENTITY a "b">]>' + message("&a;")
    assert send(client, world.a.pk, body, signed()).status_code == 400
    assert Case.objects.count() == 0


def test_unknown_community_is_404(db: None, client: Client) -> None:
    assert send(client, 999999, message("x"), signed()).status_code == 404
