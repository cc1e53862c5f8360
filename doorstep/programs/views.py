"""Programme pages: thin views over `services` (writes) and `selectors` (reads)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.cases.models import Case
from doorstep.core.parsing import bounded_date, bounded_int
from doorstep.core.personal_search import posted_search
from doorstep.core.types import request_actor
from doorstep.places.choices import COMMUNITY_ROLES, Role
from doorstep.places.models import Community
from doorstep.places.selectors import communities_for, resident_search, staff_profile

from . import selectors, services
from .choices import (
    AssistanceKind,
    CertificateKind,
    CertificationMethod,
    CertificationResult,
    DonationChannel,
    EnrolmentStatus,
    HouseholdCategory,
    Vote,
)
from .models import Certificate, PanelMember
from .pdf import certificate_pdf
from .xlsx import claim_xlsx

STAFF_ROLES = {Role.DESK, Role.GRID, Role.SECRETARY, Role.STREET, Role.DISTRICT}


def _error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def _community(request: HttpRequest, roles: set[Role] | None = None) -> Community:
    """The community a page is about: the worker's own, or `?community=` within their area."""
    profile = selectors.require_role(request.user, roles or STAFF_ROLES)
    if profile.role in COMMUNITY_ROLES:
        return profile.community  # type: ignore[no-any-return]
    wanted = _int(request.GET.get("community") or request.POST.get("community"))
    visible = communities_for(request.user).order_by("pk")
    community = visible.filter(pk=wanted).first() if wanted else visible.first()
    if community is None:
        raise Http404
    return community


def _date(value: str | None, default: date | None = None) -> date | None:
    return bounded_date(value) or default


def _int(value: str | None) -> int:
    return bounded_int(value, 0) or 0


def _action(back: Callable[[HttpRequest, dict[str, Any]], str]) -> Callable[..., Any]:
    """A POST that calls one service: errors become a message, missing objects a 404."""

    def decorate(view: Callable[..., str]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        @require_POST
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                message = view(request, **kwargs)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            except ObjectDoesNotExist:
                raise Http404 from None
            else:
                if message:
                    messages.success(request, message)
            return redirect(back(request, kwargs))

        return wrapper

    return decorate


def _with_community(name: str) -> Callable[[HttpRequest, dict[str, Any]], str]:
    def back(request: HttpRequest, kwargs: dict[str, Any]) -> str:
        url = reverse(name)
        community = _int(request.POST.get("community"))
        return f"{url}?community={community}" if community else url

    return back


# ---------------------------------------------------------------- hub


@login_required
def index(request: HttpRequest) -> HttpResponse:
    profile = selectors.require_role(request.user, STAFF_ROLES)
    return render(
        request,
        "programs/index.html",
        {"profile": profile, "can_assist": profile.role in selectors.ASSISTANCE_VIEW_ROLES},
    )


# ---------------------------------------------------------------- love fund


@login_required
def fund(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    profile = staff_profile(request.user)
    can_see_recipient = profile is not None and profile.role in services.FUND_APPROVE_ROLES
    return render(
        request,
        "programs/fund.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "summary": selectors.fund_public_summary(community),
            "entries": selectors.fund_entries(request.user, community).select_related(
                "second_approver__staff", "first_approver__staff"
            )[:50],
            "requests": selectors.fund_requests_open(request.user, community),
            "channels": DonationChannel.choices,
            "today": timezone.localdate(),
            "can_record": profile is not None and profile.role in services.FUND_RECORD_ROLES,
            "can_approve": can_see_recipient,
            "can_see_recipient": can_see_recipient,
        },
    )


@_action(_with_community("programs:fund"))
def fund_donate(request: HttpRequest) -> str:
    p = request.POST
    entry = services.fund_donation_record(
        actor=request_actor(request),
        community_id=_community(request).pk,
        amount=p.get("amount", ""),
        day=_date(p.get("day")) or timezone.localdate(),
        channel=p.get("channel", ""),
        donor_name=p.get("donor_name", ""),
        anonymous=bool(p.get("anonymous")),
        donor_count=max(_int(p.get("donor_count")), 1),
    )
    return _("已登记捐款 ¥%(a)s（台账第 %(n)s 条）。") % {"a": entry.amount, "n": entry.seq}


@_action(_with_community("programs:fund"))
def fund_request(request: HttpRequest) -> str:
    p = request.POST
    services.fund_disbursement_request(
        actor=request_actor(request),
        community_id=_community(request).pk,
        amount=p.get("amount", ""),
        purpose=p.get("purpose", ""),
        recipient=p.get("recipient", ""),
        people_helped=max(_int(p.get("people_helped")), 1),
        day=_date(p.get("day")),
    )
    return _("支出申请已提交，待两位审批人审批。")


@_action(_with_community("programs:fund"))
def fund_approve(request: HttpRequest, request_id: int) -> str:
    result = services.fund_disbursement_approve(actor=request_actor(request), request_id=request_id)
    return _("已审批：%(s)s。") % {"s": result.get_status_display()}


@_action(_with_community("programs:fund"))
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
        "programs/fund_public.html",
        {"community": community, "summary": selectors.fund_public_summary(community, months=24)},
    )


