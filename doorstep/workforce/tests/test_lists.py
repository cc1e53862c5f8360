"""The workforce lists: one filter definition behind each desk page, its /api/v1/workforce
list and its xlsx; keyset pages with a total; another community sees none of ours; bad
cursors, the row cap, and query counts that do not grow with the rows."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.api.tests.test_api import Api
from doorstep.conftest import World, background_rows, make_staff
from doorstep.workforce import fees

from .conftest import Staff, record
from .test_fees import pay
from .test_leave import leave

pytestmark = pytest.mark.django_db


def sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def _ids(page: str, kind: str) -> list[int]:
    return [int(i) for i in re.findall(rf'<tr id="{kind}-(\d+)"', page)]


@pytest.mark.parametrize("when", ["", "current", "upcoming"])
def test_leave_page_api_and_export_list_the_same_leave(
    client: Client, world: World, staff: Staff, when: str
) -> None:
    made = {"past": leave(world, world.desk_a, -9, -5), "now": leave(world, world.grid_a, -1, 1)}
    made["soon"] = leave(world, world.secretary_a, 5, 6)
    params = {"when": when} if when else {}
    client.force_login(world.secretary_a)
    page = _ids(client.get("/workforce/leave/", params).content.decode(), "leave")
    api = [r["id"] for r in Api(client, world.secretary_a).get("/workforce/leave", **params).json()]
    rows = sheet(client.get("/workforce/leave/", {**params, "format": "xlsx"}))
    assert set(page) == set(api) and page
    assert len(rows) - 1 == len(page)
    assert rows[0] == ("工作人员", "类型", "开始日期", "结束日期", "备注")
    expected = {"": {"past", "now", "soon"}, "current": {"now"}, "upcoming": {"soon"}}[when]
    assert set(page) == {made[k].pk for k in expected}


@pytest.mark.parametrize("status", ["", "overdue", "compliant"])
def test_workers_page_api_and_export_list_the_same_workers(
    client: Client, world: World, staff: Staff, status: str
) -> None:
    params = {"status": status} if status else {}
    client.force_login(world.secretary_a)
    page = _ids(client.get("/workforce/", params).content.decode(), "worker")
    api = Api(client, world.secretary_a).get("/workforce/workers", **params).json()
    rows = sheet(client.get("/workforce/", {**params, "format": "xlsx"}))
    assert set(page) == {r["id"] for r in api}
    assert sorted(r[0] for r in rows[1:]) == sorted(r["name"] for r in api)
    if not status:
        assert page and rows[0][:3] == ("姓名", "岗位", "入职日期")
        hired = next(r[2] for r in rows[1:] if r[0] == staff.desk.name)
        assert hired.date() == staff.desk.hire_date  # a date cell, not text


def test_ledger_export_follows_the_filter_signs_reversals_and_escapes(
    client: Client, world: World
) -> None:
    first = pay(world, "86.50", name='=HYPERLINK("http://x")')
    pay(world, "20.00", "qr")
    asked = fees.fee_reversal_request(actor=world.desk_a, payment_id=first.pk, reason="多收")
    fees.fee_reversal_approve(actor=world.secretary_a, request_id=asked.pk)
    client.force_login(world.desk_a)
    month = f"{timezone.localdate():%Y-%m}"
    rows = sheet(client.get("/workforce/fees/", {"month": month, "format": "xlsx"}))
    assert [r[0] for r in rows[1:]] == [1, 2, 3]  # the ledger's order
    assert [r[9] for r in rows[1:]] == [Decimal("86.5"), Decimal("20"), Decimal("-86.5")]
    assert rows[1][4] == '\'=HYPERLINK("http://x")'
    cash = sheet(
        client.get("/workforce/fees/", {"month": month, "method": "cash", "format": "xlsx"})
    )
    assert [r[0] for r in cash[1:]] == [1, 3]
    page = client.get("/workforce/fees/").content.decode()
    assert "合计 ¥20.00" in page


def test_another_community_sees_none_of_ours(client: Client, world: World, staff: Staff) -> None:
    pay(world)
    leave(world, world.desk_a, 1, 2)
    client.force_login(world.secretary_b)
    for url in ("/workforce/", "/workforce/leave/", "/workforce/fees/"):
        asked = client.get(url, {"community": str(world.a.pk), "format": "xlsx"})
        assert asked.status_code == 404  # another area's community does not exist for them
        rows = sheet(client.get(url, {"format": "xlsx"}))
        assert "王秀英" not in str(rows) and staff.desk.name not in str(rows)
    client.force_login(world.department_user)
    assert client.get("/workforce/fees/", {"format": "xlsx"}).status_code == 403


def test_street_staff_export_the_compliance_of_their_communities(
    client: Client, world: World, staff: Staff
) -> None:
    client.force_login(world.street_user)
    rows = sheet(client.get("/workforce/", {"format": "xlsx"}))
    assert rows[0] == ("街道", "社区", "人数", "合规", "90天内到期", "已逾期", "学时不足")
    communities = {r[1] for r in rows[1:]}
    assert world.a.name in communities and world.c.name not in communities


def test_payments_page_by_keyset_and_say_how_many(client: Client, world: World) -> None:
    made = [pay(world, "1.00") for _ in range(53)]
    client.force_login(world.desk_a)
    first = client.get("/workforce/fees/").content.decode()
    assert "共 53 条" in first and 'rel="next"' in first
    assert _ids(first, "payment") == [p.pk for p in reversed(made)][:50]
    cursor = re.search(r'rel="next" href="\?([^"#]+)', first)
    assert cursor is not None
    second = client.get(f"/workforce/fees/?{cursor.group(1).replace('&amp;', '&')}")
    assert _ids(second.content.decode(), "payment") == [p.pk for p in reversed(made)][50:]


@pytest.mark.parametrize(
    "url", ["/workforce/", "/workforce/leave/", "/workforce/fees/", "/workforce/onsite/"]
)
def test_a_forged_cursor_is_a_clear_400(
    client: Client, world: World, staff: Staff, url: str
) -> None:
    client.force_login(world.secretary_a)
    response = client.get(url, {"cursor": "forged"})
    assert response.status_code == 400 and "翻页参数无效" in response.content.decode()


def test_ledger_export_over_the_row_cap_goes_to_the_background(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    pay(world)
    pay(world)
    monkeypatch.setattr("doorstep.core.exports.MAX_ROWS", 1)
    client.force_login(world.desk_a)
    response = client.get("/workforce/fees/", {"format": "xlsx"})
    assert len(background_rows(client, response)) == 1 + 2


@pytest.mark.parametrize("n", [2, 20])
def test_lists_cost_the_same_queries_for_few_or_many_rows(
    client: Client,
    world: World,
    staff: Staff,
    n: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(n):
        pay(world, "1.00")
        user = make_staff(f"w{i}", "desk", district=world.district, community=world.a)
        record(world, user)
        leave(world, user, 10 + 3 * i, 11 + 3 * i)
    client.force_login(world.secretary_a)
    for url in ("/workforce/", "/workforce/leave/", "/workforce/fees/", "/workforce/training/"):
        with django_assert_max_num_queries(24):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(14):
        sheet(client.get("/workforce/leave/", {"format": "xlsx"}))
    with django_assert_max_num_queries(14):
        sheet(client.get("/workforce/", {"format": "xlsx"}))
