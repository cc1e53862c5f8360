"""Every write of the participation area is one function here: permission first, one
transaction, the contended row locked, exactly one timeline entry (ProjectEvent for projects and
meetings, ThingEvent for practical things, AuditEntry for adopting a list).

Public writes (registering for a meeting, cancelling, commenting) take no actor: the resident
identifies by phone and registration code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.cases.choices import Status as CaseStatus
from doorstep.cases.models import Case
from doorstep.catalog.models import Demand
from doorstep.core import crypto
from doorstep.core.models import AuditEntry
from doorstep.core.types import Actor
from doorstep.core.validators import clean_field, validate_phone
from doorstep.places.models import Building, Community, Compound, Resident

from . import access
from .choices import (
    ACTIVE_REGISTRATION,
    Adoption,
    EventKind,
    FundingSource,
    InviteeGroup,
    MeetingKind,
    MeetingStatus,
    ProposerKind,
    RegistrationStatus,
    Stage,
    ThingStatus,
    VoteMethod,
    VoteOutcome,
)
from .models import (
    Comment,
    Evidence,
    Meeting,
    MeetingPhoto,
    Milestone,
    PracticalList,
    PracticalThing,
    Project,
    ProjectEvent,
    Registration,
    Score,
    ThingEvent,
    Vote,
)

MAX_TEXT = 5000
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_PHOTOS = 6
MAX_MONEY = Decimal("100000000")
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}
EVIDENCE_TYPES = {**PHOTO_TYPES, b"%PDF": "application/pdf"}
# A milestone due within this many days that is less than half done puts its thing at risk.
AT_RISK_WINDOW = timedelta(days=14)
CLOSED_CASE = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _text(
    value: str, field: str, message: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError({field: _("内容过长，请控制在 %(n)s 字以内。") % {"n": limit}})
    return text


def _money(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请填写正确的金额。")}) from None
    if amount < 0 or amount >= MAX_MONEY:
        raise ValidationError({field: _("金额须在 0 到 1 亿元之间。")})
    return amount


def _event(
    project: Project,
    kind: EventKind,
    actor: Actor | None,
    at: datetime,
    note: str = "",
    **data: Any,
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project, kind=kind, actor=actor, at=at, note=note, data=data
    )


def _set_stage(project: Project, stage: Stage) -> None:
    project.stage = stage
    project.version += 1
    project.save(update_fields=["stage", "version"])


def _image(data: bytes, types: dict[bytes, str], field: str) -> str:
    """The content type of an upload, from its first bytes (never the name the browser sent)."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({field: _("单个文件不能超过 2 MB。")})
    for magic, content_type in types.items():
        if data.startswith(magic):
            return content_type
    raise ValidationError({field: _("只能上传 JPEG、PNG 图片或 PDF 文件。")})


# ---------------------------------------------------------------- projects


@dataclass
class Proposal:
    """What a new project needs (项目提议)."""

    community: Community
    title: str
    proposer_kind: str
    funding_source: str
    budget: object = "0"
    summary: str = ""
    proposer_name: str = ""
    compound: Compound | None = None
    building: Building | None = None
    proposer_resident: Resident | None = None
    demand: Demand | None = None
    source_case: Case | None = None


@transaction.atomic
def project_propose(*, actor: Actor, data: Proposal, now: datetime | None = None) -> Project:
    """Put a project forward (提出项目). A project that grew from a demand-list entry or a case
    keeps the link; the proposer's name is what the public page shows."""
    at = _now(now)
    access.check_can_edit(actor, data.community)
    title = _text(data.title, "title", _("请填写项目名称。"), limit=100)
    if data.proposer_kind not in ProposerKind.values:
        raise ValidationError({"proposer_kind": _("请选择提议方。")})
    if data.funding_source not in FundingSource.values:
        raise ValidationError({"funding_source": _("请选择资金来源。")})
    name = _text(data.proposer_name, "proposer_name", "", required=False, limit=100)
    if data.proposer_kind == ProposerKind.ORGANISATION and not name:
        raise ValidationError({"proposer_name": _("请填写提议的自组织名称。")})
    if data.proposer_kind == ProposerKind.RESIDENT and not (name or data.proposer_resident):
        raise ValidationError({"proposer_name": _("请填写提议居民。")})
    if data.proposer_kind == ProposerKind.DEMAND and data.demand is None:
        raise ValidationError({"demand": _("请选择来源的需求清单条目。")})
    if data.proposer_kind == ProposerKind.CASE and data.source_case is None:
        raise ValidationError({"source_case": _("请填写来源事项的查询码。")})
    for linked, label in [
        (data.compound, "compound"),
        (data.proposer_resident, "proposer_resident"),
        (data.demand, "demand"),
        (data.source_case, "source_case"),
    ]:
        if linked is not None and linked.community_id != data.community.pk:
            raise ValidationError({label: _("所选对象不属于该社区。")})
    if data.building is not None and (
        data.compound is None or data.building.compound_id != data.compound.pk
    ):
        raise ValidationError({"building": _("所选楼栋不属于该小区。")})
    if not name:
        if data.proposer_resident is not None:
            name = data.proposer_resident.name
        elif data.proposer_kind == ProposerKind.WORKER:
            name = getattr(getattr(actor, "staff", None), "display_name", "") or actor.username
    project = Project.objects.create(
        community=data.community,
        title=title,
        summary=_text(data.summary, "summary", "", required=False),
        compound=data.compound,
        building=data.building,
        proposer_kind=data.proposer_kind,
        proposer_name=name,
        proposer_resident=data.proposer_resident,
        demand=data.demand,
        source_case=data.source_case,
        budget=_money(data.budget, "budget"),
        funding_source=data.funding_source,
        created_by=actor,
        created_at=at,
    )
    _event(project, EventKind.PROPOSED, actor, at, title, proposer=name)
    return project


