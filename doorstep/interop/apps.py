from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Interop: Open311 GeoReport v2, 12345 hotline exchange, WeChat, notifications."""

    name = "doorstep.interop"
    verbose_name = "对接"

    def ready(self) -> None:
        from doorstep.cases.services import CASE_EVENT
        from doorstep.core import events

        from .notify import on_case_event

        events.subscribe(CASE_EVENT, on_case_event)
