"""Demo data for assistance, on top of the core demo (和平区 / 胜利路街道).

Assistance: the Zhangyan figures for the street's last two full years — 877 approved cases,
¥3,207,100; 800 case / 16 project / 61 special; 50 低保 / 147 低收入 / 680 other — plus some
applications under review this year.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from doorstep.places.choices import Role
from doorstep.places.models import Community, StaffProfile
from doorstep.programmes.demo import DemoPlace, at_hour, run_loader

from . import services
from .choices import ApplicationStatus, Vote
from .models import AssistanceApplication, AssistanceDisbursement, PanelMember, PanelVote


def load_demo(log: Any = print) -> None:
    run_loader(log, title="综合帮扶", done=AssistanceApplication, build=_assistance)


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


def _split_total(rng: random.Random, weights: list[int], total_hundreds: int) -> list[int]:
    """Amounts in whole hundreds of yuan, proportional to `weights`, summing exactly."""
    raw = sum(weights)
    parts = [w * total_hundreds // raw for w in weights]
    for i in rng.sample(range(len(parts)), total_hundreds - sum(parts)):
        parts[i] += 1
    return parts


def _assistance(place: DemoPlace) -> str:
    """Long because it is the demo's table of assistance cases: each application, its panel and
    payments written in the order a street office would see them."""
    zq, rng, today = place.community, place.rng, place.today
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
                    at=at_hour(app.decided_on or app.applied_on, 15),
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
    return "近两年 877 件、¥3,207,100，另有评议中的申请"
