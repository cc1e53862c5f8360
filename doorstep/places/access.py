"""The access policy (权限规则): the one place that says who may see and do what.

Three questions, each answered here and nowhere else (docs/architecture.md, "Access policy"):

- **Which roles** — the role sets (``COMMUNITY_ROLES``, ``LEADER_ROLES`` …) and the named
  permissions (``PERMISSIONS``: "who may set up a facility", "who may take 12345 orders" …).
  ``may(actor, "hotline")`` / ``require(actor, "hotline", message)`` answer "may this actor do
  this", optionally in a given community; ``has_role`` is for the few rules that are a role set.
- **Which rows** — ``visible_to(actor, Model or queryset)``: every area-scoped model registers
  once (``register(Model, Scope(...))`` at the foot of its ``models.py``) with the path from the
  row to its community and how department staff see it. NetBox's
  ``RestrictedQuerySet.restrict(user, action)`` is the model.
- **This row, checked and locked** — ``access_object(actor, Model, pk, lock=True)``: lookup,
  scope and ``SELECT … FOR UPDATE`` in one call, raising ``Model.DoesNotExist`` for a row the
  actor may not see (another area's record does not exist for them: a 404, never a 403 that
  would confirm it). Zulip's ``access_message(user, id, lock_message=True)`` is the model.

The scope of an account follows from its role and the area it belongs to: community staff
(desk, grid, secretary) see their community, street staff their street, district admins and
department staff the district — except where a model says department staff see only their
department's queue (cases) or their own rows (leave, worker records).

This module sits on the places floor: it knows roles and areas, never the apps above it. A
higher app passes its models in; it is never imported from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Model, Q, QuerySet, Value
from django.db.models.functions import Cast

from doorstep.core.types import Actor

from .choices import Role
from .models import Building, Community, Compound, Resident, StaffProfile

User = Actor | AnonymousUser
M = TypeVar("M", bound=Model)

# ---------------------------------------------------------------- role sets (the only ones)

ALL_ROLES: frozenset[str] = frozenset(Role.values)
# Staff of one community: 全岗社工, 网格员, 书记/主任.
COMMUNITY_ROLES: frozenset[str] = frozenset({Role.DESK, Role.GRID, Role.SECRETARY})
# Above the community: the street and the district.
UPPER_AREA: frozenset[str] = frozenset({Role.STREET, Role.DISTRICT})
# Who leads an area: the community secretary, the street, the district (dashboards, batch).
LEADER_ROLES: frozenset[str] = frozenset({Role.SECRETARY, Role.STREET, Role.DISTRICT})
NOT_DEPARTMENT: frozenset[str] = ALL_ROLES - {Role.DEPARTMENT}
DISTRICT_ONLY: frozenset[str] = frozenset({Role.DISTRICT})
DEPARTMENT_ONLY: frozenset[str] = frozenset({Role.DEPARTMENT})
# Posts that train 40 hours a year, not 20 (书记、主任; workforce rule).
LEADER_POSTS: frozenset[str] = frozenset({Role.SECRETARY})
# Desk, grid, secretary and street staff book rooms for residents (the district does not).
BOOKING_ROLES: frozenset[str] = NOT_DEPARTMENT - {Role.DISTRICT}
# 12345 hotline orders are received by the street and the community secretary.
HOTLINE_ROLES: frozenset[str] = frozenset({Role.SECRETARY, Role.STREET})

# Named permissions: "may this actor do X". One line per rule; a new rule is a new line.
PERMISSIONS: dict[str, frozenset[str]] = {
    # cases
    "case.intake": NOT_DEPARTMENT,
    "case.batch": LEADER_ROLES,
    "case.see_missing_years": DISTRICT_ONLY,
    "case.history_load": DISTRICT_ONLY,  # a district's earlier cases, bulk (case_history_load)
    # catalogue
    "catalog.edit_standard": DISTRICT_ONLY,
    "catalog.edit_local": frozenset({Role.SECRETARY}),
    "catalog.manage": frozenset({Role.SECRETARY, Role.DISTRICT}),
    "catalog.translate": DISTRICT_ONLY,
    # reference data and keys
    "places.import": DISTRICT_ONLY,  # streets, communities, staff, residents in bulk
    "workdays.edit": DISTRICT_ONLY,
    "routing.admin": DISTRICT_ONLY,
    "api.keys": DISTRICT_ONLY,
    "interop.keys": DISTRICT_ONLY,
    # 12345 hotline
    "hotline": HOTLINE_ROLES,
    "hotline.street": frozenset({Role.STREET}),
    "hotline.community": frozenset({Role.SECRETARY}),
    # field work
    "field.work": NOT_DEPARTMENT,
    "field.oversee": LEADER_ROLES,
    "field.community": COMMUNITY_ROLES,
    "field.own_grid": frozenset({Role.GRID}),
    # workforce
    "workforce.manage": LEADER_ROLES,
    "workforce.manage_street": UPPER_AREA,
    "workforce.station": UPPER_AREA,
    "workforce.onsite_request": LEADER_ROLES,
    "workforce.onsite_accept": DEPARTMENT_ONLY,
    "workforce.video": NOT_DEPARTMENT,
    "workforce.counter": frozenset({Role.DESK, Role.SECRETARY}),
    "workforce.records": NOT_DEPARTMENT,
    "workforce.overview": UPPER_AREA,
    "workforce.overview_by_street": DISTRICT_ONLY,
    "workforce.fee_ledger": NOT_DEPARTMENT,
    # bookings
    "bookings.desk": BOOKING_ROLES,
    "bookings.setup": HOTLINE_ROLES,
    # programmes (民生项目: fund, certificates, subsidy, assistance, canteen). Every post but
    # department staff opens the programme pages; the writes below narrow it.
    "programmes.view": NOT_DEPARTMENT,
    # 一元爱心基金: the community desk and secretary take donations and ask to pay out; the
    # secretary, street and district approve (two of them, never the requester) and so see
    # recipients' names.
    "fund.record": frozenset({Role.DESK, Role.SECRETARY}),
    "fund.approve": LEADER_ROLES,
    # 证明: issued and printed at the community desk (desk, secretary); revoked by those who
    # lead an area; templates are the district's, one per district.
    "certificates.issue": frozenset({Role.DESK, Role.SECRETARY}),
    "certificates.revoke": LEADER_ROLES,
    "certificates.templates": DISTRICT_ONLY,
    "certificates.volunteer_hours": COMMUNITY_ROLES,
    # 高龄补贴: community staff certify and remind; the desk or secretary draw up the proposed
    # list from the registry, the secretary alone confirms it; a grid worker's due list is their
    # own grids unless they pick another.
    "subsidy.work": COMMUNITY_ROLES,
    "subsidy.propose": frozenset({Role.DESK, Role.SECRETARY}),
    "subsidy.confirm": frozenset({Role.SECRETARY}),
    "subsidy.own_grids": frozenset({Role.GRID}),
    # 综合帮扶: files of families in hardship, for the secretary, street and district only
    # (never the desk or grid); the same posts register, record votes, decide and pay.
    "assistance": LEADER_ROLES,
    # 社区食堂: meals are recorded at the community desk.
    "canteen.record": frozenset({Role.DESK, Role.SECRETARY}),
    # volunteers
    "volunteers.organise": COMMUNITY_ROLES,
    "volunteers.desk": COMMUNITY_ROLES | UPPER_AREA,
    # participation
    "participation.edit": NOT_DEPARTMENT,
    "participation.adopt": LEADER_ROLES,
    # 街道督办: the street's and district's view of every community's ten practical things.
    "participation.oversee": UPPER_AREA,
    # dashboard
    "dashboard.view": LEADER_ROLES,
    "dashboard.scorecards": COMMUNITY_ROLES | UPPER_AREA,
    "dashboard.own_scorecard_only": frozenset({Role.DESK, Role.GRID}),
}


# ---------------------------------------------------------------- who is asking


def staff_profile(user: User | None) -> StaffProfile | None:
    """The staff post of a signed-in account, or None (resident, anonymous, plain account)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff
    except StaffProfile.DoesNotExist:
        return None


