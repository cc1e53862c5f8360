"""Rate limits (限流) kept in the database (`Throttle`): fixed windows per key, plus a lock.

`allow(key, limit, window)` counts a request and says whether it is within the limit (a busy
key, an API token, may be counted in batches: `batch`);
`fail(key, …)` counts a failure and locks the key once `limit` failures fall in one window;
`locked(key)` asks whether the key is locked now. One row per key, locked while updated.
"""

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Throttle

View = Callable[..., HttpResponse]


class Throttled(Exception):
    """Too many requests (429); the message says so in Chinese."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("请求过于频繁，请稍后再试。"))


@dataclass(frozen=True)
class Limit:
    limit: int
    window: timedelta


LOGIN_FAILURES = Limit(5, timedelta(minutes=15))  # then locked for the same 15 minutes
TRACKING_LOOKUPS = Limit(30, timedelta(minutes=1))  # per IP
PORTAL_SUBMITS = Limit(10, timedelta(hours=1))  # per IP
PUBLIC_WRITES = Limit(20, timedelta(hours=1))  # per IP: comments, registrations, sign-ups
RESIDENT_CODE_TRIES = Limit(10, timedelta(minutes=15))  # per IP: typing a 居民码
API_CALLS = Limit(300, timedelta(minutes=1))  # per token


def client_ip(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the address the trusted proxies in front of us
    saw (`DOORSTEP_PROXY_COUNT` hops of X-Forwarded-For)."""
    hops = int(getattr(settings, "DOORSTEP_PROXY_COUNT", 0))
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and len(forwarded) >= hops:
        return str(forwarded[-hops])[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _hash(key: str) -> str:
    return hashlib.sha256(("throttle:" + settings.SECRET_KEY + key).encode()).hexdigest()


def _row(key: str) -> Throttle:
    now = timezone.now()
    key_hash = _hash(key)
    try:
        with transaction.atomic():
            Throttle.objects.get_or_create(key_hash=key_hash, defaults={"window_start": now})
    except IntegrityError:
        pass  # a concurrent request made it
    return Throttle.objects.select_for_update().get(key_hash=key_hash)


API_BATCH = 10  # API calls a process may count itself before it writes them (see `allow`)
BATCH_AGE = 1.0  # seconds: a process writes what it counted at least this often


@dataclass
class _Tally:
    """What this process knows of a batched key: its count in the database after this
    process's last write, the calls allowed here since, and when that write was."""

    known: int
    pending: int
    written: float


_tallies: dict[str, _Tally] = {}
_tallies_lock = threading.Lock()
_clock = time.monotonic


def allow(key: str, rule: Limit, *, batch: int = 1) -> bool:
    """Count one request; False once more than `rule.limit` fall in the current window.

    Every API call and public lookup passes here, so it is one statement: an upsert that makes
    the key's row on its first request, otherwise counts on (or starts a new window), and
    returns the count it left. The row's lock is held only for that statement; two requests at
    once both count.

    With `batch` > 1 (API tokens: `API_BATCH`) a process allows up to `batch` - 1 calls on its
    own before it writes them in one upsert, while they stay within the limit as far as it
    knows and for at most `BATCH_AGE` seconds: most calls write nothing. A single process is
    refused exactly at the limit; each further process may let at most `batch` - 1 calls past
    it, calls other processes have not written yet."""
    key_hash = _hash(key)  # the tallies hold no token in plain text either
    if batch > 1:
        with _tallies_lock:
            tally = _tallies.pop(key_hash, None)
            if (
                tally is not None
                and tally.pending + 1 < batch
                and _clock() - tally.written < BATCH_AGE
                and tally.known + tally.pending + 1 <= rule.limit
            ):
                tally.pending += 1
                _tallies[key_hash] = tally
                return True
        count = _add(key_hash, rule, 1 + (tally.pending if tally else 0))
        with _tallies_lock:
            _tallies[key_hash] = _Tally(known=count, pending=0, written=_clock())
        return count <= rule.limit
    return _add(key_hash, rule, 1) <= rule.limit


def _add(key_hash: str, rule: Limit, n: int) -> int:
    """Add `n` requests to the key's row (starting a new window if its time is up); the count."""
    now = timezone.now()
    ops = connection.ops
    table = ops.quote_name(Throttle._meta.db_table)
    started = ops.adapt_datetimefield_value(now)
    expired_before = ops.adapt_datetimefield_value(now - rule.window)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key_hash, window_start, count, locked_until) "
            "VALUES (%s, %s, %s, NULL) ON CONFLICT (key_hash) DO UPDATE SET "
            f"count = CASE WHEN {table}.window_start <= %s THEN excluded.count "
            f"ELSE {table}.count + excluded.count END, "
            f"window_start = CASE WHEN {table}.window_start <= %s THEN excluded.window_start "
            f"ELSE {table}.window_start END RETURNING count",
            [key_hash, started, n, expired_before, expired_before],
        )
        (count,) = cursor.fetchone()
    return int(count)


@transaction.atomic
def fail(key: str, rule: Limit) -> bool:
    """Count one failure; True when this one locks the key (for `rule.window` from now)."""
    now = timezone.now()
    row = _row(key)
    if row.window_start + rule.window <= now:
        row.window_start, row.count = now, 0
    row.count += 1
    just_locked = row.count >= rule.limit and not (row.locked_until and row.locked_until > now)
    if just_locked:
        row.locked_until = now + rule.window
        row.window_start, row.count = now, 0
    row.save(update_fields=["window_start", "count", "locked_until"])
    return just_locked


def locked(key: str) -> bool:
    return Throttle.objects.filter(key_hash=_hash(key), locked_until__gt=timezone.now()).exists()


def clear(key: str) -> None:
    Throttle.objects.filter(key_hash=_hash(key), locked_until__isnull=True).delete()


def refuse_if_too_many(request: HttpRequest, key: str, rule: Limit) -> HttpResponse | None:
    """A per-address limit on a public page: None while within it, else the Chinese 429 page."""
    if allow(f"{key}:ip:{client_ip(request)}", rule):
        return None
    return render(request, "429.html", {}, status=429)


def per_address(key: str, rule: Limit) -> Callable[[View], View]:
    """Decorate a public view with a per-address limit (`refuse_if_too_many`)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return refuse_if_too_many(request, key, rule) or view(request, *args, **kwargs)

        return wrapper

    return decorate


def check(key: str, rule: Limit, message: str = "", *, batch: int = 1) -> None:
    """`allow`, raising `Throttled` when over the limit."""
    if not allow(key, rule, batch=batch):
        raise Throttled(message)
