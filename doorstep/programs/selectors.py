"""Reads for the standing programmes, always scoped to the user's area (辖区范围)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.places.choices import COMMUNITY_ROLES, Role
from doorstep.places.models import Community, Grid, Resident
from doorstep.places.selectors import User, communities_for, staff_profile

from .choices import (
    ApplicationStatus,
    AssistanceKind,
    CertificateKind,
    CertificationMethod,
    CertificationResult,
    DisbursementStatus,
    EnrolmentStatus,
    FundEntryKind,
    HouseholdCategory,
)
from .models import (
    AssistanceApplication,
    CanteenPriceRule,
    Certificate,
    CertificateTemplate,
    FundDisbursementRequest,
    FundEntry,
    LoveFund,
    Meal,
    SubsidyBand,
    SubsidyCertification,
    SubsidyEnrolment,
    VolunteerRecord,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(value: Decimal | None) -> Decimal:
    """Sums come back from SQLite without their scale (`Decimal("6")`): give them fen again."""
    return Decimal(value or 0).quantize(CENT)


ASSISTANCE_VIEW_ROLES = {Role.SECRETARY, Role.STREET, Role.DISTRICT}
PROGRAMME_VIEW_ROLES = {Role.DESK, Role.GRID, Role.SECRETARY, Role.STREET, Role.DISTRICT}


def require_role(user: User, roles: set[Role]) -> Any:
    """The user's staff profile if their post is one of `roles`; otherwise 403."""
    profile = staff_profile(user)
    if profile is None or profile.role not in roles:
        raise PermissionDenied(_("您的岗位无权查看此页面。"))
    return profile


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


def canteen_rule(district_id: int | None) -> CanteenPriceRule:
    rule = CanteenPriceRule.objects.filter(district_id=district_id).first() if district_id else None
    return (
        rule or CanteenPriceRule.objects.filter(district__isnull=True).first() or CanteenPriceRule()
    )


@dataclass(frozen=True)
class MealPrice:
    price: Decimal
    subsidy: Decimal
    delivery_fee: Decimal
    paid: Decimal
    free_delivery: bool


def free_delivery(rule: CanteenPriceRule, resident: Resident, day: date) -> bool:
    """Free delivery for the bedridden 60+ and everyone 80+ (seed rules)."""
    age = resident.age_on(day)
    if age is None:
        return False
    return age >= rule.free_delivery_age or (
        resident.bedridden and age >= rule.free_delivery_bedridden_age
    )


def meal_price(rule: CanteenPriceRule, resident: Resident, day: date, delivered: bool) -> MealPrice:
    """A ¥9 meal: residents 60+ on 低保 pay ¥3 and the street pays ¥6 (seed rules)."""
    age = resident.age_on(day)
    subsidised = age is not None and age >= rule.subsidy_min_age and resident.subsistence_allowance
    subsidy = (
        min(Decimal(rule.subsistence_subsidy), Decimal(rule.base_price)) if subsidised else ZERO
    )
    free = free_delivery(rule, resident, day)
    fee = Decimal(rule.delivery_fee) if delivered and not free else ZERO
    price = Decimal(rule.base_price)
    return MealPrice(price, subsidy, fee, price - subsidy + fee, free)


# ---------------------------------------------------------------- love fund


def fund_for(community: Community) -> LoveFund | None:
    return LoveFund.objects.filter(community=community).first()


@dataclass
class FundSummary:
    balance: Decimal
    total_in: Decimal
    total_out: Decimal
    people_helped: int
    donor_count: int
    months: list[dict[str, Any]]


def fund_public_summary(community: Community, months: int = 12) -> FundSummary:
    """What the public transparency page shows: monthly totals, balance, people helped —
    never a donor's or recipient's name."""
    fund = fund_for(community)
    if fund is None:
        return FundSummary(ZERO, ZERO, ZERO, 0, 0, [])
    entries = FundEntry.objects.filter(fund=fund)
    totals = entries.aggregate(
        total_in=Sum("amount", filter=Q(kind=FundEntryKind.DONATION)),
        total_out=Sum("amount", filter=Q(kind=FundEntryKind.DISBURSEMENT)),
        helped=Sum("people_helped", filter=Q(kind=FundEntryKind.DISBURSEMENT)),
        donors=Sum("donor_count", filter=Q(kind=FundEntryKind.DONATION)),
    )
    by_month: dict[date, dict[str, Any]] = {}
    rows = (
        entries.annotate(month=TruncMonth("day"))
        .values("month", "kind")
        .annotate(total=Sum("amount"), helped=Sum("people_helped"))
        .order_by("-month")
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, date) and not isinstance(month, type(None)):
            month = date(month.year, month.month, 1)
        slot = by_month.setdefault(month, {"month": month, "in": ZERO, "out": ZERO, "helped": 0})
        if row["kind"] == FundEntryKind.DONATION:
            slot["in"] += _money(row["total"])
        else:
            slot["out"] += _money(row["total"])
            slot["helped"] += row["helped"] or 0
    recent = sorted(by_month.values(), key=lambda r: r["month"], reverse=True)[:months]
    return FundSummary(
        balance=fund.balance,
        total_in=_money(totals["total_in"]),
        total_out=_money(totals["total_out"]),
        people_helped=totals["helped"] or 0,
        donor_count=totals["donors"] or 0,
        months=recent,
    )


