"""What the five programme apps' views share: the community a page is about, bounded request
parameters, and the POST-one-service-then-redirect pattern every programme form uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from doorstep.core.parsing import bounded_date, bounded_int
from doorstep.places.choices import COMMUNITY_ROLES, Role
from doorstep.places.models import Community
from doorstep.places.selectors import communities_for

from .common import require_role

STAFF_ROLES = {Role.DESK, Role.GRID, Role.SECRETARY, Role.STREET, Role.DISTRICT}


def error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def page_community(request: HttpRequest, roles: set[Role] | None = None) -> Community:
    """The community a page is about: the worker's own, or `?community=` within their area."""
    profile = require_role(request.user, roles or STAFF_ROLES)
    if profile.role in COMMUNITY_ROLES and profile.community is not None:
        return profile.community
    wanted = int_param(request.GET.get("community") or request.POST.get("community"))
    visible = communities_for(request.user).order_by("pk")
    community = visible.filter(pk=wanted).first() if wanted else visible.first()
    if community is None:
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


def xlsx_url(request: HttpRequest) -> str:
    """This page's address with its filters and `format=xlsx` (the list's export link)."""
    params = request.GET.copy()
    params["format"] = "xlsx"
    return f"{request.path}?{params.urlencode()}"
