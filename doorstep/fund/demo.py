"""Demo data for fund, on top of the core demo (和平区 / 胜利路街道).

Love fund (张骞社区): five years of ¥1-a-day WeChat-group donations, one ledger entry per day
(the day's total and head count), about ¥160,000 in, most of it paid out; one request waiting
for its second approval. The ledger goes in through `services.fund_history_load`, which chains
it exactly as single donations and payments are chained.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from doorstep.core import crypto
from doorstep.core.types import Log
from doorstep.programmes.demo import DemoPlace, at_hour, run_loader

from . import services
from .choices import DonationChannel, FundEntryKind
from .models import LoveFund

FUND_PURPOSES = [
    "困难老人医药费",
    "大病家庭慰问",
    "困难学生学习用品",
    "独居老人冬季取暖",
    "残疾人家庭生活补助",
    "突发困难临时救助",
]


def load_demo(log: Log = print) -> None:
    run_loader(log, title="一元爱心基金", done=LoveFund, build=_fund)


def _history(place: DemoPlace) -> list[services.HistoryLine]:
    """Five years of daily donations, with a payment on the 5th and 20th when there is money."""
    rng, users = place.rng, place.users
    desk, secretary, street = users["desk"], users["secretary"], users["street"]
    lines: list[services.HistoryLine] = []
    balance = Decimal("0.00")
    day = place.today - timedelta(days=5 * 365)
    while day < place.today:
        donors = rng.randint(60, 116)  # ¥1 a day each, totalled per day from the WeChat group
        lines.append(
            services.HistoryLine(
                FundEntryKind.DONATION,
                Decimal(donors),
                {
                    "day": day,
                    "channel": DonationChannel.WECHAT_GROUP,
                    "donor_name": "微信群当日汇总",
                    "donor_count": donors,
                    "recorded_by": desk,
                    "recorded_at": at_hour(day, 21),
                },
            )
        )
        balance += donors
        if day.day in (5, 20) and balance > 1500:
            amount = min(Decimal(rng.choice([800, 1000, 1200, 1500, 2000, 2500])), balance - 300)
            lines.append(
                services.HistoryLine(
                    FundEntryKind.DISBURSEMENT,
                    amount,
                    {
                        "day": day,
                        "purpose": rng.choice(FUND_PURPOSES),
                        "recipient_encrypted": crypto.encrypt(f"受助人{len(lines)}"),
                        "people_helped": rng.randint(1, 3),
                        "requested_by": desk,
                        "first_approver": secretary,
                        "second_approver": street,
                        "recorded_by": street,
                        "recorded_at": at_hour(day, 17),
                    },
                )
            )
            balance -= amount
        day += timedelta(days=1)
    return lines


def _fund(place: DemoPlace) -> str:
    zq = place.community
    services.fund_history_load(
        actor=place.users["secretary"], community_id=zq.pk, lines=_history(place)
    )
    services.fund_disbursement_request(
        actor=place.users["desk"],
        community_id=zq.pk,
        amount="600",
        purpose="独居老人冬季取暖",
        recipient="吐尔逊·买买提",
        people_helped=1,
    )
    return "五年捐款与支出台账（哈希链）"
