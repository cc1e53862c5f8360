"""Writes for 高龄补贴 (elderly subsidy). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Resident
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
