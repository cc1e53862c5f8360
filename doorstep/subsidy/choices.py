"""Enumerations of 高龄补贴 (elderly subsidy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    ACTIVE = "active", _("正常发放")
    SUSPENDED = "suspended", _("暂停发放")
    ENDED = "ended", _("已终止")


class CertificationMethod(models.TextChoices):
    """How a recipient proved they are alive and present this quarter (高龄补贴认证方式)."""

    DESK = "desk", _("窗口认证")
    MOBILE_DESK = "mobile_desk", _("流动服务点认证")
    HOME_VISIT = "home_visit", _("入户认证")
    APP_FACE = "app_face", _("App 人脸认证")


class CertificationResult(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
