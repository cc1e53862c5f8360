"""The shared hash-chain helper (`core/chain.py`): linking moves the head on, and the check
names the first break — a gap, a changed entry, a broken link, a lost newest entry."""

from __future__ import annotations

from dataclasses import dataclass, replace

from doorstep.core.chain import (
    GENESIS_HASH,
    Break,
    Canonical,
    ChainBreak,
    chain_check,
    chain_hash,
    chain_link,
)


@dataclass
class Head:
    entry_count: int = 0
    head_hash: str = GENESIS_HASH


@dataclass
class Entry:
    text: str
    pk: int | None = None
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""


def canonical(entry: Entry) -> Canonical:
    return {"seq": entry.seq, "text": entry.text}


def chain(*texts: str) -> tuple[Head, list[Entry]]:
    head = Head()
    entries = [chain_link(head, Entry(text, pk=n + 100), canonical) for n, text in enumerate(texts)]
    return head, entries


def test_chain_hash_is_sha256_of_sorted_json_and_the_previous_hash() -> None:
    # Stored ledgers depend on this exact value: sorted keys, non-ASCII kept, "|" then prev.
    assert chain_hash({"b": 1, "a": "一"}, GENESIS_HASH) == (
        "e30adda46a99462581ce7284f5e478884f8458b82183695363db4aa6a8d3498b"
    )


def test_link_numbers_the_entry_and_moves_the_head_on() -> None:
    head, (first, second) = chain("a", "b")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert second.hash == chain_hash({"seq": 2, "text": "b"}, first.hash)
    assert (head.entry_count, head.head_hash) == (2, second.hash)


def test_an_intact_chain_checks_clean() -> None:
    head, entries = chain("a", "b", "c")
    assert chain_check(head, entries, canonical) == (3, None)


def test_an_empty_chain_checks_clean_against_a_fresh_head() -> None:
    assert chain_check(Head(), [], canonical) == (0, None)


def test_a_changed_entry_is_named() -> None:
    head, entries = chain("a", "b", "c")
    entries[1].text = "x"
    assert chain_check(head, entries, canonical) == (2, ChainBreak(Break.CHANGED, 2, 101))


def test_a_deleted_entry_is_named_by_its_seq() -> None:
    head, entries = chain("a", "b", "c")
    del entries[1]
    assert chain_check(head, entries, canonical) == (2, ChainBreak(Break.MISSING, 2, None))


def test_an_entry_rehashed_after_a_change_breaks_the_next_link() -> None:
    head, entries = chain("a", "b", "c")
    changed = replace(entries[1], text="x")
    changed.hash = chain_hash(canonical(changed), changed.prev_hash)
    entries[1] = changed
    assert chain_check(head, entries, canonical) == (3, ChainBreak(Break.PREVIOUS, 3, 102))


def test_a_deleted_newest_entry_is_noticed_by_the_head() -> None:
    head, entries = chain("a", "b", "c")
    assert chain_check(head, entries[:2], canonical) == (2, ChainBreak(Break.HEAD, 3, None))
