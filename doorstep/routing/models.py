"""Trained routing models (分派模型): one row per training run; the newest active one is live."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoutingModel(models.Model):
    trained_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    path = models.CharField(_("模型文件"), max_length=300)
    n_samples = models.PositiveIntegerField(_("训练样本"))
    n_cases = models.PositiveIntegerField(_("其中已确认事项"))
    seconds = models.FloatField(_("训练用时（秒）"))
    metrics = models.JSONField(_("评估指标"), default=dict)

    class Meta:
        verbose_name = _("分派模型")
        verbose_name_plural = _("分派模型")
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.n_samples})"
