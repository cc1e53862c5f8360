from django.contrib import admin

from .models import CalendarDay, OfficialYear


@admin.register(OfficialYear)
class OfficialYearAdmin(admin.ModelAdmin):
    list_display = ["year", "entered_by", "entered_at", "note"]
    search_fields = ["note"]
    raw_id_fields = ["entered_by"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "district", "created_by", "updated_at"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]
    date_hierarchy = "date"
    raw_id_fields = ["created_by"]
