"""Projects through the three meetings: stages, meetings, votes, closing, scores, money."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from doorstep.conftest import World
from doorstep.participation import services
from doorstep.participation.choices import EventKind, MeetingKind, Stage, VoteOutcome
from doorstep.participation.models import Meeting, MeetingPhoto, Project, ProjectEvent, Vote

from .conftest import LATER, NOW, approved_project, closing, make_meeting, make_project, pass_vote

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def test_proposal_records_proposer_and_one_timeline_entry(world: World) -> None:
    project = make_project(world)
    assert project.stage == Stage.PROPOSED
    assert project.proposer_name == "邻里互助帮帮团"
    assert list(project.events.values_list("kind", flat=True)) == [EventKind.PROPOSED]


def test_proposal_from_a_case_of_another_community_is_refused(world: World) -> None:
    case = world.intake(community=world.b, actor=world.desk_b)
    with pytest.raises(ValidationError, match="不属于该社区"):
        make_project(world, proposer_kind="case", source_case=case)
    assert not Project.objects.exists()


def test_department_staff_cannot_propose(world: World) -> None:
    with pytest.raises(PermissionDenied):
        make_project(world, actor=world.department_user)


def test_other_community_staff_cannot_touch_the_project(world: World, project: Project) -> None:
    with pytest.raises(Project.DoesNotExist):
        make_meeting(world, project, actor=world.desk_b)


def test_first_hearing_moves_project_to_hearing_and_rounds_count(
    world: World, project: Project
) -> None:
    first = make_meeting(world, project)
    services.meeting_close(actor=world.desk_a, meeting_id=first.pk, closing=closing(), now=LATER)
    second = make_meeting(world, project, starts_at=LATER.replace(day=25))
    project.refresh_from_db()
    assert project.stage == Stage.HEARING
    assert (first.round, second.round) == (1, 2)


def test_coordination_before_approval_is_refused(world: World, project: Project) -> None:
    with pytest.raises(ValidationError, match="协调会须在项目通过听证后"):
        make_meeting(world, project, MeetingKind.COORDINATION)


def test_hearing_vote_passed_approves_the_project(world: World) -> None:
    project = approved_project(world)
    assert project.stage == Stage.APPROVED


def test_hearing_vote_failed_rejects_the_project(world: World, project: Project) -> None:
    hearing = make_meeting(world, project)
    pass_vote(world, hearing, yes=3, no=8, abstain=1)
    services.meeting_close(actor=world.desk_a, meeting_id=hearing.pk, closing=closing(), now=LATER)
    project.refresh_from_db()
    assert project.stage == Stage.REJECTED


def test_vote_without_quorum_decides_nothing(world: World, project: Project) -> None:
    hearing = make_meeting(world, project, quorum=20)
    pass_vote(world, hearing)
    assert Vote.objects.get().outcome == VoteOutcome.NO_QUORUM
    services.meeting_close(actor=world.desk_a, meeting_id=hearing.pk, closing=closing(), now=LATER)
    project.refresh_from_db()
    assert project.stage == Stage.HEARING


def test_a_tally_that_does_not_add_up_is_refused(world: World, project: Project) -> None:
    hearing = make_meeting(world, project)
    with pytest.raises(ValidationError, match="计票不符"):
        services.vote_tally(
            actor=world.desk_a,
            meeting_id=hearing.pk,
            question="是否同意",
            method="ballots",
            tally=services.Tally(present=12, cast=12, yes=7, no=2, abstain=1, invalid=1),
        )
    assert not Vote.objects.exists()


def test_more_ballots_than_people_present_is_refused(world: World, project: Project) -> None:
    hearing = make_meeting(world, project)
    with pytest.raises(ValidationError, match="多于到场人数"):
        services.vote_tally(
            actor=world.desk_a,
            meeting_id=hearing.pk,
            question="是否同意",
            method="ballots",
            tally=services.Tally(present=5, cast=6, yes=6, no=0, abstain=0),
        )


def test_the_second_count_must_be_by_another_person_and_agree(
    world: World, project: Project
) -> None:
    hearing = make_meeting(world, project)
    vote = services.vote_tally(
        actor=world.desk_a,
        meeting_id=hearing.pk,
        question="是否同意",
        method="ballots",
        tally=services.Tally(present=12, cast=12, yes=8, no=2, abstain=1, invalid=1),
    )
    with pytest.raises(ValidationError, match="另一位工作人员"):
        services.vote_confirm(
            actor=world.desk_a, vote_id=vote.pk, yes=8, no=2, abstain=1, invalid=1
        )
    with pytest.raises(ValidationError, match="不一致"):
        services.vote_confirm(
            actor=world.grid_a, vote_id=vote.pk, yes=7, no=3, abstain=1, invalid=1
        )
    vote.refresh_from_db()
    assert vote.outcome == VoteOutcome.PENDING
    services.vote_confirm(actor=world.grid_a, vote_id=vote.pk, yes=8, no=2, abstain=1, invalid=1)
    vote.refresh_from_db()
    assert vote.outcome == VoteOutcome.PASSED and vote.confirmed_by == world.grid_a


def test_an_unconfirmed_vote_blocks_closing(world: World, project: Project) -> None:
    hearing = make_meeting(world, project)
    services.vote_tally(
        actor=world.desk_a,
        meeting_id=hearing.pk,
        question="是否同意",
        method="hands",
        tally=services.Tally(present=12, cast=12, yes=12, no=0, abstain=0),
    )
    with pytest.raises(ValidationError, match="未复核"):
        services.meeting_close(actor=world.desk_a, meeting_id=hearing.pk, closing=closing())


def test_a_meeting_closed_without_minutes_is_refused_and_nothing_written(
    world: World, project: Project
) -> None:
    hearing = make_meeting(world, project)
    events = ProjectEvent.objects.count()
    with pytest.raises(ValidationError, match="结束会议须填写会议纪要"):
        services.meeting_close(
            actor=world.desk_a, meeting_id=hearing.pk, closing=closing(minutes="  ")
        )
    hearing.refresh_from_db()
    assert hearing.status == "scheduled" and ProjectEvent.objects.count() == events


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("attendee_count", None, "请填写到会人数"),
        ("organisations_present", "", "请填写到会单位"),
        ("decisions", "", "请填写会议决定"),
        ("settled_case_codes", ["ZZZZ-ZZZZ"], "找不到本社区的事项"),
        ("photos", [("x", b"GIF89a")], "只能上传"),
    ],
)
def test_closing_needs_every_part_of_the_record(
    world: World, project: Project, field: str, value: object, message: str
) -> None:
    hearing = make_meeting(world, project)
    with pytest.raises(ValidationError, match=message):
        services.meeting_close(
            actor=world.desk_a, meeting_id=hearing.pk, closing=closing(**{field: value})
        )
    assert not MeetingPhoto.objects.exists()


def test_closing_links_settled_cases_and_keeps_photos(world: World, project: Project) -> None:
    case = world.intake(description="小区里违章搭建的棚子影响通行")
    hearing = make_meeting(world, project)
    services.meeting_close(
        actor=world.desk_a,
        meeting_id=hearing.pk,
        closing=closing(settled_case_codes=[case.tracking_code.lower()], photos=[("现场", PNG)]),
    )
    hearing.refresh_from_db()
    assert list(hearing.settled_cases.all()) == [case]
    assert hearing.photos.get().content_type == "image/png"


def test_a_case_of_another_community_cannot_be_settled(world: World, project: Project) -> None:
    other = world.intake(community=world.b, actor=world.desk_b)
    hearing = make_meeting(world, project)
    with pytest.raises(ValidationError, match="找不到本社区的事项"):
        services.meeting_close(
            actor=world.desk_a,
            meeting_id=hearing.pk,
            closing=closing(settled_case_codes=[other.tracking_code]),
        )


def test_full_life_through_three_meetings_to_evaluated(world: World) -> None:
    project = approved_project(world)
    services.project_start(actor=world.desk_a, project_id=project.pk, now=LATER)
    coordination = make_meeting(world, project, MeetingKind.COORDINATION)
    services.meeting_close(
        actor=world.desk_a, meeting_id=coordination.pk, closing=closing(), now=LATER
    )
    services.project_spend(
        actor=world.desk_a, project_id=project.pk, amount="52000.50", note="凉亭"
    )
    services.project_complete(actor=world.desk_a, project_id=project.pk, now=LATER)
    evaluation = make_meeting(world, project, MeetingKind.EVALUATION)
    with pytest.raises(ValidationError, match="至少录入一份居民评分"):
        services.meeting_close(actor=world.desk_a, meeting_id=evaluation.pk, closing=closing())
    services.score_add(actor=world.desk_a, meeting_id=evaluation.pk, quality=5, satisfaction=4)
    services.score_add(actor=world.desk_a, meeting_id=evaluation.pk, quality=4, satisfaction=4)
    services.meeting_close(actor=world.desk_a, meeting_id=evaluation.pk, closing=closing())
    project.refresh_from_db()
    assert project.stage == Stage.EVALUATED
    assert project.spent == Decimal("52000.50")
    assert (project.quality_score, project.satisfaction_score) == (Decimal("4.50"), Decimal("4"))
    assert Meeting.objects.filter(project=project).count() == 3


def test_score_out_of_range_is_refused(world: World) -> None:
    project = approved_project(world)
    services.project_start(actor=world.desk_a, project_id=project.pk)
    services.project_complete(actor=world.desk_a, project_id=project.pk)
    evaluation = make_meeting(world, project, MeetingKind.EVALUATION)
    with pytest.raises(ValidationError, match="1 到 5"):
        services.score_add(actor=world.desk_a, meeting_id=evaluation.pk, quality=6, satisfaction=3)


def test_money_cannot_be_spent_before_approval(world: World, project: Project) -> None:
    with pytest.raises(ValidationError, match="通过听证后"):
        services.project_spend(actor=world.desk_a, project_id=project.pk, amount="10", note="x")


def test_negative_spending_is_refused(world: World) -> None:
    project = approved_project(world)
    with pytest.raises(ValidationError):
        services.project_spend(actor=world.desk_a, project_id=project.pk, amount="-5", note="x")


def test_meeting_in_the_past_is_refused(world: World, project: Project) -> None:
    with pytest.raises(ValidationError, match="晚于现在"):
        make_meeting(world, project, starts_at=NOW)


def test_comment_writes_one_timeline_entry(world: World, project: Project) -> None:
    services.project_comment(project_id=project.pk, name="王阿姨", text="凉亭旁边加个座椅")
    assert project.events.filter(kind=EventKind.COMMENTED).count() == 1
    with pytest.raises(ValidationError, match="留言内容"):
        services.project_comment(project_id=project.pk, name="王阿姨", text="")


def test_a_tie_does_not_pass(world: World, project: Project) -> None:
    hearing = make_meeting(world, project)
    pass_vote(world, hearing, yes=5, no=5, abstain=0)
    assert Vote.objects.get().outcome == VoteOutcome.FAILED


def test_street_staff_may_act_other_street_may_not(world: World, project: Project) -> None:
    make_meeting(world, project, actor=world.street_user)
    with pytest.raises(Project.DoesNotExist):
        make_meeting(world, project, actor=world.other_street_user)
