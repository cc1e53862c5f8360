"""Writes for 综合帮扶 (comprehensive assistance). Each function checks the actor's permission
first, runs in one transaction and either completes or leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

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
    amount_requested: object
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
    amount: object = None,
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
    amount: object,
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


# ---------------------------------------------------------------- earlier years (历史帮扶导入)


@dataclass(frozen=True)
class PastVote:
    """One panel member's vote on an application decided before."""

    member_id: int
    vote: str
    amount: Decimal | None = None
    comment: str = ""
    conflict_note: str = ""


@dataclass(frozen=True)
class PastApplication:
    """An application decided before (the street's earlier years, a paper register moved in):
    what was asked, when the panel met and how it voted, who recorded the decision and why,
    and — when approved — the day the approved amount was paid."""

    community_id: int
    applicant_name: str
    kind: str
    household_category: str
    hardship: str
    amount_requested: Decimal
    applied_on: date
    panel_at: datetime
    decided_on: date
    decided_by: Actor
    reason: str
    votes: list[PastVote]
    documents: str = ""
    paid_on: date | None = None


@transaction.atomic
def assistance_history_load(
    *, actor: Actor, applications: list[PastApplication], today: date | None = None
) -> int:
    """Bulk-insert applications decided before (历史帮扶导入), each checked as the one-at-a-time
    services check it: kind and category, panel members of its own community, each vote valid
    (`_past_votes`), the outcome decided by `panel_outcome` — which gives the status, the
    approved amount and the summary at the head of the reason, exactly as `assistance_decide`
    does — and a payment only of an approved amount. The recorder of each decision must hold
    the assistance permission in that community. One bulk insert per table, one audit entry.
    Only staff with the assistance permission, for communities in their area."""
    access.require(actor, "assistance", _("您无权办理综合帮扶。"))
    day = today_or(today)
    communities = {
        cid: community_in_area(actor, cid) for cid in sorted({a.community_id for a in applications})
    }
    members = {m.pk: m for m in PanelMember.objects.filter(community_id__in=communities)}
    recorders: dict[tuple[int, int], bool] = {}
    rows: list[AssistanceApplication] = []
    votes: list[list[PanelVote]] = []
    for n, past in enumerate(applications, start=1):
        try:
            row, row_votes = _past_application(past, members, day, recorders)
        except ValidationError as error:
            raise ValidationError(
                _("第 %(n)s 件：%(e)s") % {"n": n, "e": "；".join(error.messages)}
            ) from None
        row.community = communities[past.community_id]
        rows.append(row)
        votes.append(row_votes)
    AssistanceApplication.objects.bulk_create(rows, batch_size=1000)
    for row, row_votes in zip(rows, votes, strict=True):
        for vote in row_votes:
            vote.application = row
    PanelVote.objects.bulk_create([v for vs in votes for v in vs], batch_size=2000)
    AssistanceDisbursement.objects.bulk_create(
        [
            AssistanceDisbursement(
                application=row,
                amount=row.amount_approved,
                paid_on=past.paid_on,
                approved_by=row.decided_by,
            )
            for row, past in zip(rows, applications, strict=True)
            if past.paid_on is not None and row.amount_approved is not None
        ],
        batch_size=2000,
    )
    note = _("导入 %(n)s 件（%(c)s 个社区）") % {"n": len(rows), "c": len(communities)}
    loaded = f"{rows[0].pk}-{rows[-1].pk}" if rows else "-"
    audit(actor, "assistance_history_load", "assistance_application", loaded, note)
    return len(rows)


def _past_application(
    past: PastApplication,
    members: dict[int, PanelMember],
    today: date,
    recorders: dict[tuple[int, int], bool],
) -> tuple[AssistanceApplication, list[PanelVote]]:
    """One past application checked, with its votes (both unsaved)."""
    if past.kind not in AssistanceKind.values:
        raise ValidationError({"kind": _("请选择帮扶类型。")})
    if past.household_category not in HouseholdCategory.values:
        raise ValidationError({"household_category": _("请选择家庭类别。")})
    if not past.applied_on <= past.decided_on <= today:
        raise ValidationError({"decided_on": _("决定日期须在申请日期与今天之间。")})
    key = (past.decided_by.pk, past.community_id)
    if key not in recorders:
        recorders[key] = access.may(past.decided_by, "assistance", past.community_id)
    if not recorders[key]:
        raise ValidationError({"decided_by": _("决定人无权办理该社区的综合帮扶。")})
    requested = parse_amount(past.amount_requested, "amount_requested")
    votes = _past_votes(past, requested, members)
    status, amount, summary = panel_outcome(votes)
    if status is None:
        raise ValidationError(
            _("尚不能决定：须至少 %(min)s 张有效票且同意与不同意票数不相等。%(summary)s")
            % {"min": MIN_PANEL_VOTES, "summary": summary}
        )
    if past.paid_on is not None and (
        status != ApplicationStatus.APPROVED or not past.decided_on <= past.paid_on <= today
    ):
        raise ValidationError(
            {"paid_on": _("只有评议通过的申请才能发放，且发放日期不能晚于今天。")}
        )
    reason = required_text(past.reason, "reason", _("请填写决定理由。"), 2000)
    row = AssistanceApplication(
        applicant_name=required_text(
            past.applicant_name, "applicant_name", _("请填写申请人。"), 50
        ),
        kind=past.kind,
        household_category=past.household_category,
        hardship=required_text(past.hardship, "hardship", _("请填写困难情况。"), 5000),
        documents=(past.documents or "").strip()[:2000],
        amount_requested=requested,
        applied_on=past.applied_on,
        status=status,
        amount_approved=amount,
        decided_on=past.decided_on,
        decided_by=past.decided_by,
        decision_reason=f"{summary}\n{reason}",
        created_by=past.decided_by,
    )
    return row, votes


def _past_votes(
    past: PastApplication, requested: Decimal, members: dict[int, PanelMember]
) -> list[PanelVote]:
    """The panel's votes on one past application (unsaved), checked as `assistance_vote`
    checks one: a member of the application's community, in office, voting once; a conflict
    declared with a note, an approval with an amount no more than asked, a refusal with a
    reason."""
    votes: list[PanelVote] = []
    for past_vote in past.votes:
        member = members.get(past_vote.member_id)
        if member is None or member.community_id != past.community_id:
            raise ValidationError(_("评议小组成员不属于该社区。"))
        if not member.active:
            raise ValidationError(_("该成员已不在评议小组中。"))
        if any(v.member_id == member.pk for v in votes):
            raise ValidationError(
                _("%(name)s 已对本申请投过票，每位成员只能投票一次。") % {"name": member.name}
            )
        if past_vote.vote not in Vote.values:
            raise ValidationError({"vote": _("请选择同意、不同意或回避。")})
        value: Decimal | None = None
        conflict_note = ""
        if past_vote.vote == Vote.ABSTAIN_CONFLICT:
            conflict_note = required_text(
                past_vote.conflict_note, "conflict_note", _("请说明利益冲突情况。")
            )
        elif past_vote.vote == Vote.APPROVE:
            value = parse_amount(past_vote.amount, "amount")
            if value > requested:
                raise ValidationError({"amount": _("建议金额不能超过申请金额。")})
        comment = (past_vote.comment or "").strip()[:500]
        if past_vote.vote == Vote.REJECT and not comment:
            raise ValidationError({"comment": _("不同意时请填写理由。")})
        votes.append(
            PanelVote(
                member=member,
                vote=past_vote.vote,
                amount=value,
                comment=comment,
                conflict_note=conflict_note,
                recorded_by=past.decided_by,
                at=past.panel_at,
            )
        )
    return votes