@transaction.atomic
def project_start(*, actor: Actor, project_id: int, now: datetime | None = None) -> Project:
    """Start the works after the hearing approved them (开工)."""
    project = access.project_lock(actor, project_id)
    if project.stage != Stage.APPROVED:
        raise ValidationError(_("只有听证通过的项目才能开工。"))
    _set_stage(project, Stage.IN_PROGRESS)
    _event(project, EventKind.STARTED, actor, _now(now))
    return project


@transaction.atomic
def project_complete(*, actor: Actor, project_id: int, now: datetime | None = None) -> Project:
    """Mark the works finished (完工); the evaluation meeting comes next."""
    project = access.project_lock(actor, project_id)
    if project.stage != Stage.IN_PROGRESS:
        raise ValidationError(_("只有实施中的项目才能标记完工。"))
    if project.meetings.filter(status=MeetingStatus.SCHEDULED).exists():
        raise ValidationError(_("还有未结束的会议，请先结束会议再完工。"))
    _set_stage(project, Stage.COMPLETED)
    _event(project, EventKind.COMPLETED, actor, _now(now))
    return project


@transaction.atomic
def project_spend(
    *, actor: Actor, project_id: int, amount: object, note: str, now: datetime | None = None
) -> Project:
    """Record money spent (资金支出); every line is on the public page."""
    project = access.project_lock(actor, project_id)
    if project.stage not in (Stage.APPROVED, Stage.IN_PROGRESS, Stage.COMPLETED):
        raise ValidationError(_("项目通过听证后才能登记支出。"))
    value = _money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": _("支出金额须大于 0。")})
    if project.spent + value >= MAX_MONEY:
        raise ValidationError({"amount": _("金额须在 0 到 1 亿元之间。")})
    purpose = _text(note, "note", _("请填写支出用途。"), limit=200)
    project.spent = F("spent") + value
    project.version += 1
    project.save(update_fields=["spent", "version"])
    project.refresh_from_db(fields=["spent"])
    _event(project, EventKind.SPENT, actor, _now(now), purpose, amount=str(value))
    return project


@transaction.atomic
def project_comment(
    *, project_id: int, name: str, text: str, now: datetime | None = None
) -> Comment:
    """A resident's comment on the public page (居民留言)."""
    at = _now(now)
    project = Project.objects.select_for_update().get(pk=project_id)
    comment = Comment.objects.create(
        project=project,
        name=_text(name, "name", _("请填写称呼。"), limit=30),
        text=_text(text, "text", _("请填写留言内容。"), limit=1000),
        created_at=at,
    )
    _event(project, EventKind.COMMENTED, None, at, comment.text[:200], name=comment.name)
    return comment


# ---------------------------------------------------------------- meetings

# Which stage each kind of meeting may be called in.
MEETING_STAGES = {
    MeetingKind.HEARING: (Stage.PROPOSED, Stage.HEARING, Stage.REJECTED),
    MeetingKind.COORDINATION: (Stage.APPROVED, Stage.IN_PROGRESS),
    MeetingKind.EVALUATION: (Stage.COMPLETED, Stage.EVALUATED),
}
MEETING_STAGE_MESSAGES = {
    MeetingKind.HEARING: gettext_lazy("听证会须在项目决策前召开。"),
    MeetingKind.COORDINATION: gettext_lazy("协调会须在项目通过听证后、完工前召开。"),
    MeetingKind.EVALUATION: gettext_lazy("评议会须在项目完工后召开。"),
}


@dataclass
class MeetingPlan:
    kind: str
    starts_at: datetime
    place: str
    agenda: str
    capacity: int
    quorum: int = 0
    invited_groups: list[str] = field(default_factory=list)


