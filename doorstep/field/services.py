"""Writes for field work. Each checks the actor's permission first, runs in one transaction,
and raises a Chinese ValidationError rather than leave half-written data."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.cases.choices import Channel
from doorstep.cases.services import Intake, case_create
from doorstep.catalog.models import ServiceItem
from doorstep.core import crypto
from doorstep.core.models import AuditEntry
from doorstep.core.types import Actor
from doorstep.core.validators import clean_field, validate_phone
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.choices import StationKind
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
from doorstep.places.selectors import staff_profile

from .choices import DONE_OUTCOMES, Duty, HalfDay, Period, VisitOutcome, Weekday
from .models import (
    BuildingHead,
    DiaryEntry,
    HomeVisit,
    MobileDeskSession,
    PostPair,
    ReceptionSlot,
    RotaEntry,
    StationArea,
    VisitPlan,
)
from .selectors import MIN_SESSIONS_PER_MONTH, VISIT_RULES, is_secretary_of, visit_candidates

MAX_DIARY_TEXT = 2000
T = TypeVar("T")


def _check_secretary(actor: Actor, community: Community) -> None:
    access.check_in_area(actor, community)
    if not is_secretary_of(actor, community):
        raise PermissionDenied(_("只有书记/主任可以修改本社区的安排。"))


def _check_community_staff(actor: Actor, community: Community) -> None:
    if staff_profile(actor) is None:
        raise Community.DoesNotExist
    access.check_in_area(actor, community)
    if not access.may(actor, "field.community"):
        raise PermissionDenied(_("只有社区工作人员可以记录走访和民情日记。"))


def _community_workers(community: Community, users: list[Actor]) -> list[Actor]:
    ids = {u.pk for u in users}
    found = set(
        StaffProfile.objects.filter(
            community=community, user_id__in=ids, role__in=COMMUNITY_ROLES
        ).values_list("user_id", flat=True)
    )
    if found != ids:
        raise ValidationError({"staff": _("只能安排本社区的工作人员。")})
    return users


# --- ownership --------------------------------------------------------------------------------


@transaction.atomic
def building_contractor_set(*, actor: Actor, building: Building, worker: Actor | None) -> None:
    """包楼: give a building to a community worker (or take it back)."""
    community = building.compound.community
    _check_secretary(actor, community)
    if worker is not None:
        _community_workers(community, [worker])
    building.contractor = worker
    building.save(update_fields=["contractor"])


@transaction.atomic
def building_head_create(
    *,
    actor: Actor,
    community: Community,
    name: str,
    phone: str,
    buildings: list[Building],
) -> BuildingHead:
    """Register a building head (楼院长) for some buildings of the community."""
    _check_secretary(actor, community)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写楼院长姓名。")})
    phone = clean_field("phone", validate_phone, phone) if (phone or "").strip() else ""
    if any(b.compound.community_id != community.pk for b in buildings):
        raise ValidationError({"buildings": _("楼栋不属于本社区。")})
    head = BuildingHead.objects.create(
        community=community, name=name[:50], phone_encrypted=crypto.encrypt(phone)
    )
    head.buildings.set(buildings)
    return head


# --- mobile desk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    compound: Compound
    date: date
    starts_at: time
    ends_at: time
    staff: tuple[Actor, ...] = ()
    note: str = ""


def _validate_session(community: Community, data: SessionData) -> None:
    if data.compound.community_id != community.pk:
        raise ValidationError({"compound": _("该小区不属于本社区。")})
    if data.ends_at <= data.starts_at:
        raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
    _community_workers(community, list(data.staff))


@transaction.atomic
def session_create(*, actor: Actor, community: Community, data: SessionData) -> MobileDeskSession:
    """Plan one mobile-desk session (流动服务点)."""
    _check_secretary(actor, community)
    _validate_session(community, data)
    session = MobileDeskSession.objects.create(
        community=community,
        compound=data.compound,
        date=data.date,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        note=data.note[:200],
    )
    session.staff.set(data.staff)
    return session


@transaction.atomic
def session_update(*, actor: Actor, session: MobileDeskSession, data: SessionData) -> None:
    _check_secretary(actor, session.community)
    _validate_session(session.community, data)
    session.compound = data.compound
    session.date = data.date
    session.starts_at = data.starts_at
    session.ends_at = data.ends_at
    session.note = data.note[:200]
    session.save()
    session.staff.set(data.staff)


@transaction.atomic
def session_delete(*, actor: Actor, session: MobileDeskSession) -> None:
    _check_secretary(actor, session.community)
    session.delete()


@transaction.atomic
def sessions_create(
    *, actor: Actor, community: Community, sessions: list[SessionData]
) -> list[MobileDeskSession]:
    """Adopt the planner's proposal: all sessions or none."""
    if len(sessions) < MIN_SESSIONS_PER_MONTH:
        raise ValidationError(_("流动服务点每月至少 %(n)s 次。") % {"n": MIN_SESSIONS_PER_MONTH})
    return [session_create(actor=actor, community=community, data=s) for s in sessions]


