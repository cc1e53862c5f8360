from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The resident portal (居民端): submit a request, track it by code, rate it."""

    name = "doorstep.portal"
    verbose_name = "居民端"
