from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    """A half-day of the desk rota (值班时段). Evening covers the extended hours to 20:00."""

    MORNING = "morning", _("上午")
    AFTERNOON = "afternoon", _("下午")
    EVENING = "evening", _("晚间")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class Duty(models.TextChoices):
    """What a worker does in a rota slot: holds the desk (坐班) or goes out (离案)."""

    DESK = "desk", _("坐班")
    OUT = "out", _("离案")


class HalfDay(models.TextChoices):
    MORNING = "morning", _("上午")
    AFTERNOON = "afternoon", _("下午")


class VisitOutcome(models.TextChoices):
    """How a home visit (入户走访) ended."""

    PLANNED = "planned", _("待走访")
    MET = "met", _("已见面")
    NOT_HOME = "not_home", _("不在家")
    REFUSED = "refused", _("拒绝走访")
    MOVED = "moved", _("已搬离")


DONE_OUTCOMES = (VisitOutcome.MET, VisitOutcome.NOT_HOME, VisitOutcome.REFUSED, VisitOutcome.MOVED)
