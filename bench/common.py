"""Shared set-up for the benchmarks: a throw-away test database and a small world in it."""

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Django is set up by the bench itself, after these imports
    from doorstep.places.models import Community

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")
os.environ.setdefault("DOORSTEP_VAR_DIR", tempfile.mkdtemp(prefix="doorstep-bench-"))
# WhiteNoise warns about a missing STATIC_ROOT (VAR_DIR/static); the benches serve no files.
(Path(os.environ["DOORSTEP_VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)


def main(run: Callable[[int, str], None]) -> None:
    """Parse `--n`, build a test database (SQLite file or `test_<name>` on PostgreSQL), call
    `run(n, vendor)` and drop the database again."""
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


def base_world() -> "Community":
    """One district, street and community with the demo catalogue (department items left out)."""
    from doorstep.catalog.models import Category
    from doorstep.catalog.seed_data import CATEGORIES, ITEMS
    from doorstep.catalog.selectors import item_search_text
    from doorstep.catalog.services import item_from_seed
    from doorstep.places.models import Community, District, Street

    district = District.objects.create(name="基准区")
    street = Street.objects.create(district=district, name="基准街道")
    community = Community.objects.create(street=street, name="基准社区")
    categories = {c: Category.objects.create(code=c, name=name) for c, name in CATEGORIES}
    for row in ITEMS:
        item = item_from_seed(row, categories)
        if item.level != "department":
            item.search_text = item_search_text(item)
            item.save()
    return community


TEXTS = ["我要开个居住证明，办医保用", "楼下路灯坏了好几天了", "下水道又堵了，厕所冒臭水"]


def report(path: str, vendor: str, n: int, seconds: float) -> None:
    print(f"{vendor:10s} {path:24s} {n:6d} cases {seconds:7.2f} s {n / seconds:8.1f} cases/s")
