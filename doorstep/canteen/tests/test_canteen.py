"""Community canteen (社区食堂): seed prices, delivery, the monthly claim to the street."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook

from doorstep.canteen import services
from doorstep.canteen.models import CanteenPriceRule, Meal
from doorstep.canteen.selectors import canteen_claim, canteen_rule, delivery_list, meal_price
from doorstep.conftest import World, make_person

DAY = date(2026, 10, 15)


def meal(world: World, resident: object, day: date = DAY, delivered: bool = False) -> Meal:
    return services.meal_record(
        actor=world.desk_a,
        resident_id=resident.pk,  # type: ignore[attr-defined]
        day=day,
        delivered=delivered,
        today=DAY,
    )


@pytest.mark.parametrize(
    ("birth", "subsistence", "bedridden", "delivered", "expected"),
    [
        # (birth, 低保, bedridden, delivered) → (subsidy, delivery fee, paid)
        (date(1960, 1, 1), True, False, False, ("6.00", "0.00", "3.00")),  # 66 on 低保: ¥3
        (date(1966, 10, 15), True, False, False, ("6.00", "0.00", "3.00")),  # 60 today
        (date(1966, 10, 16), True, False, False, ("0.00", "0.00", "9.00")),  # 59 tomorrow 60
        (date(1960, 1, 1), False, False, False, ("0.00", "0.00", "9.00")),  # not on 低保
        (date(1960, 1, 1), False, True, True, ("0.00", "0.00", "9.00")),  # bedridden 60+
        (date(1970, 1, 1), False, True, True, ("0.00", "2.00", "11.00")),  # bedridden 56
        (date(1946, 1, 1), False, False, True, ("0.00", "0.00", "9.00")),  # 80+ free
        (date(1950, 1, 1), False, False, True, ("0.00", "2.00", "11.00")),  # 76 pays
        (date(1946, 1, 1), True, False, True, ("6.00", "0.00", "3.00")),  # 80 on 低保
    ],
)
def test_meal_prices_follow_the_seed_rules(
    world: World,
    birth: date,
    subsistence: bool,
    bedridden: bool,
    delivered: bool,
    expected: tuple[str, str, str],
) -> None:
    person = make_person(
        world, "食客", birth, subsistence_allowance=subsistence, bedridden=bedridden
    )
    price = meal_price(canteen_rule(world.district.pk), person, DAY, delivered)
    assert price.price == Decimal("9.00")
    assert (price.subsidy, price.delivery_fee, price.paid) == tuple(Decimal(v) for v in expected)


def test_price_rule_is_configuration(world: World) -> None:
    CanteenPriceRule.objects.create(district=world.district, base_price=Decimal("10.00"))
    person = make_person(world, "食客", date(1950, 1, 1), subsistence_allowance=True)
    price = meal_price(canteen_rule(world.district.pk), person, DAY, False)
    assert (price.price, price.subsidy, price.paid) == (
        Decimal("10.00"),
        Decimal("6.00"),
        Decimal("4.00"),
    )


def test_meal_is_recorded_once_per_resident_and_day(world: World) -> None:
    person = make_person(world, "食客", date(1950, 1, 1))
    meal(world, person)
    with pytest.raises(ValidationError):
        meal(world, person)
    assert Meal.objects.count() == 1


def test_meal_more_than_a_week_ahead_is_refused(world: World) -> None:
    person = make_person(world, "食客", date(1950, 1, 1))
    with pytest.raises(ValidationError):
        meal(world, person, DAY + timedelta(days=8))


def test_grid_worker_does_not_record_meals(world: World) -> None:
    person = make_person(world, "食客", date(1950, 1, 1))
    with pytest.raises(PermissionDenied):
        services.meal_record(actor=world.grid_a, resident_id=person.pk, day=DAY)


def test_delivery_list_has_only_delivered_meals(world: World) -> None:
    meal(world, make_person(world, "送餐老人", date(1940, 1, 1)), delivered=True)
    meal(world, make_person(world, "堂食老人", date(1940, 1, 1)))
    names = [m.resident.name for m in delivery_list(world.desk_a, world.a, DAY)]
    assert names == ["送餐老人"]


def test_monthly_claim_totals(world: World) -> None:
    poor = make_person(world, "低保老人", date(1955, 1, 1), subsistence_allowance=True)
    other = make_person(world, "普通老人", date(1955, 1, 1))
    young = make_person(world, "低保青年", date(1990, 1, 1), subsistence_allowance=True)
    for n in range(20):  # 20 days in October
        meal(world, poor, date(2026, 10, 1) + timedelta(days=n))
        meal(world, other, date(2026, 10, 1) + timedelta(days=n))
    meal(world, young, date(2026, 10, 2))
    meal(world, poor, date(2026, 9, 30))  # September: not in October's claim
    claim = canteen_claim(world.secretary_a, world.a, date(2026, 10, 1))
    assert claim.meals == 41
    assert claim.subsidised_meals == 20
    assert claim.subsidy_total == Decimal("120.00")  # 20 × ¥6
    assert claim.paid_total == Decimal("249.00")  # 20 × ¥3 + 21 × ¥9
    assert [(r.resident.name, r.meals, r.subsidy) for r in claim.rows] == [
        ("低保老人", 20, Decimal("120.00"))
    ]


def test_claim_xlsx_carries_the_totals(world: World, client: Client) -> None:
    poor = make_person(world, "低保老人", date(1955, 1, 1), subsistence_allowance=True)
    for n in range(3):
        meal(world, poor, date(2026, 10, 1) + timedelta(days=n))
    client.force_login(world.secretary_a)
    response = client.get("/programs/canteen/claim/?month=2026-10-01&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "合计"]
    assert rows and rows[0][3] == 3 and Decimal(str(rows[0][4])) == Decimal("18")


def test_claim_page_prints_the_total(world: World, client: Client) -> None:
    poor = make_person(world, "低保老人", date(1955, 1, 1), subsistence_allowance=True)
    meal(world, poor, date(2026, 10, 1))
    client.force_login(world.desk_a)
    text = client.get("/programs/canteen/claim/?month=2026-10-01").content.decode()
    assert "低保老人" in text and "6.00" in text


def test_canteen_page_for_staff(world: World, client: Client) -> None:
    meal(world, make_person(world, "送餐老人", date(1940, 1, 1)), delivered=True)
    client.force_login(world.desk_a)
    page = client.get(f"/programs/canteen/?day={DAY:%Y-%m-%d}")
    assert page.status_code == 200 and "送餐老人" in page.content.decode()
    client.logout()
    assert client.get("/programs/canteen/").status_code == 302


def test_the_former_claim_xlsx_address_redirects_to_the_claim_page_as_xlsx(
    world: World, client: Client
) -> None:
    client.force_login(world.secretary_a)
    old = client.get(f"/programs/canteen/claim.xlsx?community={world.a.pk}&month=2026-10-01")
    assert old.status_code == 301
    assert old["Location"] == (
        f"/programs/canteen/claim/?community={world.a.pk}&month=2026-10-01&format=xlsx"
    )
    followed = client.get(old["Location"])
    assert followed.status_code == 200 and followed["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_claim_page_links_its_own_address_as_xlsx(world: World, client: Client) -> None:
    client.force_login(world.secretary_a)
    text = client.get("/programs/canteen/claim/?month=2026-10-01").content.decode()
    assert "claim.xlsx" not in text
    link = f"/programs/canteen/claim/?community={world.a.pk}&amp;month=2026-10-01&amp;format=xlsx"
    assert link in text
