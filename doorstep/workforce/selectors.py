"""Reads for the workforce area, always through the reader's area (辖区范围)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from doorstep.core.money import money_sum
from doorstep.core.types import Actor
from doorstep.field.models import PostPair
from doorstep.places import access
from doorstep.places.access import LEADER_POSTS
from doorstep.places.models import Community
from doorstep.places.selectors import User

from .choices import Compliance, ExternalStatus, PaymentKind, PayMethod, SessionStatus
from .models import (
    Alert,
    Attendance,
    Certificate,
    ExternalTraining,
    FeeDayClose,
    FeePayment,
    Leave,
    OnSiteSession,
    TrainingSession,
    VideoAppointment,
    WorkerRecord,
    WorkforceRule,
)

DUE_WINDOW_DAYS = 90
NEVER_EXPIRES = date(9999, 12, 31)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Rule:
    """The district's certificate and training rule; Tianjin's unless the district set one."""

    label: str
    certificate_years: int
    age_limit: int
    leader_hours: Decimal
    other_hours: Decimal

    def required_hours(self, post: str) -> Decimal:
        return self.leader_hours if post in LEADER_POSTS else self.other_hours


TIANJIN = Rule(
    label="天津市规定：书记、主任每年培训不少于40学时，其他人员不少于20学时；"
    "45岁以下人员入职2年内须取得社会工作者或社区工作者职业资格证书",
    certificate_years=2,
    age_limit=45,
    leader_hours=Decimal("40"),
    other_hours=Decimal("20"),
)


def rule_for(district_id: int) -> Rule:
    row = WorkforceRule.objects.filter(district_id=district_id).first()
    if row is None:
        return TIANJIN
    return Rule(
        label=row.label,
        certificate_years=row.certificate_years,
        age_limit=row.age_limit,
        leader_hours=row.leader_hours,
        other_hours=row.other_hours,
    )


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- scope


def workers_visible_to(user: User) -> QuerySet[WorkerRecord]:
    """Community staff see their community's records, street staff the street's, district
    admins the district's; department staff only their own (the rule: ``places.access``)."""
    return access.visible_to(user, WorkerRecord.objects.select_related("community", "street"))


def access_worker(user: User, worker_id: int, *, lock: bool = False) -> WorkerRecord:
    """One worker record in the reader's area, locked when ``lock``; else DoesNotExist."""
    return access.access_object(
        user, WorkerRecord.objects.select_related("community", "street"), worker_id, lock=lock
    )


def can_manage(user: User, community_id: int | None) -> bool:
    """The secretary of the community, its street, or the district may keep its records."""
    if community_id is None:
        return access.may(user, "workforce.manage_street")
    return access.may(user, "workforce.manage", community_id)


# ---------------------------------------------------------------- compliance


def _compliance_q(day: date) -> tuple[Q, Q]:
    """(overdue, due) as conditions, so one grouped query can count them per community."""
    soon = day + timedelta(days=DUE_WINDOW_DAYS)
    applies = Q(certificate_deadline__isnull=False)
    valid = Q(certified_until__gte=day)
    overdue = applies & ~valid & Q(certificate_deadline__lt=day)
    due = applies & (
        Q(certified_until__gte=day, certified_until__lt=soon)
        | (~valid & Q(certificate_deadline__gte=day, certificate_deadline__lte=soon))
    )
    return overdue, due


def compliance_q(status: str, day: date) -> Q:
    overdue, due = _compliance_q(day)
    return {Compliance.OVERDUE: overdue, Compliance.DUE: due}.get(
        Compliance(status), ~overdue & ~due
    )


def with_compliance(qs: QuerySet[WorkerRecord], day: date, year: int) -> QuerySet[WorkerRecord]:
    overdue, due = _compliance_q(day)
    return qs.annotate(
        status=Case(
            When(overdue, then=Value(Compliance.OVERDUE.value)),
            When(due, then=Value(Compliance.DUE.value)),
            default=Value(Compliance.COMPLIANT.value),
            output_field=CharField(),
        ),
        this_year=FilteredRelation("years", condition=Q(years__year=year)),
        hours_this_year=Coalesce(
            "this_year__hours", Value(Decimal("0")), output_field=DecimalField()
        ),
    )


@dataclass
class CommunityCompliance:
    """One row of the compliance view: a community, or a whole street (community_id None)."""

    community_id: int | None
    community: str
    street_id: int
    street: str
    workers: int
    compliant: int
    due: int
    overdue: int
    short_hours: int


