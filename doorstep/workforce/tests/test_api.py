"""/api/v1/workforce/: lists scoped like every endpoint, writes through the services, bad input
as JSON with a Chinese message and nothing written."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from doorstep.api.tests.test_api import Api
from doorstep.conftest import World
from doorstep.workforce import fees
from doorstep.workforce.models import Certificate, FeePayment, Leave, OnSiteSession

from .conftest import Staff

pytestmark = pytest.mark.django_db


def test_workers_list_is_scoped_and_paged_by_keyset(
    client: Client, world: World, staff: Staff
) -> None:
    api = Api(client, world.secretary_a)
    rows = api.get("/workforce/workers").json()
    assert {r["name"] for r in rows} == {"李前台", "张网格", "陈书记"}
    first = api.get("/workforce/workers", limit=1).json()
    rest = api.get("/workforce/workers", after=first[0]["id"]).json()
    assert len(rest) == 2 and first[0]["id"] not in {r["id"] for r in rest}
    assert (
        Api(client, world.secretary_b).get(f"/workforce/workers/{staff.desk.pk}").status_code == 404
    )


def test_certificate_with_expiry_before_issue_is_a_400_in_chinese(
    client: Client, world: World, staff: Staff
) -> None:
    response = Api(client, world.secretary_a).post(
        f"/workforce/workers/{staff.desk.pk}/certificates",
        {
            "kind": "social_worker",
            "number": "SW-A",
            "issued_on": "2025-06-01",
            "expires_on": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert response.json()["message"] == "证书有效期不能早于发证日期。"
    assert not Certificate.objects.exists()


def test_certificate_is_added_through_the_api(client: Client, world: World, staff: Staff) -> None:
    response = Api(client, world.secretary_a).post(
        f"/workforce/workers/{staff.desk.pk}/certificates",
        {"kind": "community_worker", "number": "TJ-2025-7", "issued_on": "2025-06-01"},
    )
    assert response.status_code == 201
    detail = Api(client, world.secretary_a).get(f"/workforce/workers/{staff.desk.pk}").json()
    assert detail["certificates"][0]["number"] == "TJ-2025-7"
    assert detail["status"] == "compliant"


def test_compliance_summary_for_the_street(client: Client, world: World, staff: Staff) -> None:
    rows = Api(client, world.street_user).get("/workforce/compliance").json()
    assert {r["community"] for r in rows} == {world.a.name, world.b.name}


def test_leave_overlapping_the_b_posts_leave_is_a_400(
    client: Client, world: World, staff: Staff
) -> None:
    api = Api(client, world.secretary_a)
    start = date.today() + timedelta(days=3)
    body = {
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=2)).isoformat(),
        "kind": "annual",
    }
    assert api.post("/workforce/leave", {**body, "worker_id": world.desk_a.pk}).status_code == 201
    response = api.post("/workforce/leave", {**body, "worker_id": world.grid_a.pk})
    assert response.status_code == 400
    assert "A、B岗不能同时离岗" in response.json()["message"]
    assert Leave.objects.count() == 1
    assert len(api.get("/workforce/leave", when="upcoming").json()) == 1


def test_leave_for_another_communitys_worker_is_404(
    client: Client, world: World, staff: Staff
) -> None:
    response = Api(client, world.secretary_b).post(
        "/workforce/leave",
        {
            "worker_id": world.desk_a.pk,
            "starts_on": "2026-12-20",
            "ends_on": "2026-12-21",
            "kind": "sick",
        },
    )
    assert response.status_code == 404


def _slot(days: int) -> dict[str, str]:
    start = timezone.make_aware(
        datetime.combine(date.today() + timedelta(days=days), datetime.min.time())
    ).replace(hour=9)
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}


def test_onsite_request_accept_and_outcome_through_the_api(client: Client, world: World) -> None:
    case = world.intake(world.desk_a, item=world.residence_cert)
    created = Api(client, world.secretary_a).post(
        "/workforce/onsite",
        {
            "community_id": world.a.pk,
            "department_id": world.department.pk,
            "topic": "公租房申请",
            "case_ids": [case.pk],
            "slots": [_slot(2), _slot(3)],
        },
    )
    assert created.status_code == 201
    session = created.json()
    dept = Api(client, world.department_user)
    assert [s["id"] for s in dept.get("/workforce/onsite").json()] == [session["id"]]
    accepted = dept.post(
        f"/workforce/onsite/{session['id']}/accept", {"slot_id": session["slots"][1]["id"]}
    )
    assert accepted.json()["status"] == "accepted"
    done = Api(client, world.secretary_a).post(
        f"/workforce/onsite/{session['id']}/outcome",
        {"case_id": case.pk, "outcome": "已受理公租房申请"},
    )
    assert done.json()["status"] == "held"
    assert (
        Api(client, world.secretary_b).get(f"/workforce/onsite/{session['id']}").status_code == 404
    )


def test_desk_cannot_request_onsite_via_api(client: Client, world: World) -> None:
    case = world.intake(world.desk_a, item=world.residence_cert)
    response = Api(client, world.desk_a).post(
        "/workforce/onsite",
        {
            "community_id": world.a.pk,
            "department_id": world.department.pk,
            "topic": "x",
            "case_ids": [case.pk],
            "slots": [_slot(2)],
        },
    )
    assert response.status_code == 403
    assert not OnSiteSession.objects.exists()


def test_negative_payment_is_a_400_and_nothing_written(client: Client, world: World) -> None:
    response = Api(client, world.desk_a).post(
        "/workforce/fees",
        {
            "community_id": world.a.pk,
            "payer_name": "王秀英",
            "utility": "water",
            "account_number": "31001234",
            "period": "2026-11",
            "amount": "-10",
            "method": "cash",
        },
    )
    assert response.status_code == 400
    assert "金额不能为负数" in response.json()["message"]
    assert not FeePayment.objects.exists()


def test_payment_through_the_api_and_scoped_lists(client: Client, world: World) -> None:
    created = Api(client, world.desk_a).post(
        "/workforce/fees",
        {
            "community_id": world.a.pk,
            "payer_name": "王秀英",
            "utility": "gas",
            "account_number": "GAS-0091",
            "period": "2026-11",
            "amount": "45.60",
            "method": "qr",
        },
    )
    assert created.status_code == 201
    assert created.json()["amount"] == "45.60"
    month = date.today().strftime("%Y-%m")
    assert len(Api(client, world.street_user).get("/workforce/fees", month=month).json()) == 1
    assert Api(client, world.desk_b).get("/workforce/fees", month=month).json() == []
    assert (
        Api(client, world.desk_b).get(f"/workforce/fees/{created.json()['id']}").status_code == 404
    )


def test_training_attendance_over_24_hours_is_a_400(
    client: Client, world: World, staff: Staff
) -> None:
    from doorstep.workforce import services

    course = services.course_create(
        actor=world.secretary_a, title="急救", organiser="红十字会", community=world.a
    )
    day = date.today() - timedelta(days=1)
    one = services.session_add(actor=world.secretary_a, course=course, day=day, hours="20")
    two = services.session_add(actor=world.secretary_a, course=course, day=day, hours="6")
    api = Api(client, world.secretary_a)
    assert (
        api.post(
            f"/workforce/training/sessions/{one.pk}/attendance", {"worker_ids": [staff.desk.pk]}
        ).status_code
        == 201
    )
    response = api.post(
        f"/workforce/training/sessions/{two.pk}/attendance", {"worker_ids": [staff.desk.pk]}
    )
    assert response.status_code == 400
    assert "超过一天24小时" in response.json()["message"]
    assert len(api.get("/workforce/training/sessions").json()) == 2


def test_fee_reversal_keeps_decimal_totals(world: World) -> None:
    payment = fees.fee_payment_take(
        actor=world.desk_a,
        community=world.a,
        data=fees.Payment(
            utility="water",
            account_number="31001234",
            period="2026-11",
            amount="0.10",
            method="cash",
            payer_name="x",
        ),
    )
    fees.fee_payment_take(
        actor=world.desk_a,
        community=world.a,
        data=fees.Payment(
            utility="water",
            account_number="31001234",
            period="2026-11",
            amount="0.20",
            method="cash",
            payer_name="x",
        ),
    )
    req = fees.fee_reversal_request(actor=world.desk_a, payment_id=payment.pk, reason="错收")
    fees.fee_reversal_approve(actor=world.secretary_a, request_id=req.pk)
    from doorstep.workforce.selectors import day_totals

    assert str(day_totals(world.a, date.today()).cash) == "0.20"