# ---------------------------------------------------------------- certificates


@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    profile = selectors.require_role(request.user, STAFF_ROLES)
    q = posted_search(request)
    return render(
        request,
        "programs/certificates.html",
        {
            "certificates": selectors.certificates_visible_to(request.user)[:50],
            "residents": resident_search(request.user, q) if q else [],
            "q": q,
            "kinds": CertificateKind.choices,
            "can_issue": profile.role in services.CERTIFICATE_ISSUE_ROLES,
            "can_revoke": profile.role in services.CERTIFICATE_REVOKE_ROLES,
            "can_edit_templates": profile.role == Role.DISTRICT,
        },
    )


@_action(lambda request, kwargs: reverse("programs:certificates"))
def certificate_issue(request: HttpRequest) -> str:
    certificate = services.certificate_issue(
        actor=request_actor(request),
        resident_id=_int(request.POST.get("resident")),
        kind=request.POST.get("kind", ""),
        purpose=request.POST.get("purpose", ""),
    )
    return _("已开具 %(serial)s。") % {"serial": certificate.serial}


@_action(lambda request, kwargs: reverse("programs:certificates"))
def certificate_for_case(request: HttpRequest) -> str:
    code = request.POST.get("case", "").strip().upper()
    case = (
        Case.objects.filter(community__in=communities_for(request.user))
        .filter(tracking_code=code)
        .first()
    )
    if case is None:
        raise ValidationError(_("未找到查询码为 %(c)s 的事项。") % {"c": code})
    result = services.certificate_issue_for_case(
        actor=request_actor(request), case_id=case.pk, kind=request.POST.get("kind", "")
    )
    if isinstance(result, Certificate):
        return _("已开具 %(serial)s，事项已办结。") % {"serial": result.serial}
    return _("资料不全（%(m)s），已承诺 %(d)s 前办结并答复居民。") % {
        "m": result.missing,
        "d": result.due_on,
    }


