"""Writes for facilities and bookings. Every function checks who is acting first, runs in one
transaction, locks the facility row before it looks for overlaps (so two people can never hold
the same slot, on SQLite or PostgreSQL) and writes one `BookingEvent`.

A booking is made by a `Booker`: a resident on the portal (identified by their 居民码), or a
staff member on behalf of a resident or a group.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.models import AuditEntry
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Resident
from doorstep.places.selectors import communities_for, residents_visible_to

from .choices import (
    HOLDING,
    BookingChannel,
    BookingStatus,
    EventKind,
    FacilityKind,
    WaitStatus,
    WhoMayBook,
)
from .models import Booking, BookingEvent, BookingSeries, Facility, ResidentPass, WaitlistEntry
from .selectors import pass_code_hash

NO_SHOW_AFTER = timedelta(minutes=15)  # 预约开始 15 分钟未到场即释放
CHECK_IN_EARLY = timedelta(minutes=15)
OFFER_HOLD = timedelta(minutes=30)  # 候补空位保留 30 分钟
MAX_SEASON_DAYS = 200
PASS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Booker:
    """Who books: a staff member (`actor`) and/or a resident; a group when `group_name` is set."""

    actor: Actor | None = None
    resident: Resident | None = None
    group_name: str = ""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    facility: Facility,
    kind: str,
    actor: Actor | None,
    at: datetime,
    *,
    booking: Booking | None = None,
    series: BookingSeries | None = None,
    note: str = "",
) -> BookingEvent:
    return BookingEvent.objects.create(
        facility=facility,
        booking=booking,
        series=series,
        kind=kind,
        actor=actor,
        note=note[:300],
        at=at,
    )


def _staff_check(actor: Actor) -> None:
    access.require(actor, "bookings.desk", _("您的岗位不能办理场地预约。"))


def _facility_locked(actor: Actor | None, facility_id: int) -> Facility:
    """The facility row, locked for the rest of the transaction. Staff see only their area's
    facilities (another area's facility does not exist for them)."""
    qs = Facility.objects.select_for_update()
    if actor is not None:
        qs = qs.filter(community__in=communities_for(actor))
    return qs.get(pk=facility_id)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _fmt(moment: datetime) -> str:
    return f"{_local(moment):%m-%d %H:%M}"


def check_slot_rules(
    facility: Facility, starts_at: datetime, ends_at: datetime, now: datetime
) -> None:
    """Opening hours, length and 'not in the past' — the rules every slot obeys."""
    start, end = _local(starts_at), _local(ends_at)
    if end <= start:
        raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
    if start.date() != end.date():
        raise ValidationError({"ends_at": _("预约不能跨天。")})
    if start.time() < facility.opens_at or end.time() > facility.closes_at:
        raise ValidationError(
            _("%(name)s 开放时间为 %(o)s–%(c)s，所选时段不在开放时间内。")
            % {
                "name": facility.name,
                "o": facility.opens_at.strftime("%H:%M"),
                "c": facility.closes_at.strftime("%H:%M"),
            }
        )
    minutes = int((end - start).total_seconds() // 60)
    if minutes < facility.min_minutes or minutes > facility.max_minutes:
        raise ValidationError(
            _("每次预约时长须在 %(a)s 到 %(b)s 分钟之间。")
            % {"a": facility.min_minutes, "b": facility.max_minutes}
        )
    if starts_at <= now:
        raise ValidationError(_("不能预约已经开始或已经过去的时段。"))


def _check_resident_rules(
    facility: Facility, resident: Resident, starts_at: datetime, now: datetime
) -> None:
    if not facility.active:
        raise ValidationError(_("该场地暂停预约。"))
    if facility.who_may_book == WhoMayBook.GROUPS:
        raise ValidationError(_("该场地只接受团体预约，请联系社区工作人员。"))
    if (
        facility.who_may_book == WhoMayBook.COMMUNITY
        and resident.community_id != facility.community_id
    ):
        raise ValidationError(_("该场地仅供本社区居民预约。"))
    day = _local(starts_at).date()
    last = timezone.localdate(now) + timedelta(days=facility.advance_days)
    if day > last:
        raise ValidationError(
            _("最多只能提前 %(n)s 天预约（最晚 %(d)s）。")
            % {"n": facility.advance_days, "d": f"{last:%Y-%m-%d}"}
        )
    monday = day - timedelta(days=day.weekday())
    week_start = timezone.make_aware(datetime.combine(monday, time.min))
    taken = Booking.objects.filter(
        facility=facility,
        resident=resident,
        status__in=HOLDING,
        starts_at__gte=week_start,
        starts_at__lt=week_start + timedelta(days=7),
    ).count()
    if taken >= facility.weekly_limit:
        raise ValidationError(
            _("每人每周最多预约该场地 %(n)s 次，您本周已约满。") % {"n": facility.weekly_limit}
        )


def _overlapping(facility: Facility, starts_at: datetime, ends_at: datetime) -> Booking | None:
    return (
        Booking.objects.filter(
            facility=facility, status__in=HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .order_by("starts_at")
        .first()
    )


def _refuse_overlap(facility: Facility, starts_at: datetime, ends_at: datetime) -> None:
    clash = _overlapping(facility, starts_at, ends_at)
    if clash is not None:
        raise ValidationError(
            _("该时段已被预约（%(a)s–%(b)s），请换个时间或加入候补。")
            % {"a": _fmt(clash.starts_at), "b": f"{_local(clash.ends_at):%H:%M}"}
        )


def _insert(booking: Booking) -> Booking:
    """Insert; PostgreSQL's exclusion constraint is the second guard behind the row lock."""
    try:
        with transaction.atomic():
            booking.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("该时段已被预约，请换个时间或加入候补。")) from None
    return booking


def _create(
    booker: Booker,
    facility: Facility,
    starts_at: datetime,
    ends_at: datetime,
    at: datetime,
    note: str = "",
) -> Booking:
    check_slot_rules(facility, starts_at, ends_at, at)
    if booker.resident is not None:
        _check_resident_rules(facility, booker.resident, starts_at, at)
    _refuse_overlap(facility, starts_at, ends_at)
    on_portal = booker.actor is None
    booking = _insert(
        Booking(
            facility=facility,
            resident=booker.resident,
            group_name=booker.group_name[:100],
            starts_at=starts_at,
            ends_at=ends_at,
            status=(
                BookingStatus.PENDING
                if facility.needs_approval and on_portal
                else BookingStatus.CONFIRMED
            ),
            channel=BookingChannel.PORTAL if on_portal else BookingChannel.DESK,
            created_by=booker.actor,
            created_at=at,
        )
    )
    _event(facility, EventKind.BOOKED, booker.actor, at, booking=booking, note=note)
    return booking


@transaction.atomic
def booking_create(
    *,
    booker: Booker,
    facility_id: int,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime | None = None,
) -> Booking:
    """预约 — a resident on the portal, or staff on behalf of a resident or a group."""
    at = _now(now)
    if booker.actor is not None:
        _staff_check(booker.actor)
        if booker.resident is not None and not (
            residents_visible_to(booker.actor).filter(pk=booker.resident.pk).exists()
        ):
            raise Resident.DoesNotExist
        if booker.resident is None and not booker.group_name.strip():
            raise ValidationError({"resident": _("请选择居民或填写团体名称。")})
    elif booker.resident is None:
        raise PermissionDenied(_("请先输入居民码。"))
    facility = _facility_locked(booker.actor, facility_id)
    return _create(booker, facility, starts_at, ends_at, at)


def _booking_locked(booker: Booker, booking_id: int) -> tuple[Booking, Facility]:
    """Lock the facility first (the same order as `booking_create`), then the booking."""
    facility_id = Booking.objects.values_list("facility_id", flat=True).get(pk=booking_id)
    facility = _facility_locked(booker.actor, facility_id)
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booker.actor is None and (
        booker.resident is None or booking.resident_id != booker.resident.pk
    ):
        raise Booking.DoesNotExist
    return booking, facility


def _offer_freed(facility: Facility, starts_at: datetime, ends_at: datetime, at: datetime) -> int:
    """Offer a freed slot to the first waiting resident whose wish fits in it (候补递补)."""
    for entry in WaitlistEntry.objects.filter(
        facility=facility,
        status=WaitStatus.WAITING,
        starts_at__gte=starts_at,
        ends_at__lte=ends_at,
        starts_at__gt=at,
    ).order_by("created_at", "pk"):
        if _overlapping(facility, entry.starts_at, entry.ends_at) is not None:
            continue
        if WaitlistEntry.objects.filter(
            facility=facility,
            status=WaitStatus.OFFERED,
            starts_at__lt=entry.ends_at,
            ends_at__gt=entry.starts_at,
        ).exists():
            continue
        entry.status = WaitStatus.OFFERED
        entry.offered_at = at
        entry.offer_expires_at = min(at + OFFER_HOLD, entry.starts_at)
        entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
        _event(
            facility,
            EventKind.OFFERED,
            None,
            at,
            note=_("候补 %(name)s：%(a)s")
            % {"name": entry.resident.name, "a": _fmt(entry.starts_at)},
        )
        return 1
    return 0


@transaction.atomic
def booking_cancel(*, booker: Booker, booking_id: int, now: datetime | None = None) -> Booking:
    """取消 — the resident their own booking, staff any booking in their area."""
    at = _now(now)
    if booker.actor is not None:
        _staff_check(booker.actor)
    booking, facility = _booking_locked(booker, booking_id)
    if booking.status not in HOLDING:
        raise ValidationError(
            _("该预约已是“%(s)s”状态，不能取消。") % {"s": booking.get_status_display()}
        )
    if booking.ends_at <= at:
        raise ValidationError(_("已经结束的预约不能取消。"))
    booking.status, booking.closed_at = BookingStatus.CANCELLED, at
    booking.save(update_fields=["status", "closed_at"])
    _event(facility, EventKind.CANCELLED, booker.actor, at, booking=booking)
    _offer_freed(facility, booking.starts_at, booking.ends_at, at)
    return booking


@transaction.atomic
def booking_decide(
    *, actor: Actor, booking_id: int, approve: bool, note: str = "", now: datetime | None = None
) -> Booking:
    """审批 — a pending booking of a facility that needs approval."""
    at = _now(now)
    _staff_check(actor)
    booking, facility = _booking_locked(Booker(actor=actor), booking_id)
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(_("该预约不在待审批状态。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不通过须填写理由。")})
    booking.status = BookingStatus.CONFIRMED if approve else BookingStatus.REJECTED
    booking.closed_at = None if approve else at
    booking.save(update_fields=["status", "closed_at"])
    kind = EventKind.APPROVED if approve else EventKind.REJECTED
    _event(facility, kind, actor, at, booking=booking, note=note.strip())
    if not approve:
        _offer_freed(facility, booking.starts_at, booking.ends_at, at)
    return booking


@transaction.atomic
def booking_check_in(*, booker: Booker, booking_id: int, now: datetime | None = None) -> Booking:
    """到场 — from 15 minutes before the start until the end; holds the slot against release."""
    at = _now(now)
    if booker.actor is not None:
        _staff_check(booker.actor)
    booking, facility = _booking_locked(booker, booking_id)
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(
            _("该预约是“%(s)s”状态，不能签到。") % {"s": booking.get_status_display()}
        )
    if not booking.starts_at - CHECK_IN_EARLY <= at < booking.ends_at:
        raise ValidationError(
            _("只能在预约开始前 15 分钟到结束之间签到（%(a)s–%(b)s）。")
            % {"a": _fmt(booking.starts_at), "b": f"{_local(booking.ends_at):%H:%M}"}
        )
    booking.status, booking.checked_in_at = BookingStatus.CHECKED_IN, at
    booking.save(update_fields=["status", "checked_in_at"])
    _event(facility, EventKind.CHECKED_IN, booker.actor, at, booking=booking)
    return booking


# ---------------------------------------------------------------- group series (团体固定时段)


@dataclass(frozen=True)
class SeriesData:
    facility_id: int
    group_name: str
    weekday: int
    starts_at: time
    ends_at: time
    first_day: date
    last_day: date


def _series_name(data: SeriesData) -> str:
    """The group's name, once the weekday and the season's dates are sound."""
    name = data.group_name.strip()
    if not name:
        raise ValidationError({"group_name": _("请填写团体名称。")})
    if not 0 <= data.weekday <= 6:
        raise ValidationError({"weekday": _("星期须在周一到周日之间。")})
    if data.last_day < data.first_day:
        raise ValidationError({"last_day": _("结束日期不能早于起始日期。")})
    if (data.last_day - data.first_day).days > MAX_SEASON_DAYS:
        raise ValidationError({"last_day": _("一季最长 %(n)s 天。") % {"n": MAX_SEASON_DAYS}})
    return name


def _weekly_slots(data: SeriesData) -> list[tuple[datetime, datetime]]:
    """Every (start, end) of the season on its weekday; refused when there is none."""
    day = data.first_day + timedelta(days=(data.weekday - data.first_day.weekday()) % 7)
    slots: list[tuple[datetime, datetime]] = []
    while day <= data.last_day:
        slots.append(
            (
                timezone.make_aware(datetime.combine(day, data.starts_at)),
                timezone.make_aware(datetime.combine(day, data.ends_at)),
            )
        )
        day += timedelta(days=7)
    if not slots:
        raise ValidationError({"first_day": _("所选日期范围内没有这一天。")})
    return slots


def _refuse_clashes(
    facility: Facility, slots: list[tuple[datetime, datetime]], at: datetime
) -> None:
    """Each slot must pass the facility's rules; any slot already booked refuses the whole
    series, naming every clashing day. The caller holds the facility's lock."""
    clashes = []
    for start, end in slots:
        check_slot_rules(facility, start, end, at)
        if _overlapping(facility, start, end) is not None:
            clashes.append(f"{_local(start):%m-%d}")
    if clashes:
        raise ValidationError(
            _("以下日期该时段已被预约：%(d)s。请调整后再设立。") % {"d": "、".join(clashes)}
        )


def _series_book(
    series: BookingSeries, slots: list[tuple[datetime, datetime]], actor: Actor, at: datetime
) -> None:
    """One confirmed booking per slot, in the series' name."""
    for start, end in slots:
        _insert(
            Booking(
                facility=series.facility,
                series=series,
                group_name=series.group_name,
                starts_at=start,
                ends_at=end,
                status=BookingStatus.CONFIRMED,
                channel=BookingChannel.SERIES,
                created_by=actor,
                created_at=at,
            )
        )


@transaction.atomic
def series_create(*, actor: Actor, data: SeriesData, now: datetime | None = None) -> BookingSeries:
    """A season of weekly slots for a group, all or nothing: one clash refuses the series."""
    at = _now(now)
    _staff_check(actor)
    name = _series_name(data)
    facility = _facility_locked(actor, data.facility_id)
    slots = _weekly_slots(data)
    _refuse_clashes(facility, slots, at)
    series = BookingSeries.objects.create(
        facility=facility,
        group_name=name[:100],
        weekday=data.weekday,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        first_day=data.first_day,
        last_day=data.last_day,
        created_by=actor,
        created_at=at,
    )
    _series_book(series, slots, actor, at)
    _event(
        facility,
        EventKind.SERIES_CREATED,
        actor,
        at,
        series=series,
        note=_("%(g)s，共 %(n)s 次") % {"g": series.group_name, "n": len(slots)},
    )
    return series


@transaction.atomic
def series_cancel(*, actor: Actor, series_id: int, reason: str, now: datetime | None = None) -> int:
    """Cancel every future slot of a series at once; the past ones stay as they were."""
    at = _now(now)
    _staff_check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("整体取消须填写理由。")})
    facility_id = BookingSeries.objects.values_list("facility_id", flat=True).get(pk=series_id)
    facility = _facility_locked(actor, facility_id)
    series = BookingSeries.objects.select_for_update().get(pk=series_id)
    if series.cancelled_at is not None:
        raise ValidationError(_("该固定时段已整体取消。"))
    future = list(
        Booking.objects.select_for_update().filter(
            series=series, status__in=HOLDING, starts_at__gt=at
        )
    )
    Booking.objects.filter(pk__in=[b.pk for b in future]).update(
        status=BookingStatus.CANCELLED, closed_at=at
    )
    series.cancelled_at, series.cancel_reason = at, reason[:200]
    series.save(update_fields=["cancelled_at", "cancel_reason"])
    _event(
        facility,
        EventKind.SERIES_CANCELLED,
        actor,
        at,
        series=series,
        note=_("取消 %(n)s 次：%(r)s") % {"n": len(future), "r": reason},
    )
    for booking in future:
        _offer_freed(facility, booking.starts_at, booking.ends_at, at)
    return len(future)


