from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Interop: Open311 GeoReport v2, 12345 hotline exchange, WeChat, notifications."""

    name = "doorstep.interop"
    verbose_name = "对接"