@transaction.atomic
def meeting_schedule(
    *, actor: Actor, project_id: int, plan: MeetingPlan, now: datetime | None = None
) -> Meeting:
    """Call a hearing, coordination or evaluation meeting (召开听证会/协调会/评议会). Rounds are
    numbered per kind; calling the first hearing puts the project into its hearing stage."""
    at = _now(now)
    project = access.project_lock(actor, project_id)
    if plan.kind not in MeetingKind.values:
        raise ValidationError({"kind": _("请选择会议类型。")})
    kind = MeetingKind(plan.kind)
    if project.stage not in MEETING_STAGES[kind]:
        raise ValidationError({"kind": MEETING_STAGE_MESSAGES[kind]})
    if plan.starts_at <= at:
        raise ValidationError({"starts_at": _("会议时间须晚于现在。")})
    if not 1 <= plan.capacity <= 10000:
        raise ValidationError({"capacity": _("名额须在 1 到 10000 之间。")})
    if not 0 <= plan.quorum <= 10000:
        raise ValidationError({"quorum": _("法定到会人数须在 0 到 10000 之间。")})
    groups = [g for g in plan.invited_groups if g]
    if any(g not in InviteeGroup.values for g in groups):
        raise ValidationError({"invited_groups": _("邀请对象不正确。")})
    last = project.meetings.filter(kind=kind).order_by("-round").values_list("round", flat=True)
    meeting = Meeting.objects.create(
        project=project,
        kind=kind,
        round=(last.first() or 0) + 1,
        starts_at=plan.starts_at,
        place=_text(plan.place, "place", _("请填写会议地点。"), limit=100),
        agenda=_text(plan.agenda, "agenda", _("请填写会议议程。")),
        invited_groups=groups,
        capacity=plan.capacity,
        quorum=plan.quorum,
    )
    if kind == MeetingKind.HEARING and project.stage != Stage.HEARING:
        _set_stage(project, Stage.HEARING)
    _event(
        project,
        EventKind.MEETING_SCHEDULED,
        actor,
        at,
        str(meeting),
        meeting=meeting.pk,
        meeting_kind=kind.value,
        round=meeting.round,
    )
    return meeting


def _registration_code(meeting: Meeting) -> str:
    """Six digits, unique within the meeting (the meeting row is locked by the caller); a meeting
    has at most 10,000 places plus its waitlist, so a free code is found at the first tries."""
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if not meeting.registrations.filter(code=code).exists():
            return code


def _open_meeting(meeting_id: int, at: datetime) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("project").get(pk=meeting_id)
    if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at <= at:
        raise ValidationError(_("该会议已开始或已结束，不能再报名或取消。"))
    return meeting


