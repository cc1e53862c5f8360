from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The service catalogue (服务清单), resource list (资源清单) and demand list (需求清单)."""

    name = "doorstep.catalog"
    verbose_name = "服务清单"
