"""Services and selectors of the working-day calendar (database)."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from doorstep.workdays import selectors, services
from doorstep.workdays.models import CalendarDay, OfficialYear

from .factories import make_district, make_user

pytestmark = pytest.mark.django_db

HOLIDAYS_2027 = [(date(2027, 10, 1), date(2027, 10, 7), "国庆节")]
WORKDAYS_2027 = [(date(2027, 10, 9), "调休上班")]


@pytest.fixture
def district_admin() -> User:
    return make_user("district-admin", role="district")


def test_national_examples_from_the_package() -> None:
    assert selectors.add_working_days(date(2025, 9, 26), 10) == date(2025, 10, 16)
    assert selectors.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_entered_year_overrides_the_package(district_admin: User) -> None:
    calendar = selectors.calendar_for(None)
    assert calendar.year_source(2027) == "fallback"
    assert selectors.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 5)

    entry = services.official_year_enter(
        actor=district_admin,
        year=2027,
        holidays=HOLIDAYS_2027,
        workdays=WORKDAYS_2027,
        note="国办发明电",
    )
    assert entry.entered_by == district_admin
    assert CalendarDay.objects.filter(district__isnull=True).count() == 8
    calendar = selectors.calendar_for(None)
    assert calendar.year_source(2027) == "entered"
    assert not calendar.is_working_day(date(2027, 10, 4))
    assert calendar.is_working_day(date(2027, 10, 9))  # make-up Saturday
    assert calendar.is_working_day(date(2027, 10, 8))  # unlisted Friday: weekday rule
    assert selectors.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 11)


def test_entered_year_replaces_a_package_year(district_admin: User) -> None:
    assert not selectors.is_working_day(date(2026, 2, 16))
    services.official_year_enter(
        actor=district_admin,
        year=2026,
        holidays=[(date(2026, 1, 1), date(2026, 1, 1), "元旦")],
        workdays=[],
    )
    assert selectors.calendar_for(None).year_source(2026) == "entered"
    assert selectors.is_working_day(date(2026, 2, 16))  # no longer Spring Festival
    assert not selectors.is_working_day(date(2026, 2, 14))  # no longer a make-up Saturday
    assert selectors.is_working_day(date(2025, 10, 9))  # 2025 still from the package


def test_entering_again_replaces_the_year(district_admin: User) -> None:
    services.official_year_enter(
        actor=district_admin, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
    )
    services.official_year_enter(
        actor=district_admin,
        year=2027,
        holidays=[(date(2027, 5, 3), date(2027, 5, 3), "劳动节")],
        workdays=[],
    )
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2027, 5, 3)]
    assert OfficialYear.objects.count() == 1
    assert selectors.is_working_day(date(2027, 10, 4))
    assert not selectors.is_working_day(date(2027, 5, 3))


def test_missing_years() -> None:
    assert selectors.missing_years(date(2026, 3, 1)) == []
    assert selectors.missing_years(date(2026, 10, 31)) == []
    assert selectors.missing_years(date(2026, 11, 2)) == [2027]
    assert selectors.missing_years(date(2027, 3, 1)) == [2027]
    assert selectors.missing_years(date(2027, 12, 1)) == [2027, 2028]


def test_entering_a_year_clears_the_warning(district_admin: User) -> None:
    assert selectors.missing_years(date(2026, 12, 1)) == [2027]
    services.official_year_enter(
        actor=district_admin, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
    )
    assert selectors.missing_years(date(2026, 12, 1)) == []


def test_local_holiday_shifts_the_due_date_only_for_its_district(district_admin: User) -> None:
    own = district_admin.staff.district
    other = make_district("乌鲁木齐市天山区")
    start = date(2025, 9, 26)
    services.local_day_set(
        actor=district_admin,
        district=own,
        day=date(2025, 10, 13),
        kind="holiday",
        name="地方性假日",
    )
    assert selectors.add_working_days(start, 10, district_id=own.pk) == date(2025, 10, 17)
    assert selectors.add_working_days(start, 10, district_id=other.pk) == date(2025, 10, 16)
    assert selectors.add_working_days(start, 10) == date(2025, 10, 16)

    # Changing it to a working day, then deleting it.
    services.local_day_set(
        actor=district_admin, district=own, day=date(2025, 10, 13), kind="workday", name=""
    )
    assert CalendarDay.objects.get().name == "调休上班"
    assert selectors.add_working_days(start, 10, district_id=own.pk) == date(2025, 10, 16)
    services.local_day_set(
        actor=district_admin, district=own, day=date(2025, 10, 8), kind="workday", name="补班"
    )
    assert selectors.add_working_days(start, 10, district_id=own.pk) == date(2025, 10, 15)
    assert services.local_day_delete(actor=district_admin, district=own, day=date(2025, 10, 8))
    assert not services.local_day_delete(actor=district_admin, district=own, day=date(2025, 10, 8))
    assert selectors.add_working_days(start, 10, district_id=own.pk) == date(2025, 10, 16)


def test_local_days_override_an_entered_year(district_admin: User) -> None:
    services.official_year_enter(
        actor=district_admin, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
    )
    own = district_admin.staff.district
    services.local_day_set(
        actor=district_admin, district=own, day=date(2027, 10, 9), kind="holiday", name=""
    )
    assert not selectors.is_working_day(date(2027, 10, 9), district_id=own.pk)
    assert selectors.is_working_day(date(2027, 10, 9))


def test_non_admins_are_refused() -> None:
    district = make_district()
    street_worker = make_user("street-worker", role="street", district=district)
    plain = make_user("no-profile")
    for actor in (street_worker, plain):
        with pytest.raises(PermissionDenied):
            services.official_year_enter(
                actor=actor, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
            )
        with pytest.raises(PermissionDenied):
            services.local_day_set(
                actor=actor, district=district, day=date(2027, 1, 4), kind="holiday", name="x"
            )
    assert not OfficialYear.objects.exists()
    assert not CalendarDay.objects.exists()


def test_admin_of_another_district_is_refused(district_admin: User) -> None:
    other = make_district("天山区")
    with pytest.raises(PermissionDenied):
        services.local_day_set(
            actor=district_admin, district=other, day=date(2027, 1, 4), kind="holiday", name="x"
        )
    with pytest.raises(PermissionDenied):
        services.local_day_delete(actor=district_admin, district=other, day=date(2027, 1, 4))


@pytest.mark.parametrize(
    ("holidays", "workdays", "fragment"),
    [
        ([(date(2028, 1, 1), date(2028, 1, 1), "元旦")], [], "不在 2027 年内"),
        ([(date(2027, 10, 7), date(2027, 10, 1), "国庆节")], [], "晚于"),
        (HOLIDAYS_2027, [(date(2027, 10, 3), "调休上班")], "不能既放假"),
        (HOLIDAYS_2027 + [(date(2027, 10, 7), date(2027, 10, 8), "x")], [], "重复"),
        ([], WORKDAYS_2027, "至少填写一个放假日期"),
        (HOLIDAYS_2027, [(date(2026, 12, 27), "调休上班")], "不在 2027 年内"),
    ],
)
def test_invalid_input_writes_nothing(
    district_admin: User,
    holidays: list[tuple[date, date, str]],
    workdays: list[tuple[date, str]],
    fragment: str,
) -> None:
    services.official_year_enter(
        actor=district_admin,
        year=2027,
        holidays=[(date(2027, 5, 3), date(2027, 5, 3), "劳动节")],
        workdays=[],
    )
    before = list(CalendarDay.objects.values_list("date", "kind", "name"))
    with pytest.raises(ValidationError) as info:
        services.official_year_enter(
            actor=district_admin, year=2027, holidays=holidays, workdays=workdays, note="bad"
        )
    assert any(fragment in m for m in info.value.messages), info.value.messages
    assert list(CalendarDay.objects.values_list("date", "kind", "name")) == before
    assert OfficialYear.objects.get().note == ""


def test_local_day_validation(district_admin: User) -> None:
    with pytest.raises(ValidationError):
        services.local_day_set(
            actor=district_admin,
            district=district_admin.staff.district,
            day=date(2027, 1, 4),
            kind="x",
            name="",
        )
    assert not CalendarDay.objects.exists()


def test_cache_follows_changes_made_outside_the_services(district_admin: User) -> None:
    services.official_year_enter(
        actor=district_admin, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
    )
    first = selectors.calendar_for(None)
    assert selectors.calendar_for(None) is first  # cached while nothing changes
    CalendarDay.objects.filter(date=date(2027, 10, 4)).delete()  # e.g. in the Django district_admin
    assert selectors.is_working_day(date(2027, 10, 4))
    OfficialYear.objects.all().delete()
    assert selectors.calendar_for(None).year_source(2027) == "fallback"


def test_no_stale_calendar_from_an_earlier_test() -> None:
    # test_entered_year_overrides_the_package entered 2027 in a rolled-back transaction.
    assert selectors.calendar_for(None).year_source(2027) == "fallback"
    assert selectors.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 5)


def test_arrangement_text_round_trip(district_admin: User) -> None:
    services.official_year_enter(
        actor=district_admin, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
    )
    text = selectors.arrangement_text(2027)
    assert text == "国庆节 2027-10-01 至 2027-10-07\n调休上班 2027-10-09"
    assert selectors.arrangement_text(2028) == ""
