"""Enumerations of 一元爱心基金 (love fund)."""

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
