"""Issued certificates as xlsx: masked ID numbers, escaped text, the worker's area only."""

from django.test import Client

from doorstep.certificates import services
from doorstep.conftest import World, make_resident, valid_id_number, xlsx_rows
from doorstep.core.crypto import mask_id_number
from doorstep.places.models import Building, Community, Household


def _issue(world: World, name: str, community: Community | None = None) -> str:
    """A residence certificate for a new resident with an address in `community` (default A)."""
    community = community or world.a
    resident = make_resident(community, name=name, id_number=valid_id_number())
    compound = world.compound_a if community == world.a else world.compound_b
    building = Building.objects.create(compound=compound, name="9号楼")
    resident.household = Household.objects.create(building=building, unit="1单元", room="101")
    resident.save()
    actor = world.desk_a if community == world.a else world.desk_b
    return services.certificate_issue(
        actor=actor, resident_id=resident.pk, kind="residence", purpose="办理医保"
    ).serial


def test_certificates_export_masks_the_id_number(world: World, client: Client) -> None:
    serial = _issue(world, "王秀英")
    client.force_login(world.desk_a)
    response = client.get("/programs/certificates/?format=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:4] == ("编号", "类型", "居民", "身份证号（脱敏）")
    assert rows[1][0] == serial and rows[1][2] == "王秀英"
    number = valid_id_number()
    assert number not in repr(rows) and rows[1][3] == mask_id_number(number) != number


def test_certificates_export_escapes_a_formula_name(world: World, client: Client) -> None:
    _issue(world, "@SUM(A1)")
    client.force_login(world.desk_a)
    rows = xlsx_rows(client.get("/programs/certificates/?format=xlsx"))
    assert rows[1][2] == "'@SUM(A1)"


def test_certificates_export_keeps_to_the_workers_community(world: World, client: Client) -> None:
    _issue(world, "甲社区居民")
    _issue(world, "乙社区居民", world.b)
    client.force_login(world.desk_a)
    text = repr(xlsx_rows(client.get("/programs/certificates/?format=xlsx")))
    assert "甲社区居民" in text and "乙社区居民" not in text
