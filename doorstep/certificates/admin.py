"""Admin for certificates: configuration is edited here; lifecycle records are read-only (their
pages call services)."""

from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import Certificate, CertificateTemplate, VolunteerRecord


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    list_display = ("district", "kind", "title", "validity_days", "updated_at")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("serial", "kind", "community", "issued_on", "valid_until", "revoked_at")
    search_fields = ("serial",)
    raw_id_fields = ("resident", "case")


@admin.register(VolunteerRecord)
class VolunteerRecordAdmin(admin.ModelAdmin):
    list_display = ("resident", "day", "activity", "hours")
    raw_id_fields = ("resident",)
