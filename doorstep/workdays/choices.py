from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What a listed calendar day is: a day off, or a (make-up) working day."""

    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("上班")
