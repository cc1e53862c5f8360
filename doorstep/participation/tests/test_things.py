"""Ten practical things: adoption, weighted milestones, progress, colours, case counts."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from doorstep.cases import services as case_services
from doorstep.conftest import World
from doorstep.participation import services
from doorstep.participation.choices import ThingStatus
from doorstep.participation.models import Milestone, PracticalList, PracticalThing, ThingEvent

from .conftest import make_plan

TODAY = date(2025, 6, 1)


def add_thing(world: World, plan: PracticalList, **kw: object) -> PracticalThing:
    milestones = kw.pop(
        "milestones",
        [
            services.MilestoneIn("方案", date(2025, 4, 1), weight=1),
            services.MilestoneIn("施工", date(2025, 9, 30), weight=3),
        ],
    )
    return services.thing_add(
        actor=world.desk_a,
        plan_id=plan.pk,
        title=str(kw.pop("title", "楼道废弃网络线清理")),
        owner_name="苏楠",
        budget="5000",
        milestones=milestones,  # type: ignore[arg-type]
        today=TODAY,
    )


def set_progress(world: World, milestone: Milestone, value: object) -> PracticalThing:
    return services.milestone_progress(
        actor=world.grid_a, milestone_id=milestone.pk, progress=value, today=TODAY
    )


def test_only_the_secretary_adopts_the_list(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.practical_list_adopt(
            actor=world.desk_a,
            community=world.a,
            year=2025,
            adoption="committee",
            adopted_on=date(2025, 2, 1),
        )
    make_plan(world)
    with pytest.raises(ValidationError, match="已确定"):
        make_plan(world)


def test_progress_is_the_weighted_mean_of_milestones_and_rolls_up(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(world, plan)
    plan_b = add_thing(world, plan, title="非机动车停车棚")
    first, second = thing.milestones.order_by("due_date")
    set_progress(world, first, 100)
    thing = set_progress(world, second, 50)
    assert thing.progress == (1 * 100 + 3 * 50) // 4
    plan.refresh_from_db()
    assert plan.progress == (thing.progress + plan_b.progress) // 2
    assert plan.item_count == 2


def test_progress_over_100_percent_is_refused_and_nothing_written(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(world, plan)
    milestone = thing.milestones.first()
    assert milestone is not None
    events = ThingEvent.objects.count()
    with pytest.raises(ValidationError, match="不能超过 100%"):
        set_progress(world, milestone, 120)
    with pytest.raises(ValidationError, match="整数进度"):
        set_progress(world, milestone, "很多")
    milestone.refresh_from_db()
    assert milestone.progress == 0 and ThingEvent.objects.count() == events


def test_an_unfinished_milestone_past_its_date_makes_the_thing_late(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(world, plan)
    assert thing.status == ThingStatus.LATE
    plan.refresh_from_db()
    assert plan.late_count == 1


def test_a_milestone_due_soon_and_barely_started_is_at_risk(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(
        world, plan, milestones=[services.MilestoneIn("施工", date(2025, 6, 10), weight=1)]
    )
    assert thing.status == ThingStatus.AT_RISK
    thing = set_progress(world, thing.milestones.get(), 60)
    assert thing.status == ThingStatus.ON_TRACK
    thing = set_progress(world, thing.milestones.get(), 100)
    assert thing.status == ThingStatus.DONE


def test_closed_cases_count_toward_a_case_milestone(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(
        world,
        plan,
        title="84 户壁挂炉安装",
        milestones=[services.MilestoneIn("安装", date(2025, 11, 30), case_target=4)],
    )
    milestone = thing.milestones.get()
    cases = [world.intake(description=f"{n}号户壁挂炉安装") for n in range(3)]
    closed = cases[0]
    case_services.case_resolve(
        actor=world.desk_a, case_id=closed.pk, version=closed.version, reply="已安装"
    )
    thing = services.milestone_link_cases(
        actor=world.desk_a,
        milestone_id=milestone.pk,
        codes=[c.tracking_code for c in cases],
        today=TODAY,
    )
    assert thing.progress == 25
    second = cases[1]
    second.refresh_from_db()
    case_services.case_resolve(
        actor=world.desk_a, case_id=second.pk, version=second.version, reply="已安装"
    )
    assert services.practical_refresh(today=date(2025, 6, 2)) == 1
    thing.refresh_from_db()
    assert thing.progress == 50
    with pytest.raises(ValidationError, match="自动计算"):
        set_progress(world, milestone, 80)


def test_cases_of_another_community_cannot_be_linked(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(
        world, plan, milestones=[services.MilestoneIn("安装", date(2025, 11, 30), case_target=4)]
    )
    other = world.intake(community=world.b, actor=world.desk_b)
    with pytest.raises(ValidationError, match="找不到本社区"):
        services.milestone_link_cases(
            actor=world.desk_a, milestone_id=thing.milestones.get().pk, codes=[other.tracking_code]
        )


def test_other_community_staff_cannot_update_progress(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(world, plan)
    milestone = thing.milestones.earliest("due_date")
    with pytest.raises(PracticalThing.DoesNotExist):
        services.milestone_progress(actor=world.desk_b, milestone_id=milestone.pk, progress=10)


def test_evidence_must_be_an_image_or_pdf(world: World) -> None:
    plan = make_plan(world)
    thing = add_thing(world, plan)
    with pytest.raises(ValidationError, match="只能上传"):
        services.evidence_add(
            actor=world.desk_a, thing_id=thing.pk, caption="照片", filename="a.exe", data=b"MZ"
        )
    evidence = services.evidence_add(
        actor=world.desk_a, thing_id=thing.pk, caption="验收单", filename="a.pdf", data=b"%PDF-1.4"
    )
    assert evidence.content_type == "application/pdf"
