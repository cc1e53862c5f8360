"""Pages and permissions across the programmes, plus small helpers."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from doorstep.conftest import World
from doorstep.programs import services
from doorstep.programs.demo import _split_total
from doorstep.programs.models import FundDisbursementRequest, SubsidyEnrolment

from .conftest import make_person


def funded(world: World) -> FundDisbursementRequest:
    services.fund_donation_record(
        actor=world.desk_a,
        community_id=world.a.pk,
        amount="100",
        day=timezone.localdate(),
        channel="cash",
        anonymous=True,
    )
    return services.fund_disbursement_request(
        actor=world.desk_a, community_id=world.a.pk, amount="20", purpose="慰问", recipient="赵桂兰"
    )


def test_recipient_is_shown_to_approvers_only(world: World, client: Client) -> None:
    funded(world)
    client.force_login(world.grid_a)
    assert "赵桂兰" not in client.get("/programs/fund/").content.decode()
    client.force_login(world.secretary_a)
    assert "赵桂兰" in client.get("/programs/fund/").content.decode()


def test_desk_worker_posting_an_approval_gets_403(world: World, client: Client) -> None:
    request = funded(world)
    client.force_login(world.desk_a)
    assert client.post(f"/programs/fund/requests/{request.pk}/approve/").status_code == 403


def test_approval_from_another_street_is_404(world: World, client: Client) -> None:
    request = funded(world)
    client.force_login(world.other_street_user)
    assert client.post(f"/programs/fund/requests/{request.pk}/approve/").status_code == 404


def test_donation_form_error_is_shown_not_saved(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        "/programs/fund/donate/",
        {"amount": "5", "day": tomorrow.isoformat(), "channel": "cash", "anonymous": "1"},
        follow=True,
    )
    assert "捐款日期不能晚于今天" in response.content.decode()


def test_public_fund_page_of_unknown_community_is_404(client: Client, db: None) -> None:
    assert client.get("/fund/999999/").status_code == 404


def test_grid_worker_sees_only_own_grid_on_due_list(
    world: World, grid_world: dict, client: Client
) -> None:
    for name, household in (("一网格老人", "h1"), ("二网格老人", "h2")):
        person = make_person(world, name, date(1940, 1, 1), household=grid_world[household])
        SubsidyEnrolment.objects.create(
            resident=person,
            community=world.a,
            status="active",
            proposed_on=date(2025, 1, 1),
            confirmed_on=date(2025, 1, 1),
        )
    client.force_login(world.grid_a)
    page = client.get("/programs/subsidy/").content.decode()
    assert "一网格老人" in page and "二网格老人" not in page


def test_secretary_confirms_proposals_on_the_page(world: World, client: Client) -> None:
    make_person(world, "满八十", date(1940, 1, 1))
    client.force_login(world.secretary_a)
    client.post("/programs/subsidy/propose/")
    enrolment = SubsidyEnrolment.objects.get()
    client.post("/programs/subsidy/confirm/", {"enrolment": [enrolment.pk]})
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and enrolment.confirmed_by == world.secretary_a


def test_secretary_registers_an_application_on_the_page(world: World, client: Client) -> None:
    client.force_login(world.secretary_a)
    client.post(
        "/programs/assistance/apply/",
        {
            "applicant_name": "陈建华",
            "kind": "special",
            "household_category": "low_income",
            "hardship": "火灾",
            "amount_requested": "8000",
        },
    )
    page = client.get("/programs/assistance/").content.decode()
    assert "陈建华" in page and "8000.00" in page


def test_street_user_picks_a_community_of_their_street_only(world: World, client: Client) -> None:
    client.force_login(world.street_user)
    page = client.get(f"/programs/canteen/?community={world.b.pk}").content.decode()
    assert world.b.name in page
    assert client.get(f"/programs/canteen/?community={world.c.pk}").status_code == 404


def test_programme_index_hides_assistance_from_desk(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    page = client.get("/programs/").content.decode()
    assert "社区食堂" in page and "/programs/assistance/" not in page


def test_volunteer_hours_are_checked(world: World) -> None:
    person = make_person(world, "志愿者", date(1990, 1, 1))
    with pytest.raises(ValidationError):
        services.volunteer_record_add(
            actor=world.desk_a,
            resident_id=person.pk,
            day=date(2026, 1, 1),
            activity="x",
            hours="25",
        )
    with pytest.raises(ValidationError):
        services.volunteer_record_add(
            actor=world.desk_a,
            resident_id=person.pk,
            day=timezone.localdate() + timedelta(days=1),
            activity="x",
            hours="2",
        )
    record = services.volunteer_record_add(
        actor=world.desk_a,
        resident_id=person.pk,
        day=date(2026, 1, 1),
        activity="义务理发",
        hours="2.5",
    )
    assert record.hours == Decimal("2.5")


def test_demo_amounts_split_exactly_into_the_zhangyan_total() -> None:
    rng = random.Random(1)
    weights = [rng.randint(20, 400) for _n in range(877)]
    parts = _split_total(rng, weights, 32071)
    assert len(parts) == 877 and sum(parts) * 100 == 3_207_100
