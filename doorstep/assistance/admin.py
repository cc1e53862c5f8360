"""Admin for assistance: configuration is edited here; lifecycle records are read-only (their
pages call services)."""

from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import AssistanceApplication, PanelMember


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "community", "note", "active")


@admin.register(AssistanceApplication)
class AssistanceApplicationAdmin(ReadOnlyAdmin):
    list_display = ("applicant_name", "community", "kind", "household_category", "status")
    list_filter = ("status", "kind", "household_category")
    raw_id_fields = ("resident",)
