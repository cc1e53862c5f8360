"""Writes for places and people, and their bulk import (`places_import`)."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import crypto
from doorstep.core.bulk import analyze_after_commit, bulk_insert, insert_rows
from doorstep.core.services import audit_record, personal_data_shown
from doorstep.core.types import Actor
from doorstep.core.validators import clean_field, validate_id_number, validate_phone

from . import access
from .choices import Gender, StationKind
from .models import (
    Building,
    Community,
    Compound,
    Department,
    District,
    Grid,
    Household,
    Resident,
    ServiceStation,
    StaffProfile,
    Street,
)
from .selectors import pinyin_key, residents_visible_to, staff_profile

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ResidentValues = list[object]  # RESIDENT_FIELDS' values; community and household as objects


@transaction.atomic
def resident_create(
    *,
    community: Community,
    name: str,
    phone: str = "",
    id_number: str = "",
    household: Household | None = None,
    gender: str = "",
    birth_date: date | None = None,
    ethnic_group: str = "汉族",
    **flags: bool,
) -> Resident:
    """Register a resident. Phone and ID number are validated, then stored encrypted."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写居民姓名。")})
    phone = clean_field("phone", validate_phone, phone) if phone.strip() else ""
    id_number = clean_field("id_number", validate_id_number, id_number) if id_number.strip() else ""
    if id_number and birth_date is None:
        birth_date = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    if id_number and not gender:
        gender = "M" if int(id_number[16]) % 2 else "F"
    resident = Resident(
        community=community,
        household=household,
        name=name,
        name_pinyin=pinyin_key(name),
        gender=gender,
        birth_date=birth_date,
        ethnic_group=ethnic_group,
        **flags,
    )
    resident_set_personal_data(resident, phone=phone, id_number=id_number)
    resident.save()
    return resident


def resident_set_personal_data(resident: Resident, *, phone: str, id_number: str) -> None:
    """Fill the encrypted columns and their lookup hashes (does not save)."""
    (
        resident.phone_encrypted,
        resident.phone_hash,
        resident.id_number_encrypted,
        resident.id_number_hash,
        resident.id_last4_hash,
    ) = personal_columns(phone, id_number)


def personal_columns(phone: str, id_number: str) -> tuple[str, str, str, str, str]:
    """A resident's phone and ID number as stored: each encrypted with its lookup hash, and the
    hash of the ID number's last four characters."""
    return (
        crypto.encrypt(phone),
        crypto.lookup_hash(phone),
        crypto.encrypt(id_number),
        crypto.lookup_hash(id_number),
        crypto.lookup_hash(id_number[-4:]) if id_number else "",
    )


REVEALABLE = {"phone": "phone", "id_number": "id_number"}


@transaction.atomic
def resident_reveal(*, actor: Actor, resident_id: int, field: str, reason: str) -> str:
    """Show one personal field in full: needs a reason, writes an audit entry, stays in scope."""
    if field not in REVEALABLE:
        raise ValidationError(_("不能查看该字段。"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("查看完整信息须填写理由。")})
    resident = residents_visible_to(actor).filter(pk=resident_id).first()
    if resident is None:
        raise Resident.DoesNotExist
    personal_data_shown(
        actor=actor,
        action="reveal",
        object_type="resident",
        object_id=str(resident.pk),
        field=field,
        reason=reason,
    )
    return str(getattr(resident, REVEALABLE[field]))


# ---------------------------------------------------------------- places import (批量导入)
#
# A district's register moved in at once (the demo, `doorstep scale-data`, a paper register):
# `places_import` checks every row as the one-at-a-time paths check it, then writes each table
# with one bulk insert and one audit entry, in one transaction. Places above the community
# (street, community, department) and staff are named; places inside a community (grid,
# compound, building, household) have no unique name and are referred to by their position in
# the batch's list (0-based).


