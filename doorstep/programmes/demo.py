"""The skeleton the five programme demo loaders share, and their date helpers.

Each programme's `demo.load_demo` (called by `ops/demo.py`) is one call to `run_loader` with
its data: skipped when its data is already there (`doorstep demo` may run again), built on the
core demo's 张骞社区 and its staff, in one transaction, with one log line saying what it made.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from doorstep.places.models import Community

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED = 20261128  # the same demo every time


@dataclass(frozen=True)
class DemoPlace:
    """What a programme's demo data is built on: 张骞社区, the demo staff by username, today
    and a seeded random."""

    community: Community
    users: dict[str, Any]
    today: date
    rng: random.Random


def run_loader(
    log: Callable[[str], object],
    *,
    title: str,
    done: type[models.Model],
    build: Callable[[DemoPlace], str],
) -> None:
    """Load one programme's demo: nothing when `done` already has rows, nothing (logged)
    without the core demo; else `build` in one transaction, and its summary logged."""
    if done._default_manager.exists():
        log(f"  {title}演示数据已存在，跳过")
        return
    community = demo_community(log)
    if community is None:
        return
    place = DemoPlace(community, demo_users(), timezone.localdate(), random.Random(SEED))
    with transaction.atomic():
        summary = build(place)
    log(f"  {title}：{summary}")


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
