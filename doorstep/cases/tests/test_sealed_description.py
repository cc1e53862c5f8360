"""A phone typed into a case description is masked everywhere and revealed only with a reason."""

import pytest
from django.test import Client

from doorstep.cases.models import Case
from doorstep.cases.services import case_description_reveal
from doorstep.conftest import World
from doorstep.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PHONE = "13987654321"
TEXT = f"楼道灯坏了，请回电{PHONE}"


def test_description_is_stored_masked_with_the_original_sealed(world: World) -> None:
    case = world.intake(description=TEXT)
    stored = Case.objects.values("description", "description_sealed").get(pk=case.pk)
    assert stored["description"] == "楼道灯坏了，请回电139****4321"
    assert PHONE not in stored["description_sealed"]


def test_case_page_list_and_api_show_the_masked_text(world: World, client: Client) -> None:
    case = world.intake(description=TEXT)
    client.force_login(world.desk_a)
    for url in ("/desk/cases/", f"/desk/cases/{case.pk}/", "/api/v1/cases"):
        body = client.get(url).content.decode()
        assert PHONE not in body, url


def test_reveal_needs_a_reason_and_is_audited(world: World, client: Client) -> None:
    case = world.intake(description=TEXT)
    client.force_login(world.desk_a)
    url = f"/desk/cases/{case.pk}/reveal/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert not AuditEntry.objects.exists()
    response = client.post(url, {"reason": "回电核实"})
    assert PHONE in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.object_type, entry.field, entry.reason) == ("case", "description", "回电核实")


def test_reveal_of_another_area_is_404(world: World, client: Client) -> None:
    case = world.intake(description=TEXT)
    client.force_login(world.desk_b)
    assert client.post(f"/desk/cases/{case.pk}/reveal/", {"reason": "回电核实"}).status_code == 404
    with pytest.raises(Case.DoesNotExist):
        case_description_reveal(actor=world.desk_b, case_id=case.pk, reason="回电核实")


def test_resident_search_is_a_post(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    assert client.get("/desk/residents/", {"q": PHONE}).status_code == 405
    assert client.post("/desk/residents/", {"q": PHONE}).status_code == 200
