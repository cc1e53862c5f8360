"""Interop records: registered Open311 apps, 12345 work orders, WeChat messages, notifications."""

import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from doorstep.cases.models import Case, CaseEvent
from doorstep.core import crypto
from doorstep.places.models import Building, Community, Compound, Street

from .choices import NotificationKind, NotificationStatus, OrderSource, OrderStatus


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Client(models.Model):
    """A registered Open311 app (Open311 接入应用). It posts requests for one community or for
    every community of one street; only a hash of its api_key is stored."""

    name = models.CharField(_("应用名称"), max_length=100)
    api_key_hash = models.CharField(max_length=64, unique=True)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("社区")
    )
    street = models.ForeignKey(
        Street, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("街道")
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 应用")
        verbose_name_plural = _("Open311 应用")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(community__isnull=False, street__isnull=True)
                | models.Q(community__isnull=True, street__isnull=False),
                name="open311_client_has_one_scope",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Open311Request(models.Model):
    """One request posted through Open311: the case, the app, the token and what the app sent."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="open311")
    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="requests")
    token = models.CharField(max_length=40, unique=True)
    email_encrypted = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address_string = models.CharField(max_length=300, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")

    def __str__(self) -> str:
        return self.token


# The person queue's key for an order without a 12345 deadline: after every dated order.
NO_DEADLINE = date(9999, 12, 31)


def queue_deadline() -> Coalesce:
    """The person queue's keyset key (`filters.QueueFilter`), spelled once so the page's
    ORDER BY and the partial index below are the same expression."""
    return Coalesce("deadline", models.Value(NO_DEADLINE))


class HotlineOrder(models.Model):
    """12345 工单: a work order the city hotline pushes down street → community. We keep its
    own deadline (办理时限) beside ours and owe it a reply (回单)."""

    order_no = models.CharField(_("工单编号"), max_length=64, unique=True)
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    called_at = models.DateTimeField(_("来电时间"), null=True, blank=True)
    caller_name = models.CharField(_("来电人"), max_length=50, blank=True)
    caller_phone_encrypted = models.TextField(blank=True)
    content = models.TextField(_("诉求内容"))  # phones and ID numbers masked (core/redact.py)
    content_sealed = models.TextField(blank=True)  # the content as sent, encrypted, if masked
    address = models.CharField(_("事发地址"), max_length=300, blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    category = models.CharField(_("分类"), max_length=100, blank=True)
    # The row as received, without the caller's name or phone and with numbers masked.
    raw = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=8, choices=OrderSource.choices, default=OrderSource.FILE)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("社区")
    )
    compound = models.ForeignKey(Compound, on_delete=models.SET_NULL, null=True, blank=True)
    building = models.ForeignKey(Building, on_delete=models.SET_NULL, null=True, blank=True)
    match_score = models.FloatField(null=True, blank=True)
    case = models.OneToOneField(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="hotline_order"
    )
    status = models.CharField(_("状态"), max_length=14, choices=OrderStatus.choices, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"))
    replied_at = models.DateTimeField(_("回单时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("12345工单")
        verbose_name_plural = _("12345工单")
        ordering = ["-imported_at", "-pk"]
        indexes = [
            models.Index(fields=["street", "status"]),
            # 待人工分派 pages along this (street, key, id) range: unplaced orders only.
            models.Index(
                models.F("street"),
                queue_deadline(),
                models.F("id"),
                name="hotline_queue_due",
                condition=models.Q(status="needs_person"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="matched") | models.Q(case__isnull=False),
                name="matched_orders_have_a_case",
            )
        ]

    def __str__(self) -> str:
        return self.order_no

    @property
    def caller_phone_masked(self) -> str:
        phone = crypto.decrypt(self.caller_phone_encrypted) if self.caller_phone_encrypted else ""
        return crypto.mask_phone(phone) if phone else ""


class WechatMessage(models.Model):
    """A text message to the WeChat official account (公众号消息). WeChat retries an unanswered
    message up to three times with the same MsgId: the unique id makes that harmless."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE)
    msg_id = models.CharField(max_length=64, unique=True)
    openid = models.CharField(max_length=64, db_index=True)
    content = models.TextField()
    case = models.OneToOneField(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="wechat_message"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公众号消息")
        verbose_name_plural = _("公众号消息")

    def __str__(self) -> str:
        return self.msg_id


class Notification(models.Model):
    """通知: one message to a resident over one channel about one timeline event. Claimed with
    a lease before sending, so a killed worker's message is picked up again and sent once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=12, choices=NotificationKind.choices)
    channel = models.CharField(_("渠道"), max_length=20)
    body = models.TextField(_("内容"))
    recipient_masked = models.CharField(_("接收人"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="one_notice_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.get_kind_display()}"
