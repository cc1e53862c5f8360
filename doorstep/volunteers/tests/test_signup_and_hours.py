"""Sign-up with a promoting waitlist, QR check-in tied to one activity and its window, hours
to the minute, corrections with a reason and a trail, no-shows, posting to the certificate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from doorstep.certificates.models import VolunteerRecord
from doorstep.certificates.selectors import certificate_missing
from doorstep.certificates.services import certificate_issue
from doorstep.conftest import World
from doorstep.volunteers.choices import SignUpStatus
from doorstep.volunteers.models import Activity, HourCorrection, SignUp, Volunteer, VolunteerEvent
from doorstep.volunteers.selectors import volunteer_hours
from doorstep.volunteers.services import (
    activity_hours_post,
    checkin_scan,
    hours_claim,
    hours_correct,
    signup_cancel,
    signup_create,
    signup_mark_no_show,
)

from .conftest import NOW, START, make_activity


def _shift(activity: Activity) -> int:
    return activity.shifts.get().pk


def test_full_shift_puts_the_next_volunteer_on_the_waitlist_and_promotes_on_cancel(
    activity: Activity, ann: Volunteer, bob: Volunteer
) -> None:
    first = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    second = signup_create(volunteer=bob, shift_id=_shift(activity), now=NOW)
    assert (first.status, second.status) == (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED)
    signup_cancel(signup_id=first.pk, volunteer=ann, now=NOW)
    second.refresh_from_db()
    assert second.status == SignUpStatus.CONFIRMED
    kinds = list(VolunteerEvent.objects.filter(signup=second).values_list("kind", flat=True))
    assert kinds == ["signed_up", "promoted"]


def test_signing_up_twice_is_refused(activity: Activity, ann: Volunteer) -> None:
    signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    with pytest.raises(ValidationError, match="已报名"):
        signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)


def test_volunteer_of_another_community_cannot_sign_up(world: World, activity: Activity) -> None:
    from doorstep.conftest import make_resident
    from doorstep.volunteers.services import volunteer_register

    outsider = make_resident(world.b, "赵外来", "13700002222")
    volunteer = volunteer_register(actor=world.desk_b, resident_id=outsider.pk)
    with pytest.raises(ValidationError, match="本社区"):
        signup_create(volunteer=volunteer, shift_id=_shift(activity), now=NOW)


def test_scan_checks_in_then_out_and_counts_minutes_from_the_shift_start(
    activity: Activity, ann: Volunteer
) -> None:
    signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    token = activity.checkin_token
    checkin_scan(volunteer=ann, token=token, now=START - timedelta(minutes=20))
    done = checkin_scan(volunteer=ann, token=token, now=START + timedelta(minutes=97))
    assert done.minutes == 97  # the 20 minutes before the start are not service time
    assert volunteer_hours(ann).minutes == 97


def test_check_in_before_the_window_is_refused(activity: Activity, ann: Volunteer) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        checkin_scan(volunteer=ann, token=activity.checkin_token, now=START - timedelta(hours=1))
    signup.refresh_from_db()
    assert signup.checked_in_at is None


def test_check_in_after_the_shift_ended_is_refused(activity: Activity, ann: Volunteer) -> None:
    signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    with pytest.raises(ValidationError, match="不在签到时间内"):
        checkin_scan(volunteer=ann, token=activity.checkin_token, now=START + timedelta(hours=2))


def test_scanning_another_activitys_code_is_refused(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    other = make_activity(world, "萤火虫巡逻", start=START)
    signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    with pytest.raises(ValidationError, match="这是“萤火虫巡逻”的签到码"):
        checkin_scan(volunteer=ann, token=other.checkin_token, now=START)
    assert not SignUp.objects.filter(checked_in_at__isnull=False).exists()


def test_scanning_without_a_sign_up_is_refused(activity: Activity, ann: Volunteer) -> None:
    with pytest.raises(ValidationError, match="您没有报名"):
        checkin_scan(volunteer=ann, token=activity.checkin_token, now=START)


def test_a_wrong_code_is_refused(ann: Volunteer) -> None:
    with pytest.raises(ValidationError, match="签到码无效"):
        checkin_scan(volunteer=ann, token="nope", now=START)


def test_correction_without_a_reason_is_refused_and_writes_nothing(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    events = VolunteerEvent.objects.count()
    with pytest.raises(ValidationError, match="须填写理由"):
        hours_correct(actor=world.desk_a, signup_id=signup.pk, minutes=60, reason="  ")
    signup.refresh_from_db()
    assert signup.minutes == 0
    assert HourCorrection.objects.count() == 0 and VolunteerEvent.objects.count() == events


def test_correction_keeps_before_after_reason_and_who(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    hours_correct(actor=world.desk_a, signup_id=signup.pk, minutes=90, reason="忘记签退，现场核实")
    hours_correct(actor=world.secretary_a, signup_id=signup.pk, minutes=100, reason="补计收尾")
    trail = list(signup.corrections.values_list("minutes_before", "minutes_after", "actor"))
    assert trail == [(0, 90, world.desk_a.pk), (90, 100, world.secretary_a.pk)]


def test_organiser_of_another_community_cannot_correct(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    with pytest.raises(SignUp.DoesNotExist):
        hours_correct(actor=world.desk_b, signup_id=signup.pk, minutes=60, reason="x")


def test_no_show_only_after_the_start_and_only_without_check_in(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    with pytest.raises(ValidationError, match="开始后"):
        signup_mark_no_show(actor=world.desk_a, signup_id=signup.pk, now=NOW)
    marked = signup_mark_no_show(actor=world.desk_a, signup_id=signup.pk, now=START)
    assert marked.status == SignUpStatus.NO_SHOW


def test_self_claim_holds_posting_until_the_organiser_confirms(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    hours_claim(
        volunteer=ann,
        signup_id=signup.pk,
        minutes=110,
        note="手机没电未能扫码",
        now=START + timedelta(hours=3),
    )
    after = START + timedelta(days=1)
    with pytest.raises(ValidationError, match="自报时长待审核"):
        activity_hours_post(actor=world.desk_a, activity_id=activity.pk, now=after)
    hours_correct(
        actor=world.desk_a, signup_id=signup.pk, minutes=110, reason="核实自报", now=after
    )
    assert activity_hours_post(actor=world.desk_a, activity_id=activity.pk, now=after) == 1


def test_claim_longer_than_the_shift_is_refused(activity: Activity, ann: Volunteer) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    with pytest.raises(ValidationError, match="1 到 120 分钟"):
        hours_claim(
            volunteer=ann,
            signup_id=signup.pk,
            minutes=300,
            note="x",
            now=START + timedelta(hours=3),
        )


def test_posted_hours_feed_the_volunteer_certificate_and_lock_corrections(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    signup = signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    checkin_scan(volunteer=ann, token=activity.checkin_token, now=START)
    checkin_scan(volunteer=ann, token=activity.checkin_token, now=START + timedelta(minutes=100))
    assert certificate_missing(ann.resident, "volunteer") == "没有志愿服务时长记录"
    after = START + timedelta(days=1)
    assert activity_hours_post(actor=world.desk_a, activity_id=activity.pk, now=after) == 1
    record = VolunteerRecord.objects.get(resident=ann.resident)
    assert str(record.hours) == "1.7" and record.activity == "公益市集·义务理发（理发）"
    certificate = certificate_issue(
        actor=world.desk_a, resident_id=ann.resident.pk, kind="volunteer", today=after.date()
    )
    assert "1.7" in certificate.body
    with pytest.raises(ValidationError, match="不能再更正"):
        hours_correct(actor=world.desk_a, signup_id=signup.pk, minutes=10, reason="x", now=after)


def test_posting_refuses_while_someone_is_still_checked_in(
    world: World, activity: Activity, ann: Volunteer
) -> None:
    signup_create(volunteer=ann, shift_id=_shift(activity), now=NOW)
    checkin_scan(volunteer=ann, token=activity.checkin_token, now=START)
    with pytest.raises(ValidationError, match="已签到未签退"):
        activity_hours_post(
            actor=world.desk_a, activity_id=activity.pk, now=START + timedelta(days=1)
        )


def test_posting_before_the_end_is_refused(world: World, activity: Activity) -> None:
    with pytest.raises(ValidationError, match="活动结束后"):
        activity_hours_post(actor=world.desk_a, activity_id=activity.pk, now=START)
