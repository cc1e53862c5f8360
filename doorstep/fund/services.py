"""Writes for 一元爱心基金 (love fund). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.core import crypto
from doorstep.core.chain import (
    Break,
    Canonical,
    canonical_day,
    canonical_money,
    canonical_time,
    chain_check,
    chain_hash,
    chain_link,
    head_locked,
)
from doorstep.core.money import parse_amount
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Community
from doorstep.programmes.common import audit, community_in_area, required_text, today_or

from .choices import DisbursementStatus, DonationChannel, FundEntryKind
from .models import FundDisbursementRequest, FundEntry, LoveFund

# ---------------------------------------------------------------- love fund (一元爱心基金)


def entry_canonical(entry: FundEntry) -> Canonical:
    """The fields an entry's hash covers (never change these: stored hashes depend on them)."""
    return {
        "community": entry.fund.community_id,
        "seq": entry.seq,
        "kind": entry.kind,
        "amount": canonical_money(entry.amount),
        "day": canonical_day(entry.day),
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
        "recorded_at": canonical_time(entry.recorded_at),
    }


def entry_hash(entry: FundEntry) -> str:
    """sha256 over the entry's canonical fields and the previous entry's hash."""
    return chain_hash(entry_canonical(entry), entry.prev_hash)


def _fund_locked(community: Community) -> LoveFund:
    """The community's fund row, locked for this transaction (every ledger write takes it)."""
    return head_locked(LoveFund.objects.select_related("community"), community=community)


def _next_entry(fund: LoveFund, kind: FundEntryKind, amount: Decimal, **fields: Any) -> FundEntry:
    """The fund's next ledger entry, chained to the one before (unsaved), with the fund's
    count, head hash and balance moved on in memory (`core.chain.chain_link`). The single
    append and the bulk history load both go through it. The caller holds the fund's row
    lock."""
    if kind == FundEntryKind.DISBURSEMENT and fund.balance - amount < 0:
        raise ValidationError(
            {
                "amount": _("基金余额不足：当前余额 ¥%(balance)s，支出 ¥%(amount)s。")
                % {"balance": fund.balance, "amount": amount}
            }
        )
    entry = FundEntry(
        fund=fund,
        kind=kind,
        amount=amount,
        recorded_at=fields.pop("recorded_at", None) or timezone.now(),
        **fields,
    )
    chain_link(fund, entry, entry_canonical)
    fund.balance += amount if kind == FundEntryKind.DONATION else -amount
    return entry


def _append(fund: LoveFund, kind: FundEntryKind, amount: Decimal, **fields: Any) -> FundEntry:
    """Append one ledger entry; the caller holds the fund's row lock."""
    entry = _next_entry(fund, kind, amount, **fields)
    entry.save()
    fund.save(update_fields=["entry_count", "head_hash", "balance"])
    return entry


@dataclass(frozen=True)
class HistoryLine:
    """One line of a ledger kept before (the demo's five years, a paper ledger moved in): the
    entry's kind, amount and its other fields (day, donor, purpose, approvers, recorded_at …)."""

    kind: FundEntryKind
    amount: Decimal
    fields: dict[str, Any]


@transaction.atomic
def fund_history_load(*, actor: Actor, community_id: int, lines: list[HistoryLine]) -> int:
    """Bulk-append a community's earlier ledger (历史台账导入) in one transaction under the
    fund's row lock: every line chained by `_next_entry`, exactly as a single donation or
    payment is (same hash, same balance check), written with one bulk insert, one audit entry.
    Only an approver (书记、街道、区级) of the community's area may load a history."""
    access.require(actor, "fund.approve", _("只有书记、街道或区级人员可以导入基金历史台账。"))
    fund = _fund_locked(community_in_area(actor, community_id))
    entries = [_next_entry(fund, line.kind, line.amount, **line.fields) for line in lines]
    FundEntry.objects.bulk_create(entries, batch_size=2000)
    fund.save(update_fields=["entry_count", "head_hash", "balance"])
    audit(
        actor, "fund_history_load", "love_fund", fund.pk, _("导入 %(n)s 条") % {"n": len(entries)}
    )
    return len(entries)


