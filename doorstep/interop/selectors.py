"""Reads of the interop area, always scoped: to the Open311 app's area or the worker's."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from doorstep.cases.choices import Status
from doorstep.cases.models import Case
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.selectors import staff_profile

from .choices import OrderStatus
from .models import HotlineOrder, Notification, Open311Client, api_key_hash

FINISHED = (Status.RESOLVED, Status.CLOSED, Status.REJECTED)


def open311_client_for_key(api_key: str) -> Open311Client | None:
    if not api_key:
        return None
    return (
        Open311Client.objects.select_related("community", "street")
        .filter(api_key_hash=api_key_hash(api_key), active=True)
        .first()
    )


def open311_cases(client: Open311Client) -> QuerySet[Case]:
    """The cases an Open311 app may read: its community's, or its street's."""
    qs = Case.objects.select_related(
        "item", "community__street", "owner__staff", "department", "compound", "building"
    )
    if client.community_id is not None:
        return qs.filter(community_id=client.community_id)
    return qs.filter(community__street_id=client.street_id or 0)


def open311_public_cases() -> QuerySet[Case]:
    """What anyone may read over Open311 (公开子集): every case, shown by
    `open311.public_request_dict` — masked description, no contact, compound-level place."""
    return Case.objects.select_related("item", "community__street", "department", "compound")


def hotline_orders(user: Actor, status: str = "") -> QuerySet[HotlineOrder]:
    """Street staff see their street's orders; a secretary sees her community's."""
    profile = staff_profile(user)
    qs = HotlineOrder.objects.select_related("community", "compound", "building", "case")
    if profile is None:
        return qs.none()
    if access.may(user, "hotline.street"):
        qs = qs.filter(street_id=profile.street_id or 0)
    elif access.may(user, "hotline.community"):
        qs = qs.filter(community_id=profile.community_id or 0)
    else:
        return qs.none()
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    return qs


def hotline_queue(user: Actor) -> QuerySet[HotlineOrder]:
    """待人工分派: orders whose address matched no community of the street (the page orders
    and pages them through `filters.QueueFilter`)."""
    return hotline_orders(user, OrderStatus.NEEDS_PERSON)


def hotline_replies_due(user: Actor, *, pending_only: bool = True) -> QuerySet[HotlineOrder]:
    """Orders whose case is answered: what goes back to 12345 (回单), unordered (the page
    pages it by id; `hotline_replies` reads it by order number for the file)."""
    statuses = [OrderStatus.MATCHED] if pending_only else [OrderStatus.MATCHED, OrderStatus.REPLIED]
    return (
        hotline_orders(user)
        .filter(status__in=statuses, case__status__in=FINISHED)
        .select_related("case__owner__staff", "case__community")
    )


# One 回单 file (or API pull) carries at most this many orders: 12345's own import takes 5,000
# a file, and a district's answered orders of all time would otherwise be read in one go.
REPLY_BATCH = 5000


def hotline_replies(user: Actor, *, pending_only: bool = True) -> list[HotlineOrder]:
    """The 回单 file's orders, by order number, at most REPLY_BATCH: the pending ones oldest
    order number first (the next file takes the next batch, as each file marks its orders
    replied); with the replied ones included, the REPLY_BATCH most recently registered."""
    qs = hotline_replies_due(user, pending_only=pending_only)
    if pending_only:
        return list(qs.order_by("order_no")[:REPLY_BATCH])
    return sorted(qs.order_by("-id")[:REPLY_BATCH], key=lambda o: o.order_no)


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def hotline_reply_row(order: HotlineOrder) -> dict[str, Any]:
    """One 回单 line: 工单编号, 办理结果, 办理单位/人, 办结时间."""
    case = order.case
    assert case is not None
    owner = getattr(case.owner, "staff", None) if case.owner_id else None
    unit = case.community.name + (f"/{owner.display_name}" if owner else "")
    result = case.reply
    if case.status == Status.REJECTED:
        result = f"不予受理：{case.reply}"
    return {
        "工单编号": order.order_no,
        "办理结果": result,
        "办理单位/人": unit,
        "办结时间": _local(case.resolved_at or case.replied_at),
        "状态": case.get_status_display(),
        "查询码": case.tracking_code,
    }


def notifications_for(user: Actor, limit: int = 50) -> list[Notification]:
    from doorstep.places.selectors import communities_for

    return list(
        Notification.objects.filter(case__community__in=communities_for(user))
        .select_related("case")
        .order_by("-created_at")[:limit]
    )
