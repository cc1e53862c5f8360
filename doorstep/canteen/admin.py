"""Admin for canteen: configuration is edited here; lifecycle records are read-only (their
pages call services)."""

from django.contrib import admin

from .models import CanteenPriceRule


@admin.register(CanteenPriceRule)
class CanteenPriceRuleAdmin(admin.ModelAdmin):
    list_display = ("district", "base_price", "subsistence_subsidy", "delivery_fee")
