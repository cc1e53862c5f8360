"""Writes for 社区食堂 (community canteen). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Resident
from doorstep.programmes.common import today_or

from .models import Meal
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
