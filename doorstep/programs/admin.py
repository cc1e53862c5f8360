"""Admin for the programmes. Configuration (bands, canteen prices, templates) is edited here;
the love fund, certificates, subsidy and assistance records are read-only (their pages call
services)."""

from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import (
    AssistanceApplication,
    CanteenPriceRule,
    Certificate,
    CertificateTemplate,
    FundEntry,
    LoveFund,
    PanelMember,
    SubsidyBand,
    SubsidyEnrolment,
    VolunteerRecord,
)


@admin.register(SubsidyBand)
class SubsidyBandAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("label", "district", "monthly_amount", "note")


@admin.register(CanteenPriceRule)
class CanteenPriceRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("district", "base_price", "subsistence_subsidy", "delivery_fee")


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("district", "kind", "title", "validity_days", "updated_at")


@admin.register(LoveFund)
class LoveFundAdmin(ReadOnlyAdmin):
    list_display = ("community", "balance", "entry_count")
    readonly_fields = ("community", "balance", "entry_count", "head_hash")


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ("fund", "seq", "kind", "amount", "day", "hash")
    list_filter = ("kind",)
    exclude = ("recipient_encrypted",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("serial", "kind", "community", "issued_on", "valid_until", "revoked_at")
    search_fields = ("serial",)
    raw_id_fields = ("resident", "case")


@admin.register(SubsidyEnrolment)
class SubsidyEnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("resident", "community", "status", "confirmed_on", "suspended_on")
    list_filter = ("status",)
    raw_id_fields = ("resident",)


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "community", "note", "active")


@admin.register(AssistanceApplication)
class AssistanceApplicationAdmin(ReadOnlyAdmin):
    list_display = ("applicant_name", "community", "kind", "household_category", "status")
    list_filter = ("status", "kind", "household_category")
    raw_id_fields = ("resident",)


@admin.register(VolunteerRecord)
class VolunteerRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("resident", "day", "activity", "hours")
    raw_id_fields = ("resident",)