def has_role(user: User | StaffProfile | None, roles: frozenset[str] | set[str]) -> bool:
    """Whether the account (or the post itself) holds one of these roles."""
    profile = user if isinstance(user, StaffProfile) else staff_profile(user)
    return profile is not None and profile.role in roles


def is_role(user: User | StaffProfile | None, role: str) -> bool:
    return has_role(user, frozenset({role}))


def communities_for(user: User | None) -> QuerySet[Community]:
    """The communities a staff member may see: own community, own street, or whole district."""
    profile = staff_profile(user)
    qs = Community.objects.select_related("street")
    if profile is None:
        return qs.none()
    if profile.role in COMMUNITY_ROLES and profile.community_id is not None:
        return qs.filter(pk=profile.community_id)
    if profile.role == Role.STREET and profile.street_id is not None:
        return qs.filter(street_id=profile.street_id)
    if profile.role in (Role.DISTRICT, Role.DEPARTMENT):
        return qs.filter(street__district_id=profile.district_id)
    return qs.none()


def in_area(user: User | None, community: Community | int | None) -> bool:
    """Whether the community lies in the actor's area (one query)."""
    community_id = community.pk if isinstance(community, Community) else community
    if community_id is None:
        return False
    return communities_for(user).filter(pk=community_id).exists()


