"""The fee counter's writes (代收水电费): take a payment, ask for and approve a reversal, close
the day; and the check that the ledger's hash chain is intact. Append-only like the love fund,
with the same chain helper (`doorstep/core/chain.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from doorstep.places.models import Community, Household, Resident

from . import selectors
from .choices import PaymentKind, PayMethod, Utility
from .models import FeeCounter, FeeDayClose, FeePayment, FeeReversalRequest
from .services import audit

MAX_AMOUNT = Decimal("100000.00")
PERIOD = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
ACCOUNT = re.compile(r"^[0-9A-Za-z-]{4,30}$")


def payment_canonical(entry: FeePayment) -> Canonical:
    """The fields a payment's hash covers (never change these: stored hashes depend on them)."""
    return {
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
        "amount": canonical_money(entry.amount),
        "method": entry.method,
        "day": canonical_day(entry.day),
        "reverses": entry.reverses_id,
        "reason": entry.reason,
        "taken_by": entry.taken_by_id,
        "second_person": entry.second_person_id,
        "recorded_at": canonical_time(entry.recorded_at),
    }


def payment_hash(entry: FeePayment) -> str:
    return chain_hash(payment_canonical(entry), entry.prev_hash)


def _counter_locked(community: Community) -> FeeCounter:
    """The community's counter row, locked for this transaction (every ledger write takes it)."""
    return head_locked(FeeCounter.objects.all(), of=("self",), community=community)


def _check_counter(actor: Actor, community: Community) -> None:
    if not selectors.is_counter_staff(actor, community):
        raise PermissionDenied(_("只有本社区前台工作人员或书记可以操作代收柜台。"))


def _check_open_day(community: Community, day: date) -> None:
    if FeeDayClose.objects.filter(community=community, day=day).exists():
        raise ValidationError(_("%(day)s 已日结，不能再记账。") % {"day": day})


def _append(counter: FeeCounter, entry: FeePayment) -> FeePayment:
    """Append one ledger line; the caller holds the counter's row lock."""
    entry.counter = counter
    # The receipt number carries the seq and is hashed, so it is set before the link.
    entry.receipt_number = f"SF{counter.community_id:05d}-{counter.entry_count + 1:07d}"
    chain_link(counter, entry, payment_canonical)
    entry.save()
    counter.save(update_fields=["entry_count", "head_hash"])
    return entry


@dataclass(frozen=True)
class Payment:
    """What the cashier captured at the counter."""

    utility: str
    account_number: str
    period: str
    amount: object
    method: str
    payer_name: str = ""
    payer_resident: Resident | None = None
    payer_household: Household | None = None


def _validate(data: Payment, community: Community) -> tuple[Decimal, str, str]:
    if str(data.amount).strip().startswith("-"):
        raise ValidationError({"amount": _("金额不能为负数；退款请走冲正。")})
    amount = parse_amount(data.amount, maximum=MAX_AMOUNT)
    if data.utility not in Utility.values:
        raise ValidationError({"utility": _("请选择费用类别。")})
    if data.method not in PayMethod.values:
        raise ValidationError({"method": _("请选择现金或扫码。")})
    account = (data.account_number or "").strip()
    if not ACCOUNT.match(account):
        raise ValidationError({"account_number": _("户号应为4–30位数字或字母。")})
    if not PERIOD.match((data.period or "").strip()):
        raise ValidationError({"period": _("所属期格式应为 2026-11。")})
    if data.payer_resident is not None and data.payer_resident.community_id != community.pk:
        raise ValidationError({"payer_resident": _("该居民不属于本社区。")})
    if (
        data.payer_household is not None
        and data.payer_household.building.compound.community_id != community.pk
    ):
        raise ValidationError({"payer_household": _("该户不属于本社区。")})
    name = (data.payer_name or "").strip()[:50]
    if not name and data.payer_resident is not None:
        name = data.payer_resident.name
    if not name and data.payer_household is not None:
        name = str(data.payer_household)[:50]
    if not name:
        raise ValidationError({"payer_name": _("请填写缴费人或选择居民、住户。")})
    return amount, account, name


@transaction.atomic
def fee_payment_take(
    *, actor: Actor, community: Community, data: Payment, now: datetime | None = None
) -> FeePayment:
    """收款: one line on the counter's ledger with a receipt number."""
    _check_counter(actor, community)
    amount, account, name = _validate(data, community)
    at = now or timezone.now()
    day = timezone.localdate(at)
    counter = _counter_locked(community)
    _check_open_day(community, day)
    entry = _append(
        counter,
        FeePayment(
            kind=PaymentKind.PAYMENT,
            payer_resident=data.payer_resident,
            payer_household=data.payer_household,
            payer_name=name,
            utility=data.utility,
            account_number=account,
            period=data.period.strip(),
            amount=amount,
            method=data.method,
            day=day,
            taken_by=actor,
            recorded_at=at,
        ),
    )
    audit(actor, "fee_payment_take", "fee_payment", entry.pk, entry.receipt_number)
    return entry


