"""Demo self-organisations and volunteering for 张骞社区 (seeds 000 and 004): five
self-organisations with members and leaders, a season of weekly activities with QR check-ins,
a correction, no-shows and hours posted to the volunteer record, the monthly public-welfare
market, and activities ahead to sign up for. Everything goes through the services, with
`now` set to the moment it happened."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from doorstep.bookings.models import Facility
from doorstep.core.types import Actor, Log
from doorstep.places.models import Community, Resident

from .models import Activity, Team, Volunteer
from .services import (
    ActivityData,
    MarketData,
    ShiftData,
    TeamData,
    activity_create,
    activity_hours_post,
    checkin_scan,
    hours_correct,
    market_schedule,
    signup_create,
    signup_mark_no_show,
    team_create,
    team_member_add,
    volunteer_register,
)

SKILLS = [
    "理发",
    "修鞋",
    "针灸",
    "维修家电",
    "书法",
    "广场舞",
    "乒乓球",
    "心理疏导",
    "法律咨询",
    "巡逻",
    "摄影",
    "烹饪",
]
TEAMS = [
    ("萤火虫志愿者服务队", "volunteer", "夜间巡逻、独居老人探访、政策宣传", None),
    ("邻里互助帮帮团", "mutual_help", "邻里之间修修补补、代买代办、照看孩子", None),
    ("红玫瑰欢乐舞蹈队", "interest", "每晚广场舞，节日演出", "多功能活动室"),
    ("乒乓球自组织", "interest", "每周二晚训练，组织社区乒乓球联赛", "乒乓球台1号"),
    ("翰墨书法社", "interest", "书法交流，春节义写春联", "社区图书室"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load_demo(log: Log = print) -> None:
    zq = Community.objects.filter(name="张骞社区").first()
    if zq is None:
        log("  未找到张骞社区，请先运行核心演示数据")
        return
    if Team.objects.filter(community=zq).exists():
        log("  志愿服务演示数据已存在，跳过")
        return
    desk = Actor.objects.get(username="desk")
    rng = random.Random(20261202)
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        residents = list(Resident.objects.filter(community=zq).order_by("pk")[60:100])
        volunteers = [
            volunteer_register(
                actor=desk,
                resident_id=r.pk,
                skills="、".join(rng.sample(SKILLS, 2)),
                today=today - timedelta(days=rng.randint(60, 900)),
            )
            for r in residents
        ]
        teams = _teams(zq, desk, volunteers, rng)
        held = _season(zq, desk, teams[0], volunteers, rng, now)
        markets = _market(zq, desk, teams[1], volunteers, rng, now)
        _ahead(zq, desk, teams, volunteers, now)
    log(
        f"  志愿服务：{len(volunteers)} 名志愿者，{len(teams)} 个自组织，{held} 次已结束活动"
        f"（已签到签退、确认时长），公益市集 {markets} 场"
    )


def _teams(
    zq: Community, desk: Actor, volunteers: list[Volunteer], rng: random.Random
) -> list[Team]:
    facilities = {f.name: f.pk for f in Facility.objects.filter(community=zq)}
    teams = []
    for name, kind, description, facility in TEAMS:
        team = team_create(
            actor=desk,
            data=TeamData(zq.pk, name, kind, description, facilities.get(facility or "")),
        )
        for n, volunteer in enumerate(rng.sample(volunteers, rng.randint(5, 9))):
            team_member_add(actor=desk, team_id=team.pk, volunteer_id=volunteer.pk, leader=n == 0)
        teams.append(team)
    return teams


def _serve(activity: Activity, people: list[Volunteer], rng: random.Random, desk: Actor) -> None:
    """Check in and out by QR as on the day; one forgets to check out and is corrected."""
    for n, volunteer in enumerate(people):
        signup = volunteer.signups.get(shift__activity=activity)
        if signup.status != "confirmed":
            continue
        shift = signup.shift
        if n == len(people) - 1 and len(people) > 2:
            signup_mark_no_show(
                actor=desk, signup_id=signup.pk, now=shift.starts_at + timedelta(hours=1)
            )
            continue
        arrive = shift.starts_at + timedelta(minutes=rng.randint(-15, 10))
        checkin_scan(volunteer=volunteer, token=activity.checkin_token, now=arrive)
        if n == 1:
            hours_correct(
                actor=desk,
                signup_id=signup.pk,
                minutes=int((shift.ends_at - shift.starts_at).total_seconds() // 60),
                reason="忘记签退，组织者现场核实",
                now=shift.ends_at + timedelta(hours=3),
            )
            continue
        leave = shift.ends_at + timedelta(minutes=rng.randint(-20, 15))
        checkin_scan(volunteer=volunteer, token=activity.checkin_token, now=leave)


def _season(
    zq: Community,
    desk: Actor,
    team: Team,
    volunteers: list[Volunteer],
    rng: random.Random,
    now: datetime,
) -> int:
    """Eight Saturday evening patrols of the 萤火虫 team, hours confirmed after each."""
    held = 0
    saturday = timezone.localdate(now) - timedelta(
        days=(timezone.localdate(now).weekday() - 5) % 7 or 7
    )
    members = [m.volunteer for m in team.memberships.select_related("volunteer")]
    for week in range(8, 0, -1):
        day = saturday - timedelta(days=7 * (week - 1))
        start, end = _at(day, 19, 0), _at(day, 21, 0)
        created = start - timedelta(days=6)
        activity = activity_create(
            actor=desk,
            data=ActivityData(
                zq.pk,
                "萤火虫夜间巡逻",
                "小区夜间安全巡逻、独居老人门前探访",
                "张骞社区各小区",
                start,
                end,
                [ShiftData("巡逻", start, end, 4), ShiftData("探访", start, end, 2)],
                team.pk,
            ),
            now=created,
        )
        shifts = list(activity.shifts.order_by("pk"))
        people = rng.sample(members, min(len(members), 5))
        for n, volunteer in enumerate(people):
            signup_create(volunteer=volunteer, shift_id=shifts[n % 2].pk, now=created)
        _serve(activity, people, rng, desk)
        activity_hours_post(actor=desk, activity_id=activity.pk, now=end + timedelta(days=1))
        held += 1
    return held


def _market(
    zq: Community,
    desk: Actor,
    team: Team,
    volunteers: list[Volunteer],
    rng: random.Random,
    now: datetime,
) -> int:
    """每月公益市集 (seed 000): free shoe repair, haircuts and acupuncture for residents 70+."""
    series = market_schedule(
        actor=desk,
        data=MarketData(
            zq.pk,
            "公益市集",
            "张骞社区党群服务中心广场",
            1,
            5,
            time(9, 30),
            time(12, 0),
            [("免费修鞋", 70, 2), ("义务理发", 70, 3), ("针灸理疗", 70, 2)],
            team.pk,
        ),
        months=4,
        now=now - timedelta(days=75),
    )
    for activity in series.activities.filter(starts_at__lt=now):
        shifts = list(activity.shifts.order_by("pk"))
        people = rng.sample(volunteers, 7)
        for n, volunteer in enumerate(people):
            signup_create(
                volunteer=volunteer,
                shift_id=shifts[n % 3].pk,
                now=activity.starts_at - timedelta(days=5),
            )
        _serve(activity, people, rng, desk)
        if activity.ends_at + timedelta(days=1) < now:
            activity_hours_post(
                actor=desk, activity_id=activity.pk, now=activity.ends_at + timedelta(days=1)
            )
    return series.activities.count()


def _ahead(
    zq: Community, desk: Actor, teams: list[Team], volunteers: list[Volunteer], now: datetime
) -> None:
    """Next week's activities: one already full with a waitlist."""
    day = timezone.localdate(now) + timedelta(days=(5 - timezone.localdate(now).weekday()) % 7 or 7)
    start, end = _at(day, 19), _at(day, 21)
    patrol = activity_create(
        actor=desk,
        data=ActivityData(
            zq.pk,
            "萤火虫夜间巡逻",
            "小区夜间安全巡逻、独居老人门前探访",
            "张骞社区各小区",
            start,
            end,
            [ShiftData("巡逻", start, end, 3)],
            teams[0].pk,
        ),
        now=now,
    )
    shift = patrol.shifts.get()
    for volunteer in volunteers[:5]:
        try:
            signup_create(volunteer=volunteer, shift_id=shift.pk, now=now)
        except ValidationError:
            continue
    couplets = _at(day + timedelta(days=1), 9, 30)
    activity_create(
        actor=desk,
        data=ActivityData(
            zq.pk,
            "义写春联进楼栋",
            "书法社成员为居民义写春联、福字",
            "社区图书室",
            couplets,
            couplets + timedelta(hours=3),
            [
                ShiftData("写春联", couplets, couplets + timedelta(hours=3), 4),
                ShiftData("裁纸引导", couplets, couplets + timedelta(hours=3), 2),
            ],
            teams[4].pk,
        ),
        now=now,
    )