@transaction.atomic
def fund_donation_record(
    *,
    actor: Actor,
    community_id: int,
    amount: object,
    day: date,
    channel: str,
    donor_name: str = "",
    anonymous: bool = False,
    donor_count: int = 1,
    today: date | None = None,
) -> FundEntry:
    """Record a donation (捐款). Future dates and non-positive amounts are refused."""
    access.require(actor, "fund.record", _("只有社区前台或书记可以登记捐款。"))
    community = community_in_area(actor, community_id)
    value = parse_amount(amount)
    if day > today_or(today):
        raise ValidationError({"day": _("捐款日期不能晚于今天。")})
    if channel not in DonationChannel.values:
        raise ValidationError({"channel": _("未知的捐款渠道。")})
    if donor_count < 1:
        raise ValidationError({"donor_count": _("捐款人次至少为 1。")})
    name = (
        ""
        if anonymous
        else required_text(donor_name, "donor_name", _("请填写捐款人，或勾选匿名。"), 100)
    )
    fund = _fund_locked(community)
    return _append(
        fund,
        FundEntryKind.DONATION,
        value,
        day=day,
        channel=channel,
        donor_name=name,
        anonymous=anonymous,
        donor_count=donor_count,
        recorded_by=actor,
    )


@transaction.atomic
def fund_disbursement_request(
    *,
    actor: Actor,
    community_id: int,
    amount: object,
    purpose: str,
    recipient: str,
    people_helped: int = 1,
    day: date | None = None,
    now: datetime | None = None,
) -> FundDisbursementRequest:
    """Ask to pay out of the fund; two other people must approve it (双人审批)."""
    access.require(actor, "fund.record", _("只有社区前台或书记可以提出支出申请。"))
    community = community_in_area(actor, community_id)
    value = parse_amount(amount)
    purpose = required_text(purpose, "purpose", _("请填写支出用途。"))
    recipient = required_text(recipient, "recipient", _("请填写受助人（仅授权人员可见）。"), 100)
    if people_helped < 1:
        raise ValidationError({"people_helped": _("受助人数至少为 1。")})
    at = now or timezone.now()
    fund = _fund_locked(community)
    if value > fund.balance:
        raise ValidationError(
            {"amount": _("基金余额不足：当前余额 ¥%(b)s。") % {"b": fund.balance}}
        )
    return FundDisbursementRequest.objects.create(
        fund=fund,
        amount=value,
        purpose=purpose,
        recipient_encrypted=crypto.encrypt(recipient),
        people_helped=people_helped,
        day=day or timezone.localdate(at),
        requested_by=actor,
        requested_at=at,
    )


def _request_locked(actor: Actor, request_id: int) -> FundDisbursementRequest:
    """The request, if in the actor's area, locked: two approvers pressing at once queue."""
    return access.access_object(actor, FundDisbursementRequest, request_id, lock=True)


