"""Every change to a case is one function here: it checks the actor's permission, runs in one
transaction, locks the case row against double handling, and writes exactly one timeline event.

Views, the API, importers and management commands call these; none of them writes a Case.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.catalog.choices import Level, Mode
from doorstep.catalog.models import Demand, ServiceItem
from doorstep.catalog.selectors import item_available_to, item_offered_in
from doorstep.core import crypto, events
from doorstep.core.bulk import bulk_insert
from doorstep.core.redact import Sealed, seal
from doorstep.core.services import audit_record
from doorstep.core.staffing import stationed_handler
from doorstep.core.types import Actor
from doorstep.core.validators import clean_field, validate_phone
from doorstep.places import access
from doorstep.places.choices import Role
from doorstep.places.models import (
    Building,
    Community,
    Compound,
    Department,
    Resident,
    StaffProfile,
)
from doorstep.places.selectors import communities_for, staff_profile
from doorstep.places.services import numbered, resident_create
from doorstep.workdays.selectors import (
    Fingerprint,
    add_working_days,
    fingerprint_columns,
    fingerprint_of,
)

from . import hooks
from .choices import OPEN_STATUSES, Channel, EventKind, Queue, Responsibility, Status
from .models import Case, CaseEvent, Rating
from .search import case_search_terms

# Requests that match no catalogue item still get an answer: within this many working days.
DEFAULT_PROMISE_DAYS = 5
# An on-the-spot item that could not be settled at once is promised by the next working day.
ON_THE_SPOT_FALLBACK_DAYS = 1
AUTO_CLOSE_AFTER = timedelta(days=7)
TICK_BATCH = 500  # unrated resolved cases read per query by the tick
MAX_TEXT = 5000
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out
# Published with every timeline event (`case`, `event`), inside the case's transaction.
CASE_EVENT = "cases.event"


class StaleCase(ValidationError):
    """The form was built from an older version of the case: someone else moved it since."""


def tracking_code_new() -> str:
    """`K7QM-4XPD`: 8 characters from 31 symbols (≈ 8.5 × 10¹¹ codes), unguessable, easy to
    read out on the phone in two groups of four."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


# Address and filler words that a resident's text is full of but that name no topic.
TOPIC_STOP_WORDS = frozenset(
    {"号楼", "单元", "号院", "小区", "社区", "居民", "一下", "一个", "能不能"}
)


def demand_topic(text: str) -> str:
    """A short topic for the demand list, from the text's most telling words."""
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)
    # Building and room numbers (4号楼403室) and 12345 order numbers score high as rare words
    # but say nothing about the topic: words with a digit or a Latin letter are left out.
    words = [
        w
        for w in jieba.analyse.extract_tags(text, topK=8)
        if len(w) > 1
        and w not in TOPIC_STOP_WORDS
        and not any(ch.isdigit() or ch.isascii() for ch in w)
    ][:2]
    return "".join(words)[:50] if words else text[:10]


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    case: Case,
    kind: EventKind,
    actor: Actor | None,
    at: datetime,
    note: str = "",
    **data: Any,
) -> CaseEvent:
    hooks.case_changed(case, kind, at)
    event = CaseEvent.objects.create(case=case, kind=kind, actor=actor, at=at, note=note, data=data)
    # In this transaction: a listener's outbox row (the resident's notice) commits with the case.
    events.publish(CASE_EVENT, case=case, event=event)
    return event


def _clean_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: _("内容过长，请控制在 5000 字以内。")})
    return text


def _lock(case_id: int, version: int | None) -> Case:
    """Lock the row for this transaction; refuse a stale form (乐观锁 + 行锁)."""
    case = Case.objects.select_for_update().select_related("community__street").get(pk=case_id)
    if version is not None and case.version != version:
        raise StaleCase(
            _("该事项刚被其他人更新过（当前版本 %(current)s），请刷新页面后再操作。")
            % {"current": case.version},
            code="stale",
        )
    hooks.case_locked(case)
    return case


def _save(case: Case, *fields: str) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version"])


def _intake_place(actor: Actor | None, community: Community) -> tuple[int, Fingerprint]:
    """One read for an intake: may the actor register for this community, its district (for
    the working-day calendar) and the calendar's fingerprint, all in the same query."""
    scope = communities_for(actor) if actor is not None else Community.objects.all()
    rows = (
        scope.filter(pk=community.pk)
        .annotate(district=F("street__district_id"), **fingerprint_columns())
        .values("district", *fingerprint_columns())
        .order_by()[:1]  # one row by its key: no ORDER BY name to compile or sort
    )
    row = next(iter(rows), None)
    if row is None:
        raise PermissionDenied(_("您无权为该社区登记事项。"))
    if actor is not None and not access.may(actor, "case.intake"):
        raise PermissionDenied(_("职能部门人员不能直接登记社区事项。"))
    return row["district"], fingerprint_of(row)