def fund_entries(user: User, community: Community) -> QuerySet[FundEntry]:
    return FundEntry.objects.filter(
        fund__community=community, fund__community__in=communities_for(user)
    ).order_by("-seq")


def fund_requests_open(user: User, community: Community) -> QuerySet[FundDisbursementRequest]:
    return FundDisbursementRequest.objects.filter(
        fund__community=community,
        fund__community__in=communities_for(user),
        status__in=[DisbursementStatus.REQUESTED, DisbursementStatus.FIRST_APPROVED],
    ).select_related("requested_by__staff", "first_approver__staff")


# ---------------------------------------------------------------- certificates

PLACEHOLDERS: dict[str, Any] = {
    "name": gettext_lazy("姓名"),
    "gender": gettext_lazy("性别"),
    "id_number": gettext_lazy("身份证号"),
    "address": gettext_lazy("住址（区、街道、社区、门牌）"),
    "community": gettext_lazy("社区名称"),
    "street": gettext_lazy("街道名称"),
    "district": gettext_lazy("区名称"),
    "hours": gettext_lazy("志愿服务累计时长"),
    "count": gettext_lazy("志愿服务次数"),
    "first_date": gettext_lazy("首次服务日期"),
    "last_date": gettext_lazy("最近服务日期"),
    "activities": gettext_lazy("参加的活动"),
    "category": gettext_lazy("家庭类别（低保/低收入）"),
    "purpose": gettext_lazy("用途"),
    "date": gettext_lazy("开具日期"),
}

DEFAULT_TEMPLATES: dict[str, tuple[str, str, int]] = {
    CertificateKind.RESIDENCE: (
        "居住证明",
        "兹证明{name}（{gender}，身份证号：{id_number}）现居住于{address}，"
        "系本社区居民。\n\n此证明用于{purpose}。\n\n特此证明。",
        90,
    ),
    CertificateKind.VOLUNTEER: (
        "志愿服务证明",
        "兹证明{name}（身份证号：{id_number}）于{first_date}至{last_date}期间，"
        "在{community}参加志愿服务{count}次，累计服务时长{hours}小时，"
        "主要参加：{activities}。\n\n特此证明。",
        365,
    ),
    CertificateKind.HARDSHIP: (
        "学生家庭经济困难证明",
        "兹证明{name}（身份证号：{id_number}），家住{address}，其家庭为{category}，"
        "家庭经济困难，情况属实。\n\n此证明用于{purpose}。\n\n特此证明。",
        180,
    ),
}


def certificate_placeholders() -> dict[str, str]:
    return {key: str(label) for key, label in PLACEHOLDERS.items()}


def certificate_template(district_id: int, kind: str) -> CertificateTemplate:
    """The district's template for `kind`, or the built-in default (unsaved)."""
    saved = CertificateTemplate.objects.filter(district_id=district_id, kind=kind).first()
    if saved is not None:
        return saved
    title, body, days = DEFAULT_TEMPLATES[kind]
    return CertificateTemplate(
        district_id=district_id, kind=kind, title=title, body=body, validity_days=days
    )


def certificate_missing(resident: Resident, kind: str) -> str:
    """What is not on file for this certificate ('' when it can be issued at once)."""
    if (
        kind in (CertificateKind.RESIDENCE, CertificateKind.HARDSHIP)
        and resident.household_id is None
    ):
        return _("居民未登记户籍住址")
    if (
        kind == CertificateKind.VOLUNTEER
        and not VolunteerRecord.objects.filter(resident=resident).exists()
    ):
        return _("没有志愿服务时长记录")
    if kind == CertificateKind.HARDSHIP and not (
        resident.subsistence_allowance or resident.low_income
    ):
        return _("居民家庭未登记为低保或低收入家庭")
    return ""


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(community__in=communities_for(user)).select_related(
        "resident", "community", "issued_by__staff"
    )


# ---------------------------------------------------------------- elderly subsidy


