"""Courses, sessions, attendance, external hours, the 24-hour day and yearly hours."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from doorstep.conftest import World
from doorstep.workforce import selectors, services
from doorstep.workforce.choices import CertificateKind, ExternalStatus
from doorstep.workforce.models import Attendance, ExternalTraining, TrainingYear

from .conftest import Staff

pytestmark = pytest.mark.django_db
DAY = date.today() - timedelta(days=3)


def course_with_session(world: World, hours: str = "8") -> services.TrainingSession:
    course = services.course_create(
        actor=world.secretary_a, title="社区工作实务", organiser="张江镇社工站", community=world.a
    )
    return services.session_add(actor=world.secretary_a, course=course, day=DAY, hours=hours)


def year_hours(worker_id: int) -> Decimal:
    row = TrainingYear.objects.filter(worker_id=worker_id, year=DAY.year).first()
    return row.hours if row else Decimal("0")


def test_attendance_credits_the_sessions_hours(world: World, staff: Staff) -> None:
    session = course_with_session(world)
    assert (
        services.attendance_record(
            actor=world.secretary_a,
            session_id=session.pk,
            worker_ids=[staff.desk.pk, staff.grid.pk],
        )
        == 2
    )
    assert year_hours(staff.desk.pk) == Decimal("8")


def test_attendance_twice_credits_once(world: World, staff: Staff) -> None:
    session = course_with_session(world)
    for _ in range(2):
        services.attendance_record(
            actor=world.secretary_a, session_id=session.pk, worker_ids=[staff.desk.pk]
        )
    assert year_hours(staff.desk.pk) == Decimal("8")


def test_session_over_24_hours_is_refused(world: World) -> None:
    course = services.course_create(
        actor=world.secretary_a, title="通宵", organiser="x", community=world.a
    )
    with pytest.raises(ValidationError, match="一天的培训学时不能超过24小时"):
        services.session_add(actor=world.secretary_a, course=course, day=DAY, hours="25")


def test_more_than_24_hours_in_one_day_is_refused_and_nothing_written(
    world: World, staff: Staff
) -> None:
    first = course_with_session(world, "16")
    second = course_with_session(world, "10")
    services.attendance_record(
        actor=world.secretary_a, session_id=first.pk, worker_ids=[staff.desk.pk]
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=world.secretary_a, session_id=second.pk, worker_ids=[staff.grid.pk, staff.desk.pk]
        )
    assert "超过一天24小时" in str(error.value)
    assert Attendance.objects.filter(session=second).count() == 0  # grid's row rolled back too
    assert year_hours(staff.desk.pk) == Decimal("16")


def test_external_hours_count_only_when_someone_else_approves(world: World, staff: Staff) -> None:
    entry = services.external_training_submit(
        actor=world.desk_a,
        worker_id=staff.desk.pk,
        title="浦东新区社工继续教育",
        day=DAY,
        hours="6",
        evidence="结业证书 PD-2026-118",
    )
    assert year_hours(staff.desk.pk) == 0
    services.external_training_decide(actor=world.secretary_a, entry_id=entry.pk, approve=True)
    assert year_hours(staff.desk.pk) == Decimal("6")


def test_secretary_cannot_approve_hours_they_entered(world: World, staff: Staff) -> None:
    entry = services.external_training_submit(
        actor=world.secretary_a,
        worker_id=staff.grid.pk,
        title="x",
        day=DAY,
        hours="2",
        evidence="证书",
    )
    with pytest.raises(ValidationError, match="本人和录入人以外"):
        services.external_training_decide(actor=world.secretary_a, entry_id=entry.pk, approve=True)
    entry.refresh_from_db()
    assert entry.status == ExternalStatus.PENDING


def test_external_hours_need_evidence(world: World, staff: Staff) -> None:
    with pytest.raises(ValidationError, match="证明材料"):
        services.external_training_submit(
            actor=world.desk_a, worker_id=staff.desk.pk, title="x", day=DAY, hours="2", evidence=" "
        )
    assert not ExternalTraining.objects.exists()


def test_external_hours_share_the_24_hour_day_with_sessions(world: World, staff: Staff) -> None:
    session = course_with_session(world, "20")
    services.attendance_record(
        actor=world.secretary_a, session_id=session.pk, worker_ids=[staff.desk.pk]
    )
    with pytest.raises(ValidationError, match="超过一天24小时"):
        services.external_training_submit(
            actor=world.desk_a,
            worker_id=staff.desk.pk,
            title="x",
            day=DAY,
            hours="5",
            evidence="证",
        )


def test_short_hours_use_40_for_secretaries_and_20_for_others(world: World, staff: Staff) -> None:
    session = course_with_session(world, "22")
    services.attendance_record(
        actor=world.secretary_a,
        session_id=session.pk,
        worker_ids=[staff.desk.pk, staff.secretary.pk],
    )
    row = next(
        r
        for r in selectors.compliance_by_community(world.street_user, DAY, selectors.TIANJIN)
        if r.community_id == world.a.pk
    )
    assert row.short_hours == 2  # the secretary (22 < 40) and the untrained grid worker


def test_continuing_education_counts_hours_in_the_current_period(
    world: World, staff: Staff
) -> None:
    services.certificate_add(
        actor=world.secretary_a,
        worker_id=staff.desk.pk,
        kind=CertificateKind.SOCIAL_WORKER,
        number="SW-CE",
        issued_on=DAY - timedelta(days=400),
        period_years=3,
        period_hours=Decimal("72"),
    )
    session = course_with_session(world, "8")
    services.attendance_record(
        actor=world.secretary_a, session_id=session.pk, worker_ids=[staff.desk.pk]
    )
    [ce] = selectors.continuing_education(staff.desk, date.today())
    assert (ce.required, ce.done) == (Decimal("72"), Decimal("8"))


def test_certificate_period_needs_both_years_and_hours(world: World, staff: Staff) -> None:
    with pytest.raises(ValidationError, match="同时填写"):
        services.certificate_add(
            actor=world.secretary_a,
            worker_id=staff.desk.pk,
            kind=CertificateKind.SOCIAL_WORKER,
            number="SW-P",
            issued_on=DAY,
            period_years=3,
        )
