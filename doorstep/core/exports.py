"""A staff list as a spreadsheet (台账导出), the one pattern every list uses.

A list view keeps its filters in the query string; the same URL with `?format=xlsx` returns the
same rows as a file. The view builds its queryset once (scope + the list's filter definition)
and hands it here with the list's columns:

    if wants_xlsx(request):
        return export_queryset(request, qs, VISIT_COLUMNS, _("走访台账"), ordering=...)

Rows are read in keyset batches (`keyset.iterate`: no OFFSET, no server-side cursor) and written
by `xlsx.py`'s streaming sheet writer to a temporary file, so memory stays flat whatever the
size. Up to `MAX_ROWS` (100,000 rows take well under a proxy's 60 s, bench/xlsx.py) the file
is the response. Above it, before any row is read, the export becomes a background export
(后台导出, `core.export_jobs`): the request queues a job and sends the user to 我的导出, where the
file appears when `doorstep worker` has written it — every row, a million to a sheet, so a
district's year does not time out or fill memory. A list with its own smaller `limit` (or a
request that cannot be replayed, e.g. a POST) is refused with a Chinese message instead.

Columns say how to turn one row into cells; masking personal data is the column's job
(`resident.phone_masked`, never the decrypted value), text escaping is `cells.escape_cell`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .cells import CellValue
from .keyset import NEWEST_FIRST, CursorError, Ordering, Page, iterate, paginate
from .personal_search import TOKEN_FIELD, kept_searches
from .services import export_job_request
from .types import request_actor
from .xlsx import write_xlsx, xlsx_response

R = TypeVar("R")
M = TypeVar("M", bound=Model)

MAX_ROWS = 100_000


@dataclass(frozen=True)
class Column(Generic[R]):
    """One spreadsheet column: its Chinese header and how to read it from a row."""

    header: str
    value: Callable[[R], CellValue]


def list_refused(request: HttpRequest, title: str, message: str, back: str) -> HttpResponse:
    """A 400 page for a list that cannot answer (too large to export, a stale cursor)."""
    context = {"title": title, "message": message, "back": back}
    return render(request, "core/list_refused.html", context, status=400)


class ListRefused(Exception):
    """A list that cannot answer (a forged or stale cursor): carries the 400 page to send."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def page_or_refuse(
    request: HttpRequest,
    qs: QuerySet[M],
    digest: str,
    ordering: Ordering,
    back: str,
    *,
    param: str = "cursor",
    size: int = 50,
    with_total: bool = True,
) -> Page[M]:
    """One keyset page of `size` rows of `qs` at the request's cursor (`param`: a page with
    two lists gives the second its own, e.g. `acursor`; `with_total` false skips the count);
    a forged, stale or foreign cursor raises `ListRefused` with the 400 page (views wrap
    themselves in `refusals`)."""
    try:
        return paginate(
            qs,
            cursor=request.GET.get(param),
            digest=digest,
            ordering=ordering,
            size=size,
            with_total=with_total,
        )
    except CursorError as error:
        page = list_refused(request, _("翻页参数有误"), " ".join(error.messages), back)
        raise ListRefused(page) from None


def refusals(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer a view's `ListRefused` with its 400 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ListRefused as refused:
            return refused.response

    return wrapper


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def export_rows(filename: str, columns: Sequence[Column[R]], rows: Iterable[R]) -> HttpResponseBase:
    """Rows already in memory or from any iterator (a list of computed scorecards)."""
    cells: Iterator[list[CellValue]] = ([c.value(r) for c in columns] for r in rows)
    return xlsx_response(filename, [str(c.header) for c in columns], cells)


def too_large(qs: QuerySet[M], limit: int) -> bool:
    """More than `limit` rows? (a count that stops at limit + 1)."""
    return qs.order_by()[: limit + 1].count() > limit


def export_queryset(
    request: HttpRequest,
    qs: QuerySet[M],
    columns: Sequence[Column[M]],
    filename: str,
    *,
    ordering: Ordering = NEWEST_FIRST,
    limit: int | None = None,
) -> HttpResponseBase:
    """The filtered, scoped `qs` as an xlsx download; above MAX_ROWS a background export (a
    redirect to 我的导出); above a list's own `limit` a 400 page saying to narrow it. Inside a
    background export (the worker's replay) every row is written to the job's file."""
    sink = getattr(request, "export_sink", None)
    if sink is not None:
        cells = ([c.value(r) for c in columns] for r in iterate(qs, ordering=ordering))
        headers = [str(c.header) for c in columns]
        sink.rows = write_xlsx(sink.path, filename, headers, cells, progress=sink.progress)
        return HttpResponse(status=200)
    if limit is None and request.method == "GET" and too_large(qs, MAX_ROWS):
        return _background(request, filename)
    limit = MAX_ROWS if limit is None else limit
    if too_large(qs, limit):
        message = _("导出超过 %(n)s 条，请缩小筛选范围（如按月份、社区或状态）后分批导出。") % {
            "n": f"{limit:,}"
        }
        return list_refused(request, _("导出范围过大"), message, _screen(request))
    return export_rows(filename, columns, iterate(qs, ordering=ordering))


def _screen(request: HttpRequest) -> str:
    """The list's own URL (the export's without `format`)."""
    params = request.GET.copy()
    params.pop("format", None)
    return f"{request.path}?{params.urlencode()}"


def _background(request: HttpRequest, filename: str) -> HttpResponseBase:
    """Queue the export and send the user to 我的导出 (or back, saying why not)."""
    token = request.GET.get(TOKEN_FIELD, "")
    kept = kept_searches(request)
    searches = {token: kept[token]} if token in kept else {}
    try:
        job, created = export_job_request(
            actor=request_actor(request),
            title=filename,
            path=request.path,
            query=request.GET.urlencode(),
            searches=searches,
            language=get_language() or "zh-hans",
        )
    except ValidationError as error:
        return list_refused(request, _("暂时无法导出"), " ".join(error.messages), _screen(request))
    if created:
        text = _("“%(title)s”超过 %(n)s 条，已转为后台导出；完成后在本页下载。")
    else:
        text = _("“%(title)s”已在后台导出中，完成后在本页下载。")
    messages.info(request, text % {"title": job.title, "n": f"{MAX_ROWS:,}"})
    return redirect("exports")
