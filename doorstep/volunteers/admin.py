"""Read-only admin: volunteering changes only through the services (with their trail)."""

from django.contrib import admin

from doorstep.bookings.admin import ReadOnly

from .models import Activity, HourCorrection, MarketSeries, SignUp, Team, Volunteer, VolunteerEvent


@admin.register(Team)
class TeamAdmin(ReadOnly):
    list_display = ("name", "community", "kind", "facility")


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnly):
    list_display = ("resident", "community", "skills", "joined_on")
    raw_id_fields = ("resident",)


@admin.register(Activity)
class ActivityAdmin(ReadOnly):
    list_display = ("title", "community", "starts_at", "place", "organiser", "hours_posted_at")
    exclude = ("checkin_token",)


@admin.register(MarketSeries)
class MarketSeriesAdmin(ReadOnly):
    list_display = ("title", "community", "week_of_month", "weekday")


@admin.register(SignUp)
class SignUpAdmin(ReadOnly):
    list_display = ("shift", "volunteer", "status", "minutes", "checked_in_at", "checked_out_at")
    list_filter = ("status",)


@admin.register(HourCorrection)
class HourCorrectionAdmin(ReadOnly):
    list_display = ("signup", "minutes_before", "minutes_after", "reason", "actor", "at")


@admin.register(VolunteerEvent)
class VolunteerEventAdmin(ReadOnly):
    list_display = ("kind", "community", "at", "note")
    list_filter = ("kind",)
