"""Writes for 高龄补贴 (elderly subsidy). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Community, Resident
from doorstep.programmes.common import audit, community_in_area, today_or

from .choices import CertificationMethod, CertificationResult, EnrolmentStatus
from .models import SubsidyCertification, SubsidyEnrolment
from .selectors import bands_for, quarter_start, subsidy_grace_days

# ---------------------------------------------------------------- elderly subsidy (高龄补贴)


@transaction.atomic
def subsidy_propose(*, actor: Actor, community_id: int, today: date | None = None) -> int:
    """Propose enrolment for every resident old enough for the lowest band (by birth date)."""
    access.require(actor, "subsidy.propose", _("只有社区前台或书记可以生成建议名单。"))
    community = community_in_area(actor, community_id)
    day = today_or(today)
    bands = bands_for(community.street.district_id)
    if not bands:
        return 0
    min_age = bands[0].min_age
    try:
        born_by = day.replace(year=day.year - min_age)
    except ValueError:  # 29 February
        born_by = day.replace(year=day.year - min_age, day=28)
    candidates = (
        Resident.objects.filter(community=community, birth_date__lte=born_by)
        .exclude(subsidy__isnull=False)
        .values_list("pk", flat=True)
    )
    rows = [
        SubsidyEnrolment(resident_id=pk, community=community, proposed_on=day) for pk in candidates
    ]
    SubsidyEnrolment.objects.bulk_create(rows, batch_size=1000)
    note = _("生成建议对象 %(n)s 名") % {"n": len(rows)}
    audit(actor, "subsidy_propose", "community", community.pk, note)
    return len(rows)


@transaction.atomic
def subsidy_confirm(*, actor: Actor, enrolment_ids: list[int], today: date | None = None) -> int:
    """The secretary confirms proposed enrolments (书记确认); payment starts."""
    access.require(actor, "subsidy.confirm", _("只有书记可以确认高龄补贴名单。"))
    day = today_or(today)
    qs = access.visible_to(actor, SubsidyEnrolment).filter(
        pk__in=enrolment_ids, status=EnrolmentStatus.PROPOSED
    )
    return qs.update(status=EnrolmentStatus.ACTIVE, confirmed_on=day, confirmed_by=actor)


@transaction.atomic
def subsidy_certify(
    *,
    actor: Actor,
    enrolment_id: int,
    method: str,
    result: str = CertificationResult.PASSED,
    note: str = "",
    now: datetime | None = None,
) -> SubsidyCertification:
    """Record this quarter's certification (季度认证). A pass reinstates a suspended payment.
    Only the result, method, who and when are kept — never a photo or face data."""
    access.require(actor, "subsidy.work", _("只有社区工作人员可以登记认证。"))
    # Locked: the desk and the grid worker certifying the same person at once.
    enrolment = access.access_object(actor, SubsidyEnrolment, enrolment_id, lock=True)
    if method not in CertificationMethod.values:
        raise ValidationError({"method": _("未知的认证方式。")})
    if result not in CertificationResult.values:
        raise ValidationError({"result": _("未知的认证结果。")})
    if enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED):
        raise ValidationError(
            _("该对象状态为%(s)s，不能认证。") % {"s": enrolment.get_status_display()}
        )
    at = now or timezone.now()
    quarter = quarter_start(timezone.localdate(at))
    if (
        result == CertificationResult.PASSED
        and SubsidyCertification.objects.filter(
            enrolment=enrolment, quarter_start=quarter, result=CertificationResult.PASSED
        ).exists()
    ):
        raise ValidationError(_("本季度已认证通过，无需重复认证。"))
    certification = SubsidyCertification.objects.create(
        enrolment=enrolment,
        quarter_start=quarter,
        method=method,
        result=result,
        certified_by=actor,
        certified_at=at,
        note=note.strip()[:200],
    )
    if result == CertificationResult.PASSED and enrolment.status == EnrolmentStatus.SUSPENDED:
        enrolment.status, enrolment.suspended_on = EnrolmentStatus.ACTIVE, None
        enrolment.save(update_fields=["status", "suspended_on"])
    return certification


@transaction.atomic
def subsidy_remind(*, actor: Actor, enrolment_ids: list[int], today: date | None = None) -> int:
    """Mark recipients as reminded (已提醒) — the reminder itself is a call or a visit."""
    access.require(actor, "subsidy.work", _("只有社区工作人员可以登记提醒。"))
    day = today_or(today)
    reminded = access.visible_to(actor, SubsidyEnrolment).filter(pk__in=enrolment_ids)
    n = reminded.update(reminded_on=day)
    audit(actor, "subsidy_remind", "subsidy_enrolment", day, _("标记提醒 %(n)s 人") % {"n": n})
    return n


@transaction.atomic
def subsidy_tick(today: date | None = None) -> int:
    """Suspend the payment of every active recipient not certified this quarter once the grace
    period is over (from quarter start + grace days; for someone confirmed during the quarter,
    from their confirmation + grace days). Idempotent; returns how many were suspended."""
    day = today_or(today)
    grace = timedelta(days=subsidy_grace_days())
    quarter = quarter_start(day)
    if day < quarter + grace:
        return 0
    certified = SubsidyCertification.objects.filter(
        quarter_start=quarter, result=CertificationResult.PASSED
    ).values("enrolment_id")
    return (
        SubsidyEnrolment.objects.filter(
            status=EnrolmentStatus.ACTIVE, confirmed_on__lte=day - grace
        )
        .exclude(pk__in=certified)
        .update(status=EnrolmentStatus.SUSPENDED, suspended_on=day)
    )


# ---------------------------------------------------------------- earlier years (历史名单导入)


@dataclass(frozen=True)
class PastCertification:
    """A quarter's certification recorded before: how, by whom, when (its quarter follows from
    the day, as in `subsidy_certify`)."""

    method: str
    certified_by: Actor
    certified_at: datetime
    result: str = CertificationResult.PASSED
    note: str = ""


@dataclass(frozen=True)
class PastEnrolment:
    """A recipient enrolled before (a paper register moved in): proposed, confirmed, and the
    certifications since."""

    resident_id: int
    proposed_on: date
    confirmed_on: date
    certifications: list[PastCertification] = field(default_factory=list)


@transaction.atomic
def subsidy_history_load(
    *,
    actor: Actor,
    community_id: int,
    enrolments: list[PastEnrolment],
    today: date | None = None,
) -> int:
    """Bulk-insert a community's recipients enrolled before (历史名单导入), each checked as the
    one-at-a-time services check it: a resident of the community not yet enrolled, old enough
    for the lowest band on the proposal day (`subsidy_propose`), confirmed by the actor — the
    secretary, who alone confirms (`subsidy_confirm`) — after the proposal and by today; each
    certification by community staff (`subsidy.work`), with a known method and result, between
    the confirmation and today, one pass a quarter (`subsidy_certify`). One bulk insert per
    table, one audit entry; a wrong line names its number and nothing is written."""
    access.require(actor, "subsidy.confirm", _("只有书记可以导入高龄补贴历史名单。"))
    community = community_in_area(actor, community_id)
    day = today_or(today)
    bands = bands_for(community.street.district_id)
    ids = [e.resident_id for e in enrolments]
    residents = Resident.objects.filter(community=community, pk__in=ids).in_bulk()
    taken = set(
        SubsidyEnrolment.objects.filter(resident_id__in=ids).values_list("resident_id", flat=True)
    )
    certifiers: dict[int, bool] = {}
    rows: list[SubsidyEnrolment] = []
    certifications: list[list[SubsidyCertification]] = []
    for n, past in enumerate(enrolments, start=1):
        try:
            row = _past_enrolment(past, residents, taken, bands[0].min_age if bands else None, day)
            row_certifications = _past_certifications(past, community, certifiers, day)
        except ValidationError as error:
            raise ValidationError(
                _("第 %(n)s 件：%(e)s") % {"n": n, "e": "；".join(error.messages)}
            ) from None
        row.community, row.confirmed_by = community, actor
        taken.add(past.resident_id)
        rows.append(row)
        certifications.append(row_certifications)
    SubsidyEnrolment.objects.bulk_create(rows, batch_size=2000)
    for row, row_certifications in zip(rows, certifications, strict=True):
        for certification in row_certifications:
            certification.enrolment = row
    SubsidyCertification.objects.bulk_create(
        [c for cs in certifications for c in cs], batch_size=2000
    )
    note = _("导入高龄补贴对象 %(n)s 名") % {"n": len(rows)}
    audit(actor, "subsidy_history_load", "community", community.pk, note)
    return len(rows)


def _past_enrolment(
    past: PastEnrolment,
    residents: dict[int, Resident],
    taken: set[int],
    min_age: int | None,
    today: date,
) -> SubsidyEnrolment:
    """One past enrolment checked (unsaved, without its community and confirmer)."""
    resident = residents.get(past.resident_id)
    if resident is None:
        raise ValidationError({"resident_id": _("该居民不在本社区。")})
    if past.resident_id in taken:
        raise ValidationError(_("%(name)s 已在高龄补贴名单中。") % {"name": resident.name})
    age = resident.age_on(past.proposed_on)
    if min_age is None or age is None or age < min_age:
        raise ValidationError(_("%(name)s 在建议日期未满补贴起始年龄。") % {"name": resident.name})
    if not past.proposed_on <= past.confirmed_on <= today:
        raise ValidationError({"confirmed_on": _("确认日期须在建议日期与今天之间。")})
    return SubsidyEnrolment(
        resident=resident,
        status=EnrolmentStatus.ACTIVE,
        proposed_on=past.proposed_on,
        confirmed_on=past.confirmed_on,
    )


def _past_certifications(
    past: PastEnrolment, community: Community, certifiers: dict[int, bool], today: date
) -> list[SubsidyCertification]:
    """The certifications of one past enrolment (unsaved), checked as `subsidy_certify`
    checks one."""
    rows: list[SubsidyCertification] = []
    for certification in past.certifications:
        if certification.method not in CertificationMethod.values:
            raise ValidationError({"method": _("未知的认证方式。")})
        if certification.result not in CertificationResult.values:
            raise ValidationError({"result": _("未知的认证结果。")})
        by = certification.certified_by
        if by.pk not in certifiers:
            certifiers[by.pk] = access.may(by, "subsidy.work", community)
        if not certifiers[by.pk]:
            raise ValidationError({"certified_by": _("认证人不是该社区的工作人员。")})
        day = timezone.localdate(certification.certified_at)
        if not past.confirmed_on <= day <= today:
            raise ValidationError({"certified_at": _("认证日期须在确认日期与今天之间。")})
        quarter = quarter_start(day)
        passed = CertificationResult.PASSED
        if certification.result == passed and any(
            r.quarter_start == quarter and r.result == passed for r in rows
        ):
            raise ValidationError(_("本季度已认证通过，无需重复认证。"))
        rows.append(
            SubsidyCertification(
                quarter_start=quarter,
                method=certification.method,
                result=certification.result,
                certified_by=by,
                certified_at=certification.certified_at,
                note=certification.note.strip()[:200],
            )
        )
    return rows
