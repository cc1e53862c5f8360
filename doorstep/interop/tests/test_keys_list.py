"""The key page's token list (it stopped at 200): keyset pages with a total, the same rows as
xlsx (never a key or its hash), a forged cursor a clear 400."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.api.models import ApiToken
from doorstep.conftest import World

pytestmark = pytest.mark.django_db


def _tokens(world: World, n: int) -> list[int]:
    ApiToken.objects.bulk_create(
        ApiToken(user=world.desk_a, name=f"用途{i:03d}", key_hash=f"{i:064d}") for i in range(n)
    )
    return list(ApiToken.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="token-(\d+)">', page)]


def test_the_201st_token_is_on_page_five(client: Client, world: World) -> None:
    made = _tokens(world, 201)
    client.force_login(world.district_user)
    page = client.get("/keys/").content.decode()
    assert "共 201 条" in page and _ids(page) == made[:50]
    for _ in range(4):
        cursor = re.search(r'rel="next" href="\?cursor=([^"&#]+)', page)
        assert cursor is not None
        page = client.get(f"/keys/?cursor={cursor.group(1)}").content.decode()
    assert _ids(page) == made[200:]


def test_the_token_export_has_every_row_and_no_key(client: Client, world: World) -> None:
    made = _tokens(world, 52)
    ApiToken.objects.filter(pk=made[0]).update(name="=HYPERLINK(1)")
    client.force_login(world.district_user)
    response: Any = client.get("/keys/", {"format": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    names = dict(ApiToken.objects.values_list("pk", "name"))
    assert rows[0] == ("工作人员", "账号", "用途", "开具时间", "最近使用")
    assert [r[2] for r in rows[1:]] == ["'=HYPERLINK(1)"] + [names[i] for i in made[1:]]
    assert "0" * 60 not in str(rows)


def test_a_forged_token_list_cursor_is_a_clear_400(client: Client, world: World) -> None:
    client.force_login(world.district_user)
    response = client.get("/keys/", {"cursor": "forged"})
    assert response.status_code == 400 and "翻页参数无效" in response.content.decode()


def test_only_the_district_admin_exports_tokens(client: Client, world: World) -> None:
    _tokens(world, 2)
    client.force_login(world.secretary_a)
    assert client.get("/keys/", {"format": "xlsx"}).status_code == 403


@pytest.mark.parametrize("n", [2, 60])
def test_the_key_page_costs_the_same_queries_for_2_or_60_tokens(
    client: Client, world: World, n: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _tokens(world, n)
    client.force_login(world.district_user)
    with django_assert_max_num_queries(10):
        assert client.get("/keys/").status_code == 200
