"""Admin for the workforce. The district's rule (持证与培训规定) is configuration and edited here;
everything with a lifecycle (records, certificates, training, leave, sessions, the fee ledger)
is read-only — it changes only through the services."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import (
    Certificate,
    FeeDayClose,
    FeePayment,
    Leave,
    OnSiteSession,
    StationedStaff,
    WorkerRecord,
    WorkforceRule,
)


@admin.register(WorkforceRule)
class WorkforceRuleAdmin(admin.ModelAdmin):
    list_display = (
        "district",
        "label",
        "certificate_years",
        "age_limit",
        "leader_hours",
        "other_hours",
    )


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(WorkerRecord)
class WorkerRecordAdmin(ReadOnly):
    list_display = (
        "name",
        "community",
        "post",
        "hire_date",
        "certificate_deadline",
        "certified_until",
    )
    search_fields = ("name",)
    exclude = ("birth_date",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnly):
    list_display = ("worker", "kind", "number", "issued_on", "expires_on")


@admin.register(Leave)
class LeaveAdmin(ReadOnly):
    list_display = ("worker", "community", "kind", "starts_on", "ends_on", "cancelled_at")


@admin.register(StationedStaff)
class StationedStaffAdmin(ReadOnly):
    list_display = ("worker", "community", "active")


@admin.register(OnSiteSession)
class OnSiteSessionAdmin(ReadOnly):
    list_display = ("community", "department", "topic", "status", "requested_at")


@admin.register(FeePayment)
class FeePaymentAdmin(ReadOnly):
    list_display = ("receipt_number", "kind", "payer_name", "utility", "amount", "method", "day")
    list_filter = ("kind", "utility", "method")


@admin.register(FeeDayClose)
class FeeDayCloseAdmin(ReadOnly):
    list_display = ("community", "day", "cash_expected", "cash_counted", "discrepancy")
