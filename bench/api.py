"""Cases created per second through Open311 POST (/open311/v2/requests.json), on the database
DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/api.py [--n 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/api.py

Like bench/intake.py it builds a throw-away test database and prints one line per path.
Notifications are queued on the database backend as in production (no worker runs).
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
    from django.test import Client

    from doorstep.catalog.models import Category
    from doorstep.catalog.seed_data import CATEGORIES, ITEMS
    from doorstep.catalog.selectors import item_search_text
    from doorstep.catalog.services import item_from_seed
    from doorstep.interop.models import Open311Client
    from doorstep.places.models import Community, Compound, District, Street

    district = District.objects.create(name="基准区")
    street = Street.objects.create(district=district, name="基准街道")
    community = Community.objects.create(street=street, name="基准社区")
    for i in range(10):
        Compound.objects.create(
            community=community,
            name=f"基准{i + 1}号院",
            latitude=31.2 + i * 0.001,
            longitude=121.6 + i * 0.001,
        )
    categories = {c: Category.objects.create(code=c, name=name) for c, name in CATEGORIES}
    for row in ITEMS:
        item = item_from_seed(row, categories)
        if item.level != "department":
            item.search_text = item_search_text(item)
            item.save()
    Open311Client.issue("基准应用", street=street, key="bench-key")
    texts = ["我要开个居住证明，办医保用", "楼下路灯坏了好几天了", "下水道又堵了，厕所冒臭水"]
    client = Client()

    def post(i: int, location: dict[str, str]) -> None:
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": "bench-key",
                "service_code": "GOV-RESIDENCE-CERT",
                "description": texts[i % 3],
                "phone": "13812345678",
                **location,
            },
        )
        assert response.status_code == 200, response.content

    for label, location in (
        ("Open311 POST lat/long", {"lat": "31.2031", "long": "121.6029"}),
        ("Open311 POST address", {"address_string": "基准街道基准7号院3号楼"}),
    ):
        started = time.perf_counter()
        for i in range(n):
            post(i, location)
        report(label, vendor, n, time.perf_counter() - started)


def report(path: str, vendor: str, n: int, seconds: float) -> None:
    print(f"{vendor:10s} {path:24s} {n:6d} cases {seconds:7.2f} s {n / seconds:8.1f} cases/s")


if __name__ == "__main__":
    main()
