from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Standing programmes: elderly subsidy, assistance, certificates, love fund, canteen."""

    name = "doorstep.programs"
    verbose_name = "民生项目"
