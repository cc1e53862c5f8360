"""高龄补贴 (elderly subsidy): the data. Money is `Decimal` throughout."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core.money import money
from doorstep.places import access
from doorstep.places.models import Community, District, Resident

from .choices import CertificationMethod, CertificationResult, EnrolmentStatus


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


# Area scope (places.access): a programme's rows belong to their community; department staff
# have no programme pages and see none of them.
access.register(SubsidyEnrolment, access.Scope(community="community", departments_see_nothing=True))
