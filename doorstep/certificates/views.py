"""证明 (certificates) pages: thin views over `services` (writes) and `selectors`
(reads)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.cases.models import Case
from doorstep.core.exports import export_queryset, wants_xlsx
from doorstep.core.personal_search import posted_search
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.selectors import communities_for, resident_search
from doorstep.programmes.web import (
    action,
    error_text,
    here,
    int_param,
    keyset_list,
    list_page,
    require_staff,
    xlsx_url,
)

from . import selectors, services
from .choices import CertificateKind
from .exports import BY_ISSUED, certificate_columns
from .models import Certificate
from .pdf import certificate_pdf

# ---------------------------------------------------------------- certificates


@login_required
@keyset_list
def certificates(request: HttpRequest) -> HttpResponseBase:
    """Issued certificates in the user's area, 50 a page by cursor, filtered by type and (for
    the street and district) community; `?format=xlsx` downloads the filtered list."""
    require_staff(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in CertificateKind.values else ""
    community_id = int_param(request.GET.get("community")) or None
    issued = selectors.certificates_list(request.user, kind, community_id)
    if wants_xlsx(request):
        return export_queryset(
            request, issued, certificate_columns(), _("证明台账"), ordering=BY_ISSUED
        )
    params = {"kind": kind, "community": str(community_id or "")}
    q = posted_search(request)
    return render(
        request,
        "certificates/index.html",
        {
            "page": list_page(
                request, issued, name="certificates", params=params, ordering=BY_ISSUED
            ),
            "here": here(params),
            "kind": kind,
            "community_id": community_id,
            "communities": communities_for(request.user).order_by("pk"),
            "residents": resident_search(request.user, q) if q else [],
            "q": q,
            "kinds": CertificateKind.choices,
            "can_issue": access.may(request.user, "certificates.issue"),
            "can_revoke": access.may(request.user, "certificates.revoke"),
            "can_edit_templates": access.may(request.user, "certificates.templates"),
            "xlsx_url": xlsx_url(request),
        },
    )


@action(lambda request, kwargs: reverse("certificates:index"))
def certificate_issue(request: HttpRequest) -> str:
    certificate = services.certificate_issue(
        actor=request_actor(request),
        resident_id=int_param(request.POST.get("resident")),
        kind=request.POST.get("kind", ""),
        purpose=request.POST.get("purpose", ""),
    )
    return _("已开具 %(serial)s。") % {"serial": certificate.serial}


@action(lambda request, kwargs: reverse("certificates:index"))
def certificate_for_case(request: HttpRequest) -> str:
    code = request.POST.get("case", "").strip().upper()
    case = access.visible_to(request.user, Case).filter(tracking_code=code).first()
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
        return redirect("certificates:index")
    try:
        certificate, title, body = services.certificate_print(
            actor=request_actor(request), certificate_id=certificate_id, reason=reason
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("certificates:index")
    verify_url = request.build_absolute_uri(
        reverse("certificates:verify", kwargs={"serial": certificate.serial})
    )
    response = HttpResponse(
        certificate_pdf(certificate, title, body, verify_url), "application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
    return response


@action(lambda request, kwargs: reverse("certificates:index"))
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
        "certificates/verify.html",
        {"certificate": certificate, "serial": serial, "today": timezone.localdate()},
        status=200 if certificate else 404,
    )


@login_required
def certificate_templates(request: HttpRequest, kind: str = "") -> HttpResponse:
    profile = require_staff(request, "certificates.templates")
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
                validity_days=int_param(request.POST.get("validity_days")),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            template.title = request.POST.get("title", "")
            template.body = request.POST.get("body", "")
        else:
            messages.success(request, _("模板已保存。"))
            return redirect("certificates:template", kind=kind)
    return render(
        request,
        "certificates/templates.html",
        {
            "template": template,
            "kind": kind,
            "kinds": CertificateKind.choices,
            "placeholders": selectors.certificate_placeholders(),
        },
    )
