"""The fee counter (代收水电费): payments, reversals by a second person, daily close, the hash
chain and the monthly ledger."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from doorstep.conftest import World
from doorstep.core.models import AuditEntry
from doorstep.workforce import fees, selectors
from doorstep.workforce.choices import PaymentKind
from doorstep.workforce.models import FeeDayClose, FeePayment, FeeReversalRequest

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the site's day (Asia/Shanghai), as the services use


def pay(
    world: World, amount: object = "86.50", method: str = "cash", name: str = "王秀英"
) -> FeePayment:
    return fees.fee_payment_take(
        actor=world.desk_a,
        community=world.a,
        data=fees.Payment(
            utility="water",
            account_number="31001234",
            period="2026-11",
            amount=amount,
            method=method,
            payer_name=name,
        ),
    )


def test_payment_gets_a_receipt_and_joins_the_chain(world: World) -> None:
    first, second = pay(world), pay(world, "120.00", "qr")
    assert first.receipt_number != second.receipt_number
    assert second.prev_hash == first.hash
    assert isinstance(first.amount, Decimal) and first.amount == Decimal("86.50")
    assert fees.fee_verify() == (2, None)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "金额不能为负数"),
        ("0", "金额必须大于零"),
        ("100000.01", "金额不能超过 100,000.00 元"),
        ("1.234", "两位小数"),
        ("abc", "金额格式不正确"),
        ("NaN", "金额格式不正确"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_written(
    world: World, amount: str, message: str
) -> None:
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        pay(world, amount)
    assert not FeePayment.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_bad_period_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="所属期格式"):
        fees.fee_payment_take(
            actor=world.desk_a,
            community=world.a,
            data=fees.Payment(
                utility="water",
                account_number="31001234",
                period="2026-13",
                amount="1",
                method="cash",
                payer_name="x",
            ),
        )


def test_payment_cannot_be_edited(world: World) -> None:
    payment = pay(world)
    payment.amount = Decimal("1.00")
    with pytest.raises(ValueError, match="append-only"):
        payment.save()


def test_another_community_cannot_take_or_see_payments(world: World) -> None:
    pay(world)
    with pytest.raises(PermissionDenied):
        fees.fee_payment_take(
            actor=world.desk_b,
            community=world.a,
            data=fees.Payment(
                utility="water",
                account_number="31001234",
                period="2026-11",
                amount="1",
                method="cash",
                payer_name="x",
            ),
        )
    assert not selectors.payments_visible_to(world.desk_b).exists()
    assert not selectors.payments_visible_to(world.department_user).exists()
    assert selectors.payments_visible_to(world.street_user).count() == 1


def test_reversal_needs_a_second_person(world: World) -> None:
    payment = pay(world)
    request = fees.fee_reversal_request(
        actor=world.desk_a, payment_id=payment.pk, reason="户号填错"
    )
    with pytest.raises(ValidationError, match="第二人确认"):
        fees.fee_reversal_approve(actor=world.desk_a, request_id=request.pk)
    assert FeePayment.objects.count() == 1
    reversal = fees.fee_reversal_approve(actor=world.secretary_a, request_id=request.pk)
    assert reversal.kind == PaymentKind.REVERSAL and reversal.reverses_id == payment.pk
    assert reversal.second_person_id == world.secretary_a.pk
    assert selectors.day_totals(world.a, TODAY).cash == Decimal("0.00")
    assert fees.fee_verify() == (2, None)


def test_reversal_needs_a_reason(world: World) -> None:
    payment = pay(world)
    with pytest.raises(ValidationError, match="冲正须填写原因"):
        fees.fee_reversal_request(actor=world.desk_a, payment_id=payment.pk, reason=" ")
    assert not FeeReversalRequest.objects.exists()


def test_a_payment_is_reversed_once(world: World) -> None:
    payment = pay(world)
    fees.fee_reversal_request(actor=world.desk_a, payment_id=payment.pk, reason="重复收款")
    with pytest.raises(ValidationError, match="已申请冲正"):
        fees.fee_reversal_request(actor=world.secretary_a, payment_id=payment.pk, reason="重复收款")


def test_day_close_records_the_discrepancy_and_needs_a_note(world: World) -> None:
    pay(world, "100.00")
    pay(world, "50.00", "qr")
    with pytest.raises(ValidationError, match="请说明原因"):
        fees.fee_day_close(actor=world.desk_a, community=world.a, day=TODAY, cash_counted="98.00")
    close = fees.fee_day_close(
        actor=world.desk_a, community=world.a, day=TODAY, cash_counted="98.00", note="找零误差"
    )
    assert (close.cash_expected, close.discrepancy, close.qr_total, close.payments) == (
        Decimal("100.00"),
        Decimal("-2.00"),
        Decimal("50.00"),
        2,
    )


def test_a_closed_day_takes_no_more_payments(world: World) -> None:
    fees.fee_day_close(actor=world.desk_a, community=world.a, day=TODAY, cash_counted="0")
    with pytest.raises(ValidationError, match="已日结"):
        pay(world)
    with pytest.raises(ValidationError, match="已日结"):
        fees.fee_day_close(actor=world.secretary_a, community=world.a, day=TODAY, cash_counted="0")
    assert FeeDayClose.objects.count() == 1


def test_future_day_cannot_be_closed(world: World) -> None:
    with pytest.raises(ValidationError, match="未来"):
        fees.fee_day_close(
            actor=world.desk_a, community=world.a, day=TODAY + timedelta(days=1), cash_counted="0"
        )


def test_verify_names_an_edited_payment(world: World) -> None:
    pay(world)
    second = pay(world)
    FeePayment.objects.filter(pk=second.pk).update(amount=Decimal("1.00"))
    checked, problem = fees.fee_verify()
    assert problem is not None and "第 2 条" in problem


def test_verify_notices_the_newest_payment_deleted(world: World) -> None:
    pay(world)
    second = pay(world)
    FeePayment.objects.filter(pk=second.pk).delete()
    _checked, problem = fees.fee_verify()
    assert problem is not None and "最新记录缺失" in problem


def test_monthly_ledger_escapes_formula_text(world: World, client: Client) -> None:
    pay(world, name='=HYPERLINK("http://x")')
    client.force_login(world.desk_a)
    response = client.get("/workforce/fees/", {"month": f"{TODAY:%Y-%m}", "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = book.active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_fees_verify_command_exits_1_on_a_broken_chain(world: World) -> None:
    from django.core.management import call_command

    pay(world)
    call_command("fees", "verify")
    FeePayment.objects.update(payer_name="改过的名字")
    with pytest.raises(SystemExit) as exit_:
        call_command("fees", "verify")
    assert exit_.value.code == 1


def test_admin_cannot_change_a_payment(world: World) -> None:
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.district_user
    admin_ = site._registry[FeePayment]
    assert not admin_.has_change_permission(request) and not admin_.has_delete_permission(request)
