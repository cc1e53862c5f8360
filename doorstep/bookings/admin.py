"""Read-only admin: facilities, bookings and their trail change only through the services."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Booking, BookingEvent, BookingSeries, Facility, WaitlistEntry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Facility)
class FacilityAdmin(ReadOnly):
    list_display = ("name", "community", "kind", "opens_at", "closes_at", "weekly_limit")
    list_filter = ("kind",)


@admin.register(Booking)
class BookingAdmin(ReadOnly):
    list_display = ("facility", "starts_at", "ends_at", "status", "channel", "group_name")
    list_filter = ("status", "channel")
    raw_id_fields = ("resident",)


@admin.register(BookingSeries)
class BookingSeriesAdmin(ReadOnly):
    list_display = ("group_name", "facility", "weekday", "first_day", "last_day", "cancelled_at")


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnly):
    list_display = ("facility", "starts_at", "status", "created_at")


@admin.register(BookingEvent)
class BookingEventAdmin(ReadOnly):
    list_display = ("facility", "kind", "at", "note")
    list_filter = ("kind",)
