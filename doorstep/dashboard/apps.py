from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Leaders' view (领导驾驶舱): dashboards, worker scorecards, TV mode, read from the rollups."""

    name = "doorstep.dashboard"
    verbose_name = "数据看板"
