from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    LIBRARY = "library", _("图书室")
    ROOM = "room", _("活动室")
    TABLE_TENNIS = "table_tennis", _("乒乓球台")
    COURT = "court", _("球场")
    FITNESS = "fitness", _("健身角")


class WhoMayBook(models.TextChoices):
    COMMUNITY = "community", _("本社区居民")
    ANYONE = "anyone", _("持居民码的所有居民")
    GROUPS = "groups", _("仅工作人员代约（团体）")


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    CONFIRMED = "confirmed", _("已预约")
    CHECKED_IN = "checked_in", _("已到场")
    CANCELLED = "cancelled", _("已取消")
    REJECTED = "rejected", _("未通过")
    RELEASED = "released", _("爽约释放")


# A booking in one of these holds its time slot.
HOLDING = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


class BookingChannel(models.TextChoices):
    PORTAL = "portal", _("居民端")
    DESK = "desk", _("工作人员代约")
    SERIES = "series", _("团体固定时段")


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("排队中")
    OFFERED = "offered", _("已通知空位")
    BOOKED = "booked", _("已预约")
    EXPIRED = "expired", _("已过期")
    WITHDRAWN = "withdrawn", _("已退出")


class EventKind(models.TextChoices):
    FACILITY_SAVED = "facility_saved", _("设置场地")
    BOOKED = "booked", _("预约")
    APPROVED = "approved", _("审批通过")
    REJECTED = "rejected", _("审批未通过")
    CANCELLED = "cancelled", _("取消")
    CHECKED_IN = "checked_in", _("到场")
    RELEASED = "released", _("爽约释放")
    SERIES_CREATED = "series_created", _("设立固定时段")
    SERIES_CANCELLED = "series_cancelled", _("整体取消固定时段")
    WAITLISTED = "waitlisted", _("加入候补")
    OFFERED = "offered", _("通知候补空位")
    OFFER_EXPIRED = "offer_expired", _("候补通知过期")
