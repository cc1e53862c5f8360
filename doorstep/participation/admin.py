"""Read-only admin: every participation record has a lifecycle and changes only through the
services (the admin can neither add, change nor delete one)."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Meeting, PracticalList, PracticalThing, Project


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnly):
    list_display = ("title", "community", "stage", "budget", "spent", "created_at")
    list_filter = ("stage",)


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("project", "kind", "round", "starts_at", "status", "registered_count")
    list_filter = ("kind", "status")


@admin.register(PracticalList)
class PracticalListAdmin(ReadOnly):
    list_display = ("community", "year", "adoption", "item_count", "late_count", "progress")


@admin.register(PracticalThing)
class PracticalThingAdmin(ReadOnly):
    list_display = ("title", "plan", "owner_name", "progress", "status", "due_date")
    list_filter = ("status",)
