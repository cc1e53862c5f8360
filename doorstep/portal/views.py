"""The resident portal (居民端), mobile first: submit a request, track it by code, rate it."""

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.cases import selectors as case_selectors
from doorstep.cases import services
from doorstep.cases.choices import Channel
from doorstep.cases.selectors import case_by_tracking_code
from doorstep.cases.views import add_service_errors
from doorstep.core import throttle
from doorstep.places.models import Community
from doorstep.routing.services import safe_auto_route

from . import services as portal_services
from .forms import PhoneForm, RateForm, SubmitForm

# The rating in words (满意度), best first: the stored score is still 1–5.
RATING_LEVELS = [
    (5, gettext_lazy("很满意")),
    (4, gettext_lazy("满意")),
    (3, gettext_lazy("一般")),
    (2, gettext_lazy("不满意")),
    (1, gettext_lazy("很不满意")),
]


def home(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (
        refused := throttle.refuse_if_too_many(request, "submit", throttle.PORTAL_SUBMITS)
    ):
        return refused
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # routed like the desk: the same router and threshold (below it a person looks)
        item, confidence = safe_auto_route(data["description"], data["community"])
        try:
            case = services.case_create(
                actor=None,
                data=services.Intake(
                    community=data["community"],
                    channel=Channel.PORTAL,
                    description=data["description"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    item=item,
                    suggested_item=item,
                    routing_confidence=confidence,
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


MINE_SESSION = "portal_mine"
MINE_LIFETIME = 30 * 60  # seconds a proven phone stays proven in this browser


def _proven_phone_hash(request: HttpRequest) -> str:
    saved = request.session.get(MINE_SESSION) or {}
    if not saved or saved.get("until", 0) < time.time():
        return ""
    return str(saved.get("hash", ""))


def mine(request: HttpRequest) -> HttpResponse:
    """ "My requests" (我的诉求): prove a phone with a one-time SMS code, then see every case
    left under it. The phone travels only in POST bodies, never in a URL."""
    form = PhoneForm(request.POST or None)
    step = "phone"
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "leave":
            request.session.pop(MINE_SESSION, None)
            return redirect("portal_mine")
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                if action == "check":
                    step = "code"
                    phone_hash = portal_services.phone_code_check(phone, form.cleaned_data["code"])
                    request.session[MINE_SESSION] = {
                        "hash": phone_hash,
                        "until": time.time() + MINE_LIFETIME,
                    }
                    return redirect("portal_mine")
                portal_services.phone_code_send(phone)
                step = "code"
                messages.success(request, _("验证码已发送到您的手机，10 分钟内有效。"))
            except ValidationError as error:
                add_service_errors(form, error, {})
    phone_hash = _proven_phone_hash(request)
    return render(
        request,
        "portal/mine.html",
        {
            "form": form,
            "step": step,
            "proven": bool(phone_hash),
            "cases": case_selectors.cases_for_phone_hash(phone_hash) if phone_hash else [],
        },
    )


def track(request: HttpRequest, code: str = "") -> HttpResponse:
    code = (code or request.GET.get("code", "")).strip()[:20]
    if code and (
        refused := throttle.refuse_if_too_many(request, "track", throttle.TRACKING_LOOKUPS)
    ):
        return refused
    case = case_by_tracking_code(code) if code else None
    if code and case is None:
        messages.error(
            request, _("没有找到查询码为 %(code)s 的事项，请核对后重试。") % {"code": code}
        )
        return redirect("portal_home")
    if case is None:
        return redirect("portal_home")
    events = case_selectors.resident_timeline(case)
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
            "rate_form": rate_form,
            "rated": hasattr(case, "rating"),
            "levels": RATING_LEVELS,
            "rate_fields": [("attitude", _("服务态度")), ("capability", _("服务能力"))],
        },
    )
