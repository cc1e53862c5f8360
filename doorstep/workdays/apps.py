from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    """China's official working-day calendar (工作日历),
    including make-up working weekends (调休)."""

    name = "doorstep.workdays"
    verbose_name = "工作日历"
