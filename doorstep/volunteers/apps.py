from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    """Self-organisations, volunteers, activities, shifts and hours (自组织与志愿服务)."""

    name = "doorstep.volunteers"
    verbose_name = "志愿服务"
