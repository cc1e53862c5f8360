"""Writes of the interop area: Open311 requests, 12345 work orders (import, hand
assignment, reply), WeChat messages, and notification delivery with retries.

Every case is opened through `doorstep.cases.services.case_create`; nothing here writes a Case.
"""

import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.cases.choices import Channel, EventKind
from doorstep.cases.models import Case, CaseEvent
from doorstep.cases.services import Intake, case_create
from doorstep.catalog.models import ServiceItem
from doorstep.core import crypto
from doorstep.core.redact import seal
from doorstep.core.types import Actor
from doorstep.core.validators import validate_phone
from doorstep.places import access
from doorstep.places.models import Building, Community, Compound, StaffProfile, Street
from doorstep.places.selectors import communities_for
from doorstep.routing.services import auto_route

from .address import AddressMatch, match_address, nearest_compound
from .choices import NotificationKind, NotificationStatus, OrderSource, OrderStatus
from .models import (
    HotlineOrder,
    Notification,
    Open311Client,
    Open311Request,
    WechatMessage,
    api_key_hash,
)

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- Open311


@dataclass(frozen=True)
class Open311Post:
    """What an Open311 client posted (POST requests.json)."""

    service_code: str
    description: str = ""
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""


def client_communities(client: Open311Client) -> list[Community]:
    if client.community_id is not None:
        return list(
            Community.objects.select_related("street__district").filter(pk=client.community_id)
        )
    return list(
        Community.objects.select_related("street__district").filter(street_id=client.street_id or 0)
    )


def _locate(client: Open311Client, data: Open311Post) -> AddressMatch:
    pool = client_communities(client)
    if data.lat is not None and data.long is not None:
        compound = nearest_compound(data.lat, data.long, pool)
        if compound is not None:
            return AddressMatch(compound.community, compound, None, 1.0)
    if data.address_string.strip():
        found = match_address(data.address_string, pool)
        if found.found:
            return found
    if client.community_id is not None and pool:
        return AddressMatch(pool[0], None, None, 0.0)
    if data.lat is None and not data.address_string.strip():
        raise ValidationError(
            {"address_string": _("请提供位置：lat 与 long，或 address_string。")}, code="location"
        )
    raise ValidationError(
        {"address_string": _("无法根据所给位置确定所属社区，请核对地址。")}, code="location"
    )


@transaction.atomic
def open311_request_create(*, client: Open311Client, data: Open311Post) -> Open311Request:
    """An Open311 app files a request for a resident (channel App, no staff actor)."""
    if not client.active:
        raise PermissionDenied(_("该应用已停用。"))
    item = ServiceItem.objects.filter(code=data.service_code, active=True).first()
    if item is None:
        raise ValidationError({"service_code": _("未知的服务类型。")}, code="service_code")
    email = data.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("电子邮箱格式不正确。")}) from None
    place = _locate(client, data)
    assert place.community is not None
    description = data.description.strip() or item.name
    phone = data.phone.strip()
    try:
        phone = validate_phone(phone) if phone else ""
    except ValidationError:
        # A number we cannot dial as a Chinese phone (e.g. +1 …) is kept, flagged, in the
        # text — masked there like any number, the original sealed — not a refused report.
        description += "\n" + _("【未核验的联系电话】%(phone)s") % {"phone": phone[:40]}
        phone = ""
    case = case_create(
        actor=None,
        data=Intake(
            community=place.community,
            channel=Channel.APP,
            description=description,
            item=item,
            contact_name=f"{data.last_name.strip()}{data.first_name.strip()}",
            contact_phone=phone,
            compound=place.compound,
            building=place.building,
        ),
    )
    return Open311Request.objects.create(
        case=case,
        client=client,
        token=secrets.token_hex(16),
        email_encrypted=crypto.encrypt(email),
        latitude=data.lat,
        longitude=data.long,
        address_string=data.address_string.strip()[:300],
        attributes={k[:100]: str(v)[:1000] for k, v in data.attributes.items()},
    )


