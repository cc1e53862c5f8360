from django.apps import AppConfig


class RoutingConfig(AppConfig):
    """Smart routing (智能分派): free text → catalogue item → handler."""

    name = "doorstep.routing"
    verbose_name = "智能分派"
