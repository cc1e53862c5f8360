"""高龄补贴 (elderly subsidy) pages: thin views over `services` (writes) and `selectors`
(reads)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from doorstep.core.exports import export_queryset, wants_xlsx
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.selectors import communities_for
from doorstep.programmes.web import (
    action,
    date_param,
    here,
    int_param,
    keyset_list,
    list_page,
    page_community,
    require_staff,
    xlsx_url,
)

from . import selectors, services
from .choices import CertificationMethod, CertificationResult, EnrolmentStatus
from .exports import BY_ENROLMENT, due_columns

# ---------------------------------------------------------------- elderly subsidy


@login_required
@keyset_list
def subsidy(request: HttpRequest) -> HttpResponseBase:
    """This quarter's due list (50 a page by cursor, one grid if asked), the home-visit list and
    the proposed enrolments (paged on their own cursor); `?format=xlsx` downloads the due list."""
    community = page_community(request)
    today = timezone.localdate()
    grids = selectors.grids_of(request.user).filter(community=community).order_by("pk")
    grid_id = int_param(request.GET.get("grid")) or None
    due = selectors.subsidy_due_list(request.user, community, today, grid_id)
    quarter = selectors.quarter_start(today)
    if wants_xlsx(request):
        name = _("%(c)s高龄补贴%(q)s待认证名单") % {
            "c": community.name,
            "q": selectors.quarter_label(quarter),
        }
        return export_queryset(request, due, due_columns(today), name, ordering=BY_ENROLMENT)
    params = {"community": str(community.pk), "grid": str(grid_id or "")}
    page = list_page(request, due, name="subsidy_due", params=params, ordering=BY_ENROLMENT)
    for enrolment in page.rows:
        enrolment.age = enrolment.resident.age_on(today)  # type: ignore[attr-defined]
    proposed = selectors.enrolments_visible_to(request.user).filter(
        community=community, status=EnrolmentStatus.PROPOSED
    )
    return render(
        request,
        "subsidy/index.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "grids": grids,
            "grid_id": grid_id,
            "page": page,
            "here": here(params),
            "home_visits": selectors.subsidy_home_visits(request.user, today).filter(
                community=community
            ),
            "proposed": list_page(
                request,
                proposed,
                name="subsidy_proposed",
                params=params,
                ordering=BY_ENROLMENT,
                cursor="pcursor",
            ),
            "quarter": selectors.quarter_label(quarter),
            "suspension_day": selectors.suspension_day(quarter),
            "today": today,
            "methods": CertificationMethod.choices,
            "results": CertificationResult.choices,
            "can_certify": access.may(request.user, "subsidy.work"),
            "can_propose": access.may(request.user, "subsidy.propose"),
            "can_confirm": access.may(request.user, "subsidy.confirm"),
            "xlsx_url": xlsx_url(request),
        },
    )


def _subsidy_back(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    """Back to the page the form was on: only a path on this site (no open redirect)."""
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("subsidy:index")


@action(_subsidy_back)
def subsidy_propose(request: HttpRequest) -> str:
    n = services.subsidy_propose(
        actor=request_actor(request), community_id=page_community(request).pk
    )
    return _("已从居民库生成 %(n)s 名建议对象，待书记确认。") % {"n": n}


@action(_subsidy_back)
def subsidy_confirm(request: HttpRequest) -> str:
    ids = [int_param(v) for v in request.POST.getlist("enrolment")]
    n = services.subsidy_confirm(actor=request_actor(request), enrolment_ids=ids)
    return _("已确认 %(n)s 名高龄补贴对象。") % {"n": n}


@action(_subsidy_back)
def subsidy_certify(request: HttpRequest, enrolment_id: int) -> str:
    certification = services.subsidy_certify(
        actor=request_actor(request),
        enrolment_id=enrolment_id,
        method=request.POST.get("method", ""),
        result=request.POST.get("result", CertificationResult.PASSED),
        note=request.POST.get("note", ""),
    )
    return _("已登记认证：%(m)s，%(r)s。") % {
        "m": certification.get_method_display(),
        "r": certification.get_result_display(),
    }


@action(_subsidy_back)
def subsidy_remind(request: HttpRequest) -> str:
    ids = [int_param(v) for v in request.POST.getlist("enrolment")]
    n = services.subsidy_remind(actor=request_actor(request), enrolment_ids=ids)
    return _("已标记提醒 %(n)s 人。") % {"n": n}


@login_required
def subsidy_report(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    today = timezone.localdate()
    quarter = date_param(request.GET.get("quarter"))
    quarter = selectors.quarter_start(quarter) if quarter else None
    report = selectors.subsidy_report(request.user, today, quarter)
    previous = selectors.quarter_start(report.quarter - timedelta(days=1))
    return render(
        request,
        "subsidy/report.html",
        {"report": report, "previous": previous, "today": today},
    )