# ---------------------------------------------------------------- 12345 hotline


@dataclass(frozen=True)
class HotlineRow:
    """One 12345 work order, parsed and checked."""

    order_no: str
    content: str
    called_at: datetime | None = None
    caller_name: str = ""
    caller_phone: str = ""
    address: str = ""
    deadline: date | None = None
    category: str = ""
    raw: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    row: int
    order_no: str
    reason: str


@dataclass
class ImportReport:
    """What one import did, row by row (导入结果)."""

    matched: list[str] = field(default_factory=list)
    needs_person: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "needs_person": self.needs_person,
            "duplicates": self.duplicates,
            "errors": [
                {"row": e.row, "order_no": e.order_no, "reason": e.reason} for e in self.errors
            ],
        }


def _check_hotline_actor(actor: Actor) -> StaffProfile:
    profile = access.require(actor, "hotline", _("只有街道工作人员和社区书记可以处理12345工单。"))
    if hotline_street_id(profile) is None:
        raise PermissionDenied(_("该账号未设置所属街道。"))
    return profile


def hotline_street_id(profile: StaffProfile) -> int | None:
    """The street whose 12345 orders a worker handles: their own, or their community's."""
    if profile.street_id is not None:
        return int(profile.street_id)
    community = profile.community
    return int(community.street_id) if community is not None else None


def _route(content: str, community: Community) -> tuple[ServiceItem | None, float | None]:
    try:
        return auto_route(content, community)
    except Exception:  # a broken model must not stop intake: a person routes instead
        logger.exception("routing failed for a 12345 order")
        return None, None


def _hotline_case(
    actor: Actor,
    order: HotlineOrder,
    community: Community,
    compound: Compound | None,
    building: Building | None,
) -> Case:
    item, confidence = _route(order.content, community)
    phone = crypto.decrypt(order.caller_phone_encrypted)
    intake = Intake(
        community=community,
        channel=Channel.HOTLINE,
        description=f"【12345 {order.order_no}】{order_content(order)}",
        item=item,
        suggested_item=item,
        routing_confidence=confidence,
        contact_name=order.caller_name,
        contact_phone=phone,
        compound=compound,
        building=building,
        due_cap=order.deadline,
    )
    try:
        with transaction.atomic():
            return case_create(actor=actor, data=intake)
    except ValidationError as error:
        # A number the desk cannot dial back (e.g. a masked 12345 number) stays on the order.
        if not (hasattr(error, "error_dict") and "contact_phone" in error.error_dict):
            raise
    return case_create(actor=actor, data=replace(intake, contact_phone=""))


def order_content(order: HotlineOrder) -> str:
    """The content as the hotline sent it (phones included); for creating the case only."""
    return crypto.decrypt(order.content_sealed) if order.content_sealed else order.content


def _import_one(
    actor: Actor, profile: StaffProfile, row: HotlineRow, source: str, at: datetime
) -> HotlineOrder:
    if access.may(actor, "hotline.community"):
        own = cast(Community, profile.community)  # a community post always has its community
        pool = [own]
        match = match_address(row.address, pool)
        if not match.found:  # the street sent it to this community: it is theirs
            match = AddressMatch(own, None, None, 0.0)
    else:
        pool = list(communities_for(actor).select_related("street__district"))
        match = match_address(row.address, pool)
    content = seal(row.content)
    order = HotlineOrder.objects.create(
        order_no=row.order_no,
        street_id=hotline_street_id(profile) or 0,
        called_at=row.called_at,
        caller_name=row.caller_name[:50],
        caller_phone_encrypted=crypto.encrypt(row.caller_phone),
        content=content.text,
        content_sealed=content.encrypted,
        address=row.address[:300],
        deadline=row.deadline,
        category=row.category[:100],
        raw=row.raw,
        source=source,
        community=match.community,
        compound=match.compound,
        building=match.building,
        match_score=match.score if match.found else None,
        status=OrderStatus.NEEDS_PERSON,
        imported_by=actor,
        imported_at=at,
    )
    if match.community is not None:
        order.case = _hotline_case(actor, order, match.community, match.compound, match.building)
        order.status = OrderStatus.MATCHED
        order.save(update_fields=["case", "status"])
    return order


