"""The love fund's ledger as xlsx: the page's community, escaped text, no recipient names."""

from django.test import Client
from django.utils import timezone

from doorstep.conftest import World, xlsx_rows
from doorstep.fund import services


def _donate(world: World, donor: str, community_id: int | None = None) -> None:
    services.fund_donation_record(
        actor=world.desk_a if community_id is None else world.desk_b,
        community_id=community_id or world.a.pk,
        amount="12.50",
        day=timezone.localdate(),
        channel="cash",
        donor_name=donor,
    )


def test_ledger_exports_with_chinese_headers_and_escaped_donor(
    world: World, client: Client
) -> None:
    _donate(world, "=HYPERLINK(1)")
    client.force_login(world.secretary_a)
    response = client.get("/programs/fund/?format=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:4] == ("序号", "日期", "类型", "金额") and "捐款人" in rows[0]
    assert rows[1][rows[0].index("捐款人")] == "'=HYPERLINK(1)"


def test_ledger_export_never_carries_the_recipient(world: World, client: Client) -> None:
    _donate(world, "张先生")
    services.fund_disbursement_request(
        actor=world.desk_a, community_id=world.a.pk, amount="5", purpose="慰问", recipient="赵桂兰"
    )
    request = services.fund_disbursement_request(
        actor=world.desk_a, community_id=world.a.pk, amount="5", purpose="助学", recipient="李四"
    )
    services.fund_disbursement_approve(actor=world.secretary_a, request_id=request.pk)
    services.fund_disbursement_approve(actor=world.street_user, request_id=request.pk)
    client.force_login(world.secretary_a)
    rows = xlsx_rows(client.get("/programs/fund/?format=xlsx"))
    text = repr(rows)
    assert "助学" in text and "李四" not in text and "赵桂兰" not in text


def test_ledger_export_is_the_chosen_community_in_the_area(world: World, client: Client) -> None:
    _donate(world, "甲社区捐款人")
    _donate(world, "乙社区捐款人", world.b.pk)
    client.force_login(world.street_user)
    text = repr(xlsx_rows(client.get(f"/programs/fund/?community={world.b.pk}&format=xlsx")))
    assert "乙社区捐款人" in text and "甲社区捐款人" not in text
    client.force_login(world.other_street_user)
    assert client.get(f"/programs/fund/?community={world.a.pk}&format=xlsx").status_code == 404
