"""Demo data for residents taking part, on top of the core demo (和平区 / 胜利路街道).

- 张骞社区: a Weifang-1st-village-like micro-park (微公园) — an illegal shed turned into a
  pavilion with painted walls and hanging plants — through a hearing, a coordination meeting and
  an evaluation, with minutes, two-person vote tallies, money spent and residents' scores; and a
  Bianjia-village-like e-bike shed with chargers (非机动车停车棚和充电桩) whose hearing is open
  for registration, nearly full, with a waitlist.
- Every demo community: this year's ten practical things (为民服务十件实事), about half done, one
  of them ("84 户壁挂炉安装") counted from closed cases; 白马社区 has adopted only eight so far.

Everything goes through the services with `now` set in the past, so the timelines are real.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from doorstep.cases import services as case_services
from doorstep.cases.choices import Channel
from doorstep.core.types import Actor, Log
from doorstep.places.choices import Role
from doorstep.places.models import Community, StaffProfile

from . import services
from .choices import FundingSource, MeetingKind, ProposerKind
from .models import Meeting, PracticalList, Project

PARK = "一村微公园：违章搭建改建休憩凉亭"
SHED = "非机动车停车棚和充电桩"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = [
    "秀英",
    "建国",
    "桂兰",
    "志强",
    "淑珍",
    "国庆",
    "丽华",
    "海燕",
    "德明",
    "玉梅",
    "卫东",
    "春花",
]

THINGS: list[tuple[str, str, int, list[tuple[str, int, int, int | None]]]] = [
    # title, owner, budget, milestones (title, month, weight, case target)
    (
        "楼道废弃网络线清理",
        "苏楠",
        8000,
        [("排查登记", 3, 1, None), ("协调运营商拆除", 5, 3, None)],
    ),
    (
        "非机动车停车棚和充电桩",
        "马艳玲",
        65000,
        [("听证选址", 4, 1, None), ("建设安装", 10, 3, None)],
    ),
    ("84 户壁挂炉安装", "物业公司", 210000, [("入户安装", 11, 4, 84), ("验收", 12, 1, None)]),
    ("老旧小区楼院长选聘", "赵宇", 2000, [("每百户推选一名", 3, 1, None)]),
    ("邻里服务站建设", "陈文君", 40000, [("场地协调", 4, 1, None), ("投入使用", 7, 2, None)]),
    ("网格会客厅每周半天", "网格员", 1000, [("上半年", 6, 1, None), ("下半年", 12, 1, None)]),
    ("乒乓球联赛", "乒乓球自组织", 6000, [("报名", 8, 1, None), ("比赛", 9, 2, None)]),
    ("重阳节千人臊子面", "红白理事会", 15000, [("筹备", 9, 1, None), ("活动", 10, 2, None)]),
    ("书画自组织假期免费课", "屈惠纪", 1500, [("暑期", 8, 1, None), ("寒假", 12, 1, None)]),
    (
        "社区图书室延时开放到 20:00",
        "全岗社工",
        3000,
        [("排班", 3, 1, None), ("全年运行", 12, 3, None)],
    ),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _staff(community: Community) -> list[Actor]:
    profiles = StaffProfile.objects.filter(community=community).select_related("user")
    order: dict[str, int] = {Role.SECRETARY: 0, Role.DESK: 1, Role.GRID: 2}
    return [p.user for p in sorted(profiles, key=lambda p: (order.get(p.role, 9), p.pk))]


def load_demo(log: Log = print) -> None:
    zq = Community.objects.filter(name="张骞社区").first()
    if zq is None:
        log("  未找到张骞社区，请先运行核心演示数据")
        return
    if Project.objects.filter(community=zq, title=PARK).exists():
        log("  居民参与演示数据已存在，跳过")
        return
    rng = random.Random(20261201)
    now = timezone.now()
    with transaction.atomic():
        _park(zq, rng, now)
        log("  三会：微公园项目（听证会→协调会→评议会，纪要、表决、支出、评分）")
        _shed(zq, rng, now)
        log("  三会：停车棚和充电桩听证会报名中（含候补）")
        for community in Community.objects.filter(street=zq.street).order_by("pk"):
            _things(community, now)
        log("  为民服务十件实事：各社区本年度清单，约完成一半")


def _meeting(actor: Actor, project: Project, kind: str, day: datetime, **kw: Any) -> Meeting:
    starts_at = timezone.localtime(day).replace(hour=19, minute=0, second=0, microsecond=0)
    return services.meeting_schedule(
        actor=actor,
        project_id=project.pk,
        plan=services.MeetingPlan(
            kind=kind,
            starts_at=starts_at,
            place=kw.get("place", "家门口服务站议事区"),
            agenda=kw["agenda"],
            capacity=kw.get("capacity", 50),
            quorum=kw.get("quorum", 20),
            invited_groups=kw.get(
                "groups",
                ["building_heads", "affected_residents", "party_members", "property_company"],
            ),
        ),
        now=starts_at - timedelta(days=10),
    )


def _fill(meeting: Meeting, rng: random.Random, count: int, signed: int, worker: Actor) -> None:
    before = meeting.starts_at - timedelta(days=3)
    codes = []
    for n in range(count):
        registration = services.meeting_register(
            meeting_id=meeting.pk,
            name=_name(rng),
            phone=f"139{rng.randrange(10**7, 10**8)}",
            now=before + timedelta(minutes=n),
        )
        codes.append(registration.code)
    for code in codes[:signed]:
        services.registration_sign_in(
            actor=worker, meeting_id=meeting.pk, code=code, now=meeting.starts_at
        )
    meeting.refresh_from_db()


def _vote(
    meeting: Meeting, first: Actor, second: Actor, question: str, counts: tuple[int, int, int]
) -> None:
    yes, no, abstain = counts
    vote = services.vote_tally(
        actor=first,
        meeting_id=meeting.pk,
        question=question,
        method="ballots",
        tally=services.Tally(
            present=meeting.signed_in_count,
            cast=yes + no + abstain,
            yes=yes,
            no=no,
            abstain=abstain,
        ),
        now=meeting.starts_at + timedelta(minutes=50),
    )
    services.vote_confirm(
        actor=second,
        vote_id=vote.pk,
        yes=yes,
        no=no,
        abstain=abstain,
        now=meeting.starts_at + timedelta(minutes=55),
    )


def _picture(sky: tuple[int, int, int], wall: tuple[int, int, int], width: int = 320) -> bytes:
    """A small PNG drawn with the standard library (no image package in the demo): sky, a
    pavilion roof and pillars, a painted wall, grass — enough to show where photos go."""
    height = width * 5 // 8
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            cx = abs(x - width // 2)
            if y > height * 3 // 4:
                colour = (74, 160, 84)
            elif height // 4 < y < height // 4 + 40 and cx < (y - height // 4) * 3:
                colour = (160, 40, 40)  # roof
            elif height // 4 + 40 <= y and width // 5 <= cx < width // 5 + 8:
                colour = (120, 72, 40)  # pillars
            elif y > height // 2 and x < width // 6:
                colour = wall if (x // 12 + y // 12) % 2 else (250, 220, 120)
            else:
                colour = sky
            row.extend(colour)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _close(
    meeting: Meeting,
    actor: Actor,
    minutes: str,
    organisations: str,
    decisions: str,
    photos: list[tuple[str, bytes]] | None = None,
) -> None:
    services.meeting_close(
        actor=actor,
        meeting_id=meeting.pk,
        closing=services.Closing(
            minutes=minutes,
            attendee_count=meeting.signed_in_count + 3,
            organisations_present=organisations,
            decisions=decisions,
            photos=photos or [],
        ),
        now=meeting.starts_at + timedelta(hours=1, minutes=30),
    )


def _park(zq: Community, rng: random.Random, now: datetime) -> None:
    """Long because it is the demo's story of one project through its three meetings, written in the
    order they happen."""
    secretary, desk, grid = (_staff(zq) + [None, None, None])[:3]
    assert secretary and desk and grid
    compound = zq.compounds.order_by("pk").first()
    start = now - timedelta(days=150)
    project = services.project_propose(
        actor=desk,
        data=services.Proposal(
            community=zq,
            title=PARK,
            summary="小区中心空地上有一处多年的违章搭建，堆放杂物、影响通行。邻里互助帮帮团提议"
            "拆除后改建为休憩凉亭，配彩绘墙和悬挂绿植，做成居民家门口的微公园。",
            proposer_kind=ProposerKind.ORGANISATION,
            proposer_name="邻里互助帮帮团",
            funding_source=FundingSource.STREET,
            budget="86000",
            compound=compound,
        ),
        now=start,
    )
    hearing = _meeting(
        desk,
        project,
        MeetingKind.HEARING,
        start + timedelta(days=14, hours=9),
        agenda="1. 社区介绍违章搭建现状与改建方案\n2. 居民逐一发表意见\n3. 现场纸质投票",
    )
    _fill(hearing, rng, 46, 44, desk)
    _vote(hearing, desk, grid, f"是否同意实施“{PARK}”", (38, 4, 2))
    _close(
        hearing,
        desk,
        "到会居民 47 人。社区介绍了违章搭建的现状和拆除改建方案；12 位居民发言，"
        "低层住户担心凉亭夜间噪音，约定 21:00 后不开展活动。",
        "居委会、物业公司、邻里互助帮帮团、楼组长 6 人、党员代表",
        "同意拆除违章搭建，改建为休憩凉亭；21:00 后凉亭不开展活动；由居民代表 3 人参与监督。",
    )
    services.project_start(
        actor=desk, project_id=project.pk, now=hearing.starts_at + timedelta(days=7)
    )
    services.project_spend(
        actor=desk,
        project_id=project.pk,
        amount="52000",
        note="拆除违章搭建、凉亭主体工程",
        now=hearing.starts_at + timedelta(days=30),
    )
    coordination = _meeting(
        desk,
        project,
        MeetingKind.COORDINATION,
        hearing.starts_at + timedelta(days=45),
        agenda="1. 施工进度通报\n2. 彩绘墙图案征集结果\n3. 认领悬挂绿植",
        capacity=40,
        quorum=10,
    )
    _fill(coordination, rng, 31, 28, grid)
    _vote(coordination, grid, desk, "彩绘墙采用“四季邻里”图案", (24, 2, 2))
    _close(
        coordination,
        grid,
        "通报凉亭主体已完工。居民投票选定彩绘墙图案；18 户认领悬挂绿植，"
        "邻里互助帮帮团负责日常浇水。",
        "居委会、物业公司、施工单位、邻里互助帮帮团、书画自组织",
        "彩绘墙采用“四季邻里”图案，由书画自组织带领居民共同绘制；绿植由认领居民养护。",
        photos=[
            ("凉亭主体完工", _picture((170, 210, 240), (90, 140, 200))),
            ("居民共绘彩绘墙", _picture((200, 225, 245), (220, 110, 90))),
        ],
    )
    for amount, note, day in [("12800", "彩绘墙颜料与脚手架", 55), ("6400", "悬挂绿植与花架", 60)]:
        services.project_spend(
            actor=desk,
            project_id=project.pk,
            amount=amount,
            note=note,
            now=hearing.starts_at + timedelta(days=day),
        )
    services.project_complete(
        actor=desk, project_id=project.pk, now=hearing.starts_at + timedelta(days=70)
    )
    evaluation = _meeting(
        desk,
        project,
        MeetingKind.EVALUATION,
        hearing.starts_at + timedelta(days=80),
        agenda="1. 居民代表现场验收凉亭\n2. 工程质量与满意度打分\n3. 后续管护约定",
        capacity=40,
        quorum=10,
    )
    _fill(evaluation, rng, 26, 24, desk)
    for n in range(24):
        services.score_add(
            actor=desk,
            meeting_id=evaluation.pk,
            quality=rng.choice([5, 5, 5, 4, 4, 3]),
            satisfaction=rng.choice([5, 5, 5, 5, 4, 4]),
            now=evaluation.starts_at + timedelta(minutes=40 + n),
        )
    _close(
        evaluation,
        secretary,
        "居民代表现场验收凉亭、彩绘墙和绿植；24 位居民填写评分表。建议增加两张长椅。",
        "居委会、物业公司、施工单位、邻里互助帮帮团、居民监督代表",
        "通过验收；增加两张长椅由物业负责；凉亭纳入邻里互助帮帮团日常管护。",
    )


def _shed(zq: Community, rng: random.Random, now: datetime) -> None:
    desk = _staff(zq)[1]
    project = services.project_propose(
        actor=desk,
        data=services.Proposal(
            community=zq,
            title=SHED,
            summary="老旧小区缺少非机动车停车位和充电桩，电动车楼道充电有安全隐患。居民代表提议"
            "在小区东侧建设停车棚并安装充电桩，物业愿意出钱出力；选址可能影响低层住户。",
            proposer_kind=ProposerKind.RESIDENT,
            proposer_name="马艳玲（居民代表）",
            funding_source=FundingSource.PROPERTY,
            budget="65000",
            compound=zq.compounds.order_by("pk")[1:2].first(),
        ),
        now=now - timedelta(days=20),
    )
    hearing = _meeting(
        desk,
        project,
        MeetingKind.HEARING,
        now + timedelta(days=6),
        agenda="1. 物业介绍两个选址方案\n2. 低层住户意见\n3. 人大代表、派出所讲政策\n4. 投票选址",
        capacity=30,
        quorum=15,
        groups=["building_heads", "affected_residents", "property_company", "deputies"],
    )
    for n in range(32):
        services.meeting_register(
            meeting_id=hearing.pk,
            name=_name(rng),
            phone=f"137{rng.randrange(10**7, 10**8)}",
            now=now - timedelta(days=3, minutes=-n),
        )


def _things(community: Community, now: datetime) -> None:
    today = timezone.localdate(now)
    year = today.year
    if PracticalList.objects.filter(community=community, year=year).exists():
        return
    staff = _staff(community)
    secretary, worker = staff[0], staff[-1]
    bai_ma = community.name.startswith("白马")
    plan = services.practical_list_adopt(
        actor=secretary,
        community=community,
        year=year,
        adoption="committee" if bai_ma else "meeting",
        adopted_on=date(year, 2, 20),
        note="居委会扩大会议讨论通过" if bai_ma else "居民代表会议表决通过（到会 62 人）",
    )
    rng = random.Random(community.pk)
    for index, (title, owner, budget, milestones) in enumerate(THINGS[: 8 if bai_ma else 10]):
        thing = services.thing_add(
            actor=secretary,
            plan_id=plan.pk,
            title=title,
            owner_name=owner,
            budget=budget,
            milestones=[
                services.MilestoneIn(name, _month_end(year, month), weight, target)
                for name, month, weight, target in milestones
            ],
            today=today,
        )
        for milestone in thing.milestones.all():
            if milestone.case_target:
                _boilers(community, worker, milestone.pk, rng, today)
                continue
            finished = milestone.due_date < today and (index % 2 == 0 or rng.random() < 0.4)
            progress = 100 if finished else rng.choice([0, 25, 50, 75])
            if progress:
                services.milestone_progress(
                    actor=worker, milestone_id=milestone.pk, progress=progress, today=today
                )


def _boilers(
    community: Community, worker: Actor, milestone_id: int, rng: random.Random, today: date
) -> None:
    """Each wall-mounted boiler installation is a case the desk registers and closes."""
    codes = []
    for n in range(40):
        case = case_services.case_create(
            actor=worker,
            data=case_services.Intake(
                community=community,
                channel=Channel.WALK_IN,
                description=f"{n % 12 + 1}号楼{rng.randrange(1, 7)}0{rng.randrange(1, 4)}室"
                "申请壁挂炉安装",
            ),
        )
        if n < 33:
            case = case_services.case_resolve(
                actor=worker, case_id=case.pk, reply="壁挂炉已安装并通气验收。"
            )
        codes.append(case.tracking_code)
    services.milestone_link_cases(actor=worker, milestone_id=milestone_id, codes=codes, today=today)


def _month_end(year: int, month: int) -> date:
    return (date(year, month % 12 + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(
        days=1
    )
