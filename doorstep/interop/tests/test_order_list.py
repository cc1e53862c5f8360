"""The 12345 order list: page and xlsx from one filter, masked caller phone, escaped text, the
street's orders only, keyset pages with a total."""

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from doorstep.conftest import World

from .test_hotline import order, upload, xlsx

pytestmark = pytest.mark.django_db


def sheet(response: Any) -> list[tuple[Any, ...]]:
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _listed(page: str) -> list[str]:
    # The order number links to its page (the audited reveal).
    return re.findall(
        r'<td class="code" style="letter-spacing:0"><a href="[^"]*">([^<]+)</a></td>', page
    )


def test_order_export_masks_the_caller_and_escapes_formulas(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx([order("GD101", 诉求内容="@物业 楼道灯坏了")]))
    rows = sheet(client.get("/hotline/", {"format": "xlsx"}))
    assert rows[0][:4] == ("工单编号", "来电时间", "来电人", "联系电话")
    data = dict(zip(rows[0], rows[1], strict=True))
    assert data["联系电话"] == "139****5678" and "13912345678" not in str(rows)
    assert data["诉求内容"] == "'@物业 楼道灯坏了"
    assert data["12345时限"].year == 2025  # a date cell


def test_order_page_and_export_show_the_same_filtered_orders(
    world: World, places: dict[str, Any], client: Client
) -> None:
    rows = [order("GD201"), order("GD202"), order("GD203", address="不认识的地方")]
    upload(client, world.street_user, xlsx(rows))
    for status, expected in (("needs_person", {"GD203"}), ("matched", {"GD201", "GD202"})):
        page = client.get("/hotline/", {"status": status}).content.decode()
        exported = sheet(client.get("/hotline/", {"status": status, "format": "xlsx"}))
        assert set(_listed(page)) == {r[0] for r in exported[1:]} == expected
        assert _listed(page) == [r[0] for r in exported[1:]]  # same order too


def test_order_export_is_the_viewers_area_only(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx([order("GD301")]))
    client.force_login(world.other_street_user)
    assert len(sheet(client.get("/hotline/", {"format": "xlsx"}))) == 1  # the header only
    client.force_login(world.desk_a)
    assert client.get("/hotline/", {"format": "xlsx"}).status_code == 403


def test_order_list_pages_past_fifty_and_says_how_many(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx([order(f"GD4{i:02d}") for i in range(60)]))
    first = client.get("/hotline/").content.decode()
    assert len(_listed(first)) == 50 and "共 60 条" in first
    cursor = re.search(r'cursor=([^"&]+)">下一页', first)
    assert cursor is not None
    second = client.get(f"/hotline/?status=&cursor={cursor.group(1)}").content.decode()
    assert len(_listed(second)) == 10 and not set(_listed(first)) & set(_listed(second))
    assert client.get("/hotline/", {"cursor": "forged"}).status_code == 400
