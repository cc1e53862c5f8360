from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How the request reached us (受理渠道)."""

    WALK_IN = "walk_in", _("来访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    APP = "app", _("App")
    MOBILE_DESK = "mobile_desk", _("流动服务点")
    HOME_VISIT = "home_visit", _("入户走访")
    HOTLINE = "hotline", _("12345热线")
    PORTAL = "portal", _("居民端")


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已归档")
    REJECTED = "rejected", _("不予受理")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class Responsibility(models.TextChoices):
    """The three responsibilities (三个责任制)."""

    FIRST_RESPONDER = "first_responder", _("首问责任")
    DESIGNATED = "designated", _("指定责任")
    FALLBACK = "fallback", _("兜底责任")


class Queue(models.TextChoices):
    """Where an unowned case waits: the community desk, the street, or a department."""

    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DEPARTMENT = "department", _("职能部门")


class EventKind(models.TextChoices):
    CREATED = "created", _("登记受理")
    SETTLED = "settled", _("当场办结")
    ACCEPTED = "accepted", _("开始办理")
    ASSIGNED = "assigned", _("指定办理人")
    ESCALATED = "escalated", _("上报")
    TRANSFERRED = "transferred", _("转办")
    REPLIED = "replied", _("答复居民")
    RESOLVED = "resolved", _("办结")
    REJECTED = "rejected", _("不予受理")
    REOPENED = "reopened", _("重新办理")
    RATED = "rated", _("居民评价")
    CLOSED = "closed", _("归档")
    OVERDUE = "overdue", _("逾期转兜底")
    CLASSIFIED = "classified", _("确定服务事项")
    NOTE = "note", _("备注")
