"""Demo data modelled on the seed articles (`doorstep demo`).

One district, one street, three communities: a Zhangqian-like one (4,791 residents, 10 ethnic
groups), a Xijiaotong-like one (17 compounds, 3,179 households, 6 grid workers) and a Baima-like
one (36 buildings, 13 staff each contracting 2–3 buildings). About a year of history at ~30
requests per community per day with Zhangqian's channel mix (under a third walk-in).

Everything goes in through the named bulk services, as a historical import (批量导入) whose
every row is checked as the one-at-a-time services check it, one transaction and one audit
entry each: the district, its staff and residents through `places.services.places_import`
(the first load brings the district admin, who then loads the rest), the catalogue through
`catalog.services.catalogue_import`, the year of cases with their timelines, ratings and
demands through `cases.services.case_history_load`. This module only draws the data; the demo
users' live work then goes through the single services like any other.
"""

import csv
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from doorstep.api.services import api_token_create
from doorstep.cases.choices import Channel, EventKind, Queue, Responsibility, Status
from doorstep.cases.models import Case
from doorstep.cases.services import (
    TRACKING_ALPHABET,
    CaseHistory,
    PastDemand,
    PastEvent,
    PastRating,
    case_history_load,
)
from doorstep.catalog.models import ServiceItem
from doorstep.catalog.seed_data import CATEGORIES, ITEMS
from doorstep.catalog.services import CatalogueBatch, ItemRow, ResourceRow, catalogue_import
from doorstep.core.redact import Sealed, seal
from doorstep.core.types import Actor
from doorstep.core.validators import id_check_digit
from doorstep.ops.progress import Progress
from doorstep.places.models import Building, Community, Compound, District, Resident
from doorstep.places.services import (
    BuildingRow,
    CommunityRow,
    CompoundRow,
    GridRow,
    HouseholdRow,
    PlacesBatch,
    ResidentRow,
    StaffRow,
    StationRow,
    places_import,
)
from doorstep.workdays.calendar import WorkCalendar
from doorstep.workdays.selectors import calendar_for

T = TypeVar("T")

PASSWORD = "doorstep-demo"
DISTRICT = "和平区"
STREET = "胜利路街道"
TZ = ZoneInfo("Asia/Shanghai")
DATA_FILE = Path(settings.PROJECT_DIR) / "data" / "dev_requests.csv"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷"
    "龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志红梅文辉鹏飞燕宇浩"
    "凯婷雪琳晨佳欣悦子涵梓轩一诺思远德福淑珍秀兰凤英金花海燕春生"
)
MINORITY_NAMES = {
    "维吾尔族": [
        "买买提·艾力",
        "古丽拜合热姆",
        "阿依古丽·吐尔逊",
        "艾尔肯·阿不都",
        "麦麦提江",
        "热依拉·艾买提",
        "麦丽开·塔伊尔",
        "沙拉麦提·阿布力木提",
    ],
    "回族": None,
    "蒙古族": ["巴特尔", "其其格", "乌云", "苏和", "娜仁花"],
    "藏族": ["卓玛", "扎西", "次仁", "格桑", "卓玛才让"],
    "满族": None,
    "土家族": None,
    "锡伯族": None,
    "东乡族": ["马哈木", "阿米乃"],
    "苗族": None,
}
ETHNIC_MIX = [
    ("汉族", 62),
    ("维吾尔族", 24),
    ("回族", 5),
    ("蒙古族", 2),
    ("藏族", 2),
    ("满族", 1),
    ("土家族", 1),
    ("锡伯族", 1),
    ("东乡族", 1),
    ("苗族", 1),
]
CHANNEL_MIX = [
    (Channel.WALK_IN, 28),
    (Channel.PHONE, 26),
    (Channel.WECHAT, 24),
    (Channel.APP, 8),
    (Channel.MOBILE_DESK, 6),
    (Channel.HOME_VISIT, 3),
    (Channel.HOTLINE, 5),
]
GRID_COLOURS = ["#c8102e", "#e67e22", "#f1c40f", "#27ae60", "#2980b9", "#8e44ad"]
DEPARTMENT_OF = {
    "GOV-HOUSEHOLD-REG": "公安分局户政科",
    "GOV-PUBLIC-HOUSING": "区住房保障中心",
    "LIFE-HEATING-BOILER": "区城市管理局供热办",
    "LIFE-GAS": "区城市管理局燃气办",
    "LEGAL-CONSUMER": "区市场监督管理局",
}
# Relative frequency of requests: certificates, repairs and elderly services dominate.
POPULAR = {
    "GOV-RESIDENCE-CERT": 12,
    "LIFE-DRAIN-PLUMBING": 8,
    "GOV-ELDERLY-SUBSIDY-CERT": 7,
    "PARTY-VOLUNTEER-CERT": 5,
    "GOV-STUDENT-HARDSHIP-CERT": 4,
    "GOV-MEDICAL-REMOTE": 4,
    "MGMT-NOISE": 4,
    "MGMT-PETS-DOGS": 4,
    "MGMT-STREET-LIGHTS": 4,
    "MGMT-PROPERTY-DISPUTE": 4,
}

