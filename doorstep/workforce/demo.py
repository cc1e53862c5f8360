"""Demo data for the workforce, on top of the core and field demos: every demo community's staff
with realistic certificates (one overdue, one due soon), a season of training, a leave with the
B post covering, stationed street staff, a department on site from a case, a video-link
booking, and a month of utility-fee payments with daily closes and one reversal.

Everything goes through the services (with past `now` where history is written), so the ledger
chain, the timelines and the audit entries are the real ones."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from doorstep.cases.choices import OPEN_STATUSES
from doorstep.cases.models import Case
from doorstep.catalog.choices import Level
from doorstep.catalog.models import ServiceItem
from doorstep.core.types import Log
from doorstep.field.models import PostPair
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.choices import Role
from doorstep.places.models import Community, Resident, StaffProfile

from . import fees, services
from .choices import CertificateKind, PayMethod, Utility
from .models import FeePayment, WorkerRecord
from .selectors import day_totals

COURSES = [
    ("社区工作者岗位能力提升培训", "区民政局", "4"),
    ("12345热线工单办理规范", "街道党群服务中心", "3"),
    ("反诈宣传与老年人防骗", "区公安分局", "2"),
    ("社会工作实务：个案与小组", "区社会工作协会", "6"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load_demo(log: Log = print) -> None:
    if WorkerRecord.objects.exists():
        log("  队伍建设演示数据已存在，跳过")
        return
    district_admin = User.objects.filter(staff__role=Role.DISTRICT).order_by("pk").first()
    if district_admin is None:
        log("  没有区级管理员账号，跳过队伍建设演示数据")
        return
    rng = random.Random(20261201)
    today = timezone.localdate()
    with transaction.atomic():
        communities = list(Community.objects.select_related("street").order_by("pk"))
        for n, community in enumerate(communities):
            _staff(community, district_admin, rng, today, first=n == 0)
        _training(communities, district_admin, rng, today)
        services.alerts_tick(day=today)
        log("  工作人员档案、证书（1人逾期）、培训与签到、到期提醒")
        if communities:
            _leave(communities[0], today)
            _stationed(communities[-1])
            _onsite(communities[0], today)
            _fees(communities[0], rng, today)
            log(f"  {communities[0].name}: 请假代岗、部门现场办公、视频连线、一个月的代收水电费")


def _staff(community: Community, actor: User, rng: random.Random, today: date, first: bool) -> None:
    staff = list(
        StaffProfile.objects.filter(community=community, role__in=list(COMMUNITY_ROLES))
        .select_related("user")
        .order_by("pk")
    )
    grid = [p.pk for p in staff if p.role == Role.GRID]
    for profile in staff:
        years = rng.randint(1, 12)
        hired = today - timedelta(days=365 * years + rng.randint(0, 300))
        born = hired.replace(year=hired.year - rng.randint(24, 40))
        overdue = first and grid[:1] == [profile.pk]
        due_soon = first and grid[1:2] == [profile.pk]
        if overdue:  # hired three years ago, still no certificate
            hired = today - timedelta(days=365 * 3)
        if due_soon:  # hired 23 months ago: the deadline is within 90 days
            hired = today - timedelta(days=365 * 2 - 40)
        if profile.role == Role.SECRETARY:
            born = hired.replace(year=hired.year - 46)
        record = services.worker_record_set(
            actor=actor, user=profile.user, hire_date=hired, birth_date=born
        )
        if overdue or due_soon:
            continue
        kind = rng.choice([CertificateKind.SOCIAL_WORKER, CertificateKind.COMMUNITY_WORKER])
        # Passed within two years of hire; the city's certificate (five years) renewed since.
        issued = min(hired + timedelta(days=rng.randint(200, 600)), today - timedelta(days=30))
        lapsing = issued.replace(year=issued.year + 5) < today + timedelta(days=120)
        if kind == CertificateKind.COMMUNITY_WORKER and lapsing:
            issued = max(hired, today - timedelta(days=rng.randint(60, 900)))
        services.certificate_add(
            actor=actor,
            worker_id=record.pk,
            kind=kind,
            number=f"{'SW' if kind == CertificateKind.SOCIAL_WORKER else 'TJSQ'}"
            f"{issued.year}{rng.randint(100000, 999999)}",
            issued_on=issued,
            expires_on=None
            if kind == CertificateKind.SOCIAL_WORKER
            else issued.replace(year=issued.year + 5),
            period_years=3 if kind == CertificateKind.SOCIAL_WORKER else None,
            period_hours=Decimal("72") if kind == CertificateKind.SOCIAL_WORKER else None,
        )


def _training(communities: list[Community], actor: User, rng: random.Random, today: date) -> None:
    """A season (the last three months): four courses, two sessions each, most staff attend."""
    for c, community in enumerate(communities):
        workers = list(WorkerRecord.objects.filter(community=community).order_by("pk"))
        for k, (title, organiser, hours) in enumerate(COURSES):
            course = services.course_create(
                actor=actor, title=title, organiser=organiser, community=community
            )
            for s in range(2):
                day = today - timedelta(days=85 - k * 20 - s * 7 - c)
                session = services.session_add(
                    actor=actor, course=course, day=day, hours=hours, place="党群服务中心二楼"
                )
                came = [w.pk for w in workers if rng.random() < 0.8]
                services.attendance_record(actor=actor, session_id=session.pk, worker_ids=came)
        if workers:
            services.external_training_submit(
                actor=workers[0].user,
                worker_id=workers[0].pk,
                title="全国社会工作者继续教育网络课程",
                day=today - timedelta(days=10),
                hours="6",
                evidence="中国社会工作教育协会学习证明 No.2026-1187",
            )


def _leave(community: Community, today: date) -> None:
    """The A post of 综合受理 is on annual leave this week; the B post holds the desk."""
    pair = PostPair.objects.filter(community=community).select_related("a").first()
    if pair is None:
        return
    services.leave_record(
        actor=pair.a,
        worker=pair.a,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=3),
        kind="annual",
        note="年休假，期间由B岗代岗",
    )


def _stationed(community: Community) -> None:
    """下沉: the street's service-hall worker sits at this community's desk for street items."""
    street_user = User.objects.filter(
        staff__role=Role.STREET, staff__street_id=community.street_id
    ).first()
    if street_user is None:
        return
    items = list(ServiceItem.objects.filter(level=Level.STREET).order_by("pk")[:22])
    services.stationed_set(actor=street_user, worker=street_user, community=community, items=items)


def _onsite(community: Community, today: date) -> None:
    """Long because it is the demo's table of on-site department days and video links, one after
    another."""
    secretary = User.objects.filter(staff__community=community, staff__role=Role.SECRETARY).first()
    dept_user = User.objects.filter(staff__role=Role.DEPARTMENT).order_by("pk").first()
    department = dept_user.staff.department if dept_user else None
    past = _at(today - timedelta(days=6), 10)
    before = Case.objects.filter(community=community, created_at__lt=past).order_by("-created_at")
    cases = list(before.filter(status__in=OPEN_STATUSES)[:3]) or list(before[:3])
    if secretary is None or department is None or dept_user is None or len(cases) < 3:
        return
    # Held last week, with outcomes on two cases' timelines.
    held = services.onsite_request(
        actor=secretary,
        community=community,
        department=department,
        topic="低保、临时救助政策现场解读与个案会商",
        case_ids=[cases[0].pk, cases[1].pk],
        slots=[
            (past + timedelta(days=6, hours=4), past + timedelta(days=6, hours=6)),
            (past + timedelta(days=7), past + timedelta(days=7, hours=2)),
        ],
        now=past,
    )
    slot = held.slots.order_by("starts_at").first()
    assert slot is not None
    services.onsite_accept(actor=dept_user, session_id=held.pk, slot_id=slot.pk)
    for case, outcome in zip(
        cases[:2],
        [
            "现场核对家庭收入材料，符合临时救助条件，已当场受理",
            "政策已当面解释清楚，居民补交材料后办理",
        ],
        strict=True,
    ):
        services.onsite_outcome(
            actor=secretary,
            session_id=held.pk,
            case_id=case.pk,
            outcome=outcome,
            now=slot.starts_at + timedelta(hours=1),
        )
    # Next week: accepted, on the public schedule.
    soon = _at(today + timedelta(days=6), 14)
    upcoming = services.onsite_request(
        actor=secretary,
        community=community,
        department=department,
        topic="困难家庭救助政策咨询（现场办公）",
        case_ids=[cases[2].pk],
        slots=[
            (soon, soon + timedelta(hours=2)),
            (soon + timedelta(days=1), soon + timedelta(days=1, hours=2)),
        ],
    )
    first = upcoming.slots.order_by("starts_at").first()
    assert first is not None
    services.onsite_accept(actor=dept_user, session_id=upcoming.pk, slot_id=first.pk)
    desk = User.objects.filter(staff__community=community, staff__role=Role.DESK).first()
    if desk is not None:
        start = _at(today + timedelta(days=1), 10)
        services.video_book(
            actor=desk,
            case_id=cases[2].pk,
            starts_at=start,
            ends_at=start + timedelta(minutes=20),
            topic="病历卡换卡（视频连线街道事务受理中心）",
        )


def _fees(community: Community, rng: random.Random, today: date) -> None:
    """A month at the counter: 6–12 payments a working day, a cash count every evening."""
    cashier = User.objects.filter(staff__community=community, staff__role=Role.DESK).first()
    second = User.objects.filter(staff__community=community, staff__role=Role.SECRETARY).first()
    if cashier is None or second is None:
        return
    residents = list(Resident.objects.filter(community=community).order_by("pk")[:300])
    if not residents:
        return
    for back in range(30, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6:
            continue
        for n in range(rng.randint(6, 12) if back else 4):
            payer = rng.choice(residents)
            utility = rng.choice([Utility.WATER, Utility.WATER, Utility.ELECTRICITY, Utility.GAS])
            amount = Decimal(rng.randint(1500, 32000)) / 100
            fees.fee_payment_take(
                actor=cashier,
                community=community,
                data=fees.Payment(
                    utility=utility,
                    account_number=f"{3100 + payer.pk % 97:04d}{payer.pk:06d}",
                    period=f"{day:%Y-%m}",
                    amount=str(amount),
                    method=PayMethod.CASH if rng.random() < 0.7 else PayMethod.QR,
                    payer_name=payer.name,
                    payer_resident=payer,
                ),
                now=_at(day, 9, 0) + timedelta(minutes=25 * n),
            )
        if back == 12:  # a payment keyed to the wrong account, reversed by a second person
            wrong = FeePayment.objects.filter(counter__community=community, day=day).last()
            assert wrong is not None
            ask = fees.fee_reversal_request(
                actor=cashier,
                payment_id=wrong.pk,
                reason="户号录错，居民重新缴费",
                now=_at(day, 16),
            )
            fees.fee_reversal_approve(actor=second, request_id=ask.pk, now=_at(day, 16, 10))
        if back == 0:
            break  # today stays open: the counter closes tonight
        expected = day_totals(community, day).cash
        short = Decimal("-2.00") if back == 8 else Decimal("0.00")
        fees.fee_day_close(
            actor=cashier,
            community=community,
            day=day,
            cash_counted=expected + short,
            note="找零差错，已登记" if short else "",
            now=_at(day, 20, 5),
        )
