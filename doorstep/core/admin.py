from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Append-only: entries are written by services alone."""

    list_display = ("created_at", "actor", "action", "object_type", "object_id", "field", "reason")
    list_filter = ("action", "object_type")
