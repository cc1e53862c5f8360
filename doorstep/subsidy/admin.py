"""Admin for subsidy: configuration is edited here; lifecycle records are read-only (their
pages call services)."""

from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import SubsidyBand, SubsidyEnrolment


@admin.register(SubsidyBand)
class SubsidyBandAdmin(admin.ModelAdmin):
    list_display = ("label", "district", "monthly_amount", "note")


@admin.register(SubsidyEnrolment)
class SubsidyEnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("resident", "community", "status", "confirmed_on", "suspended_on")
    list_filter = ("status",)
    raw_id_fields = ("resident",)
