"""What the five programme demo loaders share: the demo community (张骞社区), its staff and two
date helpers. Each programme's own `demo.load_demo` is called by `ops/demo.py`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from doorstep.places.models import Community

SHANGHAI = ZoneInfo("Asia/Shanghai")


def demo_community(log: Callable[[str], object]) -> Community | None:
    """张骞社区 from the core demo, or None (logged) when the core demo has not run."""
    zq = Community.objects.filter(name="张骞社区").select_related("street").first()
    if zq is None:
        log("  未找到张骞社区，请先运行核心演示数据")
    return zq


def demo_users() -> dict[str, Any]:
    return {u.username: u for u in get_user_model().objects.filter(staff__isnull=False)}


def years_ago(today: date, years: int) -> date:
    """The latest birth date of someone `years` old today (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def at_hour(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI).astimezone(UTC)
