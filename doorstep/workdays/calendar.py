"""The working-day calendar (工作日历) as pure logic — no database access.

A :class:`WorkCalendar` answers "is this a working day?" for one district, in this order:

1. a local extra day of the district (地方性假日/上班日), if any;
2. the official arrangement entered in the database for that year (dates listed as holiday or
   make-up working day; any other date of that year follows the Monday–Friday rule);
3. the built-in calendar of the ``chinesecalendar`` package, if it knows the year;
4. Monday–Friday (fallback — admins are warned, see ``selectors.missing_years``).

Build one with :func:`doorstep.workdays.selectors.calendar_for` in application code; in tests
construct it directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Literal

import chinese_calendar

YearSource = Literal["entered", "package", "fallback"]

ONE_DAY = timedelta(days=1)


@cache
def _package_years() -> range:
    """The years the installed ``chinesecalendar`` package has data for (e.g. 2004–2026)."""
    keys = chinese_calendar.holidays.keys()
    return range(min(keys).year, max(keys).year + 1)


def package_knows(year: int) -> bool:
    return year in _package_years()


def _package_is_workday(day: date) -> bool:
    # Same rule as chinese_calendar.is_workday(), without its per-call year-range scan.
    return day in chinese_calendar.workdays or (
        day.weekday() < 5 and day not in chinese_calendar.holidays
    )


def _weekday_rule(day: date) -> bool:
    return day.weekday() < 5


class WorkCalendar:
    """Working days for one place.

    ``official``: entered official years → {date: is_workday} for the dates listed that year
    (a year present with an empty mapping is still "entered": it follows Monday–Friday).
    ``local``: the district's extra days {date: is_workday}; they win over everything.
    """

    __slots__ = ("_local", "_official")

    def __init__(
        self,
        official: Mapping[int, Mapping[date, bool]] | None = None,
        local: Mapping[date, bool] | None = None,
    ) -> None:
        self._official: dict[int, dict[date, bool]] = {
            year: dict(days) for year, days in (official or {}).items()
        }
        self._local: dict[date, bool] = dict(local or {})

    def __repr__(self) -> str:
        return f"<WorkCalendar entered={sorted(self._official)} local={len(self._local)}>"

    @property
    def entered_years(self) -> list[int]:
        return sorted(self._official)

    def year_source(self, year: int) -> YearSource:
        """Where the national arrangement for ``year`` comes from."""
        if year in self._official:
            return "entered"
        if package_knows(year):
            return "package"
        return "fallback"

    def is_working_day(self, day: date) -> bool:
        local = self._local.get(day)
        if local is not None:
            return local
        entered = self._official.get(day.year)
        if entered is not None:
            listed = entered.get(day)
            return _weekday_rule(day) if listed is None else listed
        if package_knows(day.year):
            return _package_is_workday(day)
        return _weekday_rule(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (counting starts the day after).

        ``n == 0`` returns ``start`` itself, whether or not it is a working day.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        remaining = n
        while remaining:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in the half-open interval (a, b]; negative when ``b`` is before ``a``.

        Inverse of :meth:`add_working_days`: ``working_days_between(s, add_working_days(s, n))
        == n``. Useful for "剩余 N 个工作日" / "超期 N 个工作日".
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day
