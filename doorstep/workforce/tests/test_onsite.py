"""Departments on site (约请职能部门现场办公) and the video link (视频连线)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from doorstep.cases.choices import EventKind
from doorstep.cases.models import Case, CaseEvent
from doorstep.conftest import World
from doorstep.workforce import selectors, services
from doorstep.workforce.choices import SessionStatus
from doorstep.workforce.models import OnSiteSession, VideoAppointment

pytestmark = pytest.mark.django_db


def slot(days: int, hour: int = 14) -> tuple[datetime, datetime]:
    start = timezone.make_aware(
        datetime.combine(date.today() + timedelta(days=days), datetime.min.time())
    )
    start = start.replace(hour=hour)
    return start, start + timedelta(hours=2)


def first_slot(session: OnSiteSession) -> int:
    found = session.slots.first()
    assert found is not None
    return found.pk


@pytest.fixture
def case(world: World) -> Case:
    return world.intake(world.desk_a, item=world.residence_cert, description="小区加装电梯手续咨询")


def request(world: World, case: Case, actor: User | None = None) -> OnSiteSession:
    return services.onsite_request(
        actor=actor or world.secretary_a,
        community=world.a,
        department=world.department,
        topic="加装电梯政策与审批",
        case_ids=[case.pk],
        slots=[slot(3), slot(4, 9)],
    )


def test_secretary_requests_a_session_and_the_case_timeline_says_so(
    world: World, case: Case
) -> None:
    session = request(world, case)
    assert session.status == SessionStatus.REQUESTED
    note = CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).last()
    assert note is not None and "约请区住房保障中心现场办公" in note.note


def test_desk_worker_cannot_request_a_session(world: World, case: Case) -> None:
    with pytest.raises(PermissionDenied):
        request(world, case, world.desk_a)


def test_a_case_from_another_community_cannot_be_linked(world: World) -> None:
    other = world.intake(world.desk_b, community=world.b, item=world.residence_cert)
    with pytest.raises(ValidationError, match="不属于该社区"):
        request(world, other)
    assert not OnSiteSession.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.NOTE).exists()


def test_department_accepts_a_slot_and_it_shows_on_the_public_schedule(
    world: World, case: Case
) -> None:
    session = request(world, case)
    chosen = session.slots.last()
    assert chosen is not None
    services.onsite_accept(actor=world.department_user, session_id=session.pk, slot_id=chosen.pk)
    [public] = selectors.public_onsite(date.today())
    assert public.pk == session.pk and public.accepted_slot_id == chosen.pk


def test_requested_sessions_are_not_public(world: World, case: Case) -> None:
    request(world, case)
    assert selectors.public_onsite(date.today()) == []


def test_only_the_invited_department_sees_the_session(world: World, case: Case) -> None:
    from doorstep.conftest import make_staff
    from doorstep.places.models import Department

    other = Department.objects.create(district=world.district, name="区民政局")
    stranger = make_staff("civil", "department", district=world.district, department=other)
    session = request(world, case)
    with pytest.raises(OnSiteSession.DoesNotExist):
        services.onsite_accept(actor=stranger, session_id=session.pk, slot_id=first_slot(session))


def test_a_slot_not_proposed_is_refused(world: World, case: Case) -> None:
    session = request(world, case)
    second = request(world, case)
    with pytest.raises(ValidationError, match="提出的时段之一"):
        services.onsite_accept(
            actor=world.department_user,
            session_id=session.pk,
            slot_id=first_slot(second),
        )


def test_outcome_goes_on_the_case_timeline_and_closes_the_session(world: World, case: Case) -> None:
    session = request(world, case)
    services.onsite_accept(
        actor=world.department_user, session_id=session.pk, slot_id=first_slot(session)
    )
    services.onsite_outcome(
        actor=world.secretary_a,
        session_id=session.pk,
        case_id=case.pk,
        outcome="现场答复审批流程，居民已递交材料",
    )
    last = CaseEvent.objects.filter(case=case).last()
    assert last is not None and "现场办公结果：现场答复审批流程" in last.note
    assert last.data["source"] == "onsite"
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_outcome_before_a_slot_is_accepted_is_refused(world: World, case: Case) -> None:
    session = request(world, case)
    with pytest.raises(ValidationError, match="确认时段后"):
        services.onsite_outcome(
            actor=world.secretary_a, session_id=session.pk, case_id=case.pk, outcome="x"
        )


def test_past_slots_are_refused(world: World, case: Case) -> None:
    with pytest.raises(ValidationError, match="不能早于现在"):
        services.onsite_request(
            actor=world.secretary_a,
            community=world.a,
            department=world.department,
            topic="t",
            case_ids=[case.pk],
            slots=[slot(-2)],
        )


def test_video_link_is_booked_from_a_case(world: World, case: Case) -> None:
    start, end = slot(1, 10)
    booking = services.video_book(
        actor=world.desk_a, case_id=case.pk, starts_at=start, ends_at=end, topic="病历卡换卡"
    )
    assert booking.community_id == world.a.pk
    last = CaseEvent.objects.filter(case=case).last()
    assert last is not None and "视频连线：病历卡换卡" in last.note


def test_overlapping_video_link_in_the_same_community_is_refused(world: World, case: Case) -> None:
    start, end = slot(1, 10)
    services.video_book(
        actor=world.desk_a, case_id=case.pk, starts_at=start, ends_at=end, topic="a"
    )
    with pytest.raises(ValidationError, match="已有视频连线预约"):
        services.video_book(
            actor=world.desk_a,
            case_id=case.pk,
            starts_at=start + timedelta(minutes=30),
            ends_at=end,
            topic="b",
        )
    assert VideoAppointment.objects.count() == 1


def test_video_link_for_another_communitys_case_is_not_found(world: World, case: Case) -> None:
    start, end = slot(1, 10)
    with pytest.raises(Case.DoesNotExist):
        services.video_book(
            actor=world.desk_b, case_id=case.pk, starts_at=start, ends_at=end, topic="a"
        )