def _grouped(qs: QuerySet[WorkerRecord], day: date, rule: Rule, *fields: str) -> QuerySet[Any]:
    overdue, due = _compliance_q(day)
    leader = Q(post__in=LEADER_POSTS)
    short = (
        Q(this_year__hours__isnull=True)
        | (leader & Q(this_year__hours__lt=rule.leader_hours))
        | (~leader & Q(this_year__hours__lt=rule.other_hours))
    )
    return (
        qs.filter(community__isnull=False)
        .annotate(this_year=FilteredRelation("years", condition=Q(years__year=day.year)))
        .values(*fields)
        .annotate(
            workers=Count("pk"),
            overdue=Count("pk", filter=overdue),
            due=Count("pk", filter=due),
            short_hours=Count("pk", filter=short),
        )
        .order_by(*fields[1:])
    )


def _row(r: dict[str, Any], community_id: int | None, community: str) -> CommunityCompliance:
    return CommunityCompliance(
        community_id=community_id,
        community=community,
        street_id=r["street_id"],
        street=r["street__name"] or "",
        workers=r["workers"],
        compliant=r["workers"] - r["overdue"] - r["due"],
        due=r["due"],
        overdue=r["overdue"],
        short_hours=r["short_hours"],
    )


def compliance_by_community(
    user: User, day: date, rule: Rule, street_id: int | None = None
) -> list[CommunityCompliance]:
    """The street view (and the district's export): one grouped query whatever the number of
    communities."""
    qs = workers_visible_to(user)
    if street_id is not None:
        qs = qs.filter(street_id=street_id)
    rows = _grouped(qs, day, rule, "community_id", "street__name", "community__name", "street_id")
    return [_row(r, r["community_id"], r["community__name"]) for r in rows]


def compliance_by_street(user: User, day: date, rule: Rule) -> list[CommunityCompliance]:
    """The district view: one row per street (36 in Pudong), one grouped query."""
    rows = _grouped(workers_visible_to(user), day, rule, "street_id", "street__name")
    return [_row(r, None, "") for r in rows]


def worker_get(user: User, worker_id: int) -> WorkerRecord:
    """Raises WorkerRecord.DoesNotExist outside the reader's area (→ 404)."""
    day = today()
    return with_compliance(workers_visible_to(user), day, day.year).get(pk=worker_id)


def worker_attendance(worker: WorkerRecord) -> QuerySet[Attendance]:
    """The sessions a worker attended (the caller already holds the worker through
    `worker_get`, which scoped it)."""
    return worker.attendance.select_related("session__course")


def worker_external(worker: WorkerRecord) -> QuerySet[ExternalTraining]:
    """A worker's external training, every status."""
    return worker.external.all()


@dataclass
class ContinuingEducation:
    certificate: Certificate
    period_start: date
    period_end: date
    required: Decimal
    done: Decimal


def credited_hours(worker: WorkerRecord, start: date, end: date) -> Decimal:
    """Hours credited between two dates (end exclusive): attendance plus approved external."""
    attended = Attendance.objects.filter(
        worker=worker, session__day__gte=start, session__day__lt=end
    ).aggregate(h=Sum("hours"))["h"]
    external = ExternalTraining.objects.filter(
        worker=worker, status=ExternalStatus.APPROVED, day__gte=start, day__lt=end
    ).aggregate(h=Sum("hours"))["h"]
    return (Decimal(attended or 0) + Decimal(external or 0)).quantize(TENTH)


def continuing_education(worker: WorkerRecord, day: date) -> list[ContinuingEducation]:
    """继续教育: for each certificate with a registration period, the current period's hours."""
    found = []
    for cert in worker.certificates.filter(period_years__isnull=False, period_hours__isnull=False):
        years = cert.period_years or 1
        start = cert.issued_on
        while _add_years(start, years) <= day:
            start = _add_years(start, years)
        end = _add_years(start, years)
        found.append(
            ContinuingEducation(
                certificate=cert,
                period_start=start,
                period_end=end - timedelta(days=1),
                required=cert.period_hours or Decimal("0"),
                done=credited_hours(worker, start, end),
            )
        )
    return found


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def alerts_for(user: User, day: date) -> QuerySet[Alert]:
    return Alert.objects.filter(recipient_id=user.pk, target_date__gte=day).select_related("worker")


# ---------------------------------------------------------------- training