@transaction.atomic
def reception_slot_set(
    *, actor: Actor, grid: Grid, weekday: int, half_day: str, place: str = ""
) -> ReceptionSlot:
    """网格会客厅: the grid's weekly half-day in the reception room."""
    _check_secretary(actor, grid.community)
    if weekday not in Weekday.values or half_day not in HalfDay.values:
        raise ValidationError(_("请选择星期和时段。"))
    slot, _created = ReceptionSlot.objects.update_or_create(
        grid=grid, defaults={"weekday": weekday, "half_day": half_day, "place": place[:100]}
    )
    return slot


# --- rota -------------------------------------------------------------------------------------


@transaction.atomic
def rota_entry_set(
    *,
    actor: Actor,
    community: Community,
    weekday: int,
    period: str,
    worker: Actor,
    duty: str | None,
) -> None:
    """Put a worker at the desk or out (离案) in a weekly slot; `duty=None` clears the slot."""
    _check_secretary(actor, community)
    if weekday not in Weekday.values or period not in Period.values:
        raise ValidationError(_("请选择星期和时段。"))
    _community_workers(community, [worker])
    slot = RotaEntry.objects.filter(
        community=community, weekday=weekday, period=period, worker=worker
    )
    if duty is None:
        slot.delete()
        return
    if duty not in Duty.values:
        raise ValidationError({"duty": _("未知的值班安排。")})
    if not slot.update(duty=duty):
        RotaEntry.objects.create(
            community=community, weekday=weekday, period=period, worker=worker, duty=duty
        )


@transaction.atomic
def post_pair_create(
    *, actor: Actor, community: Community, post: str, a: Actor, b: Actor
) -> PostPair:
    """AB岗: B covers the desk when A is out."""
    _check_secretary(actor, community)
    post = (post or "").strip()
    if not post:
        raise ValidationError({"post": _("请填写岗位名称。")})
    if a.pk == b.pk:
        raise ValidationError({"b": _("A岗和B岗不能是同一人。")})
    _community_workers(community, [a, b])
    return PostPair.objects.create(community=community, post=post[:50], a=a, b=b)


# --- diary (民情日记) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DiaryData:
    client_uuid: str
    compound: Compound | None
    text: str
    item: ServiceItem | None = None
    settle_now: bool = False
    reply: str = ""
    contact_name: str = ""
    captured_at: datetime | None = None


def _parse_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as error:
        raise ValidationError({"client_uuid": _("记录编号无效。")}) from error


def diary_sync(
    *, actor: Actor, community: Community, data: DiaryData, now: datetime | None = None
) -> tuple[DiaryEntry, bool]:
    """Turn a diary entry taken in the field into a case (channel 流动服务点). Idempotent on the
    phone's `client_uuid`: a retried sync returns the entry made the first time, also when two
    retries race (the unique index decides; the loser rolls back its case and reads the winner).
    Returns (entry, created)."""
    _check_community_staff(actor, community)
    key = _parse_uuid(data.client_uuid)
    existing = _existing_entry(key, community)
    if existing is not None:
        return existing, False
    text = (data.text or "").strip()
    if len(text) > MAX_DIARY_TEXT:
        raise ValidationError({"text": _("内容过长，请控制在 2000 字以内。")})
    at = now or timezone.now()
    captured = data.captured_at if data.captured_at and data.captured_at <= at else at
    try:
        with transaction.atomic():
            case = case_create(
                actor=actor,
                data=Intake(
                    community=community,
                    channel=Channel.MOBILE_DESK,
                    description=text,
                    item=data.item,
                    compound=data.compound,
                    contact_name=data.contact_name[:50],
                    settle_now=data.settle_now,
                    reply=data.reply,
                ),
                now=at,
            )
            entry = DiaryEntry.objects.create(
                client_uuid=key,
                community=community,
                compound=data.compound,
                session=MobileDeskSession.objects.filter(
                    community=community,
                    compound=data.compound,
                    date=timezone.localdate(captured),
                ).first()
                if data.compound
                else None,
                case=case,
                author=actor,
                captured_at=captured,
            )
    except IntegrityError:
        existing = _existing_entry(key, community)
        if existing is None:
            raise
        return existing, False
    return entry, True


