"""/api/v1/workforce/: qualifications, training, leave, departments on site and the fee counter,
through the same services, filters and area scoping as the pages. Lists use keyset pagination
(`after` = the last id seen)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from doorstep.core.schemas import Error, Id
from doorstep.core.types import JsonObject, request_actor
from doorstep.places.models import Department, Resident
from doorstep.places.selectors import communities_for, residents_visible_to, staff_profile

from . import fees, selectors, services
from .filters import LeaveFilter, PaymentFilter, SessionFilter, WorkerFilter
from .models import FeePayment, Leave, OnSiteSession, WorkerRecord
from .schemas import (
    AcceptIn,
    AttendanceIn,
    CertificateIn,
    CertificateOut,
    ComplianceOut,
    ExternalIn,
    ExternalOut,
    LeaveIn,
    LeaveOut,
    OnSiteIn,
    OnSiteOut,
    OutcomeIn,
    PaymentIn,
    PaymentOut,
    SessionOut,
    WorkerDetailOut,
    WorkerOut,
)

router = Router(tags=["workforce"])
LIMIT = Query(50, ge=1, le=200)
AFTER = Query(None, ge=1, le=2**62)
ERRORS: dict[int, type[Error]] = {400: Error, 403: Error, 404: Error}


@contextmanager
def not_found() -> Iterator[None]:
    """An object outside the caller's area does not exist for them: 404, never 500."""
    try:
        yield
    except ObjectDoesNotExist:
        raise Http404 from None


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if isinstance(v, str)}


def worker_out(worker: WorkerRecord, rule: selectors.Rule) -> JsonObject:
    return {
        "id": worker.pk,
        "name": worker.name,
        "community": worker.community.name if worker.community else None,
        "post": worker.post,
        "hire_date": worker.hire_date,
        "certificate_deadline": worker.certificate_deadline,
        "certified_until": worker.certified_until,
        "status": worker.status,  # type: ignore[attr-defined]
        "hours_this_year": worker.hours_this_year,  # type: ignore[attr-defined]
        "required_hours": rule.required_hours(worker.post),
    }


# ---------------------------------------------------------------- qualifications


@router.get("/workers", response=list[WorkerOut], summary="工作人员持证与学时（辖区内）")
def list_workers(
    request: HttpRequest, after: int | None = AFTER, limit: int = LIMIT
) -> list[JsonObject]:
    profile = staff_profile(request.user)
    day = selectors.today()
    rule = selectors.rule_for(profile.district_id) if profile else selectors.TIANJIN
    qs = WorkerFilter.parse(_params(request)).apply(
        selectors.with_compliance(selectors.workers_visible_to(request.user), day, day.year)
    )
    if after:
        qs = qs.filter(pk__gt=after)
    return [worker_out(w, rule) for w in qs.order_by("pk")[:limit]]


@router.get("/workers/{worker_id}", response={200: WorkerDetailOut, 404: Error})
def get_worker(request: HttpRequest, worker_id: Id) -> JsonObject:
    with not_found():
        worker = selectors.worker_get(request.user, worker_id)
    out = worker_out(worker, selectors.rule_for(worker.district_id))
    out["certificates"] = [
        {
            "id": c.pk,
            "kind": c.kind,
            "kind_label": c.get_kind_display(),
            "number": c.number,
            "issued_on": c.issued_on,
            "expires_on": c.expires_on,
        }
        for c in worker.certificates.all()
    ]
    return out


@router.post(
    "/workers/{worker_id}/certificates",
    response={201: CertificateOut, **ERRORS},
    summary="登记证书",
)
def add_certificate(
    request: HttpRequest, worker_id: Id, payload: CertificateIn
) -> Status[JsonObject]:
    with not_found():
        cert = services.certificate_add(
            actor=request_actor(request), worker_id=worker_id, **payload.dict()
        )
    return Status(
        201,
        {
            "id": cert.pk,
            "kind": cert.kind,
            "kind_label": cert.get_kind_display(),
            "number": cert.number,
            "issued_on": cert.issued_on,
            "expires_on": cert.expires_on,
        },
    )


@router.get("/compliance", response=list[ComplianceOut], summary="各社区持证与培训汇总")
def compliance(request: HttpRequest) -> list[JsonObject]:
    profile = staff_profile(request.user)
    if profile is None:
        return []
    day = selectors.today()
    return [
        r.__dict__
        for r in selectors.compliance_by_community(
            request.user, day, selectors.rule_for(profile.district_id)
        )
    ]


