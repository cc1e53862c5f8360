"""Demo data for the programmes, on top of the core demo (和平区 / 胜利路街道).

- Love fund (张骞社区): five years of ¥1-a-day WeChat-group donations, one ledger entry per day
  (the day's total and head count), about ¥160,000 in, most of it paid out; one request waiting
  for its second approval.
- Elderly subsidy: every 80+ resident enrolled; last quarter fully certified, this quarter partly.
- Assistance: the Zhangyan figures for the street's last two full years — 877 approved cases,
  ¥3,207,100; 800 case / 16 project / 61 special; 50 低保 / 147 低收入 / 680 other — plus some
  applications under review this year.
- Canteen (张骞社区): weekday meals for last month and today.
- Certificates: a few, one revoked.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from doorstep.core import crypto
from doorstep.places.choices import Role
from doorstep.places.models import Community, Resident, StaffProfile

from . import services
from .choices import (
    ApplicationStatus,
    CertificateKind,
    CertificationMethod,
    CertificationResult,
    DonationChannel,
    EnrolmentStatus,
    FundEntryKind,
    Vote,
)
from .models import (
    AssistanceApplication,
    AssistanceDisbursement,
    FundEntry,
    LoveFund,
    Meal,
    PanelMember,
    PanelVote,
    SubsidyCertification,
    SubsidyEnrolment,
    VolunteerRecord,
)
from .selectors import canteen_rule, meal_price, quarter_start

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZHANGYAN_TOTAL = Decimal("3207100")
ZHANGYAN_KINDS = [("case", 800), ("project", 16), ("special", 61)]
ZHANGYAN_CATEGORIES = [("subsistence", 50), ("low_income", 147), ("other", 680)]
PANEL = [
    ("周国强", "退休干部"),
    ("李秀兰", "楼院长"),
    ("马建军", "党员志愿者"),
    ("王淑珍", "退休教师"),
    ("阿不都", "居民代表"),
]
HARDSHIPS = [
    "家庭主要劳动力患病，医疗费用负担重。",
    "独居老人，房屋漏雨需要修缮。",
    "孩子上大学，学费生活费缺口较大。",
    "残疾人家庭，收入微薄，冬季取暖困难。",
    "突发火灾，家中财物受损。",
    "因病致贫，自付医疗费超过家庭年收入一半。",
]
FUND_PURPOSES = [
    "困难老人医药费",
    "大病家庭慰问",
    "困难学生学习用品",
    "独居老人冬季取暖",
    "残疾人家庭生活补助",
    "突发困难临时救助",
]


def load_demo(log: Any = print) -> None:
    if LoveFund.objects.exists() or AssistanceApplication.objects.exists():
        log("  民生项目演示数据已存在，跳过")
        return
    zq = Community.objects.filter(name="张骞社区").select_related("street").first()
    if zq is None:
        log("  未找到张骞社区，请先运行核心演示数据")
        return
    rng = random.Random(20261128)
    today = timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(staff__isnull=False)}
    with transaction.atomic():
        _fund(zq, rng, today, users)
        log("  一元爱心基金：五年捐款与支出台账（哈希链）")
        n = _subsidy(rng, today)
        log(f"  高龄补贴：{n} 名 80 岁以上对象，本季度部分已认证")
        _assistance(zq, rng, today)
        log("  综合帮扶：近两年 877 件、¥3,207,100，另有评议中的申请")
        _canteen(zq, rng, today, users)
        log("  社区食堂：上月用餐记录与今日送餐")
        _certificates(zq, rng, today, users)
        log("  证明：居住、志愿服务、困难证明各若干")


def _years_ago(today: date, years: int) -> date:
    """The latest birth date of someone `years` old today (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI).astimezone(UTC)


