"""Participation pages: the desk (项目与三会, 十件实事) and the resident portal. Thin: parse the
request, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import throttle
from doorstep.core.exports import export_queryset, page_or_refuse, refusals, wants_xlsx
from doorstep.core.keyset import NEWEST_FIRST, query_digest
from doorstep.core.personal_search import url_search
from doorstep.core.types import request_actor
from doorstep.places import access
from doorstep.places.models import Community, StaffProfile
from doorstep.places.selectors import communities_for, staff_profile

from . import selectors, services
from .choices import (
    STAGE_LINE,
    Adoption,
    EventKind,
    FundingSource,
    InviteeGroup,
    MeetingKind,
    ProposerKind,
    Stage,
    ThingStatus,
    VoteMethod,
)
from .exports import project_columns
from .filters import ProjectFilter, bounded_int
from .models import Evidence, Meeting, MeetingPhoto, Milestone, PracticalThing, Project

PERCENT_TAPS = (0, 25, 50, 75, 100)
# Per-person lines the meeting page lists; the project's record shows the milestones only.
BOOKKEEPING_EVENTS = {
    EventKind.REGISTERED,
    EventKind.WAITLISTED,
    EventKind.REGISTRATION_CANCELLED,
    EventKind.SIGNED_IN,
    EventKind.SCORED,
}


KEPT = "participation_form"
UNKEPT_FIELDS = {"csrfmiddlewaretoken", "phone", "code"}


def _kept(request: HttpRequest) -> dict[str, str]:
    """The values of a form that was just refused (see `_action`)."""
    value = request.session.pop(KEPT, None)
    return value if isinstance(value, dict) else {}


def _errors(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


def _int(value: str | None, default: int = 0) -> int:
    number = bounded_int(value, low=0, high=10**9)
    return default if number is None else number


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _datetime(day: str | None, clock: str | None) -> datetime | None:
    parsed = _date(day)
    try:
        moment = time.fromisoformat((clock or "").strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    return timezone.make_aware(datetime.combine(parsed, moment))


def _staff(request: HttpRequest) -> StaffProfile:
    profile = staff_profile(request.user)
    if profile is None:
        raise PermissionDenied(_("该账号不是工作人员账号。"))
    return profile


def _action(back: Callable[[HttpRequest, dict[str, Any]], str]) -> Callable[..., Any]:
    """A POST that calls one service: a refusal becomes a message, a missing object a 404."""

    def decorate(view: Callable[..., str]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @require_POST
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                message = view(request, **kwargs)
            except ValidationError as error:
                messages.error(request, _errors(error))
                # What was typed comes back into the form (long minutes are not lost); never
                # phone numbers or codes.
                request.session[KEPT] = {
                    k: v for k, v in request.POST.items() if k not in UNKEPT_FIELDS
                }
            except ObjectDoesNotExist:
                raise Http404 from None
            else:
                if message:
                    messages.success(request, message)
            return redirect(back(request, kwargs))

        return wrapper

    return decorate


def _to(name: str, key: str) -> Callable[[HttpRequest, dict[str, Any]], str]:
    return lambda request, kwargs: reverse(name, args=[kwargs[key]])


def _to_meeting(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    return reverse("participation:meeting", args=[kwargs["meeting_id"]])


def _community(request: HttpRequest) -> Community:
    """The worker's own community, or `?community=` within a street/district worker's area."""
    _staff(request)
    wanted = bounded_int(request.GET.get("community") or request.POST.get("community"))
    community = access.working_community(request.user, wanted)
    if community is None:
        raise Http404
    return community


# ---------------------------------------------------------------- desk: projects


@login_required
@refusals
def index(request: HttpRequest) -> HttpResponseBase:
    """社区项目: the area's projects (`ProjectFilter`, keyset pages newest first, `?format=xlsx`
    for the same rows)."""
    _staff(request)
    filters = ProjectFilter.from_params(request.GET)
    projects = selectors.project_list(request.user, filters)
    if wants_xlsx(request):
        return export_queryset(request, projects, project_columns(), _("社区项目"))
    here = urlencode(filters.query())
    page = page_or_refuse(
        request, projects, filters.digest(request.user.pk), NEWEST_FIRST, f"{request.path}?{here}"
    )
    return render(
        request,
        "participation/index.html",
        {
            "page": page,
            "here": here,
            "filters": filters,
            "stages": Stage.choices,
            "communities": communities_for(request.user).order_by("name"),
        },
    )


PICKER_SHOWN = 50  # a form's demand or project choice: the newest 50 matching the words typed


def _picker(request: HttpRequest, rows: list[Any], field: str) -> dict[str, Any]:
    """A form's choice of a demand or project: the newest `PICKER_SHOWN` matches, and whether
    there are more (the page says 显示前 N 条 and offers the search box)."""
    return {
        "options": rows[:PICKER_SHOWN],
        "more": len(rows) > PICKER_SHOWN,
        "shown": PICKER_SHOWN,
        "field": field,
        "words": _words(request),
    }


def _words(request: HttpRequest) -> str:
    words, _refused = url_search(request.GET.get("words"))
    return words


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """提出项目; the demand choice is searched as the secretary types (htmx swaps the select
    from `?words=…&picker=demand`)."""
    community = _community(request)
    demands = _picker(
        request, selectors.demand_choices(community, _words(request), PICKER_SHOWN), "demand"
    )
    if request.GET.get("picker") == "demand":
        return render(request, "participation/_picker.html", {"picker": demands})
    values: dict[str, str] = {}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            project = services.project_propose(
                actor=request_actor(request), data=_proposal(request, community)
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("项目已提出，下一步：召开听证会。"))
            return redirect("participation:project", project.pk)
    return render(
        request,
        "participation/project_new.html",
        {
            "community": community,
            "values": values,
            "proposer_kinds": ProposerKind.choices,
            "funding_sources": FundingSource.choices,
            "compounds": community.compounds.order_by("name"),
            "demands": demands,
        },
    )


def _proposal(request: HttpRequest, community: Community) -> services.Proposal:
    p = request.POST
    compound = community.compounds.filter(pk=bounded_int(p.get("compound")) or 0).first()
    building = selectors.proposal_building(compound, (p.get("building") or "").strip())
    if (p.get("building") or "").strip() and building is None:
        raise ValidationError({"building": _("该小区没有这个楼栋。")})
    code = (p.get("case_code") or "").strip().upper()
    source_case = selectors.proposal_case(community, code) if code else None
    if code and source_case is None:
        raise ValidationError({"case_code": _("找不到本社区的该事项。")})
    demand_id = bounded_int(p.get("demand"))
    demand = selectors.proposal_demand(community, demand_id)
    return services.Proposal(
        community=community,
        title=p.get("title", ""),
        summary=p.get("summary", ""),
        proposer_kind=p.get("proposer_kind", ""),
        proposer_name=p.get("proposer_name", ""),
        funding_source=p.get("funding_source", ""),
        budget=p.get("budget", "0"),
        compound=compound,
        building=building,
        demand=demand,
        source_case=source_case,
    )


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    _staff(request)
    try:
        project = selectors.project_get(request.user, project_id)
    except Project.DoesNotExist:
        raise Http404 from None
    meetings = list(project.meetings.all())
    return render(
        request,
        "participation/project.html",
        {
            "project": project,
            "meetings": meetings,
            "stage_line": _stage_line(project),
            "events": [e for e in project.events.all() if e.kind not in BOOKKEEPING_EVENTS],
            "kinds": [
                (k, label)
                for k, label in MeetingKind.choices
                if project.stage in services.MEETING_STAGES[MeetingKind(k)]
            ],
            "groups": InviteeGroup.choices,
            "default_day": (timezone.localdate().toordinal() + 7),
            "quorum_rule": services.quorum_rule,
            "kept": _kept(request),
        },
    )


def _stage_line(project: Project) -> list[dict[str, Any]]:
    """The stage line shown on both pages; a rejected project shows 听证未通过 in place."""
    line = [
        s if not (s == Stage.APPROVED and project.stage == Stage.REJECTED) else Stage.REJECTED
        for s in STAGE_LINE
    ]
    reached = line.index(Stage(project.stage)) if project.stage in line else 0
    return [
        {"label": s.label, "state": "done" if i < reached else "now" if i == reached else "todo"}
        for i, s in enumerate(line)
    ]


@_action(_to("participation:project", "project_id"))
def meeting_schedule(request: HttpRequest, project_id: int) -> str:
    p = request.POST
    starts_at = _datetime(p.get("day"), p.get("time"))
    if starts_at is None:
        raise ValidationError({"starts_at": _("请填写会议日期和时间。")})
    meeting = services.meeting_schedule(
        actor=request_actor(request),
        project_id=project_id,
        plan=services.MeetingPlan(
            kind=p.get("kind", ""),
            starts_at=starts_at,
            place=p.get("place", ""),
            agenda=p.get("agenda", ""),
            capacity=_int(p.get("capacity")),
            quorum=_int(p.get("quorum")),
            invited_groups=p.getlist("invited_groups"),
        ),
    )
    return _("已发布：%(m)s") % {"m": meeting}


@_action(_to("participation:project", "project_id"))
def project_start(request: HttpRequest, project_id: int) -> str:
    services.project_start(actor=request_actor(request), project_id=project_id)
    return _("项目已开工，实施中可召开协调会。")


@_action(_to("participation:project", "project_id"))
def project_complete(request: HttpRequest, project_id: int) -> str:
    services.project_complete(actor=request_actor(request), project_id=project_id)
    return _("项目已完工，下一步：召开评议会。")


@_action(_to("participation:project", "project_id"))
def project_spend(request: HttpRequest, project_id: int) -> str:
    project = services.project_spend(
        actor=request_actor(request),
        project_id=project_id,
        amount=request.POST.get("amount", ""),
        note=request.POST.get("note", ""),
    )
    return _("已登记支出，累计 ¥%(s)s。") % {"s": project.spent}


# ---------------------------------------------------------------- desk: a meeting


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    _staff(request)
    try:
        meeting = selectors.meeting_get(request.user, meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None
    registrations = list(meeting.registrations.all())
    return render(
        request,
        "participation/meeting.html",
        {
            "meeting": meeting,
            "project": meeting.project,
            "seated": [r for r in registrations if r.status == "registered"],
            "waitlist": [r for r in registrations if r.status == "waitlisted"],
            "votes": list(meeting.votes.all()),
            "scores": list(meeting.scores.all()),
            "methods": VoteMethod.choices,
            "quorum_rule": services.quorum_rule(meeting),
            "kept": _kept(request),
            "is_open": meeting.status == "scheduled",
            "invited": [
                InviteeGroup(g).label for g in meeting.invited_groups if g in InviteeGroup.values
            ],
        },
    )


@_action(_to_meeting)
def meeting_sign_in(request: HttpRequest, meeting_id: int) -> str:
    registration = services.registration_sign_in(
        actor=request_actor(request), meeting_id=meeting_id, code=request.POST.get("code", "")
    )
    return _("%(name)s 已签到。") % {"name": registration.name}


@_action(_to_meeting)
def meeting_register_on_behalf(request: HttpRequest, meeting_id: int) -> str:
    registration = services.meeting_register(
        actor=request_actor(request),
        meeting_id=meeting_id,
        name=request.POST.get("name", ""),
        phone=request.POST.get("phone", ""),
    )
    if request.POST.get("sign_in"):
        services.registration_sign_in(
            actor=request_actor(request), meeting_id=meeting_id, code=registration.code
        )
        return _("已代 %(name)s 报名并签到。") % {"name": registration.name}
    return _("已代报名：%(name)s（%(s)s，报名码 %(c)s）。") % {
        "name": registration.name,
        "s": registration.get_status_display(),
        "c": registration.code,
    }


@_action(_to_meeting)
def meeting_cancel_registration(request: HttpRequest, meeting_id: int) -> str:
    services.registration_cancel(
        actor=request_actor(request), meeting_id=meeting_id, code=request.POST.get("code", "")
    )
    return _("已取消报名；如有候补，已自动递补。")


def _tally(request: HttpRequest) -> services.Tally:
    p = request.POST
    return services.Tally(
        present=_int(p.get("present")),
        cast=_int(p.get("cast")),
        yes=_int(p.get("yes")),
        no=_int(p.get("no")),
        abstain=_int(p.get("abstain")),
        invalid=_int(p.get("invalid")),
    )


@_action(_to_meeting)
def vote_tally(request: HttpRequest, meeting_id: int) -> str:
    services.vote_tally(
        actor=request_actor(request),
        meeting_id=meeting_id,
        question=request.POST.get("question", ""),
        method=request.POST.get("method", ""),
        tally=_tally(request),
    )
    return _("首次计票已登记，请另一位工作人员复核。")


@_action(_to_meeting)
def vote_confirm(request: HttpRequest, meeting_id: int, vote_id: int) -> str:
    tally = _tally(request)
    vote = services.vote_confirm(
        actor=request_actor(request),
        vote_id=vote_id,
        yes=tally.yes,
        no=tally.no,
        abstain=tally.abstain,
        invalid=tally.invalid,
    )
    return _("复核一致，表决结果：%(o)s。") % {"o": vote.get_outcome_display()}


@_action(_to_meeting)
def score_add(request: HttpRequest, meeting_id: int) -> str:
    services.score_add(
        actor=request_actor(request),
        meeting_id=meeting_id,
        quality=_int(request.POST.get("quality")),
        satisfaction=_int(request.POST.get("satisfaction")),
        code=request.POST.get("code", ""),
    )
    return _("评分已录入。")


@_action(_to_meeting)
def meeting_close(request: HttpRequest, meeting_id: int) -> str:
    p = request.POST
    photos = [
        (p.get("photo_caption", ""), upload.read(services.MAX_PHOTO_BYTES + 1))
        for upload in request.FILES.getlist("photos")
    ]
    count = p.get("attendee_count", "").strip()
    meeting = services.meeting_close(
        actor=request_actor(request),
        meeting_id=meeting_id,
        closing=services.Closing(
            minutes=p.get("minutes", ""),
            attendee_count=bounded_int(count, low=0, high=10**6) if count else None,
            organisations_present=p.get("organisations_present", ""),
            decisions=p.get("decisions", ""),
            settled_case_codes=p.get("settled_cases", "").replace("，", ",").split(","),
            photos=photos,
        ),
    )
    meeting.project.refresh_from_db(fields=["stage"])
    return _("会议已结束，纪要已公开。项目阶段：%(s)s。") % {
        "s": meeting.project.get_stage_display()
    }


# ---------------------------------------------------------------- desk: ten practical things


@login_required
def things(request: HttpRequest) -> HttpResponse:
    """十件实事: the year's plan; the project choice of a new thing is searched as one types
    (`?words=…&picker=project`)."""
    _staff(request)
    community = _community(request)
    projects = _picker(
        request, selectors.project_choices(community, _words(request), PICKER_SHOWN), "project"
    )
    if request.GET.get("picker") == "project":
        return render(request, "participation/_picker.html", {"picker": projects})
    year = bounded_int(request.GET.get("year"), low=2000, high=2100) or timezone.localdate().year
    plan = selectors.plan_for(community, year)
    return render(
        request,
        "participation/things.html",
        {
            "community": community,
            "communities": communities_for(request.user).order_by("name"),
            "year": year,
            "plan": plan,
            "things": list(plan.things.all()) if plan else [],
            "adoptions": Adoption.choices,
            "can_adopt": access.may(request.user, "participation.adopt"),
            "projects": projects,
            "today": timezone.localdate(),
            "kept": _kept(request),
        },
    )


def _back_to_things(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    url = reverse("participation:things")
    community = bounded_int(request.POST.get("community"))
    year = bounded_int(request.POST.get("year"), low=2000, high=2100)
    query = "&".join(
        f"{k}={v}" for k, v in (("community", community), ("year", year)) if v is not None
    )
    return f"{url}?{query}" if query else url


@_action(_back_to_things)
def plan_adopt(request: HttpRequest) -> str:
    p = request.POST
    year = bounded_int(p.get("year"), low=2000, high=2100)
    adopted_on = _date(p.get("adopted_on"))
    if year is None or adopted_on is None:
        raise ValidationError(_("请填写年度和通过日期。"))
    services.practical_list_adopt(
        actor=request_actor(request),
        community=_community(request),
        year=year,
        adoption=p.get("adoption", ""),
        adopted_on=adopted_on,
        note=p.get("note", ""),
    )
    return _("%(y)s 年实事清单已确定，请逐件录入。") % {"y": year}


def _milestones(text: str) -> list[services.MilestoneIn]:
    """One milestone a line: `名称 | 2025-06-30 | 权重 | 目标件数(可空)`."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.replace("｜", "|").split("|")]
        due = _date(parts[1] if len(parts) > 1 else "")
        if due is None:
            raise ValidationError(
                {
                    "milestones": _(
                        "第 %(n)s 行：请按“名称 | 日期 | 权重”填写，日期如 2025-06-30。"
                    )
                    % {"n": number}
                }
            )
        weight = bounded_int(parts[2] if len(parts) > 2 and parts[2] else "1", low=0, high=10**6)
        target = bounded_int(parts[3], low=0, high=10**6) if len(parts) > 3 and parts[3] else None
        found.append(
            services.MilestoneIn(parts[0], due, weight if weight is not None else 0, target)
        )
    return found


