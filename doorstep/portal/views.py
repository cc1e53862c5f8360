"""The resident portal (居民端), mobile first: submit a request, track it by code, rate it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doorstep.cases import services
from doorstep.cases.choices import Channel, EventKind
from doorstep.cases.selectors import case_by_tracking_code
from doorstep.cases.views import add_service_errors
from doorstep.core import throttle
from doorstep.places.models import Community

from .forms import RateForm, SubmitForm

# What a resident sees of the timeline: the steps, not the workers' internal notes.
PUBLIC_EVENTS = {
    EventKind.CREATED,
    EventKind.SETTLED,
    EventKind.ACCEPTED,
    EventKind.ESCALATED,
    EventKind.TRANSFERRED,
    EventKind.REPLIED,
    EventKind.RESOLVED,
    EventKind.REJECTED,
    EventKind.REOPENED,
    EventKind.RATED,
    EventKind.CLOSED,
}
SHOWS_NOTE = {EventKind.REPLIED, EventKind.RESOLVED, EventKind.REJECTED, EventKind.SETTLED}


def _too_many(request: HttpRequest, key: str, rule: throttle.Limit) -> HttpResponse | None:
    """A per-address limit (限流): the Chinese 429 page once it is exceeded."""
    if throttle.allow(f"{key}:ip:{throttle.client_ip(request)}", rule):
        return None
    return render(request, "429.html", {}, status=429)


def home(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (
        refused := _too_many(request, "submit", throttle.PORTAL_SUBMITS)
    ):
        return refused
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=None,
                data=services.Intake(
                    community=data["community"],
                    channel=Channel.PORTAL,
                    description=data["description"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error, {})
        else:
            messages.success(request, _("已收到您的诉求，请记下查询码。"))
            return redirect("portal_track_code", code=case.tracking_code)
    return render(
        request,
        "portal/home.html",
        {"form": form, "communities": Community.objects.order_by("pk")},
    )


def track(request: HttpRequest, code: str = "") -> HttpResponse:
    code = (code or request.GET.get("code", "")).strip()[:20]
    if code and (refused := _too_many(request, "track", throttle.TRACKING_LOOKUPS)):
        return refused
    case = case_by_tracking_code(code) if code else None
    if code and case is None:
        messages.error(
            request, _("没有找到查询码为 %(code)s 的事项，请核对后重试。") % {"code": code}
        )
        return redirect("portal_home")
    if case is None:
        return redirect("portal_home")
    events = [e for e in case.events.all() if e.kind in PUBLIC_EVENTS]
    rate_form = RateForm(request.POST or None)
    if request.method == "POST" and rate_form.is_valid():
        try:
            services.case_rate(case_id=case.pk, **rate_form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("感谢您的评价！"))
        return redirect("portal_track_code", code=case.tracking_code)
    if request.method == "POST":
        messages.error(request, _("请为服务态度和服务能力各打 1 到 5 分。"))
    return render(
        request,
        "portal/track.html",
        {
            "case": case,
            "events": events,
            "shows_note": SHOWS_NOTE,
            "rate_form": rate_form,
            "rated": hasattr(case, "rating"),
        },
    )