def _check_can_handle(actor: Actor, case: Case) -> None:
    """Who may move a case: the community's staff while it sits with the community, the street's
    staff while it sits in the street queue, the department while it sits with the department;
    district admins always. A case outside the actor's area does not exist for them."""
    profile = staff_profile(actor)
    if profile is None:
        raise PermissionDenied(_("请先登录。"))
    if not access.can_see(actor, case):
        raise Case.DoesNotExist
    if not access.may_work_queue(profile, case.queue):
        raise PermissionDenied(
            _("该事项目前由%(level)s办理，您不能操作。") % {"level": case.get_queue_display()}
        )


def _check_open(case: Case) -> None:
    if case.status not in OPEN_STATUSES:
        raise ValidationError(
            _("该事项当前状态为“%(status)s”，不能再进行此操作。")
            % {"status": case.get_status_display()},
            code="not_open",
        )


def fallback_owner(community: Community) -> Actor | None:
    """The community secretary (兜底责任人)."""
    from doorstep.places.models import StaffProfile

    profile = (
        StaffProfile.objects.select_related("user")
        .filter(community=community, role=Role.SECRETARY, user__is_active=True)
        .order_by("pk")
        .first()
    )
    return profile.user if profile else None


@dataclass(frozen=True)
class Intake:
    """What the desk captured (受理登记)."""

    community: Community
    channel: str
    description: str
    item: ServiceItem | None = None
    resident: Resident | None = None
    contact_name: str = ""
    compound: Compound | None = None
    building: Building | None = None
    settle_now: bool = False
    reply: str = ""
    suggested_item: ServiceItem | None = None
    routing_confidence: float | None = None
    contact_phone: str = ""
    # A resident met for the first time: name, phone, id_number — registered in the same
    # transaction as the case.
    new_resident: dict[str, str] | None = None
    # Another promise that binds us, e.g. a 12345 order's deadline: the earlier date rules.
    due_cap: date | None = None


def _validate_intake(data: Intake) -> str:
    description = _clean_text(data.description, "description", _("请填写居民诉求内容。"))
    if data.channel not in Channel.values:
        raise ValidationError({"channel": _("未知的受理渠道。")})
    if data.item is not None and not item_offered_in(data.item, data.community):
        raise ValidationError({"item": _("该服务事项不存在或已停用。")})
    if data.resident is not None and data.resident.community_id != data.community.pk:
        raise ValidationError({"resident": _("该居民不属于本社区。")})
    if data.compound is not None and data.compound.community_id != data.community.pk:
        raise ValidationError({"compound": _("该小区不属于本社区。")})
    if data.building is not None and (
        data.compound is None or data.building.compound_id != data.compound.pk
    ):
        raise ValidationError({"building": _("楼栋与小区不匹配。")})
    if data.settle_now and not (data.reply or "").strip():
        raise ValidationError({"reply": _("当场办结须填写给居民的答复。")})
    return description


def _promise(
    item: ServiceItem | None, at: datetime, district_id: int, calendar: Fingerprint
) -> date:
    if item is None:
        days = DEFAULT_PROMISE_DAYS
    elif item.mode == Mode.PROMISE:
        days = item.promise_days
    else:
        days = ON_THE_SPOT_FALLBACK_DAYS
    return add_working_days(timezone.localdate(at), days, district_id, calendar)


def case_create(*, actor: Actor | None, data: Intake, now: datetime | None = None) -> Case:
    """Register a request. Settled on the spot (即办) it is resolved at once with its reply;
    otherwise it is promised in working days and routed by the item's handling level: community
    items stay with the first responder (首问), street and department items go to their queue.
    `actor` is None only for requests the resident submits on the portal.

    A new tracking code that collides with an existing one (about 1 in 60,000 intakes at 14 M
    cases) rolls the whole intake back and runs it again with another code: no savepoint on
    the common path."""
    at = _now(now)
    for _attempt in range(5):
        code = tracking_code_new()
        try:
            return _case_create(actor=actor, data=data, at=at, tracking_code=code)
        except IntegrityError:
            if not Case.objects.filter(tracking_code=code).exists():
                raise
    raise RuntimeError("could not allocate a tracking code")  # pragma: no cover


