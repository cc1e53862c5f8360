"""The fee counter's hash chain is a stored fact: receipts chained before must verify with
today's code. These pin the hashes the counter produced before its append and verify moved to
the shared helper (`core/chain.py`), byte for byte."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from doorstep.conftest import World
from doorstep.core.chain import GENESIS_HASH
from doorstep.workforce import fees
from doorstep.workforce.choices import PaymentKind
from doorstep.workforce.models import FeeCounter, FeePayment

# Computed by the chain code as it was before the shared helper (commit b560808).
GOLDEN = [
    "9c20c622eb9e6e9802c3db3270a3b37285482b85c734e3976f354ca5bf162275",
    "0556550abdc130cba84ef51094310936c92661e3ca74475c036d6dc9616061f5",
]


def _reference_hash(entry: FeePayment) -> str:
    """The chain's definition, written out independently of the code under test."""
    fields = {
        "community": entry.counter.community_id,
        "seq": entry.seq,
        "kind": entry.kind,
        "receipt": entry.receipt_number,
        "payer_resident": entry.payer_resident_id,
        "payer_household": entry.payer_household_id,
        "payer_name": entry.payer_name,
        "utility": entry.utility,
        "account": entry.account_number,
        "period": entry.period,
        "amount": str(entry.amount.quantize(Decimal("0.01"))),
        "method": entry.method,
        "day": entry.day.isoformat(),
        "reverses": entry.reverses_id,
        "reason": entry.reason,
        "taken_by": entry.taken_by_id,
        "second_person": entry.second_person_id,
        "recorded_at": entry.recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False) + "|" + entry.prev_hash
    return hashlib.sha256(text.encode()).hexdigest()


def _line(kind: PaymentKind, amount: str, **fields: object) -> FeePayment:
    return FeePayment(
        kind=kind,
        payer_name="王秀英",
        utility="water",
        account_number="31001234",
        period="2026-11",
        amount=Decimal(amount),
        method="cash",
        day=date(2026, 11, 20),
        taken_by_id=11,
        **fields,
    )


def test_a_counter_chains_to_the_same_hashes_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FeePayment, "save", lambda self, *a, **k: None)
    monkeypatch.setattr(FeeCounter, "save", lambda self, *a, **k: None)
    counter = FeeCounter(community_id=5, entry_count=0, head_hash=GENESIS_HASH)
    first = fees._append(
        counter,
        _line(PaymentKind.PAYMENT, "86.5", recorded_at=datetime(2026, 11, 20, 1, 2, tzinfo=UTC)),
    )
    first.pk = 901
    second = fees._append(
        counter,
        _line(
            PaymentKind.REVERSAL,
            "86.50",
            reverses_id=901,
            reason="户号填错",
            second_person_id=12,
            recorded_at=datetime(2026, 11, 20, 3, 4, 5, 678, tzinfo=UTC),
        ),
    )
    assert [first.hash, second.hash] == GOLDEN
    assert [first.receipt_number, second.receipt_number] == ["SF00005-0000001", "SF00005-0000002"]
    assert [first.prev_hash, second.prev_hash] == [GENESIS_HASH, GOLDEN[0]]
    assert (counter.entry_count, counter.head_hash) == (2, GOLDEN[1])
    assert [_reference_hash(first), _reference_hash(second)] == GOLDEN


@pytest.mark.django_db
def test_a_chain_written_by_the_services_matches_the_definition(world: World) -> None:
    for amount in ("86.50", "120"):
        fees.fee_payment_take(
            actor=world.desk_a,
            community=world.a,
            data=fees.Payment(
                utility="water",
                account_number="31001234",
                period="2026-11",
                amount=amount,
                method="cash",
                payer_name="王秀英",
            ),
        )
    entries = list(FeePayment.objects.select_related("counter").order_by("seq"))
    prev = GENESIS_HASH
    for entry in entries:
        assert entry.prev_hash == prev
        assert entry.hash == _reference_hash(entry)
        prev = entry.hash
    assert FeeCounter.objects.get(community=world.a).head_hash == prev
    assert fees.fee_verify() == (2, None)