@_action(_back_to_things)
def thing_add(request: HttpRequest) -> str:
    p = request.POST
    plan_id = bounded_int(p.get("plan"))
    if plan_id is None:
        raise Http404
    project = Project.objects.filter(pk=bounded_int(p.get("project")) or 0).first()
    thing = services.thing_add(
        actor=request_actor(request),
        plan_id=plan_id,
        title=p.get("title", ""),
        owner_name=p.get("owner_name", ""),
        budget=p.get("budget", "0"),
        milestones=_milestones(p.get("milestones", "")),
        project=project,
    )
    return _("已列入：%(t)s") % {"t": thing.title}


@login_required
def thing_detail(request: HttpRequest, thing_id: int) -> HttpResponse:
    _staff(request)
    try:
        thing = selectors.thing_get(request.user, thing_id)
    except PracticalThing.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "participation/thing.html",
        {"thing": thing, "taps": PERCENT_TAPS, "events": list(thing.events.all())},
    )


def _to_thing_of_milestone(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    thing_id = (
        Milestone.objects.filter(pk=kwargs["milestone_id"])
        .values_list("thing_id", flat=True)
        .first()
    )
    return (
        reverse("participation:thing", args=[thing_id])
        if thing_id
        else reverse("participation:things")
    )


@_action(_to_thing_of_milestone)
def milestone_progress(request: HttpRequest, milestone_id: int) -> str:
    thing = services.milestone_progress(
        actor=request_actor(request),
        milestone_id=milestone_id,
        progress=request.POST.get("progress", ""),
    )
    return _("已更新：%(t)s 进度 %(p)s%%。") % {"t": thing.title, "p": thing.progress}


@_action(_to_thing_of_milestone)
def milestone_cases(request: HttpRequest, milestone_id: int) -> str:
    codes = request.POST.get("codes", "").replace("，", ",").replace("\n", ",").split(",")
    thing = services.milestone_link_cases(
        actor=request_actor(request), milestone_id=milestone_id, codes=codes
    )
    return _("已关联，按办结事项计进度 %(p)s%%。") % {"p": thing.progress}


@_action(_to("participation:thing", "thing_id"))
def evidence_add(request: HttpRequest, thing_id: int) -> str:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": _("请选择要上传的文件。")})
    services.evidence_add(
        actor=request_actor(request),
        thing_id=thing_id,
        caption=request.POST.get("caption", ""),
        filename=upload.name or "file",
        data=upload.read(services.MAX_PHOTO_BYTES + 1),
    )
    return _("佐证材料已上传。")


@login_required
def street_view(request: HttpRequest) -> HttpResponse:
    _staff(request)
    year = bounded_int(request.GET.get("year"), low=2000, high=2100) or timezone.localdate().year
    rows, behind = selectors.street_compliance(request.user, year)
    return render(
        request,
        "participation/street.html",
        {
            "year": year,
            "rows": rows,
            "behind": behind,
            "adopted": sum(1 for r in rows if r.adopted),
            "with_ten": sum(1 for r in rows if r.has_ten),
            "on_time": sum(1 for r in rows if r.on_time),
            "late_status": ThingStatus.LATE,
        },
    )


# ---------------------------------------------------------------- portal (public)


@refusals
def public_project(request: HttpRequest, project_id: int) -> HttpResponseBase:
    """The project's public record: stage line, every meeting's minutes and votes, photos,
    money spent, scores; comment or register for the next meeting."""
    try:
        project = selectors.public_project(project_id)
    except Project.DoesNotExist:
        raise Http404 from None
    meetings = list(project.meetings.all())
    return render(
        request,
        "participation/public_project.html",
        {
            "project": project,
            "stage_line": _stage_line(project),
            "meetings": meetings,
            "events": selectors.public_events(project),
            "spending": [e for e in selectors.public_events(project) if e.kind == "spent"],
            "next": selectors.next_meeting(project),
            "kept": _kept(request),
            "comments": page_or_refuse(
                request,
                selectors.public_comments(project),
                query_digest("public-comments", project.pk),
                NEWEST_FIRST,
                request.path,
            ),
        },
    )


@refusals
def public_projects(request: HttpRequest, community_id: int) -> HttpResponseBase:
    """社区项目公开: every project of the community, newest first, in keyset pages."""
    community = get_object_or_404(Community, pk=community_id)
    return render(
        request,
        "participation/public_projects.html",
        {
            "community": community,
            "page": page_or_refuse(
                request,
                selectors.public_projects(community),
                query_digest("public-projects", community.pk),
                NEWEST_FIRST,
                request.path,
            ),
            "year": timezone.localdate().year,
        },
    )


@throttle.per_address("participation-comment", throttle.PUBLIC_WRITES)
@_action(_to("participation:public_project", "project_id"))
def public_comment(request: HttpRequest, project_id: int) -> str:
    services.project_comment(
        project_id=project_id, name=request.POST.get("name", ""), text=request.POST.get("text", "")
    )
    return _("留言已发布，谢谢您的意见。")


def _to_public_of_meeting(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    project_id = (
        Meeting.objects.filter(pk=kwargs["meeting_id"]).values_list("project_id", flat=True).first()
    )
    if project_id is None:
        raise Http404
    return reverse("participation:public_project", args=[project_id])


@throttle.per_address("participation-register", throttle.PUBLIC_WRITES)
@_action(_to_public_of_meeting)
def public_register(request: HttpRequest, meeting_id: int) -> str:
    registration = services.meeting_register(
        meeting_id=meeting_id,
        name=request.POST.get("name", ""),
        phone=request.POST.get("phone", ""),
    )
    if registration.status == "waitlisted":
        return _("名额已满，您已进入候补（报名码 %(c)s）。有人取消时将按顺序递补。") % {
            "c": registration.code
        }
    return _("报名成功！您的报名码是 %(c)s，请在会议入口出示签到。") % {"c": registration.code}


@throttle.per_address("participation-cancel", throttle.PUBLIC_WRITES)
@_action(_to_public_of_meeting)
def public_cancel(request: HttpRequest, meeting_id: int) -> str:
    services.registration_cancel(
        meeting_id=meeting_id,
        code=request.POST.get("code", ""),
        phone=request.POST.get("phone", ""),
    )
    return _("已取消报名。")


def public_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = get_object_or_404(MeetingPhoto, pk=photo_id)
    response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence, pk=evidence_id)
    response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"  # an uploaded PDF runs no script here
    return response


def public_things(request: HttpRequest, community_id: int, year: int) -> HttpResponse:
    community = get_object_or_404(Community, pk=community_id)
    if not 2000 <= year <= 2100:
        raise Http404
    plan = selectors.plan_for(community, year)
    return render(
        request,
        "participation/public_things.html",
        {
            "community": community,
            "year": year,
            "plan": plan,
            "things": list(plan.things.all()) if plan else [],
        },
    )