# ---------------------------------------------------------------- waitlist (候补)


@transaction.atomic
def waitlist_join(
    *,
    resident: Resident,
    facility_id: int,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Wait for a taken slot inside the system; offered to you when it is freed."""
    at = _now(now)
    facility = _facility_locked(None, facility_id)
    check_slot_rules(facility, starts_at, ends_at, at)
    _check_resident_rules(facility, resident, starts_at, at)
    if _overlapping(facility, starts_at, ends_at) is None:
        raise ValidationError(_("该时段空闲，可以直接预约。"))
    if WaitlistEntry.objects.filter(
        facility=facility,
        resident=resident,
        starts_at=starts_at,
        status__in=(WaitStatus.WAITING, WaitStatus.OFFERED),
    ).exists():
        raise ValidationError(_("您已在该时段的候补名单中。"))
    entry = WaitlistEntry.objects.create(
        facility=facility,
        resident=resident,
        starts_at=starts_at,
        ends_at=ends_at,
        status=WaitStatus.WAITING,
        created_at=at,
    )
    _event(facility, EventKind.WAITLISTED, None, at, note=f"{resident.name} {_fmt(starts_at)}")
    return entry


@transaction.atomic
def waitlist_accept(*, resident: Resident, entry_id: int, now: datetime | None = None) -> Booking:
    """Take the offered slot: booked under every rule, like any other booking."""
    at = _now(now)
    facility_id = WaitlistEntry.objects.values_list("facility_id", flat=True).get(
        pk=entry_id, resident=resident
    )
    facility = _facility_locked(None, facility_id)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry_id, resident=resident)
    if entry.status != WaitStatus.OFFERED or (entry.offer_expires_at or at) <= at:
        raise ValidationError(_("该候补空位已失效。"))
    entry.status = WaitStatus.BOOKED
    entry.save(update_fields=["status"])
    return _create(
        Booker(resident=resident), facility, entry.starts_at, entry.ends_at, at, _("候补转正")
    )


# ---------------------------------------------------------------- tick and passes


@transaction.atomic
def _release(booking_id: int, at: datetime) -> int:
    facility_id = Booking.objects.values_list("facility_id", flat=True).get(pk=booking_id)
    facility = Facility.objects.select_for_update().get(pk=facility_id)
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    if booking.status != BookingStatus.CONFIRMED or booking.checked_in_at is not None:
        return 0
    booking.status, booking.closed_at = BookingStatus.RELEASED, at
    booking.save(update_fields=["status", "closed_at"])
    _event(facility, EventKind.RELEASED, None, at, booking=booking, note=_("开始 15 分钟未到场"))
    if booking.ends_at > at:
        _offer_freed(facility, at, booking.ends_at, at)
    return 1


@transaction.atomic
def _expire_offer(entry_id: int, at: datetime) -> None:
    facility_id = WaitlistEntry.objects.values_list("facility_id", flat=True).get(pk=entry_id)
    facility = Facility.objects.select_for_update().get(pk=facility_id)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry_id)
    if entry.status != WaitStatus.OFFERED:
        return
    entry.status = WaitStatus.EXPIRED
    entry.save(update_fields=["status"])
    _event(facility, EventKind.OFFER_EXPIRED, None, at, note=entry.resident.name)
    _offer_freed(facility, entry.starts_at, entry.ends_at, at)


def bookings_tick(*, now: datetime | None = None) -> int:
    """`doorstep tick`: release no-shows 15 minutes after the start and pass expired waitlist
    offers on. Returns how many bookings were released. Idempotent."""
    at = _now(now)
    released = 0
    for booking_id in Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        checked_in_at__isnull=True,
        starts_at__lte=at - NO_SHOW_AFTER,
    ).values_list("pk", flat=True):
        released += _release(booking_id, at)
    for entry_id in WaitlistEntry.objects.filter(
        status=WaitStatus.OFFERED, offer_expires_at__lte=at
    ).values_list("pk", flat=True):
        _expire_offer(entry_id, at)
    return released


@transaction.atomic
def pass_issue(*, actor: Actor, resident_id: int, now: datetime | None = None) -> str:
    """Issue (or re-issue, which voids the old one) a resident's 居民码. The code is returned
    once, to be printed for the resident; only its hash is stored."""
    at = _now(now)
    _staff_check(actor)
    resident = residents_visible_to(actor).get(pk=resident_id)
    raw = "".join(secrets.choice(PASS_ALPHABET) for _ in range(8))
    ResidentPass.objects.update_or_create(
        resident=resident,
        defaults={"code_hash": pass_code_hash(raw), "issued_by": actor, "issued_at": at},
    )
    AuditEntry.objects.create(
        actor=actor,
        action="pass_issue",
        object_type="resident",
        object_id=str(resident.pk),
        reason=_("发放居民码"),
    )
    return f"{raw[:4]}-{raw[4:]}"


@dataclass(frozen=True)
class FacilityData:
    community_id: int
    name: str
    kind: str
    place: str = ""
    capacity: int = 1
    opens_at: time = time(8, 30)
    closes_at: time = time(20, 0)
    min_minutes: int = 30
    max_minutes: int = 120
    advance_days: int = 14
    weekly_limit: int = 3
    who_may_book: str = WhoMayBook.COMMUNITY
    needs_approval: bool = False
    rules_note: str = ""


@transaction.atomic
def facility_save(
    *, actor: Actor, data: FacilityData, facility_id: int | None = None, now: datetime | None = None
) -> Facility:
    """Set up a facility or change its rules (书记或街道)."""
    at = _now(now)
    access.require(actor, "bookings.setup", _("只有书记或街道工作人员可以设置场地。"))
    community = communities_for(actor).get(pk=data.community_id)
    if not data.name.strip():
        raise ValidationError({"name": _("请填写场地名称。")})
    if data.kind not in FacilityKind.values or data.who_may_book not in WhoMayBook.values:
        raise ValidationError({"kind": _("未知的场地类型或预约对象。")})
    if data.closes_at <= data.opens_at:
        raise ValidationError({"closes_at": _("关闭时间须晚于开放时间。")})
    if not 5 <= data.min_minutes <= data.max_minutes <= 24 * 60:
        raise ValidationError({"max_minutes": _("最短时长须不少于 5 分钟且不超过最长时长。")})
    if not (0 <= data.advance_days <= 366 and 1 <= data.weekly_limit <= 100 and data.capacity >= 1):
        raise ValidationError({"advance_days": _("提前天数、每周上限或容纳人数不正确。")})
    fields = {
        "community": community,
        "name": data.name.strip()[:100],
        "kind": data.kind,
        "place": data.place.strip()[:200],
        "capacity": data.capacity,
        "opens_at": data.opens_at,
        "closes_at": data.closes_at,
        "min_minutes": data.min_minutes,
        "max_minutes": data.max_minutes,
        "advance_days": data.advance_days,
        "weekly_limit": data.weekly_limit,
        "who_may_book": data.who_may_book,
        "needs_approval": data.needs_approval,
        "rules_note": data.rules_note.strip()[:300],
    }
    if facility_id is None:
        if Facility.objects.filter(community=community, name=fields["name"]).exists():
            raise ValidationError({"name": _("本社区已有同名场地。")})
        facility = Facility.objects.create(**fields)
    else:
        facility = _facility_locked(actor, facility_id)
        for key, value in fields.items():
            setattr(facility, key, value)
        facility.save()
    _event(facility, EventKind.FACILITY_SAVED, actor, at, note=facility.name)
    return facility
