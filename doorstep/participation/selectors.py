"""Reads for the participation area, always through the reader's area; public reads give only
what the public record holds (no phone numbers, names masked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from doorstep.cases.models import Case
from doorstep.catalog.models import Demand
from doorstep.places.models import Building, Community, Compound
from doorstep.places.selectors import User, communities_for

from .choices import PUBLIC_EVENTS, TEN, THING_STATUS_ORDER, MeetingStatus, ThingStatus
from .filters import ProjectFilter
from .models import (
    Comment,
    Meeting,
    MeetingPhoto,
    Milestone,
    PracticalList,
    PracticalThing,
    Project,
    ProjectEvent,
    Registration,
    Vote,
)


def projects_visible_to(actor: User) -> QuerySet[Project]:
    return Project.objects.filter(community__in=communities_for(actor)).select_related("community")


def project_list(actor: User, filters: ProjectFilter) -> QuerySet[Project]:
    """The desk's, the API's and the export's project list (paged or exported by the caller)."""
    return filters.apply(projects_visible_to(actor))


def project_get(actor: User, project_id: int) -> Project:
    """A project in the actor's area with its meetings; another area's → DoesNotExist."""
    return (
        projects_visible_to(actor)
        .select_related("compound", "building", "demand", "source_case")
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.prefetch_related("votes", "photos")),
            "events__actor__staff",
        )
        .get(pk=project_id)
    )


def meeting_get(actor: User, meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_related("project__community")
        .prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.select_related("signed_in_by__staff"),
            ),
            Prefetch("votes", queryset=Vote.objects.select_related("tallied_by__staff")),
            "scores",
            "settled_cases",
        )
        .get(pk=meeting_id, project__community__in=communities_for(actor))
    )


def public_project(project_id: int) -> Project:
    """Everything the public page shows in a fixed number of queries."""
    return (
        Project.objects.select_related("community", "compound", "building")
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.prefetch_related(
                    Prefetch("votes", queryset=Vote.objects.exclude(confirmed_by=None)),
                    Prefetch(
                        "photos", queryset=MeetingPhoto.objects.only("pk", "caption", "meeting_id")
                    ),
                ),
            ),
        )
        .get(pk=project_id)
    )


def public_events(project: Project) -> list[ProjectEvent]:
    return list(project.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "pk"))


def next_meeting(project: Project, now: datetime | None = None) -> Meeting | None:
    """The next meeting a resident can still register for."""
    moment = now or timezone.now()
    return (
        project.meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__gt=moment)
        .order_by("starts_at")
        .first()
    )


def public_projects(community: Community) -> QuerySet[Project]:
    return Project.objects.filter(community=community).order_by("-created_at", "-pk")


def public_comments(project: Project) -> QuerySet[Comment]:
    """居民留言 on the public page (paged by the caller, newest first)."""
    return project.comments.all()


# ---------------------------------------------------------------- the desk's pickers
# A form's choice of a demand or a project: the newest `limit` matching the words typed, plus
# one so the page can say there are more (显示前 N 条) instead of stopping silently.


def demand_choices(community: Community, words: str, limit: int) -> list[Demand]:
    qs = Demand.objects.filter(community=community)
    if words:
        qs = qs.filter(Q(topic__contains=words) | Q(text__contains=words))
    return list(qs.order_by("-created_at", "-pk")[: limit + 1])


def project_choices(community: Community, words: str, limit: int) -> list[Project]:
    qs = Project.objects.filter(community=community)
    if words:
        qs = qs.filter(title__contains=words)
    return list(qs.order_by("-created_at", "-pk")[: limit + 1])


def proposal_demand(community: Community, demand_id: int | None) -> Demand | None:
    """The demand a proposal starts from, only the community's own."""
    return Demand.objects.filter(pk=demand_id or 0, community=community).first()


def proposal_case(community: Community, tracking_code: str) -> Case | None:
    return Case.objects.filter(tracking_code=tracking_code, community=community).first()


def proposal_building(compound: Compound | None, name: str) -> Building | None:
    if compound is None or not name:
        return None
    return Building.objects.filter(compound=compound, name=name).first()


# ---------------------------------------------------------------- ten practical things


def plan_for(community: Community, year: int) -> PracticalList | None:
    """A community's list for a year with its things and milestones (three queries)."""
    return (
        PracticalList.objects.filter(community=community, year=year)
        .select_related("community")
        .prefetch_related(
            Prefetch(
                "things",
                queryset=PracticalThing.objects.select_related("project").prefetch_related(
                    Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
                    "evidence",
                ),
            )
        )
        .first()
    )


def thing_get(actor: User, thing_id: int) -> PracticalThing:
    return (
        PracticalThing.objects.select_related("plan__community", "project")
        .prefetch_related("milestones", "events__actor__staff", "evidence")
        .get(pk=thing_id, plan__community__in=communities_for(actor))
    )


@dataclass
class CommunityCompliance:
    """One row of the street view (街道实事督办): is the list adopted, are ten on it, is it on
    time."""

    community: Community
    plan: PracticalList | None

    @property
    def adopted(self) -> bool:
        return self.plan is not None

    @property
    def has_ten(self) -> bool:
        return self.plan is not None and self.plan.item_count >= TEN

    @property
    def on_time(self) -> bool:
        return self.plan is not None and self.plan.late_count == 0

    @property
    def sort_key(self) -> tuple[int, int, str]:
        if self.plan is None:
            return (0, 0, self.community.name)
        return (1, -self.plan.late_count * 100 - self.plan.at_risk_count, self.community.name)


def street_compliance(
    actor: User, year: int, late_limit: int = 100
) -> tuple[list[CommunityCompliance], list[PracticalThing]]:
    """Every community in the actor's area with its list's rollup, worst first, and the late and
    at-risk things across them, late first. Three queries whatever the number of communities:
    the rollups are kept on the list rows by the services."""
    communities = list(communities_for(actor).order_by("name"))
    plans = {
        p.community_id: p
        for p in PracticalList.objects.filter(community__in=[c.pk for c in communities], year=year)
    }
    rows = sorted(
        (CommunityCompliance(c, plans.get(c.pk)) for c in communities), key=lambda r: r.sort_key
    )
    behind = list(
        PracticalThing.objects.filter(
            plan__in=list(plans.values()), status__in=[ThingStatus.LATE, ThingStatus.AT_RISK]
        )
        .select_related("plan__community")
        .order_by("due_date", "pk")[: late_limit * 2]
    )
    behind.sort(
        key=lambda t: (THING_STATUS_ORDER[ThingStatus(t.status)], t.due_date or t.plan.adopted_on)
    )
    return rows, behind[:late_limit]