def own_community(user: User | StaffProfile | None) -> Community | None:
    """The community a community worker belongs to; None for street, district, department."""
    profile = user if isinstance(user, StaffProfile) else staff_profile(user)
    if profile is None or profile.role not in COMMUNITY_ROLES:
        return None
    return profile.community


def post_known(role: str) -> bool:
    return role in ALL_ROLES


def post_is_district_admin(role: str) -> bool:
    """A district admin's post (区级管理员), staff and superuser in the admin site."""
    return role in DISTRICT_ONLY


def post_area_fits(role: str, *, community: bool, street: bool, department: bool) -> bool:
    """Whether a post's area fits its role (an imported staff row, `places_import`): a
    community post has a community (its street may be named too), street staff a street,
    department staff a department, each nothing else; a district admin nothing below the
    district. The scopes above assume it; `StaffProfile`'s constraints hold part of it."""
    if role in COMMUNITY_ROLES:
        return community and not department
    if role == Role.STREET:
        return street and not (community or department)
    if role == Role.DEPARTMENT:
        return department and not (community or street)
    return not (community or street or department)


def is_community_staff(user: User | StaffProfile | None, community: Community | int | None) -> bool:
    """Whether the actor works in this very community (desk, grid or secretary there)."""
    community_id = community.pk if isinstance(community, Community) else community
    profile = user if isinstance(user, StaffProfile) else staff_profile(user)
    return bool(
        profile
        and profile.role in COMMUNITY_ROLES
        and community_id is not None
        and profile.community_id == community_id
    )


# The level of post that works a case in each queue (cases.choices.Queue values).
QUEUE_ROLES: dict[str, frozenset[str]] = {
    "community": COMMUNITY_ROLES,
    "street": frozenset({Role.STREET}),
    "department": DEPARTMENT_ONLY,
}


def work_queue(user: User | StaffProfile | None) -> str | None:
    """The case queue this post picks up from; None for district admins (every queue)."""
    profile = user if isinstance(user, StaffProfile) else staff_profile(user)
    if profile is None:
        return None
    return next((queue for queue, roles in QUEUE_ROLES.items() if profile.role in roles), None)


def may_work_queue(user: User | StaffProfile | None, queue: str) -> bool:
    """Whether the post may move a case sitting in this queue: the level it sits with, and
    district admins always."""
    return has_role(user, DISTRICT_ONLY) or has_role(user, QUEUE_ROLES[queue])


