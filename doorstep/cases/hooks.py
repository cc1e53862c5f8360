"""Hooks for the floors above (the rollups read model): functions called inside the case
services' own transaction, so what they keep commits or rolls back with the change.

A higher app registers its functions in its AppConfig.ready(); cases never imports it."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .models import Case

# Called where a service has locked a case, before changing it.
on_lock: list[Callable[[Case], None]] = []
# Called where a service writes the case's timeline event, after changing it.
on_change: list[Callable[[Case, str, datetime], None]] = []


def case_locked(case: Case) -> None:
    for hook in on_lock:
        hook(case)


def case_changed(case: Case, kind: str, at: datetime) -> None:
    for hook in on_change:
        hook(case, kind, at)


# The desk home's counts from a read model (called with the user and their post; returns
# `selectors.DeskCounts`). Empty: the counts are counted from the case table.
desk_counts: list[Callable[[Any, Any], Any]] = []
