"""Reads for 高龄补贴 (elderly subsidy), always scoped to the user's area (辖区范围)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from doorstep.core.money import ZERO
from doorstep.places import access
from doorstep.places.access import User, communities_for
from doorstep.places.models import Community, Grid

from .choices import CertificationMethod, CertificationResult, EnrolmentStatus
from .models import SubsidyBand, SubsidyCertification, SubsidyEnrolment

# ---------------------------------------------------------------- quarters


def quarter_start(day: date) -> date:
    """The first day of the quarter `day` falls in (Mar 31 → Jan 1, Apr 1 → Apr 1)."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - timedelta(days=1)


def quarter_label(start: date) -> str:
    return _("%(y)s年第%(q)s季度") % {"y": start.year, "q": (start.month - 1) // 3 + 1}


def subsidy_grace_days() -> int:
    """Days after the quarter starts before an uncertified payment is suspended (default 30;
    setting DOORSTEP_SUBSIDY_GRACE_DAYS). Quarter start + grace days is the suspension day."""
    return int(getattr(settings, "DOORSTEP_SUBSIDY_GRACE_DAYS", 30))


def suspension_day(quarter: date) -> date:
    return quarter + timedelta(days=subsidy_grace_days())


# ---------------------------------------------------------------- configuration


def bands_for(district_id: int | None) -> list[SubsidyBand]:
    """The district's age bands, or the defaults when the district has none."""
    own = list(SubsidyBand.objects.filter(district_id=district_id)) if district_id else []
    return own or list(SubsidyBand.objects.filter(district__isnull=True))


def band_for(bands: list[SubsidyBand], age: int | None) -> SubsidyBand | None:
    if age is None:
        return None
    return next((b for b in bands if b.contains(age)), None)


# ---------------------------------------------------------------- elderly subsidy


def enrolments_visible_to(user: User) -> QuerySet[SubsidyEnrolment]:
    return access.visible_to(user, SubsidyEnrolment).select_related(
        "resident__household__building__compound__grid", "community"
    )


def _certified_in(quarter: date) -> Exists:
    return Exists(
        SubsidyCertification.objects.filter(
            enrolment=OuterRef("pk"), quarter_start=quarter, result=CertificationResult.PASSED
        )
    )


def grids_of(user: User) -> QuerySet[Grid]:
    """A grid worker's own grids; everyone else sees all grids of their communities."""
    grids = Grid.objects.filter(community__in=communities_for(user))
    if access.may(user, "subsidy.own_grids"):
        return grids.filter(worker_id=user.pk)
    return grids


def subsidy_due(user: User, today: date, grid_id: int | None = None) -> QuerySet[SubsidyEnrolment]:
    """Recipients still to certify this quarter (本季度待认证), optionally for one grid."""
    quarter = quarter_start(today)
    qs = (
        enrolments_visible_to(user)
        .filter(status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED])
        .annotate(certified=_certified_in(quarter))
        .filter(certified=False)
        .order_by("resident__household__building__compound__name", "resident__name_pinyin")
    )
    if grid_id is not None:
        qs = qs.filter(resident__household__building__compound__grid_id=grid_id)
    return qs


def subsidy_due_list(
    user: User, community: Community, today: date, grid_id: int | None = None
) -> QuerySet[SubsidyEnrolment]:
    """The due list of one community as the page and its export show it: one grid when asked;
    a grid worker who asks for none sees their own grids only."""
    due = subsidy_due(user, today, grid_id).filter(community=community)
    if grid_id is None and access.may(user, "subsidy.own_grids"):
        due = due.filter(
            resident__household__building__compound__grid__in=grids_of(user).filter(
                community=community
            )
        )
    return due


def subsidy_home_visits(user: User, today: date) -> QuerySet[SubsidyEnrolment]:
    """Bedridden recipients still to certify: they are certified at home (入户认证)."""
    return subsidy_due(user, today).filter(resident__bedridden=True)


def subsidy_reminders(user: User, today: date) -> QuerySet[SubsidyEnrolment]:
    """Due, active, not yet reminded this quarter: call or visit them before the suspension."""
    return (
        subsidy_due(user, today)
        .filter(status=EnrolmentStatus.ACTIVE)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=quarter_start(today)))
    )


@dataclass
class BandRow:
    label: str
    monthly: Decimal
    people: int = 0
    monthly_total: Decimal = ZERO
    quarter_total: Decimal = ZERO


@dataclass
class SubsidyReport:
    quarter: date
    label: str
    enrolled: int
    certified: int
    by_method: list[tuple[str, int]]
    due: int
    overdue: int
    suspended: int
    proposed: int
    bands: list[BandRow] = field(default_factory=list)
    total_quarter: Decimal = ZERO


def subsidy_report(user: User, today: date, quarter: date | None = None) -> SubsidyReport:
    """Quarter report: enrolled, certified by method, overdue, suspended, amount per band.
    Amounts count recipients being paid (active) at their age on the quarter's first day."""
    q = quarter or quarter_start(today)
    enrolments = enrolments_visible_to(user)
    enrolled = enrolments.filter(status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED])
    certs = SubsidyCertification.objects.filter(
        enrolment__in=enrolled, quarter_start=q, result=CertificationResult.PASSED
    )
    counts = Counter(certs.values_list("method", flat=True))
    by_method = [(str(label), counts.get(value, 0)) for value, label in CertificationMethod.choices]
    uncertified = enrolled.annotate(c=_certified_in(q)).filter(c=False).count()
    past_deadline = today >= suspension_day(q) or today > quarter_end(q)
    bands_by_district: dict[int, list[SubsidyBand]] = {}
    rows: dict[str, BandRow] = {}
    active = enrolled.filter(status=EnrolmentStatus.ACTIVE).select_related("community__street")
    for enrolment in active:
        district_id = enrolment.community.street.district_id
        bands = bands_by_district.setdefault(district_id, bands_for(district_id))
        band = band_for(bands, enrolment.resident.age_on(q))
        if band is None:
            continue
        row = rows.setdefault(band.label, BandRow(band.label, band.monthly_amount))
        row.people += 1
        row.monthly_total += band.monthly_amount
        row.quarter_total += band.monthly_amount * 3
    ordered = sorted(rows.values(), key=lambda r: r.monthly)
    return SubsidyReport(
        quarter=q,
        label=quarter_label(q),
        enrolled=enrolled.count(),
        certified=sum(counts.values()),
        by_method=by_method,
        due=uncertified,
        overdue=uncertified if past_deadline else 0,
        suspended=enrolments.filter(status=EnrolmentStatus.SUSPENDED).count(),
        proposed=enrolments.filter(status=EnrolmentStatus.PROPOSED).count(),
        bands=ordered,
        total_quarter=sum((r.quarter_total for r in ordered), ZERO),
    )