def _fund(zq: Community, rng: random.Random, today: date, users: dict[str, Any]) -> None:
    fund = LoveFund.objects.create(community=zq)
    desk, secretary, street = users["desk"], users["secretary"], users["street"]
    entries: list[FundEntry] = []
    balance = Decimal("0.00")
    prev = services.GENESIS_HASH
    start = today - timedelta(days=5 * 365)

    def add(**fields: Any) -> None:
        nonlocal prev, balance
        entry = FundEntry(fund=fund, seq=len(entries) + 1, prev_hash=prev, **fields)
        entry.hash = services.entry_hash(entry)
        entries.append(entry)
        prev = entry.hash
        sign = 1 if entry.kind == FundEntryKind.DONATION else -1
        balance += sign * entry.amount

    day = start
    while day < today:
        donors = rng.randint(60, 116)  # ¥1 a day each, totalled per day from the WeChat group
        add(
            kind=FundEntryKind.DONATION,
            amount=Decimal(donors),
            day=day,
            channel=DonationChannel.WECHAT_GROUP,
            donor_name="微信群当日汇总",
            donor_count=donors,
            recorded_by=desk,
            recorded_at=_at(day, 21),
        )
        if day.day in (5, 20) and balance > 1500:
            amount = Decimal(rng.choice([800, 1000, 1200, 1500, 2000, 2500]))
            amount = min(amount, balance - 300)
            add(
                kind=FundEntryKind.DISBURSEMENT,
                amount=amount,
                day=day,
                purpose=rng.choice(FUND_PURPOSES),
                recipient_encrypted=crypto.encrypt(f"受助人{len(entries)}"),
                people_helped=rng.randint(1, 3),
                requested_by=desk,
                first_approver=secretary,
                second_approver=street,
                recorded_by=street,
                recorded_at=_at(day, 17),
            )
        day += timedelta(days=1)
    FundEntry.objects.bulk_create(entries, batch_size=2000)
    fund.entry_count, fund.head_hash, fund.balance = len(entries), prev, balance
    fund.save()
    services.fund_disbursement_request(
        actor=desk,
        community_id=zq.pk,
        amount="600",
        purpose="独居老人冬季取暖",
        recipient="吐尔逊·买买提",
        people_helped=1,
    )


def _subsidy(rng: random.Random, today: date) -> int:
    quarter = quarter_start(today)
    last_quarter = quarter_start(quarter - timedelta(days=1))
    born_by = _years_ago(today, 80)
    certifiers = {
        p.community_id: p.user
        for p in StaffProfile.objects.filter(role=Role.DESK).select_related("user")
    }
    residents = list(Resident.objects.filter(birth_date__lte=born_by).order_by("pk"))
    enrolments = [
        SubsidyEnrolment(
            resident=r,
            community_id=r.community_id,
            status=EnrolmentStatus.ACTIVE,
            proposed_on=last_quarter - timedelta(days=30),
            confirmed_on=last_quarter - timedelta(days=20),
            confirmed_by=None,
        )
        for r in residents
    ]
    SubsidyEnrolment.objects.bulk_create(enrolments, batch_size=2000)
    enrolments = list(SubsidyEnrolment.objects.select_related("resident"))
    certs: list[SubsidyCertification] = []
    share = min(0.85, 0.25 + (today - quarter).days / 100)
    methods = [
        (CertificationMethod.DESK, 45),
        (CertificationMethod.MOBILE_DESK, 20),
        (CertificationMethod.APP_FACE, 35),
    ]
    for e in enrolments:
        actor = certifiers.get(e.community_id)
        if actor is None:
            continue
        for q, probability in ((last_quarter, 1.0), (quarter, share)):
            if rng.random() >= probability:
                continue
            if e.resident.bedridden:
                method = CertificationMethod.HOME_VISIT
            else:
                method = rng.choices([m for m, _w in methods], [w for _m, w in methods])[0]
            day = q + timedelta(days=rng.randint(0, max(0, min(25, (today - q).days))))
            certs.append(
                SubsidyCertification(
                    enrolment=e,
                    quarter_start=q,
                    method=method,
                    result=CertificationResult.PASSED,
                    certified_by=actor,
                    certified_at=_at(day, rng.randint(9, 17)),
                )
            )
    SubsidyCertification.objects.bulk_create(certs, batch_size=2000)
    services.subsidy_tick(today)
    return len(enrolments)


