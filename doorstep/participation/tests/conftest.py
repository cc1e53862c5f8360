"""Factories for participation tests, on top of the shared `world`."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.auth.models import User

from doorstep.conftest import World, at
from doorstep.participation import services
from doorstep.participation.choices import FundingSource, MeetingKind, ProposerKind
from doorstep.participation.models import Meeting, PracticalList, Project

NOW = at(2025, 9, 1)
LATER = at(2025, 9, 20, 19)


def make_project(world: World, actor: User | None = None, **overrides: object) -> Project:
    data = services.Proposal(
        community=world.a,
        title=str(overrides.pop("title", "一村微公园：违章搭建改凉亭")),
        proposer_kind=str(overrides.pop("proposer_kind", ProposerKind.ORGANISATION)),
        proposer_name=str(overrides.pop("proposer_name", "邻里互助帮帮团")),
        funding_source=FundingSource.STREET,
        budget=overrides.pop("budget", "86000"),
        compound=world.compound_a,
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return services.project_propose(actor=actor or world.desk_a, data=data, now=NOW)


def make_meeting(
    world: World,
    project: Project,
    kind: str = MeetingKind.HEARING,
    *,
    capacity: int = 30,
    quorum: int = 5,
    starts_at: datetime = LATER,
    actor: User | None = None,
) -> Meeting:
    return services.meeting_schedule(
        actor=actor or world.desk_a,
        project_id=project.pk,
        plan=services.MeetingPlan(
            kind=kind,
            starts_at=starts_at,
            place="一村活动室",
            agenda="1. 介绍方案 2. 居民发言 3. 表决",
            capacity=capacity,
            quorum=quorum,
            invited_groups=["building_heads", "affected_residents"],
        ),
        now=NOW,
    )


def closing(**overrides: object) -> services.Closing:
    values: dict[str, object] = {
        "minutes": "居民逐一发言，多数同意改建凉亭。",
        "attendee_count": 12,
        "organisations_present": "居委会、物业公司、邻里互助帮帮团",
        "decisions": "拆除违章搭建，建休憩凉亭。",
    }
    values.update(overrides)
    return services.Closing(**values)  # type: ignore[arg-type]


def pass_vote(world: World, meeting: Meeting, yes: int = 9, no: int = 2, abstain: int = 1) -> None:
    vote = services.vote_tally(
        actor=world.desk_a,
        meeting_id=meeting.pk,
        question="是否同意改建凉亭",
        method="hands",
        tally=services.Tally(present=12, cast=yes + no + abstain, yes=yes, no=no, abstain=abstain),
        now=LATER,
    )
    services.vote_confirm(
        actor=world.grid_a, vote_id=vote.pk, yes=yes, no=no, abstain=abstain, now=LATER
    )


def approved_project(world: World) -> Project:
    project = make_project(world)
    hearing = make_meeting(world, project)
    pass_vote(world, hearing)
    services.meeting_close(actor=world.desk_a, meeting_id=hearing.pk, closing=closing(), now=LATER)
    project.refresh_from_db()
    return project


def make_plan(world: World, year: int = 2025) -> PracticalList:
    return services.practical_list_adopt(
        actor=world.secretary_a,
        community=world.a,
        year=year,
        adoption="meeting",
        adopted_on=date(year, 2, 20),
        note="居民代表会议通过",
    )


@pytest.fixture
def project(world: World) -> Project:
    return make_project(world)
