"""Append-only ledgers (台账) as a hash chain: each row's hash covers its canonical fields and
the previous row's hash, so a changed or deleted row breaks the chain. Used by the love fund
(`fund/services.py`) and the fee counter (`workforce/fees.py`); this module is the one place
that locks a chain's head, links a row and checks a chain.

A chain has a *head* row (the fund, the counter: `entry_count`, `head_hash`) that every append
locks, and *entries* (`seq`, `prev_hash`, `hash`). The head remembers the newest hash, so that
deleting the newest entry is noticed too. Each ledger says which of its fields are canonical
(a function from an entry to a `Canonical` dict); the hash never depends on anything else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.db import IntegrityError, models, transaction

GENESIS_HASH = "0" * 64

Canonical = dict[str, str | int | bool | None]


class ChainHead(Protocol):
    entry_count: int
    head_hash: str


class ChainEntry(Protocol):
    seq: int
    prev_hash: str
    hash: str

    @property
    def pk(self) -> int | None: ...


Head = TypeVar("Head", bound=models.Model)
Entry = TypeVar("Entry", bound=ChainEntry)


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


def head_locked(heads: models.QuerySet[Head], *, of: tuple[str, ...] = (), **lookup: Any) -> Head:
    """The chain's head row matching `lookup`, created when missing, and locked
    (`SELECT … FOR UPDATE`, of the tables named in `of`, all joined ones when empty) until the
    caller's transaction ends: every append takes this lock, so appends to one chain queue
    and no two get the same `seq`."""
    try:
        with transaction.atomic():
            heads.model._default_manager.get_or_create(**lookup)
    except IntegrityError:  # created concurrently: it exists now
        pass
    return heads.select_for_update(of=of).get(**lookup)


def chain_link(head: ChainHead, entry: Entry, canonical: Callable[[Entry], Canonical]) -> Entry:
    """Chain `entry` after the head's newest entry: its `seq` and `prev_hash` from the head, its
    `hash` over `canonical(entry)`; the head's count and hash move on. Nothing is saved — the
    caller holds the head's lock (`head_locked`) and saves the entry (or bulk-inserts many)
    and the head."""
    entry.seq = head.entry_count + 1
    entry.prev_hash = head.head_hash
    entry.hash = chain_hash(canonical(entry), entry.prev_hash)
    head.entry_count, head.head_hash = entry.seq, entry.hash
    return entry


class Break(StrEnum):
    """How a chain is broken, in the order the check looks."""

    MISSING = "missing"  # a gap in `seq`: an entry was deleted
    PREVIOUS = "previous"  # `prev_hash` is not the entry before's hash: that one changed or went
    CHANGED = "changed"  # the entry's own fields no longer give its hash
    HEAD = "head"  # the head's count or hash is not the last entry's: the newest one went


@dataclass(frozen=True)
class ChainBreak:
    kind: Break
    seq: int  # the missing seq, the broken entry's, or (HEAD) the head's count
    entry_id: int | None  # the broken entry; None when it is missing


def chain_check(
    head: ChainHead, entries: Iterable[Entry], canonical: Callable[[Entry], Canonical]
) -> tuple[int, ChainBreak | None]:
    """Recompute one chain from its entries in `seq` order. Returns (entries read, the first
    break or None)."""
    read, expected, prev = 0, 1, GENESIS_HASH
    for entry in entries:
        read += 1
        if entry.seq != expected:
            return read, ChainBreak(Break.MISSING, expected, None)
        if entry.prev_hash != prev:
            return read, ChainBreak(Break.PREVIOUS, entry.seq, entry.pk)
        if chain_hash(canonical(entry), entry.prev_hash) != entry.hash:
            return read, ChainBreak(Break.CHANGED, entry.seq, entry.pk)
        prev, expected = entry.hash, expected + 1
    if expected - 1 != head.entry_count or prev != head.head_hash:
        return read, ChainBreak(Break.HEAD, head.entry_count, None)
    return read, None