def _existing_entry(key: uuid.UUID, community: Community) -> DiaryEntry | None:
    entry = DiaryEntry.objects.select_related("case").filter(client_uuid=key).first()
    if entry is not None and entry.community_id != community.pk:
        raise ValidationError({"client_uuid": _("记录编号已被使用。")})
    return entry


# --- home visits ------------------------------------------------------------------------------


@transaction.atomic
def visit_plan_create(
    *,
    actor: Actor,
    community: Community,
    rule: str,
    today: date,
    months: int = 6,
    visitor: Actor | None = None,
) -> VisitPlan:
    """Build a visit plan (走访计划) from a list rule: the immobile and old who live alone, or
    households not visited for `months` months."""
    _check_community_staff(actor, community)
    if rule not in VISIT_RULES:
        raise ValidationError({"rule": _("请选择走访名单。")})
    if not 1 <= months <= 36:
        raise ValidationError({"months": _("月数须在 1 到 36 之间。")})
    if visitor is not None:
        _community_workers(community, [visitor])
    rows = visit_candidates(community, rule, today, months)
    if not rows:
        raise ValidationError(_("名单为空：没有需要走访的住户。"))
    title = VISIT_RULES[rule] if rule == "care" else f"{months}个月未走访的住户"
    plan = VisitPlan.objects.create(
        community=community, title=f"{today:%Y-%m-%d} {title}", created_by=actor
    )
    HomeVisit.objects.bulk_create(
        HomeVisit(
            community=community,
            plan=plan,
            household=household,
            resident=resident,
            visitor=visitor or actor,
            reason=reason,
        )
        for household, resident, reason in rows
    )
    return plan


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    visit: HomeVisit,
    outcome: str,
    note: str,
    visited_on: date,
    case_description: str = "",
    now: datetime | None = None,
) -> HomeVisit:
    """Log a visit's outcome; what the resident asked for becomes a case (channel 入户走访)."""
    _check_community_staff(actor, visit.community)
    if outcome not in [o.value for o in DONE_OUTCOMES]:
        raise ValidationError({"outcome": _("请选择走访结果。")})
    if visited_on > timezone.localdate(now or timezone.now()):
        raise ValidationError({"visited_on": _("走访日期不能晚于今天。")})
    visit.outcome = outcome
    visit.note = (note or "").strip()[:2000]
    visit.visited_on = visited_on
    visit.visitor = actor
    if (case_description or "").strip():
        if visit.case_id is not None:
            raise ValidationError({"case_description": _("这次走访已登记过事项。")})
        building = visit.household.building
        visit.case = case_create(
            actor=actor,
            data=Intake(
                community=visit.community,
                channel=Channel.HOME_VISIT,
                description=case_description,
                resident=visit.resident,
                compound=building.compound,
                building=building,
            ),
            now=now,
        )
    visit.save()
    return visit


# --- earlier set-up and visits (历史资料导入) ---------------------------------------------------


@dataclass(frozen=True)
class PastHead:
    """A building head (楼院长) already at work: a registered resident, or a name and phone."""

    name: str
    building_ids: list[int]
    resident_id: int | None = None
    phone: str = ""


@dataclass(frozen=True)
class PastStation:
    """A neighbourhood station (邻里服务站) already open, with the buildings it serves."""

    name: str
    building_ids: list[int]
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    hours: str = ""
    services: str = ""


@dataclass(frozen=True)
class PastRotaSlot:
    """One worker in one weekly slot of the desk rota (值班表): at the desk or out (离案)."""

    weekday: int
    period: str
    worker: Actor
    duty: str


@dataclass(frozen=True)
class PastVisit:
    """A home visit (入户走访): done (outcome and day) or still planned (on the open plan)."""

    household_id: int
    visitor: Actor
    reason: str
    resident_id: int | None = None
    outcome: str = VisitOutcome.PLANNED
    note: str = ""
    visited_on: date | None = None


@dataclass(frozen=True)
class FieldHistory:
    """A community's field work as it stands (a paper register moved in): its building heads,
    stations, weekly rota, the visits done and an open visit plan (when titled: who drew it up
    and the visits on it)."""

    heads: list[PastHead]
    stations: list[PastStation]
    rota: list[PastRotaSlot]
    visits: list[PastVisit]
    plan_title: str = ""
    plan_by: Actor | None = None
    planned: list[PastVisit] = dataclass_field(default_factory=list)


