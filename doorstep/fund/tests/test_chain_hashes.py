"""The love fund's hash chain is a stored fact: a ledger chained years ago must verify with
today's code. These pin the hashes the chain produced before its append and verify moved to
the shared helper (`core/chain.py`), byte for byte."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from doorstep.conftest import World
from doorstep.core.chain import GENESIS_HASH
from doorstep.fund import services
from doorstep.fund.choices import DonationChannel, FundEntryKind
from doorstep.fund.models import FundEntry, LoveFund

# Computed by the chain code as it was before the shared helper (commit b560808).
GOLDEN = [
    "ee96793bc099c014b639185400aba94e19e528b8eb99b395f06737d2d9081fbe",
    "3965556e50fcdcc99327d3490e9bd0683300bf32202391fb35c4ed8a9a4df2a2",
    "bcc258e623ab434e40dcd75d397da969ae3ddebce4507f3fc6ee437c7ae573ad",
]

LINES: list[tuple[FundEntryKind, str, dict[str, Any]]] = [
    (
        FundEntryKind.DONATION,
        "100.00",
        {
            "day": date(2026, 3, 1),
            "channel": DonationChannel.WECHAT_GROUP,
            "donor_name": "微信群当日汇总",
            "donor_count": 100,
            "recorded_by_id": 3,
            "recorded_at": datetime(2026, 3, 1, 13, 0, 0, 123456, tzinfo=UTC),
        },
    ),
    (
        FundEntryKind.DONATION,
        "1",
        {
            "day": date(2026, 3, 2),
            "channel": DonationChannel.WECHAT_GROUP,
            "anonymous": True,
            "recorded_by_id": 3,
            "recorded_at": datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
        },
    ),
    (
        FundEntryKind.DISBURSEMENT,
        "50.5",
        {
            "day": date(2026, 3, 5),
            "purpose": "困难老人医药费",
            "recipient_encrypted": "gAAAA-fixed-ciphertext",
            "people_helped": 2,
            "requested_by_id": 3,
            "first_approver_id": 4,
            "second_approver_id": 5,
            "recorded_by_id": 5,
            "recorded_at": datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        },
    ),
]


def _chain() -> tuple[LoveFund, list[FundEntry]]:
    fund = LoveFund(community_id=7, entry_count=0, head_hash=GENESIS_HASH, balance=Decimal("0"))
    entries = [
        services._next_entry(fund, kind, Decimal(amount), **dict(fields))
        for kind, amount, fields in LINES
    ]
    return fund, entries


def test_a_ledger_chains_to_the_same_hashes_as_before() -> None:
    fund, entries = _chain()
    assert [e.hash for e in entries] == GOLDEN
    assert [e.prev_hash for e in entries] == [GENESIS_HASH, *GOLDEN[:2]]
    assert [e.seq for e in entries] == [1, 2, 3]
    assert (fund.entry_count, fund.head_hash, fund.balance) == (3, GOLDEN[2], Decimal("50.50"))
    assert [_reference_hash(e) for e in entries] == GOLDEN


def _reference_hash(entry: FundEntry) -> str:
    """The chain's definition, written out independently of the code under test."""
    fields = {
        "community": entry.fund.community_id,
        "seq": entry.seq,
        "kind": entry.kind,
        "amount": str(entry.amount.quantize(Decimal("0.01"))),
        "day": entry.day.isoformat(),
        "channel": entry.channel,
        "donor_name": entry.donor_name,
        "anonymous": entry.anonymous,
        "donor_count": entry.donor_count,
        "purpose": entry.purpose,
        "recipient": entry.recipient_encrypted,
        "people_helped": entry.people_helped,
        "requested_by": entry.requested_by_id,
        "first_approver": entry.first_approver_id,
        "second_approver": entry.second_approver_id,
        "recorded_by": entry.recorded_by_id,
        "recorded_at": entry.recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False) + "|" + entry.prev_hash
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db
def test_a_chain_written_by_the_services_matches_the_definition(world: World) -> None:
    today = date(2026, 3, 15)
    for amount in ("1.00", "30.50"):
        services.fund_donation_record(
            actor=world.desk_a,
            community_id=world.a.pk,
            amount=amount,
            day=today,
            channel=DonationChannel.CASH,
            donor_name="李大妈",
            today=today,
        )
    request = services.fund_disbursement_request(
        actor=world.desk_a,
        community_id=world.a.pk,
        amount="20",
        purpose="困难老人医药费",
        recipient="赵桂兰",
        people_helped=1,
        day=today,
    )
    services.fund_disbursement_approve(actor=world.secretary_a, request_id=request.pk)
    services.fund_disbursement_approve(actor=world.street_user, request_id=request.pk)
    entries = list(FundEntry.objects.select_related("fund").order_by("seq"))
    assert len(entries) == 3
    prev = GENESIS_HASH
    for entry in entries:
        assert entry.prev_hash == prev
        assert entry.hash == _reference_hash(entry)
        prev = entry.hash
    assert LoveFund.objects.get(community=world.a).head_hash == prev
    assert services.fund_verify() == (3, None)
