from django.apps import AppConfig


class RollupsConfig(AppConfig):
    """Rollups (汇总): the read model every summary page reads instead of the case table."""

    name = "doorstep.rollups"
    verbose_name = "汇总统计"
