from django.contrib import admin

from .models import Category, Demand, Resource, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "scope", "level", "mode", "promise_days", "active")
    list_filter = ("category", "scope", "level", "mode", "active")
    search_fields = ("code", "name", "keywords")


admin.site.register(Category)
admin.site.register(Resource)
admin.site.register(Demand)
