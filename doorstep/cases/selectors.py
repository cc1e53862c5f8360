"""Reads for cases, always scoped to what the user may see (another area's case is a 404)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from doorstep.core.types import Actor
from doorstep.places.choices import COMMUNITY_ROLES, Role
from doorstep.places.models import Community
from doorstep.places.selectors import communities_for, staff_profile
from doorstep.rollups.selectors import Flow, Stock, flow_by, flow_by_community, stock_by

from .choices import OPEN_STATUSES, Channel, Queue
from .models import Case

User = Actor | AnonymousUser
DUE_SOON_DAYS = 2


def cases_visible_to(user: User) -> QuerySet[Case]:
    profile = staff_profile(user)
    qs = Case.objects.select_related("item", "owner__staff", "resident", "compound", "community")
    if profile is None:
        return qs.none()
    if profile.role == Role.DEPARTMENT:
        return qs.filter(department_id=profile.department_id or 0)
    return qs.filter(community__in=communities_for(user))


def case_get(user: User, case_id: int) -> Case:
    """The case if the user may see it; raises Case.DoesNotExist otherwise (→ 404)."""
    return cases_visible_to(user).get(pk=case_id)


def case_by_tracking_code(code: str) -> Case | None:
    """For the resident portal: the code is the only key (short, unguessable)."""
    normalised = normalise_tracking_code(code)
    if len(normalised) != 9:
        return None
    return Case.objects.select_related("item", "community").filter(tracking_code=normalised).first()


def normalise_tracking_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def today() -> date:
    return timezone.localdate()


def open_cases(user: User) -> QuerySet[Case]:
    return cases_visible_to(user).filter(status__in=OPEN_STATUSES)


def overdue(user: User, on: date | None = None) -> QuerySet[Case]:
    return open_cases(user).filter(due_date__lt=on or today()).order_by("due_date")


def due_soon(user: User, on: date | None = None) -> QuerySet[Case]:
    day = on or today()
    return (
        open_cases(user)
        .filter(due_date__gte=day, due_date__lte=day + timedelta(days=DUE_SOON_DAYS))
        .order_by("due_date")
    )


def mine(user: User) -> QuerySet[Case]:
    return open_cases(user).filter(owner_id=user.pk).order_by("due_date", "created_at")


def needs_person(user: User) -> QuerySet[Case]:
    """需人工分派: open cases that no catalogue item has been settled for yet (text-only intake
    below the routing threshold, unmatched requests)."""
    return open_cases(user).filter(item__isnull=True).order_by("created_at")


def queue_for(user: User) -> QuerySet[Case]:
    """Cases waiting for this user's level to pick up: the street's or department's queue,
    or for a community worker the community's unowned open cases."""
    profile = staff_profile(user)
    qs = open_cases(user).filter(owner__isnull=True)
    if profile is None:
        return qs.none()
    if profile.role == Role.STREET:
        return qs.filter(queue=Queue.STREET)
    if profile.role == Role.DEPARTMENT:
        return qs.filter(queue=Queue.DEPARTMENT)
    if profile.role in COMMUNITY_ROLES:
        return qs.filter(queue=Queue.COMMUNITY)
    return qs


def received_today(user: User) -> QuerySet[Case]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return cases_visible_to(user).filter(created_at__gte=start)


def batch_for_week(user: User, friday: date) -> QuerySet[Case]:
    """The Friday batch (周五集中报送): open cases needing upper approval registered up to that
    Friday, in the user's area."""
    return (
        open_cases(user)
        .filter(needs_upper_approval=True, created_at__date__lte=friday)
        .order_by("community__name", "created_at")
    )


@dataclass
class CommunityOverview:
    """One community's card on 社区概览, read from the rollups (no count of the case table)."""

    community: Community
    flow: Flow
    stock: Stock
    by_channel: list[tuple[str, int]]
    top_items: list[tuple[str, int]]


def communities_overview(communities: list[Community], since: date) -> list[CommunityOverview]:
    """Flow since `since`, open and overdue now, channel mix and top items for each community:
    five queries whatever the number of communities."""
    from doorstep.catalog.models import ServiceItem

    ids = [c.pk for c in communities]
    until = today()
    flows = flow_by_community(ids, since, until)
    stocks = stock_by(ids, until, "community_id")
    channels = flow_by(ids, since, until, "community_id", "channel")
    items = flow_by(ids, since, until, "community_id", "item_id")
    names = dict(
        ServiceItem.objects.filter(pk__in={i for _c, i in items if i}).values_list("pk", "name")
    )
    out = []
    for community in communities:
        mix = sorted(
            (
                (str(Channel(ch).label), f.received)
                for (c, ch), f in channels.items()
                if c == community.pk
            ),
            key=lambda r: -r[1],
        )
        top = sorted(
            (
                (names.get(i, ""), f.received)
                for (c, i), f in items.items()
                if c == community.pk and i and f.received
            ),
            key=lambda r: -r[1],
        )[:10]
        out.append(
            CommunityOverview(
                community=community,
                flow=flows.get(community.pk, Flow()),
                stock=stocks.get(community.pk, Stock()),
                by_channel=[r for r in mix if r[1]],
                top_items=top,
            )
        )
    return out


def community_staff_users(community: Community) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            staff__community=community, staff__role__in=list(COMMUNITY_ROLES), is_active=True
        )
        .select_related("staff")
        .order_by("staff__role", "staff__display_name")
    )