@dataclass(frozen=True)
class CommunityRow:
    street: str
    name: str
    address: str = ""
    office_phone: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class StaffRow:
    """A staff account and its post (`password` already hashed; empty: no usable password).
    Community posts name their community (and may name its street), street staff a street,
    department staff a department; district admins nothing."""

    username: str
    display_name: str
    role: str
    phone: str = ""
    community: str = ""
    street: str = ""
    department: str = ""
    password: str = ""


@dataclass(frozen=True)
class GridRow:
    community: str
    name: str
    worker: str = ""  # username of a grid worker of the same community
    colour: str = "#2f7d5b"


@dataclass(frozen=True)
class CompoundRow:
    community: str
    name: str
    grid: int | None = None  # index into the batch's grids, of the same community
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class BuildingRow:
    compound: int  # index into the batch's compounds
    name: str
    contractor: str = ""  # username of a staff member of the compound's community (包楼)


@dataclass(frozen=True)
class HouseholdRow:
    building: int  # index into the batch's buildings
    room: str
    unit: str = ""


@dataclass(slots=True)  # not frozen: a frozen row costs a third more to make, ×150,000
class ResidentRow:
    """A resident with the phone and ID number in clear (checked, then stored encrypted)."""

    community: str
    name: str
    household: int | None = None  # index into the batch's households, of the same community
    phone: str = ""
    id_number: str = ""
    gender: str = ""
    birth_date: date | None = None
    ethnic_group: str = "汉族"
    lives_alone: bool = False
    disabled: bool = False
    subsistence_allowance: bool = False
    low_income: bool = False
    bedridden: bool = False


@dataclass(frozen=True)
class StationRow:
    community: str
    name: str
    kind: str = StationKind.DOORSTEP
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    hours: str = ""


@dataclass(frozen=True)
class PlacesBatch:
    """What one import brings, under one district (created when it does not exist yet)."""

    district: str
    streets: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    communities: list[CommunityRow] = field(default_factory=list)
    staff: list[StaffRow] = field(default_factory=list)
    grids: list[GridRow] = field(default_factory=list)
    compounds: list[CompoundRow] = field(default_factory=list)
    buildings: list[BuildingRow] = field(default_factory=list)
    households: list[HouseholdRow] = field(default_factory=list)
    residents: list[ResidentRow] = field(default_factory=list)
    stations: list[StationRow] = field(default_factory=list)


@dataclass(frozen=True)
class PlacesImported:
    """The rows an import wrote (and the district's existing streets, departments and
    communities it referred to), by name; each user with its `staff` profile attached."""

    district: District
    streets: dict[str, Street]
    departments: dict[str, Department]
    communities: dict[str, Community]
    users: dict[str, User]
    residents: int


T = TypeVar("T")
R = TypeVar("R")


def numbered(part: str, rows: Sequence[R], check: Callable[[R], T]) -> list[T]:
    """Each row checked; the first wrong one named by its part and number (第 n 行), so an
    import refuses with a message the person who prepared it can act on."""
    checked: list[T] = []
    for n, row in enumerate(rows, start=1):
        try:
            checked.append(check(row))
        except ValidationError as error:
            raise ValidationError(
                _("%(part)s第 %(n)s 行：%(e)s")
                % {"part": part, "n": n, "e": "；".join(error.messages)}
            ) from None
    return checked


