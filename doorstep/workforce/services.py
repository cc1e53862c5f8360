"""Every write of the workforce area: checks the actor's permission first, runs in one
transaction, locks what two people could change at once, writes one audit entry (or, for
work around a case, one timeline line through the case service)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.cases.models import Case
from doorstep.cases.services import case_note_add
from doorstep.catalog.models import ServiceItem
from doorstep.core.models import AuditEntry
from doorstep.core.types import Actor
from doorstep.field.models import PostPair
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.choices import Role
from doorstep.places.models import Community, Department, StaffProfile
from doorstep.places.selectors import communities_for, staff_profile

from . import selectors
from .choices import QUALIFYING_KINDS, AlertKind, ExternalStatus, LeaveKind, SessionStatus
from .cover import overlapping
from .models import (
    Alert,
    Attendance,
    Certificate,
    Course,
    ExternalTraining,
    Leave,
    OnSiteCase,
    OnSiteSession,
    OnSiteSlot,
    StationedStaff,
    TrainingSession,
    TrainingYear,
    VideoAppointment,
    WorkerRecord,
)

MAX_HOURS_A_DAY = Decimal("24")
ALERT_LEADS = (90, 30, 7)


def audit(actor: Actor, action: str, object_type: str, object_id: int, note: str) -> None:
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        reason=note[:200],
    )


def _profile(actor: Actor) -> StaffProfile:
    profile = staff_profile(actor)
    if profile is None:
        raise PermissionDenied(_("请先登录。"))
    return profile


def _check_manage(actor: Actor, community_id: int | None) -> None:
    if not selectors.can_manage(actor, community_id):
        raise PermissionDenied(_("只有本社区书记、街道或区级管理员可以维护工作人员档案。"))


def _text(value: str, field: str, message: str, limit: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError({field: _("内容过长，请控制在 %(n)s 字以内。") % {"n": limit}})
    return text


def _hours(value: Decimal | str | float | int, field: str = "hours") -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except ArithmeticError:
        raise ValidationError({field: _("学时格式不正确。")}) from None
    if hours <= 0:
        raise ValidationError({field: _("学时必须大于0。")})
    if hours > MAX_HOURS_A_DAY:
        raise ValidationError({field: _("一天的培训学时不能超过24小时。")})
    return hours


# ---------------------------------------------------------------- qualifications


def _deadline(hire: date, birth: date, rule: selectors.Rule) -> date | None:
    """Hire + N years for workers under the age limit on the day they were hired."""
    age = hire.year - birth.year - ((hire.month, hire.day) < (birth.month, birth.day))
    if age >= rule.age_limit:
        return None
    return selectors._add_years(hire, rule.certificate_years)


@transaction.atomic
def worker_record_set(
    *, actor: Actor, user: User, hire_date: date, birth_date: date, post: str = ""
) -> WorkerRecord:
    """建档 or correct a worker's hire and birth dates; the certificate deadline follows."""
    target = staff_profile(user)
    if target is None:
        raise ValidationError({"user": _("该账号不是工作人员。")})
    _check_manage(actor, target.community_id)
    if access.is_role(target, Role.STREET) and not selectors.can_manage(actor, None):
        raise PermissionDenied(_("只有街道或区级管理员可以维护街道人员档案。"))
    if birth_date >= hire_date:
        raise ValidationError({"birth_date": _("出生日期必须早于入职日期。")})
    rule = selectors.rule_for(target.district_id)
    record, _created = WorkerRecord.objects.select_for_update(of=("self",)).get_or_create(
        user=user,
        defaults={
            "district_id": target.district_id,
            "hire_date": hire_date,
            "birth_date": birth_date,
        },
    )
    record.district_id = target.district_id
    record.street_id = target.street_id or (
        target.community.street_id if target.community else None
    )
    record.community_id = target.community_id
    record.name = target.display_name
    record.post = post or target.role
    record.hire_date = hire_date
    record.birth_date = birth_date
    record.certificate_deadline = _deadline(hire_date, birth_date, rule)
    record.save()
    audit(actor, "worker_record_set", "worker_record", record.pk, record.name)
    return record


def _refresh_certified_until(record: WorkerRecord) -> None:
    latest = None
    for cert in record.certificates.filter(kind__in=QUALIFYING_KINDS):
        until = cert.expires_on or selectors.NEVER_EXPIRES
        latest = until if latest is None or until > latest else latest
    record.certified_until = latest
    record.save(update_fields=["certified_until"])


