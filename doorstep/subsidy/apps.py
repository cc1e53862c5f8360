from django.apps import AppConfig


class SubsidyConfig(AppConfig):
    """高龄补贴 (elderly subsidy) — one of the standing programmes (民生项目)."""

    name = "doorstep.subsidy"
    verbose_name = "高龄补贴"
