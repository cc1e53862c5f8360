"""Reads for field work, always through the worker's area (辖区范围)."""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from difflib import SequenceMatcher

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from doorstep.cases.choices import OPEN_STATUSES
from doorstep.cases.models import Case
from doorstep.catalog.models import Category
from doorstep.core import staffing
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.choices import Role, StationKind
from doorstep.places.models import (
    Building,
    Community,
    Compound,
    Grid,
    Household,
    Resident,
    ServiceStation,
    StaffProfile,
)
from doorstep.places.selectors import User, communities_for, staff_profile
from doorstep.workdays.selectors import calendar_for

from .choices import DONE_OUTCOMES, Duty, Period, Weekday
from .models import BuildingHead, HomeVisit, MobileDeskSession, PostPair, ReceptionSlot, RotaEntry

# Neighbourhood stations serve about 500 households; flag those far off (邻里服务站规模).
STATION_TARGET_HOUSEHOLDS = 500
STATION_MIN_HOUSEHOLDS = 300
STATION_MAX_HOUSEHOLDS = 700
# A 15-minute walk (15分钟生活圈) at about 80 m a minute.
WALK_RADIUS_M = 1200
WALK_SPEED_M_PER_MIN = 80
EARTH_RADIUS_M = 6_371_000
CARE_AGE = 80


# --- area -------------------------------------------------------------------------------------


def community_choices(user: User) -> list[tuple[str, list[tuple[int, str]]]]:
    """The communities of the user's area by street, for the field pages' picker (社区选择).

    One query however many communities the area holds. Empty when there is nothing to pick
    (community staff see only their own community).
    """
    rows = communities_for(user).order_by("street__name", "name", "pk")
    by_street: dict[str, list[tuple[int, str]]] = {}
    for pk, name, street in rows.values_list("pk", "name", "street__name"):
        by_street.setdefault(street, []).append((pk, name))
    return list(by_street.items()) if sum(map(len, by_street.values())) > 1 else []


def community_or_404(user: User, community_id: int | str | None) -> Community:
    """The community asked for, if the user may see it; community staff get their own."""
    profile = staff_profile(user)
    qs = communities_for(user)
    if community_id in (None, "") and profile is not None and profile.community_id:
        community_id = profile.community_id
    if community_id in (None, ""):
        community = qs.order_by("pk").first()
    else:
        try:
            community = qs.filter(pk=int(community_id)).first()
        except (TypeError, ValueError):
            community = None
    if community is None:
        raise Http404
    return community


def is_secretary_of(user: User, community: Community) -> bool:
    """Secretaries edit their own community's field plans; street and district staff too."""
    return access.may(user, "field.oversee", community)


def community_workers(community: Community) -> QuerySet[StaffProfile]:
    return (
        StaffProfile.objects.select_related("user")
        .filter(community=community, role__in=COMMUNITY_ROLES, user__is_active=True)
        .order_by("role", "display_name")
    )


