"""Writes for 社区食堂 (community canteen). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Community, Resident
from doorstep.programmes.common import audit, community_in_area, today_or

from .models import CanteenPriceRule, Meal
from .selectors import canteen_rule, meal_price

# ---------------------------------------------------------------- canteen (社区食堂)

MEAL_PREORDER_DAYS = 7


@transaction.atomic
def meal_record(
    *,
    actor: Actor,
    resident_id: int,
    day: date,
    delivered: bool = False,
    today: date | None = None,
) -> Meal:
    """Record one resident's meal for one day, priced by the rules in force (用餐登记)."""
    access.require(actor, "canteen.record", _("只有社区前台或书记可以登记用餐。"))
    # Locked: two desks recording the same resident's meal at once queue here, so the second
    # is told the day is taken instead of hitting the one-meal-a-day constraint.
    resident = access.access_object(actor, Resident, resident_id, lock=True)
    if day > today_or(today) + timedelta(days=MEAL_PREORDER_DAYS):
        raise ValidationError({"day": _("最多只能提前 7 天订餐。")})
    if Meal.objects.filter(resident=resident, day=day).exists():
        raise ValidationError(_("%(name)s 当天已有用餐记录。") % {"name": resident.name})
    rule = canteen_rule(resident.community.street.district_id)
    price = meal_price(rule, resident, day, delivered)
    return Meal.objects.create(
        community=resident.community,
        resident=resident,
        day=day,
        delivered=delivered,
        price=price.price,
        subsidy=price.subsidy,
        delivery_fee=price.delivery_fee,
        paid=price.paid,
        recorded_by=actor,
    )


# ---------------------------------------------------------------- earlier meals (历史用餐导入)


@dataclass(frozen=True)
class PastMeal:
    """A meal recorded before (the paper sign-in sheet moved in): who ate, on which day, and
    whether it was carried to the door."""

    resident_id: int
    day: date
    delivered: bool = False


@transaction.atomic
def meal_history_load(
    *, actor: Actor, community_id: int, meals: list[PastMeal], today: date | None = None
) -> int:
    """Bulk-insert a community's earlier meals (历史用餐导入), each checked as `meal_record`
    checks one: a resident of the community, a day no later than a week ahead, one meal a day,
    priced by the rules in force (`meal_price`), recorded by the actor. One bulk insert, one
    audit entry; a wrong line names its number and nothing is written. Only the community
    desk or secretary may load."""
    access.require(actor, "canteen.record", _("只有社区前台或书记可以登记用餐。"))
    community = community_in_area(actor, community_id)
    latest = today_or(today) + timedelta(days=MEAL_PREORDER_DAYS)
    rule = canteen_rule(community.street.district_id)
    ids = {m.resident_id for m in meals}
    residents = Resident.objects.filter(community=community, pk__in=ids).in_bulk()
    taken = set(Meal.objects.filter(resident_id__in=ids).values_list("resident_id", "day"))
    rows: list[Meal] = []
    for n, past in enumerate(meals, start=1):
        resident = residents.get(past.resident_id)
        if resident is None:
            message = _("该居民不在本社区。")
        elif past.day > latest:
            message = _("最多只能提前 7 天订餐。")
        elif (resident.pk, past.day) in taken:
            message = _("%(name)s 当天已有用餐记录。") % {"name": resident.name}
        else:
            taken.add((resident.pk, past.day))
            rows.append(_priced(rule, community, resident, past, actor))
            continue
        raise ValidationError(_("第 %(n)s 件：%(e)s") % {"n": n, "e": message})
    Meal.objects.bulk_create(rows, batch_size=2000)
    note = _("导入用餐记录 %(n)s 条") % {"n": len(rows)}
    audit(actor, "meal_history_load", "community", community.pk, note)
    return len(rows)


def _priced(
    rule: CanteenPriceRule, community: Community, resident: Resident, past: PastMeal, by: Actor
) -> Meal:
    price = meal_price(rule, resident, past.day, past.delivered)
    return Meal(
        community=community,
        resident=resident,
        day=past.day,
        delivered=past.delivered,
        price=price.price,
        subsidy=price.subsidy,
        delivery_fee=price.delivery_fee,
        paid=price.paid,
        recorded_by=by,
    )