@transaction.atomic
def _case_create(*, actor: Actor | None, data: Intake, at: datetime, tracking_code: str) -> Case:
    """One attempt at `case_create` with this tracking code: checks, the case, its first
    timeline event (and the demand-list entry for a request no item matched)."""
    if actor is None and data.channel not in (Channel.PORTAL, Channel.APP, Channel.WECHAT):
        raise PermissionDenied(_("请先登录。"))
    district_id, calendar = _intake_place(actor, data.community)
    sealed = seal(_validate_intake(data))
    case = _case_from_intake(data, actor, at, sealed, _intake_contact_phone(data))
    case.place_in(data.community, district_id)
    if data.settle_now:
        _settle_on_spot(case, actor, data.reply, at)
        kind = EventKind.SETTLED
    else:
        _route_new_case(case, actor, data, at, district_id, calendar)
        kind = EventKind.CREATED
    case.tracking_code = tracking_code
    case.save(force_insert=True)
    if case.item is None:
        Demand.objects.create(
            community=data.community,
            text=case.description,
            topic=demand_topic(case.description),
            case=case,
        )
    _event(
        case,
        kind,
        actor,
        at,
        note=case.reply,
        channel=case.channel,
        item=case.item.code if case.item else None,
        due_date=case.due_date.isoformat() if case.due_date else None,
        queue=case.queue,
    )
    return case


def _intake_contact_phone(data: Intake) -> str:
    """The contact phone as typed, checked; empty when none was given."""
    if not data.contact_phone.strip():
        return ""
    return clean_field("contact_phone", validate_phone, data.contact_phone)


def _intake_resident(data: Intake) -> Resident | None:
    """The resident the request is for: the one picked, or one met for the first time and
    registered in the intake's transaction."""
    new = data.new_resident
    if new and any(v.strip() for v in new.values()):
        return resident_create(
            community=data.community,
            name=new.get("name", ""),
            phone=new.get("phone", ""),
            id_number=new.get("id_number", ""),
        )
    return data.resident


def _case_from_intake(
    data: Intake, actor: Actor | None, at: datetime, sealed: Sealed, contact_phone: str
) -> Case:
    """The new case as the desk captured it, before it is placed, routed and saved."""
    item = data.item
    return Case(
        channel=data.channel,
        resident=_intake_resident(data),
        contact_name=(data.contact_name or "").strip()[:50],
        contact_phone_encrypted=crypto.encrypt(contact_phone),
        contact_phone_hash=crypto.lookup_hash(contact_phone),
        compound=data.compound,
        building=data.building,
        description=sealed.text,
        description_sealed=sealed.encrypted,
        search_terms=case_search_terms(sealed.text),
        item=item,
        suggested_item=data.suggested_item,
        routing_confidence=data.routing_confidence,
        first_responder=actor,
        responsibility=Responsibility.FIRST_RESPONDER,
        created_at=at,
        needs_upper_approval=bool(item and item.needs_upper_approval),
    )


def _settle_on_spot(case: Case, actor: Actor | None, reply: str, at: datetime) -> None:
    """即办: resolved at once by the worker at the desk, with the reply the resident is given."""
    if actor is None:
        raise PermissionDenied(_("请先登录。"))
    case.status = Status.RESOLVED
    case.settled_on_spot = True
    case.queue = Queue.COMMUNITY
    case.owner = actor
    case.reply = reply.strip()
    case.replied_at = case.resolved_at = at


# Which queue a new case waits in, by its item's handling level.
QUEUE_FOR_LEVEL = {
    Level.COMMUNITY: Queue.COMMUNITY,
    Level.STREET: Queue.STREET,
    Level.DEPARTMENT: Queue.DEPARTMENT,
}


def _route_new_case(
    case: Case,
    actor: Actor | None,
    data: Intake,
    at: datetime,
    district_id: int,
    calendar: Fingerprint,
) -> None:
    """The queue, owner and promised date of a case that is not settled on the spot."""
    item = data.item
    level = Level(item.level) if item else Level.COMMUNITY
    case.queue = QUEUE_FOR_LEVEL[level]
    case.department = item.department if item and level == Level.DEPARTMENT else None
    if case.queue == Queue.DEPARTMENT and case.department is None:
        case.queue = Queue.STREET  # no department named yet: the street finds one
    # The first responder keeps a community case only if they work in that community; a
    # case the street registers for a community (e.g. a 12345 order) waits in its queue.
    keeps = (
        actor is not None
        and case.queue == Queue.COMMUNITY
        and access.is_community_staff(actor, data.community)
    )
    case.owner = actor if keeps else None
    if case.queue == Queue.STREET and item is not None:
        # A street item a street worker stationed at this desk handles (下沉) is theirs.
        case.owner_id = stationed_handler(data.community.pk, item.pk)
    case.due_date = _promise(item, at, district_id, calendar)
    if data.due_cap is not None and data.due_cap < case.due_date:
        case.due_date = data.due_cap


