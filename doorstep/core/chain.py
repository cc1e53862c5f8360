"""Append-only ledgers (台账) as a hash chain: each row's hash covers its canonical fields and
the previous row's hash, so a changed or deleted row breaks the chain. Used by the love fund
(programs) and the fee counter (workforce)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

GENESIS_HASH = "0" * 64

Canonical = dict[str, str | int | bool | None]


def canonical_money(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_day(day: date) -> str:
    return day.isoformat()


def chain_hash(canonical: Canonical, prev_hash: str) -> str:
    """sha256 over the canonical fields (sorted JSON) and the previous entry's hash."""
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False) + "|" + prev_hash
    return hashlib.sha256(text.encode()).hexdigest()
