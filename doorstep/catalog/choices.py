from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """规定动作 (district standard) or 自选动作 (one community's own)."""

    STANDARD = "standard", _("规定动作")
    LOCAL = "local", _("自选动作")


class Level(models.TextChoices):
    """Who handles the item (办理层级)."""

    COMMUNITY = "community", _("社区办理")
    STREET = "street", _("街道办理")
    DEPARTMENT = "department", _("职能部门办理")


class Mode(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("即办")
    PROMISE = "promise", _("承诺办结")
