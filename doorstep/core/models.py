"""The audit log (审计日志): every full view of personal data, with who, when and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    action = models.CharField(_("操作"), max_length=50)
    object_type = models.CharField(_("对象类型"), max_length=50)
    object_id = models.CharField(_("对象编号"), max_length=50)
    field = models.CharField(_("字段"), max_length=50, blank=True)
    reason = models.CharField(_("理由"), max_length=200)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.object_type}#{self.object_id}"


class Throttle(models.Model):
    """A request counter (限流计数) for one key — an account's log-in failures, one IP's
    tracking-code lookups, one API token's calls — in the database, so the limit holds across
    server processes without Redis. Keys are stored hashed (an IP is personal data)."""

    key_hash = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")

    def __str__(self) -> str:
        return self.key_hash[:12]


class Lease(models.Model):
    """A named lease (租约) one process holds until `expires_at`: keeps a periodic job such as
    `doorstep tick` to one machine at a time where PostgreSQL's advisory locks are not at hand
    (SQLite). A holder killed mid-run loses it when it expires."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
