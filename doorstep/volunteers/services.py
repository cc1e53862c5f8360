"""Writes for self-organisations and volunteering. Each function checks who acts, runs in one
transaction, locks the shift (or activity) row where two people can act at once, and writes
one `VolunteerEvent`.

Staff act as `actor`; a volunteer acts on the portal as themselves (their `Volunteer`, found
from the resident's 居民码). Hours posted to the certificate go through
`certificates.services.volunteer_record_add`, the one writer of volunteer records.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.bookings.models import Facility
from doorstep.certificates.services import volunteer_record_add
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Community
from doorstep.places.selectors import communities_for, residents_visible_to

from .choices import EventKind, MemberRole, SignUpStatus, TeamKind
from .models import (
    Activity,
    HourCorrection,
    MarketSeries,
    MarketService,
    Membership,
    Shift,
    SignUp,
    Team,
    Volunteer,
    VolunteerEvent,
)

CHECK_IN_EARLY = timedelta(minutes=30)  # 签到最早在班次开始前 30 分钟
CHECK_OUT_LATE = timedelta(hours=2)  # 签退最晚在班次结束后 2 小时
MAX_MINUTES = 24 * 60
HOLDING = (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _event(
    community_id: int,
    kind: str,
    actor: Actor | None,
    at: datetime,
    *,
    activity: Activity | None = None,
    signup: SignUp | None = None,
    note: str = "",
) -> VolunteerEvent:
    return VolunteerEvent.objects.create(
        community_id=community_id,
        kind=kind,
        actor=actor,
        activity=activity,
        signup=signup,
        note=note[:300],
        at=at,
    )


def _organiser(actor: Actor, community_id: int) -> Community:
    """The community, if the actor is community staff there (the organiser's desk)."""
    access.require(actor, "volunteers.organise", _("只有社区工作人员可以组织志愿活动。"))
    return communities_for(actor).get(pk=community_id)


def _text(value: str, key: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({key: message})
    return value[:limit]


# ---------------------------------------------------------------- teams and volunteers


@transaction.atomic
def volunteer_register(
    *, actor: Actor, resident_id: int, skills: str = "", today: date | None = None
) -> Volunteer:
    """登记志愿者 for a resident of the actor's area (once per resident)."""
    at = _now(None)
    resident = residents_visible_to(actor).get(pk=resident_id)
    _organiser(actor, resident.community_id)
    if Volunteer.objects.filter(resident=resident).exists():
        raise ValidationError(_("%(n)s 已登记为志愿者。") % {"n": resident.name})
    cleaned = "、".join(
        s.strip() for s in skills.replace(",", "、").replace("，", "、").split("、") if s.strip()
    )
    volunteer = Volunteer.objects.create(
        resident=resident,
        community_id=resident.community_id,
        skills=cleaned[:200],
        joined_on=today or timezone.localdate(at),
    )
    _event(resident.community_id, EventKind.VOLUNTEER_REGISTERED, actor, at, note=resident.name)
    return volunteer


@dataclass(frozen=True)
class TeamData:
    community_id: int
    name: str
    kind: str
    description: str = ""
    facility_id: int | None = None
    founded_on: date | None = None


@transaction.atomic
def team_create(*, actor: Actor, data: TeamData) -> Team:
    """设立自组织 — a volunteer team, mutual-help group or interest club."""
    at = _now(None)
    community = _organiser(actor, data.community_id)
    name = _text(data.name, "name", _("请填写团队名称。"), 100)
    if data.kind not in TeamKind.values:
        raise ValidationError({"kind": _("未知的团队类型。")})
    facility = None
    if data.facility_id is not None:
        facility = Facility.objects.filter(pk=data.facility_id, community=community).first()
        if facility is None:
            raise ValidationError({"facility": _("所选场地不在本社区。")})
    if Team.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("本社区已有同名团队。")})
    team = Team.objects.create(
        community=community,
        name=name,
        kind=data.kind,
        description=data.description.strip()[:300],
        facility=facility,
        founded_on=data.founded_on or timezone.localdate(at),
    )
    _event(community.pk, EventKind.TEAM_SAVED, actor, at, note=name)
    return team


