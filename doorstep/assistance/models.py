"""综合帮扶 (comprehensive assistance): the data. Money is `Decimal` throughout."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core.money import money
from doorstep.places import access
from doorstep.places.models import Community, Resident

from .choices import ApplicationStatus, AssistanceKind, HouseholdCategory, Vote


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


# Area scope (places.access): a programme's rows belong to their community; department staff
# have no programme pages and see none of them.
access.register(
    AssistanceApplication, access.Scope(community="community", departments_see_nothing=True)
)
access.register(PanelMember, access.Scope(community="community", departments_see_nothing=True))
