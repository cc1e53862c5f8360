"""A community's field work loaded in bulk (历史资料导入): building heads, stations, the rota and
home visits checked as the one-at-a-time services check them, one audit entry, nothing written
when one line is wrong."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoAssertNumQueries

from doorstep.core import crypto
from doorstep.core.models import AuditEntry
from doorstep.field import services
from doorstep.field.choices import Duty, Period, VisitOutcome
from doorstep.field.models import BuildingHead, HomeVisit, RotaEntry, StationArea, VisitPlan
from doorstep.field.tests.conftest import Field, resident_in
from doorstep.places.models import Building, Community, Compound, Household, ServiceStation

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 16)


def history(field: Field, **kw: Any) -> services.FieldHistory:
    w = field.world
    h1, h2 = field.households[:2]
    data: dict[str, Any] = {
        "heads": [
            services.PastHead("刘桂英", [field.building.pk], phone="13812345678"),
            services.PastHead("张大爷", [field.contracted.pk, field.elsewhere.pk]),
        ],
        "stations": [
            services.PastStation("玉兰邻里服务站", [field.building.pk], services="助老助餐")
        ],
        "rota": [
            services.PastRotaSlot(0, Period.MORNING, w.desk_a, Duty.DESK),
            services.PastRotaSlot(4, Period.MORNING, w.grid_a, Duty.OUT),
        ],
        "visits": [
            services.PastVisit(
                h1.pk, w.grid_a, "卧床", outcome=VisitOutcome.MET, visited_on=date(2026, 3, 1)
            )
        ],
        "plan_title": "2026-03-16 卧床或80岁以上独居的居民",
        "plan_by": w.grid_a,
        "planned": [services.PastVisit(h2.pk, w.grid_a, "80岁以上独居")],
    }
    data.update(kw)
    return services.FieldHistory(**data)


def load(field: Field, data: services.FieldHistory, actor: Any = None) -> int:
    return services.field_history_load(
        actor=actor or field.world.secretary_a, community=field.world.a, history=data, today=TODAY
    )


def test_field_history_is_written_with_one_audit_entry(field: Field) -> None:
    assert load(field, history(field)) == 7
    heads = {h.name: h for h in BuildingHead.objects.all()}
    assert crypto.decrypt(heads["刘桂英"].phone_encrypted) == "13812345678"
    assert set(heads["张大爷"].buildings.all()) == {field.contracted, field.elsewhere}
    area = StationArea.objects.get()
    assert (area.station.kind, area.station.community, list(area.buildings.all())) == (
        "neighbourhood",
        field.world.a,
        [field.building],
    )
    assert RotaEntry.objects.count() == 2
    plan = VisitPlan.objects.get()
    assert plan.created_by == field.world.grid_a
    assert list(HomeVisit.objects.filter(plan=plan).values_list("outcome", flat=True)) == [
        "planned"
    ]
    assert HomeVisit.objects.get(plan=None).outcome == VisitOutcome.MET
    entry = AuditEntry.objects.get(action="field_history_load")
    assert entry.actor == field.world.secretary_a and "走访 2" in entry.reason


def test_a_head_may_be_a_registered_resident(field: Field) -> None:
    resident = resident_in(field.households[0], "王秀英")
    head = services.PastHead("王秀英", [field.building.pk], resident_id=resident.pk)
    load(field, history(field, heads=[head]))
    assert BuildingHead.objects.get().resident == resident


def foreign_building(field: Field) -> Building:
    compound = Compound.objects.create(community=field.world.b, name="古桐小区")
    return Building.objects.create(compound=compound, name="1号楼")


def wrong(field: Field, case: str) -> tuple[dict[str, Any], str]:
    w = field.world
    h1 = field.households[0]
    done = services.PastVisit(h1.pk, w.grid_a, "卧床", outcome="met", visited_on=date(2026, 3, 1))
    slot = services.PastRotaSlot(0, Period.MORNING, w.desk_a, Duty.DESK)
    head = services.PastHead("刘桂英", [field.building.pk])
    elsewhere = foreign_building(field)
    cases: dict[str, tuple[dict[str, Any], str]] = {
        "head without name": (
            {"heads": [head, replace(head, name=" ")]},
            "楼院长第 2 件：请填写楼院长姓名",
        ),
        "head phone": (
            {"heads": [head, replace(head, phone="12345")]},
            "楼院长第 2 件：手机号码格式不正确",
        ),
        "head elsewhere": (
            {"heads": [head, replace(head, building_ids=[elsewhere.pk])]},
            "楼院长第 2 件：楼栋不属于本社区",
        ),
        "station elsewhere": (
            {"stations": [services.PastStation("站", [elsewhere.pk])]},
            "服务站第 1 件：楼栋不属于本社区",
        ),
        "rota twice": ({"rota": [slot, slot]}, "值班表第 2 件：同一时段已安排该工作人员"),
        "rota duty": (
            {"rota": [slot, replace(slot, weekday=1, duty="nap")]},
            "值班表第 2 件：未知的值班安排",
        ),
        "rota day": ({"rota": [replace(slot, weekday=7)]}, "值班表第 1 件：请选择星期和时段"),
        "rota other staff": (
            {"rota": [replace(slot, worker=w.desk_b)]},
            "值班表第 1 件：只能安排本社区的工作人员",
        ),
        "visit future": (
            {"visits": [done, replace(done, visited_on=date(2026, 3, 17))]},
            "走访第 2 件：走访日期不能晚于今天",
        ),
        "visit outcome": (
            {"visits": [replace(done, outcome="planned")]},
            "走访第 1 件：请选择走访结果",
        ),
        "visit other household": (
            {
                "visits": [
                    replace(
                        done, household_id=Household.objects.create(building=elsewhere, room="1").pk
                    )
                ]
            },
            "走访第 1 件：该住户不属于本社区",
        ),
        "visit by street": (
            {"visits": [replace(done, visitor=w.street_user)]},
            "走访第 1 件：只能安排本社区的工作人员",
        ),
        "plan without title": ({"plan_title": ""}, "走访计划：请填写走访计划名称"),
        "plan by other staff": ({"plan_by": w.grid_b}, "走访计划：只能安排本社区的工作人员"),
    }
    return cases[case]


@pytest.mark.parametrize(
    "case",
    [
        "head without name",
        "head phone",
        "head elsewhere",
        "station elsewhere",
        "rota twice",
        "rota duty",
        "rota day",
        "rota other staff",
        "visit future",
        "visit outcome",
        "visit other household",
        "visit by street",
        "plan without title",
        "plan by other staff",
    ],
)
def test_a_wrong_line_is_refused_with_its_part_and_number_and_nothing_is_written(
    field: Field, case: str
) -> None:
    kw, message = wrong(field, case)
    with pytest.raises(ValidationError) as error:
        load(field, history(field, **kw))
    assert message in str(error.value)
    assert not BuildingHead.objects.exists()
    assert not ServiceStation.objects.exists()
    assert not RotaEntry.objects.exists()
    assert not HomeVisit.objects.exists()
    assert not VisitPlan.objects.exists()
    assert not AuditEntry.objects.filter(action="field_history_load").exists()


def test_a_visit_names_a_resident_of_that_household(field: Field) -> None:
    h1, h2 = field.households[:2]
    someone = resident_in(h2, "李四")
    visit = services.PastVisit(h1.pk, field.world.grid_a, "卧床", resident_id=someone.pk)
    with pytest.raises(ValidationError, match="走访计划第 1 件：该居民不住在这一户"):
        load(field, history(field, planned=[visit]))


def test_only_the_secretary_of_the_area_may_load(field: Field) -> None:
    with pytest.raises(PermissionDenied):
        load(field, history(field), actor=field.world.desk_a)
    with pytest.raises(Community.DoesNotExist):
        load(field, history(field), actor=field.world.secretary_b)
    assert load(field, history(field), actor=field.world.street_user) == 7


def test_history_load_queries_do_not_grow_with_the_lines(
    field: Field, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    w, households = field.world, field.households
    many = history(
        field,
        heads=[services.PastHead(f"楼长{n}", [field.building.pk]) for n in range(20)],
        stations=[services.PastStation(f"站{n}", [field.building.pk]) for n in range(10)],
        rota=[
            services.PastRotaSlot(d, p, u, Duty.DESK)
            for d in range(7)
            for p in Period
            for u in (w.desk_a, w.grid_a)
        ],
        visits=[
            services.PastVisit(h.pk, w.grid_a, "卧床", outcome="met", visited_on=date(2026, 3, 1))
            for h in households
        ],
        planned=[services.PastVisit(h.pk, w.grid_a, "独居") for h in households],
    )
    with django_assert_max_num_queries(16):
        load(field, many)
    assert RotaEntry.objects.count() == 42
