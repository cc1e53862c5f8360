"""Running a background export (后台导出) in `doorstep worker`: the list's own view is called
again with the owner signed in, the job's query string and the search its token stood for, and
`core.exports.export_queryset` writes every row to the job's file instead of answering a page.
So the file holds exactly what the owner's screen listed — same scope, same filters, same
columns and masking — and the owner's access is checked again when the export runs (a worker
moved to another community meanwhile exports the new community's rows, or nothing).

Writes go through `core.services` (start, progress, store, fail)."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.messages.storage.base import BaseStorage, Message
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ExportJob
from .personal_search import SESSION_KEY
from .services import (
    export_job_fail,
    export_job_progress,
    export_job_request_data,
    export_job_start,
    export_job_store,
)
from .types import Actor

logger = logging.getLogger(__name__)


@dataclass
class ExportSink:
    """Where `export_queryset` writes when it runs inside a background export."""

    job_id: int
    path: str
    rows: int | None = None

    def progress(self, rows: int) -> None:
        export_job_progress(self.job_id, rows)


class _NoMessages(BaseStorage):
    """The replayed view's flash messages go nowhere (nobody is looking at that page)."""

    def _get(self, *args: Any, **kwargs: Any) -> tuple[list[Message], bool]:
        return [], True

    def _store(
        self, messages: list[Message], response: Any, *args: Any, **kwargs: Any
    ) -> list[Message]:
        return []


def _host() -> str:
    """A host name the site answers to (a view may build an absolute link)."""
    named = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    return named[0] if named else "localhost"


def _owner(job: ExportJob) -> Actor:
    """The owner as a request would sign them in (the first authentication backend: an
    account that was deactivated meanwhile is nobody)."""
    backend = load_backend(settings.AUTHENTICATION_BACKENDS[0])
    user = backend.get_user(job.owner_id)
    if not isinstance(user, Actor):
        raise PermissionDenied
    return user


def replay_request(job: ExportJob, sink: ExportSink) -> HttpRequest:
    """A GET of the job's list as its owner, carrying the sink."""
    query, searches = export_job_request_data(job)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": job.path,
            "QUERY_STRING": query,
            "SERVER_NAME": _host(),
            "SERVER_PORT": "80",
            "wsgi.input": BytesIO(),
            "wsgi.url_scheme": "http",
        }
    )
    request.user = _owner(job)
    request.session = {SESSION_KEY: searches}  # type: ignore[assignment]
    request._messages = _NoMessages(request)  # type: ignore[attr-defined]
    request.export_sink = sink  # type: ignore[attr-defined]
    return request


def export_job_run(job_id: int) -> str:
    """Run one queued export; returns its end state ('skipped' when it was not queued)."""
    job = export_job_start(job_id)
    if job is None:
        return "skipped"
    with (
        translation.override(job.language or "zh-hans"),
        tempfile.NamedTemporaryFile(prefix="doorstep-export-", suffix=".xlsx") as spool,
    ):
        sink = ExportSink(job.pk, spool.name)
        reason = _("导出失败：这个列表现在无法导出（账号或权限可能已变更）。")
        try:
            match = resolve(job.path)
            request = replay_request(job, sink)
            request.resolver_match = match
            response = match.func(request, *match.args, **match.kwargs)
            status = response.status_code
        except (Resolver404, Http404, PermissionDenied):
            status = 404
        except Exception:
            logger.exception("background export %s failed", job.pk)
            export_job_fail(job.pk, _("导出失败：写文件时出错，请重新导出或缩小范围。"))
            return ExportJob.State.FAILED
        if sink.rows is None or status != 200:
            export_job_fail(job.pk, reason)
            return ExportJob.State.FAILED
        with open(sink.path, "rb") as source:
            export_job_store(job.pk, source, sink.rows)
    return ExportJob.State.DONE
