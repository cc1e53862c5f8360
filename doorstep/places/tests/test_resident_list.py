"""居民台账: scoped to the viewer's area, filtered by community and flag, keyset pages with a
total; the xlsx lists the same rows with phone and ID number masked and text escaped."""

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from doorstep.conftest import World, make_resident, valid_id_number
from doorstep.places.models import Resident

pytestmark = pytest.mark.django_db


def sheet(response: Any) -> list[tuple[Any, ...]]:
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _names(page: str) -> list[str]:
    table = page[page.index('id="residents"') :]
    return re.findall(r"<tr><td>([^<]+)</td>", table)


@pytest.fixture
def residents(world: World) -> list[Resident]:
    made = [make_resident(world.a, f"居民{i}", f"1380000{i:04d}") for i in range(3)]
    made[0].bedridden = True
    made[0].save()
    made.append(make_resident(world.b, "=SUM(A1)", "13911112222"))
    made.append(make_resident(world.c, "外街道居民", "13722223333"))
    return made


def test_page_and_export_list_the_same_residents_for_each_filter(
    client: Client, world: World, residents: list[Resident]
) -> None:
    client.force_login(world.street_user)
    for params, expected in (
        ({}, 4),
        ({"community": str(world.a.pk)}, 3),
        ({"flag": "bedridden"}, 1),
        ({"community": str(world.c.pk)}, 0),  # another street's community: nothing
    ):
        page = _names(client.get("/residents/", params).content.decode())
        rows = sheet(client.get("/residents/", {**params, "format": "xlsx"}))
        assert page == [r[0].lstrip("'") for r in rows[1:]]
        assert len(page) == expected


def test_export_masks_phone_and_id_number_and_escapes_names(client: Client, world: World) -> None:
    number = valid_id_number()
    make_resident(world.a, "=HYPERLINK(1)", "13812345678", id_number=number)
    client.force_login(world.desk_a)
    rows = sheet(client.get("/residents/", {"format": "xlsx"}))
    assert rows[0][:8] == (
        "姓名",
        "性别",
        "出生日期",
        "民族",
        "社区",
        "住址",
        "联系电话",
        "身份证号",
    )
    data = dict(zip(rows[0], rows[1], strict=True))
    assert data["姓名"] == "'=HYPERLINK(1)"
    assert data["联系电话"] == "138****5678" and data["身份证号"].endswith(number[-4:])
    assert "13812345678" not in str(rows) and number not in str(rows)


def test_community_worker_sees_only_their_community(
    client: Client, world: World, residents: list[Resident]
) -> None:
    client.force_login(world.desk_a)
    assert len(sheet(client.get("/residents/", {"format": "xlsx"}))) == 4  # header + 3
    other = client.get("/residents/", {"community": str(world.b.pk)}).content.decode()
    assert _names(other) == []


def test_register_pages_past_fifty_with_a_total(client: Client, world: World) -> None:
    for i in range(55):
        make_resident(world.a, f"住户{i:02d}", "")
    client.force_login(world.desk_a)
    first = client.get("/residents/").content.decode()
    assert len(_names(first)) == 50 and "共 55 条" in first
    link = re.search(r'rel="next" href="\?([^"]+)"', first)
    assert link is not None
    second = client.get("/residents/?" + link.group(1).replace("&amp;", "&")).content.decode()
    assert len(_names(second)) == 5
    assert client.get("/residents/", {"cursor": "x"}).status_code == 400


def test_department_staff_see_no_register_rows(
    client: Client, world: World, residents: list[Resident]
) -> None:
    client.force_login(world.department_user)
    assert _names(client.get("/residents/").content.decode()) == []
