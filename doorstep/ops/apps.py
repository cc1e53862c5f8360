"""Operations (运维): the top floor — demo loader, `tick` and other commands that orchestrate
every area. It may import any app; no app imports it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "doorstep.ops"
    label = "ops"
    verbose_name = _("运维")