@transaction.atomic
def case_classify(
    *,
    actor: Actor,
    case_id: int,
    item: ServiceItem,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """确定服务事项: a person settles which catalogue item a case is (the "needs a person"
    queue, or a correction). The worker's choice is the label the routing engine learns from;
    a request that was counted as a demand stops being one."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    _check_open(case)
    if not item_available_to(item, case.community):
        raise ValidationError({"item": _("该服务事项不存在或已停用。")})
    previous = case.item.code if case.item else None
    case.item = item
    case.needs_upper_approval = item.needs_upper_approval
    _save(case, "item", "needs_upper_approval")
    Demand.objects.filter(case=case).delete()
    _event(
        case, EventKind.CLASSIFIED, actor, _now(now), item.name, previous=previous, item=item.code
    )
    return case


@transaction.atomic
def case_note_add(
    *, actor: Actor, case_id: int, note: str, now: datetime | None = None, **data: Any
) -> CaseEvent:
    """备注: a line on the timeline from work done around the case (a department's on-site
    outcome, a video-link appointment). Anyone who may see the case may write one; the case
    itself does not change."""
    note = _clean_text(note, "note", _("请填写备注内容。"))
    case = _lock(case_id, None)
    if staff_profile(actor) is None:
        raise PermissionDenied(_("请先登录。"))
    if not access.can_see(actor, case):
        raise Case.DoesNotExist
    return _event(case, EventKind.NOTE, actor, _now(now), note, **data)


@transaction.atomic
def case_accept(
    *,
    actor: Actor,
    case_id: int,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """Start work (received → in progress); an unowned case becomes the actor's."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    if case.status != Status.RECEIVED:
        raise ValidationError(_("只有“已受理”的事项可以开始办理。"), code="not_received")
    case.status = Status.IN_PROGRESS
    if case.owner_id is None:
        case.owner = actor
    _save(case, "status", "owner")
    _event(case, EventKind.ACCEPTED, actor, _now(now))
    return case


@transaction.atomic
def case_assign(
    *,
    actor: Actor,
    case_id: int,
    assignee: Actor,
    note: str = "",
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """指定责任: hand a hard case to a designated social worker of the same community."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    _check_open(case)
    if case.queue != Queue.COMMUNITY or not access.is_community_staff(assignee, case.community):
        raise ValidationError({"assignee": _("只能指定本社区的工作人员办理。")})
    case.owner = assignee
    case.responsibility = Responsibility.DESIGNATED
    _save(case, "owner", "responsibility")
    _event(case, EventKind.ASSIGNED, actor, _now(now), note.strip(), assignee=assignee.pk)
    return case


ESCALATION_TARGETS = ("fallback", "street", "department")


@transaction.atomic
def case_escalate(
    *,
    actor: Actor,
    case_id: int,
    target: str,
    note: str,
    department: Department | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """上报: to the secretary (兜底), to the street's queue, or to a department's queue."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    _check_open(case)
    note = _clean_text(note, "note", _("上报须说明原因。"))
    if target == "fallback":
        owner = fallback_owner(case.community)
        if owner is None:
            raise ValidationError(_("本社区尚未设置书记（兜底责任人）。"))
        case.owner = owner
        case.queue = Queue.COMMUNITY
        case.responsibility = Responsibility.FALLBACK
        case.department = None
    elif target == "street":
        case.owner = None
        case.queue = Queue.STREET
        case.department = None
    elif target == "department":
        if department is None or department.district_id != case.community.street.district_id:
            raise ValidationError({"department": _("请选择本区的职能部门。")})
        case.owner = None
        case.queue = Queue.DEPARTMENT
        case.department = department
    else:
        raise ValidationError({"target": _("未知的上报对象。")})
    _save(case, "owner", "queue", "responsibility", "department")
    _event(
        case,
        EventKind.ESCALATED,
        actor,
        _now(now),
        note,
        target=target,
        department=department.name if department else None,
    )
    return case


@transaction.atomic
def case_transfer(
    *,
    actor: Actor,
    case_id: int,
    community: Community,
    note: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """转办: the request belongs to another community of the same street."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    _check_open(case)
    note = _clean_text(note, "note", _("转办须说明原因。"))
    if community.pk == case.community_id or community.street_id != case.community.street_id:
        raise ValidationError({"community": _("只能转给本街道的其他社区。")})
    from_name = case.community.name
    case.place_in(community, case.district_id)  # same street, so the same district
    case.owner = None
    case.queue = Queue.COMMUNITY
    case.responsibility = Responsibility.FIRST_RESPONDER
    case.resident = None
    case.compound = case.building = None
    _save(
        case,
        *("community", "street", "owner", "queue", "responsibility"),
        *("resident", "compound", "building"),
    )
    _event(case, EventKind.TRANSFERRED, actor, _now(now), note, source=from_name, to=community.name)
    return case


@transaction.atomic
def case_reply(
    *,
    actor: Actor,
    case_id: int,
    text: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """事事有回应: tell the resident where things stand, without closing the case."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    _check_open(case)
    text = _clean_text(text, "reply", _("请填写给居民的答复。"))
    at = _now(now)
    case.reply, case.replied_at = text, at
    _save(case, "reply", "replied_at")
    _event(case, EventKind.REPLIED, actor, at, text)
    return case


@transaction.atomic
def case_resolve(
    *,
    actor: Actor,
    case_id: int,
    reply: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """办结. No case resolves without a reply to the resident (事事有回应)."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    _check_open(case)
    reply = _clean_text(reply, "reply", _("办结前须填写给居民的答复。"))
    at = _now(now)
    case.status = Status.RESOLVED
    case.reply, case.replied_at, case.resolved_at = reply, at, at
    if case.owner_id is None:
        case.owner = actor
    _save(case, "status", "reply", "replied_at", "resolved_at", "owner")
    _event(case, EventKind.RESOLVED, actor, at, reply)
    return case


@transaction.atomic
def case_reject(
    *,
    actor: Actor,
    case_id: int,
    reason: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """不予受理, with a reason the resident is told."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    _check_open(case)
    reason = _clean_text(reason, "reason", _("不予受理须填写理由。"))
    at = _now(now)
    case.status = Status.REJECTED
    case.rejection_reason = reason
    case.reply, case.replied_at = reason, at
    _save(case, "status", "rejection_reason", "reply", "replied_at")
    _event(case, EventKind.REJECTED, actor, at, reason)
    return case


@transaction.atomic
def case_reopen(
    *,
    actor: Actor,
    case_id: int,
    note: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """重新办理: a resolved or rejected case (not yet rated) goes back into progress."""
    case = _lock(case_id, version)
    _check_can_handle(actor, case)
    if case.status not in (Status.RESOLVED, Status.REJECTED):
        raise ValidationError(_("只有已办结或不予受理的事项可以重新办理。"), code="not_finished")
    if Rating.objects.filter(case=case).exists():
        raise ValidationError(_("居民已评价的事项不能重新办理，请新登记一件事项。"))
    note = _clean_text(note, "note", _("重新办理须说明原因。"))
    case.status = Status.IN_PROGRESS
    case.resolved_at = None
    case.settled_on_spot = False
    case.rejection_reason = ""
    if case.owner_id is None:
        case.owner = actor
    _save(case, "status", "resolved_at", "settled_on_spot", "rejection_reason", "owner")
    _event(case, EventKind.REOPENED, actor, _now(now), note)
    return case


@transaction.atomic
def case_rate(
    *,
    case_id: int,
    attitude: int,
    capability: int,
    comment: str = "",
    now: datetime | None = None,
) -> Rating:
    """The resident rates a resolved case once, on attitude and capability (1–5); it then closes."""
    case = _lock(case_id, None)
    if Rating.objects.filter(case=case).exists():
        raise ValidationError(_("该事项已经评价过了，每件事项只能评价一次。"), code="rated")
    if case.status != Status.RESOLVED:
        raise ValidationError(_("事项办结后才能评价。"), code="not_resolved")
    scores = {}
    for field, value, label in (
        ("attitude", attitude, _("服务态度")),
        ("capability", capability, _("服务能力")),
    ):
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise ValidationError({field: _("%(label)s请打 1 到 5 分。") % {"label": label}})
        scores[field] = score
    at = _now(now)
    rating = Rating.objects.create(
        case=case, comment=(comment or "").strip()[:1000], created_at=at, **scores
    )
    case.status, case.closed_at = Status.CLOSED, at
    _save(case, "status", "closed_at")
    _event(case, EventKind.RATED, None, at, rating.comment, **scores)
    return rating


@dataclass
class TickResult:
    escalated: int = 0
    closed: int = 0


def cases_tick(*, now: datetime | None = None) -> TickResult:
    """Run periodically (`doorstep tick`); idempotent. Overdue open cases go to the fallback
    owner once; resolved cases nobody rated within 7 days are closed."""
    at = _now(now)
    result = TickResult()
    overdue_ids = list(
        Case.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__lt=timezone.localdate(at),
            overdue_escalated_at__isnull=True,
            queue=Queue.COMMUNITY,
        ).values_list("pk", flat=True)
    )
    for case_id in overdue_ids:
        result.escalated += _escalate_overdue(case_id, at)
    # NOT EXISTS per resolved case: a LEFT JOIN made PostgreSQL hash every rating ever given.
    # Read in bounded batches along the partial index (oldest resolution first): unbounded, the
    # planner hashed every rating as well (4.7 s at 14 M cases with nothing due; 2 ms bounded).
    rated = Rating.objects.filter(case=OuterRef("pk"))
    stale = (
        Case.objects.filter(status=Status.RESOLVED, resolved_at__lt=at - AUTO_CLOSE_AFTER)
        .filter(~Exists(rated))
        .order_by("resolved_at", "pk")
        .values_list("pk", flat=True)
    )
    while True:
        # A case handled here leaves the filter (closed, or rated meanwhile): each batch is new.
        batch = list(stale[:TICK_BATCH])
        for case_id in batch:
            result.closed += _close_unrated(case_id, at)
        if len(batch) < TICK_BATCH:
            return result


@transaction.atomic
def _escalate_overdue(case_id: int, at: datetime) -> int:
    case = _lock(case_id, None)
    if case.status not in OPEN_STATUSES or case.overdue_escalated_at is not None:
        return 0
    owner = fallback_owner(case.community)
    case.overdue_escalated_at = at
    if owner is not None:
        case.owner = owner
        case.responsibility = Responsibility.FALLBACK
    _save(case, "overdue_escalated_at", "owner", "responsibility")
    _event(case, EventKind.OVERDUE, None, at, due_date=str(case.due_date))
    return 1


@transaction.atomic
def _close_unrated(case_id: int, at: datetime) -> int:
    case = _lock(case_id, None)
    if case.status != Status.RESOLVED or Rating.objects.filter(case=case).exists():
        return 0
    case.status, case.closed_at = Status.CLOSED, at
    _save(case, "status", "closed_at")
    _event(case, EventKind.CLOSED, None, at, _("办结 7 天未评价，自动归档。"))
    return 1


@transaction.atomic
def case_description_reveal(*, actor: Actor, case_id: int, reason: str) -> str:
    """The description as the resident typed it, phones and ID numbers included (查看完整诉求):
    needs a reason and writes an audit entry; another area's case is DoesNotExist."""
    from doorstep.core.services import personal_data_shown

    from .selectors import cases_visible_to

    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("查看完整信息须填写理由。")})
    case = cases_visible_to(actor).get(pk=case_id)
    if not case.description_sealed:
        return case.description
    personal_data_shown(
        actor=actor,
        action="reveal",
        object_type="case",
        object_id=str(case.pk),
        field="description",
        reason=reason,
    )
    return crypto.decrypt(case.description_sealed)


# ---------------------------------------------------------------- case history (历史事项导入)

TRACKING_CODE_RE = re.compile(rf"^[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}$")
LOOKUP_CHUNK = 10_000  # ids per `IN (…)` look-up: under every backend's parameter limit
# The choices a past row may take, as sets (`Choices.values` builds a list on every read).
PAST_CHOICES = {
    "channel": frozenset(Channel.values),
    "status": frozenset(Status.values),
    "queue": frozenset(Queue.values),
    "responsibility": frozenset(Responsibility.values),
}
EVENT_KINDS = frozenset(EventKind.values)


@dataclass(frozen=True, slots=True)
class PastEvent:
    """One timeline entry of a case in the batch (`case`: its index in `CaseHistory.cases`)."""

    case: int
    kind: str
    actor: Actor | None
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class PastRating:
    case: int
    attitude: int
    capability: int
    comment: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PastDemand:
    """An unmatched request on the demand list (需求清单), from its case's community."""

    case: int
    text: str


@dataclass(frozen=True)
class CaseHistory:
    """Cases that already happened, as unsaved `Case` rows with every column they had (status,
    owner, due date, reply …; `search_terms` is filled here), their timelines, ratings and
    demands."""

    cases: list[Case]
    events: list[PastEvent] = dataclass_field(default_factory=list)
    ratings: list[PastRating] = dataclass_field(default_factory=list)
    demands: list[PastDemand] = dataclass_field(default_factory=list)


Progress = Callable[[str, int, int], object]


@transaction.atomic
def case_history_load(
    *, actor: Actor, history: CaseHistory, progress: Progress | None = None
) -> int:
    """Bulk-insert a district's earlier cases (历史事项导入) as already-happened facts, each row
    checked as the live path leaves it: a tracking code of the live format, new; a community
    of the actor's district with its street and district copied (`place_in`), a known item,
    compound, building and resident of that community, staff of the district as first
    responder and owner; known channel, status, queue and responsibility; a resolved or
    closed case replied to, resolved after it came in. Events belong to a case of the batch,
    come in time order from the case's creation; a rating only on a resolved case, once, 1–5,
    after it was resolved; a demand only on a case without an item. One bulk insert per
    table (`progress(table, done, total)` after each batch), one audit entry; a wrong row
    names its part and number and nothing is written. Only a district admin may load.

    The rollups are not kept here: the loader rebuilds them after (`rollups.demo`)."""
    access.require(actor, "case.history_load", _("只有区级管理员可以导入历史事项。"))
    profile = staff_profile(actor)
    assert profile is not None  # `require` passed
    known = _HistoryKnown.of(profile.district_id, history.cases)
    cases = numbered(_("事项"), history.cases, known.check_case)
    last: dict[int, datetime] = {}
    events = numbered(_("办理记录"), history.events, lambda e: _past_event(e, cases, known, last))
    rated: set[int] = set()
    ratings = numbered(_("评价"), history.ratings, lambda r: _past_rating(r, cases, rated))
    topics: dict[str, str] = {}
    demands = numbered(_("需求"), history.demands, lambda d: _past_demand(d, cases, topics))
    for name, rows in (
        (_("事项"), cases),
        (_("办理记录"), events),
        (_("评价"), ratings),
        (_("需求"), demands),
    ):
        counter = None if progress is None else partial(progress, name)
        bulk_insert(rows, counter)
    audit_record(
        actor=actor,
        action="case_history_load",
        object_type="district",
        object_id=profile.district_id,
        note=_("导入历史事项 %(c)s 件、办理记录 %(e)s 条、评价 %(r)s 条、需求 %(d)s 条")
        % {"c": len(cases), "e": len(events), "r": len(ratings), "d": len(demands)},
    )
    return len(cases)


def _chunks(values: set[int] | set[str]) -> list[list[int] | list[str]]:
    ordered: list[int] | list[str] = sorted(values)  # type: ignore[assignment]
    return [ordered[i : i + LOOKUP_CHUNK] for i in range(0, len(ordered), LOOKUP_CHUNK)]


@dataclass
class _HistoryKnown:
    """What the cases are checked against, read once for the batch (a query per kind, and one
    per 10,000 residents or codes named): the district's communities, items, compounds,
    buildings and staff, the residents the cases name, the codes already taken."""

    communities: dict[int, Community]
    items: set[int]
    compounds: dict[int, int]  # compound → community
    buildings: dict[int, int]  # building → compound
    staff: set[int]  # user ids of the district's staff
    residents: dict[int, int]  # resident → community
    codes: set[str]  # tracking codes taken (stored, or earlier in the batch)
    terms: dict[str, str] = dataclass_field(default_factory=dict)

    @classmethod
    def of(cls, district_id: int, cases: list[Case]) -> "_HistoryKnown":
        communities = (
            Community.objects.filter(street__district_id=district_id)
            .select_related("street")
            .in_bulk()
        )
        residents: dict[int, int] = {}
        for ids in _chunks({c.resident_id for c in cases if c.resident_id is not None}):
            residents.update(Resident.objects.filter(pk__in=ids).values_list("pk", "community_id"))
        codes: set[str] = set()
        for chunk in _chunks({c.tracking_code for c in cases}):
            found = Case.objects.filter(tracking_code__in=chunk)
            codes.update(found.values_list("tracking_code", flat=True))
        return cls(
            communities=communities,
            items=set(ServiceItem.objects.values_list("pk", flat=True)),
            compounds=dict(
                Compound.objects.filter(community__in=communities).values_list("pk", "community_id")
            ),
            buildings=dict(
                Building.objects.filter(compound__community__in=communities).values_list(
                    "pk", "compound_id"
                )
            ),
            staff=set(
                StaffProfile.objects.filter(district_id=district_id).values_list(
                    "user_id", flat=True
                )
            ),
            residents=residents,
            codes=codes,
        )

    def check_case(self, case: Case) -> Case:
        """One past case as the live path leaves it (the rules in `case_history_load`)."""
        code = case.tracking_code
        if not TRACKING_CODE_RE.match(code or "") or code in self.codes:
            raise ValidationError(
                {"tracking_code": _("查询码“%(c)s”格式不对或已被使用。") % {"c": code}}
            )
        self.codes.add(code)
        community = self.communities.get(case.community_id)
        if community is None:
            raise ValidationError({"community": _("社区不在本区。")})
        if (case.street_id, case.district_id) != (
            community.street_id,
            community.street.district_id,
        ):
            raise ValidationError({"community": _("事项的街道和区须与其社区一致。")})
        self._check_place(case)
        if not case.description.strip():
            raise ValidationError({"description": _("请填写诉求内容。")})
        for name, choices in PAST_CHOICES.items():
            value = getattr(case, name)
            if value not in choices:
                raise ValidationError({name: _("未知的取值：%(v)s。") % {"v": value}})
        for user_id in (case.first_responder_id, case.owner_id):
            if user_id is not None and user_id not in self.staff:
                raise ValidationError({"owner": _("首问人和承办人须是本区的工作人员。")})
        _check_past_outcome(case)
        if case.description not in self.terms:
            self.terms[case.description] = case_search_terms(case.description)
        case.search_terms = self.terms[case.description]
        return case

    def _check_place(self, case: Case) -> None:
        """The item is known; compound, building and resident lie in the case's community."""
        if case.item_id is not None and case.item_id not in self.items:
            raise ValidationError({"item": _("未知的服务事项。")})
        if (
            case.compound_id is not None
            and self.compounds.get(case.compound_id) != case.community_id
        ):
            raise ValidationError({"compound": _("小区不在本社区。")})
        if case.building_id is not None and (
            case.compound_id is None or self.buildings.get(case.building_id) != case.compound_id
        ):
            raise ValidationError({"building": _("楼栋不在所选小区。")})
        if (
            case.resident_id is not None
            and self.residents.get(case.resident_id) != case.community_id
        ):
            raise ValidationError({"resident": _("居民不在本社区。")})


def _check_past_outcome(case: Case) -> None:
    """A resolved or closed case was replied to and resolved after it came in; it closed after
    it was resolved."""
    if case.created_at is None:
        raise ValidationError({"created_at": _("请填写受理时间。")})
    resolved = case.status in (Status.RESOLVED, Status.CLOSED)
    if resolved and (
        case.resolved_at is None or not case.reply.strip() or case.resolved_at < case.created_at
    ):
        raise ValidationError({"reply": _("已办结的事项须有答复和不早于受理的办结时间。")})
    if case.closed_at is not None and case.closed_at < (case.resolved_at or case.created_at):
        raise ValidationError({"closed_at": _("归档时间不能早于办结时间。")})


def _past_event(
    event: PastEvent, cases: list[Case], known: _HistoryKnown, last: dict[int, datetime]
) -> CaseEvent:
    """A timeline entry of a case in the batch, by the district's staff (or the system),
    no earlier than the case's creation or the case's entry before it."""
    if not 0 <= event.case < len(cases):
        raise ValidationError({"case": _("事项编号 %(n)s 不在本次导入中。") % {"n": event.case}})
    case = cases[event.case]
    if event.kind not in EVENT_KINDS:
        raise ValidationError({"kind": _("未知的办理记录类型。")})
    if event.actor is not None and event.actor.pk not in known.staff:
        raise ValidationError({"actor": _("办理人须是本区的工作人员。")})
    if event.at < last.get(event.case, case.created_at):
        raise ValidationError({"at": _("办理记录须按时间先后，且不早于受理时间。")})
    last[event.case] = event.at
    return CaseEvent(case=case, kind=event.kind, actor=event.actor, at=event.at, note=event.note)


def _past_rating(rating: PastRating, cases: list[Case], rated: set[int]) -> Rating:
    if not 0 <= rating.case < len(cases):
        raise ValidationError({"case": _("事项编号 %(n)s 不在本次导入中。") % {"n": rating.case}})
    case = cases[rating.case]
    if case.resolved_at is None or rating.case in rated or rating.at < case.resolved_at:
        raise ValidationError({"case": _("只能在事项办结后评价一次。")})
    if not (1 <= rating.attitude <= 5 and 1 <= rating.capability <= 5):
        raise ValidationError({"attitude": _("评分须在 1 到 5 之间。")})
    rated.add(rating.case)
    return Rating(
        case=case,
        attitude=rating.attitude,
        capability=rating.capability,
        comment=rating.comment,
        created_at=rating.at,
    )


def _past_demand(demand: PastDemand, cases: list[Case], topics: dict[str, str]) -> Demand:
    if not 0 <= demand.case < len(cases):
        raise ValidationError({"case": _("事项编号 %(n)s 不在本次导入中。") % {"n": demand.case}})
    case = cases[demand.case]
    if case.item_id is not None or not demand.text.strip():
        raise ValidationError({"case": _("需求清单只收未匹配事项的诉求。")})
    if demand.text not in topics:
        topics[demand.text] = demand_topic(demand.text)
    return Demand(community=case.community, text=demand.text, topic=topics[demand.text], case=case)