def hotline_import(
    *,
    actor: Actor,
    rows: list[tuple[int, HotlineRow | RowError]],
    source: str = OrderSource.FILE,
    now: datetime | None = None,
) -> ImportReport:
    """Import parsed 12345 rows. Each row is its own transaction: a bad row is reported with
    its row number and reason while the good rows of the same file still import; an order
    number seen before is skipped (idempotent: the unique order number decides)."""
    profile = _check_hotline_actor(actor)
    at = now or timezone.now()
    report = ImportReport()
    for number, row in rows:
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        if HotlineOrder.objects.filter(order_no=row.order_no).exists():
            report.duplicates.append(row.order_no)
            continue
        try:
            with transaction.atomic():
                order = _import_one(actor, profile, row, source, at)
        except IntegrityError:
            if HotlineOrder.objects.filter(order_no=row.order_no).exists():
                report.duplicates.append(row.order_no)
            else:
                report.errors.append(RowError(number, row.order_no, _("保存失败，请重试。")))
            continue
        except (ValidationError, PermissionDenied) as error:
            reason = "；".join(getattr(error, "messages", None) or [str(error)])
            report.errors.append(RowError(number, row.order_no, reason))
            continue
        if order.status == OrderStatus.MATCHED:
            report.matched.append(order.order_no)
        else:
            report.needs_person.append(order.order_no)
    return report


@transaction.atomic
def hotline_assign(
    *,
    actor: Actor,
    order_id: int,
    community: Community,
    compound: Compound | None = None,
    building: Building | None = None,
) -> HotlineOrder:
    """人工分派: a person names the community (and compound) of an order the address matcher
    could not place; the case is opened there."""
    profile = _check_hotline_actor(actor)
    order = HotlineOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None or order.street_id != hotline_street_id(profile):
        raise HotlineOrder.DoesNotExist
    access.require(actor, "hotline.street", _("待人工分派的工单由街道分派。"))
    if order.status != OrderStatus.NEEDS_PERSON:
        raise ValidationError(_("该工单已分派，不能重复分派。"), code="assigned")
    if not access.in_area(actor, community):
        raise ValidationError({"community": _("请选择本街道的社区。")})
    if compound is not None and compound.community_id != community.pk:
        raise ValidationError({"compound": _("该小区不属于所选社区。")})
    if building is not None and (compound is None or building.compound_id != compound.pk):
        raise ValidationError({"building": _("楼栋与小区不匹配。")})
    order.community, order.compound, order.building = community, compound, building
    order.case = _hotline_case(actor, order, community, compound, building)
    order.status = OrderStatus.MATCHED
    order.save(update_fields=["community", "compound", "building", "case", "status"])
    return order


@transaction.atomic
def hotline_mark_replied(*, actor: Actor, order_ids: list[int], now: datetime | None = None) -> int:
    """回单: the replies of these orders went back to 12345 (by file or by API)."""
    _check_hotline_actor(actor)
    from .selectors import hotline_replies_due

    at = now or timezone.now()
    ids = list(hotline_replies_due(actor).filter(pk__in=order_ids).values_list("pk", flat=True))
    return HotlineOrder.objects.filter(pk__in=ids).update(status=OrderStatus.REPLIED, replied_at=at)


# ---------------------------------------------------------------- WeChat


