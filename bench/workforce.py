"""The workforce compliance view at district scale: 36 streets, 1,285 communities, ~15,000
workers with certificates and yearly training hours. Prints p50/p95 of the grouped query and
of the whole page, for the district admin and for one street.

    python bench/workforce.py [--n 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_work python bench/workforce.py

Like the other benchmarks it builds a throw-away test database (test_<name> on PostgreSQL).
The rows are bulk-inserted (a benchmark fixture, not application data).
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from common import main

STREETS = 36
COMMUNITIES = 1285
WORKERS = 15000


def build() -> tuple[Any, Any]:
    from django.contrib.auth.models import User

    from doorstep.places.models import Community, District, StaffProfile, Street
    from doorstep.workforce.models import Certificate, TrainingYear, WorkerRecord

    rng = random.Random(1285)
    today = date.today()
    district = District.objects.create(name="基准新区")
    streets = Street.objects.bulk_create(
        [Street(district=district, name=f"基准街道{i}") for i in range(STREETS)]
    )
    communities = Community.objects.bulk_create(
        [Community(street=streets[i % STREETS], name=f"基准社区{i}") for i in range(COMMUNITIES)]
    )
    users = User.objects.bulk_create([User(username=f"w{i}") for i in range(WORKERS)])
    roles = ["desk", "desk", "grid", "grid", "grid", "secretary"]
    profiles, records = [], []
    for i, user in enumerate(users):
        community = communities[i % COMMUNITIES]
        role = roles[i % len(roles)]
        hired = today - timedelta(days=rng.randint(30, 4000))
        profiles.append(
            StaffProfile(
                user=user,
                role=role,
                display_name=f"职工{i}",
                district=district,
                street=community.street,
                community=community,
            )
        )
        records.append(
            WorkerRecord(
                user=user,
                district=district,
                street=community.street,
                community=community,
                name=f"职工{i}",
                post=role,
                hire_date=hired,
                birth_date=hired - timedelta(days=365 * rng.randint(22, 50)),
                certificate_deadline=hired + timedelta(days=730) if rng.random() < 0.8 else None,
                certified_until=today + timedelta(days=rng.randint(-200, 2000))
                if rng.random() < 0.75
                else None,
            )
        )
    StaffProfile.objects.bulk_create(profiles, batch_size=2000)
    WorkerRecord.objects.bulk_create(records, batch_size=2000)
    admin = User.objects.create(username="bench-district")
    StaffProfile.objects.create(user=admin, role="district", display_name="区", district=district)
    street_user = User.objects.create(username="bench-street")
    StaffProfile.objects.create(
        user=street_user, role="street", display_name="街", district=district, street=streets[0]
    )
    saved = list(WorkerRecord.objects.values_list("pk", flat=True))
    Certificate.objects.bulk_create(
        [
            Certificate(
                worker_id=pk,
                kind="community_worker",
                number=f"TJ{pk}",
                issued_on=today - timedelta(days=400),
                recorded_by=admin,
            )
            for pk in saved
            if pk % 4
        ],
        batch_size=2000,
    )
    TrainingYear.objects.bulk_create(
        [
            TrainingYear(worker_id=pk, year=today.year, hours=Decimal(rng.randint(0, 60)))
            for pk in saved
            if pk % 5
        ],
        batch_size=2000,
    )
    return admin, street_user


def timed(label: str, vendor: str, n: int, fn: Callable[[], object]) -> None:
    fn()  # warm
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(
        f"{vendor:10s} {label:34s} n={n:3d} p50 {statistics.median(samples):7.1f} ms"
        f"  p95 {p95:7.1f} ms"
    )


def run(n: int, vendor: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from doorstep.workforce import selectors

    started = time.perf_counter()
    admin, street_user = build()
    print(
        f"{vendor:10s} built {COMMUNITIES} communities, {WORKERS} workers"
        f" in {time.perf_counter() - started:.1f} s"
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    day = date.today()
    rule = selectors.TIANJIN
    rows = selectors.compliance_by_community(admin, day, rule)
    assert len(rows) == COMMUNITIES, len(rows)
    timed(
        "district: by street (36 rows)",
        vendor,
        n,
        lambda: selectors.compliance_by_street(admin, day, rule),
    )
    timed(
        "district: by community (1,285 rows)",
        vendor,
        n,
        lambda: selectors.compliance_by_community(admin, day, rule),
    )
    timed(
        "street: grouped query",
        vendor,
        n,
        lambda: selectors.compliance_by_community(street_user, day, rule),
    )
    district, street = Client(), Client()
    district.force_login(admin)
    street.force_login(street_user)
    with CaptureQueriesContext(connection) as ctx:
        assert district.get("/workforce/").status_code == 200
    print(f"{vendor:10s} district page queries: {len(ctx.captured_queries)}")
    timed("district: GET /workforce/ page", vendor, n, lambda: district.get("/workforce/"))
    timed(
        "district: xlsx of 1,285 communities",
        vendor,
        max(3, n // 5),
        lambda: district.get("/workforce/?format=xlsx"),
    )
    timed("street: GET /workforce/ page", vendor, n, lambda: street.get("/workforce/"))


if __name__ == "__main__":
    main(run)
