import io

import pytest
from django.test import Client
from pypdf import PdfReader

from doorstep.places.models import Grid

from .conftest import Field

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def card_field(field: Field) -> Field:
    w = field.world
    w.a.office_phone = "021-58881234"
    w.a.address = "张江路 100 号"
    w.a.save()
    for user, phone in ((w.secretary_a, "13800000001"), (w.grid_a, "13800000002")):
        user.staff.phone = phone
        user.staff.save()
    return field


def test_contact_card_pdf_has_names_phones_hours_and_portal_url(
    client: Client, card_field: Field
) -> None:
    client.force_login(card_field.world.desk_a)
    response = client.get(f"/field/card/{card_field.world.a.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in (
        "玉兰香苑社区",
        "社区连心卡",
        "陈书记",
        "13800000001",
        "张网格",
        "13800000002",
        "第1网格",
        "021-58881234",
        "08:30",
        "20:00",
        "http://testserver/",
    ):
        assert expected in text, expected


def test_grid_card_lists_only_that_grids_worker(client: Client, card_field: Field) -> None:
    w = card_field.world
    Grid.objects.create(community=w.a, name="第3网格", worker=w.desk_a)
    client.force_login(w.grid_a)
    text = _text(client.get(f"/field/card/{w.a.pk}.pdf?grid={card_field.grid.pk}").content)
    assert "张网格" in text
    assert "李前台" not in text


def test_contact_card_of_another_community_is_404(client: Client, card_field: Field) -> None:
    client.force_login(card_field.world.grid_a)
    assert client.get(f"/field/card/{card_field.world.b.pk}.pdf").status_code == 404


def test_contact_card_with_another_communitys_grid_is_404(
    client: Client, card_field: Field
) -> None:
    other = Grid.objects.create(community=card_field.world.b, name="第1网格")
    client.force_login(card_field.world.grid_a)
    assert client.get(f"/field/card/{card_field.world.a.pk}.pdf?grid={other.pk}").status_code == 404
