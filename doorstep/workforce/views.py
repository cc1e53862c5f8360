"""Workforce pages: compliance, a worker's file, training, leave, departments on site, the video
link, the fee counter, and the public on-site schedule. Thin: forms parse, services write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.cases.models import Case
from doorstep.cases.selectors import case_get
from doorstep.core.exports import (
    export_queryset,
    export_rows,
    page_or_refuse,
    refusals,
    wants_xlsx,
)
from doorstep.core.keyset import BY_ID, Ordering, Page, query_digest
from doorstep.core.types import request_actor
from doorstep.field.selectors import community_or_404
from doorstep.places import access
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.models import Community, Department, StaffProfile
from doorstep.places.selectors import staff_profile

from . import fees, selectors, services
from .exports import (
    attendance_columns,
    compliance_columns,
    external_columns,
    leave_columns,
    ledger_columns,
    onsite_columns,
    video_columns,
    worker_columns,
)
from .filters import LeaveFilter, PaymentFilter, SessionFilter, WorkerFilter, parse_day, parse_id
from .forms import (
    CertificateForm,
    CloseForm,
    CourseForm,
    ExternalForm,
    LeaveForm,
    OnSiteForm,
    OutcomeForm,
    PaymentForm,
    RecordForm,
    ReversalForm,
    VideoForm,
)
from .models import (
    Alert,
    Attendance,
    ExternalTraining,
    FeeReversalRequest,
    OnSiteSession,
    TrainingSession,
    WorkerRecord,
)

M = TypeVar("M", bound=Model)
BY_DAY = Ordering("day")
BY_START = Ordering("starts_on")
BY_REQUEST = Ordering("requested_at")
SOONEST_FIRST = Ordering("starts_at", descending=False)
BY_SEQ = Ordering("seq")
LEDGER_ORDER = Ordering("seq", descending=False)


def _profile(request: HttpRequest) -> StaffProfile:
    profile = staff_profile(request.user)
    if profile is None:
        raise PermissionDenied(_("请先登录。"))
    return profile


def _community(request: HttpRequest) -> Community:
    _profile(request)
    return community_or_404(
        request.user, request.GET.get("community") or request.POST.get("community")
    )


def _errors(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


# ---------------------------------------------------------------- compliance


def _overview(
    request: HttpRequest, day: date, rule: selectors.Rule, alerts: Alerts
) -> HttpResponseBase:
    """The street's and district's compliance view; `?format=xlsx` one row per community."""
    street_id = parse_id(request.GET.get("street"))
    if wants_xlsx(request):
        rows = selectors.compliance_by_community(request.user, day, rule, street_id)
        name = _("持证与培训情况%(d)s") % {"d": day.isoformat()}
        return export_rows(name, compliance_columns(), rows)
    # The district sees its streets (36, not 1,285 rows); a street its communities.
    by_street = access.may(request.user, "workforce.overview_by_street") and street_id is None
    rows = (
        selectors.compliance_by_street(request.user, day, rule)
        if by_street
        else selectors.compliance_by_community(request.user, day, rule, street_id)
    )
    context = {
        "rows": rows,
        "by_street": by_street,
        "street_id": street_id,
        "rule": rule,
        "day": day,
        "alerts": alerts,
    }
    return render(request, "workforce/street.html", context)


ALERTS_SHOWN = 20


@dataclass(frozen=True)
class Alerts:
    """到期提醒 at the top of the page: the earliest `ALERTS_SHOWN` and how many there are (the
    full list is the worker list filtered by status)."""

    rows: list[Alert]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


def _alerts(request: HttpRequest, day: date) -> Alerts:
    qs = selectors.alerts_for(request.user, day).order_by("target_date", "pk")
    rows = list(qs[:ALERTS_SHOWN])
    return Alerts(rows, qs.count() if len(rows) == ALERTS_SHOWN else len(rows))


@login_required
@refusals
def index(request: HttpRequest) -> HttpResponseBase:
    """持证与培训: a community's workers, or for the street and district every community."""
    profile = _profile(request)
    day = selectors.today()
    rule = selectors.rule_for(profile.district_id)
    if not access.may(request.user, "workforce.records"):
        return redirect("workforce:onsite")
    alerts = _alerts(request, day)
    if access.may(request.user, "workforce.overview") and not request.GET.get("community"):
        return _overview(request, day, rule, alerts)
    community = _community(request)
    wanted = WorkerFilter.parse(request.GET)
    workers = wanted.apply(
        selectors.with_compliance(
            selectors.workers_visible_to(request.user).filter(community=community), day, day.year
        )
    ).prefetch_related("certificates")
    if wants_xlsx(request):
        name = _("%(c)s持证与培训") % {"c": community.name}
        return export_queryset(request, workers, worker_columns(rule), name, ordering=BY_ID)
    here = urlencode({"community": community.pk, **wanted.query()})
    page = page_or_refuse(
        request, workers, wanted.digest(request.user.pk), BY_ID, f"{request.path}?{here}"
    )
    me = request_actor(request)
    pending = selectors.external_visible_to(me).filter(
        worker__community=community, status="pending"
    )
    return render(
        request,
        "workforce/index.html",
        {
            "community": community,
            "workers": [(w, rule.required_hours(w.post)) for w in page.rows],
            "page": page,
            "here": here,
            "rule": rule,
            "alerts": alerts,
            "pending": pending.exclude(entered_by_id=me.pk).exclude(worker__user_id=me.pk),
            "can_manage": selectors.can_manage(request.user, community.pk),
            "status": wanted.status,
        },
    )