@transaction.atomic
def places_import(*, actor: Actor | None, batch: PlacesBatch) -> PlacesImported:
    """Bulk-insert a district's places and people (地区、人员、居民批量导入), every row checked
    as the single paths check it: names given and new, resident phones and ID numbers valid
    (`resident_create`, `core.validators`), a staff post's area fits its role, a grid's worker
    and a building's contractor are staff of the same community, a compound's grid and a
    resident's household in its community. One bulk insert per table, one audit entry; a wrong
    row names its part and number and nothing is written.

    Into an existing district only its district admin (`places.import`) may load; the first
    load of a new district (`actor` None: nobody can sign in yet) must bring its district
    admin, who is recorded as the importer."""
    district = District.objects.select_for_update().filter(name=batch.district).first()
    if district is not None:
        _check_importer(actor, district)
    elif actor is not None:
        raise PermissionDenied(_("该区尚不存在，只能由首次导入创建。"))
    known = _PlacesKnown.of(district, batch)
    plan = _places_plan(batch, known)
    if district is None:
        if not any(access.post_is_district_admin(s.role) for s in batch.staff):
            raise ValidationError(_("首次导入须包含一名区级管理员。"))
        district = District.objects.create(name=batch.district)
    imported = _places_write(district, known, plan)
    analyze_after_commit(District, Street, Community, Compound, Building, StaffProfile, Resident)
    importer = actor or next(
        u for u in imported.users.values() if access.post_is_district_admin(u.staff.role)
    )
    audit_record(
        actor=importer,
        action="places_import",
        object_type="district",
        object_id=district.pk,
        note=_("导入街道 %(s)s、社区 %(c)s、工作人员 %(u)s、居民 %(r)s")
        % {
            "s": len(batch.streets),
            "c": len(batch.communities),
            "u": len(batch.staff),
            "r": len(batch.residents),
        },
    )
    return imported


def _check_importer(actor: Actor | None, district: District) -> None:
    profile = staff_profile(actor) if actor is not None else None
    if profile is None or profile.district_id != district.pk:
        raise PermissionDenied(_("只有本区的区级管理员可以导入地区和人员。"))
    access.require(actor, "places.import", _("只有本区的区级管理员可以导入地区和人员。"))


@dataclass
class _PlacesKnown:
    """What the rows are checked against: the district's existing streets, departments,
    communities and the staff the rows name, read once (a query per kind, whatever the size),
    then the batch's own rows as they are checked."""

    streets: dict[str, Street]
    departments: dict[str, Department]
    communities: dict[str, Community]
    taken: set[str]  # usernames already in use
    # username → (the account: saved id or the batch's unsaved user, role, community name)
    staff: dict[str, tuple[int | User, str, str]]

    @classmethod
    def of(cls, district: District | None, batch: PlacesBatch) -> "_PlacesKnown":
        names = {s.username for s in batch.staff}
        named = {g.worker for g in batch.grids} | {b.contractor for b in batch.buildings}
        taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        if district is None:
            return cls({}, {}, {}, taken, {})
        communities: dict[str, Community] = {}
        for community in Community.objects.filter(street__district=district).select_related(
            "street"
        ):
            communities.setdefault(community.name, community)
        staff: dict[str, tuple[int | User, str, str]] = {
            p.user.username: (p.user_id, p.role, p.community.name if p.community else "")
            for p in StaffProfile.objects.filter(
                district=district, user__username__in=named - {""} - names
            ).select_related("user", "community")
        }
        return cls(
            {s.name: s for s in Street.objects.filter(district=district)},
            {d.name: d for d in Department.objects.filter(district=district)},
            communities,
            taken,
            staff,
        )


@dataclass
class _PlacesPlan:
    streets: list[Street]
    departments: list[Department]
    communities: list[Community]
    users: list[User]
    profiles: list[StaffProfile]
    grids: list[Grid]
    compounds: list[Compound]
    buildings: list[Building]
    households: list[Household]
    residents: list[ResidentValues]
    stations: list[ServiceStation]


