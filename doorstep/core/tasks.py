"""Background work of the ground floor, on the project's task queue (`doorstep worker` runs it):
background exports (后台导出). A web request only enqueues."""

from __future__ import annotations

from django_tasks import task


@task()
def export_job_task(job_id: int) -> str:
    """Write the export `job_id` (see `core.export_jobs`)."""
    from .export_jobs import export_job_run

    return export_job_run(job_id)
