"""Demo data modelled on the seed articles (`doorstep demo`).

One district, one street, three communities: a Zhangqian-like one (4,791 residents, 10 ethnic
groups), a Xijiaotong-like one (17 compounds, 3,179 households, 6 grid workers) and a Baima-like
one (36 buildings, 13 staff each contracting 2–3 buildings). About a year of history at ~30
requests per community per day with Zhangqian's channel mix (under a third walk-in).

History is bulk-inserted as already-happened facts (a historical import: the rules that
services.py enforces are applied here by construction); the demo users' live work then goes
through the services like any other.
"""

import csv
import random
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from doorstep.api.services import api_token_create
from doorstep.cases.choices import Channel, EventKind, Queue, Responsibility, Status
from doorstep.cases.models import Case, CaseEvent, Rating
from doorstep.cases.search import case_search_terms
from doorstep.cases.services import TRACKING_ALPHABET, demand_topic
from doorstep.catalog.models import Category, Demand, Resource, ServiceItem
from doorstep.catalog.seed_data import CATEGORIES, ITEMS
from doorstep.catalog.selectors import item_search_text
from doorstep.catalog.services import item_from_seed
from doorstep.core import crypto
from doorstep.core.bulk import bulk_insert
from doorstep.core.redact import Sealed, seal
from doorstep.core.validators import id_check_digit
from doorstep.ops.progress import Progress
from doorstep.places.models import (
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
from doorstep.places.selectors import pinyin_key
from doorstep.workdays.selectors import calendar_for

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


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _name(rng: random.Random, ethnic: str) -> str:
    names = MINORITY_NAMES.get(ethnic)
    if names:
        return rng.choice(names)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


@lru_cache(maxsize=4096)
def _pinyin(name: str) -> str:
    """Demo names repeat: each one's pinyin is worked out once."""
    return pinyin_key(name)


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
        self.terms: dict[str, str] = {}

    # -- people and places -------------------------------------------------------------
    def user(self, username: str, display: str, role: str, district: District, **area: Any) -> Any:
        User = get_user_model()
        user = User.objects.create(
            username=username,
            password=self.password,
            is_staff=role == "district",
            is_superuser=role == "district",
        )
        StaffProfile.objects.create(
            user=user,
            role=role,
            display_name=display,
            district=district,
            phone=_phone(self.rng),
            **area,
        )
        return user

    def build_places(self, log: Any = print) -> None:
        """The district, its staff, catalogue, compounds, households and residents."""
        district = District.objects.create(name=DISTRICT)
        street = Street.objects.create(district=district, name=STREET)
        departments = {
            name: Department.objects.create(district=district, name=name)
            for name in sorted(set(DEPARTMENT_OF.values()) | {"区民政局", "区人社局"})
        }
        self.catalogue(departments)
        self.users_by_community: dict[int, list[Any]] = {}
        self.communities: list[Community] = []
        compound_pool = list(COMPOUND_NAMES)
        for index, spec in enumerate(COMMUNITIES):
            community = Community.objects.create(
                street=street,
                name=spec["name"],
                address=spec["address"],
                office_phone=spec["phone"],
                latitude=spec["lat"],
                longitude=spec["lng"],
            )
            self.communities.append(community)
            staff = self.community_staff(index, community, district, street, spec)
            self.places(community, spec, staff, compound_pool)
            log(f"  {community.name}: {spec['residents']} 位居民, {spec['compounds']} 个小区")
        self.user("street", "王培荣", "street", district, street=street)
        self.user("district", "冯伟", "district", district)
        self.user("dept", "刘晶", "department", district, department=departments["区民政局"])
        Resource.objects.bulk_create(
            [
                Resource(
                    department=departments["区民政局"],
                    category=Category.objects.get(code="government"),
                    offer="低保、临时救助政策解读与现场办公",
                    how_to_ask="提前 3 个工作日电话预约",
                    contact="0971-6100001",
                ),
                Resource(
                    department=departments["区人社局"],
                    category=Category.objects.get(code="government"),
                    offer="就业援助专场、技能培训名额",
                    how_to_ask="每月 5 日前报名单",
                    contact="0971-6100002",
                ),
                Resource(
                    department=departments["区市场监督管理局"],
                    category=Category.objects.get(code="legal"),
                    offer="消费维权进社区、食品安全讲座",
                    how_to_ask="通过街道预约",
                    contact="12315",
                ),
            ]
        )
        _, key = api_token_create(get_user_model().objects.get(username="desk"), "demo")
        log(f"  desk 的演示接口令牌（仅显示一次）：{key}")

    def catalogue(self, departments: dict[str, Department]) -> None:
        categories = {}
        for order, (code, name) in enumerate(CATEGORIES):
            categories[code] = Category.objects.create(code=code, name=name, order=order)
        items = []
        for row in ITEMS:
            item = item_from_seed(row, categories)
            if item.level == "department":
                item.department = departments[DEPARTMENT_OF.get(item.code, "区民政局")]
            item.search_text = item_search_text(item)
            items.append(item)
        ServiceItem.objects.bulk_create(items)

    def community_staff(
        self,
        index: int,
        community: Community,
        district: District,
        street: Street,
        spec: dict[str, Any],
    ) -> list[Any]:
        prefix = ["zq", "xjt", "bm"][index]
        users = []
        if index == 0:
            users.append(self.user("desk", "麦丽开·塔伊尔", "desk", district, community=community))
            users.append(self.user("grid", "卓玛才让", "grid", district, community=community))
            users.append(
                self.user("secretary", "沙拉麦提", "secretary", district, community=community)
            )
            grid_workers = spec["grid_workers"] - 1
        else:
            users.append(
                self.user(
                    f"{prefix}-desk", _name(self.rng, "汉族"), "desk", district, community=community
                )
            )
            users.append(
                self.user(
                    f"{prefix}-secretary",
                    ["陈瑞", "郑佳佳"][index - 1],
                    "secretary",
                    district,
                    community=community,
                )
            )
            grid_workers = spec["grid_workers"]
        for n in range(grid_workers):
            users.append(
                self.user(
                    f"{prefix}-grid{n + 1}",
                    _name(self.rng, "汉族"),
                    "grid",
                    district,
                    community=community,
                )
            )
        for n in range(spec["extra_staff"]):
            users.append(
                self.user(
                    f"{prefix}-staff{n + 1}",
                    _name(self.rng, "汉族"),
                    "desk",
                    district,
                    community=community,
                )
            )
        self.users_by_community[community.pk] = users
        return users

    def places(
        self, community: Community, spec: dict[str, Any], staff: list[Any], pool: list[str]
    ) -> None:
        """Long because it is the demo's table of places and people (district, streets, communities,
        staff, compounds), written once in reading order."""
        rng = self.rng
        grid_workers = [u for u in staff if u.staff.role == "grid"]
        grids = [
            Grid.objects.create(
                community=community,
                name=f"第{i + 1}网格",
                colour=GRID_COLOURS[i],
                worker=grid_workers[i % len(grid_workers)],
            )
            for i in range(spec["grids"])
        ]
        compounds = []
        for i in range(spec["compounds"]):
            name = pool.pop(0) if pool else f"{community.name[:2]}{i + 1}号院"
            compounds.append(
                Compound.objects.create(
                    community=community,
                    grid=grids[i % len(grids)],
                    name=name,
                    address=f"{community.address[:-4]}{name}",
                    latitude=spec["lat"] + rng.uniform(-0.006, 0.006),
                    longitude=spec["lng"] + rng.uniform(-0.006, 0.006),
                )
            )
        buildings = []
        # Contracting (包楼): every worker takes 2–3 buildings in turn.
        contractors = [u for u in staff if u.staff.role in ("grid", "desk")]
        for i in range(spec["buildings"]):
            compound = compounds[i % len(compounds)]
            buildings.append(
                Building(
                    compound=compound,
                    name=f"{i // len(compounds) + 1}号楼",
                    contractor=contractors[(i // 3) % len(contractors)],
                )
            )
        Building.objects.bulk_create(buildings)
        households = []
        for i in range(spec["households"]):
            b = buildings[i % len(buildings)]
            households.append(
                Household(
                    building=b,
                    unit=f"{rng.randint(1, 4)}单元",
                    room=f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
                )
            )
        bulk_insert(households)
        residents = []
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
            idn = _id_number(rng, birth, female)
            residents.append(
                Resident(
                    community=community,
                    household=households[i % len(households)],
                    name=name,
                    name_pinyin=_pinyin(name),
                    gender="F" if female else "M",
                    birth_date=birth,
                    ethnic_group=ethnic,
                    phone_encrypted=crypto.encrypt(phone),
                    phone_hash=crypto.lookup_hash(phone),
                    id_number_encrypted=crypto.encrypt(idn),
                    id_number_hash=crypto.lookup_hash(idn),
                    id_last4_hash=crypto.lookup_hash(idn[-4:]),
                    lives_alone=age >= 70 and rng.random() < 0.2,
                    disabled=rng.random() < 0.03,
                    subsistence_allowance=rng.random() < 0.025,
                    low_income=rng.random() < 0.04,
                    bedridden=age >= 75 and rng.random() < 0.06,
                )
            )
        bulk_insert(residents)
        ServiceStation.objects.create(
            community=community,
            kind="doorstep",
            name=f"{community.name}家门口服务站",
            address=community.address,
            latitude=spec["lat"],
            longitude=spec["lng"],
            hours="周一至周日 08:30–20:00",
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

    def build_history(self, log: Any = print, progress: Progress | None = None) -> None:
        """A year of requests with their timelines and ratings (call after `build_places`).

        Long because it is one pass over a year of generated history: draw, write in bulk, report
        progress, in that order."""
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
        events: list[
            tuple[int, str, Any, datetime, str]
        ] = []  # (case index, kind, actor, at, note)
        ratings: list[tuple[int, int, int, str, datetime]] = []
        demands: list[tuple[int, Community, str]] = []
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
                    cases.append(case)
                    if item is None:
                        demands.append((len(cases) - 1, community, case.description))
        log(f"  写入 {len(cases)} 件历史事项…")

        def counter(name: str) -> Any:
            return (
                None if progress is None else lambda done, total: progress.count(name, done, total)
            )

        with transaction.atomic():
            bulk_insert(cases, counter("事项"))
            bulk_insert(
                [
                    CaseEvent(case=cases[i], kind=k, actor=a, at=t, note=note)
                    for i, k, a, t, note in events
                ],
                counter("办理记录"),
            )
            bulk_insert(
                [
                    Rating(case=cases[i], attitude=att, capability=cap, comment=c, created_at=t)
                    for i, att, cap, c, t in ratings
                ],
                counter("评价"),
            )
            topics = {text: demand_topic(text) for text in {text for _, _, text in demands}}
            bulk_insert(
                [Demand(community=c, text=t, topic=topics[t], case=cases[i]) for i, c, t in demands]
            )
        log(f"  {len(events)} 条办理记录, {len(ratings)} 条评价, {len(demands)} 条需求")

    def _seal(self, text: str) -> Sealed:
        """The pool's texts repeat; one holding a personal number is sealed afresh each time."""
        sealed = self.sealed.get(text) or seal(text)
        if not sealed.encrypted:
            self.sealed[text] = sealed
        return sealed

    def _terms(self, text: str) -> str:
        if text not in self.terms:
            self.terms[text] = case_search_terms(text)
        return self.terms[text]

    def _case(
        self,
        community: Community,
        item: ServiceItem | None,
        text: str,
        at: datetime,
        actor: Any,
        secretary: Any,
        compound: Compound | None,
        building: Building | None,
        residents: list[int],
        calendar: Any,
        codes: set[str],
        index: int,
        events: list[Any],
        ratings: list[Any],
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
            search_terms=self._terms(sealed.text),
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
            events.append((index, EventKind.SETTLED, actor, at, reply))
        else:
            days = item.promise_days if item and item.mode == "promise" else (1 if item else 5)
            case.due_date = calendar.add_working_days(at.date(), days)
            events.append((index, EventKind.CREATED, actor, at, ""))
            span = (case.due_date - at.date()).days
            finish_in = (
                rng.randint(0, max(1, span)) if rng.random() < 0.92 else span + rng.randint(1, 6)
            )
            handler = actor if queue == Queue.COMMUNITY else None
            if rng.random() < 0.05 and queue == Queue.COMMUNITY:
                handler = secretary
                case.owner, case.responsibility = secretary, Responsibility.FALLBACK
                events.append(
                    (
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
                        (index, EventKind.ACCEPTED, handler, at + timedelta(minutes=30), "")
                    )
                if case.due_date < self.today and rng.random() < 0.7:
                    case.owner, case.responsibility = secretary, Responsibility.FALLBACK
                    case.overdue_escalated_at = datetime.combine(
                        case.due_date + timedelta(days=1), time(1), TZ
                    )
                    events.append((index, EventKind.OVERDUE, None, case.overdue_escalated_at, ""))
                return case
            done = datetime.combine(
                at.date() + timedelta(days=finish_in),
                time(rng.randint(9, 18), rng.randint(0, 59)),
                TZ,
            )
            done = max(done, at + timedelta(hours=1))
            events.append((index, EventKind.ACCEPTED, handler, at + timedelta(minutes=20), ""))
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
            events.append((index, EventKind.RESOLVED, case.owner, done, reply))
        finished = case.resolved_at or at
        if rng.random() < 0.58 and finished + timedelta(hours=3) < timezone.now():
            rated_at = finished + timedelta(hours=rng.randint(1, 72))
            if rated_at < timezone.now():
                att = _pick(rng, [(5, 70), (4, 22), (3, 6), (2, 1), (1, 1)])
                cap = _pick(rng, [(5, 62), (4, 27), (3, 8), (2, 2), (1, 1)])
                comment = rng.choice(
                    ["", "", "工作人员很耐心", "办得很快，谢谢社区", "态度好", "希望以后更快一些"]
                )
                ratings.append((index, att, cap, comment, rated_at))
                events.append((index, EventKind.RATED, None, rated_at, comment))
                case.status, case.closed_at = Status.CLOSED, rated_at
                return case
        if finished < timezone.now() - timedelta(days=7):
            case.status, case.closed_at = Status.CLOSED, finished + timedelta(days=7)
            events.append(
                (index, EventKind.CLOSED, None, case.closed_at, "办结 7 天未评价，自动归档。")
            )
        return case


def demo_loaded() -> bool:
    return District.objects.filter(name=DISTRICT).exists()