def _places_plan(batch: PlacesBatch, known: _PlacesKnown) -> _PlacesPlan:
    """Every row checked and turned into its unsaved model row, parents before children."""
    streets = numbered(_("街道"), batch.streets, lambda name: _new_street(name, known))
    departments = numbered(_("部门"), batch.departments, lambda n: _new_department(n, known))
    communities = numbered(_("社区"), batch.communities, lambda c: _new_community(c, known))
    staff = numbered(_("工作人员"), batch.staff, lambda s: _new_staff(s, known))
    grids = numbered(_("网格"), batch.grids, lambda g: _new_grid(g, known))
    compounds = numbered(_("小区"), batch.compounds, lambda c: _new_compound(c, known, grids))
    buildings = numbered(_("楼栋"), batch.buildings, lambda b: _new_building(b, known, compounds))
    households = numbered(_("住户"), batch.households, lambda h: _new_household(h, buildings))
    pinyins: dict[str, str] = {}  # names repeat; pinyin is slow
    residents = numbered(
        _("居民"), batch.residents, lambda r: _new_resident(r, known, households, pinyins)
    )
    stations = numbered(_("服务站"), batch.stations, lambda s: _new_station(s, known))
    return _PlacesPlan(
        streets,
        departments,
        communities,
        [user for user, _profile in staff],
        [profile for _user, profile in staff],
        grids,
        compounds,
        buildings,
        households,
        residents,
        stations,
    )


def _name(value: str, message: str) -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationError({"name": message})
    return name


def _new_street(value: str, known: _PlacesKnown) -> Street:
    name = _name(value, _("请填写街道名称。"))
    if name in known.streets:
        raise ValidationError({"name": _("街道“%(n)s”已存在。") % {"n": name}})
    street = Street(name=name)
    known.streets[name] = street
    return street


def _new_department(value: str, known: _PlacesKnown) -> Department:
    name = _name(value, _("请填写部门名称。"))
    if name in known.departments:
        raise ValidationError({"name": _("部门“%(n)s”已存在。") % {"n": name}})
    department = Department(name=name)
    known.departments[name] = department
    return department


def _community_of(name: str, known: _PlacesKnown) -> Community:
    community = known.communities.get(name)
    if community is None:
        raise ValidationError({"community": _("社区“%(n)s”不在本区。") % {"n": name}})
    return community


def _new_community(row: CommunityRow, known: _PlacesKnown) -> Community:
    name = _name(row.name, _("请填写社区名称。"))
    street = known.streets.get(row.street)
    if street is None:
        raise ValidationError({"street": _("街道“%(n)s”不在本区。") % {"n": row.street}})
    if name in known.communities:
        raise ValidationError({"name": _("社区“%(n)s”已存在。") % {"n": name}})
    if row.office_phone.strip():
        clean_field("office_phone", validate_phone, row.office_phone)
    community = Community(
        street=street,
        name=name,
        address=row.address,
        office_phone=row.office_phone,
        latitude=row.latitude,
        longitude=row.longitude,
    )
    known.communities[name] = community
    return community


def _new_staff(row: StaffRow, known: _PlacesKnown) -> tuple[User, StaffProfile]:
    """A staff account as the admin would make it: a new username, a name, a known post whose
    area fits it (`_staff_area`), a valid work phone."""
    username = (row.username or "").strip()
    if not username:
        raise ValidationError({"username": _("请填写登录名。")})
    if username in known.taken:
        raise ValidationError({"username": _("登录名“%(n)s”已被使用。") % {"n": username}})
    display = _name(row.display_name, _("请填写工作人员姓名。"))
    if not access.post_known(row.role):
        raise ValidationError({"role": _("未知的岗位：%(r)s。") % {"r": row.role}})
    if row.phone.strip():
        clean_field("phone", validate_phone, row.phone)
    street, community, department = _staff_area(row, known)
    known.taken.add(username)
    district = access.post_is_district_admin(row.role)
    user = User(
        username=username,
        password=row.password or make_password(None),
        is_staff=district,
        is_superuser=district,
    )
    profile = StaffProfile(
        user=user,
        role=row.role,
        display_name=display,
        phone=row.phone,
        street=street,
        community=community,
        department=department,
    )
    known.staff[username] = (user, row.role, community.name if community else "")
    return user, profile


