"""Writes for the working-day calendar. Only district admins (区级管理员) may change it."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.places import access
from doorstep.places.models import District, StaffProfile

from .choices import DayKind
from .models import CalendarDay, OfficialYear
from .parsing import DEFAULT_HOLIDAY_NAME, DEFAULT_WORKDAY_NAME, HolidayRange, Workday

Actor = User | AnonymousUser

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_HOLIDAY_RANGE_DAYS = 31


def require_district_admin(actor: Actor) -> StaffProfile:
    """The actor's staff profile if they are a district admin; PermissionDenied otherwise."""
    return access.require(actor, "workdays.edit", _("只有区级管理员可以维护工作日历。"))


def _clean_name(name: str, default: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > 50:
        raise ValidationError(_("名称“%(name)s”太长（最多 50 个字）。") % {"name": name})
    return name or default


@transaction.atomic
def official_year_enter(
    *,
    actor: Actor,
    year: int,
    holidays: list[HolidayRange],
    workdays: list[Workday],
    note: str = "",
) -> OfficialYear:
    """Enter (or replace) the State Council's arrangement for ``year``.

    ``holidays``: (first day, last day, name) ranges, both ends included;
    ``workdays``: (date, name) make-up working days (调休上班).
    All of that year's official days are replaced at once; nothing is written if any is invalid.
    From then on the entered days (not the built-in calendar) define the year.
    """
    require_district_admin(actor)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("年份须在 %(min)s 至 %(max)s 之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    listed = _official_days(year, holidays, workdays)
    CalendarDay.objects.filter(district__isnull=True, date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, name=name, district=None, created_by=_user(actor))
        for day, (kind, name) in sorted(listed.items())
    )
    entry, _created = OfficialYear.objects.update_or_create(
        year=year, defaults={"entered_by": _user(actor), "note": (note or "").strip()[:200]}
    )
    return entry


class _YearDays:
    """The days of one official year as they are checked: date → (kind, name), and every
    problem found (all are reported at once, so the admin fixes the form in one go)."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.listed: dict[date, tuple[str, str]] = {}
        self.errors: list[str] = []

    def outside(self, d: date) -> bool:
        if d.year != self.year:
            self.errors.append(
                _("%(date)s 不在 %(year)s 年内。") % {"date": d.isoformat(), "year": self.year}
            )
            return True
        return False

    def name(self, name: str, default: str) -> str | None:
        try:
            return _clean_name(name, default)
        except ValidationError as exc:
            self.errors.extend(exc.messages)
            return None

    def holiday(self, start: date, end: date, raw_name: str) -> None:
        name = self.name(raw_name, DEFAULT_HOLIDAY_NAME)
        if name is None or self.outside(start) or self.outside(end):
            return
        if start > end:
            self.errors.append(
                _("%(name)s：开始日期 %(start)s 晚于结束日期 %(end)s。")
                % {"name": name, "start": start.isoformat(), "end": end.isoformat()}
            )
            return
        if (end - start).days >= MAX_HOLIDAY_RANGE_DAYS:
            self.errors.append(
                _("%(name)s：放假区间超过 %(days)s 天，请检查日期。")
                % {"name": name, "days": MAX_HOLIDAY_RANGE_DAYS}
            )
            return
        day = start
        while day <= end:
            if day in self.listed:
                self.errors.append(
                    _("%(date)s 重复填写（%(first)s / %(second)s）。")
                    % {"date": day.isoformat(), "first": self.listed[day][1], "second": name}
                )
            else:
                self.listed[day] = (DayKind.HOLIDAY, name)
            day += timedelta(days=1)

    def workday(self, day: date, raw_name: str) -> None:
        name = self.name(raw_name, DEFAULT_WORKDAY_NAME)
        if name is None or self.outside(day):
            return
        if day in self.listed:
            kind, first = self.listed[day]
            if kind == DayKind.HOLIDAY:
                self.errors.append(
                    _("%(date)s 不能既放假（%(first)s）又上班（%(second)s）。")
                    % {"date": day.isoformat(), "first": first, "second": name}
                )
            else:
                self.errors.append(_("%(date)s 重复填写。") % {"date": day.isoformat()})
            return
        self.listed[day] = (DayKind.WORKDAY, name)


def _official_days(
    year: int, holidays: list[HolidayRange], workdays: list[Workday]
) -> dict[date, tuple[str, str]]:
    """Every official day of `year` (date → kind, name); ValidationError listing all problems."""
    days = _YearDays(year)
    if not holidays:
        days.errors.append(
            _("请至少填写一个放假日期（例如“元旦 %(year)s-01-01”）。") % {"year": year}
        )
    for start, end, name in holidays:
        days.holiday(start, end, name)
    for day, name in workdays:
        days.workday(day, name)
    if days.errors:
        raise ValidationError(days.errors)
    return days.listed


@transaction.atomic
def official_year_remove(*, actor: Actor, year: int) -> bool:
    """Forget an entered year: the built-in calendar (or Monday–Friday) applies again."""
    require_district_admin(actor)
    CalendarDay.objects.filter(district__isnull=True, date__year=year).delete()
    deleted, _detail = OfficialYear.objects.filter(year=year).delete()
    return bool(deleted)


def _require_own_district(actor: Actor, district: District) -> None:
    profile = require_district_admin(actor)
    if profile.district_id != district.pk:
        raise PermissionDenied(_("只能维护本区的地方性日期。"))


@transaction.atomic
def local_day_set(
    *, actor: Actor, district: District, day: date, kind: str, name: str
) -> CalendarDay:
    """Add or change a local extra day of ``district`` (e.g. a regional holiday)."""
    _require_own_district(actor, district)
    if kind not in DayKind.values:
        raise ValidationError(_("类型须为“放假”或“上班”。"))
    if not isinstance(day, date) or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError(_("请填写有效的日期。"))
    default = DEFAULT_WORKDAY_NAME if kind == DayKind.WORKDAY else DEFAULT_HOLIDAY_NAME
    name = _clean_name(name, default)
    entry, _created = CalendarDay.objects.update_or_create(
        date=day,
        district=district,
        defaults={"kind": kind, "name": name, "created_by": _user(actor)},
    )
    return entry


@transaction.atomic
def local_day_delete(*, actor: Actor, district: District, day: date) -> bool:
    """Remove a local extra day; the official calendar applies to that date again."""
    _require_own_district(actor, district)
    deleted, _detail = CalendarDay.objects.filter(date=day, district=district).delete()
    return bool(deleted)


def _user(actor: Actor) -> User | None:
    """The actor as a user row to record (None for an anonymous actor)."""
    return actor if isinstance(actor, get_user_model()) else None
