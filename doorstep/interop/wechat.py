"""WeChat official account messages (公众号消息接口): the signature check and the XML."""

import hashlib
import hmac
import time
from xml.etree import ElementTree as ET

from django.conf import settings


def wechat_token() -> str:
    return str(getattr(settings, "DOORSTEP_WECHAT_TOKEN", ""))


def signature_ok(signature: str, timestamp: str, nonce: str, token: str | None = None) -> bool:
    """sha1 of the sorted token, timestamp and nonce, joined; constant-time comparison."""
    token = wechat_token() if token is None else token
    if not (token and signature and timestamp and nonce):
        return False
    digest = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324
    return hmac.compare_digest(digest, signature.lower())


def parse_message(body: bytes) -> dict[str, str]:
    """The fields of an incoming message; refuses DTDs (no entity tricks)."""
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise ValueError("DTD not allowed")
    root = ET.fromstring(body)
    return {child.tag: (child.text or "") for child in root}


def text_reply(to_user: str, from_user: str, content: str) -> bytes:
    root = ET.Element("xml")
    for tag, value in (
        ("ToUserName", to_user),
        ("FromUserName", from_user),
        ("CreateTime", str(int(time.time()))),
        ("MsgType", "text"),
        ("Content", content),
    ):
        ET.SubElement(root, tag).text = value
    return ET.tostring(root, encoding="unicode").encode()
