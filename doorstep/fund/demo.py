"""Demo data for fund, on top of the core demo (和平区 / 胜利路街道).

Love fund (张骞社区): five years of ¥1-a-day WeChat-group donations, one ledger entry per day
(the day's total and head count), about ¥160,000 in, most of it paid out; one request waiting
for its second approval.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from doorstep.core import crypto
from doorstep.places.models import Community
from doorstep.programmes.demo import at_hour, demo_community, demo_users

from . import services
from .choices import DonationChannel, FundEntryKind
from .models import FundEntry, LoveFund


def load_demo(log: Any = print) -> None:
    if LoveFund.objects.exists():
        log("  一元爱心基金演示数据已存在，跳过")
        return
    zq = demo_community(log)
    if zq is None:
        return
    rng = random.Random(20261128)
    today = timezone.localdate()
    users = demo_users()
    with transaction.atomic():
        _fund(zq, rng, today, users)
        log("  一元爱心基金：五年捐款与支出台账（哈希链）")


FUND_PURPOSES = [
    "困难老人医药费",
    "大病家庭慰问",
    "困难学生学习用品",
    "独居老人冬季取暖",
    "残疾人家庭生活补助",
    "突发困难临时救助",
]


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
            recorded_at=at_hour(day, 21),
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
                recorded_at=at_hour(day, 17),
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
