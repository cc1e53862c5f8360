"""一元爱心基金 (love fund): the data. Money is `Decimal` throughout."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core import crypto
from doorstep.core.money import ZERO, money
from doorstep.places import access
from doorstep.places.models import Community

from .choices import DisbursementStatus, DonationChannel, FundEntryKind


class LoveFund(models.Model):
    """一元爱心基金 — one per community. Its row is the lock every ledger write takes, and it
    remembers the head of the hash chain so that deleting the newest entry is noticed too."""

    community = models.OneToOneField(Community, on_delete=models.PROTECT, related_name="love_fund")
    balance = money(_("余额"), default=ZERO)
    entry_count = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("一元爱心基金")
        verbose_name_plural = _("一元爱心基金")
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="fund_balance_gte_0")
        ]

    def __str__(self) -> str:
        return f"{self.community.name}一元爱心基金"


class FundEntry(models.Model):
    """One line of the fund's append-only ledger (台账). `hash` = sha256 of the canonical fields
    plus `prev_hash`; `doorstep fund verify` recomputes the chain."""

    fund = models.ForeignKey(LoveFund, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=12, choices=FundEntryKind.choices)
    amount = money(_("金额"), validators=[MinValueValidator(Decimal("0.01"))])
    day = models.DateField(_("日期"))
    channel = models.CharField(
        _("渠道"), max_length=16, choices=DonationChannel.choices, blank=True
    )
    donor_name = models.CharField(_("捐款人"), max_length=100, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    donor_count = models.PositiveIntegerField(_("捐款人次"), default=1)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    recipient_encrypted = models.TextField(blank=True)
    people_helped = models.PositiveIntegerField(_("受助人数"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("基金台账")
        verbose_name_plural = _("基金台账")
        ordering = ["fund", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "seq"], name="uniq_fund_seq"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_entry_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} ¥{self.amount}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Append-only: the ORM may add a row but never change one.
        if self.pk is not None:
            raise RuntimeError("FundEntry is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("FundEntry is append-only")

    @property
    def recipient(self) -> str:
        return crypto.decrypt(self.recipient_encrypted)


class FundDisbursementRequest(models.Model):
    """A request to pay out of the fund: two different approvers, neither the requester; the
    second approval writes the ledger entry."""

    fund = models.ForeignKey(LoveFund, on_delete=models.PROTECT, related_name="requests")
    amount = money(_("金额"))
    purpose = models.CharField(_("用途"), max_length=200)
    recipient_encrypted = models.TextField()
    people_helped = models.PositiveIntegerField(_("受助人数"), default=1)
    day = models.DateField(_("支出日期"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("驳回理由"), max_length=200, blank=True)
    entry = models.OneToOneField(
        FundEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    class Meta:
        verbose_name = _("基金支出申请")
        verbose_name_plural = _("基金支出申请")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"¥{self.amount} {self.purpose}"

    @property
    def recipient(self) -> str:
        return crypto.decrypt(self.recipient_encrypted)


# Area scope (places.access): a programme's rows belong to their community; department staff
# have no programme pages and see none of them.
access.register(LoveFund, access.Scope(community="community", departments_see_nothing=True))
access.register(FundEntry, access.Scope(community="fund__community", departments_see_nothing=True))
access.register(
    FundDisbursementRequest, access.Scope(community="fund__community", departments_see_nothing=True)
)
