"""Demo data for field work, on top of the core demo: building heads for most buildings,
neighbourhood stations, mobile-desk sessions for last and next month, the grid reception room,
a desk rota with A/B pairs, and some home visits — each community's set up by its secretary
through the services (`sessions_create`, `building_contractor_set`, `reception_slot_set`,
`post_pair_create`) and the named bulk service `field_history_load`."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doorstep.core.types import Actor, Log
from doorstep.places.choices import Role
from doorstep.places.models import Building, Community, Grid, Household, Resident, StaffProfile

from . import services
from .choices import Duty, HalfDay, Period, VisitOutcome
from .models import BuildingHead, MobileDeskSession
from .selectors import month_bounds, rotation_propose

HEAD_HOUSEHOLDS = 100
STATION_HOUSEHOLDS = 500
NEIGHBOURHOOD_SERVICES = "助老助餐、代办代跑、法律咨询、矛盾调解、图书阅览、志愿服务"


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "177"]) + f"{rng.randint(0, 99999999):08d}"


def load_demo(log: Log = print) -> None:
    if BuildingHead.objects.exists() or MobileDeskSession.objects.exists():
        log("  走出去演示数据已存在，跳过")
        return
    rng = random.Random(20261127)
    today = timezone.localdate()
    with transaction.atomic():
        for community in Community.objects.select_related("street").order_by("pk"):
            _community(community, rng, today)
            log(f"  {community.name}: 楼院长、邻里服务站、流动服务点、值班表、走访记录")


def _community(community: Community, rng: random.Random, today: date) -> None:
    buildings = list(
        Building.objects.filter(compound__community=community)
        .select_related("compound")
        .order_by("compound__name", "pk")
    )
    sizes = {
        b.pk: n for b, n in ((b, Household.objects.filter(building=b).count()) for b in buildings)
    }
    staff = list(
        StaffProfile.objects.filter(community=community).select_related("user").order_by("pk")
    )
    secretary = next(p.user for p in staff if p.role == Role.SECRETARY)
    heads = _heads(buildings, sizes, rng)
    stations = _stations(buildings, sizes, rng)
    # Two buildings nobody has contracted yet: the coverage page shows them.
    for building in buildings[-2:]:
        services.building_contractor_set(actor=secretary, building=building, worker=None)
    _sessions(community, secretary, staff, rng, today)
    _reception(community, secretary)
    rota = _rota(community, secretary, staff)
    visits, planned, plan_by = _visits(community, staff, rng, today)
    services.field_history_load(
        actor=secretary,
        community=community,
        history=services.FieldHistory(
            heads=heads,
            stations=stations,
            rota=rota,
            visits=visits,
            plan_title=f"{today:%Y-%m-%d} 卧床或80岁以上独居的居民" if plan_by else "",
            plan_by=plan_by,
            planned=planned,
        ),
        today=today,
    )


def _heads(
    buildings: list[Building], sizes: dict[int, int], rng: random.Random
) -> list[services.PastHead]:
    """One building head per about 100 households; every seventh group still has none."""
    groups: list[list[Building]] = [[]]
    count = 0
    for b in buildings:
        if count >= HEAD_HOUSEHOLDS:
            groups.append([])
            count = 0
        groups[-1].append(b)
        count += sizes[b.pk]
    heads = []
    for i, group in enumerate(groups):
        if i % 7 == 3 or not group:
            continue
        resident = (
            Resident.objects.filter(household__building=group[0], birth_date__isnull=False)
            .order_by("birth_date")
            .first()
        )
        heads.append(
            services.PastHead(
                name=resident.name if resident else "刘桂英",
                building_ids=[b.pk for b in group],
                resident_id=resident.pk if resident else None,
                phone="" if resident else _phone(rng),
            )
        )
    return heads


def _stations(
    buildings: list[Building], sizes: dict[int, int], rng: random.Random
) -> list[services.PastStation]:
    """Neighbourhood stations of about 500 households, next to the compounds they serve."""
    # The last three buildings got a small new station of their own: the coverage page flags it.
    main, small = buildings[:-3], buildings[-3:]
    total = sum(sizes[b.pk] for b in main)
    n = max(1, round(total / STATION_HOUSEHOLDS))
    chunk = max(1, len(main) // n)
    parts = [main[i * chunk : (i + 1) * chunk] for i in range(n - 1)] + [main[(n - 1) * chunk :]]
    stations = []
    for part in [*parts, small]:
        if not part:
            continue
        compound = part[0].compound
        stations.append(
            services.PastStation(
                name=f"{compound.name}邻里服务站",
                building_ids=[b.pk for b in part],
                address=compound.address,
                latitude=(compound.latitude or 0) + rng.uniform(-0.0008, 0.0008),
                longitude=(compound.longitude or 0) + rng.uniform(-0.0008, 0.0008),
                hours="周一至周六 09:00–11:30，15:00–18:00",
                services=NEIGHBOURHOOD_SERVICES,
            )
        )
    return stations


def _sessions(
    community: Community,
    secretary: Actor,
    staff: list[StaffProfile],
    rng: random.Random,
    today: date,
) -> None:
    """Last month as it happened, this month and next month, each adopted from the planner."""
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    next_month = month_bounds(this_month)[1] + timedelta(days=1)
    desk = [p.user for p in staff if p.role == Role.DESK]
    users = {p.user.pk: p.user for p in staff}
    for month in (last_month, this_month, next_month):
        sessions = []
        for p in rotation_propose(community, month, 4):
            people = {u.pk for u in p.staff}
            if desk:
                people.add(rng.choice(desk).pk)
            sessions.append(
                services.SessionData(
                    compound=p.compound,
                    date=p.date,
                    starts_at=p.starts_at,
                    ends_at=p.ends_at,
                    staff=tuple(users[pk] for pk in sorted(people)),
                )
            )
        if sessions:
            services.sessions_create(actor=secretary, community=community, sessions=sessions)


def _reception(community: Community, secretary: Actor) -> None:
    """网格会客厅: the grids take the weekday afternoons in turn."""
    slots = [(d, HalfDay.AFTERNOON) for d in range(5)] + [(d, HalfDay.MORNING) for d in range(5)]
    for i, grid in enumerate(Grid.objects.filter(community=community).order_by("pk")):
        weekday, half_day = slots[i % 10]
        services.reception_slot_set(
            actor=secretary, grid=grid, weekday=weekday, half_day=half_day, place="网格会客厅"
        )


def _rota(
    community: Community, secretary: Actor, staff: list[StaffProfile]
) -> list[services.PastRotaSlot]:
    """The desk staff take the slots in turn; on Friday (离案工作日) the B post holds the desk and
    everyone else goes out. Sunday evening is left open so the page shows a gap."""
    desk = [p.user for p in staff if p.role in (Role.DESK, Role.SECRETARY)]
    grid = [p.user for p in staff if p.role == Role.GRID]
    if not desk:
        return []
    friday_holder = desk[1] if len(desk) >= 2 else desk[0]
    entries = []
    for weekday in range(7):
        for i, period in enumerate(Period):
            if weekday == 6 and period == Period.EVENING:
                continue
            worker = desk[(weekday + i) % len(desk)]
            if weekday == 4 and period != Period.EVENING:
                worker = friday_holder
                entries += [
                    services.PastRotaSlot(4, period, u, Duty.OUT)
                    for u in grid + [d for d in desk if d.pk != worker.pk]
                ]
            entries.append(services.PastRotaSlot(weekday, period, worker, Duty.DESK))
    if len(desk) >= 2:
        services.post_pair_create(
            actor=secretary, community=community, post="综合受理", a=desk[0], b=desk[1]
        )
    return entries


def _visits(
    community: Community, staff: list[StaffProfile], rng: random.Random, today: date
) -> tuple[list[services.PastVisit], list[services.PastVisit], Actor | None]:
    """Past visits to the bedridden and the old living alone, and an open plan (its visits
    and who drew it up)."""
    workers = [p.user for p in staff if p.role == Role.GRID] or [p.user for p in staff]
    if not workers:
        return [], [], None
    eighty = today.replace(year=today.year - 80)
    care = list(
        Resident.objects.filter(community=community, household__isnull=False)
        .filter(Q(bedridden=True) | Q(lives_alone=True, birth_date__lte=eighty))
        .order_by("pk")[:60]
    )
    notes = [
        "身体状况稳定，子女每周来看望。",
        "反映楼道灯不亮，已记录。",
        "高龄补贴上门认证完成。",
        "敲门无人应答，已电话联系家属。",
    ]
    outcomes = [VisitOutcome.MET, VisitOutcome.MET, VisitOutcome.MET, VisitOutcome.NOT_HOME]
    done = [
        services.PastVisit(
            household_id=r.household_id,
            visitor=workers[i % len(workers)],
            reason="卧床" if r.bedridden else "80岁以上独居",
            resident_id=r.pk,
            outcome=outcomes[i % 4],
            note=notes[i % 4],
            visited_on=today - timedelta(days=rng.randint(3, 200)),
        )
        for i, r in enumerate(care[:40])
        if r.household_id is not None
    ]
    planned = [
        services.PastVisit(
            household_id=r.household_id,
            visitor=workers[0],
            reason="卧床" if r.bedridden else "80岁以上独居",
            resident_id=r.pk,
        )
        for r in care[40:]
        if r.household_id is not None
    ]
    return done, planned, workers[0]