@transaction.atomic
def fee_reversal_request(
    *, actor: Actor, payment_id: int, reason: str, now: datetime | None = None
) -> FeeReversalRequest:
    """冲正申请: asked with a reason; the ledger changes only when a second person approves."""
    payment = (
        selectors.payments_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise FeePayment.DoesNotExist
    _check_counter(actor, payment.counter.community)
    if payment.kind != PaymentKind.PAYMENT:
        raise ValidationError(_("冲正记录不能再冲正。"))
    if FeeReversalRequest.objects.filter(payment=payment).exists():
        raise ValidationError(_("该笔收款已申请冲正。"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("冲正须填写原因。")})
    request = FeeReversalRequest.objects.create(
        payment=payment, reason=reason[:200], requested_by=actor, requested_at=now or timezone.now()
    )
    audit(actor, "fee_reversal_request", "fee_payment", payment.pk, reason)
    return request


@transaction.atomic
def fee_reversal_approve(
    *, actor: Actor, request_id: int, now: datetime | None = None
) -> FeePayment:
    """冲正: a second person (not the one who asked) approves; the reversal is appended."""
    request = (
        FeeReversalRequest.objects.select_for_update(of=("self",))
        .select_related("payment__counter__community")
        .filter(pk=request_id, payment__in=selectors.payments_visible_to(actor))
        .first()
    )
    if request is None:
        raise FeeReversalRequest.DoesNotExist
    community = request.payment.counter.community
    _check_counter(actor, community)
    if request.requested_by_id == actor.pk:
        raise ValidationError(_("冲正须由申请人以外的第二人确认。"))
    if request.reversal_id is not None:
        raise ValidationError(_("该冲正已确认。"))
    at = now or timezone.now()
    day = timezone.localdate(at)
    counter = _counter_locked(community)
    _check_open_day(community, day)
    original = request.payment
    reversal = _append(
        counter,
        FeePayment(
            kind=PaymentKind.REVERSAL,
            payer_resident=original.payer_resident,
            payer_household=original.payer_household,
            payer_name=original.payer_name,
            utility=original.utility,
            account_number=original.account_number,
            period=original.period,
            amount=original.amount,
            method=original.method,
            day=day,
            reverses=original,
            reason=request.reason,
            taken_by=request.requested_by,
            second_person=actor,
            recorded_at=at,
        ),
    )
    request.reversal = reversal
    request.save(update_fields=["reversal"])
    audit(actor, "fee_reversal_approve", "fee_payment", reversal.pk, request.reason)
    return reversal


@transaction.atomic
def fee_day_close(
    *,
    actor: Actor,
    community: Community,
    day: date,
    cash_counted: object,
    note: str = "",
    now: datetime | None = None,
) -> FeeDayClose:
    """日结: count the cash; the difference from the ledger is recorded, and needs a note."""
    _check_counter(actor, community)
    _counter_locked(community)  # no payment can land on this day while we close it
    if day > timezone.localdate(now or timezone.now()):
        raise ValidationError({"day": _("不能为未来的日期日结。")})
    if FeeDayClose.objects.filter(community=community, day=day).exists():
        raise ValidationError(_("%(day)s 已日结。") % {"day": day})
    counted = parse_amount(cash_counted, "cash_counted", allow_zero=True)
    totals = selectors.day_totals(community, day)
    discrepancy = counted - totals.cash
    note = (note or "").strip()
    if discrepancy != 0 and len(note) < 2:
        raise ValidationError(
            {"note": _("实点现金与账面相差 ¥%(d)s，请说明原因。") % {"d": discrepancy}}
        )
    close = FeeDayClose.objects.create(
        community=community,
        day=day,
        cash_expected=totals.cash,
        cash_counted=counted,
        discrepancy=discrepancy,
        qr_total=totals.qr,
        payments=totals.payments,
        note=note[:200],
        closed_by=actor,
        closed_at=now or timezone.now(),
    )
    audit(actor, "fee_day_close", "fee_day_close", close.pk, f"{day} {discrepancy}")
    return close


def fee_verify() -> tuple[int, str | None]:
    """Recompute every counter's chain. Returns (entries checked, first problem or None)."""
    checked = 0
    for counter in FeeCounter.objects.select_related("community").order_by("pk"):
        read, broken = chain_check(counter, _entries(counter), payment_canonical)
        checked += read
        if broken is None:
            continue
        name = counter.community.name
        where = f"{name} 第 {broken.seq} 条"
        if broken.kind == Break.MISSING:
            return checked, _("%(w)s：记录缺失（已被删除）") % {"w": where}
        if broken.kind == Break.HEAD:
            return checked, _("%(c)s：最新记录缺失（已被删除）") % {"c": name}
        return checked, _("%(w)s：记录内容或前序记录被改动") % {"w": where}
    return checked, None


def _entries(counter: FeeCounter) -> Iterator[FeePayment]:
    for entry in FeePayment.objects.filter(counter=counter).order_by("seq").iterator():
        entry.counter = counter  # the canonical fields read the community: no query per entry
        yield entry
