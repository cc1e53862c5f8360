"""Reading from a streaming replica (只读副本), with read-your-writes.

With `DATABASE_REPLICA_URL` set, the reads of a web GET request (dashboards, lists, exports,
pages) go to the replica — unless:
- the request runs inside a write transaction, or has written already (then the primary);
- the same browser wrote within the last `DOORSTEP_REPLICA_PIN_SECONDS` (a short-lived cookie set
  on every unsafe request pins it to the primary, so a worker sees the case they just saved);
- the replica lags more than `DOORSTEP_REPLICA_MAX_LAG` seconds behind, or cannot be reached.
Everything else — POSTs, the API's writes, commands, the worker, tick — uses the primary.
"""

import time
from collections.abc import Callable
from contextvars import ContextVar
from threading import Lock
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "ds_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)
_lag_lock = Lock()
_lag_checked: dict[str, float] = {"at": 0.0, "ok": 0.0}

LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag() -> float | None:
    """Seconds the replica is behind (0 when it has replayed all it received); None when it
    cannot be asked."""
    try:
        with connections[REPLICA].cursor() as cursor:
            if connections[REPLICA].vendor != "postgresql":
                return 0.0
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except Exception:  # a replica down must never break a page: read from the primary
        connections[REPLICA].close()
        return None
    return float(row[0]) if row and row[0] is not None else 0.0


def replica_fresh() -> bool:
    """Whether the replica is close enough; asked at most once a second per process."""
    now = time.monotonic()
    with _lag_lock:
        if now - _lag_checked["at"] < 1.0:
            return bool(_lag_checked["ok"])
        _lag_checked["at"] = now
    lag = replica_lag()
    ok = lag is not None and lag <= float(getattr(settings, "DOORSTEP_REPLICA_MAX_LAG", 5))
    _lag_checked["ok"] = float(ok)
    return ok


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads to the replica only where the middleware allowed it."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not _replica_allowed.get() or connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        _replica_allowed.set(False)  # read your own write, for the rest of this request
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class ReplicaMiddleware:
    """Decides per request whether its reads may use the replica; pins a writer's browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        allowed = safe and PIN_COOKIE not in request.COOKIES and replica_fresh()
        token = _replica_allowed.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if not safe:
            seconds = int(getattr(settings, "DOORSTEP_REPLICA_PIN_SECONDS", 10))
            response.set_cookie(PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax")
        return response
