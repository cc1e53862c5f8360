"""Suggestions while the worker types, and the admins' model page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doorstep.catalog.models import ServiceItem
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.models import Building, Compound
from doorstep.places.selectors import staff_profile

from . import services
from .models import RoutingModel

MODELS_SHOWN = 10  # the training history: the newest runs; the page says how many it shows


@login_required
def routing_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: top three catalogue items for what the resident said, with confidence and why."""
    profile = staff_profile(request.user)
    if profile is None:
        raise PermissionDenied
    community = profile.community
    compound = Compound.objects.filter(
        pk=request.POST.get("compound") or 0, community=community
    ).first()
    building = Building.objects.filter(
        pk=request.POST.get("building") or 0, compound=compound
    ).first()
    found = services.suggest(
        request.POST.get("description", ""),
        community=community,
        compound=compound,
        building=building,
    )
    return render(
        request,
        "routing/_suggestions.html",
        {"suggestions": found, "threshold": services.CONFIDENCE_THRESHOLD},
    )


@login_required
def routing_admin(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "routing.admin", _("只有区级管理员可以管理分派模型。"))
    if request.method == "POST":
        if services.retrain_in_background(actor=request_actor(request)):
            messages.success(request, _("已开始重新训练，完成后自动切换为新模型。"))
        else:
            messages.warning(request, _("已有训练在进行中。"))
        return redirect("routing_admin")
    live = RoutingModel.objects.first()
    names = dict(ServiceItem.objects.values_list("code", "name"))
    confused = [
        (names.get(truth, truth), names.get(predicted, predicted), n)
        for truth, predicted, n in (live.metrics.get("confused", []) if live else [])
    ]
    return render(
        request,
        "routing/admin.html",
        {
            "models": RoutingModel.objects.all()[:MODELS_SHOWN],
            "models_shown": MODELS_SHOWN,
            "live": live,
            "confused": confused,
            "pending": services.confirmations_since_last_training(),
            "threshold": services.CONFIDENCE_THRESHOLD,
            "retrain_after": services.RETRAIN_AFTER_CONFIRMATIONS,
        },
    )