def care_q(today: date, prefix: str = "") -> Q:
    """Residents needing care: alone, 80+, disabled, 低保 or bedridden."""
    eighty = _years_before(today, CARE_AGE)
    return (
        Q(**{f"{prefix}lives_alone": True})
        | Q(**{f"{prefix}disabled": True})
        | Q(**{f"{prefix}subsistence_allowance": True})
        | Q(**{f"{prefix}bedridden": True})
        | Q(**{f"{prefix}birth_date__lte": eighty})
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def care_labels(resident: Resident, today: date) -> list[str]:
    labels = []
    age = resident.age_on(today)
    if age is not None and age >= CARE_AGE:
        labels.append(f"{age}岁")
    for flag, label in (
        ("lives_alone", "独居"),
        ("bedridden", "卧床"),
        ("disabled", "残疾"),
        ("subsistence_allowance", "低保"),
    ):
        if getattr(resident, flag):
            labels.append(label)
    return labels


# --- my grid ----------------------------------------------------------------------------------


@dataclass
class BuildingRow:
    building: Building
    households: int
    care: int
    open_cases: int
    heads: list[BuildingHead]
    contracted: bool
    rows: list["HouseholdRow"]


@dataclass
class HouseholdRow:
    household: Household
    residents: int
    last_visit: date | None


@dataclass
class MyGrid:
    worker: StaffProfile
    grids: list[Grid]
    buildings: list[BuildingRow]
    households: int
    care_residents: list[tuple[Resident, list[str], date | None]]
    open_cases: int = 0
    never_visited: int = 0


def grid_buildings(worker: Actor) -> QuerySet[Building]:
    """Buildings in the worker's grids plus the ones the worker contracts (包楼)."""
    return Building.objects.filter(
        Q(compound__grid__worker=worker) | Q(contractor=worker)
    ).distinct()


def last_visits(household_ids: list[int]) -> dict[int, date]:
    rows = (
        HomeVisit.objects.filter(household_id__in=household_ids, outcome__in=DONE_OUTCOMES)
        .values("household_id")
        .annotate(last=Max("visited_on"))
    )
    return {r["household_id"]: r["last"] for r in rows}


def my_grid(worker: StaffProfile, today: date) -> MyGrid:
    user = worker.user
    buildings = list(
        grid_buildings(user)
        .filter(compound__community=worker.community)
        .select_related("compound", "contractor__staff")
        .prefetch_related("heads")
        .annotate(n_households=Count("households", distinct=True))
        .order_by("compound__name", "pk")
    )
    ids = [b.pk for b in buildings]
    open_by_building = dict(
        Case.objects.filter(building_id__in=ids, status__in=OPEN_STATUSES)
        .values_list("building_id")
        .annotate(n=Count("pk"))
        .values_list("building_id", "n")
    )
    households = list(
        Household.objects.filter(building_id__in=ids)
        .annotate(n_residents=Count("residents"))
        .order_by("building_id", "unit", "room")
    )
    visits = last_visits([h.pk for h in households])
    care = list(
        Resident.objects.filter(household__building_id__in=ids)
        .filter(care_q(today))
        .select_related("household__building__compound")
        .order_by("household__building__compound__name", "household__building_id", "name")
    )
    care_by_building = Counter(r.household.building_id for r in care if r.household)
    by_building: dict[int, list[HouseholdRow]] = {}
    for h in households:
        by_building.setdefault(h.building_id, []).append(
            HouseholdRow(h, h.n_residents, visits.get(h.pk))
        )
    rows = [
        BuildingRow(
            building=b,
            households=b.n_households,
            care=care_by_building.get(b.pk, 0),
            open_cases=open_by_building.get(b.pk, 0),
            heads=list(b.heads.all()),
            contracted=b.contractor_id == user.pk,
            rows=by_building.get(b.pk, []),
        )
        for b in buildings
    ]
    return MyGrid(
        worker=worker,
        grids=list(Grid.objects.filter(worker=user, community=worker.community)),
        buildings=rows,
        households=len(households),
        care_residents=[(r, care_labels(r, today), visits.get(r.household_id or 0)) for r in care],
        open_cases=sum(open_by_building.values()),
        never_visited=sum(1 for h in households if h.pk not in visits),
    )


# --- coverage ---------------------------------------------------------------------------------


@dataclass
class StationSize:
    station: ServiceStation
    households: int
    flag: str  # "" | "under" | "over"


@dataclass
class Coverage:
    community: Community
    buildings: int
    households: int
    uncontracted: list[Building]
    headless: list[tuple[Building, int]]  # buildings with no head, and their households
    headless_households: int
    stations: list[StationSize]
    unstationed_households: int


def station_flag(households: int) -> str:
    if households < STATION_MIN_HOUSEHOLDS:
        return "under"
    if households > STATION_MAX_HOUSEHOLDS:
        return "over"
    return ""


def coverage(community: Community) -> Coverage:
    """Ownership gaps (包楼/楼院长/邻里服务站) of one community."""
    buildings = Building.objects.filter(compound__community=community)
    per_building = dict(
        Household.objects.filter(building__in=buildings)
        .values_list("building_id")
        .annotate(n=Count("pk"))
        .values_list("building_id", "n")
    )
    headless = list(
        buildings.filter(heads__isnull=True).select_related("compound").order_by("compound__name")
    )
    stations = []
    covered: set[int] = set()
    for station in (
        ServiceStation.objects.filter(community=community, kind=StationKind.NEIGHBOURHOOD)
        .select_related("area")
        .order_by("name")
    ):
        area = getattr(station, "area", None)
        ids = set(area.buildings.values_list("pk", flat=True)) if area else set()
        covered |= ids
        n = sum(per_building.get(i, 0) for i in ids)
        stations.append(StationSize(station, n, station_flag(n)))
    total = sum(per_building.values())
    return Coverage(
        community=community,
        buildings=buildings.count(),
        households=total,
        uncontracted=list(
            buildings.filter(contractor__isnull=True)
            .select_related("compound")
            .order_by("compound__name", "pk")
        ),
        headless=[(b, per_building.get(b.pk, 0)) for b in headless],
        headless_households=sum(per_building.get(b.pk, 0) for b in headless),
        stations=stations,
        unstationed_households=total - sum(per_building.get(i, 0) for i in covered),
    )


# --- contact card -----------------------------------------------------------------------------


@dataclass
class CardData:
    community: Community
    grid: Grid | None
    secretary: StaffProfile | None
    grid_workers: list[tuple[str, StaffProfile]]  # (grid name, worker)


def card_data(community: Community, grid: Grid | None = None) -> CardData:
    secretary = (
        StaffProfile.objects.filter(community=community, role=Role.SECRETARY, user__is_active=True)
        .order_by("pk")
        .first()
    )
    grids = Grid.objects.filter(community=community).select_related("worker__staff")
    if grid is not None:
        grids = grids.filter(pk=grid.pk)
    workers = []
    for g in grids.order_by("pk"):
        profile = staff_profile(g.worker) if g.worker else None
        if profile is not None:
            workers.append((g.name, profile))
    return CardData(community, grid, secretary, workers)


# --- nearest station --------------------------------------------------------------------------


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass
class NearStation:
    station: ServiceStation
    distance_m: int
    walk_minutes: int
    services: str


def doorstep_services() -> str:
    return "、".join(Category.objects.order_by("order").values_list("name", flat=True))


def nearest_stations(lat: float, lng: float, radius_m: int = WALK_RADIUS_M) -> list[NearStation]:
    """Stations within a 15-minute walk, nearest first."""
    found = []
    standard = ""
    for station in ServiceStation.objects.filter(
        latitude__isnull=False, longitude__isnull=False
    ).select_related("area"):
        assert station.latitude is not None and station.longitude is not None
        d = haversine_m(lat, lng, station.latitude, station.longitude)
        if d > radius_m:
            continue
        area = getattr(station, "area", None)
        services = area.services if area and area.services else ""
        if not services and station.kind == StationKind.DOORSTEP:
            standard = standard or doorstep_services()
            services = standard
        found.append(
            NearStation(station, round(d), max(1, math.ceil(d / WALK_SPEED_M_PER_MIN)), services)
        )
    return sorted(found, key=lambda s: (s.distance_m, s.station.name))


def compound_match(query: str, limit: int = 5) -> list[Compound]:
    """Compounds whose name or address matches the text: substring first, then fuzzy."""
    text = "".join((query or "").split())
    if not text:
        return []
    located = Compound.objects.filter(latitude__isnull=False, longitude__isnull=False)
    exact = list(
        located.filter(Q(name__contains=text) | Q(address__contains=text)).order_by("name")[:limit]
    )
    if exact:
        return exact
    scored = []
    for c in located.only("name", "address", "latitude", "longitude"):
        inside = c.name in text or (c.address and c.address in text)
        ratio = max(
            SequenceMatcher(None, text, c.name).ratio(),
            SequenceMatcher(None, text, c.address).ratio() if c.address else 0.0,
        )
        score = 1.0 if inside else ratio
        if score >= 0.5:
            scored.append((score, c.name, c))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [c for _, _, c in scored[:limit]]


# --- mobile desk ------------------------------------------------------------------------------

MIN_SESSIONS_PER_MONTH = 3
# One open case in a compound weighs as much as a week more since the desk last came.
OPEN_CASE_WEIGHT_DAYS = 7
NEVER_VISITED_DAYS = 365
SESSION_SLOTS = [(time(9, 0), time(11, 30)), (time(15, 0), time(17, 30))]
# Fridays first (离案工作日), then midweek days.
SESSION_WEEKDAYS = [4, 2, 1, 3, 0]


@dataclass
class Proposal:
    compound: Compound
    date: date
    starts_at: time
    ends_at: time
    open_cases: int
    days_since: int | None  # None: the desk never came
    score: int
    staff: list[Actor] = field(default_factory=list)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def compound_priority(community: Community, before: date) -> list[tuple[Compound, int, int | None]]:
    """Compounds ranked for the next session: (compound, open cases, days since last session)."""
    compounds = list(community.compounds.select_related("grid__worker").order_by("name"))
    open_cases = dict(
        Case.objects.filter(community=community, status__in=OPEN_STATUSES, compound__isnull=False)
        .values_list("compound_id")
        .annotate(n=Count("pk"))
        .values_list("compound_id", "n")
    )
    last = dict(
        MobileDeskSession.objects.filter(community=community, date__lt=before)
        .values_list("compound_id")
        .annotate(last=Max("date"))
        .values_list("compound_id", "last")
    )
    rows = []
    for c in compounds:
        days = (before - last[c.pk]).days if c.pk in last else None
        rows.append((c, open_cases.get(c.pk, 0), days))

    def score(row: tuple[Compound, int, int | None]) -> int:
        _, n, days = row
        return (NEVER_VISITED_DAYS if days is None else days) + OPEN_CASE_WEIGHT_DAYS * n

    rows.sort(key=lambda r: (-score(r), r[0].name))
    return rows


def session_days(community: Community, month: date, n: int) -> list[date]:
    """`n` working days spread over the month, Fridays first; repeats days if it must."""
    first, last = month_bounds(month)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    calendar = calendar_for(community.street.district_id)
    working = [d for d in days if calendar.is_working_day(d)]
    chosen: list[date] = []
    for weekday in SESSION_WEEKDAYS:
        pool = [d for d in working if d.weekday() == weekday]
        need = n - len(chosen)
        if need <= 0:
            break
        if len(pool) <= need:
            chosen += pool
        else:  # spread evenly over the month
            step = (len(pool) - 1) / (need - 1) if need > 1 else 0
            chosen += [pool[round(k * step)] for k in range(need)]
    while len(chosen) < n and working:  # more sessions than working days
        chosen.append(working[len(chosen) % len(working)])
    return sorted(chosen)


def rotation_propose(community: Community, month: date, sessions: int) -> list[Proposal]:
    """Next month's mobile-desk rotation (流动服务点轮转): at least three sessions; every compound
    in turn, highest priority first — most open cases and longest since the desk last came.
    Compounds that already have a session that month go last."""
    first, last = month_bounds(month)
    booked = set(
        MobileDeskSession.objects.filter(
            community=community, date__gte=first, date__lte=last
        ).values_list("compound_id", flat=True)
    )
    ranked = compound_priority(community, first)
    ranked.sort(key=lambda r: r[0].pk in booked)  # stable: keeps priority order within groups
    if not ranked:
        return []
    n = max(sessions, MIN_SESSIONS_PER_MONTH)
    days = session_days(community, month, n)
    proposals = []
    for i, day in enumerate(days):
        compound, open_n, since = ranked[i % len(ranked)]
        same_day = days[:i].count(day)
        start, end = SESSION_SLOTS[same_day % len(SESSION_SLOTS)]
        worker = compound.grid.worker if compound.grid and compound.grid.worker else None
        proposals.append(
            Proposal(
                compound=compound,
                date=day,
                starts_at=start,
                ends_at=end,
                open_cases=open_n,
                days_since=since,
                score=(NEVER_VISITED_DAYS if since is None else since)
                + OPEN_CASE_WEIGHT_DAYS * open_n,
                staff=[worker] if worker else [],
            )
        )
    return proposals


def sessions_for(community: Community, since: date, until: date) -> QuerySet[MobileDeskSession]:
    return (
        MobileDeskSession.objects.filter(community=community, date__gte=since, date__lte=until)
        .select_related("compound")
        .prefetch_related("staff__staff")
        .order_by("date", "starts_at")
    )


def public_schedule(today: date, days: int = 45) -> list[MobileDeskSession]:
    return list(
        MobileDeskSession.objects.filter(date__gte=today, date__lte=today + timedelta(days=days))
        .select_related("compound", "community")
        .order_by("date", "starts_at")
    )


def reception_schedule(community: Community | None = None) -> list[ReceptionSlot]:
    qs = ReceptionSlot.objects.select_related("grid__community", "grid__worker__staff")
    if community is not None:
        qs = qs.filter(grid__community=community)
    return list(qs.order_by("grid__community__name", "weekday", "half_day"))


# --- rota -------------------------------------------------------------------------------------

# Where each rota period sits in the day; a period counts if it overlaps the opening hours.
PERIOD_BOUNDS = {
    Period.MORNING: (time(0, 0), time(12, 0)),
    Period.AFTERNOON: (time(12, 0), time(17, 0)),
    Period.EVENING: (time(17, 0), time(23, 59)),
}
OPEN_WEEKDAYS = [d.value for d in Weekday]


def open_periods(community: Community) -> list[Period]:
    """The rota periods that fall inside the community's opening hours (default 08:30–20:00)."""
    return [
        p
        for p, (start, end) in PERIOD_BOUNDS.items()
        if start < community.closes_at and community.opens_at < end
    ]


@dataclass
class RotaCell:
    weekday: int
    period: str
    at_desk: list[str]
    covering: list[str]  # B posts covering for an A who is out
    out: list[str]
    open: bool

    @property
    def gap(self) -> bool:
        return self.open and not (self.at_desk or self.covering)


@dataclass
class RotaWeek:
    periods: list[str]
    rows: list[tuple[int, list[RotaCell]]]
    warnings: list[str]


def post_pairs(community: Community) -> QuerySet[PostPair]:
    return PostPair.objects.filter(community=community).select_related("a__staff", "b__staff")


def _name(user: Actor) -> str:
    profile = staff_profile(user)
    return profile.display_name if profile else user.get_username()


def rota_week(community: Community, week_of: date | None = None) -> RotaWeek:
    """The weekly rota with its warnings: an opening-hour slot with nobody at the desk, or an
    A/B pair both out at once. With `week_of`, workers on leave that day count as out (休假)."""
    entries = list(RotaEntry.objects.filter(community=community).select_related("worker__staff"))
    pairs = list(
        PostPair.objects.filter(community=community).select_related("a__staff", "b__staff")
    )
    open_ = set(open_periods(community))
    monday = week_of - timedelta(days=week_of.weekday()) if week_of else None
    staff_ids = {e.worker_id for e in entries} | {p.a_id for p in pairs} | {p.b_id for p in pairs}
    warnings: list[str] = []
    rows = []
    for weekday in OPEN_WEEKDAYS:
        day = monday + timedelta(days=weekday) if monday else None
        away = staffing.away_ids(staff_ids, day) if day else set()
        cells = []
        for period in Period:
            here = [e for e in entries if e.weekday == weekday and e.period == period]
            desk = {e.worker_id for e in here if e.duty == Duty.DESK} - away
            out = {e.worker_id for e in here if e.duty == Duty.OUT} | away
            covering = []
            for pair in pairs:
                if pair.a_id in out and pair.b_id not in out and pair.b_id not in desk:
                    covering.append(f"{_name(pair.b)}（{pair.post}B岗）")
                if pair.a_id in out and pair.b_id in out and period in open_:
                    warnings.append(
                        f"{Weekday(weekday).label}{Period(period).label}："
                        f"{pair.post}的A、B岗同时离案。"
                    )
            cell = RotaCell(
                weekday=weekday,
                period=period,
                at_desk=[_name(e.worker) for e in here if e.worker_id in desk],
                covering=covering,
                out=[
                    _name(e.worker) for e in here if e.duty == Duty.OUT and e.worker_id not in away
                ]
                + [f"{_name(e.worker)}（休假）" for e in here if e.worker_id in away],
                open=period in open_,
            )
            if cell.gap:
                warnings.append(
                    f"{Weekday(weekday).label}{Period(period).label}：开放时间内无人坐班。"
                )
            cells.append(cell)
        rows.append((weekday, cells))
    return RotaWeek(periods=list(Period.values), rows=rows, warnings=warnings)


# --- home visits ------------------------------------------------------------------------------

VISIT_RULES = {
    "care": "卧床或80岁以上独居的居民",
    "not_visited": "长期未走访的住户",
}
MAX_PLAN_SIZE = 100


def visit_candidates(
    community: Community, rule: str, today: date, months: int = 6
) -> list[tuple[Household, Resident | None, str]]:
    """Households to put on a visit plan, with the resident to see and why."""
    if rule == "care":
        eighty = _years_before(today, CARE_AGE)
        residents = (
            Resident.objects.filter(community=community, household__isnull=False)
            .filter(Q(bedridden=True) | Q(lives_alone=True, birth_date__lte=eighty))
            .select_related("household__building__compound")
            .order_by("household_id", "pk")
        )
        seen: set[int] = set()
        rows: list[tuple[Household, Resident | None, str]] = []
        for r in residents:
            assert r.household is not None
            if r.household_id in seen:
                continue
            seen.add(r.household_id or 0)
            rows.append((r.household, r, "卧床" if r.bedridden else "80岁以上独居"))
        return rows[:MAX_PLAN_SIZE]
    if rule == "not_visited":
        since = today - timedelta(days=30 * months)
        recent = HomeVisit.objects.filter(
            community=community, outcome__in=DONE_OUTCOMES, visited_on__gte=since
        ).values("household_id")
        households = (
            Household.objects.filter(building__compound__community=community)
            .exclude(pk__in=recent)
            .select_related("building__compound")
            .order_by("building__compound__name", "building_id", "unit", "room")
        )
        visits = last_visits(list(households.values_list("pk", flat=True)))
        ordered = sorted(households, key=lambda h: (visits.get(h.pk) or date.min, h.pk))
        return [(h, None, f"{months}个月未走访") for h in ordered[:MAX_PLAN_SIZE]]
    raise ValueError(rule)


def visits_for(community: Community) -> QuerySet[HomeVisit]:
    return HomeVisit.objects.filter(community=community).select_related(
        "household__building__compound", "resident", "visitor__staff", "plan", "case"
    )
