"""Writes for cross-cutting concerns: the audit entries other floors record through. Imports
nothing above the ground floor (a resident's reveal lives in `places.services`)."""

import json
import logging
from datetime import datetime, timedelta
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.types import Actor

from .crypto import decrypt, encrypt, encrypt_bytes
from .models import AuditEntry, ExportJob, ExportPart

logger = logging.getLogger(__name__)


def personal_data_shown(
    *, actor: Actor, action: str, object_type: str, object_id: str, field: str, reason: str
) -> AuditEntry:
    """Record that a document showing personal data in full (e.g. a certificate with the ID
    number) was produced for this staff member."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        field=field,
        reason=reason[:200],
    )


def audit_record(
    *, actor: Actor, action: str, object_type: str, object_id: object, note: str
) -> None:
    """The one audit entry (审计记录) of a write whose own rows do not say who did it: a bulk
    import's (`places_import`, `catalogue_import`, `case_history_load`)."""
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        reason=str(note)[:200],
    )


def login_locked(*, username: str, by_address: bool) -> None:
    """Record a log-in lock: an audit entry on the account when it exists, a log line always
    (the username only; never the password, never the address)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username__iexact=username).first()
    logger.warning("log-in locked for 15 minutes: %s", "address" if by_address else "account")
    if user is not None:
        AuditEntry.objects.create(
            actor=user,
            action="login_locked",
            object_type="user",
            object_id=str(user.pk),
            reason=_("连续 5 次登录失败，锁定 15 分钟")
            + (_("（同一来源地址）") if by_address else ""),
        )


# ---------------------------------------------------------------- background exports (后台导出)

EXPORTS_OPEN_PER_USER = 3  # queued or running at once
EXPORT_PART_BYTES = 1 << 20
EXPORT_KEEP = timedelta(days=7)
EXPORT_STALLED = timedelta(hours=12)  # a running export older than this lost its worker


def export_job_request(
    *,
    actor: Actor,
    title: str,
    path: str,
    query: str,
    searches: dict[str, str],
    language: str,
) -> tuple[ExportJob, bool]:
    """Queue the export of the list at `path?query` for `actor` (its `searches`: the session's
    encrypted searches the query's token names). The same list asked for again while it is
    queued or running is that job, not a second one: returns (job, created). Raises
    ValidationError when the actor already has EXPORTS_OPEN_PER_USER exports in hand."""
    if not actor.is_active:
        raise PermissionDenied
    data = encrypt(json.dumps({"query": query, "searches": searches}, sort_keys=True))
    with transaction.atomic():
        open_jobs = list(
            ExportJob.objects.select_for_update()
            .filter(owner=actor, state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING])
            .order_by("id")
        )
        for job in open_jobs:
            if job.path == path and export_job_request_data(job) == (query, searches):
                return job, False
        if len(open_jobs) >= EXPORTS_OPEN_PER_USER:
            raise ValidationError(
                _("您已有 %(n)s 个导出正在进行，请等其中一个完成后再试。")
                % {"n": EXPORTS_OPEN_PER_USER}
            )
        job = ExportJob.objects.create(
            owner=actor, title=title[:100], path=path[:200], request_data=data, language=language
        )
        audit_record(
            actor=actor,
            action="export_requested",
            object_type="export_job",
            object_id=job.pk,
            note=f"{job.title} {job.path}",
        )
        transaction.on_commit(lambda: _export_enqueue(job.pk))
    return job, True


def _export_enqueue(job_id: int) -> None:
    from .tasks import export_job_task

    export_job_task.enqueue(job_id=job_id)


def export_job_request_data(job: ExportJob) -> tuple[str, dict[str, str]]:
    """(query string, kept searches) of a job, decrypted."""
    try:
        data = json.loads(decrypt(job.request_data) or "{}")
    except ValueError:
        data = {}
    searches = data.get("searches")
    return str(data.get("query", "")), dict(searches) if isinstance(searches, dict) else {}


def export_job_start(job_id: int) -> ExportJob | None:
    """Take a queued job (the worker): None when it is not queued any more."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != ExportJob.State.QUEUED:
            return None
        job.state = ExportJob.State.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["state", "started_at"])
    return job


def export_job_progress(job_id: int, rows: int) -> None:
    """Rows written so far, for the owner's page (one UPDATE every few thousand rows)."""
    ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING).update(rows=rows)


def export_job_store(job_id: int, source: IO[bytes], rows: int) -> ExportJob:
    """Keep the finished file (`source`, read from its start) in encrypted parts and mark the
    job done, in one transaction."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        job.parts.all().delete()
        size = 0
        number = 0
        while chunk := source.read(EXPORT_PART_BYTES):
            ExportPart.objects.create(job=job, number=number, data=encrypt_bytes(chunk))
            size += len(chunk)
            number += 1
        job.state = ExportJob.State.DONE
        job.rows, job.size, job.error = rows, size, ""
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "rows", "size", "error", "finished_at"])
    return job


def export_job_fail(job_id: int, reason: str) -> None:
    """The job could not be written (`reason` is shown to its owner)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return
        job.parts.all().delete()
        job.state = ExportJob.State.FAILED
        job.error = str(reason)[:200]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])


def exports_tick(now: datetime | None = None) -> int:
    """`doorstep tick`: files older than EXPORT_KEEP are deleted (the job stays, expired); a
    job running longer than EXPORT_STALLED lost its worker and is marked failed. Returns the
    number of jobs changed."""
    now = now or timezone.now()
    changed = 0
    with transaction.atomic():
        old = ExportJob.objects.filter(
            state=ExportJob.State.DONE, finished_at__lt=now - EXPORT_KEEP
        ).values_list("pk", flat=True)
        ids = list(old[:1000])
        ExportPart.objects.filter(job_id__in=ids).delete()
        changed += ExportJob.objects.filter(pk__in=ids).update(state=ExportJob.State.EXPIRED)
        stalled = ExportJob.objects.filter(
            state=ExportJob.State.RUNNING, started_at__lt=now - EXPORT_STALLED
        )
        changed += stalled.update(
            state=ExportJob.State.FAILED,
            error=_("导出中断（后台进程停止），请重新导出。"),
            finished_at=now,
        )
    return changed
