from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting parts: personal-data encryption, audit log, health check, base pages."""

    name = "doorstep.core"
    verbose_name = "核心"
