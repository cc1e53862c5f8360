"""Demo data for canteen, on top of the core demo (和平区 / 胜利路街道).

Canteen (张骞社区): weekday meals for last month and today.
"""

from __future__ import annotations

from datetime import timedelta

from doorstep.core.types import Log
from doorstep.places.models import Resident
from doorstep.programmes.demo import DemoPlace, run_loader, years_ago

from . import services
from .models import Meal


def load_demo(log: Log = print) -> None:
    run_loader(log, title="社区食堂", done=Meal, build=_canteen)


def _canteen(place: DemoPlace) -> str:
    """Last month's weekday meals and today's of 张骞社区's regulars (those on 低保, the
    bedridden and thirty more), recorded by its desk through `services.meal_history_load`,
    which prices each by the rules in force."""
    zq, rng, today, users = place.community, place.rng, place.today, place.users
    born_by = years_ago(today, 60)
    elders = list(Resident.objects.filter(community=zq, birth_date__lte=born_by).order_by("pk"))
    regulars = [r for r in elders if r.subsistence_allowance or r.bedridden]
    regulars += rng.sample([r for r in elders if r not in regulars], min(30, len(elders)))
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    days = [
        first + timedelta(days=n)
        for n in range(31)
        if (first + timedelta(days=n)).month == first.month
    ]
    days = [d for d in days if d.weekday() < 5] + [today]
    meals: list[services.PastMeal] = []
    for day in days:
        for resident in regulars:
            if day != today and rng.random() < 0.2:
                continue
            delivered = resident.bedridden or (resident.age_on(day) or 0) >= 80
            meals.append(services.PastMeal(resident.pk, day, delivered))
    services.meal_history_load(actor=users["desk"], community_id=zq.pk, meals=meals, today=today)
    return "上月用餐记录与今日送餐"