@transaction.atomic
def field_history_load(
    *, actor: Actor, community: Community, history: FieldHistory, today: date | None = None
) -> int:
    """Bulk-insert a community's field work (历史资料导入), each line checked as the
    one-at-a-time services check it: building heads and stations named, on buildings of the
    community, a head's phone valid (`building_head_create`); rota slots of known days,
    periods and duties for the community's own staff, each once (`rota_entry_set`); visits to
    the community's households by its staff, a done one with a known outcome no later than
    today (`visit_record`), the plan drawn up by its staff (`visit_plan_create`). One bulk
    insert per table, one audit entry; a wrong line names its part and number and nothing is
    written. Only the secretary (or street, district) of the community's area may load."""
    _check_secretary(actor, community)
    known = _FieldKnown.of(community, history)
    heads = _numbered(_("楼院长"), history.heads, lambda h: _past_head(h, known))
    stations = _numbered(_("服务站"), history.stations, lambda s: _past_station(s, known))
    taken: set[tuple[int, str, int]] = set()
    rota = _numbered(_("值班表"), history.rota, lambda r: _past_rota(r, known, taken))
    day = timezone.localdate() if today is None else today
    visits = _numbered(_("走访"), history.visits, lambda v: _past_visit(v, known, day, done=True))
    planned = _numbered(
        _("走访计划"), history.planned, lambda v: _past_visit(v, known, day, done=False)
    )
    _bulk_heads(community, heads)
    _bulk_stations(community, stations)
    RotaEntry.objects.bulk_create(
        [RotaEntry(community=community, **slot) for slot in rota], batch_size=2000
    )
    plan = _past_plan(community, history, known) if history.plan_title or planned else None
    HomeVisit.objects.bulk_create(
        [HomeVisit(community=community, **v) for v in visits]
        + [HomeVisit(community=community, plan=plan, **v) for v in planned],
        batch_size=2000,
    )
    n = len(heads) + len(stations) + len(rota) + len(visits) + len(planned)
    note = _("导入楼院长 %(h)s、服务站 %(s)s、值班 %(r)s、走访 %(v)s 条") % {
        "h": len(heads),
        "s": len(stations),
        "r": len(rota),
        "v": len(visits) + len(planned),
    }
    AuditEntry.objects.create(
        actor=actor,
        action="field_history_load",
        object_type="community",
        object_id=str(community.pk),
        reason=note[:200],
    )
    return n


@dataclass(frozen=True)
class _FieldKnown:
    """What the lines are checked against, read once: the community's buildings, its
    households with their residents, and its own staff."""

    buildings: set[int]
    residents: dict[int, int | None]  # resident → household, of the community
    households: set[int]
    workers: set[int]

    @classmethod
    def of(cls, community: Community, history: FieldHistory) -> "_FieldKnown":
        visits = [*history.visits, *history.planned]
        heads = [h.resident_id for h in history.heads if h.resident_id is not None]
        wanted = set(heads) | {v.resident_id for v in visits if v.resident_id is not None}
        return cls(
            buildings=set(
                Building.objects.filter(compound__community=community).values_list("pk", flat=True)
            ),
            residents=dict(
                Resident.objects.filter(community=community, pk__in=wanted).values_list(
                    "pk", "household_id"
                )
            ),
            households=set(
                Household.objects.filter(
                    building__compound__community=community,
                    pk__in={v.household_id for v in visits},
                ).values_list("pk", flat=True)
            ),
            workers=set(
                StaffProfile.objects.filter(
                    community=community, role__in=COMMUNITY_ROLES
                ).values_list("user_id", flat=True)
            ),
        )

    def check_buildings(self, ids: list[int]) -> None:
        if not set(ids) <= self.buildings:
            raise ValidationError({"buildings": _("楼栋不属于本社区。")})

    def check_worker(self, user: Actor | None) -> Actor:
        if user is None or user.pk not in self.workers:
            raise ValidationError({"staff": _("只能安排本社区的工作人员。")})
        return user


def _numbered(part: str, lines: list[Any], check: Callable[[Any], T]) -> list[T]:
    """Each line checked; the first wrong one named by its part and number (第 n 件)."""
    checked: list[T] = []
    for n, line in enumerate(lines, start=1):
        try:
            checked.append(check(line))
        except ValidationError as error:
            raise ValidationError(
                _("%(part)s第 %(n)s 件：%(e)s")
                % {"part": part, "n": n, "e": "；".join(error.messages)}
            ) from None
    return checked