@transaction.atomic
def certificate_add(
    *,
    actor: Actor,
    worker_id: int,
    kind: str,
    number: str,
    issued_on: date,
    expires_on: date | None = None,
    period_years: int | None = None,
    period_hours: Decimal | None = None,
) -> Certificate:
    record = selectors.access_worker(actor, worker_id, lock=True)
    _check_manage(actor, record.community_id)
    number = _text(number, "number", _("请填写证书编号。"), 50)
    if expires_on is not None and expires_on < issued_on:
        raise ValidationError({"expires_on": _("证书有效期不能早于发证日期。")})
    if issued_on > selectors.today():
        raise ValidationError({"issued_on": _("发证日期不能晚于今天。")})
    if (period_years is None) != (period_hours is None):
        raise ValidationError({"period_hours": _("登记周期与继续教育学时须同时填写。")})
    if Certificate.objects.filter(kind=kind, number=number).exists():
        raise ValidationError({"number": _("该证书编号已登记。")})
    cert = Certificate.objects.create(
        worker=record,
        kind=kind,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        period_years=period_years,
        period_hours=period_hours,
        recorded_by=actor,
    )
    _refresh_certified_until(record)
    audit(actor, "certificate_add", "certificate", cert.pk, f"{record.name} {number}")
    return cert


def alerts_tick(*, day: date | None = None) -> int:
    """到期提醒 at 90/30/7 days before a certificate deadline or expiry, to the worker and the
    community secretary. Idempotent: an alert already sent is not sent again."""
    day = day or selectors.today()
    horizon = day + timedelta(days=max(ALERT_LEADS))
    overdue, due = selectors._compliance_q(day)
    created = 0
    records = WorkerRecord.objects.filter(due).select_related("community")
    secretaries = dict(
        StaffProfile.objects.filter(role=Role.SECRETARY, user__is_active=True)
        .order_by("-pk")
        .values_list("community_id", "user_id")
    )
    for record in records.iterator(chunk_size=500):
        if record.certified_until and day <= record.certified_until <= horizon:
            kind, target = AlertKind.EXPIRY, record.certified_until
        elif record.certificate_deadline and day <= record.certificate_deadline <= horizon:
            kind, target = AlertKind.DEADLINE, record.certificate_deadline
        else:
            continue
        left = (target - day).days
        lead = min(lead for lead in ALERT_LEADS if lead >= left)
        secretary = secretaries.get(record.community_id) if record.community_id else None
        for recipient in {record.user_id, secretary} - {None}:
            _obj, new = Alert.objects.get_or_create(
                worker=record, recipient_id=recipient, kind=kind, target_date=target, lead_days=lead
            )
            created += int(new)
    return created


# ---------------------------------------------------------------- training


@transaction.atomic
def course_create(
    *, actor: Actor, title: str, organiser: str, community: Community | None
) -> Course:
    profile = _profile(actor)
    _check_manage(actor, community.pk if community else None)
    course = Course.objects.create(
        district_id=profile.district_id,
        street_id=community.street_id if community else profile.street_id,
        community=community,
        title=_text(title, "title", _("请填写课程名称。"), 100),
        organiser=_text(organiser, "organiser", _("请填写主办单位。"), 100),
        created_by=actor,
    )
    audit(actor, "course_create", "course", course.pk, course.title)
    return course


@transaction.atomic
def session_add(
    *, actor: Actor, course: Course, day: date, hours: Decimal | str, place: str = ""
) -> TrainingSession:
    _check_manage(actor, course.community_id)
    session = TrainingSession.objects.create(
        course=course, day=day, hours=_hours(hours), place=(place or "").strip()[:100]
    )
    audit(actor, "session_add", "training_session", session.pk, f"{course.title} {day}")
    return session


def _day_hours(record: WorkerRecord, day: date) -> Decimal:
    attended = Attendance.objects.filter(worker=record, session__day=day).aggregate(h=Sum("hours"))[
        "h"
    ]
    external = (
        ExternalTraining.objects.filter(worker=record, day=day)
        .exclude(status=ExternalStatus.REJECTED)
        .aggregate(h=Sum("hours"))["h"]
    )
    return (Decimal(attended or 0) + Decimal(external or 0)).quantize(selectors.TENTH)


def _check_day(record: WorkerRecord, day: date, more: Decimal) -> None:
    already = _day_hours(record, day)
    if already + more > MAX_HOURS_A_DAY:
        raise ValidationError(
            {
                "hours": _(
                    "%(name)s %(day)s 已记 %(had)s 学时，再加 %(more)s 学时将超过一天24小时。"
                )
                % {"name": record.name, "day": day, "had": already, "more": more}
            }
        )


