"""xlsx exports: the filtered rows, Chinese headers, dates as dates, phones masked, no formula."""

import io
from datetime import datetime

import pytest
from django.test import Client
from openpyxl import load_workbook

from doorstep.conftest import World, at

from .conftest import September

pytestmark = pytest.mark.django_db


def sheet(response) -> list[tuple]:
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def test_case_list_exports_xlsx_with_masked_phone_and_escaped_text(
    client: Client, world: World
) -> None:
    world.intake(
        item=world.residence_cert,
        description='=HYPERLINK("http://x")',
        contact_phone="13812345678",
        now=at(2025, 9, 3),
    )
    client.force_login(world.desk_a)
    response = client.get("/desk/cases/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet(response)
    assert rows[0][0] == "查询码" and "联系电话" in rows[0]
    data = dict(zip(rows[0], rows[1], strict=True))
    assert data["居民诉求"].startswith("'=")
    assert "13812345678" not in str(rows) and data["联系电话"].startswith("138")
    assert isinstance(data["受理时间"], datetime)


def test_case_list_export_is_scoped_to_the_viewer(client: Client, world: World) -> None:
    world.intake(item=world.residence_cert)
    world.intake(actor=world.desk_b, community=world.b, item=world.residence_cert)
    client.force_login(world.desk_a)
    assert len(sheet(client.get("/desk/cases/", {"format": "xlsx"}))) == 2  # header + own case


def test_tile_case_list_exports_the_counted_cases(client: Client, september: September) -> None:
    client.force_login(september.world.secretary_a)
    params = {"kpi": "received", "period": "month", "on": "2025-09-01", "format": "xlsx"}
    rows = sheet(client.get("/dashboard/cases/", params))
    assert len(rows) - 1 == 9  # September's cases in community A


def test_scorecards_export_says_sample_too_small(client: Client, september: September) -> None:
    client.force_login(september.world.secretary_a)
    rows = sheet(client.get("/dashboard/workers/", {"period": "year", "format": "xlsx"}))
    assert rows[0][0] == "社工"
    assert "样本不足" in {cell for row in rows[1:] for cell in row}


def test_demand_list_shows_and_exports_the_periods_demands(
    client: Client, september: September
) -> None:
    client.force_login(september.world.street_user)
    params = {"period": "month", "on": "2025-09-01"}
    page = client.get("/dashboard/demands/", params)
    assert page.status_code == 200 and "快递柜" in page.content.decode()
    rows = sheet(client.get("/dashboard/demands/", {**params, "format": "xlsx"}))
    assert rows[0][0] == "受理时间" and len(rows) == 2
    assert client.get("/dashboard/demands/", {"community": september.world.c.pk}).status_code == 404