def wechat_message_receive(
    *, community: Community, msg_id: str, openid: str, content: str
) -> WechatMessage:
    """A resident's text to the official account becomes a case; WeChat's retries of the same
    message (same MsgId) get the same case back."""
    existing = WechatMessage.objects.select_related("case").filter(msg_id=msg_id).first()
    if existing is not None:
        return existing
    item, confidence = _route(content, community)
    try:
        with transaction.atomic():
            case = case_create(
                actor=None,
                data=Intake(
                    community=community,
                    channel=Channel.WECHAT,
                    description=content,
                    item=item,
                    suggested_item=item,
                    routing_confidence=confidence,
                ),
            )
            return WechatMessage.objects.create(
                community=community, msg_id=msg_id, openid=openid, content=content, case=case
            )
    except IntegrityError:
        return WechatMessage.objects.select_related("case").get(msg_id=msg_id)


# ---------------------------------------------------------------- notifications

NOTICE_FOR_EVENT = {
    EventKind.CREATED: NotificationKind.REGISTERED,
    EventKind.SETTLED: NotificationKind.RESOLVED,
    EventKind.RESOLVED: NotificationKind.RESOLVED,
    EventKind.REJECTED: NotificationKind.REJECTED,
}
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most 6 hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def notify_timeout() -> float:
    return float(getattr(settings, "DOORSTEP_NOTIFY_TIMEOUT", 10))


def lease() -> timedelta:
    """How long a claimed notification is left alone before another worker may try it."""
    return timedelta(seconds=notify_timeout() * 2 + 30)


def notifications_record(case: Case, event: CaseEvent) -> list[Notification]:
    """The outbox (发件箱): one pending notice per configured channel for an event the resident
    hears about, written by one INSERT inside the case's transaction, so a crash either keeps
    both the case change and its notices or neither. Who receives it is looked up at delivery
    (a WeChat or Open311 contact is recorded later in the same transaction)."""
    from .channels import CHANNELS, message_body

    kind = NOTICE_FOR_EVENT.get(EventKind(event.kind))
    if kind is None:
        return []
    names = list(dict.fromkeys(getattr(settings, "DOORSTEP_NOTIFY_CHANNELS", ["log"])))
    for unknown in [n for n in names if n not in CHANNELS]:
        logger.error("unknown notification channel %r in DOORSTEP_NOTIFY_CHANNELS", unknown)
    body, now = message_body(case, kind), timezone.now()
    notices = [
        Notification(
            case=case, event=event, kind=kind, channel=name, body=body, next_attempt_at=now
        )
        for name in names
        if name in CHANNELS
    ]
    return Notification.objects.bulk_create(notices) if notices else []


def _due(at: datetime) -> Q:
    """Waiting for its (next) attempt, or claimed by a worker whose lease ran out (killed
    mid-send): that one is reclaimed, never re-queued."""
    return Q(status=NotificationStatus.PENDING, next_attempt_at__lte=at) | Q(
        status=NotificationStatus.SENDING, lease_until__lt=at
    )


def _take(pks: list[int], at: datetime) -> int:
    return Notification.objects.filter(_due(at), pk__in=pks).update(
        status=NotificationStatus.SENDING, lease_until=at + lease(), attempts=F("attempts") + 1
    )


def notification_claim_next(at: datetime) -> int | None:
    """Take the oldest due notice for one attempt. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so
    workers on several machines each take a different row without waiting; SQLite: the
    transaction is IMMEDIATE (settings), so claims run one at a time."""
    with transaction.atomic():
        pk = (
            Notification.objects.filter(_due(at))
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None or not _take([pk], at):
            return None
    return pk


def _attempt(notification_id: int, at: datetime) -> str:
    from .channels import channel_named

    notice = Notification.objects.select_related("case__resident", "case__community").get(
        pk=notification_id
    )
    try:
        channel = channel_named(notice.channel)
        recipient = channel.recipient(notice.case)
        if recipient is None:
            Notification.objects.filter(pk=notice.pk).update(
                status=NotificationStatus.SKIPPED, lease_until=None
            )
            return "skipped"
        if not notice.recipient_masked:
            notice.recipient_masked = channel.mask(recipient)
            Notification.objects.filter(pk=notice.pk).update(
                recipient_masked=notice.recipient_masked
            )
        channel.send(notice, recipient)
    except Exception as error:  # any gateway failure: record it and try again later
        failed = notice.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notice.pk, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.FAILED if failed else NotificationStatus.PENDING,
            next_attempt_at=at + backoff(notice.attempts),
            lease_until=None,
            last_error=f"{type(error).__name__}: {error}"[:1000],
        )
        logger.warning("notification %s attempt %s failed: %s", notice.pk, notice.attempts, error)
        return "failed" if failed else "retry"
    Notification.objects.filter(pk=notice.pk).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return "sent"


