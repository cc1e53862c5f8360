"""One-yuan love fund (一元爱心基金): donations, two-person disbursements, the hash chain."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from doorstep.conftest import World
from doorstep.fund import services
from doorstep.fund.choices import DisbursementStatus, DonationChannel
from doorstep.fund.models import FundEntry, LoveFund
from doorstep.fund.selectors import fund_public_summary

TODAY = date(2026, 3, 15)


def donate(world: World, amount: str = "1.00", day: date = TODAY, **kw: Any) -> FundEntry:
    return services.fund_donation_record(
        actor=kw.pop("actor", world.desk_a),
        community_id=world.a.pk,
        amount=amount,
        day=day,
        channel=kw.pop("channel", DonationChannel.WECHAT_GROUP),
        donor_name=kw.pop("donor_name", "李大妈"),
        today=TODAY,
        **kw,
    )


def paid_out(world: World, amount: str) -> None:
    request = services.fund_disbursement_request(
        actor=world.desk_a,
        community_id=world.a.pk,
        amount=amount,
        purpose="困难老人医药费",
        recipient="赵桂兰",
        people_helped=1,
        day=TODAY,
    )
    services.fund_disbursement_approve(actor=world.secretary_a, request_id=request.pk)
    services.fund_disbursement_approve(actor=world.street_user, request_id=request.pk)


def test_donation_raises_balance_as_decimal(world: World) -> None:
    donate(world, "1.00")
    donate(world, "30.50", anonymous=True, donor_name="")
    fund = LoveFund.objects.get(community=world.a)
    assert fund.balance == Decimal("31.50")
    assert isinstance(fund.balance, Decimal)


@pytest.mark.parametrize("amount", ["0", "-1", "-0.01", "1.001", "abc"])
def test_donation_refuses_bad_amounts(world: World, amount: str) -> None:
    with pytest.raises(ValidationError):
        donate(world, amount)
    assert not FundEntry.objects.exists()


def test_donation_refuses_float(world: World) -> None:
    with pytest.raises(TypeError):
        donate(world, 1.0)  # type: ignore[arg-type]


def test_donation_refuses_future_date(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        donate(world, "1.00", day=TODAY + timedelta(days=1))
    assert "晚于今天" in str(error.value)


def test_named_donation_needs_a_donor_unless_anonymous(world: World) -> None:
    with pytest.raises(ValidationError):
        donate(world, "5", donor_name="")
    entry = donate(world, "5", donor_name="", anonymous=True)
    assert entry.donor_name == ""


def test_grid_worker_cannot_record_donations(world: World) -> None:
    with pytest.raises(PermissionDenied):
        donate(world, actor=world.grid_a)


def test_disbursement_needs_two_different_approvers(world: World) -> None:
    donate(world, "100")
    request = services.fund_disbursement_request(
        actor=world.desk_a,
        community_id=world.a.pk,
        amount="60",
        purpose="困难老人医药费",
        recipient="赵桂兰",
    )
    services.fund_disbursement_approve(actor=world.secretary_a, request_id=request.pk)
    with pytest.raises(ValidationError) as error:
        services.fund_disbursement_approve(actor=world.secretary_a, request_id=request.pk)
    assert "第二审批人" in str(error.value)
    request.refresh_from_db()
    assert request.status == DisbursementStatus.FIRST_APPROVED
    services.fund_disbursement_approve(actor=world.street_user, request_id=request.pk)
    request.refresh_from_db()
    assert request.status == DisbursementStatus.PAID
    assert LoveFund.objects.get(community=world.a).balance == Decimal("40.00")


def test_requester_cannot_approve_own_disbursement(world: World) -> None:
    donate(world, "100")
    request = services.fund_disbursement_request(
        actor=world.secretary_a,
        community_id=world.a.pk,
        amount="10",
        purpose="慰问",
        recipient="赵桂兰",
    )
    with pytest.raises(ValidationError):
        services.fund_disbursement_approve(actor=world.secretary_a, request_id=request.pk)


def test_desk_worker_cannot_approve(world: World) -> None:
    donate(world, "100")
    request = services.fund_disbursement_request(
        actor=world.secretary_a,
        community_id=world.a.pk,
        amount="10",
        purpose="慰问",
        recipient="赵桂兰",
    )
    with pytest.raises(PermissionDenied):
        services.fund_disbursement_approve(actor=world.desk_a, request_id=request.pk)


def test_balance_never_goes_below_zero(world: World) -> None:
    donate(world, "50")
    first = services.fund_disbursement_request(
        actor=world.desk_a, community_id=world.a.pk, amount="40", purpose="a", recipient="甲"
    )
    second = services.fund_disbursement_request(
        actor=world.desk_a, community_id=world.a.pk, amount="40", purpose="b", recipient="乙"
    )
    for r in (first, second):
        services.fund_disbursement_approve(actor=world.secretary_a, request_id=r.pk)
    services.fund_disbursement_approve(actor=world.street_user, request_id=first.pk)
    with pytest.raises(ValidationError) as error:
        services.fund_disbursement_approve(actor=world.street_user, request_id=second.pk)
    assert "余额不足" in str(error.value)
    assert LoveFund.objects.get(community=world.a).balance == Decimal("10.00")


def test_request_above_balance_is_refused(world: World) -> None:
    donate(world, "5")
    with pytest.raises(ValidationError):
        services.fund_disbursement_request(
            actor=world.desk_a, community_id=world.a.pk, amount="5.01", purpose="x", recipient="甲"
        )


def test_recipient_is_stored_encrypted(world: World) -> None:
    donate(world, "100")
    paid_out(world, "20")
    entry = FundEntry.objects.get(kind="disbursement")
    assert "赵桂兰" not in entry.recipient_encrypted
    assert entry.recipient == "赵桂兰"


def test_ledger_rows_cannot_be_changed_through_the_orm(world: World) -> None:
    entry = donate(world, "1")
    entry.amount = Decimal("2")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_fund_verify_passes_on_an_intact_chain(world: World, capsys: pytest.CaptureFixture) -> None:
    for n in range(5):
        donate(world, "1", day=TODAY - timedelta(days=n))
    paid_out(world, "3")
    call_command("fund", "verify")
    assert "已校验 6 条" in capsys.readouterr().out


def test_fund_verify_names_an_edited_entry(world: World, capsys: pytest.CaptureFixture) -> None:
    for _n in range(4):
        donate(world, "1")
    third = FundEntry.objects.get(seq=3)
    FundEntry.objects.filter(pk=third.pk).update(amount=Decimal("100.00"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("fund", "verify")
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "第 3 条" in err and f"id={third.pk}" in err and "改动" in err


def test_fund_verify_names_a_deleted_entry(world: World, capsys: pytest.CaptureFixture) -> None:
    for _n in range(4):
        donate(world, "1")
    FundEntry.objects.filter(seq=2).delete()  # queryset delete bypasses the model guard
    with pytest.raises(SystemExit) as exit_info:
        call_command("fund", "verify")
    assert exit_info.value.code == 1
    assert "第 2 条" in capsys.readouterr().err


def test_fund_verify_notices_the_newest_entry_deleted(
    world: World, capsys: pytest.CaptureFixture
) -> None:
    for _n in range(3):
        donate(world, "1")
    FundEntry.objects.filter(seq=3).delete()
    with pytest.raises(SystemExit):
        call_command("fund", "verify")
    assert "最新记录缺失" in capsys.readouterr().err


def test_fund_verify_notices_a_changed_recipient(world: World) -> None:
    donate(world, "100")
    paid_out(world, "20")
    FundEntry.objects.filter(kind="disbursement").update(recipient_encrypted="x")
    with pytest.raises(SystemExit):
        call_command("fund", "verify")


def test_public_summary_totals_by_month(world: World) -> None:
    donate(world, "1", day=date(2026, 2, 27))
    donate(world, "2", day=date(2026, 3, 1))
    donate(world, "100", day=date(2026, 3, 2))
    paid_out(world, "30")
    summary = fund_public_summary(world.a)
    assert summary.balance == Decimal("73.00")
    assert summary.people_helped == 1
    march, february = summary.months
    assert (march["in"], march["out"]) == (Decimal("102.00"), Decimal("30.00"))
    assert february["in"] == Decimal("1.00")


def test_public_page_shows_totals_but_no_names(world: World, client: Client) -> None:
    donate(world, "100", donor_name="李大妈")
    paid_out(world, "30")
    response = client.get(f"/fund/{world.a.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "70.00" in text
    assert "李大妈" not in text and "赵桂兰" not in text


def test_staff_fund_page_needs_login(client: Client) -> None:
    response = client.get("/programs/fund/")
    assert response.status_code == 302 and "/login/" in response["Location"]
