"""Comprehensive assistance (综合帮扶): panel votes, conflicts, majority, money, permissions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from doorstep.assistance import services
from doorstep.assistance.choices import ApplicationStatus, Vote
from doorstep.assistance.models import AssistanceApplication, PanelMember, PanelVote
from doorstep.assistance.selectors import assistance_summary
from doorstep.conftest import World


@pytest.fixture
def panel(world: World) -> list[PanelMember]:
    names = [
        "老周（退休干部）",
        "李阿姨（楼院长）",
        "马师傅（党员）",
        "王老师（退休教师）",
        "赵大姐",
    ]
    return [PanelMember.objects.create(community=world.a, name=n) for n in names]


def apply(world: World, amount: str = "5000", **kw: object) -> AssistanceApplication:
    data = {
        "community_id": world.a.pk,
        "applicant_name": "陈建华",
        "kind": "case",
        "household_category": "subsistence",
        "hardship": "妻子重病住院，自付医疗费超过三万元。",
        "amount_requested": amount,
        "documents": "诊断证明\n住院费用清单",
        "applied_on": date(2026, 3, 2),
    }
    data.update(kw)
    return services.assistance_apply(
        actor=world.secretary_a,
        data=services.ApplicationData(**data),  # type: ignore[arg-type]
    )


def vote(
    world: World, app: AssistanceApplication, member: PanelMember, choice: str, amount: str = ""
) -> PanelVote:
    return services.assistance_vote(
        actor=world.secretary_a,
        application_id=app.pk,
        member_id=member.pk,
        vote=choice,
        amount=amount or None,
        comment="情况属实" if choice != Vote.REJECT else "已享受低保，重复救助",
        conflict_note="申请人是其亲属" if choice == Vote.ABSTAIN_CONFLICT else "",
    )


def decide(world: World, app: AssistanceApplication) -> AssistanceApplication:
    return services.assistance_decide(
        actor=world.secretary_a,
        application_id=app.pk,
        reason="经评议小组审议",
        today=date(2026, 3, 9),
    )


def test_majority_approves_with_the_median_amount(world: World, panel: list) -> None:
    app = apply(world)
    vote(world, app, panel[0], Vote.APPROVE, "3000")
    vote(world, app, panel[1], Vote.APPROVE, "5000")
    vote(world, app, panel[2], Vote.REJECT)
    vote(world, app, panel[3], Vote.APPROVE, "4000")
    decided = decide(world, app)
    assert decided.status == ApplicationStatus.APPROVED
    assert decided.amount_approved == Decimal("4000.00")
    assert (
        "同意 3，不同意 1" in decided.decision_reason
        and "经评议小组审议" in decided.decision_reason
    )


def test_majority_rejects(world: World, panel: list) -> None:
    app = apply(world)
    vote(world, app, panel[0], Vote.REJECT)
    vote(world, app, panel[1], Vote.REJECT)
    vote(world, app, panel[2], Vote.APPROVE, "1000")
    assert decide(world, app).status == ApplicationStatus.REJECTED


def test_fewer_than_three_valid_votes_cannot_decide(world: World, panel: list) -> None:
    app = apply(world)
    vote(world, app, panel[0], Vote.APPROVE, "3000")
    vote(world, app, panel[1], Vote.APPROVE, "3000")
    vote(world, app, panel[2], Vote.ABSTAIN_CONFLICT)
    with pytest.raises(ValidationError) as error:
        decide(world, app)
    assert "至少 3 张有效票" in str(error.value)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW


def test_a_tie_cannot_decide(world: World, panel: list) -> None:
    app = apply(world)
    vote(world, app, panel[0], Vote.APPROVE, "3000")
    vote(world, app, panel[1], Vote.APPROVE, "3000")
    vote(world, app, panel[2], Vote.REJECT)
    vote(world, app, panel[3], Vote.REJECT)
    with pytest.raises(ValidationError):
        decide(world, app)


def test_conflicted_member_cannot_vote_afterwards(world: World, panel: list) -> None:
    app = apply(world)
    vote(world, app, panel[0], Vote.ABSTAIN_CONFLICT)
    with pytest.raises(ValidationError) as error:
        vote(world, app, panel[0], Vote.APPROVE, "100")
    assert "利益冲突" in str(error.value)


def test_conflict_is_not_counted_in_the_majority(world: World, panel: list) -> None:
    app = apply(world)
    vote(world, app, panel[0], Vote.ABSTAIN_CONFLICT)
    vote(world, app, panel[1], Vote.APPROVE, "2000")
    vote(world, app, panel[2], Vote.APPROVE, "2000")
    vote(world, app, panel[3], Vote.REJECT)
    decided = decide(world, app)
    assert decided.status == ApplicationStatus.APPROVED
    assert "回避 1 人" in decided.decision_reason


def test_member_voting_twice_gets_a_clear_error(world: World, panel: list) -> None:
    app = apply(world)
    vote(world, app, panel[0], Vote.APPROVE, "3000")
    with pytest.raises(ValidationError) as error:
        vote(world, app, panel[0], Vote.REJECT)
    assert "只能投票一次" in str(error.value)
    assert PanelVote.objects.count() == 1


def test_conflict_needs_an_explanation(world: World, panel: list) -> None:
    app = apply(world)
    with pytest.raises(ValidationError):
        services.assistance_vote(
            actor=world.secretary_a, application_id=app.pk, member_id=panel[0].pk, vote="conflict"
        )


def test_approving_amount_cannot_exceed_the_request(world: World, panel: list) -> None:
    app = apply(world, "5000")
    with pytest.raises(ValidationError):
        vote(world, app, panel[0], Vote.APPROVE, "5000.01")


@pytest.mark.parametrize("amount", ["0", "-200", "abc"])
def test_application_refuses_bad_amounts(world: World, amount: str) -> None:
    with pytest.raises(ValidationError):
        apply(world, amount)
    assert not AssistanceApplication.objects.exists()


def test_another_communitys_panel_member_cannot_vote(world: World, panel: list) -> None:
    outsider = PanelMember.objects.create(community=world.b, name="外社区代表")
    app = apply(world)
    with pytest.raises(PanelMember.DoesNotExist):
        vote(world, app, outsider, Vote.APPROVE, "100")


def test_disbursement_records_approver_and_stops_at_the_approved_amount(
    world: World, panel: list
) -> None:
    app = apply(world)
    for member in panel[:3]:
        vote(world, app, member, Vote.APPROVE, "3000")
    decide(world, app)
    payment = services.assistance_disburse(
        actor=world.street_user, application_id=app.pk, amount="2000", paid_on=date(2026, 3, 10)
    )
    assert payment.approved_by == world.street_user
    with pytest.raises(ValidationError):
        services.assistance_disburse(
            actor=world.secretary_a, application_id=app.pk, amount="1000.01"
        )


def test_rejected_application_cannot_be_paid(world: World, panel: list) -> None:
    app = apply(world)
    for member in panel[:3]:
        vote(world, app, member, Vote.REJECT)
    decide(world, app)
    with pytest.raises(ValidationError):
        services.assistance_disburse(actor=world.secretary_a, application_id=app.pk, amount="1")


def test_grid_and_desk_workers_cannot_touch_assistance(world: World, panel: list) -> None:
    with pytest.raises(PermissionDenied):
        services.assistance_apply(
            actor=world.desk_a,
            data=services.ApplicationData(world.a.pk, "x", "case", "other", "y", "100"),
        )


@pytest.mark.parametrize("who", ["grid_a", "desk_a", "department_user"])
def test_assistance_pages_are_403_for_unauthorised_staff(
    world: World, panel: list, client: Client, who: str
) -> None:
    app = apply(world)
    client.force_login(getattr(world, who))
    assert client.get("/programs/assistance/").status_code == 403
    assert client.get(f"/programs/assistance/{app.pk}/").status_code == 403
    assert client.get("/programs/assistance/summary/").status_code == 403
    response = client.post(
        f"/programs/assistance/{app.pk}/vote/", {"member": panel[0].pk, "vote": "approve"}
    )
    assert response.status_code == 403


def test_other_community_secretary_gets_404(world: World, client: Client) -> None:
    app = apply(world)
    client.force_login(world.secretary_b)
    assert client.get(f"/programs/assistance/{app.pk}/").status_code == 404


def test_secretary_sees_the_file_and_votes_on_the_page(
    world: World, panel: list, client: Client
) -> None:
    app = apply(world)
    client.force_login(world.secretary_a)
    page = client.get(f"/programs/assistance/{app.pk}/").content.decode()
    assert "妻子重病" in page and "住院费用清单" in page
    client.post(
        f"/programs/assistance/{app.pk}/vote/",
        {"member": panel[0].pk, "vote": "approve", "amount": "3000", "comment": "属实"},
    )
    assert PanelVote.objects.get().amount == Decimal("3000.00")


def test_summary_counts_by_type_and_category(world: World, panel: list) -> None:
    specs = [
        ("case", "subsistence", "3000"),
        ("case", "other", "1500.50"),
        ("project", "low_income", "20000"),
        ("special", "other", "800"),
    ]
    for kind, category, amount in specs:
        app = apply(world, amount, kind=kind, household_category=category)
        for member in panel[:3]:
            vote(world, app, member, Vote.APPROVE, amount)
        decide(world, app)
        services.assistance_disburse(
            actor=world.secretary_a, application_id=app.pk, amount=amount, paid_on=date(2026, 3, 10)
        )
    summary = assistance_summary(world.street_user, date(2026, 1, 1), date(2026, 12, 31))
    assert summary.cases == 4
    assert summary.total == Decimal("25300.50")
    assert [(n, total) for _l, n, total in summary.by_kind] == [
        (2, Decimal("4500.50")),
        (1, Decimal("20000.00")),
        (1, Decimal("800.00")),
    ]
    assert [n for _l, n, _t in summary.by_category] == [1, 1, 2]
