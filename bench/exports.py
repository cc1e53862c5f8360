"""Wall time, CPU and peak RSS of the two ways a list becomes a spreadsheet, on the database
DATABASE_URL names (meant for PostgreSQL filled by `doorstep demo` and `doorstep scale-data`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_big2 python bench/exports.py page [--days 17]
    DATABASE_URL=… python bench/exports.py background [--username district] [--status closed]

`page`: the district's dashboard tile list 受理量 for the last `--days` days of the data through
Django's test Client with `format=xlsx` — the export answered in the request (up to 100,000
rows; target ≤ 30 s, ≤ 300 MB RSS).

`background`: the case list of `--username` (optionally one `--status`) as a background export
(后台导出): the job is queued through the service and run in this process as `doorstep worker`
runs it (the list replayed, every row written a million to a sheet, the file stored in encrypted
parts); prints rows, sheets' size, parts and the time to store them; the job is deleted after.

Run each in its own process (peak RSS is per process). DEBUG off. Nothing asserts on the figures.
"""

import argparse
import os
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorstep.settings")
os.environ["DEBUG"] = "0"


def _usage(started: float, cpu: float) -> str:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"wall {time.perf_counter() - started:.1f} s  cpu {time.process_time() - cpu:.1f} s  "
        f"peak RSS {peak:.0f} MB"
    )


def page(days: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from doorstep.cases.models import Case

    newest = Case.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    assert newest is not None, "no cases"
    end = newest.date()
    start = end - timedelta(days=days - 1)
    client = Client()
    client.force_login(get_user_model().objects.get(username="district"))
    params = {"kpi": "received", "period": "custom", "start": str(start), "end": str(end)}
    started, cpu = time.perf_counter(), time.process_time()
    response: Any = client.get("/dashboard/cases/", {**params, "format": "xlsx"})
    if response.status_code == 302:  # above the page export's limit: made a background job
        sys.exit(
            f"{start}…{end}: the list is too long to export in the request and went to a "
            f"background export ({response['Location']}); try fewer --days, or `background`."
        )
    size = sum(len(chunk) for chunk in response.streaming_content)
    usage = _usage(started, cpu)
    rows = Case.objects.filter(created_at__date__range=(start, end)).count()  # after the timing
    print(
        f"page export {start}…{end}: status {response.status_code}, {rows:,} rows, "
        f"{size / 1e6:.1f} MB"
    )
    print(usage)


def background(username: str, status: str) -> None:
    from django.contrib.auth import get_user_model

    from doorstep.core.export_jobs import export_job_run
    from doorstep.core.models import ExportJob, ExportPart
    from doorstep.core.services import export_job_request

    user = get_user_model().objects.get(username=username)
    query = f"status={status}&format=xlsx" if status else "format=xlsx"
    job, created = export_job_request(
        actor=user, title="bench", path="/desk/cases/", query=query, searches={}, language="zh-hans"
    )
    if not created:
        sys.exit(f"job {job.pk} for this list is {job.state} already (another bench running?)")
    started, cpu = time.perf_counter(), time.process_time()
    state = export_job_run(job.pk)
    job.refresh_from_db()
    assert job.started_at is not None and job.finished_at is not None
    parts = ExportPart.objects.filter(job=job).count()
    print(
        f"background export as {username} ({query}): {state}, {job.rows:,} rows, "
        f"{job.size / 1e6:.1f} MB in {parts} parts, {job.error}"
    )
    print(_usage(started, cpu))
    ExportJob.objects.filter(pk=job.pk).delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["page", "background"])
    parser.add_argument("--days", type=int, default=17)
    parser.add_argument("--username", default="district")
    parser.add_argument("--status", default="")
    args = parser.parse_args()
    import django

    django.setup()
    if args.mode == "page":
        page(args.days)
    else:
        background(args.username, args.status)


if __name__ == "__main__":
    main()
