from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from doorstep.field import services
from doorstep.field.models import HomeVisit, VisitPlan
from doorstep.places.models import Building

from .conftest import Field, make_household, resident_in

pytestmark = pytest.mark.django_db


def test_care_plan_lists_the_bedridden_and_80_plus_living_alone(field: Field) -> None:
    today = timezone.localdate()
    h1, h2, h3 = field.households
    resident_in(h1, "卧床老人", bedridden=True)
    resident_in(h2, "独居高龄", lives_alone=True, birth_date=today.replace(year=today.year - 85))
    resident_in(h3, "与家人同住", birth_date=today.replace(year=today.year - 85))
    plan = services.visit_plan_create(
        actor=field.world.grid_a, community=field.world.a, rule="care", today=today
    )
    visits = {v.resident.name: v.reason for v in plan.visits.all() if v.resident}
    assert visits == {"卧床老人": "卧床", "独居高龄": "80岁以上独居"}


def test_not_visited_plan_skips_households_visited_recently(field: Field) -> None:
    today = timezone.localdate()
    h1, h2, h3 = field.households
    HomeVisit.objects.create(
        community=field.world.a, household=h1, outcome="met", visited_on=today - timedelta(days=30)
    )
    HomeVisit.objects.create(
        community=field.world.a, household=h2, outcome="met", visited_on=today - timedelta(days=200)
    )
    plan = services.visit_plan_create(
        actor=field.world.grid_a, community=field.world.a, rule="not_visited", today=today, months=3
    )
    assert [v.household_id for v in plan.visits.order_by("pk")] == [h3.pk, h2.pk]


def test_an_empty_list_makes_no_plan(field: Field) -> None:
    with pytest.raises(ValidationError):
        services.visit_plan_create(
            actor=field.world.grid_a, community=field.world.a, rule="care", today=date(2025, 10, 1)
        )
    assert not VisitPlan.objects.exists()


def test_visit_log_can_open_a_home_visit_case(client: Client, field: Field) -> None:
    resident = resident_in(field.households[0], "卧床老人", bedridden=True)
    visit = HomeVisit.objects.create(
        community=field.world.a, household=field.households[0], resident=resident
    )
    client.force_login(field.world.grid_a)
    client.post(
        f"/field/visits/{visit.pk}/",
        {
            "outcome": "met",
            "visited_on": timezone.localdate().isoformat(),
            "note": "精神不错",
            "case_description": "需要办理高龄补贴上门认证",
        },
    )
    visit.refresh_from_db()
    assert visit.outcome == "met"
    assert visit.case is not None
    assert visit.case.channel == "home_visit"
    assert visit.case.resident == resident
    assert visit.case.building == field.building


def test_visit_in_the_future_is_refused(field: Field) -> None:
    visit = HomeVisit.objects.create(community=field.world.a, household=field.households[0])
    with pytest.raises(ValidationError):
        services.visit_record(
            actor=field.world.grid_a,
            visit=visit,
            outcome="met",
            note="",
            visited_on=timezone.localdate() + timedelta(days=1),
        )


def test_another_communitys_visit_is_404(client: Client, field: Field) -> None:
    other = make_household(Building.objects.create(compound=field.world.compound_b, name="1号楼"))
    visit = HomeVisit.objects.create(community=field.world.b, household=other)
    client.force_login(field.world.grid_a)
    assert client.get(f"/field/visits/{visit.pk}/").status_code == 404


def test_visits_page_generates_a_plan(client: Client, field: Field) -> None:
    resident_in(field.households[0], "卧床老人", bedridden=True)
    client.force_login(field.world.desk_a)
    client.post("/field/visits/plan/", {"rule": "care", "months": 6})
    assert HomeVisit.objects.filter(outcome="planned").count() == 1
