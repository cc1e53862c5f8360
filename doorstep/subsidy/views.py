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

from doorstep.core.types import request_actor
from doorstep.places.selectors import communities_for, staff_profile
from doorstep.programmes.common import require_role
from doorstep.programmes.exports import wants_xlsx
from doorstep.programmes.web import (
    STAFF_ROLES,
    action,
    date_param,
    int_param,
    page_community,
    xlsx_url,
)

from . import selectors, services
from .choices import CertificationMethod, CertificationResult, EnrolmentStatus
from .xlsx import due_xlsx

# ---------------------------------------------------------------- elderly subsidy


@login_required
def subsidy(request: HttpRequest) -> HttpResponseBase:
    community = page_community(request)
    profile = staff_profile(request.user)
    today = timezone.localdate()
    grids = selectors.grids_of(request.user).filter(community=community).order_by("pk")
    grid_id = int_param(request.GET.get("grid")) or None
    due = selectors.subsidy_due_list(request.user, community, today, grid_id)
    quarter = selectors.quarter_start(today)
    if wants_xlsx(request):
        return due_xlsx(community, selectors.quarter_label(quarter), due, today)
    rows = list(due[:300])
    for enrolment in rows:
        enrolment.age = enrolment.resident.age_on(today)  # type: ignore[attr-defined]
    return render(
        request,
        "subsidy/index.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "grids": grids,
            "grid_id": grid_id,
            "due": rows,
            "due_count": due.count(),
            "home_visits": selectors.subsidy_home_visits(request.user, today).filter(
                community=community
            ),
            "proposed": selectors.enrolments_visible_to(request.user).filter(
                community=community, status=EnrolmentStatus.PROPOSED
            )[:300],
            "quarter": selectors.quarter_label(quarter),
            "suspension_day": selectors.suspension_day(quarter),
            "today": today,
            "methods": CertificationMethod.choices,
            "results": CertificationResult.choices,
            "role": profile.role if profile else "",
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
    require_role(request.user, STAFF_ROLES)
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
