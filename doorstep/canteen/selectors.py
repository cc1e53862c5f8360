"""Reads for 社区食堂 (community canteen), always scoped to the user's area (辖区范围)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from doorstep.core.money import ZERO, money_sum
from doorstep.places import access
from doorstep.places.access import User
from doorstep.places.models import Community, Resident

from .models import CanteenPriceRule, Meal


def canteen_rule(district_id: int | None) -> CanteenPriceRule:
    rule = CanteenPriceRule.objects.filter(district_id=district_id).first() if district_id else None
    return (
        rule or CanteenPriceRule.objects.filter(district__isnull=True).first() or CanteenPriceRule()
    )


@dataclass(frozen=True)
class MealPrice:
    price: Decimal
    subsidy: Decimal
    delivery_fee: Decimal
    paid: Decimal
    free_delivery: bool


def free_delivery(rule: CanteenPriceRule, resident: Resident, day: date) -> bool:
    """Free delivery for the bedridden 60+ and everyone 80+ (seed rules)."""
    age = resident.age_on(day)
    if age is None:
        return False
    return age >= rule.free_delivery_age or (
        resident.bedridden and age >= rule.free_delivery_bedridden_age
    )


def meal_price(rule: CanteenPriceRule, resident: Resident, day: date, delivered: bool) -> MealPrice:
    """A ¥9 meal: residents 60+ on 低保 pay ¥3 and the street pays ¥6 (seed rules)."""
    age = resident.age_on(day)
    subsidised = age is not None and age >= rule.subsidy_min_age and resident.subsistence_allowance
    subsidy = (
        min(Decimal(rule.subsistence_subsidy), Decimal(rule.base_price)) if subsidised else ZERO
    )
    free = free_delivery(rule, resident, day)
    fee = Decimal(rule.delivery_fee) if delivered and not free else ZERO
    price = Decimal(rule.base_price)
    return MealPrice(price, subsidy, fee, price - subsidy + fee, free)


# ---------------------------------------------------------------- canteen


def meals_on(user: User, community: Community, day: date) -> QuerySet[Meal]:
    return (
        access.visible_to(user, Meal)
        .filter(community=community, day=day)
        .select_related("resident__household__building__compound")
    )


def delivery_list(user: User, community: Community, day: date) -> QuerySet[Meal]:
    """Meals to carry to the door on `day` (送餐名单), by compound and building."""
    return (
        meals_on(user, community, day)
        .filter(delivered=True)
        .order_by(
            "resident__household__building__compound__name",
            "resident__household__building__name",
            "resident__household__room",
        )
    )


@dataclass
class ClaimRow:
    resident: Resident
    meals: int
    subsidy: Decimal


@dataclass
class CanteenClaim:
    """The monthly subsidy claim to the street (食堂补贴申领表)."""

    community: Community
    month: date
    rows: list[ClaimRow]
    meals: int
    subsidised_meals: int
    subsidy_total: Decimal
    paid_total: Decimal
    delivery_total: Decimal


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, following - timedelta(days=1)


def canteen_claim(user: User, community: Community, month: date) -> CanteenClaim:
    start, end = month_bounds(month)
    meals = access.visible_to(user, Meal).filter(community=community, day__gte=start, day__lte=end)
    totals = meals.aggregate(
        n=Count("id"),
        subsidy_sum=Sum("subsidy"),
        paid_sum=Sum("paid"),
        delivery_sum=Sum("delivery_fee"),
        subsidised=Count("id", filter=Q(subsidy__gt=0)),
    )
    per_resident = (
        meals.filter(subsidy__gt=0)
        .values("resident_id")
        .annotate(n=Count("id"), subsidy_sum=Sum("subsidy"))
        .order_by("resident_id")
    )
    residents = Resident.objects.in_bulk([r["resident_id"] for r in per_resident])
    rows = [
        ClaimRow(residents[r["resident_id"]], r["n"], money_sum(r["subsidy_sum"]))
        for r in per_resident
    ]
    rows.sort(key=lambda r: r.resident.name_pinyin)
    return CanteenClaim(
        community=community,
        month=start,
        rows=rows,
        meals=totals["n"] or 0,
        subsidised_meals=totals["subsidised"] or 0,
        subsidy_total=money_sum(totals["subsidy_sum"]),
        paid_total=money_sum(totals["paid_sum"]),
        delivery_total=money_sum(totals["delivery_sum"]),
    )
