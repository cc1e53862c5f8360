"""Writes for 综合帮扶 (comprehensive assistance). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.money import parse_amount
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Resident
from doorstep.programmes.common import audit, community_in_area, required_text, today_or

from .choices import ApplicationStatus, AssistanceKind, HouseholdCategory, Vote
from .models import AssistanceApplication, AssistanceDisbursement, PanelMember, PanelVote

# ---------------------------------------------------------------- assistance (综合帮扶)

MIN_PANEL_VOTES = 3


@dataclass(frozen=True)
class ApplicationData:
    community_id: int
    applicant_name: str
    kind: str
    household_category: str
    hardship: str
    amount_requested: Any
    documents: str = ""
    resident_id: int | None = None
    applied_on: date | None = None


@transaction.atomic
def assistance_apply(*, actor: Actor, data: ApplicationData) -> AssistanceApplication:
    """Register an application for comprehensive assistance; it goes to the panel."""
    access.require(actor, "assistance", _("您无权办理综合帮扶。"))
    community = community_in_area(actor, data.community_id)
    if data.kind not in AssistanceKind.values:
        raise ValidationError({"kind": _("请选择帮扶类型。")})
    if data.household_category not in HouseholdCategory.values:
        raise ValidationError({"household_category": _("请选择家庭类别。")})
    resident = None
    if data.resident_id is not None:
        resident = Resident.objects.get(pk=data.resident_id, community=community)
    day = data.applied_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"applied_on": _("申请日期不能晚于今天。")})
    return AssistanceApplication.objects.create(
        community=community,
        resident=resident,
        applicant_name=required_text(
            data.applicant_name, "applicant_name", _("请填写申请人。"), 50
        ),
        kind=data.kind,
        household_category=data.household_category,
        hardship=required_text(data.hardship, "hardship", _("请填写困难情况。"), 5000),
        documents=(data.documents or "").strip()[:2000],
        amount_requested=parse_amount(data.amount_requested, "amount_requested"),
        applied_on=day,
        created_by=actor,
    )


@transaction.atomic
def panel_member_add(*, actor: Actor, community_id: int, name: str, note: str = "") -> PanelMember:
    access.require(actor, "assistance", _("您无权办理综合帮扶。"))
    community = community_in_area(actor, community_id)
    member = PanelMember.objects.create(
        community=community,
        name=required_text(name, "name", _("请填写成员姓名。"), 50),
        note=(note or "").strip()[:100],
    )
    audit(actor, "panel_member_add", "panel_member", member.pk, member.name)
    return member


@transaction.atomic
def assistance_vote(
    *,
    actor: Actor,
    application_id: int,
    member_id: int,
    vote: str,
    amount: Any = None,
    comment: str = "",
    conflict_note: str = "",
    now: datetime | None = None,
) -> PanelVote:
    """A panel member's vote, recorded by staff — once. A member with a conflict of interest
    declares it (vote = conflict) and so does not vote on this application (利益冲突回避)."""
    access.require(actor, "assistance", _("您无权办理综合帮扶。"))
    application = access.access_object(actor, AssistanceApplication, application_id, lock=True)
    member = PanelMember.objects.get(pk=member_id, community_id=application.community_id)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("该申请已作出决定，不能再投票。"))
    if not member.active:
        raise ValidationError(_("该成员已不在评议小组中。"))
    previous = PanelVote.objects.filter(application=application, member=member).first()
    if previous is not None:
        if previous.vote == Vote.ABSTAIN_CONFLICT:
            raise ValidationError(
                _("%(name)s 已申报利益冲突，不能参与本申请的投票。") % {"name": member.name}
            )
        raise ValidationError(
            _("%(name)s 已对本申请投过票，每位成员只能投票一次。") % {"name": member.name}
        )
    if vote not in Vote.values:
        raise ValidationError({"vote": _("请选择同意、不同意或回避。")})
    value: Decimal | None = None
    if vote == Vote.ABSTAIN_CONFLICT:
        conflict_note = required_text(conflict_note, "conflict_note", _("请说明利益冲突情况。"))
    elif vote == Vote.APPROVE:
        value = parse_amount(amount, "amount")
        if value > application.amount_requested:
            raise ValidationError({"amount": _("建议金额不能超过申请金额。")})
    comment = (comment or "").strip()[:500]
    if vote == Vote.REJECT and not comment:
        raise ValidationError({"comment": _("不同意时请填写理由。")})
    try:
        with transaction.atomic():
            return PanelVote.objects.create(
                application=application,
                member=member,
                vote=vote,
                amount=value,
                comment=comment,
                conflict_note=conflict_note if vote == Vote.ABSTAIN_CONFLICT else "",
                recorded_by=actor,
                at=now or timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(_("%(name)s 已对本申请投过票。") % {"name": member.name}) from None


def panel_outcome(votes: list[PanelVote]) -> tuple[str | None, Decimal | None, str]:
    """The majority of the valid (non-conflicted) votes decides; the amount is the median of the
    approving members' amounts (rounded down to the fen). Returns (status, amount, summary);
    status None when there are too few valid votes or a tie."""
    valid = [v for v in votes if v.vote != Vote.ABSTAIN_CONFLICT]
    approve = sorted(Decimal(v.amount or 0) for v in valid if v.vote == Vote.APPROVE)
    reject = len(valid) - len(approve)
    conflicted = len(votes) - len(valid)
    summary = _("有效票 %(n)s 张：同意 %(a)s，不同意 %(r)s；回避 %(c)s 人。") % {
        "n": len(valid),
        "a": len(approve),
        "r": reject,
        "c": conflicted,
    }
    if len(valid) < MIN_PANEL_VOTES or len(approve) == reject:
        return None, None, summary
    if len(approve) > reject:
        mid = len(approve) // 2
        median = approve[mid] if len(approve) % 2 else (approve[mid - 1] + approve[mid]) / 2
        return ApplicationStatus.APPROVED, median.quantize(Decimal("0.01")), summary
    return ApplicationStatus.REJECTED, None, summary


@transaction.atomic
def assistance_decide(
    *, actor: Actor, application_id: int, reason: str, today: date | None = None
) -> AssistanceApplication:
    """Record the panel's decision with its reasons (at least 3 valid votes, simple majority)."""
    access.require(actor, "assistance", _("您无权办理综合帮扶。"))
    application = access.access_object(actor, AssistanceApplication, application_id, lock=True)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("该申请已作出决定。"))
    reason = required_text(reason, "reason", _("请填写决定理由。"), 2000)
    status, amount, summary = panel_outcome(list(application.votes.all()))
    if status is None:
        raise ValidationError(
            _("尚不能决定：须至少 %(min)s 张有效票且同意与不同意票数不相等。%(summary)s")
            % {"min": MIN_PANEL_VOTES, "summary": summary}
        )
    application.status, application.amount_approved = status, amount
    application.decided_on, application.decided_by = today_or(today), actor
    application.decision_reason = f"{summary}\n{reason}"
    application.save(
        update_fields=["status", "amount_approved", "decided_on", "decided_by", "decision_reason"]
    )
    return application


@transaction.atomic
def assistance_disburse(
    *,
    actor: Actor,
    application_id: int,
    amount: Any,
    paid_on: date | None = None,
    note: str = "",
) -> AssistanceDisbursement:
    """Pay an approved application; the actor is recorded as the approver; never more than
    the approved amount in total."""
    access.require(actor, "assistance", _("您无权办理综合帮扶。"))
    application = access.access_object(actor, AssistanceApplication, application_id, lock=True)
    if application.status != ApplicationStatus.APPROVED or application.amount_approved is None:
        raise ValidationError(_("只有评议通过的申请才能发放。"))
    value = parse_amount(amount)
    day = paid_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"paid_on": _("发放日期不能晚于今天。")})
    paid = sum((d.amount for d in application.disbursements.all()), Decimal("0.00"))
    if paid + value > application.amount_approved:
        raise ValidationError(
            {
                "amount": _("累计发放不能超过核定金额 ¥%(a)s（已发放 ¥%(p)s）。")
                % {"a": application.amount_approved, "p": paid}
            }
        )
    return AssistanceDisbursement.objects.create(
        application=application, amount=value, paid_on=day, approved_by=actor, note=note[:200]
    )
