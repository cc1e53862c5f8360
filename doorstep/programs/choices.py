"""Enumerations of the standing programmes (民生项目)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundEntryKind(models.TextChoices):
    DONATION = "donation", _("捐款")
    DISBURSEMENT = "disbursement", _("支出")


class DonationChannel(models.TextChoices):
    WECHAT_GROUP = "wechat_group", _("微信群")
    CASH = "cash", _("现金")
    BANK = "bank", _("银行转账")
    OTHER = "other", _("其他")


class DisbursementStatus(models.TextChoices):
    REQUESTED = "requested", _("待第一审批")
    FIRST_APPROVED = "first_approved", _("待第二审批")
    PAID = "paid", _("已支出")
    REJECTED = "rejected", _("已驳回")


class CertificateKind(models.TextChoices):
    RESIDENCE = "residence", _("居住证明")
    VOLUNTEER = "volunteer", _("志愿服务证明")
    HARDSHIP = "hardship", _("学生家庭经济困难证明")


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