COMMUNITIES: list[dict[str, Any]] = [
    {
        "name": "张骞社区",
        "residents": 4791,
        "households": 1650,
        "compounds": 8,
        "buildings": 30,
        "grids": 5,
        "grid_workers": 5,
        "extra_staff": 3,
        "ethnic": True,
        "lat": 39.387,
        "lng": 76.046,
        "address": "疏勒镇张骞路 18 号",
        "phone": "0998-6521018",
    },
    {
        "name": "西交通巷社区",
        "residents": 10500,
        "households": 3179,
        "compounds": 17,
        "buildings": 68,
        "grids": 6,
        "grid_workers": 6,
        "extra_staff": 8,
        "ethnic": False,
        "lat": 36.622,
        "lng": 101.760,
        "address": "胜利路西交通巷 1 号",
        "phone": "0971-6112345",
    },
    {
        "name": "白马社区",
        "residents": 4300,
        "households": 1500,
        "compounds": 6,
        "buildings": 36,
        "grids": 5,
        "grid_workers": 13,
        "extra_staff": 0,
        "ethnic": False,
        "lat": 29.683,
        "lng": 106.512,
        "address": "礼嘉白马路 36 号",
        "phone": "023-67888036",
    },
]
COMPOUND_NAMES = [
    "五四大街76号院",
    "五四大街78号院",
    "新宁路11号院",
    "新宁路13号院",
    "西交通巷1号院",
    "交通巷10号院",
    "新宁花苑",
    "胜利小区",
    "红星家园",
    "和平里",
    "阳光花园",
    "团结新村",
    "铁路家属院",
    "丝路雅苑",
    "石榴花园",
    "幸福里",
    "金色家园",
    "海珀紫庭",
    "翠华南苑",
    "边家村小区",
    "白马新村",
    "礼嘉花园",
    "滨江苑",
    "古华新村",
    "曙光新村",
    "永丰小区",
]


def _pick(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _name(rng: random.Random, ethnic: str) -> str:
    names = MINORITY_NAMES.get(ethnic)
    if names:
        return rng.choice(names)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _id_number(rng: random.Random, birth: date, female: bool) -> str:
    seq = rng.randint(10, 99) * 10 + (
        rng.choice((0, 2, 4, 6, 8)) if female else rng.choice((1, 3, 5, 7, 9))
    )
    first17 = f"653122{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def _phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "150", "151", "186", "187", "135", "177", "199"])
        + f"{rng.randint(0, 99999999):08d}"
    )


