"""Admin for fund: configuration is edited here; lifecycle records are read-only (their
pages call services)."""

from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import FundEntry, LoveFund


@admin.register(LoveFund)
class LoveFundAdmin(ReadOnlyAdmin):
    list_display = ("community", "balance", "entry_count")
    readonly_fields = ("community", "balance", "entry_count", "head_hash")


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ("fund", "seq", "kind", "amount", "day", "hash")
    list_filter = ("kind",)
    exclude = ("recipient_encrypted",)
