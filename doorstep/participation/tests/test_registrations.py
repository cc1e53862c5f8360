"""Registration with capacity and a waitlist inside the system; sign-in at the door."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from doorstep.conftest import World, build_world
from doorstep.participation import services
from doorstep.participation.choices import RegistrationStatus
from doorstep.participation.models import Meeting, Registration

from .conftest import LATER, NOW, make_meeting, make_project


def register(meeting: Meeting, name: str, phone: str) -> Registration:
    return services.meeting_register(meeting_id=meeting.pk, name=name, phone=phone, now=NOW)


def test_over_capacity_goes_to_the_waitlist_not_an_error(world: World) -> None:
    meeting = make_meeting(world, make_project(world), capacity=1)
    first = register(meeting, "王秀英", "13812345678")
    second = register(meeting, "李建国", "13912345678")
    meeting.refresh_from_db()
    assert (first.status, second.status) == ("registered", "waitlisted")
    assert (meeting.registered_count, meeting.waitlist_count) == (1, 1)


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist(world: World) -> None:
    meeting = make_meeting(world, make_project(world), capacity=1)
    first = register(meeting, "王秀英", "13812345678")
    second = register(meeting, "李建国", "13912345678")
    third = register(meeting, "赵敏", "13712345678")
    services.registration_cancel(
        meeting_id=meeting.pk, code=first.code, phone="13812345678", now=NOW
    )
    second.refresh_from_db()
    third.refresh_from_db()
    meeting.refresh_from_db()
    assert (second.status, third.status) == ("registered", "waitlisted")
    assert (meeting.registered_count, meeting.waitlist_count) == (1, 1)


def test_cancelling_needs_the_right_phone(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    first = register(meeting, "王秀英", "13812345678")
    with pytest.raises(ValidationError, match="报名码或手机号不正确"):
        services.registration_cancel(
            meeting_id=meeting.pk, code=first.code, phone="13900000000", now=NOW
        )
    first.refresh_from_db()
    assert first.status == RegistrationStatus.REGISTERED


def test_the_same_phone_cannot_register_twice(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    register(meeting, "王秀英", "13812345678")
    with pytest.raises(ValidationError, match="已报名"):
        register(meeting, "王秀英", "13812345678")


def test_public_registration_needs_a_phone_and_a_future_meeting(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    with pytest.raises(ValidationError, match="手机号"):
        register(meeting, "王秀英", "")
    with pytest.raises(ValidationError, match="已开始或已结束"):
        services.meeting_register(
            meeting_id=meeting.pk, name="王秀英", phone="13812345678", now=LATER
        )


def test_phone_is_stored_encrypted(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    registration = register(meeting, "王秀英", "13812345678")
    assert "13812345678" not in registration.phone_encrypted
    assert registration.phone_masked == "138****5678"
    assert registration.name_masked == "王**"


def test_sign_in_by_code_and_on_behalf(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    by_code = register(meeting, "王秀英", "13812345678")
    on_behalf = services.meeting_register(
        meeting_id=meeting.pk, name="张大爷", actor=world.desk_a, now=NOW
    )
    services.registration_sign_in(actor=world.desk_a, meeting_id=meeting.pk, code=by_code.code)
    services.registration_sign_in(actor=world.grid_a, meeting_id=meeting.pk, code=on_behalf.code)
    with pytest.raises(ValidationError, match="已签到"):
        services.registration_sign_in(actor=world.desk_a, meeting_id=meeting.pk, code=by_code.code)
    with pytest.raises(ValidationError, match="没有该报名码"):
        services.registration_sign_in(actor=world.desk_a, meeting_id=meeting.pk, code="000000x")
    meeting.refresh_from_db()
    assert meeting.signed_in_count == 2


def test_attendee_count_cannot_be_below_signed_in(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    for n in range(3):
        r = register(meeting, f"居民{n}", f"1381234567{n}")
        services.registration_sign_in(actor=world.desk_a, meeting_id=meeting.pk, code=r.code)
    with pytest.raises(ValidationError, match="不能少于已签到的 3 人"):
        services.meeting_close(
            actor=world.desk_a,
            meeting_id=meeting.pk,
            closing=services.Closing(
                minutes="纪要", attendee_count=2, organisations_present="居委会", decisions="决定"
            ),
        )


def test_other_community_staff_cannot_sign_people_in(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    r = register(meeting, "王秀英", "13812345678")
    with pytest.raises(Meeting.DoesNotExist):
        services.registration_sign_in(actor=world.desk_b, meeting_id=meeting.pk, code=r.code)


@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_seat_get_one_seat_and_one_waitlist() -> None:
    world = build_world()
    meeting = make_meeting(world, make_project(world), capacity=1)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def go(phone: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.meeting_register(meeting_id=meeting.pk, name="居民", phone=phone, now=NOW)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in ("13812345678", "13912345678")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["registered", "waitlisted"]
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waitlist_count) == (1, 1)


def test_no_cancelling_after_the_meeting_closed(world: World) -> None:
    meeting = make_meeting(world, make_project(world))
    registration = register(meeting, "王秀英", "13812345678")
    services.meeting_close(
        actor=world.desk_a,
        meeting_id=meeting.pk,
        closing=services.Closing(
            minutes="纪要", attendee_count=5, organisations_present="居委会", decisions="决定"
        ),
    )
    with pytest.raises(ValidationError, match="已结束"):
        services.registration_cancel(
            actor=world.desk_a, meeting_id=meeting.pk, code=registration.code
        )
