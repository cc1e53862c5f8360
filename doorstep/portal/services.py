"""Writes for the portal's "my requests": send a one-time code, check it.

Limits (短信防刷): one code per phone per minute and five per phone per day; a code lives ten
minutes and allows five tries. The phone is never stored in clear, logged or put in a URL."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import crypto
from doorstep.core.validators import PHONE_RE, normalise_phone
from doorstep.interop.channels import code_send

from .models import PhoneCode

RESEND_AFTER = timedelta(seconds=60)
PER_DAY = 5
LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5


def _code_hash(phone_hash: str, code: str) -> str:
    key = ("code:" + settings.SECRET_KEY).encode()
    return hmac.new(key, f"{phone_hash}:{code}".encode(), hashlib.sha256).hexdigest()


def _mobile(phone: str) -> str:
    number = normalise_phone(phone)
    if not PHONE_RE.match(number):
        raise ValidationError({"phone": _("请输入 11 位手机号码。")})
    return number


def phone_code_send(phone: str, *, now: datetime | None = None) -> None:
    """Send a fresh code to this mobile number, within the limits."""
    number = _mobile(phone)
    at = now or timezone.now()
    phone_hash = crypto.lookup_hash(number)
    with transaction.atomic():
        recent = PhoneCode.objects.select_for_update().filter(
            phone_hash=phone_hash, created_at__gte=at - timedelta(days=1)
        )
        latest = recent.order_by("-created_at").first()
        if latest is not None and at - latest.created_at < RESEND_AFTER:
            raise ValidationError({"phone": _("验证码已发送，请 1 分钟后再试。")})
        if recent.count() >= PER_DAY:
            raise ValidationError({"phone": _("今天发送的验证码已达上限，请明天再试或致电社区。")})
        code = f"{secrets.randbelow(1_000_000):06d}"
        row = PhoneCode.objects.create(
            phone_hash=phone_hash, code_hash=_code_hash(phone_hash, code), created_at=at
        )
        text = _("【家门口】您的验证码是 %(code)s，10 分钟内有效。请勿告诉他人。") % {"code": code}
        transaction.on_commit(lambda: code_send(number, text, f"doorstep-code-{row.pk}"))


def phone_code_check(phone: str, code: str, *, now: datetime | None = None) -> str:
    """The phone's lookup hash when the code is right (the code is then used up)."""
    number = _mobile(phone)
    at = now or timezone.now()
    phone_hash = crypto.lookup_hash(number)
    wrong = ValidationError({"code": _("验证码不正确或已过期，请重新获取。")})
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_hash=phone_hash, used_at=None, created_at__gte=at - LIFETIME)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= MAX_TRIES:
            raise wrong
        right = hmac.compare_digest(row.code_hash, _code_hash(phone_hash, (code or "").strip()))
        if right:
            PhoneCode.objects.filter(pk=row.pk).update(used_at=at)
        else:  # counted, and kept: the error is raised after this transaction commits
            PhoneCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
    if not right:
        raise wrong
    return phone_hash
