from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Cases (事项/工单): intake, the three responsibilities, promises, replies and ratings."""

    name = "doorstep.cases"
    verbose_name = "事项办理"
