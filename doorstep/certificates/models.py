"""证明 (certificates): the data. Money is `Decimal` throughout."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.cases.models import Case
from doorstep.places import access
from doorstep.places.models import Community, District, Resident

from .choices import CertificateKind


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


# Area scope (places.access): a programme's rows belong to their community; department staff
# have no programme pages and see none of them.
access.register(Certificate, access.Scope(community="community", departments_see_nothing=True))
access.register(
    VolunteerRecord, access.Scope(community="resident__community", departments_see_nothing=True)
)
