"""Demo data of the ground floor: one finished background export (后台导出) in the street's and
the district's 我的导出, written as the worker writes one (the list replayed as its owner)."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from .export_jobs import export_job_run
from .models import ExportJob
from .services import export_job_request

DEMO_EXPORTS = (
    ("street", "事项台账（已办结）", "/desk/cases/", "status=resolved&format=xlsx"),
    ("district", "事项台账", "/desk/cases/", "format=xlsx"),
)


def load_demo(log: Callable[[str], Any]) -> None:
    """Idempotent: a user who has an export already gets no other."""
    users = get_user_model().objects.filter(username__in=[u for u, *_ in DEMO_EXPORTS])
    by_name = {u.username: u for u in users}
    for username, title, path, query in DEMO_EXPORTS:
        user = by_name.get(username)
        if user is None or ExportJob.objects.filter(owner=user).exists():
            continue
        with transaction.atomic():
            job, _ = export_job_request(
                actor=user, title=title, path=path, query=query, searches={}, language="zh-hans"
            )
        state = export_job_run(job.pk)
        job.refresh_from_db()
        log(f"后台导出示例：{username} · {title} · {state} · {job.rows} 行")
