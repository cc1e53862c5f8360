"""Earlier years' assistance loaded in bulk (历史帮扶导入): the same checks and outcome as the
one-at-a-time services, one audit entry, nothing written when one line is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoAssertNumQueries

from doorstep.assistance import services
from doorstep.assistance.choices import ApplicationStatus, Vote
from doorstep.assistance.models import (
    AssistanceApplication,
    AssistanceDisbursement,
    PanelMember,
    PanelVote,
)
from doorstep.conftest import World
from doorstep.core.models import AuditEntry
from doorstep.places.models import Community

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 15)


@pytest.fixture
def panels(world: World) -> dict[int, list[PanelMember]]:
    return {
        c.pk: [PanelMember.objects.create(community=c, name=f"成员{n}") for n in range(4)]
        for c in (world.a, world.b)
    }


def past(
    world: World,
    panel: list[PanelMember],
    votes: Sequence[tuple[int, str, str | None]],
    **kw: object,
) -> services.PastApplication:
    data: dict[str, object] = {
        "community_id": panel[0].community_id,
        "applicant_name": "陈建华",
        "kind": "case",
        "household_category": "subsistence",
        "hardship": "妻子重病住院，自付医疗费超过三万元。",
        "amount_requested": Decimal("5000"),
        "applied_on": date(2025, 3, 2),
        "panel_at": datetime(2025, 3, 10, 7, tzinfo=UTC),
        "decided_on": date(2025, 3, 10),
        "decided_by": world.secretary_a
        if panel[0].community_id == world.a.pk
        else world.secretary_b,
        "reason": "经评议小组审议",
        "votes": [
            services.PastVote(
                panel[i].pk,
                choice,
                Decimal(amount) if amount else None,
                "已享受低保" if choice == Vote.REJECT else "情况属实",
                "申请人是其亲属" if choice == Vote.ABSTAIN_CONFLICT else "",
            )
            for i, choice, amount in votes
        ],
        "paid_on": date(2025, 3, 13),
    }
    data.update(kw)
    return services.PastApplication(**data)  # type: ignore[arg-type]


APPROVED = [(0, Vote.APPROVE, "4000"), (1, Vote.APPROVE, "5000"), (2, Vote.APPROVE, "3000")]


def load(world: World, *lines: services.PastApplication) -> int:
    return services.assistance_history_load(
        actor=world.street_user, applications=list(lines), today=TODAY
    )


def test_history_is_decided_by_the_votes_as_a_live_decision_is(
    world: World, panels: dict[int, list[PanelMember]]
) -> None:
    rejected = [(0, Vote.APPROVE, "5000"), (1, Vote.REJECT, None), (2, Vote.REJECT, None)]
    assert (
        load(
            world,
            past(world, panels[world.a.pk], APPROVED),
            past(world, panels[world.b.pk], rejected, applicant_name="李秀兰", paid_on=None),
        )
        == 2
    )
    approved = AssistanceApplication.objects.get(applicant_name="陈建华")
    assert approved.status == ApplicationStatus.APPROVED
    assert approved.amount_approved == Decimal("4000.00")  # the median, as assistance_decide
    assert approved.decision_reason == (
        "有效票 3 张：同意 3，不同意 0；回避 0 人。\n经评议小组审议"
    )
    assert approved.decided_by == world.secretary_a
    refused = AssistanceApplication.objects.get(applicant_name="李秀兰")
    assert (refused.status, refused.amount_approved) == (ApplicationStatus.REJECTED, None)
    assert refused.community == world.b
    assert PanelVote.objects.count() == 6
    assert list(AssistanceDisbursement.objects.values_list("amount", "paid_on", "approved_by")) == [
        (Decimal("4000.00"), date(2025, 3, 13), world.secretary_a.pk)
    ]


def test_history_load_writes_one_audit_entry(
    world: World, panels: dict[int, list[PanelMember]]
) -> None:
    load(
        world, past(world, panels[world.a.pk], APPROVED), past(world, panels[world.b.pk], APPROVED)
    )
    entry = AuditEntry.objects.get(action="assistance_history_load")
    assert entry.actor == world.street_user and "2 件" in entry.reason


@pytest.mark.parametrize(
    ("votes", "kw", "message"),
    [
        (APPROVED[:2], {}, "须至少 3 张有效票"),
        ([*APPROVED[:2], (2, Vote.ABSTAIN_CONFLICT, None)], {}, "须至少 3 张有效票"),
        ([*APPROVED, (3, Vote.REJECT, None)], {}, ""),  # 3 : 1 is decisive — no error
        ([(0, Vote.APPROVE, "6000"), *APPROVED[1:]], {}, "建议金额不能超过申请金额"),
        ([*APPROVED, (0, Vote.REJECT, None)], {}, "只能投票一次"),
        (APPROVED, {"kind": "loan"}, "请选择帮扶类型"),
        (APPROVED, {"decided_on": date(2025, 3, 1)}, "决定日期"),
        (APPROVED, {"decided_on": date(2026, 4, 1), "paid_on": None}, "决定日期"),
        (APPROVED, {"paid_on": date(2026, 4, 1)}, "发放日期"),
        (APPROVED, {"amount_requested": Decimal("0")}, "金额"),
    ],
)
def test_a_wrong_line_is_refused_with_its_number_and_nothing_is_written(
    world: World,
    panels: dict[int, list[PanelMember]],
    votes: Sequence[tuple[int, str, str | None]],
    kw: dict[str, object],
    message: str,
) -> None:
    good = past(world, panels[world.a.pk], APPROVED)
    line = past(world, panels[world.a.pk], votes, **kw)
    if not message:
        assert load(world, good, line) == 2
        return
    with pytest.raises(ValidationError) as error:
        load(world, good, line)
    assert "第 2 件" in str(error.value) and message in str(error.value)
    assert not AssistanceApplication.objects.exists()
    assert not PanelVote.objects.exists()


def test_a_rejected_history_line_cannot_carry_a_payment(
    world: World, panels: dict[int, list[PanelMember]]
) -> None:
    rejected = [(0, Vote.REJECT, None), (1, Vote.REJECT, None), (2, Vote.APPROVE, "10")]
    with pytest.raises(ValidationError, match="发放"):
        load(world, past(world, panels[world.a.pk], rejected))


def test_a_member_of_another_community_cannot_vote_in_the_history(
    world: World, panels: dict[int, list[PanelMember]]
) -> None:
    line = past(world, panels[world.a.pk], APPROVED)
    foreign = services.PastVote(panels[world.b.pk][3].pk, Vote.APPROVE, Decimal("5000"))
    line = replace(line, votes=[*line.votes, foreign])
    with pytest.raises(ValidationError, match="不属于该社区"):
        load(world, line)


def test_the_recorder_must_hold_assistance_in_that_community(
    world: World, panels: dict[int, list[PanelMember]]
) -> None:
    line = past(world, panels[world.a.pk], APPROVED, decided_by=world.secretary_b)
    with pytest.raises(ValidationError, match="决定人无权"):
        load(world, line)


def test_only_assistance_staff_in_the_area_may_load(
    world: World, panels: dict[int, list[PanelMember]]
) -> None:
    line = past(world, panels[world.a.pk], APPROVED)
    with pytest.raises(PermissionDenied):
        services.assistance_history_load(actor=world.desk_a, applications=[line], today=TODAY)
    with pytest.raises(Community.DoesNotExist):
        services.assistance_history_load(actor=world.secretary_b, applications=[line], today=TODAY)
    assert not AssistanceApplication.objects.exists()


def test_history_load_queries_do_not_grow_with_the_lines(
    world: World,
    panels: dict[int, list[PanelMember]],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    lines = [
        past(world, panels[world.a.pk], APPROVED, applicant_name=f"申请人{n}") for n in range(40)
    ]
    with django_assert_max_num_queries(14):
        load(world, *lines)
    assert AssistanceApplication.objects.count() == 40
