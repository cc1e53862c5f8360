"""The programmes' hub page (民生项目): one card per programme the worker may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doorstep.places import access

from .web import require_staff


@login_required
def index(request: HttpRequest) -> HttpResponse:
    profile = require_staff(request)
    return render(
        request,
        "programmes/index.html",
        {"profile": profile, "can_assist": access.may(request.user, "assistance")},
    )