def notification_deliver(notification_id: int, *, now: datetime | None = None) -> str:
    """One delivery attempt of this notice, if it is due. On failure it waits
    `backoff(attempts)`; after MAX_ATTEMPTS it is marked failed. A send that succeeded at the
    gateway but whose answer was lost is sent again with the same idempotency key."""
    at = now or timezone.now()
    if not _take([notification_id], at):
        return "not_due"
    return _attempt(notification_id, at)


def notification_deliver_next(*, now: datetime | None = None) -> str | None:
    """What `doorstep worker` does in its loop: claim the next due notice and attempt it;
    None when nothing is due."""
    at = now or timezone.now()
    pk = notification_claim_next(at)
    return None if pk is None else _attempt(pk, at)


def open311_client_create(
    name: str,
    *,
    community: Community | None = None,
    street: Street | None = None,
    key: str = "",
) -> tuple[Open311Client, str]:
    """Write an Open311 app's key; the plain key is returned once, only its hash is kept. The
    write itself, without an actor: pages go through `open311_client_issue` (the district
    admin's check and the audit entry); the demo (its fixed demo key) and tests use this."""
    key = key or "o311_" + secrets.token_urlsafe(24)
    client = Open311Client.objects.create(
        name=name, api_key_hash=api_key_hash(key), community=community, street=street
    )
    return client, key


@transaction.atomic
def open311_client_issue(
    *, actor: Actor, name: str, community_id: int | None = None, street_id: int | None = None
) -> tuple[Open311Client, str]:
    """The district admin registers an Open311 app for one community or one street of the
    district; the plain api_key is returned once, only its hash is kept; audited."""
    from doorstep.core.models import AuditEntry

    profile = access.require(
        actor, "interop.keys", _("只有区级管理员可以开具接口令牌和 Open311 密钥。")
    )
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError({"name": _("请填写应用名称。")})
    community = communities_for(actor).filter(pk=community_id).first() if community_id else None
    street = (
        Street.objects.filter(pk=street_id, district_id=profile.district_id).first()
        if street_id and community is None
        else None
    )
    if community is None and street is None:
        raise ValidationError({"scope": _("请选择本区的一个社区或街道。")})
    client, key = open311_client_create(name, community=community, street=street)
    AuditEntry.objects.create(
        actor=actor,
        action="open311_key_issue",
        object_type="open311_client",
        object_id=str(client.pk),
        reason=(_("开具 Open311 密钥：%(name)s") % {"name": name})[:200],
    )
    return client, key


ORDER_REVEALABLE = ("caller_phone", "content")


@transaction.atomic
def hotline_order_reveal(*, actor: Actor, order_id: int, field: str, reason: str) -> str:
    """The caller's phone, or the content as 12345 sent it, in full (查看来电号码): needs a
    typed reason and writes an audit entry; an order outside the worker's street or community
    is DoesNotExist, as on the list."""
    from doorstep.core.services import personal_data_shown

    from .selectors import hotline_orders

    if field not in ORDER_REVEALABLE:
        raise ValidationError(_("不能查看该字段。"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("查看完整信息须填写理由。")})
    order = hotline_orders(actor).get(pk=order_id)
    value = (
        crypto.decrypt(order.caller_phone_encrypted)
        if field == "caller_phone"
        else order_content(order)
    )
    personal_data_shown(
        actor=actor,
        action="reveal",
        object_type="hotline_order",
        object_id=str(order.pk),
        field=field,
        reason=reason,
    )
    return value
