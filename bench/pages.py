"""p50 / p95 / queries of the pages people wait on, as the demo users, on the database
DATABASE_URL names — meant for PostgreSQL filled by `doorstep demo` and `doorstep scale-data`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_scale python bench/pages.py [--repeat 20]

Unlike the other benchmarks this reads the real database (it adds one Open311 app key,
`bench-pages`, if missing; nothing else is written). Django's test Client, DEBUG off, the
process warmed as `doorstep serve` warms each worker (`ops.warm.warm_up`: views imported,
templates compiled, catalogues loaded; no database reads), then each page's first request timed
on its own (the "first" column: cold database pages, per-user caches), then each page warmed
up once more and timed `--repeat` times (or until `--seconds` per page ran out; a page
slower than a third of that is timed once). Run by hand; nothing asserts on the figures.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Django is set up below, after these imports
    from django.contrib.auth.models import User
    from django.http.response import HttpResponseBase
    from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")
os.environ["DEBUG"] = "0"

USERS = ("desk", "secretary", "street", "district")
O311_KEY = "bench-pages"
TIMEOUT_S = 60  # a statement running longer is reported, not waited for


def _time(fetch: Callable[[], Any], repeat: int, budget: float) -> tuple[float, float, int, float]:
    """(p50, p95, queries, first request) in ms; queries -1 when only the first was timed."""
    from django.db import connection

    started = time.perf_counter()
    fetch()
    first = (time.perf_counter() - started) * 1000
    if first > budget * 1000 / 3:  # too slow to repeat within the budget: one sample
        return first, first, -1, first
    fetch()
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> object:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fetch()
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < repeat and time.perf_counter() < deadline:
        started = time.perf_counter()
        fetch()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, len(statements), first


def _targets(username: str) -> list[tuple[str, str, dict[str, str]]]:
    """(label, path, query) for one user, picked from what that user can see."""
    from django.contrib.auth import get_user_model

    from doorstep.cases.filters import CaseFilter
    from doorstep.cases.selectors import cases_visible_to
    from doorstep.core import crypto
    from doorstep.core.keyset import cursor_after
    from doorstep.places.selectors import residents_visible_to

    user = get_user_model().objects.get(username=username)
    visible = cases_visible_to(user)
    newest = visible.order_by("-created_at", "-pk").first()
    deep = visible.order_by("created_at", "pk")[60:61].first()  # a page near the very end
    resident = residents_visible_to(user).exclude(phone_hash="").filter(cases__isnull=False)
    phone = crypto.decrypt(resident.first().phone_encrypted) if resident.exists() else ""  # type: ignore[union-attr]
    targets: list[tuple[str, str, dict[str, str]]] = [
        ("desk home", "/desk/", {}),
        ("case list, first page", "/desk/cases/", {}),
    ]
    if deep is not None:
        digest = CaseFilter().digest(user, "desk")
        cursor = cursor_after(deep, digest=digest)
        targets.append(("case list, deep cursor", "/desk/cases/", {"cursor": cursor}))
    targets += [
        ("case list, text 路灯", "/desk/cases/", {"q": "路灯"}),
        ("case list, phone", "/desk/cases/", {"q": phone}),
    ]
    if newest is not None:
        targets += [
            ("case list, tracking code", "/desk/cases/", {"q": newest.tracking_code}),
            ("case detail", f"/desk/cases/{newest.pk}/", {}),
        ]
    targets += [
        ("resident lookup, phone", "/desk/residents/", {"q": phone}),
        ("resident lookup, name", "/desk/residents/", {"q": "王"}),
        ("/api/v1/cases", "/api/v1/cases", {}),
        ("/api/v1/cases, overdue", "/api/v1/cases", {"view": "overdue"}),
    ]
    id_tail = _id_tail(user)
    if id_tail:
        targets.insert(5, ("case list, ID last 4", "/desk/cases/", {"q": id_tail}))
    if username != "desk":
        targets += _summary_targets(username)
    return targets


def _summary_targets(username: str) -> list[tuple[str, str, dict[str, str]]]:
    """社区概览 (30 days and a year; the district's streets and one street's communities),
    the dashboard in every period, the scorecards."""
    from django.utils import timezone

    from doorstep.ops.demo import STREET
    from doorstep.places.models import Street

    today = timezone.localdate()
    targets: list[tuple[str, str, dict[str, str]]] = [
        ("community overview", "/community/", {"days": "30"}),
        ("community overview, year", "/community/", {"days": "365"}),
    ]
    if username == "district":
        street = str(Street.objects.get(name=STREET).pk)
        targets.append(("overview, one street", "/community/", {"days": "30", "street": street}))
    for kind in ("day", "week", "month", "quarter", "year"):
        targets.append((f"dashboard, {kind}", "/dashboard/", {"period": kind}))
    start = (today.replace(day=1) - timedelta(days=200)).replace(day=15)
    custom = {"period": "custom", "start": start.isoformat(), "end": today.isoformat()}
    targets += [
        ("dashboard, custom ~7 months", "/dashboard/", custom),
        ("dashboard, workers", "/dashboard/workers/", {}),
    ]
    return targets


def _id_tail(user: "User") -> str:
    """The last four of an ID number of a resident this user can see, or "" (the generator
    writes no ID numbers; the demo's residents have them)."""
    from doorstep.core import crypto
    from doorstep.places.selectors import residents_visible_to

    resident = residents_visible_to(user).exclude(id_number_encrypted="").first()
    return crypto.decrypt(resident.id_number_encrypted)[-4:] if resident else ""


def _open311_target() -> tuple[str, str, dict[str, str]]:
    from doorstep.interop.models import Open311Client, api_key_hash
    from doorstep.interop.services import open311_client_create
    from doorstep.ops.demo import STREET
    from doorstep.places.models import Street

    if not Open311Client.objects.filter(api_key_hash=api_key_hash(O311_KEY)).exists():
        open311_client_create("基准测试", street=Street.objects.get(name=STREET), key=O311_KEY)
    return ("Open311 requests.json", "/open311/v2/requests.json", {"api_key": O311_KEY})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="time budget per page")
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument(
        "--only",
        default="",
        help="time only pages whose label has one of these (comma-separated: dashboard,overview)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import OperationalError, connection
    from django.db.backends.signals import connection_created
    from django.test import Client

    from doorstep.cases.models import Case

    settings.DEBUG = False
    from doorstep.ops.warm import warm_up

    warm_up()

    def bound(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = '{TIMEOUT_S}s'")

    connection_created.connect(bound)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_case'")
        size = cursor.fetchone()[0] if connection.vendor == "postgresql" else Case.objects.count()
    load = os.getloadavg()
    print(f"{connection.vendor}, ~{size:,} cases, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(
        f"{'page':28s} {'user':10s} {'p50 ms':>8s} {'p95 ms':>8s} {'queries':>8s} {'first ms':>8s}"
    )
    o311 = _open311_target()
    for username in args.users.split(","):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        targets = _targets(username)
        if username == "street":
            targets.append(o311)
        for label, path, query in targets:
            if args.only and not any(part in label for part in args.only.split(",")):
                continue

            def fetch(
                path: str = path, query: dict[str, str] = query, client: "Client" = client
            ) -> "HttpResponseBase":
                # The resident look-up is a POST (a phone never goes in a URL).
                send = client.post if path == "/desk/residents/" else client.get
                response = send(path, query)
                assert response.status_code == 200, (path, response.status_code)
                return response

            try:
                p50, p95, queries, first = _time(fetch, args.repeat, args.seconds)
            except OperationalError as error:  # statement_timeout
                print(f"{label:28s} {username:10s} {'>' + str(TIMEOUT_S) + ' s':>8s} {error}")
                continue
            shown = "1 run" if queries < 0 else str(queries)
            print(
                f"{label:28s} {username:10s} {p50:8.1f} {p95:8.1f} {shown:>8s} {first:8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