@login_required
def certificate_pdf_view(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """GET prints the ID number masked; a POST with a typed reason prints it in full (audited)."""
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    if request.method == "POST" and not reason.strip():
        messages.error(request, _("打印完整身份证号须填写理由。"))
        return redirect("programs:certificates")
    try:
        certificate, title, body = services.certificate_print(
            actor=request_actor(request), certificate_id=certificate_id, reason=reason
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("programs:certificates")
    verify_url = request.build_absolute_uri(
        reverse("programs:verify", kwargs={"serial": certificate.serial})
    )
    response = HttpResponse(
        certificate_pdf(certificate, title, body, verify_url), "application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
    return response


@_action(lambda request, kwargs: reverse("programs:certificates"))
def certificate_revoke(request: HttpRequest, certificate_id: int) -> str:
    certificate = services.certificate_revoke(
        actor=request_actor(request),
        certificate_id=certificate_id,
        reason=request.POST.get("reason", ""),
    )
    return _("已作废 %(serial)s。") % {"serial": certificate.serial}


def verify(request: HttpRequest, serial: str) -> HttpResponse:
    """核验页 — public: type, serial, dates, issuer, revocation; no personal data."""
    certificate = (
        Certificate.objects.select_related("community")
        .filter(serial=serial.strip().upper())
        .first()
    )
    return render(
        request,
        "programs/verify.html",
        {"certificate": certificate, "serial": serial, "today": timezone.localdate()},
        status=200 if certificate else 404,
    )


@login_required
def certificate_templates(request: HttpRequest, kind: str = "") -> HttpResponse:
    profile = selectors.require_role(request.user, {Role.DISTRICT})
    kind = kind or CertificateKind.RESIDENCE
    if kind not in CertificateKind.values:
        raise Http404
    template = selectors.certificate_template(profile.district_id, kind)
    if request.method == "POST":
        try:
            services.certificate_template_save(
                actor=request_actor(request),
                kind=kind,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                validity_days=_int(request.POST.get("validity_days")),
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            template.title = request.POST.get("title", "")
            template.body = request.POST.get("body", "")
        else:
            messages.success(request, _("模板已保存。"))
            return redirect("programs:certificate_template", kind=kind)
    return render(
        request,
        "programs/certificate_templates.html",
        {
            "template": template,
            "kind": kind,
            "kinds": CertificateKind.choices,
            "placeholders": selectors.certificate_placeholders(),
        },
    )


# ---------------------------------------------------------------- elderly subsidy


@login_required
def subsidy(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    profile = staff_profile(request.user)
    today = timezone.localdate()
    grids = selectors.grids_of(request.user).filter(community=community).order_by("pk")
    grid_id = _int(request.GET.get("grid")) or None
    due = selectors.subsidy_due(request.user, today, grid_id).filter(community=community)
    if profile is not None and profile.role == Role.GRID and grid_id is None:
        due = due.filter(resident__household__building__compound__grid__in=grids)
    quarter = selectors.quarter_start(today)
    rows = list(due[:300])
    for enrolment in rows:
        enrolment.age = enrolment.resident.age_on(today)  # type: ignore[attr-defined]
    return render(
        request,
        "programs/subsidy.html",
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
        },
    )


def _subsidy_back(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    """Back to the page the form was on: only a path on this site (no open redirect)."""
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("programs:subsidy")


@_action(_subsidy_back)
def subsidy_propose(request: HttpRequest) -> str:
    n = services.subsidy_propose(actor=request_actor(request), community_id=_community(request).pk)
    return _("已从居民库生成 %(n)s 名建议对象，待书记确认。") % {"n": n}


@_action(_subsidy_back)
def subsidy_confirm(request: HttpRequest) -> str:
    ids = [_int(v) for v in request.POST.getlist("enrolment")]
    n = services.subsidy_confirm(actor=request_actor(request), enrolment_ids=ids)
    return _("已确认 %(n)s 名高龄补贴对象。") % {"n": n}


@_action(_subsidy_back)
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


@_action(_subsidy_back)
def subsidy_remind(request: HttpRequest) -> str:
    ids = [_int(v) for v in request.POST.getlist("enrolment")]
    n = services.subsidy_remind(actor=request_actor(request), enrolment_ids=ids)
    return _("已标记提醒 %(n)s 人。") % {"n": n}


@login_required
def subsidy_report(request: HttpRequest) -> HttpResponse:
    selectors.require_role(request.user, STAFF_ROLES)
    today = timezone.localdate()
    quarter = _date(request.GET.get("quarter"))
    quarter = selectors.quarter_start(quarter) if quarter else None
    report = selectors.subsidy_report(request.user, today, quarter)
    previous = selectors.quarter_start(report.quarter - timedelta(days=1))
    return render(
        request,
        "programs/subsidy_report.html",
        {"report": report, "previous": previous, "today": today},
    )


# ---------------------------------------------------------------- assistance


@login_required
def assistance(request: HttpRequest) -> HttpResponse:
    applications = selectors.applications_visible_to(request.user)
    community = _community(request, selectors.ASSISTANCE_VIEW_ROLES)
    status = request.GET.get("status", "")
    if status:
        applications = applications.filter(status=status)
    return render(
        request,
        "programs/assistance.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "applications": applications.filter(community=community)[:100],
            "members": PanelMember.objects.filter(community=community, active=True),
            "kinds": AssistanceKind.choices,
            "categories": HouseholdCategory.choices,
            "today": timezone.localdate(),
        },
    )


@_action(_with_community("programs:assistance"))
def assistance_apply(request: HttpRequest) -> str:
    p = request.POST
    application = services.assistance_apply(
        actor=request_actor(request),
        data=services.ApplicationData(
            community_id=_community(request, selectors.ASSISTANCE_VIEW_ROLES).pk,
            applicant_name=p.get("applicant_name", ""),
            kind=p.get("kind", ""),
            household_category=p.get("household_category", ""),
            hardship=p.get("hardship", ""),
            documents=p.get("documents", ""),
            amount_requested=p.get("amount_requested", ""),
            applied_on=_date(p.get("applied_on")),
        ),
    )
    return _("已登记 %(name)s 的申请，提交评议小组。") % {"name": application.applicant_name}


@_action(_with_community("programs:assistance"))
def panel_member_add(request: HttpRequest) -> str:
    member = services.panel_member_add(
        actor=request_actor(request),
        community_id=_community(request, selectors.ASSISTANCE_VIEW_ROLES).pk,
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
        "programs/assistance_detail.html",
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
    return reverse(
        "programs:assistance_detail", kwargs={"application_id": kwargs["application_id"]}
    )


@_action(_application_back)
def assistance_vote(request: HttpRequest, application_id: int) -> str:
    p = request.POST
    selectors.applications_visible_to(request.user)  # 403 for desk and grid
    services.assistance_vote(
        actor=request_actor(request),
        application_id=application_id,
        member_id=_int(p.get("member")),
        vote=p.get("vote", ""),
        amount=p.get("amount") or None,
        comment=p.get("comment", ""),
        conflict_note=p.get("conflict_note", ""),
    )
    return _("已记录评议意见。")


@_action(_application_back)
def assistance_decide(request: HttpRequest, application_id: int) -> str:
    application = services.assistance_decide(
        actor=request_actor(request),
        application_id=application_id,
        reason=request.POST.get("reason", ""),
    )
    return _("评议结果：%(s)s。") % {"s": application.get_status_display()}


@_action(_application_back)
def assistance_disburse(request: HttpRequest, application_id: int) -> str:
    payment = services.assistance_disburse(
        actor=request_actor(request),
        application_id=application_id,
        amount=request.POST.get("amount", ""),
        paid_on=_date(request.POST.get("paid_on")),
        note=request.POST.get("note", ""),
    )
    return _("已登记发放 ¥%(a)s。") % {"a": payment.amount}


@login_required
def assistance_summary(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = _date(request.GET.get("start"), date(today.year, 1, 1)) or today
    end = _date(request.GET.get("end"), today) or today
    summary = selectors.assistance_summary(request.user, start, end)
    return render(
        request,
        "programs/assistance_summary.html",
        {
            "s": summary,
            "years": [today.year - n for n in range(4)],
            "two_years": (date(today.year - 2, 1, 1), date(today.year - 1, 12, 31)),
        },
    )


# ---------------------------------------------------------------- canteen


@login_required
def canteen(request: HttpRequest) -> HttpResponse:
    community = _community(request)
    profile = staff_profile(request.user)
    day = _date(request.GET.get("day")) or timezone.localdate()
    q = posted_search(request)
    rule = selectors.canteen_rule(community.street.district_id)
    residents = resident_search(request.user, q) if q else []
    return render(
        request,
        "programs/canteen.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("pk"),
            "day": day,
            "meals": selectors.meals_on(request.user, community, day),
            "deliveries": selectors.delivery_list(request.user, community, day),
            "rule": rule,
            "q": q,
            "candidates": [(r, selectors.meal_price(rule, r, day, False)) for r in residents],
            "can_record": profile is not None and profile.role in services.CANTEEN_ROLES,
            "month": day.replace(day=1),
        },
    )


@_action(
    lambda request, kwargs: reverse("programs:canteen") + f"?day={request.POST.get('day', '')}"
)
def canteen_meal(request: HttpRequest) -> str:
    meal = services.meal_record(
        actor=request_actor(request),
        resident_id=_int(request.POST.get("resident")),
        day=_date(request.POST.get("day")) or timezone.localdate(),
        delivered=bool(request.POST.get("delivered")),
    )
    return _("已登记 %(name)s 的用餐，个人支付 ¥%(p)s。") % {
        "name": meal.resident.name,
        "p": meal.paid,
    }


def _claim(request: HttpRequest) -> selectors.CanteenClaim:
    community = _community(request)
    month = _date(request.GET.get("month")) or timezone.localdate().replace(day=1)
    return selectors.canteen_claim(request.user, community, month)


@login_required
def canteen_claim(request: HttpRequest) -> HttpResponse:
    claim = _claim(request)
    return render(request, "programs/canteen_claim.html", {"claim": claim})


@login_required
def canteen_claim_xlsx(request: HttpRequest) -> HttpResponse:
    claim = _claim(request)
    response = HttpResponse(
        claim_xlsx(claim),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"canteen-claim-{claim.community.pk}-{claim.month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
