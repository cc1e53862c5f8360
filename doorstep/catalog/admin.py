from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import Category, Demand, FieldTranslation, Resource, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "scope", "level", "mode", "promise_days", "active")
    list_filter = ("category", "scope", "level", "mode", "active")
    search_fields = ("code", "name", "keywords")


admin.site.register(Category)
admin.site.register(Resource)


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    """Read-only: a demand (需求清单) is written by the case services, and the dashboard's topic
    rollup counts it; an edit here would make the rollup drift from a recount."""

    list_display = ("topic", "community", "created_at")


@admin.register(FieldTranslation)
class FieldTranslationAdmin(admin.ModelAdmin):
    """Read-only: translations change through catalog.translations.field_translation_set."""

    list_display = ("kind", "object_id", "field", "language", "text")
    list_filter = ("kind", "language")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
