"""Reads of the ground floor: a user's background exports (后台导出) and a finished file's parts."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from .crypto import decrypt_bytes
from .models import ExportJob, ExportPart
from .types import Actor

OPEN_STATES = (ExportJob.State.QUEUED, ExportJob.State.RUNNING)


def export_jobs_for(actor: Actor) -> QuerySet[ExportJob]:
    """The actor's own exports, newest first (nobody sees another's: the file is theirs)."""
    return ExportJob.objects.filter(owner=actor).defer("request_data").order_by("-id")


def export_job_for(actor: Actor, job_id: int) -> ExportJob:
    """One of the actor's exports; ExportJob.DoesNotExist for anyone else's."""
    return export_jobs_for(actor).get(pk=job_id)


def export_file(job: ExportJob) -> Iterator[bytes]:
    """The finished file's bytes, one decrypted part at a time (memory stays at one part)."""
    number = -1
    while True:
        part = (
            ExportPart.objects.filter(job=job, number__gt=number)
            .order_by("number")
            .values_list("number", "data")
            .first()
        )
        if part is None:
            return
        number = part[0]
        yield decrypt_bytes(bytes(part[1]))