def area_level(user: User | StaffProfile | None) -> str:
    """Which level of area the post looks after: "district", "street" or "community"."""
    if has_role(user, DISTRICT_ONLY):
        return "district"
    return "street" if has_role(user, frozenset({Role.STREET})) else "community"


def working_community(user: User | None, wanted: int | None) -> Community | None:
    """The community a desk page works on (当前社区): a community worker's own; for the street
    and the district the wanted one if it is in their area, else the first of their area."""
    own = own_community(user)
    if own is not None:
        return own
    visible = communities_for(user).order_by("pk")
    return visible.filter(pk=wanted).first() if wanted else visible.first()


def may(user: User | None, permission: str, community: Community | int | None = None) -> bool:
    """Whether the actor's role carries the permission and, if a community is named, that
    community is in their area."""
    if not has_role(user, PERMISSIONS[permission]):
        return False
    return community is None or in_area(user, community)


def require(
    user: User | None,
    permission: str,
    message: str,
    community: Community | int | None = None,
) -> StaffProfile:
    """The actor's post if ``may(...)``; PermissionDenied with the given Chinese message if not."""
    profile = staff_profile(user)
    if profile is None or not may(user, permission, community):
        raise PermissionDenied(message)
    return profile


# ---------------------------------------------------------------- which rows


@dataclass(frozen=True)
class Scope:
    """How a model's rows belong to an area.

    ``community`` is the ORM path from the row to its community. By default department staff
    see the district (as ``communities_for`` gives them); ``department`` narrows them to rows
    whose path points at their department, ``owner`` to rows whose path points at themselves,
    and ``departments_see_nothing`` hides the model from them. ``street``/``district`` name
    direct paths for rows kept at street or district level (no community); ``shared_path``
    marks rows with no community as open to the whole district the row belongs to;
    ``distinct`` is for a department path that crosses a to-many relation."""

    community: str
    department: str | None = None
    owner: str | None = None
    departments_see_nothing: bool = False
    street: str | None = None
    district: str | None = None
    shared_district: str | None = None
    distinct: bool = False


REGISTRY: dict[type[Model], Scope] = {}


def register(model: type[Model], scope: Scope) -> None:
    """Make a model area-scoped: ``visible_to`` and ``access_object`` then know its rows."""
    REGISTRY[model] = scope


def scope_of(model: type[Model]) -> Scope:
    try:
        return REGISTRY[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} is not area-scoped: register it in its models.py "
            "with doorstep.places.access.register"
        ) from None


def _area_id(pk: int | None) -> Cast:
    """An area's id typed as the key columns are (bigint). Django writes an id into the SQL as
    a bare number, an int4; a B-tree compares across integer types, but `btree_gin` does not,
    so a bare `street_id = 5` kept the case search index (`cases/0013`: area and search pairs
    in one GIN) from taking the area, and PostgreSQL ANDed it with the street's B-tree."""
    return Cast(Value(pk or 0), BigIntegerField())


def _by_level(scope: Scope, profile: StaffProfile, qs: QuerySet[M]) -> QuerySet[M]:
    """Rows kept at the level of the post (worker records): community, street or district."""
    assert scope.street and scope.district
    if profile.role in COMMUNITY_ROLES:
        return qs.filter(**{f"{scope.community}_id": _area_id(profile.community_id)})
    if profile.role == Role.STREET:
        return qs.filter(**{f"{scope.street}_id": _area_id(profile.street_id)})
    if profile.role == Role.DISTRICT:
        return qs.filter(**{f"{scope.district}_id": _area_id(profile.district_id)})
    return qs.none()


def _by_department(scope: Scope, profile: StaffProfile, user: User, qs: QuerySet[M]) -> QuerySet[M]:
    if scope.departments_see_nothing:
        return qs.none()
    if scope.department:
        return qs.filter(**{f"{scope.department}_id": profile.department_id or 0})
    assert scope.owner
    return qs.filter(**{f"{scope.owner}_id": user.pk or 0})


