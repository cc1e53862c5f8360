"""The official arrangement of holidays and make-up working days (放假调休安排), and local days."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import DayKind


class OfficialYear(models.Model):
    """Marks that the State Council's arrangement for ``year`` is entered in the database.

    When present, the entered days (CalendarDay rows with no district) replace the built-in
    calendar of the ``chinesecalendar`` package for that whole year.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已录入年度安排")
        verbose_name_plural = _("已录入年度安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    """One listed day: a holiday or a make-up working day (调休上班).

    ``district`` empty: part of the official (national) arrangement of that year.
    ``district`` set: a local extra day for that district, overriding the official calendar.
    """

    date = models.DateField(_("日期"), db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50)
    district = models.ForeignKey(
        "places.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_days",
        verbose_name=_("区（空=全国）"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]
        constraints = [
            # (date, district) unique; a NULL district needs its own constraint (NULLs differ).
            models.UniqueConstraint(fields=["date", "district"], name="uniq_local_calendar_day"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(district__isnull=True),
                name="uniq_official_calendar_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"

    @property
    def is_workday(self) -> bool:
        return self.kind == DayKind.WORKDAY
