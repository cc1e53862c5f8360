"""Reads for 一元爱心基金 (love fund), always scoped to the user's area (辖区范围)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from doorstep.core.money import ZERO, money_sum
from doorstep.places import access
from doorstep.places.access import User
from doorstep.places.models import Community

from .choices import DisbursementStatus, FundEntryKind
from .models import FundDisbursementRequest, FundEntry, LoveFund

# ---------------------------------------------------------------- love fund


def fund_for(community: Community) -> LoveFund | None:
    return LoveFund.objects.filter(community=community).first()


@dataclass
class FundSummary:
    balance: Decimal
    total_in: Decimal
    total_out: Decimal
    people_helped: int
    donor_count: int
    months: list[dict[str, Any]]


def fund_public_summary(community: Community, months: int = 12) -> FundSummary:
    """What the public transparency page shows: monthly totals, balance, people helped —
    never a donor's or recipient's name."""
    fund = fund_for(community)
    if fund is None:
        return FundSummary(ZERO, ZERO, ZERO, 0, 0, [])
    entries = FundEntry.objects.filter(fund=fund)
    totals = entries.aggregate(
        total_in=Sum("amount", filter=Q(kind=FundEntryKind.DONATION)),
        total_out=Sum("amount", filter=Q(kind=FundEntryKind.DISBURSEMENT)),
        helped=Sum("people_helped", filter=Q(kind=FundEntryKind.DISBURSEMENT)),
        donors=Sum("donor_count", filter=Q(kind=FundEntryKind.DONATION)),
    )
    by_month: dict[date, dict[str, Any]] = {}
    rows = (
        entries.annotate(month=TruncMonth("day"))
        .values("month", "kind")
        .annotate(total=Sum("amount"), helped=Sum("people_helped"))
        .order_by("-month")
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, date) and not isinstance(month, type(None)):
            month = date(month.year, month.month, 1)
        slot = by_month.setdefault(month, {"month": month, "in": ZERO, "out": ZERO, "helped": 0})
        if row["kind"] == FundEntryKind.DONATION:
            slot["in"] += money_sum(row["total"])
        else:
            slot["out"] += money_sum(row["total"])
            slot["helped"] += row["helped"] or 0
    recent = sorted(by_month.values(), key=lambda r: r["month"], reverse=True)[:months]
    return FundSummary(
        balance=fund.balance,
        total_in=money_sum(totals["total_in"]),
        total_out=money_sum(totals["total_out"]),
        people_helped=totals["helped"] or 0,
        donor_count=totals["donors"] or 0,
        months=recent,
    )


def fund_entries(user: User, community: Community) -> QuerySet[FundEntry]:
    """One community's ledger as the page and its export show it, newest first."""
    return (
        access.visible_to(user, FundEntry)
        .filter(fund__community=community)
        .select_related("first_approver__staff", "second_approver__staff")
        .order_by("-seq")
    )


def fund_requests_open(user: User, community: Community) -> QuerySet[FundDisbursementRequest]:
    return (
        access.visible_to(user, FundDisbursementRequest)
        .filter(
            fund__community=community,
            status__in=[DisbursementStatus.REQUESTED, DisbursementStatus.FIRST_APPROVED],
        )
        .select_related("requested_by__staff", "first_approver__staff")
    )
