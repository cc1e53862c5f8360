"""The programmes' hub page (民生项目): one card per programme the worker may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .common import ASSISTANCE_VIEW_ROLES, require_role
from .web import STAFF_ROLES


@login_required
def index(request: HttpRequest) -> HttpResponse:
    profile = require_role(request.user, STAFF_ROLES)
    return render(
        request,
        "programmes/index.html",
        {"profile": profile, "can_assist": profile.role in ASSISTANCE_VIEW_ROLES},
    )
