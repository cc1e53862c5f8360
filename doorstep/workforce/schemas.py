"""Request and response shapes of the workforce endpoints under /api/v1/workforce/."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from doorstep.core.schemas import Id


class WorkerOut(Schema):
    id: int
    name: str
    community: str | None
    post: str
    hire_date: date
    certificate_deadline: date | None
    certified_until: date | None
    status: str
    hours_this_year: Decimal
    required_hours: Decimal


class CertificateOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    issued_on: date
    expires_on: date | None


class WorkerDetailOut(WorkerOut):
    certificates: list[CertificateOut]


class CertificateIn(Schema):
    kind: str = Field(..., description="social_worker / community_worker / other")
    number: str = Field(..., max_length=50)
    issued_on: date
    expires_on: date | None = None
    period_years: int | None = Field(None, ge=1, le=10)
    period_hours: Decimal | None = Field(None, ge=0, le=1000)


class ComplianceOut(Schema):
    community_id: int
    community: str
    street: str
    workers: int
    compliant: int
    due: int
    overdue: int
    short_hours: int


class SessionOut(Schema):
    id: int
    course: str
    organiser: str
    day: date
    hours: Decimal
    place: str


class AttendanceIn(Schema):
    worker_ids: list[Id] = Field(..., max_length=200)
    hours: Decimal | None = Field(None, gt=0, le=24)


class ExternalIn(Schema):
    title: str = Field(..., max_length=100)
    day: date
    hours: Decimal = Field(..., description="学时（一天不超过24）")
    evidence: str = Field(..., max_length=200, description="证明材料")


class ExternalOut(Schema):
    id: int
    worker_id: int
    title: str
    day: date
    hours: Decimal
    status: str


class LeaveIn(Schema):
    worker_id: Id
    starts_on: date
    ends_on: date
    kind: str = Field(..., description="annual / sick / personal / training / other")
    note: str = Field("", max_length=200)


class LeaveOut(Schema):
    id: int
    worker_id: int
    worker: str
    community: str
    starts_on: date
    ends_on: date
    kind: str
    cancelled: bool


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime


class LinkOut(Schema):
    case_id: int
    tracking_code: str
    outcome: str


class OnSiteOut(Schema):
    id: int
    community: str
    department: str
    topic: str
    status: str
    requested_at: datetime
    accepted_slot: SlotOut | None
    slots: list[SlotOut]
    cases: list[LinkOut]


class SlotIn(Schema):
    starts_at: datetime
    ends_at: datetime


class OnSiteIn(Schema):
    community_id: Id
    department_id: Id
    topic: str = Field(..., max_length=200)
    case_ids: list[Id] = Field(..., min_length=1, max_length=50)
    slots: list[SlotIn] = Field(..., min_length=1, max_length=5)


class AcceptIn(Schema):
    slot_id: Id


class OutcomeIn(Schema):
    case_id: Id
    outcome: str = Field(..., max_length=2000)


class PaymentIn(Schema):
    community_id: Id
    payer_name: str = Field("", max_length=50)
    payer_resident_id: Id | None = None
    utility: str = Field(..., description="water / electricity / gas")
    account_number: str = Field(..., max_length=30)
    period: str = Field(..., description="所属期，如 2026-11", max_length=7)
    amount: str = Field(..., description='金额（元），字符串形式的十进制数，如 "86.50"')
    method: str = Field(..., description="cash / qr")


class PaymentOut(Schema):
    id: int
    community: str
    seq: int
    kind: str
    receipt_number: str
    payer_name: str
    utility: str
    account_number: str
    period: str
    amount: Decimal
    method: str
    day: date
    reverses_id: int | None
    reason: str
    recorded_at: datetime
    hash: str