def _worker(request: HttpRequest, worker_id: int) -> WorkerRecord:
    try:
        return selectors.worker_get(request.user, worker_id)
    except WorkerRecord.DoesNotExist:
        raise Http404(_("工作人员档案不存在")) from None


def _training_record(
    request: HttpRequest, worker: WorkerRecord
) -> tuple[Page[Attendance], Page[ExternalTraining]]:
    """A worker's training record in two keyset lists with their own cursors: the sessions
    attended (newest recorded first; `tcursor`) and external training (newest first;
    `ecursor`)."""
    back = f"{request.path}?"
    attended = selectors.worker_attendance(worker)
    external = selectors.worker_external(worker)
    return (
        page_or_refuse(
            request,
            attended,
            query_digest("worker-attendance", request.user.pk, worker.pk),
            BY_ID,
            back,
            param="tcursor",
        ),
        page_or_refuse(
            request,
            external,
            query_digest("worker-external", request.user.pk, worker.pk),
            BY_DAY,
            back,
            param="ecursor",
        ),
    )


@login_required
@refusals
def worker_detail(request: HttpRequest, worker_id: int) -> HttpResponseBase:
    """工作人员档案: certificates, continuing education, the training record (two keyset
    lists); `?format=xlsx` downloads the sessions attended, `?list=external&format=xlsx` the
    external training."""
    _profile(request)
    worker = _worker(request, worker_id)
    if wants_xlsx(request):
        name = _("%(n)s培训记录") % {"n": worker.name}
        if request.GET.get("list") == "external":
            return export_queryset(
                request,
                selectors.worker_external(worker),
                external_columns(),
                _("%(n)s外部培训") % {"n": worker.name},
                ordering=BY_DAY,
            )
        attended = selectors.worker_attendance(worker)
        return export_queryset(request, attended, attendance_columns(), name, ordering=BY_ID)
    day = selectors.today()
    rule = selectors.rule_for(worker.district_id)
    attendance, external = _training_record(request, worker)
    return render(
        request,
        "workforce/worker.html",
        {
            "worker": worker,
            "required": rule.required_hours(worker.post),
            "rule": rule,
            "certificates": worker.certificates.all(),
            "attendance": attendance,
            "external": external,
            "education": selectors.continuing_education(worker, day),
            "can_manage": selectors.can_manage(request.user, worker.community_id),
            "is_self": worker.user_id == request.user.pk,
            "cert_form": CertificateForm(),
            "record_form": RecordForm(
                initial={"hire_date": worker.hire_date, "birth_date": worker.birth_date}
            ),
            "external_form": ExternalForm(initial={"day": day}),
        },
    )