def _by_area(scope: Scope, user: User, qs: QuerySet[M]) -> QuerySet[M]:
    in_area_q = Q(**{f"{scope.community}__in": communities_for(user)})
    if scope.shared_district:
        profile = staff_profile(user)
        assert profile is not None
        shared = Q(**{f"{scope.community}__isnull": True})
        return qs.filter(**{f"{scope.shared_district}_id": profile.district_id}).filter(
            shared | in_area_q
        )
    return qs.filter(in_area_q)


def visible_to(user: User | None, source: type[M] | QuerySet[M]) -> QuerySet[M]:
    """The rows of this model (or of this queryset) the actor may see."""
    qs = source if isinstance(source, QuerySet) else source._default_manager.all()
    scope = scope_of(qs.model)
    profile = staff_profile(user)
    if profile is None or user is None:
        return qs.none()
    if profile.role == Role.DEPARTMENT and (
        scope.department or scope.owner or scope.departments_see_nothing
    ):
        found = _by_department(scope, profile, user, qs)
        # A department path crosses a to-many relation (a resident's cases): one row each.
        return found.distinct() if scope.distinct else found
    if scope.street and scope.district:
        return _by_level(scope, profile, qs)
    return _by_area(scope, user, qs)


def access_object(
    user: User | None, source: type[M] | QuerySet[M], pk: int | None, *, lock: bool = False
) -> M:
    """One row the actor may see, optionally locked (``SELECT … FOR UPDATE`` of that row only)
    for the rest of the caller's transaction. Raises ``Model.DoesNotExist`` otherwise."""
    qs = visible_to(user, source)
    if lock:
        if scope_of(qs.model).distinct:
            # FOR UPDATE cannot be combined with DISTINCT: lock the row by its key.
            qs = qs.model._default_manager.filter(pk__in=qs.filter(pk=pk or 0).values("pk"))
        qs = qs.select_for_update(of=("self",))
    found = qs.filter(pk=pk or 0).first()
    if found is None:
        missing: type[Exception] = qs.model.DoesNotExist  # type: ignore[attr-defined]
        raise missing(f"{qs.model.__name__} {pk} is not in the actor's area")
    return found


def _attribute(obj: Model, path: str) -> int | None:
    """The ``<path>_id`` of a one-hop path read off the row itself (no query)."""
    value: int | None = getattr(obj, f"{path}_id")
    return value


def can_see(user: User | None, obj: Model) -> bool:
    """Whether this row lies in the actor's area: ``visible_to`` for one row already loaded,
    reading one-hop paths off the row (at most the one query ``in_area`` makes)."""
    scope = scope_of(type(obj))
    profile = staff_profile(user)
    if profile is None:
        return False
    simple = all(
        "__" not in path
        for path in (scope.community, scope.department, scope.owner, scope.street)
        if path
    )
    if not simple or scope.shared_district or scope.street:
        return visible_to(user, type(obj)).filter(pk=obj.pk).exists()
    if profile.role == Role.DEPARTMENT and scope.departments_see_nothing:
        return False
    if profile.role == Role.DEPARTMENT and scope.department:
        value = _attribute(obj, scope.department)
        return value is not None and value == profile.department_id
    if profile.role == Role.DEPARTMENT and scope.owner:
        return user is not None and _attribute(obj, scope.owner) == user.pk
    return in_area(user, _attribute(obj, scope.community))


def check_in_area(user: User | None, community: Community | int | None) -> None:
    """Raise ``Community.DoesNotExist`` (→ 404) for a community outside the actor's area."""
    if not in_area(user, community):
        raise Community.DoesNotExist


# Residents: community and street staff see their area's; department staff only the residents
# of cases in their department's queue; district admins the whole district.
register(Resident, Scope(community="community", department="cases__department", distinct=True))
register(Compound, Scope(community="community"))
register(Building, Scope(community="compound__community"))
