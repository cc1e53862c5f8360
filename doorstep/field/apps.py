from django.apps import AppConfig


class FieldConfig(AppConfig):
    """Field work (离案服务): grids, mobile service desks, rota, home visits, contact cards."""

    name = "doorstep.field"
    verbose_name = "走出去"