@transaction.atomic
def meeting_register(
    *,
    meeting_id: int,
    name: str,
    phone: str = "",
    resident: Resident | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register for a meeting (报名). Within capacity the place is confirmed; beyond it the
    resident joins the waitlist in order of arrival — never an error. The meeting row is locked,
    so two people racing for the last seat cannot both get it. With `actor` a worker registers
    on behalf of a resident (代报名)."""
    at = _now(now)
    if actor is not None:
        meeting = access.meeting_lock(actor, meeting_id)
        if meeting.status != MeetingStatus.SCHEDULED:
            raise ValidationError(_("该会议已结束。"))
    else:
        meeting = _open_meeting(meeting_id, at)
    if resident is not None and resident.community_id != meeting.project.community_id:
        raise ValidationError({"resident": _("所选居民不属于该社区。")})
    name = _text(name or (resident.name if resident else ""), "name", _("请填写姓名。"), limit=50)
    phone = clean_field("phone", validate_phone, phone) if (phone or "").strip() else ""
    if not phone and actor is None:
        raise ValidationError({"phone": _("请填写手机号，用于接收通知和取消报名。")})
    phone_hash = crypto.lookup_hash(phone) if phone else ""
    if (
        phone_hash
        and meeting.registrations.filter(
            phone_hash=phone_hash, status__in=ACTIVE_REGISTRATION
        ).exists()
    ):
        raise ValidationError({"phone": _("该手机号已报名本次会议。")})
    seated = meeting.registered_count < meeting.capacity
    registration = Registration.objects.create(
        meeting=meeting,
        resident=resident,
        name=name,
        phone_encrypted=crypto.encrypt(phone) if phone else "",
        phone_hash=phone_hash,
        code=_registration_code(meeting),
        status=RegistrationStatus.REGISTERED if seated else RegistrationStatus.WAITLISTED,
        registered_by=actor,
        created_at=at,
    )
    counter = "registered_count" if seated else "waitlist_count"
    Meeting.objects.filter(pk=meeting.pk).update(**{counter: F(counter) + 1})
    _event(
        meeting.project,
        EventKind.REGISTERED if seated else EventKind.WAITLISTED,
        actor,
        at,
        registration.name_masked,
        meeting=meeting.pk,
        registration=registration.pk,
    )
    return registration


@transaction.atomic
def registration_cancel(
    *,
    meeting_id: int,
    code: str,
    phone: str = "",
    actor: Actor | None = None,
    now: datetime | None = None,
) -> Registration:
    """Cancel a place (取消报名). A resident gives code and phone; a worker the code. A freed
    seat goes at once to the first on the waitlist (候补递补), inside the same transaction."""
    at = _now(now)
    meeting = access.meeting_lock(actor, meeting_id) if actor else _open_meeting(meeting_id, at)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("该会议已结束。"))
    registration = meeting.registrations.filter(
        code=(code or "").strip(), status__in=ACTIVE_REGISTRATION
    ).first()
    if registration is None or (
        actor is None and registration.phone_hash != crypto.lookup_hash((phone or "").strip())
    ):
        raise ValidationError({"code": _("报名码或手机号不正确。")})
    was_seated = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    promoted = None
    if was_seated:
        promoted = meeting.registrations.filter(status=RegistrationStatus.WAITLISTED).first()
        if promoted is not None:
            promoted.status = RegistrationStatus.REGISTERED
            promoted.save(update_fields=["status"])
            Meeting.objects.filter(pk=meeting.pk).update(waitlist_count=F("waitlist_count") - 1)
        else:
            Meeting.objects.filter(pk=meeting.pk).update(registered_count=F("registered_count") - 1)
    else:
        Meeting.objects.filter(pk=meeting.pk).update(waitlist_count=F("waitlist_count") - 1)
    note = registration.name_masked
    if promoted is not None:
        note = _("%(name)s 取消，候补 %(next)s 递补") % {
            "name": registration.name_masked,
            "next": promoted.name_masked,
        }
    _event(
        meeting.project,
        EventKind.REGISTRATION_CANCELLED,
        actor,
        at,
        note,
        meeting=meeting.pk,
        registration=registration.pk,
        promoted=promoted.pk if promoted else None,
    )
    return registration


@transaction.atomic
def registration_sign_in(
    *, actor: Actor, meeting_id: int, code: str, now: datetime | None = None
) -> Registration:
    """Sign in at the door (签到): the resident shows their code, or the worker taps their name
    on the list on their behalf (代签到). Waitlisted people who came are let in too."""
    at = _now(now)
    meeting = access.meeting_lock(actor, meeting_id)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("该会议已结束。"))
    registration = meeting.registrations.filter(
        code=(code or "").strip(), status__in=ACTIVE_REGISTRATION
    ).first()
    if registration is None:
        raise ValidationError({"code": _("没有该报名码的报名。")})
    if registration.signed_in_at is not None:
        raise ValidationError({"code": _("%(name)s 已签到。") % {"name": registration.name}})
    registration.signed_in_at = at
    registration.signed_in_by = actor
    registration.save(update_fields=["signed_in_at", "signed_in_by"])
    Meeting.objects.filter(pk=meeting.pk).update(signed_in_count=F("signed_in_count") + 1)
    _event(
        meeting.project,
        EventKind.SIGNED_IN,
        actor,
        at,
        registration.name_masked,
        meeting=meeting.pk,
        registration=registration.pk,
    )
    return registration


@dataclass
class Tally:
    """Counted votes (计票)."""

    present: int
    cast: int
    yes: int
    no: int
    abstain: int
    invalid: int = 0


def _check_tally(method: str, tally: Tally) -> None:
    numbers = [tally.present, tally.cast, tally.yes, tally.no, tally.abstain, tally.invalid]
    if any(n < 0 or n > 100000 for n in numbers):
        raise ValidationError(_("票数须在 0 到 100000 之间。"))
    if method == VoteMethod.HANDS and tally.invalid:
        raise ValidationError({"invalid": _("举手表决没有废票。")})
    total = tally.yes + tally.no + tally.abstain + tally.invalid
    if total != tally.cast:
        raise ValidationError(
            _(
                "计票不符：赞成 %(yes)s + 反对 %(no)s + 弃权 %(abstain)s + 废票 %(invalid)s = "
                "%(total)s，与收回票数 %(cast)s 不一致，请重新清点。"
            )
            % {**tally.__dict__, "total": total}
        )
    if tally.cast > tally.present:
        raise ValidationError(
            _("收回票数 %(cast)s 多于到场人数 %(present)s，请重新清点。") % tally.__dict__
        )


def quorum_rule(meeting: Meeting) -> str:
    """The rule the room votes under, as shown on every vote (表决规则)."""
    return _(
        "到场有表决权人数不少于 %(quorum)s 人方为有效；赞成票超过有效票（赞成＋反对＋弃权）"
        "半数即为通过。"
    ) % {"quorum": meeting.quorum}


def vote_outcome(meeting: Meeting, tally: Tally) -> VoteOutcome:
    if tally.present < meeting.quorum:
        return VoteOutcome.NO_QUORUM
    valid = tally.yes + tally.no + tally.abstain
    return VoteOutcome.PASSED if valid and tally.yes * 2 > valid else VoteOutcome.FAILED


@transaction.atomic
def vote_tally(
    *,
    actor: Actor,
    meeting_id: int,
    question: str,
    method: str,
    tally: Tally,
    now: datetime | None = None,
) -> Vote:
    """The first count (首次计票). The result stands only after a second staff member counts
    again and confirms (`vote_confirm`)."""
    at = _now(now)
    meeting = access.meeting_lock(actor, meeting_id)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("会议已结束，不能再表决。"))
    if method not in VoteMethod.values:
        raise ValidationError({"method": _("请选择表决方式。")})
    _check_tally(method, tally)
    vote = Vote.objects.create(
        meeting=meeting,
        question=_text(question, "question", _("请填写表决事项。"), limit=200),
        method=method,
        **tally.__dict__,
        tallied_by=actor,
        tallied_at=at,
    )
    _event(
        meeting.project,
        EventKind.VOTE_TALLIED,
        actor,
        at,
        vote.question,
        meeting=meeting.pk,
        vote=vote.pk,
    )
    return vote


@transaction.atomic
def vote_confirm(
    *,
    actor: Actor,
    vote_id: int,
    yes: int,
    no: int,
    abstain: int,
    invalid: int = 0,
    now: datetime | None = None,
) -> Vote:
    """The second count (复核): another staff member counts again; the numbers must agree with
    the first count, and then the outcome is fixed."""
    at = _now(now)
    meeting_id = Vote.objects.values_list("meeting_id", flat=True).get(pk=vote_id)
    meeting = access.meeting_lock(actor, meeting_id)
    vote = Vote.objects.select_for_update().get(pk=vote_id)
    if vote.confirmed_by_id is not None:
        raise ValidationError(_("该表决已复核。"))
    if vote.tallied_by_id == actor.pk:
        raise ValidationError(_("复核须由另一位工作人员进行。"))
    if (yes, no, abstain, invalid) != (vote.yes, vote.no, vote.abstain, vote.invalid):
        raise ValidationError(
            _(
                "复核结果与首次计票不一致（首次：赞成 %(yes)s、反对 %(no)s、弃权 %(abstain)s、"
                "废票 %(invalid)s），请重新清点。"
            )
            % {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain, "invalid": vote.invalid}
        )
    vote.outcome = vote_outcome(
        meeting,
        Tally(vote.present, vote.cast, vote.yes, vote.no, vote.abstain, vote.invalid),
    )
    vote.confirmed_by = actor
    vote.confirmed_at = at
    vote.save(update_fields=["outcome", "confirmed_by", "confirmed_at"])
    _event(
        meeting.project,
        EventKind.VOTE_CONFIRMED,
        actor,
        at,
        f"{vote.question}：{vote.get_outcome_display()}",
        meeting=meeting.pk,
        vote=vote.pk,
        outcome=vote.outcome,
        yes=vote.yes,
        no=vote.no,
        abstain=vote.abstain,
    )
    return vote


@transaction.atomic
def score_add(
    *,
    actor: Actor,
    meeting_id: int,
    quality: int,
    satisfaction: int,
    code: str = "",
    now: datetime | None = None,
) -> Score:
    """A resident's score at the evaluation meeting (评议打分), entered by staff from the
    score sheet; with a registration code, one score per resident. The project's averages are
    recomputed in the same transaction."""
    at = _now(now)
    meeting = access.meeting_lock(actor, meeting_id)
    if meeting.kind != MeetingKind.EVALUATION:
        raise ValidationError(_("只有评议会才能打分。"))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("会议已结束，不能再打分。"))
    if not (1 <= quality <= 5 and 1 <= satisfaction <= 5):
        raise ValidationError(_("评分须在 1 到 5 分之间。"))
    registration = None
    if (code or "").strip():
        registration = meeting.registrations.filter(
            code=code.strip(), status__in=ACTIVE_REGISTRATION
        ).first()
        if registration is None:
            raise ValidationError({"code": _("没有该报名码的报名。")})
        if Score.objects.filter(registration=registration).exists():
            raise ValidationError({"code": _("该居民已打过分。")})
    score = Score.objects.create(
        meeting=meeting,
        registration=registration,
        quality=quality,
        satisfaction=satisfaction,
        created_at=at,
    )
    project = Project.objects.select_for_update().get(pk=meeting.project_id)
    figures = Score.objects.filter(meeting__project=project).aggregate(
        q=Avg("quality"), s=Avg("satisfaction"), n=Count("pk")
    )
    project.quality_score = Decimal(str(figures["q"])).quantize(Decimal("0.01"))
    project.satisfaction_score = Decimal(str(figures["s"])).quantize(Decimal("0.01"))
    project.score_count = figures["n"]
    project.save(update_fields=["quality_score", "satisfaction_score", "score_count"])
    _event(
        project,
        EventKind.SCORED,
        actor,
        at,
        meeting=meeting.pk,
        quality=quality,
        satisfaction=satisfaction,
    )
    return score


@dataclass
class Closing:
    """What closing a meeting records (会议纪要)."""

    minutes: str
    attendee_count: int | None
    organisations_present: str
    decisions: str
    settled_case_codes: list[str] = field(default_factory=list)
    photos: list[tuple[str, bytes]] = field(default_factory=list)  # (caption, bytes)


HEARING_DECISION = {
    VoteOutcome.PASSED: Stage.APPROVED,
    VoteOutcome.FAILED: Stage.REJECTED,
}


def _attendee_count(meeting: Meeting, closing: Closing) -> int:
    """The head count: given, plausible, and no fewer than those who signed in."""
    if closing.attendee_count is None or not 1 <= closing.attendee_count <= 100000:
        raise ValidationError({"attendee_count": _("请填写到会人数。")})
    if closing.attendee_count < meeting.signed_in_count:
        raise ValidationError(
            {
                "attendee_count": _("到会人数不能少于已签到的 %(n)s 人。")
                % {"n": meeting.signed_in_count}
            }
        )
    return closing.attendee_count


def _settled_cases(project: Project, closing: Closing) -> list[Case]:
    """The cases the meeting settled, by tracking code — every one must be the community's."""
    codes = [c.strip().upper() for c in closing.settled_case_codes if c.strip()]
    cases = list(Case.objects.filter(tracking_code__in=codes, community=project.community))
    if len(cases) != len(set(codes)):
        missing = set(codes) - {c.tracking_code for c in cases}
        raise ValidationError(
            {
                "settled_cases": _("找不到本社区的事项：%(codes)s")
                % {"codes": "、".join(sorted(missing))}
            }
        )
    return cases


def _closing_photos(meeting: Meeting, closing: Closing, at: datetime) -> list[MeetingPhoto]:
    """The meeting's photos (unsaved), each checked to be an image; at most MAX_PHOTOS."""
    if len(closing.photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 6 张照片。")})
    return [
        MeetingPhoto(
            meeting=meeting,
            caption=caption[:100],
            content_type=_image(data, PHOTO_TYPES, "photos"),
            data=data,
            created_at=at,
        )
        for caption, data in closing.photos
    ]


def _decided_stage(meeting: Meeting) -> Stage | None:
    """What the meeting decides for its project: a hearing's last vote (None without a quorate
    one), an evaluation marks it evaluated (it needs a score). Every vote must be counted
    twice first."""
    votes = list(meeting.votes.all())
    if any(v.outcome == VoteOutcome.PENDING for v in votes):
        raise ValidationError(_("还有未复核的表决，请先由第二位工作人员复核计票。"))
    if meeting.kind == MeetingKind.HEARING:
        return HEARING_DECISION.get(VoteOutcome(votes[-1].outcome)) if votes else None
    if meeting.kind == MeetingKind.EVALUATION:
        if not meeting.scores.exists():
            raise ValidationError(_("评议会须至少录入一份居民评分。"))
        return Stage.EVALUATED
    return None


@transaction.atomic
def meeting_close(
    *, actor: Actor, meeting_id: int, closing: Closing, now: datetime | None = None
) -> Meeting:
    """Close a meeting (结束会议): minutes, attendee count, organisations present and decisions
    are required; photos and the cases it settled are optional. A hearing's confirmed vote
    decides the project (approved / rejected); a hearing without a quorate vote leaves the
    project in its hearing stage for another round. An evaluation marks the project evaluated."""
    at = _now(now)
    meeting = access.meeting_lock(actor, meeting_id)
    project = Project.objects.select_for_update().get(pk=meeting.project_id)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("该会议已结束。"))
    minutes = _text(closing.minutes, "minutes", _("结束会议须填写会议纪要。"))
    attendee_count = _attendee_count(meeting, closing)
    organisations = _text(
        closing.organisations_present, "organisations_present", _("请填写到会单位/组织。")
    )
    decisions = _text(closing.decisions, "decisions", _("请填写会议决定。"))
    cases = _settled_cases(project, closing)
    photos = _closing_photos(meeting, closing, at)
    decided = _decided_stage(meeting)
    meeting.minutes = minutes
    meeting.attendee_count = attendee_count
    meeting.organisations_present = organisations
    meeting.decisions = decisions
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = at
    meeting.closed_by = actor
    meeting.save()
    meeting.settled_cases.set(cases)
    MeetingPhoto.objects.bulk_create(photos)
    if decided is not None and decided != project.stage:
        _set_stage(project, decided)
    _event(
        project,
        EventKind.MEETING_CLOSED,
        actor,
        at,
        decisions[:200],
        meeting=meeting.pk,
        meeting_kind=meeting.kind,
        round=meeting.round,
        stage=project.stage,
    )
    return meeting


# ---------------------------------------------------------------- ten practical things


@transaction.atomic
def practical_list_adopt(
    *,
    actor: Actor,
    community: Community,
    year: int,
    adoption: str,
    adopted_on: date,
    note: str = "",
) -> PracticalList:
    """Adopt a community's list for a year (确定年度十件实事), at a residents' meeting or by the
    committee; one list per community and year."""
    access.check_can_edit(actor, community, "participation.adopt")
    if adoption not in Adoption.values:
        raise ValidationError({"adoption": _("请选择确定方式。")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度不正确。")})
    Community.objects.select_for_update().filter(pk=community.pk).first()
    if PracticalList.objects.filter(community=community, year=year).exists():
        raise ValidationError({"year": _("该社区 %(year)s 年的实事清单已确定。") % {"year": year}})
    plan = PracticalList.objects.create(
        community=community,
        year=year,
        adoption=adoption,
        adopted_on=adopted_on,
        adoption_note=_text(note, "note", "", required=False, limit=200),
        created_by=actor,
    )
    AuditEntry.objects.create(
        actor=actor,
        action="practical_list_adopt",
        object_type="practical_list",
        object_id=str(plan.pk),
        reason=plan.get_adoption_display(),
    )
    return plan


@dataclass
class MilestoneIn:
    title: str
    due_date: date
    weight: int = 1
    case_target: int | None = None


def _milestone_check(m: MilestoneIn, year: int) -> None:
    _text(m.title, "milestones", _("请填写节点名称。"), limit=100)
    if not 1 <= m.weight <= 100:
        raise ValidationError({"milestones": _("节点权重须在 1 到 100 之间。")})
    if m.case_target is not None and not 1 <= m.case_target <= 100000:
        raise ValidationError({"milestones": _("目标件数须在 1 到 100000 之间。")})
    if not year - 1 <= m.due_date.year <= year + 1:
        raise ValidationError({"milestones": _("节点日期须在清单年度内。")})


@transaction.atomic
def thing_add(
    *,
    actor: Actor,
    plan_id: int,
    title: str,
    owner_name: str,
    budget: object,
    milestones: list[MilestoneIn],
    project: Project | None = None,
    today: date | None = None,
) -> PracticalThing:
    """Add a practical thing to a list with its weighted, dated milestones (节点)."""
    at = timezone.now()
    plan = access.plan_lock(actor, plan_id)
    if not milestones:
        raise ValidationError({"milestones": _("每件实事至少要有一个节点。")})
    for m in milestones:
        _milestone_check(m, plan.year)
    if project is not None and project.community_id != plan.community_id:
        raise ValidationError({"project": _("所选项目不属于该社区。")})
    order = (plan.things.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    thing = PracticalThing.objects.create(
        plan=plan,
        order=order,
        title=_text(title, "title", _("请填写实事名称。"), limit=100),
        owner_name=_text(owner_name, "owner_name", _("请填写负责人。"), limit=50),
        budget=_money(budget, "budget"),
        project=project,
    )
    Milestone.objects.bulk_create(
        Milestone(
            thing=thing,
            title=m.title.strip(),
            weight=m.weight,
            due_date=m.due_date,
            case_target=m.case_target,
        )
        for m in milestones
    )
    _thing_rollup(thing, today or timezone.localdate())
    _plan_rollup(plan)
    ThingEvent.objects.create(thing=thing, actor=actor, at=at, note=_("列入清单"))
    return thing


def _thing_rollup(thing: PracticalThing, today: date) -> None:
    """Progress = Σ weight × milestone progress / Σ weight; the colour from the dates."""
    milestones = list(thing.milestones.all())
    total = sum(m.weight for m in milestones)
    progress = sum(m.weight * m.progress for m in milestones) // total if total else 0
    if progress >= 100:
        status = ThingStatus.DONE
    elif any(m.progress < 100 and m.due_date < today for m in milestones):
        status = ThingStatus.LATE
    elif any(m.progress < 50 and today <= m.due_date <= today + AT_RISK_WINDOW for m in milestones):
        status = ThingStatus.AT_RISK
    else:
        status = ThingStatus.ON_TRACK
    thing.progress = progress
    thing.status = status
    thing.due_date = max((m.due_date for m in milestones), default=None)
    thing.version += 1
    thing.save(update_fields=["progress", "status", "due_date", "version"])


def _plan_rollup(plan: PracticalList) -> None:
    figures = plan.things.aggregate(
        n=Count("pk"),
        done=Count("pk", filter=Q(status=ThingStatus.DONE)),
        late=Count("pk", filter=Q(status=ThingStatus.LATE)),
        risk=Count("pk", filter=Q(status=ThingStatus.AT_RISK)),
        progress=Avg("progress"),
    )
    plan.item_count = figures["n"]
    plan.done_count = figures["done"]
    plan.late_count = figures["late"]
    plan.at_risk_count = figures["risk"]
    plan.progress = int(figures["progress"] or 0)
    plan.save(update_fields=["item_count", "done_count", "late_count", "at_risk_count", "progress"])


def _milestone_for_update(actor: Actor, milestone_id: int) -> tuple[PracticalThing, Milestone]:
    thing_id = Milestone.objects.values_list("thing_id", flat=True).get(pk=milestone_id)
    thing = access.thing_lock(actor, thing_id)
    return thing, Milestone.objects.select_for_update().get(pk=milestone_id)


def parse_percent(value: object) -> int:
    """A progress figure from a form or the API: a whole percentage 0–100."""
    try:
        number = int(str(value).strip().rstrip("%"))
    except (TypeError, ValueError):
        raise ValidationError({"progress": _("请填写 0 到 100 之间的整数进度。")}) from None
    if not 0 <= number <= 100:
        raise ValidationError({"progress": _("进度须在 0% 到 100% 之间，不能超过 100%。")})
    return number


@transaction.atomic
def milestone_progress(
    *,
    actor: Actor,
    milestone_id: int,
    progress: object,
    note: str = "",
    today: date | None = None,
) -> PracticalThing:
    """Set a milestone's progress (更新进度) — the second of two taps on the phone. A milestone
    counted from cases moves by itself when its cases are closed."""
    day = today or timezone.localdate()
    value = parse_percent(progress)
    thing, milestone = _milestone_for_update(actor, milestone_id)
    if milestone.case_target:
        raise ValidationError({"progress": _("该节点按办结事项自动计算进度，不能手工填写。")})
    before = milestone.progress
    milestone.progress = value
    milestone.done_on = day if value == 100 else None
    milestone.save(update_fields=["progress", "done_on"])
    _thing_rollup(thing, day)
    _plan_rollup(thing.plan)
    ThingEvent.objects.create(
        thing=thing,
        actor=actor,
        at=timezone.now(),
        note=_text(note, "note", "", required=False, limit=200)
        or _("%(title)s：%(before)s%% → %(after)s%%")
        % {"title": milestone.title, "before": before, "after": value},
        data={"milestone": milestone.pk, "before": before, "after": value},
    )
    return thing


def _count_cases(milestone: Milestone, day: date) -> None:
    closed = milestone.cases.filter(status__in=CLOSED_CASE).count()
    target = milestone.case_target or 1
    milestone.progress = min(100, closed * 100 // target)
    milestone.done_on = (milestone.done_on or day) if milestone.progress == 100 else None
    milestone.save(update_fields=["progress", "done_on"])


@transaction.atomic
def milestone_link_cases(
    *, actor: Actor, milestone_id: int, codes: list[str], today: date | None = None
) -> PracticalThing:
    """Link cases to a case-counted milestone (关联事项): each closed one counts toward the
    target (e.g. 84 户壁挂炉安装 — each installation is a case the desk closes)."""
    day = today or timezone.localdate()
    thing, milestone = _milestone_for_update(actor, milestone_id)
    if not milestone.case_target:
        raise ValidationError({"codes": _("该节点不按事项计数。")})
    wanted = {c.strip().upper() for c in codes if c.strip()}
    if not wanted:
        raise ValidationError({"codes": _("请填写事项查询码。")})
    cases = list(Case.objects.filter(tracking_code__in=wanted, community=thing.plan.community))
    if len(cases) != len(wanted):
        missing = wanted - {c.tracking_code for c in cases}
        raise ValidationError(
            {"codes": _("找不到本社区的事项：%(codes)s") % {"codes": "、".join(sorted(missing))}}
        )
    milestone.cases.add(*cases)
    _count_cases(milestone, day)
    _thing_rollup(thing, day)
    _plan_rollup(thing.plan)
    ThingEvent.objects.create(
        thing=thing,
        actor=actor,
        at=timezone.now(),
        note=_("%(title)s：关联事项 %(n)s 件") % {"title": milestone.title, "n": len(cases)},
        data={"milestone": milestone.pk, "cases": [c.pk for c in cases]},
    )
    return thing


@transaction.atomic
def evidence_add(
    *, actor: Actor, thing_id: int, caption: str, filename: str, data: bytes
) -> Evidence:
    """Attach a photo or document as evidence (佐证材料)."""
    thing = access.thing_lock(actor, thing_id)
    content_type = _image(data, EVIDENCE_TYPES, "file")
    evidence = Evidence.objects.create(
        thing=thing,
        caption=_text(caption, "caption", _("请填写材料说明。"), limit=100),
        filename=(filename or "file")[-100:],
        content_type=content_type,
        data=data,
        created_at=timezone.now(),
    )
    ThingEvent.objects.create(
        thing=thing,
        actor=actor,
        at=evidence.created_at,
        note=_("上传佐证：%(c)s") % {"c": evidence.caption},
    )
    return evidence


@transaction.atomic
def practical_refresh(*, today: date | None = None) -> int:
    """Recount case-counted milestones and recolour this year's things as the dates pass (run by
    `tick`); a bulk service keeping the same invariants. Returns how many things changed."""
    day = today or timezone.localdate()
    changed = 0
    plans = PracticalList.objects.select_for_update().filter(year=day.year)
    for plan in plans:
        touched = False
        for thing in plan.things.select_for_update():
            before = (thing.progress, thing.status)
            for milestone in thing.milestones.filter(case_target__isnull=False):
                _count_cases(milestone, day)
            _thing_rollup(thing, day)
            if (thing.progress, thing.status) != before:
                changed += 1
                touched = True
                ThingEvent.objects.create(
                    thing=thing,
                    at=timezone.now(),
                    note=_("自动更新：进度 %(p)s%%，%(s)s")
                    % {"p": thing.progress, "s": thing.get_status_display()},
                )
        if touched:
            _plan_rollup(plan)
    return changed