# ---------------------------------------------------------------- training


@router.get("/training/sessions", response=list[SessionOut], summary="培训场次")
def list_sessions(
    request: HttpRequest, after: int | None = AFTER, limit: int = LIMIT
) -> list[JsonObject]:
    qs = selectors.sessions_visible_to(request.user)
    if after:
        qs = qs.filter(pk__gt=after)
    return [
        {
            "id": s.pk,
            "course": s.course.title,
            "organiser": s.course.organiser,
            "day": s.day,
            "hours": s.hours,
            "place": s.place,
        }
        for s in qs.order_by("pk")[:limit]
    ]


@router.post(
    "/training/sessions/{session_id}/attendance",
    response={201: dict[str, int], **ERRORS},
    summary="签到（计入学时）",
)
def record_attendance(
    request: HttpRequest, session_id: Id, payload: AttendanceIn
) -> Status[JsonObject]:
    with not_found():
        n = services.attendance_record(
            actor=request_actor(request),
            session_id=session_id,
            worker_ids=list(payload.worker_ids),
            hours=payload.hours,
        )
    return Status(201, {"credited": n})


@router.post(
    "/workers/{worker_id}/external",
    response={201: ExternalOut, **ERRORS},
    summary="申报外部培训学时（待认定）",
)
def submit_external(request: HttpRequest, worker_id: Id, payload: ExternalIn) -> Status[JsonObject]:
    with not_found():
        entry = services.external_training_submit(
            actor=request_actor(request), worker_id=worker_id, **payload.dict()
        )
    return Status(
        201,
        {
            "id": entry.pk,
            "worker_id": entry.worker_id,
            "title": entry.title,
            "day": entry.day,
            "hours": entry.hours,
            "status": entry.status,
        },
    )


# ---------------------------------------------------------------- leave


def leave_out(leave: Leave) -> JsonObject:
    staff = staff_profile(leave.worker)
    return {
        "id": leave.pk,
        "worker_id": leave.worker_id,
        "worker": staff.display_name if staff else "",
        "community": leave.community.name,
        "starts_on": leave.starts_on,
        "ends_on": leave.ends_on,
        "kind": leave.kind,
        "cancelled": leave.cancelled_at is not None,
    }


@router.get("/leave", response=list[LeaveOut], summary="请假记录（when=current/upcoming）")
def list_leave(
    request: HttpRequest, after: int | None = AFTER, limit: int = LIMIT
) -> list[JsonObject]:
    qs = LeaveFilter.parse(_params(request)).apply(selectors.leave_visible_to(request.user))
    if after:
        qs = qs.filter(pk__gt=after)
    return [leave_out(row) for row in qs.order_by("pk")[:limit]]


@router.post("/leave", response={201: LeaveOut, **ERRORS}, summary="登记请假（B岗代岗）")
def record_leave(request: HttpRequest, payload: LeaveIn) -> Status[JsonObject]:
    worker = User.objects.filter(
        pk=payload.worker_id, staff__community__in=communities_for(request.user)
    ).first()
    if worker is None and payload.worker_id == request.user.pk:
        worker = User.objects.filter(pk=payload.worker_id).first()
    if worker is None:
        raise Http404
    leave = services.leave_record(
        actor=request_actor(request),
        worker=worker,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        kind=payload.kind,
        note=payload.note,
    )
    return Status(201, leave_out(leave))


# ---------------------------------------------------------------- departments on site