def _staff_area(
    row: StaffRow, known: _PlacesKnown
) -> tuple[Street | None, Community | None, Department | None]:
    """The post's area: a community for its desk, grid and secretary (and that community's
    street, if named); a street for street staff; a department for department staff; nothing
    below the district for a district admin."""
    community = _community_of(row.community, known) if row.community else None
    street = known.streets.get(row.street) if row.street else None
    department = known.departments.get(row.department) if row.department else None
    if row.street and street is None:
        raise ValidationError({"street": _("街道“%(n)s”不在本区。") % {"n": row.street}})
    if row.department and department is None:
        raise ValidationError({"department": _("部门“%(n)s”不在本区。") % {"n": row.department}})
    fits = access.post_area_fits(
        row.role,
        community=community is not None,
        street=street is not None,
        department=department is not None,
    )
    if street is not None and community is not None and community.street.name != street.name:
        fits = False
    if not fits:
        raise ValidationError(
            {
                "role": _(
                    "岗位与所属范围不符：社区岗位须属一个社区，街道岗位须属一个街道，部门岗位须属一个部门，区级管理员不属下级。"
                )
            }
        )
    return street, community, department


def _staff_of(username: str, community: Community, known: _PlacesKnown, what: str) -> User | None:
    """A grid's worker or a building's contractor: staff of the same community (None: none
    named). An account saved before comes back as an unsaved stand-in carrying its id."""
    if not username:
        return None
    found = known.staff.get(username)
    if found is None or found[2] != community.name:
        raise ValidationError(
            {"worker": _("%(w)s“%(u)s”不是本社区的工作人员。") % {"w": what, "u": username}}
        )
    account = found[0]
    return account if isinstance(account, User) else User(pk=account, username=username)


def _new_grid(row: GridRow, known: _PlacesKnown) -> Grid:
    community = _community_of(row.community, known)
    name = _name(row.name, _("请填写网格名称。"))
    if not COLOUR_RE.match(row.colour):
        raise ValidationError({"colour": _("颜色应写作 #rrggbb。")})
    worker = _staff_of(row.worker, community, known, _("网格员"))
    return Grid(community=community, name=name, colour=row.colour, worker=worker)