@transaction.atomic
def team_member_add(
    *, actor: Actor, team_id: int, volunteer_id: int, leader: bool = False
) -> Membership:
    """加入团队; a new leader takes over from the old one (one leader per team)."""
    at = _now(None)
    team = Team.objects.select_for_update().get(pk=team_id, community__in=communities_for(actor))
    _organiser(actor, team.community_id)
    volunteer = Volunteer.objects.select_related("resident").get(
        pk=volunteer_id, community=team.community_id
    )
    if Membership.objects.filter(team=team, volunteer=volunteer).exists():
        raise ValidationError(_("%(n)s 已是该团队成员。") % {"n": volunteer.resident.name})
    if leader:
        Membership.objects.filter(team=team, role=MemberRole.LEADER).update(role=MemberRole.MEMBER)
    membership = Membership.objects.create(
        team=team,
        volunteer=volunteer,
        role=MemberRole.LEADER if leader else MemberRole.MEMBER,
        joined_on=timezone.localdate(at),
    )
    note = f"{team.name}：{volunteer.resident.name}" + (_("（负责人）") if leader else "")
    _event(team.community_id, EventKind.MEMBER_ADDED, actor, at, note=note)
    return membership


# ---------------------------------------------------------------- activities and shifts


@dataclass(frozen=True)
class ShiftData:
    role: str
    starts_at: datetime
    ends_at: datetime
    spots: int


@dataclass(frozen=True)
class ActivityData:
    community_id: int
    title: str
    content: str
    place: str
    starts_at: datetime
    ends_at: datetime
    shifts: list[ShiftData] = field(default_factory=list)
    team_id: int | None = None
    organiser: str = ""


def _activity_new(
    actor: Actor,
    community: Community,
    data: ActivityData,
    at: datetime,
    market: MarketSeries | None,
) -> Activity:
    title = _text(data.title, "title", _("请填写活动名称。"), 100)
    content = _text(data.content, "content", _("请填写服务内容。"), 300)
    place = _text(data.place, "place", _("请填写服务地点。"), 200)
    if data.ends_at <= data.starts_at:
        raise ValidationError({"ends_at": _("活动结束时间须晚于开始时间。")})
    if not data.shifts:
        raise ValidationError({"shifts": _("请至少设置一个岗位班次。")})
    team = None
    if data.team_id is not None:
        team = Team.objects.filter(pk=data.team_id, community=community).first()
        if team is None:
            raise ValidationError({"team": _("所选团队不在本社区。")})
    for shift in data.shifts:
        if not shift.role.strip():
            raise ValidationError({"shifts": _("请填写岗位名称。")})
        if not data.starts_at <= shift.starts_at < shift.ends_at <= data.ends_at:
            raise ValidationError(
                {"shifts": _("班次“%(r)s”须在活动时间之内。") % {"r": shift.role}}
            )
        if not 1 <= shift.spots <= 500:
            raise ValidationError({"shifts": _("每个班次名额须在 1 到 500 之间。")})
    activity = Activity.objects.create(
        community=community,
        team=team,
        market=market,
        title=title,
        content=content,
        place=place,
        organiser=(data.organiser.strip() or (team.name if team else community.name))[:100],
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        checkin_token=secrets.token_urlsafe(18),
        created_by=actor,
        created_at=at,
    )
    Shift.objects.bulk_create(
        Shift(
            activity=activity,
            role=s.role.strip()[:50],
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            spots=s.spots,
        )
        for s in data.shifts
    )
    return activity


@transaction.atomic
def activity_create(*, actor: Actor, data: ActivityData, now: datetime | None = None) -> Activity:
    """发布活动 with its shifts (岗位、时间、名额)."""
    at = _now(now)
    community = _organiser(actor, data.community_id)
    activity = _activity_new(actor, community, data, at, None)
    _event(
        community.pk, EventKind.ACTIVITY_CREATED, actor, at, activity=activity, note=activity.title
    )
    return activity


