import pytest
from django.test import Client

from doorstep.conftest import World
from doorstep.field.models import StationArea
from doorstep.field.selectors import compound_match, haversine_m, nearest_stations
from doorstep.places.models import Compound

from .conftest import make_station

pytestmark = pytest.mark.django_db

# Zhangjiang: one thousandth of a degree of latitude is about 111 m.
LAT, LNG = 31.2000, 121.6000


def test_haversine_of_one_hundredth_degree_latitude_is_about_1112_m() -> None:
    assert round(haversine_m(LAT, LNG, LAT + 0.01, LNG)) == 1112


def test_nearest_stations_within_a_15_minute_walk_sorted_by_distance(world: World) -> None:
    a = world.a
    far = make_station(a, "远处服务站", LAT + 0.0115, LNG)  # ≈ 1279 m: beyond 1.2 km
    near = make_station(a, "近处服务站", LAT + 0.0030, LNG)  # ≈ 334 m
    edge = make_station(a, "边上服务站", LAT + 0.0105, LNG)  # ≈ 1168 m
    StationArea.objects.create(station=near, services="助老助餐")
    found = nearest_stations(LAT, LNG)
    assert [s.station.name for s in found] == ["近处服务站", "边上服务站"]
    assert [s.distance_m for s in found] == [334, 1168]
    assert found[0].walk_minutes == 5
    assert found[0].services == "助老助餐"
    assert far not in [s.station for s in found] and edge in [s.station for s in found]


def test_compound_match_by_substring_and_fuzzy_address(world: World) -> None:
    a = world.a
    c = Compound.objects.create(
        community=a, name="新宁花苑", address="胜利路新宁花苑", latitude=LAT, longitude=LNG
    )
    Compound.objects.create(community=a, name="红星家园", latitude=LAT, longitude=LNG)
    assert compound_match("新宁") == [c]
    assert compound_match("我住胜利路新宁花苑3号楼") == [c]
    assert compound_match("新宁花园") == [c]
    assert compound_match("完全不相干的地方") == []


def test_station_page_by_compound_lists_nearby_stations(client: Client, world: World) -> None:
    a = world.a
    c = Compound.objects.create(community=a, name="新宁花苑", latitude=LAT, longitude=LNG)
    make_station(a, "新宁邻里服务站", LAT + 0.001, LNG)
    html = client.get(f"/stations/?compound={c.pk}").content.decode()
    assert "新宁邻里服务站" in html
    assert "111 米" in html


def test_station_page_by_coordinates(client: Client, world: World) -> None:
    make_station(world.a, "新宁邻里服务站", LAT, LNG + 0.001)
    html = client.get(f"/stations/?lat={LAT}&lng={LNG}").content.decode()
    assert "新宁邻里服务站" in html


@pytest.mark.parametrize("query", ["lat=abc&lng=1", "lat=95&lng=121", "lat=&lng=121.6"])
def test_station_page_rejects_bad_coordinates(client: Client, world: World, query: str) -> None:
    response = client.get(f"/stations/?{query}")
    assert response.status_code == 200
    assert response.context["found"] == []
    assert response.context["error"]


def test_station_page_says_so_when_no_compound_matches(client: Client, world: World) -> None:
    response = client.get("/stations/?address=火星基地")
    assert "没有找到" in response.context["error"]
