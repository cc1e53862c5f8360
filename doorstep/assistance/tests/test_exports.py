"""Assistance applications as xlsx: the status filter on screen, escaped text, roles and area."""

from datetime import date

from django.test import Client

from doorstep.assistance import services
from doorstep.conftest import World, xlsx_rows


def _apply(world: World, name: str, community_id: int | None = None) -> None:
    services.assistance_apply(
        actor=world.secretary_a if community_id is None else world.secretary_b,
        data=services.ApplicationData(
            community_id=community_id or world.a.pk,
            applicant_name=name,
            kind="special",
            household_category="low_income",
            hardship="火灾",
            documents="",
            amount_requested="8000",
            applied_on=date(2026, 3, 1),
        ),
    )


def test_applications_export_with_headers_and_escaping(world: World, client: Client) -> None:
    _apply(world, "+陈建华")
    client.force_login(world.secretary_a)
    response = client.get("/programs/assistance/?format=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:4] == ("申请日期", "申请人", "类型", "家庭类别")
    assert rows[1][1] == "'+陈建华" and rows[1][4] == 8000


def test_applications_export_follows_status_and_community(world: World, client: Client) -> None:
    _apply(world, "甲社区申请人")
    _apply(world, "乙社区申请人", world.b.pk)
    client.force_login(world.secretary_a)
    assert len(xlsx_rows(client.get("/programs/assistance/?status=approved&format=xlsx"))) == 1
    text = repr(xlsx_rows(client.get("/programs/assistance/?status=under_review&format=xlsx")))
    assert "甲社区申请人" in text and "乙社区申请人" not in text


def test_desk_worker_cannot_export_applications(world: World, client: Client) -> None:
    client.force_login(world.desk_a)
    assert client.get("/programs/assistance/?format=xlsx").status_code == 403
