"""Demo data for assistance, on top of the core demo (和平区 / 胜利路街道).

Assistance: the Zhangyan figures for the street's last two full years — 877 approved cases,
¥3,207,100; 800 case / 16 project / 61 special; 50 低保 / 147 低收入 / 680 other — plus some
applications under review this year.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from doorstep.core.types import Actor, Log
from doorstep.places.choices import Role
from doorstep.places.models import Community, StaffProfile
from doorstep.programmes.demo import DemoPlace, at_hour, run_loader

from . import services
from .choices import Vote
from .models import AssistanceApplication, PanelMember


def load_demo(log: Log = print) -> None:
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
    """The street's panels, its last two years through `services.assistance_history_load`, and
    this year's applications under review in 张骞社区 through the one-at-a-time services."""
    zq, street = place.community, place.users["street"]
    communities = list(Community.objects.filter(street=zq.street).order_by("pk"))
    secretaries = {
        p.community_id: p.user
        for p in StaffProfile.objects.filter(role=Role.SECRETARY).select_related("user")
    }
    members = {
        c.pk: [
            services.panel_member_add(actor=street, community_id=c.pk, name=name, note=note)
            for name, note in PANEL
        ]
        for c in communities
    }
    services.assistance_history_load(
        actor=street,
        applications=_past_applications(place, communities, secretaries, members),
        today=place.today,
    )
    _under_review(place, secretaries[zq.pk], members[zq.pk])
    return "近两年 877 件、¥3,207,100，另有评议中的申请"


def _past_applications(
    place: DemoPlace,
    communities: list[Community],
    secretaries: dict[int | None, Actor],
    members: dict[int, list[PanelMember]],
) -> list[services.PastApplication]:
    """The Zhangyan figures spread over the street's communities and its last two full years,
    each approved by its panel's three votes and paid three days later; then a dozen turned
    down in the same years."""
    return [
        *_approved(place, communities, secretaries, members),
        *_turned_down(place, communities, secretaries, members),
    ]


def _approved(
    place: DemoPlace,
    communities: list[Community],
    secretaries: dict[int | None, Actor],
    members: dict[int, list[PanelMember]],
) -> list[services.PastApplication]:
    rng = place.rng
    kinds = [k for k, n in ZHANGYAN_KINDS for _i in range(n)]
    categories = [c for c, n in ZHANGYAN_CATEGORIES for _i in range(n)]
    rng.shuffle(categories)
    typical = {"case": (20, 50), "project": (150, 400), "special": (50, 150)}
    weights = [rng.randint(*typical[k]) for k in kinds]
    amounts = _split_total(rng, weights, int(ZHANGYAN_TOTAL) // 100)
    first_year = place.today.year - 2
    past: list[services.PastApplication] = []
    for n, (kind, category, hundreds) in enumerate(zip(kinds, categories, amounts, strict=True)):
        community = communities[n % len(communities)]
        year = first_year + (n % 2)
        applied = date(year, 1, 1) + timedelta(days=rng.randint(0, 340))
        decided = min(applied + timedelta(days=rng.randint(5, 20)), date(year, 12, 31))
        amount = Decimal(hundreds * 100)
        past.append(
            services.PastApplication(
                community_id=community.pk,
                applicant_name=f"申请人{n + 1:03d}",
                kind=kind,
                household_category=category,
                hardship=rng.choice(HARDSHIPS),
                documents="身份证复印件\n困难情况说明",
                amount_requested=amount,
                applied_on=applied,
                panel_at=at_hour(decided, 15),
                decided_on=decided,
                decided_by=secretaries[community.pk],
                reason="经评议小组审议同意。",
                votes=[
                    services.PastVote(m.pk, Vote.APPROVE, amount, "情况属实")
                    for m in members[community.pk][:3]
                ],
                paid_on=min(decided + timedelta(days=3), place.today),
            )
        )
    return past


def _turned_down(
    place: DemoPlace,
    communities: list[Community],
    secretaries: dict[int | None, Actor],
    members: dict[int, list[PanelMember]],
) -> list[services.PastApplication]:
    rng, first_year = place.rng, place.today.year - 2
    past: list[services.PastApplication] = []
    for n in range(12):
        community = communities[n % len(communities)]
        applied = date(first_year + n % 2, 3, 1) + timedelta(days=n * 20)
        panel = members[community.pk]
        past.append(
            services.PastApplication(
                community_id=community.pk,
                applicant_name=f"申请人R{n + 1:02d}",
                kind="case",
                household_category="other",
                hardship=rng.choice(HARDSHIPS),
                amount_requested=Decimal("3000"),
                applied_on=applied,
                panel_at=at_hour(applied + timedelta(days=10), 15),
                decided_on=applied + timedelta(days=10),
                decided_by=secretaries[community.pk],
                reason="已享受其他救助。",
                votes=[
                    services.PastVote(panel[0].pk, Vote.APPROVE, Decimal("3000"), "情况属实"),
                    *(
                        services.PastVote(m.pk, Vote.REJECT, None, "已享受其他救助")
                        for m in panel[1:3]
                    ),
                ],
            )
        )
    return past


def _under_review(place: DemoPlace, secretary: Actor, panel: list[PanelMember]) -> None:
    """This year: applications under review in 张骞社区, through the services."""
    today = place.today
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
                community_id=place.community.pk,
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
