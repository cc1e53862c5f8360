"""Who is away, who stands in for whom, and who is stationed where (代岗、下沉).

The case flow and the rota (lower floors) need these answers, but the workforce area that
keeps leave and postings sits above them. So the workforce app registers its answers here at
start-up (``AppConfig.ready``) and the lower floors ask through these functions; with nothing
registered every answer is "nobody", and the case flow behaves as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

# (user ids, day) -> the ids among them that are on leave that day.
AwayFn = Callable[[Iterable[int], date], set[int]]
# (user id, day) -> ids of the colleagues whose cases this user holds that day (A posts away).
StandInFn = Callable[[int, date], list[int]]
# (community id, item id) -> the stationed street worker who handles that item there, if any.
StationedFn = Callable[[int, int], int | None]
F = TypeVar("F", AwayFn, StandInFn, StationedFn)

_away: list[AwayFn] = []
_stand_in: list[StandInFn] = []
_stationed: list[StationedFn] = []


def register(
    *,
    away: AwayFn | None = None,
    stand_in: StandInFn | None = None,
    stationed: StationedFn | None = None,
) -> None:
    _add(_away, away)
    _add(_stand_in, stand_in)
    _add(_stationed, stationed)


def _add(registry: list[F], fn: F | None) -> None:
    if fn is not None and fn not in registry:
        registry.append(fn)


def away_ids(user_ids: Iterable[int], day: date) -> set[int]:
    ids = list(user_ids)
    found: set[int] = set()
    for fn in _away:
        found |= fn(ids, day)
    return found


def standing_in_for(user_id: int, day: date) -> list[int]:
    found: list[int] = []
    for fn in _stand_in:
        found.extend(i for i in fn(user_id, day) if i not in found)
    return found


def stationed_handler(community_id: int, item_id: int) -> int | None:
    for fn in _stationed:
        handler = fn(community_id, item_id)
        if handler is not None:
            return handler
    return None
