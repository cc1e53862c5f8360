"""Reads for 综合帮扶 (comprehensive assistance), always scoped to the user's area (辖区范围)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from doorstep.core.money import ZERO, money_sum
from doorstep.places import access
from doorstep.places.access import User
from doorstep.places.models import Community

from .choices import ApplicationStatus, AssistanceKind, HouseholdCategory
from .models import AssistanceApplication

# ---------------------------------------------------------------- assistance


def applications_visible_to(user: User) -> QuerySet[AssistanceApplication]:
    """Assistance files: only the secretary, street and district (never desk or grid)."""
    access.require(user, "assistance", _("您的岗位无权查看此页面。"))
    return access.visible_to(user, AssistanceApplication).select_related("community")


def applications_list(
    user: User, community: Community, status: str = ""
) -> QuerySet[AssistanceApplication]:
    """One community's applications as the page and its export show them (`status` optional)."""
    applications = applications_visible_to(user).filter(community=community)
    return applications.filter(status=status) if status else applications


@dataclass
class AssistanceSummary:
    start: date
    end: date
    cases: int
    total: Decimal
    by_kind: list[tuple[str, int, Decimal]]
    by_category: list[tuple[str, int, Decimal]]


def assistance_summary(user: User, start: date, end: date) -> AssistanceSummary:
    """Approved applications decided in [start, end] and what was paid on them — the shape of
    the Zhangyan figures (877 cases, ¥3,207,100; 800/16/61 by type; 50/147/680 by category)."""
    qs = applications_visible_to(user).filter(
        status=ApplicationStatus.APPROVED, decided_on__gte=start, decided_on__lte=end
    )
    rows = qs.values("kind", "household_category").annotate(
        n=Count("id"), paid=Sum("disbursements__amount")
    )
    kinds: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    cats: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    for row in rows:
        for bucket, key in ((kinds, row["kind"]), (cats, row["household_category"])):
            bucket[key][0] += row["n"]
            bucket[key][1] += money_sum(row["paid"])
    return AssistanceSummary(
        start=start,
        end=end,
        cases=sum(v[0] for v in kinds.values()),
        total=sum((v[1] for v in kinds.values()), ZERO),
        by_kind=[(label, *kinds[value]) for value, label in AssistanceKind.choices],
        by_category=[(label, *cats[value]) for value, label in HouseholdCategory.choices],
    )