def _credit(record: WorkerRecord, year: int, hours: Decimal) -> None:
    row, _created = TrainingYear.objects.select_for_update(of=("self",)).get_or_create(
        worker=record, year=year
    )
    row.hours += hours
    row.save(update_fields=["hours"])


@transaction.atomic
def attendance_record(
    *, actor: Actor, session_id: int, worker_ids: list[int], hours: Decimal | str | None = None
) -> int:
    """签到: credit each listed worker with the session's hours (or fewer, if they left early).
    All or nothing: one worker over 24 hours that day refuses the whole list."""
    session = selectors.access_session(actor, session_id)
    _check_manage(actor, session.course.community_id)
    credited = _hours(hours) if hours not in (None, "") else session.hours
    if credited > session.hours:
        raise ValidationError({"hours": _("认定学时不能超过该场次的学时。")})
    records = list(
        selectors.workers_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk__in=worker_ids)
        .exclude(attendance__session=session)
    )
    for record in records:
        _check_day(record, session.day, credited)
        Attendance.objects.create(session=session, worker=record, hours=credited, recorded_by=actor)
        _credit(record, session.day.year, credited)
    audit(actor, "attendance_record", "training_session", session.pk, f"{len(records)}人")
    return len(records)


@transaction.atomic
def external_training_submit(
    *, actor: Actor, worker_id: int, title: str, day: date, hours: Decimal | str, evidence: str
) -> ExternalTraining:
    """外部培训: the worker (or their secretary) enters hours with evidence; not credited yet."""
    record = selectors.access_worker(actor, worker_id, lock=True)
    if record.user_id != actor.pk:
        _check_manage(actor, record.community_id)
    amount = _hours(hours)
    if day > selectors.today():
        raise ValidationError({"day": _("培训日期不能晚于今天。")})
    _check_day(record, day, amount)
    entry = ExternalTraining.objects.create(
        worker=record,
        title=_text(title, "title", _("请填写培训名称。"), 100),
        day=day,
        hours=amount,
        evidence=_text(evidence, "evidence", _("外部培训须提供证明材料（证书编号、主办单位等）。")),
        entered_by=actor,
    )
    audit(actor, "external_training_submit", "external_training", entry.pk, entry.title)
    return entry


@transaction.atomic
def external_training_decide(*, actor: Actor, entry_id: int, approve: bool) -> ExternalTraining:
    """认定: someone other than the worker and the person who entered it approves or rejects."""
    entry = selectors.access_external(actor, entry_id, lock=True)
    _check_manage(actor, entry.worker.community_id)
    if actor.pk in (entry.worker.user_id, entry.entered_by_id):
        raise ValidationError(_("外部培训学时须由本人和录入人以外的人员认定。"))
    if entry.status != ExternalStatus.PENDING:
        raise ValidationError(_("该记录已认定过。"))
    entry.status = ExternalStatus.APPROVED if approve else ExternalStatus.REJECTED
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        _credit(entry.worker, entry.day.year, entry.hours)
    audit(actor, "external_training_decide", "external_training", entry.pk, entry.status)
    return entry


# ---------------------------------------------------------------- leave and A/B posts


def _pair_clash(worker: User, starts_on: date, ends_on: date) -> str | None:
    """The other post of any A/B pair the worker is in, if it is away in the same days."""
    for pair in PostPair.objects.filter(a=worker) | PostPair.objects.filter(b=worker):
        other_id = pair.b_id if pair.a_id == worker.pk else pair.a_id
        clash = overlapping(other_id, starts_on, ends_on).first()
        if clash is not None:
            other = staff_profile(pair.b if pair.a_id == worker.pk else pair.a)
            return _(
                "%(post)s的%(side)s岗%(name)s在 %(start)s 至 %(end)s 也请假，"
                "A、B岗不能同时离岗，请调整日期或先调整AB岗。"
            ) % {
                "post": pair.post,
                "side": "B" if pair.a_id == worker.pk else "A",
                "name": other.display_name if other else "",
                "start": clash.starts_on,
                "end": clash.ends_on,
            }
    return None