def _past_head(head: PastHead, known: _FieldKnown) -> tuple[BuildingHead, list[int]]:
    name = (head.name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写楼院长姓名。")})
    phone = clean_field("phone", validate_phone, head.phone) if (head.phone or "").strip() else ""
    if head.resident_id is not None and head.resident_id not in known.residents:
        raise ValidationError({"resident": _("该居民不在本社区。")})
    known.check_buildings(head.building_ids)
    row = BuildingHead(
        resident_id=head.resident_id, name=name[:50], phone_encrypted=crypto.encrypt(phone)
    )
    return row, head.building_ids


def _past_station(
    station: PastStation, known: _FieldKnown
) -> tuple[ServiceStation, StationArea, list[int]]:
    name = (station.name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写服务站名称。")})
    known.check_buildings(station.building_ids)
    row = ServiceStation(
        kind=StationKind.NEIGHBOURHOOD,
        name=name[:100],
        address=station.address[:200],
        latitude=station.latitude,
        longitude=station.longitude,
        hours=station.hours[:100],
    )
    return row, StationArea(services=station.services[:300]), station.building_ids


def _past_rota(
    slot: PastRotaSlot, known: _FieldKnown, taken: set[tuple[int, str, int]]
) -> dict[str, Any]:
    if slot.weekday not in Weekday.values or slot.period not in Period.values:
        raise ValidationError(_("请选择星期和时段。"))
    known.check_worker(slot.worker)
    if slot.duty not in Duty.values:
        raise ValidationError({"duty": _("未知的值班安排。")})
    key = (slot.weekday, slot.period, slot.worker.pk)
    if key in taken:
        raise ValidationError(_("同一时段已安排该工作人员。"))
    taken.add(key)
    return {
        "weekday": slot.weekday,
        "period": slot.period,
        "worker": slot.worker,
        "duty": slot.duty,
    }


def _past_visit(visit: PastVisit, known: _FieldKnown, today: date, *, done: bool) -> dict[str, Any]:
    if visit.household_id not in known.households:
        raise ValidationError({"household": _("该住户不属于本社区。")})
    if (
        visit.resident_id is not None
        and known.residents.get(visit.resident_id) != visit.household_id
    ):
        raise ValidationError({"resident": _("该居民不住在这一户。")})
    known.check_worker(visit.visitor)
    if done:
        if visit.outcome not in [o.value for o in DONE_OUTCOMES]:
            raise ValidationError({"outcome": _("请选择走访结果。")})
        if visit.visited_on is None or visit.visited_on > today:
            raise ValidationError({"visited_on": _("走访日期不能晚于今天。")})
    elif visit.outcome != VisitOutcome.PLANNED or visit.visited_on is not None:
        raise ValidationError({"outcome": _("计划中的走访尚无结果。")})
    return {
        "household_id": visit.household_id,
        "resident_id": visit.resident_id,
        "visitor": visit.visitor,
        "reason": visit.reason[:100],
        "outcome": visit.outcome,
        "note": (visit.note or "").strip()[:2000],
        "visited_on": visit.visited_on,
    }


def _past_plan(community: Community, history: FieldHistory, known: _FieldKnown) -> VisitPlan:
    try:
        by = known.check_worker(history.plan_by)
        title = (history.plan_title or "").strip()
        if not title:
            raise ValidationError({"title": _("请填写走访计划名称。")})
    except ValidationError as error:
        raise ValidationError(
            _("%(part)s：%(e)s") % {"part": _("走访计划"), "e": "；".join(error.messages)}
        ) from None
    return VisitPlan.objects.create(community=community, title=title[:100], created_by=by)


def _bulk_heads(community: Community, heads: list[tuple[BuildingHead, list[int]]]) -> None:
    for row, _ids in heads:
        row.community = community
    BuildingHead.objects.bulk_create([row for row, _ids in heads], batch_size=1000)
    through = BuildingHead.buildings.through
    through.objects.bulk_create(
        [through(buildinghead_id=row.pk, building_id=b) for row, ids in heads for b in ids],
        batch_size=2000,
    )


def _bulk_stations(
    community: Community, stations: list[tuple[ServiceStation, StationArea, list[int]]]
) -> None:
    for station, _area, _ids in stations:
        station.community = community
    ServiceStation.objects.bulk_create([s for s, _a, _i in stations], batch_size=1000)
    for station, area, _ids in stations:
        area.station = station
    StationArea.objects.bulk_create([a for _s, a, _i in stations], batch_size=1000)
    through = StationArea.buildings.through
    through.objects.bulk_create(
        [through(stationarea_id=a.pk, building_id=b) for _s, a, ids in stations for b in ids],
        batch_size=2000,
    )
