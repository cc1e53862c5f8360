"""What the five programme apps' views share: the community a page is about, bounded request
parameters, the keyset-paged list with its export link, and the POST-one-service-then-redirect
pattern every programme form uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core.exports import list_refused
from doorstep.core.keyset import CursorError, Ordering, Page, paginate, query_digest
from doorstep.core.parsing import bounded_date, bounded_int
from doorstep.places import access
from doorstep.places.models import Community, StaffProfile

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


def error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def require_staff(request: HttpRequest, permission: str = "programmes.view") -> StaffProfile:
    """The worker's post if it may open this programme page; otherwise 403."""
    return access.require(request.user, permission, _("您的岗位无权查看此页面。"))


def page_community(request: HttpRequest, permission: str = "programmes.view") -> Community:
    """The community a page is about: the worker's own, or `?community=` within their area.
    A community that is not the one they may work on does not exist for them (404), also for
    a community worker asking for a community other than their own."""
    require_staff(request, permission)
    wanted = int_param(request.GET.get("community") or request.POST.get("community")) or None
    community = access.working_community(request.user, wanted)
    if community is None or (wanted is not None and community.pk != wanted):
        raise Http404
    return community


def date_param(value: str | None, default: date | None = None) -> date | None:
    return bounded_date(value) or default


def int_param(value: str | None) -> int:
    return bounded_int(value, 0) or 0


def action(back: Callable[[HttpRequest, dict[str, Any]], str]) -> Callable[..., Any]:
    """A POST that calls one service: errors become a message, missing objects a 404."""

    def decorate(view: Callable[..., str]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        @require_POST
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                message = view(request, **kwargs)
            except ValidationError as error:
                messages.error(request, error_text(error))
            except ObjectDoesNotExist:
                raise Http404 from None
            else:
                if message:
                    messages.success(request, message)
            return redirect(back(request, kwargs))

        return wrapper

    return decorate


def back_with_community(name: str) -> Callable[[HttpRequest, dict[str, Any]], str]:
    def back(request: HttpRequest, kwargs: dict[str, Any]) -> str:
        url = reverse(name)
        community = int_param(request.POST.get("community"))
        return f"{url}?community={community}" if community else url

    return back


# ---------------------------------------------------------------- long lists


def list_page(
    request: HttpRequest,
    qs: QuerySet[M],
    *,
    name: str,
    params: dict[str, str],
    ordering: Ordering,
    cursor: str = "cursor",
) -> Page[M]:
    """One keyset page (50 rows) of a programme list, with its total ("共 N 条"). The cursor
    is bound to the list, its filters on screen (`params`) and the user."""
    digest = query_digest("programmes", name, request.user.pk, *sorted(params.items()))
    return paginate(
        qs, cursor=request.GET.get(cursor), digest=digest, ordering=ordering, size=PAGE_SIZE
    )


def keyset_list(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A list page whose cursor is forged, stale or from other filters: a 400 page that says
    so and links back to the first page, never a 500 and never rows."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except CursorError as error:
            params = request.GET.copy()
            for key in [k for k in params if k.endswith("cursor")]:
                params.pop(key)
            back = f"{request.path}?{params.urlencode()}"
            return list_refused(request, _("翻页参数有误"), " ".join(error.messages), back)

    return wrapper


def here(params: dict[str, str]) -> str:
    """The filters on screen as a query string (pager links keep them)."""
    return urlencode({k: v for k, v in params.items() if v})


def xlsx_url(request: HttpRequest) -> str:
    """This page's address with its filters and `format=xlsx` (the list's export link): the
    same rows as on screen, every page of them."""
    params = request.GET.copy()
    for key in [k for k in params if k.endswith("cursor")]:
        params.pop(key)
    params["format"] = "xlsx"
    return f"{request.path}?{params.urlencode()}"
