"""Which part of the district a dashboard shows (辖区): the viewer's own area, narrowed by a
drill-down (street → community → grid → worker) that must stay inside it; anything outside is
a 404, never another area's figures."""

from dataclasses import dataclass, field

from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.models import Community, Grid, StaffProfile, Street
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


def _id(params: QueryDict, key: str) -> int | None:
    raw = params.get(key)
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Http404(_("没有找到该区域。"))
    return int(raw)


def viewer_profile(user: Actor) -> StaffProfile:
    return access.require(user, "dashboard.view", _("数据看板供书记、街道和区级人员使用。"))


def _workers(communities: list[Community]) -> list[Unit]:
    profiles = (
        StaffProfile.objects.filter(
            community__in=communities, role__in=list(COMMUNITY_ROLES), user__is_active=True
        )
        .select_related("community")
        .order_by("community_id", "role", "display_name")
    )
    return [
        Unit("worker", p.user_id, p.display_name, (p.community_id,), p.user_id)  # type: ignore[arg-type]
        for p in profiles
    ]


def area_for(user: Actor, params: QueryDict) -> Area:
    """The viewer's area narrowed by `street`, `community`, `grid` or `worker` (deepest wins)."""
    profile = viewer_profile(user)
    communities = list(communities_for(user).order_by("street_id", "pk"))
    ids = {c.pk for c in communities}
    level = access.area_level(profile)
    street_ids = sorted({c.street_id for c in communities})
    if level == "district":
        area = Area("district", profile.district.name, sorted(ids), street_ids=street_ids)
    elif level == "street":
        name = profile.street.name if profile.street else ""
        area = Area("street", name, sorted(ids), street_ids=street_ids)
    else:
        area = Area("community", communities[0].name if communities else "", sorted(ids))
    area.trail.append((area.name, {}))
    worker_id, grid_id = _id(params, "worker"), _id(params, "grid")
    community_id, street_id = _id(params, "community"), _id(params, "street")
    if street_id is not None and area.level == "district":
        street = Street.objects.filter(pk=street_id, communities__in=communities).first()
        if street is None:
            raise Http404(_("没有找到该街道，或不在您的辖区。"))
        in_street = [c for c in communities if c.street_id == street.pk]
        area.drill = {"street": str(street.pk)}
        area.level, area.name, area.community_ids = "street", street.name, [c.pk for c in in_street]
        area.street_ids = [street.pk]
        area.trail.append((street.name, dict(area.drill)))
    if community_id is not None:
        community = next((c for c in communities if c.pk == community_id), None)
        if community is None or community.pk not in area.community_ids:
            raise Http404(_("没有找到该社区，或不在您的辖区。"))
        if area.level != "community":
            area.drill = {**area.drill, "community": str(community.pk)}
            area.trail.append((community.name, dict(area.drill)))
        area.level, area.name, area.community_ids = "community", community.name, [community.pk]
        area.street_ids = []
    if grid_id is not None:
        grid = Grid.objects.filter(pk=grid_id, community_id__in=area.community_ids).first()
        if grid is None or area.level != "community":
            raise Http404(_("没有找到该网格，或不在您的辖区。"))
        area.drill = {**area.drill, "grid": str(grid.pk)}
        area.trail.append((grid.name, dict(area.drill)))
        area.level, area.name = "grid", grid.name
        area.children = [
            u
            for u in _workers([c for c in communities if c.pk == grid.community_id])
            if u.pk == grid.worker_id
        ]
    if worker_id is not None:
        worker = next(
            (
                u
                for u in _workers([c for c in communities if c.pk in area.community_ids])
                if u.pk == worker_id
            ),
            None,
        )
        if worker is None or area.level not in ("community", "grid"):
            raise Http404(_("没有找到该工作人员，或不在您的辖区。"))
        area.drill = {**area.drill, "worker": str(worker.pk)}
        area.trail.append((worker.name, dict(area.drill)))
        area.level, area.name, area.worker_id = "worker", worker.name, worker.pk
        area.community_ids = list(worker.community_ids)
        area.children = []
        return area
    if area.level == "district":
        streets: dict[int, list[int]] = {}
        names: dict[int, str] = {}
        for c in communities:
            streets.setdefault(c.street_id, []).append(c.pk)
            names[c.street_id] = c.street.name
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
            for g in Grid.objects.filter(community__in=mine).order_by("pk")
        ]
    return area
