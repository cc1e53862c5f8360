"""fund: pages and permissions (moved from the former programs/tests/test_views.py)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from doorstep.conftest import World
from doorstep.fund import services
from doorstep.fund.models import FundDisbursementRequest


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
