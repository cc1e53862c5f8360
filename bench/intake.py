"""Cases created per second, through the service layer and through HTTP (the desk's intake
page and the API), on the database DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/intake.py [--n 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/intake.py

It builds its own throw-away database (a temporary SQLite file, or a `<name>_bench` database on
PostgreSQL) and prints one line per path. Run by hand; nothing asserts on the figures.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")
os.environ.setdefault("DOORSTEP_VAR_DIR", tempfile.mkdtemp(prefix="doorstep-bench-"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500, help="cases per path")
    args = parser.parse_args()

    import django
    from django.test.utils import get_runner, setup_test_environment

    django.setup()
    setup_test_environment()
    from django.conf import settings
    from django.db import connection

    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        run(args.n, connection.vendor)
    finally:
        runner.teardown_databases(old)


def run(n: int, vendor: str) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from doorstep.api.models import ApiToken
    from doorstep.catalog.models import Category, ServiceItem
    from doorstep.catalog.seed_data import CATEGORIES, ITEMS
    from doorstep.catalog.selectors import item_search_text
    from doorstep.catalog.services import item_from_seed
    from doorstep.cases import services
    from doorstep.places.models import Community, District, StaffProfile, Street

    district = District.objects.create(name="基准区")
    street = Street.objects.create(district=district, name="基准街道")
    community = Community.objects.create(street=street, name="基准社区")
    categories = {c: Category.objects.create(code=c, name=name) for c, name in CATEGORIES}
    for row in ITEMS:
        item = item_from_seed(row, categories)
        if item.level != "department":
            item.search_text = item_search_text(item)
            item.save()
    user = get_user_model().objects.create_user("bench", password="bench-password")
    StaffProfile.objects.create(
        user=user, role="desk", display_name="基准", district=district, community=community
    )
    item = ServiceItem.objects.get(code="GOV-RESIDENCE-CERT")
    texts = ["我要开个居住证明，办医保用", "楼下路灯坏了好几天了", "下水道又堵了，厕所冒臭水"]

    started = time.perf_counter()
    for i in range(n):
        services.case_create(
            actor=user,
            data=services.Intake(
                community=community, channel="phone", description=texts[i % 3], item=item
            ),
        )
    report("service layer", vendor, n, time.perf_counter() - started)

    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    for i in range(n):
        response = client.post(
            "/desk/intake/",
            {"channel": "phone", "description": texts[i % 3], "item": item.pk},
        )
        assert response.status_code == 302, response.status_code
    report("HTTP intake page", vendor, n, time.perf_counter() - started)

    _, key = ApiToken.issue(user, "bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    started = time.perf_counter()
    for i in range(n):
        response = api.post(
            "/api/v1/cases",
            {"description": texts[i % 3], "channel": "app", "item_code": item.code},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    report("HTTP API /api/v1/cases", vendor, n, time.perf_counter() - started)


def report(path: str, vendor: str, n: int, seconds: float) -> None:
    print(f"{vendor:10s} {path:24s} {n:6d} cases {seconds:7.2f} s {n / seconds:8.1f} cases/s")


if __name__ == "__main__":
    main()
