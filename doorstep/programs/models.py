"""Standing programmes (民生项目): love fund, certificates, elderly subsidy, assistance, canteen.

Money is always `Decimal` in `DecimalField(max_digits=12, decimal_places=2)`.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.cases.models import Case
from doorstep.core import crypto
from doorstep.places.models import Community, District, Resident

from .choices import (
    ApplicationStatus,
    AssistanceKind,
    CertificateKind,
    CertificationMethod,
    CertificationResult,
    DisbursementStatus,
    DonationChannel,
    EnrolmentStatus,
    FundEntryKind,
    HouseholdCategory,
    Vote,
)

ZERO = Decimal("0.00")


def money(verbose: Any, **kw: Any) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, **kw)


# ---------------------------------------------------------------- love fund (一元爱心基金)


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
        super().save(*args, **kwargs)  # type: ignore[arg-type]

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


# ---------------------------------------------------------------- certificates (证明)


class CertificateTemplate(models.Model):
    """证明模板 — title and body with placeholders ({name}, {address}, {hours} …), set by the
    district."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("证明类型"), max_length=12, choices=CertificateKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    validity_days = models.PositiveIntegerField(_("有效期（天）"), default=90)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("证明模板")
        verbose_name_plural = _("证明模板")
        constraints = [
            models.UniqueConstraint(fields=["district", "kind"], name="uniq_certificate_template")
        ]

    def __str__(self) -> str:
        return self.title