def _split_total(rng: random.Random, weights: list[int], total_hundreds: int) -> list[int]:
    """Amounts in whole hundreds of yuan, proportional to `weights`, summing exactly."""
    raw = sum(weights)
    parts = [w * total_hundreds // raw for w in weights]
    for i in rng.sample(range(len(parts)), total_hundreds - sum(parts)):
        parts[i] += 1
    return parts


def _assistance(zq: Community, rng: random.Random, today: date) -> None:
    communities = list(Community.objects.filter(street=zq.street).order_by("pk"))
    secretaries = {
        p.community_id: p.user
        for p in StaffProfile.objects.filter(role=Role.SECRETARY).select_related("user")
    }
    members: dict[int, list[PanelMember]] = {}
    for c in communities:
        members[c.pk] = PanelMember.objects.bulk_create(
            [PanelMember(community=c, name=name, note=note) for name, note in PANEL]
        )
    kinds = [k for k, n in ZHANGYAN_KINDS for _i in range(n)]
    categories = [c for c, n in ZHANGYAN_CATEGORIES for _i in range(n)]
    rng.shuffle(categories)
    typical = {"case": (20, 50), "project": (150, 400), "special": (50, 150)}
    weights = [rng.randint(*typical[k]) for k in kinds]
    amounts = _split_total(rng, weights, int(ZHANGYAN_TOTAL) // 100)
    first_year = today.year - 2
    apps: list[AssistanceApplication] = []
    for n, (kind, category, hundreds) in enumerate(zip(kinds, categories, amounts, strict=True)):
        community = communities[n % len(communities)]
        year = first_year + (n % 2)
        applied = date(year, 1, 1) + timedelta(days=rng.randint(0, 340))
        decided = min(applied + timedelta(days=rng.randint(5, 20)), date(year, 12, 31))
        amount = Decimal(hundreds * 100)
        apps.append(
            AssistanceApplication(
                community=community,
                applicant_name=f"申请人{n + 1:03d}",
                kind=kind,
                household_category=category,
                hardship=rng.choice(HARDSHIPS),
                documents="身份证复印件\n困难情况说明",
                amount_requested=amount,
                applied_on=applied,
                status=ApplicationStatus.APPROVED,
                amount_approved=amount,
                decided_on=decided,
                decided_by=secretaries.get(community.pk),
                decision_reason="有效票 3 张：同意 3，不同意 0；回避 0 人。\n经评议小组审议同意。",
                created_by=secretaries.get(community.pk),
            )
        )
    for n in range(12):  # a few turned down in the same years
        community = communities[n % len(communities)]
        applied = date(first_year + n % 2, 3, 1) + timedelta(days=n * 20)
        apps.append(
            AssistanceApplication(
                community=community,
                applicant_name=f"申请人R{n + 1:02d}",
                kind="case",
                household_category="other",
                hardship=rng.choice(HARDSHIPS),
                amount_requested=Decimal("3000"),
                applied_on=applied,
                status=ApplicationStatus.REJECTED,
                decided_on=applied + timedelta(days=10),
                decided_by=secretaries.get(community.pk),
                decision_reason="有效票 3 张：同意 1，不同意 2；回避 0 人。\n已享受其他救助。",
            )
        )
    AssistanceApplication.objects.bulk_create(apps, batch_size=1000)
    votes: list[PanelVote] = []
    payments: list[AssistanceDisbursement] = []
    for app in apps:
        panel = members[app.community_id]
        approved = app.status == ApplicationStatus.APPROVED
        for i, member in enumerate(panel[:3]):
            yes = approved or i == 0
            votes.append(
                PanelVote(
                    application=app,
                    member=member,
                    vote=Vote.APPROVE if yes else Vote.REJECT,
                    amount=app.amount_requested if yes else None,
                    comment="情况属实" if yes else "已享受其他救助",
                    at=_at(app.decided_on or app.applied_on, 15),
                )
            )
        if approved and app.amount_approved is not None and app.decided_on is not None:
            payments.append(
                AssistanceDisbursement(
                    application=app,
                    amount=app.amount_approved,
                    paid_on=app.decided_on + timedelta(days=3),
                    approved_by=secretaries[app.community_id],
                )
            )
    PanelVote.objects.bulk_create(votes, batch_size=2000)
    AssistanceDisbursement.objects.bulk_create(payments, batch_size=2000)
    # This year: applications under review in 张骞社区, through the services.
    secretary = secretaries[zq.pk]
    panel = members[zq.pk]
    for n, (kind, category, asked) in enumerate(
        [
            ("case", "subsistence", "5000"),
            ("special", "other", "12000"),
            ("case", "low_income", "3000"),
        ]
    ):
        app = services.assistance_apply(
            actor=secretary,
            data=services.ApplicationData(
                community_id=zq.pk,
                applicant_name=["艾力·吐尔洪", "张桂芳", "李志明"][n],
                kind=kind,
                household_category=category,
                hardship=HARDSHIPS[n],
                documents="身份证复印件\n医院诊断证明\n费用清单",
                amount_requested=asked,
                applied_on=today - timedelta(days=10 - n),
            ),
        )
        if n == 0:
            services.assistance_vote(
                actor=secretary,
                application_id=app.pk,
                member_id=panel[0].pk,
                vote=Vote.ABSTAIN_CONFLICT,
                conflict_note="申请人是其邻居兼亲属",
            )
        for member in panel[1 : 3 if n == 0 else 2]:
            services.assistance_vote(
                actor=secretary,
                application_id=app.pk,
                member_id=member.pk,
                vote=Vote.APPROVE,
                amount=str(Decimal(asked) * Decimal("0.8")),
                comment="情况属实，建议适当救助",
            )


def _canteen(zq: Community, rng: random.Random, today: date, users: dict[str, Any]) -> None:
    rule = canteen_rule(zq.street.district_id)
    born_by = _years_ago(today, 60)
    elders = list(
        Resident.objects.filter(community=zq, birth_date__lte=born_by)
        .select_related("household")
        .order_by("pk")
    )
    regulars = [r for r in elders if r.subsistence_allowance or r.bedridden]
    regulars += rng.sample([r for r in elders if r not in regulars], min(30, len(elders)))
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    days = [
        first + timedelta(days=n)
        for n in range(31)
        if (first + timedelta(days=n)).month == first.month
    ]
    days = [d for d in days if d.weekday() < 5] + [today]
    meals: list[Meal] = []
    for day in days:
        for resident in regulars:
            if day != today and rng.random() < 0.2:
                continue
            delivered = resident.bedridden or (resident.age_on(day) or 0) >= 80
            price = meal_price(rule, resident, day, delivered)
            meals.append(
                Meal(
                    community=zq,
                    resident=resident,
                    day=day,
                    delivered=delivered,
                    price=price.price,
                    subsidy=price.subsidy,
                    delivery_fee=price.delivery_fee,
                    paid=price.paid,
                    recorded_by=users["desk"],
                )
            )
    Meal.objects.bulk_create(meals, batch_size=2000)


def _certificates(zq: Community, rng: random.Random, today: date, users: dict[str, Any]) -> None:
    desk = users["desk"]
    people = list(
        Resident.objects.filter(
            community=zq, household__isnull=False, birth_date__isnull=False
        ).order_by("pk")[:400]
    )
    volunteers = rng.sample(people, 20)
    records = [
        VolunteerRecord(
            resident=v,
            day=today - timedelta(days=rng.randint(1, 300)),
            activity=rng.choice(
                ["敬老院慰问", "垃圾分类宣传", "义务理发", "社区文艺演出", "防疫志愿服务"]
            ),
            hours=Decimal(rng.choice(["2.0", "3.0", "3.5", "4.0"])),
        )
        for v in volunteers
        for _n in range(rng.randint(2, 6))
    ]
    VolunteerRecord.objects.bulk_create(records)
    issued = []
    for resident in people[:3]:
        issued.append(
            services.certificate_issue(
                actor=desk,
                resident_id=resident.pk,
                kind=CertificateKind.RESIDENCE,
                purpose="办理医保",
            )
        )
    services.certificate_issue(
        actor=desk, resident_id=volunteers[0].pk, kind=CertificateKind.VOLUNTEER
    )
    poor = next((r for r in people if r.subsistence_allowance or r.low_income), None)
    if poor is not None:
        services.certificate_issue(
            actor=desk, resident_id=poor.pk, kind=CertificateKind.HARDSHIP, purpose="申请国家助学金"
        )
    services.certificate_revoke(
        actor=users["secretary"], certificate_id=issued[0].pk, reason="信息填写有误，已重新开具"
    )
