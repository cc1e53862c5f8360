import pytest
from django.test import Client

from doorstep.field import selectors
from doorstep.field.models import BuildingHead, StationArea
from doorstep.field.selectors import coverage, station_flag
from doorstep.places.models import Building

from .conftest import Field, make_households, make_station

pytestmark = pytest.mark.django_db


def test_coverage_flags_buildings_with_no_contractor(field: Field) -> None:
    field.building.contractor = field.world.desk_a
    field.building.save()
    data = coverage(field.world.a)
    assert [b.pk for b in data.uncontracted] == [field.elsewhere.pk]


def test_coverage_counts_households_in_buildings_with_no_head(field: Field) -> None:
    make_households(field.contracted, 40)
    make_households(field.elsewhere, 25)
    head = BuildingHead.objects.create(community=field.world.a, name="刘桂英")
    head.buildings.set([field.contracted])
    data = coverage(field.world.a)
    assert data.households == 3 + 40 + 25
    assert data.headless_households == 3 + 25
    assert {b.pk for b, _ in data.headless} == {field.building.pk, field.elsewhere.pk}


@pytest.mark.parametrize(
    ("households", "flag"),
    [(299, "under"), (300, ""), (500, ""), (700, ""), (701, "over")],
)
def test_station_size_flag_thresholds(households: int, flag: str) -> None:
    assert selectors.STATION_MIN_HOUSEHOLDS == 300
    assert selectors.STATION_MAX_HOUSEHOLDS == 700
    assert station_flag(households) == flag


def test_coverage_flags_stations_far_over_and_under_500_households(field: Field) -> None:
    big = Building.objects.create(compound=field.compound, name="9号楼")
    make_households(big, 720)
    small = make_station(field.world.a, "一期邻里服务站", 31.2, 121.6)
    large = make_station(field.world.a, "二期邻里服务站", 31.2, 121.6)
    make_station(field.world.a, "玉兰香苑社区家门口服务站", 31.2, 121.6, kind="doorstep")
    StationArea.objects.create(station=small).buildings.set([field.building])
    StationArea.objects.create(station=large).buildings.set([big])
    data = coverage(field.world.a)
    flags = {s.station.name: (s.households, s.flag) for s in data.stations}
    assert flags == {"一期邻里服务站": (3, "under"), "二期邻里服务站": (720, "over")}
    assert data.unstationed_households == 0


def test_coverage_page_is_for_the_secretary(client: Client, field: Field) -> None:
    client.force_login(field.world.grid_a)
    assert client.get("/field/coverage/").status_code == 403
    client.force_login(field.world.secretary_a)
    assert client.get("/field/coverage/").status_code == 200


def test_coverage_of_another_community_is_404(client: Client, field: Field) -> None:
    client.force_login(field.world.secretary_a)
    assert client.get(f"/field/coverage/?community={field.world.b.pk}").status_code == 404


def test_secretary_assigns_a_contractor_from_the_coverage_page(
    client: Client, field: Field
) -> None:
    client.force_login(field.world.secretary_a)
    url = f"/field/coverage/buildings/{field.elsewhere.pk}/contractor/"
    client.post(url, {"worker": field.world.desk_a.pk})
    field.elsewhere.refresh_from_db()
    assert field.elsewhere.contractor == field.world.desk_a


def test_contractor_must_work_in_the_community(client: Client, field: Field) -> None:
    client.force_login(field.world.secretary_a)
    url = f"/field/coverage/buildings/{field.elsewhere.pk}/contractor/"
    client.post(url, {"worker": field.world.desk_b.pk})
    field.elsewhere.refresh_from_db()
    assert field.elsewhere.contractor is None


def test_building_head_phone_is_stored_encrypted_and_shown_masked(
    client: Client, field: Field
) -> None:
    client.force_login(field.world.secretary_a)
    client.post(
        "/field/coverage/heads/",
        {
            "community": field.world.a.pk,
            "name": "刘桂英",
            "phone": "13912345678",
            "buildings": [field.building.pk],
        },
    )
    head = BuildingHead.objects.get()
    assert "13912345678" not in head.phone_encrypted
    assert head.phone_masked == "139****5678"
    assert list(head.buildings.all()) == [field.building]


def test_building_head_with_bad_phone_is_refused(client: Client, field: Field) -> None:
    client.force_login(field.world.secretary_a)
    client.post(
        "/field/coverage/heads/",
        {
            "community": field.world.a.pk,
            "name": "刘桂英",
            "phone": "12345",
            "buildings": [field.building.pk],
        },
    )
    assert not BuildingHead.objects.exists()
