from django.apps import AppConfig


class CanteenConfig(AppConfig):
    """社区食堂 (community canteen) — one of the standing programmes (民生项目)."""

    name = "doorstep.canteen"
    verbose_name = "社区食堂"