def _new_compound(row: CompoundRow, known: _PlacesKnown, grids: list[Grid]) -> Compound:
    community = _community_of(row.community, known)
    name = _name(row.name, _("请填写小区名称。"))
    grid = None
    if row.grid is not None:
        if not 0 <= row.grid < len(grids):
            raise ValidationError({"grid": _("网格编号 %(n)s 不在本次导入中。") % {"n": row.grid}})
        grid = grids[row.grid]
        if grid.community is not community:
            raise ValidationError({"grid": _("小区的网格须在本社区。")})
    return Compound(
        community=community,
        grid=grid,
        name=name,
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def _new_building(row: BuildingRow, known: _PlacesKnown, compounds: list[Compound]) -> Building:
    if not 0 <= row.compound < len(compounds):
        raise ValidationError(
            {"compound": _("小区编号 %(n)s 不在本次导入中。") % {"n": row.compound}}
        )
    compound = compounds[row.compound]
    name = _name(row.name, _("请填写楼栋名称。"))
    contractor = _staff_of(row.contractor, compound.community, known, _("包楼人"))
    return Building(compound=compound, name=name, contractor=contractor)


def _new_household(row: HouseholdRow, buildings: list[Building]) -> Household:
    if not 0 <= row.building < len(buildings):
        raise ValidationError(
            {"building": _("楼栋编号 %(n)s 不在本次导入中。") % {"n": row.building}}
        )
    if not (row.room or "").strip():
        raise ValidationError({"room": _("请填写门牌号。")})
    return Household(building=buildings[row.building], unit=row.unit, room=row.room.strip())


# A resident row's columns, in order: the import writes plain rows (`insert_rows`), not model
# instances, as building 150,000 `Resident` objects cost more than encrypting their phones.
RESIDENT_FIELDS = (
    "community",
    "household",
    "name",
    "name_pinyin",
    "gender",
    "birth_date",
    "ethnic_group",
    "phone_encrypted",
    "phone_hash",
    "id_number_encrypted",
    "id_number_hash",
    "id_last4_hash",
    "lives_alone",
    "disabled",
    "subsistence_allowance",
    "low_income",
    "bedridden",
    "created_at",
)
GENDERS = frozenset(("", *Gender.values))


def _new_resident(
    row: ResidentRow, known: _PlacesKnown, households: list[Household], pinyins: dict[str, str]
) -> ResidentValues:
    """A resident as `resident_create` registers one: named, phone and ID number valid (the
    birth date and gender read from the ID number when not given), in a household of the same
    community; the personal data encrypted with its lookup hashes (`personal_columns`)."""
    community = _community_of(row.community, known)
    name = (row.name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写居民姓名。")})
    household = None
    if row.household is not None:
        if not 0 <= row.household < len(households):
            raise ValidationError(
                {"household": _("住户编号 %(n)s 不在本次导入中。") % {"n": row.household}}
            )
        household = households[row.household]
        if household.building.compound.community is not community:
            raise ValidationError({"household": _("居民的住户须在本社区。")})
    if row.gender not in GENDERS:
        raise ValidationError({"gender": _("未知的性别。")})
    phone = clean_field("phone", validate_phone, row.phone) if row.phone.strip() else ""
    id_number = (
        clean_field("id_number", validate_id_number, row.id_number) if row.id_number.strip() else ""
    )
    birth, gender = row.birth_date, row.gender
    if id_number and birth is None:
        birth = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    if id_number and not gender:
        gender = "M" if int(id_number[16]) % 2 else "F"
    if name not in pinyins:
        pinyins[name] = pinyin_key(name)
    return [
        community,
        household,
        name,
        pinyins[name],
        gender,
        birth,
        row.ethnic_group,
        *personal_columns(phone, id_number),
        row.lives_alone,
        row.disabled,
        row.subsistence_allowance,
        row.low_income,
        row.bedridden,
        None,  # created_at, set as the rows go in
    ]


def _new_station(row: StationRow, known: _PlacesKnown) -> ServiceStation:
    community = _community_of(row.community, known)
    if row.kind not in StationKind.values:
        raise ValidationError({"kind": _("未知的服务站类型。")})
    return ServiceStation(
        community=community,
        kind=row.kind,
        name=_name(row.name, _("请填写服务站名称。")),
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        hours=row.hours,
    )


def _places_write(district: District, known: _PlacesKnown, plan: _PlacesPlan) -> PlacesImported:
    """The checked rows, parents first, one bulk insert per table (a foreign key set to a row
    saved just before is read off it as the row goes in)."""
    for street in plan.streets:
        street.district = district
    for department in plan.departments:
        department.district = district
    for profile in plan.profiles:
        profile.district = district
    tables: list[Sequence[Model]] = [
        plan.streets,
        plan.departments,
        plan.communities,
        plan.users,
        plan.profiles,
        plan.grids,
        plan.compounds,
        plan.buildings,
        plan.households,
        plan.stations,
    ]
    for rows in tables:
        bulk_insert(rows)
    now = timezone.now()
    for values in plan.residents:
        community, household = values[0], values[1]
        values[0] = community.pk if isinstance(community, Community) else None
        values[1] = household.pk if isinstance(household, Household) else None
        values[-1] = now
    insert_rows(Resident, RESIDENT_FIELDS, plan.residents, len(plan.residents))
    return PlacesImported(
        district=district,
        streets={s.name: s for s in known.streets.values()},
        departments=dict(known.departments),
        communities=dict(known.communities),
        users={u.username: u for u in plan.users},
        residents=len(plan.residents),
    )
