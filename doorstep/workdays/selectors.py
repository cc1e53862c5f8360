"""Reads for the working-day calendar.

``calendar_for`` keeps one built :class:`WorkCalendar` per district in process memory. Each call
checks a fingerprint of the two calendar tables (row counts and newest change time — two tiny
aggregate queries) and rebuilds when it differs. So a change made by the services, in the Django
admin, in another worker process, or undone by a rolled-back transaction (tests) is never served
stale. Code that needs many dates at once should call ``calendar_for`` once and reuse the result.

A hot path that reads a row anyway (a case intake reads its community) can fetch the
fingerprint in that same query — ``fingerprint_columns()`` as annotations, then
``fingerprint_of(row)`` — and hand it to ``add_working_days``: no extra query, same freshness.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, DateTimeField, IntegerField, Max
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .calendar import WorkCalendar, YearSource
from .choices import DayKind
from .models import CalendarDay, OfficialYear
from .parsing import format_arrangement

Fingerprint = tuple[int, datetime | None, int, datetime | None]

_cache: dict[int | None, tuple[Fingerprint, WorkCalendar]] = {}
_lock = threading.Lock()


def _fingerprint() -> Fingerprint:
    years = OfficialYear.objects.aggregate(n=Count("id"), t=Max("entered_at"))
    days = CalendarDay.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (years["n"], years["t"], days["n"], days["t"])


def fingerprint_columns() -> dict[str, RawSQL]:
    """The fingerprint as four scalar subqueries, to annotate onto a query made anyway."""
    years, days = OfficialYear._meta.db_table, CalendarDay._meta.db_table
    return {
        "calendar_years_n": RawSQL(f"SELECT COUNT(*) FROM {years}", [], IntegerField()),
        "calendar_years_t": RawSQL(f"SELECT MAX(entered_at) FROM {years}", [], DateTimeField()),
        "calendar_days_n": RawSQL(f"SELECT COUNT(*) FROM {days}", [], IntegerField()),
        "calendar_days_t": RawSQL(f"SELECT MAX(updated_at) FROM {days}", [], DateTimeField()),
    }


def fingerprint_of(row: dict[str, object]) -> Fingerprint:
    """The fingerprint out of a row annotated with ``fingerprint_columns()``."""
    return (
        row["calendar_years_n"],  # type: ignore[return-value]
        row["calendar_years_t"],
        row["calendar_days_n"],
        row["calendar_days_t"],
    )


def _build(district_id: int | None) -> WorkCalendar:
    official: dict[int, dict[date, bool]] = {
        year: {} for year in OfficialYear.objects.values_list("year", flat=True)
    }
    for day, kind in CalendarDay.objects.filter(district__isnull=True).values_list("date", "kind"):
        if day.year in official:  # days of a year not (or no longer) marked entered are ignored
            official[day.year][day] = kind == DayKind.WORKDAY
    local: dict[date, bool] = {}
    if district_id is not None:
        rows = CalendarDay.objects.filter(district_id=district_id).values_list("date", "kind")
        local = {day: kind == DayKind.WORKDAY for day, kind in rows}
    return WorkCalendar(official, local)


def calendar_for(
    district_id: int | None = None, fingerprint: Fingerprint | None = None
) -> WorkCalendar:
    """The working-day calendar for a district (``None``: the national calendar only).
    ``fingerprint``: one the caller just read with ``fingerprint_columns()``."""
    fingerprint = fingerprint or _fingerprint()
    cached = _cache.get(district_id)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    calendar = _build(district_id)
    with _lock:
        _cache[district_id] = (fingerprint, calendar)
    return calendar


def clear_cache() -> None:
    """Forget every cached calendar (never needed for correctness; handy in tests)."""
    with _lock:
        _cache.clear()


def add_working_days(
    start: date, n: int, district_id: int | None = None, fingerprint: Fingerprint | None = None
) -> date:
    """The n-th working day after ``start`` (a case's due date); ``n == 0`` returns ``start``."""
    return calendar_for(district_id, fingerprint).add_working_days(start, n)


def working_days_between(a: date, b: date, district_id: int | None = None) -> int:
    """Working days in (a, b]; negative when ``b`` is before ``a``."""
    return calendar_for(district_id).working_days_between(a, b)


def is_working_day(day: date, district_id: int | None = None) -> bool:
    return calendar_for(district_id).is_working_day(day)


def missing_years(today: date | None = None) -> list[int]:
    """Years that matter now and are only counted Monday–Friday (nobody entered, package unaware).

    This year, plus next year from November on (the State Council usually publishes next year's
    arrangement in October–November).
    """
    today = today or timezone.localdate()
    years = [today.year]
    if today.month >= 11:
        years.append(today.year + 1)
    calendar = calendar_for(None)
    return [y for y in years if calendar.year_source(y) == "fallback"]


@dataclass(frozen=True)
class YearOverview:
    year: int
    source: YearSource
    entry: OfficialYear | None
    days: list[CalendarDay]

    @property
    def holiday_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.HOLIDAY)

    @property
    def workday_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.WORKDAY)


def years_overview(years: list[int]) -> list[YearOverview]:
    """For each year: where its calendar comes from and the official days entered for it."""
    calendar = calendar_for(None)
    entries = {
        e.year: e for e in OfficialYear.objects.filter(year__in=years).select_related("entered_by")
    }
    days: dict[int, list[CalendarDay]] = {y: [] for y in years}
    qs = CalendarDay.objects.filter(district__isnull=True, date__year__in=years).order_by("date")
    for day in qs:
        days[day.date.year].append(day)
    return [
        YearOverview(
            year=y,
            source=calendar.year_source(y),
            entry=entries.get(y),
            days=days[y] if y in entries else [],
        )
        for y in years
    ]


def local_days(district_id: int, since: date | None = None) -> list[CalendarDay]:
    """A district's local extra days, oldest first (from ``since`` on, if given)."""
    qs = CalendarDay.objects.filter(district_id=district_id).select_related("created_by")
    if since is not None:
        qs = qs.filter(date__gte=since)
    return list(qs.order_by("date"))


def arrangement_text(year: int) -> str:
    """The entered official days of ``year`` as textarea lines (to edit and re-enter)."""
    if not OfficialYear.objects.filter(year=year).exists():
        return ""
    rows = CalendarDay.objects.filter(district__isnull=True, date__year=year).values_list(
        "date", "kind", "name"
    )
    return format_arrangement((d, kind == DayKind.WORKDAY, name) for d, kind, name in rows)
