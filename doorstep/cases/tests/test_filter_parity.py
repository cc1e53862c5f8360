"""One filter definition (`CaseFilter`) behind the desk page, /api/v1/cases and the xlsx: for the
same filters all three return the same cases in the same order."""

import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.api.services import api_token_create
from doorstep.cases import services
from doorstep.conftest import World, at, background_rows
from doorstep.core import exports, keyset

pytestmark = pytest.mark.django_db

FILTERS: list[dict[str, str]] = [
    {},
    {"status": "resolved"},
    {"status": "received"},
    {"q": "路灯"},
    {"view": "overdue"},
    {"status": "received", "q": "居住证明"},
]


def _page_codes(client: Client, params: dict[str, str]) -> list[str]:
    page = client.get("/desk/cases/", params).content.decode()
    return re.findall(r'<a class="code" href="/desk/cases/\d+/">([^<]+)</a>', page)


def _api_codes(client: Client, key: str, params: dict[str, str]) -> list[str]:
    response = client.get("/api/v1/cases", params, headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 200
    return [c["tracking_code"] for c in response.json()]


def _xlsx_codes(client: Client, params: dict[str, str]) -> list[str]:
    response: Any = client.get("/desk/cases/", {**params, "format": "xlsx"})
    body = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    return [r[0] for r in rows[1:]]


@pytest.fixture
def mixed(world: World) -> World:
    for day in range(1, 5):
        world.intake(item=world.residence_cert, now=at(2025, 9, day))
    world.intake(description="小区路灯坏了", now=at(2025, 9, 6))
    world.intake(description="路灯不亮", now=at(2025, 9, 7))
    done = world.intake(item=world.residence_cert, now=at(2025, 9, 8))
    services.case_resolve(actor=world.desk_a, case_id=done.pk, reply="已办", now=at(2025, 9, 9))
    world.intake(actor=world.desk_b, community=world.b, description="路灯", now=at(2025, 9, 6))
    return world


@pytest.mark.parametrize(
    "params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
def test_page_api_and_export_return_the_same_cases(
    client: Client, mixed: World, params: dict[str, str]
) -> None:
    _token, key = api_token_create(mixed.desk_a, "parity")
    client.force_login(mixed.desk_a)
    page = _page_codes(client, params)
    assert page == _api_codes(client, key, params) == _xlsx_codes(client, params)
    if params.get("q") == "路灯":
        assert len(page) == 2  # community B's 路灯 is not desk A's


def test_export_over_the_cap_goes_to_the_background_with_the_same_rows(
    client: Client, mixed: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(mixed.desk_a)
    direct = _xlsx_codes(client, {"status": "received"})
    monkeypatch.setattr(exports, "MAX_ROWS", 3)
    response = client.get("/desk/cases/", {"status": "received", "format": "xlsx"})
    rows = background_rows(client, response)
    assert len(direct) > 3 and sorted(r[0] for r in rows[1:]) == sorted(direct)
    assert _xlsx_codes(client, {"status": "resolved"})  # one row: under the cap, direct


def test_export_reads_in_keyset_batches_without_offset(
    client: Client, mixed: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def small_batches(qs: Any, ordering: Any) -> Any:
        return keyset.iterate(qs, ordering=ordering, chunk=2)

    monkeypatch.setattr(exports, "iterate", small_batches)
    client.force_login(mixed.desk_a)
    with CaptureQueriesContext(connection) as queries:
        codes = _xlsx_codes(client, {})
    assert len(codes) == 7 and len(set(codes)) == 7
    sqls = [q["sql"] for q in queries.captured_queries]
    batches = [sql for sql in sqls if "tracking_code" in sql and "COUNT(" not in sql.upper()]
    assert len(batches) == 4  # 2 + 2 + 2 + 1
    assert not any("OFFSET" in sql.upper() for sql in batches)


@pytest.mark.parametrize("rows", [3, 30])
def test_export_query_count_does_not_grow_with_rows(
    client: Client, world: World, django_assert_max_num_queries: DjangoAssertNumQueries, rows: int
) -> None:
    """Names, labels and owners come from maps read once, not one query (or join) per row."""
    for day in range(rows):
        world.intake(item=world.residence_cert, now=at(2025, 9, 1 + day % 28))
    client.force_login(world.desk_a)
    # session, user, profile, cap count, one batch, community, item and owner maps
    with django_assert_max_num_queries(8):
        codes = _xlsx_codes(client, {})
    assert len(codes) == rows


def test_export_cells_match_the_case_labels_and_names(client: Client, world: World) -> None:
    """The label maps give what the model and its relations say (channel, status, names)."""
    with_item = world.intake(item=world.residence_cert, contact_phone="13812345678")
    bare = world.intake(item=None, now=at(2025, 9, 27))
    client.force_login(world.desk_a)
    response: Any = client.get("/desk/cases/", {"format": "xlsx"})
    body = b"".join(response.streaming_content)
    header, *rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    got = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    for case in (with_item, bare):
        case.refresh_from_db()
        row = got[case.tracking_code]
        assert row["社区"] == case.community.name
        assert row["受理渠道"] == case.get_channel_display()
        assert row["状态"] == case.get_status_display()
        assert (row["服务事项"] or "") == (case.item.name if case.item else "")
        owner = case.owner.staff.display_name if case.owner else ""
        assert (row["当前办理人"] or "") == owner
        assert row["当场办结"] in ("是", "否")
    assert got[with_item.tracking_code]["联系电话"] == "138****5678"
