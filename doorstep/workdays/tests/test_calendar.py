"""Pure calendar logic: no database."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from doorstep.workdays.calendar import WorkCalendar

NATIONAL = WorkCalendar()


def test_ten_working_days_across_national_day_2025() -> None:
    # Fri 2025-09-26 + 10: Sun 09-28 and Sat 10-11 are make-up working days, 10-01..10-08 off.
    assert NATIONAL.add_working_days(date(2025, 9, 26), 10) == date(2025, 10, 16)


def test_five_working_days_across_spring_festival_2026() -> None:
    # Sat 2026-02-14 is a make-up working day; the holiday runs 02-15..02-23.
    assert NATIONAL.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_national_day_2025() -> None:
    assert NATIONAL.is_working_day(date(2025, 9, 28))  # Sunday, 调休上班
    assert NATIONAL.is_working_day(date(2025, 10, 11))  # Saturday, 调休上班
    for day in range(1, 9):
        assert not NATIONAL.is_working_day(date(2025, 10, day))
    assert NATIONAL.is_working_day(date(2025, 10, 9))


def test_spring_festival_2026() -> None:
    assert NATIONAL.is_working_day(date(2026, 2, 14))  # Saturday, 调休上班
    assert NATIONAL.is_working_day(date(2026, 2, 28))  # Saturday, 调休上班
    for day in range(15, 24):
        assert not NATIONAL.is_working_day(date(2026, 2, day))
    assert NATIONAL.is_working_day(date(2026, 2, 24))


def test_matches_package_for_every_known_day() -> None:
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert NATIONAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_zero_and_negative() -> None:
    sunday = date(2025, 10, 5)
    assert NATIONAL.add_working_days(sunday, 0) == sunday
    with pytest.raises(ValueError):
        NATIONAL.add_working_days(sunday, -1)


def test_working_days_between_is_inverse_of_add() -> None:
    start = date(2025, 9, 26)
    for n in range(0, 30):
        assert NATIONAL.working_days_between(start, NATIONAL.add_working_days(start, n)) == n
    assert NATIONAL.working_days_between(date(2025, 10, 16), start) == -10
    assert NATIONAL.working_days_between(start, start) == 0


def test_sources() -> None:
    calendar = WorkCalendar({2026: {}})
    assert calendar.year_source(2025) == "package"
    assert calendar.year_source(2026) == "entered"
    assert calendar.year_source(2027) == "fallback"
    assert calendar.year_source(2003) == "fallback"


def test_entered_year_overrides_package() -> None:
    # Entered 2026 with only New Year's Day: Spring Festival days become ordinary weekdays.
    calendar = WorkCalendar({2026: {date(2026, 1, 1): False}})
    assert not calendar.is_working_day(date(2026, 1, 1))
    assert calendar.is_working_day(date(2026, 1, 2))  # the package says holiday
    assert not calendar.is_working_day(date(2026, 2, 14))  # the package says make-up Saturday
    assert calendar.is_working_day(date(2026, 2, 16))
    # Other years still come from the package.
    assert not calendar.is_working_day(date(2025, 10, 1))


def test_entered_year_beyond_package() -> None:
    calendar = WorkCalendar(
        {2027: {date(2027, 10, d): False for d in range(1, 8)} | {date(2027, 10, 9): True}}
    )
    assert not calendar.is_working_day(date(2027, 10, 4))  # Monday, holiday
    assert calendar.is_working_day(date(2027, 10, 9))  # Saturday, make-up
    assert not calendar.is_working_day(date(2027, 10, 10))  # Sunday
    # Thu 09-30 + 3: Fri 10-08 (not listed: weekday rule), Sat 10-09 (make-up), Mon 10-11.
    assert calendar.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 11)


def test_unknown_year_falls_back_to_monday_to_friday() -> None:
    assert NATIONAL.year_source(2027) == "fallback"
    assert NATIONAL.is_working_day(date(2027, 10, 1))  # a Friday; nobody said otherwise
    assert not NATIONAL.is_working_day(date(2027, 10, 2))
    assert NATIONAL.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 5)


def test_local_override_wins() -> None:
    local = WorkCalendar(local={date(2025, 10, 9): False, date(2025, 10, 12): True})
    assert not local.is_working_day(date(2025, 10, 9))
    assert local.is_working_day(date(2025, 10, 12))
    assert local.add_working_days(date(2025, 9, 26), 10) == date(2025, 10, 16)  # one off, one on
    assert local.add_working_days(date(2025, 9, 26), 6) == date(2025, 10, 12)
    assert NATIONAL.add_working_days(date(2025, 9, 26), 6) == date(2025, 10, 11)


def test_next_working_day() -> None:
    assert NATIONAL.next_working_day(date(2025, 10, 1)) == date(2025, 10, 9)
    assert NATIONAL.next_working_day(date(2025, 10, 9)) == date(2025, 10, 9)