def sessions_visible_to(user: User) -> QuerySet[TrainingSession]:
    """The district's street- and district-level courses, and those of the reader's area."""
    return access.visible_to(user, TrainingSession.objects.select_related("course"))


def access_session(user: User, session_id: int) -> TrainingSession:
    return access.access_object(user, TrainingSession.objects.select_related("course"), session_id)


def external_visible_to(user: User) -> QuerySet[ExternalTraining]:
    return access.visible_to(user, ExternalTraining.objects.select_related("worker"))


def access_external(user: User, entry_id: int, *, lock: bool = False) -> ExternalTraining:
    return access.access_object(
        user, ExternalTraining.objects.select_related("worker"), entry_id, lock=lock
    )


# ---------------------------------------------------------------- leave


def leave_visible_to(user: User) -> QuerySet[Leave]:
    """The area's leave; department staff see only their own."""
    return access.visible_to(user, Leave.objects.select_related("worker__staff", "community"))


def access_leave(user: User, leave_id: int, *, lock: bool = False) -> Leave:
    return access.access_object(
        user, Leave.objects.select_related("worker__staff", "community"), leave_id, lock=lock
    )


def post_pairs_of(community: Community) -> QuerySet[PostPair]:
    return PostPair.objects.filter(community=community)


# ---------------------------------------------------------------- departments on site


def onsite_visible_to(user: User) -> QuerySet[OnSiteSession]:
    """Department staff see the sessions they are invited to; everyone else their area's."""
    return access.visible_to(user, _onsite())


def _onsite() -> QuerySet[OnSiteSession]:
    return OnSiteSession.objects.select_related("community", "department", "accepted_slot")


def access_onsite(user: User, session_id: int, *, lock: bool = False) -> OnSiteSession:
    return access.access_object(user, _onsite(), session_id, lock=lock)


def public_onsite(day: date, days: int = 45) -> list[OnSiteSession]:
    """The stations' public schedule (现场办公日程): accepted sessions in the coming weeks."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return list(
        OnSiteSession.objects.filter(
            status=SessionStatus.ACCEPTED,
            accepted_slot__starts_at__gte=start,
            accepted_slot__starts_at__lt=start + timedelta(days=days),
        )
        .select_related("community", "department", "accepted_slot")
        .order_by("accepted_slot__starts_at")
    )


def video_visible_to(user: User) -> QuerySet[VideoAppointment]:
    return access.visible_to(user, VideoAppointment.objects.select_related("case", "community"))


# ---------------------------------------------------------------- fee counter


def payments_visible_to(user: User) -> QuerySet[FeePayment]:
    """The area's counter payments; department staff see none."""
    return access.visible_to(
        user, FeePayment.objects.select_related("counter__community", "taken_by__staff")
    )


@dataclass
class DayTotals:
    cash: Decimal
    qr: Decimal
    payments: int


def day_totals(community: Community, day: date) -> DayTotals:
    """Signed totals of one day at one counter: payments minus reversals, by method."""
    rows = (
        FeePayment.objects.filter(counter__community=community, day=day)
        .values("method", "kind")
        .annotate(total=Sum("amount"), n=Count("pk"))
    )
    cash = qr = ZERO
    payments = 0
    for row in rows:
        # SQLite sums decimals as floats: back to cents before adding.
        total = Decimal(row["total"]).quantize(CENT)
        signed = total if row["kind"] == PaymentKind.PAYMENT else -total
        if row["method"] == PayMethod.CASH:
            cash += signed
        else:
            qr += signed
        if row["kind"] == PaymentKind.PAYMENT:
            payments += row["n"]
    return DayTotals(cash=cash, qr=qr, payments=payments)


def signed_total(payments: QuerySet[FeePayment]) -> Decimal:
    """Payments minus reversals, in one aggregate (not a loop over the month's rows)."""
    row = payments.aggregate(
        paid=Sum("amount", filter=Q(kind=PaymentKind.PAYMENT)),
        reversed=Sum("amount", filter=~Q(kind=PaymentKind.PAYMENT)),
    )
    return money_sum(row["paid"]) - money_sum(row["reversed"])


def day_close(community: Community, day: date) -> FeeDayClose | None:
    return FeeDayClose.objects.filter(community=community, day=day).first()


def is_counter_staff(user: Actor, community: Community) -> bool:
    """The desk or the secretary of this very community takes payments (收费柜台)."""
    return access.may(user, "workforce.counter") and access.is_community_staff(user, community)
