from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import (
    BuildingHead,
    DiaryEntry,
    HomeVisit,
    MobileDeskSession,
    PostPair,
    ReceptionSlot,
    RotaEntry,
    StationArea,
    VisitPlan,
)


@admin.register(BuildingHead)
class BuildingHeadAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_filter = ["community"]
    exclude = ["phone_encrypted"]
    filter_horizontal = ["buildings"]


@admin.register(StationArea)
class StationAreaAdmin(admin.ModelAdmin):
    list_display = ["station", "services"]
    filter_horizontal = ["buildings"]


@admin.register(MobileDeskSession)
class MobileDeskSessionAdmin(ReadOnlyAdmin):
    list_display = ["date", "starts_at", "ends_at", "compound", "community"]
    list_filter = ["community"]
    date_hierarchy = "date"


@admin.register(ReceptionSlot)
class ReceptionSlotAdmin(admin.ModelAdmin):
    list_display = ["grid", "weekday", "half_day", "place"]


@admin.register(RotaEntry)
class RotaEntryAdmin(admin.ModelAdmin):
    list_display = ["community", "weekday", "period", "worker", "duty"]
    list_filter = ["community", "duty"]


@admin.register(PostPair)
class PostPairAdmin(admin.ModelAdmin):
    list_display = ["community", "post", "a", "b"]


@admin.register(DiaryEntry)
class DiaryEntryAdmin(ReadOnlyAdmin):
    list_display = ["client_uuid", "community", "compound", "case", "author", "captured_at"]
    readonly_fields = ["client_uuid", "case", "author", "captured_at"]


@admin.register(VisitPlan)
class VisitPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "created_by", "created_at"]


@admin.register(HomeVisit)
class HomeVisitAdmin(ReadOnlyAdmin):
    list_display = ["household", "resident", "outcome", "visited_on", "visitor"]
    list_filter = ["community", "outcome"]
    raw_id_fields = ["household", "resident", "case", "plan"]