class DemoBuilder:
    def __init__(self, seed: int = 20261127, days: int = 365, per_day: int = 30) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.per_day = per_day
        self.password = make_password(PASSWORD)
        self.today = timezone.localdate()
        self.sealed: dict[str, Sealed] = {}

    # -- people and places -------------------------------------------------------------
    def user(self, username: str, display: str, role: str, **area: str) -> StaffRow:
        """A demo account (all share the demo password), drawn in reading order."""
        row = StaffRow(
            username=username,
            display_name=display,
            role=role,
            phone=_phone(self.rng),
            password=self.password,
            **area,
        )
        self.batch.staff.append(row)
        return row

    def build_places(self, log: Callable[[str], object] = print) -> None:
        """The district, its staff, compounds, households and residents through
        `places_import`, then the catalogue through `catalogue_import`, as the district
        admin the first import brought."""
        self.batch = PlacesBatch(
            district=DISTRICT,
            streets=[STREET],
            departments=sorted(set(DEPARTMENT_OF.values()) | {"区民政局", "区人社局"}),
        )
        staff_of: dict[str, list[StaffRow]] = {}
        compound_pool = list(COMPOUND_NAMES)
        for index, spec in enumerate(COMMUNITIES):
            self.batch.communities.append(
                CommunityRow(
                    street=STREET,
                    name=spec["name"],
                    address=spec["address"],
                    office_phone=spec["phone"],
                    latitude=spec["lat"],
                    longitude=spec["lng"],
                )
            )
            staff_of[spec["name"]] = self.community_staff(index, spec)
            self.places(spec, staff_of[spec["name"]], compound_pool)
            log(f"  {spec['name']}: {spec['residents']} 位居民, {spec['compounds']} 个小区")
        self.user("street", "王培荣", "street", street=STREET)
        self.user("district", "冯伟", "district")
        self.user("dept", "刘晶", "department", department="区民政局")
        imported = places_import(actor=None, batch=self.batch)
        self.admin = imported.users["district"]
        catalogue_import(actor=self.admin, batch=self.catalogue())
        self.communities = [imported.communities[spec["name"]] for spec in COMMUNITIES]
        self.users_by_community: dict[int, list[Actor]] = {
            community.pk: [imported.users[row.username] for row in staff_of[community.name]]
            for community in self.communities
        }
        _, key = api_token_create(imported.users["desk"], "demo")
        log(f"  desk 的演示接口令牌（仅显示一次）：{key}")

    def catalogue(self) -> CatalogueBatch:
        """The seven categories, the seed items (a department item handled by its department)
        and three departments' offers on the resource list."""
        items = [
            ItemRow(row, DEPARTMENT_OF.get(str(row["code"]), "区民政局"))
            if row["level"] == "department"
            else ItemRow(row)
            for row in ITEMS
        ]
        resources = [
            ResourceRow(
                "区民政局",
                "government",
                "低保、临时救助政策解读与现场办公",
                "提前 3 个工作日电话预约",
                "0971-6100001",
            ),
            ResourceRow(
                "区人社局",
                "government",
                "就业援助专场、技能培训名额",
                "每月 5 日前报名单",
                "0971-6100002",
            ),
            ResourceRow(
                "区市场监督管理局",
                "legal",
                "消费维权进社区、食品安全讲座",
                "通过街道预约",
                "12315",
            ),
        ]
        return CatalogueBatch(categories=list(CATEGORIES), items=items, resources=resources)

    def community_staff(self, index: int, spec: dict[str, Any]) -> list[StaffRow]:
        prefix = ["zq", "xjt", "bm"][index]
        here = {"community": spec["name"]}
        users = []
        if index == 0:
            users.append(self.user("desk", "麦丽开·塔伊尔", "desk", **here))
            users.append(self.user("grid", "卓玛才让", "grid", **here))
            users.append(self.user("secretary", "沙拉麦提", "secretary", **here))
            grid_workers = spec["grid_workers"] - 1
        else:
            users.append(self.user(f"{prefix}-desk", _name(self.rng, "汉族"), "desk", **here))
            secretary = ["陈瑞", "郑佳佳"][index - 1]
            users.append(self.user(f"{prefix}-secretary", secretary, "secretary", **here))
            grid_workers = spec["grid_workers"]
        for n in range(grid_workers):
            users.append(
                self.user(f"{prefix}-grid{n + 1}", _name(self.rng, "汉族"), "grid", **here)
            )
        for n in range(spec["extra_staff"]):
            users.append(
                self.user(f"{prefix}-staff{n + 1}", _name(self.rng, "汉族"), "desk", **here)
            )
        return users

    def places(self, spec: dict[str, Any], staff: list[StaffRow], pool: list[str]) -> None:
        """Long because it is the demo's table of one community's places and people (grids,
        compounds, contracted buildings, households, residents, its station), written once in
        reading order. Rows inside the community refer to each other by their place in the
        batch's lists."""
        rng, batch, here = self.rng, self.batch, spec["name"]
        grid_workers = [u.username for u in staff if u.role == "grid"]
        first_grid = len(batch.grids)
        batch.grids.extend(
            GridRow(here, f"第{i + 1}网格", grid_workers[i % len(grid_workers)], GRID_COLOURS[i])
            for i in range(spec["grids"])
        )
        first_compound = len(batch.compounds)
        for i in range(spec["compounds"]):
            name = pool.pop(0) if pool else f"{here[:2]}{i + 1}号院"
            batch.compounds.append(
                CompoundRow(
                    community=here,
                    grid=first_grid + i % spec["grids"],
                    name=name,
                    address=f"{spec['address'][:-4]}{name}",
                    latitude=spec["lat"] + rng.uniform(-0.006, 0.006),
                    longitude=spec["lng"] + rng.uniform(-0.006, 0.006),
                )
            )
        # Contracting (包楼): every worker takes 2–3 buildings in turn.
        contractors = [u.username for u in staff if u.role in ("grid", "desk")]
        first_building = len(batch.buildings)
        compounds = spec["compounds"]
        batch.buildings.extend(
            BuildingRow(
                compound=first_compound + i % compounds,
                name=f"{i // compounds + 1}号楼",
                contractor=contractors[(i // 3) % len(contractors)],
            )
            for i in range(spec["buildings"])
        )
        first_household = len(batch.households)
        for i in range(spec["households"]):
            batch.households.append(
                HouseholdRow(
                    building=first_building + i % spec["buildings"],
                    unit=f"{rng.randint(1, 4)}单元",
                    room=f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
                )
            )
        for i in range(spec["residents"]):
            ethnic = (
                _pick(rng, ETHNIC_MIX)
                if spec["ethnic"]
                else ("汉族" if rng.random() < 0.97 else "回族")
            )
            age = min(103, int(abs(rng.gauss(42, 22))) + 1)
            birth = self.today - timedelta(days=age * 365 + rng.randint(0, 364))
            female = rng.random() < 0.51
            name = _name(rng, ethnic)
            phone = _phone(rng) if age >= 16 else ""
            batch.residents.append(
                ResidentRow(
                    community=here,
                    household=first_household + i % spec["households"],
                    name=name,
                    gender="F" if female else "M",
                    birth_date=birth,
                    ethnic_group=ethnic,
                    phone=phone,
                    id_number=_id_number(rng, birth, female),
                    lives_alone=age >= 70 and rng.random() < 0.2,
                    disabled=rng.random() < 0.03,
                    subsistence_allowance=rng.random() < 0.025,
                    low_income=rng.random() < 0.04,
                    bedridden=age >= 75 and rng.random() < 0.06,
                )
            )
        batch.stations.append(
            StationRow(
                community=here,
                kind="doorstep",
                name=f"{here}家门口服务站",
                address=spec["address"],
                latitude=spec["lat"],
                longitude=spec["lng"],
                hours="周一至周日 08:30–20:00",
            )
        )

    # -- a year of requests ------------------------------------------------------------
    def requests_pool(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        if DATA_FILE.exists():
            with DATA_FILE.open(encoding="utf-8-sig") as f:
                rows = [(r["text"], r["label"]) for r in csv.DictReader(f) if r.get("text")]
        for item in ITEMS:
            examples: Any = item.get("examples", [])
            rows += [(str(e), str(item["code"])) for e in examples]
        return rows

    def build_history(
        self, log: Callable[[str], object] = print, progress: Progress | None = None
    ) -> None:
        """A year of requests with their timelines and ratings (call after `build_places`),
        loaded by the district admin through `cases.services.case_history_load`.

        Long because it is one pass over a year of generated history: draw, load in bulk,
        report progress, in that order."""
        rng = self.rng
        items = {i.code: i for i in ServiceItem.objects.select_related("department")}
        pool = self.requests_pool()
        by_label: dict[str, list[str]] = {}
        for text, label in pool:
            if label in items:
                by_label.setdefault(label, []).append(text)
        labels = list(by_label)
        weights = [POPULAR.get(label, 1.5) for label in labels]
        unmatched = [
            "想在小区里办个老年人合唱班，社区能不能牵头",
            "希望小区门口能增设一个快递柜",
            "能不能组织个幼儿托管，3岁以下的孩子没人带",
            "小区想建个共享菜园，有没有可能",
            "希望社区开个英语角给孩子们",
            "想问社区能不能帮忙找个修手表的",
        ]
        calendar = calendar_for(self.communities[0].street.district_id)
        start = self.today - timedelta(days=self.days)
        cases: list[Case] = []
        events: list[PastEvent] = []
        ratings: list[PastRating] = []
        demands: list[PastDemand] = []
        codes: set[str] = set()
        now = timezone.now()
        for community in self.communities:
            staff = self.users_by_community[community.pk]
            desk_staff = [u for u in staff if u.staff.role in ("desk", "grid")]
            secretary = next(u for u in staff if u.staff.role == "secretary")
            compounds = list(community.compounds.prefetch_related("buildings"))
            residents = list(
                Resident.objects.filter(community=community).values_list("pk", flat=True)[:3000]
            )
            for offset in range(self.days + 1):
                day = start + timedelta(days=offset)
                weekend = day.weekday() >= 5
                n = max(0, int(rng.gauss(self.per_day * (0.45 if weekend else 1.1), 4)))
                if day == self.today:
                    n = min(n, 12)
                for _ in range(n):
                    minute = rng.randint(8 * 60 + 30, 19 * 60 + 50)
                    at = datetime.combine(
                        day, time(minute // 60, minute % 60, rng.randint(0, 59)), TZ
                    )
                    if at > now:
                        continue
                    matched = rng.random() > 0.03
                    if matched:
                        label = rng.choices(labels, weights=weights)[0]
                        item = items[label]
                        text = rng.choice(by_label[label])
                    else:
                        item, text = None, rng.choice(unmatched)
                    actor = rng.choice(desk_staff)
                    compound = rng.choice(compounds) if rng.random() < 0.7 else None
                    building = (
                        rng.choice(list(compound.buildings.all()))
                        if compound and rng.random() < 0.6
                        else None
                    )
                    first_event = len(events)
                    case = self._case(
                        community,
                        item,
                        text,
                        at,
                        actor,
                        secretary,
                        compound,
                        building,
                        residents,
                        calendar,
                        codes,
                        len(cases),
                        events,
                        ratings,
                    )
                    # The generator draws an escalation before the acceptance it follows:
                    # the case's timeline goes in in time order.
                    events[first_event:] = sorted(events[first_event:], key=lambda e: e.at)
                    cases.append(case)
                    if item is None:
                        demands.append(PastDemand(len(cases) - 1, case.description))
        log(f"  写入 {len(cases)} 件历史事项…")
        counter = None if progress is None else progress.count
        history = CaseHistory(cases=cases, events=events, ratings=ratings, demands=demands)
        case_history_load(actor=self.admin, history=history, progress=counter)
        log(f"  {len(events)} 条办理记录, {len(ratings)} 条评价, {len(demands)} 条需求")

    def _seal(self, text: str) -> Sealed:
        """The pool's texts repeat; one holding a personal number is sealed afresh each time."""
        sealed = self.sealed.get(text) or seal(text)
        if not sealed.encrypted:
            self.sealed[text] = sealed
        return sealed

    def _case(
        self,
        community: Community,
        item: ServiceItem | None,
        text: str,
        at: datetime,
        actor: Actor,
        secretary: Actor,
        compound: Compound | None,
        building: Building | None,
        residents: list[int],
        calendar: WorkCalendar,
        codes: set[str],
        index: int,
        events: list[PastEvent],
        ratings: list[PastRating],
    ) -> Case:
        """Long because it is a generator's one pass: every decision about one generated case
        (channel, item, status path, events, rating) in the order the services would take them."""
        rng = self.rng
        while True:
            raw = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
            if code not in codes:
                codes.add(code)
                break
        level = item.level if item else "community"
        queue = {
            "community": Queue.COMMUNITY,
            "street": Queue.STREET,
            "department": Queue.DEPARTMENT,
        }[level]
        channel = _pick(rng, CHANNEL_MIX)
        sealed = self._seal(text)
        case = Case(
            tracking_code=code,
            channel=channel,
            description=sealed.text,
            description_sealed=sealed.encrypted,
            item=item,
            suggested_item=item,
            compound=compound,
            building=building,
            created_at=at,
            resident_id=rng.choice(residents) if rng.random() < 0.6 else None,
            contact_name=""
            if rng.random() < 0.6
            else rng.choice(SURNAMES) + rng.choice(["先生", "女士", "阿姨", "大爷"]),
            first_responder=actor,
            responsibility=Responsibility.FIRST_RESPONDER,
            queue=queue,
            department=item.department if item and level == "department" else None,
            needs_upper_approval=bool(item and item.needs_upper_approval),
            status=Status.RECEIVED,
            owner=actor if queue == Queue.COMMUNITY else None,
        )
        case.place_in(community)
        age_days = (self.today - at.date()).days
        on_spot = item is not None and item.mode == "on_the_spot" and rng.random() < 0.75
        if on_spot:
            reply = rng.choice(
                [
                    "已当场为您办理完毕。",
                    "已现场解答政策并指导办理。",
                    "已当场联系相关人员处理完毕。",
                ]
            )
            case.status, case.settled_on_spot, case.reply = Status.RESOLVED, True, reply
            case.replied_at = case.resolved_at = at
            events.append(PastEvent(index, EventKind.SETTLED, actor, at, reply))
        else:
            days = item.promise_days if item and item.mode == "promise" else (1 if item else 5)
            case.due_date = calendar.add_working_days(at.date(), days)
            events.append(PastEvent(index, EventKind.CREATED, actor, at, ""))
            span = (case.due_date - at.date()).days
            finish_in = (
                rng.randint(0, max(1, span)) if rng.random() < 0.92 else span + rng.randint(1, 6)
            )
            handler = actor if queue == Queue.COMMUNITY else None
            if rng.random() < 0.05 and queue == Queue.COMMUNITY:
                handler = secretary
                case.owner, case.responsibility = secretary, Responsibility.FALLBACK
                events.append(
                    PastEvent(
                        index,
                        EventKind.ESCALATED,
                        actor,
                        at + timedelta(hours=2),
                        "情况复杂，转书记兜底",
                    )
                )
            if finish_in >= age_days:  # still open today
                if age_days > 0 or rng.random() < 0.5:
                    case.status = Status.IN_PROGRESS
                    events.append(
                        PastEvent(index, EventKind.ACCEPTED, handler, at + timedelta(minutes=30))
                    )
                if case.due_date < self.today and rng.random() < 0.7:
                    case.owner, case.responsibility = secretary, Responsibility.FALLBACK
                    case.overdue_escalated_at = datetime.combine(
                        case.due_date + timedelta(days=1), time(1), TZ
                    )
                    events.append(
                        PastEvent(index, EventKind.OVERDUE, None, case.overdue_escalated_at, "")
                    )
                return case
            done = datetime.combine(
                at.date() + timedelta(days=finish_in),
                time(rng.randint(9, 18), rng.randint(0, 59)),
                TZ,
            )
            done = max(done, at + timedelta(hours=1))
            events.append(
                PastEvent(index, EventKind.ACCEPTED, handler, at + timedelta(minutes=20), "")
            )
            reply = rng.choice(
                [
                    "已办理完毕，请凭查询码查看。",
                    "已协调物业上门处理，问题已解决。",
                    "证明已开具，请到服务站领取。",
                    "已联系相关部门处理完毕，感谢您的反映。",
                    "已上门核实并处理，后续如有问题请随时联系网格员。",
                ]
            )
            case.status, case.reply, case.replied_at, case.resolved_at = (
                Status.RESOLVED,
                reply,
                done,
                done,
            )
            if case.owner is None:
                case.owner = handler
            events.append(PastEvent(index, EventKind.RESOLVED, case.owner, done, reply))
        finished = case.resolved_at or at
        if rng.random() < 0.58 and finished + timedelta(hours=3) < timezone.now():
            rated_at = finished + timedelta(hours=rng.randint(1, 72))
            if rated_at < timezone.now():
                att = _pick(rng, [(5, 70), (4, 22), (3, 6), (2, 1), (1, 1)])
                cap = _pick(rng, [(5, 62), (4, 27), (3, 8), (2, 2), (1, 1)])
                comment = rng.choice(
                    ["", "", "工作人员很耐心", "办得很快，谢谢社区", "态度好", "希望以后更快一些"]
                )
                ratings.append(PastRating(index, att, cap, comment, rated_at))
                events.append(PastEvent(index, EventKind.RATED, None, rated_at, comment))
                case.status, case.closed_at = Status.CLOSED, rated_at
                return case
        if finished < timezone.now() - timedelta(days=7):
            case.status, case.closed_at = Status.CLOSED, finished + timedelta(days=7)
            events.append(
                PastEvent(
                    index, EventKind.CLOSED, None, case.closed_at, "办结 7 天未评价，自动归档。"
                )
            )
        return case


def demo_loaded() -> bool:
    return District.objects.filter(name=DISTRICT).exists()
