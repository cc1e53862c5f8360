"""Reads for cases, always scoped to what the user may see (another area's case is a 404)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from doorstep.core.staffing import standing_in_for
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.choices import Role
from doorstep.places.models import Community
from doorstep.places.selectors import staff_profile

from . import hooks
from .choices import OPEN_STATUSES, EventKind
from .models import NO_DUE_DATE, Case, CaseEvent

User = Actor | AnonymousUser
DUE_SOON_DAYS = 2


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases of the user's area (the rule is the access policy's: ``places.access``)."""
    return access.visible_to(
        user,
        Case.objects.select_related("item", "owner__staff", "resident", "compound", "community"),
    )


# What a desk row of cases shows (cases/_case_rows.html, _case_rows_compact.html) and its list
# is keyed on, and what each relation it names adds. A list reads these columns and joins these
# relations only: PostgreSQL took 5–20 ms to plan the seven-way join of `cases_visible_to` at
# 2 M cases (37 indexes on the case table), ten times longer than running it, and the item's
# guidance texts came along with every row (docs/scale.md).
ROW_FIELDS = (
    "tracking_code",
    "description",
    "channel",
    "status",
    "responsibility",
    "queue",
    "due_date",
    "created_at",
    "community",
    "item",
    "owner",
)
RELATED_FIELDS = {
    "item": ("item__name",),
    "owner__staff": ("owner__staff__display_name",),
    "community": ("community__name",),
}
ROW_RELATED = ("item", "owner__staff", "community")
COMPACT_ROW_RELATED = ("item",)


def joined_for_rows(qs: QuerySet[Case], related: tuple[str, ...] = ROW_RELATED) -> QuerySet[Case]:
    """`qs` with what its rows show only. A row template reading another column would cost a
    query a row: the pages' pinned query counts catch that."""
    columns = [*ROW_FIELDS, *(name for r in related for name in RELATED_FIELDS[r])]
    return qs.select_related(None).select_related(*related).only(*columns)


def case_get(user: User, case_id: int) -> Case:
    """The case if the user may see it; raises Case.DoesNotExist otherwise (→ 404)."""
    related = ("rating", "item__category", "first_responder__staff", "community__street")
    return cases_visible_to(user).select_related(*related).get(pk=case_id)


# Everything the desk's case page names, joined to the case row: the page's one read of the case.
# The people it names (owner, first responder, the timeline's actors) are read apart, in one
# narrow query: joined here, two accounts with their posts made the row ~4,000 columns wide and
# the join 14 relations, and on PostgreSQL planning and building it cost more than reading it
# (9.5 ms against 4.0 at 14 M cases; docs/scale.md).
DETAIL_RELATED = (
    "rating",
    "item__category",
    "suggested_item",
    "department",
    "resident",
    "compound",
    "building",
    "community__street",
)


def case_detail(user: User, case_id: int) -> Case:
    """The case for its desk page, in three queries whatever its history: the case joined to
    what the page shows, its timeline (`case.events.all()`), and the people both name with
    their posts' display names. Raises Case.DoesNotExist outside the user's area (→ 404), like
    `case_get`."""
    case = (
        cases_visible_to(user)
        .select_related(None)
        .select_related(*DETAIL_RELATED)
        .prefetch_related("events")
        .get(pk=case_id)
    )
    events = list(case.events.all())
    named = (case.owner_id, case.first_responder_id, *(e.actor_id for e in events))
    people = _people({pk for pk in named if pk is not None})
    Case.owner.field.set_cached_value(case, people.get(case.owner_id or 0))
    Case.first_responder.field.set_cached_value(case, people.get(case.first_responder_id or 0))
    for event in events:
        CaseEvent.actor.field.set_cached_value(event, people.get(event.actor_id or 0))
    return case


def _people(ids: set[int]) -> dict[int, Actor]:
    """The accounts `ids` with their post's display name only (`user.staff.display_name`)."""
    if not ids:
        return {}
    accounts = (
        get_user_model()
        .objects.select_related("staff")
        .only("pk", "username", "staff__display_name", "staff__user")
        .filter(pk__in=ids)
    )
    return {account.pk: account for account in accounts}


