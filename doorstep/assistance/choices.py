"""Enumerations of 综合帮扶 (comprehensive assistance)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistanceKind(models.TextChoices):
    CASE = "case", _("个案帮扶")
    PROJECT = "project", _("项目帮扶")
    SPECIAL = "special", _("特殊帮扶")


class HouseholdCategory(models.TextChoices):
    SUBSISTENCE = "subsistence", _("低保户")
    LOW_INCOME = "low_income", _("低收入户")
    OTHER = "other", _("其他困难户")


class ApplicationStatus(models.TextChoices):
    UNDER_REVIEW = "under_review", _("评议中")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class Vote(models.TextChoices):
    APPROVE = "approve", _("同意")
    REJECT = "reject", _("不同意")
    ABSTAIN_CONFLICT = "conflict", _("回避（利益冲突）")
