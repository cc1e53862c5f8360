"""Demo facilities and bookings for 张骞社区 (seed 000: library, fitness equipment, courts,
table-tennis tables): a season of the table-tennis club's Tuesday evenings, four weeks of
residents' bookings with check-ins and no-shows, some bookings ahead and a waitlist.
Everything goes through the services, with `now` set to the moment it happened."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from doorstep.core.types import Log
from doorstep.places.models import Community, Resident

from .models import Booking, Facility
from .services import (
    Booker,
    FacilityData,
    SeriesData,
    booking_check_in,
    booking_create,
    booking_decide,
    bookings_tick,
    facility_save,
    series_create,
    waitlist_join,
)

FACILITIES = [
    FacilityData(
        0,
        "社区图书室",
        "library",
        "党群服务中心二楼",
        20,
        time(8, 30),
        time(20, 0),
        60,
        180,
        7,
        5,
        rules_note="免费阅读，请保持安静",
    ),
    FacilityData(
        0,
        "乒乓球台1号",
        "table_tennis",
        "党群服务中心东侧",
        4,
        time(8, 30),
        time(20, 0),
        30,
        120,
        7,
        3,
    ),
    FacilityData(
        0,
        "乒乓球台2号",
        "table_tennis",
        "党群服务中心东侧",
        4,
        time(8, 30),
        time(20, 0),
        30,
        120,
        7,
        3,
    ),
    FacilityData(
        0, "羽毛球场", "court", "社区外围球场", 4, time(8, 30), time(20, 0), 60, 120, 7, 2
    ),
    FacilityData(
        0, "健身角", "fitness", "党群服务中心广场", 10, time(8, 30), time(20, 0), 30, 60, 3, 5
    ),
    FacilityData(
        0,
        "多功能活动室",
        "room",
        "党群服务中心一楼",
        40,
        time(8, 30),
        time(20, 0),
        60,
        180,
        14,
        2,
        needs_approval=True,
        rules_note="团体活动请提前申请，经审批后使用",
    ),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load_demo(log: Log = print) -> None:
    """Long because it is the demo's table of rooms, series and bookings, one after another;
    splitting it would scatter one story over several functions."""
    zq = Community.objects.filter(name="张骞社区").first()
    if zq is None:
        log("  未找到张骞社区，请先运行核心演示数据")
        return
    if Facility.objects.filter(community=zq).exists():
        log("  场地预约演示数据已存在，跳过")
        return
    users = {u.username: u for u in get_user_model().objects.filter(staff__isnull=False)}
    desk, secretary = users["desk"], users["secretary"]
    rng = random.Random(20261201)
    now = timezone.now()
    today = timezone.localdate(now)
    set_up = now - timedelta(days=60)
    residents = list(Resident.objects.filter(community=zq).order_by("pk")[:60])
    with transaction.atomic():
        made = {}
        for data in FACILITIES:
            data = FacilityData(**{**data.__dict__, "community_id": zq.pk})
            made[data.name] = facility_save(actor=secretary, data=data, now=set_up)
        table = made["乒乓球台1号"]
        season_start = today - timedelta(days=42)
        series_create(
            actor=desk,
            data=SeriesData(
                table.pk,
                "乒乓球自组织",
                1,
                time(18, 30),
                time(20, 0),
                season_start,
                season_start + timedelta(days=120),
            ),
            now=set_up,
        )
        made_bookings = 0
        for back in range(28, -8, -1):
            day = today - timedelta(days=back)
            for facility in made.values():
                for _n in range(rng.randint(0, 4 if facility.kind != "room" else 1)):
                    hour = rng.randint(9, 18)
                    length = max(facility.min_minutes, min(facility.max_minutes, 60))
                    start = _at(day, hour)
                    try:
                        booking = booking_create(
                            booker=Booker(resident=rng.choice(residents)),
                            facility_id=facility.pk,
                            starts_at=start,
                            ends_at=start + timedelta(minutes=length),
                            now=min(start - timedelta(days=1), now),
                        )
                    except ValidationError:
                        continue
                    made_bookings += 1
                    if booking.status == "pending" and start < now + timedelta(days=2):
                        booking = booking_decide(
                            actor=desk,
                            booking_id=booking.pk,
                            approve=True,
                            now=min(start - timedelta(hours=12), now),
                        )
                    if start < now and rng.random() < 0.75 and booking.status == "confirmed":
                        booking_check_in(
                            booker=Booker(resident=booking.resident),
                            booking_id=booking.pk,
                            now=start + timedelta(minutes=rng.randint(-10, 10)),
                        )
        for booking in Booking.objects.filter(series__isnull=False, starts_at__lt=now):
            booking_check_in(
                booker=Booker(actor=desk), booking_id=booking.pk, now=booking.starts_at
            )
        released = bookings_tick(now=now)
        upcoming = (
            Booking.objects.filter(
                facility=made["社区图书室"], starts_at__gt=now, status="confirmed"
            )
            .order_by("starts_at")
            .first()
        )
        if upcoming is not None:
            waiter = next(r for r in residents if r.pk != upcoming.resident_id)
            waitlist_join(
                resident=waiter,
                facility_id=upcoming.facility_id,
                starts_at=upcoming.starts_at,
                ends_at=upcoming.ends_at,
                now=now,
            )
    log(
        f"  场地预约：{len(made)} 处场地，乒乓球自组织每周二固定时段，{made_bookings} 次居民预约，"
        f"{released} 次爽约释放"
    )