@transaction.atomic
def leave_record(
    *,
    actor: Actor,
    worker: User,
    starts_on: date,
    ends_on: date,
    kind: str,
    note: str = "",
) -> Leave:
    """请假: the worker's own leave, or one the secretary enters. While it runs the B post
    holds the worker's cases (derived at read time, nothing is rewritten)."""
    target = staff_profile(worker)
    if target is None or target.community is None or not access.has_role(target, COMMUNITY_ROLES):
        raise ValidationError({"worker": _("只能为社区工作人员登记请假。")})
    if worker.pk != actor.pk:
        _check_manage(actor, target.community_id)
    if kind not in LeaveKind.values:
        raise ValidationError({"kind": _("未知的请假类型。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if (ends_on - starts_on).days > 366:
        raise ValidationError({"ends_on": _("单次请假不能超过一年。")})
    # Both posts' profiles are locked so two leaves entered at once cannot both pass the check.
    pair_ids = set(PostPair.objects.filter(a=worker).values_list("b_id", flat=True)) | set(
        PostPair.objects.filter(b=worker).values_list("a_id", flat=True)
    )
    list(
        StaffProfile.objects.select_for_update(of=("self",))
        .filter(user_id__in={worker.pk, *pair_ids})
        .order_by("pk")
    )
    if overlapping(worker.pk, starts_on, ends_on).exists():
        raise ValidationError(_("该工作人员在这段时间已有请假记录。"))
    clash = _pair_clash(worker, starts_on, ends_on)
    if clash:
        raise ValidationError(clash)
    leave = Leave.objects.create(
        worker=worker,
        community=target.community,
        starts_on=starts_on,
        ends_on=ends_on,
        kind=kind,
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    audit(actor, "leave_record", "leave", leave.pk, f"{target.display_name} {starts_on}~{ends_on}")
    return leave


@transaction.atomic
def leave_end(*, actor: Actor, leave_id: int, on: date | None = None) -> Leave:
    """销假: A is back; from `on` the cases are A's again (an unstarted leave is cancelled)."""
    leave = selectors.access_leave(actor, leave_id, lock=True)
    if leave.worker_id != actor.pk:
        _check_manage(actor, leave.community_id)
    day = on or selectors.today()
    if leave.cancelled_at is not None or leave.ends_on < day:
        raise ValidationError(_("该请假已结束。"))
    if day <= leave.starts_on:
        leave.cancelled_at = timezone.now()
        leave.save(update_fields=["cancelled_at"])
    else:
        leave.ends_on = day - timedelta(days=1)
        leave.save(update_fields=["ends_on"])
    audit(actor, "leave_end", "leave", leave.pk, str(day))
    return leave


@transaction.atomic
def stationed_set(
    *, actor: Actor, worker: User, community: Community, items: list[ServiceItem]
) -> StationedStaff:
    """下沉: a street service-hall worker sits at this community's desk for these items."""
    _profile(actor)
    target = staff_profile(worker)
    access.require(actor, "workforce.station", _("只有街道或区级管理员可以安排下沉人员。"))
    access.check_in_area(actor, community)
    if (
        target is None
        or not access.is_role(target, Role.STREET)
        or target.street_id != community.street_id
    ):
        raise ValidationError({"worker": _("下沉人员须为本街道服务大厅的工作人员。")})
    row, _created = StationedStaff.objects.select_for_update(of=("self",)).get_or_create(
        worker=worker, community=community
    )
    row.active = True
    row.save(update_fields=["active"])
    row.items.set(items)
    audit(actor, "stationed_set", "stationed_staff", row.pk, f"{community.name} {len(items)}项")
    return row


# ---------------------------------------------------------------- departments on site


def _case_in(actor: Actor, case_id: int, community: Community) -> Case:
    case = Case.objects.filter(
        pk=case_id, community=community, community__in=communities_for(actor)
    ).first()
    if case is None:
        raise ValidationError({"cases": _("所选事项不存在或不属于该社区。")})
    return case


@transaction.atomic
def onsite_request(
    *,
    actor: Actor,
    community: Community,
    department: Department,
    topic: str,
    case_ids: list[int],
    slots: list[tuple[datetime, datetime]],
    now: datetime | None = None,
) -> OnSiteSession:
    """约请职能部门现场办公: the secretary or the street invites a department to the station."""
    _profile(actor)
    access.require(actor, "workforce.onsite_request", _("只有书记或街道可以约请职能部门现场办公。"))
    access.check_in_area(actor, community)
    if department.district_id != community.street.district_id:
        raise ValidationError({"department": _("请选择本区的职能部门。")})
    topic = _text(topic, "topic", _("请填写现场办公议题。"))
    if not case_ids:
        raise ValidationError({"cases": _("请至少关联一件事项。")})
    if not slots:
        raise ValidationError({"slots": _("请至少提出一个时段。")})
    at = now or timezone.now()
    for start, end in slots:
        if end <= start:
            raise ValidationError({"slots": _("时段的结束时间须晚于开始时间。")})
        if start < at:
            raise ValidationError({"slots": _("提出的时段不能早于现在。")})
    cases = [_case_in(actor, cid, community) for cid in dict.fromkeys(case_ids)]
    session = OnSiteSession.objects.create(
        community=community, department=department, topic=topic, requested_by=actor, requested_at=at
    )
    OnSiteSlot.objects.bulk_create(
        [OnSiteSlot(session=session, starts_at=s, ends_at=e) for s, e in slots]
    )
    for case in cases:
        OnSiteCase.objects.create(session=session, case=case)
        case_note_add(
            actor=actor,
            case_id=case.pk,
            note=_("约请%(dept)s现场办公：%(topic)s") % {"dept": department.name, "topic": topic},
            now=at,
            source="onsite",
            session=session.pk,
        )
    audit(actor, "onsite_request", "onsite_session", session.pk, topic)
    return session


@transaction.atomic
def onsite_accept(*, actor: Actor, session_id: int, slot_id: int) -> OnSiteSession:
    """The department picks one of the proposed slots; the session goes on the public schedule."""
    _profile(actor)
    session = selectors.access_onsite(actor, session_id, lock=True)
    access.require(actor, "workforce.onsite_accept", _("只有受邀职能部门可以确认时段。"))
    if session.status != SessionStatus.REQUESTED:
        raise ValidationError(_("该现场办公已确认或已结束。"))
    slot = session.slots.filter(pk=slot_id).first()
    if slot is None:
        raise ValidationError({"slot": _("请选择社区提出的时段之一。")})
    session.status = SessionStatus.ACCEPTED
    session.accepted_slot = slot
    session.accepted_by = actor
    session.save(update_fields=["status", "accepted_slot", "accepted_by"])
    audit(actor, "onsite_accept", "onsite_session", session.pk, f"{slot.starts_at:%Y-%m-%d %H:%M}")
    return session


@transaction.atomic
def onsite_outcome(
    *, actor: Actor, session_id: int, case_id: int, outcome: str, now: datetime | None = None
) -> OnSiteCase:
    """The outcome for one linked case, written on that case's timeline; when every linked
    case has one, the session is held (已办结)."""
    session = selectors.access_onsite(actor, session_id, lock=True)
    if session.status != SessionStatus.ACCEPTED:
        raise ValidationError(_("现场办公确认时段后才能记录结果。"))
    link = session.links.select_for_update(of=("self",)).filter(case_id=case_id).first()
    if link is None:
        raise ValidationError({"case": _("该事项未关联到本次现场办公。")})
    if link.outcome:
        raise ValidationError({"case": _("该事项的现场办公结果已记录。")})
    outcome = _text(outcome, "outcome", _("请填写办理结果。"), 2000)
    at = now or timezone.now()
    case_note_add(
        actor=actor,
        case_id=case_id,
        note=_("%(dept)s现场办公结果：%(outcome)s")
        % {"dept": session.department.name, "outcome": outcome},
        now=at,
        source="onsite",
        session=session.pk,
    )
    link.outcome, link.outcome_by, link.outcome_at = outcome, actor, at
    link.save(update_fields=["outcome", "outcome_by", "outcome_at"])
    if not session.links.filter(outcome="").exists():
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
    return link


@transaction.atomic
def video_book(
    *,
    actor: Actor,
    case_id: int,
    starts_at: datetime,
    ends_at: datetime,
    topic: str,
    now: datetime | None = None,
) -> VideoAppointment:
    """视频连线: book the street affairs centre's video line for a case; one booking per
    community at a time."""
    _profile(actor)
    access.require(actor, "workforce.video", _("职能部门人员不能预约视频连线。"))
    case = access.access_object(actor, Case, case_id)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
    at = now or timezone.now()
    if starts_at < at:
        raise ValidationError({"starts_at": _("预约时间不能早于现在。")})
    list(Community.objects.select_for_update(of=("self",)).filter(pk=case.community_id))
    if VideoAppointment.objects.filter(
        community_id=case.community_id,
        status="booked",
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exists():
        raise ValidationError({"starts_at": _("该时段本社区已有视频连线预约，请另选时段。")})
    topic = _text(topic, "topic", _("请填写连线事项。"), 100)
    booking = VideoAppointment.objects.create(
        case=case,
        community_id=case.community_id,
        starts_at=starts_at,
        ends_at=ends_at,
        topic=topic,
        booked_by=actor,
    )
    local = timezone.localtime(starts_at)
    case_note_add(
        actor=actor,
        case_id=case.pk,
        note=_("预约与街道事务受理中心视频连线：%(topic)s，%(at)s")
        % {"topic": topic, "at": f"{local:%Y-%m-%d %H:%M}"},
        now=at,
        source="video",
        booking=booking.pk,
    )
    return booking
