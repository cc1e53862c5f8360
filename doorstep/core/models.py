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


class ExportJob(models.Model):
    """A background export (后台导出): a list's spreadsheet too large to write within the
    request. The list's URL is replayed by `doorstep worker` as its owner (so scope and
    filters are exactly the screen's, checked again when it runs); the file is kept in the
    database in encrypted parts (every app machine can serve it) until it expires."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在导出")
        DONE = "done", _("可下载")
        FAILED = "failed", _("导出失败")
        EXPIRED = "expired", _("已过期")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("名称"), max_length=100)
    path = models.CharField(_("列表地址"), max_length=200)
    # The list's query string and the searches its `s` token stands for, as encrypted JSON: a
    # search may hold a phone number or the last four of an ID number.
    request_data = models.TextField()
    language = models.CharField(max_length=10)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    error = models.CharField(_("失败原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")
        indexes = [
            models.Index(fields=["owner", "-id"], name="exportjob_owner"),
            models.Index(fields=["state", "finished_at"], name="exportjob_state"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.state})"


class ExportPart(models.Model):
    """One encrypted piece (Fernet, at most 1 MiB of the file before encryption) of a
    finished export, numbered from 0."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="exportpart_job_number")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number}"
