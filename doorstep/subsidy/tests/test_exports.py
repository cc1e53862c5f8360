"""The due list as xlsx: the grid filter on screen, masked phone and ID, escaped text."""

from datetime import date

from django.test import Client

from doorstep.conftest import World, make_resident, valid_id_number, xlsx_rows
from doorstep.subsidy.models import SubsidyEnrolment


def _enrol(world: World, name: str, household: object) -> None:
    person = make_resident(world.a, name=name, phone="13912345678", id_number=valid_id_number())
    person.birth_date, person.household = date(1940, 1, 1), household  # type: ignore[assignment]
    person.save()
    SubsidyEnrolment.objects.create(
        resident=person,
        community=world.a,
        status="active",
        proposed_on=date(2025, 1, 1),
        confirmed_on=date(2025, 1, 1),
    )


def test_due_list_export_masks_phone_and_id(world: World, grid_world: dict, client: Client) -> None:
    _enrol(world, "一网格老人", grid_world["h1"])
    client.force_login(world.secretary_a)
    response = client.get("/programs/subsidy/?format=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:3] == ("姓名", "身份证号（脱敏）", "电话（脱敏）")
    assert rows[1][0] == "一网格老人" and rows[1][2] == "139****5678"
    assert "13912345678" not in repr(rows) and valid_id_number() not in repr(rows)


def test_due_list_export_follows_the_grid_filter_and_escapes(
    world: World, grid_world: dict, client: Client
) -> None:
    _enrol(world, "=一网格", grid_world["h1"])
    _enrol(world, "二网格老人", grid_world["h2"])
    client.force_login(world.secretary_a)
    grid = grid_world["g1"].pk
    names = [r[0] for r in xlsx_rows(client.get(f"/programs/subsidy/?grid={grid}&format=xlsx"))]
    assert names == ["姓名", "'=一网格"]


def test_grid_worker_exports_only_their_own_grid(
    world: World, grid_world: dict, client: Client
) -> None:
    _enrol(world, "一网格老人", grid_world["h1"])
    _enrol(world, "二网格老人", grid_world["h2"])
    client.force_login(world.grid_a)
    names = [r[0] for r in xlsx_rows(client.get("/programs/subsidy/?format=xlsx"))]
    assert names == ["姓名", "一网格老人"]
