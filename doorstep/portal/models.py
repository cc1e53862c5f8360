"""One-time codes that let a resident see "my requests" (我的诉求) by phone number."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneCode(models.Model):
    """A six-digit code sent to a phone (短信验证码). Only keyed hashes are stored: of the
    phone (to rate-limit and to find the cases) and of the code."""

    phone_hash = models.CharField(max_length=40, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]}… {self.created_at:%Y-%m-%d %H:%M}"
