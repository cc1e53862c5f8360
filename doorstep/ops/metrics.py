"""`/metrics` in Prometheus text format (监控指标): requests by route name, method and status with
their durations; the notification queue; database figures. No paths, ids, query strings or
names: nothing personal, and a bounded number of series.

Under `doorstep serve` every gunicorn process writes its counters to a shared directory
(prometheus_client's multiprocess mode, `PROMETHEUS_MULTIPROC_DIR`, set by `serve`), so one scrape
sums them all. Access: with `DOORSTEP_METRICS_TOKEN` set, a matching `Authorization: Bearer`
header; otherwise loopback clients only.
"""

import hmac
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

REQUESTS = Counter(
    "doorstep_http_requests_total", "HTTP requests answered", ["route", "method", "status"]
)
DURATION = Histogram(
    "doorstep_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "OTHER"
        match = request.resolver_match
        route = (match.url_name or "unnamed") if match else "unmatched"
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        DURATION.labels(method).observe(time.perf_counter() - started)
        return response


def _allowed(request: HttpRequest) -> bool:
    token = str(getattr(settings, "DOORSTEP_METRICS_TOKEN", ""))
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


def _gauge(lines: list[str], name: str, help_text: str, samples: dict[str, float]) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    lines += [f"{name}{labels} {value:g}" for labels, value in samples.items()]


def database_lines() -> list[str]:
    """Figures asked of the database at scrape time, each over an index or a catalogue view."""
    lines: list[str] = []
    started = time.perf_counter()
    try:
        _queue_lines(lines)
        if connection.vendor == "postgresql":
            _postgres_lines(lines)
        up = 1.0
    except DatabaseError:
        up = 0.0
    _gauge(lines, "doorstep_db_up", "Whether the database answered this scrape", {"": up})
    _gauge(
        lines,
        "doorstep_db_scrape_seconds",
        "Time the database figures took",
        {"": time.perf_counter() - started},
    )
    if "replica" in settings.DATABASES:
        from doorstep.core.replica import replica_lag

        lag = replica_lag()
        _gauge(
            lines,
            "doorstep_db_replica_lag_seconds",
            "Replay lag of the read replica (-1: unreachable)",
            {"": -1.0 if lag is None else lag},
        )
    return lines


def _queue_lines(lines: list[str]) -> None:
    """The notification outbox: notices waiting or being sent, and the oldest one due."""
    from django.db.models import Count, Min

    from doorstep.interop.choices import NotificationStatus
    from doorstep.interop.models import Notification

    waiting = (
        Notification.objects.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
        )
        .values("status")
        .annotate(n=Count("pk"), oldest=Min("next_attempt_at"))
        .order_by()
    )
    queue = {f'{{status="{s}"}}': 0.0 for s in ("pending", "sending")}
    oldest = 0.0
    for row in waiting:
        queue[f'{{status="{row["status"]}"}}'] = float(row["n"])
        if row["status"] == NotificationStatus.PENDING and row["oldest"]:
            oldest = max(0.0, (timezone.now() - row["oldest"]).total_seconds())
    _gauge(lines, "doorstep_notifications_queued", "Notices waiting or being sent", queue)
    _gauge(
        lines,
        "doorstep_notifications_oldest_pending_seconds",
        "Age of the oldest notice due",
        {"": oldest},
    )


def _postgres_lines(lines: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_database_size(current_database()) FROM pg_stat_activity "
            "WHERE datname = current_database()"
        )
        count, size = cursor.fetchone()
    _gauge(lines, "doorstep_db_connections", "Sessions on this database", {"": count})
    _gauge(lines, "doorstep_db_size_bytes", "Size of the database", {"": size})


def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(status=404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    text = body.decode() + "\n".join(database_lines()) + "\n"
    return HttpResponse(text, content_type=CONTENT_TYPE_LATEST)
