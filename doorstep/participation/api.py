"""/api/v1/participation/: projects through the three meetings and the ten practical things.
Reads of the public record need no token; the staff list is scoped like the desk. A partner app
(e.g. a WeChat mini-program) registers residents for meetings and posts comments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from doorstep.core.keyset import paginate
from doorstep.core.schemas import Id
from doorstep.core.types import JsonObject
from doorstep.places.models import Community

from . import selectors, services
from .filters import ProjectFilter
from .models import Meeting, PracticalThing, Project

router = Router(tags=["participation"])
T = TypeVar("T")


def _found(read: Callable[[], T]) -> T:
    try:
        return read()
    except ObjectDoesNotExist:
        raise Http404 from None


class ProjectOut(Schema):
    id: int
    title: str
    community: str
    stage: str
    stage_label: str
    proposer: str
    budget: Decimal
    spent: Decimal
    funding_source: str
    quality_score: Decimal | None
    satisfaction_score: Decimal | None
    score_count: int
    created_at: datetime
    public_url: str


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_after: str | None = Field(None, description="下一页游标（传给 after）")


class VoteOut(Schema):
    question: str
    method: str
    present: int
    cast: int
    yes: int
    no: int
    abstain: int
    invalid: int
    outcome: str
    outcome_label: str


class MeetingOut(Schema):
    id: int
    kind: str
    kind_label: str
    round: int
    starts_at: datetime
    place: str
    agenda: str
    status: str
    capacity: int
    registered: int
    waitlisted: int
    quorum: int
    minutes: str
    attendee_count: int | None
    organisations_present: str
    decisions: str
    votes: list[VoteOut]
    photo_urls: list[str]


class ProjectDetailOut(ProjectOut):
    summary: str
    stages: list[str]
    meetings: list[MeetingOut]
    spending: list[dict[str, str]]


class MilestoneOut(Schema):
    title: str
    weight: int
    due_date: str
    progress: int
    case_target: int | None


class ThingOut(Schema):
    order: int
    title: str
    owner: str
    budget: Decimal
    progress: int
    status: str
    status_label: str
    due_date: str | None
    milestones: list[MilestoneOut]


class PlanOut(Schema):
    community: str
    year: int
    adoption: str
    adopted_on: str
    item_count: int
    done_count: int
    late_count: int
    progress: int
    things: list[ThingOut]


class RegistrationIn(Schema):
    name: str = Field(..., max_length=50)
    phone: str = Field(..., max_length=20, description="手机号，用于取消报名")


class RegistrationOut(Schema):
    code: str
    status: str
    status_label: str
    message: str


class CancelIn(Schema):
    code: str = Field(..., max_length=10)
    phone: str = Field(..., max_length=20)


class CommentIn(Schema):
    name: str = Field(..., max_length=30)
    text: str = Field(..., max_length=1000)


class CommentOut(Schema):
    id: int
    name: str
    text: str
    created_at: datetime


def _project(p: Project) -> JsonObject:
    return {
        "id": p.pk,
        "title": p.title,
        "community": p.community.name,
        "stage": p.stage,
        "stage_label": p.get_stage_display(),
        "proposer": p.proposer_name,
        "budget": p.budget,
        "spent": p.spent,
        "funding_source": p.funding_source,
        "quality_score": p.quality_score,
        "satisfaction_score": p.satisfaction_score,
        "score_count": p.score_count,
        "created_at": p.created_at,
        "public_url": f"/p/{p.pk}/",
    }


def _meeting(m: Meeting) -> JsonObject:
    closed = m.status == "closed"
    return {
        "id": m.pk,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "round": m.round,
        "starts_at": m.starts_at,
        "place": m.place,
        "agenda": m.agenda,
        "status": m.status,
        "capacity": m.capacity,
        "registered": m.registered_count,
        "waitlisted": m.waitlist_count,
        "quorum": m.quorum,
        "minutes": m.minutes if closed else "",
        "attendee_count": m.attendee_count,
        "organisations_present": m.organisations_present,
        "decisions": m.decisions,
        "votes": [
            {
                **{f: getattr(v, f) for f in VoteOut.model_fields if f != "outcome_label"},
                "outcome_label": v.get_outcome_display(),
            }
            for v in m.votes.all()
        ],
        "photo_urls": [f"/p/photos/{ph.pk}/" for ph in m.photos.all()],
    }


@router.get("/projects", response=ProjectPage, summary="社区项目列表（辖区内，游标分页）")
def list_projects(
    request: HttpRequest,
    community: Id | None = None,
    stage: str = "",
    q: str = Query("", max_length=50),
    after: str = Query("", max_length=400),
    limit: int = Query(50, ge=1, le=100),
) -> JsonObject:
    filters = ProjectFilter.from_params({"community": str(community or ""), "stage": stage, "q": q})
    # The desk's filter and keyset pages (a forged or stale cursor is a 400 in Chinese).
    page = paginate(
        selectors.project_list(request.user, filters),
        cursor=after or None,
        digest=filters.digest("api", request.user.pk),
        size=limit,
        with_total=False,
    )
    return {"items": [_project(p) for p in page.rows], "next_after": page.next_cursor}


@router.get(
    "/projects/{project_id}",
    response=ProjectDetailOut,
    auth=None,
    summary="项目公开记录：阶段、三会纪要与表决、照片、支出、评分",
)
def get_project(request: HttpRequest, project_id: Id) -> JsonObject:
    project = _found(lambda: selectors.public_project(project_id))
    events = selectors.public_events(project)
    return {
        **_project(project),
        "summary": project.summary,
        "stages": [e.get_kind_display() for e in events],
        "meetings": [_meeting(m) for m in project.meetings.all()],
        "spending": [
            {"at": e.at.date().isoformat(), "purpose": e.note, "amount": str(e.data.get("amount"))}
            for e in events
            if e.kind == "spent"
        ],
    }


@router.get(
    "/things/{community_id}/{year}",
    response=PlanOut,
    auth=None,
    summary="某社区某年度为民服务十件实事（公开）",
)
def get_things(
    request: HttpRequest, community_id: Id, year: Annotated[int, Field(ge=2000, le=2100)]
) -> JsonObject:
    community = _found(lambda: Community.objects.get(pk=community_id))
    plan = selectors.plan_for(community, year)
    if plan is None:
        raise Http404
    things: list[PracticalThing] = list(plan.things.all())
    return {
        "community": community.name,
        "year": plan.year,
        "adoption": plan.get_adoption_display(),
        "adopted_on": plan.adopted_on.isoformat(),
        "item_count": plan.item_count,
        "done_count": plan.done_count,
        "late_count": plan.late_count,
        "progress": plan.progress,
        "things": [
            {
                "order": t.order,
                "title": t.title,
                "owner": t.owner_name,
                "budget": t.budget,
                "progress": t.progress,
                "status": t.status,
                "status_label": t.get_status_display(),
                "due_date": t.due_date.isoformat() if t.due_date else None,
                "milestones": [
                    {
                        "title": m.title,
                        "weight": m.weight,
                        "due_date": m.due_date.isoformat(),
                        "progress": m.progress,
                        "case_target": m.case_target,
                    }
                    for m in t.milestones.all()
                ],
            }
            for t in things
        ],
    }


@router.post(
    "/meetings/{meeting_id}/registrations",
    response={201: RegistrationOut},
    auth=None,
    summary="居民报名参会（满额自动进入候补，不报错）",
)
def register(request: HttpRequest, meeting_id: Id, payload: RegistrationIn) -> Status[JsonObject]:
    registration = _found(
        lambda: services.meeting_register(
            meeting_id=meeting_id, name=payload.name, phone=payload.phone, now=timezone.now()
        )
    )
    waiting = registration.status == "waitlisted"
    return Status(
        201,
        {
            "code": registration.code,
            "status": registration.status,
            "status_label": registration.get_status_display(),
            "message": _("名额已满，已进入候补，有人取消时按顺序递补。")
            if waiting
            else _("报名成功，请在会议入口出示报名码签到。"),
        },
    )


@router.post(
    "/meetings/{meeting_id}/registrations/cancel",
    response=RegistrationOut,
    auth=None,
    summary="取消报名（报名码＋手机号）；空出的名额自动给候补第一位",
)
def cancel(request: HttpRequest, meeting_id: Id, payload: CancelIn) -> JsonObject:
    registration = _found(
        lambda: services.registration_cancel(
            meeting_id=meeting_id, code=payload.code, phone=payload.phone
        )
    )
    return {
        "code": registration.code,
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "message": _("已取消报名。"),
    }


@router.post(
    "/projects/{project_id}/comments",
    response={201: CommentOut},
    auth=None,
    summary="居民留言",
)
def comment(request: HttpRequest, project_id: Id, payload: CommentIn) -> Status[JsonObject]:
    created = _found(
        lambda: services.project_comment(
            project_id=project_id, name=payload.name, text=payload.text
        )
    )
    return Status(
        201,
        {
            "id": created.pk,
            "name": created.name,
            "text": created.text,
            "created_at": created.created_at,
        },
    )
