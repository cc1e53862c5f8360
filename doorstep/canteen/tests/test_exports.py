"""The canteen's spreadsheets: the day's meals (masked phone, escaped, the day and community on
screen) and the monthly claim, whose text cells are escaped too."""

from datetime import date

from django.test import Client

from doorstep.canteen import services
from doorstep.conftest import World, make_resident, xlsx_rows

DAY = date(2026, 10, 12)


def _meal(world: World, name: str, day: date = DAY, **flags: bool) -> None:
    person = make_resident(world.a, name=name, phone="13712345678")
    person.birth_date = date(1950, 1, 1)
    for flag, value in flags.items():
        setattr(person, flag, value)
    person.save()
    services.meal_record(actor=world.desk_a, resident_id=person.pk, day=day, today=DAY)


def test_meal_list_export_masks_the_phone_and_escapes(world: World, client: Client) -> None:
    _meal(world, "-老张")
    client.force_login(world.desk_a)
    response = client.get(f"/programs/canteen/?day={DAY:%Y-%m-%d}&format=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0] == (
        "日期",
        "姓名",
        "电话（脱敏）",
        "送餐",
        "餐标",
        "街道补贴",
        "送餐费",
        "个人支付",
    )
    assert rows[1][1] == "'-老张" and rows[1][2] == "137****5678"
    assert "13712345678" not in repr(rows)


def test_meal_list_export_is_the_day_on_screen(world: World, client: Client) -> None:
    _meal(world, "当天老人")
    _meal(world, "次日老人", date(2026, 10, 13))
    client.force_login(world.desk_a)
    names = [
        r[1] for r in xlsx_rows(client.get(f"/programs/canteen/?day={DAY:%Y-%m-%d}&format=xlsx"))
    ]
    assert names == ["姓名", "当天老人"]


def test_meal_list_export_of_another_street_is_404(world: World, client: Client) -> None:
    client.force_login(world.street_user)
    assert client.get(f"/programs/canteen/?community={world.c.pk}&format=xlsx").status_code == 404


def test_claim_xlsx_escapes_a_formula_in_a_name(world: World, client: Client) -> None:
    _meal(world, "=1+1", subsistence_allowance=True)
    client.force_login(world.secretary_a)
    response = client.get("/programs/canteen/claim/?month=2026-10-01&format=xlsx")
    cells = [c for row in xlsx_rows(response) for c in row if isinstance(c, str)]
    assert "'=1+1" in cells and "=1+1" not in cells
