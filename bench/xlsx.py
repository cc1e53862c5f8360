"""How long and how much memory a 100,000-row xlsx export takes (target ≤ 30 s, ≤ 300 MB RSS).

Writes case-list-shaped rows through the same helper the pages use (`doorstep.core.xlsx`),
to a temporary file; prints seconds, peak RSS and file size. No database needed.

    python bench/xlsx.py [rows]
"""

import os
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")

import django  # noqa: E402

django.setup()

from doorstep.cases.exports import case_columns  # noqa: E402
from doorstep.core.xlsx import write_xlsx  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")


def rows(n: int):
    start = datetime(2025, 1, 1, 9, tzinfo=TZ)
    for i in range(n):
        at = start + timedelta(minutes=i)
        yield (
            f"K7QM-{i:04d}"[:9],
            at,
            "张骞社区",
            "来访",
            "居住证明",
            "我要开个居住证明办医保用，麻烦尽快" if i % 7 else "=1+1 看看会不会算",
            "王女士",
            "138****5678",
            "已办结",
            date(2025, 1, 10),
            at + timedelta(days=2),
            "李前台",
            "否",
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        written = write_xlsx(target, "事项台账", [c.header for c in case_columns()], rows(n))
        seconds = time.perf_counter() - started
        size = target.tell()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows {written}  seconds {seconds:.1f}  peak RSS {peak_mb:.0f} MB"
        f"  file {size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
