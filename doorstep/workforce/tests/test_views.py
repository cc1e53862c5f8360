"""The workforce pages: they render for each role, stay in scope, and write through services."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.cases.models import CaseEvent
from doorstep.conftest import World, make_staff
from doorstep.places.models import Community
from doorstep.workforce import fees, services
from doorstep.workforce.models import Certificate, FeePayment, Leave

from .conftest import Staff, record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/workforce/",
        "/workforce/training/",
        "/workforce/leave/",
        "/workforce/onsite/",
        "/workforce/video/",
        "/workforce/fees/",
    ],
)
def test_pages_render_for_the_secretary(
    client: Client, world: World, staff: Staff, path: str
) -> None:
    client.force_login(world.secretary_a)
    response = client.get(path)
    assert response.status_code == 200
    assert "队伍与柜台" in response.content.decode()


def test_street_sees_every_community_and_exports_xlsx(
    client: Client, world: World, staff: Staff
) -> None:
    client.force_login(world.street_user)
    page = client.get("/workforce/").content.decode()
    assert world.a.name in page and world.b.name in page and world.c.name not in page
    response = client.get("/workforce/?format=xlsx")
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    assert any(row[1] == world.a.name for row in sheet.iter_rows(values_only=True))


def test_street_page_query_count_does_not_grow_with_communities(
    client: Client,
    world: World,
    staff: Staff,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(15):
        community = Community.objects.create(street=world.street, name=f"扩充社区{n}")
        record(world, make_staff(f"x{n}", "desk", district=world.district, community=community))
    client.force_login(world.street_user)
    with django_assert_max_num_queries(12):
        assert client.get("/workforce/").status_code == 200


def test_another_communitys_worker_page_is_404(client: Client, world: World, staff: Staff) -> None:
    client.force_login(world.secretary_b)
    assert client.get(f"/workforce/workers/{staff.desk.pk}/").status_code == 404


def test_certificate_form_shows_the_chinese_error_and_writes_nothing(
    client: Client, world: World, staff: Staff
) -> None:
    client.force_login(world.secretary_a)
    response = client.post(
        f"/workforce/workers/{staff.desk.pk}/certificate/",
        {
            "kind": "social_worker",
            "number": "SW-9",
            "issued_on": "2025-06-01",
            "expires_on": "2025-01-01",
        },
        follow=True,
    )
    assert "证书有效期不能早于发证日期" in response.content.decode()
    assert not Certificate.objects.exists()


def test_leave_form_refuses_a_b_post_overlap(client: Client, world: World, staff: Staff) -> None:
    client.force_login(world.secretary_a)
    start = date.today() + timedelta(days=2)
    data = {
        "kind": "annual",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=3)).isoformat(),
    }
    client.post("/workforce/leave/record/", {**data, "worker": world.desk_a.pk})
    response = client.post(
        "/workforce/leave/record/", {**data, "worker": world.grid_a.pk}, follow=True
    )
    assert "A、B岗不能同时离岗" in response.content.decode()
    assert Leave.objects.count() == 1


def test_fee_counter_takes_a_payment_and_refuses_a_negative_amount(
    client: Client, world: World
) -> None:
    client.force_login(world.desk_a)
    data = {
        "payer_name": "王秀英",
        "utility": "electricity",
        "account_number": "0912345678",
        "period": "2026-11",
        "method": "cash",
    }
    response = client.post("/workforce/fees/take/", {**data, "amount": "-3"}, follow=True)
    assert "金额不能为负数" in response.content.decode()
    assert not FeePayment.objects.exists()
    client.post("/workforce/fees/take/", {**data, "amount": "128.40"})
    assert FeePayment.objects.get().amount == fees.Decimal("128.40")


def test_reversal_by_the_same_person_is_refused_on_the_page(client: Client, world: World) -> None:
    payment = fees.fee_payment_take(
        actor=world.desk_a,
        community=world.a,
        data=fees.Payment(
            utility="water",
            account_number="31001234",
            period="2026-11",
            amount="20",
            method="cash",
            payer_name="x",
        ),
    )
    request = fees.fee_reversal_request(actor=world.desk_a, payment_id=payment.pk, reason="收错户")
    client.force_login(world.desk_a)
    response = client.post("/workforce/fees/approve/", {"request": request.pk}, follow=True)
    assert "第二人确认" in response.content.decode()
    assert FeePayment.objects.count() == 1


def test_department_cannot_open_the_fee_counter(client: Client, world: World) -> None:
    client.force_login(world.department_user)
    assert client.get("/workforce/fees/").status_code == 403


def test_other_community_fee_counter_is_404(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    assert client.get(f"/workforce/fees/?community={world.b.pk}").status_code == 404
    client.force_login(world.street_user)
    assert client.get(f"/workforce/fees/?community={world.c.pk}").status_code == 404


def test_onsite_request_from_a_case_page(client: Client, world: World) -> None:
    case = world.intake(world.desk_a, item=world.residence_cert)
    client.force_login(world.secretary_a)
    assert "约请部门现场办公" in client.get(f"/desk/cases/{case.pk}/").content.decode()
    start = (date.today() + timedelta(days=5)).isoformat() + "T14:00"
    response = client.post(
        "/workforce/onsite/request/",
        {
            "case": case.pk,
            "department": world.department.pk,
            "topic": "住房保障政策",
            "slot1": start,
            "duration": 120,
        },
        follow=True,
    )
    assert "已约请" in response.content.decode()
    assert CaseEvent.objects.filter(case=case, note__contains="约请区住房保障中心").exists()


def test_public_onsite_schedule_needs_no_login(client: Client, db: None) -> None:
    response = client.get("/stations/onsite/")
    assert response.status_code == 200
    assert "职能部门到服务站现场办公" in response.content.decode()


def test_district_sees_streets_then_a_streets_communities(
    client: Client, world: World, staff: Staff
) -> None:
    services.worker_record_set(
        actor=world.district_user,
        user=world.desk_c,
        hire_date=date.today() - timedelta(days=50),
        birth_date=date(1990, 1, 1),
    )
    client.force_login(world.district_user)
    page = client.get("/workforce/").content.decode()
    assert world.street.name in page and world.other_street.name in page
    assert world.a.name not in page
    page = client.get(f"/workforce/?street={world.street.pk}").content.decode()
    assert world.a.name in page and world.c.name not in page


def test_district_page_query_count_does_not_grow_with_communities(
    client: Client,
    world: World,
    staff: Staff,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(15):
        community = Community.objects.create(street=world.other_street, name=f"扩充社区{n}")
        services.worker_record_set(
            actor=world.district_user,
            user=make_staff(f"y{n}", "desk", district=world.district, community=community),
            hire_date=date(2025, 1, 1),
            birth_date=date(1990, 1, 1),
        )
    client.force_login(world.district_user)
    with django_assert_max_num_queries(12):
        assert client.get("/workforce/").status_code == 200
