"""Facilities and their bookings (场地与预约), the resident pass the portal uses, waitlists."""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.places.models import Community, Resident

from .choices import BookingChannel, BookingStatus, EventKind, FacilityKind, WaitStatus, WhoMayBook


class Facility(models.Model):
    """场地/设施 — a library, room, table-tennis table, court or fitness corner, with its rules.
    Bookings lock this row, so two residents can never hold the same slot."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="facilities")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=FacilityKind.choices)
    place = models.CharField(_("位置"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"), default=1)
    opens_at = models.TimeField(_("开放时间"), default=time(8, 30))
    closes_at = models.TimeField(_("关闭时间"), default=time(20, 0))
    min_minutes = models.PositiveIntegerField(_("最短时长（分钟）"), default=30)
    max_minutes = models.PositiveIntegerField(_("最长时长（分钟）"), default=120)
    advance_days = models.PositiveIntegerField(
        _("最多提前天数"), default=14, validators=[MaxValueValidator(366)]
    )
    weekly_limit = models.PositiveIntegerField(
        _("每人每周次数上限"), default=3, validators=[MinValueValidator(1)]
    )
    who_may_book = models.CharField(
        _("预约对象"), max_length=12, choices=WhoMayBook.choices, default=WhoMayBook.COMMUNITY
    )
    needs_approval = models.BooleanField(_("需要审批"), default=False)
    rules_note = models.CharField(_("使用须知"), max_length=300, blank=True)
    active = models.BooleanField(_("开放预约"), default=True)

    class Meta:
        verbose_name = _("场地")
        verbose_name_plural = _("场地")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="uniq_facility_name"),
            models.CheckConstraint(
                condition=models.Q(min_minutes__lte=models.F("max_minutes")),
                name="facility_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResidentPass(models.Model):
    """居民码 — a secret code the desk gives a resident (printed or as a QR) so that they can
    book and see their volunteer hours on the portal without an account. Only its hash is kept."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="portal_pass")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("居民码")
        verbose_name_plural = _("居民码")

    def __str__(self) -> str:
        return f"{self.resident}"


class BookingSeries(models.Model):
    """团体固定时段 — a group's weekly slot for a season (the table-tennis club every Tuesday
    evening), booked and cancelled as one."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="series")
    group_name = models.CharField(_("团体"), max_length=100)
    weekday = models.PositiveSmallIntegerField(_("星期"), validators=[MaxValueValidator(6)])
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    first_day = models.DateField(_("起始日期"))
    last_day = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("团体固定时段")
        verbose_name_plural = _("团体固定时段")

    def __str__(self) -> str:
        return f"{self.group_name} {self.facility}"


class Booking(models.Model):
    """预约 — one slot of one facility, for a resident or a group."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="bookings")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    series = models.ForeignKey(
        BookingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    group_name = models.CharField(_("团体"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    status = models.CharField(_("状态"), max_length=12, choices=BookingStatus.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=BookingChannel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    checked_in_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("取消/释放时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["facility", "starts_at"], name="booking_facility_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def holder(self) -> str:
        return self.group_name or (self.resident.name if self.resident else "")

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class WaitlistEntry(models.Model):
    """候补 — a resident waiting for a taken slot; offered the slot when it is freed."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="waitlist")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    status = models.CharField(_("状态"), max_length=10, choices=WaitStatus.choices)
    created_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("候补")
        verbose_name_plural = _("候补")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.facility} {self.starts_at:%Y-%m-%d %H:%M}"


class BookingEvent(models.Model):
    """The trail of every change to a facility, booking, series or waitlist (预约记录)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="events")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, null=True, related_name="events")
    series = models.ForeignKey(BookingSeries, on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