@transaction.atomic
def fund_disbursement_approve(
    *, actor: Actor, request_id: int, now: datetime | None = None
) -> FundDisbursementRequest:
    """First or second approval. The second approver must differ from the first and from the
    requester; the second approval writes the ledger entry under the fund's row lock."""
    access.require(actor, "fund.approve", _("只有书记、街道或区级人员可以审批基金支出。"))
    request = _request_locked(actor, request_id)
    at = now or timezone.now()
    if actor.pk == request.requested_by_id:
        raise ValidationError(_("申请人不能审批自己的支出申请。"))
    if request.status == DisbursementStatus.REQUESTED:
        request.first_approver, request.first_approved_at = actor, at
        request.status = DisbursementStatus.FIRST_APPROVED
        request.save(update_fields=["first_approver", "first_approved_at", "status"])
        return request
    if request.status != DisbursementStatus.FIRST_APPROVED:
        raise ValidationError(
            _("该申请当前状态为“%(s)s”，不能再审批。") % {"s": request.get_status_display()}
        )
    if actor.pk == request.first_approver_id:
        raise ValidationError(_("第二审批人必须与第一审批人不是同一人。"))
    fund = LoveFund.objects.select_for_update().get(pk=request.fund_id)
    entry = _append(
        fund,
        FundEntryKind.DISBURSEMENT,
        request.amount,
        day=request.day,
        purpose=request.purpose,
        recipient_encrypted=request.recipient_encrypted,
        people_helped=request.people_helped,
        requested_by_id=request.requested_by_id,
        first_approver_id=request.first_approver_id,
        second_approver=actor,
        recorded_by=actor,
        recorded_at=at,
    )
    request.second_approver, request.second_approved_at = actor, at
    request.status, request.entry = DisbursementStatus.PAID, entry
    request.save(update_fields=["second_approver", "second_approved_at", "status", "entry"])
    return request


@transaction.atomic
def fund_disbursement_reject(
    *, actor: Actor, request_id: int, reason: str
) -> FundDisbursementRequest:
    access.require(actor, "fund.approve", _("只有书记、街道或区级人员可以审批基金支出。"))
    request = _request_locked(actor, request_id)
    if request.status not in (DisbursementStatus.REQUESTED, DisbursementStatus.FIRST_APPROVED):
        raise ValidationError(
            _("该申请当前状态为“%(s)s”，不能驳回。") % {"s": request.get_status_display()}
        )
    request.rejection_reason = required_text(reason, "reason", _("请填写驳回理由。"))
    request.status = DisbursementStatus.REJECTED
    request.save(update_fields=["rejection_reason", "status"])
    audit(actor, "fund_disbursement_reject", "fund_request", request.pk, request.rejection_reason)
    return request


@dataclass(frozen=True)
class ChainProblem:
    community: str
    seq: int
    entry_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.community} 第 {self.seq} 条"
        if self.entry_id is not None:
            where += f"（id={self.entry_id}）"
        return f"{where}：{self.message}"


BREAK_MESSAGES = {
    Break.MISSING: gettext_lazy("记录缺失（已被删除）"),
    Break.PREVIOUS: gettext_lazy("前序哈希不符，前一条记录被改动或删除"),
    Break.CHANGED: gettext_lazy("记录内容被改动"),
    Break.HEAD: gettext_lazy("最新记录缺失（已被删除）"),
}


def fund_verify() -> tuple[int, ChainProblem | None]:
    """Recompute every fund's hash chain. Returns (entries checked, first problem or None).

    A changed row breaks its own hash; a deleted row leaves a gap in `seq` and breaks the next
    entry's `prev_hash`; a deleted newest row no longer matches the fund's `head_hash`; and the
    entries must add up to the fund's balance."""
    checked = 0
    for fund in LoveFund.objects.select_related("community").order_by("pk"):
        read, problem = _fund_check(fund)
        checked += read
        if problem is not None:
            return checked, problem
    return checked, None


def _fund_check(fund: LoveFund) -> tuple[int, ChainProblem | None]:
    """One fund's chain, then its balance against the entries' total."""
    balance = Decimal("0.00")

    def entries() -> Iterator[FundEntry]:
        nonlocal balance
        for entry in FundEntry.objects.filter(fund=fund).order_by("seq").iterator(chunk_size=2000):
            entry.fund = fund  # the canonical fields read the community: no query per entry
            balance += entry.amount if entry.kind == FundEntryKind.DONATION else -entry.amount
            yield entry

    name = fund.community.name
    read, broken = chain_check(fund, entries(), entry_canonical)
    if broken is not None:
        message = str(BREAK_MESSAGES[broken.kind])
        return read, ChainProblem(name, broken.seq, broken.entry_id, message)
    if balance != fund.balance:
        return read, ChainProblem(name, fund.entry_count, None, _("余额与台账合计不符"))
    return read, None