@login_required
@require_POST
def worker_action(request: HttpRequest, worker_id: int, action: str) -> HttpResponse:
    actor = request_actor(request)
    worker = _worker(request, worker_id)
    forms = {"certificate": CertificateForm, "record": RecordForm, "external": ExternalForm}
    if action not in forms:
        raise Http404
    form = forms[action](request.POST)
    back = reverse("workforce:worker", args=[worker.pk])
    if not form.is_valid():
        messages.error(request, _("请检查填写内容：") + form.errors.as_text())
        return redirect(back)
    d = form.cleaned_data
    try:
        if action == "certificate":
            services.certificate_add(
                actor=actor,
                worker_id=worker.pk,
                kind=d["kind"],
                number=d["number"],
                issued_on=d["issued_on"],
                expires_on=d["expires_on"],
                period_years=d["period_years"],
                period_hours=d["period_hours"],
            )
            messages.success(request, _("证书已登记。"))
        elif action == "record":
            user = User.objects.get(pk=worker.user_id)
            services.worker_record_set(
                actor=actor, user=user, hire_date=d["hire_date"], birth_date=d["birth_date"]
            )
            messages.success(request, _("档案已更新。"))
        else:
            services.external_training_submit(
                actor=actor,
                worker_id=worker.pk,
                title=d["title"],
                day=d["day"],
                hours=d["hours"],
                evidence=d["evidence"],
            )
            messages.success(request, _("外部培训已提交，待认定后计入学时。"))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(back)