class VolunteerRecord(models.Model):
    """志愿服务记录 — what a volunteer-participation certificate is made from."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="volunteering")
    day = models.DateField(_("日期"))
    activity = models.CharField(_("活动"), max_length=100)
    hours = models.DecimalField(
        _("时长（小时）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} {self.activity} {self.hours}h"


class Certificate(models.Model):
    """An issued certificate (证明). The rendered text is kept so that the PDF can be printed
    again exactly; the public verify page shows only type, serial, dates, issuer, revocation."""

    serial = models.CharField(_("编号"), max_length=20, unique=True)
    kind = models.CharField(_("证明类型"), max_length=12, choices=CertificateKind.choices)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="certificates")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    issued_on = models.DateField(_("开具日期"))
    valid_until = models.DateField(_("有效期至"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(_("作废理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("证明")
        verbose_name_plural = _("证明")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.serial

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class PendingCertificate(models.Model):
    """A certificate promised on a case when the data is not yet on file (10 working days)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("证明类型"), max_length=12, choices=CertificateKind.choices)
    due_on = models.DateField(_("承诺日期"))
    missing = models.CharField(_("缺少的资料"), max_length=200)
    created_at = models.DateTimeField()
    certificate = models.ForeignKey(Certificate, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("待开证明")
        verbose_name_plural = _("待开证明")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


# ---------------------------------------------------------------- elderly subsidy (高龄补贴)


class SubsidyBand(models.Model):
    """An age band and its monthly amount. Rows without a district are the defaults (the demo
    defaults 80–89 ¥100, 90–99 ¥300, 100+ ¥500); a district's own rows replace them."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    min_age = models.PositiveIntegerField(_("起始年龄"))
    max_age = models.PositiveIntegerField(_("截止年龄"), null=True, blank=True)
    monthly_amount = money(_("每月金额"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("高龄补贴档次")
        verbose_name_plural = _("高龄补贴档次")
        ordering = ["min_age"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.max_age is None:
            return str(_("%(min)s岁以上") % {"min": self.min_age})
        return str(_("%(min)s–%(max)s岁") % {"min": self.min_age, "max": self.max_age})

    def contains(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


class SubsidyEnrolment(models.Model):
    """高龄补贴对象 — proposed from the registry by birth date, confirmed by the secretary."""

    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="subsidy")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.PROPOSED
    )
    proposed_on = models.DateField(_("建议日期"))
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    suspended_on = models.DateField(_("暂停日期"), null=True, blank=True)
    reminded_on = models.DateField(_("提醒日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("高龄补贴对象")
        verbose_name_plural = _("高龄补贴对象")
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return str(self.resident)


class SubsidyCertification(models.Model):
    """A quarter's certification (季度认证): method, result, who, when — never biometric data."""

    enrolment = models.ForeignKey(
        SubsidyEnrolment, on_delete=models.CASCADE, related_name="certifications"
    )
    quarter_start = models.DateField(_("季度"))
    method = models.CharField(_("认证方式"), max_length=12, choices=CertificationMethod.choices)
    result = models.CharField(_("结果"), max_length=8, choices=CertificationResult.choices)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField(_("认证时间"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("高龄补贴认证")
        verbose_name_plural = _("高龄补贴认证")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "quarter_start"],
                condition=models.Q(result="passed"),
                name="one_pass_per_quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quarter_start} {self.get_method_display()}"


# ---------------------------------------------------------------- assistance (综合帮扶)


class PanelMember(models.Model):
    """评议小组成员 — a volunteer resident representative (e.g. a retired cadre), not a user."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    note = models.CharField(_("身份说明"), max_length=100, blank=True)
    active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("评议小组成员")
        verbose_name_plural = _("评议小组成员")

    def __str__(self) -> str:
        return self.name


class AssistanceApplication(models.Model):
    """综合帮扶申请 — for families still in hardship after policy cover."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applicant_name = models.CharField(_("申请人"), max_length=50)
    kind = models.CharField(_("帮扶类型"), max_length=10, choices=AssistanceKind.choices)
    household_category = models.CharField(
        _("家庭类别"), max_length=12, choices=HouseholdCategory.choices
    )
    hardship = models.TextField(_("困难情况"))
    documents = models.TextField(_("材料清单"), blank=True)
    amount_requested = money(_("申请金额"))
    applied_on = models.DateField(_("申请日期"))
    status = models.CharField(
        _("状态"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.UNDER_REVIEW,
    )
    amount_approved = money(_("核定金额"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("综合帮扶申请")
        verbose_name_plural = _("综合帮扶申请")
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0), name="assistance_amount_gt_0"
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} {self.get_kind_display()}"

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


class PanelVote(models.Model):
    """One panel member's conflict declaration or vote on one application — at most once."""

    application = models.ForeignKey(
        AssistanceApplication, on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="votes")
    vote = models.CharField(_("意见"), max_length=10, choices=Vote.choices)
    conflict_note = models.CharField(_("利益冲突说明"), max_length=200, blank=True)
    amount = money(_("建议金额"), null=True, blank=True)
    comment = models.CharField(_("评议意见"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("评议投票")
        verbose_name_plural = _("评议投票")
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_vote_display()}"


class AssistanceDisbursement(models.Model):
    """A payment on an approved application, with who approved it."""

    application = models.ForeignKey(
        AssistanceApplication, on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = money(_("金额"))
    paid_on = models.DateField(_("发放日期"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("帮扶发放")
        verbose_name_plural = _("帮扶发放")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="assistance_disbursement_gt_0"
            )
        ]

    def __str__(self) -> str:
        return f"¥{self.amount} {self.paid_on}"


# ---------------------------------------------------------------- canteen (社区食堂)


class CanteenPriceRule(models.Model):
    """Price rules (价格规则). The row without a district holds the seeds: a ¥9 meal; 60+ on
    低保 pay ¥3 and the street pays ¥6; free delivery for the bedridden 60+ and everyone 80+."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    base_price = money(_("餐标"), default=Decimal("9.00"))
    subsidy_min_age = models.PositiveIntegerField(_("补贴起始年龄"), default=60)
    subsistence_subsidy = money(_("低保老人补贴"), default=Decimal("6.00"))
    free_delivery_bedridden_age = models.PositiveIntegerField(_("卧床老人免费送餐年龄"), default=60)
    free_delivery_age = models.PositiveIntegerField(_("免费送餐年龄"), default=80)
    delivery_fee = money(_("送餐费（演示默认值）"), default=Decimal("2.00"))

    class Meta:
        verbose_name = _("食堂价格规则")
        verbose_name_plural = _("食堂价格规则")

    def __str__(self) -> str:
        return f"¥{self.base_price}"


class Meal(models.Model):
    """One resident's meal on one day, priced by the rule in force when it was recorded."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="meals")
    day = models.DateField(_("日期"))
    delivered = models.BooleanField(_("送餐"), default=False)
    price = money(_("餐标"))
    subsidy = money(_("街道补贴"))
    delivery_fee = money(_("送餐费"))
    paid = money(_("个人支付"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("用餐记录")
        verbose_name_plural = _("用餐记录")
        ordering = ["day", "resident__name"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "day"], name="one_meal_per_day"),
            models.CheckConstraint(
                condition=models.Q(paid__gte=0) & models.Q(subsidy__gte=0), name="meal_money_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.resident}"
