"""一元爱心基金 (love fund) pages: thin views over `services` (writes) and `selectors`
(reads)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.exports import export_queryset, wants_xlsx
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.models import Community
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
from .choices import DonationChannel
from .exports import BY_SEQ, ledger_columns

# ---------------------------------------------------------------- love fund


@login_required
@keyset_list
def fund(request: HttpRequest) -> HttpResponseBase:
    """The community's fund: totals, open requests and the ledger, 50 entries a page by cursor;
    `?format=xlsx` downloads the whole ledger."""
    community = page_community(request)
    entries = selectors.fund_entries(request.user, community)
    if wants_xlsx(request):
        name = _("%(c)s一元爱心基金台账") % {"c": community.name}
        return export_queryset(request, entries, ledger_columns(), name, ordering=BY_SEQ)
    params = {"community": str(community.pk)}
    can_approve = access.may(request.user, "fund.approve")
    return render(
        request,
        "fund/index.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "summary": selectors.fund_public_summary(community),
            "page": list_page(request, entries, name="fund", params=params, ordering=BY_SEQ),
            "here": here(params),
            "requests": selectors.fund_requests_open(request.user, community),
            "channels": DonationChannel.choices,
            "today": timezone.localdate(),
            "can_record": access.may(request.user, "fund.record"),
            "can_approve": can_approve,
            "can_see_recipient": can_approve,
            "xlsx_url": xlsx_url(request),
        },
    )


@action(back_with_community("fund:index"))
def fund_donate(request: HttpRequest) -> str:
    p = request.POST
    entry = services.fund_donation_record(
        actor=request_actor(request),
        community_id=page_community(request).pk,
        amount=p.get("amount", ""),
        day=date_param(p.get("day")) or timezone.localdate(),
        channel=p.get("channel", ""),
        donor_name=p.get("donor_name", ""),
        anonymous=bool(p.get("anonymous")),
        donor_count=max(int_param(p.get("donor_count")), 1),
    )
    return _("已登记捐款 ¥%(a)s（台账第 %(n)s 条）。") % {"a": entry.amount, "n": entry.seq}


@action(back_with_community("fund:index"))
def fund_request(request: HttpRequest) -> str:
    p = request.POST
    services.fund_disbursement_request(
        actor=request_actor(request),
        community_id=page_community(request).pk,
        amount=p.get("amount", ""),
        purpose=p.get("purpose", ""),
        recipient=p.get("recipient", ""),
        people_helped=max(int_param(p.get("people_helped")), 1),
        day=date_param(p.get("day")),
    )
    return _("支出申请已提交，待两位审批人审批。")


@action(back_with_community("fund:index"))
def fund_approve(request: HttpRequest, request_id: int) -> str:
    result = services.fund_disbursement_approve(actor=request_actor(request), request_id=request_id)
    return _("已审批：%(s)s。") % {"s": result.get_status_display()}


@action(back_with_community("fund:index"))
def fund_reject(request: HttpRequest, request_id: int) -> str:
    services.fund_disbursement_reject(
        actor=request_actor(request), request_id=request_id, reason=request.POST.get("reason", "")
    )
    return _("已驳回。")


def fund_public(request: HttpRequest, community_id: int) -> HttpResponse:
    """公示页 — anyone may see it; no names of donors or recipients."""
    community = get_object_or_404(Community.objects.select_related("street"), pk=community_id)
    return render(
        request,
        "fund/public.html",
        {"community": community, "summary": selectors.fund_public_summary(community, months=24)},
    )