def _nth_weekday(year: int, month: int, week: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


@dataclass(frozen=True)
class MarketData:
    community_id: int
    title: str
    place: str
    week_of_month: int
    weekday: int
    starts_at: time
    ends_at: time
    services: list[tuple[str, int | None, int]]  # (服务, 最低年龄, 志愿者岗位数)
    team_id: int | None = None


def _market_check(data: MarketData, months: int) -> None:
    if not 1 <= months <= 12:
        raise ValidationError({"months": _("一次最多排定 12 个月。")})
    if not (1 <= data.week_of_month <= 4 and 0 <= data.weekday <= 6):
        raise ValidationError({"weekday": _("请选择每月第几周的星期几。")})
    if data.ends_at <= data.starts_at:
        raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
    if not data.services:
        raise ValidationError({"services": _("请至少设置一项服务。")})


def _market_days(data: MarketData, months: int, at: datetime) -> list[date]:
    """The market's day in each of the next `months` months, from this one, skipping this
    month's when it has already begun."""
    today = timezone.localdate(at)
    year, month = today.year, today.month
    days: list[date] = []
    while len(days) < months:
        day = _nth_weekday(year, month, data.week_of_month, data.weekday)
        if timezone.make_aware(datetime.combine(day, data.starts_at)) > at:
            days.append(day)
        month = month % 12 + 1
        year += 1 if month == 1 else 0
    return days


def _market_activity(
    actor: Actor, series: MarketSeries, data: MarketData, day: date, at: datetime
) -> None:
    """One month's market: an ordinary activity with one shift per service."""
    start = timezone.make_aware(datetime.combine(day, data.starts_at))
    end = timezone.make_aware(datetime.combine(day, data.ends_at))
    services = "、".join(
        n + (_("（%(a)s岁以上）") % {"a": a} if a else "") for n, a, _s in data.services
    )
    _activity_new(
        actor,
        series.community,
        ActivityData(
            community_id=series.community_id,
            title=f"{series.title}（{day:%m月}）",
            content=_("公益市集志愿服务：%(s)s") % {"s": services},
            place=series.place,
            starts_at=start,
            ends_at=end,
            shifts=[ShiftData(n, start, end, s) for n, _a, s in data.services],
            team_id=data.team_id,
        ),
        at,
        series,
    )


@transaction.atomic
def market_schedule(
    *, actor: Actor, data: MarketData, months: int, now: datetime | None = None
) -> MarketSeries:
    """公益市集: a monthly activity whose shifts are its services (免费修鞋、理发、针灸 …); the
    next `months` months are scheduled at once, each an ordinary activity volunteers sign up for."""
    at = _now(now)
    community = _organiser(actor, data.community_id)
    _market_check(data, months)
    series = MarketSeries.objects.create(
        community=community,
        team_id=data.team_id,
        title=_text(data.title, "title", _("请填写市集名称。"), 100),
        place=_text(data.place, "place", _("请填写地点。"), 200),
        week_of_month=data.week_of_month,
        weekday=data.weekday,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
    )
    MarketService.objects.bulk_create(
        MarketService(series=series, name=name[:50], min_age=age, spots=spots)
        for name, age, spots in data.services
    )
    for day in _market_days(data, months, at):
        _market_activity(actor, series, data, day, at)
    _event(
        community.pk,
        EventKind.MARKET_SCHEDULED,
        actor,
        at,
        note=_("%(t)s：排定 %(n)s 个月") % {"t": series.title, "n": months},
    )
    return series


# ---------------------------------------------------------------- sign-up and waitlist


def _shift_locked(shift_id: int) -> Shift:
    return Shift.objects.select_for_update().select_related("activity").get(pk=shift_id)


def _volunteer_for(actor: Actor | None, volunteer: Volunteer, community_id: int) -> None:
    if actor is not None:
        _organiser(actor, community_id)
    if volunteer.community_id != community_id:
        raise ValidationError(_("只能报名本社区的志愿活动。"))


@transaction.atomic
def signup_create(
    *, volunteer: Volunteer, shift_id: int, actor: Actor | None = None, now: datetime | None = None
) -> SignUp:
    """报名: a spot while there is one, otherwise the waitlist (候补), promoted in order."""
    at = _now(now)
    shift = _shift_locked(shift_id)
    _volunteer_for(actor, volunteer, shift.activity.community_id)
    if shift.starts_at <= at:
        raise ValidationError(_("该班次已经开始，不能再报名。"))
    existing = SignUp.objects.filter(shift=shift, volunteer=volunteer).first()
    if existing is not None and existing.status in HOLDING:
        raise ValidationError(_("您已报名该班次。"))
    taken = SignUp.objects.filter(shift=shift, status=SignUpStatus.CONFIRMED).count()
    status = SignUpStatus.CONFIRMED if taken < shift.spots else SignUpStatus.WAITLISTED
    if existing is not None:
        existing.status, existing.created_at = status, at
        existing.save(update_fields=["status", "created_at"])
        signup = existing
    else:
        try:
            with transaction.atomic():
                signup = SignUp.objects.create(
                    shift=shift, volunteer=volunteer, status=status, created_at=at
                )
        except IntegrityError:
            raise ValidationError(_("您已报名该班次。")) from None
    note = shift.role + (_("（候补）") if status == SignUpStatus.WAITLISTED else "")
    _event(
        shift.activity.community_id,
        EventKind.SIGNED_UP,
        actor,
        at,
        activity=shift.activity,
        signup=signup,
        note=note,
    )
    return signup


@transaction.atomic
def signup_cancel(
    *,
    signup_id: int,
    volunteer: Volunteer | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> SignUp:
    """取消报名; the first on the waitlist takes the freed spot (递补)."""
    at = _now(now)
    shift_id = SignUp.objects.values_list("shift_id", flat=True).get(pk=signup_id)
    shift = _shift_locked(shift_id)
    signup = SignUp.objects.select_for_update().get(pk=signup_id)
    if volunteer is not None and signup.volunteer_id != volunteer.pk:
        raise SignUp.DoesNotExist
    if actor is not None:
        _organiser(actor, shift.activity.community_id)
    elif volunteer is None:
        raise PermissionDenied
    if signup.status not in HOLDING:
        raise ValidationError(_("该报名已取消或已标记未到。"))
    if shift.starts_at <= at:
        raise ValidationError(_("班次已经开始，不能取消；未到请由组织者标记。"))
    was_confirmed = signup.status == SignUpStatus.CONFIRMED
    signup.status = SignUpStatus.CANCELLED
    signup.save(update_fields=["status"])
    _event(
        shift.activity.community_id,
        EventKind.CANCELLED,
        actor,
        at,
        activity=shift.activity,
        signup=signup,
    )
    if was_confirmed:
        first = (
            SignUp.objects.select_for_update()
            .filter(shift=shift, status=SignUpStatus.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.status = SignUpStatus.CONFIRMED
            first.save(update_fields=["status"])
            _event(
                shift.activity.community_id,
                EventKind.PROMOTED,
                None,
                at,
                activity=shift.activity,
                signup=first,
                note=shift.role,
            )
    return signup


# ---------------------------------------------------------------- check-in/out and hours


def served_minutes(shift: Shift, checked_in: datetime, checked_out: datetime) -> int:
    """Minutes served, to the minute, within the shift: arriving early or leaving late is
    travel and waiting (不含往返); real overtime is added by the organiser with a reason."""
    start = max(checked_in, shift.starts_at)
    end = min(checked_out, shift.ends_at)
    return max(0, int((end - start).total_seconds() // 60))


def _window_text(shift: Shift) -> str:
    start = _local(shift.starts_at - CHECK_IN_EARLY)
    return f"{start:%m-%d %H:%M}–{_local(shift.ends_at):%H:%M}"


@transaction.atomic
def checkin_scan(*, volunteer: Volunteer, token: str, now: datetime | None = None) -> SignUp:
    """The volunteer scans the QR code shown at the venue. The first scan checks in, the
    second checks out. The code belongs to one activity: a sign-up for another activity, or a
    scan outside the shift's window, is refused."""
    at = _now(now)
    activity = Activity.objects.filter(checkin_token=token).first() if token else None
    if activity is None:
        raise ValidationError(_("签到码无效，请扫描活动现场的二维码。"))
    signups = list(
        SignUp.objects.select_for_update()
        .select_related("shift")
        .filter(volunteer=volunteer, status=SignUpStatus.CONFIRMED)
        .filter(
            shift__activity__starts_at__lte=at + timedelta(days=1),
            shift__activity__ends_at__gte=at - timedelta(days=1),
        )
    )
    mine = [s for s in signups if s.shift.activity_id == activity.pk]
    if not mine:
        other = next((s for s in signups if s.shift.activity_id != activity.pk), None)
        if other is not None:
            raise ValidationError(
                _("这是“%(this)s”的签到码，您报名的是“%(other)s”，请到对应活动现场签到。")
                % {"this": activity.title, "other": other.shift.activity.title}
            )
        raise ValidationError(_("您没有报名“%(t)s”，不能签到。") % {"t": activity.title})
    signup = next(
        (s for s in mine if s.checked_in_at is not None and s.checked_out_at is None), None
    )
    if signup is not None:
        if at > signup.shift.ends_at + CHECK_OUT_LATE:
            raise ValidationError(_("已超过签退时间，请联系组织者补登时长。"))
        signup.checked_out_at = at
        signup.minutes = served_minutes(signup.shift, signup.checked_in_at or at, at)
        signup.save(update_fields=["checked_out_at", "minutes"])
        kind = EventKind.CHECKED_OUT
    else:
        open_ = [
            s
            for s in mine
            if s.checked_in_at is None
            and s.shift.starts_at - CHECK_IN_EARLY <= at < s.shift.ends_at
        ]
        if not open_:
            if all(s.checked_out_at is not None for s in mine):
                raise ValidationError(_("您已签到并签退，本次服务时长已记录。"))
            raise ValidationError(
                _("不在签到时间内：“%(t)s”可签到时间为 %(w)s。")
                % {"t": activity.title, "w": "；".join(_window_text(s.shift) for s in mine)}
            )
        signup = open_[0]
        signup.checked_in_at = at
        signup.save(update_fields=["checked_in_at"])
        kind = EventKind.CHECKED_IN
    _event(activity.community_id, kind, None, at, activity=activity, signup=signup)
    return signup


@transaction.atomic
def hours_claim(
    *, volunteer: Volunteer, signup_id: int, minutes: int, note: str, now: datetime | None = None
) -> SignUp:
    """补登: a volunteer who served but could not scan logs their own minutes; the organiser
    confirms them with a correction before they count."""
    at = _now(now)
    signup = (
        SignUp.objects.select_for_update()
        .select_related("shift__activity")
        .get(pk=signup_id, volunteer=volunteer)
    )
    if signup.shift.starts_at > at:
        raise ValidationError(_("班次开始后才能补登时长。"))
    if signup.status != SignUpStatus.CONFIRMED or signup.record_id is not None:
        raise ValidationError(_("该报名不能补登时长。"))
    shift_minutes = int((signup.shift.ends_at - signup.shift.starts_at).total_seconds() // 60)
    if not 1 <= minutes <= shift_minutes:
        raise ValidationError(
            {"minutes": _("补登时长须在 1 到 %(n)s 分钟之间（班次时长）。") % {"n": shift_minutes}}
        )
    signup.claimed_minutes = minutes
    signup.claim_note = _text(note, "note", _("请说明补登原因。"), 200)
    signup.save(update_fields=["claimed_minutes", "claim_note"])
    _event(
        signup.shift.activity.community_id,
        EventKind.CLAIMED,
        None,
        at,
        activity=signup.shift.activity,
        signup=signup,
        note=f"{minutes} 分钟：{signup.claim_note}",
    )
    return signup


def _signup_for_organiser(actor: Actor, signup_id: int) -> SignUp:
    signup = (
        SignUp.objects.select_for_update()
        .select_related("shift__activity")
        .get(pk=signup_id, shift__activity__community__in=communities_for(actor))
    )
    _organiser(actor, signup.shift.activity.community_id)
    return signup


@transaction.atomic
def hours_correct(
    *, actor: Actor, signup_id: int, minutes: int, reason: str, now: datetime | None = None
) -> HourCorrection:
    """更正时长 by the organiser: a reason is required and the change is kept in the trail."""
    at = _now(now)
    signup = _signup_for_organiser(actor, signup_id)
    reason = _text(reason, "reason", _("更正时长须填写理由。"), 200)
    if not 0 <= minutes <= MAX_MINUTES:
        raise ValidationError({"minutes": _("时长须在 0 到 1440 分钟之间。")})
    if signup.record_id is not None:
        raise ValidationError(_("时长已记入志愿服务记录，不能再更正。"))
    if signup.status not in (SignUpStatus.CONFIRMED, SignUpStatus.NO_SHOW):
        raise ValidationError(_("该报名已取消，不能更正时长。"))
    correction = HourCorrection.objects.create(
        signup=signup,
        minutes_before=signup.minutes,
        minutes_after=minutes,
        reason=reason,
        actor=actor,
        at=at,
    )
    signup.minutes = minutes
    signup.claimed_minutes = None
    if signup.status == SignUpStatus.NO_SHOW and minutes > 0:
        signup.status = SignUpStatus.CONFIRMED
    signup.save(update_fields=["minutes", "claimed_minutes", "status"])
    _event(
        signup.shift.activity.community_id,
        EventKind.CORRECTED,
        actor,
        at,
        activity=signup.shift.activity,
        signup=signup,
        note=f"{correction.minutes_before}→{minutes} 分钟：{reason}",
    )
    return correction


@transaction.atomic
def signup_mark_no_show(*, actor: Actor, signup_id: int, now: datetime | None = None) -> SignUp:
    """标记未到 — once the shift has started, for a confirmed volunteer who did not check in."""
    at = _now(now)
    signup = _signup_for_organiser(actor, signup_id)
    if signup.shift.starts_at > at:
        raise ValidationError(_("班次开始后才能标记未到。"))
    if signup.status != SignUpStatus.CONFIRMED or signup.checked_in_at is not None:
        raise ValidationError(_("只有已报名且未签到的志愿者可以标记未到。"))
    signup.status = SignUpStatus.NO_SHOW
    signup.save(update_fields=["status"])
    _event(
        signup.shift.activity.community_id,
        EventKind.NO_SHOW,
        actor,
        at,
        activity=signup.shift.activity,
        signup=signup,
    )
    return signup


def minutes_to_hours(minutes: int) -> Decimal:
    """The certificate's record keeps hours to 0.1 (at least 0.1 for any time served)."""
    hours = (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return max(hours, Decimal("0.1"))


@transaction.atomic
def activity_hours_post(*, actor: Actor, activity_id: int, now: datetime | None = None) -> int:
    """确认时长: after the activity, post every served sign-up's hours to the volunteer record
    the 志愿服务证明 is made from. Unconfirmed self-claims hold the posting back."""
    at = _now(now)
    activity = Activity.objects.select_for_update().get(
        pk=activity_id, community__in=communities_for(actor)
    )
    _organiser(actor, activity.community_id)
    if activity.ends_at > at:
        raise ValidationError(_("活动结束后才能确认时长。"))
    signups = list(
        SignUp.objects.select_for_update()
        .select_related("shift", "volunteer")
        .filter(shift__activity=activity, status=SignUpStatus.CONFIRMED, record__isnull=True)
    )
    pending = [s for s in signups if s.claimed_minutes is not None]
    if pending:
        raise ValidationError(
            _("还有 %(n)s 条自报时长待审核，请先更正确认。") % {"n": len(pending)}
        )
    still_in = SignUp.objects.filter(
        pk__in=[s.pk for s in signups],
        checked_in_at__isnull=False,
        checked_out_at__isnull=True,
        corrections__isnull=True,
    ).count()
    if still_in:
        raise ValidationError(_("还有 %(n)s 人已签到未签退，请先更正其时长。") % {"n": still_in})
    posted = 0
    day = timezone.localdate(activity.starts_at)
    for signup in signups:
        if signup.minutes <= 0:
            continue
        signup.record = volunteer_record_add(
            actor=actor,
            resident_id=signup.volunteer.resident_id,
            day=day,
            activity=f"{activity.title}（{signup.shift.role}）"[:100],
            hours=str(minutes_to_hours(signup.minutes)),
            today=timezone.localdate(at),
        )
        signup.save(update_fields=["record"])
        posted += 1
    activity.hours_posted_at = at
    activity.save(update_fields=["hours_posted_at"])
    _event(
        activity.community_id,
        EventKind.POSTED,
        actor,
        at,
        activity=activity,
        note=_("%(n)s 人的时长记入志愿服务记录") % {"n": posted},
    )
    return posted
