"""Field work (走出去): building heads, station areas, mobile desks, rota, diary, home visits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.cases.models import Case
from doorstep.core import crypto
from doorstep.places.models import (
    Building,
    Community,
    Compound,
    Grid,
    Household,
    Resident,
    ServiceStation,
)

from .choices import Duty, HalfDay, Period, VisitOutcome, Weekday


class BuildingHead(models.Model):
    """楼院长 — a resident volunteer heading about 100 households in one or more buildings.
    Either a registered resident or just a name and phone (the phone is encrypted at rest)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone_encrypted = models.TextField(blank=True)
    buildings = models.ManyToManyField(
        Building, related_name="heads", blank=True, verbose_name=_("负责楼栋")
    )

    class Meta:
        verbose_name = _("楼院长")
        verbose_name_plural = _("楼院长")

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        phone = crypto.decrypt(self.phone_encrypted)
        if not phone and self.resident is not None:
            phone = self.resident.phone
        return crypto.mask_phone(phone)


class StationArea(models.Model):
    """The area of a neighbourhood station (邻里服务站, about 500 households): its buildings,
    and the services it offers, shown to residents looking for the nearest station."""

    station = models.OneToOneField(ServiceStation, on_delete=models.CASCADE, related_name="area")
    buildings = models.ManyToManyField(
        Building, related_name="station_areas", blank=True, verbose_name=_("服务楼栋")
    )
    services = models.CharField(_("服务内容"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("服务站范围")
        verbose_name_plural = _("服务站范围")

    def __str__(self) -> str:
        return str(self.station)


class MobileDeskSession(models.Model):
    """流动服务点 — staff carry the desk into a compound for a few hours."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, verbose_name=_("小区"))
    date = models.DateField(_("日期"), db_index=True)
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("工作人员")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("流动服务点")
        verbose_name_plural = _("流动服务点")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="mobile_desk_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.compound}"


class ReceptionSlot(models.Model):
    """网格会客厅 — each grid's weekly half-day in the reception room."""

    grid = models.OneToOneField(Grid, on_delete=models.CASCADE, related_name="reception")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    half_day = models.CharField(_("时段"), max_length=10, choices=HalfDay.choices)
    place = models.CharField(_("地点"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("网格会客厅")
        verbose_name_plural = _("网格会客厅")
        ordering = ["weekday", "half_day"]

    def __str__(self) -> str:
        return f"{self.grid} {self.get_weekday_display()}{self.get_half_day_display()}"


class RotaEntry(models.Model):
    """值班表 — one worker's duty in one weekly slot: at the desk, or out (离案)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    period = models.CharField(_("时段"), max_length=10, choices=Period.choices)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    duty = models.CharField(_("安排"), max_length=6, choices=Duty.choices, default=Duty.DESK)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "weekday", "period", "worker"], name="uniq_rota_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}{self.get_period_display()} {self.worker}"


class PostPair(models.Model):
    """AB岗 — when A is out, B covers the desk."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    post = models.CharField(_("岗位"), max_length=50)
    a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("A岗")
    )
    b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("B岗")
    )

    class Meta:
        verbose_name = _("AB岗")
        verbose_name_plural = _("AB岗")
        constraints = [
            models.CheckConstraint(condition=~models.Q(a=models.F("b")), name="post_pair_distinct")
        ]

    def __str__(self) -> str:
        return self.post


class DiaryEntry(models.Model):
    """民情日记 — a note taken in the field. `client_uuid` is made on the phone, so a retried
    sync finds the entry (and its case) instead of creating a second one."""

    client_uuid = models.UUIDField(unique=True)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    compound = models.ForeignKey(Compound, on_delete=models.SET_NULL, null=True, blank=True)
    session = models.ForeignKey(MobileDeskSession, on_delete=models.SET_NULL, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    captured_at = models.DateTimeField(_("记录时间"))
    synced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("民情日记")
        verbose_name_plural = _("民情日记")

    def __str__(self) -> str:
        return str(self.client_uuid)


class VisitPlan(models.Model):
    """走访计划 — a list of households to visit, built from a rule (bedridden, 80+ alone, …)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("名称"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访计划")
        verbose_name_plural = _("走访计划")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class HomeVisit(models.Model):
    """入户走访 — planned, then logged with its outcome; it may open a case."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(
        VisitPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="visits"
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("走访人"),
    )
    reason = models.CharField(_("走访原因"), max_length=100, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=VisitOutcome.choices, default=VisitOutcome.PLANNED
    )
    note = models.TextField(_("走访记录"), blank=True)
    visited_on = models.DateField(_("走访日期"), null=True, blank=True, db_index=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        ordering = ["-visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.get_outcome_display()}"
