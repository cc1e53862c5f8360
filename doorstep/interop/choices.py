from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    """Where a 12345 work order (12345工单) stands on our side."""

    MATCHED = "matched", _("已派到社区")
    NEEDS_PERSON = "needs_person", _("待人工分派")
    REPLIED = "replied", _("已回单")


class OrderSource(models.TextChoices):
    FILE = "file", _("文件导入")
    API = "api", _("接口推送")


class NotificationStatus(models.TextChoices):
    """A notification's delivery state (通知状态)."""

    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("无接收人")


class NotificationKind(models.TextChoices):
    """What the resident is told: registration (受理) or the answer (办结 / 不予受理)."""

    REGISTERED = "registered", _("受理通知")
    RESOLVED = "resolved", _("办结通知")
    REJECTED = "rejected", _("不予受理通知")