# What a resident sees of a case's timeline (办理进度): the steps, not the workers' internal
# assignments, classifications and notes. The note is shown only where it is written for the
# resident (a reply, the outcome, the reason for refusing).
RESIDENT_EVENTS: frozenset[str] = frozenset(
    {
        EventKind.CREATED,
        EventKind.SETTLED,
        EventKind.ACCEPTED,
        EventKind.ESCALATED,
        EventKind.TRANSFERRED,
        EventKind.REPLIED,
        EventKind.RESOLVED,
        EventKind.REJECTED,
        EventKind.REOPENED,
        EventKind.RATED,
        EventKind.CLOSED,
    }
)
RESIDENT_NOTES: frozenset[str] = frozenset(
    {EventKind.REPLIED, EventKind.RESOLVED, EventKind.REJECTED, EventKind.SETTLED}
)


@dataclass(frozen=True)
class ResidentStep:
    """One line of the timeline as the resident sees it (portal, Open311)."""

    kind: str
    label: str
    at: datetime
    note: str


def resident_timeline(case: Case) -> list[ResidentStep]:
    """The case's timeline for the resident who left it: public steps, public notes only."""
    return [
        ResidentStep(
            kind=event.kind,
            label=event.get_kind_display(),
            at=event.at,
            note=event.note if event.kind in RESIDENT_NOTES else "",
        )
        for event in case.events.filter(kind__in=RESIDENT_EVENTS)
    ]


def last_resident_step_at() -> Subquery:
    """When the resident last saw the case change (Open311's updated_datetime): one index
    probe per row on (case, at), not a GROUP BY over every event of the list."""
    steps = CaseEvent.objects.filter(case=OuterRef("pk"), kind__in=RESIDENT_EVENTS)
    return Subquery(steps.order_by("-at").values("at")[:1])


def case_by_tracking_code(code: str) -> Case | None:
    """For the resident portal: the code is the only key (short, unguessable)."""
    normalised = normalise_tracking_code(code)
    if len(normalised) != 9:
        return None
    return Case.objects.select_related("item", "community").filter(tracking_code=normalised).first()


def cases_for_phone_hash(phone_hash: str, limit: int = 50) -> list[Case]:
    """For the portal's "my requests" (我的诉求): newest cases left under this phone, as
    contact or as the registered resident. The hash is of a phone the resident proved."""
    if not phone_hash:
        return []
    by_contact = Case.objects.filter(contact_phone_hash=phone_hash)
    by_resident = Case.objects.filter(resident__phone_hash=phone_hash)
    return list(
        (by_contact | by_resident)
        .select_related("item", "community")
        .order_by("-created_at", "-pk")[:limit]
    )


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
    """My open cases, and while an A post I back up is on leave, theirs too (代岗): derived
    from today's leave, so they fall back to A the day A returns. `standing_in` marks them;
    `due_key` is the promise date with the undated last (the list's keyset key)."""
    covered = standing_in_for(user.pk, today()) if user.pk else []
    return (
        open_cases(user)
        .filter(owner_id__in=[user.pk, *covered])
        .annotate(
            standing_in=ExpressionWrapper(
                Q(owner_id__in=covered) if covered else Value(False),
                output_field=BooleanField(),
            ),
            due_key=Coalesce("due_date", Value(NO_DUE_DATE)),
        )
        .order_by("due_key", "pk")
    )


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
    queue = access.work_queue(profile)
    return qs if queue is None else qs.filter(queue=queue)


@dataclass(frozen=True)
class DeskCounts:
    """The desk home's figures (工作台计数)."""

    today: int
    mine: int
    queue: int
    due_soon: int
    overdue: int
    needs_person: int


def desk_counts(user: User) -> DeskCounts:
    """The desk home's counts: from the read model above (`rollups` registers its source in
    `hooks.desk_counts`), never a count of the case table. A department's queue is not in the
    read model (it is keyed by community), so a department user's figures are counted, bounded
    by its index — as everyone's are when no read model is installed."""
    profile = staff_profile(user)
    if profile is not None and not access.is_role(profile, Role.DEPARTMENT):
        for source in hooks.desk_counts:
            return source(user, profile)
    return _counted(user)


def _counted(user: User) -> DeskCounts:
    return DeskCounts(
        today=received_today(user).count(),
        mine=mine(user).count(),
        queue=queue_for(user).count(),
        due_soon=due_soon(user).count(),
        overdue=overdue(user).count(),
        needs_person=needs_person(user).count(),
    )


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


def community_staff_users(community: Community) -> QuerySet[Actor]:
    return (
        Actor.objects.filter(
            staff__community=community, staff__role__in=list(COMMUNITY_ROLES), is_active=True
        )
        .select_related("staff")
        .order_by("staff__role", "staff__display_name")
    )