def onsite_out(session: OnSiteSession) -> JsonObject:
    slot = session.accepted_slot
    return {
        "id": session.pk,
        "community": session.community.name,
        "department": session.department.name,
        "topic": session.topic,
        "status": session.status,
        "requested_at": session.requested_at,
        "accepted_slot": {"id": slot.pk, "starts_at": slot.starts_at, "ends_at": slot.ends_at}
        if slot
        else None,
        "slots": [
            {"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at}
            for s in session.slots.all()
        ],
        "cases": [
            {
                "case_id": link.case_id,
                "tracking_code": link.case.tracking_code,
                "outcome": link.outcome,
            }
            for link in session.links.all()
        ],
    }


def _sessions(request: HttpRequest) -> QuerySet[OnSiteSession]:
    return selectors.onsite_visible_to(request.user).prefetch_related("slots", "links__case")


@router.get("/onsite", response=list[OnSiteOut], summary="部门现场办公（部门看受邀的）")
def list_onsite(
    request: HttpRequest, after: int | None = AFTER, limit: int = LIMIT
) -> list[JsonObject]:
    qs = SessionFilter.parse(_params(request)).apply(_sessions(request))
    if after:
        qs = qs.filter(pk__gt=after)
    return [onsite_out(s) for s in qs.order_by("pk")[:limit]]


@router.get("/onsite/{session_id}", response={200: OnSiteOut, 404: Error})
def get_onsite(request: HttpRequest, session_id: Id) -> JsonObject:
    with not_found():
        return onsite_out(_sessions(request).get(pk=session_id))


@router.post("/onsite", response={201: OnSiteOut, **ERRORS}, summary="约请职能部门现场办公")
def request_onsite(request: HttpRequest, payload: OnSiteIn) -> Status[JsonObject]:
    community = communities_for(request.user).filter(pk=payload.community_id).first()
    department = Department.objects.filter(pk=payload.department_id).first()
    if community is None or department is None:
        raise Http404
    session = services.onsite_request(
        actor=request_actor(request),
        community=community,
        department=department,
        topic=payload.topic,
        case_ids=list(payload.case_ids),
        slots=[(s.starts_at, s.ends_at) for s in payload.slots],
    )
    return Status(201, onsite_out(_sessions(request).get(pk=session.pk)))


@router.post("/onsite/{session_id}/accept", response={200: OnSiteOut, **ERRORS})
def accept_onsite(request: HttpRequest, session_id: Id, payload: AcceptIn) -> JsonObject:
    with not_found():
        services.onsite_accept(
            actor=request_actor(request), session_id=session_id, slot_id=payload.slot_id
        )
    return onsite_out(_sessions(request).get(pk=session_id))


@router.post("/onsite/{session_id}/outcome", response={200: OnSiteOut, **ERRORS})
def onsite_outcome(request: HttpRequest, session_id: Id, payload: OutcomeIn) -> JsonObject:
    with not_found():
        services.onsite_outcome(
            actor=request_actor(request),
            session_id=session_id,
            case_id=payload.case_id,
            outcome=payload.outcome,
        )
    return onsite_out(_sessions(request).get(pk=session_id))


# ---------------------------------------------------------------- fee counter


def payment_out(p: FeePayment) -> JsonObject:
    return {
        "id": p.pk,
        "community": p.counter.community.name,
        "seq": p.seq,
        "kind": p.kind,
        "receipt_number": p.receipt_number,
        "payer_name": p.payer_name,
        "utility": p.utility,
        "account_number": p.account_number,
        "period": p.period,
        "amount": p.amount,
        "method": p.method,
        "day": p.day,
        "reverses_id": p.reverses_id,
        "reason": p.reason,
        "recorded_at": p.recorded_at,
        "hash": p.hash,
    }


@router.get("/fees", response=list[PaymentOut], summary="代收记录（month=2026-11）")
def list_payments(
    request: HttpRequest, after: int | None = AFTER, limit: int = LIMIT
) -> list[JsonObject]:
    qs = PaymentFilter.parse(_params(request)).apply(selectors.payments_visible_to(request.user))
    if after:
        qs = qs.filter(pk__gt=after)
    return [payment_out(p) for p in qs.order_by("pk")[:limit]]


@router.get("/fees/{payment_id}", response={200: PaymentOut, 404: Error})
def get_payment(request: HttpRequest, payment_id: Id) -> JsonObject:
    with not_found():
        return payment_out(selectors.payments_visible_to(request.user).get(pk=payment_id))


@router.post("/fees", response={201: PaymentOut, **ERRORS}, summary="收款（出收据）")
def take_payment(request: HttpRequest, payload: PaymentIn) -> Status[JsonObject]:
    community = communities_for(request.user).filter(pk=payload.community_id).first()
    if community is None:
        raise Http404
    resident: Resident | None = None
    if payload.payer_resident_id is not None:
        resident = residents_visible_to(request.user).filter(pk=payload.payer_resident_id).first()
        if resident is None:
            raise Http404
    entry = fees.fee_payment_take(
        actor=request_actor(request),
        community=community,
        data=fees.Payment(
            utility=payload.utility,
            account_number=payload.account_number,
            period=payload.period,
            amount=payload.amount,
            method=payload.method,
            payer_name=payload.payer_name,
            payer_resident=resident,
        ),
    )
    return Status(201, payment_out(selectors.payments_visible_to(request.user).get(pk=entry.pk)))
