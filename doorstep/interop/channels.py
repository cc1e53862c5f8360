"""Notification channels (通知渠道): log (default), SMS gateway, WeChat template message,
e-mail. Choose with the setting `DOORSTEP_NOTIFY_CHANNELS`, e.g. `["log", "sms", "email"]`.

A channel finds the resident's address on the case (or says it has none) and sends one
message; any exception means "try again later".
"""

import json
import logging
import urllib.request
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from doorstep.cases.models import Case
from doorstep.core import crypto

from .choices import NotificationKind
from .models import Notification

logger = logging.getLogger("doorstep.notify")


def track_url(case: Case) -> str:
    """The resident's page to follow and rate the case (absolute, for SMS and WeChat)."""
    base = str(getattr(settings, "DOORSTEP_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse("portal_track_code", kwargs={"code": case.tracking_code})


def message_body(case: Case, kind: str) -> str:
    url = track_url(case)
    if kind == NotificationKind.REGISTERED:
        due = f"，承诺 {case.due_date:%Y年%m月%d日} 前办结" if case.due_date else ""
        return f"【家门口】您的诉求已受理，查询码 {case.tracking_code}{due}。查看进度：{url}"
    if kind == NotificationKind.REJECTED:
        return (
            f"【家门口】您的诉求（查询码 {case.tracking_code}）不予受理：{case.reply} 详情：{url}"
        )
    return (
        f"【家门口】您的诉求（查询码 {case.tracking_code}）已办结：{case.reply} "
        f"请为我们的服务评价：{url}"
    )


def _post_json(url: str, payload: dict[str, Any], key: str) -> None:
    """POST JSON; the notice key lets the gateway drop a repeat after a lost answer."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key},
        method="POST",
    )
    timeout = float(getattr(settings, "DOORSTEP_NOTIFY_TIMEOUT", 10))
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise RuntimeError(f"gateway answered {response.status}")


def idempotency_key(notice: Notification) -> str:
    """One key per notice, the same on every attempt: a gateway that already accepted it
    recognises a retry (SMS `Idempotency-Key` header and `id`, WeChat `client_msg_id`, e-mail
    `Message-ID`)."""
    return f"doorstep-notice-{notice.pk}"


class NotifyChannel:
    """The base class: name, how to find the recipient, how to send."""

    name = ""

    def recipient(self, case: Case) -> str | None:
        raise NotImplementedError

    def mask(self, recipient: str) -> str:
        return recipient

    def send(self, notice: Notification, recipient: str) -> None:
        raise NotImplementedError


class LogChannel(NotifyChannel):
    """Writes the message to the log (logger `doorstep.notify`): the default."""

    name = "log"

    def recipient(self, case: Case) -> str | None:
        return "log"

    def send(self, notice: Notification, recipient: str) -> None:
        logger.info("notice %s for case %s: %s", notice.pk, notice.case_id, notice.body)


def resident_phone(case: Case) -> str:
    if case.resident is not None and case.resident.phone:
        return case.resident.phone
    return crypto.decrypt(case.contact_phone_encrypted)


class SmsChannel(NotifyChannel):
    """An SMS gateway that takes `{"phone", "text", "id"}` as JSON at `DOORSTEP_SMS_URL`."""

    name = "sms"

    def recipient(self, case: Case) -> str | None:
        phone = resident_phone(case)
        return phone if phone.startswith("1") and len(phone) == 11 else None

    def mask(self, recipient: str) -> str:
        return crypto.mask_phone(recipient)

    def send(self, notice: Notification, recipient: str) -> None:
        url = getattr(settings, "DOORSTEP_SMS_URL", "")
        if not url:
            raise ImproperlyConfigured("DOORSTEP_SMS_URL is not set")
        key = idempotency_key(notice)
        _post_json(url, {"phone": recipient, "text": notice.body, "id": key}, key)


class WechatTemplateChannel(NotifyChannel):
    """A WeChat template message to the resident who wrote to the official account, posted
    to `DOORSTEP_WECHAT_TEMPLATE_URL` (the account's send endpoint or a relay holding the
    access token) with template `DOORSTEP_WECHAT_TEMPLATE_ID`."""

    name = "wechat"

    def recipient(self, case: Case) -> str | None:
        from .models import WechatMessage

        message = WechatMessage.objects.filter(case=case).first()
        return message.openid if message else None

    def mask(self, recipient: str) -> str:
        return recipient[:4] + "****" if recipient else ""

    def send(self, notice: Notification, recipient: str) -> None:
        url = getattr(settings, "DOORSTEP_WECHAT_TEMPLATE_URL", "")
        if not url:
            raise ImproperlyConfigured("DOORSTEP_WECHAT_TEMPLATE_URL is not set")
        case = notice.case
        payload = {
            "touser": recipient,
            "template_id": getattr(settings, "DOORSTEP_WECHAT_TEMPLATE_ID", ""),
            "client_msg_id": idempotency_key(notice),
            "url": track_url(case),
            "data": {
                "keyword1": {"value": case.tracking_code},
                "keyword2": {"value": notice.get_kind_display()},
                "remark": {"value": notice.body},
            },
        }
        _post_json(url, payload, idempotency_key(notice))


class EmailChannel(NotifyChannel):
    """E-mail over SMTP with Django's SMTP backend (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL). The address comes from an
    Open311 request."""

    name = "email"

    def recipient(self, case: Case) -> str | None:
        from .models import Open311Request

        found = Open311Request.objects.filter(case=case).first()
        email = crypto.decrypt(found.email_encrypted) if found else ""
        return email or None

    def mask(self, recipient: str) -> str:
        user, _, domain = recipient.partition("@")
        return f"{user[:2]}***@{domain}"

    def send(self, notice: Notification, recipient: str) -> None:
        connection = get_connection(
            getattr(
                settings, "DOORSTEP_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
            ),
            timeout=float(getattr(settings, "DOORSTEP_NOTIFY_TIMEOUT", 10)),
        )
        subject = f"【家门口】{notice.get_kind_display()}（{notice.case.tracking_code}）"
        domain = str(getattr(settings, "DEFAULT_FROM_EMAIL", "doorstep@localhost")).rpartition("@")[
            2
        ]
        headers = {"Message-ID": f"<{idempotency_key(notice)}@{domain or 'localhost'}>"}
        message = EmailMessage(
            subject, notice.body, to=[recipient], connection=connection, headers=headers
        )
        message.send()


def code_send(phone: str, text: str, key: str) -> None:
    """A one-time code that belongs to no case (the portal's "my requests"): by SMS when that
    channel is on, else to the log with the phone masked. Errors are logged, not raised."""
    names = getattr(settings, "DOORSTEP_NOTIFY_CHANNELS", ["log"])
    try:
        if "sms" in names:
            url = getattr(settings, "DOORSTEP_SMS_URL", "")
            if not url:
                raise ImproperlyConfigured("DOORSTEP_SMS_URL is not set")
            _post_json(url, {"phone": phone, "text": text, "id": key}, key)
        elif "log" in names:
            logger.info("one-time code for %s: %s", crypto.mask_phone(phone), text)
    except Exception:
        logger.exception("could not send one-time code %s", key)


CHANNELS: dict[str, type[NotifyChannel]] = {
    c.name: c for c in (LogChannel, SmsChannel, WechatTemplateChannel, EmailChannel)
}


def channel_named(name: str) -> NotifyChannel:
    try:
        return CHANNELS[name]()
    except KeyError:
        raise ImproperlyConfigured(f"unknown notification channel {name!r}") from None


def enabled_channels() -> list[NotifyChannel]:
    names = getattr(settings, "DOORSTEP_NOTIFY_CHANNELS", ["log"])
    return [channel_named(n) for n in names]
