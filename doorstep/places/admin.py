from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from . import models

for model in (
    models.District,
    models.Street,
    models.Community,
    models.Department,
    models.Grid,
    models.Compound,
    models.ServiceStation,
):
    admin.site.register(model)


@admin.register(models.StaffProfile)
class StaffProfileAdmin(ReadOnlyAdmin):
    list_display = ("display_name", "role", "community", "street", "department")
    list_filter = ("role",)


@admin.register(models.Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contractor")
    list_select_related = ("compound", "contractor")