@login_required
@require_POST
def external_decide(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        services.external_training_decide(
            actor=actor, entry_id=entry_id, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, _("已认定。"))
    except ValidationError as error:
        messages.error(request, _errors(error))
    except services.ExternalTraining.DoesNotExist:
        raise Http404 from None
    return _back(request, reverse("workforce:index"))


# ---------------------------------------------------------------- training


@login_required
@refusals
def training(request: HttpRequest) -> HttpResponseBase:
    """培训: sessions of the community's courses and the district's (keyset pages, newest
    first), attendance per session."""
    _profile(request)
    community = _community(request)
    visible = selectors.sessions_visible_to(request.user)
    sessions = visible.filter(Q(course__community=community) | Q(course__community__isnull=True))
    wanted = parse_id(request.GET.get("session"))
    here = urlencode({"community": community.pk, **({"session": wanted} if wanted else {})})
    digest = query_digest("training", request.user.pk, community.pk)
    page = page_or_refuse(request, sessions, digest, BY_DAY, f"{request.path}?{here}")
    current = sessions.filter(pk=wanted).first() if wanted else sessions.order_by("-day").first()
    attended = set(current.attendance.values_list("worker_id", flat=True)) if current else set()
    workers = selectors.workers_visible_to(request.user).filter(community=community)
    return render(
        request,
        "workforce/training.html",
        {
            "community": community,
            "sessions": page.rows,
            "page": page,
            "here": here,
            "current": current,
            "workers": [(w, w.pk in attended) for w in workers.order_by("post", "name")],
            "attended_count": len(attended),
            "course_form": CourseForm(initial={"day": selectors.today()}),
            "can_manage": selectors.can_manage(request.user, community.pk),
        },
    )


@login_required
@require_POST
def training_action(request: HttpRequest, action: str) -> HttpResponse:
    actor = request_actor(request)
    community = _community(request)
    back = reverse("workforce:training") + f"?community={community.pk}"
    try:
        if action == "course":
            form = CourseForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            d = form.cleaned_data
            course = services.course_create(
                actor=actor, title=d["title"], organiser=d["organiser"], community=community
            )
            session = services.session_add(
                actor=actor, course=course, day=d["day"], hours=d["hours"], place=d["place"]
            )
            messages.success(request, _("培训已建立。"))
            back += f"&session={session.pk}"
        elif action == "attendance":
            session_id = parse_id(request.POST.get("session")) or 0
            ids = [i for i in (parse_id(v) for v in request.POST.getlist("worker")) if i]
            n = services.attendance_record(actor=actor, session_id=session_id, worker_ids=ids)
            messages.success(request, _("已签到 %(n)s 人，学时已计入。") % {"n": n})
            back += f"&session={session_id}"
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    return redirect(back)


# ---------------------------------------------------------------- leave


def _community_workers(community: Community) -> list[tuple[int, str]]:
    return list(
        StaffProfile.objects.filter(community=community, role__in=list(COMMUNITY_ROLES))
        .order_by("role", "display_name")
        .values_list("user_id", "display_name")
    )


@login_required
@refusals
def leave(request: HttpRequest) -> HttpResponseBase:
    """请假与AB岗: who is away, who holds their cases meanwhile (`LeaveFilter`, keyset pages,
    `?format=xlsx`)."""
    _profile(request)
    community = _community(request)
    wanted = LeaveFilter.parse(request.GET)
    rows = wanted.apply(selectors.leave_visible_to(request.user).filter(community=community))
    if wants_xlsx(request):
        name = _("%(c)s请假记录") % {"c": community.name}
        return export_queryset(request, rows, leave_columns(), name, ordering=BY_START)
    here = urlencode({"community": community.pk, **wanted.query()})
    page = page_or_refuse(
        request,
        rows,
        wanted.digest(request.user.pk, community.pk),
        BY_START,
        f"{request.path}?{here}",
    )
    pairs = {
        p["a_id"]: p["b__staff__display_name"]
        for p in selectors.post_pairs_of(community).values("a_id", "b__staff__display_name")
    }
    can_manage = selectors.can_manage(request.user, community.pk)
    workers = _community_workers(community)
    if not can_manage:
        workers = [w for w in workers if w[0] == request.user.pk]
    return render(
        request,
        "workforce/leave.html",
        {
            "community": community,
            "leaves": [(row, pairs.get(row.worker_id)) for row in page.rows],
            "page": page,
            "here": here,
            "when": wanted.when,
            "today": selectors.today(),
            "form": LeaveForm(workers=workers, initial={"starts_on": selectors.today()}),
            "can_record": bool(workers) and access.may(request.user, "workforce.records"),
        },
    )


@login_required
@require_POST
def leave_action(request: HttpRequest, action: str) -> HttpResponse:
    actor = request_actor(request)
    community = _community(request)
    back = reverse("workforce:leave") + f"?community={community.pk}"
    try:
        if action == "record":
            form = LeaveForm(request.POST, workers=_community_workers(community))
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            d = form.cleaned_data
            worker = User.objects.get(pk=d["worker"])
            services.leave_record(
                actor=actor,
                worker=worker,
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                kind=d["kind"],
                note=d["note"],
            )
            messages.success(request, _("请假已登记；期间由B岗代岗。"))
        elif action == "end":
            services.leave_end(actor=actor, leave_id=parse_id(request.POST.get("leave")) or 0)
            messages.success(request, _("已销假，事项回到本人名下。"))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    except services.Leave.DoesNotExist:
        raise Http404 from None
    return redirect(back)


# ---------------------------------------------------------------- departments on site


def _departments(community: Community) -> list[tuple[int, str]]:
    return list(
        Department.objects.filter(district_id=community.street.district_id)
        .order_by("name")
        .values_list("pk", "name")
    )


def _case_from(request: HttpRequest) -> Case | None:
    case_id = parse_id(request.GET.get("case") or request.POST.get("case"))
    if case_id is None:
        return None
    try:
        return case_get(request.user, case_id)
    except Case.DoesNotExist:
        raise Http404(_("事项不存在")) from None


@login_required
@refusals
def onsite(request: HttpRequest) -> HttpResponseBase:
    """约请职能部门现场办公: requests, the department's choice of slot, outcomes per case
    (`SessionFilter`, keyset pages newest first, `?format=xlsx`)."""
    _profile(request)
    case = _case_from(request)
    wanted = SessionFilter.parse(request.GET)
    listed = wanted.apply(selectors.onsite_visible_to(request.user))
    if wants_xlsx(request):
        name = _("部门现场办公")
        return export_queryset(request, listed, onsite_columns(), name, ordering=BY_REQUEST)
    here = urlencode({**wanted.query(), **({"case": case.pk} if case else {})})
    sessions = listed.prefetch_related("slots", "links__case")
    page = page_or_refuse(
        request, sessions, wanted.digest(request.user.pk), BY_REQUEST, f"{request.path}?{here}"
    )
    form = None
    if case is not None and access.may(request.user, "workforce.onsite_request"):
        form = OnSiteForm(
            departments=_departments(case.community),
            initial={"topic": case.description[:100], "department": case.department_id},
        )
    return render(
        request,
        "workforce/onsite.html",
        {
            "case": case,
            "form": form,
            "sessions": page.rows,
            "page": page,
            "here": here,
            "status": wanted.status,
            "is_department": access.may(request.user, "workforce.onsite_accept"),
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
@require_POST
def onsite_action(request: HttpRequest, action: str) -> HttpResponse:
    actor = request_actor(request)
    back = reverse("workforce:onsite")
    try:
        if action == "request":
            case = _case_from(request)
            if case is None:
                raise Http404
            form = OnSiteForm(request.POST, departments=_departments(case.community))
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            d = form.cleaned_data
            length = timedelta(minutes=d["duration"])
            starts = [d[k] for k in ("slot1", "slot2", "slot3") if d[k]]
            services.onsite_request(
                actor=actor,
                community=case.community,
                department=Department.objects.get(pk=d["department"]),
                topic=d["topic"],
                case_ids=[case.pk],
                slots=[(s, s + length) for s in starts],
            )
            messages.success(request, _("已约请，待部门确认时段。"))
        elif action == "accept":
            services.onsite_accept(
                actor=actor,
                session_id=parse_id(request.POST.get("session")) or 0,
                slot_id=parse_id(request.POST.get("slot")) or 0,
            )
            messages.success(request, _("已确认时段，将在服务站公示。"))
        elif action == "outcome":
            outcome = OutcomeForm(request.POST)
            if not outcome.is_valid():
                raise ValidationError(outcome.errors.as_text())
            services.onsite_outcome(
                actor=actor,
                session_id=parse_id(request.POST.get("session")) or 0,
                case_id=outcome.cleaned_data["case"],
                outcome=outcome.cleaned_data["outcome"],
            )
            messages.success(request, _("结果已记入事项办理记录。"))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    except (OnSiteSession.DoesNotExist, Community.DoesNotExist, Department.DoesNotExist):
        raise Http404 from None
    return redirect(back)


def public_onsite(request: HttpRequest) -> HttpResponse:
    """服务站公示: the departments coming to work on site in the next weeks (no login)."""
    return render(
        request,
        "workforce/public_onsite.html",
        {"sessions": selectors.public_onsite(timezone.localdate())},
    )


# ---------------------------------------------------------------- video link


@login_required
@refusals
def video(request: HttpRequest) -> HttpResponseBase:
    """视频连线: book the street affairs centre's video line for a case; the coming bookings
    (from yesterday on, soonest first, keyset pages, `?format=xlsx`)."""
    _profile(request)
    access.require(request.user, "workforce.video", _("职能部门人员不能预约视频连线。"))
    case = _case_from(request)
    since = timezone.localdate() - timedelta(days=1)
    bookings = selectors.video_visible_to(request.user).filter(
        starts_at__gte=timezone.make_aware(datetime.combine(since, datetime.min.time()))
    )
    if wants_xlsx(request):
        name = _("视频连线预约")
        return export_queryset(request, bookings, video_columns(), name, ordering=SOONEST_FIRST)
    here = urlencode({"case": case.pk} if case else {})
    digest = query_digest("video", request.user.pk, since)
    page = page_or_refuse(request, bookings, digest, SOONEST_FIRST, f"{request.path}?{here}")
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return render(
        request,
        "workforce/video.html",
        {
            "case": case,
            "form": VideoForm(initial={"starts_at": start}) if case else None,
            "bookings": page.rows,
            "page": page,
            "here": here,
        },
    )


@login_required
@require_POST
def video_book(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    case = _case_from(request)
    if case is None:
        raise Http404
    form = VideoForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        d = form.cleaned_data
        start: datetime = d["starts_at"]
        services.video_book(
            actor=actor,
            case_id=case.pk,
            starts_at=start,
            ends_at=start + timedelta(minutes=d["duration"]),
            topic=d["topic"],
        )
        messages.success(request, _("视频连线已预约，已记入事项办理记录。"))
        return redirect(reverse("case_detail", args=[case.pk]))
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(reverse("workforce:video") + f"?case={case.pk}")


# ---------------------------------------------------------------- fee counter


@login_required
@refusals
def fee_counter(request: HttpRequest) -> HttpResponseBase:
    """代收水电费: take payments, ask for and approve reversals, close the day; the day's lines
    in keyset pages; `?format=xlsx` downloads the month's ledger (`PaymentFilter`)."""
    _profile(request)
    access.require(request.user, "workforce.fee_ledger", _("职能部门人员不能查看代收台账。"))
    community = _community(request)
    day = parse_day(request.GET.get("day"))
    params = request.GET.copy()
    params.setdefault("month", f"{day:%Y-%m}")
    wanted = PaymentFilter.parse(params)
    month_rows = wanted.apply(selectors.payments_visible_to(request.user)).filter(
        counter__community=community
    )
    if wants_xlsx(request):
        ledger = month_rows.select_related("second_person__staff")
        name = _("%(c)s代收水电费台账%(m)s") % {"c": community.name, "m": f"{wanted.month:%Y-%m}"}
        return export_queryset(request, ledger, ledger_columns(), name, ordering=LEDGER_ORDER)
    today_rows = selectors.payments_visible_to(request.user).filter(
        counter__community=community, day=day
    )
    here = urlencode({"community": community.pk, "day": day.isoformat()})
    digest = query_digest("fees", request.user.pk, community.pk, day)
    page = page_or_refuse(request, today_rows, digest, BY_SEQ, f"{request.path}?{here}")
    requests = FeeReversalRequest.objects.filter(
        payment__counter__community=community, reversal__isnull=True
    ).select_related("payment", "requested_by__staff")
    asked = set(
        FeeReversalRequest.objects.filter(payment__in=[p.pk for p in page.rows]).values_list(
            "payment_id", flat=True
        )
    )
    totals = selectors.day_totals(community, day)
    return render(
        request,
        "workforce/fees.html",
        {
            "community": community,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "today": selectors.today(),
            "rows": [(row, row.pk in asked) for row in page.rows],
            "page": page,
            "here": here,
            "totals": totals,
            "closed": selectors.day_close(community, day),
            "requests": requests,
            "month": wanted.month,
            "month_total": selectors.signed_total(month_rows),
            "can_take": selectors.is_counter_staff(request_actor(request), community),
            "form": PaymentForm(initial={"period": f"{day:%Y-%m}", "utility": "water"}),
            "close_form": CloseForm(initial={"cash_counted": totals.cash}),
        },
    )


@login_required
@require_POST
def fee_action(request: HttpRequest, action: str) -> HttpResponse:
    actor = request_actor(request)
    community = _community(request)
    back = reverse("workforce:fees") + f"?community={community.pk}"
    try:
        if action == "take":
            form = PaymentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            d = form.cleaned_data
            entry = fees.fee_payment_take(
                actor=actor,
                community=community,
                data=fees.Payment(
                    utility=d["utility"],
                    account_number=d["account_number"],
                    period=d["period"],
                    amount=d["amount"],
                    method=d["method"],
                    payer_name=d["payer_name"],
                ),
            )
            messages.success(
                request,
                _("已收款 ¥%(a)s，收据号 %(r)s。") % {"a": entry.amount, "r": entry.receipt_number},
            )
        elif action == "reverse":
            reversal = ReversalForm(request.POST)
            if not reversal.is_valid():
                raise ValidationError(reversal.errors.as_text())
            fees.fee_reversal_request(
                actor=actor,
                payment_id=reversal.cleaned_data["payment"],
                reason=reversal.cleaned_data["reason"],
            )
            messages.success(request, _("冲正申请已提交，须由第二人确认。"))
        elif action == "approve":
            fees.fee_reversal_approve(
                actor=actor, request_id=parse_id(request.POST.get("request")) or 0
            )
            messages.success(request, _("冲正已确认并记入台账。"))
        elif action == "close":
            counted = CloseForm(request.POST)
            if not counted.is_valid():
                raise ValidationError(counted.errors.as_text())
            close = fees.fee_day_close(
                actor=actor,
                community=community,
                day=parse_day(request.POST.get("day")),
                cash_counted=counted.cleaned_data["cash_counted"],
                note=counted.cleaned_data["note"],
            )
            messages.success(request, _("已日结，差额 ¥%(d)s。") % {"d": close.discrepancy})
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    except (fees.FeePayment.DoesNotExist, FeeReversalRequest.DoesNotExist):
        raise Http404 from None
    return redirect(back)
