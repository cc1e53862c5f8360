from django.contrib import admin
from django.http import HttpRequest

from .models import DailyFlow, OpenStock


class ReadOnly(admin.ModelAdmin):
    """Rollups are derived: only the case services and `rollup rebuild` write them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DailyFlow)
class DailyFlowAdmin(ReadOnly):
    list_display = ("community", "day", "total", "channel", "received", "resolved")
    list_filter = ("total", "channel")


@admin.register(OpenStock)
class OpenStockAdmin(ReadOnly):
    list_display = ("community", "worker_id", "status", "queue", "due_date", "count")
