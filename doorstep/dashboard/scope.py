"""Which part of the district a dashboard shows (辖区): the viewer's own area, narrowed by a
drill-down (street → community → grid → worker) that must stay inside it; anything outside is
a 404, never another area's figures."""

from dataclasses import dataclass, field

from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.models import Grid, StaffProfile
from doorstep.places.selectors import communities_for

DRILL_KEYS = ("street", "community", "grid", "worker")
MAX_ID = 2**62


@dataclass(frozen=True)
class Unit:
    """One row of the level below: a street, community, grid or worker."""

    key: str  # the drill-down parameter that opens it
    pk: int
    name: str
    community_ids: tuple[int, ...]
    worker_id: int | None = None


@dataclass
class Area:
    level: str  # district, street, community, grid, worker
    name: str
    community_ids: list[int]
    worker_id: int | None = None
    trail: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # breadcrumbs
    children: list[Unit] = field(default_factory=list)
    grids: list[Unit] = field(default_factory=list)
    drill: dict[str, str] = field(default_factory=dict)  # the parameters that select this area
    # Whole streets (the district, a street): the pages read their street rows (汇总到街道).
    street_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Spot:
    """The few fields of a community the scope needs (a district has ~1,300: no model
    instances, no joined street objects)."""

    pk: int
    street_id: int
    name: str
    street_name: str


def _spots(user: Actor) -> list[Spot]:
    rows = communities_for(user).order_by("street_id", "pk")
    return [Spot(*row) for row in rows.values_list("pk", "street_id", "name", "street__name")]


def _id(params: QueryDict, key: str) -> int | None:
    raw = params.get(key)
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Http404(_("没有找到该区域。"))
    return int(raw)


def viewer_profile(user: Actor) -> StaffProfile:
    return access.require(user, "dashboard.view", _("数据看板供书记、街道和区级人员使用。"))


def _workers(communities: list[Spot]) -> list[Unit]:
    profiles = StaffProfile.objects.filter(
        community_id__in=[c.pk for c in communities],
        role__in=list(COMMUNITY_ROLES),
        user__is_active=True,
    ).order_by("community_id", "role", "display_name")
    return [
        Unit("worker", p.user_id, p.display_name, (p.community_id,), p.user_id)  # type: ignore[arg-type]
        for p in profiles
    ]


def _viewer_area(profile: StaffProfile, communities: list[Spot]) -> Area:
    """The whole area of the viewer's post: the district, their street or their community."""
    ids = sorted(c.pk for c in communities)
    level = access.area_level(profile)
    street_ids = sorted({c.street_id for c in communities})
    if level == "district":
        area = Area("district", profile.district.name, ids, street_ids=street_ids)
    elif level == "street":
        name = profile.street.name if profile.street else ""
        area = Area("street", name, ids, street_ids=street_ids)
    else:
        area = Area("community", communities[0].name if communities else "", ids)
    area.trail.append((area.name, {}))
    return area


def _descend(area: Area, key: str, pk: int, name: str) -> None:
    """One step down the drill-down: the parameter kept in links and a breadcrumb."""
    area.drill = {**area.drill, key: str(pk)}
    area.trail.append((name, dict(area.drill)))


def _into_street(area: Area, communities: list[Spot], street_id: int) -> None:
    own = [c for c in communities if c.street_id == street_id]
    if not own:
        raise Http404(_("没有找到该街道，或不在您的辖区。"))
    _descend(area, "street", street_id, own[0].street_name)
    area.level, area.name = "street", own[0].street_name
    area.community_ids = [c.pk for c in own]
    area.street_ids = [street_id]


def _into_community(area: Area, communities: list[Spot], community_id: int) -> None:
    community = next((c for c in communities if c.pk == community_id), None)
    if community is None or community.pk not in area.community_ids:
        raise Http404(_("没有找到该社区，或不在您的辖区。"))
    if area.level != "community":
        _descend(area, "community", community.pk, community.name)
    area.level, area.name, area.community_ids = "community", community.name, [community.pk]
    area.street_ids = []


def _into_grid(area: Area, communities: list[Spot], grid_id: int) -> None:
    grid = Grid.objects.filter(pk=grid_id, community_id__in=area.community_ids).first()
    if grid is None or area.level != "community":
        raise Http404(_("没有找到该网格，或不在您的辖区。"))
    _descend(area, "grid", grid.pk, grid.name)
    area.level, area.name = "grid", grid.name
    own = [c for c in communities if c.pk == grid.community_id]
    area.children = [u for u in _workers(own) if u.pk == grid.worker_id]


def _into_worker(area: Area, communities: list[Spot], worker_id: int) -> None:
    shown = [c for c in communities if c.pk in area.community_ids]
    worker = next((u for u in _workers(shown) if u.pk == worker_id), None)
    if worker is None or area.level not in ("community", "grid"):
        raise Http404(_("没有找到该工作人员，或不在您的辖区。"))
    _descend(area, "worker", worker.pk, worker.name)
    area.level, area.name, area.worker_id = "worker", worker.name, worker.pk
    area.community_ids = list(worker.community_ids)
    area.children = []


def _children(area: Area, communities: list[Spot]) -> None:
    """The units of the level below, one row each in the comparison table."""
    if area.level == "district":
        streets: dict[int, list[int]] = {}
        names: dict[int, str] = {}
        for c in communities:
            streets.setdefault(c.street_id, []).append(c.pk)
            names[c.street_id] = c.street_name
        area.children = [Unit("street", s, names[s], tuple(cs)) for s, cs in streets.items()]
    elif area.level == "street":
        area.children = [
            Unit("community", c.pk, c.name, (c.pk,))
            for c in communities
            if c.pk in area.community_ids
        ]
    elif area.level == "community":
        mine = [c for c in communities if c.pk in area.community_ids]
        area.children = _workers(mine)
        area.grids = [
            Unit("grid", g.pk, g.name, (g.community_id,), g.worker_id)
            for g in Grid.objects.filter(community_id__in=[c.pk for c in mine]).order_by("pk")
        ]


def area_for(user: Actor, params: QueryDict) -> Area:
    """The viewer's area narrowed by `street`, `community`, `grid` or `worker` (deepest wins)."""
    profile = viewer_profile(user)
    communities = _spots(user)
    area = _viewer_area(profile, communities)
    worker_id, grid_id = _id(params, "worker"), _id(params, "grid")
    community_id, street_id = _id(params, "community"), _id(params, "street")
    if street_id is not None and area.level == "district":
        _into_street(area, communities, street_id)
    if community_id is not None:
        _into_community(area, communities, community_id)
    if grid_id is not None:
        _into_grid(area, communities, grid_id)
    if worker_id is not None:
        _into_worker(area, communities, worker_id)
    else:
        _children(area, communities)  # a grid's one worker is set by _into_grid
    return area
