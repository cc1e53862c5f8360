from django.apps import AppConfig


class FundConfig(AppConfig):
    """一元爱心基金 (love fund) — one of the standing programmes (民生项目)."""

    name = "doorstep.fund"
    verbose_name = "一元爱心基金"