def enrolments_visible_to(user: User) -> QuerySet[SubsidyEnrolment]:
    return SubsidyEnrolment.objects.filter(community__in=communities_for(user)).select_related(
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
    profile = staff_profile(user)
    grids = Grid.objects.filter(community__in=communities_for(user))
    if profile is not None and profile.role == Role.GRID:
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


# ---------------------------------------------------------------- assistance


def applications_visible_to(user: User) -> QuerySet[AssistanceApplication]:
    """Assistance files: only the secretary, street and district (never desk or grid)."""
    require_role(user, ASSISTANCE_VIEW_ROLES)
    return AssistanceApplication.objects.filter(community__in=communities_for(user)).select_related(
        "community"
    )


@dataclass
class AssistanceSummary:
    start: date
    end: date
    cases: int
    total: Decimal
    by_kind: list[tuple[str, int, Decimal]]
    by_category: list[tuple[str, int, Decimal]]


def assistance_summary(user: User, start: date, end: date) -> AssistanceSummary:
    """Approved applications decided in [start, end] and what was paid on them — the shape of
    the Zhangyan figures (877 cases, ¥3,207,100; 800/16/61 by type; 50/147/680 by category)."""
    qs = applications_visible_to(user).filter(
        status=ApplicationStatus.APPROVED, decided_on__gte=start, decided_on__lte=end
    )
    rows = qs.values("kind", "household_category").annotate(
        n=Count("id"), paid=Sum("disbursements__amount")
    )
    kinds: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    cats: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    for row in rows:
        for bucket, key in ((kinds, row["kind"]), (cats, row["household_category"])):
            bucket[key][0] += row["n"]
            bucket[key][1] += _money(row["paid"])
    return AssistanceSummary(
        start=start,
        end=end,
        cases=sum(v[0] for v in kinds.values()),
        total=sum((v[1] for v in kinds.values()), ZERO),
        by_kind=[(label, *kinds[value]) for value, label in AssistanceKind.choices],
        by_category=[(label, *cats[value]) for value, label in HouseholdCategory.choices],
    )


# ---------------------------------------------------------------- canteen


def meals_on(user: User, community: Community, day: date) -> QuerySet[Meal]:
    return Meal.objects.filter(
        community=community, community__in=communities_for(user), day=day
    ).select_related("resident__household__building__compound")


def delivery_list(user: User, community: Community, day: date) -> QuerySet[Meal]:
    """Meals to carry to the door on `day` (送餐名单), by compound and building."""
    return (
        meals_on(user, community, day)
        .filter(delivered=True)
        .order_by(
            "resident__household__building__compound__name",
            "resident__household__building__name",
            "resident__household__room",
        )
    )


@dataclass
class ClaimRow:
    resident: Resident
    meals: int
    subsidy: Decimal


@dataclass
class CanteenClaim:
    """The monthly subsidy claim to the street (食堂补贴申领表)."""

    community: Community
    month: date
    rows: list[ClaimRow]
    meals: int
    subsidised_meals: int
    subsidy_total: Decimal
    paid_total: Decimal
    delivery_total: Decimal


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, following - timedelta(days=1)


def canteen_claim(user: User, community: Community, month: date) -> CanteenClaim:
    start, end = month_bounds(month)
    meals = Meal.objects.filter(
        community=community,
        community__in=communities_for(user),
        day__gte=start,
        day__lte=end,
    )
    totals = meals.aggregate(
        n=Count("id"),
        subsidy_sum=Sum("subsidy"),
        paid_sum=Sum("paid"),
        delivery_sum=Sum("delivery_fee"),
        subsidised=Count("id", filter=Q(subsidy__gt=0)),
    )
    per_resident = (
        meals.filter(subsidy__gt=0)
        .values("resident_id")
        .annotate(n=Count("id"), subsidy_sum=Sum("subsidy"))
        .order_by("resident_id")
    )
    residents = Resident.objects.in_bulk([r["resident_id"] for r in per_resident])
    rows = [
        ClaimRow(residents[r["resident_id"]], r["n"], _money(r["subsidy_sum"]))
        for r in per_resident
    ]
    rows.sort(key=lambda r: r.resident.name_pinyin)
    return CanteenClaim(
        community=community,
        month=start,
        rows=rows,
        meals=totals["n"] or 0,
        subsidised_meals=totals["subsidised"] or 0,
        subsidy_total=_money(totals["subsidy_sum"]),
        paid_total=_money(totals["paid_sum"]),
        delivery_total=_money(totals["delivery_sum"]),
    )


def staff_communities(user: User) -> QuerySet[Community]:
    return communities_for(user).order_by("pk")


def is_community_staff(user: User) -> bool:
    profile = staff_profile(user)
    return bool(profile and profile.role in COMMUNITY_ROLES)
