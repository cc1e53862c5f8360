"""The ceiling for an intake: a POST view that writes one row and nothing else, served
through the project's own middleware and login, mounted next to the project's URLs."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from doorstep.core.models import AuditEntry
from doorstep.core.types import request_actor
from doorstep.urls import urlpatterns as project_urlpatterns


@login_required
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    AuditEntry.objects.create(
        actor=request_actor(request),
        action="bench",
        object_type="bench",
        object_id="1",
        reason=request.POST.get("description", "")[:200],
    )
    return HttpResponse(status=204)


@login_required
def bare_request(request: HttpRequest) -> HttpResponse:
    """No write at all: what any logged-in request costs before its view does anything."""
    return HttpResponse(status=204)


urlpatterns = [
    path("bench/bare/", bare_insert),
    path("bench/empty/", bare_request),
    *project_urlpatterns,
]
