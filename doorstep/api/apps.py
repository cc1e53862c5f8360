from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The typed REST API at /api/v1/ (django-ninja), with per-user tokens."""

    name = "doorstep.api"
    verbose_name = "接口"
