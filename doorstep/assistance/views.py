"""综合帮扶 (comprehensive assistance) pages: thin views over `services` (writes) and `selectors`
(reads)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.exports import export_queryset, wants_xlsx
from doorstep.core.types import request_actor
from doorstep.places.selectors import communities_for
from doorstep.programmes.web import (
    action,
    back_with_community,
    date_param,
    here,
    int_param,
    keyset_list,
    list_page,
    page_community,
    xlsx_url,
)

from . import selectors, services
from .choices import ApplicationStatus, AssistanceKind, HouseholdCategory, Vote
from .exports import BY_APPLIED, application_columns
from .models import PanelMember

# ---------------------------------------------------------------- assistance


@login_required
@keyset_list
def assistance(request: HttpRequest) -> HttpResponseBase:
    """One community's applications, 50 a page by cursor, optionally one status; `?format=xlsx`
    downloads the filtered list. Secretary, street and district only (403 for the others)."""
    community = page_community(request, "assistance")
    status = request.GET.get("status", "")
    status = status if status in ApplicationStatus.values else ""
    applications = selectors.applications_list(request.user, community, status)
    if wants_xlsx(request):
        name = _("%(c)s综合帮扶台账") % {"c": community.name}
        return export_queryset(
            request, applications, application_columns(), name, ordering=BY_APPLIED
        )
    params = {"community": str(community.pk), "status": status}
    return render(
        request,
        "assistance/index.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "page": list_page(
                request, applications, name="assistance", params=params, ordering=BY_APPLIED
            ),
            "here": here(params),
            "status": status,
            "xlsx_url": xlsx_url(request),
            "members": PanelMember.objects.filter(community=community, active=True),
            "kinds": AssistanceKind.choices,
            "categories": HouseholdCategory.choices,
            "today": timezone.localdate(),
        },
    )


@action(back_with_community("assistance:index"))
def assistance_apply(request: HttpRequest) -> str:
    p = request.POST
    application = services.assistance_apply(
        actor=request_actor(request),
        data=services.ApplicationData(
            community_id=page_community(request, "assistance").pk,
            applicant_name=p.get("applicant_name", ""),
            kind=p.get("kind", ""),
            household_category=p.get("household_category", ""),
            hardship=p.get("hardship", ""),
            documents=p.get("documents", ""),
            amount_requested=p.get("amount_requested", ""),
            applied_on=date_param(p.get("applied_on")),
        ),
    )
    return _("已登记 %(name)s 的申请，提交评议小组。") % {"name": application.applicant_name}


@action(back_with_community("assistance:index"))
def panel_member_add(request: HttpRequest) -> str:
    member = services.panel_member_add(
        actor=request_actor(request),
        community_id=page_community(request, "assistance").pk,
        name=request.POST.get("name", ""),
        note=request.POST.get("note", ""),
    )
    return _("已添加评议成员 %(name)s。") % {"name": member.name}


@login_required
def assistance_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        selectors.applications_visible_to(request.user), pk=application_id
    )
    voted = set(application.votes.values_list("member_id", flat=True))
    return render(
        request,
        "assistance/detail.html",
        {
            "a": application,
            "votes": application.votes.select_related("member", "recorded_by__staff"),
            "waiting": PanelMember.objects.filter(
                community=application.community, active=True
            ).exclude(pk__in=voted),
            "outcome": services.panel_outcome(list(application.votes.all())),
            "disbursements": application.disbursements.select_related("approved_by__staff"),
            "vote_choices": Vote.choices,
            "today": timezone.localdate(),
        },
    )


def _application_back(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    return reverse("assistance:detail", kwargs={"application_id": kwargs["application_id"]})


@action(_application_back)
def assistance_vote(request: HttpRequest, application_id: int) -> str:
    p = request.POST
    services.assistance_vote(
        actor=request_actor(request),
        application_id=application_id,
        member_id=int_param(p.get("member")),
        vote=p.get("vote", ""),
        amount=p.get("amount") or None,
        comment=p.get("comment", ""),
        conflict_note=p.get("conflict_note", ""),
    )
    return _("已记录评议意见。")


@action(_application_back)
def assistance_decide(request: HttpRequest, application_id: int) -> str:
    application = services.assistance_decide(
        actor=request_actor(request),
        application_id=application_id,
        reason=request.POST.get("reason", ""),
    )
    return _("评议结果：%(s)s。") % {"s": application.get_status_display()}


@action(_application_back)
def assistance_disburse(request: HttpRequest, application_id: int) -> str:
    payment = services.assistance_disburse(
        actor=request_actor(request),
        application_id=application_id,
        amount=request.POST.get("amount", ""),
        paid_on=date_param(request.POST.get("paid_on")),
        note=request.POST.get("note", ""),
    )
    return _("已登记发放 ¥%(a)s。") % {"a": payment.amount}


@login_required
def assistance_summary(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = date_param(request.GET.get("start"), date(today.year, 1, 1)) or today
    end = date_param(request.GET.get("end"), today) or today
    summary = selectors.assistance_summary(request.user, start, end)
    return render(
        request,
        "assistance/summary.html",
        {
            "s": summary,
            "years": [today.year - n for n in range(4)],
            "two_years": (date(today.year - 2, 1, 1), date(today.year - 1, 12, 31)),
        },
    )
