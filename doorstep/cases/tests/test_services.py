"""Case services: every transition, its guards, its one timeline event and the version guard."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from doorstep.cases import selectors, services
from doorstep.cases.choices import EventKind, Queue, Responsibility, Status
from doorstep.cases.models import Case, CaseEvent
from doorstep.cases.services import StaleCase
from doorstep.catalog.models import Demand
from doorstep.conftest import World, at, counts, make_staff
from doorstep.places.models import Department, District

pytestmark = pytest.mark.django_db


def events(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def accepted(world: World, **kw: Any) -> Case:
    case = world.intake(item=world.residence_cert, **kw)
    return services.case_accept(actor=world.desk_a, case_id=case.pk, version=case.version)


def resolved(world: World) -> Case:
    case = accepted(world)
    return services.case_resolve(
        actor=world.desk_a, case_id=case.pk, reply="证明已开好，请来取。", version=case.version
    )


# ── intake, promise and the first responder ─────────────────────────────────────────────


def test_intake_makes_the_desk_worker_first_responder_and_owner(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    assert case.status == Status.RECEIVED
    assert case.queue == Queue.COMMUNITY
    assert case.responsibility == Responsibility.FIRST_RESPONDER
    assert case.first_responder == world.desk_a
    assert case.owner == world.desk_a
    assert case.version == 1
    assert events(case) == [EventKind.CREATED]


def test_ten_working_day_item_registered_on_friday_26_sep_2025_is_due_16_oct(
    world: World,
) -> None:
    case = world.intake(item=world.residence_cert, now=at(2025, 9, 26, 9, 30))
    assert case.due_date == date(2025, 10, 16)


def test_five_working_days_from_13_feb_2026_spans_spring_festival_to_27_feb(
    world: World,
) -> None:
    item = world.residence_cert
    item.promise_days = 5
    item.save()
    case = world.intake(item=item, now=at(2026, 2, 13, 16, 0))
    assert case.due_date == date(2026, 2, 27)


def test_due_date_counts_from_the_local_date_not_utc(world: World) -> None:
    # 2025-09-26 00:30 in Shanghai is still 2025-09-25 in UTC.
    case = world.intake(item=world.residence_cert, now=at(2025, 9, 26, 0, 30))
    assert case.due_date == date(2025, 10, 16)


def test_settle_now_resolves_at_once_with_the_reply_and_no_due_date(world: World) -> None:
    case = world.intake(
        item=world.on_the_spot,
        description="接到自称公检法的电话让我转账",
        settle_now=True,
        reply="这是诈骗电话，已告知不要转账并登记。",
    )
    assert case.status == Status.RESOLVED
    assert case.settled_on_spot is True
    assert case.due_date is None
    assert case.resolved_at is not None
    assert case.reply == "这是诈骗电话，已告知不要转账并登记。"
    assert events(case) == [EventKind.SETTLED]


def test_settle_now_without_a_reply_is_refused_and_writes_nothing(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as info:
        world.intake(item=world.on_the_spot, settle_now=True, reply="  ")
    assert "当场办结须填写给居民的答复" in str(info.value)
    assert counts() == before


def test_street_item_goes_to_the_street_queue_with_upper_approval(world: World) -> None:
    case = world.intake(item=world.street_item, description="家里突发困难想申请临时救助")
    assert case.queue == Queue.STREET
    assert case.owner is None
    assert case.needs_upper_approval is True
    assert case.due_date == date(2025, 10, 16)


def test_street_item_shows_up_in_the_friday_batch(world: World) -> None:
    case = world.intake(item=world.street_item, now=at(2025, 9, 24))
    world.intake(item=world.residence_cert, now=at(2025, 9, 24))  # no approval needed
    batch = list(selectors.batch_for_week(world.street_user, date(2025, 9, 26)))
    assert batch == [case]
    assert list(selectors.batch_for_week(world.desk_a, date(2025, 9, 26))) == [case]
    assert list(selectors.batch_for_week(world.desk_b, date(2025, 9, 26))) == []


def test_batch_leaves_out_cases_registered_after_that_friday(world: World) -> None:
    world.intake(item=world.street_item, now=at(2025, 9, 29))
    assert list(selectors.batch_for_week(world.street_user, date(2025, 9, 26))) == []


def test_department_item_goes_to_its_department_queue(world: World) -> None:
    case = world.intake(item=world.department_item, description="想咨询公租房申请")
    assert case.queue == Queue.DEPARTMENT
    assert case.department == world.department
    assert case.owner is None


def test_request_without_an_item_records_a_demand(world: World) -> None:
    case = world.intake(description="希望小区里增设一个快递柜，取快递太远了")
    demand = Demand.objects.get(case=case)
    assert demand.community == world.a
    assert demand.text == "希望小区里增设一个快递柜，取快递太远了"
    assert demand.topic
    # Unmatched requests are still promised an answer within the default 5 working days.
    assert case.due_date == date(2025, 10, 10)


def test_request_with_an_item_records_no_demand(world: World) -> None:
    world.intake(item=world.residence_cert)
    assert Demand.objects.count() == 0


def test_intake_for_another_community_is_refused(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.intake(world.desk_a, community=world.b)


def test_department_staff_cannot_register_community_cases(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.intake(world.department_user)


def test_new_resident_is_registered_with_the_case(world: World) -> None:
    case = world.intake(new_resident={"name": "刘建国", "phone": "13900001111", "id_number": ""})
    assert case.resident is not None
    assert case.resident.name == "刘建国"
    assert case.resident.phone == "13900001111"
    assert case.resident.community == world.a


# ── accept ───────────────────────────────────────────────────────────────────────────────


def test_accept_moves_received_to_in_progress(world: World) -> None:
    case = accepted(world)
    assert case.status == Status.IN_PROGRESS
    assert fresh(case).version == 2
    assert events(case) == [EventKind.CREATED, EventKind.ACCEPTED]


def test_accept_is_refused_unless_received(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_accept(actor=world.desk_a, case_id=case.pk, version=case.version)
    assert "只有“已受理”的事项可以开始办理" in str(info.value)
    assert fresh(case).version == 2
    assert len(events(case)) == 2


def test_accepting_an_unowned_case_makes_it_the_actors(world: World) -> None:
    case = world.intake(world.street_user, item=world.residence_cert, community=world.a)
    case.owner = None
    case.save()
    case = services.case_accept(actor=world.grid_a, case_id=case.pk, version=case.version)
    assert case.owner == world.grid_a


# ── assign ───────────────────────────────────────────────────────────────────────────────


def test_assign_to_same_community_staff_makes_it_designated(world: World) -> None:
    case = accepted(world)
    case = services.case_assign(
        actor=world.desk_a,
        case_id=case.pk,
        assignee=world.grid_a,
        note="熟悉该楼栋",
        version=case.version,
    )
    assert case.owner == world.grid_a
    assert case.responsibility == Responsibility.DESIGNATED
    assert fresh(case).version == 3
    event = CaseEvent.objects.filter(case=case).last()
    assert event is not None
    assert (event.kind, event.actor, event.data["assignee"]) == (
        EventKind.ASSIGNED,
        world.desk_a,
        world.grid_a.pk,
    )


def test_assign_to_another_communitys_staff_is_refused(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_assign(
            actor=world.desk_a, case_id=case.pk, assignee=world.grid_b, version=case.version
        )
    assert "只能指定本社区的工作人员办理" in str(info.value)
    assert fresh(case).owner == world.desk_a
    assert len(events(case)) == 2


def test_assign_to_street_staff_is_refused(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError):
        services.case_assign(actor=world.desk_a, case_id=case.pk, assignee=world.street_user)


# ── escalate ─────────────────────────────────────────────────────────────────────────────


def test_escalate_to_fallback_gives_it_to_the_secretary(world: World) -> None:
    case = accepted(world)
    case = services.case_escalate(
        actor=world.desk_a,
        case_id=case.pk,
        target="fallback",
        note="居民多次来访",
        version=case.version,
    )
    assert case.owner == world.secretary_a
    assert case.responsibility == Responsibility.FALLBACK
    assert case.queue == Queue.COMMUNITY
    assert events(case)[-1] == EventKind.ESCALATED


def test_escalate_to_fallback_without_a_secretary_is_refused(world: World) -> None:
    world.secretary_a.is_active = False
    world.secretary_a.save()
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_escalate(actor=world.desk_a, case_id=case.pk, target="fallback", note="难办")
    assert "尚未设置书记" in str(info.value)


def test_escalate_needs_a_reason(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_escalate(actor=world.desk_a, case_id=case.pk, target="street", note=" ")
    assert "上报须说明原因" in str(info.value)
    assert fresh(case).queue == Queue.COMMUNITY


def test_escalate_to_street_puts_it_in_the_street_queue_unowned(world: World) -> None:
    case = accepted(world)
    case = services.case_escalate(
        actor=world.desk_a,
        case_id=case.pk,
        target="street",
        note="需街道协调",
        version=case.version,
    )
    assert case.queue == Queue.STREET
    assert case.owner is None
    assert case in selectors.queue_for(world.street_user)


def test_after_escalation_to_street_the_community_desk_can_no_longer_act(world: World) -> None:
    case = accepted(world)
    case = services.case_escalate(actor=world.desk_a, case_id=case.pk, target="street", note="协调")
    with pytest.raises(PermissionDenied):
        services.case_reply(actor=world.desk_a, case_id=case.pk, text="还在办")
    assert events(case)[-1] == EventKind.ESCALATED


def test_after_escalation_to_street_street_staff_can_resolve(world: World) -> None:
    case = accepted(world)
    case = services.case_escalate(actor=world.desk_a, case_id=case.pk, target="street", note="协调")
    case = services.case_resolve(
        actor=world.street_user, case_id=case.pk, reply="街道已协调解决。", version=case.version
    )
    assert case.status == Status.RESOLVED
    assert case.owner == world.street_user


def test_staff_of_another_street_cannot_see_the_street_queue_case(world: World) -> None:
    case = accepted(world)
    services.case_escalate(actor=world.desk_a, case_id=case.pk, target="street", note="协调")
    with pytest.raises(Case.DoesNotExist):
        services.case_accept(actor=world.other_street_user, case_id=case.pk)


def test_escalate_to_department_sets_the_department_queue(world: World) -> None:
    case = accepted(world)
    case = services.case_escalate(
        actor=world.desk_a,
        case_id=case.pk,
        target="department",
        note="需住房部门",
        department=world.department,
        version=case.version,
    )
    assert case.queue == Queue.DEPARTMENT
    assert case.department == world.department
    assert case.owner is None
    assert selectors.case_get(world.department_user, case.pk) == case


def test_escalate_to_department_requires_a_department(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_escalate(actor=world.desk_a, case_id=case.pk, target="department", note="x")
    assert "请选择本区的职能部门" in str(info.value)
    assert fresh(case).queue == Queue.COMMUNITY


def test_escalate_to_a_department_of_another_district_is_refused(world: World) -> None:
    other = Department.objects.create(district=District.objects.create(name="徐汇区"), name="房管")
    case = accepted(world)
    with pytest.raises(ValidationError):
        services.case_escalate(
            actor=world.desk_a, case_id=case.pk, target="department", note="x", department=other
        )
    assert len(events(case)) == 2


def test_escalate_to_an_unknown_target_is_refused(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_escalate(actor=world.desk_a, case_id=case.pk, target="mayor", note="x")
    assert "未知的上报对象" in str(info.value)


def test_department_staff_can_resolve_their_departments_case(world: World) -> None:
    case = world.intake(item=world.department_item)
    case = services.case_accept(actor=world.department_user, case_id=case.pk, version=1)
    assert case.owner == world.department_user
    case = services.case_resolve(actor=world.department_user, case_id=case.pk, reply="已受理申请")
    assert case.status == Status.RESOLVED


def test_community_desk_cannot_act_on_a_department_queue_case(world: World) -> None:
    case = world.intake(item=world.department_item)
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=world.desk_a, case_id=case.pk)


def test_district_admin_can_act_in_any_queue(world: World) -> None:
    case = world.intake(item=world.street_item)
    case = services.case_accept(actor=world.district_user, case_id=case.pk)
    assert case.status == Status.IN_PROGRESS


# ── transfer ─────────────────────────────────────────────────────────────────────────────


def test_transfer_within_the_street_moves_the_case_unowned(world: World) -> None:
    case = accepted(world)
    case = services.case_transfer(
        actor=world.desk_a,
        case_id=case.pk,
        community=world.b,
        note="住址在古桐社区",
        version=case.version,
    )
    assert case.community == world.b
    assert case.owner is None
    assert case.responsibility == Responsibility.FIRST_RESPONDER
    assert case in selectors.queue_for(world.desk_b)
    with pytest.raises(Case.DoesNotExist):
        selectors.case_get(world.desk_a, case.pk)


def test_transfer_to_another_street_is_refused(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_transfer(actor=world.desk_a, case_id=case.pk, community=world.c, note="x")
    assert "只能转给本街道的其他社区" in str(info.value)
    assert fresh(case).community == world.a


def test_transfer_to_the_same_community_is_refused(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError):
        services.case_transfer(actor=world.desk_a, case_id=case.pk, community=world.a, note="x")


# ── reply, resolve, reject ───────────────────────────────────────────────────────────────


def test_reply_keeps_the_case_open(world: World) -> None:
    case = accepted(world)
    case = services.case_reply(
        actor=world.desk_a, case_id=case.pk, text="材料已收齐，正在办理", version=case.version
    )
    assert case.status == Status.IN_PROGRESS
    assert case.reply == "材料已收齐，正在办理"
    assert case.replied_at is not None
    assert events(case)[-1] == EventKind.REPLIED


def test_resolve_requires_a_reply(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="", version=case.version)
    assert "办结前须填写给居民的答复" in str(info.value)
    assert fresh(case).status == Status.IN_PROGRESS
    assert len(events(case)) == 2


def test_resolve_records_the_reply_and_time(world: World) -> None:
    case = resolved(world)
    assert case.status == Status.RESOLVED
    assert case.reply == "证明已开好，请来取。"
    assert case.resolved_at is not None


def test_resolving_a_resolved_case_is_refused(world: World) -> None:
    case = resolved(world)
    with pytest.raises(ValidationError) as info:
        services.case_resolve(actor=world.desk_a, case_id=case.pk, reply="再次办结")
    assert "不能再进行此操作" in str(info.value)
    assert "已已" not in str(info.value) and "“已办结”" in str(info.value)


def test_reject_requires_a_reason(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_reject(actor=world.desk_a, case_id=case.pk, reason="")
    assert "不予受理须填写理由" in str(info.value)
    assert fresh(case).status == Status.IN_PROGRESS


def test_reject_tells_the_resident_the_reason(world: World) -> None:
    case = accepted(world)
    case = services.case_reject(
        actor=world.desk_a,
        case_id=case.pk,
        reason="非本社区居民，请到户籍所在地办理",
        version=case.version,
    )
    assert case.status == Status.REJECTED
    assert case.rejection_reason == "非本社区居民，请到户籍所在地办理"
    assert case.reply == case.rejection_reason
    assert events(case)[-1] == EventKind.REJECTED


# ── reopen ───────────────────────────────────────────────────────────────────────────────


def test_reopen_a_resolved_case_goes_back_in_progress(world: World) -> None:
    case = resolved(world)
    case = services.case_reopen(
        actor=world.desk_a, case_id=case.pk, note="居民反映证明信息有误", version=case.version
    )
    assert case.status == Status.IN_PROGRESS
    assert case.resolved_at is None
    assert events(case)[-1] == EventKind.REOPENED


def test_reopen_a_rejected_case_clears_the_reason(world: World) -> None:
    case = accepted(world)
    case = services.case_reject(actor=world.desk_a, case_id=case.pk, reason="材料不全")
    case = services.case_reopen(actor=world.desk_a, case_id=case.pk, note="材料已补齐")
    assert case.status == Status.IN_PROGRESS
    assert case.rejection_reason == ""


def test_reopen_an_open_case_is_refused(world: World) -> None:
    case = accepted(world)
    with pytest.raises(ValidationError) as info:
        services.case_reopen(actor=world.desk_a, case_id=case.pk, note="x")
    assert "只有已办结或不予受理的事项可以重新办理" in str(info.value)


def test_reopen_after_rating_is_refused(world: World) -> None:
    case = resolved(world)
    services.case_rate(case_id=case.pk, attitude=5, capability=5)
    with pytest.raises(ValidationError):
        services.case_reopen(actor=world.desk_a, case_id=case.pk, note="居民又来了")
    assert fresh(case).status == Status.CLOSED


def test_reopen_needs_a_reason(world: World) -> None:
    case = resolved(world)
    with pytest.raises(ValidationError) as info:
        services.case_reopen(actor=world.desk_a, case_id=case.pk, note="")
    assert "重新办理须说明原因" in str(info.value)
    assert fresh(case).status == Status.RESOLVED


# ── one event per transition, versions, stale forms ─────────────────────────────────────


def test_each_transition_writes_exactly_one_event_and_bumps_the_version(world: World) -> None:
    case = world.intake(item=world.residence_cert)
    steps = [
        (services.case_accept, {}),
        (services.case_assign, {"assignee": world.grid_a}),
        (services.case_reply, {"text": "正在办理"}),
        (services.case_escalate, {"target": "fallback", "note": "需书记协调"}),
        (services.case_resolve, {"reply": "已办结"}),
        (services.case_reopen, {"note": "居民不满意"}),
        (services.case_reject, {"reason": "不符合条件"}),
        (services.case_reopen, {"note": "条件已满足"}),
        (services.case_transfer, {"community": world.b, "note": "实际住在古桐"}),
    ]
    for service, kwargs in steps:
        actor = world.desk_b if fresh(case).community == world.b else world.desk_a
        before_events, before_version = CaseEvent.objects.count(), fresh(case).version
        service(actor=actor, case_id=case.pk, version=before_version, **kwargs)  # type: ignore[operator,arg-type]
        assert CaseEvent.objects.count() == before_events + 1, service.__name__
        assert fresh(case).version == before_version + 1, service.__name__


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("case_accept", {}),
        ("case_reply", {"text": "正在办理"}),
        ("case_resolve", {"reply": "已办结"}),
        ("case_reject", {"reason": "不符合条件"}),
        ("case_escalate", {"target": "street", "note": "需协调"}),
    ],
)
def test_stale_version_raises_and_writes_nothing(
    world: World, name: str, kwargs: dict[str, object]
) -> None:
    case = world.intake(item=world.residence_cert)
    services.case_reply(actor=world.grid_a, case_id=case.pk, text="先答复一下", version=1)
    before, row = counts(), fresh(case)
    with pytest.raises(StaleCase) as info:
        getattr(services, name)(actor=world.desk_a, case_id=case.pk, version=1, **kwargs)
    assert "请刷新页面后再操作" in str(info.value)
    assert counts() == before
    after = fresh(case)
    assert (after.version, after.status, after.reply, after.queue) == (
        row.version,
        row.status,
        row.reply,
        row.queue,
    )


def test_stale_case_is_a_validation_error() -> None:
    assert issubclass(StaleCase, ValidationError)


# ── the three responsibilities (三个责任制) ───────────────────────────────────────────────


def test_three_responsibilities_first_responder_then_designated_then_fallback(
    world: World,
) -> None:
    case = world.intake(world.grid_a, item=world.residence_cert)
    assert (case.responsibility, case.owner) == (Responsibility.FIRST_RESPONDER, world.grid_a)
    case = services.case_assign(actor=world.grid_a, case_id=case.pk, assignee=world.desk_a)
    assert (case.responsibility, case.owner) == (Responsibility.DESIGNATED, world.desk_a)
    case = services.case_escalate(actor=world.desk_a, case_id=case.pk, target="fallback", note="难")
    assert (case.responsibility, case.owner) == (Responsibility.FALLBACK, world.secretary_a)


def test_overdue_case_falls_to_the_secretary(world: World) -> None:
    case = world.intake(item=world.residence_cert, now=at(2025, 9, 26))
    services.cases_tick(now=at(2025, 10, 17, 8))
    case = fresh(case)
    assert (case.responsibility, case.owner) == (Responsibility.FALLBACK, world.secretary_a)


# ── rating ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
def test_rating_each_score_closes_the_case(world: World, score: int) -> None:
    case = resolved(world)
    rating = services.case_rate(case_id=case.pk, attitude=score, capability=score, comment="好")
    assert (rating.attitude, rating.capability) == (score, score)
    case = fresh(case)
    assert case.status == Status.CLOSED
    assert case.closed_at is not None
    assert events(case)[-1] == EventKind.RATED


@pytest.mark.parametrize("score", [0, 6, -1, "abc"])
def test_rating_out_of_range_is_refused(world: World, score: object) -> None:
    case = resolved(world)
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.case_rate(case_id=case.pk, attitude=score, capability=5)  # type: ignore[arg-type]
    assert "请打 1 到 5 分" in str(info.value)
    assert counts() == before


def test_rating_twice_is_refused(world: World) -> None:
    case = resolved(world)
    services.case_rate(case_id=case.pk, attitude=4, capability=4)
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.case_rate(case_id=case.pk, attitude=1, capability=1)
    assert "每件事项只能评价一次" in str(info.value)
    assert counts() == before
    assert fresh(case).rating.attitude == 4


def test_rating_before_resolution_is_refused(world: World) -> None:
    case = accepted(world)
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.case_rate(case_id=case.pk, attitude=5, capability=5)
    assert "事项办结后才能评价" in str(info.value)
    assert counts() == before
    assert fresh(case).status == Status.IN_PROGRESS


def test_rating_a_rejected_case_is_refused(world: World) -> None:
    case = accepted(world)
    services.case_reject(actor=world.desk_a, case_id=case.pk, reason="不符合条件")
    with pytest.raises(ValidationError):
        services.case_rate(case_id=case.pk, attitude=5, capability=5)


# ── tracking codes ───────────────────────────────────────────────────────────────────────


def test_tracking_code_is_two_groups_of_four_unambiguous_symbols(world: World) -> None:
    case = world.intake()
    code = case.tracking_code
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(services.TRACKING_ALPHABET)


def test_tracking_code_lookup_ignores_case_and_dash(world: World) -> None:
    case = world.intake()
    assert selectors.case_by_tracking_code(case.tracking_code.replace("-", "").lower()) == case
    assert selectors.case_by_tracking_code("ZZZZ") is None


def test_a_new_district_department_user_does_not_see_unrelated_cases(world: World) -> None:
    other = Department.objects.create(district=world.district, name="区民政局")
    user = make_staff("civil", "department", district=world.district, department=other)
    world.intake(item=world.department_item)
    assert list(selectors.cases_visible_to(user)) == []


def test_department_user_without_a_department_sees_and_touches_nothing(world: World) -> None:
    user = make_staff("nodept", "department", district=world.district)
    case = world.intake(item=world.residence_cert)
    assert list(selectors.cases_visible_to(user)) == []
    with pytest.raises(Case.DoesNotExist):
        services.case_accept(actor=user, case_id=case.pk)
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED
