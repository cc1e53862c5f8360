from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    """综合帮扶 (comprehensive assistance) — one of the standing programmes (民生项目)."""

    name = "doorstep.assistance"
    verbose_name = "综合帮扶"
